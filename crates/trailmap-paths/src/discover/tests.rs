//! Discovery on a log small enough to work out by hand; every expected number is derived in a
//! comment.

use trailmap_engine::log::{CaseLog, LogEvent};
use trailmap_model::paths::{ActivityCount, Edge};

use super::*;

/// Cases as (activity, seconds) lists over activities `a`, `b`, `c`.
fn log(cases: &[&[(&str, i64)]], extra_activities: usize) -> CaseLog {
    let mut activities: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    activities.extend((0..extra_activities).map(|i| format!("unused{i}")));
    let mut out = CaseLog {
        activities,
        ..CaseLog::default()
    };
    for (c, events) in cases.iter().enumerate() {
        let events = events.iter().map(|&(name, seconds)| LogEvent {
            activity: ["a", "b", "c"].iter().position(|&n| n == name).unwrap() as u32,
            time: seconds * 1_000_000,
        });
        out.push_case(&format!("c{}", c + 1), events);
    }
    out
}

const CASES: &[&[(&str, i64)]] = &[
    &[("a", 0), ("b", 10), ("c", 40)],
    &[("a", 0), ("c", 100)],
    &[("a", 0), ("b", 20), ("c", 30)],
    &[("b", 0)],
    // Two events at the same time keep their order.
    &[("a", 0), ("b", 5), ("b", 5), ("a", 6)],
];

fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{actual} != {expected}"
    );
}

fn edge<'a>(d: &'a Discovery, from: &str, to: &str) -> &'a Edge {
    d.edges
        .iter()
        .find(|e| e.from == from && e.to == to)
        .unwrap_or_else(|| panic!("no edge {from} → {to}"))
}

fn check_hand_computed(d: &Discovery) {
    assert_eq!((d.cases, d.events), (5, 13));
    // Edges, most frequent first, ties by names.
    let order: Vec<(&str, &str, u64)> = d
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.count))
        .collect();
    assert_eq!(
        order,
        [
            ("a", "b", 3),
            ("b", "c", 2),
            ("a", "c", 1),
            ("b", "a", 1),
            ("b", "b", 1)
        ]
    );
    // a → b: 10 s (c1), 20 s (c3), 5 s (c5).
    let ab = edge(d, "a", "b");
    close(ab.mean_s, 35.0 / 3.0);
    close(ab.median_s, 10.0);
    close(ab.min_s, 5.0);
    close(ab.max_s, 20.0);
    close(ab.sum_s, 35.0);
    // Sample variance: ((10−35/3)² + (20−35/3)² + (5−35/3)²) / 2 = 175/3.
    close(ab.stdev_s.unwrap(), (175.0f64 / 3.0).sqrt());
    // b → c: 30 s and 10 s: the median of two is their mean.
    let bc = edge(d, "b", "c");
    close(bc.median_s, 20.0);
    close(bc.stdev_s.unwrap(), 200.0f64.sqrt());
    // One occurrence: no standard deviation. Equal times: 0 s.
    assert_eq!(edge(d, "a", "c").stdev_s, None);
    close(edge(d, "b", "b").mean_s, 0.0);
    close(edge(d, "b", "a").mean_s, 1.0);

    let counts = |list: &[ActivityCount]| -> Vec<(String, u64)> {
        list.iter().map(|a| (a.activity.clone(), a.cases)).collect()
    };
    assert_eq!(
        counts(&d.start_activities),
        [("a".to_owned(), 4), ("b".to_owned(), 1)]
    );
    assert_eq!(
        counts(&d.end_activities),
        [
            ("c".to_owned(), 3),
            ("a".to_owned(), 1),
            ("b".to_owned(), 1)
        ]
    );
    // a: 1+1+1+2 events in c1, c2, c3, c5; b: 1+1+1+2 in c1, c3, c4, c5; c: c1, c2, c3.
    let stats: Vec<(&str, u64, u64)> = d
        .activities
        .iter()
        .map(|a| (a.activity.as_str(), a.events, a.cases))
        .collect();
    assert_eq!(&stats[..3], [("a", 5, 4), ("b", 5, 4), ("c", 3, 3)]);

    // Durations 40, 100, 30, 0, 6 s: sorted 0 6 30 40 100.
    let cd = &d.case_duration;
    close(cd.mean_s.unwrap(), 35.2);
    close(cd.median_s.unwrap(), 30.0);
    // Rank 0.9 × 4 = 3.6: 40 + 0.6 × (100 − 40) = 76.
    close(cd.p90_s.unwrap(), 76.0);
    close(cd.min_s.unwrap(), 0.0);
    close(cd.max_s.unwrap(), 100.0);
    // Sizes 3 2 3 1 4.
    let epc = &d.events_per_case;
    close(epc.mean.unwrap(), 2.6);
    close(epc.median.unwrap(), 3.0);
    assert_eq!((epc.min, epc.max), (Some(1), Some(4)));
    assert_eq!(
        d.time_span
            .as_ref()
            .map(|t| (t.from.as_str(), t.to.as_str())),
        Some(("1970-01-01T00:00:00Z", "1970-01-01T00:01:40Z"))
    );
}

