//! The page of `trailmap conform -o conform.html`: for everyone and for each persona (tabs),
//! the share of customers who follow the map and the fitness, what the deviations cost in
//! words and in outcome rates against customers who follow the map, the directly-follows
//! graph with the designed path drawn over it, and where on the map customers deviate.

use std::collections::BTreeMap;
use std::fmt::{self, Write};

use trailmap_model::Map;
use trailmap_model::conformance::{
    Comparison, Conformance, ConformanceFigures, DeviationGroup, DeviationKind,
};
use trailmap_model::paths::Discovery;

use super::filter::FilterSpec;
use super::page::{self, Fact, write_fact_items};
use super::{PathsOptions, wire};
use crate::escape::Esc;
use crate::format;

/// Deviation groups listed per scope.
const DEVIATIONS: usize = 10;
const VARIANTS: usize = 8;

pub(crate) fn write(
    out: &mut String,
    c: &Conformance,
    everyone: &Discovery,
    personas: &BTreeMap<String, Discovery>,
    map: &Map,
    options: &PathsOptions,
) -> fmt::Result {
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| c.journey.name.clone());
    page::write_head(
        out,
        &format!("{title}: conformance"),
        (
            "CONFORMANCE",
            "Customers' real journeys against the designed map",
        ),
    )?;
    let mut chips = vec![
        format!("{} customers", format::int(c.inputs.customers_analysed)),
        format!("{} event rows", format::int(c.inputs.event_rows)),
        format::count(c.design.len(), "designed step"),
    ];
    if !c.personas.is_empty() {
        chips.push(format::count(c.personas.len(), "persona"));
    }
    if let Some(p) = &c.inputs.persona {
        chips.push(format!("Persona: {}", persona_name(map, p)));
    }
    page::write_header(
        out,
        &title,
        &chips,
        "Compared by trailmap conform with the designed order of the map. A customer follows the map when their visits walk their persona's steps forward from an expected first step, skipping only optional steps, never going back or taking a step twice; stopping early is not a deviation. Every figure is defined in docs/conformance.md.",
    )?;
    let mut scopes: Vec<(String, &ConformanceFigures, &Discovery, Option<&str>)> =
        vec![("Everyone".to_owned(), &c.everyone, everyone, None)];
    for (id, figures) in &c.personas {
        if let Some(d) = personas.get(id) {
            scopes.push((persona_name(map, id), figures, d, Some(id.as_str())));
        }
    }
    let labels: Vec<String> = scopes
        .iter()
        .map(|(name, f, _, _)| format!("{}<small>{}</small>", Esc(name), format::int(f.customers)))
        .collect();
    out.push_str("<section aria-label=\"Conformance by persona\">\n");
    page::write_picker(out, "scope", &labels, 0, |out, k| {
        let (name, figures, discovery, persona) = &scopes[k];
        write_scope(out, c, map, name, figures, discovery, *persona, k, options)
    })?;
    out.push_str("</section>\n");
    page::write_foot(
        out,
        "Drawn by Trailmap from the event data and the journey map; the map file is the source of truth for the design.",
    )
}

fn persona_name(map: &Map, id: &str) -> String {
    map.persona(id)
        .map_or_else(|| id.to_owned(), |p| p.name.clone())
}

#[allow(clippy::too_many_arguments)]
fn write_scope(
    out: &mut String,
    c: &Conformance,
    map: &Map,
    name: &str,
    f: &ConformanceFigures,
    discovery: &Discovery,
    persona: Option<&str>,
    k: usize,
    options: &PathsOptions,
) -> fmt::Result {
    write!(
        out,
        "<h2 style=\"font-size:18px;margin:6px 0 12px\">{}</h2>",
        Esc(name)
    )?;
    write_headline(out, f)?;
    write_words(out, f)?;
    write_deviations(out, f)?;
    write!(
        out,
        "<section><h2>Real paths against the design <small>the directly-follows graph of {}, the designed path dashed</small></h2>",
        Esc(&name.to_lowercase())
    )?;
    let graph = wire::graph(discovery, Some(map), persona);
    let spec = FilterSpec::new(options.edge_share, options.min_count);
    page::write_dfg(
        out,
        &graph,
        &spec,
        &format!("dfg{k}"),
        &format!("Directly-follows graph against the design: {name}"),
    )?;
    out.push_str("<p class=\"fig-note\">Boxes are the map's steps in designed order. The dashed line is the designed path; blue moves follow it, orange ones skip a required step or touch a step of another persona, red ones go back to an earlier step. A loop on a box is the step repeated back to back (one visit, not a deviation).</p></section>\n");
    write_outcomes(out, f)?;
    write_steps(out, c, f)?;
    write_variants(out, c, f)?;
    Ok(())
}

