//! Process discovery on a case log: the directly-follows graph, variants and case durations,
//! with pm4py's semantics (see `trailmap_model::paths` and docs/paths.md).
//!
//! O(events), on two threads, each taking half of the cases (by events):
//! 1. each half's case figures ([`Part`]): start and end activities, activity counts, variants
//!    ([`variants`]), case durations and sizes, and its directly-follows pairs counted
//!    ([`edges`]); then the halves are merged;
//! 2. every pair's duration written into one buffer laid out by edge (exact medians need them
//!    all), each half into its own part of every edge;
//! 3. each edge's figures, the edges shared out between the threads.

use trailmap_engine::log::{By, Case, CaseLog};
use trailmap_engine::parallel::both;
use trailmap_engine::time::format_micros;
use trailmap_model::analysis::{InputFile, TimeSpan};
use trailmap_model::paths::{
    ActivityCount, ActivityStats, DISCOVERY_VERSION, Discovery, DiscoveryInputs,
};

mod edges;
mod summary;
mod variants;

#[cfg(test)]
use edges::DENSE_MAX_ACTIVITIES;
use edges::{PairCounts, edge_figures};
pub use summary::percentile;
use summary::{count_stats, duration_stats};
use variants::VariantTable;

/// How much to report.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Variants to list in `variants.top`; `None` lists every variant.
    pub top_variants: Option<usize>,
    /// What the activities are, for the report.
    pub by: By,
    /// With a map: its journey id, for the report.
    pub journey: Option<String>,
    /// When the log is one persona's customers: its id, for the report.
    pub persona: Option<String>,
}

/// Discovers the directly-follows graph, variants and case durations of `log`.
pub fn discover(log: &CaseLog, options: &DiscoverOptions) -> Discovery {
    let n_act = log.activities.len();
    // Cases hold their events in order, so the first case starting past the middle event
    // splits the work in two.
    let middle = log.events.len() / 2;
    let split = log.cases.partition_point(|c| c.events.start < middle);
    let halves = log.cases.split_at(split);
    let (mut part, high) = both(|| Part::of(log, halves.0), || Part::of(log, halves.1));
    let high_pairs = part.merge(high);
    let Part {
        starts,
        ends,
        activity_events,
        activity_cases,
        first_time,
        last_time,
        variants,
        mut case_durations,
        mut case_sizes,
        pairs,
    } = part;
    let edges = edge_figures(log, halves, (pairs, high_pairs));
    let cases = case_durations.len() as u64;
    Discovery {
        version: DISCOVERY_VERSION,
        by: match options.by {
            By::Step => "step",
            By::Event => "event",
        }
        .to_owned(),
        journey: options.journey.clone(),
        persona: options.persona.clone(),
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
        cases,
        events: log.events.len() as u64,
        time_span: (cases > 0).then(|| TimeSpan {
            from: format_micros(first_time),
            to: format_micros(last_time),
        }),
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
        variants: variants.report(log, cases, options.top_variants),
        case_duration: duration_stats(&mut case_durations),
        events_per_case: count_stats(&mut case_sizes),
    }
}

/// The figures of some of the cases, in one pass over their events.
struct Part {
    starts: Vec<u64>,
    ends: Vec<u64>,
    activity_events: Vec<u64>,
    activity_cases: Vec<u64>,
    first_time: i64,
    last_time: i64,
    variants: VariantTable,
    case_durations: Vec<i64>,
    case_sizes: Vec<i64>,
    pairs: PairCounts,
}

impl Part {
    fn of(log: &CaseLog, cases: &[Case]) -> Part {
        let n_act = log.activities.len();
        let mut part = Part {
            starts: vec![0; n_act],
            ends: vec![0; n_act],
            activity_events: vec![0; n_act],
            activity_cases: vec![0; n_act],
            first_time: i64::MAX,
            last_time: i64::MIN,
            variants: VariantTable::for_cases(cases.len()),
            case_durations: Vec::with_capacity(cases.len()),
            case_sizes: Vec::with_capacity(cases.len()),
            pairs: PairCounts::new(n_act),
        };
        // The last case that counted towards `activity_cases`, per activity.
        let mut last_case = vec![usize::MAX; n_act];
        for (c, case) in cases.iter().enumerate() {
            let events = &log.events[case.events.clone()];
            let (Some(first), Some(last)) = (events.first(), events.last()) else {
                continue;
            };
            part.starts[first.activity as usize] += 1;
            part.ends[last.activity as usize] += 1;
            part.first_time = part.first_time.min(first.time);
            part.last_time = part.last_time.max(last.time);
            part.case_durations.push(last.time - first.time);
            part.case_sizes.push(events.len() as i64);
            for event in events {
                let a = event.activity as usize;
                part.activity_events[a] += 1;
                if last_case[a] != c {
                    last_case[a] = c;
                    part.activity_cases[a] += 1;
                }
            }
            for w in events.windows(2) {
                part.pairs.add(w[0].activity, w[1].activity);
            }
            part.variants.add(events);
        }
        part
    }

    /// Adds the case figures of `other` (disjoint cases) to these; its pairs are left to merge
    /// with the durations.
    fn merge(&mut self, other: Part) -> PairCounts {
        let add = |mine: &mut [u64], theirs: &[u64]| {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        };
        add(&mut self.starts, &other.starts);
        add(&mut self.ends, &other.ends);
        add(&mut self.activity_events, &other.activity_events);
        add(&mut self.activity_cases, &other.activity_cases);
        self.first_time = self.first_time.min(other.first_time);
        self.last_time = self.last_time.max(other.last_time);
        self.variants.merge(other.variants);
        self.case_durations.extend_from_slice(&other.case_durations);
        self.case_sizes.extend_from_slice(&other.case_sizes);
        other.pairs
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

#[cfg(test)]
mod tests;
