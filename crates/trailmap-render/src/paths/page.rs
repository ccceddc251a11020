//! What the paths and conformance pages share: the document head (with the map page's style
//! sheet and its no-request policy), the banner, the header, the fact cards and the two
//! CSS-only pickers (filter levels of a graph, tabs) built from radio inputs, which work with
//! no script at all.

use std::fmt::{self, Write};

use super::dfg;
use super::filter::{FilterSpec, Levels};
use super::flow::{self, FlowInput};
use super::graph::PathGraph;
use super::{layout, sankey};
use crate::escape::Esc;
use crate::format;

/// Columns of the flow view; activities per column before the rest is pooled.
pub(crate) const FLOW_COLUMNS: usize = 7;
pub(crate) const FLOW_PER_COLUMN: usize = 8;

pub(crate) const CSS: &str = r#"
.fig{max-width:100%;overflow-x:auto;background:var(--paper);border:1px solid var(--line);border-radius:10px;padding:10px 12px}
.fig svg{display:block}
.fig-note{font-size:12.5px;color:var(--muted);margin:8px 0 0;max-width:100ch}
.seg{display:inline-flex;flex-wrap:wrap;margin:0 0 10px;border:1px solid var(--line-strong);border-radius:8px;overflow:hidden;background:var(--paper)}
.seg label{padding:5px 12px;font-size:12.5px;cursor:pointer;border-left:1px solid var(--line);color:var(--muted);line-height:1.4}
.seg label:first-child{border-left:0}
.seg label small{color:var(--soft);margin-left:4px}
.pick>input{position:absolute;opacity:0;pointer-events:none}
.pick .pane{display:none}
.dfg-svg .e:hover path{stroke-opacity:.85}
.sankey-svg .band:hover{fill-opacity:.5}
table.list{border-collapse:separate;border-spacing:0;background:var(--paper);border:1px solid var(--line);border-radius:10px;font-size:13px;width:100%;max-width:1480px}
table.list th,table.list td{padding:7px 12px;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
table.list tr:last-child td{border-bottom:0}
table.list th{font-size:11px;font-weight:700;letter-spacing:.07em;text-transform:uppercase;color:var(--soft);background:#f8fafc}
table.list td.num,table.list th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.seq{display:flex;flex-wrap:wrap;gap:4px 3px;align-items:center}
.seq span{padding:0 6px;border-radius:4px;background:#f1f5f9;font-size:12px;line-height:1.6}
.seq i{color:var(--soft);font-style:normal;font-size:11px}
.seq em{font-style:normal;color:var(--soft);font-size:12px}
.sbar{display:inline-block;width:110px;height:8px;background:#e2e8f0;border-radius:4px;overflow:hidden;vertical-align:middle;margin-right:8px}
.sbar i{display:block;height:100%;background:var(--accent);border-radius:4px}
.big{display:flex;flex-wrap:wrap;gap:12px 40px;align-items:flex-end}
.big .figure{font-size:44px;font-weight:800;line-height:1;color:var(--accent-2);font-variant-numeric:tabular-nums}
.big .figure small{font-size:15px;font-weight:600;color:var(--muted);margin-left:8px}
.words{display:grid;gap:8px;max-width:1100px}
.words li{background:var(--paper);border:1px solid var(--line);border-left:4px solid #ea580c;border-radius:8px;padding:8px 12px;font-size:14px}
.words li.good{border-left-color:#15803d}
.kind{display:inline-block;font-size:10.5px;font-weight:700;letter-spacing:.05em;text-transform:uppercase;padding:0 6px;border-radius:4px;background:#ffedd5;color:#9a3412;margin-right:6px;vertical-align:1px}
.kind.k-back,.kind.k-loop{background:#fee2e2;color:#991b1b}
.kind.ok{background:#dbeafe;color:#1e40af}
.rate b{font-variant-numeric:tabular-nums}
.rate .vs{color:var(--soft)}
.rate .x{display:inline-block;font-size:11px;font-weight:700;padding:0 5px;border-radius:4px;background:#f1f5f9;color:var(--muted);margin-left:4px}
.rate .x.worse{background:#fee2e2;color:#991b1b}
.rate .x.better{background:#dcfce7;color:#166534}
.rate+.rate{margin-top:2px}
.muted{color:var(--muted)}
@media print{.fig{overflow:visible;border:0;padding:0}.seg{display:none}.pick .pane.print{display:block!important}section{break-inside:avoid-page}}
"#;

/// The start of the page, up to the opening of `<main>`.
pub(crate) fn write_head(out: &mut String, title: &str, banner: (&str, &str)) -> fmt::Result {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing on this page may load anything or run anything: the browser enforces it.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"generator\" content=\"Trailmap\">\n");
    writeln!(
        out,
        "<title>{} \u{b7} Trailmap</title>\n<style>{}{}</style>\n</head>\n<body class=\"state-current\">",
        Esc(title),
        crate::html::style::CSS,
        CSS
    )?;
    writeln!(
        out,
        "<div class=\"banner\" role=\"note\"><strong>{}</strong><span>{}</span></div>\n<main class=\"page\">",
        banner.0, banner.1
    )
}

pub(crate) fn write_foot(out: &mut String, source: &str) -> fmt::Result {
    writeln!(
        out,
        "<footer>{}</footer>\n</main>\n</body>\n</html>",
        Esc(source)
    )
}

/// The header card: a title, chips under it, a description.
pub(crate) fn write_header(
    out: &mut String,
    title: &str,
    chips: &[String],
    description: &str,
) -> fmt::Result {
    write!(
        out,
        "<header class=\"head\" style=\"grid-template-columns:1fr\">\n<div>\n<h1 dir=\"auto\">{}</h1>\n<div class=\"meta\">",
        Esc(title)
    )?;
    for chip in chips {
        write!(
            out,
            "<span class=\"chip\" dir=\"auto\">{}</span>",
            Esc(chip)
        )?;
    }
    writeln!(
        out,
        "</div>\n<p class=\"desc\">{}</p>\n</div>\n</header>",
        Esc(description)
    )
}

/// One fact of a fact card: a label, a big value, a small note.
pub(crate) struct Fact {
    pub(crate) label: &'static str,
    pub(crate) value: String,
    pub(crate) note: String,
}

pub(crate) fn write_facts(out: &mut String, facts: &[Fact]) -> fmt::Result {
    out.push_str("<div class=\"data-card\"><dl class=\"facts\">");
    write_fact_items(out, facts)?;
    out.push_str("</dl></div>\n");
    Ok(())
}

/// The facts as the items of a `<dl class="facts">`: label, value and note each.
pub(crate) fn write_fact_items(out: &mut String, facts: &[Fact]) -> fmt::Result {
    for fact in facts {
        write!(
            out,
            "<div><dt>{}</dt><dd>{}</dd><small>{}</small></div>",
            fact.label,
            Esc(&fact.value),
            Esc(&fact.note)
        )?;
    }
    Ok(())
}

/// Radio inputs `{id}-0..` that show pane `k` when input `k` is checked, with `labels` as the
/// buttons. `panes` writes pane `k`'s content. The CSS rules are generated for these ids.
pub(crate) fn write_picker(
    out: &mut String,
    id: &str,
    labels: &[String],
    default: usize,
    mut panes: impl FnMut(&mut String, usize) -> fmt::Result,
) -> fmt::Result {
    let mut css = String::new();
    for k in 0..labels.len() {
        let _ = write!(
            css,
            "#{id}-{k}:checked~.{id}-p{k}{{display:block}}#{id}-{k}:checked~.seg label[for={id}-{k}]{{background:var(--accent);color:#fff}}#{id}-{k}:checked~.seg label[for={id}-{k}] small{{color:#dbeafe}}#{id}-{k}:focus-visible~.seg label[for={id}-{k}]{{outline:2px solid var(--accent);outline-offset:2px}}"
        );
    }
    write!(out, "<div class=\"pick\"><style>{css}</style>")?;
    for k in 0..labels.len() {
        let checked = if k == default { " checked" } else { "" };
        write!(
            out,
            "<input type=\"radio\" name=\"{id}\" id=\"{id}-{k}\"{checked}>"
        )?;
    }
    if labels.len() > 1 {
        out.push_str("<div class=\"seg\">");
        for (k, label) in labels.iter().enumerate() {
            write!(out, "<label for=\"{id}-{k}\">{label}</label>")?;
        }
        out.push_str("</div>");
    }
    for k in 0..labels.len() {
        let print = if k == default { " print" } else { "" };
        write!(out, "<div class=\"pane {id}-p{k}{print}\">")?;
        panes(out, k)?;
        out.push_str("</div>");
    }
    out.push_str("</div>\n");
    Ok(())
}

/// The directly-follows graph with its level control: each level drawn and laid out for its
/// own edges (so the main paths are not spread out by rare ones), and radio inputs that show one.
pub(crate) fn write_dfg(
    out: &mut String,
    graph: &PathGraph,
    spec: &FilterSpec,
    id: &str,
    title: &str,
) -> fmt::Result {
    let levels = Levels::new(graph, spec);
    // A level that shows nothing more than the one before it is left out.
    let mut shown: Vec<usize> = Vec::new();
    for k in 0..levels.n_levels() {
        let stats = levels.stats(graph, k);
        match shown.last() {
            Some(&prev) if levels.stats(graph, prev).edges_shown == stats.edges_shown => {
                if k == levels.default {
                    *shown.last_mut().expect("a level") = k;
                }
            }
            _ => shown.push(k),
        }
    }
    let labels: Vec<String> = shown
        .iter()
        .map(|&k| {
            format!(
                "{}<small>{}</small>",
                level_name(levels.shares[k]),
                format::int(levels.stats(graph, k).edges_shown as u64)
            )
        })
        .collect();
    let default = shown.iter().position(|&k| k == levels.default).unwrap_or(0);
    write_picker(out, id, &labels, default, |out, pane| {
        let level = shown[pane];
        let layout = layout::layout(
            graph,
            &levels.drawn_nodes(level),
            &levels.drawn_edges(level),
        );
        out.push_str("<div class=\"fig\">");
        dfg::write_svg(out, graph, &levels, &layout, level, title, false)?;
        out.push_str("</div>");
        Ok(())
    })
}

/// `80% of moves`, `all`; a share that is not a round number is the readable default level of
/// the most frequent moves: `main moves (62%)`.
fn level_name(share: f64) -> String {
    if share >= 1.0 {
        "all".to_owned()
    } else if ((share * 100.0).round() - share * 100.0).abs() > 1e-6 {
        format!("main moves ({})", format::percent(share))
    } else {
        format!("{} of moves", format::percent(share))
    }
}

/// The flow view: by step, and with a map also by stage, picked with tabs.
pub(crate) fn write_flows(
    out: &mut String,
    id: &str,
    flows: &[(&str, FlowInput)],
    title: &str,
) -> fmt::Result {
    let built: Vec<(String, flow::Flow, &FlowInput, &str)> = flows
        .iter()
        .map(|(unit, input)| {
            (
                format!("By {unit}"),
                flow::build(input, FLOW_COLUMNS, FLOW_PER_COLUMN),
                input,
                *unit,
            )
        })
        .collect();
    if built.iter().all(|b| b.1.nodes.is_empty()) {
        out.push_str("<p class=\"fig-note\">No customer journeys to draw.</p>\n");
        return Ok(());
    }
    let labels: Vec<String> = built.iter().map(|b| b.0.clone()).collect();
    write_picker(out, id, &labels, 0, |out, k| {
        let (_, flow, input, unit) = &built[k];
        out.push_str("<div class=\"fig\">");
        sankey::write_svg(out, flow, input, unit, title)?;
        out.push_str("</div>");
        let mut note = format!(
            "Each column is the next {unit} customers took (one {unit} repeated back to back counts once); band widths are customers; the red end of a bar is customers whose journey ended there{}.",
            if flow.nodes.iter().any(|n| n.continuing > 0) {
                ", grey those who went on past the last column"
            } else {
                ""
            }
        );
        if flow.customers < flow.cases {
            note.push_str(&format!(
                " Drawn: {} of {} customers (the most common journeys).",
                format::int(flow.customers),
                format::int(flow.cases)
            ));
        }
        write!(out, "<p class=\"fig-note\">{}</p>", Esc(&note))
    })
}

/// A sequence of activities as chips joined by arrows, cut after `max` with the rest counted.
pub(crate) fn write_sequence(out: &mut String, names: &[String], max: usize) -> fmt::Result {
    out.push_str("<div class=\"seq\">");
    for (i, name) in names.iter().take(max).enumerate() {
        if i > 0 {
            out.push_str("<i>\u{2192}</i>");
        }
        let cut = crate::html::cells::cut(name, 40);
        if cut == *name {
            write!(out, "<span dir=\"auto\">{}</span>", Esc(name))?;
        } else {
            write!(
                out,
                "<span dir=\"auto\" title=\"{}\">{}</span>",
                Esc(name),
                Esc(&cut)
            )?;
        }
    }
    if names.len() > max {
        write!(
            out,
            "<i>\u{2192}</i><em>\u{2026} {} more</em>",
            format::int((names.len() - max) as u64)
        )?;
    }
    out.push_str("</div>");
    Ok(())
}

/// A share as a bar and a percentage.
pub(crate) fn share_bar(share: f64) -> String {
    format!(
        "<span class=\"sbar\"><i style=\"width:{:.1}%\"></i></span>{}",
        (share * 100.0).clamp(0.0, 100.0),
        format::percent(share)
    )
}
