//! `trailmap diff`: what changes from a current map to a future one.
//!
//! Steps are matched by id. A future step's `replaces` list also links it to the current
//! steps it replaces, so a pain point of a replaced step counts as resolved only when the
//! replacing step does not carry it again. Pain points and opportunities are matched by their
//! text (trimmed, case-insensitive) within a step and its counterparts.
//!
//! [`compare`] is pure and returns a [`MapDiff`], whose JSON shape (`version: 1`) is stable:
//! lists are in map order, enum values are their YAML spellings. [`text`] and [`html`] draw it.
//!
//! [`compare_measured`] also takes what `trailmap analyze` measured on each map and adds the
//! metric deltas per step ([`MapDiff::metrics`]: reach, drop-off, NPS, CSAT, each outcome
//! after the step), matching steps the same way: by id, else through `replaces`.

mod compare;
mod html;
mod metrics;
mod text;

#[cfg(test)]
mod tests;

use serde::Serialize;

pub use compare::compare;
pub use html::html;
pub use metrics::compare_measured;
pub use text::text;

/// The version of the JSON shape of [`MapDiff`].
pub const DIFF_VERSION: u32 = 1;

/// Everything that changes between two maps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapDiff {
    /// Always [`DIFF_VERSION`].
    pub version: u32,
    pub current: MapSide,
    pub future: MapSide,
    pub summary: Summary,
    /// Steps only in the future map, in its order.
    pub steps_added: Vec<StepRef>,
    /// Steps only in the current map, in its order, with the future steps that replace them.
    pub steps_removed: Vec<RemovedStep>,
    /// Steps in both maps that changed stage or order relative to the others.
    pub steps_moved: Vec<MovedStep>,
    /// Steps in both maps whose name changed.
    pub steps_renamed: Vec<RenamedStep>,
    /// Steps in both maps whose touchpoints or lanes changed.
    pub steps_changed: Vec<ChangedStep>,
    /// Pain points of the current map that the future map no longer has.
    pub pain_points_resolved: Vec<ResolvedPainPoint>,
    /// Pain points only in the future map.
    pub pain_points_added: Vec<PainPointRef>,
    /// Opportunities only in the future map.
    pub opportunities_added: Vec<OpportunityRef>,
    /// Emotion per future step against its current counterpart, where either has a score.
    pub emotion: Vec<EmotionChange>,
    /// Measured figures per future step against its current counterpart (all customers), when
    /// both maps came with evidence ([`compare_measured`]); left out of the JSON otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<StepMetrics>,
}

/// The measured figures of one future step against its current counterpart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepMetrics {
    /// The future step.
    pub step: String,
    pub name: String,
    /// The current step compared with, when it is not the same id (a replaced step).
    pub current_step: Option<String>,
    /// In a fixed order: reach, reach_share, drop_off, nps, csat, then each outcome by name.
    pub metrics: Vec<MetricDelta>,
}

/// One measured figure before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricDelta {
    /// `reach` (customers), `reach_share` (reach over the customers analysed, which compares
    /// analyses of different sizes), `drop_off`, `nps`, `csat` or `outcome`. Rates and shares
    /// are fractions; NPS and CSAT are points.
    pub metric: String,
    /// For `outcome`: its name (e.g. `churn`); the figure is the rate after the step.
    pub outcome: Option<String>,
    pub current: Option<f64>,
    pub future: Option<f64>,
    /// `future - current`, when both are known.
    pub delta: Option<f64>,
    /// `better`, `worse` or `same`, when it is known which way is good (for outcomes, from the
    /// maps' KPI targets); `None` otherwise.
    pub verdict: Option<String>,
}

/// One of the two maps compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapSide {
    pub id: String,
    pub name: String,
    /// `current` or `future`, as the map says.
    pub state: String,
    pub n_steps: usize,
}

/// Counts, for a one-line overview.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub steps_added: usize,
    pub steps_removed: usize,
    pub steps_moved: usize,
    pub steps_renamed: usize,
    pub steps_changed: usize,
    pub pain_points_resolved: usize,
    pub pain_points_added: usize,
    pub opportunities_added: usize,
    /// Steps whose emotion score rises, and falls.
    pub emotion_better: usize,
    pub emotion_worse: usize,
    /// Sum of pain point severities in each map: a rough measure of total pain.
    pub pain_current: u32,
    pub pain_future: u32,
}

/// A step and where it sits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepRef {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub stage_name: String,
    /// Position in map order, from 1.
    pub position: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemovedStep {
    #[serde(flatten)]
    pub step: StepRef,
    /// Future steps whose `replaces` names this step.
    pub replaced_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovedStep {
    pub id: String,
    pub name: String,
    pub from_stage: String,
    pub to_stage: String,
    pub from_position: usize,
    pub to_position: usize,
    /// The step just before it in each map (`None` when it comes first), which says more
    /// than a position number when steps around it were added or removed.
    pub from_after: Option<String>,
    pub to_after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenamedStep {
    pub id: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedStep {
    pub id: String,
    /// The future name.
    pub name: String,
    pub touchpoints_added: Vec<TouchpointRef>,
    pub touchpoints_removed: Vec<TouchpointRef>,
    pub lanes: Vec<LaneChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TouchpointRef {
    pub channel: String,
    pub name: Option<String>,
    pub initiator: Option<String>,
}

/// A lane whose text differs. `emotion` is reported in [`MapDiff::emotion`] instead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaneChange {
    /// `does`, `goal`, `thinks`, `feels`, `frontstage`, `backstage`, `department`,
    /// `employee.does`, `employee.feels`, `employee.tools`, `kpis`, `moment_of_truth`,
    /// `description`.
    pub lane: String,
    pub current: Option<String>,
    pub future: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedPainPoint {
    /// The current step that had it.
    pub step: String,
    pub text: String,
    pub severity: u8,
    pub persona: Option<String>,
    /// `fixed` (the step stays, the pain point is gone), `replaced` (the step is replaced by
    /// steps without it) or `step_removed` (the step is gone and nothing replaces it).
    pub how: String,
    pub replaced_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PainPointRef {
    pub step: String,
    pub text: String,
    pub severity: u8,
    pub persona: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpportunityRef {
    pub step: String,
    pub text: String,
    pub status: String,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmotionChange {
    /// The future step.
    pub step: String,
    pub name: String,
    /// The current step compared with, when it is not the same id (a replaced step).
    pub current_step: Option<String>,
    pub current: Option<i8>,
    pub future: Option<i8>,
    /// `future - current`, when both have a score.
    pub delta: Option<i8>,
}

impl MapDiff {
    /// The diff as pretty-printed JSON, ending in a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a MapDiff always serializes");
        text.push('\n');
        text
    }
}
