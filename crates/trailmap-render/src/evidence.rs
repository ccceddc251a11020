//! Measured evidence on the map: which figures a step gets, how feedback becomes a measured
//! emotion score, and how KPI targets, missing evidence and stale evidence are judged.
//!
//! The HTML map, the SVG map and the diff all ask these questions through this module, so
//! they always give the same answers. `docs/evidence.md` explains the choices for map readers.

use trailmap_model::analysis::{Analysis, Figures, KpiCheck};
use trailmap_model::{Direction, EvidenceSource, Kpi, Map, Metric, Step};

use crate::Date;

/// What was measured for one drawn step.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Measured<'a> {
    /// No analysis was given: nothing measured is drawn.
    NotAsked,
    /// The analysis has no figures for the step, or none for the chosen persona at it.
    Missing,
    /// The figures of the customers drawn: everyone, or the chosen persona's.
    Figures(&'a Figures),
}

impl<'a> Measured<'a> {
    pub(crate) fn of(
        analysis: Option<&'a Analysis>,
        step_id: &str,
        persona: Option<&str>,
    ) -> Measured<'a> {
        let Some(analysis) = analysis else {
            return Measured::NotAsked;
        };
        let Some(result) = analysis.steps.iter().find(|s| s.id == step_id) else {
            return Measured::Missing;
        };
        match persona {
            None => Measured::Figures(&result.figures),
            Some(id) => result
                .personas
                .get(id)
                .map_or(Measured::Missing, Measured::Figures),
        }
    }

    pub(crate) fn figures(self) -> Option<&'a Figures> {
        match self {
            Measured::Figures(figures) => Some(figures),
            Measured::NotAsked | Measured::Missing => None,
        }
    }

    /// Figures of a step some customer reached: the step has evidence in the data.
    pub(crate) fn reached(self) -> Option<&'a Figures> {
        self.figures().filter(|f| f.reach > 0)
    }
}

/// Where a measured emotion score comes from, in the order the sources are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeelingSource {
    Csat,
    Nps,
    Sentiment,
    Ces,
}

impl FeelingSource {
    pub(crate) fn label(self) -> &'static str {
        match self {
            FeelingSource::Csat => "CSAT",
            FeelingSource::Nps => "NPS",
            FeelingSource::Sentiment => "sentiment",
            FeelingSource::Ces => "CES",
        }
    }

    /// The emotion scale (-2..2) value of a raw figure, clamped. See `docs/evidence.md`.
    pub(crate) fn to_emotion(self, value: f64) -> f64 {
        let score = match self {
            // Share of 4-5 answers, 0..100: half satisfied is neutral, 75% is +1, all is +2.
            FeelingSource::Csat => (value - 50.0) / 25.0,
            // -100..100: +50 is +1, +100 is +2.
            FeelingSource::Nps => value / 50.0,
            // Mean VADER compound, -1..1.
            FeelingSource::Sentiment => value * 2.0,
            // Mean effort 1..7, lower is better: 4 (the middle) is neutral, 1 is +2.
            FeelingSource::Ces => (4.0 - value) / 1.5,
        };
        score.clamp(-2.0, 2.0)
    }
}

/// Fewer answers than this are too few to draw a measured emotion from: one angry answer
/// would swing the curve.
pub(crate) const MIN_ANSWERS: u64 = 20;

/// A step's measured emotion: the score (-2..2), its source, and the figure it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MeasuredEmotion {
    pub(crate) score: f64,
    pub(crate) source: FeelingSource,
    pub(crate) value: f64,
    pub(crate) n: u64,
}

/// The measured emotion of a step: from CSAT, else NPS, else sentiment, else CES, taking the
/// first with at least [`MIN_ANSWERS`] answers. `None` when no source has enough.
pub(crate) fn measured_emotion(figures: &Figures) -> Option<MeasuredEmotion> {
    let feedback = &figures.feedback;
    [
        (FeelingSource::Csat, feedback.csat.score, feedback.csat.n),
        (FeelingSource::Nps, feedback.nps.score, feedback.nps.n),
        (
            FeelingSource::Sentiment,
            figures.sentiment.mean,
            figures.sentiment.n,
        ),
        (FeelingSource::Ces, feedback.ces.score, feedback.ces.n),
    ]
    .into_iter()
    .find_map(|(source, value, n)| {
        let value = value.filter(|v| v.is_finite() && n >= MIN_ANSWERS)?;
        Some(MeasuredEmotion {
            score: source.to_emotion(value),
            source,
            value,
            n,
        })
    })
}

