//! What a rendering shows: the map after the persona filter, with empty lanes collapsed, and
//! each step's measured figures when evidence was given.
//!
//! The HTML and SVG renderers both draw a [`View`], so they always agree on which steps,
//! pain points and lanes appear.

use trailmap_model::analysis::Analysis;
use trailmap_model::{Map, PainPoint, Persona, Stage, Step};

use crate::evidence::{self, Measured};
use crate::{Date, Lane, RenderOptions};

pub(crate) struct View<'a> {
    pub(crate) map: &'a Map,
    /// The persona cards to draw: all personas, or only the one asked for.
    pub(crate) personas: Vec<&'a Persona>,
    /// Stages with at least one drawn step, in map order.
    pub(crate) stages: Vec<StageView<'a>>,
    /// The lanes to draw, in [`Lane::ALL`] order: asked for, and not empty.
    pub(crate) lanes: Vec<Lane>,
    /// The persona whose journey this is, when the options picked one.
    pub(crate) persona: Option<&'a str>,
    /// What `trailmap analyze` measured, when it was given.
    pub(crate) evidence: Option<&'a Analysis>,
    /// The day evidence ages are counted from.
    pub(crate) today: Option<Date>,
}

pub(crate) struct StageView<'a> {
    pub(crate) stage: &'a Stage,
    pub(crate) steps: Vec<StepView<'a>>,
}

pub(crate) struct StepView<'a> {
    pub(crate) step: &'a Step,
    /// The step's column among the drawn steps, from 0.
    pub(crate) column: usize,
    /// Its position in the whole map, from 1: stays the same whatever is filtered out.
    pub(crate) number: usize,
    /// The pain points the chosen persona feels (all of them without a persona filter).
    pub(crate) pain_points: Vec<&'a PainPoint>,
    /// What the data says about this step, for the customers drawn.
    pub(crate) measured: Measured<'a>,
}

impl<'a> View<'a> {
    pub(crate) fn new(map: &'a Map, options: &'a RenderOptions) -> View<'a> {
        let persona = options.persona.as_deref();
        let analysis = options.evidence.as_ref();
        let personas = map
            .personas
            .iter()
            .filter(|p| persona.is_none_or(|id| p.id == id))
            .collect();
        let mut stages: Vec<StageView<'a>> = Vec::new();
        let mut column = 0;
        for step_ref in map.steps() {
            let step = step_ref.step;
            let takes_step = persona
                .is_none_or(|id| step.personas.is_empty() || step.personas.iter().any(|p| p == id));
            if !takes_step {
                continue;
            }
            let pain_points = step
                .pain_points
                .iter()
                .filter(|pain| match (persona, pain.persona.as_deref()) {
                    (Some(id), Some(theirs)) => id == theirs,
                    _ => true,
                })
                .collect();
            let step_view = StepView {
                step,
                column,
                number: step_ref.order + 1,
                pain_points,
                measured: Measured::of(analysis, &step.id, persona),
            };
            column += 1;
            match stages.last_mut() {
                Some(last) if std::ptr::eq(last.stage, step_ref.stage) => {
                    last.steps.push(step_view)
                }
                _ => stages.push(StageView {
                    stage: step_ref.stage,
                    steps: vec![step_view],
                }),
            }
        }
        let lanes = Lane::ALL
            .into_iter()
            .filter(|&lane| options.wants(lane))
            .filter(|&lane| {
                stages
                    .iter()
                    .flat_map(|s| &s.steps)
                    .any(|step| step.has(lane))
            })
            .collect();
        View {
            map,
            personas,
            stages,
            lanes,
            persona,
            evidence: analysis,
            today: options.today,
        }
    }

    pub(crate) fn steps(&self) -> impl Iterator<Item = &StepView<'a>> {
        self.stages.iter().flat_map(|s| &s.steps)
    }

    pub(crate) fn n_steps(&self) -> usize {
        self.stages.iter().map(|s| s.steps.len()).sum()
    }

    pub(crate) fn department_name(&self, id: &'a str) -> &'a str {
        self.map.department(id).map_or(id, |d| d.name.as_str())
    }

    pub(crate) fn persona_name<'s>(&'s self, id: &'s str) -> &'s str {
        self.map.persona(id).map_or(id, |p| p.name.as_str())
    }

    /// The index of a persona in the map, which picks its colour.
    pub(crate) fn persona_index(&self, id: &str) -> usize {
        self.map
            .personas
            .iter()
            .position(|p| p.id == id)
            .unwrap_or(0)
    }
}

impl StepView<'_> {
    /// Whether this step has anything to draw in `lane`.
    pub(crate) fn has(&self, lane: Lane) -> bool {
        let step = self.step;
        let filled = |text: &Option<String>| text.as_deref().is_some_and(|t| !t.trim().is_empty());
        match lane {
            Lane::Does => filled(&step.customer.does),
            Lane::Goal => filled(&step.customer.goal),
            Lane::Thinks => filled(&step.customer.thinks),
            Lane::Feels => filled(&step.customer.feels),
            Lane::Emotion => {
                step.customer.emotion.is_some()
                    || self
                        .measured
                        .figures()
                        .and_then(evidence::measured_emotion)
                        .is_some()
            }
            // Every step gets a figure or a "no evidence" mark once there is evidence at all.
            Lane::Reach => !matches!(self.measured, Measured::NotAsked),
            Lane::Feedback => self.measured.figures().is_some_and(|f| {
                [&f.feedback.nps, &f.feedback.csat, &f.feedback.ces]
                    .iter()
                    .any(|s| s.n > 0 && s.score.is_some())
                    || (f.sentiment.n > 0 && f.sentiment.mean.is_some())
            }),
            Lane::Outcomes => self
                .measured
                .figures()
                .is_some_and(|f| f.outcomes.values().any(|o| o.rate_after.is_some())),
            Lane::Touchpoints => !step.touchpoints.is_empty(),
            Lane::Frontstage => filled(&step.business.frontstage),
            Lane::Backstage => filled(&step.business.backstage),
            Lane::Department => step.department.is_some(),
            Lane::Employee => {
                filled(&step.employee.does)
                    || filled(&step.employee.feels)
                    || filled(&step.employee.tools)
            }
            Lane::PainPoints => !self.pain_points.is_empty(),
            Lane::Opportunities => !step.opportunities.is_empty(),
            Lane::Kpis => !step.kpis.is_empty(),
        }
    }
}
