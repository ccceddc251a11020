//! Fuzzes the map checker: any UTF-8 text goes through `trailmap_check::parse`, which must not
//! panic, must return diagnostics whose spans lie inside the text on character boundaries, and
//! whose human rendering must not panic either (the same promise `tests/no_panic.rs` tests with
//! proptest). Seed it with `examples/` and `check_map.dict` for inputs that get past the YAML
//! parser.

#![no_main]

use libfuzzer_sys::fuzz_target;
use trailmap_diag::SourceFile;
use trailmap_diag::render::{Color, human};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checked = trailmap_check::parse(text);
    let file = SourceFile::new("fuzz.yaml", text);
    for diagnostic in &checked.diagnostics {
        let spans = std::iter::once(diagnostic.span).chain(diagnostic.secondary.iter().map(|l| l.span));
        for span in spans {
            assert!(span.start <= span.end && span.end <= text.len(), "span {span:?} outside the text");
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "span {span:?} splits a character"
            );
        }
        let _ = human::render(&file, diagnostic, Color::Never);
    }
});