/// The analysis's check of `kpi` on `step`: same step, metric and outcome (and, when a step has
/// two targets for one metric, the same target).
pub(crate) fn kpi_check<'a>(analysis: &'a Analysis, step: &str, kpi: &Kpi) -> Option<&'a KpiCheck> {
    let mut candidates = analysis.kpis.iter().filter(|check| {
        check.step == step
            && check.metric == kpi.metric.as_str()
            && check.outcome.as_deref() == kpi.outcome.as_deref()
    });
    let first = candidates.next()?;
    Some(
        std::iter::once(first)
            .chain(candidates)
            .find(|check| check.target == kpi.target)
            .unwrap_or(first),
    )
}

/// How a KPI target fares against the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum KpiVerdict {
    Met(f64),
    Missed(f64),
    /// The analysis has the KPI but no value for it (e.g. no answers), or lacks the KPI.
    NoData,
}

pub(crate) fn kpi_verdict(analysis: &Analysis, step: &str, kpi: &Kpi) -> KpiVerdict {
    let Some(check) = kpi_check(analysis, step, kpi) else {
        return KpiVerdict::NoData;
    };
    match (check.actual.filter(|a| a.is_finite()), check.met) {
        (Some(actual), Some(true)) => KpiVerdict::Met(actual),
        (Some(actual), Some(false)) => KpiVerdict::Missed(actual),
        // The engine gave a value without a verdict: judge it the way the map says.
        (Some(actual), None) if kpi.direction().is_met(actual, kpi.target) => {
            KpiVerdict::Met(actual)
        }
        (Some(actual), None) => KpiVerdict::Missed(actual),
        (None, _) => KpiVerdict::NoData,
    }
}

/// The map's evidence on `step` is older than the map allows (`lint.stale_after`, default
/// 365 days, as `trailmap check` counts it): its age in days and the limit.
pub(crate) fn stale_evidence(map: &Map, step: &Step, today: Option<Date>) -> Option<(i64, i64)> {
    let today = today?;
    let verified: Date = step.evidence.as_ref()?.verified.as_deref()?.parse().ok()?;
    let limit = map
        .lint
        .stale_after
        .map_or(365, |d| (d.seconds() / 86_400) as i64);
    let age = today.days_since(verified);
    (age > limit).then_some((age, limit))
}

/// The map does not call this step observed, yet the data measured customers at it.
pub(crate) fn newly_observed(step: &Step, measured: Measured<'_>) -> bool {
    measured.reached().is_some()
        && step
            .evidence
            .as_ref()
            .is_none_or(|e| e.source != EvidenceSource::Observed)
}

/// Which way an outcome should move, as the map's KPI targets for it say: `at_most` for churn,
/// `at_least` for renewal. `None` when no target names the outcome: then it is drawn neutral.
pub(crate) fn outcome_direction(map: &Map, outcome: &str) -> Option<Direction> {
    map.steps()
        .flat_map(|s| &s.step.kpis)
        .find(|k| k.metric == Metric::Outcome && k.outcome.as_deref() == Some(outcome))
        .map(Kpi::direction)
}

/// The outcome's baseline among the customers drawn (everyone, or the persona's customers).
pub(crate) fn outcome_baseline(
    analysis: &Analysis,
    outcome: &str,
    persona: Option<&str>,
) -> Option<f64> {
    let baseline = analysis.outcomes.get(outcome)?;
    match persona {
        None => baseline.baseline,
        Some(id) => baseline.personas.get(id).copied().flatten(),
    }
}

/// Customers analysed in the group drawn: everyone, or the persona's customers.
pub(crate) fn customers(analysis: &Analysis, persona: Option<&str>) -> Option<u64> {
    match persona {
        None => Some(analysis.inputs.customers_analysed),
        Some(id) => analysis.personas.get(id).copied(),
    }
}

/// A significant p-value: below it, a lift is drawn as real.
pub(crate) const SIGNIFICANT: f64 = 0.05;

/// Whether a change is good news: only a significant change in a known direction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Better,
    Worse,
    Neutral,
}

impl Tone {
    /// The tone of an outcome's `lift` when `direction` says which way is good.
    pub(crate) fn of(direction: Option<Direction>, lift: Option<f64>, significant: bool) -> Tone {
        match (direction, lift) {
            (Some(direction), Some(lift)) if significant && lift != 1.0 => {
                Tone::of_change(direction, lift - 1.0)
            }
            _ => Tone::Neutral,
        }
    }

