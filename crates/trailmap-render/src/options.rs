//! What to draw: whose journey ([`RenderOptions::persona`]), which rows ([`Lane`]), and the
//! measured evidence to draw on it ([`RenderOptions::evidence`]).

use std::fmt;
use std::str::FromStr;

use trailmap_model::analysis::Analysis;

use crate::Date;

/// Choices that change what a rendering shows. The default draws everything the map holds,
/// without measured evidence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderOptions {
    /// Draw only this persona's journey: the steps that list no persona or list this one, and
    /// the pain points that name no persona or this one. Only this persona's card is drawn.
    pub persona: Option<String>,
    /// The lanes (rows) to draw, always in the map's canonical order ([`Lane::ALL`]).
    /// `None` draws every lane. Either way a lane with no content in any drawn step collapses.
    pub lanes: Option<Vec<Lane>>,
    /// What `trailmap analyze` measured for this map (`result.json`). With it the map gains
    /// the measured lanes (reach and drop-off, feedback, outcomes), a measured emotion curve
    /// beside the designed one, KPI targets against their actual values, and a data block
    /// saying what was analysed. Steps are matched by id.
    pub evidence: Option<Analysis>,
    /// The date evidence ages are counted from: a step whose `evidence.verified` is older than
    /// the map's `lint.stale_after` (default 365 days) is marked stale. `None` marks nothing.
    /// The renderer never reads the clock, so the caller decides what "today" is.
    pub today: Option<Date>,
}

impl RenderOptions {
    /// Whether `lane` was asked for.
    pub(crate) fn wants(&self, lane: Lane) -> bool {
        self.lanes
            .as_ref()
            .is_none_or(|lanes| lanes.contains(&lane))
    }
}

/// A row of the map.
///
/// The order of [`Lane::ALL`] is the order rows are drawn in: the customer's lanes, the
/// measured evidence (only with evidence), the touchpoints where customer and company meet, the business lanes split by the line of
/// visibility, the employee, then the insights (pain points, opportunities, KPI targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lane {
    /// What the customer does.
    Does,
    /// What the customer wants to achieve.
    Goal,
    /// What the customer thinks.
    Thinks,
    /// What the customer feels, in words.
    Feels,
    /// The emotion curve through the steps' emotion scores (and, with evidence, the measured
    /// curve).
    Emotion,
    /// Measured: customers who reached the step, the share who dropped off there, and the
    /// time to the next step. Drawn only with evidence.
    Reach,
    /// Measured: NPS, CSAT, CES and sentiment attributed to the step. Drawn only with evidence.
    Feedback,
    /// Measured: how often each outcome follows the step, against its baseline. Drawn only
    /// with evidence.
    Outcomes,
    /// Touchpoints: channel, name and who starts the contact.
    Touchpoints,
    /// What the customer sees the business do.
    Frontstage,
    /// What the business does behind the line of visibility.
    Backstage,
    /// The department that owns the step.
    Department,
    /// The employee's experience.
    Employee,
    /// Pain points by severity.
    PainPoints,
    /// Opportunities by status.
    Opportunities,
    /// KPI targets.
    Kpis,
}

/// The groups lanes are drawn in; each gets a heading row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LaneGroup {
    Customer,
    Measured,
    Touchpoints,
    Business,
    Employee,
    Insights,
}

impl LaneGroup {
    pub(crate) fn label(self) -> &'static str {
        match self {
            LaneGroup::Customer => "Customer",
            LaneGroup::Measured => "Measured in data",
            LaneGroup::Touchpoints => "Touchpoints",
            LaneGroup::Business => "Business",
            LaneGroup::Employee => "Employee",
            LaneGroup::Insights => "Insights",
        }
    }
}

impl Lane {
    /// Every lane, in drawing order.
    pub const ALL: [Lane; 16] = [
        Lane::Does,
        Lane::Goal,
        Lane::Thinks,
        Lane::Feels,
        Lane::Emotion,
        Lane::Reach,
        Lane::Feedback,
        Lane::Outcomes,
        Lane::Touchpoints,
        Lane::Frontstage,
        Lane::Backstage,
        Lane::Department,
        Lane::Employee,
        Lane::PainPoints,
        Lane::Opportunities,
        Lane::Kpis,
    ];

