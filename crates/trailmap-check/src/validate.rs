//! Structural checks: the node tree against format v1's JSON Schema.
//!
//! The schema derived from the model types is the single source of truth for what keys exist,
//! their types, ranges and allowed values. This module walks the YAML tree and the schema
//! together and reports every mismatch at the exact node (wrong type, missing or unknown key,
//! value outside its set or range, malformed id or date), all in one pass.
//!
//! It also *repairs* as it goes so that later checks still run: an unknown key is dropped, an
//! invalid optional value is dropped, a missing or invalid required value is replaced by a
//! placeholder (empty text, the range's minimum). The result always deserializes into
//! [`trailmap_model::Map`]. Placeholder ids are empty, and semantic checks ignore empty ids, so a
//! repair never causes a second, derived error.

use std::collections::HashMap;

use serde_json::{Map as JsonMap, Value};
use trailmap_diag::{Diagnostic, Span};

use crate::codes;
use crate::scalar::{Typed, type_of};
use crate::suggest;
use crate::yaml::{Node, NodeKind};

pub(crate) struct Validator<'s> {
    root: &'s Value,
    diagnostics: Vec<Diagnostic>,
    patterns: HashMap<&'s str, Option<regex_lite::Regex>>,
}

/// Where a value sits, for messages: the key it is under and the kind of object holding it.
#[derive(Clone, Copy)]
struct Place<'a> {
    key: Option<&'a str>,
    /// The schema definition holding the value (`CustomerLane`), or `map` at the top; turned
    /// into words (`customer lane`) only when a message needs it.
    owner: &'a str,
    /// The span of the key, when the value is under one (for "missing" problems in empty values).
    key_span: Option<Span>,
}

