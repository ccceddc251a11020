//! `trailmap conform --format json`: how customers' real journeys compare with the designed
//! order of the map, as a versioned wire format.
//!
//! Kept apart from the computation (`trailmap_paths::conform`) so the algorithm can change
//! without changing the file; the renderer draws these types. Every figure is defined exactly
//! in `docs/conformance.md`. Rates are fractions (0..1); a figure that cannot be computed (no
//! customers, a group too small to test) is `null`, never 0.
//!
//! Vocabulary used in the doc comments:
//! - a customer's **path** is their persona's steps in map order (stage order, then step order);
//!   a step whose `personas` do not include the customer's persona is not on their path;
//! - a **visit** is a run of back-to-back events of the same step (clicking a step twice in a row
//!   is one visit, counted as a *repeat*, not a deviation);
//! - a customer **follows the map** when their visits walk their path forward from an expected
//!   first step, skipping only optional steps, never going back or taking a step twice; stopping
//!   early is not a deviation of order (it is reported as *ended before the last stage*).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::analysis::JourneyRef;

/// The version of this format; bumped only for changes that break readers.
pub const CONFORMANCE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Conformance {
    /// Format version of this file (`1`).
    pub version: u32,
    /// The map the journeys were compared with.
    pub journey: JourneyRef,
    pub inputs: ConformInputs,
    pub settings: ConformSettings,
    /// The designed order: every step of the map in map order.
    pub design: Vec<DesignedStep>,
    /// Every analysed customer.
    pub everyone: ConformanceFigures,
    /// The same figures for each persona of the map (customers whose persona rule matched).
    pub personas: BTreeMap<String, ConformanceFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConformInputs {
    /// The event files read.
    pub events: Vec<String>,
    /// The customers file the persona rules were evaluated on.
    pub customers: Option<String>,
    /// Event rows read.
    pub event_rows: u64,
    /// Event rows that match no step of the map (not part of any journey).
    pub unmapped_events: u64,
    /// Rows skipped under `--skip-bad-rows`.
    pub bad_rows: u64,
    /// Customers with at least one event that matches a step.
    pub customers_analysed: u64,
    /// `--persona`: only this persona's customers were analysed.
    pub persona: Option<String>,
    /// `--value-col`: the numeric column summed per customer (e.g. revenue).
    pub value_col: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConformSettings {
    /// How a group's outcome rate (and mean value) is tested against its reference group's.
    pub significance_test: String,
    /// How the p-values of one scope (everyone, or one persona) are corrected for testing many
    /// differences at once.
    pub correction: String,
    /// Family-wise error rate: a difference is significant when its corrected p-value is below it.
    pub alpha: f64,
    /// Groups (and reference groups) smaller than this are not tested.
    pub min_group: u64,
    /// An outcome is tested only when at least this many customers of the group and reference
    /// together have it, and this many do not (the normal approximation needs both).
    #[serde(default)]
    pub min_outcomes: u64,
}

/// One step of the designed order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DesignedStep {
    pub id: String,
    pub name: String,
    /// The id of its stage.
    pub stage: String,
    pub stage_name: String,
    /// The map marks it `optional`: skipping it still follows the map.
    pub optional: bool,
    /// The personas it is for; empty means every persona.
    pub personas: Vec<String>,
    /// The step has a `match`, so data can show it; a step without one is on nobody's path
    /// (neither expected nor a deviation).
    #[serde(default = "observable_default")]
    pub observable: bool,
}

fn observable_default() -> bool {
    true
}

/// Conformance of one group of customers (everyone, or one persona).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConformanceFigures {
    /// Customers in the group.
    pub customers: u64,
    /// Customers who follow the map (see the module doc).
    pub following: u64,
    /// `following / customers`.
    pub following_share: Option<f64>,
    pub fitness: Fitness,
    /// Customers whose last visit is in the last stage of their path.
    pub reached_last_stage: u64,
    /// Customers whose last visit is in an earlier stage, and in which stage they ended.
    pub ended_early: u64,
    pub ended_in: Vec<StageCount>,
    /// Customers with a step's events back to back (a repeat, not a deviation).
    pub repeated_in_a_row: u64,
    /// Customers with at least one deviation of each kind (a customer can have several).
    pub deviating: DeviationCounts,
    /// Every step in map order, with how customers deviated at it.
    pub steps: Vec<StepConformance>,
    /// Moves from a stage back to an earlier one, largest first.
    pub backward_moves: Vec<BackwardMove>,
    /// Outcome rates of everyone in the group and of those who follow the map.
    pub outcomes: BTreeMap<String, OutcomeRates>,
    /// Mean value per customer (`--value-col`).
    pub value: Option<ValueRates>,
    /// Customers grouped by deviation (a customer is in every group of a deviation they have),
    /// largest first, at most `--top`.
    pub deviations: Vec<DeviationGroup>,
    /// Distinct deviations found (before `--top`).
    pub deviations_total: u64,
    /// The exact sequences of visits of customers who do not follow the map, largest first, at
    /// most `--top`.
    pub variants: Vec<Variant>,
    /// Distinct sequences of customers who do not follow the map (before `--top`).
    pub variants_total: u64,
    /// The significant outcome and value differences in words, strongest first.
    pub headlines: Vec<String>,
}

