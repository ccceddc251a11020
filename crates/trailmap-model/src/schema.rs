//! The JSON Schema (draft 2020-12) of format v1, derived from the model types.

/// Where the published schema lives; generated maps point editors at it.
pub const SCHEMA_ID: &str = "https://trailmap.dev/schema/trailmap-v1.schema.json";

/// The JSON Schema of a [`crate::Map`], as a JSON value.
pub fn json_schema() -> serde_json::Value {
    schema_for::<crate::Map>(SCHEMA_ID)
}

/// The schema as pretty-printed JSON with a trailing newline, as `trailmap schema` prints it.
pub fn json_schema_text() -> String {
    pretty(&json_schema())
}

/// The draft 2020-12 schema of `T`, published at `id`.
pub(crate) fn schema_for<T: schemars::JsonSchema>(id: &str) -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut value = generator.into_root_schema_for::<T>().to_value();
    if let Some(object) = value.as_object_mut() {
        object.insert("$id".into(), id.into());
    }
    value
}

/// Pretty-printed JSON with a trailing newline.
pub(crate) fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a JSON value always serializes");
    text.push('\n');
    text
}
