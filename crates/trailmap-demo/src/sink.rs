//! Rows to Arrow batches, batches to files: Parquet (snappy, row groups of a million rows) or
//! CSV, split into numbered parts when large.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int32Builder, Int64Builder,
    StringBuilder, TimestampMicrosecondArray, TimestampMicrosecondBuilder,
};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use parquet::schema::types::ColumnPath;

use crate::plan::{Columns, EVENT, Plan};
use crate::value::{ColType, Symbols, Val};
use crate::{Error, Format};

/// Rows per Parquet row group.
pub(crate) const ROW_GROUP_ROWS: usize = 1_000_000;

fn arrow_type(ty: ColType) -> DataType {
    match ty {
        ColType::Utf8 => DataType::Utf8,
        ColType::Int32 => DataType::Int32,
        ColType::Int64 => DataType::Int64,
        ColType::Float64 => DataType::Float64,
        ColType::Bool => DataType::Boolean,
        ColType::Date32 => DataType::Date32,
    }
}

pub(crate) fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

/// The events file's schema: customer id, timestamp, then the plan's event columns.
pub(crate) fn event_schema(plan: &Plan) -> SchemaRef {
    let mut fields = vec![
        Field::new(&plan.customer_id_name, DataType::Utf8, false),
        Field::new(&plan.timestamp_name, timestamp_type(), false),
    ];
    fields.extend(columns_fields(&plan.events, Some(EVENT)));
    Arc::new(Schema::new(fields))
}

/// The customers file's schema: customer id, then the attributes.
pub(crate) fn customer_schema(plan: &Plan) -> SchemaRef {
    let mut fields = vec![Field::new(&plan.customer_id_name, DataType::Utf8, false)];
    fields.extend(columns_fields(&plan.customers, None));
    Arc::new(Schema::new(fields))
}

fn columns_fields(columns: &Columns, required: Option<usize>) -> impl Iterator<Item = Field> + '_ {
    columns
        .names
        .iter()
        .zip(&columns.types)
        .enumerate()
        .map(move |(i, (name, ty))| Field::new(name, arrow_type(*ty), Some(i) != required))
}

/// An Arrow builder for one column.
enum ColumnBuilder {
    Utf8(StringBuilder),
    Int32(Int32Builder),
    Int64(Int64Builder),
    Float64(Float64Builder),
    Bool(BooleanBuilder),
    Date32(Date32Builder),
}

impl ColumnBuilder {
    fn new(ty: ColType, rows: usize) -> ColumnBuilder {
        match ty {
            ColType::Utf8 => ColumnBuilder::Utf8(StringBuilder::with_capacity(rows, rows * 12)),
            ColType::Int32 => ColumnBuilder::Int32(Int32Builder::with_capacity(rows)),
            ColType::Int64 => ColumnBuilder::Int64(Int64Builder::with_capacity(rows)),
            ColType::Float64 => ColumnBuilder::Float64(Float64Builder::with_capacity(rows)),
            ColType::Bool => ColumnBuilder::Bool(BooleanBuilder::with_capacity(rows)),
            ColType::Date32 => ColumnBuilder::Date32(Date32Builder::with_capacity(rows)),
        }
    }

    fn append(&mut self, v: Val, symbols: &Symbols, scratch: &mut String) {
        match self {
            ColumnBuilder::Utf8(b) => match v {
                Val::Null => b.append_null(),
                Val::Str(sym) => b.append_value(symbols.str(sym)),
                _ => {
                    scratch.clear();
                    v.write_text(symbols, scratch);
                    b.append_value(&*scratch);
                }
            },
            ColumnBuilder::Int32(b) => {
                b.append_option(v.as_f64().map(|x| x as i32));
            }
            ColumnBuilder::Int64(b) => {
                b.append_option(v.as_f64().map(|x| x as i64));
            }
            ColumnBuilder::Float64(b) => b.append_option(v.as_f64()),
            ColumnBuilder::Bool(b) => b.append_option(match v {
                Val::Bool(x) => Some(x),
                _ => None,
            }),
            ColumnBuilder::Date32(b) => b.append_option(v.as_f64().map(|x| x as i32)),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            ColumnBuilder::Utf8(b) => Arc::new(b.finish()),
            ColumnBuilder::Int32(b) => Arc::new(b.finish()),
            ColumnBuilder::Int64(b) => Arc::new(b.finish()),
            ColumnBuilder::Float64(b) => Arc::new(b.finish()),
            ColumnBuilder::Bool(b) => Arc::new(b.finish()),
            ColumnBuilder::Date32(b) => Arc::new(b.finish()),
        }
    }
}