impl<'s> Validator<'s> {
    pub(crate) fn new(schema: &'s Value) -> Validator<'s> {
        Validator {
            root: schema,
            diagnostics: Vec::new(),
            patterns: HashMap::new(),
        }
    }

    /// Validates `node` against the root schema; returns the repaired JSON value and the problems.
    pub(crate) fn run(mut self, node: &Node) -> (Value, Vec<Diagnostic>) {
        let place = Place {
            key: None,
            owner: "map",
            key_span: None,
        };
        let value = self
            .value(node, self.root, place)
            .unwrap_or_else(|| self.placeholder(self.root));
        (value, self.diagnostics)
    }

    fn resolve(&self, schema: &'s Value) -> (&'s Value, Option<&'s str>) {
        let mut schema = schema;
        let mut name = None;
        for _ in 0..8 {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let def = reference.rsplit('/').next().unwrap_or(reference);
            match self.root.get("$defs").and_then(|defs| defs.get(def)) {
                Some(target) => {
                    schema = target;
                    name = Some(def);
                }
                None => break,
            }
        }
        (schema, name)
    }

    /// Returns `None` when the node is invalid as a whole (the caller drops or replaces it).
    fn value(&mut self, node: &Node, schema: &'s Value, place: Place<'_>) -> Option<Value> {
        let (schema, def_name) = self.resolve(schema);
        let place = match def_name {
            Some(name) => Place {
                owner: name,
                ..place
            },
            None => place,
        };

        if let Some(alternatives) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array)
        {
            return self.alternatives(node, schema, alternatives, place);
        }
        if schema.get("enum").is_some() || schema.get("const").is_some() {
            return self.one_of_values(node, &allowed_values(schema), place);
        }
        let types = types_of(schema);
        match &node.kind {
            NodeKind::Scalar { value, style } => {
                let typed = type_of(value, *style);
                self.scalar(node, value, &typed, schema, &types, place)
            }
            NodeKind::Seq(items) => {
                if !types.contains(&"array") {
                    self.wrong_type(node, &types, "a list", place);
                    return None;
                }
                let item_schema = schema.get("items").unwrap_or(&Value::Bool(true));
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let item_place = Place {
                        key_span: None,
                        ..place
                    };
                    match self.value(item, item_schema, item_place) {
                        Some(v) => out.push(v),
                        None => out.push(self.placeholder(item_schema)),
                    }
                }
                if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
                    && (items.len() as u64) < min
                {
                    let span = place.key_span.unwrap_or(node.span);
                    let key = place.key.unwrap_or("this list");
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::MISSING_KEY,
                            span,
                            format!("`{key}` is empty, but needs at least {min} item"),
                        )
                        .with_label("empty list"),
                    );
                }
                Some(Value::Array(out))
            }
            NodeKind::Map(_) => {
                if !types.contains(&"object") {
                    self.wrong_type(node, &types, "a mapping", place);
                    return None;
                }
                Some(self.object(node, schema, place))
            }
        }
    }

    fn alternatives(
        &mut self,
        node: &Node,
        schema: &'s Value,
        alternatives: &'s [Value],
        place: Place<'_>,
    ) -> Option<Value> {
        let resolved: Vec<&'s Value> = alternatives.iter().map(|a| self.resolve(a).0).collect();
        // A closed set of texts, written by schemars as one alternative per documented value.
        if resolved
            .iter()
            .all(|a| a.get("const").is_some() || a.get("enum").is_some())
        {
            let allowed: Vec<&Value> = resolved.iter().flat_map(|a| allowed_values(a)).collect();
            return self.one_of_values(node, &allowed, place);
        }
        // `Option<T>`: null, or T.
        let is_null = |a: &&Value| a.get("type").and_then(Value::as_str) == Some("null");
        if let NodeKind::Scalar { value, style } = &node.kind
            && type_of(value, *style) == Typed::Null
            && resolved.iter().any(is_null)
        {
            return Some(Value::Null);
        }
        let non_null: Vec<&'s Value> = alternatives
            .iter()
            .filter(|a| !is_null(&self.resolve(a).0))
            .collect();
        match non_null.as_slice() {
            [only] => self.value(node, only, place),
            _ => {
                let _ = schema;
                // No such schema in format v1; accept the value as it is rather than guess.
                Some(to_json(node))
            }
        }
    }

    fn one_of_values(
        &mut self,
        node: &Node,
        allowed: &[&Value],
        place: Place<'_>,
    ) -> Option<Value> {
        let texts: Vec<&str> = allowed.iter().filter_map(|v| v.as_str()).collect();
        let found = match &node.kind {
            NodeKind::Scalar { value, style } => {
                let typed = type_of(value, *style);
                let json = typed.to_json(value);
                if allowed.contains(&&json) {
                    return Some(json);
                }
                // `kind: Purchase` or `channel: "web "`: accept no near-miss silently, but say so.
                value.clone()
            }
            _ => {
                let key = place.key.unwrap_or("this value");
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::WRONG_TYPE,
                        node.span,
                        format!(
                            "`{key}` must be one of a fixed set of words, not a list or mapping"
                        ),
                    )
                    .with_help_opt(suggest::help(
                        "",
                        &texts,
                        "expected one of",
                    )),
                );
                return None;
            }
        };
        let key = place.key.unwrap_or("value");
        self.diagnostics.push(
            Diagnostic::error(
                codes::UNKNOWN_VALUE,
                node.span,
                format!("`{found}` is not a valid {key}"),
            )
            .with_label(format!("unknown {key}"))
            .with_help_opt(suggest::help(&found, &texts, "expected one of")),
        );
        None
    }

    fn scalar(
        &mut self,
        node: &Node,
        text: &str,
        typed: &Typed,
        schema: &'s Value,
        types: &[&str],
        place: Place<'_>,
    ) -> Option<Value> {
        let fits = match typed {
            Typed::Null => types.contains(&"null"),
            Typed::Bool(_) => types.contains(&"boolean"),
            Typed::Int(_) => types.contains(&"integer") || types.contains(&"number"),
            Typed::Float(f) => {
                types.contains(&"number")
                    || (types.contains(&"integer") && f.is_finite() && f.fract() == 0.0)
            }
            Typed::Str => types.contains(&"string"),
        };
        if !fits {
            if types.contains(&"string") && !matches!(typed, Typed::Null) {
                // `name: 2024` or `name: true`: YAML reads these as a number or boolean.
                let key = place.key.unwrap_or("this value");
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::WRONG_TYPE,
                        node.span,
                        format!(
                            "`{key}` must be a text, but YAML reads `{text}` as {}",
                            typed.kind_name()
                        ),
                    )
                    .with_label("not a text")
                    .with_help(format!("put it in quotes: \"{text}\"")),
                );
                return None;
            }
            self.wrong_type(node, types, typed.kind_name(), place);
            return None;
        }
        let json = match typed {
            Typed::Float(f) if types.contains(&"integer") && !types.contains(&"number") => {
                Value::Number((*f as i64).into())
            }
            _ => typed.to_json(text),
        };
        if let Value::Number(number) = &json {
            let n = number.as_f64().unwrap_or(f64::NAN);
            let min = schema.get("minimum").and_then(Value::as_f64);
            let max = schema.get("maximum").and_then(Value::as_f64);
            let below = min.is_some_and(|min| n < min) || n.is_nan();
            let above = max.is_some_and(|max| n > max);
            if below || above {
                let key = place.key.unwrap_or("this value");
                let range = match (min, max) {
                    (Some(min), Some(max)) => format!("from {} to {}", fmt_num(min), fmt_num(max)),
                    (Some(min), None) => format!("at least {}", fmt_num(min)),
                    (None, Some(max)) => format!("at most {}", fmt_num(max)),
                    (None, None) => "a number".to_owned(),
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::OUT_OF_RANGE,
                        node.span,
                        format!("`{key}` must be {range}, found {text}"),
                    )
                    .with_label("out of range")
                    .with_help_opt(range_help(place.key)),
                );
                return None;
            }
        }
        if let Value::String(s) = &json {
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
                && (s.chars().count() as u64) < min
            {
                let key = place.key.unwrap_or("this text");
                self.diagnostics.push(
                    Diagnostic::error(codes::MISSING_KEY, node.span, format!("`{key}` is empty"))
                        .with_label("needs a value"),
                );
                return None;
            }
            if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
                && !self.matches(pattern, s)
            {
                let key = place.key.unwrap_or("this text");
                let (what, help) = pattern_help(pattern, s);
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::INVALID_FORMAT,
                        node.span,
                        if key == what {
                            format!("`{s}` is not a valid {what}")
                        } else {
                            format!("`{s}` is not a valid {what} for `{key}`")
                        },
                    )
                    .with_label(format!("not a valid {what}"))
                    .with_help(help),
                );
                return None;
            }
        }
        Some(json)
    }

    fn matches(&mut self, pattern: &'s str, text: &str) -> bool {
        let regex = self
            .patterns
            .entry(pattern)
            .or_insert_with(|| regex_lite::Regex::new(pattern).ok());
        regex.as_ref().is_none_or(|r| r.is_match(text))
    }

    fn object(&mut self, node: &Node, schema: &'s Value, place: Place<'_>) -> Value {
        let NodeKind::Map(entries) = &node.kind else {
            return Value::Object(JsonMap::new());
        };
        static EMPTY: std::sync::OnceLock<JsonMap<String, Value>> = std::sync::OnceLock::new();
        let properties: &'s JsonMap<String, Value> =
            match schema.get("properties").and_then(Value::as_object) {
                Some(properties) => properties,
                None => EMPTY.get_or_init(JsonMap::new),
            };
        let additional = schema.get("additionalProperties");
        let mut out = JsonMap::new();
        for entry in entries {
            let Some(key) = entry.key.as_scalar() else {
                continue;
            };
            let child_place = Place {
                key: Some(key),
                owner: place.owner,
                key_span: Some(entry.key.span),
            };
            let child_schema = match properties.get(key) {
                Some(s) => s,
                None => match additional {
                    Some(Value::Bool(false)) => {
                        self.unknown_key(entry, properties, place);
                        continue;
                    }
                    Some(s @ Value::Object(_)) => s,
                    _ => {
                        out.insert(key.to_owned(), to_json(&entry.value));
                        continue;
                    }
                },
            };
            match self.value(&entry.value, child_schema, child_place) {
                Some(v) => {
                    out.insert(key.to_owned(), v);
                }
                None => {
                    if is_required(schema, key) {
                        out.insert(key.to_owned(), self.placeholder(child_schema));
                    }
                }
            }
        }
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if out.contains_key(required)
                || entries.iter().any(|e| e.key.as_scalar() == Some(required))
            {
                continue;
            }
            let span = entries.first().map_or(node.span, |e| e.key.span);
            let owner = humanize(place.owner);
            let help = match (owner.as_str(), required) {
                ("map", "trailmap") => "add `trailmap: 1` as the first line of the file".to_owned(),
                _ => format!("add `{required}:` to this {owner}"),
            };
            let span = if entries.is_empty() {
                place.key_span.unwrap_or(span)
            } else {
                span
            };
            self.diagnostics.push(
                Diagnostic::error(
                    codes::MISSING_KEY,
                    span,
                    format!("{} has no `{required}`", article(&owner)),
                )
                .with_label(format!("this {owner} needs `{required}`"))
                .with_help(help),
            );
            if let Some(s) = properties.get(required) {
                out.insert(required.to_owned(), self.placeholder(s));
            }
        }
        Value::Object(out)
    }

    fn unknown_key(
        &mut self,
        entry: &crate::yaml::Entry,
        properties: &'s JsonMap<String, Value>,
        place: Place<'_>,
    ) {
        let key = entry.key.as_scalar().unwrap_or_default();
        let names: Vec<&str> = properties.keys().map(String::as_str).collect();
        // A key that belongs one level down (e.g. `emotion:` directly under a step) is a
        // better explanation than a look-alike key at this level.
        let mut help = None;
        for (parent, schema) in properties {
            let (child, _) = self.resolve(schema);
            let child = child
                .get("anyOf")
                .and_then(Value::as_array)
                .and_then(|alts| {
                    alts.iter()
                        .map(|a| self.resolve(a).0)
                        .find(|a| a.get("properties").is_some())
                })
                .unwrap_or(child);
            let child = child
                .get("items")
                .map_or(child, |items| self.resolve(items).0);
            if child.get("properties").and_then(|p| p.get(key)).is_some() {
                help = Some(format!("`{key}` belongs under `{parent}:`"));
                break;
            }
        }
        if help.is_none() {
            help = suggest::closest(key, names.iter().copied())
                .map(|best| format!("did you mean `{best}`?"));
        }
        if help.is_none() {
            help = suggest::help(
                key,
                &names,
                &format!("{} has these keys", article(&humanize(place.owner))),
            );
        }
        self.diagnostics.push(
            Diagnostic::error(
                codes::UNKNOWN_KEY,
                entry.key.span,
                format!("unknown key `{key}` in {}", article(&humanize(place.owner))),
            )
            .with_label("unknown key")
            .with_help_opt(help),
        );
    }

    fn wrong_type(&mut self, node: &Node, types: &[&str], found: &str, place: Place<'_>) {
        let expected = types
            .iter()
            .filter(|t| **t != "null")
            .map(|t| match *t {
                "string" => "a text",
                "integer" => "a whole number",
                "number" => "a number",
                "boolean" => "true or false",
                "array" => "a list",
                "object" => "a mapping",
                other => other,
            })
            .collect::<Vec<_>>()
            .join(" or ");
        let key_name = place.key.unwrap_or("key");
        let key = place
            .key
            .map_or_else(|| "the file".to_owned(), |k| format!("`{k}`"));
        let scalar = node.as_scalar();
        let empty = matches!(scalar, Some(s) if s.is_empty());
        let help = if empty {
            Some(format!(
                "`{key_name}:` has no value; write it after the colon or indented on the lines below"
            ))
        } else if types.contains(&"array") {
            Some(format!(
                "write a list: `{key_name}: [a, b]` or one `- item` per line"
            ))
        } else if types.contains(&"object") && place.key.is_none() {
            Some("a map file is a mapping of keys, starting with `trailmap: 1`".to_owned())
        } else if (types.contains(&"integer") || types.contains(&"number"))
            && scalar.is_some_and(|s| s.trim().parse::<f64>().is_ok())
        {
            Some(format!(
                "remove the quotes: `{key_name}: {}`",
                scalar.unwrap_or_default().trim()
            ))
        } else {
            None
        };
        // An empty value has an empty span after the colon; the key shows the spot better.
        let span = match place.key_span {
            Some(key_span) if node.span.is_empty() => key_span,
            _ => node.span,
        };
        self.diagnostics.push(
            Diagnostic::error(
                codes::WRONG_TYPE,
                span,
                format!("{key} must be {expected}, found {found}"),
            )
            .with_label(format!("expected {expected}"))
            .with_help_opt(help),
        );
    }

    /// A value that satisfies `schema`'s types, for a required value that is missing or invalid.
    fn placeholder(&self, schema: &'s Value) -> Value {
        let (schema, _) = self.resolve(schema);
        if let Some(alternatives) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array)
        {
            return alternatives
                .first()
                .map_or(Value::Null, |a| self.placeholder(a));
        }
        if let Some(value) = allowed_values(schema).into_iter().next() {
            return value.clone();
        }
        match types_of(schema).first().copied() {
            Some("string") => Value::String(String::new()),
            Some("integer") | Some("number") => {
                let min = schema.get("minimum").and_then(Value::as_i64).unwrap_or(0);
                Value::Number(min.into())
            }
            Some("boolean") => Value::Bool(false),
            Some("array") => Value::Array(Vec::new()),
            Some("object") => {
                let mut out = JsonMap::new();
                for required in schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if let Some(s) = schema.get("properties").and_then(|p| p.get(required)) {
                        out.insert(required.to_owned(), self.placeholder(s));
                    }
                }
                Value::Object(out)
            }
            _ => Value::Null,
        }
    }
}