/// Alignment-based fitness on each customer's designed path (docs/conformance.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Fitness {
    /// `1 - Σ cost / Σ worst cost` over customers, aligning each customer's visits with their
    /// whole path (pm4py's `log_fitness` of alignments on a sequential model where optional
    /// steps can be skipped silently).
    pub log: Option<f64>,
    /// The mean of the customers' own fitness `1 - cost / worst cost` (pm4py's
    /// `average_trace_fitness`).
    pub mean: Option<f64>,
    /// As `log`, aligning with the part of the path up to where the customer got (a journey still
    /// under way or ended early is not charged for the steps it never got to).
    pub prefix_log: Option<f64>,
    /// As `mean`, with prefix alignments; a customer's prefix fitness is 1 exactly when they
    /// follow the map.
    pub prefix_mean: Option<f64>,
    /// Customers who complete their whole path without deviating (fitness 1).
    pub perfect: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StageCount {
    pub stage: String,
    pub customers: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeviationCounts {
    /// Skipped a required step of their path (reached a later step without ever taking it).
    pub skip: u64,
    /// Went back from a stage to an earlier one.
    pub backward: u64,
    /// Came back to a step after another step (a loop).
    pub looped: u64,
    /// Took a step for the first time after a later step of the design.
    pub out_of_order: u64,
    /// Started at a step that is not an expected first step of their path.
    pub unexpected_entry: u64,
    /// Took a step that is designed for other personas.
    pub off_persona: u64,
}

/// How customers met one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepConformance {
    pub step: String,
    pub optional: bool,
    /// Customers whose path has the step.
    pub expected: u64,
    /// Customers with a visit to the step.
    pub took: u64,
    /// Customers whose path has the step who never took it but took a later step of the map.
    /// For an optional step this is allowed and does not break the order.
    pub skipped: u64,
    /// Customers who came back to the step after another step (a loop).
    pub looped: u64,
    /// Customers who first took the step after a later step of the map.
    pub out_of_order: u64,
    /// Customers whose first visit is this step when it is not an expected first step for them.
    pub unexpected_entry: u64,
    /// Customers who took the step although their persona is not among its personas.
    pub off_persona: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BackwardMove {
    /// The stage they were in.
    pub from_stage: String,
    /// The earlier stage they went back to.
    pub to_stage: String,
    /// Customers with this move at least once.
    pub customers: u64,
    /// How often it happened in all.
    pub moves: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeRates {
    /// Share of the group's customers with the outcome at any time.
    pub everyone: Option<f64>,
    /// The same among those who follow the map.
    pub following: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ValueRates {
    /// Mean value per customer (customers without a value count as 0).
    pub everyone: Option<f64>,
    /// The same among those who follow the map.
    pub following: Option<f64>,
}

/// What kind of deviation a group has.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DeviationKind {
    /// Skips `step` (reached a later step without it).
    Skip,
    /// Goes back from `from_stage` to the earlier `to_stage`.
    Backward,
    /// Comes back to `step` after another step.
    Loop,
    /// Takes `step` for the first time after a later step.
    OutOfOrder,
    /// Starts the journey at `step`.
    UnexpectedEntry,
    /// Takes `step`, which is designed for other personas.
    OffPersona,
}

/// The customers with one deviation, and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeviationGroup {
    pub kind: DeviationKind,
    /// The step, for every kind but `backward`.
    pub step: Option<String>,
    /// For `backward`: the stage left and the earlier stage gone back to.
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
    /// Whether it breaks "follows the map" (skipping an optional step does not).
    pub breaks_order: bool,
    /// The deviation in words, e.g. `skips Has a kickoff call`.
    pub label: String,
    /// Customers with it.
    pub customers: u64,
    /// `customers / ` the scope's customers.
    pub share: Option<f64>,
    pub comparison: Comparison,
}

/// One exact sequence of visits of customers who do not follow the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Variant {
    /// Step ids, one per visit.
    pub steps: Vec<String>,
    pub customers: u64,
    /// `customers / ` the scope's customers.
    pub share: Option<f64>,
    /// Its deviations in words (for everyone: those of any of its customers' personas).
    pub deviations: Vec<String>,
    pub comparison: Comparison,
}

