//! The two backends behind one small interface.
//!
//! All store logic is written once, generic over [`Conn`]: run a statement with bound
//! [`Value`]s, fetch [`Row`]s. The SQL text is the same on both backends (parameters are `$1`,
//! `$2`..., which sqlx's SQLite driver binds by number too). What differs lives here: how to
//! connect, how a write transaction begins (`BEGIN IMMEDIATE` on SQLite, so a transaction that
//! reads before it writes never fails to upgrade its lock), and the schema DDL (in `migrate`).

mod row;
mod url;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Connection, PgConnection, SqliteConnection};

pub(crate) use row::Row;

use crate::error::StoreError;

/// How long a SQLite connection waits for another process's write lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection pool on one of the two backends.
#[derive(Clone, Debug)]
pub(crate) enum Backend {
    Sqlite {
        pool: SqlitePool,
        /// SQLite allows one writer at a time. Writers of this process queue here, in order,
        /// instead of spinning in SQLite's busy handler (which is unfair and slow under load);
        /// the busy timeout still covers writers in other processes.
        write_lock: Arc<tokio::sync::Mutex<()>>,
    },
    Postgres {
        pool: PgPool,
    },
}

impl Backend {
    pub(crate) async fn connect(url: &str) -> Result<Backend, StoreError> {
        match url::parse(url)? {
            url::Target::Postgres(url) => {
                let options: PgConnectOptions =
                    url.parse().map_err(|e: sqlx::Error| StoreError::BadUrl {
                        url: url::redact(&url),
                        message: e.to_string(),
                    })?;
                // Whatever the server's configuration says, a commit returns only once it is
                // flushed to disk: that is what makes an acknowledged save durable.
                let options = options.options([("synchronous_commit", "on")]);
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(options)
                    .await?;
                Ok(Backend::Postgres { pool })
            }
            url::Target::Sqlite(path) => {
                prepare_sqlite_file(&path)?;
                let options = SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // FULL: every commit fsyncs the WAL before returning, so an acknowledged
                    // save survives kill -9 and power loss. NORMAL would survive kill -9 too
                    // (the WAL is in the OS cache) but not a power cut.
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .foreign_keys(true);
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(options)
                    .await?;
                Ok(Backend::Sqlite {
                    pool,
                    write_lock: Arc::new(tokio::sync::Mutex::new(())),
                })
            }
        }
    }

    pub(crate) fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres { .. } => "postgres",
        }
    }

    pub(crate) async fn close(&self) {
        match self {
            Backend::Sqlite { pool, .. } => pool.close().await,
            Backend::Postgres { pool } => pool.close().await,
        }
    }
}

/// Checks the file's folder exists (SQLite's own error would only say "unable to open database
/// file") and creates a missing file readable by its owner only: it holds password hashes.
fn prepare_sqlite_file(path: &str) -> Result<(), StoreError> {
    let file = std::path::Path::new(path);
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(StoreError::BadUrl {
            url: path.to_owned(),
            message: format!("folder {} does not exist", dir.display()),
        });
    }
    if file.is_dir() {
        return Err(StoreError::BadUrl {
            url: path.to_owned(),
            message: "is a folder, not a file".into(),
        });
    }
    let mut create = std::fs::OpenOptions::new();
    create.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
    match create.open(file) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::BadUrl {
            url: path.to_owned(),
            message: format!("cannot create the file: {e}"),
        }),
    }
}

/// Runs `$body` with `$conn` bound to a `&mut` connection inside a write transaction, commits
/// if it returns `Ok`, rolls back otherwise. Evaluates to the body's `Result`.
macro_rules! write_tx {
    ($backend:expr, $conn:ident => $body:expr) => {
        match $backend {
            $crate::backend::Backend::Sqlite { pool, write_lock } => {
                let _writer = write_lock.lock().await;
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let $conn: &mut sqlx::SqliteConnection = &mut *tx;
                let out: Result<_, $crate::error::StoreError> = $body;
                match out {
                    Ok(value) => {
                        tx.commit().await?;
                        Ok(value)
                    }
                    Err(e) => {
                        tx.rollback().await?;
                        Err(e)
                    }
                }
            }
            $crate::backend::Backend::Postgres { pool } => {
                let mut tx = pool.begin().await?;
                let $conn: &mut sqlx::PgConnection = &mut *tx;
                let out: Result<_, $crate::error::StoreError> = $body;
                match out {
                    Ok(value) => {
                        tx.commit().await?;
                        Ok(value)
                    }
                    Err(e) => {
                        tx.rollback().await?;
                        Err(e)
                    }
                }
            }
        }
    };
}

