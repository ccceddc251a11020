//! Writing a [`Map`] back to YAML, for the structured editor (parse → edit the `Map` → write).
//!
//! The project reads YAML with its own span-keeping parser and had no writer; a general YAML
//! serializer would be a large dependency for a small, fixed job. The map goes through
//! `serde_json::Value` (the model's serde shape, in field order, which is the order the format
//! documents) and is written in block style with two-space indents.
//!
//! Scalars are written so that every YAML 1.2 reader reads back exactly the same value:
//! a string is plain only when it is made of letters, digits, spaces and a few punctuation
//! marks, starts with a letter and is not a word some readers type (`true`, `no`, `null`, ...);
//! multi-line text becomes a literal block (`|` / `|-`) when that keeps every character;
//! anything else is double-quoted with escapes. `tests` round-trip hostile strings through
//! `trailmap-check`'s parser.
//!
//! What is lost: comments and the author's layout. The editor keeps the file's leading comment
//! lines (the `yaml-language-server` header) and warns before a structured edit when the source
//! has other comments.

use std::fmt::Write;

use serde_json::Value;
use trailmap_model::Map;
use trailmap_model::yaml_scalar::{needs_escape, push_double_quoted};

/// The map as YAML text, with `header` (leading comment lines, each starting with `#`) first.
pub fn map_to_yaml(map: &Map, header: &str) -> String {
    let value = serde_json::to_value(map).expect("a Map always serializes to JSON");
    let mut out = String::with_capacity(8 * 1024);
    for line in header.lines() {
        out.push_str(line);
        out.push('\n');
    }
    write_mapping_body(&mut out, &value, 0, false);
    out
}

/// The leading comment lines of a YAML text (and blank lines among them), to keep them when the
/// map is rewritten.
pub fn leading_comments(text: &str) -> String {
    let mut header = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            header.push_str(line.trim_end());
            header.push('\n');
        } else if trimmed.is_empty() {
            continue;
        } else {
            break;
        }
    }
    header
}

/// Whether the text has comments after its header: a structured edit would drop them.
pub fn has_inner_comments(text: &str) -> bool {
    let mut past_header = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if !past_header {
            if trimmed.starts_with('#') || trimmed.is_empty() {
                continue;
            }
            past_header = true;
        }
        if trimmed.starts_with('#') || line.contains(" #") {
            // ` #` may sit inside a quoted string; saying "may be lost" is then only cautious.
            return true;
        }
    }
    false
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Writes the entries of a mapping (a JSON object), one per line at `level`. After a sequence
/// dash (`after_dash`) the first entry shares the dash's line.
fn write_mapping_body(out: &mut String, value: &Value, level: usize, after_dash: bool) {
    let Value::Object(entries) = value else {
        if !after_dash {
            indent(out, level);
        }
        write_inline(out, value, level);
        out.push('\n');
        return;
    };
    for (i, (key, item)) in entries.iter().enumerate() {
        if i > 0 || !after_dash {
            indent(out, level);
        }
        write_string(out, key, level, false);
        out.push(':');
        write_value_after_key(out, item, level);
    }
}

fn write_value_after_key(out: &mut String, item: &Value, level: usize) {
    match item {
        Value::Object(entries) if !entries.is_empty() => {
            out.push('\n');
            write_mapping_body(out, item, level + 1, false);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_sequence_body(out, items, level + 1);
        }
        _ => {
            out.push(' ');
            write_inline(out, item, level + 1);
            out.push('\n');
        }
    }
}

fn write_sequence_body(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        indent(out, level);
        out.push_str("- ");
        match item {
            Value::Object(entries) if !entries.is_empty() => {
                write_mapping_body(out, item, level + 1, true);
            }
            _ => {
                // Nested sequences do not occur in the model; flow style (JSON) is valid YAML.
                write_inline(out, item, level + 1);
                out.push('\n');
            }
        }
    }
}

/// A value on the rest of a line: a scalar, `{}`/`[]`, or (never in the model) a flow collection.
fn write_inline(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => write_string(out, s, level, true),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_inline(out, item, level);
            }
            out.push(']');
        }
        Value::Object(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_double_quoted(out, key);
                out.push_str(": ");
                write_inline(out, item, level);
            }
            out.push('}');
        }
    }
}

/// A string scalar: plain when unambiguous, a literal block for multi-line text (only where a
/// block may stand, `allow_block`), else double-quoted. `level` is the block's content indent.
fn write_string(out: &mut String, s: &str, level: usize, allow_block: bool) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if allow_block && let Some(chomp) = literal_block_chomping(s) {
        out.push('|');
        out.push_str(chomp);
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                indent(out, level);
                out.push_str(line);
            }
        }
    } else {
        push_double_quoted(out, s);
    }
}

