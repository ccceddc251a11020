//! Which backend a database URL names.

use crate::error::StoreError;

pub(super) enum Target {
    /// A PostgreSQL connection URL, as given.
    Postgres(String),
    /// A SQLite file path.
    Sqlite(String),
}

/// `postgres://` and `postgresql://` are PostgreSQL; `sqlite://path` and `sqlite:path` are
/// SQLite files; anything else is taken as a SQLite file path.
pub(super) fn parse(url: &str) -> Result<Target, StoreError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(StoreError::BadUrl {
            url: String::new(),
            message: "empty".into(),
        });
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Target::Postgres(url.to_owned()));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    // Query options would be silently taken as part of the file name; refuse them instead.
    if path.is_empty() || path.contains('?') || path == ":memory:" {
        return Err(StoreError::BadUrl {
            url: url.to_owned(),
            message: "expected sqlite://PATH to a file (no ?options, no :memory:)".into(),
        });
    }
    Ok(Target::Sqlite(path.to_owned()))
}

/// The URL with any password replaced by `***`, for error messages.
pub(super) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_path(url: &str) -> Option<String> {
        match parse(url) {
            Ok(Target::Sqlite(p)) => Some(p),
            _ => None,
        }
    }

    #[test]
    fn urls_name_their_backend() {
        assert_eq!(
            sqlite_path("sqlite://data/tm.db").as_deref(),
            Some("data/tm.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///abs/tm.db").as_deref(),
            Some("/abs/tm.db")
        );
        assert_eq!(sqlite_path("sqlite:tm.db").as_deref(), Some("tm.db"));
        assert_eq!(sqlite_path("trailmap.db").as_deref(), Some("trailmap.db"));
        assert!(matches!(
            parse("postgres://u@h/db"),
            Ok(Target::Postgres(_))
        ));
        assert!(matches!(
            parse("postgresql://u@h/db"),
            Ok(Target::Postgres(_))
        ));
        for bad in [
            "",
            "  ",
            "sqlite://",
            "sqlite::memory:",
            "sqlite://x.db?mode=ro",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://tm:secret@host/db"),
            "postgres://tm:***@host/db"
        );
        assert_eq!(redact("postgres://tm@host/db"), "postgres://tm@host/db");
    }
}