    /// The tone of a change `delta` of a figure for which `direction` is good.
    pub(crate) fn of_change(direction: Direction, delta: f64) -> Tone {
        if delta == 0.0 || !delta.is_finite() {
            Tone::Neutral
        } else if (delta > 0.0) == (direction == Direction::AtLeast) {
            Tone::Better
        } else {
            Tone::Worse
        }
    }

    pub(crate) fn class(self) -> &'static str {
        match self {
            Tone::Better => "better",
            Tone::Worse => "worse",
            Tone::Neutral => "neutral",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testmap;

    fn emotion_of(
        csat: (Option<f64>, u64),
        nps: (Option<f64>, u64),
        sentiment: (Option<f64>, u64),
        ces: (Option<f64>, u64),
    ) -> Option<MeasuredEmotion> {
        let mut figures = testmap::figures(100);
        figures.feedback.csat.score = csat.0;
        figures.feedback.csat.n = csat.1;
        figures.feedback.nps.score = nps.0;
        figures.feedback.nps.n = nps.1;
        figures.sentiment.mean = sentiment.0;
        figures.sentiment.n = sentiment.1;
        figures.feedback.ces.score = ces.0;
        figures.feedback.ces.n = ces.1;
        measured_emotion(&figures)
    }

    #[test]
    fn maps_each_source_onto_the_emotion_scale() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(FeelingSource::Csat.to_emotion(50.0), 0.0));
        assert!(close(FeelingSource::Csat.to_emotion(75.0), 1.0));
        assert!(close(FeelingSource::Csat.to_emotion(0.0), -2.0));
        assert!(close(FeelingSource::Nps.to_emotion(25.0), 0.5));
        assert!(close(FeelingSource::Nps.to_emotion(-100.0), -2.0));
        assert!(close(FeelingSource::Sentiment.to_emotion(-0.3), -0.6));
        assert!(close(FeelingSource::Sentiment.to_emotion(0.9), 1.8));
        assert!(close(FeelingSource::Ces.to_emotion(4.0), 0.0));
        assert!(close(FeelingSource::Ces.to_emotion(1.0), 2.0));
        assert!(close(FeelingSource::Ces.to_emotion(5.5), -1.0));
        // Out-of-range figures stay on the chart.
        assert!(close(FeelingSource::Csat.to_emotion(140.0), 2.0));
        assert!(close(FeelingSource::Nps.to_emotion(-400.0), -2.0));
    }

    #[test]
    fn takes_the_first_source_with_enough_answers() {
        let none = (None, 0);
        let m = emotion_of((Some(80.0), 40), (Some(-20.0), 400), none, none).unwrap();
        assert_eq!((m.source, m.n), (FeelingSource::Csat, 40));
        assert!((m.score - 1.2).abs() < 1e-9);
        // Too few CSAT answers: NPS speaks instead.
        let m = emotion_of((Some(80.0), 19), (Some(-20.0), 400), none, none).unwrap();
        assert_eq!(m.source, FeelingSource::Nps);
        assert!((m.score + 0.4).abs() < 1e-9);
        let m = emotion_of(none, (Some(10.0), 5), (Some(-0.25), 20), (Some(2.0), 90)).unwrap();
        assert_eq!(m.source, FeelingSource::Sentiment);
        let m = emotion_of(none, none, (None, 300), (Some(2.5), 90)).unwrap();
        assert_eq!(m.source, FeelingSource::Ces);
        assert!((m.score - 1.0).abs() < 1e-9);
        assert_eq!(emotion_of(none, (Some(10.0), 3), none, none), None);
        assert_eq!(emotion_of((Some(f64::NAN), 50), none, none, none), None);
    }

    #[test]
    fn judges_stale_evidence_from_the_given_day() {
        let mut map = testmap::purchase();
        let today: Date = "2026-11-25".parse().unwrap();
        let step = &mut map.stages[0].steps[0];
        step.evidence = Some(trailmap_model::Evidence {
            source: EvidenceSource::Research,
            verified: Some("2025-11-24".into()),
            note: None,
        });
        let step = map.stages[0].steps[0].clone();
        assert_eq!(stale_evidence(&map, &step, Some(today)), Some((366, 365)));
        assert_eq!(stale_evidence(&map, &step, None), None);
        let fresh: Date = "2026-11-24".parse().unwrap();
        assert_eq!(stale_evidence(&map, &step, Some(fresh)), None);
        map.lint.stale_after = Some(trailmap_model::Duration::parse("400d").unwrap());
        assert_eq!(stale_evidence(&map, &step, Some(today)), None);
    }
}
