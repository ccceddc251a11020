//! Personas (who takes the journey) and departments (who serves them).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Channel;

/// A simplified, realistic representation of a customer segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    /// Stable identifier, referenced by steps and pain points (e.g. `mia`).
    #[schemars(pattern(r"^[a-z0-9][a-z0-9_-]*$"))]
    pub id: String,
    /// Name shown on the persona card (e.g. `Mia, the mobile millennial`).
    #[schemars(length(min = 1))]
    pub name: String,
    /// Share of the customer base, from 0 to 1. The shares of a map's personas sum to at most 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub share: Option<f64>,
    /// SQL boolean expression over customer attributes that recognises this persona in data,
    /// e.g. `age BETWEEN 25 AND 40 AND signup_channel = 'app'`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// One or two sentences about who this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Generation (e.g. `millennial`, `gen-z`, `baby boomer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<String>,
    /// Demographics: age range, location, occupation, income, family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demographics: Option<String>,
    /// What this persona wants to achieve.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<String>,
    /// How this persona behaves: habits, research, buying patterns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub behaviours: Vec<String>,
    /// What this persona believes and expects of the company.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expectations: Vec<String>,
    /// How open this persona is to new ideas and products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openness: Option<Openness>,
    /// Verbatim quotes from research (interviews, surveys, reviews).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<String>,
    /// Preferred channels, most preferred first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
}

/// Openness to new ideas and products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Openness {
    Low,
    Medium,
    High,
}

impl Openness {
    pub fn as_str(self) -> &'static str {
        match self {
            Openness::Low => "low",
            Openness::Medium => "medium",
            Openness::High => "high",
        }
    }
}

/// A department that owns steps or touchpoints of the journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Stable identifier, referenced by steps and touchpoints (e.g. `support`).
    #[schemars(pattern(r"^[a-z0-9][a-z0-9_-]*$"))]
    pub id: String,
    /// Name shown on the map (e.g. `Customer support`).
    #[schemars(length(min = 1))]
    pub name: String,
    /// Who leads this department's part of the journey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
}
