//! The engine's semantics on a dataset small enough to work out by hand. Every expected number
//! below is derived in a comment from the events, following the definitions in `measure.rs`.

use std::path::PathBuf;

use trailmap_engine::{AnalyzeOptions, ColumnNames, Zone};
use trailmap_model::analysis::Analysis;

const MAP: &str = r#"
trailmap: 1
journey: {id: tiny, name: Tiny, kind: purchase, state: current}
personas:
  - {id: young, name: Young, rule: "age < 30"}
  - {id: old, name: Old, rule: "age >= 30"}
departments: [{id: d, name: D}]
stages:
  - id: first
    name: First
    steps:
      - {id: a, name: A, department: d, match: "event = 'a'", kpis: [{metric: conversion, target: 0.9}]}
  - id: second
    name: Second
    steps:
      - {id: b, name: B, department: d, match: "event = 'b'"}
      - {id: c, name: C, department: d, match: "event = 'c' AND channel = 'web'", kpis: [{metric: nps, target: 50}]}
outcomes:
  churn: "event = 'churned'"
"#;

// t0 = 2026-01-01T00:00:00Z
const EVENTS: &str = "\
customer_id,timestamp,event,channel,nps
c1,2026-01-01T00:00:00Z,a,web,
c1,2026-01-01T01:00:00Z,b,web,
c1,2026-01-01T02:00:00Z,c,web,
c2,2026-01-01T00:00:00Z,a,app,
c2,2026-01-02T00:00:00Z,a,app,
c2,2026-01-03T00:00:00Z,churned,,
c3,2026-01-01T00:00:00Z,b,store,
c3,2026-01-01T00:00:00Z,c,web,
c3,2026-01-01T01:00:00Z,survey,,10
c4,2026-01-01T00:00:00Z,a,web,3
c4,2026-01-01T03:00:00Z,b,web,
c4,2026-04-11T00:00:00Z,churned,,
c5,2026-01-01T00:00:00Z,page_viewed,web,
";

const CUSTOMERS: &str = "customer_id,age\nc1,25\nc2,40\nc3,22\nc4,50\n";

