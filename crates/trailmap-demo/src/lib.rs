//! Realistic synthetic customer data for any journey map: a customers file and an events file
//! that the evidence engine can measure the map against.
//!
//! [`generate`] reads nothing but the [`Map`]. Every step's `match`, every `feedback`, persona
//! `rule` and outcome is parsed as SQL and turned into what a row must look like (`expr`), so the
//! data fits maps the generator has never seen. A small vocabulary of the usual events, columns
//! and texts (`vocab`, after `examples/EVENTS.md`) only makes it look like a real business.
//!
//! ```no_run
//! # let map: trailmap_model::Map = unimplemented!();
//! let options = trailmap_demo::Options::new(10_000, 1);
//! let summary = trailmap_demo::generate(&map, "demo".as_ref(), &options, &mut |_| {})?;
//! println!("{} events", summary.events);
//! # Ok::<(), trailmap_demo::Error>(())
//! ```
//!
//! # Output
//!
//! `DIR/events.parquet` (or `events-00000.parquet`, ... when more than
//! [`Options::rows_per_file`] rows; or `.csv`) and `DIR/customers.parquet` (or `.csv`); see
//! [`event_schema`] and [`customer_schema`] for the columns. Events of one customer are written
//! together and in time order, customers one after another; readers must not rely on that.
//!
//! # Design
//!
//! - **Deterministic.** Each customer draws from its own generator, seeded by the run's seed
//!   and the customer's number (`rng`, xoshiro256++ written out here so no dependency update can
//!   change the data). The same map, options and seed give byte-identical files.
//! - **Streamed.** Customers are made one at a time into reusable buffers and appended to Arrow
//!   batches of 64K rows, which a second thread encodes and writes while the next batch is made.
//!   Memory is bounded by a batch and a Parquet row group, whatever the number of customers.
//! - **Behaviour from the map.** Personas by their `share`, steps in map order, drop-off driven
//!   by pain points, emotion and moments of truth; see `sim` for the whole story.
//!
//! **Architecture invariant:** this crate writes files (it is a data generator) but reads
//! none, and knows nothing of the command line; `trailmap-cli` is the glue.

mod expr;
mod plan;
mod rng;
mod sim;
mod sink;
mod value;
mod vocab;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use trailmap_model::Map;

use crate::plan::Plan;
use crate::sim::Generator;
use crate::sink::{BatchBuilder, FileSink};

/// Rows per Arrow batch handed to the writer.
const BATCH_ROWS: usize = 64 * 1024;

/// The file format of the generated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Apache Parquet, snappy-compressed, row groups of a million rows.
    Parquet,
    /// CSV with a header row; timestamps in RFC 3339 (UTC), empty cells for nulls.
    Csv,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Parquet => "parquet",
            Format::Csv => "csv",
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// How many customers.
    pub customers: u64,
    /// The seed: the same seed gives the same data.
    pub seed: u64,
    pub format: Format,
    /// Events files hold at most this many rows; more go to numbered parts.
    pub rows_per_file: u64,
}

impl Options {
    /// Parquet output, parts of ten million events.
    pub fn new(customers: u64, seed: u64) -> Options {
        Options {
            customers,
            seed,
            format: Format::Parquet,
            rows_per_file: 10_000_000,
        }
    }
}

/// How far a run has got, reported about once a second.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub customers: u64,
    pub events: u64,
}

