//! Deviation groups and variants against their reference groups: outcome rates, value, the
//! significance tests with Holm's correction, and the headlines.

use std::collections::BTreeMap;

use trailmap_engine::stats;
use trailmap_model::conformance::{
    Comparison, DeviationGroup, DeviationKind, OutcomeComparison, ValueComparison, Variant,
};

use super::Settings;
use super::design::Design;
use super::journey::Deviation;
use super::scope::{Facts, Scope, threshold};
use super::words;

/// Customers counted together: how many, how many had each outcome, and their value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tally {
    pub(crate) n: u64,
    hits: Vec<u64>,
    sum: f64,
    sum_sq: f64,
}

impl Tally {
    pub(crate) fn new(outcomes: usize) -> Tally {
        Tally {
            n: 0,
            hits: vec![0; outcomes],
            sum: 0.0,
            sum_sq: 0.0,
        }
    }

    pub(crate) fn add(&mut self, facts: Facts) {
        self.n += 1;
        for (i, hits) in self.hits.iter_mut().enumerate() {
            *hits += (facts.outcomes >> i) & 1;
        }
        self.sum += facts.value;
        self.sum_sq += facts.value * facts.value;
    }

    fn merge(&mut self, other: &Tally) {
        self.n += other.n;
        for (a, b) in self.hits.iter_mut().zip(&other.hits) {
            *a += b;
        }
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    fn without(&self, other: &Tally) -> Tally {
        Tally {
            n: self.n - other.n,
            hits: self
                .hits
                .iter()
                .zip(&other.hits)
                .map(|(a, b)| a - b)
                .collect(),
            sum: self.sum - other.sum,
            sum_sq: self.sum_sq - other.sum_sq,
        }
    }

    pub(crate) fn rate(&self, outcome: usize) -> Option<f64> {
        (self.n > 0).then(|| self.hits[outcome] as f64 / self.n as f64)
    }

    pub(crate) fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }

    fn variance(&self) -> f64 {
        if self.n < 2 {
            return 0.0;
        }
        let n = self.n as f64;
        ((self.sum_sq - self.sum * self.sum / n) / (n - 1.0)).max(0.0)
    }
}

pub(crate) struct Groups {
    pub(crate) deviations: Vec<DeviationGroup>,
    pub(crate) deviations_total: u64,
    pub(crate) variants: Vec<Variant>,
    pub(crate) variants_total: u64,
    pub(crate) headlines: Vec<String>,
}

/// Customers who follow the map and got at least as far as a step order, per path: suffix sums
/// of [`Scope::following_at`].
struct References {
    suffix: Vec<Vec<Tally>>,
}

impl References {
    fn new(scope: &Scope, outcomes: usize) -> References {
        let suffix = scope
            .following_at
            .iter()
            .map(|by_furthest| {
                let mut suffix = vec![Tally::new(outcomes); by_furthest.len() + 1];
                for k in (0..by_furthest.len()).rev() {
                    let mut t = suffix[k + 1].clone();
                    t.merge(&by_furthest[k]);
                    suffix[k] = t;
                }
                suffix
            })
            .collect();
        References { suffix }
    }

    fn get(
        &self,
        design: &Design,
        at_least: usize,
        on_path: Option<usize>,
        outcomes: usize,
    ) -> Tally {
        let mut total = Tally::new(outcomes);
        for (p, suffix) in self.suffix.iter().enumerate() {
            if on_path.is_none_or(|s| design.paths[p].on[s]) {
                total.merge(&suffix[at_least.min(suffix.len() - 1)]);
            }
        }
        total
    }
}

/// One group (a deviation or a variant) while it is being built.
struct Pending {
    subject: String,
    members: Tally,
    comparison: Comparison,
}

