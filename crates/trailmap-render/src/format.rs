//! Words and numbers for people: KPI targets, shares, labels of enum values.
//!
//! Numbers are formatted by hand with a fixed number of decimals so output never depends on
//! the platform or locale.

use trailmap_model::{Direction, JourneyKind, Kpi, Metric};

/// `NPS ≥ 40`, `Drop-off ≤ 20%`, `churn ≤ 5%`, `Time to next ≤ 2 d`.
pub(crate) fn kpi(kpi: &Kpi) -> String {
    let label = match (kpi.metric, kpi.outcome.as_deref()) {
        (Metric::Outcome, Some(outcome)) => outcome_label(outcome),
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

pub(crate) fn thousands(value: f64) -> String {
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

/// A measured duration for people, rounded the way one would say it: `45 s`, `12 min`,
/// `3 h`, `2.4 d`, `18 d`. One decimal below ten units, none above.
pub(crate) fn duration_human(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "\u{2014}".to_owned();
    }
    let (value, unit) = [(86_400.0, "d"), (3_600.0, "h"), (60.0, "min")]
        .into_iter()
        .find(|(scale, _)| seconds >= *scale)
        .map_or((seconds, "s"), |(scale, unit)| (seconds / scale, unit));
    format!("{} {unit}", rounded(value))
}

/// One decimal below ten, none from ten on: `2.4`, `3`, `18`.
fn rounded(value: f64) -> String {
    if value.abs() < 9.95 {
        let text = format!("{value:.1}");
        text.strip_suffix(".0").unwrap_or(&text).to_owned()
    } else {
        format!("{value:.0}")
    }
}

/// A measured rate (0..1) as a percentage: whole percents from 10% on, one decimal below
/// (`38%`, `3.4%`, `0%`).
pub(crate) fn percent(rate: f64) -> String {
    if !rate.is_finite() {
        return "\u{2014}".to_owned();
    }
    let pct = rate * 100.0;
    let text = if pct.abs() >= 9.95 || pct == 0.0 {
        format!("{pct:.0}")
    } else {
        let text = format!("{pct:.1}");
        text.strip_suffix(".0").unwrap_or(&text).to_owned()
    };
    format!("{}%", minus(&text))
}

/// A count of customers or events: `21,400`.
pub(crate) fn int(n: u64) -> String {
    thousands(n as f64)
}

/// A number with an explicit sign and `decimals` decimals: `+32`, `\u{2212}8`, `+0.21`, `0`.
pub(crate) fn signed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "\u{2014}".to_owned();
    }
    let text = format!("{value:.decimals$}");
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        return text.trim_start_matches('-').to_owned();
    }
    if value > 0.0 {
        format!("+{text}")
    } else {
        minus(&text)
    }
}

/// A leading `-` as a real minus sign.
fn minus(text: &str) -> String {
    match text.strip_prefix('-') {
        Some(rest) => format!("\u{2212}{rest}"),
        None => text.to_owned(),
    }
}

/// A measured value of `metric` for people, rounded as it is read (unlike a target, which is
/// shown exactly): `38%`, `+32`, `78%`, `3.1`, `3 h`, `21,400`.
pub(crate) fn measured(metric: Metric, value: f64) -> String {
    match metric {
        Metric::Conversion | Metric::DropOff | Metric::RepeatContact | Metric::Outcome => {
            percent(value)
        }
        Metric::Csat => format!("{}%", minus(&format!("{value:.0}"))),
        Metric::Nps => signed(value, 0),
        Metric::Ces => minus(&format!("{value:.1}")),
        Metric::Sentiment => signed(value, 2),
        Metric::TimeToNext => duration_human(value),
        Metric::Reach => thousands(value.round()),
    }
}

/// An outcome's name as a label: `repeat_purchase` becomes `Repeat purchase`.
pub(crate) fn outcome_label(outcome: &str) -> String {
    let mut words = outcome.replace(['_', '-'], " ");
    if let Some(first) = words.get(..1) {
        let upper = first.to_ascii_uppercase();
        words.replace_range(..1, &upper);
    }
    words
}

/// A lift (a ratio of rates): `1.4\u{d7}`, `0.62\u{d7}`.
pub(crate) fn lift(lift: f64) -> String {
    format!("{}\u{d7}", number(lift))
}

/// A p-value as it is usually written: `p < 0.001`, `p = 0.03`.
pub(crate) fn p_value(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_owned()
    } else if p < 0.01 {
        format!("p = {p:.3}")
    } else {
        format!("p = {p:.2}")
    }
}

/// The date part of an RFC 3339 time (`2026-03-01T00:00:00Z` gives `2026-03-01`); other text
/// is kept as it is.
pub(crate) fn date_part(time: &str) -> &str {
    match time.get(..10) {
        Some(date) if date.parse::<crate::Date>().is_ok() => date,
        _ => time,
    }
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
    fn formats_measured_figures_as_people_say_them() {
        assert_eq!(duration_human(10_800.0), "3 h");
        assert_eq!(duration_human(207_360.0), "2.4 d");
        assert_eq!(duration_human(1_555_200.0), "18 d");
        assert_eq!(duration_human(45.0), "45 s");
        assert_eq!(duration_human(719.0), "12 min");
        assert_eq!(duration_human(35_820.0), "10 h");
        assert_eq!(duration_human(f64::NAN), "\u{2014}");
        assert_eq!(percent(0.3812), "38%");
        assert_eq!(percent(0.034), "3.4%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.0999), "10%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(signed(32.4, 0), "+32");
        assert_eq!(signed(-8.0, 0), "\u{2212}8");
        assert_eq!(signed(-0.2, 0), "0");
        assert_eq!(signed(0.213, 2), "+0.21");
        assert_eq!(int(1_250_000), "1,250,000");
        assert_eq!(measured(Metric::Csat, 78.4), "78%");
        assert_eq!(measured(Metric::Ces, 3.06), "3.1");
        assert_eq!(measured(Metric::Reach, 21_399.6), "21,400");
        assert_eq!(measured(Metric::TimeToNext, 130.0), "2.2 min");
        assert_eq!(lift(1.4231), "1.42\u{d7}");
        assert_eq!(p_value(0.0004), "p < 0.001");
        assert_eq!(p_value(0.0042), "p = 0.004");
        assert_eq!(p_value(0.31), "p = 0.31");
        assert_eq!(date_part("2026-03-01T00:00:00Z"), "2026-03-01");
        assert_eq!(date_part("last week"), "last week");
        assert_eq!(outcome_label("repeat_purchase"), "Repeat purchase");
    }

    #[test]
    fn initials_skip_punctuation() {
        assert_eq!(initials("Mia, the mobile millennial"), "MT");
        assert_eq!(initials("Ödön"), "Ö");
        assert_eq!(initials("  "), "");
    }
}
