//! `trailmap`: the command-line entry point. This crate is glue: it parses arguments, reads
//! and writes files, picks colours and exit codes, and calls the library crates for the work.
//!
//! Exit codes: 0 success; 1 the command ran and found problems (map errors, or warnings under
//! `--deny warnings`); 2 usage, IO or internal error. Errors go to stderr as
//! `trailmap: error: ...`; data goes to stdout.

mod cmd;
mod load;
mod output;
mod period;
mod png;
mod remote;
mod summary;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Customer journey maps as checked documents, proven by data.
#[derive(Debug, Parser)]
#[command(
    name = "trailmap",
    version,
    about,
    long_about = "Trailmap keeps customer journey maps as YAML files: checked with errors that point at \
                  file:line:column, rendered as visual maps, and measured against real customer data.",
    after_help = "Exit codes: 0 success; 1 problems found (map errors, or warnings with --deny warnings); \
                  2 usage, IO or internal error.\n\nStart with: trailmap new --template purchase map.yaml"
)]
struct Cli {
    /// When to colour output: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = output::ColorChoice::Auto)]
    color: output::ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check maps and report every problem with its file:line:column.
    Check(cmd::check::CheckArgs),
    /// Write a complete starter map from a template.
    New(cmd::new::NewArgs),
    /// Print the JSON Schema (draft 2020-12) of the map format.
    Schema(cmd::schema::SchemaArgs),
    /// Draw a map as a visual journey map: HTML, SVG or PNG.
    Render(cmd::render::RenderArgs),
    /// Measure a map against customer event data: reach, drop-off, timing, feedback, outcomes.
    Analyze(cmd::analyze::AnalyzeArgs),
    /// Discover the paths customers really take: directly-follows graph, variants, durations.
    Discover(cmd::discover::DiscoverArgs),
    /// Compare each customer's journey with the map's designed order, and what deviating costs.
    Conform(cmd::conform::ConformArgs),
    /// Draft a starting map from event data: main activities as steps, grouped into stages.
    Draft(cmd::draft::DraftArgs),
    /// Compare a current map with a future one: steps, pain points, opportunities, emotion.
    Diff(cmd::diff::DiffArgs),
    /// Export a map as normalised JSON, CSV (one row per step) or a Mermaid journey diagram.
    Export(cmd::export::ExportArgs),
    /// Write events mapped to a map's steps as an XES event log for process-mining tools.
    ExportXes(cmd::export_xes::ExportXesArgs),
    /// List the checker's rules: every error and warning code.
    Rules(cmd::rules::RulesArgs),
    /// Generate realistic synthetic customer data for a map.
    Demo(cmd::demo::DemoArgs),
    /// Start the shared workspace: maps in the browser, with accounts, history and discussion.
    Serve(cmd::serve::ServeArgs),
    /// Upload a map file to a workspace server as a new version (refused if it changed there).
    Push(cmd::push::PushArgs),
    /// Download a map's YAML from a workspace server.
    Pull(cmd::pull::PullArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout with exit 0, and usage errors with exit 2.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let color = cli.color.resolve();
    let result = match &cli.command {
        Command::Check(args) => cmd::check::run(args, color),
        Command::New(args) => cmd::new::run(args),
        Command::Schema(args) => cmd::schema::run(args),
        Command::Render(args) => cmd::render::run(args, color),
        Command::Analyze(args) => cmd::analyze::run(args, color),
        Command::Diff(args) => cmd::diff::run(args, color),
        Command::Conform(args) => cmd::conform::run(args, color),
        Command::Draft(args) => cmd::draft::run(args, color),
        Command::Discover(args) => cmd::discover::run(args, color),
        Command::Export(args) => cmd::export::run(args, color),
        Command::ExportXes(args) => cmd::export_xes::run(args, color),
        Command::Rules(args) => cmd::rules::run(args),
        Command::Demo(args) => cmd::demo::run(args, color),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Push(args) => cmd::push::run(args, color),
        Command::Pull(args) => cmd::pull::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            if output::is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            output::print_error(&error, color);
            ExitCode::from(2)
        }
    }
}