/// Words that some YAML reader (1.1 or 1.2) types as something other than text.
const RESERVED: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf",
];

fn is_plain_safe(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_alphabetic() || s.ends_with(' ') || s.len() > 200 {
        return false;
    }
    if RESERVED.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return false;
    }
    chars.all(|c| {
        c.is_alphanumeric()
            || matches!(
                c,
                ' ' | '_' | '-' | '.' | ',' | ';' | '(' | ')' | '/' | '\'' | '+'
            )
    }) && !s.contains("  ")
}

/// The chomping indicator for writing `s` as a literal block, or `None` when a block would not
/// keep `s` exactly (no newline to make it worth it, leading space on the first line, trailing
/// blank lines, a line of only spaces, a character that must be escaped).
fn literal_block_chomping(s: &str) -> Option<&'static str> {
    if !s.contains('\n') || s.contains('\r') || s.ends_with("\n\n") {
        return None;
    }
    let first = s.split('\n').next().unwrap_or("");
    if first.is_empty() || first.starts_with([' ', '\t']) {
        return None;
    }
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() && line.trim().is_empty() {
            return None;
        }
        if line.ends_with([' ', '\t']) {
            // Trailing whitespace survives a literal block, but editors strip it; quote instead.
            return None;
        }
    }
    if s.chars().any(needs_escape) {
        return None;
    }
    Some(if s.ends_with('\n') { "" } else { "-" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn examples() -> Vec<(String, String)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
        assert!(out.len() >= 3, "the examples folder has maps");
        out
    }

    #[test]
    fn every_example_map_round_trips() {
        for (name, text) in examples() {
            let map = trailmap_check::parse(&text)
                .map
                .unwrap_or_else(|| panic!("{name} is valid"));
            let written = map_to_yaml(&map, &leading_comments(&text));
            let checked = trailmap_check::parse(&written);
            assert!(
                !checked.has_errors(),
                "{name} written back has errors: {:?}\n{written}",
                checked.diagnostics
            );
            assert_eq!(checked.map.as_ref(), Some(&map), "{name}");
            // Writing is stable: the written text is written again unchanged.
            assert_eq!(
                map_to_yaml(checked.map.as_ref().unwrap(), ""),
                map_to_yaml(&map, "")
            );
        }
    }

    #[test]
    fn hostile_strings_come_back_exactly() {
        let (_, text) = examples().into_iter().next().unwrap();
        let base = trailmap_check::parse(&text).map.unwrap();
        let cases = [
            "plain words",
            "true",
            "No",
            "null",
            "~",
            "12",
            "0x1f",
            "-3.5",
            ".inf",
            "2024-01-01",
            "key: value",
            "a # not a comment",
            "#hash first",
            "- dash",
            "* star",
            "& amp",
            "! bang",
            "% percent",
            "@ at",
            "`tick`",
            "'single'",
            "\"double\"",
            "back\\slash",
            "[flow]",
            "{flow}",
            "trailing space ",
            " leading space",
            "two\nlines",
            "ends with newline\n",
            "two blank\n\n",
            "\nstarts with newline",
            "first\n  indented second",
            "spaces only line\n   \nafter",
            "tab\there",
            "cr\r\nlf",
            "nul\u{0}char",
            "bell\u{7}",
            "del\u{7f}",
            "c1\u{85}nel",
            "line\u{2028}sep",
            "bom\u{feff}",
            "<script>alert(1)</script>",
            "émoji 👩‍👩‍👧 שלום",
            "---",
            "...",
            "|",
            ">",
            "?",
            ":",
            "a:",
        ];
        for case in cases {
            let mut map = base.clone();
            map.stages[0].steps[0].name = case.to_owned();
            map.stages[0].steps[0].description = Some(case.to_owned());
            map.outcomes
                .insert(case.to_owned(), "event = 'x'".to_owned());
            let written = map_to_yaml(&map, "");
            let back = trailmap_check::parse(&written);
            let Some(back) = back.map else {
                panic!(
                    "{case:?} does not parse back: {:?}\n{written}",
                    back.diagnostics
                );
            };
            assert_eq!(back.stages[0].steps[0].name, case, "{written}");
            assert_eq!(
                back.stages[0].steps[0].description.as_deref(),
                Some(case),
                "{written}"
            );
            assert!(back.outcomes.contains_key(case), "{written}");
        }
    }

    #[test]
    fn keeps_the_header_and_notices_inner_comments() {
        let text = "# yaml-language-server: $schema=x\n\n# second\ntrailmap: 1\n# inner\n";
        assert_eq!(
            leading_comments(text),
            "# yaml-language-server: $schema=x\n# second\n"
        );
        assert!(has_inner_comments(text));
        assert!(!has_inner_comments("# head\ntrailmap: 1\nname: x\n"));
    }
}
