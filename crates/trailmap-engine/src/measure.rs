//! The per-customer pass: each customer's events in time order, turned into every figure of
//! `result.json` for all customers and for each persona.
//!
//! Definitions (exact, so a SQL query can reproduce them; `docs/evidence.md` has them for
//! users). Events are ordered per customer by time, ties in input order; map order is stage
//! order, then step order. For a step S and customer c reaching it, `t0` = first_at(c, S):
//! - continued: c has an event matching a later step (in map order) with time > t0;
//!   time to next = the time of the first such event − t0.
//! - feedback (nps, csat, ces) and text: attributed to the steps of the customer's most recent
//!   event, at or before it, that matches a step without its own `feedback:` expression, if that
//!   event is within the feedback window; an answer matching steps' `feedback:` expressions goes
//!   to those steps instead.
//! - outcome O after S: c has an O event with t0 < time <= t0 + outcome window.
//! - repeat: two of c's events matching S at most the repeat window apart.
//! - stage k: reach = customers with an event of any of its steps; reached_next = those with an
//!   event of stage k+1 after first entering stage k.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use trailmap_model::analysis::{
    Feedback, Figures, OutcomeAfter, Repeat, Score, Sentiment, StageFigures, TimeToNext, Verbatim,
};

use crate::plan::Plan;
use crate::scan::{Row, Scan};
use crate::stats;

/// Verbatims kept per step and group.
const N_VERBATIMS: usize = 3;

pub(crate) struct Windows {
    pub(crate) feedback_us: i64,
    pub(crate) outcome_us: i64,
    pub(crate) repeat_us: i64,
}

#[derive(Default, Clone)]
struct StepAcc {
    reach: u64,
    continued: u64,
    ttn_s: Vec<f64>,
    nps: [u64; 11],
    csat: [u64; 5],
    ces_sum: u64,
    ces_n: u64,
    sentiment_sum: f64,
    sentiment_n: u64,
    sentiment_negative: u64,
    /// (compound, text id), the most negative first, at most N_VERBATIMS.
    worst: Vec<(f32, u32)>,
    outcome_hits: Vec<u64>,
    matching_events: u64,
    channels: FxHashMap<u16, u64>,
    initiators: [u64; 3],
    repeat_customers: u64,
}

#[derive(Default, Clone)]
struct StageAcc {
    reach: u64,
    reached_next: u64,
    times_s: Vec<f64>,
}

#[derive(Clone)]
struct GroupAcc {
    customers: u64,
    outcome_customers: Vec<u64>,
    steps: Vec<StepAcc>,
    stages: Vec<StageAcc>,
}

/// The accumulated figures: group 0 is all customers, group 1 + p is persona p, and the last
/// group is the unassigned customers.
pub(crate) struct Measured {
    groups: Vec<GroupAcc>,
}

pub(crate) fn measure(
    plan: &Plan,
    scan: &mut Scan,
    persona_of: &FxHashMap<u32, u16>,
    windows: &Windows,
) -> Measured {
    let n_steps = plan.steps.len();
    let n_outcomes = plan.outcomes.len();
    let n_groups = plan.personas.len() + 2;
    let unassigned = n_groups - 1;
    let empty = GroupAcc {
        customers: 0,
        outcome_customers: vec![0; n_outcomes],
        steps: vec![
            StepAcc {
                outcome_hits: vec![0; n_outcomes],
                ..StepAcc::default()
            };
            n_steps
        ],
        stages: vec![StageAcc::default(); plan.stages.len()],
    };
    let mut groups = vec![empty; n_groups];
    let group_of = |customer: u32| -> usize {
        persona_of
            .get(&customer)
            .map_or(unassigned, |&p| 1 + p as usize)
    };

    // Customers analysed, including those whose events all matched nothing.
    for (customer, &seen) in scan.seen.iter().enumerate() {
        if seen {
            groups[0].customers += 1;
            groups[group_of(customer as u32)].customers += 1;
        }
    }

    // The pipeline breaker: each customer's events together, in time order, ties in input order
    // (the sort is stable and rows are in input order).
    scan.rows.sort_by_key(|r| (r.customer, r.ts));

    let mut stage_masks = vec![0u128; plan.stages.len()];
    for (s, step) in plan.steps.iter().enumerate() {
        stage_masks[step.stage_idx] |= 1u128 << s;
    }
    let scan: &Scan = scan;
    let mut start = 0;
    while start < scan.rows.len() {
        let customer = scan.rows[start].customer;
        let mut end = start + 1;
        while end < scan.rows.len() && scan.rows[end].customer == customer {
            end += 1;
        }
        let group = group_of(customer);
        let one = Customer {
            rows: &scan.rows[start..end],
            plan,
            scan,
            windows,
            stage_masks: &stage_masks,
        };
        one.add_to(&mut groups, [0, group]);
        start = end;
    }
    Measured { groups }
}

struct Customer<'a> {
    rows: &'a [Row],
    plan: &'a Plan,
    scan: &'a Scan,
    windows: &'a Windows,
    stage_masks: &'a [u128],
}

