//! `check` never panics, whatever the text, and every diagnostic it returns points inside it.
//!
//! This is the checker's architecture invariant, tested from three directions:
//! 1. arbitrary bytes and unicode, and YAML-flavoured noise;
//! 2. the example maps with random edits (deleted and duplicated ranges, inserted YAML
//!    punctuation, swapped lines, changed indentation), so most inputs get past the YAML parser
//!    and into validation, semantics and lints;
//! 3. structured YAML built from a small grammar of the format's own keys and values, written
//!    in block or flow style with varied quoting, so the schema and semantic checks see maps
//!    that are almost right.
//!
//! Each property runs 256 cases by default (a few seconds in debug); set `PROPTEST_CASES` for a
//! longer run, e.g. `PROPTEST_CASES=20000 cargo test --release -p trailmap-check --test no_panic`.
//! A panic found here gets a plain `#[test]` reproducer at the bottom of this file.

use std::fmt::Write as _;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::Config;
use trailmap_check::{CheckOptions, Checked, Loader};
use trailmap_diag::render::{Color, human, json, short};
use trailmap_diag::{Diagnostic, SourceFile, Span};

const EXAMPLES: [&str; 4] = [
    include_str!("../../../examples/online-retail-purchase.yaml"),
    include_str!("../../../examples/online-retail-purchase-future.yaml"),
    include_str!("../../../examples/subscription-success.yaml"),
    include_str!("../../../examples/support-contact.yaml"),
];

/// The current map that the future example names in `based_on`.
const CURRENT_MAP: &str = EXAMPLES[0];

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        // Failures become `#[test]` reproducers below instead of files next to the source.
        failure_persistence: None,
        max_shrink_time: 60_000,
        ..Config::default()
    }
}

/// Serves `based_on` with a fixed text, or fails to read it.
struct FixedLoader(Option<String>);

impl Loader for FixedLoader {
    fn read(&self, _relative_path: &str) -> std::io::Result<String> {
        self.0
            .clone()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
    }
}

/// Checks `text` (with `based_on` served by `loader`) and asserts everything the caller relies
/// on: no panic, diagnostics sorted, spans inside the text on char boundaries, renderable.
fn check(text: &str, loader: &FixedLoader) {
    let options = CheckOptions {
        today: NaiveDate::from_ymd_opt(2027, 6, 1),
    };
    let checked = trailmap_check::check(text, &options, Some(loader));
    assert_sound(text, &checked);
    // Without a loader and without a date the checker takes other paths (no based_on, no stale
    // evidence); `parse` is what renderers call.
    let parsed = trailmap_check::parse(text);
    assert_sound(text, &parsed);
}

fn assert_sound(text: &str, checked: &Checked) {
    if checked.map.is_some() {
        assert!(
            !checked.has_errors(),
            "a map came back together with errors"
        );
    }
    for pair in checked.diagnostics.windows(2) {
        assert!(
            pair[0].span.start <= pair[1].span.start,
            "diagnostics are not sorted by position: {pair:#?}"
        );
    }
    let file = SourceFile::new("x", text);
    for diagnostic in &checked.diagnostics {
        assert_span(text, diagnostic.span, diagnostic);
        for label in &diagnostic.secondary {
            assert_span(text, label.span, diagnostic);
        }
        let _ = human::render(&file, diagnostic, Color::Never);
        let _ = human::render(&file, diagnostic, Color::Always);
        let _ = short::render(&file, diagnostic);
        let _ = json::to_json(&file, diagnostic);
    }
}

fn assert_span(text: &str, span: Span, diagnostic: &Diagnostic) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "span {span:?} is outside the text ({} bytes): {diagnostic:#?}",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "span {span:?} splits a character: {diagnostic:#?}"
    );
}

// 1. Noise.

/// Characters that mean something to YAML, and digits.
#[rustfmt::skip]
const PUNCTUATION: &[char] = &[
    ':', '{', '}', '[', ']', '-', '\'', '"', '\n', '\t', ' ', '#', '&', '*', '!', '|', '>', '0',
    '1', '2', '3', '4', '5', '6', '7', '8', '9',
];

