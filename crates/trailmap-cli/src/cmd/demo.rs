//! `trailmap demo generate --map MAP --customers N --seed S -o DIR [--format parquet|csv]`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use trailmap_diag::render::Color;

#[derive(Debug, clap::Args)]
pub(crate) struct DemoArgs {
    #[command(subcommand)]
    command: DemoCommand,
}

#[derive(Debug, clap::Subcommand)]
enum DemoCommand {
    /// Write synthetic customers and events that follow a map, to try `trailmap analyze` on.
    Generate(GenerateArgs),
}

#[derive(Debug, clap::Args)]
struct GenerateArgs {
    /// The map to generate data for. It must have no errors.
    #[arg(
        long,
        value_name = "MAP",
        long_help = "The map to generate data for. It must have no errors. Each step's `match`, \
                     `feedback`, each persona `rule` and each outcome is read as SQL and the data \
                     is made to satisfy it: every step gets evidence, every persona its customers."
    )]
    map: PathBuf,
    /// How many customers to make (about 9 to 14 events each, depending on the map).
    #[arg(long, value_name = "N")]
    customers: u64,
    /// The random seed: the same map, options and seed give byte-identical files.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// The folder to write to (created if missing).
    #[arg(
        long,
        short,
        value_name = "DIR",
        long_help = "The folder to write to, created if missing. It gets events.parquet (or \
                     events-00000.parquet, events-00001.parquet, ... for large runs) and \
                     customers.parquet, or .csv files with --format csv. Files of an earlier run \
                     with these names are removed first, so the folder holds one dataset."
    )]
    output: PathBuf,
    /// The file format.
    #[arg(long, value_enum, default_value_t = Format::Parquet)]
    format: Format,
    /// Events files hold at most this many rows; more go to numbered parts.
    #[arg(long, value_name = "ROWS", default_value_t = 10_000_000)]
    rows_per_file: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Apache Parquet, snappy-compressed, row groups of a million rows.
    Parquet,
    /// CSV with a header row, RFC 3339 timestamps in UTC and empty cells for nulls.
    Csv,
}

pub(crate) fn run(args: &DemoArgs, color: Color) -> anyhow::Result<ExitCode> {
    match &args.command {
        DemoCommand::Generate(args) => generate(args, color),
    }
}

fn generate(args: &GenerateArgs, color: Color) -> anyhow::Result<ExitCode> {
    if args.rows_per_file == 0 {
        anyhow::bail!("--rows-per-file must be at least 1");
    }
    let map = crate::load::load_map(&args.map, color)?;
    let options = trailmap_demo::Options {
        format: match args.format {
            Format::Parquet => trailmap_demo::Format::Parquet,
            Format::Csv => trailmap_demo::Format::Csv,
        },
        rows_per_file: args.rows_per_file,
        ..trailmap_demo::Options::new(args.customers, args.seed)
    };
    let started = Instant::now();
    let interactive = std::io::stderr().is_terminal();
    let total = args.customers;
    let mut progress = |p: trailmap_demo::Progress| {
        if interactive {
            let seconds = started.elapsed().as_secs_f64();
            eprint!(
                "\r{} of {total} customers, {} events, {:.0} events/s   ",
                p.customers,
                p.events,
                p.events as f64 / seconds.max(1e-9)
            );
        }
    };
    let summary = trailmap_demo::generate(&map, &args.output, &options, &mut progress)?;
    if interactive {
        eprint!("\r\x1b[2K");
    }
    let seconds = started.elapsed().as_secs_f64();
    for note in &summary.notes {
        eprintln!("trailmap: note: {note}");
    }
    if !summary.removed.is_empty() {
        eprintln!(
            "removed {} file(s) of an earlier run from {}",
            summary.removed.len(),
            args.output.display()
        );
    }
    eprintln!(
        "{} customers, {} events in {:.1} s ({:.0} events/s)",
        summary.customers,
        summary.events,
        seconds,
        summary.events as f64 / seconds.max(1e-9)
    );
    for file in &summary.files {
        let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        eprintln!("  {} ({})", file.display(), human_size(size));
    }
    Ok(ExitCode::SUCCESS)
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}
