//! The text summary `trailmap discover` prints: a reader sees at once how many customers, which
//! paths they take most, where the traffic is and where time goes.

use std::fmt::Write as _;

use trailmap_model::paths::{Discovery, Edge};
use trailmap_paths::conform::thousands;

/// At most this many activities of a variant are spelled out.
const VARIANT_ACTIVITIES_SHOWN: usize = 8;

pub(crate) fn render(d: &Discovery, busiest: usize, slowest: usize) -> String {
    let mut out = String::new();
    let what = if d.by == "step" {
        "activities are the map's steps"
    } else {
        "activities are event names"
    };
    let span = d
        .time_span
        .as_ref()
        .map(|t| format!(", {} to {}", date(&t.from), date(&t.to)))
        .unwrap_or_default();
    let whose = d
        .persona
        .as_ref()
        .map(|p| format!(" of persona `{p}`"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} cases{whose}, {} events ({what}){span}.",
        thousands(d.cases),
        thousands(d.events)
    );
    let inputs = &d.inputs;
    let mut read = format!("{} rows read", thousands(inputs.rows_read));
    if inputs.rows_dropped > 0 {
        let why = if d.by == "step" {
            "matching no step"
        } else {
            "without an event name"
        };
        let _ = write!(read, "; {} dropped ({why})", thousands(inputs.rows_dropped));
    }
    if inputs.rows_outside_period > 0 {
        let _ = write!(
            read,
            "; {} outside --since/--until",
            thousands(inputs.rows_outside_period)
        );
    }
    if inputs.bad_rows > 0 {
        let _ = write!(
            read,
            "; {} malformed rows skipped",
            thousands(inputs.bad_rows)
        );
    }
    let _ = writeln!(out, "{read}.");
    if d.by == "step" {
        let unseen: Vec<&str> = d
            .activities
            .iter()
            .filter(|a| a.events == 0)
            .map(|a| a.activity.as_str())
            .collect();
        if !unseen.is_empty() {
            let _ = writeln!(out, "Steps no event matched: {}.", unseen.join(", "));
        }
    }
    if d.cases == 0 {
        return out;
    }

    let cd = &d.case_duration;
    if let (Some(median), Some(mean), Some(p90), Some(min), Some(max)) =
        (cd.median_s, cd.mean_s, cd.p90_s, cd.min_s, cd.max_s)
    {
        let _ = writeln!(
            out,
            "\nCase duration: median {}, mean {}, 90% within {} (shortest {}, longest {}).",
            duration(median),
            duration(mean),
            duration(p90),
            duration(min),
            duration(max)
        );
    }
    let epc = &d.events_per_case;
    if let (Some(mean), Some(median), Some(min), Some(max)) =
        (epc.mean, epc.median, epc.min, epc.max)
    {
        let _ = writeln!(
            out,
            "Events per case: mean {mean:.2}, median {median}, from {min} to {max}."
        );
    }

    let _ = writeln!(
        out,
        "\nTop variants ({} distinct):",
        thousands(d.variants.distinct)
    );
    for (i, v) in d.variants.top.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:>3}. {:>6} {:>9}  {}",
            i + 1,
            percent(v.share),
            thousands(v.count),
            sequence(&v.activities)
        );
    }
    let rest = &d.variants.rest;
    if rest.variants > 0 {
        let _ = writeln!(
            out,
            "       {:>6} {:>9}  the other {} variants",
            percent(rest.share),
            thousands(rest.cases),
            thousands(rest.variants)
        );
    }

    if d.edges.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nBusiest transitions:");
    let _ = writeln!(
        out,
        "  {:>9}  {:>9}  {:>9}  from → to",
        "count", "median", "mean"
    );
    for e in d.edges.iter().take(busiest) {
        edge_line(&mut out, e);
    }

    // Rare transitions have noisy times: rank only those with at least 1% of the cases.
    let floor = (d.cases / 100).max(1);
    let mut slow: Vec<&Edge> = d.edges.iter().filter(|e| e.count >= floor).collect();
    slow.sort_by(|a, b| {
        b.median_s
            .total_cmp(&a.median_s)
            .then(b.count.cmp(&a.count))
    });
    let _ = writeln!(
        out,
        "\nSlowest transitions (by median; taken at least {} times):",
        thousands(floor)
    );
    let _ = writeln!(
        out,
        "  {:>9}  {:>9}  {:>9}  from → to",
        "count", "median", "mean"
    );
    for e in slow.into_iter().take(slowest) {
        edge_line(&mut out, e);
    }
    out
}

fn edge_line(out: &mut String, e: &Edge) {
    let _ = writeln!(
        out,
        "  {:>9}  {:>9}  {:>9}  {} → {}",
        thousands(e.count),
        duration(e.median_s),
        duration(e.mean_s),
        e.from,
        e.to
    );
}

fn sequence(activities: &[String]) -> String {
    if activities.len() <= VARIANT_ACTIVITIES_SHOWN {
        return activities.join(" → ");
    }
    format!(
        "{} → … ({} more)",
        activities[..VARIANT_ACTIVITIES_SHOWN].join(" → "),
        activities.len() - VARIANT_ACTIVITIES_SHOWN
    )
}

/// `2026-03-01T09:30:00Z` → `2026-03-01`.
fn date(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// Seconds in the two largest units: `45s`, `12m 5s`, `3h 4m`, `2d 4h`.
pub(crate) fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    match (d, h, m) {
        (0, 0, 0) if seconds > 0.0 && seconds < 1.0 => format!("{seconds:.2}s"),
        (0, 0, 0) => format!("{sec}s"),
        (0, 0, _) => format!("{m}m {sec}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_at_once() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(duration(0.0), "0s");
        assert_eq!(duration(0.25), "0.25s");
        assert_eq!(duration(45.0), "45s");
        assert_eq!(duration(725.0), "12m 5s");
        assert_eq!(duration(3.0 * 3600.0 + 240.0), "3h 4m");
        assert_eq!(duration(2.0 * 86_400.0 + 4.0 * 3600.0), "2d 4h");
    }
}
