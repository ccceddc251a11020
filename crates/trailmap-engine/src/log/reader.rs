//! The last stage of the scan, on the calling thread: activity names to numbers (in order of
//! first appearance), outcomes, values, tallies, resources and the rows, with the bad and
//! out-of-period rows `prepare` marked counted; then the rows grouped by case into a
//! [`CaseLog`].

use std::ops::Range;

use arrow::array::Array;
use trailmap_model::Map;

use super::case_ids::{CaseNumbers, DictionaryIds, Entry, ROW_OUTSIDE_PERIOD, row_problem};
use super::prepare::{Prepared, Text};
use super::{By, Case, CaseLog, LogEvent, LogFile, LogOptions};
use crate::error::EngineError;
use crate::persona;
use crate::plan::Plan;
use crate::scan::Interner;
use crate::source::{BadRows, ReadOptions};

/// One kept event before grouping by case: 16 bytes, like [`LogEvent`], so the rows can be
/// turned into events in place.
#[derive(Debug, Clone, Copy)]
pub(super) struct RawEvent {
    case: u32,
    activity: u32,
    time: i64,
}

/// What the scan knows of a case so far: 16 bytes, as every row touches its case's.
#[derive(Debug, Clone, Copy)]
pub(super) struct CaseState {
    /// The time of its last kept row (`i64::MIN` before the first).
    last_time: i64,
    /// Kept rows.
    events: u32,
    /// Whether a kept row came earlier in time than the one before it (then the case's
    /// events need sorting).
    unsorted: bool,
}

