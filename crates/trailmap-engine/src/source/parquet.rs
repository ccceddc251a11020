//! Apache Parquet, read with the `parquet` crate's Arrow reader, one row group at a time.
//!
//! Only the columns a reader asks for are decoded ([`Columns::only`]); text columns it wants
//! dictionary-encoded ([`Columns::as_dictionary`]) keep the file's dictionary encoding, so a
//! million rows of one row group cost one decoded string per distinct value.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};

use super::{BATCH_SIZE, Batch, Columns, Opened};
use crate::EngineError;

pub(super) fn open(path: &Path, wanted: &Columns) -> Result<Opened, EngineError> {
    let file = File::open(path).map_err(|source| EngineError::Io {
        path: path.to_owned(),
        source,
    })?;
    let parquet_error = |source| EngineError::Parquet {
        path: path.to_owned(),
        source,
    };
    let metadata =
        ArrowReaderMetadata::load(&file, ArrowReaderOptions::new()).map_err(parquet_error)?;
    let rows_hint = u64::try_from(metadata.metadata().file_metadata().num_rows()).ok();
    let schema = Arc::clone(metadata.schema());
    // All the file's columns, so a missing one is reported with the full list.
    let columns = schema.fields().iter().map(|f| f.name().clone()).collect();

    let named =
        |list: &[String], field: &Field| list.iter().any(|c| c.eq_ignore_ascii_case(field.name()));
    let dictionary_schema = Schema::new_with_metadata(
        schema
            .fields()
            .iter()
            .map(|field| match field.data_type() {
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
                    if named(&wanted.as_dictionary, field) =>
                {
                    Arc::new(field.as_ref().clone().with_data_type(DataType::Dictionary(
                        Box::new(DataType::Int32),
                        Box::new(DataType::Utf8),
                    )))
                }
                _ => Arc::clone(field),
            })
            .collect::<Vec<_>>(),
        schema.metadata().clone(),
    );
    let metadata = if dictionary_schema == *schema {
        metadata
    } else {
        ArrowReaderMetadata::try_new(
            Arc::clone(metadata.metadata()),
            ArrowReaderOptions::new().with_schema(Arc::new(dictionary_schema)),
        )
        .map_err(parquet_error)?
    };
    let mut builder = ParquetRecordBatchReaderBuilder::new_with_metadata(file, metadata);
    if let Some(only) = &wanted.only {
        // Top-level columns by position; a nested column's leaves all come with it.
        let roots: Vec<usize> = schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, field)| named(only, field))
            .map(|(i, _)| i)
            .collect();
        let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
        builder = builder.with_projection(mask);
    }
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
