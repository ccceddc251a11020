//! A case log written as an IEEE 1849 XES event log, which process-mining tools (pm4py, ProM,
//! Disco, Celonis) open.
//!
//! One trace per case, one event per kept event, in the log's order (cases by first appearance,
//! events by time). Attributes:
//! - log: `concept:name` = the journey id (with a map);
//! - trace: `concept:name` = the case id; `persona` (when known); with a map, one boolean per
//!   outcome, `outcome_<id>`, true when the customer had it; `value` with a value column
//!   (plain keys: a `:` would name an extension no one declared);
//! - event: `concept:name` = the activity (the step id by step); with a map, `step_name` and
//!   `stage` (the step's name and stage id); `time:timestamp`; `lifecycle:transition` =
//!   `complete`; `org:resource` when the event has a resource.
//!
//! The Concept, Time, Lifecycle and Organizational extensions are declared, with globals and a
//! classifier, as the standard asks. Values are escaped for XML attributes (`&`, `<`, `>`, quotes,
//! and tab/newline/carriage return as character references so they survive attribute-value
//! normalisation); characters XML 1.0 cannot carry at all (other control characters) become
//! U+FFFD. Writing streams: nothing is built in memory but the current line.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};
use trailmap_engine::log::CaseLog;
use trailmap_model::Map;

const EXTENSIONS: [(&str, &str, &str); 4] = [
    (
        "Concept",
        "concept",
        "http://www.xes-standard.org/concept.xesext",
    ),
    ("Time", "time", "http://www.xes-standard.org/time.xesext"),
    (
        "Lifecycle",
        "lifecycle",
        "http://www.xes-standard.org/lifecycle.xesext",
    ),
    (
        "Organizational",
        "org",
        "http://www.xes-standard.org/org.xesext",
    ),
];

/// Writes `log` as XES to `out`. With `map`, activities are taken to be its steps (as read by
/// step): each event also gets the step's name and stage.
pub fn write_xes<W: Write>(log: &CaseLog, map: Option<&Map>, out: W) -> io::Result<()> {
    let mut xml = Writer::new_with_indent(out, b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    xml.write_event(Event::Start(BytesStart::from_content(
        r#"log xes.version="1.0" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/""#,
        3,
    )))?;
    for (name, prefix, uri) in EXTENSIONS {
        empty(
            &mut xml,
            "extension",
            &[("name", name), ("prefix", prefix), ("uri", uri)],
        )?;
    }
    xml.write_event(Event::Start(BytesStart::from_content(
        r#"global scope="trace""#,
        6,
    )))?;
    attribute(&mut xml, "string", "concept:name", "__INVALID__")?;
    xml.write_event(Event::End(BytesEnd::new("global")))?;
    xml.write_event(Event::Start(BytesStart::from_content(
        r#"global scope="event""#,
        6,
    )))?;
    attribute(&mut xml, "string", "concept:name", "__INVALID__")?;
    attribute(
        &mut xml,
        "date",
        "time:timestamp",
        "1970-01-01T00:00:00.000+00:00",
    )?;
    attribute(&mut xml, "string", "lifecycle:transition", "complete")?;
    xml.write_event(Event::End(BytesEnd::new("global")))?;
    empty(
        &mut xml,
        "classifier",
        &[("name", "Activity"), ("keys", "concept:name")],
    )?;
    if let Some(map) = map {
        attribute(&mut xml, "string", "concept:name", &map.journey.id)?;
    }

    // Per activity: (step name, stage id), when the activities are the map's steps.
    let steps: Vec<Option<(&str, &str)>> = log
        .activities
        .iter()
        .map(|a| {
            map.and_then(|m| {
                m.steps()
                    .find(|s| s.step.id == *a)
                    .map(|s| (s.step.name.as_str(), s.stage.id.as_str()))
            })
        })
        .collect();

    for case in &log.cases {
        xml.write_event(Event::Start(BytesStart::new("trace")))?;
        attribute(&mut xml, "string", "concept:name", log.case_id(case))?;
        if let Some(p) = case.persona {
            attribute(&mut xml, "string", "persona", &log.personas[p as usize])?;
        }
        for (o, outcome) in log.outcomes.iter().enumerate() {
            let had = case.outcomes & (1 << o) != 0;
            attribute(
                &mut xml,
                "boolean",
                &format!("outcome_{outcome}"),
                if had { "true" } else { "false" },
            )?;
        }
        if let Some(value) = case.value {
            attribute(&mut xml, "float", "value", &value.to_string())?;
        }
        for e in case.events.clone() {
            let event = log.events[e];
            xml.write_event(Event::Start(BytesStart::new("event")))?;
            attribute(
                &mut xml,
                "string",
                "concept:name",
                &log.activities[event.activity as usize],
            )?;
            if let Some((name, stage)) = steps[event.activity as usize] {
                attribute(&mut xml, "string", "step_name", name)?;
                attribute(&mut xml, "string", "stage", stage)?;
            }
            attribute(&mut xml, "date", "time:timestamp", &timestamp(event.time))?;
            attribute(&mut xml, "string", "lifecycle:transition", "complete")?;
            if let Some(resource) = log.resource(e) {
                attribute(&mut xml, "string", "org:resource", resource)?;
            }
            xml.write_event(Event::End(BytesEnd::new("event")))?;
        }
        xml.write_event(Event::End(BytesEnd::new("trace")))?;
    }
    xml.write_event(Event::End(BytesEnd::new("log")))?;
    xml.get_mut().write_all(b"\n")?;
    xml.into_inner().flush()
}

/// `<kind key=".." value=".."/>`.
fn attribute<W: Write>(xml: &mut Writer<W>, kind: &str, key: &str, value: &str) -> io::Result<()> {
    empty(xml, kind, &[("key", key), ("value", value)])
}

/// An empty element with escaped attribute values.
fn empty<W: Write>(xml: &mut Writer<W>, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
    let mut content = String::with_capacity(64);
    content.push_str(name);
    for (key, value) in attributes {
        content.push(' ');
        content.push_str(key);
        content.push_str("=\"");
        escape_into(value, &mut content);
        content.push('"');
    }
    xml.write_event(Event::Empty(BytesStart::from_content(content, name.len())))
}

/// Escapes `value` for a double-quoted XML attribute.
pub(crate) fn escape_into(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Attribute-value normalisation would turn these into spaces.
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

/// Whether XML 1.0 allows `c` in a document at all (production `Char`).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// An `xs:dateTime` in UTC: milliseconds, or microseconds when the time has them.
fn timestamp(micros: i64) -> String {
    let Some(t) = chrono::DateTime::from_timestamp_micros(micros) else {
        return "1970-01-01T00:00:00.000+00:00".to_owned();
    };
    if micros.rem_euclid(1000) == 0 {
        t.format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_for_attributes() {
        let mut out = String::new();
        escape_into("a&b<c>\"d'\te\nf\rg\u{1}h\u{7f}😀", &mut out);
        assert_eq!(
            out,
            "a&amp;b&lt;c&gt;&quot;d&apos;&#9;e&#10;f&#13;g\u{FFFD}h\u{7f}😀"
        );
    }

    #[test]
    fn timestamps_keep_microseconds_only_when_there_are_some() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000+00:00");
        assert_eq!(
            timestamp(1_767_225_600_123_000),
            "2026-01-01T00:00:00.123+00:00"
        );
        assert_eq!(
            timestamp(1_767_225_600_123_456),
            "2026-01-01T00:00:00.123456+00:00"
        );
        assert_eq!(timestamp(-1), "1969-12-31T23:59:59.999999+00:00");
    }
}