/// The state of the scan.
pub(super) struct Reader<'a> {
    options: &'a LogOptions,
    pub(super) rows: Vec<RawEvent>,
    /// The previous kept row's case, `u32::MAX` before the first.
    previous_case: u32,
    /// Whether every case's rows so far form one run (then grouping is a no-op).
    contiguous: bool,
    activities: Interner,
    /// The activity column's dictionary (by event).
    event_dictionary: DictionaryIds,
    /// Per case: what the rows so far say (one place per case, so a row costs one cache line).
    case_states: Vec<CaseState>,
    /// Per case, with a value column: the value sum.
    case_values: Vec<f64>,
    /// Per case, when the map has outcomes: the outcome bits of its events.
    case_outcomes: Vec<u64>,
    with_outcomes: bool,
    /// (activity, interned tally value) → events.
    tally: rustc_hash::FxHashMap<(u32, u32), u64>,
    tally_values: Interner,
    /// Parallel to `rows` when resources are read.
    pub(super) resources: Vec<u32>,
    resource_names: Interner,
    pub(super) rows_read: u64,
    rows_dropped: u64,
    rows_outside_period: u64,
    bad_rows: BadRows,
    pub(super) files: Vec<LogFile>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(options: &'a LogOptions, plan: Option<&Plan>) -> Reader<'a> {
        let mut activities = Interner::default();
        if let (Some(plan), By::Step) = (plan, options.by) {
            for step in &plan.steps {
                activities.intern(&step.id);
            }
        }
        Reader {
            options,
            rows: Vec::new(),
            previous_case: u32::MAX,
            contiguous: true,
            activities,
            event_dictionary: DictionaryIds::default(),
            case_states: Vec::new(),
            case_values: Vec::new(),
            case_outcomes: Vec::new(),
            with_outcomes: plan.is_some_and(|p| !p.outcomes.is_empty()),
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

    /// Rows skipped as malformed by the file reader.
    pub(super) fn skipped(&mut self, skipped: &[EngineError]) {
        for error in skipped {
            self.bad_rows.record(error);
        }
    }

    /// Notes that a kept row belongs to case `id`: new cases get their per-case slots, and a
    /// case seen before after another one means the rows are not grouped.
    fn note_case(&mut self, id: u32) {
        if id as usize == self.case_states.len() {
            self.case_states.push(CaseState {
                last_time: i64::MIN,
                events: 0,
                unsorted: false,
            });
            if self.options.value_col.is_some() {
                self.case_values.push(0.0);
            }
            if self.with_outcomes {
                self.case_outcomes.push(0);
            }
        } else if id != self.previous_case {
            self.contiguous = false;
        }
        self.previous_case = id;
    }

    /// The activity number of an event name, by event.
    fn event_activity(&mut self, events: &Text, i: usize) -> Option<u32> {
        match events {
            Text::Plain(events) => {
                // pm4py drops events without an activity label; so do we (and count them).
                if events.is_null(i) || events.value(i).is_empty() {
                    return None;
                }
                Some(self.activities.intern(events.value(i)))
            }
            Text::Dictionary { keys, values } => {
                match self.event_dictionary.entry(keys, values, i, str::is_empty) {
                    Entry::Missing => None,
                    Entry::Unseen(key) => {
                        let activity = self.activities.intern(values.value(key));
                        self.event_dictionary.set(key, activity);
                        Some(activity)
                    }
                    Entry::Known(activity) => Some(activity),
                }
            }
        }
    }

    pub(super) fn add(
        &mut self,
        prepared: &Prepared,
        path: &std::path::Path,
    ) -> Result<(), EngineError> {
        let batch = &prepared.batch;
        self.skipped(&batch.skipped);
        let n = batch.batch.num_rows();
        self.rows_read += n as u64;
        let options = self.options;
        let names = &options.columns;
        let bad =
            |row: usize, column: &str, message: String| batch.bad_row(path, row, column, message);
        if let Some(Text::Dictionary { values, .. }) = &prepared.events {
            self.event_dictionary.use_dictionary(values);
        }
        let read_resources = !options.resource_cols.is_empty();

        self.rows.reserve(n);
        for i in 0..n {
            let case = prepared.case_of[i];
            if case == ROW_OUTSIDE_PERIOD {
                self.rows_outside_period += 1;
                continue;
            }
            if let Some((column, message)) = row_problem(case, names) {
                // Only when skipping bad rows: otherwise preparing the batch failed.
                self.bad_rows.record(&bad(i, column, message.to_owned()));
                continue;
            }
            let time = prepared.times[i];
            self.note_case(case);
            let c = case as usize;
            if let (Some(bits), Some(slot)) =
                (prepared.outcome_bits.get(i), self.case_outcomes.get_mut(c))
            {
                *slot |= bits;
            }
            if let Some(values) = &prepared.values
                && values.is_valid(i)
                && values.value(i).is_finite()
            {
                self.case_values[c] += values.value(i);
            }
            let activity = match &prepared.events {
                Some(events) => match self.event_activity(events, i) {
                    Some(activity) => activity,
                    None => {
                        self.rows_dropped += 1;
                        continue;
                    }
                },
                None => match prepared.step_of[i] {
                    u32::MAX => {
                        self.rows_dropped += 1;
                        continue;
                    }
                    step => step,
                },
            };
            if let Some(column) = &prepared.tally
                && column.is_valid(i)
                && !column.value(i).trim().is_empty()
            {
                let value = self.tally_values.intern(column.value(i).trim());
                *self.tally.entry((activity, value)).or_insert(0) += 1;
            }
            if read_resources {
                let resource = match &prepared.resource {
                    Some(column) if column.is_valid(i) && !column.value(i).trim().is_empty() => {
                        self.resource_names.intern(column.value(i).trim())
                    }
                    _ => u32::MAX,
                };
                self.resources.push(resource);
            }
            let state = &mut self.case_states[c];
            state.events += 1;
            state.unsorted |= time < state.last_time;
            state.last_time = time;
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
    pub(super) fn finish(
        self,
        numbers: CaseNumbers,
        map: Option<&Map>,
        plan: Option<&Plan>,
        options: &LogOptions,
        read: ReadOptions,
    ) -> Result<CaseLog, EngineError> {
        let Reader {
            rows,
            contiguous,
            activities,
            case_states,
            case_values,
            case_outcomes,
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
        let n_cases = case_states.len();
        let case_names = numbers.into_names();
        debug_assert_eq!(case_names.len(), n_cases);

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

        // The cases are listed while the rows are grouped: making the grouped buffer (fresh
        // memory, slow to fault in) is the first, one-thread part of grouping.
        let states = &case_states[..];
        let list_cases = || {
            let mut out_cases = Vec::with_capacity(n_cases);
            let mut start = 0;
            for (c, state) in states.iter().enumerate() {
                let end = start + state.events as usize;
                if end == start {
                    // Every event of the case was dropped (no step matched).
                    continue;
                }
                let persona = personas_of
                    .as_ref()
                    .and_then(|p| p.get(&customers.get(case_names.get(c as u32))?).copied());
                out_cases.push(Case {
                    number: c as u32,
                    events: start..end,
                    persona,
                    outcomes: case_outcomes.get(c).copied().unwrap_or(0),
                    value: case_values.get(c).copied(),
                });
                start = end;
            }
            out_cases
        };
        let (out_cases, (mut events, mut resources)) =
            crate::parallel::both(list_cases, move || {
                group_by_case(rows, resources, contiguous, states)
            });
        // Cases whose rows came out of time order: sorted, stably (ties keep input order).
        for case in out_cases
            .iter()
            .filter(|c| states[c.number as usize].unsorted)
        {
            let (start, end) = (case.events.start, case.events.end);
            let slice = &mut events[start..end];
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
            case_names,
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

/// The rows grouped by case, cases in number order, each case's rows in input order (a
/// counting sort: stable, O(rows), the counts known from the scan); with the resources moved
/// with their rows.
fn group_by_case(
    rows: Vec<RawEvent>,
    resources: Vec<u32>,
    contiguous: bool,
    cases: &[CaseState],
) -> (Vec<LogEvent>, Vec<u32>) {
    let n_cases = cases.len();
    if contiguous {
        // Already grouped, and in first-appearance order: convert in place.
        let events = rows
            .into_iter()
            .map(|r| LogEvent {
                activity: r.activity,
                time: r.time,
            })
            .collect();
        return (events, resources);
    }
    let mut next = Vec::with_capacity(n_cases);
    let mut offset = 0;
    for case in cases {
        next.push(offset);
        offset += case.events as usize;
    }
    let mut events = vec![
        LogEvent {
            activity: 0,
            time: 0
        };
        rows.len()
    ];
    let mut grouped_resources = vec![u32::MAX; resources.len()];
    // Two threads, each reading every row and placing those of its half of the cases, so the
    // random writes (the slow part) are shared.
    let half = next.partition_point(|&start| start < rows.len() / 2);
    let split = next.get(half).copied().unwrap_or(rows.len());
    let (next_low, next_high) = next.split_at_mut(half);
    let (events_low, events_high) = events.split_at_mut(split);
    let resources_split = if resources.is_empty() { 0 } else { split };
    let (resources_low, resources_high) = grouped_resources.split_at_mut(resources_split);
    let (rows, resources) = (&rows[..], &resources[..]);
    crate::parallel::both(
        || {
            place(
                rows,
                resources,
                half..n_cases,
                next_high,
                split,
                events_high,
                resources_high,
            )
        },
        || {
            place(
                rows,
                resources,
                0..half,
                next_low,
                0,
                events_low,
                resources_low,
            )
        },
    );
    (events, grouped_resources)
}

/// Places the rows of the cases in `cases` (and their resources): `next[c - cases.start]` is
/// where case `c`'s next row goes, counted from `base`, the position of `events[0]`.
fn place(
    rows: &[RawEvent],
    resources: &[u32],
    cases: Range<usize>,
    next: &mut [usize],
    base: usize,
    events: &mut [LogEvent],
    grouped_resources: &mut [u32],
) {
    let (first, end) = (cases.start as u32, cases.end as u32);
    for (i, row) in rows.iter().enumerate() {
        if row.case < first || row.case >= end {
            continue;
        }
        let slot = &mut next[(row.case - first) as usize];
        events[*slot - base] = LogEvent {
            activity: row.activity,
            time: row.time,
        };
        if let Some(&r) = resources.get(i) {
            grouped_resources[*slot - base] = r;
        }
        *slot += 1;
    }
}