fn yaml_noise() -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        4 => proptest::sample::select(PUNCTUATION),
        2 => proptest::char::range('a', 'z'),
        1 => any::<char>(),
    ];
    proptest::collection::vec(chars, 0..400).prop_map(|chars| chars.into_iter().collect())
}

// 2. Edits of the example maps.

#[derive(Debug, Clone)]
enum Edit {
    /// Replaces the word (a run of letters, digits, `_` and `-`) around `at`: keeps the YAML
    /// valid and changes ids, references, enum values, numbers and dates.
    ReplaceWord {
        at: usize,
        word: &'static str,
    },
    Delete {
        at: usize,
        len: usize,
    },
    Duplicate {
        at: usize,
        len: usize,
    },
    Insert {
        at: usize,
        text: String,
    },
    SwapLines {
        a: usize,
        b: usize,
    },
    Indent {
        line: usize,
        delta: i8,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    let position = any::<usize>();
    let insert_text = proptest::collection::vec(proptest::sample::select(PUNCTUATION), 1..8)
        .prop_map(|chars| chars.into_iter().collect::<String>());
    prop_oneof![
        10 => (position, proptest::sample::select(WORDS)).prop_map(|(at, word)| Edit::ReplaceWord { at, word }),
        1 => (position, 1..200usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        1 => (position, 1..400usize).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        1 => (position, insert_text).prop_map(|(at, text)| Edit::Insert { at, text }),
        1 => (position, position).prop_map(|(a, b)| Edit::SwapLines { a, b }),
        1 => (position, -4..=4i8).prop_map(|(line, delta)| Edit::Indent { line, delta }),
    ]
}

/// `at` modulo the text's length, moved back to a char boundary.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, edit: &Edit) {
    match edit {
        Edit::ReplaceWord { at, word } => {
            let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
            let at = boundary(text, *at);
            let start = text[..at]
                .char_indices()
                .rev()
                .find(|&(_, c)| !is_word(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            let end = text[at..]
                .find(|c: char| !is_word(c))
                .map_or(text.len(), |i| at + i);
            text.replace_range(start..end, word);
        }
        Edit::Delete { at, len } => {
            let start = boundary(text, *at);
            let end = boundary(text, start.saturating_add(*len).min(text.len()));
            text.replace_range(start..end, "");
        }
        Edit::Duplicate { at, len } => {
            let start = boundary(text, *at);
            let end = boundary(text, start.saturating_add(*len).min(text.len()));
            let copy = text[start..end].to_owned();
            text.insert_str(end, &copy);
        }
        Edit::Insert { at, text: insert } => {
            let at = boundary(text, *at);
            text.insert_str(at, insert);
        }
        Edit::SwapLines { a, b } => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let (a, b) = (a % lines.len(), b % lines.len());
            lines.swap(a, b);
            *text = lines.join("\n");
        }
        Edit::Indent { line, delta } => {
            let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
            let idx = line % lines.len();
            let line = &mut lines[idx];
            if *delta >= 0 {
                line.insert_str(0, &" ".repeat(delta.unsigned_abs().into()));
            } else {
                let n_spaces = line.len() - line.trim_start_matches(' ').len();
                line.replace_range(..n_spaces.min(delta.unsigned_abs().into()), "");
            }
            *text = lines.join("\n");
        }
    }
}

fn edited(example: &str, edits: &[Edit]) -> String {
    let mut text = example.to_owned();
    for edit in edits {
        apply(&mut text, edit);
    }
    text
}

// 3. Structured YAML from a grammar of the format's keys and values.

#[derive(Debug, Clone)]
enum Value {
    Scalar(Scalar),
    Seq(Vec<Value>),
    Map(Vec<(String, Value)>),
}

#[derive(Debug, Clone)]
struct Scalar {
    text: String,
    quoting: Quoting,
}

#[derive(Debug, Clone, Copy)]
enum Quoting {
    /// Plain when that is valid YAML, double quotes otherwise.
    Plain,
    /// Written as is, even when that is not valid YAML: one more case the checker must survive.
    Raw,
    Single,
    Double,
    Literal,
}

#[rustfmt::skip]
const KEYS: &[&str] = &[
    "trailmap", "journey", "id", "name", "kind", "state", "based_on", "owner", "description",
    "objectives", "stakeholders", "personas", "share", "rule", "generation", "demographics",
    "goals", "behaviours", "expectations", "openness", "quotes", "channels", "departments", "lead",
    "stages", "steps", "match", "feedback", "optional", "department", "touchpoints", "channel",
    "initiator", "customer", "does", "goal", "thinks", "feels", "emotion", "business", "frontstage",
    "backstage", "employee", "tools", "pain_points", "text", "severity", "persona", "evidence",
    "source", "verified", "note", "opportunities", "status", "moment_of_truth", "kpis", "metric",
    "target", "direction", "outcome", "replaces", "outcomes", "data", "columns", "customer_id",
    "timestamp", "event", "time_zone", "windows", "repeat", "lint", "stale_after", "allow", "<<",
    "",
];

#[rustfmt::skip]
const WORDS: &[&str] = &[
    // Enum values of format v1.
    "purchase", "support", "success", "onboarding", "other", "current", "future", "low", "medium",
    "high", "email", "phone", "sms", "web", "app", "chat", "social", "review", "print", "store",
    "in-person", "customer", "company", "idea", "planned", "doing", "done", "observed", "research",
    "assumption", "proposed", "reach", "conversion", "drop_off", "time_to_next", "nps", "csat",
    "ces", "sentiment", "repeat_contact", "outcome", "at_least", "at_most",
    // Ids, and names of lint rules.
    "mia", "frank", "a", "x-1", "Bad Id", "marketing", "churn", "step-without-department",
    "stale-evidence", "E004", "online-retail-purchase.yaml", "../x.yaml", "/etc/passwd",
    // Numbers, booleans and nulls, in and out of range.
    "1", "2", "0", "-1", "-3", "3", "5", "6", "127", "128", "-129", "0.45", "1.5", "-0", "1e400",
    "-1e400", ".nan", ".inf", "-.inf", "0x1F", "0o17", "0xZZ", "99999999999999999999", "true",
    "false", "null", "~",
    // Dates and durations.
    "2026-10-02", "2026-02-30", "0000-01-01", "9999-12-31", "2026-1-1", "14d", "0d", "3h", "2w",
    "99999999999999999999d", "18446744073709551615s", "30x",
    // Expressions, valid and not.
    "event = 'ad_clicked'", "event IN ('a', 'b') AND channel = 'web'", "age BETWEEN 25 AND 40",
    "nps >= 9 OR x", "event = = 'a'", "event IN (", "'lonely text'", "order_value + 1",
    "event IN (SELECT x FROM y)", "é = 'ü' ß", "event = 'unterminated", "\"double\" = x",
    "NOT NOT NOT x", "((((x))))", "a = 'x' b",
    // Unicode and awkward text.
    "£4.95 — “quoted”", "日本語のテキスト", "e\u{301}", "\u{1F600}\u{200D}\u{1F600}", "tab\there",
    "line\nbreak", " ", "",
];

fn scalar() -> impl Strategy<Value = Scalar> {
    let text = prop_oneof![
        6 => proptest::sample::select(WORDS).prop_map(str::to_owned),
        1 => any::<String>(),
        1 => "[a-z ]{0,20}",
        1 => nested_expression(),
    ];
    let quoting = prop_oneof![
        6 => Just(Quoting::Plain),
        1 => Just(Quoting::Raw),
        2 => Just(Quoting::Double),
        1 => Just(Quoting::Single),
        1 => Just(Quoting::Literal),
    ];
    (text, quoting).prop_map(|(text, quoting)| Scalar { text, quoting })
}

/// Expressions that nest or chain deeply: the SQL parser and the checks that walk its tree.
/// Chains of `AND` stay short here because long ones overflow the stack, which aborts the whole
/// test binary; `long_and_chain_overflows_the_stack` below covers them in a child process.
fn nested_expression() -> impl Strategy<Value = String> {
    prop_oneof![
        (1..300usize).prop_map(|n| format!("{}x = 1{}", "(".repeat(n), ")".repeat(n))),
        (1..300usize).prop_map(|n| format!("{}x", "NOT ".repeat(n))),
        (1..3000usize).prop_map(|n| vec!["x = 1"; n].join(" AND ")),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(KEYS).prop_map(str::to_owned),
        1 => "[a-z_]{1,12}",
        1 => any::<String>(),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = scalar().prop_map(Value::Scalar);
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Seq),
            proptest::collection::vec((key(), inner), 0..8).prop_map(mapping),
        ]
    })
}

