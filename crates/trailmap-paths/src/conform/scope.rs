//! The figures of one scope (everyone, or one persona), accumulated customer by customer.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;
use trailmap_model::conformance::{
    BackwardMove, ConformanceFigures, DeviationCounts, Fitness, OutcomeRates, StageCount,
    StepConformance, ValueRates,
};

use super::compare::{Strata, Tally, build_groups};
use super::design::Design;
use super::journey::{Deviation, Journey};

/// What a customer brings to every group they are in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts {
    pub(crate) outcomes: u64,
    pub(crate) value: f64,
}

#[derive(Debug, Clone, Default)]
struct StepCounts {
    expected: u64,
    took: u64,
    skipped: u64,
    looped: u64,
    out_of_order: u64,
    unexpected_entry: u64,
    off_persona: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct GroupAcc {
    pub(crate) members: Strata,
    /// Members who follow the map and fall in the reference group (only when skipping an
    /// optional step): taken out of the reference so a group is never compared with itself.
    pub(crate) in_reference: Strata,
}

#[derive(Debug, Clone)]
pub(crate) struct VariantAcc {
    pub(crate) members: Strata,
    pub(crate) deviations: BTreeSet<Deviation>,
}

/// Accumulates one scope.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    outcomes: usize,
    pub(crate) all: Tally,
    pub(crate) following: Tally,
    /// `[path][furthest step order]`: customers who follow the map.
    pub(crate) following_at: Vec<Vec<Tally>>,
    cost: u64,
    worst: u64,
    prefix_cost: u64,
    prefix_worst: u64,
    fitness_sum: f64,
    prefix_fitness_sum: f64,
    perfect: u64,
    reached_last_stage: u64,
    ended_in: Vec<u64>,
    repeated: u64,
    deviating: DeviationCounts,
    steps: Vec<StepCounts>,
    backward: BTreeMap<(usize, usize), (u64, u64)>,
    pub(crate) groups: FxHashMap<Deviation, GroupAcc>,
    pub(crate) variants: FxHashMap<Vec<usize>, VariantAcc>,
}

impl Scope {
    pub(crate) fn new(design: &Design, outcomes: usize) -> Scope {
        let steps = design.steps.len();
        Scope {
            outcomes,
            all: Tally::new(outcomes),
            following: Tally::new(outcomes),
            following_at: vec![vec![Tally::new(outcomes); steps]; design.paths.len()],
            cost: 0,
            worst: 0,
            prefix_cost: 0,
            prefix_worst: 0,
            fitness_sum: 0.0,
            prefix_fitness_sum: 0.0,
            perfect: 0,
            reached_last_stage: 0,
            ended_in: vec![0; design.stages.len()],
            repeated: 0,
            deviating: DeviationCounts::default(),
            steps: vec![StepCounts::default(); steps],
            backward: BTreeMap::new(),
            groups: FxHashMap::default(),
            variants: FxHashMap::default(),
        }
    }

    /// Adds one customer whose path is `design.paths[path]`.
    pub(crate) fn add(&mut self, design: &Design, path: usize, journey: &Journey, facts: Facts) {
        let on_path = &design.paths[path];
        let paths = design.paths.len();
        self.all.add(facts);
        let a = &journey.alignment;
        self.cost += a.cost;
        self.worst += a.worst;
        self.prefix_cost += a.prefix_cost;
        self.prefix_worst += a.prefix_worst;
        self.fitness_sum += a.fitness();
        self.prefix_fitness_sum += a.prefix_fitness();
        if a.cost == 0 {
            self.perfect += 1;
        }
        if journey.last_stage >= on_path.last_stage {
            self.reached_last_stage += 1;
        } else {
            self.ended_in[journey.last_stage] += 1;
        }
        if journey.repeated {
            self.repeated += 1;
        }
        if journey.follows {
            self.following.add(facts);
            self.following_at[path][journey.furthest].add(facts);
        }
        for (order, counts) in self.steps.iter_mut().enumerate() {
            counts.expected += u64::from(on_path.on[order]);
            counts.took += u64::from(journey.took[order]);
        }
        let mut kinds = [false; 6];
        for deviation in &journey.deviations {
            let counts = &mut self.steps;
            match deviation {
                Deviation::Skip(s) => {
                    counts[*s].skipped += 1;
                    kinds[0] |= !design.steps[*s].optional;
                }
                Deviation::Backward(..) => kinds[1] = true,
                Deviation::Loop(s) => {
                    counts[*s].looped += 1;
                    kinds[2] = true;
                }
                Deviation::OutOfOrder(s) => {
                    counts[*s].out_of_order += 1;
                    kinds[3] = true;
                }
                Deviation::UnexpectedEntry(s) => {
                    counts[*s].unexpected_entry += 1;
                    kinds[4] = true;
                }
                Deviation::OffPersona(s) => {
                    counts[*s].off_persona += 1;
                    kinds[5] = true;
                }
            }
            let group = self
                .groups
                .entry(deviation.clone())
                .or_insert_with(|| GroupAcc {
                    members: Strata::new(paths, self.outcomes),
                    in_reference: Strata::new(paths, self.outcomes),
                });
            group.members.add(path, facts);
            if journey.follows && reference_admits(design, deviation, path, journey.furthest) {
                group.in_reference.add(path, facts);
            }
        }
        let d = &mut self.deviating;
        for (count, hit) in [
            &mut d.skip,
            &mut d.backward,
            &mut d.looped,
            &mut d.out_of_order,
            &mut d.unexpected_entry,
            &mut d.off_persona,
        ]
        .into_iter()
        .zip(kinds)
        {
            *count += u64::from(hit);
        }
        for (key, moves) in &journey.backward_moves {
            let entry = self.backward.entry(*key).or_default();
            entry.0 += 1;
            entry.1 += moves;
        }
        if !journey.follows {
            let variant = self
                .variants
                .entry(journey.visits.clone())
                .or_insert_with(|| VariantAcc {
                    members: Strata::new(paths, self.outcomes),
                    deviations: BTreeSet::new(),
                });
            variant.members.add(path, facts);
            variant.deviations.extend(
                journey
                    .deviations
                    .iter()
                    .filter(|d| d.breaks_order(design))
                    .cloned(),
            );
        }
    }

