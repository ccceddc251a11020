//! `read_case_log`: event files into per-case, time-ordered activity sequences.

use std::path::{Path, PathBuf};

use trailmap_engine::log::{By, CaseLog, LogOptions, read_case_log};

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
      - {id: visit, name: Visit, department: d, match: "event IN ('home', 'search')"}
  - id: second
    name: Second
    steps:
      - {id: search, name: Search, department: d, match: "event = 'search'"}
      - {id: buy, name: Buy, department: d, match: "event = 'buy'"}
outcomes:
  churn: "event = 'churned'"
  renewal: "event = 'renewed'"
"#;

// c2 and c1 interleave; c1's rows are out of time order; c1 has two events at 10:00 (input
// order: buy, then home).
const EVENTS: &str = "\
customer_id,timestamp,event,revenue
c2,2026-01-01T09:00:00Z,home,
c1,2026-01-01T11:00:00Z,search,
c1,2026-01-01T10:00:00Z,buy,20
c2,2026-01-01T09:30:00Z,churned,
c1,2026-01-01T10:00:00Z,home,
c1,2026-01-01T08:00:00Z,survey,x
c3,2026-01-02T00:00:00Z,renewed,5.5
c1,2026-01-01T12:00:00Z,buy,22.5
";

const CUSTOMERS: &str = "customer_id,age\nc1,25\nc2,40\n";

struct Files {
    dir: PathBuf,
}

