//! The typical order of the main activities, and where to cut it into stages.

use trailmap_engine::log::CaseLog;
use trailmap_engine::stats::quantile_sorted;

/// Per case, the first occurrence (index among the case's events, time) of each main activity.
pub(crate) struct FirstSeen {
    /// `main[activity]`: the activity's index among the main activities, if it is one.
    main: Vec<Option<usize>>,
    /// Per case: `(main index, first event index, first time)`, sorted by event index.
    cases: Vec<Vec<(usize, usize, i64)>>,
}

impl FirstSeen {
    pub(crate) fn new(log: &CaseLog, main_activities: &[usize]) -> FirstSeen {
        let mut main = vec![None; log.activities.len()];
        for (k, a) in main_activities.iter().enumerate() {
            main[*a] = Some(k);
        }
        let mut seen = vec![false; main_activities.len()];
        let cases = (0..log.cases.len())
            .map(|c| {
                seen.iter_mut().for_each(|s| *s = false);
                let mut firsts = Vec::new();
                for (i, e) in log.case_events(c).iter().enumerate() {
                    if let Some(k) = main[e.activity as usize]
                        && !seen[k]
                    {
                        seen[k] = true;
                        firsts.push((k, i, e.time));
                    }
                }
                firsts
            })
            .collect();
        FirstSeen { main, cases }
    }

    fn n(&self) -> usize {
        self.main.iter().flatten().count()
    }

    /// The main activities (by main index) in their typical order: ascending by the share of
    /// (case, other main activity) pairs, over cases with both, in which the other one comes
    /// first. Ties: the earlier median first position, then the lower index.
    pub(crate) fn typical_order(&self) -> Vec<usize> {
        let n = self.n();
        let mut before = vec![0u64; n]; // pairs in which another activity came first
        let mut together = vec![0u64; n]; // pairs with another activity
        let mut positions: Vec<Vec<f64>> = vec![Vec::new(); n];
        for firsts in &self.cases {
            let k = firsts.len() as u64;
            for (rank, (a, _, _)) in firsts.iter().enumerate() {
                // `firsts` is in event order: `rank` others came first, `k - 1 - rank` after.
                before[*a] += rank as u64;
                together[*a] += k - 1;
                positions[*a].push(rank as f64);
            }
        }
        let score = |a: usize| {
            if together[a] == 0 {
                0.5
            } else {
                before[a] as f64 / together[a] as f64
            }
        };
        let median: Vec<f64> = positions
            .iter_mut()
            .map(|p| {
                p.sort_by(f64::total_cmp);
                if p.is_empty() {
                    0.0
                } else {
                    quantile_sorted(p, 0.5)
                }
            })
            .collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|a, b| {
            score(*a)
                .total_cmp(&score(*b))
                .then(median[*a].total_cmp(&median[*b]))
                .then(a.cmp(b))
        });
        order
    }

    /// Per main activity: how spread its place in journeys is. Its first event's position among
    /// the case's main activities, scaled to 0 (first) .. 1 (last), over the cases that have it
    /// and at least one other; the spread is the interquartile range of those positions. A
    /// journey step sits at about the same place (spread near 0); a background event that
    /// happens at any time (a login, a newsletter) is spread over the middle half of journeys
    /// (0.5). `None` without such cases.
    pub(crate) fn spread(&self) -> Vec<Option<f64>> {
        let mut positions: Vec<Vec<f64>> = vec![Vec::new(); self.n()];
        for firsts in &self.cases {
            let k = firsts.len();
            if k < 2 {
                continue;
            }
            for (rank, (a, _, _)) in firsts.iter().enumerate() {
                positions[*a].push(rank as f64 / (k - 1) as f64);
            }
        }
        positions
            .iter_mut()
            .map(|p| {
                p.sort_by(f64::total_cmp);
                (!p.is_empty()).then(|| quantile_sorted(p, 0.75) - quantile_sorted(p, 0.25))
            })
            .collect()
    }

    /// For consecutive activities of `order`: the median seconds from the first one's first event
    /// to the second one's, over cases with both (negative differences count as 0); `None` when
    /// no case has both.
    pub(crate) fn gaps(&self, order: &[usize]) -> Vec<Option<f64>> {
        let n = self.n();
        let mut next_of = vec![None; n];
        for pair in order.windows(2) {
            next_of[pair[0]] = Some(pair[1]);
        }
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); n];
        let mut time_of = vec![None; n];
        for firsts in &self.cases {
            time_of.iter_mut().for_each(|t| *t = None);
            for (a, _, t) in firsts {
                time_of[*a] = Some(*t);
            }
            for (a, _, t) in firsts {
                if let Some(b) = next_of[*a]
                    && let Some(tb) = time_of[b]
                {
                    samples[*a].push(((tb - t) as f64 / 1e6).max(0.0));
                }
            }
        }
        order
            .windows(2)
            .map(|pair| {
                let s = &mut samples[pair[0]];
                s.sort_by(f64::total_cmp);
                (!s.is_empty()).then(|| quantile_sorted(s, 0.5))
            })
            .collect()
    }
}

/// Stages cut more than this many times the median gap: a stage boundary is where customers wait
/// much longer than usual.
pub(crate) const GAP_FACTOR: f64 = 3.0;
/// At most this many stages when they are chosen automatically.
pub(crate) const MAX_AUTO_STAGES: usize = 7;

