//! The page of `trailmap discover -o paths.html`: what the log holds, how customers flow
//! (Sankey), the directly-follows graph (with the designed path when the activities are map
//! steps), the most common variants and the slowest transitions.

use std::fmt::{self, Write};

use trailmap_model::Map;
use trailmap_model::paths::Discovery;

use super::filter::FilterSpec;
use super::page::{self, Fact};
use super::{PathsOptions, wire};
use crate::escape::Esc;
use crate::format;

/// Transitions listed as the slowest.
const SLOWEST: usize = 10;
/// Activities shown of a long variant before the rest is counted.
const SEQUENCE_MAX: usize = 14;

pub(crate) fn write(
    out: &mut String,
    discovery: &Discovery,
    map: Option<&Map>,
    options: &PathsOptions,
) -> fmt::Result {
    let map_by_step = wire::by_step(discovery, map);
    // With a map the page is about its journey; the data's name goes in a chip.
    let title = match (map, &options.title) {
        (Some(m), _) => m.journey.name.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => "Event log".to_owned(),
    };
    page::write_head(
        out,
        &format!("{title}: real paths"),
        (
            "REAL PATHS",
            "What customers actually did, discovered from event data",
        ),
    )?;
    let mut chips = vec![
        format!("{} customers", format::int(discovery.cases)),
        format!("{} events", format::int(discovery.events)),
        dfg_activities(discovery.activities.len(), discovery.by == "step"),
    ];
    if let (Some(_), Some(data)) = (map, &options.title) {
        chips.push(format!("Data: {data}"));
    }
    if let Some(span) = &discovery.time_span {
        chips.push(format!(
            "{} \u{2192} {}",
            format::date_part(&span.from),
            format::date_part(&span.to)
        ));
    }
    let files: Vec<&str> = discovery
        .inputs
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    let description = format!(
        "Discovered from {} by trailmap discover. {}",
        if files.is_empty() {
            "the event data".to_owned()
        } else {
            files.join(", ")
        },
        if map_by_step.is_some() {
            "Activities are the map's steps: an event counts as the first step whose match it satisfies; the designed order is drawn over what customers did."
        } else {
            "Activities are event names; cases are customers."
        }
    );
    page::write_header(out, &title, &chips, &description)?;
    write_facts(out, discovery)?;

    out.push_str("<section aria-labelledby=\"flow-h\"><h2 id=\"flow-h\">How customers flow <small>step by step, from the first thing they did</small></h2>\n");
    let mut flows = Vec::new();
    if let Some(input) = wire::flow(discovery, map, false) {
        flows.push((
            if map_by_step.is_some() {
                "step"
            } else {
                "activity"
            },
            input,
        ));
    }
    if let Some(input) = wire::flow(discovery, map, true) {
        flows.push(("stage", input));
    }
    page::write_flows(out, "flow", &flows, &format!("Flow of customers: {title}"))?;
    out.push_str("</section>\n");

    out.push_str("<section aria-labelledby=\"dfg-h\"><h2 id=\"dfg-h\">Directly-follows graph <small>every observed move from one activity straight to the next</small></h2>\n");
    let graph = wire::graph(discovery, map, None);
    let spec = FilterSpec::new(options.edge_share, options.min_count);
    page::write_dfg(
        out,
        &graph,
        &spec,
        "dfg",
        &format!("Directly-follows graph: {title}"),
    )?;
    write!(
        out,
        "<p class=\"fig-note\">{}</p>\n</section>\n",
        Esc(if graph.chain.is_empty() {
            "Boxes are activities with their number of events, the customers who started there (green) and who ended there (red). Arrows are moves from one activity straight to the next: wider is more often, labelled with how often and the median time it took. The control above keeps the most frequent moves until they cover the share of all moves chosen."
        } else {
            "Boxes are the map's steps in designed order, with their number of events, the customers who started there (green) and who ended there (red). The dashed line is the designed path; blue moves follow it, orange ones skip a step, red ones go back. Back-to-back repeats of a step show as a loop on its box. The control above keeps the most frequent moves until they cover the share of all moves chosen."
        })
    )?;

    write_variants(out, discovery, map_by_step, options.top_variants)?;
    write_slowest(out, discovery, map_by_step)?;
    page::write_foot(
        out,
        "Drawn by Trailmap from the event data; every figure is defined in docs/paths.md.",
    )
}

fn dfg_activities(n: usize, by_step: bool) -> String {
    if by_step {
        format::count(n, "step")
    } else {
        super::dfg::activities(n)
    }
}