impl Files {
    fn new(name: &str) -> Files {
        let dir =
            std::env::temp_dir().join(format!("trailmap-log-test-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Files { dir }
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn map() -> trailmap_model::Map {
    trailmap_check::parse(MAP)
        .map
        .expect("the test map is valid")
}

fn read(
    map: Option<&trailmap_model::Map>,
    events: &Path,
    edit: impl FnOnce(&mut LogOptions),
) -> Result<CaseLog, trailmap_engine::EngineError> {
    let mut options = LogOptions {
        events: vec![events.to_owned()],
        ..LogOptions::default()
    };
    edit(&mut options);
    read_case_log(map, &options, &mut |_| {})
}

/// Each case as `id: activity activity ...`.
fn sequences(log: &CaseLog) -> Vec<String> {
    (0..log.cases.len())
        .map(|c| {
            let names: Vec<&str> = log
                .case_events(c)
                .iter()
                .map(|e| log.activities[e.activity as usize].as_str())
                .collect();
            format!("{}: {}", log.case_id(&log.cases[c]), names.join(" "))
        })
        .collect()
}

#[test]
fn by_event_groups_cases_and_sorts_stably_by_time() {
    let files = Files::new("event");
    let events = files.write("events.csv", EVENTS);
    let log = read(None, &events, |_| {}).unwrap();
    // Cases in order of first appearance; activities in order of first appearance.
    assert_eq!(
        sequences(&log),
        [
            "c2: home churned",
            // 08:00 survey, 10:00 buy and home (input order kept), 11:00 search, 12:00 buy.
            "c1: survey buy home search buy",
            "c3: renewed",
        ]
    );
    assert_eq!(
        log.activities,
        ["home", "search", "buy", "churned", "survey", "renewed"]
    );
    assert_eq!((log.rows_read, log.rows_dropped), (8, 0));
    assert_eq!(log.events.len(), 8);
    // Ranges tile the events.
    assert_eq!(log.cases[0].events, 0..2);
    assert_eq!(log.cases[1].events, 2..7);
    assert_eq!(log.cases[2].events, 7..8);
    // Without a map: no outcomes, no personas, no value.
    assert!(log.outcomes.is_empty() && log.personas.is_empty());
    assert_eq!(log.cases[1].value, None);
    let first = log.case_events(1)[0].time;
    assert_eq!(first, 1_767_254_400_000_000); // 2026-01-01T08:00:00Z
}

#[test]
fn by_step_takes_the_first_matching_step_and_drops_the_rest() {
    let files = Files::new("step");
    let events = files.write("events.csv", EVENTS);
    let customers = files.write("customers.csv", CUSTOMERS);
    let map = map();
    let log = read(Some(&map), &events, |o| {
        o.by = By::Step;
        o.customers = Some(customers.clone());
        o.value_col = Some("revenue".to_owned());
    })
    .unwrap();
    // Activities are the steps in map order. `search` matches `visit` and `search`: the first
    // in map order wins. churned, survey and renewed match no step: dropped.
    assert_eq!(log.activities, ["visit", "search", "buy"]);
    // c3 has no event left, so it is not a case.
    assert_eq!(sequences(&log), ["c2: visit", "c1: buy visit visit buy"]);
    assert_eq!((log.rows_read, log.rows_dropped), (8, 3));
    assert_eq!(log.outcomes, ["churn", "renewal"]);
    assert_eq!(log.personas, ["young", "old"]);
    // c2: churned (bit 0), persona old (1); c1: no outcome, persona young (0).
    assert_eq!(
        (log.cases[0].outcomes, log.cases[0].persona),
        (0b01, Some(1))
    );
    assert_eq!((log.cases[1].outcomes, log.cases[1].persona), (0, Some(0)));
    assert!(log.tallies.is_empty());
    // Revenue summed over all of the case's rows, the unparseable `x` left out.
    assert_eq!(log.cases[0].value, Some(0.0));
    assert_eq!(log.cases[1].value, Some(42.5));
}

#[test]
fn outcomes_are_set_by_event_too_with_a_map() {
    let files = Files::new("event-map");
    let events = files.write("events.csv", EVENTS);
    let map = map();
    let log = read(Some(&map), &events, |_| {}).unwrap();
    assert_eq!(log.cases[0].outcomes, 0b01);
    assert_eq!(log.cases[2].outcomes, 0b10);
    assert_eq!(log.cases[0].persona, None);
}

#[test]
fn by_step_needs_a_map() {
    let files = Files::new("nomap");
    let events = files.write("events.csv", EVENTS);
    let error = read(None, &events, |o| o.by = By::Step).unwrap_err();
    assert!(error.to_string().contains("need a map"), "{error}");
}

#[test]
fn since_and_until_filter_events() {
    let files = Files::new("period");
    let events = files.write("events.csv", EVENTS);
    let at = |t: &str| trailmap_engine::time::parse_text(t, trailmap_engine::Zone::Utc);
    let log = read(None, &events, |o| {
        o.since = at("2026-01-01T09:30:00Z");
        o.until = at("2026-01-02T00:00:00Z");
    })
    .unwrap();
    // Cases in order of their first event kept: c2's 09:00 event is left out.
    assert_eq!(sequences(&log), ["c1: buy home search buy", "c2: churned"]);
    assert_eq!(log.rows_outside_period, 3);
}

#[test]
fn bad_rows_name_file_row_and_column_or_are_skipped() {
    let files = Files::new("bad");
    let events = files.write(
        "events.csv",
        "customer_id,timestamp,event\nc1,2026-01-01T00:00:00Z,a\n,2026-01-01T00:00:00Z,a\nc1,soon,b\nc1,2026-01-02T00:00:00Z,c\n",
    );
    let error = read(None, &events, |_| {}).unwrap_err().to_string();
    assert!(
        error.contains("events.csv`, row 3, column `timestamp`") && error.contains("`soon`"),
        "{error}"
    );
    let log = read(None, &events, |o| o.skip_bad_rows = true).unwrap();
    assert_eq!(sequences(&log), ["c1: a c"]);
    assert_eq!(log.bad_rows.count, 2);
    assert!(
        log.bad_rows.examples[0].contains("row 2, column `customer_id`: the case id is missing"),
        "{:?}",
        log.bad_rows.examples
    );

    // A missing column is named before any row is read.
    let error = read(None, &events, |o| o.columns.event = "activity".to_owned())
        .unwrap_err()
        .to_string();
    assert!(error.contains("no column `activity`"), "{error}");
}

#[test]
fn xes_needs_no_column_flags() {
    let files = Files::new("xes");
    let path = files.write(
        "log.xes",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0">
  <trace>
    <string key="concept:name" value="case 1"/>
    <event><string key="concept:name" value="register"/><date key="time:timestamp" value="2026-01-01T10:00:00+01:00"/></event>
    <event><string key="concept:name" value="check &amp; decide"/><date key="time:timestamp" value="2026-01-01T09:30:00Z"/></event>
  </trace>
  <trace>
    <string key="concept:name" value="case 2"/>
    <event><string key="concept:name" value="register"/><date key="time:timestamp" value="2026-01-03T00:00:00Z"/></event>
  </trace>
</log>
"#,
    );
    let log = read(None, &path, |_| {}).unwrap();
    assert_eq!(
        sequences(&log),
        ["case 1: register check & decide", "case 2: register"]
    );
}

#[test]
fn several_files_make_one_log() {
    let files = Files::new("multi");
    let a = files.write(
        "a.csv",
        "customer_id,timestamp,event\nc1,2026-01-02,b\nc2,2026-01-01,a\n",
    );
    let b = files.write(
        "b.jsonl",
        "{\"customer_id\":\"c1\",\"timestamp\":\"2026-01-01\",\"event\":\"a\"}\n",
    );
    let log = read(None, &a, |o| o.events.push(b.clone())).unwrap();
    assert_eq!(sequences(&log), ["c1: a b", "c2: a"]);
    assert_eq!(log.files.len(), 2);
    assert_eq!((log.files[0].rows, log.files[1].rows), (2, 1));
}

#[test]
fn tallies_count_a_column_per_activity() {
    let files = Files::new("tally");
    let events = files.write(
        "events.csv",
        "customer_id,timestamp,event,channel\nc1,2026-01-01,a,web\nc2,2026-01-01,a,app\nc3,2026-01-01,a,web\nc1,2026-01-02,b,\n",
    );
    let log = read(None, &events, |o| o.tally_col = Some("channel".to_owned())).unwrap();
    assert_eq!(log.activities, ["a", "b"]);
    assert_eq!(
        log.tallies,
        [vec![("web".to_owned(), 2), ("app".to_owned(), 1)], vec![]]
    );
}

#[test]
fn resources_follow_their_events_through_grouping_and_sorting() {
    let files = Files::new("resources");
    // c1's rows are interleaved with c2's and out of time order.
    let events = files.write(
        "events.csv",
        "customer_id,timestamp,event,channel\nc1,2026-01-03,c,app\nc2,2026-01-01,a,\nc1,2026-01-01,a,web\nc1,2026-01-02,b,phone\n",
    );
    let log = read(None, &events, |o| {
        o.resource_cols = vec!["org:resource".to_owned(), "channel".to_owned()]
    })
    .unwrap();
    assert_eq!(sequences(&log), ["c1: a b c", "c2: a"]);
    let resources: Vec<Option<&str>> = (0..log.events.len()).map(|e| log.resource(e)).collect();
    assert_eq!(resources, [Some("web"), Some("phone"), Some("app"), None]);
    // Not asked for: not read.
    let log = read(None, &events, |_| {}).unwrap();
    assert!(log.resources.is_empty() && log.resource(0).is_none());
}

#[test]
fn many_interleaved_cases_keep_their_identity() {
    // More cases than the recent-id cache has slots, each coming back three times, plus ids
    // too long to be stored inline.
    let files = Files::new("many");
    let mut text = String::from("customer_id,timestamp,event\n");
    let n = 20_000;
    for round in 0..3 {
        for c in 0..n {
            let id = if c % 7 == 0 {
                format!("a-very-long-customer-identifier-{c:06}")
            } else {
                format!("c{c}")
            };
            text.push_str(&format!("{id},2026-01-0{}T00:00:00Z,e{round}\n", round + 1));
        }
    }
    let events = files.write("events.csv", &text);
    let log = read(None, &events, |_| {}).unwrap();
    assert_eq!(log.cases.len(), n);
    for (c, case) in log.cases.iter().enumerate() {
        let expected = if c % 7 == 0 {
            format!("a-very-long-customer-identifier-{c:06}")
        } else {
            format!("c{c}")
        };
        assert_eq!(log.case_id(case), expected);
        let names: Vec<&str> = log
            .case_events(c)
            .iter()
            .map(|e| log.activities[e.activity as usize].as_str())
            .collect();
        assert_eq!(names, ["e0", "e1", "e2"], "case {c}");
    }
}