pub(crate) fn build_groups(
    design: &Design,
    scope: &Scope,
    outcomes: &[String],
    value_col: Option<&str>,
    settings: &Settings,
) -> Groups {
    let k = outcomes.len();
    let references = References::new(scope, k);
    let scope_n = scope.all.n;
    let share = |n: u64| (scope_n > 0).then(|| n as f64 / scope_n as f64);

    let mut deviations: Vec<(&Deviation, Pending)> = scope
        .groups
        .iter()
        .map(|(deviation, acc)| {
            let (at_least, on_path) = threshold(design, deviation);
            let reference = references
                .get(design, at_least, on_path, k)
                .without(&acc.in_reference);
            let comparison = compare(
                &acc.members,
                &reference,
                words::reference(design, deviation),
                outcomes,
                value_col.is_some(),
                settings,
            );
            let pending = Pending {
                subject: words::subject(design, deviation),
                members: acc.members.clone(),
                comparison,
            };
            (deviation, pending)
        })
        .collect();
    let mut variants: Vec<(&Vec<usize>, Vec<String>, Pending)> = scope
        .variants
        .iter()
        .map(|(visits, acc)| {
            let furthest = *visits.iter().max().expect("a variant has a visit");
            let reference = references.get(design, furthest, None, k);
            let comparison = compare(
                &acc.members,
                &reference,
                words::variant_reference(design, furthest),
                outcomes,
                value_col.is_some(),
                settings,
            );
            let labels = acc
                .deviations
                .iter()
                .map(|d| words::label(design, d))
                .collect();
            let pending = Pending {
                subject: words::variant_subject(design, visits),
                members: acc.members.clone(),
                comparison,
            };
            (visits, labels, pending)
        })
        .collect();

    {
        let mut all: Vec<&mut Comparison> = deviations
            .iter_mut()
            .map(|(_, p)| &mut p.comparison)
            .chain(variants.iter_mut().map(|(_, _, p)| &mut p.comparison))
            .collect();
        holm(&mut all, settings.alpha);
    }

    let mut headlines: Vec<(f64, String)> = Vec::new();
    for (_, pending) in &mut deviations {
        if let Some((cost, text)) = headline(pending, outcomes, value_col) {
            pending.comparison.headline = Some(text.clone());
            headlines.push((cost, text));
        }
    }
    for (_, _, pending) in &mut variants {
        if let Some((_, text)) = headline(pending, outcomes, value_col) {
            pending.comparison.headline = Some(text);
        }
    }
    // The costliest first: outcome differences by how many customers they move, then value.
    headlines.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));

    deviations.sort_by(|(da, a), (db, b)| b.members.n.cmp(&a.members.n).then_with(|| da.cmp(db)));
    variants
        .sort_by(|(va, _, a), (vb, _, b)| b.members.n.cmp(&a.members.n).then_with(|| va.cmp(vb)));
    let deviations_total = deviations.len() as u64;
    let variants_total = variants.len() as u64;
    Groups {
        deviations: deviations
            .into_iter()
            .take(settings.top)
            .map(|(deviation, p)| {
                let share = share(p.members.n);
                deviation_group(design, deviation, p, share)
            })
            .collect(),
        deviations_total,
        variants: variants
            .into_iter()
            .take(settings.top)
            .map(|(visits, labels, p)| Variant {
                steps: visits.iter().map(|v| design.steps[*v].id.clone()).collect(),
                customers: p.members.n,
                share: share(p.members.n),
                deviations: labels,
                comparison: p.comparison,
            })
            .collect(),
        variants_total,
        headlines: headlines
            .into_iter()
            .take(settings.top)
            .map(|(_, text)| text)
            .collect(),
    }
}

fn deviation_group(
    design: &Design,
    deviation: &Deviation,
    p: Pending,
    share: Option<f64>,
) -> DeviationGroup {
    let step_id = |s: &usize| Some(design.steps[*s].id.clone());
    let (kind, step, from_stage, to_stage) = match deviation {
        Deviation::Skip(s) => (DeviationKind::Skip, step_id(s), None, None),
        Deviation::Backward(from, to) => (
            DeviationKind::Backward,
            None,
            Some(design.stages[*from].0.clone()),
            Some(design.stages[*to].0.clone()),
        ),
        Deviation::Loop(s) => (DeviationKind::Loop, step_id(s), None, None),
        Deviation::OutOfOrder(s) => (DeviationKind::OutOfOrder, step_id(s), None, None),
        Deviation::UnexpectedEntry(s) => (DeviationKind::UnexpectedEntry, step_id(s), None, None),
        Deviation::OffPersona(s) => (DeviationKind::OffPersona, step_id(s), None, None),
    };
    DeviationGroup {
        kind,
        step,
        from_stage,
        to_stage,
        breaks_order: deviation.breaks_order(design),
        label: words::label(design, deviation),
        customers: p.members.n,
        share,
        comparison: p.comparison,
    }
}

