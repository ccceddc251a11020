//! The JSON Schema (draft 2020-12) of format v1, derived from the model types.

/// Where the published schema lives; generated maps point editors at it.
pub const SCHEMA_ID: &str = "https://trailmap.dev/schema/trailmap-v1.schema.json";

/// The JSON Schema of a [`crate::Map`], as a JSON value.
pub fn json_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<crate::Map>();
    let mut value = schema.to_value();
    if let Some(object) = value.as_object_mut() {
        object.insert("$id".into(), SCHEMA_ID.into());
    }
    value
}

/// The schema as pretty-printed JSON with a trailing newline, as `trailmap schema` prints it.
pub fn json_schema_text() -> String {
    let mut text =
        serde_json::to_string_pretty(&json_schema()).expect("a JSON value always serializes");
    text.push('\n');
    text
}
