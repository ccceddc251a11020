//! `trailmap analyze MAP --events PATH...`: measure the map against customer data.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration as StdDuration, Instant};

use anyhow::{Context, bail};
use trailmap_check::ExprKind;
use trailmap_diag::render::Color;
use trailmap_diag::{Code, Diagnostic, SourceFile};
use trailmap_engine::{
    AnalyzeOptions, ColumnNames, EngineError, ExprSite, FileFormat, Phase, Progress, Zone,
};
use trailmap_model::Duration;

use crate::output;

#[derive(Debug, clap::Args)]
#[command(
    long_about = "Measure a journey map against customer event data. Each step's `match` expression says \
                  which events are evidence that a customer took the step; analyze reads the event files \
                  and reports, for every step, stage and persona: reach, continuation and drop-off, time to \
                  the next step, NPS/CSAT/CES, sentiment of free text, outcome rates after the step (churn, \
                  renewal, ...) with their lift and significance, channel mix and repeat contacts; plus the \
                  events the map does not cover and the KPI targets the data breaks. Definitions: \
                  docs/evidence.md.\n\n\
                  Exit codes: 0 analysed, every KPI target met; 1 analysed, some KPI target breached; \
                  2 usage, IO, data or map error."
)]
pub(crate) struct AnalyzeArgs {
    /// The map to measure. It must have no errors.
    #[arg(value_name = "MAP")]
    map: PathBuf,
    /// Event files: .csv, .csv.gz, .jsonl, .jsonl.gz, .parquet, .xes, .xes.gz; several files or
    /// quoted globs.
    #[arg(long, short, required = true, num_args = 1.., value_name = "PATH")]
    events: Vec<String>,
    /// Force the event file format instead of taking it from each file's extension; `segment`
    /// reads Segment-spec JSON Lines (see docs/analyze.md).
    #[arg(long, value_enum, value_name = "FORMAT")]
    events_format: Option<FormatArg>,
    /// Customers file (customer id plus attributes) on which persona rules are evaluated.
    #[arg(long, value_name = "PATH")]
    customers: Option<PathBuf>,
    /// Write result.json here (default: print a summary only).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also draw the map with the measured figures on it, as one self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Summary format on stdout: human, or json (the whole result).
    #[arg(long, value_enum, default_value_t = SummaryFormat::Human)]
    format: SummaryFormat,
    /// The customer id column. Default: the map's `data.columns.customer_id`, else `customer_id`.
    #[arg(long, value_name = "COLUMN")]
    customer_col: Option<String>,
    /// The event time column. Default: the map's `data.columns.timestamp`, else `timestamp`.
    #[arg(long, value_name = "COLUMN")]
    time_col: Option<String>,
    /// The event name column. Default: the map's `data.columns.event`, else `event`.
    #[arg(long, value_name = "COLUMN")]
    event_col: Option<String>,
    /// Time zone for times without an offset (IANA name or +HH:MM). Default: the map's
    /// `data.time_zone`, else UTC.
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// How long after a step an answer or text still belongs to it (e.g. 30d).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    feedback_window: Option<Duration>,
    /// How long after a step an outcome counts for it (e.g. 90d).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    outcome_window: Option<Duration>,
    /// Two matching events within this window make a repeat contact (e.g. 7d).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    repeat_window: Option<Duration>,
    /// Analyse only this persona's customers (needs --customers).
    #[arg(long, value_name = "ID")]
    persona: Option<String>,
    /// Only events at or after this time (RFC 3339 or YYYY-MM-DD).
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Only events before this time (RFC 3339 or YYYY-MM-DD).
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// Count and skip malformed rows (bad time, score or quoting) instead of stopping at the first.
    #[arg(long)]
    skip_bad_rows: bool,
    /// Also give every figure per calendar week or month (each period's events alone, in
    /// `periods` of result.json; one more pass over the data per period).
    #[arg(long, value_enum, value_name = "PERIOD")]
    by: Option<crate::period::By>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FormatArg {
    Csv,
    Jsonl,
    Parquet,
    Xes,
    Segment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SummaryFormat {
    Human,
    Json,
}

impl FormatArg {
    pub(crate) fn format(self) -> FileFormat {
        match self {
            FormatArg::Csv => FileFormat::Csv,
            FormatArg::Jsonl => FileFormat::Jsonl,
            FormatArg::Parquet => FileFormat::Parquet,
            FormatArg::Xes => FileFormat::Xes,
            FormatArg::Segment => FileFormat::Segment,
        }
    }
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    Duration::parse(text).map_err(|e| e.to_string())
}

pub(crate) fn run(args: &AnalyzeArgs, color: Color) -> anyhow::Result<ExitCode> {
    let map = crate::load::load_map(&args.map, color)?;
    let data = &map.data;
    let zone_name = args
        .tz
        .clone()
        .or_else(|| data.time_zone.clone())
        .unwrap_or_else(|| "UTC".to_owned());
    let zone: Zone = zone_name.parse().map_err(anyhow::Error::msg)?;
    let window = |flag: Option<Duration>, map: Option<Duration>, default_days: u64| {
        flag.or(map)
            .unwrap_or(Duration::from_days(default_days))
            .seconds() as i64
    };
    let options = AnalyzeOptions {
        events: expand_paths(&args.events)?,
        events_format: args.events_format.map(FormatArg::format),
        customers: args.customers.clone(),
        columns: ColumnNames {
            customer_id: args
                .customer_col
                .clone()
                .or_else(|| data.columns.customer_id.clone())
                .unwrap_or_else(|| "customer_id".to_owned()),
            timestamp: args
                .time_col
                .clone()
                .or_else(|| data.columns.timestamp.clone())
                .unwrap_or_else(|| "timestamp".to_owned()),
            event: args
                .event_col
                .clone()
                .or_else(|| data.columns.event.clone())
                .unwrap_or_else(|| "event".to_owned()),
        },
        zone,
        zone_name,
        feedback_window_s: window(args.feedback_window, data.windows.feedback, 30),
        outcome_window_s: window(args.outcome_window, data.windows.outcome, 90),
        repeat_window_s: window(args.repeat_window, data.windows.repeat, 7),
        persona: args.persona.clone(),
        since: time_flag(&args.since, "since", zone)?,
        until: time_flag(&args.until, "until", zone)?,
        skip_bad_rows: args.skip_bad_rows,
    };

    let started = Instant::now();
    let mut bar = ProgressLine::new();
    let result = trailmap_engine::analyze(&map, &options, &mut |p| bar.update(p));
    bar.finish();
    let mut analysis = match result {
        Ok(analysis) => analysis,
        Err(error) => return Err(explain(error, &args.map, color)),
    };
    if let (Some(by), Some(span)) = (args.by, analysis.inputs.time_span.clone()) {
        analysis.periods = by_period(&map, &options, by, &span, &mut bar)
            .map_err(|e| explain(e, &args.map, color))?;
        bar.finish();
    }
    let elapsed = started.elapsed();

    let json = {
        let mut text = serde_json::to_string_pretty(&analysis)?;
        text.push('\n');
        text
    };
    if let Some(path) = &args.output {
        output::write_atomic(path, json.as_bytes())?;
    }
    if let Some(path) = &args.html {
        let options = trailmap_render::RenderOptions {
            persona: args.persona.clone(),
            lanes: None,
            evidence: Some(analysis.clone()),
            today: Some(crate::cmd::render::today()),
        };
        output::write_atomic(
            path,
            trailmap_render::html::render(&map, &options).as_bytes(),
        )?;
    }
    match args.format {
        SummaryFormat::Json => output::print_stdout(&json)?,
        SummaryFormat::Human => output::print_stdout(&crate::summary::render(&analysis))?,
    }
    eprintln!(
        "analysed {} events of {} customers in {:.2}s{}",
        analysis.inputs.analysed_events,
        analysis.inputs.customers_analysed,
        elapsed.as_secs_f64(),
        [&args.output, &args.html]
            .into_iter()
            .flatten()
            .map(|p| format!("; wrote {}", p.display()))
            .collect::<String>()
    );
    Ok(if analysis.kpi_breaches.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The analysis of each period's events alone. Period edges are midnights in the analysis's
/// time zone; the span is widened by a day each way so no event falls outside, and periods
/// without events are left out.
fn by_period(
    map: &trailmap_model::Map,
    options: &AnalyzeOptions,
    by: crate::period::By,
    span: &trailmap_model::analysis::TimeSpan,
    bar: &mut ProgressLine,
) -> Result<Vec<trailmap_model::analysis::PeriodResult>, EngineError> {
    let date = |text: &str| {
        chrono::NaiveDate::parse_from_str(&text[..10.min(text.len())], "%Y-%m-%d").ok()
    };
    let (Some(first), Some(last)) = (date(&span.from), date(&span.to)) else {
        return Ok(Vec::new());
    };
    let day = chrono::TimeDelta::days(1);
    let mut out = Vec::new();
    for period in crate::period::periods(by, first - day, last + day) {
        let at = |d: chrono::NaiveDate| {
            trailmap_engine::time::parse_text(&d.format("%Y-%m-%d").to_string(), options.zone)
        };
        let (Some(start), Some(end)) = (at(period.start), at(period.end)) else {
            continue;
        };
        let mut period_options = options.clone();
        period_options.since = Some(options.since.map_or(start, |s| s.max(start)));
        period_options.until = Some(options.until.map_or(end, |u| u.min(end)));
        let analysis = trailmap_engine::analyze(map, &period_options, &mut |p| bar.update(p))?;
        if analysis.inputs.analysed_events == 0 {
            continue;
        }
        out.push(trailmap_model::analysis::PeriodResult {
            period: period.label,
            from: trailmap_engine::time::format_micros(start),
            until: trailmap_engine::time::format_micros(end),
            analysis,
        });
    }
    Ok(out)
}

/// Expands quoted globs (`'data/*.parquet'`); plain paths pass through unchanged.
/// The value of `--since`/`--until` (named by `what`) as microseconds since the epoch.
pub(crate) fn time_flag(
    text: &Option<String>,
    what: &str,
    zone: Zone,
) -> anyhow::Result<Option<i64>> {
    text.as_deref()
        .map(|t| {
            trailmap_engine::time::parse_text(t, zone).with_context(|| {
                format!("--{what} `{t}` is not a time; write 2026-01-31 or 2026-01-31T00:00:00Z")
            })
        })
        .transpose()
}

pub(crate) fn expand_paths(patterns: &[String]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for pattern in patterns {
        if !pattern.contains(['*', '?', '[']) {
            out.push(PathBuf::from(pattern));
            continue;
        }
        let mut matched: Vec<PathBuf> = glob::glob(pattern)
            .with_context(|| format!("`{pattern}` is not a valid glob"))?
            .filter_map(Result::ok)
            .filter(|p| p.is_file())
            .collect();
        if matched.is_empty() {
            bail!("`{pattern}` matches no file");
        }
        matched.sort();
        out.extend(matched);
    }
    Ok(out)
}

/// Turns an engine error into a message; a problem with one of the map's expressions is shown
/// at its place in the map file, like `trailmap check` would.
pub(crate) fn explain(error: EngineError, map_path: &Path, color: Color) -> anyhow::Error {
    let located = match &error {
        EngineError::UnknownColumn {
            site,
            column,
            available,
            ..
        } => Some((site.clone(), Some(column.clone()), Some(available.clone()))),
        EngineError::Expression { site, .. } => Some((site.clone(), None, None)),
        _ => None,
    };
    if let Some((site, column, available)) = located
        && let Ok(text) = std::fs::read_to_string(map_path)
    {
        let (kind, owner) = match &site {
            ExprSite::StepMatch { step } => (ExprKind::StepMatch, step.as_str()),
            ExprSite::StepFeedback { step } => (ExprKind::StepFeedback, step.as_str()),
            ExprSite::PersonaRule { persona } => (ExprKind::PersonaRule, persona.as_str()),
            ExprSite::Outcome { name } => (ExprKind::Outcome, name.as_str()),
        };
        if let Some(span) = trailmap_check::locate_expression(&text, kind, owner, column.as_deref())
        {
            let help = available.map(|columns| {
                let close = column
                    .as_deref()
                    .and_then(|c| {
                        columns.iter().max_by(|a, b| {
                            strsim::jaro_winkler(c, a).total_cmp(&strsim::jaro_winkler(c, b))
                        })
                    })
                    .filter(|best| {
                        column
                            .as_deref()
                            .is_some_and(|c| strsim::jaro_winkler(c, best) > 0.8)
                    });
                match close {
                    Some(best) => format!(
                        "did you mean `{best}`? the data's columns are: {}",
                        columns.join(", ")
                    ),
                    None => format!("the data's columns are: {}", columns.join(", ")),
                }
            });
            let code = Code {
                id: "E101",
                name: "unknown-column",
            };
            let diagnostic = Diagnostic::error(code, span, error.to_string())
                .with_label("not in the data")
                .with_help_opt(help);
            let file = SourceFile::new(map_path.display().to_string(), text);
            eprint!(
                "{}",
                trailmap_diag::render::human::render(&file, &diagnostic, color)
            );
            return anyhow::anyhow!("the map does not fit the data (see above)");
        }
    }
    anyhow::Error::new(error)
}

/// A one-line progress display on stderr, only when stderr is a terminal.
pub(crate) struct ProgressLine {
    enabled: bool,
    started: Instant,
    last: Instant,
    drawn: bool,
}

impl ProgressLine {
    pub(crate) fn new() -> ProgressLine {
        let now = Instant::now();
        ProgressLine {
            enabled: std::io::stderr().is_terminal(),
            started: now,
            last: now,
            drawn: false,
        }
    }

    pub(crate) fn update(&mut self, progress: Progress) {
        if !self.enabled || self.last.elapsed() < StdDuration::from_millis(200) {
            return;
        }
        self.last = Instant::now();
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        let rate = progress.rows as f64 / seconds;
        let line = match progress.phase {
            Phase::Scanning => {
                let eta = if progress.files_done > 0 && progress.files > progress.files_done {
                    let per_file = seconds / progress.files_done as f64;
                    format!(
                        ", ETA {:.0}s",
                        per_file * (progress.files - progress.files_done) as f64
                    )
                } else {
                    String::new()
                };
                format!(
                    "scanning: {} events, {:.1}M events/s, file {}/{}{eta}",
                    progress.rows,
                    rate / 1e6,
                    (progress.files_done + 1).min(progress.files),
                    progress.files
                )
            }
            Phase::Measuring => format!("measuring {} events per customer...", progress.rows),
        };
        eprint!("\r\x1b[2K{line}");
        self.drawn = true;
    }

    pub(crate) fn finish(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[2K");
        }
    }
}
