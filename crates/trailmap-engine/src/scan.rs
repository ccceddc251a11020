//! The scan: event batches in, one compact [`Row`] per event that matters out.
//!
//! Each batch is evaluated column-wise: every step's `match`, every outcome and every step
//! `feedback` expression gives one boolean array, and the arrays are folded into bit masks.
//! Events that match no step, no outcome and carry no feedback or text only count towards
//! "unmapped" and are not kept. The rows kept are the one pipeline breaker of the engine: the
//! per-customer figures need each customer's events in time order, so rows are collected and
//! sorted (see `measure.rs`). A row is 32 bytes.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, Float64Array, StringArray};
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;
use rustc_hash::FxHashMap;

use crate::error::EngineError;
use crate::plan::Plan;
use crate::source::{BadRows, Batch};
use crate::time::{Zone, to_micros};

/// One event, as the per-customer pass needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// Microseconds since the epoch, UTC.
    pub(crate) ts: i64,
    /// Interned customer id.
    pub(crate) customer: u32,
    /// Index into [`Scan::combos`]: which steps, outcomes and step-feedback sets it matches.
    pub(crate) combo: u32,
    /// Index into [`Scan::texts`], or `u32::MAX` without text.
    pub(crate) text: u32,
    /// Interned `channel` value; 0 is "none".
    pub(crate) channel: u16,
    /// NPS 0..10, CSAT 1..5, CES 1..7; -1 when absent.
    pub(crate) nps: i8,
    pub(crate) csat: i8,
    pub(crate) ces: i8,
    /// 0 unknown, 1 customer, 2 company.
    pub(crate) initiator: u8,
}

impl Row {
    pub(crate) fn has_feedback(&self) -> bool {
        self.nps >= 0 || self.csat >= 0 || self.ces >= 0 || self.text != u32::MAX
    }
}

/// The distinct (steps, outcomes, step-feedback) sets events match. Few distinct sets exist
/// (most events match one step), so rows store a small index instead of 36 bytes of masks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Combo {
    pub(crate) steps: u128,
    pub(crate) outcomes: u32,
    pub(crate) feedback_steps: u128,
}

/// Column names of the three columns every event file has.
#[derive(Debug, Clone)]
pub struct ColumnNames {
    pub customer_id: String,
    pub timestamp: String,
    pub event: String,
}

impl Default for ColumnNames {
    fn default() -> Self {
        ColumnNames {
            customer_id: "customer_id".to_owned(),
            timestamp: "timestamp".to_owned(),
            event: "event".to_owned(),
        }
    }
}

/// Everything the scan collected.
pub(crate) struct Scan {
    pub(crate) rows: Vec<Row>,
    pub(crate) combos: Vec<Combo>,
    combo_index: FxHashMap<Combo, u32>,
    pub(crate) customers: Interner,
    pub(crate) channels: Interner,
    /// Text and its VADER compound score, indexed by [`Row::text`].
    pub(crate) texts: Vec<(Box<str>, f32)>,
    /// Unmapped events by event name.
    pub(crate) unmapped: FxHashMap<Box<str>, u64>,
    pub(crate) event_rows: u64,
    pub(crate) analysed_events: u64,
    pub(crate) min_ts: i64,
    pub(crate) max_ts: i64,
    pub(crate) bad_rows: BadRows,
    /// Whether each interned customer has at least one analysed event.
    pub(crate) seen: Vec<bool>,
}

/// Strings to dense ids; id 0 is reserved for "none" in channel interners.
#[derive(Default)]
pub(crate) struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    pub(crate) fn with_none() -> Interner {
        let mut interner = Interner::default();
        interner.names.push("".into());
        interner
    }

    pub(crate) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }

    pub(crate) fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// The id of `name`, if it was interned.
    pub(crate) fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// The names in id order, consuming the interner.
    pub(crate) fn into_names(self) -> Vec<Box<str>> {
        self.names
    }
}

/// What the scan needs besides the plan.
pub(crate) struct ScanSettings<'a> {
    pub(crate) columns: &'a ColumnNames,
    pub(crate) zone: Zone,
    pub(crate) since: Option<i64>,
    pub(crate) until: Option<i64>,
    pub(crate) skip_bad_rows: bool,
    /// Only these customers' events are kept (`--persona`); `None` keeps all.
    pub(crate) only_customers: Option<&'a rustc_hash::FxHashSet<u32>>,
}

impl Scan {
    pub(crate) fn new(customers: Interner) -> Scan {
        Scan {
            rows: Vec::new(),
            combos: vec![Combo {
                steps: 0,
                outcomes: 0,
                feedback_steps: 0,
            }],
            combo_index: FxHashMap::default(),
            customers,
            channels: Interner::with_none(),
            texts: Vec::new(),
            unmapped: FxHashMap::default(),
            event_rows: 0,
            analysed_events: 0,
            min_ts: i64::MAX,
            max_ts: i64::MIN,
            bad_rows: BadRows::default(),
            seen: Vec::new(),
        }
    }

