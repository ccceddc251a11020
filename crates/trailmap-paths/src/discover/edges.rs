//! The directly-follows graph: pairs counted per edge, then every pair's duration collected in
//! one flat buffer laid out edge after edge (exact medians need them all), then each edge's
//! figures.

use rustc_hash::FxHashMap;
use trailmap_engine::log::{Case, CaseLog};
use trailmap_engine::parallel::both;
use trailmap_model::paths::Edge;

use super::summary::Summary;

/// Above this many activities, pairs are counted in a hash map instead of a dense table (of
/// `activities²` numbers: 4 MiB at this limit).
pub(super) const DENSE_MAX_ACTIVITIES: usize = 1024;

/// Edge number of each pair `(a, b)`: a dense table for few activities, else a hash map.
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

/// The directly-follows pairs of some cases: edges numbered in order of first sight, each with
/// its activities and count.
pub(super) struct PairCounts {
    index: PairIndex,
    ends: Vec<(u32, u32)>,
    counts: Vec<u64>,
}

impl PairCounts {
    pub(super) fn new(n_activities: usize) -> PairCounts {
        PairCounts {
            index: PairIndex::new(n_activities),
            ends: Vec::new(),
            counts: Vec::new(),
        }
    }

    /// Counts an `a` directly followed by a `b`.
    pub(super) fn add(&mut self, a: u32, b: u32) {
        let edge = self.edge_of(a, b);
        self.counts[edge] += 1;
    }

    /// The edge of `(a, b)`, made (with count 0) on first sight.
    fn edge_of(&mut self, a: u32, b: u32) -> usize {
        let PairCounts {
            index,
            ends,
            counts,
        } = self;
        index.edge(a, b, || {
            ends.push((a, b));
            counts.push(0);
            ends.len() as u32 - 1
        }) as usize
    }

    /// Adds `other`'s pairs; returns, per edge, how many of its pairs `other` holds.
    fn merge(&mut self, other: &PairCounts) -> Vec<u64> {
        let mut theirs = vec![0u64; self.counts.len()];
        for (&(a, b), &count) in other.ends.iter().zip(&other.counts) {
            let edge = self.edge_of(a, b);
            self.counts[edge] += count;
            theirs.resize(self.counts.len(), 0);
            theirs[edge] += count;
        }
        theirs
    }
}

/// The edges of the cases `low` and `high` (consecutive halves of the log), whose pairs have
/// been counted in `low_pairs` and `high_pairs`; most frequent first. The durations are
/// collected and summarised on two threads, one per half.
pub(super) fn edge_figures(
    log: &CaseLog,
    (low, high): (&[Case], &[Case]),
    (mut pairs, high_pairs): (PairCounts, PairCounts),
) -> Vec<Edge> {
    let high_counts = pairs.merge(&high_pairs);
    drop(high_pairs);
    let total: u64 = pairs.counts.iter().sum();
    let mut durations = vec![0i64; total as usize];
    // Each edge's part of the buffer, made of the low half's pairs, then the high half's.
    let mut per_edge: Vec<&mut [i64]> = Vec::with_capacity(pairs.counts.len());
    let mut rest = &mut durations[..];
    for &count in &pairs.counts {
        let (edge, after) = rest.split_at_mut(count as usize);
        per_edge.push(edge);
        rest = after;
    }
    let (mut low_parts, mut high_parts): (Vec<&mut [i64]>, Vec<&mut [i64]>) = per_edge
        .iter_mut()
        .zip(&high_counts)
        .map(|(edge, &theirs)| {
            let mine = edge.len() - theirs as usize;
            edge.split_at_mut(mine)
        })
        .unzip();
    let index = &pairs.index;
    both(
        || fill(log, low, index, &mut low_parts),
        || fill(log, high, index, &mut high_parts),
    );
    drop((low_parts, high_parts));

    // Each edge's figures, the edges shared out so both threads get about half the pairs.
    let mut seen = 0;
    let split = pairs
        .counts
        .iter()
        .take_while(|&&c| {
            seen += c;
            seen <= total / 2
        })
        .count();
    let (first, second) = per_edge.split_at_mut(split);
    let name = |a: u32| log.activities[a as usize].clone();
    let figures = |parts: &mut [&mut [i64]], offset: usize| -> Vec<Edge> {
        parts
            .iter_mut()
            .enumerate()
            .map(|(k, values)| {
                let e = offset + k;
                let (from, to) = pairs.ends[e];
                let stats = Summary::of(values);
                Edge {
                    from: name(from),
                    to: name(to),
                    count: pairs.counts[e],
                    mean_s: stats.mean / 1e6,
                    median_s: stats.median / 1e6,
                    min_s: stats.min as f64 / 1e6,
                    max_s: stats.max as f64 / 1e6,
                    sum_s: stats.sum as f64 / 1e6,
                    stdev_s: stats.stdev.map(|s| s / 1e6),
                }
            })
            .collect()
    };
    let (mut edges, more) = both(|| figures(first, 0), || figures(second, split));
    edges.extend(more);
    edges.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.to.cmp(&b.to))
    });
    edges
}

/// Writes each pair's duration of `cases` into its edge's part.
fn fill(log: &CaseLog, cases: &[Case], index: &PairIndex, parts: &mut [&mut [i64]]) {
    let mut next = vec![0usize; parts.len()];
    for case in cases {
        for w in log.events[case.events.clone()].windows(2) {
            let edge = index.get(w[0].activity, w[1].activity) as usize;
            parts[edge][next[edge]] = w[1].time - w[0].time;
            next[edge] += 1;
        }
    }
}