fn run(
    events: &str,
    extra: impl FnOnce(&mut AnalyzeOptions),
) -> Result<Analysis, trailmap_engine::EngineError> {
    let dir = std::env::temp_dir().join(format!(
        "trailmap-engine-test-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let events_path = dir.join("events.csv");
    std::fs::write(&events_path, events).unwrap();
    let customers_path = dir.join("customers.csv");
    std::fs::write(&customers_path, CUSTOMERS).unwrap();
    let map = trailmap_check::parse(MAP)
        .map
        .expect("the test map is valid");
    let mut options = AnalyzeOptions {
        events: vec![events_path],
        events_format: None,
        customers: Some(customers_path),
        columns: ColumnNames::default(),
        zone: Zone::Utc,
        zone_name: "UTC".into(),
        feedback_window_s: 30 * 86_400,
        outcome_window_s: 90 * 86_400,
        repeat_window_s: 7 * 86_400,
        persona: None,
        since: None,
        until: None,
        skip_bad_rows: false,
    };
    extra(&mut options);
    let result = trailmap_engine::analyze(&map, &options, &mut |_| {});
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a value");
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

#[test]
fn figures_follow_the_definitions() {
    let r = run(EVENTS, |_| {}).unwrap();
    assert_eq!(r.inputs.event_rows, 13);
    assert_eq!(r.inputs.customers_analysed, 5);
    let [a, b, c] = [
        &r.steps[0].figures,
        &r.steps[1].figures,
        &r.steps[2].figures,
    ];

    // a: reached by c1, c2, c4. c1 goes on to b after 1 h, c4 after 3 h; c2 never does.
    assert_eq!((a.reach, a.continued), (3, 2));
    close(a.continue_rate, 2.0 / 3.0);
    close(a.drop_off_rate, 1.0 / 3.0);
    close(a.time_to_next.median_s, 7200.0);
    close(a.time_to_next.p90_s, 3600.0 + 0.9 * 7200.0);
    // c4's own `a` event carries nps 3: one detractor.
    assert_eq!(a.feedback.nps.n, 1);
    close(a.feedback.nps.score, -100.0);
    // Churn: c2 two days after `a` (inside 90 days), c4 100 days after (outside).
    // Baseline: c2 and c4 of 5 customers churn at some time = 0.4.
    let churn = &a.outcomes["churn"];
    assert_eq!(churn.n, 1);
    close(churn.rate_after, 1.0 / 3.0);
    close(churn.lift, (1.0 / 3.0) / 0.4);
    assert!(churn.p_value.is_some());
    close(r.outcomes["churn"].baseline, 0.4);
    // c2's two `a` events are a day apart: a repeat contact. 4 matching events over 3 customers.
    close(a.repeat.share, 1.0 / 3.0);
    close(a.repeat.mean_events, 4.0 / 3.0);
    close(a.channels.get("app").copied(), 0.5);
    close(a.channels.get("web").copied(), 0.5);

    // b: c1, c3, c4. c1 reaches c an hour later; c3's `c` has the same time as its `b`, which
    // is not "after"; c4 never reaches c.
    assert_eq!((b.reach, b.continued), (3, 1));
    close(b.time_to_next.median_s, 3600.0);

    // c: c1 and c3 (the store event of c3 is `b`, its web event is `c`). The last step has no
    // continuation. c3's survey an hour after its `c` event is attributed to `c`.
    assert_eq!(c.reach, 2);
    assert_eq!(c.continue_rate, None);
    assert_eq!(c.drop_off_rate, None);
    assert_eq!(c.feedback.nps.n, 1);
    close(c.feedback.nps.score, 100.0);

    // Stages: first = {a}, second = {b, c}.
    assert_eq!((r.stages[0].reach, r.stages[0].reached_next), (3, 2));
    close(r.stages[0].conversion, 2.0 / 3.0);
    close(r.stages[0].median_time_in_stage_s, 7200.0);
    assert_eq!(r.stages[1].reach, 3);
    assert_eq!(r.stages[1].conversion, None);

    // Unmapped: two churn events, the survey and the page view, of 13 events.
    assert_eq!(r.unmapped.events, 4);
    close(r.unmapped.share, 4.0 / 13.0);
    assert_eq!(r.unmapped.top[0].event, "churned");
    assert_eq!(r.unmapped.top[0].count, 2);

    // Personas: young = c1, c3; old = c2, c4; c5 is not in the customers file.
    assert_eq!(r.personas["young"], 2);
    assert_eq!(r.personas["old"], 2);
    assert_eq!(r.personas["unassigned"], 1);
    assert_eq!(r.steps[0].personas["old"].reach, 2);
    assert_eq!(r.steps[0].personas["young"].reach, 1);
    close(r.outcomes["churn"].personas["old"], 1.0);

    // KPIs: conversion at a is 2/3 < 0.9 (breached); NPS at c is 100 >= 50 (met).
    assert_eq!(r.kpis.len(), 2);
    assert_eq!(r.kpi_breaches.len(), 1);
    assert_eq!(r.kpi_breaches[0].step, "a");
}

#[test]
fn persona_since_and_until_filter() {
    let r = run(EVENTS, |o| o.persona = Some("young".into())).unwrap();
    assert_eq!(r.inputs.customers_analysed, 2);
    assert_eq!(r.steps[0].figures.reach, 1);
    let r = run(EVENTS, |o| {
        o.since = trailmap_engine::time::parse_text("2026-01-01T00:30:00Z", Zone::Utc);
        o.until = trailmap_engine::time::parse_text("2026-02-01", Zone::Utc);
    })
    .unwrap();
    // Left: c1 b, c1 c, c2 a (day 2), c2 churned, c3 survey, c4 b.
    assert_eq!(r.inputs.analysed_events, 6);
    assert_eq!(r.steps[0].figures.reach, 1);
}

#[test]
fn bad_rows_name_file_row_and_column() {
    let broken = EVENTS.replace("c4,2026-01-01T03:00:00Z,b,web,", "c4,yesterday,b,web,");
    let error = run(&broken, |_| {}).unwrap_err().to_string();
    assert!(
        error.contains("row 11, column `timestamp`: `yesterday` is not a time"),
        "{error}"
    );

    let broken = EVENTS.replace(
        "c3,2026-01-01T01:00:00Z,survey,,10",
        "c3,2026-01-01T01:00:00Z,survey,,ten",
    );
    let error = run(&broken, |_| {}).unwrap_err().to_string();
    assert!(
        error.contains("row 9, column `nps`: `ten` is not a number"),
        "{error}"
    );

    let broken = EVENTS.replace(
        "c1,2026-01-01T01:00:00Z,b,web,",
        ",2026-01-01T01:00:00Z,b,web,",
    );
    let error = run(&broken, |_| {}).unwrap_err().to_string();
    assert!(
        error.contains("row 2, column `customer_id`: the customer id is missing"),
        "{error}"
    );

    let broken = EVENTS.replace(
        "c5,2026-01-01T00:00:00Z,page_viewed,web,",
        "c5,\"2026-01-01,page_viewed",
    );
    let error = run(&broken, |_| {}).unwrap_err().to_string();
    assert!(error.contains("events.csv"), "{error}");

    // Skipping: the bad row is counted and reported, the rest analysed.
    let broken = EVENTS.replace("c4,2026-01-01T03:00:00Z,b,web,", "c4,yesterday,b,web,");
    let r = run(&broken, |o| o.skip_bad_rows = true).unwrap();
    assert_eq!(r.inputs.bad_rows, 1);
    assert!(
        r.inputs.bad_row_examples[0].contains("row 11"),
        "{:?}",
        r.inputs.bad_row_examples
    );
    assert_eq!(r.steps[1].figures.reach, 2);
}

#[test]
fn unknown_columns_are_reported_before_the_scan() {
    let events = EVENTS.replace("channel", "chan");
    let error = run(&events, |_| {}).unwrap_err();
    match error {
        trailmap_engine::EngineError::UnknownColumn {
            column, available, ..
        } => {
            assert_eq!(column, "channel");
            assert!(available.contains(&"chan".to_owned()));
        }
        other => panic!("{other}"),
    }
}

#[test]
fn formats_agree() {
    // The same events as JSON Lines give the same figures as CSV.
    let mut jsonl = String::new();
    let mut lines = EVENTS.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let mut object = serde_json::Map::new();
        for (k, v) in header.iter().zip(fields) {
            if v.is_empty() {
                continue;
            }
            let value = if *k == "nps" {
                serde_json::json!(v.parse::<i64>().unwrap())
            } else {
                serde_json::json!(v)
            };
            object.insert((*k).to_owned(), value);
        }
        jsonl.push_str(&serde_json::Value::Object(object).to_string());
        jsonl.push('\n');
    }
    let dir = std::env::temp_dir().join(format!("trailmap-engine-jsonl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join("events.jsonl");
    std::fs::write(&path, jsonl).unwrap();
    let from_csv = run(EVENTS, |_| {}).unwrap();
    let from_jsonl = run(EVENTS, |o| o.events = vec![path.clone()]).unwrap();
    assert_eq!(from_csv.steps, from_jsonl.steps);
    assert_eq!(from_csv.stages, from_jsonl.stages);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn segment_events_become_columns() {
    let lines = [
        r#"{"type":"track","userId":"c1","event":"a","timestamp":"2026-01-01T00:00:00Z","properties":{"channel":"web"}}"#,
        r#"{"type":"page","userId":"c1","name":"Pricing","timestamp":"2026-01-01T00:30:00Z","properties":{"url":"/pricing"}}"#,
        r#"{"type":"track","userId":"c1","event":"b","timestamp":"2026-01-01T01:00:00Z","properties":{"channel":"web"}}"#,
        r#"{"type":"identify","userId":"c2","timestamp":"2026-01-01T00:00:00Z","traits":{"plan":"pro"}}"#,
        r#"{"type":"track","anonymousId":"anon-9","event":"c","timestamp":"2026-01-02T00:00:00Z","properties":{"channel":"web","nps":9}}"#,
    ];
    let dir = std::env::temp_dir().join(format!("trailmap-engine-segment-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("segment.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let r = run(EVENTS, |o| {
        o.events = vec![path.clone()];
        o.events_format = Some(trailmap_engine::FileFormat::Segment);
    })
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(r.inputs.customers_analysed, 3);
    // c1 reaches a, then b an hour later (the page view between them matches no step).
    assert_eq!(
        (r.steps[0].figures.reach, r.steps[0].figures.continued),
        (1, 1)
    );
    close(r.steps[0].figures.time_to_next.median_s, 3600.0);
    // The anonymous visitor's `c` event, with channel and nps from its properties.
    assert_eq!(r.steps[2].figures.reach, 1);
    close(r.steps[2].figures.feedback.nps.score, 100.0);
    assert_eq!(r.unmapped.events, 2);
    let names: Vec<&str> = r.unmapped.top.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(names, ["identify", "page_viewed"]);
}

const XES: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
  <string key="concept:name" value="tiny log"/>
  <global scope="event"><string key="concept:name" value="UNKNOWN"/></global>
  <trace>
    <string key="concept:name" value="c1"/>
    <int key="age" value="25"/>
    <event>
      <string key="concept:name" value="a"/>
      <date key="time:timestamp" value="2026-01-01T01:00:00.000+01:00"/>
      <string key="channel" value="web"/>
    </event>
    <event>
      <string key="concept:name" value="b"/>
      <date key="time:timestamp" value="2026-01-01T02:00:00.000+01:00"/>
      <string key="channel" value="web"><string key="nested" value="ignored"/></string>
      <int key="nps" value="10"/>
    </event>
  </trace>
  <trace>
    <string key="concept:name" value="c2"/>
    <event>
      <string key="concept:name" value="c"/>
      <date key="time:timestamp" value="2026-01-02T00:00:00Z"/>
      <string key="channel" value="web"/>
    </event>
  </trace>
</log>
"#;

#[test]
fn xes_traces_are_customers() {
    let dir = std::env::temp_dir().join(format!("trailmap-engine-xes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("log.xes");
    std::fs::write(&path, XES).unwrap();
    let r = run(EVENTS, |o| o.events = vec![path.clone()]).unwrap();
    assert_eq!(r.inputs.event_rows, 3);
    assert_eq!(r.inputs.customers_analysed, 2);
    // c1: a at 00:00Z, b at 01:00Z: continued after an hour; its nps 10 belongs to b.
    assert_eq!(
        (r.steps[0].figures.reach, r.steps[0].figures.continued),
        (1, 1)
    );
    close(r.steps[0].figures.time_to_next.median_s, 3600.0);
    close(r.steps[1].figures.feedback.nps.score, 100.0);
    assert_eq!(r.steps[2].figures.reach, 1);

    // A broken file names its line.
    std::fs::write(
        &path,
        XES.replace(
            "<event>\n      <string key=\"concept:name\" value=\"c\"/>",
            "<event>\n      <string key=\"concept:name\" value=\"c\"></event>",
        ),
    )
    .unwrap();
    let error = run(EVENTS, |o| o.events = vec![path.clone()])
        .unwrap_err()
        .to_string();
    assert!(error.contains("log.xes`: line 23: invalid XML"), "{error}");
    let _ = std::fs::remove_dir_all(&dir);
}
