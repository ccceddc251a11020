//! The arguments every command that reads a case log shares (`discover`, `export-xes`,
//! `conform`, `draft`), and reading the log with a progress line.

use std::path::Path;

use trailmap_diag::render::Color;
use trailmap_engine::ColumnNames;
use trailmap_engine::Zone;
use trailmap_engine::log::{By, CaseLog, LogOptions};
use trailmap_model::Map;

use crate::cmd::analyze::{FormatArg, ProgressLine, expand_paths, explain, time_flag};

/// Where the events are and how to read them.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct LogArgs {
    /// Event files: .csv, .csv.gz, .jsonl, .jsonl.gz, .parquet, .xes, .xes.gz; several files or
    /// quoted globs.
    #[arg(long, short, required = true, num_args = 1.., value_name = "PATH")]
    pub(crate) events: Vec<String>,
    /// Force the event file format instead of taking it from each file's extension.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) events_format: Option<FormatArg>,
    /// Customers file (customer id plus attributes) on which the map's persona rules are
    /// evaluated.
    #[arg(long, value_name = "PATH")]
    pub(crate) customers: Option<std::path::PathBuf>,
    /// The case (customer) id column. Default: the map's `data.columns.customer_id`, else
    /// `customer_id` (XES: the trace's `concept:name`).
    #[arg(long, alias = "customer-col", value_name = "COLUMN")]
    pub(crate) case_col: Option<String>,
    /// The event time column. Default: the map's `data.columns.timestamp`, else `timestamp`
    /// (XES: `time:timestamp`).
    #[arg(long, alias = "time-col", value_name = "COLUMN")]
    pub(crate) timestamp_col: Option<String>,
    /// The event name column, the activity by event. Default: the map's
    /// `data.columns.event`, else `event` (XES: the event's `concept:name`).
    #[arg(long, alias = "event-col", value_name = "COLUMN")]
    pub(crate) activity_col: Option<String>,
    /// Time zone for times without an offset (IANA name or +HH:MM). Default: the map's
    /// `data.time_zone`, else UTC.
    #[arg(long, value_name = "ZONE")]
    pub(crate) tz: Option<String>,
    /// Only events at or after this time (RFC 3339 or YYYY-MM-DD).
    #[arg(long, value_name = "TIME")]
    pub(crate) since: Option<String>,
    /// Only events before this time (RFC 3339 or YYYY-MM-DD).
    #[arg(long, value_name = "TIME")]
    pub(crate) until: Option<String>,
    /// Count and skip malformed rows (bad time, missing case id, broken quoting) instead of
    /// stopping at the first.
    #[arg(long)]
    pub(crate) skip_bad_rows: bool,
}

/// What an activity is, on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ByArg {
    /// The first step of the map, in map order, whose `match` the event satisfies.
    Step,
    /// The event name.
    Event,
}

impl ByArg {
    pub(crate) fn by(self) -> By {
        match self {
            ByArg::Step => By::Step,
            ByArg::Event => By::Event,
        }
    }
}

impl LogArgs {
    /// The engine's options: flags first, then the map's `data:` section, then defaults.
    pub(crate) fn options(&self, map: Option<&Map>, by: By) -> anyhow::Result<LogOptions> {
        let data = map.map(|m| &m.data);
        let columns = data.map(|d| &d.columns);
        let zone_name = self
            .tz
            .clone()
            .or_else(|| data.and_then(|d| d.time_zone.clone()))
            .unwrap_or_else(|| "UTC".to_owned());
        let zone: Zone = zone_name.parse().map_err(anyhow::Error::msg)?;
        let pick = |flag: &Option<String>, from_map: Option<&Option<String>>, default: &str| {
            flag.clone()
                .or_else(|| from_map.cloned().flatten())
                .unwrap_or_else(|| default.to_owned())
        };
        Ok(LogOptions {
            events: expand_paths(&self.events)?,
            events_format: self.events_format.map(FormatArg::format),
            customers: self.customers.clone(),
            columns: ColumnNames {
                customer_id: pick(
                    &self.case_col,
                    columns.map(|c| &c.customer_id),
                    "customer_id",
                ),
                timestamp: pick(
                    &self.timestamp_col,
                    columns.map(|c| &c.timestamp),
                    "timestamp",
                ),
                event: pick(&self.activity_col, columns.map(|c| &c.event), "event"),
            },
            by,
            value_col: None,
            tally_col: None,
            resource_cols: Vec::new(),
            zone,
            since: time_flag(&self.since, "since", zone)?,
            until: time_flag(&self.until, "until", zone)?,
            skip_bad_rows: self.skip_bad_rows,
        })
    }
}

/// Reads the case log with a progress line on a terminal; a problem with one of the map's
/// expressions is shown at its place in the map file.
/// `--persona ID` for a command reading `log` against `map`: the map must have the persona,
/// and a customers file must say who belongs to it.
pub(crate) fn check_persona(map: &Map, id: &str, log: &LogArgs) -> anyhow::Result<()> {
    if map.persona(id).is_none() {
        let known: Vec<&str> = map.personas.iter().map(|p| p.id.as_str()).collect();
        anyhow::bail!(
            "the map has no persona `{id}`; its personas are: {}",
            if known.is_empty() {
                "(none)".to_owned()
            } else {
                known.join(", ")
            }
        );
    }
    if log.customers.is_none() {
        anyhow::bail!(
            "--persona needs --customers: personas are recognised from customer attributes"
        );
    }
    Ok(())
}

pub(crate) fn read(
    map: Option<(&Map, &Path)>,
    options: &LogOptions,
    color: Color,
) -> anyhow::Result<CaseLog> {
    let mut bar = ProgressLine::new();
    let result =
        trailmap_engine::log::read_case_log(map.map(|m| m.0), options, &mut |p| bar.update(p));
    bar.finish();
    result.map_err(|error| match map {
        Some((_, path)) => explain(error, path, color),
        None => anyhow::Error::new(error),
    })
}