    fn combo(&mut self, combo: Combo) -> u32 {
        if combo.steps == 0 && combo.outcomes == 0 && combo.feedback_steps == 0 {
            return 0;
        }
        if let Some(&id) = self.combo_index.get(&combo) {
            return id;
        }
        let id = self.combos.len() as u32;
        self.combos.push(combo);
        self.combo_index.insert(combo, id);
        id
    }

    /// Adds one batch of `path`.
    pub(crate) fn add(
        &mut self,
        plan: &Plan,
        batch: &Batch,
        path: &std::path::Path,
        settings: &ScanSettings<'_>,
    ) -> Result<(), EngineError> {
        for skipped in &batch.skipped {
            self.bad_rows.record(skipped);
        }
        let record = &batch.batch;
        let n = record.num_rows();
        if n == 0 {
            return Ok(());
        }
        self.event_rows += n as u64;
        let bad =
            |row: usize, column: &str, message: String| batch.bad_row(path, row, column, message);
        let names = settings.columns;
        let customer_col = text_column(record, &names.customer_id).ok_or_else(|| {
            bad(
                0,
                &names.customer_id,
                "the column is missing in this part of the file".to_owned(),
            )
        })?;
        let ts_array = raw_column(record, &names.timestamp).ok_or_else(|| {
            bad(
                0,
                &names.timestamp,
                "the column is missing in this part of the file".to_owned(),
            )
        })?;
        let times = match to_micros(&ts_array, settings.zone) {
            Ok(times) => times,
            Err((row, message)) if !settings.skip_bad_rows => {
                return Err(bad(row, &names.timestamp, message));
            }
            Err(_) => {
                // Parse row by row to skip exactly the bad ones.
                (0..n)
                    .map(|i| {
                        to_micros(&ts_array.slice(i, 1), settings.zone)
                            .ok()
                            .and_then(|v| v[0])
                    })
                    .collect()
            }
        };
        let event_col = text_column(record, &names.event);
        let channel_col = text_column(record, "channel");
        let initiator_col = text_column(record, "initiator");
        let text_col = text_column(record, "text");
        let nps = score_column(record, "nps", 0.0, 10.0)?;
        let csat = score_column(record, "csat", 1.0, 5.0)?;
        let ces = score_column(record, "ces", 1.0, 7.0)?;

        let step_masks = masks(plan.steps.iter().map(|s| s.matcher.as_ref()), record)?;
        let feedback_masks = masks(plan.steps.iter().map(|s| s.feedback.as_ref()), record)?;
        let outcome_masks = masks(plan.outcomes.iter().map(|(_, p)| Some(p)), record)?;

        for i in 0..n {
            let row_bad = |column: &str, message: String| bad(i, column, message);
            let customer = match customer_col
                .is_valid(i)
                .then(|| customer_col.value(i).trim())
            {
                Some(id) if !id.is_empty() => id,
                _ => {
                    let e = row_bad(&names.customer_id, "the customer id is missing".to_owned());
                    if settings.skip_bad_rows {
                        self.bad_rows.record(&e);
                        continue;
                    }
                    return Err(e);
                }
            };
            let Some(ts) = times[i] else {
                let message = if ts_array.is_null(i) {
                    "the time is missing".to_owned()
                } else {
                    "not a time".to_owned()
                };
                let e = row_bad(&names.timestamp, message);
                if settings.skip_bad_rows {
                    self.bad_rows.record(&e);
                    continue;
                }
                return Err(e);
            };
            let mut scores = [-1i8; 3];
            let mut score_error = None;
            for (k, (column, name)) in [(&nps, "nps"), (&csat, "csat"), (&ces, "ces")]
                .into_iter()
                .enumerate()
            {
                if let Some(column) = column {
                    match column.get(i) {
                        Ok(value) => scores[k] = value,
                        Err(message) => score_error = Some(row_bad(name, message)),
                    }
                }
            }
            if let Some(e) = score_error {
                if settings.skip_bad_rows {
                    self.bad_rows.record(&e);
                    continue;
                }
                return Err(e);
            }
            if settings.since.is_some_and(|since| ts < since)
                || settings.until.is_some_and(|until| ts >= until)
            {
                continue;
            }
            let customer = self.customers.intern(customer);
            if settings
                .only_customers
                .is_some_and(|only| !only.contains(&customer))
            {
                continue;
            }
            self.analysed_events += 1;
            let idx = customer as usize;
            if idx >= self.seen.len() {
                self.seen.resize(idx + 1, false);
            }
            self.seen[idx] = true;
            self.min_ts = self.min_ts.min(ts);
            self.max_ts = self.max_ts.max(ts);
            let combo = Combo {
                steps: step_masks[i],
                outcomes: outcome_masks[i] as u32,
                feedback_steps: feedback_masks[i],
            };
            if combo.steps == 0 {
                let name = event_col
                    .as_ref()
                    .filter(|c| c.is_valid(i))
                    .map_or("(no event name)", |c| c.value(i));
                match self.unmapped.get_mut(name) {
                    Some(count) => *count += 1,
                    None => {
                        self.unmapped.insert(name.into(), 1);
                    }
                }
            }
            let text = text_col
                .as_ref()
                .filter(|c| c.is_valid(i))
                .map(|c| c.value(i))
                .filter(|t| !t.trim().is_empty());
            let row_matters = combo.steps != 0
                || combo.outcomes != 0
                || combo.feedback_steps != 0
                || scores.iter().any(|&s| s >= 0)
                || text.is_some();
            if !row_matters {
                continue;
            }
            let text = match text {
                Some(t) => {
                    let id = self.texts.len() as u32;
                    self.texts
                        .push((t.into(), crate::sentiment::compound(t) as f32));
                    id
                }
                None => u32::MAX,
            };
            let channel = match channel_col.as_ref().filter(|c| c.is_valid(i)) {
                Some(c) => self.channels.intern(c.value(i)) as u16,
                None => 0,
            };
            let initiator = match initiator_col
                .as_ref()
                .filter(|c| c.is_valid(i))
                .map(|c| c.value(i))
            {
                Some(v) if v.eq_ignore_ascii_case("customer") => 1,
                Some(v) if v.eq_ignore_ascii_case("company") => 2,
                _ => 0,
            };
            let combo = self.combo(combo);
            self.rows.push(Row {
                ts,
                customer,
                combo,
                text,
                channel,
                nps: scores[0],
                csat: scores[1],
                ces: scores[2],
                initiator,
            });
        }
        Ok(())
    }
}

