//! Golden tests: every map in `examples/` rendered to HTML and SVG (and, for a future map,
//! its diff against the map it is `based_on`), compared byte for byte with the files in
//! `tests/golden/`. Rendering is deterministic, so any difference is a real change.
//!
//! After an intended change, rewrite the files with `UPDATE_GOLDEN=1 cargo test -p
//! trailmap-render --test golden` and review the diff in the pull request.

use std::path::{Path, PathBuf};

use trailmap_model::Map;
use trailmap_render::RenderOptions;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(path: &Path) -> Map {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let checked = trailmap_check::parse(&text);
    checked
        .map
        .unwrap_or_else(|| panic!("{} has errors: {:#?}", path.display(), checked.diagnostics))
}

/// Compares `actual` with the golden file `name`, or rewrites it under `UPDATE_GOLDEN=1`.
/// Returns a complaint instead of panicking so one run reports every stale file.
fn check(name: &str, actual: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent()?).ok()?;
        std::fs::write(&path, actual)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return None;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => None,
        Ok(expected) => {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
            Some(format!("{name}: differs from line {}", line + 1))
        }
        Err(_) => Some(format!("{name}: no golden file")),
    }
}

#[test]
fn examples_render_as_their_golden_files() {
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/ exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    examples.sort();
    assert!(!examples.is_empty(), "no example maps found");

    let mut problems = Vec::new();
    for path in &examples {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("UTF-8 file name");
        let map = load(path);
        let options = RenderOptions::default();
        problems.extend(check(
            &format!("{name}.html"),
            &trailmap_render::html::render(&map, &options),
        ));
        problems.extend(check(
            &format!("{name}.svg"),
            &trailmap_render::svg::render(&map, &options),
        ));
        if let Some(based_on) = &map.journey.based_on {
            let current = load(&path.parent().expect("in a folder").join(based_on));
            let diff = trailmap_render::diff::compare(&current, &map);
            problems.extend(check(
                &format!("{name}.diff.txt"),
                &trailmap_render::diff::text(&diff),
            ));
            problems.extend(check(&format!("{name}.diff.json"), &diff.to_json()));
            problems.extend(check(
                &format!("{name}.diff.html"),
                &trailmap_render::diff::html(&diff),
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "golden files differ; if the change is intended, run `UPDATE_GOLDEN=1 cargo test -p trailmap-render --test golden` and review the diff:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn every_persona_and_lane_choice_renders() {
    // Not golden: just every example under every persona, and with a few lanes, to catch
    // panics and escaping slips in the filtered paths.
    for entry in std::fs::read_dir(root().join("examples")).expect("examples/ exists") {
        let path = entry.expect("readable folder").path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let map = load(&path);
        for persona in &map.personas {
            let options = RenderOptions {
                persona: Some(persona.id.clone()),
                lanes: Some(
                    trailmap_render::Lane::parse_list("does,emotion,touchpoints,pain-points")
                        .expect("valid lanes"),
                ),
                ..RenderOptions::default()
            };
            let html = trailmap_render::html::render(&map, &options);
            assert!(html.contains(&persona.name.replace('&', "&amp;").replace('\'', "&#39;")));
            let svg = trailmap_render::svg::render(&map, &options);
            assert!(svg.ends_with("</svg>\n"));
        }
    }
}
