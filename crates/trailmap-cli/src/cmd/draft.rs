//! `trailmap draft --events PATH... -o draft.yaml`: a starting map drafted from event data.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use trailmap_check::CheckOptions;
use trailmap_diag::render::Color;
use trailmap_engine::log::{By, CaseLog};
use trailmap_engine::source::{self, ReadOptions};
use trailmap_paths::draft::{DraftInputs, DraftOptions, Tallies, draft, to_yaml};

use crate::cmd::case_log::{self, LogArgs};

#[derive(Debug, clap::Args)]
#[command(
    long_about = "Draft a starting map from event data. The main activities (event names found in at least \
                  --min-share of cases) become steps, in their typical order (how often the other activities \
                  come first), grouped into stages where customers wait longest (the median time from one \
                  activity to the next); each step gets `match: \"event = '...'\"`, its most common channels \
                  (from the `channel` column) as touchpoints, and `evidence: {source: observed}` with its \
                  counts. The draft passes `trailmap check`, and `trailmap analyze` on the same data measures \
                  every step. The heuristic: docs/conformance.md.\n\n\
                  Exit codes: 0 drafted; 2 usage, IO or data error, or too little data."
)]
pub(crate) struct DraftArgs {
    #[command(flatten)]
    log: LogArgs,
    /// Activities found in fewer cases than this share are left out (listed in a comment).
    #[arg(long, default_value_t = 0.05, value_name = "SHARE", value_parser = parse_share)]
    min_share: f64,
    /// Exactly this many stages (default: cut where customers wait much longer than usual).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    stages: Option<u16>,
    /// Leave out these event names (background events that are not journey steps); repeat or
    /// separate with commas.
    #[arg(long, value_name = "EVENT", value_delimiter = ',')]
    ignore: Vec<String>,
    /// The column with each event's channel; its most common values become touchpoints.
    #[arg(long, default_value = "channel", value_name = "COLUMN")]
    channel_col: String,
    /// The journey's id (default: from the output file's name).
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// The journey's name (default: "Journey drafted from" the event files).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// The map file to write (default: print it). An existing file is never overwritten unless
    /// --force is given.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Overwrite the output file if it exists.
    #[arg(long)]
    force: bool,
    /// The date written as each step's `evidence.verified` (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE")]
    today: Option<chrono::NaiveDate>,
}

fn parse_share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "`{text}` is not a share between 0 and 1 (e.g. 0.05)"
        )),
    }
}

pub(crate) fn run(args: &DraftArgs, color: Color) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.output
        && !args.force
        && path.exists()
    {
        bail!(
            "`{}` already exists; pass --force to overwrite it",
            path.display()
        );
    }
    let mut options = args.log.options(None, By::Event)?;
    options.tally_col = Some(args.channel_col.clone());
    // Customers files are read for their columns only: there are no persona rules yet.
    let customers = options.customers.take();
    let log = case_log::read(None, &options, color)?;
    let initiators = match has_column(&options.events, options.events_format, "initiator")? {
        true => {
            let mut again = options.clone();
            again.tally_col = Some("initiator".to_owned());
            Some(tallies(&case_log::read(None, &again, color)?))
        }
        false => None,
    };
    let customer_columns = match &customers {
        Some(path) => {
            let opened = source::open(path, None, ReadOptions::default())?;
            opened
                .columns
                .into_iter()
                .filter(|c| !c.eq_ignore_ascii_case(&options.columns.customer_id))
                .collect()
        }
        None => Vec::new(),
    };
    let files: Vec<String> = options
        .events
        .iter()
        .map(|p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let source_words = match files.as_slice() {
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} and {} more files", rest.len()),
        [] => "no files".to_owned(),
    };
    let journey_id = {
        let from = args
            .id
            .clone()
            .or_else(|| {
                args.output
                    .as_deref()
                    .and_then(Path::file_stem)
                    .map(|s| s.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "drafted-journey".to_owned());
        slug(&from)
    };
    if let Some(id) = &args.id
        && *id != journey_id
    {
        bail!(
            "--id `{id}` is not a valid id; ids are lower-case words joined by - or _, e.g. `{journey_id}`"
        );
    }
    let draft_options = DraftOptions {
        min_share: args.min_share,
        stages: args.stages.map(usize::from),
        journey_id,
        journey_name: args
            .name
            .clone()
            .unwrap_or_else(|| format!("Journey drafted from {source_words}")),
        event_col: options.columns.event.clone(),
        columns: options.columns.clone(),
        time_zone: args.log.tz.clone(),
        verified: Some(
            args.today
                .unwrap_or_else(|| chrono::Local::now().date_naive())
                .format("%Y-%m-%d")
                .to_string(),
        ),
        source: source_words,
        customer_columns,
        ignore: args.ignore.clone(),
        ..DraftOptions::default()
    };
    let inputs = DraftInputs {
        channels: Some(tallies(&log)),
        initiators,
    };
    let drafted = draft(&log, &inputs, &draft_options)?;
    let yaml = to_yaml(&drafted, &draft_options);

    // The promise is a map that passes `trailmap check`: hold the draft to it before writing.
    let checked = trailmap_check::check(&yaml, &CheckOptions { today: None }, None);
    if checked.has_errors() {
        let file = trailmap_diag::SourceFile::new("draft".to_owned(), yaml.clone());
        for d in &checked.diagnostics {
            eprint!("{}", trailmap_diag::render::human::render(&file, d, color));
        }
        bail!("the drafted map does not pass `trailmap check`; this is a bug, please report it");
    }

    let steps: usize = drafted.stages.iter().map(|s| s.steps.len()).sum();
    match &args.output {
        Some(path) => {
            write_new(path, yaml.as_bytes(), args.force)?;
            eprintln!(
                "drafted {} stages, {steps} steps from {} cases ({} rarer activities left out); wrote {file}\n\
                 next: `trailmap check {file}`, then `trailmap analyze {file} --events ...`",
                drafted.stages.len(),
                drafted.cases,
                drafted.rare_total,
                file = path.display()
            );
        }
        None => crate::output::print_stdout(&yaml)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `CaseLog::tallies` by activity name.
fn tallies(log: &CaseLog) -> Tallies {
    log.activities
        .iter()
        .zip(&log.tallies)
        .map(|(a, t)| (a.clone(), t.clone()))
        .collect()
}

/// Whether any of the event files has `column`.
fn has_column(
    files: &[PathBuf],
    format: Option<trailmap_engine::FileFormat>,
    column: &str,
) -> anyhow::Result<bool> {
    for path in files {
        let opened = source::open(
            path,
            format,
            ReadOptions {
                skip_bad_rows: true,
            },
        )?;
        if opened
            .columns
            .iter()
            .any(|c| c.eq_ignore_ascii_case(column))
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A valid id made of `text`: lower-case letters and digits, other runs become `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_lowercase()
            || c.is_ascii_digit()
            || ((c == '_' || c == '-') && !out.is_empty())
        {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches(['-', '_']).to_owned();
    if out.is_empty() {
        "drafted-journey".to_owned()
    } else {
        out
    }
}

fn write_new(path: &Path, bytes: &[u8], force: bool) -> anyhow::Result<()> {
    if force {
        return crate::output::write_atomic(path, bytes);
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| match path.exists() {
            true => format!(
                "`{}` already exists; pass --force to overwrite it",
                path.display()
            ),
            false => format!("cannot create `{}`", path.display()),
        })?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write `{}`", path.display()))
}
