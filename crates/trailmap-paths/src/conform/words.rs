//! Deviations and their costs in words a CX lead reads at once.

use super::design::Design;
use super::journey::Deviation;

/// `skips Has a kickoff call`, `goes back from Renewal to Adoption`, ...
pub(crate) fn label(design: &Design, deviation: &Deviation) -> String {
    let step = |s: &usize| &design.steps[*s].name;
    let stage = |s: &usize| &design.stages[*s].1;
    match deviation {
        Deviation::Skip(s) if design.steps[*s].optional => format!("skips {} (optional)", step(s)),
        Deviation::Skip(s) => format!("skips {}", step(s)),
        Deviation::Backward(from, to) => format!("goes back from {} to {}", stage(from), stage(to)),
        Deviation::Loop(s) => format!("comes back to {}", step(s)),
        Deviation::OutOfOrder(s) => format!("takes {} after a later step", step(s)),
        Deviation::UnexpectedEntry(s) => format!("starts at {}", step(s)),
        Deviation::OffPersona(s) => format!("takes {} (designed for other personas)", step(s)),
    }
}

/// The group as the subject of a sentence: `Customers who skip Has a kickoff call`.
pub(crate) fn subject(design: &Design, deviation: &Deviation) -> String {
    let step = |s: &usize| &design.steps[*s].name;
    let stage = |s: &usize| &design.stages[*s].1;
    match deviation {
        Deviation::Skip(s) => format!("Customers who skip {}", step(s)),
        Deviation::Backward(from, to) => {
            format!(
                "Customers who go back from {} to {}",
                stage(from),
                stage(to)
            )
        }
        Deviation::Loop(s) => format!("Customers who come back to {}", step(s)),
        Deviation::OutOfOrder(s) => format!("Customers who take {} after a later step", step(s)),
        Deviation::UnexpectedEntry(s) => format!("Customers who start at {}", step(s)),
        Deviation::OffPersona(s) => format!(
            "Customers who take {}, a step designed for other personas,",
            step(s)
        ),
    }
}

/// The reference group of a deviation in words.
pub(crate) fn reference(design: &Design, deviation: &Deviation) -> String {
    let step = |s: &usize| &design.steps[*s].name;
    match deviation {
        Deviation::Skip(s) => format!("customers who follow the map past {}", step(s)),
        Deviation::OutOfOrder(s) => format!("customers who follow the map past {}", step(s)),
        Deviation::Loop(s) | Deviation::UnexpectedEntry(s) => {
            format!("customers who follow the map to {}", step(s))
        }
        Deviation::OffPersona(s) => format!("customers who follow the map as far as {}", step(s)),
        Deviation::Backward(from, _) => {
            format!(
                "customers who follow the map into {}",
                design.stages[*from].1
            )
        }
    }
}

/// `Customers on the path A → B → D`.
pub(crate) fn variant_subject(design: &Design, visits: &[usize]) -> String {
    format!("Customers on the path {}", path(design, visits))
}

pub(crate) fn path(design: &Design, visits: &[usize]) -> String {
    let names: Vec<&str> = visits
        .iter()
        .map(|v| design.steps[*v].name.as_str())
        .collect();
    names.join(" → ")
}

pub(crate) fn variant_reference(design: &Design, furthest: usize) -> String {
    format!(
        "customers who follow the map as far as {}",
        design.steps[furthest].name
    )
}

/// What having the outcome is, as a verb phrase after "customers who ...".
fn verb(outcome: &str) -> String {
    match outcome {
        "churn" | "churned" => "churn".into(),
        "involuntary_churn" => "churn involuntarily".into(),
        "renewal" | "renewed" | "renew" => "renew".into(),
        "cross_sell" | "cross-sell" => "buy another product".into(),
        "upsell" | "upgrade" | "upgraded" => "upgrade".into(),
        "repeat_purchase" => "buy again".into(),
        "lapsed" | "lapse" => "lapse".into(),
        "unsubscribed" => "unsubscribe".into(),
        "canceled" | "cancelled" | "cancellation" => "cancel".into(),
        "public_complaint" => "complain in public".into(),
        "refund" | "refunded" => "get a refund".into(),
        "conversion" | "converted" => "convert".into(),
        other => format!("have outcome `{other}`"),
    }
}

/// `churn 2.3× as often as`, `renew 27% less often than`.
fn how_often(verb: &str, group: f64, reference: f64) -> String {
    let ratio = group / reference;
    if ratio >= 1.5 {
        format!("{verb} {:.1}× as often as", ratio)
    } else if ratio >= 1.0 {
        format!(
            "{verb} {}% more often than",
            percent_points((ratio - 1.0) * 100.0)
        )
    } else {
        format!(
            "{verb} {}% less often than",
            percent_points((1.0 - ratio) * 100.0)
        )
    }
}

