//! Optimal alignment of a customer's visits with their designed path.
//!
//! The model is the path as a sequence: each step in order, where an optional step can be
//! skipped silently (a Petri net with a silent "skip" transition beside each optional step).
//! An alignment pairs the visits with a run of the model using three kinds of move:
//! - a *synchronous move* (the visit is the model's next step): cost 0;
//! - a *move on log* (a visit the model has no place for): cost 1;
//! - a *move on model* (a required step the customer did not take): cost 1; skipping an
//!   optional step is silent and costs 0.
//!
//! Every step occurs once on the path, so an optimal alignment is a heaviest common subsequence
//! of visits and path where matching a required step is worth 2 (it saves a log move and a model
//! move) and an optional one 1 (it saves only the log move):
//! `cost = visits + required − weight`. The worst case is every visit a log move plus the
//! cheapest run of the model (its required steps): `worst = visits + required`. These are
//! pm4py's alignment costs (divided by its move cost of 10 000, ignoring its cost of 1 per
//! silent move), so `1 − cost / worst` is its trace fitness.
//!
//! The *reached* alignment aligns the visits with the path only up to the furthest of its steps
//! the customer took (a journey still under way, or ended early, owes nothing for the steps after
//! where it got to; it owes every required step before). Same costs, with `required` counting the
//! required steps up to there. A customer who took no step of their path is aligned with the
//! empty path: every visit a move on log, fitness 0.

use super::design::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Alignment {
    pub(crate) cost: u64,
    pub(crate) worst: u64,
    pub(crate) prefix_cost: u64,
    pub(crate) prefix_worst: u64,
}

impl Alignment {
    pub(crate) fn fitness(&self) -> f64 {
        1.0 - self.cost as f64 / self.worst as f64
    }

    pub(crate) fn prefix_fitness(&self) -> f64 {
        1.0 - self.prefix_cost as f64 / self.prefix_worst as f64
    }
}

