//! Words and numbers for people: KPI targets, shares, labels of enum values.
//!
//! Numbers are formatted by hand with a fixed number of decimals so output never depends on
//! the platform or locale.

use trailmap_model::{Direction, JourneyKind, Kpi, Metric};

/// `NPS ≥ 40`, `Drop-off ≤ 20%`, `churn ≤ 5%`, `Time to next ≤ 2 d`.
pub(crate) fn kpi(kpi: &Kpi) -> String {
    let label = match (kpi.metric, kpi.outcome.as_deref()) {
        (Metric::Outcome, Some(outcome)) => {
            let mut words = outcome.replace(['_', '-'], " ");
            if let Some(first) = words.get(..1) {
                let upper = first.to_ascii_uppercase();
                words.replace_range(..1, &upper);
            }
            words
        }
        (metric, _) => metric_label(metric).to_owned(),
    };
    let sign = match kpi.direction() {
        Direction::AtLeast => "\u{2265}",
        Direction::AtMost => "\u{2264}",
    };
    format!("{label} {sign} {}", metric_value(kpi.metric, kpi.target))
}

pub(crate) fn metric_label(metric: Metric) -> &'static str {
    match metric {
        Metric::Reach => "Reach",
        Metric::Conversion => "Conversion",
        Metric::DropOff => "Drop-off",
        Metric::TimeToNext => "Time to next",
        Metric::Nps => "NPS",
        Metric::Csat => "CSAT",
        Metric::Ces => "CES",
        Metric::Sentiment => "Sentiment",
        Metric::RepeatContact => "Repeat contact",
        Metric::Outcome => "Outcome",
    }
}

/// A value in the metric's natural unit for people: shares as percentages, seconds as a
/// duration.
pub(crate) fn metric_value(metric: Metric, value: f64) -> String {
    match metric {
        Metric::Conversion | Metric::DropOff | Metric::RepeatContact | Metric::Outcome => {
            format!("{}%", number(value * 100.0))
        }
        Metric::Csat => format!("{}%", number(value)),
        Metric::TimeToNext => duration(value),
        Metric::Reach => thousands(value),
        Metric::Nps | Metric::Ces | Metric::Sentiment => number(value),
    }
}

/// At most two decimals, without trailing zeros: `3`, `3.5`, `0.25`.
pub(crate) fn number(value: f64) -> String {
    if !value.is_finite() {
        return "\u{2014}".to_owned();
    }
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

fn thousands(value: f64) -> String {
    if !value.is_finite() || value.fract() != 0.0 || value.abs() >= 1e15 {
        return number(value);
    }
    let digits = format!("{}", value.abs() as u64);
    let mut out = String::new();
    for (idx, c) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0.0 { format!("-{out}") } else { out }
}

fn duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return number(seconds);
    }
    for (scale, unit) in [(86_400.0, "d"), (3_600.0, "h"), (60.0, "min")] {
        if seconds >= scale {
            return format!("{} {unit}", number(seconds / scale));
        }
    }
    format!("{} s", number(seconds))
}

/// `1 step`, `3 steps`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `12%` from a share in 0..1.
pub(crate) fn share(share: f64) -> String {
    format!("{}%", number((share * 100.0).clamp(0.0, 100.0)))
}

pub(crate) fn journey_kind(kind: JourneyKind) -> &'static str {
    match kind {
        JourneyKind::Purchase => "Purchase journey",
        JourneyKind::Support => "Support journey",
        JourneyKind::Success => "Customer success journey",
        JourneyKind::Onboarding => "Onboarding journey",
        JourneyKind::Other => "Journey",
    }
}

/// Initials for a persona's avatar: the first letters of its first two words.
pub(crate) fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(metric: Metric, target: f64) -> Kpi {
        Kpi {
            metric,
            target,
            direction: None,
            outcome: None,
            note: None,
        }
    }

    #[test]
    fn formats_targets_in_their_units() {
        assert_eq!(kpi(&target(Metric::Nps, 40.0)), "NPS \u{2265} 40");
        assert_eq!(kpi(&target(Metric::DropOff, 0.2)), "Drop-off \u{2264} 20%");
        assert_eq!(
            kpi(&target(Metric::TimeToNext, 172_800.0)),
            "Time to next \u{2264} 2 d"
        );
        assert_eq!(
            kpi(&target(Metric::Reach, 12_500.0)),
            "Reach \u{2265} 12,500"
        );
        assert_eq!(kpi(&target(Metric::Ces, 3.25)), "CES \u{2264} 3.25");
        let mut churn = target(Metric::Outcome, 0.05);
        churn.outcome = Some("cross_sell".into());
        churn.direction = Some(Direction::AtLeast);
        assert_eq!(kpi(&churn), "Cross sell \u{2265} 5%");
    }

    #[test]
    fn initials_skip_punctuation() {
        assert_eq!(initials("Mia, the mobile millennial"), "MT");
        assert_eq!(initials("Ödön"), "Ö");
        assert_eq!(initials("  "), "");
    }
}