fn write_facts(out: &mut String, d: &Discovery) -> fmt::Result {
    let mut facts = vec![
        Fact {
            label: "Customers",
            value: format::int(d.cases),
            note: "cases with at least one event".to_owned(),
        },
        Fact {
            label: "Events",
            value: format::int(d.events),
            note: match d.inputs.rows_dropped {
                0 => format!("of {} rows read", format::int(d.inputs.rows_read)),
                n => format!(
                    "of {} rows read; {} matched no step",
                    format::int(d.inputs.rows_read),
                    format::int(n)
                ),
            },
        },
    ];
    if let Some(mean) = d.events_per_case.mean {
        facts.push(Fact {
            label: "Events per customer",
            value: format::number((mean * 10.0).round() / 10.0),
            note: match d.events_per_case.median {
                Some(median) => format!("mean; median {}", format::number(median)),
                None => "mean".to_owned(),
            },
        });
    }
    if let Some(median) = d.case_duration.median_s {
        let mut note = Vec::new();
        if let Some(mean) = d.case_duration.mean_s {
            note.push(format!("mean {}", format::duration_human(mean)));
        }
        if let Some(p90) = d.case_duration.p90_s {
            note.push(format!("p90 {}", format::duration_human(p90)));
        }
        facts.push(Fact {
            label: "Journey duration",
            value: format::duration_human(median),
            note: format!("median, first to last event; {}", note.join(", ")),
        });
    }
    facts.push(Fact {
        label: "Variants",
        value: format::int(d.variants.distinct),
        note: "distinct sequences of activities".to_owned(),
    });
    page::write_facts(out, &facts)
}

fn write_variants(out: &mut String, d: &Discovery, map: Option<&Map>, top: usize) -> fmt::Result {
    let shown: Vec<_> = d.variants.top.iter().take(top).collect();
    if shown.is_empty() {
        return Ok(());
    }
    write!(
        out,
        "<section aria-labelledby=\"var-h\"><h2 id=\"var-h\">Most common journeys <small>the top {} of {} variants</small></h2>\n<table class=\"list\"><thead><tr><th class=\"num\">#</th><th>Customers</th><th class=\"num\">Count</th><th>Activities in order</th></tr></thead><tbody>",
        shown.len(),
        format::int(d.variants.distinct)
    )?;
    for (i, v) in shown.iter().enumerate() {
        write!(
            out,
            "<tr><td class=\"num\">{}</td><td style=\"white-space:nowrap\">{}</td><td class=\"num\">{}</td><td>",
            i + 1,
            page::share_bar(v.share),
            format::int(v.count)
        )?;
        let names: Vec<String> = v.activities.iter().map(|a| wire::label(map, a)).collect();
        page::write_sequence(out, &names, SEQUENCE_MAX)?;
        out.push_str("</td></tr>");
    }
    let rest_cases: u64 = d.cases.saturating_sub(shown.iter().map(|v| v.count).sum());
    if rest_cases > 0 {
        let rest_variants = d.variants.distinct.saturating_sub(shown.len() as u64);
        write!(
            out,
            "<tr><td></td><td style=\"white-space:nowrap\">{}</td><td class=\"num\">{}</td><td class=\"muted\">{} other variants</td></tr>",
            page::share_bar(rest_cases as f64 / d.cases.max(1) as f64),
            format::int(rest_cases),
            format::int(rest_variants)
        )?;
    }
    out.push_str("</tbody></table>\n</section>\n");
    Ok(())
}

fn write_slowest(out: &mut String, d: &Discovery, map: Option<&Map>) -> fmt::Result {
    // Transitions seen often enough for their median to mean something.
    let floor = (d.cases / 200).clamp(1, 5);
    let mut edges: Vec<_> = d
        .edges
        .iter()
        .filter(|e| e.count >= floor && e.median_s.is_finite())
        .collect();
    edges.sort_by(|a, b| {
        b.median_s
            .total_cmp(&a.median_s)
            .then(b.count.cmp(&a.count))
            .then(a.from.cmp(&b.from))
            .then(a.to.cmp(&b.to))
    });
    edges.truncate(SLOWEST);
    if edges.is_empty() {
        return Ok(());
    }
    write!(
        out,
        "<section aria-labelledby=\"slow-h\"><h2 id=\"slow-h\">Slowest moves <small>by median time, among moves seen at least {} {}</small></h2>\n<table class=\"list\"><thead><tr><th>From</th><th>To</th><th class=\"num\">Median</th><th class=\"num\">Mean</th><th class=\"num\">Times</th></tr></thead><tbody>",
        floor,
        if floor == 1 { "time" } else { "times" }
    )?;
    for e in edges {
        write!(
            out,
            "<tr><td dir=\"auto\">{}</td><td dir=\"auto\">{}</td><td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            Esc(&wire::label(map, &e.from)),
            Esc(&wire::label(map, &e.to)),
            format::duration_human(e.median_s),
            format::duration_human(e.mean_s),
            format::int(e.count)
        )?;
    }
    out.push_str("</tbody></table>\n</section>\n");
    Ok(())
}