fn is_required(schema: &Value, key: &str) -> bool {
    schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|k| k.as_str() == Some(key)))
}

fn types_of(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![
            "string", "integer", "number", "boolean", "array", "object", "null",
        ],
    }
}

/// The values a `const` or `enum` schema allows, borrowed (this runs for every enum-typed value
/// of a map).
fn allowed_values(schema: &Value) -> Vec<&Value> {
    if let Some(c) = schema.get("const") {
        return vec![c];
    }
    schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|values| values.iter().collect())
        .unwrap_or_default()
}

/// The node as plain JSON, for values the schema does not constrain.
pub(crate) fn to_json(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Scalar { value, style } => type_of(value, *style).to_json(value),
        NodeKind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        NodeKind::Map(entries) => Value::Object(
            entries
                .iter()
                .filter_map(|e| Some((e.key.as_scalar()?.to_owned(), to_json(&e.value))))
                .collect(),
        ),
    }
}

/// `CustomerLane` → `customer lane`.
fn humanize(def_name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in def_name.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(ch.to_lowercase());
    }
    match out.as_str() {
        "kpi" => "KPI".to_owned(),
        "data config" => "`data` section".to_owned(),
        "lint config" => "`lint` section".to_owned(),
        _ => out,
    }
}

fn article(noun: &str) -> String {
    if noun.starts_with('`') || noun == "map" {
        return format!("the {noun}");
    }
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']) || noun == "KPI";
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn range_help(key: Option<&str>) -> Option<String> {
    Some(
        match key? {
            "emotion" => {
                "emotion runs from -2 (very negative) through 0 (neutral) to 2 (very positive)"
            }
            "severity" => "severity runs from 1 (minor annoyance) to 5 (the customer leaves)",
            "share" => "a share is a fraction of the customer base: 0.35 means 35%",
            "trailmap" => "this Trailmap reads format version 1: write `trailmap: 1`",
            _ => return None,
        }
        .to_owned(),
    )
}

fn pattern_help(pattern: &str, text: &str) -> (&'static str, String) {
    if pattern == trailmap_model::ID_PATTERN {
        let suggestion: String = text
            .trim()
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let help = if suggestion.is_empty() || !suggestion.is_ascii() {
            "ids are lower-case letters, digits, `-` and `_`, starting with a letter or digit"
                .to_owned()
        } else {
            format!("ids are lower-case letters, digits, `-` and `_`: try `{suggestion}`")
        };
        ("id", help)
    } else if pattern.contains("[0-9]{4}") {
        (
            "date",
            "write dates as YYYY-MM-DD, e.g. 2026-09-01".to_owned(),
        )
    } else if pattern.contains("(s|m|h|d|w)") {
        (
            "duration",
            "write a whole number and a unit (s, m, h, d or w), e.g. `30d`".to_owned(),
        )
    } else {
        ("value", format!("it must match the pattern `{pattern}`"))
    }
}
