//! Submitted form fields as an ordered list of pairs.
//!
//! The structured editor's forms have repeated rows (`pp_text_0`, `pp_text_1`...), and the
//! conflict page replays a form exactly as it was sent, so the fields are kept as the browser
//! sent them instead of being deserialized into one struct per form.

use serde::Deserialize;

/// The fields of one submitted form, in order.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, if sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`, trimmed; `None` when missing or blank.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// Whether a checkbox named `name` was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| matches!(v, "on" | "true" | "1" | "yes"))
    }

    /// Whether the field was sent at all (an empty text box is sent; an unticked box is not).
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The fields other than those named, for replaying a form.
    pub fn without<'a>(&'a self, names: &'a [&str]) -> impl Iterator<Item = &'a (String, String)> {
        self.0
            .iter()
            .filter(move |(k, _)| !names.contains(&k.as_str()))
    }

    /// Builds fields from JSON: an object whose values are strings, numbers or booleans.
    pub fn from_json(value: &serde_json::Value) -> Option<Fields> {
        let object = value.as_object()?;
        let mut out = Vec::with_capacity(object.len());
        for (key, value) in object {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(true) => "on".to_owned(),
                serde_json::Value::Bool(false) | serde_json::Value::Null => continue,
                _ => return None,
            };
            out.push((key.clone(), text));
        }
        Some(Fields(out))
    }
}

/// For query structs: an empty value (`?analysis=`, what a form's "None" option sends) is
/// `None`, not a parse error.
pub(crate) fn empty_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t.parse().map(Some).map_err(serde::de::Error::custom),
    }
}