fn write_headline(out: &mut String, f: &ConformanceFigures) -> fmt::Result {
    let share = f
        .following_share
        .map_or_else(|| "\u{2014}".to_owned(), format::percent);
    let fitness = f
        .fitness
        .log
        .map_or_else(|| "\u{2014}".to_owned(), |v| format!("{v:.2}"));
    write!(
        out,
        "<div class=\"data-card\"><div class=\"big\"><div><div class=\"figure\">{share}<small>follow the map</small></div><p class=\"muted\" style=\"margin-top:6px\">{} of {} customers</p></div><div><div class=\"figure\">{fitness}<small>fitness</small></div><p class=\"muted\" style=\"margin-top:6px\">alignment-based, whole path{}</p></div></div>",
        format::int(f.following),
        format::int(f.customers),
        f.fitness
            .prefix_log
            .map_or_else(String::new, |v| format!("; {v:.2} on the part they got to"))
    )?;
    let d = &f.deviating;
    let facts = [
        Fact {
            label: "Reached the last stage",
            value: format::int(f.reached_last_stage),
            note: share_of(f.reached_last_stage, f.customers),
        },
        Fact {
            label: "Ended early",
            value: format::int(f.ended_early),
            note: "not a deviation of order".to_owned(),
        },
        Fact {
            label: "Skipped a step",
            value: format::int(d.skip),
            note: share_of(d.skip, f.customers),
        },
        Fact {
            label: "Went back",
            value: format::int(d.backward),
            note: "to an earlier stage".to_owned(),
        },
        Fact {
            label: "Looped",
            value: format::int(d.looped),
            note: "came back to a step".to_owned(),
        },
        Fact {
            label: "Unexpected entry",
            value: format::int(d.unexpected_entry),
            note: "started at another step".to_owned(),
        },
    ];
    out.push_str("<dl class=\"facts\" style=\"margin-top:18px\">");
    write_fact_items(out, &facts)?;
    out.push_str("</dl></div>\n");
    Ok(())
}

fn share_of(n: u64, of: u64) -> String {
    if of == 0 {
        return String::new();
    }
    format!("{} of customers", format::percent(n as f64 / of as f64))
}

