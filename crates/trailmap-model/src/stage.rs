//! Stages (the map's columns), their steps, and each step's lanes (the map's rows).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Kpi, Touchpoint};

/// A stage (phase) of the journey, e.g. pre-purchase, purchase, post-purchase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Stable identifier (e.g. `awareness`).
    #[schemars(pattern(r"^[a-z0-9][a-z0-9_-]*$"))]
    pub id: String,
    /// Name shown as the column header.
    #[schemars(length(min = 1))]
    pub name: String,
    /// What the customer is trying to do in this stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The stage's steps, in the order customers take them.
    #[schemars(length(min = 1))]
    pub steps: Vec<Step>,
}

/// One step of the journey, with every lane of the map for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Stable identifier, unique in the map (e.g. `sees-ad`).
    #[schemars(pattern(r"^[a-z0-9][a-z0-9_-]*$"))]
    pub id: String,
    /// Name shown on the step's card.
    #[schemars(length(min = 1))]
    pub name: String,
    /// A longer description of the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// SQL boolean expression over event columns: the events that are evidence a customer took
    /// this step, e.g. `event = 'ad_click' AND channel = 'social'`.
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub matcher: Option<String>,
    /// SQL boolean expression over event columns selecting the survey answers (nps, csat, ces)
    /// that belong to this step, instead of attributing them by time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
    /// Whether customers may skip this step and still follow the designed journey.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// The personas who take this step. Empty means every persona.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<String>,
    /// The department that owns this step (a department id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Where customer and company meet in this step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub touchpoints: Vec<Touchpoint>,
    /// The customer's lanes: what they do, want, think and feel.
    #[serde(default, skip_serializing_if = "CustomerLane::is_empty")]
    pub customer: CustomerLane,
    /// The business's lanes: front stage (seen by the customer) and backstage (not seen).
    #[serde(default, skip_serializing_if = "BusinessLane::is_empty")]
    pub business: BusinessLane,
    /// The employee's experience of this step.
    #[serde(default, skip_serializing_if = "EmployeeLane::is_empty")]
    pub employee: EmployeeLane,
    /// What goes wrong for the customer here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pain_points: Vec<PainPoint>,
    /// Improvements to make here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opportunities: Vec<Opportunity>,
    /// Whether this step makes or breaks the relationship.
    #[serde(default, skip_serializing_if = "is_false")]
    pub moment_of_truth: bool,
    /// Targets for this step's measured figures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kpis: Vec<Kpi>,
    /// Where this step's content comes from, and when it was last verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// In a future map: the ids of the current map's steps this step replaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What the customer does, wants, thinks and feels at a step.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerLane {
    /// What the customer does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub does: Option<String>,
    /// What the customer wants to achieve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    /// What the customer thinks (often a quote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinks: Option<String>,
    /// What the customer feels, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feels: Option<String>,
    /// How the customer feels, from -2 (very negative) to 2 (very positive). Draws the emotion curve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = -2, max = 2))]
    pub emotion: Option<i8>,
}

impl CustomerLane {
    pub fn is_empty(&self) -> bool {
        *self == CustomerLane::default()
    }
}

/// What the business does at a step, split by the line of visibility.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessLane {
    /// What the customer sees the business do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frontstage: Option<String>,
    /// What happens behind the scenes: systems, handoffs, processes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backstage: Option<String>,
}

impl BusinessLane {
    pub fn is_empty(&self) -> bool {
        *self == BusinessLane::default()
    }
}

/// The employee's side of a step.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployeeLane {
    /// What the employee does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub does: Option<String>,
    /// How the employee feels about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feels: Option<String>,
    /// The tools and systems the employee uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<String>,
}

impl EmployeeLane {
    pub fn is_empty(&self) -> bool {
        *self == EmployeeLane::default()
    }
}

/// Something that goes wrong for the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PainPoint {
    /// What goes wrong, in the customer's terms.
    #[schemars(length(min = 1))]
    pub text: String,
    /// How badly it hurts, from 1 (minor) to 5 (the customer leaves).
    #[schemars(range(min = 1, max = 5))]
    pub severity: u8,
    /// The persona who feels it, when only one does (a persona id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    /// Where this pain point is known from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// An improvement to make.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Opportunity {
    /// The improvement.
    #[schemars(length(min = 1))]
    pub text: String,
    /// Who is responsible for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// How far it has got.
    #[serde(default)]
    pub status: OpportunityStatus,
}

/// How far an opportunity has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpportunityStatus {
    #[default]
    Idea,
    Planned,
    Doing,
    Done,
}

impl OpportunityStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OpportunityStatus::Idea => "idea",
            OpportunityStatus::Planned => "planned",
            OpportunityStatus::Doing => "doing",
            OpportunityStatus::Done => "done",
        }
    }
}

/// Where a card's content comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The kind of source.
    pub source: EvidenceSource,
    /// When it was last verified, as `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub verified: Option<String>,
    /// A note or a link to the research, dashboard or ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The kind of source behind a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    /// Measured in customer data.
    Observed,
    /// From research: interviews, surveys, usability tests.
    Research,
    /// Believed by the team, not yet checked.
    Assumption,
    /// A proposal for the future journey.
    Proposed,
}

impl EvidenceSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceSource::Observed => "observed",
            EvidenceSource::Research => "research",
            EvidenceSource::Assumption => "assumption",
            EvidenceSource::Proposed => "proposed",
        }
    }
}
