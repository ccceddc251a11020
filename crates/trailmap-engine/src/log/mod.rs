//! Event files as a *case log*: every customer's activities in time order, the input of process
//! discovery (`trailmap discover`), conformance checking and map drafting.
//!
//! ```text
//! files ──source──▶ batches ──(activity of each event)──▶ (case, activity, time) rows
//!       ──group by case, stable sort by time──▶ CaseLog
//! ```
//!
//! What an *activity* is depends on [`By`]:
//! - [`By::Step`] (needs a map): the first step, in map order, whose `match` is TRUE for the
//!   event. Events that match no step are dropped and counted in [`CaseLog::rows_dropped`].
//! - [`By::Event`]: the value of the event column (`event`, or `concept:name` in XES).
//!
//! The pass is one streamed scan: a batch is turned into 16-byte rows and dropped. Memory is the
//! rows (16 bytes per kept event, twice that for a moment while they are grouped by case) plus
//! the interned case ids and activity names.

use std::ops::Range;
use std::path::PathBuf;

use trailmap_model::Map;

use crate::error::EngineError;
use crate::expr::Predicate;
use crate::plan::{Plan, check_columns};
use crate::scan::ColumnNames;
use crate::source::{self, BadRows, Columns, FileFormat, ReadOptions};
use crate::time::Zone;
use crate::{Phase, Progress};

mod case_ids;
mod prepare;
mod reader;

pub use case_ids::CaseNames;
use case_ids::CaseNumbers;
use prepare::{Prepared, prepare};
use reader::Reader;

/// A log of cases (customers), each a time-ordered sequence of activities.
#[derive(Debug, Clone, Default)]
pub struct CaseLog {
    /// Activity names, indexed by `LogEvent::activity`. By step (with a map): the step ids in map order.
    /// By event: event names in order of first appearance.
    pub activities: Vec<String>,
    /// Cases (customers), in order of first appearance in the input.
    pub cases: Vec<Case>,
    /// The cases' ids (customer ids), by `Case::number`.
    pub case_names: CaseNames,
    /// All kept events, case after case (`Case::events` indexes this); within a case sorted by time,
    /// ties in input order (stable) — exactly pm4py's ordering.
    pub events: Vec<LogEvent>,
    /// With a map: its outcome ids (sorted, as in the map's BTreeMap); bit i of `Case::outcomes`.
    pub outcomes: Vec<String>,
    /// With a map: its persona ids; `Case::persona` indexes this.
    pub personas: Vec<String>,
    /// Event rows read, and rows dropped because they matched no step (by step) — reported to users.
    pub rows_read: u64,
    pub rows_dropped: u64,
    /// Rows left out by `since`/`until`.
    pub rows_outside_period: u64,
    /// Rows skipped as malformed under `skip_bad_rows` (a bad time, a missing case id, ...).
    pub bad_rows: BadRows,
    /// The files read, in order.
    pub files: Vec<LogFile>,
    /// With `tally_col`: per activity (indexed like `activities`), the column's values over the
    /// activity's kept events with their counts, most frequent first (ties by value). Empty
    /// values are not counted. Without `tally_col`: empty.
    pub tallies: Vec<Vec<(String, u64)>>,
    /// With `resource_cols`: per event (parallel to `events`), an index into `resource_names`,
    /// or `u32::MAX` when the event has none. Without: empty.
    pub resources: Vec<u32>,
    pub resource_names: Vec<String>,
}

impl CaseLog {
    /// The resource of event `e` (an index into `events`), if resources were read.
    pub fn resource(&self, e: usize) -> Option<&str> {
        match self.resources.get(e) {
            Some(&r) if r != u32::MAX => Some(&self.resource_names[r as usize]),
            _ => None,
        }
    }
}

/// One case: a customer and their events. 48 bytes: a log holds millions.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The case's id is `CaseLog::case_names.get(number)` ([`CaseLog::case_id`]).
    pub number: u32,
    /// Index into [`CaseLog::personas`]; `None` without a customers file, or when no rule matched.
    pub persona: Option<u16>,
    /// This case's events in [`CaseLog::events`]; never empty.
    pub events: Range<usize>,
    /// Bit i set: the customer had outcome i at any time (by step mode only).
    pub outcomes: u64,
    /// Optional per-case value (sum of a numeric `--value-col` over the case's events, e.g. revenue); NaN-free.
    pub value: Option<f64>,
}

/// One kept event: 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogEvent {
    /// Index into [`CaseLog::activities`].
    pub activity: u32,
    /// µs since the Unix epoch, UTC
    pub time: i64,
}

/// What an activity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum By {
    /// The first step, in map order, whose `match` the event satisfies (needs a map).
    #[default]
    Step,
    /// The event column's value.
    Event,
}

