//! KPI targets on steps.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A target for one of a step's measured figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    /// The measured figure this target is for.
    pub metric: Metric,
    /// The target value, in the metric's unit (see `metric`).
    pub target: f64,
    /// Whether the measured value should be at least or at most the target.
    /// Defaults to the metric's natural direction (e.g. `at_most` for `drop_off`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// For `metric: outcome`: the name of the outcome (e.g. `churn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Why this target matters, or where it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Kpi {
    /// The direction in force: the explicit one, or the metric's natural one.
    pub fn direction(&self) -> Direction {
        self.direction.unwrap_or(self.metric.natural_direction())
    }
}

/// A figure the evidence engine measures for each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Customers who reached the step (a count, 0 or more).
    Reach,
    /// Share of customers reaching the step who go on to a later step (0..1).
    Conversion,
    /// Share of customers reaching the step who go no further (0..1).
    DropOff,
    /// Median seconds from this step to the next (0 or more).
    TimeToNext,
    /// Net Promoter Score (-100..100).
    Nps,
    /// Customer satisfaction: percent of 4-5 answers (0..100).
    Csat,
    /// Customer effort score: mean answer (1..7).
    Ces,
    /// Mean sentiment of free text (-1..1).
    Sentiment,
    /// Share of customers with two or more contacts within the repeat window (0..1).
    RepeatContact,
    /// Share of customers with the named `outcome` within the outcome window after the step (0..1).
    Outcome,
}

impl Metric {
    /// The YAML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Reach => "reach",
            Metric::Conversion => "conversion",
            Metric::DropOff => "drop_off",
            Metric::TimeToNext => "time_to_next",
            Metric::Nps => "nps",
            Metric::Csat => "csat",
            Metric::Ces => "ces",
            Metric::Sentiment => "sentiment",
            Metric::RepeatContact => "repeat_contact",
            Metric::Outcome => "outcome",
        }
    }

    /// The closed range a target or measured value of this metric lies in.
    pub fn range(self) -> (f64, f64) {
        match self {
            Metric::Reach | Metric::TimeToNext => (0.0, f64::INFINITY),
            Metric::Conversion | Metric::DropOff | Metric::RepeatContact | Metric::Outcome => {
                (0.0, 1.0)
            }
            Metric::Nps => (-100.0, 100.0),
            Metric::Csat => (0.0, 100.0),
            Metric::Ces => (1.0, 7.0),
            Metric::Sentiment => (-1.0, 1.0),
        }
    }

    /// Whether more is better (`at_least`) or less is better (`at_most`) for this metric.
    /// Outcomes have no natural direction: churn should fall, renewal should rise.
    pub fn natural_direction(self) -> Direction {
        match self {
            Metric::DropOff | Metric::TimeToNext | Metric::Ces | Metric::RepeatContact => {
                Direction::AtMost
            }
            _ => Direction::AtLeast,
        }
    }
}

/// Which side of the target is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The measured value should be at least the target.
    AtLeast,
    /// The measured value should be at most the target.
    AtMost,
}

impl Direction {
    /// Whether `actual` meets `target` in this direction.
    pub fn is_met(self, actual: f64, target: f64) -> bool {
        match self {
            Direction::AtLeast => actual >= target,
            Direction::AtMost => actual <= target,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
        }
    }
}
