//! JSON Lines (optionally gzipped): one JSON object per line.
//!
//! Nested objects are flattened to dotted column names (`{"properties": {"plan": "pro"}}` gives
//! `properties.plan`). Each batch decides its columns' types from its values: all numbers give
//! a number column, all booleans a boolean column, anything else (or a mix) a text column, with
//! numbers and booleans written as text. Arrays are kept as their JSON text.
//!
//! **Segment-spec events** (`--events-format segment`) are JSON Lines too, read with these rules:
//! - `customer_id` is `userId`, else `anonymousId`;
//! - `event` is the track call's `event`; for `page` and `screen` calls it is `page_viewed` or
//!   `screen_viewed` (the page's `name` is in the `name` column); for `identify` it is
//!   `identify`, for `group` `group`, for `alias` `alias`;
//! - `type`, `timestamp`, `messageId` stay as they are;
//! - `properties.x` and `traits.x` become plain `x` columns (a property wins over a trait of the
//!   same name); `context.x` stays `context.x`; other keys are flattened with dots.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use serde_json::Value;

use super::{AfterBadRow, BATCH_SIZE, Batch, Opened, ReadOptions};
use crate::EngineError;

pub(super) fn open(
    path: &Path,
    options: ReadOptions,
    segment: bool,
) -> Result<Opened, EngineError> {
    let reader = std::io::BufReader::with_capacity(1 << 20, super::reader(path)?);
    let mut batches = JsonlBatches {
        segment,
        path: path.to_owned(),
        lines: Box::new(reader.lines()),
        row: 0,
        skip_bad_rows: options.skip_bad_rows,
        done: false,
        pending: None,
    };
    // Read the first batch now: its keys are the columns known before the scan.
    // An error in the first batch is the file's error; report it before anything else.
    let first = Ok(batches.next_batch()?);
    let columns = match &first {
        Ok(Some(batch)) => batch
            .batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect(),
        _ => Vec::new(),
    };
    batches.pending = Some(first);
    Ok(Opened {
        path: path.to_owned(),
        format: if segment {
            super::FileFormat::Segment
        } else {
            super::FileFormat::Jsonl
        },
        columns,
        rows_hint: None,
        batches: Box::new(batches),
    })
}

type Lines = Box<dyn Iterator<Item = std::io::Result<String>> + Send>;

struct JsonlBatches {
    segment: bool,
    path: PathBuf,
    lines: Lines,
    row: u64,
    skip_bad_rows: bool,
    done: bool,
    pending: Option<Result<Option<Batch>, EngineError>>,
}

impl JsonlBatches {
    fn next_batch(&mut self) -> Result<Option<Batch>, EngineError> {
        let mut rows: Vec<BTreeMap<String, Value>> = Vec::with_capacity(BATCH_SIZE);
        let mut skipped = Vec::new();
        let mut first_row = None;
        while rows.len() < BATCH_SIZE {
            let Some(line) = self.lines.next() else {
                self.done = true;
                break;
            };
            self.row += 1;
            let line = match line {
                Ok(line) => line,
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    let e = self.bad_row("*", "is not UTF-8 text".to_owned());
                    match super::bad_row(e, self.skip_bad_rows, &mut skipped, !rows.is_empty())? {
                        AfterBadRow::EndBatch => break,
                        AfterBadRow::ReadOn => continue,
                    }
                }
                Err(source) => {
                    return Err(EngineError::Io {
                        path: self.path.clone(),
                        source,
                    });
                }
            };
            if line.trim().is_empty() {
                if !rows.is_empty() {
                    // Keep batches contiguous: a blank line ends this batch.
                    break;
                }
                continue;
            }
            match serde_json::from_str::<Value>(&line) {
                Ok(Value::Object(object)) => {
                    let mut flat = BTreeMap::new();
                    if self.segment {
                        segment_columns(object, &mut flat);
                    } else {
                        flatten("", Value::Object(object), &mut flat);
                    }
                    first_row.get_or_insert(self.row);
                    rows.push(flat);
                }
                Ok(_) => {
                    let e = self.bad_row("*", "is not a JSON object".to_owned());
                    match super::bad_row(e, self.skip_bad_rows, &mut skipped, !rows.is_empty())? {
                        AfterBadRow::EndBatch => break,
                        AfterBadRow::ReadOn => continue,
                    }
                }
                Err(error) => {
                    let e = self.bad_row(
                        "*",
                        format!("invalid JSON at character {}: {error}", error.column()),
                    );
                    match super::bad_row(e, self.skip_bad_rows, &mut skipped, !rows.is_empty())? {
                        AfterBadRow::EndBatch => break,
                        AfterBadRow::ReadOn => continue,
                    }
                }
            }
        }
        if rows.is_empty() && skipped.is_empty() {
            return Ok(None);
        }
        let batch = to_batch(&rows).map_err(|source| EngineError::Arrow {
            path: self.path.clone(),
            source,
        })?;
        Ok(Some(Batch {
            first_row: first_row.unwrap_or(self.row),
            batch,
            skipped,
        }))
    }

    fn bad_row(&self, column: &str, message: String) -> EngineError {
        EngineError::BadRow {
            path: self.path.clone(),
            row: self.row,
            column: column.to_owned(),
            message,
        }
    }
}

