//! The map's `data:` and `lint:` sections: defaults for evidence runs and for the checker.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Duration;

/// Defaults for evidence runs. Command-line flags override them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// Names of the columns every event file has.
    #[serde(default, skip_serializing_if = "Columns::is_empty")]
    pub columns: Columns,
    /// IANA time zone for timestamps without an offset (e.g. `Europe/Berlin`). Default: UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Time windows used to attribute feedback and outcomes to steps.
    #[serde(default, skip_serializing_if = "Windows::is_empty")]
    pub windows: Windows,
}

impl DataConfig {
    pub fn is_empty(&self) -> bool {
        *self == DataConfig::default()
    }
}

/// Column names in event files. Defaults: `customer_id`, `timestamp`, `event`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// The column that identifies the customer. Default: `customer_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The column with the event's time. Default: `timestamp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The column with the event's name. Default: `event`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

impl Columns {
    pub fn is_empty(&self) -> bool {
        *self == Columns::default()
    }
}

/// Time windows, written like `30d`, `12h`, `2w`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Windows {
    /// How long after a step a survey answer or review still belongs to it. Default: `30d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Duration>,
    /// How long after a step an outcome (churn, renewal, ...) counts for it. Default: `90d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Duration>,
    /// Two contacts within this window count as a repeat contact. Default: `7d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Duration>,
}

impl Windows {
    pub fn is_empty(&self) -> bool {
        *self == Windows::default()
    }
}

/// Settings for `trailmap check`'s lint rules in this file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// Evidence verified longer ago than this is stale. Default: `365d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_after: Option<Duration>,
    /// Lint rules (by name, e.g. `step-without-match`) not to report for this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
}

impl LintConfig {
    pub fn is_empty(&self) -> bool {
        *self == LintConfig::default()
    }
}
