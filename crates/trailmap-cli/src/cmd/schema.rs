//! `trailmap schema`: the JSON Schema of the map format, for editors and other tools.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    long_about = "Print the JSON Schema (draft 2020-12) of map format v1. Editors with the YAML language \
                  server autocomplete and validate maps that start with\n\
                  # yaml-language-server: $schema=https://trailmap.dev/schema/trailmap-v1.schema.json\n\
                  or a path to a file written by `trailmap schema -o trailmap.schema.json`."
)]
pub(crate) struct SchemaArgs {
    /// Write the schema to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(crate) fn run(args: &SchemaArgs) -> anyhow::Result<ExitCode> {
    crate::output::write_output(
        args.output.as_deref(),
        &trailmap_model::schema::json_schema_text(),
    )?;
    Ok(ExitCode::SUCCESS)
}
