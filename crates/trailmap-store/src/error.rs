//! The store's one error type.

use crate::policy::Action;
use crate::types::VersionInfo;

/// Everything a store call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The thing does not exist, or the principal may not see it (the two are not told apart,
    /// so existence does not leak). `what` names the kind of thing: "map", "comment"...
    #[error("{what} not found")]
    NotFound {
        /// The kind of thing looked for.
        what: &'static str,
    },
    /// The principal may see the resource but not do this to it.
    #[error("not allowed: {action:?}")]
    Forbidden {
        /// What was refused.
        action: Action,
    },
    /// The save was based on a version that is no longer the latest. Nothing was written.
    #[error("version conflict: the map is at version {}, not the base version given", latest.number)]
    Conflict {
        /// The latest version now (without its text; fetch it to show a diff).
        latest: Box<VersionInfo>,
    },
    /// A unique value is already taken (an email, a handle, a map slug in its workspace).
    #[error("{what} already exists: {field} is taken")]
    AlreadyExists {
        /// The kind of thing.
        what: &'static str,
        /// The field whose value is taken.
        field: &'static str,
    },
    /// Bad input, before anything was written.
    #[error("invalid {field}: {message}")]
    Invalid {
        /// The input field at fault.
        field: &'static str,
        /// What is wrong, for a person.
        message: String,
    },
    /// Sign-up needs an invitation once the first user exists, and this one is missing,
    /// unknown, expired, revoked, already used or for another email.
    #[error("invitation is missing, expired or already used")]
    InvitationRequired,
    /// Wrong email or password (deliberately not saying which).
    #[error("wrong email or password")]
    BadCredentials,
    /// Not written yet in this build.
    #[error("not supported yet: {0}")]
    Unsupported(&'static str),
    /// The database URL could not be understood.
    #[error("bad database URL {url:?}: {message}")]
    BadUrl {
        /// The URL as given (with any password replaced).
        url: String,
        /// What is wrong.
        message: String,
    },
    /// The schema could not be brought up to date.
    #[error("database migration {version} failed: {message}")]
    Migration {
        /// The migration version.
        version: i64,
        /// Why.
        message: String,
    },
    /// The database failed (connection lost, disk full, timeout...).
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// Something that must not happen did (a bug); the message says what.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(e)
    }
}

impl StoreError {
    pub(crate) fn not_found(what: &'static str) -> StoreError {
        StoreError::NotFound { what }
    }

    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
        StoreError::Invalid {
            field,
            message: message.into(),
        }
    }
}
