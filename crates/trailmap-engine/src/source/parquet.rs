//! Apache Parquet, read with the `parquet` crate's Arrow reader, one row group at a time.

use std::fs::File;
use std::path::Path;

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::{BATCH_SIZE, Batch, Opened};
use crate::EngineError;

pub(super) fn open(path: &Path) -> Result<Opened, EngineError> {
    let file = File::open(path).map_err(|source| EngineError::Io {
        path: path.to_owned(),
        source,
    })?;
    let parquet_error = |source| EngineError::Parquet {
        path: path.to_owned(),
        source,
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet_error)?;
    let rows_hint = u64::try_from(builder.metadata().file_metadata().num_rows()).ok();
    let columns = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let reader = builder
        .with_batch_size(BATCH_SIZE)
        .build()
        .map_err(parquet_error)?;
    let owned_path = path.to_owned();
    let mut next_row = 1u64;
    let batches = reader.map(move |result| {
        let batch = result.map_err(|source| EngineError::Arrow {
            path: owned_path.clone(),
            source,
        })?;
        let first_row = next_row;
        next_row += batch.num_rows() as u64;
        Ok(Batch {
            first_row,
            batch,
            skipped: Vec::new(),
        })
    });
    Ok(Opened {
        path: path.to_owned(),
        format: super::FileFormat::Parquet,
        columns,
        rows_hint,
        batches: Box::new(batches),
    })
}
