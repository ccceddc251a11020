//! Conformance: each customer's journey against the designed order of the map
//! (`trailmap conform`; every figure is defined in docs/conformance.md).
//!
//! ```text
//! CaseLog (by step) ──per customer──▶ visits ──▶ deviations + alignment ──▶ scopes
//!                                                                 (everyone, each persona)
//!                    ──per scope──▶ groups vs reference groups ──▶ Conformance
//! ```
//!
//! - `design`: the map as the designed order, and each persona's path through it.
//! - `journey`: one customer's visits and deviations; `align`: their alignment with the path.
//! - `scope`: figures accumulated customer by customer; `compare`: each deviation group and
//!   variant against the customers who follow the map and got as far, with significance tests.
//! - `words`: labels and headlines.
//!
//! One pass over the customers; memory is the figures plus one entry per distinct deviating
//! sequence of visits.

mod align;
mod compare;
mod design;
mod journey;
mod scope;
mod words;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;

use trailmap_engine::log::CaseLog;
use trailmap_model::Map;
use trailmap_model::analysis::JourneyRef;
use trailmap_model::conformance::{
    CONFORMANCE_VERSION, ConformInputs, ConformSettings, Conformance, DesignedStep,
};

pub use words::{amount, percent, thousands};

use design::Design;
use scope::{Facts, Scope};

/// How a group's rate is tested against its reference group's, by name.
pub const SIGNIFICANCE_TEST: &str = "two-sided z-test of the group's rate against the reference \
     rate standardised to the group's persona mix (per persona: pooled two-proportion variance; \
     for mean values, each group's own variance)";

/// How to compare, and what to say about the inputs.
#[derive(Debug, Clone)]
pub struct ConformOptions {
    /// At most this many deviation groups, variants and headlines per scope.
    pub top: usize,
    /// Family-wise error rate for Holm's correction.
    pub alpha: f64,
    /// Groups smaller than this are not tested.
    pub min_group: u64,
    /// Outcomes with fewer customers than this having it (or not having it), group and
    /// reference together, are not tested.
    pub min_outcomes: u64,
    /// Only this persona's customers.
    pub persona: Option<String>,
    /// The value column the log's `Case::value` was summed from, if any.
    pub value_col: Option<String>,
    /// The event files and customers file, as the user named them (for the report).
    pub events: Vec<String>,
    pub customers: Option<String>,
}

impl Default for ConformOptions {
    fn default() -> Self {
        ConformOptions {
            top: 10,
            alpha: 0.05,
            min_group: 30,
            min_outcomes: 10,
            persona: None,
            value_col: None,
            events: Vec::new(),
            customers: None,
        }
    }
}

/// Why the log cannot be compared with the map.
#[derive(Debug, Clone, PartialEq)]
pub enum ConformError {
    /// An activity of the log is not a step of the map (the log was not read by step).
    NotAStep(String),
    /// `--persona` names no persona of the map.
    UnknownPersona(String),
}

impl fmt::Display for ConformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConformError::NotAStep(activity) => write!(
                f,
                "activity `{activity}` is not a step of the map; conformance needs events read by step"
            ),
            ConformError::UnknownPersona(id) => write!(f, "the map has no persona `{id}`"),
        }
    }
}

impl std::error::Error for ConformError {}

/// What `compare` needs beyond the options.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) alpha: f64,
    pub(crate) min_group: u64,
    pub(crate) min_outcomes: u64,
    pub(crate) top: usize,
}

