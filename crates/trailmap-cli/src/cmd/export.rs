//! `trailmap export MAP --to json|csv|mermaid`.

use std::path::PathBuf;
use std::process::ExitCode;

use trailmap_diag::render::Color;

#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// The map to export. It must have no errors.
    #[arg(value_name = "MAP")]
    map: PathBuf,
    /// The format to export to.
    #[arg(long, value_enum)]
    to: To,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum To {
    /// The normalised map as JSON (validates against `trailmap schema`).
    Json,
    /// One row per step with all its lanes, for spreadsheets.
    Csv,
    /// A Mermaid `journey` diagram.
    Mermaid,
}

pub(crate) fn run(args: &ExportArgs, color: Color) -> anyhow::Result<ExitCode> {
    let map = crate::load::load_map(&args.map, color)?;
    let text = match args.to {
        To::Json => trailmap_export::json::to_json(&map),
        To::Csv => trailmap_export::csv::to_csv(&map),
        To::Mermaid => trailmap_export::mermaid::to_mermaid(&map),
    };
    crate::output::write_output(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
