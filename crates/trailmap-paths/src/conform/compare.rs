//! Deviation groups and variants against their reference groups: outcome rates, value, the
//! significance tests with Holm's correction, and the headlines.
//!
//! Every comparison is stratified by path (persona): the reference rate is the followers' rate
//! of each persona, weighted by the group's own persona mix (direct standardisation), so a group
//! made mostly of one persona is never compared with followers who are mostly another. In a
//! persona's scope there is one stratum and this is the plain two-proportion comparison.

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

/// A tally per path (persona): what every comparison is stratified by.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Strata(Vec<Tally>);

impl Strata {
    pub(crate) fn new(paths: usize, outcomes: usize) -> Strata {
        Strata(vec![Tally::new(outcomes); paths])
    }

    pub(crate) fn add(&mut self, path: usize, facts: Facts) {
        self.0[path].add(facts);
    }

    pub(crate) fn n(&self) -> u64 {
        self.0.iter().map(|t| t.n).sum()
    }

    fn without(&self, other: &Strata) -> Strata {
        Strata(
            self.0
                .iter()
                .zip(&other.0)
                .map(|(a, b)| a.without(b))
                .collect(),
        )
    }
}

/// A group's mean against the reference's, standardised to the group's mix of strata.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Standardised {
    /// Group members in strata that have reference customers.
    compared: u64,
    /// Reference customers in those strata.
    reference_n: u64,
    group: f64,
    reference: f64,
    p_value: Option<f64>,
}

/// One stratum of a comparison: group and reference customers and means, and the variance of
/// the difference of the two means within the stratum.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stratum {
    group_n: u64,
    group_mean: f64,
    reference_n: u64,
    reference_mean: f64,
    variance: f64,
}

impl Stratum {
    /// Outcome `i`: rates, and the pooled variance `p(1 − p)(1/n_g + 1/n_r)` with `p` the
    /// stratum's rate over both groups (the classic two-proportion z-test within a stratum).
    fn rate(group: &Tally, reference: &Tally, i: usize) -> Stratum {
        let rate = |t: &Tally| {
            if t.n > 0 {
                t.hits[i] as f64 / t.n as f64
            } else {
                0.0
            }
        };
        let both = group.n + reference.n;
        let pooled = if both > 0 {
            (group.hits[i] + reference.hits[i]) as f64 / both as f64
        } else {
            0.0
        };
        Stratum {
            group_n: group.n,
            group_mean: rate(group),
            reference_n: reference.n,
            reference_mean: rate(reference),
            variance: pooled * (1.0 - pooled) * (inverse(group.n) + inverse(reference.n)),
        }
    }

    /// The mean value, and the variance `s²_g/n_g + s²_r/n_r` (Welch's, each group its own).
    fn mean(group: &Tally, reference: &Tally) -> Stratum {
        let mean = |t: &Tally| t.mean().unwrap_or(0.0);
        Stratum {
            group_n: group.n,
            group_mean: mean(group),
            reference_n: reference.n,
            reference_mean: mean(reference),
            variance: group.variance() * inverse(group.n)
                + reference.variance() * inverse(reference.n),
        }
    }
}

fn inverse(n: u64) -> f64 {
    if n > 0 { 1.0 / n as f64 } else { 0.0 }
}

/// Weights `w` are the group's shares of compared members (strata with both group and reference
/// customers); the group mean is `Σ w·mean_g` (its compared members' mean), the reference
/// `Σ w·mean_r`, and the z statistic divides their difference by `sqrt(Σ w² variance)`. `None`
/// when no stratum has both.
fn standardise(strata: &[Stratum]) -> Option<Standardised> {
    let both = || strata.iter().filter(|s| s.group_n > 0 && s.reference_n > 0);
    let compared: u64 = both().map(|s| s.group_n).sum();
    if compared == 0 {
        return None;
    }
    let (mut group, mut reference, mut variance, mut reference_n) = (0.0, 0.0, 0.0, 0);
    for s in both() {
        let w = s.group_n as f64 / compared as f64;
        group += w * s.group_mean;
        reference += w * s.reference_mean;
        variance += w * w * s.variance;
        reference_n += s.reference_n;
    }
    let p_value =
        (variance > 0.0).then(|| stats::normal_two_sided_p((group - reference) / variance.sqrt()));
    Some(Standardised {
        compared,
        reference_n,
        group,
        reference,
        p_value,
    })
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

    /// Per path: the followers with furthest step order at least `at_least`; paths without
    /// `on_path` (when given) contribute nobody.
    fn get(
        &self,
        design: &Design,
        at_least: usize,
        on_path: Option<usize>,
        outcomes: usize,
    ) -> Strata {
        Strata(
            self.suffix
                .iter()
                .enumerate()
                .map(|(p, suffix)| {
                    if on_path.is_none_or(|s| design.paths[p].on[s]) {
                        suffix[at_least.min(suffix.len() - 1)].clone()
                    } else {
                        Tally::new(outcomes)
                    }
                })
                .collect(),
        )
    }
}

