//! `trailmap rules`: the checker's codes, as a Markdown table (the source of docs/rules.md).

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub(crate) struct RulesArgs {}

pub(crate) fn run(_args: &RulesArgs) -> anyhow::Result<ExitCode> {
    crate::output::print_stdout(&trailmap_check::rules_markdown())?;
    Ok(ExitCode::SUCCESS)
}