/// Collects rows of one file kind into a record batch.
pub(crate) struct BatchBuilder {
    schema: SchemaRef,
    ids: StringBuilder,
    times: Option<TimestampMicrosecondBuilder>,
    columns: Vec<ColumnBuilder>,
    types: Vec<ColType>,
    capacity: usize,
    rows: usize,
    scratch: String,
}

impl BatchBuilder {
    pub(crate) fn new(
        schema: SchemaRef,
        columns: &Columns,
        with_time: bool,
        capacity: usize,
    ) -> BatchBuilder {
        let mut b = BatchBuilder {
            schema,
            ids: StringBuilder::new(),
            times: None,
            columns: Vec::new(),
            types: columns.types.clone(),
            capacity,
            rows: 0,
            scratch: String::new(),
        };
        b.reset(with_time);
        b
    }

    fn reset(&mut self, with_time: bool) {
        let rows = self.capacity;
        self.ids = StringBuilder::with_capacity(rows, rows * 9);
        self.times = with_time
            .then(|| TimestampMicrosecondBuilder::with_capacity(rows).with_timezone("UTC"));
        self.columns = self
            .types
            .iter()
            .map(|ty| ColumnBuilder::new(*ty, rows))
            .collect();
        self.rows = 0;
    }

    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// Appends one row; `time_s` is seconds since the epoch (events only).
    pub(crate) fn append(
        &mut self,
        id: &str,
        time_s: Option<i64>,
        vals: &[Val],
        symbols: &Symbols,
    ) {
        self.ids.append_value(id);
        if let (Some(times), Some(t)) = (&mut self.times, time_s) {
            times.append_value(t * 1_000_000);
        }
        for (builder, v) in self.columns.iter_mut().zip(vals) {
            builder.append(*v, symbols, &mut self.scratch);
        }
        self.rows += 1;
    }

    /// The rows so far as a batch; the builder starts over.
    pub(crate) fn finish(&mut self) -> RecordBatch {
        let mut arrays: Vec<ArrayRef> = vec![Arc::new(self.ids.finish())];
        let with_time = self.times.is_some();
        if let Some(times) = &mut self.times {
            arrays.push(Arc::new(times.finish()));
        }
        arrays.extend(self.columns.iter_mut().map(ColumnBuilder::finish));
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)
            .expect("the builders follow the schema they were made from");
        self.reset(with_time);
        batch
    }
}

enum Writer {
    Parquet(Box<ArrowWriter<BufWriter<File>>>),
    Csv(Box<arrow::csv::Writer<BufWriter<File>>>),
}

/// Writes the batches of one file kind: one file, or numbered parts of at most `rows_per_file`.
pub(crate) struct FileSink {
    dir: PathBuf,
    stem: &'static str,
    format: Format,
    schema: SchemaRef,
    rows_per_file: Option<u64>,
    part: u32,
    rows_in_part: u64,
    current: Option<(PathBuf, Writer)>,
    files: Vec<PathBuf>,
}

impl FileSink {
    pub(crate) fn new(
        dir: &Path,
        stem: &'static str,
        format: Format,
        schema: SchemaRef,
        rows_per_file: Option<u64>,
    ) -> FileSink {
        FileSink {
            dir: dir.to_owned(),
            stem,
            format,
            schema,
            rows_per_file: rows_per_file.map(|n| n.max(1)),
            part: 0,
            rows_in_part: 0,
            current: None,
            files: Vec::new(),
        }
    }

    fn path(&self) -> PathBuf {
        let ext = self.format.extension();
        match self.rows_per_file {
            Some(_) => self
                .dir
                .join(format!("{}-{:05}.{ext}", self.stem, self.part)),
            None => self.dir.join(format!("{}.{ext}", self.stem)),
        }
    }

