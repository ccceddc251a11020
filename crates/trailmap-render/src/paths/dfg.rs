//! The directly-follows graph as SVG: boxes for activities with their counts and start and end
//! marks, curves for transitions (width by frequency, colour by how they relate to the map),
//! the designed path as a dashed line over them, labels, a note on what the filter hides, and
//! a legend.
//!
//! One drawing shows one filter level, with presentation attributes only (so slide tools import
//! it as browsers draw it); the HTML page draws every level, each laid out for its own edges,
//! and a CSS-only control picks one.

use std::fmt::{self, Write};

use super::filter::{LevelStats, Levels};
use super::graph::{EdgeKind, PathGraph};
use super::layout::{self, LABEL_FONT, Layout, NAME_FONT, NODE_W, PAD, Rect};
use crate::escape::Esc;
use crate::svg::text::{self, Font};
use crate::{format, palette};

pub(crate) const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'Noto Sans', 'Liberation Sans', Arial, sans-serif";

/// The designed path's colour, and the colours of transitions by kind.
pub(crate) const DESIGNED: &str = "#1e40af";
const DESIGNED_HALO: &str = "#dbeafe";
pub(crate) const START: &str = "#15803d";
pub(crate) const END: &str = "#b91c1c";

pub(crate) fn colour(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Plain => "#475569",
        EdgeKind::Designed => "#2563eb",
        EdgeKind::OptionalSkip => "#60a5fa",
        EdgeKind::Skip => "#ea580c",
        EdgeKind::Backward => "#dc2626",
        EdgeKind::Repeat => "#64748b",
    }
}

/// Whether an element first shown at `first_level` is drawn at `level`.
fn shows(first_level: Option<usize>, level: usize) -> bool {
    first_level.is_some_and(|l| l <= level)
}

const LEGEND_H: f64 = 64.0;
const MIN_W: f64 = 720.0;

/// Writes the whole `<svg>` element. `title` names the picture for screen readers.
pub(crate) fn write_svg(
    out: &mut String,
    graph: &PathGraph,
    levels: &Levels,
    layout: &Layout,
    level: usize,
    title: &str,
    standalone: bool,
) -> fmt::Result {
    let width = layout.width.max(MIN_W);
    let height = layout.height + LEGEND_H;
    let xmlns = if standalone {
        " xmlns=\"http://www.w3.org/2000/svg\""
    } else {
        ""
    };
    write!(
        out,
        "<svg{xmlns} class=\"dfg-svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"{FONT_FAMILY}\" role=\"img\"><title>{}</title>",
        Esc(title)
    )?;
    write!(
        out,
        "<rect width=\"{width:.0}\" height=\"{height:.0}\" fill=\"{}\"/>",
        palette::PAPER
    )?;
    write_stage_bands(out, graph, layout)?;
    // The designed path's halo goes under the transitions, its dashes over them.
    for d in &layout.designed {
        write!(
            out,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{DESIGNED_HALO}\" stroke-width=\"22\" stroke-linecap=\"round\"/>"
        )?;
    }
    write_edges(out, graph, levels, layout, level)?;
    for d in &layout.designed {
        write!(
            out,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{DESIGNED}\" stroke-width=\"2\" stroke-dasharray=\"7 5\" stroke-linecap=\"round\"/>"
        )?;
    }
    write_nodes(out, graph, levels, layout, level)?;
    for (e, label) in layout.labels.iter().enumerate() {
        let Some(label) = label else { continue };
        if !shows(levels.edge[e], level) {
            continue;
        }
        let kind = graph.edges[e].kind;
        let fill = if kind.deviates() {
            "#9a3412"
        } else {
            palette::MUTED
        };
        write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"3.5\" stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>",
            label.x,
            label.y,
            LABEL_FONT.size,
            Esc(&label.text)
        )?;
    }
    write_notes(out, graph, levels, layout.height, level)?;
    write_legend(out, graph, layout.height + 26.0, width)?;
    out.push_str("</svg>");
    Ok(())
}

