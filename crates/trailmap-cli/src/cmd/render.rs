//! `trailmap render MAP -o OUT [--persona ID] [--lanes a,b] [--evidence result.json]
//! [--today DATE] [--format html|svg|png]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use trailmap_diag::render::Color;
use trailmap_model::Map;
use trailmap_model::analysis::{Analysis, RESULT_VERSION};
use trailmap_render::{Date, Lane, RenderOptions};

#[derive(Debug, clap::Args)]
pub(crate) struct RenderArgs {
    /// The map to draw. It must have no errors.
    #[arg(value_name = "MAP")]
    map: PathBuf,
    /// Write the picture to this file; its extension picks the format (.html, .svg, .png).
    #[arg(
        long,
        short,
        value_name = "OUT",
        long_help = "Write the picture to this file. Its extension picks the format: .html (one \
                     self-contained page that works offline and prints on A3/A4 landscape), .svg \
                     (a standalone picture for slides) or .png (needs Debian's chromium package). \
                     Without it, HTML or SVG goes to stdout."
    )]
    output: Option<PathBuf>,
    /// Draw only this persona's journey (a persona id from the map).
    #[arg(
        long,
        value_name = "ID",
        long_help = "Draw only this persona's journey: the steps that list no persona or list this \
                     one, and the pain points that name no persona or this one. Only this persona's \
                     card is drawn."
    )]
    persona: Option<String>,
    /// The lanes (rows) to draw, comma-separated, e.g. `does,feels,emotion,pain-points`.
    #[arg(
        long,
        value_name = "LANES",
        value_parser = parse_lanes,
        long_help = "The lanes (rows) to draw, comma-separated; they are drawn in the map's usual \
                     order. Lanes: does, goal, thinks, feels, emotion, reach, feedback, outcomes \
                     (these three only with --evidence), touchpoints, frontstage, backstage, \
                     department, employee, pain-points, opportunities, kpis. Lanes with nothing in \
                     them are left out either way."
    )]
    lanes: Option<LaneList>,
    /// Draw what `trailmap analyze` measured (its result.json) on the map.
    #[arg(
        long,
        value_name = "RESULT",
        long_help = "Draw what `trailmap analyze` measured on the map: its result.json. Each step \
                     gets its reach with the share that dropped off, the time to the next step, \
                     NPS, CSAT, CES and sentiment, and the outcomes that follow it; the emotion \
                     curve gets a dashed measured line beside the designed one; KPI targets show \
                     their actual values (\u{2713} met, \u{2715} missed); steps no customer reached \
                     are marked. With --persona, that persona's figures are drawn. See \
                     docs/evidence.md."
    )]
    evidence: Option<PathBuf>,
    /// The date evidence ages are counted from (YYYY-MM-DD). Default: today.
    #[arg(
        long,
        value_name = "DATE",
        value_parser = parse_date,
        long_help = "The date evidence ages are counted from (YYYY-MM-DD): a step whose \
                     `evidence.verified` is older than the map's `lint.stale_after` (default 365 \
                     days) is marked stale. Default: today. Pass a fixed date for renderings that \
                     must not change from day to day."
    )]
    today: Option<Date>,
    /// The format; by default taken from OUT's extension, else html.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One self-contained HTML page: inline CSS and SVG, no script, no request.
    Html,
    /// A standalone SVG picture.
    Svg,
    /// A PNG screenshot of the HTML page, taken by headless Chromium.
    Png,
}

/// The validated `--lanes` list.
#[derive(Debug, Clone)]
struct LaneList(Vec<Lane>);

fn parse_lanes(text: &str) -> Result<LaneList, trailmap_render::ParseLaneError> {
    Lane::parse_list(text).map(LaneList)
}

fn parse_date(text: &str) -> Result<Date, trailmap_render::ParseDateError> {
    text.parse()
}

/// A result.json larger than this is refused before reading: a real one is a few megabytes
/// even for a large map with many personas.
const MAX_RESULT_BYTES: u64 = 256 * 1024 * 1024;

