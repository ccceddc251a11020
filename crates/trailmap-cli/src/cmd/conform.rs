//! `trailmap conform MAP --events PATH...`: how real journeys compare with the designed order.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use trailmap_diag::render::Color;
use trailmap_engine::log::By;
use trailmap_paths::conform::{ConformOptions, conform, persona_log};
use trailmap_paths::discover::{DiscoverOptions, discover};

use crate::cmd::case_log::{self, LogArgs};
use crate::output::{self, OutputKind};

#[derive(Debug, clap::Args)]
#[command(
    long_about = "Compare each customer's journey with the map's designed order (stages in order, steps in \
                  order within a stage; a step with `personas` is only expected of those personas). An event \
                  becomes the first step, in map order, whose `match` it satisfies; back-to-back events of the \
                  same step are one visit. A customer follows the map when their visits walk their path \
                  forward, skipping only `optional` steps, never going back or taking a step twice; ending \
                  early is reported apart. Reports the share following the map, an alignment-based fitness, \
                  skipped steps, backward moves, loops, unexpected entries, where journeys end, and the top \
                  deviations with their outcome rates (churn, renewal, ...) against customers who follow the \
                  map and got as far, tested for significance with Holm's correction; everything for \
                  everyone and per persona. Definitions: docs/conformance.md.\n\n\
                  Exit codes: 0 compared; 2 usage, IO, data or map error."
)]
pub(crate) struct ConformArgs {
    /// The map whose designed order journeys are compared with. It must have no errors.
    #[arg(value_name = "MAP")]
    map: PathBuf,
    #[command(flatten)]
    log: LogArgs,
    /// Only this persona's customers (needs --customers).
    #[arg(long, value_name = "ID")]
    persona: Option<String>,
    /// A numeric column (e.g. revenue) summed per customer: each group's mean value per
    /// customer is compared too.
    #[arg(long, value_name = "COLUMN")]
    value_col: Option<String>,
    /// How many deviations, paths off the map and headlines to list per group of customers.
    #[arg(long, default_value_t = 10, value_name = "N")]
    top: usize,
    /// Output on stdout: text (what a CX lead reads) or json (every figure, with a `version`).
    #[arg(long, value_enum, default_value_t = ConformFormat::Text)]
    format: ConformFormat,
    /// Also write the result to FILE: `.json` for the JSON, `.html` for a page with the
    /// deviations and the directly-follows graph over the designed path.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ConformFormat {
    Text,
    Json,
}

pub(crate) fn run(args: &ConformArgs, color: Color) -> anyhow::Result<ExitCode> {
    let output_kind = args
        .output
        .as_deref()
        .map(|path| OutputKind::of(path, &[OutputKind::Json, OutputKind::Html]))
        .transpose()?;
    let map = crate::load::load_map(&args.map, color)?;
    if let Some(id) = &args.persona {
        case_log::check_persona(&map, id, &args.log)?;
    }
    let mut options = args.log.options(Some(&map), By::Step)?;
    options.value_col = args.value_col.clone();
    let started = Instant::now();
    let log = case_log::read(Some((&map, &args.map)), &options, color)?;
    let conform_options = ConformOptions {
        top: args.top,
        persona: args.persona.clone(),
        value_col: args.value_col.clone(),
        events: options
            .events
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        customers: options.customers.as_ref().map(|p| p.display().to_string()),
        ..ConformOptions::default()
    };
    let conformance = conform(&map, &log, &conform_options)?;
    let elapsed = started.elapsed();
    let json = {
        let mut text = serde_json::to_string_pretty(&conformance)?;
        text.push('\n');
        text
    };
    match (output_kind, &args.output) {
        (Some(OutputKind::Json), Some(path)) => output::write_atomic(path, json.as_bytes())?,
        (Some(OutputKind::Html), Some(path)) => {
            let discover_options = DiscoverOptions {
                top_variants: None,
                by: By::Step,
                journey: Some(map.journey.id.clone()),
                persona: None,
            };
            let everyone = discover(&log, &discover_options);
            let personas: BTreeMap<String, _> = conformance
                .personas
                .keys()
                .filter_map(|id| {
                    let options = DiscoverOptions {
                        persona: Some(id.clone()),
                        ..discover_options.clone()
                    };
                    persona_log(&log, id).map(|sub| (id.clone(), discover(&sub, &options)))
                })
                .collect();
            let page = trailmap_render::paths::render_conformance_html(
                &conformance,
                &everyone,
                &personas,
                &map,
                &trailmap_render::paths::PathsOptions::default(),
            );
            output::write_atomic(path, page.as_bytes())?;
        }
        _ => {}
    }
    match args.format {
        ConformFormat::Json => output::print_stdout(&json)?,
        ConformFormat::Text => output::print_stdout(&crate::cmd::conform_text::render(
            &conformance,
            &map,
            args.top,
        ))?,
    }
    eprintln!(
        "read {} events matching a step ({} matching none); compared {} customers in {:.2}s{}",
        log.events.len(),
        conformance.inputs.unmapped_events,
        conformance.inputs.customers_analysed,
        elapsed.as_secs_f64(),
        args.output
            .as_ref()
            .map(|p| format!("; wrote {}", p.display()))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}