/// What a run wrote.
#[derive(Debug, Clone)]
pub struct Summary {
    pub customers: u64,
    pub events: u64,
    /// Every file written, events first.
    pub files: Vec<PathBuf>,
    /// Files of an earlier run in the same folder (`events*.parquet`, ...) that were removed, so
    /// the folder holds one dataset.
    pub removed: Vec<PathBuf>,
    /// Parts of the map's expressions the generator could not honour.
    pub notes: Vec<String>,
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{path}`: {message}")]
    Encode { path: PathBuf, message: String },
}

impl Error {
    fn parquet(path: &Path, e: parquet::errors::ParquetError) -> Error {
        Error::Encode {
            path: path.to_owned(),
            message: e.to_string(),
        }
    }

    fn arrow(path: &Path, e: arrow::error::ArrowError) -> Error {
        Error::Encode {
            path: path.to_owned(),
            message: e.to_string(),
        }
    }
}

/// The columns of the events file for this map.
///
/// `customer_id` (Utf8), `timestamp` (Timestamp(µs, "UTC")), `event` (Utf8), then nullable
/// `channel`, `initiator` (Utf8), `nps`, `csat`, `ces` (Int32), `text` (Utf8), `order_value`
/// (Float64), then every other column the map's `match`, `feedback` and `outcomes` name, typed by
/// the literals they are compared with (text: Utf8; whole numbers: Int64; decimals: Float64). The
/// names of the first three follow the map's `data.columns`.
pub fn event_schema(map: &Map) -> SchemaRef {
    sink::event_schema(&Plan::new(map))
}

/// The columns of the customers file for this map: `customer_id`, every attribute the persona
/// rules name, then `country` (Utf8), `signup_date` (Date32), `email_opt_in` (Boolean) and
/// `demo_persona` (Utf8: the persona the engine should find for the customer, null for none).
pub fn customer_schema(map: &Map) -> SchemaRef {
    sink::customer_schema(&Plan::new(map))
}

/// Generates `options.customers` customers for `map` into `dir` (created if missing).
/// `progress` is called about once a second from the calling thread.
pub fn generate(
    map: &Map,
    dir: &Path,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    let removed = remove_earlier_run(dir)?;
    let plan = Plan::new(map);
    let event_schema = sink::event_schema(&plan);
    let customer_schema = sink::customer_schema(&plan);
    let (tx, rx) = mpsc::sync_channel::<Message>(4);

    let (generated, written) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let mut events = FileSink::new(
                dir,
                "events",
                options.format,
                event_schema.clone(),
                Some(options.rows_per_file),
            );
            let mut customers = FileSink::new(
                dir,
                "customers",
                options.format,
                customer_schema.clone(),
                None,
            );
            for message in rx {
                match message {
                    Message::Events(batch) => events.write(&batch)?,
                    Message::Customers(batch) => customers.write(&batch)?,
                }
            }
            let mut files = events.finish()?;
            files.extend(customers.finish()?);
            Ok::<_, Error>(files)
        });
        let generated = run(
            &plan,
            options,
            &event_schema,
            &customer_schema,
            &tx,
            progress,
        );
        drop(tx);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (generated, written)
    });
    let files = written?;
    let (customers, events) = generated;
    Ok(Summary {
        customers,
        events,
        files,
        removed,
        notes: plan.notes.clone(),
    })
}

enum Message {
    Events(RecordBatch),
    Customers(RecordBatch),
}

/// Makes the customers and sends their batches; stops early if the writer has failed.
/// Returns the customers and events made.
fn run(
    plan: &Plan,
    options: &Options,
    event_schema: &SchemaRef,
    customer_schema: &SchemaRef,
    tx: &mpsc::SyncSender<Message>,
    progress: &mut dyn FnMut(Progress),
) -> (u64, u64) {
    let mut generator = Generator::new(plan, options.seed);
    let mut events = BatchBuilder::new(event_schema.clone(), &plan.events, true, BATCH_ROWS + 256);
    let mut customers =
        BatchBuilder::new(customer_schema.clone(), &plan.customers, false, BATCH_ROWS);
    let width = options.customers.to_string().len().max(7);
    let mut id = String::new();
    let mut n_events: u64 = 0;
    let mut made: u64 = 0;
    let mut last_report = Instant::now();
    for number in 1..=options.customers {
        generator.customer(number);
        id.clear();
        id.push('c');
        let digits = number.to_string();
        id.extend(std::iter::repeat_n('0', width.saturating_sub(digits.len())));
        id.push_str(&digits);
        for &i in &generator.order {
            let i = i as usize;
            events.append(
                &id,
                Some(generator.rows.ts[i]),
                generator.rows.row(i),
                &plan.symbols,
            );
        }
        n_events += generator.order.len() as u64;
        customers.append(&id, None, &generator.attrs, &plan.symbols);
        made = number;
        if events.rows() >= BATCH_ROWS && tx.send(Message::Events(events.finish())).is_err() {
            return (made, n_events);
        }
        if customers.rows() >= BATCH_ROWS
            && tx.send(Message::Customers(customers.finish())).is_err()
        {
            return (made, n_events);
        }
        if number % 4096 == 0 && last_report.elapsed() >= Duration::from_secs(1) {
            last_report = Instant::now();
            progress(Progress {
                customers: made,
                events: n_events,
            });
        }
    }
    if events.rows() > 0 {
        let _ = tx.send(Message::Events(events.finish()));
    }
    if customers.rows() > 0 {
        let _ = tx.send(Message::Customers(customers.finish()));
    }
    (made, n_events)
}

/// Removes the files an earlier run left in `dir`, so parts of two runs are never mixed.
fn remove_earlier_run(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_output_name(name) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            removed.push(path);
        }
    }
    removed.sort();
    Ok(removed)
}

/// `events.parquet`, `events-00012.csv`, `customers.csv`, ...: the names this crate writes.
fn is_output_name(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if ext != "parquet" && ext != "csv" {
        return false;
    }
    match stem.strip_prefix("events") {
        Some("") => true,
        Some(rest) => rest
            .strip_prefix('-')
            .is_some_and(|n| n.len() == 5 && n.bytes().all(|b| b.is_ascii_digit())),
        None => stem == "customers",
    }
}
