//! The normalised map as JSON: comments and YAML styles gone, keys in one fixed order, empty
//! optional sections left out. It validates against the same JSON Schema as the YAML.

use trailmap_model::Map;

pub fn to_json(map: &Map) -> String {
    let mut text = serde_json::to_string_pretty(map).expect("a map always serializes to JSON");
    text.push('\n');
    text
}