impl Iterator for JsonlBatches {
    type Item = Result<Batch, EngineError>;

    fn next(&mut self) -> Option<Self::Item> {
        let result = match self.pending.take() {
            Some(result) => result,
            None if self.done => return None,
            None => self.next_batch(),
        };
        match result {
            Ok(Some(batch)) => Some(Ok(batch)),
            Ok(None) => None,
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// Nested objects become dotted keys; nulls are dropped (a missing key is null anyway).
pub(crate) fn flatten(prefix: &str, value: Value, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(object) => {
            for (key, value) in object {
                let name = if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&name, value, out);
            }
        }
        Value::Null => {}
        other => {
            out.insert(prefix.to_owned(), other);
        }
    }
}

/// One Segment call as columns (the rules are in the module doc).
fn segment_columns(mut object: serde_json::Map<String, Value>, out: &mut BTreeMap<String, Value>) {
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("track")
        .to_owned();
    let customer = object
        .get("userId")
        .filter(|v| !v.is_null())
        .or_else(|| object.get("anonymousId"))
        .cloned();
    let event = match kind.as_str() {
        "track" => object.get("event").cloned(),
        "page" => Some(Value::String("page_viewed".to_owned())),
        "screen" => Some(Value::String("screen_viewed".to_owned())),
        other => Some(Value::String(other.to_owned())),
    };
    let traits = object.remove("traits");
    let properties = object.remove("properties");
    for (key, value) in object {
        if matches!(key.as_str(), "userId" | "anonymousId" | "event") {
            continue;
        }
        flatten(&key, value, out);
    }
    // Traits first, so that a property of the same name overwrites the trait.
    for nested in [traits, properties].into_iter().flatten() {
        if let Value::Object(fields) = nested {
            for (key, value) in fields {
                flatten(&key, value, out);
            }
        }
    }
    if let Some(customer) = customer {
        flatten("customer_id", customer, out);
    }
    if let Some(event) = event {
        flatten("event", event, out);
    }
}

pub(super) fn to_batch(
    rows: &[BTreeMap<String, Value>],
) -> Result<RecordBatch, arrow::error::ArrowError> {
    let mut kinds: BTreeMap<&str, Kind> = BTreeMap::new();
    for row in rows {
        for (key, value) in row {
            let kind = match value {
                Value::Bool(_) => Kind::Bool,
                Value::Number(n) if n.is_i64() => Kind::Int,
                Value::Number(_) => Kind::Float,
                _ => Kind::Text,
            };
            kinds
                .entry(key.as_str())
                .and_modify(|k| *k = k.merge(kind))
                .or_insert(kind);
        }
    }
    let mut fields = Vec::with_capacity(kinds.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(kinds.len());
    for (name, kind) in kinds {
        let values = rows.iter().map(|row| row.get(name));
        let (data_type, array): (DataType, ArrayRef) = match kind {
            Kind::Bool => {
                let mut b = BooleanBuilder::with_capacity(rows.len());
                values.for_each(|v| b.append_option(v.and_then(Value::as_bool)));
                (DataType::Boolean, Arc::new(b.finish()))
            }
            Kind::Int => {
                let mut b = Int64Builder::with_capacity(rows.len());
                values.for_each(|v| b.append_option(v.and_then(Value::as_i64)));
                (DataType::Int64, Arc::new(b.finish()))
            }
            Kind::Float => {
                let mut b = Float64Builder::with_capacity(rows.len());
                values.for_each(|v| b.append_option(v.and_then(Value::as_f64)));
                (DataType::Float64, Arc::new(b.finish()))
            }
            Kind::Text => {
                let mut b = StringBuilder::with_capacity(rows.len(), rows.len() * 8);
                values.for_each(|v| match v {
                    None => b.append_null(),
                    Some(Value::String(s)) => b.append_value(s),
                    Some(other) => b.append_value(other.to_string()),
                });
                (DataType::Utf8, Arc::new(b.finish()))
            }
        };
        fields.push(Field::new(name, data_type, true));
        arrays.push(array);
    }
    RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        arrays,
        &arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(rows.len())),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Int,
    Float,
    Text,
}

impl Kind {
    fn merge(self, other: Kind) -> Kind {
        match (self, other) {
            (a, b) if a == b => a,
            (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
            _ => Kind::Text,
        }
    }
}