/// A column as text (`Utf8`), casting other types; `None` when the batch has no such column.
pub(crate) fn text_column(batch: &RecordBatch, name: &str) -> Option<StringArray> {
    let array = raw_column(batch, name)?;
    let array = match array.data_type() {
        DataType::Utf8 => array,
        _ => arrow::compute::cast(&array, &DataType::Utf8).ok()?,
    };
    array.as_any().downcast_ref::<StringArray>().cloned()
}

pub(crate) fn raw_column(batch: &RecordBatch, name: &str) -> Option<ArrayRef> {
    let schema = batch.schema();
    let idx = schema.index_of(name).ok().or_else(|| {
        schema
            .fields()
            .iter()
            .position(|f| f.name().eq_ignore_ascii_case(name))
    })?;
    Some(Arc::clone(batch.column(idx)))
}

/// A survey score column, validated: whole numbers in `min..=max`.
struct ScoreColumn {
    raw: StringArray,
    numbers: Float64Array,
    min: f64,
    max: f64,
    name: &'static str,
}

impl ScoreColumn {
    fn get(&self, i: usize) -> Result<i8, String> {
        if self.raw.is_null(i) || self.raw.value(i).trim().is_empty() {
            return Ok(-1);
        }
        if self.numbers.is_null(i) {
            return Err(format!("`{}` is not a number", self.raw.value(i)));
        }
        let value = self.numbers.value(i);
        if value.fract() != 0.0 || value < self.min || value > self.max {
            return Err(format!(
                "{} must be a whole number from {} to {}, found {}",
                self.name, self.min, self.max, value
            ));
        }
        Ok(value as i8)
    }
}

fn score_column(
    batch: &RecordBatch,
    name: &'static str,
    min: f64,
    max: f64,
) -> Result<Option<ScoreColumn>, EngineError> {
    let Some(array) = raw_column(batch, name) else {
        return Ok(None);
    };
    let raw =
        text_column(batch, name).unwrap_or_else(|| StringArray::from(Vec::<Option<&str>>::new()));
    let options = arrow::compute::CastOptions {
        safe: true,
        ..Default::default()
    };
    let numbers = arrow::compute::cast_with_options(&array, &DataType::Float64, &options)
        .map_err(|e| EngineError::Unsupported(format!("column `{name}`: {e}")))?;
    let numbers = numbers
        .as_any()
        .downcast_ref::<Float64Array>()
        .cloned()
        .expect("cast to Float64 gives a Float64Array");
    Ok(Some(ScoreColumn {
        raw,
        numbers,
        min,
        max,
        name,
    }))
}

/// One bit mask per row: bit k set when predicate k is TRUE for the row.
fn masks<'a>(
    predicates: impl Iterator<Item = Option<&'a crate::expr::Predicate>>,
    batch: &RecordBatch,
) -> Result<Vec<u128>, EngineError> {
    let mut out = vec![0u128; batch.num_rows()];
    for (k, predicate) in predicates.enumerate() {
        let Some(predicate) = predicate else {
            continue;
        };
        let matched: BooleanArray = predicate.evaluate(batch)?;
        if matched.true_count() == 0 {
            continue;
        }
        let bit = 1u128 << k;
        for (i, slot) in out.iter_mut().enumerate() {
            if matched.value(i) {
                *slot |= bit;
            }
        }
    }
    Ok(out)
}
