//! Golden tests of the real-paths pictures: `discover` and `conform` results on 200 demo
//! customers of the online retail map (made with `trailmap demo generate --customers 200`,
//! then `trailmap discover --top all --format json` by step, and `trailmap conform --customers
//! ... --format json`; file paths shortened). The conformance page gets one persona tab, with
//! everyone's graph: the test pins the drawing; the per-persona split is the CLI's., rendered and compared byte for byte with
//! `tests/golden/`.
//!
//! After an intended change: `UPDATE_GOLDEN=1 cargo test -p trailmap-render --test
//! paths_golden`, and review the diff (open the pages in a browser).

use std::collections::BTreeMap;
use std::path::Path;

use trailmap_model::Map;
use trailmap_model::conformance::Conformance;
use trailmap_model::paths::Discovery;
use trailmap_render::paths::{
    PathsOptions, render_conformance_html, render_dfg_svg, render_paths_html,
};

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn map() -> Map {
    let path = here().join("../../examples/online-retail-purchase.yaml");
    let text = std::fs::read_to_string(&path).expect("example map");
    trailmap_check::parse(&text).map.expect("a valid map")
}

fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = here().join("tests/fixtures").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares with the golden file, or rewrites it under `UPDATE_GOLDEN=1`.
fn check(name: &str, actual: &str) -> Option<String> {
    let path = here().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("golden folder is writable");
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
fn paths_pictures_render_as_their_golden_files() {
    let map = map();
    let by_step: Discovery = fixture("online-retail-purchase.discovery.json");
    let options = PathsOptions {
        title: Some("events.parquet".to_owned()),
        ..PathsOptions::default()
    };
    let conformance: Conformance = fixture("online-retail-purchase.conformance.json");
    let personas: BTreeMap<String, Discovery> = conformance
        .personas
        .keys()
        .take(1)
        .map(|id| (id.clone(), by_step.clone()))
        .collect();
    let mut problems = Vec::new();
    problems.extend(check(
        "online-retail-purchase.conform.html",
        &render_conformance_html(&conformance, &by_step, &personas, &map, &options),
    ));
    problems.extend(check(
        "online-retail-purchase.paths.html",
        &render_paths_html(&by_step, Some(&map), &options),
    ));
    problems.extend(check(
        "online-retail-purchase.paths.svg",
        &render_dfg_svg(&by_step, Some(&map), &options),
    ));
    assert!(
        problems.is_empty(),
        "golden files differ; if the change is intended, run `UPDATE_GOLDEN=1 cargo test -p trailmap-render --test paths_golden` and review the diff:\n  {}",
        problems.join("\n  ")
    );
}