type Field = Option<(String, Value)>;

fn plain(text: &str) -> Value {
    Value::Scalar(Scalar {
        text: text.to_owned(),
        quoting: Quoting::Plain,
    })
}

/// A value of the right shape most of the time, and anything at all otherwise.
fn shaped(shape: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Value> {
    prop_oneof![12 => shape, 1 => value()].boxed()
}

/// A key that is usually there.
fn required(
    key: &'static str,
    shape: impl Strategy<Value = Value> + 'static,
) -> BoxedStrategy<Field> {
    proptest::option::weighted(0.95, shaped(shape).prop_map(move |v| (key.to_owned(), v))).boxed()
}

/// A key that is there half of the time.
fn optional(
    key: &'static str,
    shape: impl Strategy<Value = Value> + 'static,
) -> BoxedStrategy<Field> {
    proptest::option::of(shaped(shape).prop_map(move |v| (key.to_owned(), v))).boxed()
}

/// A mapping with the given fields, and now and then a stray key.
fn object(fields: Vec<BoxedStrategy<Field>>) -> BoxedStrategy<Value> {
    (fields, proptest::option::weighted(0.05, (key(), value())))
        .prop_map(|(fields, stray)| mapping(fields.into_iter().flatten().chain(stray).collect()))
        .boxed()
}

/// A mapping; keys may repeat, as in hand-written files.
fn mapping(entries: Vec<(String, Value)>) -> Value {
    Value::Map(entries)
}

fn list(item: impl Strategy<Value = Value> + 'static, max: usize) -> BoxedStrategy<Value> {
    proptest::collection::vec(item, 0..=max)
        .prop_map(Value::Seq)
        .boxed()
}

fn one_of(words: &'static [&'static str]) -> BoxedStrategy<Value> {
    proptest::sample::select(words).prop_map(plain).boxed()
}