/// Aligns `visits` (step orders; never empty) with `path`. Time O(visits × path steps), memory
/// O(path steps).
pub(crate) fn align(visits: &[usize], path: &Path) -> Alignment {
    let model: Vec<(usize, u64)> = (0..path.on.len())
        .filter(|&o| path.on[o])
        .map(|o| (o, if path.required[o] { 2 } else { 1 }))
        .collect();
    let m = model.len();
    // weight[k]: the heaviest common subsequence of the visits so far and model[..k].
    let mut weight = vec![0u64; m + 1];
    let mut next = vec![0u64; m + 1];
    for &visit in visits {
        next[0] = 0;
        for k in 1..=m {
            let (step, w) = model[k - 1];
            let mut best = weight[k].max(next[k - 1]);
            if step == visit {
                best = best.max(weight[k - 1] + w);
            }
            next[k] = best;
        }
        std::mem::swap(&mut weight, &mut next);
    }
    let n = visits.len() as u64;
    // The furthest step of the path the customer took: the reached alignment stops there.
    let reached = model
        .iter()
        .rposition(|(step, _)| visits.contains(step))
        .map_or(0, |k| k + 1);
    let required_to = |k: usize| model[..k].iter().filter(|(_, w)| *w == 2).count() as u64;
    let (required, required_reached) = (required_to(m), required_to(reached));
    Alignment {
        cost: n + required - weight[m],
        worst: n + required,
        prefix_cost: n + required_reached - weight[reached],
        prefix_worst: n + required_reached,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path over steps 0..len: `spec` has one char per step: `r` required, `o` optional,
    /// `-` not on the path.
    fn path(spec: &str) -> Path {
        let on: Vec<bool> = spec.chars().map(|c| c != '-').collect();
        let required: Vec<bool> = spec.chars().map(|c| c == 'r').collect();
        Path {
            entry: vec![false; on.len()],
            on,
            required,
            last_stage: 0,
        }
    }

    fn costs(visits: &[usize], spec: &str) -> (u64, u64, u64, u64) {
        let a = align(visits, &path(spec));
        (a.cost, a.worst, a.prefix_cost, a.prefix_worst)
    }

    #[test]
    fn a_journey_that_follows_the_whole_path_costs_nothing() {
        assert_eq!(costs(&[0, 1, 2], "rrr"), (0, 6, 0, 6));
        let a = align(&[0, 1, 2], &path("rrr"));
        assert_eq!(a.fitness(), 1.0);
        assert_eq!(a.prefix_fitness(), 1.0);
    }

    #[test]
    fn skipping_an_optional_step_is_free_and_a_required_one_costs_one() {
        // Path A B? C: A C skips the optional B.
        assert_eq!(costs(&[0, 2], "ror"), (0, 4, 0, 4));
        // Path A B C: A C skips the required B: one move on model, worst case 2 visits + 3 steps.
        let a = align(&[0, 2], &path("rrr"));
        assert_eq!(
            (a.cost, a.worst, a.prefix_cost, a.prefix_worst),
            (1, 5, 1, 5)
        );
        assert!((a.fitness() - 0.8).abs() < 1e-12);
    }

    #[test]
    fn stopping_early_costs_the_rest_of_the_path_but_not_up_to_where_they_got() {
        // Path A B C D, customer took A B: moves on model for C and D.
        let a = align(&[0, 1], &path("rrrr"));
        assert_eq!((a.cost, a.worst), (2, 6));
        assert!((a.fitness() - (1.0 - 2.0 / 6.0)).abs() < 1e-12);
        assert_eq!((a.prefix_cost, a.prefix_worst), (0, 4));
        assert_eq!(a.prefix_fitness(), 1.0);
        // A skipped step before where they stopped still counts: A C on path A B C D.
        assert_eq!(costs(&[0, 2], "rrrr"), (2, 6, 1, 5));
    }

    #[test]
    fn a_loop_is_one_move_on_log() {
        // A B A C on path A B C: the second A has no place.
        assert_eq!(costs(&[0, 1, 0, 2], "rrr"), (1, 7, 1, 7));
    }

    #[test]
    fn a_swap_costs_two() {
        // A C B on path A B C: sync A, then B or C is a move on log and the other a move on model.
        assert_eq!(costs(&[0, 2, 1], "rrr"), (2, 6, 2, 6));
        // A C B on A B C D: D is owed by the whole path, not by the part they got to.
        assert_eq!(costs(&[0, 2, 1], "rrrr"), (3, 7, 2, 6));
    }

    #[test]
    fn a_step_off_the_path_is_a_move_on_log() {
        // Path A - C (B is for other personas): A B C.
        assert_eq!(costs(&[0, 1, 2], "r-r"), (1, 5, 1, 5));
    }

    #[test]
    fn entering_late_owes_the_steps_before() {
        // C D on path A B C D: moves on model for A and B.
        assert_eq!(costs(&[2, 3], "rrrr"), (2, 6, 2, 6));
        // A journey with nothing in common with its path: every visit a move on log.
        assert_eq!(costs(&[1, 1], "r-"), (3, 3, 2, 2));
        assert_eq!(align(&[1, 1], &path("r-")).prefix_fitness(), 0.0);
    }

    #[test]
    fn the_worked_example_in_the_docs() {
        // docs/conformance.md: path A B? C D.
        let p = "rorr";
        assert_eq!(costs(&[0, 2, 0, 3], p), (1, 7, 1, 7));
        assert_eq!(costs(&[0, 1], p), (2, 5, 0, 3));
        assert_eq!(costs(&[2, 3], p), (1, 5, 1, 5));
        let log: f64 = 1.0 - (1.0 + 2.0 + 1.0) / (7.0 + 5.0 + 5.0);
        assert!((log - 0.765).abs() < 5e-4);
        let mean: f64 = ((1.0 - 1.0 / 7.0) + (1.0 - 2.0 / 5.0) + (1.0 - 1.0 / 5.0)) / 3.0;
        assert!((mean - 0.752).abs() < 5e-4);
    }

    /// Independent reference: the cheapest insert/delete edit distance from the visits to any
    /// word of the model's language (every subset of the optional steps kept), for the whole path
    /// and for the path up to the furthest of its steps among the visits.
    fn brute_force(visits: &[usize], spec: &str) -> (u64, u64) {
        let steps: Vec<(usize, char)> = spec
            .chars()
            .enumerate()
            .filter(|(_, c)| *c != '-')
            .collect();
        let reached = steps
            .iter()
            .rposition(|(o, _)| visits.contains(o))
            .map_or(0, |k| k + 1);
        let cheapest = |steps: &[(usize, char)]| {
            let optional: Vec<usize> = (0..steps.len()).filter(|&i| steps[i].1 == 'o').collect();
            (0..(1u32 << optional.len()))
                .map(|mask| {
                    let word: Vec<usize> = (0..steps.len())
                        .filter(|i| match optional.iter().position(|o| o == i) {
                            Some(bit) => mask & (1 << bit) != 0,
                            None => true,
                        })
                        .map(|i| steps[i].0)
                        .collect();
                    edit(visits, &word)
                })
                .min()
                .unwrap()
        };
        (cheapest(&steps), cheapest(&steps[..reached]))
    }

    fn edit(a: &[usize], b: &[usize]) -> u64 {
        let mut lcs = vec![vec![0u64; b.len() + 1]; a.len() + 1];
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                lcs[i][j] = if a[i - 1] == b[j - 1] {
                    lcs[i - 1][j - 1] + 1
                } else {
                    lcs[i - 1][j].max(lcs[i][j - 1])
                };
            }
        }
        (a.len() + b.len()) as u64 - 2 * lcs[a.len()][b.len()]
    }

    #[test]
    fn agrees_with_brute_force_on_every_short_journey() {
        let specs = ["rrr", "ror", "oro", "r-or", "oooo", "rr-o", "-rrr"];
        let mut checked = 0;
        for spec in specs {
            let steps = spec.len();
            // Every visit sequence of length 1..=4 over the steps (back-to-back repeats allowed;
            // the alignment does not care whether they were collapsed).
            for len in 1..=4u32 {
                for code in 0..steps.pow(len) {
                    let mut c = code;
                    let visits: Vec<usize> = (0..len)
                        .map(|_| {
                            let v = c % steps;
                            c /= steps;
                            v
                        })
                        .collect();
                    let a = align(&visits, &path(spec));
                    assert_eq!(
                        (a.cost, a.prefix_cost),
                        brute_force(&visits, spec),
                        "{visits:?} on {spec}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000);
    }
}
