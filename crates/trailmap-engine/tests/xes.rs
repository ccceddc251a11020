//! The XES reader on broken input: every problem names the file, the line and what is wrong;
//! with `skip_bad_rows` a bad event is skipped and counted, and the rest is read.

use trailmap_engine::log::{CaseLog, LogOptions, read_case_log};

/// A log with two traces; `{A}` is replaced inside the first trace's second event, `{T}` inside
/// the first trace, `{H}` in the header.
const TEMPLATE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>{H}
  <trace>
    <string key="concept:name" value="c1"/>{T}
    <event>
      <string key="concept:name" value="a"/>
      <date key="time:timestamp" value="2026-01-01T00:00:00.000+01:00"/>
    </event>
    <event>
      <string key="concept:name" value="b"/>{A}
    </event>
  </trace>
  <trace>
    <string key="concept:name" value="c2"/>
    <event>
      <string key="concept:name" value="a"/>
      <date key="time:timestamp" value="2026-01-02T00:00:00"/>
    </event>
  </trace>
</log>
"#;

const GOOD_TIME: &str = r#"<date key="time:timestamp" value="2026-01-01T01:00:00Z"/>"#;

fn log(header: &str, trace: &str, event: &str) -> String {
    TEMPLATE
        .replace("{H}", header)
        .replace("{T}", trace)
        .replace("{A}", event)
}

fn read(text: &str, skip: bool) -> Result<CaseLog, String> {
    let dir = std::env::temp_dir().join(format!("trailmap-xes-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // One file per text, so parallel tests do not share one.
    let name = format!("{:x}.xes", fxhash(text));
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let options = LogOptions {
        events: vec![path.clone()],
        skip_bad_rows: skip,
        ..LogOptions::default()
    };
    let result = read_case_log(None, &options, &mut |_| {}).map_err(|e| e.to_string());
    let _ = std::fs::remove_file(&path);
    result
}

fn fxhash(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// Each case as `id: activities`.
fn cases(log: &CaseLog) -> Vec<String> {
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

fn fails_with(text: &str, expected: &[&str]) -> String {
    let error = read(text, false).expect_err("the log is broken");
    assert!(
        error.contains(".xes`: line "),
        "names file and line: {error}"
    );
    for part in expected {
        assert!(error.contains(part), "`{part}` in: {error}");
    }
    error
}

#[test]
fn a_good_log_reads_with_naive_and_zoned_dates() {
    let log = read(&log("", "", GOOD_TIME), false).unwrap();
    assert_eq!(cases(&log), ["c1: a b", "c2: a"]);
    assert_eq!(log.bad_rows.count, 0);
}

#[test]
fn broken_xml_names_the_line_and_is_never_skipped() {
    let text = log(
        "",
        "",
        "<date key=\"time:timestamp\" value=\"2026-01-01T01:00:00Z\"></event>",
    );
    let error = fails_with(&text, &["line 11", "invalid XML"]);
    assert!(
        read(&text, true).unwrap_err() == error,
        "skip_bad_rows does not skip broken XML"
    );
    let good = log("", "", GOOD_TIME);
    let truncated = &good[..good
        .find("<event>\n      <string key=\"concept:name\" value=\"b\"")
        .unwrap()
        + 7];
    fails_with(truncated, &["the file ends inside <log><trace><event>"]);
    fails_with("<log><trace></log>", &["line 1", "invalid XML"]);
}

#[test]
fn a_trace_without_a_case_id() {
    let text = log("", "", GOOD_TIME).replace(r#"<string key="concept:name" value="c1"/>"#, "");
    // Named at the end of the trace's first event.
    fails_with(
        &text,
        &["line 9", "trace has no `concept:name` (its case id)"],
    );
    let skipped = read(&text, true).unwrap();
    assert_eq!(cases(&skipped), ["c2: a"]);
    assert_eq!(skipped.bad_rows.count, 2);
}

#[test]
fn an_unparseable_timestamp() {
    let text = log("", "", r#"<date key="time:timestamp" value="yesterday"/>"#);
    fails_with(
        &text,
        &[
            "line 11",
            "`time:timestamp` is a date, but `yesterday` is not an xs:dateTime",
        ],
    );
    let skipped = read(&text, true).unwrap();
    assert_eq!(cases(&skipped), ["c1: a", "c2: a"]);
    assert_eq!(skipped.bad_rows.count, 1);
    assert!(skipped.bad_rows.examples[0].contains("line 11"));
    // No timestamp at all.
    fails_with(
        &log("", "", ""),
        &["line 12", "an event has no `time:timestamp`"],
    );
}

#[test]
fn extensions() {
    // Keys with a prefix no extension declares are plain keys, as in pm4py.
    let attribute = r#"<string key="shop:basket" value="3 items"/>"#;
    let log_ok = read(&log("", "", &format!("{GOOD_TIME}{attribute}")), false).unwrap();
    assert_eq!(cases(&log_ok), ["c1: a b", "c2: a"]);
    // A broken declaration ends the read, skip or not.
    for (broken, missing) in [
        (
            r#"<extension name="Shop" uri="https://example.com/shop.xesext"/>"#,
            "prefix",
        ),
        (r#"<extension name="Shop" prefix="shop"/>"#, "uri"),
        (
            r#"<extension prefix="shop" uri="https://example.com/shop.xesext"/>"#,
            "name",
        ),
    ] {
        let error = read(&log(broken, "", GOOD_TIME), true).unwrap_err();
        assert!(
            error.contains(&format!("line 3: an <extension> has no `{missing}`")),
            "{error}"
        );
    }
    let error = read(
        &log(
            r#"<extension name="S" prefix="a:b" uri="u"/>"#,
            "",
            GOOD_TIME,
        ),
        false,
    )
    .unwrap_err();
    assert!(error.contains("the prefix `a:b`"), "{error}");
}

#[test]
fn a_bad_typed_value_in_a_trace_skips_the_whole_trace() {
    let text = log("", r#"<int key="age" value="forty"/>"#, GOOD_TIME);
    fails_with(
        &text,
        &[
            "line 5",
            "`age` is an int, but `forty` is not a whole number",
        ],
    );
    let skipped = read(&text, true).unwrap();
    assert_eq!(cases(&skipped), ["c2: a"]);
    assert_eq!(skipped.bad_rows.count, 2);
    for (value, kind, message) in [
        ("1.5", "int", "not a whole number"),
        ("abc", "float", "not a number"),
        ("yes", "boolean", "not true or false"),
    ] {
        let attribute = format!(r#"<{kind} key="x" value="{value}"/>"#);
        fails_with(&log("", "", &format!("{GOOD_TIME}{attribute}")), &[message]);
    }
}

#[test]
fn an_empty_log_is_an_empty_case_log() {
    let log = read(
        r#"<?xml version="1.0"?><log xes.version="1.0"></log>"#,
        false,
    )
    .unwrap();
    assert!(log.cases.is_empty() && log.events.is_empty());
    let error = read("", false).map(|l| l.cases.len());
    assert_eq!(error, Ok(0), "an empty file has no events");
}