/// With a map: the stage names over their columns, on pale bands, so the picture reads like
/// the map.
fn write_stage_bands(out: &mut String, graph: &PathGraph, layout: &Layout) -> fmt::Result {
    if !graph.is_designed() {
        return Ok(());
    }
    // Runs of drawn nodes with the same stage, left to right.
    let mut columns: Vec<(f64, Option<usize>)> = graph
        .nodes
        .iter()
        .zip(&layout.nodes)
        .filter_map(|(n, r)| r.map(|r| (r.x, n.stage)))
        .collect();
    columns.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut runs: Vec<(f64, f64, Option<usize>)> = Vec::new();
    for (x, stage) in columns {
        match runs.last_mut() {
            Some(run) if run.2 == stage => run.1 = x + NODE_W,
            _ => runs.push((x, x + NODE_W, stage)),
        }
    }
    for (i, (x0, x1, stage)) in runs.iter().enumerate() {
        if i % 2 == 0 {
            write!(
                out,
                "<rect x=\"{:.1}\" y=\"0\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
                x0 - 12.0,
                x1 - x0 + 24.0,
                layout.height,
                palette::CANVAS
            )?;
        }
        if let Some(name) = stage.and_then(|s| graph.stage_names.get(s)) {
            let shown = text::wrap(name, Font::bold(11.0), x1 - x0, 1);
            write!(
                out,
                "<text x=\"{x0:.1}\" y=\"16\" font-size=\"11\" font-weight=\"700\" letter-spacing=\".06em\" fill=\"{}\"><title>{}</title>{}</text>",
                crate::palette::accent_dark(trailmap_model::JourneyState::Current),
                Esc(name),
                Esc(&shown.lines.concat().to_uppercase())
            )?;
        }
    }
    Ok(())
}

fn write_edges(
    out: &mut String,
    graph: &PathGraph,
    levels: &Levels,
    layout: &Layout,
    level: usize,
) -> fmt::Result {
    // Rare edges first, so the frequent ones are drawn on top.
    let mut order: Vec<usize> = (0..graph.edges.len()).collect();
    order.sort_by_key(|&e| (graph.edges[e].count, e));
    for e in order {
        let Some(route) = &layout.edges[e] else {
            continue;
        };
        if !shows(levels.edge[e], level) {
            continue;
        }
        let edge = &graph.edges[e];
        let colour = colour(edge.kind);
        let class = format!(" class=\"e {}\"", edge.kind.class());
        write!(out, "<g{class}><title>")?;
        write_edge_title(out, graph, e)?;
        write!(
            out,
            "</title><path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-opacity=\"0.5\" stroke-width=\"{:.1}\"/><path d=\"{}\" fill=\"{colour}\" fill-opacity=\"0.8\"/></g>",
            route.d, route.width, route.arrow
        )?;
    }
    Ok(())
}

fn write_edge_title(out: &mut String, graph: &PathGraph, e: usize) -> fmt::Result {
    let edge = &graph.edges[e];
    write!(
        out,
        "{} \u{2192} {}: {} {}",
        Esc(&graph.nodes[edge.from].label),
        Esc(&graph.nodes[edge.to].label),
        format::int(edge.count),
        if edge.count == 1 { "time" } else { "times" }
    )?;
    if let Some(median) = edge.median_s {
        write!(out, ", median {}", format::duration_human(median))?;
    }
    if let Some(mean) = edge.mean_s {
        write!(out, ", mean {}", format::duration_human(mean))?;
    }
    let words = edge.kind.words();
    if !words.is_empty() {
        write!(out, " \u{2014} {words}")?;
    }
    Ok(())
}