/// A group's outcome rates and value against its reference group: the customers of the same scope
/// who follow the map and got at least as far into it as the deviation (so a deviation seen at
/// renewal is not compared with customers who left in the first week). The comparison is
/// stratified by persona: the reference rate is each persona's followers' rate weighted by the
/// group's own persona mix, so the everyone scope does not compare one persona with another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    /// The reference group in words, e.g. `customers who follow the map past Has a kickoff call`.
    pub reference: String,
    /// Reference customers (in the personas the group has).
    pub reference_customers: u64,
    /// Group customers compared: those whose persona has reference customers (usually all).
    pub compared: u64,
    pub outcomes: BTreeMap<String, OutcomeComparison>,
    /// With `--value-col`.
    pub value: Option<ValueComparison>,
    /// The strongest significant difference in words with what it costs, e.g. `Customers who skip
    /// Has a kickoff call churn 2.3× as often as customers who follow the map past Has a kickoff
    /// call (41% vs 18%, 1,204 customers: about 277 more churn)`.
    pub headline: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeComparison {
    /// Share of the compared group customers with the outcome at any time.
    pub group_rate: Option<f64>,
    /// The reference customers' rate, per persona, weighted by the group's persona mix.
    pub reference_rate: Option<f64>,
    /// `group_rate / reference_rate`.
    pub ratio: Option<f64>,
    /// `(group_rate - reference_rate) × compared`: how many more (or, negative, fewer) of the
    /// group have the outcome than at the reference rate.
    pub excess: Option<f64>,
    /// Two-sided p-value (`settings.significance_test`), before correction; null when a group is
    /// smaller than `settings.min_group`, the outcome is too rare or too common to test
    /// (`settings.min_outcomes`), the test is undefined, or `by_definition`.
    pub p_value: Option<f64>,
    /// Significant after the correction (`settings.correction`).
    pub significant: bool,
    /// The outcome is the events of a step that defines the group (e.g. skipping the step whose
    /// `match` is the outcome's expression): the difference holds by definition, so it is not
    /// tested or headlined.
    pub by_definition: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ValueComparison {
    pub group_mean: Option<f64>,
    pub reference_mean: Option<f64>,
    /// `(group_mean - reference_mean) × group customers`.
    pub excess: Option<f64>,
    /// Two-sided p-value of the difference of the (standardised) means, z-test with each
    /// group's own variance.
    pub p_value: Option<f64>,
    pub significant: bool,
}

/// Where the published schema of `conform --format json` lives.
pub const SCHEMA_ID: &str = "https://trailmap.dev/schema/trailmap-conformance-v1.schema.json";

/// The JSON Schema (draft 2020-12) of `conform --format json`.
pub fn json_schema() -> serde_json::Value {
    crate::schema::schema_for::<Conformance>(SCHEMA_ID)
}

/// The schema as pretty-printed JSON with a trailing newline.
pub fn json_schema_text() -> String {
    crate::schema::pretty(&json_schema())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deviation_kinds_are_snake_case() {
        let text = serde_json::to_string(&DeviationKind::UnexpectedEntry).unwrap();
        assert_eq!(text, "\"unexpected_entry\"");
        let back: DeviationKind = serde_json::from_str("\"out_of_order\"").unwrap();
        assert_eq!(back, DeviationKind::OutOfOrder);
    }

    #[test]
    fn schema_names_the_top_level_fields() {
        let schema = json_schema();
        let required = schema["required"].as_array().unwrap();
        for field in ["version", "journey", "everyone", "personas", "design"] {
            assert!(required.iter().any(|f| f == field), "{field}");
        }
    }
}
