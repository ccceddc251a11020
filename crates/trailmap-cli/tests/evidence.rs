//! `trailmap render --evidence` and `trailmap diff --current-evidence --future-evidence` as
//! users run them: the measured figures reach the output, and a bad result.json is refused
//! with a message that names the file.

mod common;

use std::path::PathBuf;

use common::{code, stderr, stdout, trailmap};

const MAP: &str = "examples/online-retail-purchase.yaml";
const FUTURE: &str = "examples/online-retail-purchase-future.yaml";
const RESULT: &str = "crates/trailmap-render/tests/fixtures/online-retail-purchase.result.json";
const FUTURE_RESULT: &str =
    "crates/trailmap-render/tests/fixtures/online-retail-purchase-future.result.json";

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "trailmap-evidence-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn render_draws_the_evidence() {
    let html = trailmap(&["render", MAP, "--evidence", RESULT, "--today", "2026-11-25"]);
    assert_eq!(code(&html), 0, "{}", stderr(&html));
    assert_eq!(stderr(&html), "", "the fixture fits the map: no warning");
    let page = stdout(&html);
    for text in [
        "Measured in data",
        "<tr class=\"lane-reach\"",
        "no evidence in data",
        "class=\"act missed\"",
        "newsletter_opened",
    ] {
        assert!(page.contains(text), "{text}");
    }
    let svg = trailmap(&[
        "render",
        MAP,
        "--evidence",
        RESULT,
        "--persona",
        "frank",
        "--format",
        "svg",
    ]);
    assert_eq!(code(&svg), 0, "{}", stderr(&svg));
    assert!(stdout(&svg).contains("MEASURED IN DATA"));
}

#[test]
fn render_refuses_a_bad_result_and_names_it() {
    let dir = tempdir("bad");
    let cases = [
        ("broken.json", "{\"version\": 1,", "is not valid JSON"),
        ("v2.json", "{\"version\": 2}", "is result.json version 2"),
        ("no-version.json", "{\"steps\": []}", "has no `version`"),
        (
            "array.json",
            "[1, 2]",
            "is not a result.json of `trailmap analyze`",
        ),
        (
            "shape.json",
            "{\"version\": 1, \"journey\": 3}",
            "is not a result.json of `trailmap analyze`",
        ),
    ];
    for (name, text, message) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let path = path.to_str().unwrap();
        let out = trailmap(&["render", MAP, "--evidence", path, "-o", "-"]);
        assert_eq!(code(&out), 2, "{name}");
        let err = stderr(&out);
        assert!(err.contains(&format!("`{path}`")), "{name}: {err}");
        assert!(err.contains(message), "{name}: {err}");
        assert!(stdout(&out).is_empty(), "{name}: nothing drawn");
    }
}

#[test]
fn render_warns_when_the_result_is_for_another_map() {
    let out = trailmap(&["render", FUTURE, "--evidence", RESULT]);
    assert_eq!(code(&out), 0);
    let err = stderr(&out);
    assert!(
        err.contains("measured journey `online-retail-purchase`, but"),
        "{err}"
    );
    assert!(err.contains("no figures for 6 of the map's steps"), "{err}");
}

#[test]
fn diff_adds_metric_deltas_when_both_maps_have_evidence() {
    let args = [
        "diff",
        MAP,
        FUTURE,
        "--current-evidence",
        RESULT,
        "--future-evidence",
        FUTURE_RESULT,
    ];
    let text = trailmap(&args);
    assert_eq!(code(&text), 0, "{}", stderr(&text));
    let text = stdout(&text);
    assert!(text.contains("Measured per step (all customers)"));
    assert!(text.contains("checks-out-as-guest \"Checks out as a guest\" (was starts-checkout)"));
    let json = trailmap(&[&args[..], &["--format", "json"]].concat());
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert!(json["metrics"].as_array().is_some_and(|m| !m.is_empty()));

    let plain = trailmap(&["diff", MAP, FUTURE, "--format", "json"]);
    assert!(!stdout(&plain).contains("\"metrics\""));
    let one_side = trailmap(&["diff", MAP, FUTURE, "--current-evidence", RESULT]);
    assert_eq!(code(&one_side), 2);
    assert!(stderr(&one_side).contains("--future-evidence"));
}