/// The outcome sentence with its cost: `Customers who skip X churn 2.3× as often as customers
/// who follow the map past X (41% vs 18%, 1,204 customers: about 277 more churn)`. The cost is
/// `(group rate − reference rate) × customers`.
pub(crate) fn outcome_sentence(
    subject: &str,
    reference: &str,
    outcome: &str,
    (group_rate, reference_rate): (f64, f64),
    customers: u64,
) -> String {
    let verb = verb(outcome);
    let excess = (group_rate - reference_rate) * customers as f64;
    let cost = if excess.round() == 0.0 {
        String::new()
    } else {
        let how = if excess > 0.0 { "more" } else { "fewer" };
        format!(
            ": about {} {how} {verb}",
            thousands(excess.abs().round() as u64)
        )
    };
    let numbers = format!(
        "({} vs {}, {} customers{cost})",
        percent(group_rate),
        percent(reference_rate),
        thousands(customers)
    );
    if reference_rate > 0.0 {
        format!(
            "{subject} {} {reference} {numbers}",
            how_often(&verb, group_rate, reference_rate)
        )
    } else {
        format!("{subject} {verb} while {reference} never do {numbers}")
    }
}

/// `Customers who skip X bring 24% less revenue per customer than ... (380 vs 500, 1,204
/// customers: about 144,480 less revenue in all)`.
pub(crate) fn value_sentence(
    subject: &str,
    reference: &str,
    column: &str,
    (group_mean, reference_mean): (f64, f64),
    customers: u64,
) -> String {
    let excess = (group_mean - reference_mean) * customers as f64;
    let how = if excess >= 0.0 { "more" } else { "less" };
    let numbers = format!(
        "({} vs {}, {} customers: about {} {how} {column} in all)",
        amount(group_mean),
        amount(reference_mean),
        thousands(customers),
        amount(excess.abs())
    );
    if reference_mean.abs() > 0.0 && group_mean.signum() == reference_mean.signum() {
        let ratio = group_mean / reference_mean;
        let by = if ratio >= 1.0 {
            ratio - 1.0
        } else {
            1.0 - ratio
        };
        format!(
            "{subject} bring {}% {how} {column} per customer than {reference} {numbers}",
            percent_points(by * 100.0)
        )
    } else {
        format!("{subject} bring {how} {column} per customer than {reference} {numbers}")
    }
}

/// `41%`, `4.5%`, `5%`, `<0.1%`: whole percents from 10% up (and for whole numbers), one
/// decimal below.
pub fn percent(rate: f64) -> String {
    let p = rate * 100.0;
    if p > 0.0 && p < 0.05 {
        "<0.1%".to_owned()
    } else if p.abs() >= 9.95 || (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn percent_points(p: f64) -> String {
    if p.abs() >= 9.95 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

/// `1,204`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A money-like amount: `1,234` from 100 up, `12.50` below.
pub fn amount(x: f64) -> String {
    if x.abs() >= 100.0 {
        let sign = if x < 0.0 { "-" } else { "" };
        format!("{sign}{}", thousands(x.abs().round() as u64))
    } else {
        format!("{x:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_at_once() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(percent(0.41), "41%");
        assert_eq!(percent(0.045), "4.5%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.05), "5%");
        assert_eq!(percent(0.0004), "<0.1%");
        assert_eq!(amount(1234.4), "1,234");
        assert_eq!(amount(-250.0), "-250");
        assert_eq!(amount(12.5), "12.50");
    }

    #[test]
    fn ratios_in_words() {
        let s = outcome_sentence(
            "Customers who skip Onboarding call",
            "customers who follow the map past Onboarding call",
            "churn",
            (0.41, 0.18),
            1204,
        );
        assert_eq!(
            s,
            "Customers who skip Onboarding call churn 2.3× as often as customers who follow the \
             map past Onboarding call (41% vs 18%, 1,204 customers: about 277 more churn)"
        );
        let s = outcome_sentence("S", "R", "renewal", (0.30, 0.50), 40);
        assert_eq!(
            s,
            "S renew 40% less often than R (30% vs 50%, 40 customers: about 8 fewer renew)"
        );
        let s = outcome_sentence("S", "R", "cross_sell", (0.12, 0.10), 40);
        assert_eq!(
            s,
            "S buy another product 20% more often than R (12% vs 10%, 40 customers: about 1 more \
             buy another product)"
        );
        let s = outcome_sentence("S", "R", "nps_drop", (0.12, 0.0), 40);
        assert_eq!(
            s,
            "S have outcome `nps_drop` while R never do (12% vs 0%, 40 customers: about 5 more \
             have outcome `nps_drop`)"
        );
        let s = value_sentence("S", "R", "revenue", (380.0, 500.0), 1204);
        assert_eq!(
            s,
            "S bring 24% less revenue per customer than R (380 vs 500, 1,204 customers: about \
             144,480 less revenue in all)"
        );
    }
}