/// Few ids, so references sometimes resolve, sometimes do not, and ids are sometimes repeated.
fn id() -> BoxedStrategy<Value> {
    one_of(&[
        "a",
        "b",
        "c",
        "mia",
        "frank",
        "marketing",
        "support",
        "churn",
        "Bad Id",
        "-x",
        "",
    ])
}

fn text() -> BoxedStrategy<Value> {
    let words = prop_oneof![
        4 => "[A-Za-z][A-Za-z ,.]{0,30}",
        1 => proptest::sample::select(WORDS).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    let quoting = prop_oneof![
        Just(Quoting::Double),
        Just(Quoting::Single),
        Just(Quoting::Literal)
    ];
    (words, quoting)
        .prop_map(|(text, quoting)| Value::Scalar(Scalar { text, quoting }))
        .boxed()
}

fn expression() -> BoxedStrategy<Value> {
    let expression = prop_oneof![
        4 => proptest::sample::select(EXPRESSIONS).prop_map(str::to_owned),
        1 => nested_expression(),
        1 => "[a-z_ =<>!'(),0-9]{0,40}",
    ];
    expression
        .prop_map(|text| {
            Value::Scalar(Scalar {
                text,
                quoting: Quoting::Double,
            })
        })
        .boxed()
}

const EXPRESSIONS: &[&str] = &[
    "event = 'ad_clicked'",
    "event IN ('a', 'b') AND channel = 'web'",
    "age BETWEEN 25 AND 40",
    "nps >= 9 OR x",
    "text LIKE '%late%'",
    "starts_with(event, 'page_')",
    "event = = 'a'",
    "event IN (",
    "'lonely text'",
    "order_value + 1",
    "event IN (SELECT x FROM y)",
    "EXISTS (SELECT 1)",
    "é = 'ü' ß",
    "event = 'unterminated",
    "\"double\" = x",
    "a = 'x' b",
    "CASE WHEN x THEN 1 END",
    "x::int > 3",
    "",
    "   ",
];

fn integer(range: std::ops::RangeInclusive<i64>) -> BoxedStrategy<Value> {
    prop_oneof![
        4 => range.prop_map(|n| plain(&n.to_string())),
        1 => one_of(&["-1", "0", "6", "128", "-129", "1.5", "99999999999999999999"]),
    ]
    .boxed()
}

fn number() -> BoxedStrategy<Value> {
    one_of(&[
        "0", "0.25", "0.45", "1", "2.5", "80", "120", "-1", "1.5", "1e400", ".nan", "-.inf",
        "40000",
    ])
}

fn boolean() -> BoxedStrategy<Value> {
    one_of(&["true", "false", "yes", "1"])
}

fn date() -> BoxedStrategy<Value> {
    one_of(&[
        "2026-10-02",
        "2020-01-01",
        "2027-06-01",
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "9999-12-31",
        "2026-1-1",
    ])
}

fn duration() -> BoxedStrategy<Value> {
    one_of(&[
        "14d",
        "0d",
        "3h",
        "2w",
        "365d",
        "99999999999999999999d",
        "30000000000000w",
        "30x",
        "d",
    ])
}

#[rustfmt::skip]
const CHANNELS: &[&str] = &[
    "email", "phone", "sms", "other", "web", "app", "chat", "social", "review", "print", "store",
    "in-person", "fax",
];
#[rustfmt::skip]
const METRICS: &[&str] = &[
    "reach", "conversion", "drop_off", "time_to_next", "nps", "csat", "ces", "sentiment",
    "repeat_contact", "outcome", "ltv",
];

fn journey(state: &'static [&'static str]) -> BoxedStrategy<Value> {
    object(vec![
        required("id", id()),
        required("name", text()),
        required(
            "kind",
            one_of(&[
                "purchase",
                "support",
                "success",
                "onboarding",
                "other",
                "sales",
            ]),
        ),
        required("state", one_of(state)),
        optional("based_on", one_of(&["current.yaml", "../x.yaml", ""])),
        optional("owner", text()),
        optional("description", text()),
        optional("objectives", list(text(), 3)),
        optional("stakeholders", list(text(), 3)),
    ])
}

