//! One customer's journey against their path: visits, deviations, alignment.
//!
//! Definitions (docs/conformance.md holds them for users):
//! - a *visit* is a run of back-to-back events of the same step; the journey is its visits;
//! - **skip** of a step of the path: never taken, but a later step of the map was;
//! - **loop** on a step: visited again after another step;
//! - **out of order**: a step's first visit comes after a visit to a later step of the map;
//! - **backward move**: two consecutive visits where the second's stage comes before the first's;
//! - **unexpected entry**: the first visit is not an expected first step of the path;
//! - **off persona**: a visit to a step whose `personas` exclude the customer's persona.
//!
//! The journey *follows the map* when it has none of these, skips of optional steps aside.
//! Equivalently: its visits are a subsequence of the path containing every required step before
//! the last visit, which is exactly a reached-alignment cost of 0 (`align`).

use super::align::{Alignment, align};
use super::design::{Design, Path};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Deviation {
    Skip(usize),
    /// From stage, to the earlier stage.
    Backward(usize, usize),
    Loop(usize),
    OutOfOrder(usize),
    UnexpectedEntry(usize),
    OffPersona(usize),
}

impl Deviation {
    /// Whether it breaks "follows the map": everything but skipping an optional step (only
    /// required and optional steps of a path are recorded as skipped).
    pub(crate) fn breaks_order(&self, design: &Design) -> bool {
        match self {
            Deviation::Skip(step) => !design.steps[*step].optional,
            _ => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Journey {
    /// Step orders, one per visit.
    pub(crate) visits: Vec<usize>,
    /// Some step had back-to-back events.
    pub(crate) repeated: bool,
    /// Every deviation once (a backward move between the same stages counted once here), sorted.
    pub(crate) deviations: Vec<Deviation>,
    /// Backward moves with how often each happened.
    pub(crate) backward_moves: Vec<((usize, usize), u64)>,
    pub(crate) follows: bool,
    /// The largest step order visited.
    pub(crate) furthest: usize,
    /// The stage of the last visit.
    pub(crate) last_stage: usize,
    /// Whether the step is one the customer took, per step order.
    pub(crate) took: Vec<bool>,
    pub(crate) alignment: Alignment,
}

/// Works out the journey of a customer whose events (step orders, in time order; never empty) are
/// `steps`, on `path`.
pub(crate) fn journey(design: &Design, path: &Path, steps: &[usize]) -> Journey {
    let mut visits: Vec<usize> = Vec::with_capacity(steps.len());
    let mut repeated = false;
    for &s in steps {
        if visits.last() == Some(&s) {
            repeated = true;
        } else {
            visits.push(s);
        }
    }
    let n_steps = design.steps.len();
    let stage_of = |order: usize| design.steps[order].stage;
    let mut deviations = Vec::new();
    let mut took = vec![false; n_steps];
    let mut looped = vec![false; n_steps];
    let mut backward: Vec<((usize, usize), u64)> = Vec::new();
    let mut furthest = visits[0];
    if !path.entry[visits[0]] {
        deviations.push(Deviation::UnexpectedEntry(visits[0]));
    }
    for (i, &v) in visits.iter().enumerate() {
        if !path.on[v] && !took[v] {
            deviations.push(Deviation::OffPersona(v));
        }
        if took[v] {
            if !looped[v] {
                looped[v] = true;
                deviations.push(Deviation::Loop(v));
            }
        } else if v < furthest {
            deviations.push(Deviation::OutOfOrder(v));
        }
        if i > 0 {
            let (from, to) = (stage_of(visits[i - 1]), stage_of(v));
            if to < from {
                match backward.iter_mut().find(|(key, _)| *key == (from, to)) {
                    Some((_, moves)) => *moves += 1,
                    None => {
                        backward.push(((from, to), 1));
                        deviations.push(Deviation::Backward(from, to));
                    }
                }
            }
        }
        took[v] = true;
        furthest = furthest.max(v);
    }
    // Skips of required steps break the order; skips of optional ones are recorded to compare
    // their outcomes. A step only some personas take is neither for a customer without a
    // persona: not recorded.
    for (step, took) in took.iter().enumerate().take(furthest) {
        let recorded = path.required[step] || (path.on[step] && design.steps[step].optional);
        if recorded && !took {
            deviations.push(Deviation::Skip(step));
        }
    }
    deviations.sort();
    backward.sort();
    let follows = !deviations.iter().any(|d| d.breaks_order(design));
    let alignment = align(&visits, path);
    debug_assert_eq!(
        follows,
        alignment.prefix_cost == 0,
        "following the map is a reached-alignment cost of 0: {visits:?}"
    );
    Journey {
        last_stage: stage_of(*visits.last().expect("a journey has a visit")),
        visits,
        repeated,
        deviations,
        backward_moves: backward,
        follows,
        furthest,
        took,
        alignment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trailmap_model::Map;

    /// Stages: `one` (a, b optional, c for persona p2 only), `two` (d, e), `three` (f).
    /// Personas p1, p2.
    fn design() -> Design {
        let text = r#"{
          "trailmap": 1,
          "journey": {"id": "j", "name": "J", "kind": "other", "state": "current"},
          "personas": [{"id": "p1", "name": "P1"}, {"id": "p2", "name": "P2"}],
          "stages": [
            {"id": "one", "name": "One", "steps": [
              {"id": "a", "name": "A", "match": "event = 'a'"},
              {"id": "b", "name": "B", "match": "event = 'b'", "optional": true},
              {"id": "c", "name": "C", "match": "event = 'c'", "personas": ["p2"]}]},
            {"id": "two", "name": "Two", "steps": [
              {"id": "d", "name": "D", "match": "event = 'd'"}, {"id": "e", "name": "E", "match": "event = 'e'"}]},
            {"id": "three", "name": "Three", "steps": [{"id": "f", "name": "F", "match": "event = 'f'"}]}
          ]
        }"#;
        let map: Map = serde_json::from_str(text).unwrap();
        Design::new(&map, &[])
    }

    const A: usize = 0;
    const B: usize = 1;
    const C: usize = 2;
    const D: usize = 3;
    const E: usize = 4;
    const F: usize = 5;

    fn of(persona: Option<usize>, steps: &[usize]) -> Journey {
        let design = design();
        let path = design.path(persona).clone();
        journey(&design, &path, steps)
    }

    use Deviation::*;

    #[test]
    fn the_designed_order_follows_the_map_with_back_to_back_repeats_collapsed() {
        let j = of(Some(0), &[A, A, B, D, D, D, E, F]);
        assert_eq!(j.visits, vec![A, B, D, E, F]);
        assert!(j.repeated);
        assert!(j.follows);
        assert!(j.deviations.is_empty());
        assert_eq!(j.alignment.cost, 0);
        assert_eq!(j.last_stage, 2);
    }

    #[test]
    fn skipping_an_optional_step_follows_the_map_but_is_recorded() {
        let j = of(Some(0), &[A, D, E]);
        assert!(j.follows);
        assert_eq!(j.deviations, vec![Skip(B)]);
        assert!(!j.repeated);
    }

    #[test]
    fn skipping_a_required_step_does_not() {
        let j = of(Some(0), &[A, B, E, F]);
        assert!(!j.follows);
        assert_eq!(j.deviations, vec![Skip(D)]);
    }

    #[test]
    fn stopping_early_is_not_a_deviation() {
        let j = of(Some(0), &[A, B, D]);
        assert!(j.follows);
        assert!(j.deviations.is_empty());
        assert_eq!(j.last_stage, 1);
        assert_eq!(j.alignment.prefix_cost, 0);
        // The whole path still owes E and F.
        assert_eq!(j.alignment.cost, 2);
    }

    #[test]
    fn a_step_for_another_persona_is_neither_expected_nor_allowed() {
        // p1 does not have C on their path: not skipped, and taking it is off persona.
        assert_eq!(of(Some(0), &[A, D]).deviations, vec![Skip(B)]);
        let j = of(Some(0), &[A, C, D]);
        assert_eq!(j.deviations, vec![Skip(B), OffPersona(C)]);
        assert!(!j.follows);
        // p2 must take C.
        assert_eq!(of(Some(1), &[A, D]).deviations, vec![Skip(B), Skip(C)]);
        assert!(of(Some(1), &[A, C, D]).follows);
    }

    #[test]
    fn customers_without_a_persona_may_take_persona_steps_but_need_not() {
        assert!(of(None, &[A, D]).follows);
        assert!(of(None, &[A, C, D]).follows);
        assert_eq!(of(None, &[A, D]).deviations, vec![Skip(B)]);
    }

    #[test]
    fn coming_back_to_a_step_is_a_loop_and_back_to_an_earlier_stage_a_backward_move() {
        // A D A D E: loops on A and D, back from Two to One once (D → A).
        let j = of(Some(0), &[A, D, A, D, E]);
        assert_eq!(
            j.deviations,
            vec![Skip(B), Backward(1, 0), Loop(A), Loop(D)]
        );
        assert_eq!(j.backward_moves, vec![((1, 0), 1)]);
        assert!(!j.follows);
        // Twice back: one deviation, two moves.
        let j = of(Some(0), &[A, D, A, D, A, E]);
        assert_eq!(j.backward_moves, vec![((1, 0), 2)]);
        assert_eq!(
            j.deviations
                .iter()
                .filter(|d| matches!(d, Backward(..)))
                .count(),
            1
        );
    }

    #[test]
    fn a_step_first_taken_after_a_later_one_is_out_of_order() {
        // A E D F: D after E (same stage: out of order, not backward).
        let j = of(Some(0), &[A, E, D, F]);
        assert_eq!(j.deviations, vec![Skip(B), OutOfOrder(D)]);
        assert!(!j.follows);
        // A D B E: B after D, and D (stage Two) → B (stage One) is a backward move.
        let j = of(Some(0), &[A, D, B, E]);
        assert_eq!(j.deviations, vec![Backward(1, 0), OutOfOrder(B)]);
    }

    #[test]
    fn starting_anywhere_but_the_first_steps_is_an_unexpected_entry() {
        let j = of(Some(0), &[D, E]);
        assert_eq!(j.deviations, vec![Skip(A), Skip(B), UnexpectedEntry(D)]);
        // Entering at A is expected; so is B when A is optional... here A is required, so B is
        // not an expected first step.
        assert_eq!(
            of(Some(0), &[B, D]).deviations,
            vec![Skip(A), UnexpectedEntry(B)]
        );
    }

    #[test]
    fn fitness_matches_hand_computed_costs() {
        // p1 path: A B? D E F (C is not on it). A C D: C is a move on log; E, F moves on model.
        let j = of(Some(0), &[A, C, D]);
        assert_eq!((j.alignment.cost, j.alignment.worst), (3, 3 + 4));
        assert_eq!(
            (j.alignment.prefix_cost, j.alignment.prefix_worst),
            (1, 3 + 2)
        );
        assert!((j.alignment.prefix_fitness() - 0.8).abs() < 1e-12);
        let _ = F;
    }
}
