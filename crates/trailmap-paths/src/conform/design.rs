//! The designed order: every step in map order, and each persona's path through it.

use trailmap_model::Map;

/// One step of the map, in map order (its index is its *order*).
#[derive(Debug, Clone)]
pub(crate) struct DesignStep {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) stage: usize,
    pub(crate) optional: bool,
    /// Indexes into the map's personas; empty means every persona.
    pub(crate) personas: Vec<usize>,
    /// The step has a `match`: data can show it. Steps without one are on nobody's path.
    pub(crate) observable: bool,
    /// Bit i: the step's `match` is outcome i's expression (the log's outcome order), so the
    /// outcome is the step's own events.
    pub(crate) same_as_outcomes: u64,
}

/// The steps expected of one kind of customer (one persona, or customers with none).
#[derive(Debug, Clone)]
pub(crate) struct Path {
    /// Per step (by order): the step is on this path.
    pub(crate) on: Vec<bool>,
    /// Per step: on the path and not optional, so skipping it breaks the order.
    pub(crate) required: Vec<bool>,
    /// Per step: a journey that follows the map may start here (a step on the path up to and
    /// including the first required one).
    pub(crate) entry: Vec<bool>,
    /// The last stage with a step on the path.
    pub(crate) last_stage: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Design {
    pub(crate) steps: Vec<DesignStep>,
    /// Stage ids and names, in map order.
    pub(crate) stages: Vec<(String, String)>,
    /// The order of each stage's first step.
    pub(crate) stage_start: Vec<usize>,
    /// One path per map persona, then one for customers without a persona (last).
    pub(crate) paths: Vec<Path>,
}

impl Design {
    /// The design of `map`; `outcomes` are the outcome ids in bit order.
    pub(crate) fn new(map: &Map, outcomes: &[String]) -> Design {
        let normal = |expr: &str| expr.split_whitespace().collect::<Vec<_>>().join(" ");
        let persona_idx = |id: &String| map.personas.iter().position(|p| &p.id == id);
        let steps: Vec<DesignStep> = map
            .steps()
            .map(|s| DesignStep {
                id: s.step.id.clone(),
                name: s.step.name.clone(),
                stage: s.stage_idx,
                optional: s.step.optional,
                personas: s.step.personas.iter().filter_map(persona_idx).collect(),
                observable: s.step.matcher.is_some(),
                same_as_outcomes: outcomes
                    .iter()
                    .take(64)
                    .enumerate()
                    .filter(|(_, id)| {
                        let outcome = map.outcomes.get(*id).map(|e| normal(e));
                        outcome.is_some() && outcome == s.step.matcher.as_deref().map(normal)
                    })
                    .fold(0u64, |mask, (i, _)| mask | (1 << i)),
            })
            .collect();
        let stages = map
            .stages
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect();
        let mut stage_start = vec![0; map.stages.len()];
        for (order, step) in steps.iter().enumerate().rev() {
            stage_start[step.stage] = order;
        }
        let mut paths: Vec<Path> = (0..map.personas.len())
            .map(|p| {
                Path::new(&steps, |s| {
                    let on = s.observable && (s.personas.is_empty() || s.personas.contains(&p));
                    (on, on && !s.optional)
                })
            })
            .collect();
        // Customers without a persona: every step is on their path, but a step meant only for
        // some personas is not expected of them (we cannot tell whether they are one).
        paths.push(Path::new(&steps, |s| {
            (
                s.observable,
                s.observable && !s.optional && s.personas.is_empty(),
            )
        }));
        Design {
            steps,
            stages,
            stage_start,
            paths,
        }
    }

    /// The path of customers of `persona` (`None`: no persona).
    #[cfg(test)]
    pub(crate) fn path(&self, persona: Option<usize>) -> &Path {
        match persona {
            Some(p) if p + 1 < self.paths.len() => &self.paths[p],
            _ => self
                .paths
                .last()
                .expect("a design always has the no-persona path"),
        }
    }

    pub(crate) fn path_index(&self, persona: Option<usize>) -> usize {
        match persona {
            Some(p) if p + 1 < self.paths.len() => p,
            _ => self.paths.len() - 1,
        }
    }
}

impl Path {
    fn new(steps: &[DesignStep], kind: impl Fn(&DesignStep) -> (bool, bool)) -> Path {
        let (on, required): (Vec<bool>, Vec<bool>) = steps.iter().map(kind).unzip();
        let mut entry = vec![false; steps.len()];
        for order in 0..steps.len() {
            if on[order] {
                entry[order] = true;
                if required[order] {
                    break;
                }
            }
        }
        let last_stage = (0..steps.len())
            .rev()
            .find(|&o| on[o])
            .map_or(0, |o| steps[o].stage);
        Path {
            on,
            required,
            entry,
            last_stage,
        }
    }
}