fn write_nodes(
    out: &mut String,
    graph: &PathGraph,
    levels: &Levels,
    layout: &Layout,
    level: usize,
) -> fmt::Result {
    let on_chain = graph.chain_position();
    for (n, node) in graph.nodes.iter().enumerate() {
        let Some(rect) = layout.nodes[n] else {
            continue;
        };
        if !shows(levels.node[n], level) {
            continue;
        }
        let class = " class=\"n\"";
        write!(
            out,
            "<g{class}><title>{}: {} {}",
            Esc(&node.label),
            format::int(node.count),
            if node.count == 1 { "event" } else { "events" }
        )?;
        if node.starts > 0 {
            write!(out, "; {} started here", format::int(node.starts))?;
        }
        if node.ends > 0 {
            write!(out, "; {} ended here", format::int(node.ends))?;
        }
        if node.optional {
            out.push_str("; optional step");
        }
        if graph.is_designed() && on_chain[n].is_none() {
            out.push_str("; not on this persona\u{2019}s designed path");
        }
        out.push_str("</title>");
        let seen = node.count > 0;
        let (stroke, dash) = match (seen, on_chain[n].is_some()) {
            (false, _) => ("#94a3b8", " stroke-dasharray=\"4 3\""),
            (true, true) => (DESIGNED, ""),
            (true, false) => ("#94a3b8", ""),
        };
        write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"8\" fill=\"{}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/>",
            rect.x,
            rect.y,
            rect.w,
            rect.h,
            palette::PAPER
        )?;
        write_name(
            out,
            &node.label,
            rect,
            if seen { palette::INK } else { palette::MUTED },
        )?;
        write_figures(out, node.count, node.starts, node.ends, rect, seen)?;
        out.push_str("</g>");
    }
    Ok(())
}

/// The activity's name, wrapped to two lines inside the box.
fn write_name(out: &mut String, name: &str, rect: Rect, fill: &str) -> fmt::Result {
    let wrapped = text::wrap(name, NAME_FONT, NODE_W - 2.0 * PAD, 2);
    let line_h = 14.0;
    let first = if wrapped.lines.len() == 1 {
        rect.y + 22.0
    } else {
        rect.y + 17.0
    };
    write!(
        out,
        "<text x=\"{:.1}\" y=\"{first:.1}\" font-size=\"{}\" font-weight=\"700\" fill=\"{fill}\">",
        rect.x + PAD,
        NAME_FONT.size
    )?;
    for (i, line) in wrapped.lines.iter().enumerate() {
        if i == 0 {
            write!(out, "<tspan>{}</tspan>", Esc(line))?;
        } else {
            write!(
                out,
                "<tspan x=\"{:.1}\" dy=\"{line_h}\">{}</tspan>",
                rect.x + PAD,
                Esc(line)
            )?;
        }
    }
    out.push_str("</text>");
    Ok(())
}

/// The bottom line of a box: events, then a green triangle with the cases that start here and
/// a red square with the cases that end here.
fn write_figures(
    out: &mut String,
    count: u64,
    starts: u64,
    ends: u64,
    rect: Rect,
    seen: bool,
) -> fmt::Result {
    let y = rect.y + rect.h - 9.0;
    let small = Font::new(10.5);
    let mut x = rect.x + PAD;
    if !seen {
        return write!(
            out,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"10.5\" font-style=\"italic\" fill=\"{}\">not seen in the data</text>",
            palette::MUTED
        );
    }
    let count_text = format::int(count);
    write!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"10.5\" font-weight=\"700\" fill=\"{}\">{count_text}</text>",
        palette::MUTED
    )?;
    x += text::width(&count_text, Font::bold(10.5)) + 9.0;
    if starts > 0 {
        let t = format::int(starts);
        write!(
            out,
            "<path d=\"M{x:.1} {:.1}l6 3.5l-6 3.5z\" fill=\"{START}\"/><text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"10.5\" fill=\"{START}\">{t}</text>",
            y - 7.5,
            x + 8.0
        )?;
        x += 8.0 + text::width(&t, small) + 8.0;
    }
    if ends > 0 {
        let t = format::int(ends);
        write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"6\" height=\"6\" fill=\"{END}\"/><text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"10.5\" fill=\"{END}\">{t}</text>",
            y - 7.0,
            x + 8.5
        )?;
    }
    Ok(())
}

/// What each level shows and hides, in words: one line per level, shown with its level.
fn write_notes(
    out: &mut String,
    graph: &PathGraph,
    levels: &Levels,
    top: f64,
    level: usize,
) -> fmt::Result {
    {
        let stats = levels.stats(graph, level);
        let class = " class=\"note\"";
        write!(
            out,
            "<text{class} x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{}\">{}</text>",
            layout::MARGIN_X,
            top + 4.0,
            palette::MUTED,
            Esc(&note(&stats))
        )?;
    }
    Ok(())
}