/// Reads and parses a result.json, with errors that name the file: bad JSON (with its line
/// and column), a `version` this build does not read, or a shape that is not an analysis.
pub(crate) fn load_evidence(path: &Path) -> anyhow::Result<Analysis> {
    let metadata =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if metadata.is_dir() {
        bail!("`{}` is a folder, not a result.json", path.display());
    }
    if metadata.len() > MAX_RESULT_BYTES {
        bail!(
            "`{}` is {} MB; a result.json is at most {} MB",
            path.display(),
            metadata.len() / 1_000_000,
            MAX_RESULT_BYTES / 1_000_000
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    // Check the syntax, then read the version alone (skipping the rest is cheap), so a file of
    // another version gets a message about its version rather than about whichever field
    // changed.
    serde_json::from_str::<serde::de::IgnoredAny>(&text).map_err(|e| {
        anyhow::anyhow!(
            "`{}` is not valid JSON: {} at line {}, column {}",
            path.display(),
            strip_position(&e.to_string()),
            e.line(),
            e.column()
        )
    })?;
    if !text.trim_start().starts_with('{') {
        bail!(
            "`{}` is not a result.json of `trailmap analyze`: it is not a JSON object",
            path.display()
        );
    }
    #[derive(serde::Deserialize)]
    struct Versioned {
        version: Option<serde_json::Value>,
    }
    let versioned: Versioned = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "`{}` is not a result.json of `trailmap analyze`: {e}",
            path.display()
        )
    })?;
    match versioned.version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(RESULT_VERSION)) => {}
        Some(other) => bail!(
            "`{}` is result.json version {other}; this trailmap reads version {RESULT_VERSION} \
             (run `trailmap analyze` again, or use a matching trailmap)",
            path.display()
        ),
        None => bail!(
            "`{}` has no `version`: is it the result.json written by `trailmap analyze`?",
            path.display()
        ),
    }
    serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "`{}` is not a result.json of `trailmap analyze`: {e}",
            path.display()
        )
    })
}

/// serde_json's message without its trailing " at line L column C", which we say our way.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |idx| &message[..idx])
}

/// Warns on stderr when an analysis was made for another map, or misses some of its steps:
/// the figures are drawn all the same, matched by step id.
pub(crate) fn warn_if_mismatched(
    map: &Map,
    map_path: &Path,
    analysis: &Analysis,
    result_path: &Path,
) {
    if analysis.journey.id != map.journey.id {
        eprintln!(
            "trailmap: warning: `{}` measured journey `{}`, but `{}` is journey `{}`; steps are matched by id",
            result_path.display(),
            analysis.journey.id,
            map_path.display(),
            map.journey.id
        );
    }
    let missing: Vec<&str> = map
        .steps()
        .map(|s| s.step.id.as_str())
        .filter(|id| !analysis.steps.iter().any(|s| s.id == *id))
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "trailmap: warning: `{}` has no figures for {} of the map's steps ({}); they are marked \"no evidence in data\"",
            result_path.display(),
            missing.len(),
            missing.join(", ")
        );
    }
}

fn format_of(path: &Path) -> Option<Format> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => Some(Format::Html),
        "svg" => Some(Format::Svg),
        "png" => Some(Format::Png),
        _ => None,
    }
}

pub(crate) fn run(args: &RenderArgs, color: Color) -> anyhow::Result<ExitCode> {
    let format = match (args.format, args.output.as_deref()) {
        (Some(format), _) => format,
        (None, Some(path)) if path != Path::new("-") => match format_of(path) {
            Some(format) => format,
            None => bail!(
                "cannot tell the format from `{}`; name the file .html, .svg or .png, or pass --format",
                path.display()
            ),
        },
        (None, _) => Format::Html,
    };
    let map = crate::load::load_map(&args.map, color)?;
    if let Some(persona) = &args.persona
        && map.persona(persona).is_none()
    {
        let known: Vec<&str> = map.personas.iter().map(|p| p.id.as_str()).collect();
        if known.is_empty() {
            bail!(
                "`{}` has no personas, so there is no persona `{persona}` to draw",
                args.map.display()
            );
        }
        bail!(
            "`{}` has no persona `{persona}`; its personas are: {}",
            args.map.display(),
            known.join(", ")
        );
    }
    let evidence = match &args.evidence {
        Some(path) => {
            let analysis = load_evidence(path)?;
            warn_if_mismatched(&map, &args.map, &analysis, path);
            Some(analysis)
        }
        None => None,
    };
    let today = args.today.unwrap_or_else(today);
    let options = RenderOptions {
        persona: args.persona.clone(),
        lanes: args.lanes.as_ref().map(|l| l.0.clone()),
        evidence,
        today: Some(today),
    };
    match format {
        Format::Html => crate::output::write_output(
            args.output.as_deref(),
            &trailmap_render::html::render(&map, &options),
        )?,
        Format::Svg => crate::output::write_output(
            args.output.as_deref(),
            &trailmap_render::svg::render(&map, &options),
        )?,
        Format::Png => {
            let Some(out) = args.output.as_deref().filter(|p| *p != Path::new("-")) else {
                bail!("a PNG needs a file: pass -o map.png");
            };
            crate::png::html_to_png(&trailmap_render::html::render(&map, &options), out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Today's local date, for the marks that depend on it (stale evidence).
pub(crate) fn today() -> Date {
    use chrono::Datelike;
    let now = chrono::Local::now().date_naive();
    Date::new(now.year(), now.month(), now.day()).expect("chrono gives real dates")
}
