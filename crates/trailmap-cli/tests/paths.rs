//! `trailmap discover` and `trailmap export-xes` as users run them.

mod common;

use std::path::PathBuf;

use common::{code, stderr, stdout, trailmap};

const OLIST_MAP: &str = "examples/olist/olist-orders.yaml";
const OLIST_EVENTS: &str = "examples/olist/events.csv.gz";

fn tempdir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("trailmap-paths-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn json(output: &std::process::Output) -> serde_json::Value {
    assert_eq!(code(output), 0, "{}", stderr(output));
    serde_json::from_str(&stdout(output)).expect("discover --format json prints JSON")
}

#[test]
fn discover_by_step_with_a_map() {
    let d = json(&trailmap(&[
        "discover",
        "--map",
        OLIST_MAP,
        "--events",
        OLIST_EVENTS,
        "--format",
        "json",
        "--top",
        "3",
    ]));
    assert_eq!(d["version"], 1);
    assert_eq!(d["by"], "step");
    assert_eq!(d["journey"], "olist-order");
    // Every map step is an activity, in map order.
    assert_eq!(d["activities"][0]["activity"], "places-order");
    assert_eq!(d["variants"]["top"].as_array().unwrap().len(), 3);
    let cases = d["cases"].as_u64().unwrap();
    let rest = d["variants"]["rest"]["cases"].as_u64().unwrap();
    let top: u64 = d["variants"]["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["count"].as_u64().unwrap())
        .sum();
    assert_eq!(
        top + rest,
        cases,
        "the top variants and the rest are every case"
    );
    // Rows that match no step are dropped and counted.
    let inputs = &d["inputs"];
    assert_eq!(
        inputs["rows_read"].as_u64().unwrap() - inputs["rows_dropped"].as_u64().unwrap(),
        d["events"].as_u64().unwrap()
    );
}

#[test]
fn discover_text_summary_and_json_file() {
    let dir = tempdir("text");
    let out = dir.join("paths.json");
    let run = trailmap(&[
        "discover",
        "--events",
        OLIST_EVENTS,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let text = stdout(&run);
    for part in [
        "activities are event names",
        "Case duration: median",
        "Top variants (",
        "Busiest transitions:",
        "order_purchased → payment_approved",
        "Slowest transitions",
    ] {
        assert!(text.contains(part), "{part} in\n{text}");
    }
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["by"], "event");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn discover_reads_xes_without_column_flags() {
    let dir = tempdir("xes");
    let log = dir.join("log.xes");
    std::fs::write(
        &log,
        r#"<log xes.version="1.0"><trace><string key="concept:name" value="1"/>
<event><string key="concept:name" value="a"/><date key="time:timestamp" value="2026-01-01T00:00:00Z"/></event>
<event><string key="concept:name" value="b"/><date key="time:timestamp" value="2026-01-01T00:01:00Z"/></event>
</trace></log>"#,
    )
    .unwrap();
    let d = json(&trailmap(&[
        "discover",
        "--events",
        log.to_str().unwrap(),
        "--format",
        "json",
    ]));
    assert_eq!(d["edges"][0]["from"], "a");
    assert_eq!(d["edges"][0]["median_s"], 60.0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn discover_usage_errors() {
    let by_step = trailmap(&["discover", "--events", OLIST_EVENTS, "--by", "step"]);
    assert_eq!(code(&by_step), 2);
    assert!(stderr(&by_step).contains("--by step needs --map"));
    let top = trailmap(&["discover", "--events", OLIST_EVENTS, "--top", "many"]);
    assert_eq!(code(&top), 2);
    let out = trailmap(&["discover", "--events", OLIST_EVENTS, "-o", "paths.txt"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("name the output .json"),
        "{}",
        stderr(&out)
    );
    let missing = trailmap(&["discover", "--events", "no/such/file.csv"]);
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("no/such/file.csv"));
    let column = trailmap(&["discover", "--events", OLIST_EVENTS, "--case-col", "order"]);
    assert_eq!(code(&column), 2);
    assert!(
        stderr(&column).contains("no column `order`"),
        "{}",
        stderr(&column)
    );
}

#[test]
fn export_xes_round_trips_through_the_xes_reader() {
    let dir = tempdir("export");
    let xes = dir.join("olist.xes.gz");
    let export = trailmap(&[
        "export-xes",
        OLIST_MAP,
        "--events",
        OLIST_EVENTS,
        "--customers",
        "examples/olist/customers.csv",
        "-o",
        xes.to_str().unwrap(),
    ]);
    assert_eq!(code(&export), 0, "{}", stderr(&export));
    // Discovery by event on the export equals discovery by step on the original events.
    let original = json(&trailmap(&[
        "discover",
        "--map",
        OLIST_MAP,
        "--events",
        OLIST_EVENTS,
        "--format",
        "json",
        "--top",
        "all",
    ]));
    let exported = json(&trailmap(&[
        "discover",
        "--events",
        xes.to_str().unwrap(),
        "--format",
        "json",
        "--top",
        "all",
    ]));
    for key in [
        "cases",
        "events",
        "edges",
        "start_activities",
        "end_activities",
        "variants",
        "case_duration",
        "events_per_case",
    ] {
        assert_eq!(original[key], exported[key], "{key}");
    }
    // The export carries persona, outcomes, step names and resources.
    let text = {
        use std::io::Read;
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&xes).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    for part in [
        r#"<extension name="Lifecycle" prefix="lifecycle""#,
        r#"<string key="persona" value="#,
        r#"<boolean key="outcome_canceled" value="false"/>"#,
        r#"<string key="step_name" value="Places the order"/>"#,
        r#"<string key="org:resource" value="web"/>"#,
    ] {
        assert!(text.contains(part), "{part}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn discover_names_steps_no_event_matched() {
    let dir = tempdir("unseen");
    let map = dir.join("map.yaml");
    std::fs::write(
        &map,
        "trailmap: 1\njourney: {id: t, name: T, kind: other, state: current}\n\
         departments: [{id: d, name: D}]\nstages:\n  - id: s\n    name: S\n    steps:\n\
         \x20     - {id: buy, name: Buy, department: d, match: \"event = 'order_purchased'\"}\n\
         \x20     - {id: never, name: Never, department: d, match: \"event = 'no such event'\"}\n",
    )
    .unwrap();
    let map = map.to_str().unwrap();
    let text = trailmap(&["discover", "--map", map, "--events", OLIST_EVENTS]);
    assert_eq!(code(&text), 0, "{}", stderr(&text));
    assert!(
        stdout(&text).contains("Steps no event matched: never."),
        "{}",
        stdout(&text)
    );
    let d = json(&trailmap(&[
        "discover",
        "--map",
        map,
        "--events",
        OLIST_EVENTS,
        "--format",
        "json",
    ]));
    assert_eq!(d["activities"][1]["activity"], "never");
    assert_eq!(d["activities"][1]["events"], 0);
    let _ = std::fs::remove_dir_all(&dir);
}