/// `Showing 40 of 120 transitions (96% of all moves); 12 activities hidden.`
pub(crate) fn note(stats: &LevelStats) -> String {
    let total = stats.edges_shown + stats.edges_hidden;
    let mut text = format!(
        "Showing {} of {} transitions ({} of all moves)",
        format::int(stats.edges_shown as u64),
        format::int(total as u64),
        format::percent(stats.coverage)
    );
    if stats.nodes_hidden > 0 {
        text.push_str(&format!("; {} hidden", activities(stats.nodes_hidden)));
    }
    if stats.edges_hidden == 0 {
        text = format!("All {} transitions shown", format::int(total as u64));
    }
    text.push('.');
    text
}

/// `1 activity`, `12 activities`.
pub(crate) fn activities(n: usize) -> String {
    if n == 1 {
        "1 activity".to_owned()
    } else {
        format!("{} activities", format::int(n as u64))
    }
}

fn write_legend(out: &mut String, graph: &PathGraph, y: f64, width: f64) -> fmt::Result {
    let mut items: Vec<(String, &str)> = Vec::new();
    if graph.chain.is_empty() {
        items.push((
            swatch(colour(EdgeKind::Plain), None),
            "transition (width: how often)",
        ));
    } else {
        items.push((swatch(DESIGNED, Some("7 5")), "designed path"));
        items.push((swatch(colour(EdgeKind::Designed), None), "as designed"));
        if graph.edges.iter().any(|e| e.kind == EdgeKind::OptionalSkip) {
            items.push((
                swatch(colour(EdgeKind::OptionalSkip), None),
                "skips optional steps",
            ));
        }
        items.push((swatch(colour(EdgeKind::Skip), None), "skips a step"));
        items.push((swatch(colour(EdgeKind::Backward), None), "goes back"));
        if graph.edges.iter().any(|e| e.kind == EdgeKind::Repeat) {
            items.push((
                swatch(colour(EdgeKind::Repeat), None),
                "loop: the step again, back to back",
            ));
        }
    }
    items.push((
        format!("<path d=\"M0 -7.5l6 3.5l-6 3.5z\" fill=\"{START}\"/>"),
        "customers who started here",
    ));
    items.push((
        format!("<rect x=\"0\" y=\"-7\" width=\"6\" height=\"6\" fill=\"{END}\"/>"),
        "customers who ended here",
    ));
    let mut x = layout::MARGIN_X;
    let mut row_y = y + 8.0;
    let font = Font::new(11.5);
    for (shape, words) in items {
        let shape_w = if shape.starts_with("<path d=\"M0 -7.5") || shape.starts_with("<rect") {
            10.0
        } else {
            28.0
        };
        let item_w = shape_w + 6.0 + text::width(words, font) + 22.0;
        if x + item_w > width - layout::MARGIN_X && x > layout::MARGIN_X {
            x = layout::MARGIN_X;
            row_y += 20.0;
        }
        write!(
            out,
            "<g transform=\"translate({x:.1} {row_y:.1})\">{shape}<text x=\"{:.1}\" y=\"0\" font-size=\"11.5\" fill=\"{}\">{}</text></g>",
            shape_w + 6.0,
            palette::MUTED,
            Esc(words)
        )?;
        x += item_w;
    }
    Ok(())
}

/// A short line sample for the legend, dashed when `dash` is given.
fn swatch(colour: &str, dash: Option<&str>) -> String {
    match dash {
        Some(dash) => format!(
            "<path d=\"M0 -4H28\" stroke=\"{DESIGNED_HALO}\" stroke-width=\"10\" stroke-linecap=\"round\"/><path d=\"M0 -4H28\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"/>"
        ),
        None => format!(
            "<path d=\"M0 -4H28\" stroke=\"{colour}\" stroke-opacity=\"0.6\" stroke-width=\"5\"/>"
        ),
    }
}
