//! Process discovery on a case log: the directly-follows graph, variants and case durations,
//! with pm4py's semantics (see `trailmap_model::paths` and docs/paths.md).
//!
//! O(events), in two halves that run at once on two threads, each reading the whole log:
//! - the case figures ([`case_figures`]): start and end activities, activity counts, variants
//!   (interned by their activity sequence), case durations and sizes;
//! - the edge figures ([`edge_figures`]): pairs counted in a dense `activities²` table (or a
//!   hash map when there are too many activities for one), then the per-edge durations (needed
//!   for exact medians) collected in one flat buffer laid out by edge, 8 bytes per pair.

use rustc_hash::FxHashMap;
use std::hash::Hasher;

use trailmap_engine::log::{By, CaseLog, LogEvent};
use trailmap_engine::time::format_micros;
use trailmap_model::analysis::{InputFile, TimeSpan};
use trailmap_model::paths::{
    ActivityCount, ActivityStats, CountStats, DISCOVERY_VERSION, Discovery, DiscoveryInputs,
    DurationStats, Edge, Variant, VariantRest, Variants,
};

/// How much to report.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Variants to list in `variants.top`; `None` lists every variant.
    pub top_variants: Option<usize>,
    /// What the activities are, for the report.
    pub by: By,
    /// With a map: its journey id, for the report.
    pub journey: Option<String>,
}

/// Above this many activities, pairs are counted in a hash map instead of a dense table.
const DENSE_MAX_ACTIVITIES: usize = 2048;

/// Discovers the directly-follows graph, variants and case durations of `log`.
pub fn discover(log: &CaseLog, options: &DiscoverOptions) -> Discovery {
    let (cases, edges) = std::thread::scope(|scope| {
        let edges = scope.spawn(|| edge_figures(log));
        let cases = case_figures(log, options);
        let edges = edges
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (cases, edges)
    });
    let n_act = log.activities.len();
    let CaseFigures {
        cases: n_cases,
        starts,
        ends,
        activity_events,
        activity_cases,
        time_span,
        variants,
        case_duration,
        events_per_case,
    } = cases;
    Discovery {
        version: DISCOVERY_VERSION,
        by: match options.by {
            By::Step => "step",
            By::Event => "event",
        }
        .to_owned(),
        journey: options.journey.clone(),
        inputs: DiscoveryInputs {
            files: log
                .files
                .iter()
                .map(|f| InputFile {
                    path: f.path.display().to_string(),
                    format: f.format.as_str().to_owned(),
                    rows: f.rows,
                })
                .collect(),
            rows_read: log.rows_read,
            rows_dropped: log.rows_dropped,
            rows_outside_period: log.rows_outside_period,
            bad_rows: log.bad_rows.count,
            bad_row_examples: log.bad_rows.examples.clone(),
        },
        cases: n_cases,
        events: log.events.len() as u64,
        time_span,
        activities: (0..n_act)
            .map(|a| ActivityStats {
                activity: log.activities[a].clone(),
                events: activity_events[a],
                cases: activity_cases[a],
            })
            .collect(),
        start_activities: activity_counts(log, &starts),
        end_activities: activity_counts(log, &ends),
        edges,
        variants,
        case_duration,
        events_per_case,
    }
}

/// What [`case_figures`] finds.
struct CaseFigures {
    cases: u64,
    starts: Vec<u64>,
    ends: Vec<u64>,
    activity_events: Vec<u64>,
    activity_cases: Vec<u64>,
    time_span: Option<TimeSpan>,
    variants: Variants,
    case_duration: DurationStats,
    events_per_case: CountStats,
}

