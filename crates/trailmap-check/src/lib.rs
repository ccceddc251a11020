//! Reads a journey map from YAML and reports every problem with its exact position.
//!
//! ```
//! let checked = trailmap_check::parse("trailmap: 1\njourney: {id: x, name: X, kind: other, state: current}\nstages: []\n");
//! assert!(checked.map.is_none());
//! assert_eq!(checked.diagnostics[0].code.name, "missing-key");
//! ```
//!
//! The pipeline, each stage in its own module:
//! 1. [`yaml`]: text to a tree of nodes that keep their byte spans (syntax errors stop here);
//! 2. [`validate`]: the tree against format v1's JSON Schema (types, keys, ranges, sets),
//!    repairing as it goes so later stages still run;
//! 3. the repaired value deserializes into [`trailmap_model::Map`];
//! 4. [`semantic`] and [`future`]: ids, references, SQL expressions, shares, KPI targets, the
//!    `based_on` map; then [`lints`], the warnings.
//!
//! **Architecture invariant:** checking never panics and never stops at the first problem
//! (except YAML syntax errors, after which there is no tree). It does no IO of its own: the
//! one file it may need besides the map, a future map's `based_on`, comes through [`Loader`].

pub mod codes;
mod codes_doc;
mod context;
mod expr_pos;
mod future;
pub mod lints;
mod locate;
mod scalar;
mod semantic;
mod sql;
mod suggest;
mod validate;
mod yaml;

use std::sync::OnceLock;

use chrono::NaiveDate;
use trailmap_diag::{Diagnostic, Span};
use trailmap_model::Map;

pub use codes_doc::rules_markdown;
pub use locate::{ExprKind, locate_expression};

/// Reads the files a map refers to (a future map's `based_on`), relative to the map's file.
pub trait Loader {
    fn read(&self, relative_path: &str) -> std::io::Result<String>;
}

/// Settings for one check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Today's date, for the stale-evidence rule. `None` skips that rule (deterministic runs).
    pub today: Option<NaiveDate>,
}

/// The map (when it has no errors) and every problem found, sorted by position.
#[derive(Debug, Clone)]
pub struct Checked {
    pub map: Option<Map>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks a map with default options and without reading `based_on`: what a renderer or test
/// needs to turn YAML into a [`Map`].
pub fn parse(text: &str) -> Checked {
    check(text, &CheckOptions::default(), None)
}

/// Checks a map: structure, semantics, the `based_on` map (when a loader is given) and lints.
pub fn check(text: &str, options: &CheckOptions, loader: Option<&dyn Loader>) -> Checked {
    let (tree, mut diagnostics) = match structure(text) {
        Ok(parts) => parts,
        Err(diagnostics) => return finish(None, diagnostics),
    };
    let Some((root, map)) = tree else {
        return finish(None, diagnostics);
    };
    let mut ctx = context::Ctx {
        text,
        root: &root,
        map: &map,
        diagnostics: Vec::new(),
    };
    semantic::run(&mut ctx);
    future::run(&mut ctx, loader);
    lints::run(&mut ctx, options.today);
    let allowed = &map.lint.allow;
    diagnostics.extend(
        ctx.diagnostics.into_iter().filter(|d| {
            d.is_error() || !allowed.iter().any(|a| a == d.code.name || a == d.code.id)
        }),
    );
    finish(Some(map), diagnostics)
}

/// Structure only (syntax, schema, deserialization): for a map that is itself a reference.
pub(crate) fn check_structure(text: &str) -> Checked {
    match structure(text) {
        Ok((Some((_, map)), diagnostics)) => finish(Some(map), diagnostics),
        Ok((None, diagnostics)) | Err(diagnostics) => finish(None, diagnostics),
    }
}

type Structure = (Option<(yaml::Node, Map)>, Vec<Diagnostic>);

fn structure(text: &str) -> Result<Structure, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let root = match yaml::parse(text, &mut diagnostics) {
        Ok(Some(root)) => root,
        Ok(None) => {
            diagnostics.push(
                Diagnostic::error(codes::MISSING_KEY, Span::at(0), "the file is empty").with_help(
                    "start from a template: `trailmap new --template purchase map.yaml`",
                ),
            );
            return Err(diagnostics);
        }
        Err(syntax) => {
            diagnostics.push(syntax);
            return Err(diagnostics);
        }
    };
    if let Some(diagnostic) = unsupported_version(&root) {
        diagnostics.push(diagnostic);
        return Err(diagnostics);
    }
    let (value, problems) = validate::Validator::new(schema()).run(&root);
    diagnostics.extend(problems);
    match serde_json::from_value::<Map>(value) {
        Ok(map) => Ok((Some((root, map)), diagnostics)),
        Err(error) => {
            // Validation repairs the value until it fits the model; if it still does not, the
            // schema and the model disagree, which is our bug, not the user's.
            if !diagnostics.iter().any(Diagnostic::is_error) {
                diagnostics.push(Diagnostic::error(
                    codes::WRONG_TYPE,
                    root.span,
                    format!("internal error: the map passed validation but could not be read ({error}); this is a bug, please report it"),
                ));
            }
            Ok((None, diagnostics))
        }
    }
}

/// `trailmap: 2` is not a broken v1 map: say so once instead of listing v1's complaints.
fn unsupported_version(root: &yaml::Node) -> Option<Diagnostic> {
    let entry = root.get("trailmap")?;
    let text = entry.value.as_scalar()?;
    let version: i64 = text.trim().parse().ok()?;
    (version != i64::from(trailmap_model::FORMAT_VERSION)).then(|| {
        Diagnostic::error(
            codes::UNSUPPORTED_VERSION,
            entry.value.span,
            format!(
                "format version {version} is not supported; this Trailmap reads version {}",
                trailmap_model::FORMAT_VERSION
            ),
        )
        .with_label("unsupported version")
        .with_help("write `trailmap: 1`, or use a Trailmap release that reads this version")
    })
}

/// The JSON Schema of format v1, derived once from the model types. It is a pure function of
/// the code, so caching it process-wide is safe.
fn schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(trailmap_model::schema::json_schema)
}

fn finish(map: Option<Map>, mut diagnostics: Vec<Diagnostic>) -> Checked {
    diagnostics.sort_by(|a, b| {
        (a.span.start, std::cmp::Reverse(a.severity), a.code.id).cmp(&(
            b.span.start,
            std::cmp::Reverse(b.severity),
            b.code.id,
        ))
    });
    diagnostics.dedup();
    // A warning about a value that holds an error only follows from that error (an invalid
    // `initiator` was dropped, so the touchpoint "has no initiator"): report the cause alone.
    let error_spans: Vec<Span> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.span)
        .collect();
    diagnostics.retain(|d| d.is_error() || !error_spans.iter().any(|&e| d.span.contains(e)));
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    Checked {
        map: if has_errors { None } else { map },
        diagnostics,
    }
}

/// The YAML document as plain JSON (YAML 1.2 core-schema typing), as an editor's YAML language
/// server sees it; `Err` holds the syntax error. For validating files with other JSON tools.
pub fn yaml_to_json(text: &str) -> Result<serde_json::Value, Diagnostic> {
    match yaml::parse(text, &mut Vec::new())? {
        Some(root) => Ok(validate::to_json(&root)),
        None => Ok(serde_json::Value::Null),
    }
}

/// Parses `YYYY-MM-DD` as a calendar date.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}
