//! Metric deltas: what the data measured on each future step against its current counterpart.

use trailmap_model::analysis::{Analysis, Figures};
use trailmap_model::{Direction, Map, Metric, Step};

use super::{MapDiff, MetricDelta, StepMetrics, compare};
use crate::evidence::{self, Tone};
use crate::format;

/// Compares a current map with a future one, as [`compare`], and adds the metric deltas
/// per step from what `trailmap analyze` measured on each ([`MapDiff::metrics`]).
///
/// A future step is compared with the current step of the same id, else with the first step
/// it `replaces` that has figures. Future steps with no counterpart, or no figures on either
/// side, are left out. Figures are those of all customers.
pub fn compare_measured(
    current: &Map,
    future: &Map,
    current_evidence: &Analysis,
    future_evidence: &Analysis,
) -> MapDiff {
    let mut diff = compare(current, future);
    for f in future.steps() {
        let counterpart: Option<&Step> = current
            .step(&f.step.id)
            .map(|c| c.step)
            .or_else(|| {
                f.step
                    .replaces
                    .iter()
                    .find(|id| figures(current_evidence, id).is_some())
                    .and_then(|id| current.step(id))
                    .map(|c| c.step)
            })
            .or_else(|| {
                f.step
                    .replaces
                    .first()
                    .and_then(|id| current.step(id))
                    .map(|c| c.step)
            });
        let Some(c) = counterpart else {
            continue;
        };
        let before = figures(current_evidence, &c.id);
        let after = figures(future_evidence, &f.step.id);
        if before.is_none() && after.is_none() {
            continue;
        }
        diff.metrics.push(StepMetrics {
            step: f.step.id.clone(),
            name: f.step.name.clone(),
            current_step: (c.id != f.step.id).then(|| c.id.clone()),
            metrics: deltas(
                (current, current_evidence),
                (future, future_evidence),
                before,
                after,
            ),
        });
    }
    diff
}

fn figures<'a>(analysis: &'a Analysis, id: &str) -> Option<&'a Figures> {
    analysis
        .steps
        .iter()
        .find(|s| s.id == id)
        .map(|s| &s.figures)
}

fn deltas(
    (current, current_evidence): (&Map, &Analysis),
    (future, future_evidence): (&Map, &Analysis),
    before: Option<&Figures>,
    after: Option<&Figures>,
) -> Vec<MetricDelta> {
    let pick = |f: fn(&Figures) -> Option<f64>| (before.and_then(f), after.and_then(f));
    // Two analyses rarely cover the same number of customers (a year of data against a
    // pilot), so reach is compared as a share of the customers analysed; the counts are
    // kept for reference, without a verdict.
    let share = |f: Option<&Figures>, analysis: &Analysis| {
        let customers = analysis.inputs.customers_analysed;
        f.filter(|_| customers > 0)
            .map(|f| f.reach as f64 / customers as f64)
    };
    let mut out = vec![
        delta("reach", None, pick(|f| Some(f.reach as f64)), None),
        delta(
            "reach_share",
            None,
            (
                share(before, current_evidence),
                share(after, future_evidence),
            ),
            Some(Direction::AtLeast),
        ),
        delta(
            "drop_off",
            None,
            pick(|f| f.drop_off_rate),
            Some(Metric::DropOff.natural_direction()),
        ),
        delta(
            "nps",
            None,
            pick(|f| f.feedback.nps.score),
            Some(Direction::AtLeast),
        ),
        delta(
            "csat",
            None,
            pick(|f| f.feedback.csat.score),
            Some(Direction::AtLeast),
        ),
    ];
    let mut names: Vec<&String> = before
        .iter()
        .chain(after.iter())
        .flat_map(|f| f.outcomes.keys())
        .collect();
    names.sort();
    names.dedup();
    for name in names {
        let rate = |f: Option<&Figures>| f.and_then(|f| f.outcomes.get(name)?.rate_after);
        let direction = evidence::outcome_direction(future, name)
            .or_else(|| evidence::outcome_direction(current, name));
        out.push(delta(
            "outcome",
            Some(name.clone()),
            (rate(before), rate(after)),
            direction,
        ));
    }
    out
}

fn delta(
    metric: &str,
    outcome: Option<String>,
    (current, future): (Option<f64>, Option<f64>),
    direction: Option<Direction>,
) -> MetricDelta {
    let current = current.filter(|v| v.is_finite());
    let future = future.filter(|v| v.is_finite());
    // Differences below a millionth are rounding noise, not change.
    let delta = current
        .zip(future)
        .map(|(c, f)| f - c)
        .map(|d| if d.abs() < 1e-6 { 0.0 } else { d });
    // A change too small to show (under half the last digit drawn) is no change.
    let shown = match metric {
        "nps" | "csat" => 0.5,
        _ => 0.0005,
    };
    let verdict = delta.zip(direction).map(|(d, direction)| {
        let d = if d.abs() < shown { 0.0 } else { d };
        match Tone::of_change(direction, d) {
            Tone::Better => "better",
            Tone::Worse => "worse",
            Tone::Neutral => "same",
        }
        .to_owned()
    });
    MetricDelta {
        metric: metric.to_owned(),
        outcome,
        current,
        future,
        delta,
        verdict,
    }
}

/// The figure's name for people: `Reach`, `Drop-off`, `NPS`, `CSAT`, `Churn after`.
pub(super) fn label(m: &MetricDelta) -> String {
    match (m.metric.as_str(), &m.outcome) {
        ("outcome", Some(outcome)) => format!("{} after", format::outcome_label(outcome)),
        ("reach", _) => "Reach".to_owned(),
        ("reach_share", _) => "Reach share".to_owned(),
        ("drop_off", _) => "Drop-off".to_owned(),
        ("nps", _) => "NPS".to_owned(),
        ("csat", _) => "CSAT".to_owned(),
        (other, _) => other.to_owned(),
    }
}

/// A value of the figure: `18,300`, `38%`, `+12`, `78%`; `.` when unknown.
pub(super) fn value(m: &MetricDelta, value: Option<f64>) -> String {
    let Some(v) = value else {
        return "\u{b7}".to_owned();
    };
    match m.metric.as_str() {
        "reach" => format::measured(Metric::Reach, v),
        "nps" => format::measured(Metric::Nps, v),
        "csat" => format::measured(Metric::Csat, v),
        _ => format::percent(v),
    }
}

/// The change: `+1,600 (+8.7%)`, `\u{2212}17 pp`, `+19`, `+5 pts`; `None` when a side is unknown.
pub(super) fn change(m: &MetricDelta) -> Option<String> {
    let d = m.delta?;
    Some(match m.metric.as_str() {
        "reach" => {
            let sign = if d > 0.0 {
                "+"
            } else if d < 0.0 {
                "\u{2212}"
            } else {
                ""
            };
            let mut text = format!("{sign}{}", format::int(d.abs().round() as u64));
            if let Some(c) = m.current.filter(|c| *c > 0.0) {
                text.push_str(&format!(" ({}%)", format::signed(d / c * 100.0, 1)));
            }
            text
        }
        "nps" => format::signed(d, 0),
        "csat" => format!("{} pts", format::signed(d, 0)),
        _ if d == 0.0 => "0 pp".to_owned(),
        _ => format!("{} pp", format::signed(d * 100.0, 1)),
    })
}