/// What to read and how.
#[derive(Debug, Clone)]
pub struct LogOptions {
    pub events: Vec<PathBuf>,
    pub events_format: Option<FileFormat>,
    /// Customers file on which the map's persona rules are evaluated (as in `analyze`).
    pub customers: Option<PathBuf>,
    /// Case id (`customer_id`), timestamp and event (activity, by event) columns.
    pub columns: ColumnNames,
    pub by: By,
    /// A numeric column summed per case into [`Case::value`] (e.g. `revenue`).
    pub value_col: Option<String>,
    /// A text column (e.g. `channel`) whose values are counted per activity over the kept events,
    /// into [`CaseLog::tallies`]. A file without the column adds nothing.
    pub tally_col: Option<String>,
    /// Columns that name who or what handled an event (e.g. `org:resource`, `channel`): the
    /// first one a batch has gives each kept event's [`CaseLog::resources`] entry. Empty: none.
    pub resource_cols: Vec<String>,
    /// The zone naive times are read in.
    pub zone: Zone,
    /// Only events at or after this time (µs since the epoch).
    pub since: Option<i64>,
    /// Only events before this time.
    pub until: Option<i64>,
    pub skip_bad_rows: bool,
}

impl Default for LogOptions {
    fn default() -> Self {
        LogOptions {
            events: Vec::new(),
            events_format: None,
            customers: None,
            columns: ColumnNames::default(),
            by: By::Event,
            value_col: None,
            tally_col: None,
            resource_cols: Vec::new(),
            zone: Zone::Utc,
            since: None,
            until: None,
            skip_bad_rows: false,
        }
    }
}

impl CaseLog {
    /// The events of case `c`.
    pub fn case_events(&self, c: usize) -> &[LogEvent] {
        &self.events[self.cases[c].events.clone()]
    }

    /// The id (customer id) of a case of this log.
    pub fn case_id(&self, case: &Case) -> &str {
        self.case_names.get(case.number)
    }

    /// Appends a case with these events, no persona, outcomes or value (for logs built by
    /// hand, and subsets of a log); returns it to fill those in.
    pub fn push_case(&mut self, id: &str, events: impl IntoIterator<Item = LogEvent>) -> &mut Case {
        let start = self.events.len();
        self.events.extend(events);
        let number = self.case_names.push(id);
        self.cases.push(Case {
            number,
            persona: None,
            events: start..self.events.len(),
            outcomes: 0,
            value: None,
        });
        self.cases.last_mut().expect("just pushed")
    }
}