/// Runs `$body` with `$conn` bound to a `&mut` pooled connection, no transaction (reads).
macro_rules! read_conn {
    ($backend:expr, $conn:ident => $body:expr) => {
        match $backend {
            $crate::backend::Backend::Sqlite { pool, .. } => {
                let mut pooled = pool.acquire().await?;
                let $conn: &mut sqlx::SqliteConnection = &mut *pooled;
                let out: Result<_, $crate::error::StoreError> = $body;
                out
            }
            $crate::backend::Backend::Postgres { pool } => {
                let mut pooled = pool.acquire().await?;
                let $conn: &mut sqlx::PgConnection = &mut *pooled;
                let out: Result<_, $crate::error::StoreError> = $body;
                out
            }
        }
    };
}

pub(crate) use {read_conn, write_tx};

/// A value bound to a `$n` parameter. Every piece of user input reaches SQL only as one of these.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Value<'a> {
    I64(i64),
    OptI64(Option<i64>),
    F64(f64),
    Bool(bool),
    Str(&'a str),
    OptStr(Option<&'a str>),
    Bytes(&'a [u8]),
}

/// The one interface store logic uses to talk to a database.
pub(crate) trait Conn: Send {
    /// `"sqlite"` or `"postgres"`, for the few statements that differ.
    fn dialect(&self) -> Dialect;

    /// Runs a statement; returns the number of rows it changed.
    fn execute<'a>(
        &'a mut self,
        sql: &'a str,
        args: &'a [Value<'a>],
    ) -> impl Future<Output = Result<u64, StoreError>> + Send + 'a;

    /// Runs a query and returns all its rows.
    fn fetch_all<'a>(
        &'a mut self,
        sql: &'a str,
        args: &'a [Value<'a>],
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send + 'a;
}

/// Which SQL dialect a connection speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// Extra conveniences over [`Conn`], written once.
pub(crate) trait ConnExt: Conn {
    /// The first row, if any.
    async fn fetch_optional(
        &mut self,
        sql: &str,
        args: &[Value<'_>],
    ) -> Result<Option<Row>, StoreError> {
        Ok(self.fetch_all(sql, args).await?.into_iter().next())
    }

    /// The first row; `NotFound { what }` if there is none.
    async fn fetch_one(
        &mut self,
        what: &'static str,
        sql: &str,
        args: &[Value<'_>],
    ) -> Result<Row, StoreError> {
        self.fetch_optional(sql, args)
            .await?
            .ok_or(StoreError::NotFound { what })
    }
}

impl<C: Conn> ConnExt for C {}

/// The last line of defence for a text with a NUL character, which PostgreSQL cannot store
/// (SQLite could): both backends refuse it the same way. The operations check their inputs
/// first and name the field; this catches any they missed, so it is never a database error.
fn refuse_nul(args: &[Value<'_>]) -> Result<(), StoreError> {
    let has_nul = args.iter().any(|a| match a {
        Value::Str(s) | Value::OptStr(Some(s)) => s.contains('\0'),
        _ => false,
    });
    if has_nul {
        return Err(StoreError::invalid(
            "text",
            "must not contain NUL characters",
        ));
    }
    Ok(())
}

macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        refuse_nul($args)?;
        let mut query = $query;
        for arg in $args {
            query = match *arg {
                Value::I64(v) => query.bind(v),
                Value::OptI64(v) => query.bind(v),
                Value::F64(v) => query.bind(v),
                Value::Bool(v) => query.bind(v),
                Value::Str(v) => query.bind(v),
                Value::OptStr(v) => query.bind(v),
                Value::Bytes(v) => query.bind(v),
            };
        }
        query
    }};
}

