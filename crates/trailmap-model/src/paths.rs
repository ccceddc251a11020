//! What `trailmap discover` found in the data, as a versioned wire format (`--format json`,
//! `-o paths.json`): the directly-follows graph, variants and case durations of a case log.
//!
//! Every figure has pm4py's semantics on the same log (definitions in docs/paths.md):
//! - an *edge* `a → b` counts the times an event of `a` is directly followed by one of `b` in
//!   the same case (events ordered by time, ties in input order) — `pm4py.discover_dfg`;
//! - an edge's durations are the seconds between those two events' timestamps —
//!   `pm4py.discover_performance_dfg` (mean, median (the middle value, or the mean of the two
//!   middle values), min, max, sum, sample standard deviation);
//! - a *variant* is a case's sequence of activities — `pm4py.get_variants`;
//! - a case's *duration* is the time from its first to its last event —
//!   `pm4py.get_all_case_durations`.
//!
//! Times are seconds. A figure that cannot be computed (no cases) is `null`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::analysis::{InputFile, TimeSpan};

/// The version of this format; bumped only for changes that break readers.
pub const DISCOVERY_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Discovery {
    /// Format version (`1`).
    pub version: u32,
    /// What an activity is: `step` (the first step of the map whose `match` the event
    /// satisfies) or `event` (the event name).
    pub by: String,
    /// With a map: its journey id.
    pub journey: Option<String>,
    /// With `--persona`: the persona whose customers these figures are of (left out otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    pub inputs: DiscoveryInputs,
    /// Cases (customers) with at least one kept event.
    pub cases: u64,
    /// Kept events.
    pub events: u64,
    /// First and last kept event (RFC 3339, UTC); `null` without events.
    pub time_span: Option<TimeSpan>,
    /// Every activity: by step, the map's steps in map order (also steps no event matched); by
    /// event, event names in order of first appearance.
    pub activities: Vec<ActivityStats>,
    /// How many cases start with each activity; most first, ties by name.
    pub start_activities: Vec<ActivityCount>,
    /// How many cases end with each activity; most first, ties by name.
    pub end_activities: Vec<ActivityCount>,
    /// The directly-follows graph: every observed pair; most frequent first, ties by names.
    pub edges: Vec<Edge>,
    pub variants: Variants,
    /// Time from a case's first to its last event, over all cases.
    pub case_duration: DurationStats,
    /// Events per case, over all cases.
    pub events_per_case: CountStats,
}

/// What was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DiscoveryInputs {
    pub files: Vec<InputFile>,
    /// Event rows read.
    pub rows_read: u64,
    /// Rows dropped: by step, rows that match no step; by event, rows without an event name.
    pub rows_dropped: u64,
    /// Rows outside `--since`/`--until`.
    pub rows_outside_period: u64,
    /// Malformed rows skipped under `--skip-bad-rows`, with the first few reasons.
    pub bad_rows: u64,
    pub bad_row_examples: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ActivityStats {
    /// Step id (by step) or event name (by event).
    pub activity: String,
    /// Events of this activity.
    pub events: u64,
    /// Cases with at least one event of this activity.
    pub cases: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ActivityCount {
    pub activity: String,
    pub cases: u64,
}

/// One directly-follows pair `from → to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// Times an event of `from` is directly followed by an event of `to` in the same case.
    pub count: u64,
    /// Seconds between the two events, over all `count` occurrences.
    pub mean_s: f64,
    pub median_s: f64,
    pub min_s: f64,
    pub max_s: f64,
    pub sum_s: f64,
    /// Sample standard deviation (n − 1); `null` for a single occurrence.
    pub stdev_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Variants {
    /// Distinct activity sequences.
    pub distinct: u64,
    /// The most frequent variants: most cases first; ties as pm4py orders them (the sequences
    /// compared name by name, the later one first).
    pub top: Vec<Variant>,
    /// The variants not in `top`, together.
    pub rest: VariantRest,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Variant {
    /// The activities in order.
    pub activities: Vec<String>,
    /// Cases with exactly this sequence.
    pub count: u64,
    /// `count` / all cases.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VariantRest {
    pub variants: u64,
    pub cases: u64,
    /// `cases` / all cases; 0 when nothing is left out.
    pub share: f64,
}

/// Seconds; `null` without cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DurationStats {
    pub mean_s: Option<f64>,
    /// The middle value, or the mean of the two middle values.
    pub median_s: Option<f64>,
    /// 90th percentile with linear interpolation between the closest ranks (NumPy's default):
    /// at rank `0.9 × (n − 1)` of the sorted values.
    pub p90_s: Option<f64>,
    pub min_s: Option<f64>,
    pub max_s: Option<f64>,
}

/// `null` without cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CountStats {
    pub mean: Option<f64>,
    /// The middle value, or the mean of the two middle values.
    pub median: Option<f64>,
    pub min: Option<u64>,
    pub max: Option<u64>,
}

/// Where the published schema of `discover --format json` lives.
pub const SCHEMA_ID: &str = "https://trailmap.dev/schema/trailmap-discovery-v1.schema.json";

/// The JSON Schema (draft 2020-12) of `discover --format json`.
pub fn json_schema() -> serde_json::Value {
    crate::schema::schema_for::<Discovery>(SCHEMA_ID)
}

/// The schema as pretty-printed JSON with a trailing newline (`docs/trailmap-discovery-v1.schema.json`).
pub fn json_schema_text() -> String {
    crate::schema::pretty(&json_schema())
}