fn compare(
    group: &Tally,
    reference: &Tally,
    reference_words: String,
    outcomes: &[String],
    with_value: bool,
    settings: &Settings,
) -> Comparison {
    let testable = group.n >= settings.min_group && reference.n >= settings.min_group;
    let outcomes: BTreeMap<String, OutcomeComparison> = outcomes
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let (g, r) = (group.rate(i), reference.rate(i));
            let comparison = OutcomeComparison {
                group_hits: group.hits[i],
                group_rate: g,
                reference_hits: reference.hits[i],
                reference_rate: r,
                ratio: g.zip(r).filter(|(_, r)| *r > 0.0).map(|(g, r)| g / r),
                excess: g.zip(r).map(|(g, r)| (g - r) * group.n as f64),
                p_value: testable
                    .then(|| {
                        stats::two_proportion_p_value(
                            group.hits[i],
                            group.n,
                            reference.hits[i],
                            reference.n,
                        )
                    })
                    .flatten(),
                significant: false,
            };
            (id.clone(), comparison)
        })
        .collect();
    let value = with_value.then(|| {
        let (g, r) = (group.mean(), reference.mean());
        ValueComparison {
            group_mean: g,
            reference_mean: r,
            excess: g.zip(r).map(|(g, r)| (g - r) * group.n as f64),
            p_value: testable
                .then(|| {
                    stats::two_means_p_value(
                        (group.n, g.unwrap_or(0.0), group.variance()),
                        (reference.n, r.unwrap_or(0.0), reference.variance()),
                    )
                })
                .flatten(),
            significant: false,
        }
    });
    Comparison {
        reference: reference_words,
        reference_customers: reference.n,
        outcomes,
        value,
        headline: None,
    }
}

/// Holm's step-down correction over every p-value of the scope: sorted ascending, the i-th
/// smallest (from 0) of m is significant when it and every smaller one is at most α / (m − i).
fn holm(comparisons: &mut [&mut Comparison], alpha: f64) {
    // (p, comparison, outcome index or None for the value)
    let mut tests: Vec<(f64, usize, Option<usize>)> = Vec::new();
    for (c, comparison) in comparisons.iter().enumerate() {
        for (o, outcome) in comparison.outcomes.values().enumerate() {
            if let Some(p) = outcome.p_value {
                tests.push((p, c, Some(o)));
            }
        }
        if let Some(p) = comparison.value.as_ref().and_then(|v| v.p_value) {
            tests.push((p, c, None));
        }
    }
    tests.sort_by(|a, b| a.0.total_cmp(&b.0));
    let m = tests.len();
    for (i, (p, c, which)) in tests.into_iter().enumerate() {
        if p > alpha / (m - i) as f64 {
            break;
        }
        let comparison = &mut *comparisons[c];
        match which {
            Some(o) => {
                if let Some(outcome) = comparison.outcomes.values_mut().nth(o) {
                    outcome.significant = true;
                }
            }
            None => {
                if let Some(value) = comparison.value.as_mut() {
                    value.significant = true;
                }
            }
        }
    }
}