fn persona() -> BoxedStrategy<Value> {
    object(vec![
        required("id", id()),
        required("name", text()),
        optional("share", number()),
        optional("rule", expression()),
        optional("description", text()),
        optional("goals", list(text(), 2)),
        optional("openness", one_of(&["low", "medium", "high", "none"])),
        optional("quotes", list(text(), 2)),
        optional("channels", list(one_of(CHANNELS), 3)),
    ])
}

fn department() -> BoxedStrategy<Value> {
    object(vec![
        required("id", id()),
        required("name", text()),
        optional("lead", text()),
    ])
}

fn evidence() -> BoxedStrategy<Value> {
    object(vec![
        required(
            "source",
            one_of(&["observed", "research", "assumption", "proposed", "rumour"]),
        ),
        optional("verified", date()),
        optional("note", text()),
    ])
}

fn step() -> BoxedStrategy<Value> {
    let touchpoint = object(vec![
        required("channel", one_of(CHANNELS)),
        optional("initiator", one_of(&["customer", "company", "nobody"])),
        optional("name", text()),
        optional("department", id()),
    ]);
    let customer = object(vec![
        optional("does", text()),
        optional("goal", text()),
        optional("thinks", text()),
        optional("feels", text()),
        optional("emotion", integer(-2..=2)),
    ]);
    let business = object(vec![
        optional("frontstage", text()),
        optional("backstage", text()),
    ]);
    let employee = object(vec![
        optional("does", text()),
        optional("feels", text()),
        optional("tools", text()),
    ]);
    let pain_point = object(vec![
        required("text", text()),
        required("severity", integer(1..=5)),
        optional("persona", id()),
        optional("evidence", evidence()),
    ]);
    let opportunity = object(vec![
        required("text", text()),
        optional("owner", text()),
        optional(
            "status",
            one_of(&["idea", "planned", "doing", "done", "dropped"]),
        ),
    ]);
    let kpi = object(vec![
        required("metric", one_of(METRICS)),
        required("target", number()),
        optional("direction", one_of(&["at_least", "at_most", "sideways"])),
        optional("outcome", id()),
        optional("note", text()),
    ]);
    object(vec![
        required("id", id()),
        required("name", text()),
        optional("description", text()),
        optional("match", expression()),
        optional("feedback", expression()),
        optional("optional", boolean()),
        optional("personas", list(id(), 3)),
        optional("department", id()),
        optional("touchpoints", list(touchpoint, 3)),
        optional("customer", customer),
        optional("business", business),
        optional("employee", employee),
        optional("pain_points", list(pain_point, 3)),
        optional("opportunities", list(opportunity, 2)),
        optional("moment_of_truth", boolean()),
        optional("kpis", list(kpi, 3)),
        optional("evidence", evidence()),
        optional("replaces", list(id(), 2)),
    ])
}

