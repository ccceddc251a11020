//! The map turned into what the scan needs: one predicate per step, outcome, step feedback and
//! persona rule, checked against the files' columns before any row is read.

use trailmap_model::Map;

use crate::error::{EngineError, ExprSite};
use crate::expr::Predicate;

/// The most steps one analysis handles: a step set is a `u128` bit mask per event.
pub(crate) const MAX_STEPS: usize = 128;
/// The most outcomes one analysis handles: an outcome set is a `u32` bit mask per event.
pub(crate) const MAX_OUTCOMES: usize = 32;

pub(crate) struct Plan {
    pub(crate) steps: Vec<PlannedStep>,
    pub(crate) outcomes: Vec<(String, Predicate)>,
    pub(crate) personas: Vec<(String, Option<Predicate>)>,
    /// Stage index of each step, and the stages' ids.
    pub(crate) stages: Vec<String>,
    /// Bits of the steps that collect their own feedback (`feedback:`); time-based attribution
    /// skips them.
    pub(crate) own_feedback_mask: u128,
}

pub(crate) struct PlannedStep {
    pub(crate) id: String,
    pub(crate) stage_idx: usize,
    pub(crate) matcher: Option<Predicate>,
    pub(crate) feedback: Option<Predicate>,
}

impl Plan {
    pub(crate) fn new(map: &Map) -> Result<Plan, EngineError> {
        let n_steps = map.steps().count();
        if n_steps > MAX_STEPS {
            return Err(EngineError::Unsupported(format!(
                "the map has {n_steps} steps; `analyze` handles at most {MAX_STEPS}"
            )));
        }
        if map.outcomes.len() > MAX_OUTCOMES {
            return Err(EngineError::Unsupported(format!(
                "the map has {} outcomes; `analyze` handles at most {MAX_OUTCOMES}",
                map.outcomes.len()
            )));
        }
        let mut steps = Vec::with_capacity(n_steps);
        let mut own_feedback_mask = 0u128;
        for s in map.steps() {
            let id = s.step.id.clone();
            let matcher = s
                .step
                .matcher
                .as_deref()
                .map(|m| Predicate::parse(m, ExprSite::StepMatch { step: id.clone() }))
                .transpose()?;
            let feedback = s
                .step
                .feedback
                .as_deref()
                .map(|m| Predicate::parse(m, ExprSite::StepFeedback { step: id.clone() }))
                .transpose()?;
            if feedback.is_some() {
                own_feedback_mask |= 1u128 << s.order;
            }
            steps.push(PlannedStep {
                id,
                stage_idx: s.stage_idx,
                matcher,
                feedback,
            });
        }
        let outcomes = map
            .outcomes
            .iter()
            .map(|(name, expr)| {
                Ok((
                    name.clone(),
                    Predicate::parse(expr, ExprSite::Outcome { name: name.clone() })?,
                ))
            })
            .collect::<Result<_, EngineError>>()?;
        let personas = map
            .personas
            .iter()
            .map(|p| {
                let rule = p
                    .rule
                    .as_deref()
                    .map(|r| {
                        Predicate::parse(
                            r,
                            ExprSite::PersonaRule {
                                persona: p.id.clone(),
                            },
                        )
                    })
                    .transpose()?;
                Ok((p.id.clone(), rule))
            })
            .collect::<Result<_, EngineError>>()?;
        Ok(Plan {
            steps,
            outcomes,
            personas,
            stages: map.stages.iter().map(|s| s.id.clone()).collect(),
            own_feedback_mask,
        })
    }

    /// The event predicates (step matches and feedback, outcomes), for column checks.
    pub(crate) fn event_predicates(&self) -> impl Iterator<Item = &Predicate> {
        self.steps
            .iter()
            .flat_map(|s| s.matcher.iter().chain(s.feedback.iter()))
            .chain(self.outcomes.iter().map(|(_, p)| p))
    }

    pub(crate) fn persona_predicates(&self) -> impl Iterator<Item = &Predicate> {
        self.personas.iter().filter_map(|(_, p)| p.as_ref())
    }
}

/// Fails with [`EngineError::UnknownColumn`] when a predicate reads a column the file lacks.
pub(crate) fn check_columns<'a>(
    predicates: impl Iterator<Item = &'a Predicate>,
    columns: &[String],
    path: &std::path::Path,
) -> Result<(), EngineError> {
    for predicate in predicates {
        for column in predicate.columns() {
            let known = columns
                .iter()
                .any(|c| c == column || c.eq_ignore_ascii_case(column));
            if !known {
                return Err(EngineError::UnknownColumn {
                    site: predicate.site().clone(),
                    column: column.clone(),
                    path: path.to_owned(),
                    available: columns.to_vec(),
                });
            }
        }
    }
    Ok(())
}