fn write_words(out: &mut String, f: &ConformanceFigures) -> fmt::Result {
    out.push_str("<section><h2>What deviations cost <small>significant differences against customers who follow the map</small></h2>");
    if f.headlines.is_empty() {
        out.push_str("<p class=\"muted\">No deviation changes an outcome significantly (or the groups are too small to tell).</p>");
    } else {
        out.push_str("<ul class=\"words\">");
        for line in &f.headlines {
            write!(out, "<li dir=\"auto\">{}</li>", Esc(line))?;
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>\n");
    Ok(())
}

fn kind_pill(g: &DeviationGroup) -> String {
    let (class, word) = match g.kind {
        DeviationKind::Skip => ("k-skip", "skip"),
        DeviationKind::Backward => ("k-back", "back"),
        DeviationKind::Loop => ("k-loop", "loop"),
        DeviationKind::OutOfOrder => ("k-back", "out of order"),
        DeviationKind::UnexpectedEntry => ("k-skip", "entry"),
        DeviationKind::OffPersona => ("k-skip", "other persona"),
    };
    let class = if g.breaks_order { class } else { "ok" };
    format!("<span class=\"kind {class}\">{word}</span>")
}

fn write_deviations(out: &mut String, f: &ConformanceFigures) -> fmt::Result {
    if f.deviations.is_empty() {
        return Ok(());
    }
    write!(
        out,
        "<section><h2>Top deviations <small>{} of {} distinct; a customer is in every group of a deviation they have</small></h2><table class=\"list\"><thead><tr><th>Deviation</th><th class=\"num\">Customers</th><th>Outcomes against the reference</th></tr></thead><tbody>",
        f.deviations.len().min(DEVIATIONS),
        format::int(f.deviations_total)
    )?;
    for g in f.deviations.iter().take(DEVIATIONS) {
        write!(
            out,
            "<tr><td dir=\"auto\">{}{}</td><td class=\"num\">{}<br><small class=\"muted\">{}</small></td><td>",
            kind_pill(g),
            Esc(&g.label),
            format::int(g.customers),
            g.share.map_or_else(String::new, format::percent)
        )?;
        write_comparison(out, &g.comparison)?;
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></section>\n");
    Ok(())
}

/// Each outcome's rate in the group against the reference group, with the ratio.
fn write_comparison(out: &mut String, cmp: &Comparison) -> fmt::Result {
    let mut any = false;
    for (outcome, o) in &cmp.outcomes {
        let (Some(group), Some(reference)) = (o.group_rate, o.reference_rate) else {
            continue;
        };
        any = true;
        let ratio = o.ratio.map_or_else(String::new, |r| {
            let class = if o.significant { " worse" } else { "" };
            format!(
                "<span class=\"x{class}\" title=\"{}\">{}</span>",
                if o.significant {
                    "significant"
                } else {
                    "not significant"
                },
                format::lift(r)
            )
        });
        write!(
            out,
            "<div class=\"rate\">{}: <b>{}</b> <span class=\"vs\">vs {}</span>{ratio}</div>",
            Esc(&format::outcome_label(outcome)),
            format::percent(group),
            format::percent(reference)
        )?;
    }
    if let Some(v) = &cmp.value
        && let (Some(g), Some(r)) = (v.group_mean, v.reference_mean)
    {
        any = true;
        write!(
            out,
            "<div class=\"rate\">Value per customer: <b>{}</b> <span class=\"vs\">vs {}</span>{}</div>",
            format::number(g),
            format::number(r),
            if v.significant {
                "<span class=\"x worse\">significant</span>"
            } else {
                ""
            }
        )?;
    }
    if any {
        write!(
            out,
            "<small class=\"muted\">against {} ({})</small>",
            Esc(&cmp.reference),
            format::int(cmp.reference_customers)
        )?;
    } else {
        out.push_str("<span class=\"muted\">no outcome to compare</span>");
    }
    Ok(())
}

fn write_outcomes(out: &mut String, f: &ConformanceFigures) -> fmt::Result {
    if f.outcomes.is_empty() && f.value.is_none() {
        return Ok(());
    }
    out.push_str("<section><h2>Outcomes <small>everyone against those who follow the map</small></h2><table class=\"list\" style=\"max-width:640px\"><thead><tr><th>Outcome</th><th class=\"num\">Everyone</th><th class=\"num\">Following the map</th></tr></thead><tbody>");
    let rate = |r: Option<f64>| r.map_or_else(|| "\u{2014}".to_owned(), format::percent);
    for (outcome, r) in &f.outcomes {
        write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            Esc(&format::outcome_label(outcome)),
            rate(r.everyone),
            rate(r.following)
        )?;
    }
    if let Some(v) = &f.value {
        let mean = |m: Option<f64>| m.map_or_else(|| "\u{2014}".to_owned(), format::number);
        write!(
            out,
            "<tr><td>Value per customer</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            mean(v.everyone),
            mean(v.following)
        )?;
    }
    out.push_str("</tbody></table></section>\n");
    Ok(())
}

fn write_steps(out: &mut String, c: &Conformance, f: &ConformanceFigures) -> fmt::Result {
    if f.steps.is_empty() {
        return Ok(());
    }
    out.push_str("<section><h2>Step by step <small>where on the map customers deviate</small></h2><table class=\"list\"><thead><tr><th>Stage</th><th>Step</th><th class=\"num\">Expected</th><th class=\"num\">Took it</th><th class=\"num\">Skipped</th><th class=\"num\">Looped</th><th class=\"num\">Out of order</th><th class=\"num\">Entered here</th><th class=\"num\">Other persona</th></tr></thead><tbody>");
    let design: BTreeMap<&str, _> = c.design.iter().map(|s| (s.id.as_str(), s)).collect();
    let cell = |n: u64| {
        if n == 0 {
            "<td class=\"num muted\">\u{b7}</td>".to_owned()
        } else {
            format!("<td class=\"num\">{}</td>", format::int(n))
        }
    };
    for s in &f.steps {
        let (stage, name) = design
            .get(s.step.as_str())
            .map_or((String::new(), s.step.clone()), |d| {
                (d.stage_name.clone(), d.name.clone())
            });
        write!(
            out,
            "<tr><td class=\"muted\" dir=\"auto\">{}</td><td dir=\"auto\">{}{}</td>{}{}{}{}{}{}{}</tr>",
            Esc(&stage),
            Esc(&name),
            if s.optional {
                " <span class=\"kind ok\">optional</span>"
            } else {
                ""
            },
            cell(s.expected),
            cell(s.took),
            cell(s.skipped),
            cell(s.looped),
            cell(s.out_of_order),
            cell(s.unexpected_entry),
            cell(s.off_persona)
        )?;
    }
    out.push_str("</tbody></table></section>\n");
    Ok(())
}

fn write_variants(out: &mut String, c: &Conformance, f: &ConformanceFigures) -> fmt::Result {
    if f.variants.is_empty() {
        return Ok(());
    }
    let names: BTreeMap<&str, &str> = c
        .design
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    write!(
        out,
        "<section><h2>Journeys off the map <small>the most common of {} sequences of customers who do not follow it</small></h2><table class=\"list\"><thead><tr><th>Customers</th><th class=\"num\">Count</th><th>Visits in order</th><th>Deviations</th></tr></thead><tbody>",
        format::int(f.variants_total)
    )?;
    for v in f.variants.iter().take(VARIANTS) {
        write!(
            out,
            "<tr><td style=\"white-space:nowrap\">{}</td><td class=\"num\">{}</td><td>",
            page::share_bar(v.share.unwrap_or(0.0)),
            format::int(v.customers)
        )?;
        let seq: Vec<String> = v
            .steps
            .iter()
            .map(|s| {
                names
                    .get(s.as_str())
                    .map_or_else(|| s.clone(), |n| (*n).to_owned())
            })
            .collect();
        page::write_sequence(out, &seq, 12)?;
        out.push_str("</td><td>");
        for (i, d) in v.deviations.iter().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            write!(out, "<span dir=\"auto\">{}</span>", Esc(d))?;
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></section>\n");
    Ok(())
}