fn stage() -> BoxedStrategy<Value> {
    object(vec![
        required("id", id()),
        required("name", text()),
        optional("description", text()),
        required("steps", list(step(), 4)),
    ])
}

/// A map of format v1 that is right in most places and wrong in a few.
fn document(state: &'static [&'static str]) -> BoxedStrategy<Value> {
    let outcomes = proptest::collection::vec(
        (
            proptest::sample::select(&["churn", "renewal", "a", ""][..]),
            expression(),
        ),
        0..3,
    )
    .prop_map(|entries| {
        mapping(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    });
    let columns = object(vec![
        optional("customer_id", text()),
        optional("timestamp", text()),
        optional("event", text()),
    ]);
    let windows = object(vec![
        optional("feedback", duration()),
        optional("outcome", duration()),
        optional("repeat", duration()),
    ]);
    let lint_rules = one_of(&[
        "step-without-department",
        "stale-evidence",
        "W001",
        "E004",
        "unknown-key",
        "no-such-rule",
    ]);
    object(vec![
        required("trailmap", one_of(&["1", "1", "1", "1", "2", "0", "one"])),
        required("journey", journey(state)),
        optional("personas", list(persona(), 3)),
        optional("departments", list(department(), 3)),
        required("stages", list(stage(), 3)),
        optional("outcomes", outcomes),
        optional(
            "data",
            object(vec![
                optional("columns", columns),
                optional("time_zone", text()),
                optional("windows", windows),
            ]),
        ),
        optional(
            "lint",
            object(vec![
                optional("stale_after", duration()),
                optional("allow", list(lint_rules, 2)),
            ]),
        ),
    ])
}

/// How to write a value: block style, or flow style below `flow_below` levels of nesting.
fn to_yaml(value: &Value, flow_below: usize) -> String {
    let mut out = String::new();
    write_block(&mut out, value, 0, flow_below);
    out
}

fn write_block(out: &mut String, value: &Value, indent: usize, flow_below: usize) {
    let pad = " ".repeat(indent);
    match value {
        Value::Map(entries) if !entries.is_empty() && indent / 2 < flow_below => {
            for (key, value) in entries {
                let _ = write!(out, "{pad}{}:", quote_key(key));
                write_nested(out, value, indent, flow_below);
            }
        }
        Value::Seq(items) if !items.is_empty() && indent / 2 < flow_below => {
            for item in items {
                let _ = write!(out, "{pad}-");
                write_nested(out, item, indent, flow_below);
            }
        }
        _ => {
            out.push_str(&pad);
            write_flow(out, value, indent);
            out.push('\n');
        }
    }
}

fn write_nested(out: &mut String, value: &Value, indent: usize, flow_below: usize) {
    match value {
        Value::Scalar(scalar) => {
            out.push(' ');
            write_scalar(out, scalar, indent + 2);
            out.push('\n');
        }
        _ => {
            out.push('\n');
            write_block(out, value, indent + 2, flow_below);
        }
    }
}

fn write_flow(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Scalar(scalar) => write_scalar(
            out,
            &Scalar {
                quoting: flow_quoting(scalar.quoting),
                ..scalar.clone()
            },
            indent,
        ),
        Value::Seq(items) => {
            out.push('[');
            for (idx, item) in items.iter().enumerate() {
                if idx > 0 {
                    out.push_str(", ");
                }
                write_flow(out, item, indent);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (idx, (key, value)) in entries.iter().enumerate() {
                if idx > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{}: ", quote_key(key));
                write_flow(out, value, indent);
            }
            out.push('}');
        }
    }
}

/// Literal block scalars cannot appear inside flow collections.
fn flow_quoting(quoting: Quoting) -> Quoting {
    match quoting {
        Quoting::Literal => Quoting::Double,
        other => other,
    }
}

fn quote_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '<')
    {
        key.to_owned()
    } else {
        double_quoted(key)
    }
}

