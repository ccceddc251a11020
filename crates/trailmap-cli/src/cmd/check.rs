//! `trailmap check MAP...`: every problem, rustc-style, as one line each, or as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use trailmap_check::CheckOptions;
use trailmap_diag::render::{self, Color};
use trailmap_diag::{Severity, SourceFile};

use crate::load;
use crate::output;

#[derive(Debug, clap::Args)]
#[command(
    long_about = "Check journey maps. Every problem is printed with its file:line:column, the source line \
                  with a caret under the exact spot, and a help line when a fix is known.\n\n\
                  Exit codes: 0 no errors (warnings allowed unless --deny warnings); 1 errors found; \
                  2 a file could not be read, or a usage error."
)]
pub(crate) struct CheckArgs {
    /// Map files to check.
    #[arg(required = true, value_name = "MAP")]
    maps: Vec<PathBuf>,
    /// Output format: human (source snippets), short (one line per problem) or json (an array
    /// of {file, line, column, end_line, end_column, severity, code, name, message, help}).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors (exit 1 when there is any warning).
    #[arg(long, value_enum, value_name = "warnings")]
    deny: Option<Deny>,
    /// The date the stale-evidence rule counts from (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    today: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Short,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    Warnings,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| "expected a date as YYYY-MM-DD".to_owned())
}

pub(crate) fn run(args: &CheckArgs, color: Color) -> anyhow::Result<ExitCode> {
    let options = CheckOptions {
        today: Some(
            args.today
                .unwrap_or_else(|| chrono::Local::now().date_naive()),
        ),
    };
    let deny_warnings = args.deny == Some(Deny::Warnings);
    let mut n_errors = 0;
    let mut n_warnings = 0;
    let mut io_failed = false;
    let mut json = Vec::new();
    let mut text = String::new();
    for path in &args.maps {
        let (file, checked) = match load::check_file(path, &options) {
            Ok(result) => result,
            Err(error) => {
                output::print_error(&error, color);
                io_failed = true;
                continue;
            }
        };
        for diagnostic in &checked.diagnostics {
            match diagnostic.severity {
                Severity::Error => n_errors += 1,
                Severity::Warning => n_warnings += 1,
            }
        }
        match args.format {
            Format::Json => json.extend(checked.diagnostics.iter().map(|d| to_value(&file, d))),
            Format::Short => {
                for diagnostic in &checked.diagnostics {
                    text.push_str(&render::short::render(&file, diagnostic));
                }
            }
            Format::Human => {
                for diagnostic in &checked.diagnostics {
                    text.push_str(&render::human::render(&file, diagnostic, color));
                    text.push('\n');
                }
            }
        }
    }
    match args.format {
        Format::Json => {
            let mut out = serde_json::to_string_pretty(&json)?;
            out.push('\n');
            output::print_stdout(&out)?;
        }
        Format::Short => output::print_stdout(&text)?,
        Format::Human => {
            eprint!("{text}");
            eprintln!("{}", summary(args.maps.len(), n_errors, n_warnings));
        }
    }
    Ok(if io_failed {
        ExitCode::from(2)
    } else if n_errors > 0 || (deny_warnings && n_warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn to_value(file: &SourceFile, diagnostic: &trailmap_diag::Diagnostic) -> serde_json::Value {
    serde_json::to_value(render::json::to_json(file, diagnostic))
        .expect("diagnostics always serialize")
}

fn summary(n_maps: usize, n_errors: usize, n_warnings: usize) -> String {
    let maps = if n_maps == 1 {
        "1 map".to_owned()
    } else {
        format!("{n_maps} maps")
    };
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    if n_errors == 0 && n_warnings == 0 {
        format!("checked {maps}: no problems")
    } else {
        format!(
            "checked {maps}: {}, {}",
            plural(n_errors, "error"),
            plural(n_warnings, "warning")
        )
    }
}
