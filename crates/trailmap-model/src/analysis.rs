//! `result.json`: what `trailmap analyze` measured, as a versioned wire format.
//!
//! These types are the file format (described by [`json_schema`]), kept apart from the
//! engine's accumulators so the computation can change without changing the file. They live in
//! the model crate because three parts read or write them: the engine (writes), the renderer
//! (draws evidence on the map) and the workspace server (stores analyses). Rates are fractions (0..1); times are seconds; a figure that
//! cannot be computed (no customer reached the step, no answers) is `null`, never 0.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of this format; bumped only for changes that break readers.
pub const RESULT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Analysis {
    /// Format version of this file (`1`).
    pub version: u32,
    /// The map analysed: its journey id and name.
    pub journey: JourneyRef,
    pub inputs: Inputs,
    /// Every step in map order, with its figures for all customers and per persona.
    pub steps: Vec<StepResult>,
    pub stages: Vec<StageResult>,
    /// Per outcome: the share of all analysed customers with the outcome at any time.
    pub outcomes: BTreeMap<String, OutcomeBaseline>,
    /// Customers per persona (`unassigned`: customers who match no persona's rule).
    pub personas: BTreeMap<String, u64>,
    /// Events that match no step: touchpoints the map may be missing.
    pub unmapped: Unmapped,
    /// Steps no customer reached.
    pub zero_reach: Vec<String>,
    /// KPI targets the data does not meet.
    pub kpi_breaches: Vec<KpiCheck>,
    /// Every KPI target against its measured value.
    pub kpis: Vec<KpiCheck>,
    /// Steps ranked by their strongest significant outcome lift, with where data and the map's
    /// `moment_of_truth` disagree.
    pub moments_of_truth: Vec<MomentOfTruth>,
    /// With `--by week|month`: the same analysis for each period's events alone, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<PeriodResult>,
}