/// Where to cut `gaps` (between consecutive activities; `gaps.len() + 1` activities) into
/// stages: the indexes `i` of the gaps that end a stage (after activity `i`), ascending.
/// With `stages`: at the `stages - 1` largest gaps. Without: at every gap longer than
/// [`GAP_FACTOR`] times the median gap, the largest first, up to [`MAX_AUTO_STAGES`] stages.
/// Unknown gaps (no case has both) count as 0; ties go to the earlier gap.
pub(crate) fn cuts(gaps: &[Option<f64>], stages: Option<usize>) -> Vec<usize> {
    let g: Vec<f64> = gaps.iter().map(|g| g.unwrap_or(0.0)).collect();
    let mut by_size: Vec<usize> = (0..g.len()).collect();
    by_size.sort_by(|a, b| g[*b].total_cmp(&g[*a]).then(a.cmp(b)));
    let mut cuts: Vec<usize> = match stages {
        Some(n) => by_size.into_iter().take(n.saturating_sub(1)).collect(),
        None => {
            let mut sorted = g.clone();
            sorted.sort_by(f64::total_cmp);
            let median = if sorted.is_empty() {
                0.0
            } else {
                quantile_sorted(&sorted, 0.5)
            };
            by_size
                .into_iter()
                .filter(|i| g[*i] > GAP_FACTOR * median && g[*i] > 0.0)
                .take(MAX_AUTO_STAGES - 1)
                .collect()
        }
    };
    cuts.sort_unstable();
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;
    use trailmap_engine::log::LogEvent;

    const H: i64 = 3_600_000_000;

    /// Cases of `(activity, hours)` events.
    fn log(activities: usize, cases: &[&[(u32, i64)]]) -> CaseLog {
        let mut log = CaseLog {
            activities: (0..activities).map(|a| format!("a{a}")).collect(),
            ..CaseLog::default()
        };
        for (c, events) in cases.iter().enumerate() {
            let events = events.iter().map(|(a, h)| LogEvent {
                activity: *a,
                time: h * H,
            });
            log.push_case(&format!("c{c}"), events);
        }
        log
    }

    #[test]
    fn the_typical_order_survives_skips_and_swaps() {
        // Designed 0 1 2 3. Case 1 skips 1; case 2 swaps 2 and 3; cases 3 and 4 are in order,
        // case 4 starts late. Activity 4 is not a main activity.
        let log = log(
            5,
            &[
                &[(0, 0), (2, 1), (3, 2)],
                &[(0, 0), (1, 1), (3, 2), (2, 3)],
                &[(0, 0), (4, 1), (1, 2), (2, 3), (3, 4)],
                &[(2, 0), (3, 1)],
            ],
        );
        let first = FirstSeen::new(&log, &[0, 1, 2, 3]);
        // Shares of pairs with another activity first: a0 0/8, a1 2/6 (0 before it in both),
        // a2 6/9, a3 8/9: the swap in case 2 is outvoted.
        assert_eq!(first.typical_order(), vec![0, 1, 2, 3]);
    }

    #[test]
    fn gaps_are_medians_of_first_times() {
        let log = log(
            3,
            &[
                &[(0, 0), (1, 2), (2, 50)],
                &[(0, 0), (1, 4), (1, 5), (2, 100)],
                &[(0, 10), (1, 16)],
                // 2 before 1: counts as 0.
                &[(0, 0), (2, 1), (1, 3)],
            ],
        );
        let first = FirstSeen::new(&log, &[0, 1, 2]);
        let gaps = first.gaps(&[0, 1, 2]);
        // 0→1: 2, 4, 6, 3 hours → median 3.5 h. 1→2: 48, 96, 0 → 48 h.
        assert_eq!(gaps, vec![Some(3.5 * 3600.0), Some(48.0 * 3600.0)]);
    }

    #[test]
    fn background_events_are_spread() {
        // 0 1 2 in order in every case; 3 anywhere.
        let log = log(
            4,
            &[
                &[(3, 0), (0, 1), (1, 2), (2, 3)],
                &[(0, 0), (3, 1), (1, 2), (2, 3)],
                &[(0, 0), (1, 1), (3, 2), (2, 3)],
                &[(0, 0), (1, 1), (2, 2), (3, 3)],
            ],
        );
        let spread = FirstSeen::new(&log, &[0, 1, 2, 3]).spread();
        // Activity 0: positions 1/3, 0, 0, 0 → quartiles 0 and 0.083: spread 0.083.
        assert!((spread[0].unwrap() - 1.0 / 12.0).abs() < 1e-12);
        // Activity 3: positions 0, 1/3, 2/3, 1 → quartiles 0.25 and 0.75: spread 0.5.
        assert!((spread[3].unwrap() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn stages_cut_at_long_waits() {
        let h = |x: f64| Some(x * 3600.0);
        // Gaps 1h 2h 30h 1h 48h 2h: median 2h, cut where over 6h → after activity 2 and 4.
        let gaps = [h(1.0), h(2.0), h(30.0), h(1.0), h(48.0), h(2.0)];
        assert_eq!(cuts(&gaps, None), vec![2, 4]);
        // Asked for 2 stages: the one largest gap.
        assert_eq!(cuts(&gaps, Some(2)), vec![4]);
        assert_eq!(cuts(&gaps, Some(1)), Vec::<usize>::new());
        // More stages than gaps allow: every gap.
        assert_eq!(cuts(&gaps, Some(20)), vec![0, 1, 2, 3, 4, 5]);
        // Even gaps: one stage.
        assert_eq!(cuts(&[h(1.0), h(1.0), h(1.0)], None), Vec::<usize>::new());
        // No timing at all: one stage.
        assert_eq!(cuts(&[None, None], None), Vec::<usize>::new());
        assert_eq!(cuts(&[], None), Vec::<usize>::new());
    }
}
