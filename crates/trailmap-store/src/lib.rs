//! The shared workspace's database.
//!
//! One async API, [`Store`], over two backends chosen by the URL given to [`Store::open`]:
//! an embedded SQLite file (the default: `sqlite://path`, or a plain path) and PostgreSQL
//! (`postgres://...`). Both run the same SQL text (parameters are always bound, `$1`, `$2`...),
//! apart from the schema DDL in `migrations/<backend>/`.
//!
//! What the store guarantees, whichever backend:
//!
//! - **Access.** Every method that reads or changes workspace data takes the acting
//!   [`Principal`] (a signed-in user, an API token acting for its user, or a read-only share link)
//!   and returns only what [`policy::can`] allows. A map the principal may not see is
//!   [`StoreError::NotFound`], never [`StoreError::Forbidden`], so existence does not leak.
//! - **Versions.** Every save is a new version, numbered 1, 2, 3... per map, dense and never reused.
//!   [`Store::save_version`] succeeds only if the caller's base version is the latest; otherwise it
//!   returns [`StoreError::Conflict`] with the latest version. Two concurrent saves on the same base
//!   can never both succeed (a compare-and-set inside a transaction, backed by `UNIQUE(map_id, number)`).
//! - **Durability.** A call that returned `Ok` is on disk: SQLite runs in WAL mode with
//!   `synchronous=FULL` (every commit is fsynced), PostgreSQL commits synchronously.
//! - **Secrets.** Passwords are hashed here with argon2id; session, API, share-link and invitation
//!   tokens are 256-bit random values shown once; only their SHA-256 is stored.
//! - **History.** Every change that a person would want to see in a feed writes its
//!   [`Activity`] entry in the same transaction as the change itself.

#![warn(missing_docs)]

mod backend;
mod error;
mod ids;
mod migrate;
mod ops;
mod password;
pub mod policy;
mod principal;
mod secret;
mod text;
mod time;
mod types;

pub use error::StoreError;
pub use ids::{
    ActivityId, AnalysisId, ApiTokenId, CommentId, InvitationId, MapId, ShareLinkId, UserId,
    WorkspaceId,
};
pub use policy::{Action, Resource, Role};
pub use principal::{Principal, PrincipalKind};
pub use time::{UnixMillis, now_millis};
pub use types::*;

use backend::Backend;

/// Result of every store call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A handle on the database. Cheap to clone (it holds a connection pool); share one per process.
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
}

impl Store {
    /// Opens (and for SQLite creates) the database at `url` and brings its schema up to date.
    ///
    /// - `postgres://user:pass@host/db` (or `postgresql://`): a PostgreSQL server.
    /// - `sqlite://path/to/file.db`, `sqlite:path`, or any other string taken as a file path:
    ///   a SQLite file, created if missing, opened in WAL mode with `synchronous=FULL`,
    ///   a 5 s busy timeout and foreign keys on.
    ///
    /// Migrations run in order, each in its own transaction, recorded in `schema_version`.
    /// A database whose schema is newer than this build is refused ([`StoreError::Migration`]).
    pub async fn open(url: &str) -> Result<Store> {
        let backend = Backend::connect(url).await?;
        migrate::run(&backend).await?;
        Ok(Store { backend })
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    /// The schema version the database is at after [`Store::open`].
    pub async fn schema_version(&self) -> Result<i64> {
        migrate::current_version(&self.backend).await
    }

    /// Checks the database answers (for a health check).
    pub async fn ping(&self) -> Result<()> {
        backend::ping(&self.backend).await
    }

    /// Closes every pooled connection, waiting for the ones in use to come back.
    pub async fn close(&self) {
        self.backend.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// axum needs `Send` futures; a non-`Send` one would only fail to compile in the server.
    #[test]
    fn store_futures_are_send() {
        fn send<T: Send>(_: T) {}
        async fn all(store: Store, p: Principal) {
            send(store.save_version(
                &p,
                MapId(1),
                SaveVersion {
                    base_version: 1,
                    yaml: String::new(),
                    message: String::new(),
                    journey_id: None,
                },
            ));
            send(store.sign_up(
                NewUser {
                    email: String::new(),
                    handle: String::new(),
                    display_name: String::new(),
                    password: String::new(),
                },
                None,
            ));
            send(store.search_maps(&p, "q", 1));
            send(store.list_comments(&p, MapId(1), None, false));
            send(store.verify_password("e", "p"));
            send(store.claim_next_analysis());
            send(Store::open("x.db"));
        }
        let _ = all;
    }
}
