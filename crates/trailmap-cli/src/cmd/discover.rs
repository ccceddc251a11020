//! `trailmap discover --events PATH...`: the paths customers really take.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;
use trailmap_diag::render::Color;
use trailmap_engine::log::By;
use trailmap_model::paths::Discovery;
use trailmap_paths::conform::persona_log;
use trailmap_paths::discover::{DiscoverOptions, discover};
use trailmap_render::paths::{PathsOptions, render_dfg_svg, render_paths_html};

use crate::cmd::case_log::{self, ByArg, LogArgs};
use crate::output::{self, OutputKind};

#[derive(Debug, clap::Args)]
#[command(
    long_about = "Discover the paths customers really take: the directly-follows graph (how often one \
                  activity directly follows another, and how long it takes), the start and end activities, \
                  the variants (distinct activity sequences) and how long cases last. With a map, activities \
                  are its steps: an event becomes the first step, in map order, whose `match` it satisfies; \
                  events matching no step are dropped and counted. Without a map, or with --by event, \
                  activities are the event names. Every figure has pm4py's semantics (discover_dfg, \
                  discover_performance_dfg, get_variants, get_all_case_durations); definitions: docs/paths.md.\n\n\
                  Exit codes: 0 discovered; 2 usage, IO, data or map error."
)]
pub(crate) struct DiscoverArgs {
    #[command(flatten)]
    log: LogArgs,
    /// A map whose steps are the activities (and whose `data:` section gives column names).
    #[arg(long, value_name = "MAP")]
    map: Option<PathBuf>,
    /// Only the customers of this persona of the map (needs --map and --customers, on which
    /// the map's persona rules decide who is who).
    #[arg(long, value_name = "PERSONA")]
    persona: Option<String>,
    /// What an activity is. Default: step with --map, else event.
    #[arg(long, value_enum, value_name = "WHAT")]
    by: Option<ByArg>,
    /// How many variants to list (text, JSON); `all` lists every one.
    #[arg(long, default_value = "10", value_name = "N|all", value_parser = parse_top)]
    top: Top,
    /// Output on stdout: text (a summary) or json (every figure, with a `version`).
    #[arg(long, value_enum, default_value_t = DiscoverFormat::Text)]
    format: DiscoverFormat,
    /// Also write the result to FILE: `.json` for the JSON, `.html` for a page with the
    /// flow (Sankey), the directly-follows graph, the variants and the slowest moves, `.svg`
    /// for the directly-follows graph alone.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiscoverFormat {
    Text,
    Json,
}

/// `--top`: a number of variants, or every variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Top(Option<usize>);

fn parse_top(text: &str) -> Result<Top, String> {
    if text.eq_ignore_ascii_case("all") {
        return Ok(Top(None));
    }
    text.parse::<usize>()
        .map(|n| Top(Some(n)))
        .map_err(|_| format!("`{text}` is not a number of variants or `all`"))
}

pub(crate) fn run(args: &DiscoverArgs, color: Color) -> anyhow::Result<ExitCode> {
    let map = args
        .map
        .as_deref()
        .map(|path| crate::load::load_map(path, color))
        .transpose()?;
    let by = match (args.by, &map) {
        (Some(ByArg::Step), None) => {
            bail!("--by step needs --map: the activities are the map's steps")
        }
        (Some(by), _) => by.by(),
        (None, Some(_)) => By::Step,
        (None, None) => By::Event,
    };
    let output_kind = match &args.output {
        None => None,
        Some(path) => Some(OutputKind::of(
            path,
            &[OutputKind::Json, OutputKind::Html, OutputKind::Svg],
        )?),
    };
    if let Some(persona) = &args.persona {
        let Some(map) = &map else {
            bail!("--persona needs --map: the personas are the map's");
        };
        case_log::check_persona(map, persona, &args.log)?;
    }
    let options = args.log.options(map.as_ref(), by)?;
    let started = Instant::now();
    let map_ref = map.as_ref().zip(args.map.as_deref());
    let mut log = case_log::read(map_ref, &options, color)?;
    if let Some(persona) = &args.persona {
        // Checked above that the map has it, so the log lists it.
        if let Some(subset) = persona_log(&log, persona) {
            log = subset;
        }
    }
    let discover_options = DiscoverOptions {
        top_variants: args.top.0,
        by,
        journey: map.as_ref().map(|m| m.journey.id.clone()),
        persona: args.persona.clone(),
    };
    let discovery = discover(&log, &discover_options);
    let elapsed = started.elapsed();

    match (output_kind, &args.output) {
        (Some(OutputKind::Json), Some(path)) => {
            output::write_atomic(path, to_json(&discovery)?.as_bytes())?
        }
        (Some(kind @ (OutputKind::Html | OutputKind::Svg)), Some(path)) => {
            // The pictures draw every variant (the flow view), whatever --top lists.
            let full = match args.top.0 {
                None => discovery.clone(),
                Some(_) => discover(
                    &log,
                    &DiscoverOptions {
                        top_variants: None,
                        ..discover_options.clone()
                    },
                ),
            };
            let options = PathsOptions {
                title: Some(log_title(&args.log.events)),
                ..PathsOptions::default()
            };
            let page = match kind {
                OutputKind::Svg => render_dfg_svg(&full, map.as_ref(), &options),
                _ => render_paths_html(&full, map.as_ref(), &options),
            };
            output::write_atomic(path, page.as_bytes())?;
        }
        _ => {}
    }
    match args.format {
        DiscoverFormat::Json => output::print_stdout(&to_json(&discovery)?)?,
        DiscoverFormat::Text => {
            output::print_stdout(&crate::cmd::discover_text::render(&discovery, 10, 10))?
        }
    }
    eprintln!(
        "discovered {} cases, {} events in {:.2}s{}",
        discovery.cases,
        discovery.events,
        elapsed.as_secs_f64(),
        args.output
            .as_ref()
            .map(|p| format!("; wrote {}", p.display()))
            .unwrap_or_default()
    );
    // Millions of small allocations (case ids): the process ends now, so leave them to the OS
    // instead of freeing them one by one (a measurable share of a 10M-event run).
    std::mem::forget(log);
    Ok(ExitCode::SUCCESS)
}

/// The page's title: the event files' names.
pub(crate) fn log_title(events: &[String]) -> String {
    let names: Vec<String> = events
        .iter()
        .map(|p| {
            std::path::Path::new(p)
                .file_name()
                .map_or_else(|| p.clone(), |n| n.to_string_lossy().into_owned())
        })
        .collect();
    if names.is_empty() {
        "Event log".to_owned()
    } else {
        names.join(", ")
    }
}

fn to_json(discovery: &Discovery) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(discovery)?;
    text.push('\n');
    Ok(text)
}
