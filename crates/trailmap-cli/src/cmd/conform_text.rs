//! `trailmap conform`'s text output: the headline share, fitness, and the deviations that cost
//! something, in words a CX lead reads at once.

use std::fmt::Write as _;

use trailmap_model::Map;
use trailmap_model::conformance::{Comparison, Conformance, ConformanceFigures};
use trailmap_paths::conform::{amount, percent, thousands};

pub(crate) fn render(c: &Conformance, map: &Map, top: usize) -> String {
    let mut out = String::new();
    let scope = match &c.inputs.persona {
        Some(id) => format!(
            " ({} only)",
            map.persona(id).map_or(id.as_str(), |p| p.name.as_str())
        ),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "{}{scope}: {} compared with the designed order",
        c.journey.name,
        customers(c.everyone.customers)
    );
    if c.inputs.bad_rows > 0 {
        let _ = writeln!(
            out,
            "{} malformed event rows were skipped (--skip-bad-rows).",
            thousands(c.inputs.bad_rows)
        );
    }
    if c.everyone.customers == 0 {
        out.push_str("\nNo customer has an event that matches a step of the map.\n");
        return out;
    }
    figures(&mut out, c, &c.everyone, top, "");
    if c.inputs.persona.is_none() && !c.personas.is_empty() {
        out.push_str("\nPer persona\n");
        for (id, f) in &c.personas {
            let name = map.persona(id).map_or(id.as_str(), |p| p.name.as_str());
            if f.customers == 0 {
                let _ = writeln!(out, "\n  {name}: no customers");
                continue;
            }
            let _ = writeln!(
                out,
                "\n  {name}: {} customers, {} follow the map{}",
                thousands(f.customers),
                share(f.following_share),
                f.fitness
                    .log
                    .map(|x| format!(", fitness {x:.3}"))
                    .unwrap_or_default()
            );
            if f.headlines.is_empty() {
                out.push_str("    No deviation changes an outcome significantly.\n");
            }
            for h in f.headlines.iter().take(3) {
                let _ = writeln!(out, "    - {h}");
            }
            if let Some(g) = f.deviations.first() {
                let _ = writeln!(
                    out,
                    "    Most common deviation: {} ({})",
                    g.label,
                    customers(g.customers)
                );
            }
        }
    }
    out
}

