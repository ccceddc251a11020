//! The journey header: what is mapped, by whom, and whether it is as-is or to-be.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What is being mapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Journey {
    /// Stable identifier, lower-case words joined by `-` or `_` (e.g. `online-purchase`).
    #[schemars(pattern(r"^[a-z0-9][a-z0-9_-]*$"))]
    pub id: String,
    /// Human name shown on the map.
    #[schemars(length(min = 1))]
    pub name: String,
    /// What kind of journey this is.
    pub kind: JourneyKind,
    /// `current` maps the journey as it is today; `future` maps it as it should be.
    pub state: JourneyState,
    /// For a future map: the file of the current map it improves, relative to this file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<String>,
    /// Who owns this map and keeps it up to date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// A short description of the journey's scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What the map is for: the business objectives it serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<String>,
    /// The cross-functional team who should share this map.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stakeholders: Vec<String>,
}

/// The kind of journey mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JourneyKind {
    /// The overall purchase journey: from awareness to after the purchase.
    Purchase,
    /// Customer support: from the first contact to resolution.
    Support,
    /// Customer success: onboarding, adoption, renewal and expansion.
    Success,
    /// Onboarding a new customer.
    Onboarding,
    /// Anything else.
    Other,
}

/// Whether a map shows the journey as it is or as it should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JourneyState {
    /// As it is today.
    Current,
    /// As it should be; names the current map it improves in `based_on`.
    Future,
}

impl JourneyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JourneyKind::Purchase => "purchase",
            JourneyKind::Support => "support",
            JourneyKind::Success => "success",
            JourneyKind::Onboarding => "onboarding",
            JourneyKind::Other => "other",
        }
    }
}

impl JourneyState {
    pub fn as_str(self) -> &'static str {
        match self {
            JourneyState::Current => "current",
            JourneyState::Future => "future",
        }
    }
}
