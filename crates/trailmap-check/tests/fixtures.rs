//! The checker's specification, written as data.
//!
//! Every file in `fixtures/invalid/` is a map with mistakes. Under each offending line, an
//! annotation comment says what must be reported and exactly where:
//!
//! ```yaml
//!         customer: {emoton: 1}
//! #                  ^^^^^^ error[E004]: unknown key `emoton`
//! ```
//!
//! The carets sit under the columns the diagnostic must point at (its start column; the caret
//! count must equal the span's length on that line; `#^` with no space starts at column 1,
//! since the `#` itself takes that column), the code must match, and the text after
//! the colon, if any, must occur in the message or the help. A diagnostic with no annotation
//! fails the test, so fixtures also prove the checker says nothing more than it should.
//!
//! Every example map and template must check with no diagnostic at all.

use std::path::{Path, PathBuf};

use trailmap_check::{CheckOptions, Loader};
use trailmap_diag::SourceFile;

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    line: usize,
    column: usize,
    width: usize,
    severity: String,
    code: String,
    text: String,
}

fn annotations(text: &str) -> Vec<Expected> {
    let mut out = Vec::new();
    let mut target_line = 0;
    for (idx, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let is_annotation = trimmed.starts_with('#') && trimmed[1..].trim_start().starts_with('^');
        if !is_annotation {
            target_line = idx + 1;
            continue;
        }
        let caret_start = line.find('^').expect("annotation has carets");
        let caret_len = line[caret_start..]
            .chars()
            .take_while(|&c| c == '^')
            .count();
        let rest = line[caret_start + caret_len..].trim();
        let (head, message) = rest.split_once(": ").unwrap_or((rest, ""));
        let (severity, code) = head
            .trim_end_matches(':')
            .split_once('[')
            .unwrap_or_else(|| panic!("bad annotation `{line}`: expected `^^^ error[E004]: text`"));
        out.push(Expected {
            line: target_line,
            column: if trimmed.starts_with("#^") && line.starts_with('#') {
                1
            } else {
                line[..caret_start].chars().count() + 1
            },
            width: caret_len,
            severity: severity.to_owned(),
            code: code.trim_end_matches(']').to_owned(),
            text: message.to_owned(),
        });
    }
    out.sort();
    out
}

struct DirLoader(PathBuf);

impl Loader for DirLoader {
    fn read(&self, relative_path: &str) -> std::io::Result<String> {
        std::fs::read_to_string(self.0.join(relative_path))
    }
}

fn options() -> CheckOptions {
    CheckOptions {
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25),
    }
}

fn check_file(path: &Path) -> (SourceFile, trailmap_check::Checked) {
    let text = std::fs::read_to_string(path).unwrap();
    let loader = DirLoader(path.parent().unwrap().to_path_buf());
    let checked = trailmap_check::check(&text, &options(), Some(&loader));
    (SourceFile::new(path.display().to_string(), text), checked)
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn invalid_fixtures_report_exactly_what_their_annotations_say() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let files = yaml_files(&dir);
    assert!(
        files.len() >= 10,
        "expected the fixture files in {}",
        dir.display()
    );
    let mut failures = String::new();
    for path in files {
        let (file, checked) = check_file(&path);
        let expected = annotations(file.text());
        assert!(
            !expected.is_empty(),
            "{} has no annotations",
            path.display()
        );
        let mut actual = Vec::new();
        for d in &checked.diagnostics {
            let start = file.line_col(d.span.start);
            let line_range = file.line_index().line_range(file.text(), start.line);
            let end = d.span.end.min(line_range.end).max(d.span.start);
            actual.push((
                Expected {
                    line: start.line,
                    column: start.column,
                    width: file.text()[d.span.start..end].chars().count().max(1),
                    severity: d.severity.as_str().to_owned(),
                    code: d.code.id.to_owned(),
                    text: String::new(),
                },
                format!("{} {}", d.message, d.help.as_deref().unwrap_or_default()),
            ));
        }
        for e in &expected {
            let found = actual.iter().position(|(a, message)| {
                a.line == e.line
                    && a.column == e.column
                    && a.width == e.width
                    && a.severity == e.severity
                    && a.code == e.code
                    && message.contains(&e.text)
            });
            match found {
                Some(i) => {
                    actual.remove(i);
                }
                None => failures.push_str(&format!(
                    "{}:{}:{}: expected {}[{}] ({} wide) `{}`, not reported\n",
                    path.display(),
                    e.line,
                    e.column,
                    e.severity,
                    e.code,
                    e.width,
                    e.text
                )),
            }
        }
        for (a, message) in actual {
            failures.push_str(&format!(
                "{}:{}:{}: unexpected {}[{}] ({} wide): {message}\n",
                path.display(),
                a.line,
                a.column,
                a.severity,
                a.code,
                a.width
            ));
        }
        assert!(checked.map.is_none() || checked.diagnostics.iter().all(|d| !d.is_error()));
    }
    assert!(failures.is_empty(), "\n{failures}");
}

#[test]
fn examples_and_templates_are_clean() {
    let mut files = yaml_files(&root().join("examples"));
    files.extend(yaml_files(&root().join("crates/trailmap-model/templates")));
    assert!(files.len() >= 7);
    for path in files {
        let (file, checked) = check_file(&path);
        let rendered: String = checked
            .diagnostics
            .iter()
            .map(|d| trailmap_diag::render::short::render(&file, d))
            .collect();
        assert!(rendered.is_empty(), "{rendered}");
        assert!(checked.map.is_some(), "{}", path.display());
    }
}