/// Everything per case: start and end activities, activity counts, variants, durations.
fn case_figures(log: &CaseLog, options: &DiscoverOptions) -> CaseFigures {
    let n_act = log.activities.len();
    let n_cases = log.cases.len();
    let mut starts = vec![0u64; n_act];
    let mut ends = vec![0u64; n_act];
    let mut activity_events = vec![0u64; n_act];
    let mut activity_cases = vec![0u64; n_act];
    // The last case that counted towards `activity_cases`, per activity.
    let mut last_case = vec![usize::MAX; n_act];
    let mut variants_seen = VariantTable::default();
    let mut case_durations: Vec<i64> = Vec::with_capacity(n_cases);
    let mut case_sizes: Vec<u64> = Vec::with_capacity(n_cases);
    let (mut first_time, mut last_time) = (i64::MAX, i64::MIN);
    for (c, case) in log.cases.iter().enumerate() {
        let events = &log.events[case.events.clone()];
        let (Some(first), Some(last)) = (events.first(), events.last()) else {
            continue;
        };
        starts[first.activity as usize] += 1;
        ends[last.activity as usize] += 1;
        first_time = first_time.min(first.time);
        last_time = last_time.max(last.time);
        case_durations.push(last.time - first.time);
        case_sizes.push(events.len() as u64);
        for event in events {
            let a = event.activity as usize;
            activity_events[a] += 1;
            if last_case[a] != c {
                last_case[a] = c;
                activity_cases[a] += 1;
            }
        }
        variants_seen.add(events);
    }
    let cases = case_durations.len() as u64;
    CaseFigures {
        cases,
        starts,
        ends,
        activity_events,
        activity_cases,
        time_span: (cases > 0).then(|| TimeSpan {
            from: format_micros(first_time),
            to: format_micros(last_time),
        }),
        variants: variants_seen.report(log, cases, options.top_variants),
        case_duration: duration_stats(&mut case_durations),
        events_per_case: count_stats(&mut case_sizes),
    }
}

/// The directly-follows graph: every pair's count and duration figures, most frequent first.
fn edge_figures(log: &CaseLog) -> Vec<Edge> {
    let mut pairs = PairIndex::new(log.activities.len());
    // Per edge (in order of first occurrence): its activities and count.
    let mut edge_ends: Vec<(u32, u32)> = Vec::new();
    let mut edge_counts: Vec<u64> = Vec::new();
    for case in &log.cases {
        for w in log.events[case.events.clone()].windows(2) {
            let edge = pairs.edge(w[0].activity, w[1].activity, || {
                edge_ends.push((w[0].activity, w[1].activity));
                edge_counts.push(0);
                edge_ends.len() as u32 - 1
            });
            edge_counts[edge as usize] += 1;
        }
    }

    // Every pair's duration, in a buffer laid out edge after edge.
    let mut offsets: Vec<usize> = Vec::with_capacity(edge_counts.len() + 1);
    let mut total = 0usize;
    for &count in &edge_counts {
        offsets.push(total);
        total += count as usize;
    }
    offsets.push(total);
    let mut fill = offsets.clone();
    let mut durations = vec![0i64; total];
    for case in &log.cases {
        for w in log.events[case.events.clone()].windows(2) {
            let edge = pairs.get(w[0].activity, w[1].activity) as usize;
            durations[fill[edge]] = w[1].time - w[0].time;
            fill[edge] += 1;
        }
    }
    drop(pairs);

    let name = |a: u32| log.activities[a as usize].clone();
    let mut edges: Vec<Edge> = edge_ends
        .iter()
        .enumerate()
        .map(|(e, &(from, to))| {
            let values = &mut durations[offsets[e]..offsets[e + 1]];
            let stats = Summary::of(values);
            Edge {
                from: name(from),
                to: name(to),
                count: edge_counts[e],
                mean_s: stats.mean / 1e6,
                median_s: stats.median / 1e6,
                min_s: stats.min as f64 / 1e6,
                max_s: stats.max as f64 / 1e6,
                sum_s: stats.sum as f64 / 1e6,
                stdev_s: stats.stdev.map(|s| s / 1e6),
            }
        })
        .collect();
    edges.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.to.cmp(&b.to))
    });
    edges
}

/// Edge index of each pair `(a, b)`: a dense table for few activities, else a hash map.
enum PairIndex {
    Dense { n: usize, table: Vec<u32> },
    Sparse(FxHashMap<u64, u32>),
}

impl PairIndex {
    fn new(n_activities: usize) -> PairIndex {
        if n_activities <= DENSE_MAX_ACTIVITIES {
            PairIndex::Dense {
                n: n_activities,
                table: vec![u32::MAX; n_activities * n_activities],
            }
        } else {
            PairIndex::Sparse(FxHashMap::default())
        }
    }

