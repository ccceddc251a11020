//! Schema migrations: numbered SQL scripts per backend (`migrations/<backend>/NNNN_name.sql`),
//! applied in order, each in its own transaction together with its row in `schema_version`.
//! Two processes opening a fresh database at once cannot both migrate it: SQLite's
//! `BEGIN IMMEDIATE` and a PostgreSQL advisory lock make the second wait, then see the work done.

use crate::backend::{Backend, Conn, ConnExt, Dialect, Value, write_tx};
use crate::error::StoreError;
use crate::time::now_millis;

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "initial",
    sqlite: include_str!("../migrations/sqlite/0001_initial.sql"),
    postgres: include_str!("../migrations/postgres/0001_initial.sql"),
}];

/// The newest schema this build knows.
pub(crate) const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// A key for `pg_advisory_xact_lock` that no other use of this database shares: "TRLM".
const PG_MIGRATION_LOCK: i64 = 0x5452_4c4d;

pub(crate) async fn run(backend: &Backend) -> Result<(), StoreError> {
    for migration in MIGRATIONS {
        let result: Result<(), StoreError> =
            write_tx!(backend, conn => apply_if_pending(conn, migration).await);
        result.map_err(|e| match e {
            StoreError::Migration { .. } => e,
            other => StoreError::Migration {
                version: migration.version,
                message: other.to_string(),
            },
        })?;
    }
    Ok(())
}

async fn apply_if_pending<C: Conn>(conn: &mut C, migration: &Migration) -> Result<(), StoreError> {
    if conn.dialect() == Dialect::Postgres {
        conn.execute(
            "SELECT pg_advisory_xact_lock($1)",
            &[Value::I64(PG_MIGRATION_LOCK)],
        )
        .await?;
    }
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (\
            version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        &[],
    )
    .await?;
    let current = version_in(conn).await?;
    if current > LATEST {
        return Err(StoreError::Migration {
            version: current,
            message: format!(
                "the database's schema is version {current}, newer than this trailmap knows \
                 ({LATEST}); upgrade trailmap"
            ),
        });
    }
    if current >= migration.version {
        return Ok(());
    }
    let script = match conn.dialect() {
        Dialect::Sqlite => migration.sqlite,
        Dialect::Postgres => migration.postgres,
    };
    for statement in statements(script) {
        conn.execute(&statement, &[]).await?;
    }
    conn.execute(
        "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
        &[
            Value::I64(migration.version),
            Value::Str(migration.name),
            Value::I64(now_millis()),
        ],
    )
    .await?;
    Ok(())
}

async fn version_in<C: Conn>(conn: &mut C) -> Result<i64, StoreError> {
    let row = conn
        .fetch_one(
            "schema",
            "SELECT COALESCE(MAX(version), 0) AS v FROM schema_version",
            &[],
        )
        .await?;
    row.i64("v")
}

pub(crate) async fn current_version(backend: &Backend) -> Result<i64, StoreError> {
    crate::backend::read_conn!(backend, conn => version_in(conn).await)
}

/// The statements of a script: `--` comment lines dropped, split at `;` ending a line.
/// (Our scripts have no `;` inside strings or bodies.)
fn statements(script: &str) -> Vec<String> {
    let without_comments: String = script
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .map(|l| format!("{l}\n"))
        .collect();
    without_comments
        .split(";\n")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_create_the_same_tables() {
        for m in MIGRATIONS {
            let tables = |script: &str| -> Vec<String> {
                statements(script)
                    .iter()
                    .filter_map(|s| s.strip_prefix("CREATE TABLE "))
                    .map(|s| s.split_whitespace().next().unwrap_or_default().to_owned())
                    .collect()
            };
            assert_eq!(
                tables(m.sqlite),
                tables(m.postgres),
                "migration {}",
                m.version
            );
            assert_eq!(statements(m.sqlite).len(), statements(m.postgres).len());
        }
    }

    #[test]
    fn versions_increase_by_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
        }
    }
}