fn figures(out: &mut String, c: &Conformance, f: &ConformanceFigures, top: usize, indent: &str) {
    let _ = writeln!(
        out,
        "\n{indent}{} of {} customers ({}) follow the map; {} leave it.",
        thousands(f.following),
        thousands(f.customers),
        share(f.following_share),
        thousands(f.customers - f.following)
    );
    if let (Some(log), Some(prefix)) = (f.fitness.log, f.fitness.prefix_log) {
        let _ = writeln!(
            out,
            "{indent}Fitness {log:.3} (alignment with the whole designed path; 1 = every step, in order, to the end); \
             {prefix:.3} up to where each customer got."
        );
    }
    let ended: Vec<String> = f
        .ended_in
        .iter()
        .map(|s| format!("{} {}", stage_name(c, &s.stage), thousands(s.customers)))
        .collect();
    if f.ended_early > 0 {
        let _ = writeln!(
            out,
            "{indent}{} ended before the last stage ({}); {} reached it. Ending early is not a deviation.",
            thousands(f.ended_early),
            ended.join(", "),
            thousands(f.reached_last_stage)
        );
    }
    if f.repeated_in_a_row > 0 {
        let _ = writeln!(
            out,
            "{indent}{} had a step's events back to back (one visit, not a deviation).",
            thousands(f.repeated_in_a_row)
        );
    }

    let _ = writeln!(
        out,
        "\n{indent}What leaving the map costs (significant differences, Holm-corrected at {}%):",
        c.settings.alpha * 100.0
    );
    if f.headlines.is_empty() {
        let _ = writeln!(
            out,
            "{indent}  No deviation changes an outcome significantly (groups under {} customers are not tested).",
            c.settings.min_group
        );
    }
    for h in &f.headlines {
        let _ = writeln!(out, "{indent}  - {h}");
    }

    if !f.deviations.is_empty() {
        let _ = writeln!(
            out,
            "\n{indent}Deviations (a customer can have several; * significant):"
        );
        for g in &f.deviations {
            let _ = writeln!(
                out,
                "{indent}  {:>9}  {:>6}  {}",
                thousands(g.customers),
                share(g.share),
                g.label
            );
            if let Some(line) = rates(&g.comparison, c.inputs.value_col.as_deref()) {
                let _ = writeln!(out, "{indent}                     {line}");
            }
        }
        if f.deviations_total > f.deviations.len() as u64 {
            let _ = writeln!(
                out,
                "{indent}  and {} more (--top)",
                thousands(f.deviations_total - f.deviations.len() as u64)
            );
        }
    }

    let skipped: Vec<String> = f
        .steps
        .iter()
        .filter(|s| s.skipped > 0 && !s.optional)
        .map(|s| {
            format!(
                "{} {} ({} of those it is designed for)",
                step_name(c, &s.step),
                thousands(s.skipped),
                share((s.expected > 0).then(|| s.skipped as f64 / s.expected as f64))
            )
        })
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(
            out,
            "\n{indent}Required steps skipped: {}",
            skipped.join("; ")
        );
    }
    if !f.backward_moves.is_empty() {
        let moves: Vec<String> = f
            .backward_moves
            .iter()
            .map(|m| {
                format!(
                    "{} → {}: {}",
                    stage_name(c, &m.from_stage),
                    stage_name(c, &m.to_stage),
                    customers(m.customers)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "{indent}Back to an earlier stage: {}",
            moves.join("; ")
        );
    }

    if !f.variants.is_empty() {
        let _ = writeln!(out, "\n{indent}Most common paths off the map:");
        for v in f.variants.iter().take(top) {
            let path: Vec<&str> = v.steps.iter().map(|s| step_name(c, s)).collect();
            let _ = writeln!(
                out,
                "{indent}  {:>9}  {:>6}  {}",
                thousands(v.customers),
                share(v.share),
                path.join(" → ")
            );
            let _ = writeln!(
                out,
                "{indent}                     {}",
                v.deviations.join("; ")
            );
        }
        if f.variants_total > f.variants.len() as u64 {
            let _ = writeln!(
                out,
                "{indent}  and {} more distinct paths off the map",
                thousands(f.variants_total - f.variants.len() as u64)
            );
        }
    }
}

/// `churn 41% vs 18%*, renewal 30% vs 52%`: each outcome of the group against its reference.
fn rates(comparison: &Comparison, value_col: Option<&str>) -> Option<String> {
    let mut parts: Vec<String> = comparison
        .outcomes
        .iter()
        .filter_map(|(id, o)| {
            let (g, r) = (o.group_rate?, o.reference_rate?);
            Some(format!(
                "{id} {} vs {}{}",
                percent(g),
                percent(r),
                if o.significant { "*" } else { "" }
            ))
        })
        .collect();
    if let Some(v) = &comparison.value
        && let (Some(g), Some(r)) = (v.group_mean, v.reference_mean)
    {
        parts.push(format!(
            "{} {} vs {}{}",
            value_col.unwrap_or("value"),
            amount(g),
            amount(r),
            if v.significant { "*" } else { "" }
        ));
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "{} (against {}: {})",
        parts.join(", "),
        comparison.reference,
        thousands(comparison.reference_customers)
    ))
}

/// `1 customer`, `1,204 customers`.
fn customers(n: u64) -> String {
    format!("{} customer{}", thousands(n), if n == 1 { "" } else { "s" })
}

fn share(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), percent)
}

fn step_name<'a>(c: &'a Conformance, id: &'a str) -> &'a str {
    c.design
        .iter()
        .find(|s| s.id == id)
        .map_or(id, |s| s.name.as_str())
}

fn stage_name<'a>(c: &'a Conformance, id: &'a str) -> &'a str {
    c.design
        .iter()
        .find(|s| s.stage == id)
        .map_or(id, |s| s.stage_name.as_str())
}
