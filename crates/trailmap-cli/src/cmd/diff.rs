//! `trailmap diff CURRENT FUTURE [--format text|json|html] [-o OUT]
//! [--current-evidence A.json --future-evidence B.json]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use trailmap_diag::render::Color;

#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {
    /// The map of the journey as it is (state: current).
    #[arg(value_name = "CURRENT")]
    current: PathBuf,
    /// The map of the journey as it should be (state: future).
    #[arg(value_name = "FUTURE")]
    future: PathBuf,
    /// The format; by default taken from OUT's extension (.html, .json), else text.
    #[arg(
        long,
        value_enum,
        long_help = "The format: text (for the terminal), json (stable, with a `version` field) or \
                     html (a visual page with both emotion curves). By default it is taken from \
                     OUT's extension (.html, .json), else text."
    )]
    format: Option<Format>,
    /// Write the diff to this file instead of stdout (e.g. diff.html).
    #[arg(long, short, value_name = "OUT")]
    output: Option<PathBuf>,
    /// What `trailmap analyze` measured on the current map (its result.json).
    #[arg(
        long,
        value_name = "RESULT",
        requires = "future_evidence",
        long_help = "What `trailmap analyze` measured on the current map (its result.json). With \
                     --future-evidence, the diff adds the measured figures per step, current vs \
                     future: reach, drop-off, NPS, CSAT and each outcome after the step. Steps are \
                     matched by id, and a future step that `replaces` current steps is compared \
                     with them."
    )]
    current_evidence: Option<PathBuf>,
    /// What `trailmap analyze` measured on the future map (its result.json).
    #[arg(long, value_name = "RESULT", requires = "current_evidence")]
    future_evidence: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Plain text for the terminal.
    Text,
    /// JSON with a `version` field; the shape is stable.
    Json,
    /// One self-contained HTML page.
    Html,
}

pub(crate) fn run(args: &DiffArgs, color: Color) -> anyhow::Result<ExitCode> {
    let from_extension = args
        .output
        .as_deref()
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = args.format.unwrap_or(match from_extension.as_deref() {
        Some("html" | "htm") => Format::Html,
        Some("json") => Format::Json,
        _ => Format::Text,
    });
    let current = crate::load::load_map(&args.current, color)?;
    let future = crate::load::load_map(&args.future, color)?;
    let diff = match (&args.current_evidence, &args.future_evidence) {
        (Some(current_path), Some(future_path)) => {
            let current_evidence = super::render::load_evidence(current_path)?;
            let future_evidence = super::render::load_evidence(future_path)?;
            super::render::warn_if_mismatched(
                &current,
                &args.current,
                &current_evidence,
                current_path,
            );
            super::render::warn_if_mismatched(&future, &args.future, &future_evidence, future_path);
            trailmap_render::diff::compare_measured(
                &current,
                &future,
                &current_evidence,
                &future_evidence,
            )
        }
        _ => trailmap_render::diff::compare(&current, &future),
    };
    let text = match format {
        Format::Text => trailmap_render::diff::text(&diff),
        Format::Json => diff.to_json(),
        Format::Html => trailmap_render::diff::html(&diff),
    };
    crate::output::write_output(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
