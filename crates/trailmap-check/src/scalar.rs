//! YAML 1.2 core-schema typing of plain scalars: `12` is an integer, `true` a boolean, `~` null.
//!
//! Quoted and block scalars are always text. YAML 1.1's `yes`/`no`/`on`/`off` booleans and
//! sexagesimal numbers are *not* recognised: format v1 follows YAML 1.2, as editors do.

use serde_json::{Number, Value};

use crate::yaml::Style;

/// What a scalar holds once typed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Typed {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

impl Typed {
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Typed::Null => "nothing (null)",
            Typed::Bool(_) => "a boolean",
            Typed::Int(_) => "an integer",
            Typed::Float(_) => "a number",
            Typed::Str => "a text",
        }
    }

    pub(crate) fn to_json(&self, text: &str) -> Value {
        match self {
            Typed::Null => Value::Null,
            Typed::Bool(b) => Value::Bool(*b),
            Typed::Int(i) => Value::Number((*i).into()),
            Typed::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Typed::Str => Value::String(text.to_owned()),
        }
    }
}

pub(crate) fn type_of(value: &str, style: Style) -> Typed {
    if style != Style::Plain {
        return Typed::Str;
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Typed::Null,
        "true" | "True" | "TRUE" => return Typed::Bool(true),
        "false" | "False" | "FALSE" => return Typed::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Typed::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Typed::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Typed::Float(f64::NAN),
        _ => {}
    }
    if let Some(hex) = value.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).map_or(Typed::Str, Typed::Int);
    }
    if let Some(oct) = value.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).map_or(Typed::Str, Typed::Int);
    }
    if is_int(value) {
        return value.parse::<i64>().map_or_else(
            |_| value.parse::<f64>().map_or(Typed::Str, Typed::Float),
            Typed::Int,
        );
    }
    if is_float(value) {
        return value.parse::<f64>().map_or(Typed::Str, Typed::Float);
    }
    Typed::Str
}

/// `[-+]?[0-9]+`
fn is_int(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(value: &str) -> bool {
    let rest = value.strip_prefix(['-', '+']).unwrap_or(value);
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (!int.is_empty() || !frac.is_empty())
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
                && !(int.is_empty() && frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(is_int);
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema() {
        assert_eq!(type_of("12", Style::Plain), Typed::Int(12));
        assert_eq!(type_of("-3", Style::Plain), Typed::Int(-3));
        assert_eq!(type_of("0.35", Style::Plain), Typed::Float(0.35));
        assert_eq!(type_of("1e3", Style::Plain), Typed::Float(1000.0));
        assert_eq!(type_of(".5", Style::Plain), Typed::Float(0.5));
        assert_eq!(type_of("true", Style::Plain), Typed::Bool(true));
        assert_eq!(type_of("~", Style::Plain), Typed::Null);
        assert_eq!(type_of("", Style::Plain), Typed::Null);
        assert_eq!(type_of("yes", Style::Plain), Typed::Str);
        assert_eq!(type_of("2026-09-01", Style::Plain), Typed::Str);
        assert_eq!(type_of("1.2.3", Style::Plain), Typed::Str);
        assert_eq!(type_of(".", Style::Plain), Typed::Str);
        assert_eq!(type_of("12", Style::DoubleQuoted), Typed::Str);
    }
}
