//! The engine's errors. Each says what went wrong and where: the file, and for bad data the
//! row and column; for a bad expression, which part of the map holds it.

use std::path::PathBuf;

/// Which expression of the map a problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprSite {
    /// A step's `match`.
    StepMatch { step: String },
    /// A step's `feedback`.
    StepFeedback { step: String },
    /// A persona's `rule`.
    PersonaRule { persona: String },
    /// One of the map's `outcomes`.
    Outcome { name: String },
}

impl std::fmt::Display for ExprSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExprSite::StepMatch { step } => write!(f, "the `match` of step `{step}`"),
            ExprSite::StepFeedback { step } => write!(f, "the `feedback` of step `{step}`"),
            ExprSite::PersonaRule { persona } => write!(f, "the `rule` of persona `{persona}`"),
            ExprSite::Outcome { name } => write!(f, "outcome `{name}`"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}`: {message}")]
    Format { path: PathBuf, message: String },
    /// A row that cannot be used: bad timestamp, non-numeric score, missing customer id.
    #[error("`{path}`, row {row}, column `{column}`: {message}")]
    BadRow {
        path: PathBuf,
        /// One-based data row (the header, if any, is not counted).
        row: u64,
        column: String,
        message: String,
    },
    #[error("{site} reads column `{column}`, which `{path}` does not have")]
    UnknownColumn {
        site: ExprSite,
        column: String,
        path: PathBuf,
        available: Vec<String>,
    },
    #[error("`{path}` has no column `{column}` ({role})")]
    MissingColumn {
        path: PathBuf,
        column: String,
        role: &'static str,
        available: Vec<String>,
    },
    #[error("{site}: {message}")]
    Expression { site: ExprSite, message: String },
    #[error("{0}")]
    Unsupported(String),
    #[error("`{path}`: {source}")]
    Arrow {
        path: PathBuf,
        #[source]
        source: arrow::error::ArrowError,
    },
    #[error("`{path}`: {source}")]
    Parquet {
        path: PathBuf,
        #[source]
        source: parquet::errors::ParquetError,
    },
}
