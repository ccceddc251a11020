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
        assert!(!checked.has_errors(), "a map came back together with errors");
    }
    for pair in checked.diagnostics.windows(2) {
        assert!(pair[0].span.start <= pair[1].span.start, "diagnostics are not sorted by position: {pair:#?}");
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
const PUNCTUATION: &[char] = &[
    ':', '{', '}', '[', ']', '-', '\'', '"', '\n', '\t', ' ', '#', '&', '*', '!', '|', '>', '0', '1', '2', '3', '4', '5', '6',
    '7', '8', '9',
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
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
    Insert { at: usize, text: String },
    SwapLines { a: usize, b: usize },
    Indent { line: usize, delta: i8 },
}

fn edit() -> impl Strategy<Value = Edit> {
    let position = any::<usize>();
    let insert_text = proptest::collection::vec(proptest::sample::select(PUNCTUATION), 1..8)
        .prop_map(|chars| chars.into_iter().collect::<String>());
    prop_oneof![
        (position.clone(), 1..200usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (position.clone(), 1..400usize).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        (position.clone(), insert_text).prop_map(|(at, text)| Edit::Insert { at, text }),
        (position.clone(), position.clone()).prop_map(|(a, b)| Edit::SwapLines { a, b }),
        (position, -4..=4i8).prop_map(|(line, delta)| Edit::Indent { line, delta }),
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
    Plain,
    Single,
    Double,
    Literal,
}

const KEYS: &[&str] = &[
    "trailmap", "journey", "id", "name", "kind", "state", "based_on", "owner", "description", "objectives", "stakeholders",
    "personas", "share", "rule", "generation", "demographics", "goals", "behaviours", "expectations", "openness", "quotes",
    "channels", "departments", "lead", "stages", "steps", "match", "feedback", "optional", "department", "touchpoints",
    "channel", "initiator", "customer", "does", "goal", "thinks", "feels", "emotion", "business", "frontstage",
    "backstage", "employee", "tools", "pain_points", "text", "severity", "persona", "evidence", "source", "verified",
    "note", "opportunities", "status", "moment_of_truth", "kpis", "metric", "target", "direction", "outcome", "replaces",
    "outcomes", "data", "columns", "customer_id", "timestamp", "event", "time_zone", "windows", "repeat", "lint",
    "stale_after", "allow", "<<", "",
];

const WORDS: &[&str] = &[
    // Enum values of format v1.
    "purchase", "support", "success", "onboarding", "other", "current", "future", "low", "medium", "high", "email",
    "phone", "sms", "web", "app", "chat", "social", "review", "print", "store", "in-person", "customer", "company",
    "idea", "planned", "doing", "done", "observed", "research", "assumption", "proposed", "reach", "conversion",
    "drop_off", "time_to_next", "nps", "csat", "ces", "sentiment", "repeat_contact", "outcome", "at_least", "at_most",
    // Ids, and names of lint rules.
    "mia", "frank", "a", "x-1", "Bad Id", "marketing", "churn", "step-without-department", "stale-evidence", "E004",
    "online-retail-purchase.yaml", "../x.yaml", "/etc/passwd",
    // Numbers, booleans and nulls, in and out of range.
    "1", "2", "0", "-1", "-3", "3", "5", "6", "127", "128", "-129", "0.45", "1.5", "-0", "1e400", "-1e400", ".nan", ".inf",
    "-.inf", "0x1F", "0o17", "0xZZ", "99999999999999999999", "true", "false", "null", "~",
    // Dates and durations.
    "2026-10-02", "2026-02-30", "0000-01-01", "9999-12-31", "2026-1-1", "14d", "0d", "3h", "2w", "99999999999999999999d",
    "18446744073709551615s", "30x",
    // Expressions, valid and not.
    "event = 'ad_clicked'", "event IN ('a', 'b') AND channel = 'web'", "age BETWEEN 25 AND 40", "nps >= 9 OR x",
    "event = = 'a'", "event IN (", "'lonely text'", "order_value + 1", "event IN (SELECT x FROM y)", "é = 'ü' ß",
    "event = 'unterminated", "\"double\" = x", "NOT NOT NOT x", "((((x))))", "a = 'x' b",
    // Unicode and awkward text.
    "£4.95 — “quoted”", "日本語のテキスト", "e\u{301}", "\u{1F600}\u{200D}\u{1F600}", "tab\there", "line\nbreak", " ",
    "",
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
        2 => Just(Quoting::Double),
        1 => Just(Quoting::Single),
        1 => Just(Quoting::Literal),
    ];
    (text, quoting).prop_map(|(text, quoting)| Scalar { text, quoting })
}

/// Expressions that nest or chain deeply: the SQL parser and the checks that walk its tree.
fn nested_expression() -> impl Strategy<Value = String> {
    prop_oneof![
        (1..300usize).prop_map(|n| format!("{}x = 1{}", "(".repeat(n), ")".repeat(n))),
        (1..300usize).prop_map(|n| format!("{}x", "NOT ".repeat(n))),
        (1..2000usize).prop_map(|n| vec!["x = 1"; n].join(" AND ")),
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
            proptest::collection::vec((key(), inner), 0..8).prop_map(Value::Map),
        ]
    })
}

