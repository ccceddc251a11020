//! Golden tests: every map in `examples/` rendered to HTML and SVG (and, for a future map,
//! its diff against the map it is `based_on`), compared byte for byte with the files in
//! `tests/golden/`. Rendering is deterministic, so any difference is a real change.
//!
//! The online retail maps are also rendered with measured evidence: hand-written result.json
//! fixtures in `tests/fixtures/` (plausible figures for those maps, in the `trailmap analyze`
//! format), drawn on the map and on the diff.
//!
//! After an intended change, rewrite the files with `UPDATE_GOLDEN=1 cargo test -p
//! trailmap-render --test golden` and review the diff in the pull request.

use std::path::{Path, PathBuf};

use trailmap_model::Map;
use trailmap_model::analysis::Analysis;
use trailmap_render::{Date, RenderOptions};

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

/// Reads a result.json fixture, checking that it is an `Analysis` exactly: every field it
/// has is one the type knows (serializing the value back gives the same JSON).
fn fixture(name: &str) -> Analysis {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let value: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    let analysis: Analysis = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{} is not an Analysis: {e}", path.display()));
    let back = serde_json::to_value(&analysis).expect("serializes");
    if let Some(path) = first_difference(&value, &back, String::new()) {
        panic!(
            "{name}: `{path}` does not survive reading as an Analysis (unknown or misspelt field?)"
        );
    }
    analysis
}

/// Where two JSON values differ, numbers compared as numbers (`3` equals `3.0`).
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter()
                .find_map(|key| match (x.get(key), y.get(key)) {
                    (Some(u), Some(v)) => first_difference(u, v, format!("{at}.{key}")),
                    _ => Some(format!("{at}.{key}")),
                })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(idx, (u, v))| first_difference(u, v, format!("{at}[{idx}]"))),
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64()?, y.as_f64()?);
            ((x - y).abs() > 1e-9 * x.abs().max(1.0)).then_some(at)
        }
        _ => (a != b).then_some(at),
    }
}

#[test]
fn evidence_renders_as_its_golden_files() {
    let examples = root().join("examples");
    let current = load(&examples.join("online-retail-purchase.yaml"));
    let future = load(&examples.join("online-retail-purchase-future.yaml"));
    let current_evidence = fixture("online-retail-purchase.result.json");
    let future_evidence = fixture("online-retail-purchase-future.result.json");
    for (map, analysis) in [(&current, &current_evidence), (&future, &future_evidence)] {
        // The fixtures measure exactly their map's steps, in map order, and check every KPI.
        assert_eq!(analysis.journey.id, map.journey.id);
        let steps: Vec<&str> = map.steps().map(|s| s.step.id.as_str()).collect();
        let measured: Vec<&str> = analysis.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(steps, measured);
        let n_kpis: usize = map.steps().map(|s| s.step.kpis.len()).sum();
        assert_eq!(analysis.kpis.len(), n_kpis);
        for step in &analysis.steps {
            let reach: u64 = step.personas.values().map(|f| f.reach).sum();
            assert_eq!(reach, step.figures.reach, "{}: personas add up", step.id);
        }
    }

    // A fixed "today", a year after the current map's research, so stale evidence shows.
    let options = RenderOptions {
        evidence: Some(current_evidence.clone()),
        today: Date::new(2027, 6, 1),
        ..RenderOptions::default()
    };
    let frank = RenderOptions {
        persona: Some("frank".into()),
        ..options.clone()
    };
    let future_options = RenderOptions {
        evidence: Some(future_evidence.clone()),
        today: Date::new(2027, 6, 1),
        ..RenderOptions::default()
    };
    let diff = trailmap_render::diff::compare_measured(
        &current,
        &future,
        &current_evidence,
        &future_evidence,
    );
    let mut problems = Vec::new();
    for (name, actual) in [
        (
            "online-retail-purchase.evidence.html",
            trailmap_render::html::render(&current, &options),
        ),
        (
            "online-retail-purchase.evidence.svg",
            trailmap_render::svg::render(&current, &options),
        ),
        (
            "online-retail-purchase.evidence-frank.html",
            trailmap_render::html::render(&current, &frank),
        ),
        (
            "online-retail-purchase-future.evidence.html",
            trailmap_render::html::render(&future, &future_options),
        ),
        (
            "online-retail-purchase-future.evidence-diff.txt",
            trailmap_render::diff::text(&diff),
        ),
        (
            "online-retail-purchase-future.evidence-diff.json",
            diff.to_json(),
        ),
        (
            "online-retail-purchase-future.evidence-diff.html",
            trailmap_render::diff::html(&diff),
        ),
    ] {
        problems.extend(check(name, &actual));
    }
    assert!(
        problems.is_empty(),
        "golden files differ; if the change is intended, run `UPDATE_GOLDEN=1 cargo test -p trailmap-render --test golden` and review the diff:\n  {}",
        problems.join("\n  ")
    );
}