    /// The scope's figures. `outcomes` are the outcome ids (bit order), `value_col` the value
    /// column when there is one.
    pub(crate) fn finish(
        self,
        design: &Design,
        outcomes: &[String],
        value_col: Option<&str>,
        settings: &super::Settings,
    ) -> ConformanceFigures {
        let n = self.all.n;
        let share = |k: u64| (n > 0).then(|| k as f64 / n as f64);
        let ratio = |a: u64, b: u64| (b > 0).then(|| 1.0 - a as f64 / b as f64);
        let mean = |sum: f64| (n > 0).then(|| sum / n as f64);
        let fitness = Fitness {
            log: ratio(self.cost, self.worst),
            mean: mean(self.fitness_sum),
            prefix_log: ratio(self.prefix_cost, self.prefix_worst),
            prefix_mean: mean(self.prefix_fitness_sum),
            perfect: self.perfect,
        };
        let ended_in: Vec<StageCount> = self
            .ended_in
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(stage, c)| StageCount {
                stage: design.stages[stage].0.clone(),
                customers: *c,
            })
            .collect();
        let steps = self
            .steps
            .iter()
            .zip(&design.steps)
            .map(|(c, s)| StepConformance {
                step: s.id.clone(),
                optional: s.optional,
                expected: c.expected,
                took: c.took,
                skipped: c.skipped,
                looped: c.looped,
                out_of_order: c.out_of_order,
                unexpected_entry: c.unexpected_entry,
                off_persona: c.off_persona,
            })
            .collect();
        let mut backward_moves: Vec<BackwardMove> = self
            .backward
            .iter()
            .map(|((from, to), (customers, moves))| BackwardMove {
                from_stage: design.stages[*from].0.clone(),
                to_stage: design.stages[*to].0.clone(),
                customers: *customers,
                moves: *moves,
            })
            .collect();
        backward_moves.sort_by_key(|m| std::cmp::Reverse(m.customers));
        let outcome_rates = outcomes
            .iter()
            .enumerate()
            .map(|(i, id)| {
                (
                    id.clone(),
                    OutcomeRates {
                        everyone: self.all.rate(i),
                        following: self.following.rate(i),
                    },
                )
            })
            .collect();
        let value = value_col.map(|_| ValueRates {
            everyone: self.all.mean(),
            following: self.following.mean(),
        });
        let groups = build_groups(design, &self, outcomes, value_col, settings);
        ConformanceFigures {
            customers: n,
            following: self.following.n,
            following_share: share(self.following.n),
            fitness,
            reached_last_stage: self.reached_last_stage,
            ended_early: self.ended_in.iter().sum(),
            ended_in,
            repeated_in_a_row: self.repeated,
            deviating: self.deviating.clone(),
            steps,
            backward_moves,
            outcomes: outcome_rates,
            value,
            deviations: groups.deviations,
            deviations_total: groups.deviations_total,
            variants: groups.variants,
            variants_total: groups.variants_total,
            headlines: groups.headlines,
        }
    }
}

/// How far into the map a customer who follows it must have got (their furthest step order at
/// least this) to be in a deviation's reference group, and whether the step must be on their path.
pub(crate) fn threshold(design: &Design, deviation: &Deviation) -> (usize, Option<usize>) {
    match deviation {
        Deviation::Skip(s) | Deviation::OutOfOrder(s) => (s + 1, Some(*s)),
        Deviation::Loop(s) | Deviation::UnexpectedEntry(s) => (*s, Some(*s)),
        Deviation::OffPersona(s) => (*s, None),
        Deviation::Backward(from, _) => (design.stage_start[*from], None),
    }
}

fn reference_admits(design: &Design, deviation: &Deviation, path: usize, furthest: usize) -> bool {
    let (at_least, on_path) = threshold(design, deviation);
    furthest >= at_least && on_path.is_none_or(|s| design.paths[path].on[s])
}