/// Compares every customer of `log` (read by step with `map`) with the designed order.
pub fn conform(
    map: &Map,
    log: &CaseLog,
    options: &ConformOptions,
) -> Result<Conformance, ConformError> {
    let design = Design::new(map, &log.outcomes);
    let order_of: Vec<usize> = log
        .activities
        .iter()
        .map(|a| {
            design
                .steps
                .iter()
                .position(|s| &s.id == a)
                .ok_or_else(|| ConformError::NotAStep(a.clone()))
        })
        .collect::<Result<_, _>>()?;
    // The log's persona indexes, as the map's.
    let persona_of: Vec<Option<usize>> = log
        .personas
        .iter()
        .map(|id| map.personas.iter().position(|p| &p.id == id))
        .collect();
    let only = match &options.persona {
        Some(id) => Some(
            map.personas
                .iter()
                .position(|p| &p.id == id)
                .ok_or_else(|| ConformError::UnknownPersona(id.clone()))?,
        ),
        None => None,
    };
    let outcomes = log.outcomes.len().min(64);
    let mut everyone = Scope::new(&design, outcomes);
    let mut personas: Vec<Scope> = (0..map.personas.len())
        .map(|_| Scope::new(&design, outcomes))
        .collect();
    let mut steps = Vec::new();
    for (c, case) in log.cases.iter().enumerate() {
        let persona = case
            .persona
            .and_then(|p| persona_of.get(usize::from(p)).copied().flatten());
        if only.is_some() && persona != only {
            continue;
        }
        steps.clear();
        steps.extend(
            log.case_events(c)
                .iter()
                .map(|e| order_of[e.activity as usize]),
        );
        if steps.is_empty() {
            continue;
        }
        let path = design.path_index(persona);
        let journey = journey::journey(&design, &design.paths[path], &steps);
        let facts = Facts {
            outcomes: case.outcomes,
            value: if options.value_col.is_some() {
                case.value.unwrap_or(0.0)
            } else {
                0.0
            },
        };
        everyone.add(&design, path, &journey, facts);
        if let Some(p) = persona {
            personas[p].add(&design, path, &journey, facts);
        }
    }
    let settings = Settings {
        alpha: options.alpha,
        min_group: options.min_group,
        min_outcomes: options.min_outcomes,
        top: options.top,
    };
    let outcome_ids = &log.outcomes[..outcomes];
    let value_col = options.value_col.as_deref();
    let customers_analysed = everyone.all.n;
    let everyone = everyone.finish(&design, outcome_ids, value_col, &settings);
    let personas: BTreeMap<String, _> = personas
        .into_iter()
        .enumerate()
        .filter(|(p, _)| only.is_none_or(|o| o == *p))
        .map(|(p, scope)| {
            (
                map.personas[p].id.clone(),
                scope.finish(&design, outcome_ids, value_col, &settings),
            )
        })
        .collect();
    Ok(Conformance {
        version: CONFORMANCE_VERSION,
        journey: JourneyRef {
            id: map.journey.id.clone(),
            name: map.journey.name.clone(),
            state: map.journey.state.as_str().to_owned(),
        },
        inputs: ConformInputs {
            events: options.events.clone(),
            customers: options.customers.clone(),
            event_rows: log.rows_read,
            unmapped_events: log.rows_dropped,
            bad_rows: log.bad_rows.count,
            customers_analysed,
            persona: options.persona.clone(),
            value_col: options.value_col.clone(),
        },
        settings: ConformSettings {
            significance_test: SIGNIFICANCE_TEST.to_owned(),
            correction: "Holm's step-down correction over every p-value of a scope (everyone, or one persona)".to_owned(),
            alpha: options.alpha,
            min_group: options.min_group,
            min_outcomes: options.min_outcomes,
        },
        design: design
            .steps
            .iter()
            .map(|s| DesignedStep {
                id: s.id.clone(),
                name: s.name.clone(),
                stage: design.stages[s.stage].0.clone(),
                stage_name: design.stages[s.stage].1.clone(),
                optional: s.optional,
                personas: s.personas.iter().map(|p| map.personas[*p].id.clone()).collect(),
                observable: s.observable,
            })
            .collect(),
        everyone,
        personas,
    })
}

/// The customers of one persona (a map persona id) as a log of their own, e.g. for a
/// per-persona directly-follows graph. `None` when the log has no such persona.
pub fn persona_log(log: &CaseLog, persona: &str) -> Option<CaseLog> {
    let index = log.personas.iter().position(|p| p == persona)?;
    let mut subset = CaseLog {
        activities: log.activities.clone(),
        outcomes: log.outcomes.clone(),
        personas: log.personas.clone(),
        rows_read: log.rows_read,
        rows_dropped: log.rows_dropped,
        bad_rows: log.bad_rows.clone(),
        ..CaseLog::default()
    };
    for (c, case) in log.cases.iter().enumerate() {
        if case.persona.map(usize::from) != Some(index) {
            continue;
        }
        let copy = subset.push_case(log.case_id(case), log.case_events(c).iter().copied());
        copy.persona = case.persona;
        copy.outcomes = case.outcomes;
        copy.value = case.value;
    }
    Some(subset)
}
