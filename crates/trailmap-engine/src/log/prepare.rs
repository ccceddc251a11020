//! The per-batch, column-at-a-time half of the scan: times to microseconds, which step each
//! event matches, outcome bits, values. It needs no state shared between batches, so it runs
//! on the decoding thread, beside the row-by-row half ([`super::reader`]) on the other.

use std::path::Path;

use arrow::array::{
    Array, ArrayRef, AsArray, Float64Array, Int32Array, StringArray, TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, Int32Type, TimeUnit, TimestampMicrosecondType};
use arrow::record_batch::RecordBatch;

use super::case_ids::{
    CaseNumbers, ROW_NO_CASE, ROW_NO_TIME, ROW_NOT_A_TIME, ROW_OUTSIDE_PERIOD, row_problem,
};
use super::{By, LogOptions};
use crate::error::EngineError;
use crate::expr::Predicate;
use crate::scan::{raw_column, text_column};
use crate::source::Batch;
use crate::time::to_micros;

/// A text column as the file gave it.
pub(super) enum Text {
    Plain(StringArray),
    /// Dictionary-encoded: row `i` is `values[keys[i]]` (a NULL key is a NULL row).
    Dictionary {
        keys: Int32Array,
        values: StringArray,
    },
}

impl Text {
    fn of(batch: &RecordBatch, name: &str) -> Option<Text> {
        let array = raw_column(batch, name)?;
        if let DataType::Dictionary(key, value) = array.data_type()
            && **key == DataType::Int32
            && **value == DataType::Utf8
        {
            let dictionary = array.as_dictionary::<Int32Type>();
            return Some(Text::Dictionary {
                keys: dictionary.keys().clone(),
                values: dictionary.values().as_string::<i32>().clone(),
            });
        }
        text_column(batch, name).map(Text::Plain)
    }
}

/// A batch made ready for the row-by-row half.
pub(super) struct Prepared {
    pub batch: Batch,
    /// Per row: the case number, or why the row is left out: `ROW_NO_CASE`, `ROW_NO_TIME`,
    /// `ROW_NOT_A_TIME` (malformed, only when skipping bad rows) or `ROW_OUTSIDE_PERIOD`.
    pub case_of: Vec<u32>,
    /// µs since the epoch per row (0 where `case_of` leaves the row out).
    pub times: Vec<i64>,
    /// By event: the activity column.
    pub events: Option<Text>,
    /// By step: per row, the first matching step or `u32::MAX`.
    pub step_of: Vec<u32>,
    /// Per row, the outcomes the event shows (bit i: outcome i); empty without outcomes.
    pub outcome_bits: Vec<u64>,
    pub values: Option<Float64Array>,
    pub tally: Option<StringArray>,
    pub resource: Option<StringArray>,
}

/// Everything per batch that needs no state from earlier batches, and the case numbers.
/// Without `skip_bad_rows`, the first malformed row (in row order) is the error.
pub(super) fn prepare(
    batch: Batch,
    numbers: &mut CaseNumbers,
    path: &Path,
    options: &LogOptions,
    steps: &[Option<&Predicate>],
    outcomes: &[&Predicate],
) -> Result<Prepared, EngineError> {
    let record = &batch.batch;
    let n = record.num_rows();
    let names = &options.columns;
    let bad = |row: usize, column: &str, message: String| batch.bad_row(path, row, column, message);
    let missing = |column: &str| {
        bad(
            0,
            column,
            "the column is missing in this part of the file".to_owned(),
        )
    };
    let cases = Text::of(record, &names.customer_id).ok_or_else(|| missing(&names.customer_id))?;
    let time_column =
        raw_column(record, &names.timestamp).ok_or_else(|| missing(&names.timestamp))?;
    let times = match time_column.data_type() {
        // The usual Parquet time: µs in UTC already, read as is.
        DataType::Timestamp(TimeUnit::Microsecond, Some(_)) => {
            let micros = time_column.as_primitive::<TimestampMicrosecondType>();
            Times::Micros(micros.clone())
        }
        _ => Times::Parsed(match to_micros(&time_column, options.zone) {
            Ok(times) => times,
            Err((row, message)) if !options.skip_bad_rows => {
                return Err(bad(row, &names.timestamp, message));
            }
            // Parse row by row to skip exactly the bad ones.
            Err(_) => (0..n)
                .map(|i| {
                    to_micros(&time_column.slice(i, 1), options.zone)
                        .ok()
                        .and_then(|v| v[0])
                })
                .collect(),
        }),
    };
    let (case_of, times) = number_cases(numbers, &cases, &time_column, &times, options, bad)?;
    let events = match options.by {
        By::Event => Some(Text::of(record, &names.event).ok_or_else(|| missing(&names.event))?),
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
    let tally = options
        .tally_col
        .as_deref()
        .and_then(|c| text_column(record, c));
    let resource = options
        .resource_cols
        .iter()
        .find_map(|c| text_column(record, c));
    Ok(Prepared {
        case_of,
        times,
        events,
        step_of,
        outcome_bits,
        values,
        tally,
        resource,
        batch,
    })
}

/// Per row, the case number or the row code of [`Prepared::case_of`], and the time. Checks in
/// the order a reader reports them: the case id, then the time, then the period. Cases are
/// numbered only for rows that pass, in row order, so numbers follow first appearance.
fn number_cases(
    numbers: &mut CaseNumbers,
    cases: &Text,
    time_column: &ArrayRef,
    times: &Times,
    options: &LogOptions,
    bad: impl Fn(usize, &str, String) -> EngineError,
) -> Result<(Vec<u32>, Vec<i64>), EngineError> {
    let n = time_column.len();
    numbers.start_batch(cases);
    // The usual Parquet batch: every row has a case and a time, and no period is set.
    if let (Text::Dictionary { keys, values }, Times::Micros(micros)) = (cases, times)
        && keys.null_count() == 0
        && micros.null_count() == 0
        && options.since.is_none()
        && options.until.is_none()
        && let Some(case_of) = numbers.number_all(keys, values)
    {
        return Ok((case_of, micros.values().to_vec()));
    }
    let (mut case_of, mut out_times) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let (code, time) = match (numbers.case_of(cases, i), times.get(i)) {
            (None, _) => (ROW_NO_CASE, 0),
            (Some(_), None) if time_column.is_null(i) => (ROW_NO_TIME, 0),
            (Some(_), None) => (ROW_NOT_A_TIME, 0),
            (Some(_), Some(time))
                if options.since.is_some_and(|since| time < since)
                    || options.until.is_some_and(|until| time >= until) =>
            {
                (ROW_OUTSIDE_PERIOD, 0)
            }
            (Some(case), Some(time)) => (numbers.number(cases, case), time),
        };
        if !options.skip_bad_rows
            && let Some((column, message)) = row_problem(code, &options.columns)
        {
            return Err(bad(i, column, message.to_owned()));
        }
        case_of.push(code);
        out_times.push(time);
    }
    Ok((case_of, out_times))
}

/// A batch's times in µs since the epoch.
enum Times {
    /// A UTC microsecond timestamp column, as read.
    Micros(TimestampMicrosecondArray),
    /// Anything else, converted (`None`: missing or not a time).
    Parsed(Vec<Option<i64>>),
}

impl Times {
    fn get(&self, i: usize) -> Option<i64> {
        match self {
            Times::Micros(micros) => micros.is_valid(i).then(|| micros.value(i)),
            Times::Parsed(times) => times[i],
        }
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