/// Reads the event files into a [`CaseLog`]. `map` is needed by step, and gives outcomes and
/// personas in both modes. `progress` is called after every batch.
pub fn read_case_log(
    map: Option<&Map>,
    options: &LogOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<CaseLog, EngineError> {
    let plan = map.map(Plan::new).transpose()?;
    if options.by == By::Step && plan.is_none() {
        return Err(EngineError::Unsupported(
            "activities by step need a map; without one, use activities by event name".to_owned(),
        ));
    }
    let read = ReadOptions {
        skip_bad_rows: options.skip_bad_rows,
    };
    let step_predicates: Vec<Option<&Predicate>> = match (&plan, options.by) {
        (Some(plan), By::Step) => plan.steps.iter().map(|s| s.matcher.as_ref()).collect(),
        _ => Vec::new(),
    };
    let outcome_predicates: Vec<&Predicate> = plan
        .iter()
        .flat_map(|p| p.outcomes.iter().map(|(_, p)| p))
        .collect();

    // Open every file first, so a missing column is reported before any row is scanned.
    let wanted = wanted_columns(options, &step_predicates, &outcome_predicates);
    let mut opened = Vec::with_capacity(options.events.len());
    for path in &options.events {
        let file = source::open_columns(path, options.events_format, read, &wanted)?;
        // A file without rows has no columns to check (an XES log without events).
        if !file.columns.is_empty() {
            check_file_columns(&file, options, &step_predicates, &outcome_predicates)?;
        }
        opened.push(file);
    }

    let mut reader = Reader::new(options, plan.as_ref());
    // Reserve once when the files say how many rows they hold: no doubling, no copies.
    let hint: u64 = opened.iter().filter_map(|f| f.rows_hint).sum();
    reader.rows.reserve_exact(hint as usize);
    if !options.resource_cols.is_empty() {
        reader.resources.reserve_exact(hint as usize);
    }
    let mut numbers = CaseNumbers::with_capacity(expected_cases(hint));
    let n_files = opened.len();
    for (idx, file) in opened.into_iter().enumerate() {
        let before = reader.rows_read;
        let (path, format) = (file.path, file.format);
        // Decoding (CSV parsing, Parquet decompression) runs on one thread; the
        // column-at-a-time work on each batch (times, step matches, outcomes) and numbering
        // the cases on a second, a couple of batches behind; the rest of the row-by-row work
        // on this one.
        let batches = file.batches;
        let (steps, outcomes) = (&step_predicates, &outcome_predicates);
        let path_ref = &path;
        let numbers = &mut numbers;
        std::thread::scope(|scope| -> Result<(), EngineError> {
            // decoding ──▶ preparing and numbering cases ──▶ this thread: three stages, so
            // both cores stay busy whichever stage is the slowest on a given file.
            let (send_decoded, decoded) = std::sync::mpsc::sync_channel(2);
            let (send, receive) = std::sync::mpsc::sync_channel(2);
            scope.spawn(move || {
                for batch in batches {
                    let failed = batch.is_err();
                    if send_decoded.send(batch).is_err() || failed {
                        break;
                    }
                }
            });
            scope.spawn(move || {
                for batch in decoded {
                    let ready = batch.and_then(|batch| {
                        if batch.batch.num_rows() == 0 {
                            Ok(Ready::Empty(batch.skipped))
                        } else {
                            prepare(batch, numbers, path_ref, options, steps, outcomes)
                                .map(|p| Ready::Rows(Box::new(p)))
                        }
                    });
                    let failed = ready.is_err();
                    if send.send(ready).is_err() || failed {
                        break;
                    }
                }
            });
            for ready in receive {
                match ready? {
                    Ready::Empty(skipped) => reader.skipped(&skipped),
                    Ready::Rows(prepared) => reader.add(&prepared, path_ref)?,
                }
                progress(Progress {
                    rows: reader.rows_read,
                    files_done: idx,
                    files: n_files,
                    phase: Phase::Scanning,
                });
            }
            Ok(())
        })?;
        reader.files.push(LogFile {
            path,
            format,
            rows: reader.rows_read - before,
        });
    }
    progress(Progress {
        rows: reader.rows_read,
        files_done: n_files,
        files: n_files,
        phase: Phase::Measuring,
    });
    reader.finish(numbers, map, plan.as_ref(), options, read)
}

/// Room to make for case ids up front, from the rows a file says it holds: growing the table
/// later would rehash every id. A quarter of the rows (customers with four events each, or
/// more) costs little when there are fewer, as untouched table memory is never paged in.
fn expected_cases(rows_hint: u64) -> usize {
    (rows_hint / 4).min(1 << 26) as usize
}

/// What the decoding thread hands over.
enum Ready {
    /// A batch without rows, only rows skipped as malformed.
    Empty(Vec<EngineError>),
    Rows(Box<Prepared>),
}

/// The columns the scan reads, so a Parquet file decodes no others; and the ones it wants
/// dictionary-encoded: the case id, and by event the event name, unless a `match` expression
/// reads them (expressions evaluate plain text columns).
fn wanted_columns(
    options: &LogOptions,
    steps: &[Option<&Predicate>],
    outcomes: &[&Predicate],
) -> Columns {
    let names = &options.columns;
    let mut expression_columns: Vec<String> = Vec::new();
    for predicate in steps
        .iter()
        .flatten()
        .copied()
        .chain(outcomes.iter().copied())
    {
        expression_columns.extend(predicate.columns().iter().cloned());
    }
    let mut only = vec![names.customer_id.clone(), names.timestamp.clone()];
    let mut as_dictionary = vec![names.customer_id.clone()];
    if options.by == By::Event {
        only.push(names.event.clone());
        as_dictionary.push(names.event.clone());
    }
    only.extend(options.value_col.iter().cloned());
    only.extend(options.tally_col.iter().cloned());
    only.extend(options.resource_cols.iter().cloned());
    only.extend(expression_columns.iter().cloned());
    as_dictionary.retain(|c| !expression_columns.iter().any(|e| e.eq_ignore_ascii_case(c)));
    Columns {
        only: Some(only),
        as_dictionary,
    }
}

/// An event file read into the log, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFile {
    pub path: PathBuf,
    pub format: FileFormat,
    /// Data rows read from the file (malformed rows skipped under `skip_bad_rows` not included).
    pub rows: u64,
}

fn check_file_columns(
    file: &source::Opened,
    options: &LogOptions,
    steps: &[Option<&Predicate>],
    outcomes: &[&Predicate],
) -> Result<(), EngineError> {
    let names = &options.columns;
    let mut needed = vec![
        (&names.customer_id, "the case id"),
        (&names.timestamp, "the event time"),
    ];
    if options.by == By::Event {
        needed.push((&names.event, "the activity (event name)"));
    }
    if let Some(value) = &options.value_col {
        needed.push((value, "the case value"));
    }
    for (column, role) in needed {
        if !file.columns.iter().any(|c| c.eq_ignore_ascii_case(column)) {
            return Err(EngineError::MissingColumn {
                path: file.path.clone(),
                column: column.clone(),
                role,
                available: file.columns.clone(),
            });
        }
    }
    check_columns(
        steps
            .iter()
            .flatten()
            .copied()
            .chain(outcomes.iter().copied()),
        &file.columns,
        &file.path,
    )
}
