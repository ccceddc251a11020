//! The journey map: Trailmap's domain types, exactly as format v1 writes them.
//!
//! A [`Map`] is one journey: its [`Journey`] header, the [`Persona`]s who take it, the
//! [`Department`]s that own its steps, its [`Stage`]s (the map's columns) with their [`Step`]s,
//! and the named [`outcomes`](Map::outcomes) that evidence runs look for.
//!
//! These types are the wire format: field names are the YAML keys, and the JSON Schema that
//! `trailmap schema` prints is derived from them ([`schema::json_schema`]), so editors, the
//! checker and the docs can never disagree about what a key is called.
//!
//! **Architecture invariant:** this crate does no IO and knows nothing about YAML parsing,
//! positions or diagnostics (it only knows how to write a string scalar, [`yaml_scalar`]). Reading a file into a `Map` with errors that point at
//! `file:line:column` is `trailmap-check`'s job.

pub mod analysis;
pub mod conformance;
mod data;
mod duration;
mod journey;
mod kpi;
mod map;
pub mod paths;
mod persona;
pub mod schema;
mod stage;
pub mod templates;
mod touchpoint;
pub mod yaml_scalar;

pub use data::{Columns, DataConfig, LintConfig, Windows};
pub use duration::{Duration, ParseDurationError};
pub use journey::{Journey, JourneyKind, JourneyState};
pub use kpi::{Direction, Kpi, Metric};
pub use map::{FORMAT_VERSION, Map, StepRef};
pub use persona::{Department, Openness, Persona};
pub use stage::{
    BusinessLane, CustomerLane, EmployeeLane, Evidence, EvidenceSource, Opportunity,
    OpportunityStatus, PainPoint, Stage, Step,
};
pub use touchpoint::{Channel, Initiator, Touchpoint};

/// The pattern every id (journey, persona, department, stage, step) must match:
/// lower-case words joined by `-` or `_`, so ids are safe in URLs, file names and SQL.
pub const ID_PATTERN: &str = r"^[a-z0-9][a-z0-9_-]*$";
