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
use std::path::{Path, PathBuf};

use arrow::array::{Array, Float64Array};
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;
use trailmap_model::Map;

use crate::error::EngineError;
use crate::expr::Predicate;
use crate::persona;
use crate::plan::{Plan, check_columns};
use crate::scan::{ColumnNames, Interner, raw_column, text_column};
use crate::source::{self, BadRows, Batch, FileFormat, ReadOptions};
use crate::time::{Zone, to_micros};
use crate::{Phase, Progress};

/// A log of cases (customers), each a time-ordered sequence of activities.
#[derive(Debug, Clone, Default)]
pub struct CaseLog {
    /// Activity names, indexed by `LogEvent::activity`. By step (with a map): the step ids in map order.
    /// By event: event names in order of first appearance.
    pub activities: Vec<String>,
    /// Cases (customers), in order of first appearance in the input.
    pub cases: Vec<Case>,
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

/// One case: a customer and their events.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: String,
    /// This case's events in [`CaseLog::events`]; never empty.
    pub events: Range<usize>,
    /// Index into [`CaseLog::personas`]; `None` without a customers file, or when no rule matched.
    pub persona: Option<u16>,
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
    let mut opened = Vec::with_capacity(options.events.len());
    for path in &options.events {
        let file = source::open(path, options.events_format, read)?;
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
    let n_files = opened.len();
    for (idx, file) in opened.into_iter().enumerate() {
        let before = reader.rows_read;
        let (path, format) = (file.path, file.format);
        // Decoding (CSV parsing, Parquet decompression) runs on a second thread, a couple of
        // batches ahead of the scan.
        let batches = file.batches;
        std::thread::scope(|scope| -> Result<(), EngineError> {
            let (send, receive) = std::sync::mpsc::sync_channel(2);
            scope.spawn(move || {
                for batch in batches {
                    let failed = batch.is_err();
                    if send.send(batch).is_err() || failed {
                        break;
                    }
                }
            });
            for batch in receive {
                let batch = batch?;
                reader.add(&batch, &path, &step_predicates, &outcome_predicates)?;
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
    reader.finish(map, plan.as_ref(), options, read)
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

/// The previous row's case, to skip the hash lookup while rows repeat it.
struct LastCase {
    name: String,
    /// `u32::MAX` before the first row.
    id: u32,
    checking: bool,
    checks: u64,
    hits: u64,
}

/// Case ids to dense numbers in order of first appearance. Millions of customers make this
/// table the scan's main cost, so ids of up to 23 bytes (nearly all) are kept inside the table
/// itself: a lookup compares bytes in place instead of following a pointer to a string
/// elsewhere in memory. Longer ids go to a second table.
struct CaseIds {
    short: rustc_hash::FxHashMap<ShortId, u32>,
    long: rustc_hash::FxHashMap<Box<str>, u32>,
    /// A small direct-mapped cache of recently seen short ids in front of `short`: a stream in
    /// time order keeps revisiting the few thousand customers active at that moment, and the
    /// cache stays in the CPU cache where the big table does not. `u32::MAX`: empty slot.
    recent: Vec<(ShortId, u32)>,
}

/// Slots of [`CaseIds::recent`] (a power of two).
const RECENT_SLOTS: usize = 8192;

impl Default for CaseIds {
    fn default() -> Self {
        let empty = ShortId {
            len: 0,
            bytes: [0; 23],
        };
        CaseIds {
            short: Default::default(),
            long: Default::default(),
            recent: vec![(empty, u32::MAX); RECENT_SLOTS],
        }
    }
}

/// A case id of at most 23 bytes, stored inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ShortId {
    len: u8,
    bytes: [u8; 23],
}

impl ShortId {
    fn new(name: &str) -> Option<ShortId> {
        let len = name.len();
        if len > 23 {
            return None;
        }
        let mut bytes = [0u8; 23];
        bytes[..len].copy_from_slice(name.as_bytes());
        Some(ShortId {
            len: len as u8,
            bytes,
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes[..self.len as usize]).into_owned()
    }
}

impl CaseIds {
    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    fn intern(&mut self, name: &str) -> u32 {
        let next = self.len() as u32;
        match ShortId::new(name) {
            Some(short) => {
                let mut hasher = rustc_hash::FxHasher::default();
                std::hash::Hash::hash(&short, &mut hasher);
                let slot = std::hash::Hasher::finish(&hasher) as usize & (RECENT_SLOTS - 1);
                let (cached, id) = self.recent[slot];
                if id != u32::MAX && cached == short {
                    return id;
                }
                let id = *self.short.entry(short).or_insert(next);
                self.recent[slot] = (short, id);
                id
            }
            None => {
                if let Some(&id) = self.long.get(name) {
                    return id;
                }
                self.long.insert(name.into(), next);
                next
            }
        }
    }

    /// The ids in number order.
    fn into_names(self) -> Vec<String> {
        let mut names = vec![String::new(); self.len()];
        for (short, id) in self.short {
            names[id as usize] = short.text();
        }
        for (name, id) in self.long {
            names[id as usize] = name.into_string();
        }
        names
    }
}

/// One kept event before grouping by case: 16 bytes, like [`LogEvent`], so the rows can be
/// turned into events in place.
#[derive(Debug, Clone, Copy)]
struct RawEvent {
    case: u32,
    activity: u32,
    time: i64,
}

/// The state of the scan.
struct Reader<'a> {
    options: &'a LogOptions,
    rows: Vec<RawEvent>,
    cases: CaseIds,
    /// Whether every case's rows so far form one run (then grouping is a no-op).
    contiguous: bool,
    last_case: LastCase,
    activities: Interner,
    /// Per case: outcome bits and the value sum.
    case_outcomes: Vec<u64>,
    case_values: Vec<f64>,
    /// (activity, interned tally value) → events.
    tally: rustc_hash::FxHashMap<(u32, u32), u64>,
    tally_values: Interner,
    /// Parallel to `rows` when resources are read.
    resources: Vec<u32>,
    resource_names: Interner,
    rows_read: u64,
    rows_dropped: u64,
    rows_outside_period: u64,
    bad_rows: BadRows,
    files: Vec<LogFile>,
}

impl<'a> Reader<'a> {
    fn new(options: &'a LogOptions, plan: Option<&Plan>) -> Reader<'a> {
        let mut activities = Interner::default();
        if let (Some(plan), By::Step) = (plan, options.by) {
            for step in &plan.steps {
                activities.intern(&step.id);
            }
        }
        Reader {
            options,
            rows: Vec::new(),
            cases: CaseIds::default(),
            contiguous: true,
            last_case: LastCase {
                name: String::new(),
                id: u32::MAX,
                checking: true,
                checks: 0,
                hits: 0,
            },
            activities,
            case_outcomes: Vec::new(),
            case_values: Vec::new(),
            tally: Default::default(),
            tally_values: Interner::default(),
            resources: Vec::new(),
            resource_names: Interner::default(),
            rows_read: 0,
            rows_dropped: 0,
            rows_outside_period: 0,
            bad_rows: BadRows::default(),
            files: Vec::new(),
        }
    }

    /// The case id of `name`, interned in order of first appearance.
    fn case_id(&mut self, name: &str) -> u32 {
        // Logs grouped by case (XES, exports) repeat the previous case id row after row; a
        // stream ordered by time rarely does, and then the check is switched off.
        if self.last_case.checking {
            let last = &mut self.last_case;
            last.checks += 1;
            if last.id != u32::MAX && last.name == name {
                last.hits += 1;
                return last.id;
            }
            if last.checks == 4096 && last.hits < 1024 {
                last.checking = false;
            }
        }
        let known = self.cases.len();
        let id = self.cases.intern(name);
        if (id as usize) < known {
            // A case seen before, after another case: its rows are not one run.
            self.contiguous = false;
        } else {
            self.case_outcomes.push(0);
            if self.options.value_col.is_some() {
                self.case_values.push(0.0);
            }
        }
        if self.last_case.checking {
            self.last_case.name.clear();
            self.last_case.name.push_str(name);
            self.last_case.id = id;
        }
        id
    }

    fn add(
        &mut self,
        batch: &Batch,
        path: &Path,
        steps: &[Option<&Predicate>],
        outcomes: &[&Predicate],
    ) -> Result<(), EngineError> {
        for skipped in &batch.skipped {
            self.bad_rows.record(skipped);
        }
        let record = &batch.batch;
        let n = record.num_rows();
        if n == 0 {
            return Ok(());
        }
        self.rows_read += n as u64;
        let options = self.options;
        let names = &options.columns;
        let skip = options.skip_bad_rows;
        let bad = |row: usize, column: &str, message: String| EngineError::BadRow {
            path: path.to_owned(),
            row: batch.first_row + row as u64,
            column: column.to_owned(),
            message,
        };
        let missing = |column: &str| {
            bad(
                0,
                column,
                "the column is missing in this part of the file".to_owned(),
            )
        };
        let case_col =
            text_column(record, &names.customer_id).ok_or_else(|| missing(&names.customer_id))?;
        let ts_array =
            raw_column(record, &names.timestamp).ok_or_else(|| missing(&names.timestamp))?;
        let times = match to_micros(&ts_array, options.zone) {
            Ok(times) => times,
            Err((row, message)) if !skip => return Err(bad(row, &names.timestamp, message)),
            // Parse row by row to skip exactly the bad ones.
            Err(_) => (0..n)
                .map(|i| {
                    to_micros(&ts_array.slice(i, 1), options.zone)
                        .ok()
                        .and_then(|v| v[0])
                })
                .collect(),
        };
        let event_col = match options.by {
            By::Event => {
                Some(text_column(record, &names.event).ok_or_else(|| missing(&names.event))?)
            }
            By::Step => None,
        };
        let step_of = first_match(steps, record)?;
        let mut outcome_bits = vec![0u64; if outcomes.is_empty() { 0 } else { n }];
        for (o, predicate) in outcomes.iter().enumerate() {
            let matched = predicate.evaluate(record)?;
            if matched.true_count() == 0 {
                continue;
            }
            for (i, bits) in outcome_bits.iter_mut().enumerate() {
                if matched.value(i) {
                    *bits |= 1 << o;
                }
            }
        }
        let values = match &options.value_col {
            Some(column) => Some(number_column(record, column).ok_or_else(|| missing(column))?),
            None => None,
        };

        let tally_col = options
            .tally_col
            .as_deref()
            .and_then(|c| text_column(record, c));

        let resource_col = options
            .resource_cols
            .iter()
            .find_map(|c| text_column(record, c));
        let read_resources = !options.resource_cols.is_empty();

        self.rows.reserve(n);
        for i in 0..n {
            let case = match case_col.is_valid(i).then(|| case_col.value(i).trim()) {
                Some(id) if !id.is_empty() => id,
                _ => {
                    let e = bad(i, &names.customer_id, "the case id is missing".to_owned());
                    if skip {
                        self.bad_rows.record(&e);
                        continue;
                    }
                    return Err(e);
                }
            };
            let Some(time) = times[i] else {
                let message = if ts_array.is_null(i) {
                    "the time is missing"
                } else {
                    "not a time"
                };
                let e = bad(i, &names.timestamp, message.to_owned());
                if skip {
                    self.bad_rows.record(&e);
                    continue;
                }
                return Err(e);
            };
            if options.since.is_some_and(|since| time < since)
                || options.until.is_some_and(|until| time >= until)
            {
                self.rows_outside_period += 1;
                continue;
            }
            let case = self.case_id(case);
            let c = case as usize;
            if let Some(bits) = outcome_bits.get(i) {
                self.case_outcomes[c] |= bits;
            }
            if let Some(values) = &values
                && values.is_valid(i)
                && values.value(i).is_finite()
            {
                self.case_values[c] += values.value(i);
            }
            let activity = match &event_col {
                Some(events) => {
                    // pm4py drops events without an activity label; so do we (and count them).
                    if events.is_null(i) || events.value(i).is_empty() {
                        self.rows_dropped += 1;
                        continue;
                    }
                    self.activities.intern(events.value(i))
                }
                None => match step_of[i] {
                    u32::MAX => {
                        self.rows_dropped += 1;
                        continue;
                    }
                    step => step,
                },
            };
            if let Some(column) = &tally_col
                && column.is_valid(i)
                && !column.value(i).trim().is_empty()
            {
                let value = self.tally_values.intern(column.value(i).trim());
                *self.tally.entry((activity, value)).or_insert(0) += 1;
            }
            if read_resources {
                let resource = match &resource_col {
                    Some(column) if column.is_valid(i) && !column.value(i).trim().is_empty() => {
                        self.resource_names.intern(column.value(i).trim())
                    }
                    _ => u32::MAX,
                };
                self.resources.push(resource);
            }
            self.rows.push(RawEvent {
                case,
                activity,
                time,
            });
        }
        Ok(())
    }

    /// Groups the rows by case (cases in order of first appearance), sorts each case by time
    /// (stable: ties keep input order) and assigns personas.
    fn finish(
        self,
        map: Option<&Map>,
        plan: Option<&Plan>,
        options: &LogOptions,
        read: ReadOptions,
    ) -> Result<CaseLog, EngineError> {
        let Reader {
            rows,
            cases,
            contiguous,
            activities,
            case_outcomes,
            case_values,
            rows_read,
            rows_dropped,
            rows_outside_period,
            bad_rows,
            files,
            tally,
            tally_values,
            resources,
            resource_names,
            ..
        } = self;
        let n_cases = cases.len();
        let mut counts = vec![0usize; n_cases];
        for row in &rows {
            counts[row.case as usize] += 1;
        }
        let mut resources = resources;
        let events: Vec<LogEvent> = if contiguous {
            // Already grouped, and in first-appearance order: convert in place.
            rows.into_iter()
                .map(|r| LogEvent {
                    activity: r.activity,
                    time: r.time,
                })
                .collect()
        } else {
            // Counting sort by case: stable, O(events).
            let mut next = Vec::with_capacity(n_cases);
            let mut offset = 0;
            for &count in &counts {
                next.push(offset);
                offset += count;
            }
            let mut events = vec![
                LogEvent {
                    activity: 0,
                    time: 0
                };
                rows.len()
            ];
            let mut grouped_resources = vec![u32::MAX; resources.len()];
            for (i, row) in rows.into_iter().enumerate() {
                let slot = &mut next[row.case as usize];
                events[*slot] = LogEvent {
                    activity: row.activity,
                    time: row.time,
                };
                if let Some(&r) = resources.get(i) {
                    grouped_resources[*slot] = r;
                }
                *slot += 1;
            }
            resources = grouped_resources;
            events
        };
        let mut events = events;

        // Persona of each customer in the customers file, by its id there.
        let mut customers = Interner::default();
        let personas_of = match (plan, &options.customers) {
            (Some(plan), Some(path)) => Some(
                persona::assign(
                    plan,
                    path,
                    None,
                    &options.columns.customer_id,
                    &mut customers,
                    read,
                )?
                .persona_of,
            ),
            _ => None,
        };

        let mut out_cases = Vec::with_capacity(n_cases);
        let mut start = 0;
        for (c, name) in cases.into_names().into_iter().enumerate() {
            let end = start + counts[c];
            if end == start {
                // Every event of the case was dropped (no step matched).
                continue;
            }
            let slice = &mut events[start..end];
            if !slice.windows(2).all(|w| w[0].time <= w[1].time) {
                if resources.is_empty() {
                    slice.sort_by_key(|e| e.time);
                } else {
                    // Sort events and their resources together.
                    let mut order: Vec<usize> = (0..slice.len()).collect();
                    order.sort_by_key(|&k| slice[k].time);
                    let sorted: Vec<(LogEvent, u32)> = order
                        .iter()
                        .map(|&k| (slice[k], resources[start + k]))
                        .collect();
                    for (k, (event, resource)) in sorted.into_iter().enumerate() {
                        slice[k] = event;
                        resources[start + k] = resource;
                    }
                }
            }
            let persona = personas_of
                .as_ref()
                .and_then(|p| p.get(&customers.get(&name)?).copied());
            out_cases.push(Case {
                id: name,
                events: start..end,
                persona,
                outcomes: case_outcomes[c],
                value: case_values.get(c).copied(),
            });
            start = end;
        }
        let mut tallies: Vec<Vec<(String, u64)>> = Vec::new();
        if options.tally_col.is_some() {
            tallies.resize(activities.len(), Vec::new());
            for ((activity, value), count) in tally {
                tallies[activity as usize].push((tally_values.name(value).to_owned(), count));
            }
            for values in &mut tallies {
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            }
        }
        Ok(CaseLog {
            tallies,
            resources,
            resource_names: resource_names
                .into_names()
                .into_iter()
                .map(str::into_string)
                .collect(),
            activities: activities
                .into_names()
                .into_iter()
                .map(str::into_string)
                .collect(),
            cases: out_cases,
            events,
            outcomes: map
                .map(|m| m.outcomes.keys().cloned().collect())
                .unwrap_or_default(),
            personas: map
                .map(|m| m.personas.iter().map(|p| p.id.clone()).collect())
                .unwrap_or_default(),
            rows_read,
            rows_dropped,
            rows_outside_period,
            bad_rows,
            files,
        })
    }
}

/// Per row: the index of the first step (in map order) whose `match` is TRUE, or `u32::MAX`.
fn first_match(steps: &[Option<&Predicate>], batch: &RecordBatch) -> Result<Vec<u32>, EngineError> {
    let n = batch.num_rows();
    if steps.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = vec![u32::MAX; n];
    let mut unassigned = n;
    for (k, predicate) in steps.iter().enumerate() {
        let Some(predicate) = predicate else {
            continue;
        };
        if unassigned == 0 {
            break;
        }
        let matched = predicate.evaluate(batch)?;
        if matched.true_count() == 0 {
            continue;
        }
        for (i, slot) in out.iter_mut().enumerate() {
            if *slot == u32::MAX && matched.value(i) {
                *slot = k as u32;
                unassigned -= 1;
            }
        }
    }
    Ok(out)
}

/// A column as numbers; text that is not a number is NULL.
fn number_column(batch: &RecordBatch, name: &str) -> Option<Float64Array> {
    let array = raw_column(batch, name)?;
    let options = arrow::compute::CastOptions {
        safe: true,
        ..Default::default()
    };
    let numbers = arrow::compute::cast_with_options(&array, &DataType::Float64, &options).ok()?;
    numbers.as_any().downcast_ref::<Float64Array>().cloned()
}