#[test]
fn hand_computed_log() {
    let d = discover(&log(CASES, 0), &DiscoverOptions::default());
    check_hand_computed(&d);
    // Variants: abc ×2; then b, ac, abba once each, ordered as pm4py does (count, then the
    // sequence, both descending): ("b",) > ("a","c") > ("a","b","b","a").
    let variants: Vec<(String, u64)> = d
        .variants
        .top
        .iter()
        .map(|v| (v.activities.join(""), v.count))
        .collect();
    assert_eq!(
        variants,
        [
            ("abc".to_owned(), 2),
            ("b".to_owned(), 1),
            ("ac".to_owned(), 1),
            ("abba".to_owned(), 1)
        ]
    );
    assert_eq!(d.variants.distinct, 4);
    close(d.variants.top[0].share, 0.4);
    assert_eq!(d.variants.rest.variants, 0);
}

#[test]
fn top_variants_and_the_rest() {
    let options = DiscoverOptions {
        top_variants: Some(2),
        ..DiscoverOptions::default()
    };
    let d = discover(&log(CASES, 0), &options);
    assert_eq!(d.variants.top.len(), 2);
    assert_eq!((d.variants.rest.variants, d.variants.rest.cases), (2, 2));
    close(d.variants.rest.share, 0.4);
}

#[test]
fn many_activities_count_pairs_in_a_hash_map() {
    // Beyond the dense table's limit, the same numbers come out.
    let d = discover(
        &log(CASES, DENSE_MAX_ACTIVITIES),
        &DiscoverOptions::default(),
    );
    check_hand_computed(&d);
    // Unused activities are listed with zero counts, but never as start or end.
    assert_eq!(d.activities.len(), 3 + DENSE_MAX_ACTIVITIES);
    assert_eq!(d.activities[3].events, 0);
}

#[test]
fn an_empty_log_has_no_figures() {
    let d = discover(&log(&[], 0), &DiscoverOptions::default());
    assert_eq!((d.cases, d.events, d.edges.len()), (0, 0, 0));
    assert_eq!(d.case_duration.median_s, None);
    assert_eq!(d.events_per_case.max, None);
    assert_eq!(d.time_span, None);
    assert_eq!(d.variants.rest.share, 0.0);
}

#[test]
fn percentile_interpolates_like_numpy() {
    // numpy.percentile([1, 2, 3, 4], [50, 90, 0, 100]) == [2.5, 3.7, 1, 4]
    for (q, expected) in [(0.5, 2.5), (0.9, 3.7), (0.0, 1.0), (1.0, 4.0)] {
        close(percentile(&mut [4, 1, 3, 2], q), expected);
    }
    close(percentile(&mut [7], 0.9), 7.0);
}

/// A log of `n` random cases over 6 activities (a fixed generator, so the same log each run):
/// enough cases that both halves of the work see many edges and variants, some of them in one
/// half only.
fn random_log(n: usize) -> CaseLog {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |bound: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound
    };
    let mut out = CaseLog {
        activities: (0..6).map(|i| format!("act{i}")).collect(),
        ..CaseLog::default()
    };
    for c in 0..n {
        let mut time = next(1_000) as i64;
        // Later cases use more activities, so some edges exist in the second half only.
        let activities = if c < n / 2 { 4 } else { 6 };
        let events: Vec<LogEvent> = (0..1 + next(7))
            .map(|_| {
                time += next(50) as i64 * 1_000_000;
                LogEvent {
                    activity: next(activities) as u32,
                    time,
                }
            })
            .collect();
        out.push_case(&format!("c{c}"), events);
    }
    out
}

#[test]
fn figures_match_a_plain_count_of_a_larger_log() {
    use std::collections::BTreeMap;
    let log = random_log(3_001);
    let d = discover(
        &log,
        &DiscoverOptions {
            top_variants: None,
            ..DiscoverOptions::default()
        },
    );
    // The same figures counted the obvious way.
    let mut pairs: BTreeMap<(String, String), Vec<i64>> = BTreeMap::new();
    let mut variants: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    let mut starts: BTreeMap<String, u64> = BTreeMap::new();
    let mut durations = Vec::new();
    for c in 0..log.cases.len() {
        let events = log.case_events(c);
        let name = |a: u32| log.activities[a as usize].clone();
        for w in events.windows(2) {
            pairs
                .entry((name(w[0].activity), name(w[1].activity)))
                .or_default()
                .push(w[1].time - w[0].time);
        }
        *variants
            .entry(events.iter().map(|e| name(e.activity)).collect())
            .or_default() += 1;
        *starts.entry(name(events[0].activity)).or_default() += 1;
        durations.push(events.last().unwrap().time - events[0].time);
    }
    assert_eq!(d.edges.len(), pairs.len());
    for ((from, to), mut values) in pairs {
        let e = edge(&d, &from, &to);
        assert_eq!(e.count, values.len() as u64, "{from} → {to}");
        let sum: i64 = values.iter().sum();
        close(e.sum_s, sum as f64 / 1e6);
        close(e.median_s, percentile(&mut values, 0.5) / 1e6);
        close(e.min_s, *values.iter().min().unwrap() as f64 / 1e6);
    }
    assert_eq!(d.variants.distinct, variants.len() as u64);
    let listed: BTreeMap<Vec<String>, u64> = d
        .variants
        .top
        .iter()
        .map(|v| (v.activities.clone(), v.count))
        .collect();
    assert_eq!(listed, variants);
    let listed_starts: BTreeMap<String, u64> = d
        .start_activities
        .iter()
        .map(|a| (a.activity.clone(), a.cases))
        .collect();
    assert_eq!(listed_starts, starts);
    close(
        d.case_duration.median_s.unwrap(),
        percentile(&mut durations, 0.5) / 1e6,
    );
    assert_eq!(d.cases, 3_001);
}
