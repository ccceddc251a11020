//! The rustc-style rendering: a headline, the source line with carets under the exact spot,
//! secondary labels, and a `help:` line.
//!
//! ```text
//! map.yaml:12:29: error[E004]: unknown key `emoton` in customer lane
//!    |
//! 12 |         customer: {does: x, emoton: 1}
//!    |                             ^^^^^^ unknown key
//!    |
//!    = help: did you mean `emotion`?
//! ```

use std::fmt::Write;

use unicode_width::UnicodeWidthChar;

use super::{Color, Paint};
use crate::{Diagnostic, SourceFile, Span};

/// At most this many characters of a source line are shown, so a 2,000-character line or a
/// minified file does not flood the terminal.
const MAX_LINE_CHARS: usize = 160;

pub fn render(file: &SourceFile, diagnostic: &Diagnostic, color: Color) -> String {
    let paint = Paint::new(color);
    let at = file.line_col(diagnostic.span.start);
    let mut out = String::new();
    let severity = diagnostic.severity.as_str();
    let _ = writeln!(
        out,
        "{}: {}{}",
        paint.paint("1", &format!("{}:{}:{}", file.name(), at.line, at.column)),
        paint.severity(
            diagnostic.severity,
            &format!("{severity}[{}]", diagnostic.code.id)
        ),
        paint.paint("1", &format!(": {}", diagnostic.message)),
    );
    let mut lines: Vec<(Span, Option<&str>, bool)> =
        vec![(diagnostic.span, diagnostic.label.as_deref(), true)];
    lines.extend(
        diagnostic
            .secondary
            .iter()
            .map(|label| (label.span, Some(label.message.as_str()), false)),
    );
    let gutter_width = lines
        .iter()
        .map(|(span, _, _)| file.line_col(span.start).line.to_string().len())
        .max()
        .unwrap_or(1);
    let bar = paint.paint("1;34", "|");
    let _ = writeln!(out, "{:gutter_width$} {bar}", "");
    for (span, label, primary) in lines {
        snippet(
            &mut out,
            file,
            span,
            label,
            primary,
            gutter_width,
            &paint,
            diagnostic,
        );
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{:gutter_width$} {bar}", "");
        let _ = writeln!(
            out,
            "{:gutter_width$} {} {}: {help}",
            "",
            paint.paint("1;34", "="),
            paint.paint("1", "help")
        );
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn snippet(
    out: &mut String,
    file: &SourceFile,
    span: Span,
    label: Option<&str>,
    primary: bool,
    gutter_width: usize,
    paint: &Paint,
    diagnostic: &Diagnostic,
) {
    let text = file.text();
    let at = file.line_col(span.start);
    let range = file.line_index().line_range(text, at.line);
    let line_text = &text[range.clone()];
    // Underline from the span's start to its end or the end of its first line.
    let underline_start = span.start.clamp(range.start, range.end) - range.start;
    let underline_end = span.end.clamp(range.start, range.end) - range.start;

    let mut shown = String::new();
    let mut pad = 0;
    let mut marks = 0;
    for (char_idx, (byte_idx, ch)) in line_text.char_indices().enumerate() {
        if char_idx >= MAX_LINE_CHARS {
            shown.push('…');
            break;
        }
        // Tabs and control characters would misalign the carets: show them as one space.
        let (shown_ch, width) = if ch == '\t' || ch.is_control() {
            (' ', 1)
        } else {
            (ch, ch.width().unwrap_or(0))
        };
        shown.push(shown_ch);
        if byte_idx < underline_start {
            pad += width;
        } else if byte_idx < underline_end {
            marks += width;
        }
    }
    let marks = marks.max(1);
    let bar = paint.paint("1;34", "|");
    let line_no = paint.paint("1;34", &format!("{:>gutter_width$}", at.line));
    let _ = writeln!(out, "{line_no} {bar} {shown}");
    let caret = if primary { "^" } else { "-" };
    let underline = caret.repeat(marks);
    let underline = if primary {
        paint.severity(diagnostic.severity, &underline)
    } else {
        paint.paint("1;34", &underline)
    };
    let label = label.map(|l| format!(" {l}")).unwrap_or_default();
    let label = if primary {
        paint.severity(diagnostic.severity, &label)
    } else {
        paint.paint("1;34", &label)
    };
    let _ = writeln!(
        out,
        "{:gutter_width$} {bar} {:pad$}{underline}{label}",
        "", ""
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, Diagnostic};

    const CODE: Code = Code {
        id: "E004",
        name: "unknown-key",
    };

    #[test]
    fn caret_sits_under_the_span() {
        let file = SourceFile::new("map.yaml", "journey:\n  naem: x\n");
        let diagnostic = Diagnostic::error(CODE, Span::new(11, 15), "unknown key `naem`")
            .with_label("unknown key")
            .with_help("did you mean `name`?");
        let out = render(&file, &diagnostic, Color::Never);
        assert_eq!(
            out,
            "map.yaml:2:3: error[E004]: unknown key `naem`\n  |\n2 |   naem: x\n  |   ^^^^ unknown key\n  |\n  = help: did you mean `name`?\n"
        );
    }

    #[test]
    fn wide_characters_keep_carets_aligned() {
        let file = SourceFile::new("m.yaml", "name: 日本 x\n");
        let diagnostic = Diagnostic::error(CODE, Span::new(13, 14), "here");
        let out = render(&file, &diagnostic, Color::Never);
        assert!(
            out.contains("1 | name: 日本 x\n  |            ^\n"),
            "{out}"
        );
    }
}
