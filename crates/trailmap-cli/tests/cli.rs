//! The `trailmap` binary as users run it: arguments in, exit code, stdout and stderr out.
//! Outputs that users read are compared with golden files in `tests/golden/`; set
//! `UPDATE_GOLDEN=1` to rewrite them, then review the diff.

mod common;

use std::path::PathBuf;

use common::{code, golden, root, stderr, stdout, trailmap};

const FIXTURES: &str = "crates/trailmap-check/tests/fixtures/invalid";

#[test]
fn check_prints_rustc_style_diagnostics_and_exits_1() {
    let out = trailmap(&[
        "check",
        "--today",
        "2026-11-25",
        &format!("{FIXTURES}/09-references.yaml"),
    ]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "");
    golden("check-human.txt", &stderr(&out));
}

#[test]
fn check_short_format_is_one_line_per_problem() {
    let out = trailmap(&[
        "check",
        "--format",
        "short",
        "--today",
        "2026-11-25",
        &format!("{FIXTURES}/15-lints.yaml"),
        &format!("{FIXTURES}/07-ranges.yaml"),
    ]);
    assert_eq!(code(&out), 1);
    golden("check-short.txt", &stdout(&out));
}

#[test]
fn check_json_is_an_array_of_located_problems() {
    let out = trailmap(&[
        "check",
        "--format",
        "json",
        &format!("{FIXTURES}/05-unknown-keys.yaml"),
    ]);
    assert_eq!(code(&out), 1);
    let problems: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let first = &problems[0];
    assert_eq!(first["file"], format!("{FIXTURES}/05-unknown-keys.yaml"));
    assert_eq!(first["line"], 7);
    assert_eq!(first["column"], 3);
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "E004");
    assert_eq!(first["name"], "unknown-key");
    assert_eq!(first["message"], "unknown key `onwer` in a journey");
    assert_eq!(first["help"], "did you mean `owner`?");
    assert_eq!(problems.as_array().unwrap().len(), 4);
    golden("check-json.json", &stdout(&out));
}

#[test]
fn warnings_pass_unless_denied() {
    let fixture = format!("{FIXTURES}/15-lints.yaml");
    let out = trailmap(&["check", "--today", "2026-11-25", &fixture]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).ends_with("checked 1 map: 0 errors, 8 warnings\n"),
        "{}",
        stderr(&out)
    );
    let out = trailmap(&[
        "check",
        "--deny",
        "warnings",
        "--today",
        "2026-11-25",
        &fixture,
    ]);
    assert_eq!(code(&out), 1);
}

#[test]
fn examples_check_clean_with_warnings_denied() {
    for example in [
        "examples/online-retail-purchase.yaml",
        "examples/online-retail-purchase-future.yaml",
        "examples/support-contact.yaml",
        "examples/subscription-success.yaml",
    ] {
        let out = trailmap(&["check", "--deny", "warnings", example]);
        assert_eq!(code(&out), 0, "{example}: {}", stderr(&out));
        assert_eq!(stderr(&out), "checked 1 map: no problems\n");
    }
}

#[test]
fn unreadable_files_exit_2_and_name_the_file() {
    let out = trailmap(&["check", "no/such/map.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).starts_with(
            "trailmap: error: cannot read `no/such/map.yaml`\n  caused by: No such file"
        ),
        "{}",
        stderr(&out)
    );
    let out = trailmap(&["check", "examples"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("`examples` is a folder, not a map file"));

    let dir = tempdir("non-utf8");
    let path = dir.join("latin1.yaml");
    std::fs::write(&path, b"trailmap: 1\njourney:\n  name: Caf\xe9\n").unwrap();
    let out = trailmap(&["check", path.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is not UTF-8 text: invalid byte at line 3, column 12"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let out = trailmap(&["chekc"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("'check'"), "{}", stderr(&out));
    let out = trailmap(&["check", "--format", "xml", "x.yaml"]);
    assert_eq!(code(&out), 2);
    for command in ["check", "new", "schema", "export", "rules"] {
        let out = trailmap(&[command, "--help"]);
        assert_eq!(code(&out), 0, "{command} --help");
        assert!(stdout(&out).contains("Usage: trailmap"), "{command}");
    }
    let out = trailmap(&["--version"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).starts_with("trailmap "));
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trailmap-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn new_writes_valid_templates_and_never_overwrites() {
    let dir = tempdir("new");
    for template in ["purchase", "support", "success", "onboarding"] {
        let path = dir.join(format!("{template}.yaml"));
        let path = path.to_str().unwrap();
        let out = trailmap(&["new", "--template", template, path]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let out = trailmap(&["check", "--deny", "warnings", path]);
        assert_eq!(code(&out), 0, "{template}: {}", stderr(&out));
    }
    let path = dir.join("purchase.yaml");
    std::fs::write(&path, "my precious edits").unwrap();
    let out = trailmap(&["new", "--template", "support", path.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("already exists; pass --force to overwrite it"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my precious edits");
    let out = trailmap(&[
        "new",
        "--template",
        "support",
        "--force",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("kind: support")
    );
}

#[test]
fn schema_prints_the_published_schema() {
    let out = trailmap(&["schema"]);
    assert_eq!(code(&out), 0);
    let committed = std::fs::read_to_string(root().join("docs/trailmap-v1.schema.json")).unwrap();
    assert_eq!(stdout(&out), committed);
}

#[test]
fn export_formats() {
    let example = "examples/support-contact.yaml";
    for (to, name) in [
        ("json", "export-support.json"),
        ("csv", "export-support.csv"),
        ("mermaid", "export-support.mmd"),
    ] {
        let out = trailmap(&["export", example, "--to", to]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        golden(name, &stdout(&out));
    }
    // A broken map is not exported: its errors are shown instead.
    let out = trailmap(&[
        "export",
        &format!("{FIXTURES}/09-references.yaml"),
        "--to",
        "json",
    ]);
    assert_eq!(code(&out), 2);
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("error[E009]: unknown department `marketin`"));
    assert!(stderr(&out).contains("has 4 error(s); fix them first"));
}