    /// The edge of a pair seen before.
    fn get(&self, a: u32, b: u32) -> u32 {
        match self {
            PairIndex::Dense { n, table } => table[a as usize * *n + b as usize],
            PairIndex::Sparse(map) => map[&((u64::from(a) << 32) | u64::from(b))],
        }
    }

    /// The edge of `(a, b)`, made with `new_edge` on first sight.
    fn edge(&mut self, a: u32, b: u32, new_edge: impl FnOnce() -> u32) -> u32 {
        match self {
            PairIndex::Dense { n, table } => {
                let slot = &mut table[a as usize * *n + b as usize];
                if *slot == u32::MAX {
                    *slot = new_edge();
                }
                *slot
            }
            PairIndex::Sparse(map) => *map
                .entry((u64::from(a) << 32) | u64::from(b))
                .or_insert_with(new_edge),
        }
    }
}

/// Counts per activity as a list: most first, ties by name; zero counts left out.
fn activity_counts(log: &CaseLog, counts: &[u64]) -> Vec<ActivityCount> {
    let mut out: Vec<ActivityCount> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(a, &n)| ActivityCount {
            activity: log.activities[a].clone(),
            cases: n,
        })
        .collect();
    out.sort_by(|a, b| {
        b.cases
            .cmp(&a.cases)
            .then_with(|| a.activity.cmp(&b.activity))
    });
    out
}

/// The distinct activity sequences, interned: each sequence once in a flat arena, found by its
/// hash (collisions chained), so a case costs one hash and one comparison, not an allocation.
#[derive(Default)]
struct VariantTable {
    /// Sequence hash → the newest variant with that hash.
    heads: FxHashMap<u64, u32>,
    /// Per variant: the previous variant with the same hash, or `u32::MAX`.
    next: Vec<u32>,
    /// Per variant: its activities are `arena[offsets[v]..offsets[v + 1]]`.
    arena: Vec<u32>,
    offsets: Vec<usize>,
    counts: Vec<u64>,
}

impl VariantTable {
    fn sequence(&self, v: usize) -> &[u32] {
        &self.arena[self.offsets[v]..self.offsets[v + 1]]
    }

    fn add(&mut self, events: &[LogEvent]) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        let mut hasher = rustc_hash::FxHasher::default();
        for e in events {
            hasher.write_u32(e.activity);
        }
        hasher.write_usize(events.len());
        let hash = hasher.finish();
        let same = |v: usize| {
            let seq = self.sequence(v);
            seq.len() == events.len() && seq.iter().zip(events).all(|(&a, e)| a == e.activity)
        };
        let mut candidate = self.heads.get(&hash).copied().unwrap_or(u32::MAX);
        while candidate != u32::MAX {
            if same(candidate as usize) {
                self.counts[candidate as usize] += 1;
                return;
            }
            candidate = self.next[candidate as usize];
        }
        let v = self.counts.len() as u32;
        self.next
            .push(self.heads.insert(hash, v).unwrap_or(u32::MAX));
        self.arena.extend(events.iter().map(|e| e.activity));
        self.offsets.push(self.arena.len());
        self.counts.push(1);
    }

    /// The `top` most frequent variants and the rest. Order as pm4py's
    /// `get_variants_sorted_by_count` (`sorted(key=(count, variant), reverse=True)`): most cases
    /// first, ties by the activity names compared in turn, the greater first.
    fn report(&self, log: &CaseLog, cases: u64, top: Option<usize>) -> Variants {
        // Comparing activity ranks in name order is comparing the names.
        let mut by_name: Vec<usize> = (0..log.activities.len()).collect();
        by_name.sort_by(|&a, &b| log.activities[a].cmp(&log.activities[b]));
        let mut rank = vec![0u32; log.activities.len()];
        for (r, &a) in by_name.iter().enumerate() {
            rank[a] = r as u32;
        }
        let ranks = |v: usize| self.sequence(v).iter().map(|&a| rank[a as usize]);
        let order_of = |&a: &usize, &b: &usize| {
            self.counts[b]
                .cmp(&self.counts[a])
                .then_with(|| ranks(b).cmp(ranks(a)))
        };
        let mut order: Vec<usize> = (0..self.counts.len()).collect();
        let shown = top.unwrap_or(usize::MAX).min(order.len());
        if shown < order.len() {
            // Only the top need sorting.
            if shown > 0 {
                order.select_nth_unstable_by(shown - 1, order_of);
            }
            order[..shown].sort_by(order_of);
        } else {
            order.sort_by(order_of);
        }
        let share = |n: u64| {
            if cases == 0 {
                0.0
            } else {
                n as f64 / cases as f64
            }
        };
        let top_list = order[..shown]
            .iter()
            .map(|&v| Variant {
                activities: self
                    .sequence(v)
                    .iter()
                    .map(|&a| log.activities[a as usize].clone())
                    .collect(),
                count: self.counts[v],
                share: share(self.counts[v]),
            })
            .collect();
        let rest_cases: u64 = order[shown..].iter().map(|&v| self.counts[v]).sum();
        Variants {
            distinct: self.counts.len() as u64,
            top: top_list,
            rest: VariantRest {
                variants: (order.len() - shown) as u64,
                cases: rest_cases,
                share: share(rest_cases),
            },
        }
    }
}