/// The analysis of one period's events (`--by week|month`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PeriodResult {
    /// `2026-03` for a month, `2026-W09` for an ISO week.
    pub period: String,
    /// First instant of the period (RFC 3339, UTC; periods start at midnight in the analysis time zone).
    pub from: String,
    /// First instant after the period.
    pub until: String,
    pub analysis: Analysis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct JourneyRef {
    pub id: String,
    pub name: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Inputs {
    pub events: Vec<InputFile>,
    pub customers: Option<InputFile>,
    /// Event rows read (before `--since`/`--until`).
    pub event_rows: u64,
    /// Event rows inside the analysed period.
    pub analysed_events: u64,
    /// Customers with at least one analysed event.
    pub customers_analysed: u64,
    /// First and last analysed event time (RFC 3339).
    pub time_span: Option<TimeSpan>,
    /// Rows skipped under `--skip-bad-rows`.
    pub bad_rows: u64,
    /// The first few skipped rows and why.
    pub bad_row_examples: Vec<String>,
    pub settings: Settings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InputFile {
    pub path: String,
    pub format: String,
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TimeSpan {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Settings {
    pub time_zone: String,
    pub feedback_window_s: i64,
    pub outcome_window_s: i64,
    pub repeat_window_s: i64,
    pub persona: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// How outcome lift is tested.
    pub significance_test: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepResult {
    pub id: String,
    pub stage: String,
    #[serde(flatten)]
    pub figures: Figures,
    /// The same figures for each persona's customers.
    pub personas: BTreeMap<String, Figures>,
}

/// What was measured for one step and one group of customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Figures {
    /// Customers with an event matching the step.
    pub reach: u64,
    /// Customers reaching the step who have a later step's event after they first reached it.
    pub continued: u64,
    /// `continued / reach`; null for the last step or when reach is 0.
    pub continue_rate: Option<f64>,
    /// `1 - continue_rate`; null for the last step or when reach is 0.
    pub drop_off_rate: Option<f64>,
    pub time_to_next: TimeToNext,
    pub feedback: Feedback,
    pub sentiment: Sentiment,
    /// Per outcome: how often it follows this step, against the baseline.
    pub outcomes: BTreeMap<String, OutcomeAfter>,
    /// Share of the step's matching events per `channel` value.
    pub channels: BTreeMap<String, f64>,
    /// Share of the step's matching events per `initiator` (customer, company, unknown).
    pub initiators: BTreeMap<String, f64>,
    pub repeat: Repeat,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TimeToNext {
    /// Continued customers measured.
    pub n: u64,
    /// Median seconds from first reaching the step to the first later-step event after it.
    pub median_s: Option<f64>,
    /// 90th percentile of the same, linear interpolation between ranks.
    pub p90_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Feedback {
    pub nps: Score,
    pub csat: Score,
    pub ces: Score,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Score {
    /// NPS: 100 × (share of 9–10 − share of 0–6); CSAT: 100 × share of 4–5; CES: the mean.
    pub score: Option<f64>,
    /// Answers attributed to the step.
    pub n: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Sentiment {
    /// Mean VADER compound score (-1..1) of the texts attributed to the step.
    pub mean: Option<f64>,
    /// Share of those texts with compound <= -0.05.
    pub share_negative: Option<f64>,
    pub n: u64,
    /// The most negative texts, most negative first.
    pub most_negative: Vec<Verbatim>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Verbatim {
    pub text: String,
    pub compound: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeAfter {
    /// Customers reaching the step with the outcome within the outcome window after first reaching it.
    pub n: u64,
    /// `n / reach`.
    pub rate_after: Option<f64>,
    /// `rate_after / baseline`.
    pub lift: Option<f64>,
    /// Two-sided p-value of `rate_after` against the baseline (see `inputs.settings.significance_test`).
    pub p_value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Repeat {
    /// Share of reaching customers with 2+ matching events within the repeat window.
    pub share: Option<f64>,
    /// Mean matching events per reaching customer.
    pub mean_events: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StageResult {
    pub id: String,
    /// Customers with an event matching any step of the stage.
    pub reach: u64,
    /// Customers reaching the stage with an event of the next stage after first entering it.
    pub reached_next: u64,
    /// `reached_next / reach`; null for the last stage.
    pub conversion: Option<f64>,
    /// Median seconds from first entering the stage to the first next-stage event after it.
    pub median_time_in_stage_s: Option<f64>,
    pub personas: BTreeMap<String, StageFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StageFigures {
    pub reach: u64,
    pub reached_next: u64,
    pub conversion: Option<f64>,
    pub median_time_in_stage_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeBaseline {
    /// Analysed customers with the outcome at any time.
    pub customers: u64,
    /// `customers / customers_analysed`.
    pub baseline: Option<f64>,
    pub personas: BTreeMap<String, Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Unmapped {
    /// Analysed events that match no step.
    pub events: u64,
    /// `events / analysed_events`.
    pub share: Option<f64>,
    /// The most frequent event names among them.
    pub top: Vec<EventCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EventCount {
    pub event: String,
    pub count: u64,
    /// Share of all unmapped events.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KpiCheck {
    pub step: String,
    pub metric: String,
    pub outcome: Option<String>,
    pub target: f64,
    pub direction: String,
    /// The measured value; null when the data has none (e.g. no answers).
    pub actual: Option<f64>,
    /// Whether the target is met; null without an actual value.
    pub met: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MomentOfTruth {
    pub step: String,
    /// The map marks the step `moment_of_truth: true`.
    pub map_says: bool,
    /// Some outcome's lift after this step is strong (>= 1.5 or <= 1/1.5) and significant (p < 0.01).
    pub data_says: bool,
    /// `agree`, `map_only` or `data_only`.
    pub verdict: String,
    /// The step's strongest outcome effect, if any outcome was measured.
    pub strongest: Option<StrongestOutcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StrongestOutcome {
    pub outcome: String,
    pub lift: f64,
    pub p_value: Option<f64>,
}

/// Where the published schema of `result.json` lives.
pub const SCHEMA_ID: &str = "https://trailmap.dev/schema/trailmap-result-v1.schema.json";

/// The JSON Schema (draft 2020-12) of `result.json`.
pub fn json_schema() -> serde_json::Value {
    crate::schema::schema_for::<Analysis>(SCHEMA_ID)
}

/// The schema as pretty-printed JSON with a trailing newline.
pub fn json_schema_text() -> String {
    crate::schema::pretty(&json_schema())
}
