//! The draft as a map file: format v1 YAML written by hand, every user string through
//! [`quote`], so hostile event names give valid YAML and valid SQL.

use std::fmt::Write as _;

use trailmap_model::Channel;
use trailmap_model::yaml_scalar::double_quoted as quote;

use super::{Draft, DraftOptions};
use crate::conform::{percent, thousands};

/// A SQL string literal holding exactly `text` (single quotes doubled).
pub(crate) fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A column name as SQL: bare when it is a plain lower-case identifier, else double-quoted with
/// `"` doubled (XES keys like `concept:name`).
pub(crate) fn sql_column(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// A comment line's text: one line, no control characters.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub(crate) fn write(draft: &Draft, options: &DraftOptions) -> String {
    let mut out = String::new();
    let main: usize = draft.stages.iter().map(|s| s.steps.len()).sum();
    let _ = writeln!(
        out,
        "# yaml-language-server: $schema=https://trailmap.dev/schema/trailmap-v1.schema.json\n\
         #\n\
         # Drafted by `trailmap draft` from {}: {} cases, {} events.\n\
         # Steps: the {main} activities in at least {} of cases, in their typical order (how often\n\
         # other activities come before them), grouped into stages where customers wait longest\n\
         # (docs/conformance.md, \"trailmap draft\"). Review names and stages; add personas,\n\
         # departments, the customer's lanes and outcomes.",
        comment(&options.source),
        thousands(draft.cases),
        thousands(draft.events),
        percent(options.min_share),
    );
    out.push_str("trailmap: 1\n\njourney:\n");
    let _ = writeln!(out, "  id: {}", options.journey_id);
    let _ = writeln!(out, "  name: {}", quote(&options.journey_name));
    out.push_str("  kind: other\n  state: current\n");
    let _ = writeln!(
        out,
        "  description: {}",
        quote(&format!(
            "Drafted from {} cases of {}; edit it into the journey as the team designs it.",
            thousands(draft.cases),
            options.source
        ))
    );
    if !options.customer_columns.is_empty() {
        let columns: Vec<String> = options
            .customer_columns
            .iter()
            .map(|c| comment(c))
            .collect();
        let _ = writeln!(
            out,
            "\n# Personas: none drafted. Write `personas:` with a `rule` over the customers file's\n\
             # columns: {}",
            columns.join(", ")
        );
    }
    if let Some(data) = data_section(options) {
        out.push('\n');
        out.push_str(&data);
    }
    out.push_str("\nstages:\n");
    for stage in &draft.stages {
        let _ = writeln!(out, "  - id: {}", stage.id);
        let _ = writeln!(out, "    name: {}", quote(&stage.name));
        let _ = writeln!(out, "    description: {}", quote(&stage.description));
        out.push_str("    steps:\n");
        for step in &stage.steps {
            if let Some(spread) = step.spread.filter(|s| *s >= super::BACKGROUND_SPREAD) {
                let _ = writeln!(
                    out,
                    "      # Found anywhere in journeys (the middle half of its places spans {} of a\n      \
                     # journey): a background event? If so, delete this step or draft with --ignore.",
                    percent(spread)
                );
            }
            let _ = writeln!(out, "      - id: {}", step.id);
            let _ = writeln!(out, "        name: {}", quote(&step.name));
            let expression = format!(
                "{} = {}",
                sql_column(&options.event_col),
                sql_string(&step.event)
            );
            let _ = writeln!(out, "        match: {}", quote(&expression));
            if !step.touchpoints.is_empty() {
                out.push_str("        touchpoints:\n");
                for t in &step.touchpoints {
                    let mut fields = vec![format!("channel: {}", t.channel.as_str())];
                    if let Some(i) = t.initiator {
                        fields.push(format!("initiator: {}", i.as_str()));
                    }
                    if let Some(name) = &t.name {
                        fields.push(format!("name: {}", quote(name)));
                    }
                    let _ = writeln!(out, "          - {{{}}}", fields.join(", "));
                }
            }
            let mut evidence = vec!["source: observed".to_owned()];
            if let Some(date) = &options.verified {
                evidence.push(format!("verified: {}", quote(date)));
            }
            evidence.push(format!("note: {}", quote(&step.note)));
            let _ = writeln!(out, "        evidence: {{{}}}", evidence.join(", "));
        }
    }
    if !draft.rare.is_empty() {
        let _ = writeln!(
            out,
            "\n# Rarer activities (in fewer than {} of cases), not drafted as steps:",
            percent(options.min_share)
        );
        for r in &draft.rare {
            let _ = writeln!(
                out,
                "#   {}: {} case{} ({})",
                comment(&quote(&r.event)),
                thousands(r.cases),
                if r.cases == 1 { "" } else { "s" },
                percent(r.share)
            );
        }
        if draft.rare_total > draft.rare.len() as u64 {
            let _ = writeln!(
                out,
                "#   and {} more",
                thousands(draft.rare_total - draft.rare.len() as u64)
            );
        }
    }
    out
}

/// `data:` when the columns or the time zone are not the defaults, so `analyze` and `conform`
/// read the data the way the draft did.
fn data_section(options: &DraftOptions) -> Option<String> {
    let c = &options.columns;
    let mut columns = Vec::new();
    for (key, value, default) in [
        ("customer_id", &c.customer_id, "customer_id"),
        ("timestamp", &c.timestamp, "timestamp"),
        ("event", &c.event, "event"),
    ] {
        if value != default {
            columns.push(format!("{key}: {}", quote(value)));
        }
    }
    if columns.is_empty() && options.time_zone.is_none() {
        return None;
    }
    let mut out = String::from("data:\n");
    if !columns.is_empty() {
        let _ = writeln!(out, "  columns: {{{}}}", columns.join(", "));
    }
    if let Some(zone) = &options.time_zone {
        let _ = writeln!(out, "  time_zone: {}", quote(zone));
    }
    Some(out)
}

/// A touchpoint of a drafted step.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DraftTouchpoint {
    pub(crate) channel: Channel,
    pub(crate) initiator: Option<trailmap_model::Initiator>,
    pub(crate) name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_strings_round_trip_as_json_and_escape_what_yaml_folds() {
        for text in [
            "plain",
            "it's \"quoted\"",
            "back\\slash",
            "new\nline\r\ttab",
            "nul\u{0}bell\u{7}del\u{7f}c1\u{85}",
            "line\u{2028}para\u{2029}bom\u{feff}",
            "émoji 🚀 日本語",
            "# not a comment: {not: a map}, [nor a list] & *no alias",
        ] {
            let quoted = quote(text);
            // Every escape used is also a JSON escape, so JSON reads it back exactly.
            let back: String = serde_json::from_str(&quoted).unwrap();
            assert_eq!(back, text);
            for c in ['\u{85}', '\u{2028}', '\u{2029}', '\u{feff}', '\n', '\u{0}'] {
                assert!(!quoted.contains(c), "{quoted}");
            }
        }
    }

    #[test]
    fn sql_literals_and_columns() {
        assert_eq!(sql_string("order_placed"), "'order_placed'");
        assert_eq!(sql_string("it's"), "'it''s'");
        assert_eq!(sql_string("''"), "''''''");
        assert_eq!(sql_column("event"), "event");
        assert_eq!(sql_column("event_name2"), "event_name2");
        assert_eq!(sql_column("concept:name"), "\"concept:name\"");
        assert_eq!(sql_column("Event"), "\"Event\"");
        assert_eq!(sql_column("a\"b"), "\"a\"\"b\"");
    }
}
