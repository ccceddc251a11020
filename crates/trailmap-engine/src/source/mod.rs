//! Event and customer files as streams of Arrow record batches.
//!
//! Every reader streams: it holds one batch at a time, never the whole file. Batches carry their
//! own schema (a JSON Lines file may gain a key halfway through), so consumers look columns up by
//! name in each batch. CSV columns are all text (`Utf8`): types are decided where a value is
//! used (a score must parse as a number, a timestamp as a time), which is also where a bad value
//! can be reported with its row and column.

mod csv;
mod jsonl;
mod parquet;
pub mod xes;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use arrow::record_batch::RecordBatch;

use crate::EngineError;

/// Rows per batch: large enough for vectorised evaluation, small enough to stay in cache.
pub const BATCH_SIZE: usize = 16 * 1024;

/// The file formats Trailmap reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// Comma-separated values with a header row; `.csv` or `.csv.gz`.
    Csv,
    /// One JSON object per line; `.jsonl`, `.ndjson` or `.json`, optionally `.gz`.
    Jsonl,
    /// Apache Parquet; `.parquet` or `.pq`.
    Parquet,
    /// IEEE 1849 XES event logs; `.xes` or `.xes.gz`.
    Xes,
    /// Segment-spec events as JSON Lines (track, page, screen, identify); only when forced with
    /// `--events-format segment`. See `jsonl.rs` for how they become columns.
    Segment,
}

impl FileFormat {
    /// The format a file name implies.
    pub fn from_path(path: &Path) -> Option<FileFormat> {
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit('.').next()?;
        match ext {
            "csv" | "tsv" => Some(FileFormat::Csv),
            "jsonl" | "ndjson" | "json" => Some(FileFormat::Jsonl),
            "parquet" | "pq" => Some(FileFormat::Parquet),
            "xes" => Some(FileFormat::Xes),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Jsonl => "jsonl",
            FileFormat::Parquet => "parquet",
            FileFormat::Segment => "segment",
            FileFormat::Xes => "xes",
        }
    }
}

/// An opened file: its column names (known before any row is processed) and its batches.
pub struct Opened {
    pub path: PathBuf,
    pub format: FileFormat,
    /// Column names as known up front (for JSON Lines: the keys seen in the first lines).
    pub columns: Vec<String>,
    /// How many rows the file holds, when its format says so up front (Parquet metadata), so
    /// readers can reserve memory once.
    pub rows_hint: Option<u64>,
    pub batches: Box<dyn Iterator<Item = Result<Batch, EngineError>> + Send>,
}

/// A batch and the one-based number of its first row in the file. Its rows are consecutive
/// rows of the file, so row `i` of the batch is row `first_row + i`.
pub struct Batch {
    pub first_row: u64,
    pub batch: RecordBatch,
    /// Rows skipped (under `--skip-bad-rows`) just before or instead of this batch's rows.
    pub skipped: Vec<EngineError>,
}

impl Batch {
    /// The error for row `row` of this batch (0-based), in `column` of the file at `path`.
    pub(crate) fn bad_row(
        &self,
        path: &Path,
        row: usize,
        column: &str,
        message: String,
    ) -> EngineError {
        EngineError::BadRow {
            path: path.to_owned(),
            row: self.first_row + row as u64,
            column: column.to_owned(),
            message,
        }
    }
}

/// How to treat rows that cannot be read.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Count and skip malformed rows instead of failing on the first one.
    pub skip_bad_rows: bool,
}

/// Which columns a reader needs, and how, so a columnar format can skip the rest. Formats that
/// must parse every column anyway (CSV, JSON Lines, XES) ignore it.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Only these columns (matched without regard to ASCII case) are decoded; `None`: all.
    pub only: Option<Vec<String>>,
    /// Text columns to hand over dictionary-encoded (`Dictionary(Int32, Utf8)`) where the file
    /// stores them so: a reader that maps each distinct value once (case ids, event names)
    /// then does an index lookup per row instead of a string hash.
    pub as_dictionary: Vec<String>,
}

/// Opens `path` in `format` (or the format its name implies).
pub fn open(
    path: &Path,
    format: Option<FileFormat>,
    options: ReadOptions,
) -> Result<Opened, EngineError> {
    open_columns(path, format, options, &Columns::default())
}

/// [`open`], decoding only the `columns` a columnar format is asked for.
pub fn open_columns(
    path: &Path,
    format: Option<FileFormat>,
    options: ReadOptions,
    columns: &Columns,
) -> Result<Opened, EngineError> {
    let format = match format.or_else(|| FileFormat::from_path(path)) {
        Some(format) => format,
        None => {
            return Err(EngineError::Format {
                path: path.to_owned(),
                message: "unknown file type; name it .csv, .csv.gz, .jsonl, .jsonl.gz, .parquet, .xes or .xes.gz, or pass --events-format".to_owned(),
            });
        }
    };
    match format {
        FileFormat::Csv => csv::open(path, options),
        FileFormat::Jsonl => jsonl::open(path, options, false),
        FileFormat::Segment => jsonl::open(path, options, true),
        FileFormat::Parquet => parquet::open(path, columns),
        FileFormat::Xes => xes::open(path, options),
    }
}

/// The file's bytes, decompressed when its name ends in `.gz`.
fn reader(path: &Path) -> Result<Box<dyn Read + Send>, EngineError> {
    let file = File::open(path).map_err(|source| EngineError::Io {
        path: path.to_owned(),
        source,
    })?;
    let is_gz = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().to_lowercase().ends_with(".gz"));
    Ok(if is_gz {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
            1 << 20,
            file,
        )))
    } else {
        Box::new(BufReader::with_capacity(1 << 20, file))
    })
}

/// What a reader does after a bad row under `--skip-bad-rows`.
pub(crate) enum AfterBadRow {
    /// End the batch here, so a batch's rows stay consecutive rows of the file.
    EndBatch,
    /// The batch is still empty: read on.
    ReadOn,
}

/// Fails with `error`, or (skipping bad rows) records it and says how to go on.
pub(crate) fn bad_row(
    error: EngineError,
    skip_bad_rows: bool,
    skipped: &mut Vec<EngineError>,
    batch_has_rows: bool,
) -> Result<AfterBadRow, EngineError> {
    if !skip_bad_rows {
        return Err(error);
    }
    skipped.push(error);
    Ok(if batch_has_rows {
        AfterBadRow::EndBatch
    } else {
        AfterBadRow::ReadOn
    })
}

/// Rows that were skipped under `--skip-bad-rows`, with the first few reasons.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BadRows {
    pub count: u64,
    pub examples: Vec<String>,
}

impl BadRows {
    pub(crate) const MAX_EXAMPLES: usize = 10;

    pub(crate) fn record(&mut self, error: &EngineError) {
        self.count += 1;
        if self.examples.len() < Self::MAX_EXAMPLES {
            self.examples.push(error.to_string());
        }
    }
}