fn write_scalar(out: &mut String, scalar: &Scalar, indent: usize) {
    let text = &scalar.text;
    match scalar.quoting {
        Quoting::Plain if is_plain_safe(text) => out.push_str(text),
        Quoting::Plain => out.push_str(&double_quoted(text)),
        Quoting::Raw => out.push_str(text),
        // Single quotes fold line breaks and cannot escape control characters.
        Quoting::Single if text.chars().any(char::is_control) => out.push_str(&double_quoted(text)),
        Quoting::Single => {
            let _ = write!(out, "'{}'", text.replace('\'', "''"));
        }
        Quoting::Double => out.push_str(&double_quoted(text)),
        // A literal block needs printable text whose first line does not start with a space.
        Quoting::Literal
            if text.starts_with([' ', '\t'])
                || text.chars().any(|c| c.is_control() && c != '\n') =>
        {
            out.push_str(&double_quoted(text));
        }
        Quoting::Literal => {
            out.push_str("|-");
            for line in text.split('\n') {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                out.push_str(line);
            }
        }
    }
}

/// Whether `text` reads back as itself when written as a plain scalar, in block or flow style
/// (conservatively: some safe texts are quoted anyway).
fn is_plain_safe(text: &str) -> bool {
    let safe_char = |c: char| c.is_alphanumeric() || " _-.+/~()=<>'".contains(c);
    !text.is_empty()
        && text.chars().all(safe_char)
        && !text.starts_with(['-', '\'', ' ', '~'])
        && !text.ends_with(' ')
}

fn double_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c) & 0xFFFF);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(&String::from_utf8_lossy(&bytes), &FixedLoader(None));
    }

    #[test]
    fn arbitrary_unicode(text in any::<String>()) {
        check(&text, &FixedLoader(None));
    }

    #[test]
    fn yaml_punctuation(text in yaml_noise()) {
        check(&text, &FixedLoader(Some(text.clone())));
    }

    #[test]
    fn edited_examples(
        example_idx in 0..EXAMPLES.len(),
        edits in proptest::collection::vec(edit(), 1..4),
        based_on_edits in proptest::collection::vec(edit(), 0..3),
    ) {
        let text = edited(EXAMPLES[example_idx], &edits);
        check(&text, &FixedLoader(Some(edited(CURRENT_MAP, &based_on_edits))));
    }

    #[test]
    fn grammar_documents(
        text in (document(&["current", "future", "past"]), 0..8usize).prop_map(|(d, flow_below)| to_yaml(&d, flow_below)),
        loader_text in proptest::option::of(document(&["current", "future"]).prop_map(|d| to_yaml(&d, 8))),
    ) {
        check(&text, &FixedLoader(loader_text));
    }
}

