//! The flow view as inline SVG: one column per position in customers' journeys, a bar per
//! activity with height proportional to its customers, bands to the next column as wide as the
//! customers who went that way, and the bar's red end for those whose journey ended there
//! (grey at the last column: still going). Hover titles carry the exact numbers.

use std::fmt::{self, Write};

use super::dfg::FONT_FAMILY;
use super::flow::{Flow, FlowInput};
use crate::escape::Esc;
use crate::svg::text::{self, Font};
use crate::{format, palette};

const BAR_W: f64 = 12.0;
const COL_STEP: f64 = 220.0;
const TOP: f64 = 40.0;
const CHART_H: f64 = 380.0;
const NODE_GAP: f64 = 10.0;
/// Room each bar's two-line label needs.
const MIN_SLOT: f64 = 30.0;
const LEFT: f64 = 16.0;
const RIGHT: f64 = 200.0;
const NAME_FONT: Font = Font::bold(12.0);
pub(crate) const ENDED: &str = "#dc2626";
const CONTINUING: &str = "#94a3b8";
const POOL: &str = "#94a3b8";

/// Colours of activities' bars and bands: the map's persona palette, dark enough for text.
const COLOURS: [&str; 8] = [
    "#1d4ed8", "#0f766e", "#7c3aed", "#c2410c", "#be185d", "#4d7c0f", "#0e7490", "#a16207",
];

struct Placed {
    y: f64,
    h: f64,
}