    fn open(&mut self) -> Result<(), Error> {
        let path = self.path();
        let file = File::create(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let file = BufWriter::with_capacity(1 << 20, file);
        let writer = match self.format {
            Format::Parquet => {
                let mut props = WriterProperties::builder()
                    .set_compression(Compression::SNAPPY)
                    .set_max_row_group_row_count(Some(ROW_GROUP_ROWS));
                // Nearly unique values gain nothing from a dictionary but its hashing cost.
                for field in self.schema.fields() {
                    if matches!(
                        field.data_type(),
                        DataType::Timestamp(..) | DataType::Float64
                    ) {
                        props = props.set_column_dictionary_enabled(
                            ColumnPath::from(field.name().as_str()),
                            false,
                        );
                    }
                }
                let props = props.build();
                let writer = ArrowWriter::try_new(file, self.schema.clone(), Some(props))
                    .map_err(|e| Error::parquet(&path, e))?;
                Writer::Parquet(Box::new(writer))
            }
            Format::Csv => Writer::Csv(Box::new(
                arrow::csv::WriterBuilder::new()
                    .with_header(true)
                    .with_timestamp_tz_format("%Y-%m-%dT%H:%M:%SZ".to_owned())
                    .with_date_format("%Y-%m-%d".to_owned())
                    .build(file),
            )),
        };
        self.current = Some((path, writer));
        Ok(())
    }

    fn close(&mut self) -> Result<(), Error> {
        if let Some((path, writer)) = self.current.take() {
            match writer {
                Writer::Parquet(w) => {
                    let mut file = w.into_inner().map_err(|e| Error::parquet(&path, e))?;
                    std::io::Write::flush(&mut file).map_err(|source| Error::Io {
                        path: path.clone(),
                        source,
                    })?;
                }
                Writer::Csv(w) => {
                    let mut file = w.into_inner();
                    std::io::Write::flush(&mut file).map_err(|source| Error::Io {
                        path: path.clone(),
                        source,
                    })?;
                }
            }
            self.files.push(path);
            self.part += 1;
            self.rows_in_part = 0;
        }
        Ok(())
    }

    pub(crate) fn write(&mut self, batch: &RecordBatch) -> Result<(), Error> {
        let mut offset = 0;
        while offset < batch.num_rows() {
            if self.current.is_none() {
                self.open()?;
            }
            let remaining = (batch.num_rows() - offset) as u64;
            let room = self
                .rows_per_file
                .map_or(remaining, |max| max - self.rows_in_part);
            let n = remaining.min(room) as usize;
            let slice = batch.slice(offset, n);
            let (path, writer) = self.current.as_mut().expect("opened above");
            match writer {
                Writer::Parquet(w) => w.write(&slice).map_err(|e| Error::parquet(path, e))?,
                Writer::Csv(w) => w
                    .write(&utc_as_offset(&slice))
                    .map_err(|e| Error::arrow(path, e))?,
            }
            self.rows_in_part += n as u64;
            offset += n;
            if self.rows_per_file == Some(self.rows_in_part) {
                self.close()?;
            }
        }
        Ok(())
    }

    /// Closes the last file and returns every file written. A dataset that fits one part is
    /// renamed from `events-00000.parquet` to `events.parquet`.
    pub(crate) fn finish(mut self) -> Result<Vec<PathBuf>, Error> {
        if self.current.is_none() && self.files.is_empty() {
            // No rows at all: still write a file, so readers find the schema.
            self.open()?;
        }
        self.close()?;
        if self.rows_per_file.is_some() && self.files.len() == 1 {
            let single = self
                .dir
                .join(format!("{}.{}", self.stem, self.format.extension()));
            std::fs::rename(&self.files[0], &single).map_err(|source| Error::Io {
                path: single.clone(),
                source,
            })?;
            self.files[0] = single;
        }
        Ok(self.files)
    }
}

/// The batch with its "UTC" timestamps relabelled "+00:00": the CSV writer formats named time
/// zones only with arrow's chrono-tz feature, and the instant is the same.
fn utc_as_offset(batch: &RecordBatch) -> RecordBatch {
    let mut fields = Vec::new();
    let mut arrays = Vec::new();
    for (field, array) in batch.schema().fields().iter().zip(batch.columns()) {
        match (
            field.data_type(),
            array.as_any().downcast_ref::<TimestampMicrosecondArray>(),
        ) {
            (DataType::Timestamp(TimeUnit::Microsecond, Some(_)), Some(times)) => {
                let times = times.clone().with_timezone("+00:00");
                fields.push(
                    field
                        .as_ref()
                        .clone()
                        .with_data_type(times.data_type().clone()),
                );
                arrays.push(Arc::new(times) as ArrayRef);
            }
            _ => {
                fields.push(field.as_ref().clone());
                arrays.push(array.clone());
            }
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .expect("only the time zone label changed")
}