    /// The name `--lanes` accepts (kebab-case).
    pub fn name(self) -> &'static str {
        match self {
            Lane::Does => "does",
            Lane::Goal => "goal",
            Lane::Thinks => "thinks",
            Lane::Feels => "feels",
            Lane::Emotion => "emotion",
            Lane::Reach => "reach",
            Lane::Feedback => "feedback",
            Lane::Outcomes => "outcomes",
            Lane::Touchpoints => "touchpoints",
            Lane::Frontstage => "frontstage",
            Lane::Backstage => "backstage",
            Lane::Department => "department",
            Lane::Employee => "employee",
            Lane::PainPoints => "pain-points",
            Lane::Opportunities => "opportunities",
            Lane::Kpis => "kpis",
        }
    }

    /// The row label drawn on the map.
    pub fn label(self) -> &'static str {
        match self {
            Lane::Does => "Does",
            Lane::Goal => "Goal",
            Lane::Thinks => "Thinks",
            Lane::Feels => "Feels",
            Lane::Emotion => "Emotion",
            Lane::Reach => "Reach",
            Lane::Feedback => "Feedback",
            Lane::Outcomes => "Outcomes after",
            Lane::Touchpoints => "Channels",
            Lane::Frontstage => "Frontstage",
            Lane::Backstage => "Backstage",
            Lane::Department => "Owner",
            Lane::Employee => "Employee",
            Lane::PainPoints => "Pain points",
            Lane::Opportunities => "Opportunities",
            Lane::Kpis => "KPI targets",
        }
    }

    pub(crate) fn group(self) -> LaneGroup {
        match self {
            Lane::Does | Lane::Goal | Lane::Thinks | Lane::Feels | Lane::Emotion => {
                LaneGroup::Customer
            }
            Lane::Reach | Lane::Feedback | Lane::Outcomes => LaneGroup::Measured,
            Lane::Touchpoints => LaneGroup::Touchpoints,
            Lane::Frontstage | Lane::Backstage | Lane::Department => LaneGroup::Business,
            Lane::Employee => LaneGroup::Employee,
            Lane::PainPoints | Lane::Opportunities | Lane::Kpis => LaneGroup::Insights,
        }
    }

    /// Parses a comma-separated list such as `does,feels,emotion`. Duplicates are dropped.
    pub fn parse_list(text: &str) -> Result<Vec<Lane>, ParseLaneError> {
        let mut lanes = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let lane: Lane = part.parse()?;
            if !lanes.contains(&lane) {
                lanes.push(lane);
            }
        }
        Ok(lanes)
    }
}

impl fmt::Display for Lane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Lane {
    type Err = ParseLaneError;

    /// Accepts the kebab-case name, case-insensitively, with `_` for `-`, plus a few synonyms
    /// people type (`pain`, `kpi`, `channels`, `owner`).
    fn from_str(text: &str) -> Result<Lane, ParseLaneError> {
        let wanted = text.trim().to_ascii_lowercase().replace('_', "-");
        let synonym = match wanted.as_str() {
            "pain" | "pains" | "painpoints" => Some(Lane::PainPoints),
            "kpi" | "kpi-targets" => Some(Lane::Kpis),
            "channels" | "touchpoint" => Some(Lane::Touchpoints),
            "owner" | "departments" => Some(Lane::Department),
            "emotions" | "curve" => Some(Lane::Emotion),
            "funnel" | "drop-off" | "dropoff" => Some(Lane::Reach),
            "nps" | "csat" | "survey" => Some(Lane::Feedback),
            "outcome" | "churn" => Some(Lane::Outcomes),
            "front-stage" => Some(Lane::Frontstage),
            "back-stage" => Some(Lane::Backstage),
            _ => None,
        };
        synonym
            .or_else(|| Lane::ALL.into_iter().find(|lane| lane.name() == wanted))
            .ok_or_else(|| ParseLaneError {
                input: text.to_owned(),
            })
    }
}

/// A lane name that is not one of [`Lane::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseLaneError {
    input: String,
}

impl fmt::Display for ParseLaneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown lane `{}`", self.input)?;
        let wanted = self.input.to_ascii_lowercase();
        // A cheap "did you mean": the set is small, so a shared prefix is enough to be useful.
        if let Some(lane) = Lane::ALL
            .into_iter()
            .find(|lane| wanted.len() >= 2 && lane.name().starts_with(&wanted[..2]))
        {
            write!(f, " (did you mean `{}`?)", lane.name())?;
        }
        f.write_str("; expected one of: ")?;
        for (idx, lane) in Lane::ALL.iter().enumerate() {
            if idx > 0 {
                f.write_str(", ")?;
            }
            f.write_str(lane.name())?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseLaneError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for lane in Lane::ALL {
            assert_eq!(lane.name().parse::<Lane>(), Ok(lane));
            assert_eq!(
                lane.name().to_uppercase().replace('-', "_").parse(),
                Ok(lane)
            );
        }
    }

    #[test]
    fn parses_lists_and_rejects_unknown_names() {
        assert_eq!(
            Lane::parse_list("does, feels,emotion,pain_points,does"),
            Ok(vec![
                Lane::Does,
                Lane::Feels,
                Lane::Emotion,
                Lane::PainPoints
            ])
        );
        let err = Lane::parse_list("does,fells").unwrap_err().to_string();
        assert!(
            err.starts_with("unknown lane `fells` (did you mean `feels`?)"),
            "{err}"
        );
        assert!(err.contains("pain-points"), "{err}");
    }
}