/// Writes the `<svg>` of `flow`; `unit` names a column (`step`, `stage`).
pub(crate) fn write_svg(
    out: &mut String,
    flow: &Flow,
    input: &FlowInput,
    unit: &str,
    title: &str,
) -> fmt::Result {
    if flow.nodes.is_empty() {
        return Ok(());
    }
    let max_column = (0..flow.columns)
        .map(|c| {
            flow.nodes
                .iter()
                .filter(|n| n.column == c)
                .map(|n| n.customers)
                .sum::<u64>()
        })
        .max()
        .unwrap_or(1)
        .max(1);
    let max_nodes = (0..flow.columns)
        .map(|c| flow.nodes.iter().filter(|n| n.column == c).count())
        .max()
        .unwrap_or(1);
    let scale = (CHART_H - (max_nodes.saturating_sub(1)) as f64 * NODE_GAP) / max_column as f64;
    let mut placed: Vec<Placed> = Vec::with_capacity(flow.nodes.len());
    let mut column_y = vec![TOP; flow.columns];
    for node in &flow.nodes {
        let h = (node.customers as f64 * scale).max(1.5);
        let slot = h.max(MIN_SLOT);
        let top = column_y[node.column];
        placed.push(Placed {
            y: top + (slot - h) / 2.0,
            h,
        });
        column_y[node.column] = top + slot + NODE_GAP;
    }
    let height = column_y.iter().copied().fold(TOP, f64::max) + 8.0;
    let width = LEFT + (flow.columns.saturating_sub(1)) as f64 * COL_STEP + BAR_W + RIGHT;
    let x_of = |column: usize| LEFT + column as f64 * COL_STEP;
    write!(
        out,
        "<svg class=\"sankey-svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"{FONT_FAMILY}\" role=\"img\"><title>{}</title>",
        Esc(title)
    )?;
    for column in 0..flow.columns {
        let customers: u64 = flow
            .nodes
            .iter()
            .filter(|n| n.column == column)
            .map(|n| n.customers)
            .sum();
        write!(
            out,
            "<text x=\"{:.1}\" y=\"16\" font-size=\"11\" font-weight=\"700\" letter-spacing=\".06em\" fill=\"{}\">{} {}</text><text x=\"{:.1}\" y=\"30\" font-size=\"11\" fill=\"{}\">{} customers</text>",
            x_of(column),
            palette::MUTED,
            unit.to_uppercase(),
            column + 1,
            x_of(column),
            palette::MUTED,
            format::int(customers)
        )?;
    }
    // Bands: leave each bar from the top down in the order of their targets, arrive likewise.
    let mut out_offset: Vec<f64> = vec![0.0; flow.nodes.len()];
    let mut in_offset: Vec<f64> = vec![0.0; flow.nodes.len()];
    let mut links: Vec<usize> = (0..flow.links.len()).collect();
    links.sort_by(|&a, &b| {
        let (la, lb) = (&flow.links[a], &flow.links[b]);
        la.from
            .cmp(&lb.from)
            .then(placed[la.to].y.total_cmp(&placed[lb.to].y))
    });
    let mut bands: Vec<(usize, f64, f64, f64)> = Vec::with_capacity(links.len());
    for &l in &links {
        let link = &flow.links[l];
        let t = link.customers as f64 * scale;
        bands.push((l, placed[link.from].y + out_offset[link.from], 0.0, t));
        out_offset[link.from] += t;
    }
    bands.sort_by(|a, b| {
        let (la, lb) = (&flow.links[a.0], &flow.links[b.0]);
        la.to
            .cmp(&lb.to)
            .then(placed[la.from].y.total_cmp(&placed[lb.from].y))
    });
    for band in &mut bands {
        let link = &flow.links[band.0];
        band.2 = placed[link.to].y + in_offset[link.to];
        in_offset[link.to] += band.3;
    }
    bands.sort_by_key(|b| b.0);
    for &(l, y0, y1, t) in &bands {
        let link = &flow.links[l];
        let (from, to) = (&flow.nodes[link.from], &flow.nodes[link.to]);
        let x0 = x_of(from.column) + BAR_W;
        let x1 = x_of(to.column);
        let mid = (x0 + x1) / 2.0;
        let colour = colour_of(input, from.activity);
        write!(
            out,
            "<path class=\"band\" d=\"M{x0:.1} {y0:.2}C{mid:.1} {y0:.2} {mid:.1} {y1:.2} {x1:.1} {y1:.2}V{:.2}C{mid:.1} {:.2} {mid:.1} {:.2} {x0:.1} {:.2}Z\" fill=\"{colour}\" fill-opacity=\"0.22\"><title>",
            y1 + t,
            y1 + t,
            y0 + t,
            y0 + t
        )?;
        write!(
            out,
            "{} \u{2192} {} ({unit}s {} \u{2192} {}): {} customers, {} of the {} at {}",
            Esc(&node_name(input, from.activity, from.pooled)),
            Esc(&node_name(input, to.activity, to.pooled)),
            from.column + 1,
            to.column + 1,
            format::int(link.customers),
            format::percent(link.customers as f64 / from.customers.max(1) as f64),
            format::int(from.customers),
            Esc(&node_name(input, from.activity, from.pooled)),
        )?;
        out.push_str("</title></path>");
    }
    for (i, node) in flow.nodes.iter().enumerate() {
        let p = &placed[i];
        let x = x_of(node.column);
        let colour = colour_of(input, node.activity);
        let name = node_name(input, node.activity, node.pooled);
        let going = p.h * (node.customers - node.ended - node.continuing) as f64
            / node.customers.max(1) as f64;
        let ended_h = p.h * node.ended as f64 / node.customers.max(1) as f64;
        write!(
            out,
            "<g class=\"fnode\"><title>{}: {} customers at {unit} {}",
            Esc(&name),
            format::int(node.customers),
            node.column + 1
        )?;
        if node.ended > 0 {
            write!(
                out,
                "; {} ({}) ended here",
                format::int(node.ended),
                format::percent(node.ended as f64 / node.customers.max(1) as f64)
            )?;
        }
        if node.continuing > 0 {
            write!(
                out,
                "; {} went on to more {unit}s",
                format::int(node.continuing)
            )?;
        }
        out.push_str("</title>");
        write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.2}\" width=\"{BAR_W}\" height=\"{going:.2}\" fill=\"{colour}\"/>",
            p.y
        )?;
        if node.ended > 0 {
            write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{:.2}\" width=\"{BAR_W}\" height=\"{ended_h:.2}\" fill=\"{ENDED}\"/>",
                p.y + going
            )?;
        }
        if node.continuing > 0 {
            write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{:.2}\" width=\"{BAR_W}\" height=\"{:.2}\" fill=\"{CONTINUING}\"/>",
                p.y + going + ended_h,
                p.h - going - ended_h
            )?;
        }
        let label_w = COL_STEP - BAR_W - 26.0;
        let shown = text::wrap(&name, NAME_FONT, label_w, 1)
            .lines
            .into_iter()
            .next()
            .unwrap_or_default();
        let cy = p.y + p.h / 2.0;
        let mut figures = format::int(node.customers);
        if node.ended > 0 {
            figures.push_str(&format!(
                " \u{b7} {} end here",
                format::percent(node.ended as f64 / node.customers.max(1) as f64)
            ));
        }
        write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"><tspan font-weight=\"700\">{}</tspan><tspan x=\"{:.1}\" dy=\"14\" font-size=\"11\" fill=\"{}\">{}</tspan></text></g>",
            x + BAR_W + 6.0,
            cy - 3.0,
            palette::INK,
            Esc(&shown),
            x + BAR_W + 6.0,
            palette::MUTED,
            figures
        )?;
    }
    out.push_str("</svg>");
    Ok(())
}

fn colour_of(input: &FlowInput, activity: Option<usize>) -> &'static str {
    match activity {
        Some(a) => COLOURS[input.colour.get(a).copied().unwrap_or(a) % COLOURS.len()],
        None => POOL,
    }
}

/// An activity's name, or the pool's: `3 other steps`.
fn node_name(input: &FlowInput, activity: Option<usize>, pooled: usize) -> String {
    match activity {
        Some(a) => input.labels.get(a).cloned().unwrap_or_default(),
        None => format!("{} others", format::int(pooled as u64)),
    }
}
