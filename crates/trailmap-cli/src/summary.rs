//! The readable summary `trailmap analyze` prints: the journey as a funnel, then what needs
//! attention (KPI breaches, moments of truth the map and the data disagree on, unmapped events).

use std::fmt::Write;

use trailmap_model::analysis::Analysis;
use trailmap_paths::conform::thousands;

pub(crate) fn render(analysis: &Analysis) -> String {
    let mut out = String::new();
    let inputs = &analysis.inputs;
    let _ = writeln!(
        out,
        "{} ({})",
        analysis.journey.name, analysis.journey.state
    );
    let span = inputs
        .time_span
        .as_ref()
        .map(|t| {
            format!(
                ", {} to {}",
                &t.from[..10.min(t.from.len())],
                &t.to[..10.min(t.to.len())]
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} events of {} customers{span}",
        thousands(inputs.analysed_events),
        thousands(inputs.customers_analysed)
    );
    if inputs.bad_rows > 0 {
        let _ = writeln!(out, "{} malformed rows skipped", thousands(inputs.bad_rows));
    }
    let outcome_names: Vec<&String> = analysis.outcomes.keys().take(3).collect();
    let _ = write!(
        out,
        "\n{:<34} {:>9} {:>7} {:>9} {:>10} {:>6} {:>6}",
        "step", "reach", "cont.", "drop-off", "to next", "NPS", "CSAT"
    );
    for name in &outcome_names {
        let _ = write!(out, " {:>12}", truncate(&format!("{name} after"), 12));
    }
    out.push('\n');
    let mut stage = "";
    for step in &analysis.steps {
        if step.stage != stage {
            stage = &step.stage;
            let _ = writeln!(out, "[{stage}]");
        }
        let f = &step.figures;
        let _ = write!(
            out,
            "  {:<32} {:>9} {:>7} {:>9} {:>10} {:>6} {:>6}",
            truncate(&step.id, 32),
            thousands(f.reach),
            pct(f.continue_rate),
            pct(f.drop_off_rate),
            f.time_to_next.median_s.map_or("-".to_owned(), duration),
            f.feedback
                .nps
                .score
                .map_or("-".to_owned(), |s| format!("{s:.0}")),
            f.feedback
                .csat
                .score
                .map_or("-".to_owned(), |s| format!("{s:.0}%")),
        );
        for name in &outcome_names {
            let o = f.outcomes.get(*name);
            let text = match o.and_then(|o| Some((o.rate_after?, o.lift))) {
                Some((rate, Some(lift))) => format!("{} ×{lift:.1}", pct(Some(rate))),
                Some((rate, None)) => pct(Some(rate)),
                None => "-".to_owned(),
            };
            let _ = write!(out, " {text:>12}");
        }
        out.push('\n');
    }
    if !analysis.zero_reach.is_empty() {
        let _ = writeln!(
            out,
            "\nno evidence in the data for: {}",
            analysis.zero_reach.join(", ")
        );
    }
    if !analysis.kpi_breaches.is_empty() {
        let _ = writeln!(out, "\nKPI targets breached:");
        for k in &analysis.kpi_breaches {
            let metric = match &k.outcome {
                Some(o) => format!("{} {o}", k.metric),
                None => k.metric.clone(),
            };
            let op = if k.direction == "at_most" { "<=" } else { ">=" };
            let _ = writeln!(
                out,
                "  {:<32} {metric} {op} {}, measured {}",
                truncate(&k.step, 32),
                number(k.target),
                k.actual.map_or("-".to_owned(), number)
            );
        }
    }
    let disagreements: Vec<_> = analysis
        .moments_of_truth
        .iter()
        .filter(|m| m.verdict != "agree")
        .collect();
    if !disagreements.is_empty() {
        let _ = writeln!(out, "\nmoments of truth where map and data disagree:");
        for m in disagreements {
            let why = m
                .strongest
                .as_ref()
                .map(|s| {
                    format!(
                        "{} ×{:.2} after it (p {})",
                        s.outcome,
                        s.lift,
                        s.p_value.map_or("-".to_owned(), p_value)
                    )
                })
                .unwrap_or_default();
            let line = match (m.verdict.as_str(), why.is_empty()) {
                ("map_only", true) => "marked in the map; no outcome measured after it".to_owned(),
                ("map_only", false) => format!(
                    "marked in the map, but no strong outcome effect in the data (strongest: {why})"
                ),
                (_, _) => format!("not marked in the map, but the data shows {why}"),
            };
            let _ = writeln!(out, "  {:<32} {line}", truncate(&m.step, 32));
        }
    }
    if analysis.unmapped.events > 0 {
        let top: Vec<String> = analysis
            .unmapped
            .top
            .iter()
            .take(5)
            .map(|e| format!("{} ({})", e.event, pct(Some(e.share))))
            .collect();
        let _ = writeln!(
            out,
            "\n{} of events match no step; most common: {}",
            pct(analysis.unmapped.share),
            top.join(", ")
        );
    }
    out
}

fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_owned()
    } else {
        format!("{p:.3}")
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".to_owned(), |x| format!("{:.1}%", x * 100.0))
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e12 {
        format!("{}", x as i64)
    } else {
        format!("{x:.3}")
    }
}

fn duration(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.0}s")
    } else if seconds < 7200.0 {
        format!("{:.0}min", seconds / 60.0)
    } else if seconds < 2.0 * 86_400.0 {
        format!("{:.1}h", seconds / 3600.0)
    } else {
        format!("{:.1}d", seconds / 86_400.0)
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(width - 1).collect();
        out.push('…');
        out
    }
}
