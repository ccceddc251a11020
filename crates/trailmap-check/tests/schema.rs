//! The published JSON Schema, checked by an independent JSON Schema validator (`jsonschema`):
//! every example and template is valid under it, the normalised JSON export is too, broken maps
//! are not, and the committed copies of generated reference files have not drifted.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn validator() -> jsonschema::Validator {
    let schema = trailmap_model::schema::json_schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::draft202012::new(&schema).expect("the generated schema is itself valid")
}

fn errors(validator: &jsonschema::Validator, instance: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn examples_and_templates_validate_against_the_schema() {
    let validator = validator();
    let mut files = yaml_files(&root().join("examples"));
    files.extend(yaml_files(&root().join("crates/trailmap-model/templates")));
    assert!(files.len() >= 7);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema="),
            "{} should point editors at the schema on its first line",
            path.display()
        );
        let instance = trailmap_check::yaml_to_json(&text).unwrap();
        let problems = errors(&validator, &instance);
        assert!(problems.is_empty(), "{}: {problems:#?}", path.display());

        // The normalised export is valid too, and reads back into the same map.
        let map = trailmap_check::parse(&text).map.unwrap();
        let exported: serde_json::Value = serde_json::to_value(&map).unwrap();
        let problems = errors(&validator, &exported);
        assert!(
            problems.is_empty(),
            "export of {}: {problems:#?}",
            path.display()
        );
        let again: trailmap_model::Map = serde_json::from_value(exported).unwrap();
        assert_eq!(again, map);
    }
}

#[test]
fn the_schema_rejects_what_the_checker_rejects_structurally() {
    let validator = validator();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    for name in [
        "04-structure.yaml",
        "05-unknown-keys.yaml",
        "06-unknown-values.yaml",
        "07-ranges.yaml",
        "19-ids-and-dates.yaml",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let instance = trailmap_check::yaml_to_json(&text).unwrap();
        assert!(
            !validator.is_valid(&instance),
            "{name} should be invalid under the schema"
        );
    }
}

/// Set `UPDATE_GENERATED=1` to rewrite the committed copies.
fn check_generated(path: &Path, generated: &str) {
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date; run `UPDATE_GENERATED=1 cargo test -p trailmap-check --test schema`",
        path.display()
    );
}

#[test]
fn committed_schema_is_up_to_date() {
    check_generated(
        &root().join("docs/trailmap-v1.schema.json"),
        &trailmap_model::schema::json_schema_text(),
    );
}

#[test]
fn committed_rules_reference_is_up_to_date() {
    check_generated(
        &root().join("docs/rules.md"),
        &trailmap_check::rules_markdown(),
    );
}

#[test]
fn committed_result_schema_is_up_to_date() {
    check_generated(
        &root().join("docs/trailmap-result-v1.schema.json"),
        &trailmap_model::analysis::json_schema_text(),
    );
}

#[test]
fn committed_discovery_schema_is_up_to_date() {
    check_generated(
        &root().join("docs/trailmap-discovery-v1.schema.json"),
        &trailmap_model::paths::json_schema_text(),
    );
}

#[test]
fn committed_conformance_schema_is_up_to_date() {
    check_generated(
        &root().join("docs/trailmap-conformance-v1.schema.json"),
        &trailmap_model::conformance::json_schema_text(),
    );
}