/// The unedited examples pass through the same assertions (and must not have errors).
#[test]
fn examples_are_sound() {
    for example in EXAMPLES {
        check(example, &FixedLoader(Some(CURRENT_MAP.to_owned())));
        assert!(!trailmap_check::parse(example).has_errors());
    }
}

/// The grammar's writer produces YAML that parses for ordinary values, so the grammar property
/// really reaches the checks after parsing.
#[test]
fn grammar_writer_writes_yaml() {
    let stage = Value::Map(vec![
        (
            "id".to_owned(),
            Value::Scalar(Scalar {
                text: "s".to_owned(),
                quoting: Quoting::Plain,
            }),
        ),
        (
            "name".to_owned(),
            Value::Scalar(Scalar {
                text: "S: \"x\"\n".to_owned(),
                quoting: Quoting::Double,
            }),
        ),
        (
            "description".to_owned(),
            Value::Scalar(Scalar {
                text: "a\nb".to_owned(),
                quoting: Quoting::Literal,
            }),
        ),
        ("steps".to_owned(), Value::Seq(vec![])),
    ]);
    let document = Value::Map(vec![
        (
            "trailmap".to_owned(),
            Value::Scalar(Scalar {
                text: "1".to_owned(),
                quoting: Quoting::Plain,
            }),
        ),
        ("stages".to_owned(), Value::Seq(vec![stage])),
    ]);
    for flow_below in 0..4 {
        let text = to_yaml(&document, flow_below);
        let checked = trailmap_check::parse(&text);
        assert!(
            checked
                .diagnostics
                .iter()
                .all(|d| d.code.name != "yaml-syntax"),
            "{text}\n{:#?}",
            checked.diagnostics
        );
    }
}

// Reproducers of bugs found by the properties above. Each asserts today's wrong behaviour, so
// the suite stays green, and fails once the bug is fixed: then turn it into a plain `check`.

/// Regression: a key repeated in one mapping, whose first value is an expression and whose
/// second is a longer, broken one, used to panic: the model kept the last value while the
/// positioned tree's lookup found the first.
#[test]
fn repeated_expression_key() {
    let text = "outcomes: {o: x, o: \"x AND 'a'\"}\n";
    check(text, &FixedLoader(None));
    let checked = trailmap_check::parse(text);
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.code.name == "duplicate-key")
    );
}

/// Set in the child process that `long_and_chain_overflows_the_stack` starts.
const CHILD: &str = "TRAILMAP_NO_PANIC_CHILD";

/// Regression: an expression chaining many conditions with `AND` used to overflow the stack
/// (the tree is as deep as the chain is long). It runs in a child process so that a
/// regression aborts only the child; the child must now end normally with a clean error.
#[test]
fn long_and_chain_is_refused_cleanly() {
    let output =
        std::process::Command::new(std::env::current_exe().expect("the test binary has a path"))
            .args([
                "--exact",
                "long_and_chain_child",
                "--test-threads=1",
                "--nocapture",
            ])
            .env(CHILD, "1")
            .output()
            .expect("the test binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the child failed:\n{stderr}");
}

/// Does its work only in the child process started by `long_and_chain_overflows_the_stack`.
#[test]
fn long_and_chain_child() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let chain = vec!["x = 1"; 100_000].join(" AND ");
    let text = format!(
        "trailmap: 1\njourney: {{id: j, name: J, kind: other, state: current}}\nstages:\n  - id: s\n    name: S\n    steps:\n      - id: a\n        name: A\n        match: \"{chain}\"\n"
    );
    check(&text, &FixedLoader(None));
    let checked = trailmap_check::parse(&text);
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.message.contains("the expression is too long")),
        "{:?}",
        checked.diagnostics
    );
}