/// The strongest significant difference of a group in words, with its cost for ranking: the
/// outcome whose rate differs most (by ratio) from the reference's; else the value.
fn headline(
    pending: &Pending,
    outcomes: &[String],
    value_col: Option<&str>,
) -> Option<(f64, String)> {
    let c = &pending.comparison;
    let strength = |o: &OutcomeComparison| match (o.group_rate, o.reference_rate) {
        (Some(g), Some(r)) if g > 0.0 && r > 0.0 => (g / r).ln().abs(),
        _ => f64::INFINITY,
    };
    let best = outcomes
        .iter()
        .filter_map(|id| c.outcomes.get(id).map(|o| (id, o)))
        .filter(|(_, o)| o.significant && o.group_rate.is_some() && o.reference_rate.is_some())
        .max_by(|(_, a), (_, b)| {
            strength(a).total_cmp(&strength(b)).then_with(|| {
                a.excess
                    .unwrap_or(0.0)
                    .abs()
                    .total_cmp(&b.excess.unwrap_or(0.0).abs())
            })
        });
    if let Some((id, o)) = best {
        let rates = (o.group_rate.unwrap_or(0.0), o.reference_rate.unwrap_or(0.0));
        let text =
            words::outcome_sentence(&pending.subject, &c.reference, id, rates, pending.members.n);
        // Outcome headlines rank above value ones: their cost is customers, and is offset so.
        return Some((1e15 + o.excess.unwrap_or(0.0).abs(), text));
    }
    let value = c.value.as_ref().filter(|v| v.significant)?;
    let means = (value.group_mean?, value.reference_mean?);
    let text = words::value_sentence(
        &pending.subject,
        &c.reference,
        value_col.unwrap_or("value"),
        means,
        pending.members.n,
    );
    Some((value.excess.unwrap_or(0.0).abs().min(1e14), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comparison(p_values: &[Option<f64>]) -> Comparison {
        let outcomes = p_values
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    format!("o{i}"),
                    OutcomeComparison {
                        group_hits: 0,
                        group_rate: None,
                        reference_hits: 0,
                        reference_rate: None,
                        ratio: None,
                        excess: None,
                        p_value: *p,
                        significant: false,
                    },
                )
            })
            .collect();
        Comparison {
            reference: String::new(),
            reference_customers: 0,
            outcomes,
            value: None,
            headline: None,
        }
    }

    #[test]
    fn holm_steps_down_until_the_first_p_value_over_its_bound() {
        // m = 4, α = 0.05: bounds 0.0125, 0.0167, 0.025, 0.05.
        let mut a = comparison(&[Some(0.010), Some(0.020)]);
        let mut b = comparison(&[Some(0.015), None, Some(0.04)]);
        holm(&mut [&mut a, &mut b], 0.05);
        let flags = |c: &Comparison| {
            c.outcomes
                .values()
                .map(|o| o.significant)
                .collect::<Vec<_>>()
        };
        // 0.010 <= 0.0125 yes; 0.015 <= 0.0167 yes; 0.020 <= 0.025 yes; 0.04 <= 0.05 yes.
        assert_eq!(flags(&a), vec![true, true]);
        assert_eq!(flags(&b), vec![true, false, true]);
        // Sorted 0.001, 0.018, 0.02, 0.04: 0.018 > 0.0167 stops the steps, so 0.04 is not
        // significant although it is under 0.05.
        let mut a = comparison(&[Some(0.001), Some(0.02)]);
        let mut b = comparison(&[Some(0.018), Some(0.04)]);
        holm(&mut [&mut a, &mut b], 0.05);
        assert_eq!(flags(&a), vec![true, false]);
        assert_eq!(flags(&b), vec![false, false]);
        // 0.013 > 0.0125: nothing is significant.
        let mut a = comparison(&[Some(0.013), Some(0.02)]);
        let mut b = comparison(&[Some(0.014), Some(0.03)]);
        holm(&mut [&mut a, &mut b], 0.05);
        assert_eq!(flags(&a), vec![false, false]);
        assert_eq!(flags(&b), vec![false, false]);
    }

    #[test]
    fn tallies_take_members_out() {
        let mut all = Tally::new(2);
        for (outcomes, value) in [(0b01, 10.0), (0b11, 20.0), (0b00, 30.0)] {
            all.add(Facts { outcomes, value });
        }
        let mut one = Tally::new(2);
        one.add(Facts {
            outcomes: 0b11,
            value: 20.0,
        });
        let rest = all.without(&one);
        assert_eq!(rest.n, 2);
        assert_eq!(rest.rate(0), Some(0.5));
        assert_eq!(rest.rate(1), Some(0.0));
        assert_eq!(rest.mean(), Some(20.0));
        assert!((rest.variance() - 200.0).abs() < 1e-9);
    }
}