/// Summary figures of integer microseconds (or counts), computed exactly where possible.
struct Summary {
    mean: f64,
    median: f64,
    min: i64,
    max: i64,
    sum: i128,
    stdev: Option<f64>,
}

impl Summary {
    /// `values` must not be empty; it is reordered.
    fn of(values: &mut [i64]) -> Summary {
        let n = values.len();
        let sum: i128 = values.iter().map(|&v| i128::from(v)).sum();
        let mean = sum as f64 / n as f64;
        let stdev = (n > 1).then(|| {
            let squares: f64 = values
                .iter()
                .map(|&v| {
                    let d = v as f64 - mean;
                    d * d
                })
                .sum();
            (squares / (n - 1) as f64).sqrt()
        });
        let min = *values.iter().min().expect("not empty");
        let max = *values.iter().max().expect("not empty");
        Summary {
            mean,
            median: percentile(values, 0.5),
            min,
            max,
            sum,
            stdev,
        }
    }
}

/// The `q` quantile with linear interpolation between closest ranks (NumPy's default
/// `percentile`): rank `h = q (n − 1)`, value `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`. For
/// `q = 0.5` this is the usual median. `values` must not be empty; it is reordered.
pub fn percentile(values: &mut [i64], q: f64) -> f64 {
    let n = values.len();
    let h = q * (n - 1) as f64;
    let lo = h.floor() as usize;
    let fraction = h - lo as f64;
    let (_, &mut low, right) = values.select_nth_unstable(lo);
    if fraction == 0.0 || right.is_empty() {
        return low as f64;
    }
    let high = *right.iter().min().expect("not empty");
    // NumPy's `_lerp`, which is exact at both ends.
    let (a, b) = (low as f64, high as f64);
    if fraction >= 0.5 {
        b - (b - a) * (1.0 - fraction)
    } else {
        a + (b - a) * fraction
    }
}

fn duration_stats(durations: &mut [i64]) -> DurationStats {
    if durations.is_empty() {
        return DurationStats {
            mean_s: None,
            median_s: None,
            p90_s: None,
            min_s: None,
            max_s: None,
        };
    }
    let summary = Summary::of(durations);
    DurationStats {
        mean_s: Some(summary.mean / 1e6),
        median_s: Some(summary.median / 1e6),
        p90_s: Some(percentile(durations, 0.9) / 1e6),
        min_s: Some(summary.min as f64 / 1e6),
        max_s: Some(summary.max as f64 / 1e6),
    }
}

fn count_stats(sizes: &mut [u64]) -> CountStats {
    if sizes.is_empty() {
        return CountStats {
            mean: None,
            median: None,
            min: None,
            max: None,
        };
    }
    let mut values: Vec<i64> = sizes.iter().map(|&s| s as i64).collect();
    let summary = Summary::of(&mut values);
    CountStats {
        mean: Some(summary.mean),
        median: Some(summary.median),
        min: Some(summary.min as u64),
        max: Some(summary.max as u64),
    }
}

#[cfg(test)]
mod tests;