/// A root mapping that starts like a map (`trailmap: 1`, usually) and has the top-level keys
/// with random values underneath, so most inputs reach the schema and semantic checks.
fn document() -> impl Strategy<Value = Value> {
    let version = prop_oneof![
        8 => Just("1"),
        1 => Just("2"),
        1 => Just("one"),
    ];
    let top_keys = proptest::sample::subsequence(
        vec!["journey", "personas", "departments", "stages", "outcomes", "data", "lint"],
        0..=7,
    );
    (version, top_keys, proptest::collection::vec(value(), 7)).prop_map(|(version, keys, values)| {
        let mut entries = vec![(
            "trailmap".to_owned(),
            Value::Scalar(Scalar {
                text: version.to_owned(),
                quoting: Quoting::Plain,
            }),
        )];
        entries.extend(keys.into_iter().map(str::to_owned).zip(values));
        Value::Map(entries)
    })
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
        Value::Scalar(scalar) => write_scalar(out, &Scalar { quoting: flow_quoting(scalar.quoting), ..scalar.clone() }, indent),
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
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '<') {
        key.to_owned()
    } else {
        double_quoted(key)
    }
}

fn write_scalar(out: &mut String, scalar: &Scalar, indent: usize) {
    let text = &scalar.text;
    match scalar.quoting {
        // Plain is written as is, even when that is not valid YAML: a syntax error is one more
        // case the checker must survive.
        Quoting::Plain => out.push_str(text),
        Quoting::Single => {
            let _ = write!(out, "'{}'", text.replace('\'', "''"));
        }
        Quoting::Double => out.push_str(&double_quoted(text)),
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
        edits in proptest::collection::vec(edit(), 1..8),
        based_on_edits in proptest::collection::vec(edit(), 0..3),
    ) {
        let text = edited(EXAMPLES[example_idx], &edits);
        check(&text, &FixedLoader(Some(edited(CURRENT_MAP, &based_on_edits))));
    }

    #[test]
    fn grammar_documents(document in document(), flow_below in 0..8usize, loader_text in proptest::option::of(document())) {
        let text = to_yaml(&document, flow_below);
        check(&text, &FixedLoader(loader_text.map(|d| to_yaml(&d, 8))));
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
        ("id".to_owned(), Value::Scalar(Scalar { text: "s".to_owned(), quoting: Quoting::Plain })),
        ("name".to_owned(), Value::Scalar(Scalar { text: "S: \"x\"\n".to_owned(), quoting: Quoting::Double })),
        ("description".to_owned(), Value::Scalar(Scalar { text: "a\nb".to_owned(), quoting: Quoting::Literal })),
        ("steps".to_owned(), Value::Seq(vec![])),
    ]);
    let document = Value::Map(vec![
        ("trailmap".to_owned(), Value::Scalar(Scalar { text: "1".to_owned(), quoting: Quoting::Plain })),
        ("stages".to_owned(), Value::Seq(vec![stage])),
    ]);
    for flow_below in 0..4 {
        let text = to_yaml(&document, flow_below);
        let checked = trailmap_check::parse(&text);
        assert!(
            checked.diagnostics.iter().all(|d| d.code.name != "yaml-syntax"),
            "{text}\n{:#?}",
            checked.diagnostics
        );
    }
}