/// One group (a deviation or a variant) while it is being built.
struct Pending {
    subject: String,
    customers: u64,
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
    let context = Context {
        outcomes,
        with_value: value_col.is_some(),
        settings,
    };

    let mut deviations: Vec<(&Deviation, Pending)> = scope
        .groups
        .iter()
        .map(|(deviation, acc)| {
            let (at_least, on_path) = threshold(design, deviation);
            let reference = references
                .get(design, at_least, on_path, k)
                .without(&acc.in_reference);
            let defined_by = match deviation {
                Deviation::Backward(..) => 0,
                Deviation::Skip(s)
                | Deviation::Loop(s)
                | Deviation::OutOfOrder(s)
                | Deviation::UnexpectedEntry(s)
                | Deviation::OffPersona(s) => design.steps[*s].same_as_outcomes,
            };
            let comparison = compare(
                &acc.members,
                &reference,
                words::reference(design, deviation),
                defined_by,
                &context,
            );
            let pending = Pending {
                subject: words::subject(design, deviation),
                customers: acc.members.n(),
                comparison,
            };
            (deviation, pending)
        })
        .collect();
    // A sequence of visits says whether each step was taken, so any outcome that is a step's
    // own events is decided by the sequence.
    let decided_by_steps = design
        .steps
        .iter()
        .fold(0u64, |mask, s| mask | s.same_as_outcomes);
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
                decided_by_steps,
                &context,
            );
            let labels = acc
                .deviations
                .iter()
                .map(|d| words::label(design, d))
                .collect();
            let pending = Pending {
                subject: words::variant_subject(design, visits),
                customers: acc.members.n(),
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

    deviations.sort_by(|(da, a), (db, b)| b.customers.cmp(&a.customers).then_with(|| da.cmp(db)));
    variants
        .sort_by(|(va, _, a), (vb, _, b)| b.customers.cmp(&a.customers).then_with(|| va.cmp(vb)));
    let deviations_total = deviations.len() as u64;
    let variants_total = variants.len() as u64;
    Groups {
        deviations: deviations
            .into_iter()
            .take(settings.top)
            .map(|(deviation, p)| {
                let share = share(p.customers);
                deviation_group(design, deviation, p, share)
            })
            .collect(),
        deviations_total,
        variants: variants
            .into_iter()
            .take(settings.top)
            .map(|(visits, labels, p)| Variant {
                steps: visits.iter().map(|v| design.steps[*v].id.clone()).collect(),
                customers: p.customers,
                share: share(p.customers),
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

/// What every comparison of a scope shares.
struct Context<'a> {
    outcomes: &'a [String],
    with_value: bool,
    settings: &'a Settings,
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
        customers: p.customers,
        share,
        comparison: p.comparison,
    }
}

/// The group against its reference, stratified by path. `defined_by`: outcome bits that are the
/// group's own defining step's events (true by definition: not tested).
fn compare(
    group: &Strata,
    reference: &Strata,
    reference_words: String,
    defined_by: u64,
    context: &Context,
) -> Comparison {
    let settings = context.settings;
    let strata = |of: &dyn Fn(&Tally, &Tally) -> Stratum| -> Vec<Stratum> {
        group
            .0
            .iter()
            .zip(&reference.0)
            .map(|(g, r)| of(g, r))
            .collect()
    };
    let testable =
        |s: &Standardised| s.compared >= settings.min_group && s.reference_n >= settings.min_group;
    let mut compared = 0;
    let mut reference_customers = 0;
    let outcomes: BTreeMap<String, OutcomeComparison> = context
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let s = standardise(&strata(&|g, r| Stratum::rate(g, r, i)));
            if let Some(s) = &s {
                compared = s.compared;
                reference_customers = s.reference_n;
            }
            let by_definition = (defined_by >> i) & 1 == 1;
            // The normal approximation needs enough customers on both sides of the outcome:
            // with and without it, group and reference together (in the compared strata).
            let (with, without) = group
                .0
                .iter()
                .zip(&reference.0)
                .filter(|(g, r)| g.n > 0 && r.n > 0)
                .fold((0, 0), |(w, wo), (g, r)| {
                    let hits = g.hits[i] + r.hits[i];
                    (w + hits, wo + g.n + r.n - hits)
                });
            let enough = with >= settings.min_outcomes && without >= settings.min_outcomes;
            let comparison = OutcomeComparison {
                group_rate: s.map(|s| s.group),
                reference_rate: s.map(|s| s.reference),
                ratio: s
                    .filter(|s| s.reference > 0.0)
                    .map(|s| s.group / s.reference),
                excess: s.map(|s| (s.group - s.reference) * s.compared as f64),
                p_value: s
                    .filter(|s| testable(s) && enough && !by_definition)
                    .and_then(|s| s.p_value),
                significant: false,
                by_definition,
            };
            (id.clone(), comparison)
        })
        .collect();
    let value = context.with_value.then(|| {
        let s = standardise(&strata(&Stratum::mean));
        if let Some(s) = &s {
            compared = s.compared;
            reference_customers = s.reference_n;
        }
        ValueComparison {
            group_mean: s.map(|s| s.group),
            reference_mean: s.map(|s| s.reference),
            excess: s.map(|s| (s.group - s.reference) * s.compared as f64),
            p_value: s.filter(testable).and_then(|s| s.p_value),
            significant: false,
        }
    });
    if context.outcomes.is_empty() && !context.with_value {
        // Nothing to compare, but say who the reference is.
        if let Some(s) = standardise(&strata(&Stratum::mean)) {
            compared = s.compared;
            reference_customers = s.reference_n;
        }
    }
    Comparison {
        reference: reference_words,
        reference_customers,
        compared,
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
        let text = words::outcome_sentence(&pending.subject, &c.reference, id, rates, c.compared);
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
        c.compared,
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
                        group_rate: None,
                        reference_rate: None,
                        ratio: None,
                        excess: None,
                        p_value: *p,
                        significant: false,
                        by_definition: false,
                    },
                )
            })
            .collect();
        Comparison {
            reference: String::new(),
            reference_customers: 0,
            compared: 0,
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
    fn the_reference_is_standardised_to_the_groups_persona_mix() {
        // Stratum A: group 5 of 10, reference 20 of 100 (pooled 25/110). Stratum B: group 3 of
        // 30, reference 5 of 50 (pooled 8/80). Weights 0.25 and 0.75: group 0.2, reference
        // 0.125 (not the unstratified 25/150 = 0.167). Variance
        // 0.0625 · (25/110)(85/110)(1/10 + 1/100) + 0.5625 · 0.1 · 0.9 · (1/30 + 1/50)
        // = 0.0012074 + 0.0027 = 0.0039074, z = 0.075 / 0.062509 = 1.19982, p = 0.23021.
        let tally = |hits: u64, n: u64| {
            let mut t = Tally::new(1);
            for k in 0..n {
                t.add(Facts {
                    outcomes: u64::from(k < hits),
                    value: 0.0,
                });
            }
            t
        };
        let strata = [
            Stratum::rate(&tally(5, 10), &tally(20, 100), 0),
            Stratum::rate(&tally(3, 30), &tally(5, 50), 0),
            // A stratum without reference customers is left out of the comparison.
            Stratum::rate(&tally(7, 7), &tally(0, 0), 0),
        ];
        let s = standardise(&strata).unwrap();
        assert_eq!((s.compared, s.reference_n), (40, 150));
        assert!((s.group - 0.2).abs() < 1e-12);
        assert!((s.reference - 0.125).abs() < 1e-12);
        assert!((s.p_value.unwrap() - 0.23021).abs() < 1e-5, "{s:?}");
        // One stratum: the pooled two-proportion z-test. 40/100 vs 25/100: pooled 0.325,
        // z = 2.26455, p = 0.02354.
        let s = standardise(&[Stratum::rate(&tally(40, 100), &tally(25, 100), 0)]).unwrap();
        assert!((s.p_value.unwrap() - 0.02354).abs() < 1e-5);
        assert_eq!(
            standardise(&[Stratum::rate(&tally(3, 5), &tally(0, 0), 0)]),
            None
        );
        // No variance at all: untestable.
        let s = standardise(&[Stratum::rate(&tally(0, 50), &tally(0, 50), 0)]).unwrap();
        assert_eq!(s.p_value, None);
        // Means: 10 ± 2 (n 100) against 9 ± 2 (n 100): z = 3.5178, p = 0.000435.
        let values = |mean: f64, n: u64| {
            let mut t = Tally::new(0);
            for k in 0..n {
                let value = if k % 2 == 0 { mean - 2.0 } else { mean + 2.0 };
                t.add(Facts { outcomes: 0, value });
            }
            t
        };
        let s = standardise(&[Stratum::mean(&values(10.0, 100), &values(9.0, 100))]).unwrap();
        // The sample variance of ±2 around the mean over 100 values is 4 · 100/99.
        let z = 1.0 / (2.0 * 4.0 * 100.0 / 99.0 / 100.0f64).sqrt();
        assert!((s.p_value.unwrap() - stats::normal_two_sided_p(z)).abs() < 1e-12);
        assert!((s.p_value.unwrap() - 0.000435).abs() < 1e-5, "{s:?}");
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
