//! CSV (optionally gzipped) with a header row, read with the `csv` crate into text columns.
//!
//! We read records ourselves rather than with `arrow-csv` so that every problem (a row with the
//! wrong number of fields, broken quoting, bytes that are not UTF-8) names its row and column,
//! and so that `--skip-bad-rows` can skip exactly that row and go on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{ArrayRef, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;

use super::{AfterBadRow, BATCH_SIZE, Batch, Opened, ReadOptions};
use crate::EngineError;

pub(super) fn open(path: &Path, options: ReadOptions) -> Result<Opened, EngineError> {
    let delimiter = if path.to_string_lossy().to_lowercase().contains(".tsv") {
        b'\t'
    } else {
        b','
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(super::reader(path)?);
    let headers = reader.byte_headers().map_err(|e| EngineError::Format {
        path: path.to_owned(),
        message: format!("cannot read the header row: {e}"),
    })?;
    let mut columns = Vec::with_capacity(headers.len());
    for (idx, raw) in headers.iter().enumerate() {
        let name = std::str::from_utf8(raw).map_err(|_| EngineError::Format {
            path: path.to_owned(),
            message: format!("header column {} is not UTF-8 text", idx + 1),
        })?;
        // A UTF-8 byte-order mark before the first header would make `customer_id` unmatchable.
        columns.push(name.trim_start_matches('\u{feff}').trim().to_owned());
    }
    if columns.is_empty() || columns.iter().all(String::is_empty) {
        return Err(EngineError::Format {
            path: path.to_owned(),
            message: "the file is empty or has no header row".to_owned(),
        });
    }
    let schema: SchemaRef = Arc::new(Schema::new(
        columns
            .iter()
            .map(|c| Field::new(c, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    ));
    let batches = CsvBatches {
        path: path.to_owned(),
        reader,
        schema,
        row: 0,
        skip_bad_rows: options.skip_bad_rows,
        done: false,
    };
    Ok(Opened {
        path: path.to_owned(),
        format: super::FileFormat::Csv,
        columns,
        rows_hint: None,
        batches: Box::new(batches),
    })
}

struct CsvBatches<R: std::io::Read> {
    path: PathBuf,
    reader: ::csv::Reader<R>,
    schema: SchemaRef,
    /// Data rows read so far (one-based numbering; the header is not a row).
    row: u64,
    skip_bad_rows: bool,
    done: bool,
}

impl<R: std::io::Read> CsvBatches<R> {
    fn bad_row(&self, column: &str, message: String) -> EngineError {
        EngineError::BadRow {
            path: self.path.clone(),
            row: self.row,
            column: column.to_owned(),
            message,
        }
    }

    fn next_batch(&mut self) -> Result<Option<Batch>, EngineError> {
        let n_columns = self.schema.fields().len();
        let mut builders: Vec<StringBuilder> = (0..n_columns)
            .map(|_| StringBuilder::with_capacity(BATCH_SIZE, BATCH_SIZE * 8))
            .collect();
        let mut record = ::csv::ByteRecord::new();
        let mut n_rows = 0;
        let mut first_row = None;
        let mut skipped = Vec::new();
        while n_rows < BATCH_SIZE {
            let more = match self.reader.read_byte_record(&mut record) {
                Ok(more) => more,
                Err(error) => {
                    self.row += 1;
                    let e = self.bad_row("*", format!("malformed CSV: {error}"));
                    match super::bad_row(e, self.skip_bad_rows, &mut skipped, n_rows > 0)? {
                        AfterBadRow::EndBatch => break,
                        AfterBadRow::ReadOn => continue,
                    }
                }
            };
            if !more {
                self.done = true;
                break;
            }
            self.row += 1;
            if record.len() != n_columns {
                let e = self.bad_row(
                    "*",
                    format!(
                        "has {} fields, but the header has {n_columns}",
                        record.len()
                    ),
                );
                match super::bad_row(e, self.skip_bad_rows, &mut skipped, n_rows > 0)? {
                    AfterBadRow::EndBatch => break,
                    AfterBadRow::ReadOn => continue,
                }
            }
            let mut texts: Vec<Option<&str>> = Vec::with_capacity(n_columns);
            let mut bad = None;
            for (idx, field) in record.iter().enumerate() {
                match std::str::from_utf8(field) {
                    Ok("") => texts.push(None),
                    Ok(text) => texts.push(Some(text)),
                    Err(_) => {
                        bad = Some(self.bad_row(
                            self.schema.field(idx).name(),
                            "is not UTF-8 text".to_owned(),
                        ));
                        break;
                    }
                }
            }
            if let Some(e) = bad {
                match super::bad_row(e, self.skip_bad_rows, &mut skipped, n_rows > 0)? {
                    AfterBadRow::EndBatch => break,
                    AfterBadRow::ReadOn => continue,
                }
            }
            first_row.get_or_insert(self.row);
            for (builder, text) in builders.iter_mut().zip(texts) {
                builder.append_option(text);
            }
            n_rows += 1;
        }
        if n_rows == 0 && skipped.is_empty() {
            return Ok(None);
        }
        let arrays: Vec<ArrayRef> = builders
            .into_iter()
            .map(|mut b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(|source| {
            EngineError::Arrow {
                path: self.path.clone(),
                source,
            }
        })?;
        Ok(Some(Batch {
            first_row: first_row.unwrap_or(self.row),
            batch,
            skipped,
        }))
    }
}

impl<R: std::io::Read> Iterator for CsvBatches<R> {
    type Item = Result<Batch, EngineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_batch() {
            Ok(Some(batch)) => Some(Ok(batch)),
            Ok(None) => None,
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
