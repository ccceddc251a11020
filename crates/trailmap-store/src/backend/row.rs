//! A fetched row from either backend, read by column name with the type the schema promises.

use sqlx::Row as _;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use crate::error::StoreError;

/// One result row.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

macro_rules! getter {
    ($name:ident, $ty:ty) => {
        pub(crate) fn $name(&self, column: &str) -> Result<$ty, StoreError> {
            let value = match self {
                Row::Sqlite(row) => row.try_get::<$ty, _>(column),
                Row::Postgres(row) => row.try_get::<$ty, _>(column),
            };
            value.map_err(StoreError::from)
        }
    };
}

impl Row {
    getter!(i64, i64);
    getter!(opt_i64, Option<i64>);
    getter!(f64, f64);
    getter!(bool, bool);
    getter!(string, String);
    getter!(opt_string, Option<String>);
    getter!(bytes, Vec<u8>);
}