impl Customer<'_> {
    fn steps(&self, row: &Row) -> u128 {
        self.scan.combos[row.combo as usize].steps
    }

    /// Adds this customer to each of `targets` (everyone, and the customer's persona): every
    /// figure is worked out once and counted in each group.
    fn add_to(&self, groups: &mut [GroupAcc], targets: [usize; 2]) {
        let rows = self.rows;
        let n_steps = self.plan.steps.len();
        let outcome_times: Vec<Vec<i64>> = (0..self.plan.outcomes.len())
            .map(|o| {
                rows.iter()
                    .filter(|r| self.scan.combos[r.combo as usize].outcomes & (1 << o) != 0)
                    .map(|r| r.ts)
                    .collect()
            })
            .collect();
        for (o, times) in outcome_times.iter().enumerate() {
            if !times.is_empty() {
                for &g in &targets {
                    groups[g].outcome_customers[o] += 1;
                }
            }
        }
        for s in 0..n_steps {
            let bit = 1u128 << s;
            let Some(first) = rows.iter().position(|r| self.steps(r) & bit != 0) else {
                continue;
            };
            let t0 = rows[first].ts;
            let mut previous: Option<i64> = None;
            let mut repeat = false;
            for row in &rows[first..] {
                if self.steps(row) & bit == 0 {
                    continue;
                }
                for &g in &targets {
                    let acc = &mut groups[g].steps[s];
                    acc.matching_events += 1;
                    *acc.channels.entry(row.channel).or_insert(0) += 1;
                    acc.initiators[row.initiator as usize] += 1;
                }
                if previous.is_some_and(|p| row.ts - p <= self.windows.repeat_us) {
                    repeat = true;
                }
                previous = Some(row.ts);
            }
            let next = (s + 1 < n_steps)
                .then(|| {
                    let later = !0u128 << (s + 1);
                    rows[first + 1..]
                        .iter()
                        .find(|r| r.ts > t0 && self.steps(r) & later != 0)
                })
                .flatten();
            let outcome_hits: Vec<bool> = outcome_times
                .iter()
                .map(|times| {
                    let after = times.partition_point(|&t| t <= t0);
                    times
                        .get(after)
                        .is_some_and(|&t| t - t0 <= self.windows.outcome_us)
                })
                .collect();
            for &g in &targets {
                let acc = &mut groups[g].steps[s];
                acc.reach += 1;
                if repeat {
                    acc.repeat_customers += 1;
                }
                if let Some(next) = next {
                    acc.continued += 1;
                    acc.ttn_s.push((next.ts - t0) as f64 / 1e6);
                }
                for (o, &hit) in outcome_hits.iter().enumerate() {
                    if hit {
                        acc.outcome_hits[o] += 1;
                    }
                }
            }
        }
        self.feedback(groups, targets);
        for (k, &mask) in self.stage_masks.iter().enumerate() {
            let Some(first) = rows.iter().position(|r| self.steps(r) & mask != 0) else {
                continue;
            };
            let t0 = rows[first].ts;
            let next = self.stage_masks.get(k + 1).and_then(|&next_mask| {
                rows[first + 1..]
                    .iter()
                    .find(|r| r.ts > t0 && self.steps(r) & next_mask != 0)
            });
            for &g in &targets {
                let acc = &mut groups[g].stages[k];
                acc.reach += 1;
                if let Some(next) = next {
                    acc.reached_next += 1;
                    acc.times_s.push((next.ts - t0) as f64 / 1e6);
                }
            }
        }
    }

    fn feedback(&self, groups: &mut [GroupAcc], targets: [usize; 2]) {
        let own = self.plan.own_feedback_mask;
        let mut last_step: Option<&Row> = None;
        for row in self.rows {
            let combo = &self.scan.combos[row.combo as usize];
            if combo.steps & !own != 0 {
                last_step = Some(row);
            }
            if !row.has_feedback() {
                continue;
            }
            let steps = if combo.feedback_steps != 0 {
                combo.feedback_steps
            } else {
                match last_step {
                    Some(step_row) if row.ts - step_row.ts <= self.windows.feedback_us => {
                        self.scan.combos[step_row.combo as usize].steps & !own
                    }
                    _ => 0,
                }
            };
            let compound = (row.text != u32::MAX).then(|| self.scan.texts[row.text as usize].1);
            let mut bits = steps;
            while bits != 0 {
                let s = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                for &g in &targets {
                    let acc = &mut groups[g].steps[s];
                    if row.nps >= 0 {
                        acc.nps[row.nps as usize] += 1;
                    }
                    if row.csat >= 1 {
                        acc.csat[row.csat as usize - 1] += 1;
                    }
                    if row.ces >= 1 {
                        acc.ces_sum += row.ces as u64;
                        acc.ces_n += 1;
                    }
                    if let Some(compound) = compound {
                        acc.sentiment_sum += f64::from(compound);
                        acc.sentiment_n += 1;
                        if crate::sentiment::is_negative(f64::from(compound)) {
                            acc.sentiment_negative += 1;
                            let at = acc.worst.partition_point(|&(c, _)| c <= compound);
                            if at < N_VERBATIMS {
                                acc.worst.insert(at, (compound, row.text));
                                acc.worst.truncate(N_VERBATIMS);
                            }
                        }
                    }
                }
            }
        }
    }
}

fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

impl Measured {
    /// Customers analysed in group `g`.
    pub(crate) fn customers(&self, g: usize) -> u64 {
        self.groups[g].customers
    }

    /// Outcome `o`'s baseline in group `g`: the share of its customers with the outcome.
    pub(crate) fn baseline(&self, g: usize, o: usize) -> Option<f64> {
        ratio(
            self.groups[g].outcome_customers[o],
            self.groups[g].customers,
        )
    }

    pub(crate) fn outcome_customers(&self, g: usize, o: usize) -> u64 {
        self.groups[g].outcome_customers[o]
    }

    pub(crate) fn step_figures(&mut self, plan: &Plan, scan: &Scan, g: usize, s: usize) -> Figures {
        let is_last = s + 1 == plan.steps.len();
        let baselines: Vec<Option<f64>> = (0..plan.outcomes.len())
            .map(|o| self.baseline(g, o))
            .collect();
        let acc = &mut self.groups[g].steps[s];
        let continue_rate = if is_last {
            None
        } else {
            ratio(acc.continued, acc.reach)
        };
        acc.ttn_s.sort_unstable_by(f64::total_cmp);
        let ttn = &acc.ttn_s;
        let nps_n: u64 = acc.nps.iter().sum();
        let promoters = acc.nps[9] + acc.nps[10];
        let detractors: u64 = acc.nps[..=6].iter().sum();
        let csat_n: u64 = acc.csat.iter().sum();
        let outcomes = plan
            .outcomes
            .iter()
            .enumerate()
            .map(|(o, (name, _))| {
                let hits = acc.outcome_hits[o];
                let rate_after = ratio(hits, acc.reach);
                let lift = match (rate_after, baselines[o]) {
                    (Some(rate), Some(base)) if base > 0.0 => Some(rate / base),
                    _ => None,
                };
                let p_value =
                    baselines[o].and_then(|base| stats::proportion_p_value(hits, acc.reach, base));
                (
                    name.clone(),
                    OutcomeAfter {
                        n: hits,
                        rate_after,
                        lift,
                        p_value,
                    },
                )
            })
            .collect();
        let mut channels = BTreeMap::new();
        for (&channel, &count) in &acc.channels {
            let name = match scan.channels.name(u32::from(channel)) {
                "" => "(none)".to_owned(),
                name => name.to_owned(),
            };
            channels.insert(name, count as f64 / acc.matching_events as f64);
        }
        let mut initiators = BTreeMap::new();
        for (k, name) in ["unknown", "customer", "company"].iter().enumerate() {
            if acc.initiators[k] > 0 {
                initiators.insert(
                    (*name).to_owned(),
                    acc.initiators[k] as f64 / acc.matching_events as f64,
                );
            }
        }
        Figures {
            reach: acc.reach,
            continued: acc.continued,
            continue_rate,
            drop_off_rate: continue_rate.map(|r| 1.0 - r),
            time_to_next: TimeToNext {
                n: ttn.len() as u64,
                median_s: (!ttn.is_empty()).then(|| stats::quantile_sorted(ttn, 0.5)),
                p90_s: (!ttn.is_empty()).then(|| stats::quantile_sorted(ttn, 0.9)),
            },
            feedback: Feedback {
                nps: Score {
                    score: (nps_n > 0)
                        .then(|| 100.0 * (promoters as f64 - detractors as f64) / nps_n as f64),
                    n: nps_n,
                },
                csat: Score {
                    score: (csat_n > 0)
                        .then(|| 100.0 * (acc.csat[3] + acc.csat[4]) as f64 / csat_n as f64),
                    n: csat_n,
                },
                ces: Score {
                    score: ratio(acc.ces_sum, acc.ces_n),
                    n: acc.ces_n,
                },
            },
            sentiment: Sentiment {
                mean: (acc.sentiment_n > 0).then(|| acc.sentiment_sum / acc.sentiment_n as f64),
                share_negative: ratio(acc.sentiment_negative, acc.sentiment_n),
                n: acc.sentiment_n,
                most_negative: acc
                    .worst
                    .iter()
                    .map(|&(compound, text)| Verbatim {
                        text: scan.texts[text as usize].0.to_string(),
                        compound: f64::from(compound),
                    })
                    .collect(),
            },
            outcomes,
            channels,
            initiators,
            repeat: Repeat {
                share: ratio(acc.repeat_customers, acc.reach),
                mean_events: ratio(acc.matching_events, acc.reach),
            },
        }
    }

    pub(crate) fn stage_figures(&mut self, plan: &Plan, g: usize, k: usize) -> StageFigures {
        let is_last = k + 1 == plan.stages.len();
        let acc = &mut self.groups[g].stages[k];
        StageFigures {
            reach: acc.reach,
            reached_next: acc.reached_next,
            conversion: if is_last {
                None
            } else {
                ratio(acc.reached_next, acc.reach)
            },
            median_time_in_stage_s: stats::quantile_cont(&mut acc.times_s, 0.5),
        }
    }
}