impl Conn for SqliteConnection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    async fn execute(&mut self, sql: &str, args: &[Value<'_>]) -> Result<u64, StoreError> {
        let query = bind_all!(sqlx::query(sql), args);
        Ok(query.execute(&mut *self).await?.rows_affected())
    }

    async fn fetch_all(&mut self, sql: &str, args: &[Value<'_>]) -> Result<Vec<Row>, StoreError> {
        let query = bind_all!(sqlx::query(sql), args);
        let rows = query.fetch_all(&mut *self).await?;
        Ok(rows.into_iter().map(Row::Sqlite).collect())
    }
}

impl Conn for PgConnection {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    async fn execute(&mut self, sql: &str, args: &[Value<'_>]) -> Result<u64, StoreError> {
        let query = bind_all!(sqlx::query(sql), args);
        Ok(query.execute(&mut *self).await?.rows_affected())
    }

    async fn fetch_all(&mut self, sql: &str, args: &[Value<'_>]) -> Result<Vec<Row>, StoreError> {
        let query = bind_all!(sqlx::query(sql), args);
        let rows = query.fetch_all(&mut *self).await?;
        Ok(rows.into_iter().map(Row::Postgres).collect())
    }
}

/// Checks a connection works (used by `ping`).
pub(crate) async fn ping(backend: &Backend) -> Result<(), StoreError> {
    match backend {
        Backend::Sqlite { pool, .. } => pool.acquire().await?.ping().await?,
        Backend::Postgres { pool } => pool.acquire().await?.ping().await?,
    }
    Ok(())
}

/// True if the error is a UNIQUE (or primary key) violation.
pub(crate) fn is_unique_violation(e: &StoreError) -> bool {
    match e {
        StoreError::Database(sqlx::Error::Database(db)) => db.is_unique_violation(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pragmas(backend: &Backend) -> Result<Vec<(String, String)>, StoreError> {
        read_conn!(backend, conn => {
            let mut got = Vec::new();
            for (pragma, column) in [
                ("journal_mode", "journal_mode"),
                ("synchronous", "synchronous"),
                ("foreign_keys", "foreign_keys"),
                ("busy_timeout", "timeout"),
            ] {
                let rows = conn.fetch_all(&format!("PRAGMA {pragma}"), &[]).await?;
                let value = match rows[0].string(column) {
                    Ok(s) => s,
                    Err(_) => rows[0].i64(column)?.to_string(),
                };
                got.push((pragma.to_owned(), value));
            }
            Ok(got)
        })
    }

    #[test]
    fn a_nul_in_any_bound_text_is_refused_before_the_database_sees_it() {
        assert!(refuse_nul(&[Value::I64(1), Value::Str("ok"), Value::OptStr(None)]).is_ok());
        for bad in [Value::Str("a\0"), Value::OptStr(Some("\0"))] {
            let got = refuse_nul(&[Value::I64(1), bad]);
            assert!(
                matches!(got, Err(StoreError::Invalid { field: "text", .. })),
                "{got:?}"
            );
        }
    }

    /// On PostgreSQL (when `TRAILMAP_TEST_POSTGRES` is set), commits wait for the disk even if
    /// the server's configuration or the URL says otherwise.
    #[tokio::test]
    async fn postgres_connections_commit_synchronously() {
        let Some(url) = std::env::var("TRAILMAP_TEST_POSTGRES")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            return;
        };
        // Ask for the opposite in the URL: the store's setting must win.
        let sep = if url.contains('?') { '&' } else { '?' };
        let url = format!("{url}{sep}options=-c%20synchronous_commit%3Doff");
        let backend = Backend::connect(&url).await.unwrap();
        async fn setting(backend: &Backend) -> Result<String, StoreError> {
            read_conn!(backend, conn => {
                conn.fetch_all("SHOW synchronous_commit", &[]).await?[0].string("synchronous_commit")
            })
        }
        let value = setting(&backend).await.unwrap();
        backend.close().await;
        assert_eq!(value, "on");
    }

    /// The settings the durability promise rests on are really in force on pooled connections.
    #[tokio::test]
    async fn sqlite_connections_are_wal_full_sync_with_foreign_keys() {
        let path = std::env::temp_dir().join(format!("tm_pragmas_{}.db", std::process::id()));
        let backend = Backend::connect(path.to_str().unwrap()).await.unwrap();
        let got = pragmas(&backend).await.unwrap();
        backend.close().await;
        for suffix in ["", "-wal", "-shm"] {
            std::fs::remove_file(format!("{}{suffix}", path.display())).ok();
        }
        let expect = [
            ("journal_mode", "wal"),
            ("synchronous", "2"),
            ("foreign_keys", "1"),
            ("busy_timeout", "10000"),
        ];
        let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(got, expect);
    }
}
