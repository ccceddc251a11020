//! The directly-follows graph laid out left to right: boxes for activities, smooth curves for
//! transitions, spots for their labels. Pure geometry; `dfg.rs` turns it into SVG.
//!
//! The pipeline is the classic layered (Sugiyama) one: columns (`layering.rs`), dummies and
//! crossing reduction (`order.rs`), heights (`place.rs`), then here the routes: every edge
//! leaves and enters its activities at *ports* spread along a side in the order of where the
//! edge goes next (so edges do not cross at a box), and runs as cubic curves through the
//! gaps and straight through the columns it passes. With a map, forward transitions between
//! consecutive steps use the sides, backward moves arc over the top and skips under the bottom,
//! so the designed line stays clear. Labels go where they overlap nothing, most frequent edges
//! first; an edge whose label finds no room keeps its figures in its tooltip.

use super::graph::{EdgeKind, PathGraph};
use super::order::{self, Item, Layered};
use super::{layering, place};
use crate::format;
use crate::svg::text::{self, Font};

pub(crate) const NODE_W: f64 = 140.0;
pub(crate) const NODE_H: f64 = 58.0;
const COL_GAP: f64 = 108.0;
pub(crate) const MARGIN_X: f64 = 24.0;
const MARGIN_TOP: f64 = 44.0;
const MARGIN_BOTTOM: f64 = 24.0;
const MAX_WIDTH: f64 = 14.0;
const MIN_WIDTH: f64 = 1.4;
pub(crate) const LABEL_FONT: Font = Font::new(10.5);
pub(crate) const NAME_FONT: Font = Font::bold(12.0);
/// Inner padding of a box; names wrap to its inside.
pub(crate) const PAD: f64 = 8.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) w: f64,
    pub(crate) h: f64,
}

impl Rect {
    fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }

    pub(crate) fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }

    pub(crate) fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
}

/// A drawn edge: its curve, its arrowhead, its stroke width.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Route {
    pub(crate) d: String,
    pub(crate) arrow: String,
    pub(crate) width: f64,
    /// Every point the curve was built from (for tests: all finite, ends on the boxes).
    pub(crate) points: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Label {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) text: String,
    pub(crate) rect: Rect,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) nodes: Vec<Option<Rect>>,
    pub(crate) edges: Vec<Option<Route>>,
    pub(crate) labels: Vec<Option<Label>>,
    /// The designed path: one curve per pair of consecutive drawn steps.
    pub(crate) designed: Vec<String>,
}

/// Stroke width of an edge: grows with the square root of its count, so a transition ten
/// times as frequent looks clearly, but not overwhelmingly, heavier.
pub(crate) fn stroke_width(count: u64, max: u64) -> f64 {
    if max == 0 {
        return MIN_WIDTH;
    }
    MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * (count as f64 / max as f64).sqrt()
}

/// The figures an edge label shows: `1,204 · 3.2 h`.
pub(crate) fn edge_label(count: u64, median_s: Option<f64>) -> String {
    match median_s.filter(|s| s.is_finite()) {
        Some(s) => format!(
            "{} \u{b7} {}",
            format::int(count),
            format::duration_human(s)
        ),
        None => format::int(count),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

/// A point the curve passes and the direction it travels there.
#[derive(Clone, Copy, Debug)]
struct Way {
    x: f64,
    y: f64,
    dx: f64,
    dy: f64,
}

pub(crate) fn layout(graph: &PathGraph, nodes: &[bool], edges: &[bool]) -> Layout {
    // Edges only between drawn nodes.
    let edges: Vec<bool> = graph
        .edges
        .iter()
        .enumerate()
        .map(|(e, edge)| edges[e] && nodes[edge.from] && nodes[edge.to])
        .collect();
    let (layer, n_layers) = layering::assign(graph, nodes, &edges);
    let layered = order::build(graph, &layer, n_layers, &edges);
    let max_count = graph
        .edges
        .iter()
        .enumerate()
        .filter(|(e, _)| edges[*e])
        .map(|(_, e)| e.count)
        .max()
        .unwrap_or(0);
    let size: Vec<f64> = layered
        .items
        .iter()
        .map(|item| match *item {
            Item::Node(_) => NODE_H,
            Item::Dummy(e) => stroke_width(graph.edges[e].count, max_count),
        })
        .collect();
    let designed = graph.is_designed();
    let is_node = |i: usize| matches!(layered.items[i], Item::Node(_));
    let gap = |a: usize, b: usize| match (is_node(a), is_node(b)) {
        (true, true) => 40.0,
        (true, false) | (false, true) => {
            if designed {
                30.0
            } else {
                16.0
            }
        }
        (false, false) => 4.0,
    };
    let pin: Vec<bool> = (0..layered.items.len())
        .map(|i| designed && is_node(i) && layered.group[i] == 1)
        .collect();
    let y = place::place(&layered, &size, gap, &pin);

    let column_x = |l: usize| MARGIN_X + l as f64 * (NODE_W + COL_GAP);
    let mut rects: Vec<Option<Rect>> = vec![None; graph.nodes.len()];
    for (n, item) in layered.node_item.iter().enumerate() {
        if let Some(item) = *item {
            rects[n] = Some(Rect {
                x: column_x(layered.layer_of[item]),
                y: MARGIN_TOP + y[item] - NODE_H / 2.0,
                w: NODE_W,
                h: NODE_H,
            });
        }
    }
    let mut routes: Vec<Option<Route>> = vec![None; graph.edges.len()];
    let mut ways: Vec<Vec<Way>> = vec![Vec::new(); graph.edges.len()];
    let sides = choose_sides(graph, &layered, &edges);
    // Ends of edges per (node, side): (edge, is the start, sort key).
    let mut ends: Vec<Vec<(usize, bool, f64)>> = vec![Vec::new(); graph.nodes.len() * 4];
    let slot = |n: usize, side: Side| n * 4 + side as usize;
    for (e, chain) in layered.chains.iter().enumerate() {
        let Some(chain) = chain else { continue };
        let edge = &graph.edges[e];
        let (start_side, end_side) = sides[e];
        // Dummy points in travel order.
        let mut inner: Vec<Way> = Vec::new();
        let dummies = &chain.items[1..chain.items.len() - 1];
        let travel: Vec<usize> = if chain.reversed {
            dummies.iter().rev().copied().collect()
        } else {
            dummies.to_vec()
        };
        let dir = if chain.reversed { -1.0 } else { 1.0 };
        for item in travel {
            let x = column_x(layered.layer_of[item]);
            let yy = MARGIN_TOP + y[item];
            let (first, second) = if chain.reversed {
                (x + NODE_W, x)
            } else {
                (x, x + NODE_W)
            };
            inner.push(Way {
                x: first,
                y: yy,
                dx: dir,
                dy: 0.0,
            });
            inner.push(Way {
                x: second,
                y: yy,
                dx: dir,
                dy: 0.0,
            });
        }
        // The key that orders ends on a side: where the edge goes next.
        let next_y = inner
            .first()
            .map_or_else(|| rects[edge.to].map_or(0.0, |r| r.cy()), |w| w.y);
        let prev_y = inner
            .last()
            .map_or_else(|| rects[edge.from].map_or(0.0, |r| r.cy()), |w| w.y);
        let start_key = port_key(start_side, next_y, rects[edge.from]);
        let end_key = port_key(end_side, prev_y, rects[edge.to]);
        ends[slot(edge.from, start_side)].push((e, true, start_key));
        ends[slot(edge.to, end_side)].push((e, false, end_key));
        ways[e] = inner;
    }
    // Spread the ends along each side and put them at the front and back of their routes.
    let mut start_at: Vec<Option<Way>> = vec![None; graph.edges.len()];
    let mut end_at: Vec<Option<Way>> = vec![None; graph.edges.len()];
    for n in 0..graph.nodes.len() {
        let Some(rect) = rects[n] else { continue };
        let has_loop = graph
            .edges
            .iter()
            .enumerate()
            .any(|(e, edge)| edges[e] && edge.from == n && edge.to == n);
        for side in [Side::Left, Side::Right, Side::Top, Side::Bottom] {
            let list = &ends[slot(n, side)];
            if list.is_empty() {
                continue;
            }
            for (e, is_start, point) in spread(list, side, rect, has_loop, graph, max_count) {
                if is_start {
                    start_at[e] = Some(point);
                } else {
                    end_at[e] = Some(point);
                }
            }
        }
    }
    for e in 0..graph.edges.len() {
        let (Some(start), Some(end)) = (start_at[e], end_at[e]) else {
            continue;
        };
        let width = stroke_width(graph.edges[e].count, max_count);
        let mut points = vec![start];
        points.extend(ways[e].iter().copied());
        points.push(end);
        routes[e] = Some(route(&points, width));
    }
    for (e, edge) in graph.edges.iter().enumerate() {
        if edges[e]
            && edge.from == edge.to
            && let Some(rect) = rects[edge.from]
        {
            let width = stroke_width(edge.count, max_count).min(6.0);
            routes[e] = Some(self_loop(rect, width));
        }
    }

    let width =
        (2.0 * MARGIN_X + n_layers as f64 * NODE_W + n_layers.saturating_sub(1) as f64 * COL_GAP)
            .max(NODE_W);
    let bottom = rects
        .iter()
        .flatten()
        .map(|r| r.y + r.h)
        .chain(
            layered
                .items
                .iter()
                .enumerate()
                .map(|(i, _)| MARGIN_TOP + y[i] + size[i] / 2.0),
        )
        .fold(0.0, f64::max);
    let labels = place_labels(graph, &edges, &rects, &routes, &ways, &start_at, &end_at);
    let designed_paths = designed_path(graph, &rects, &routes, &edges);
    Layout {
        width,
        height: bottom + MARGIN_BOTTOM + 40.0,
        nodes: rects,
        edges: routes,
        labels,
        designed: designed_paths,
    }
}

/// Which side of its boxes each edge leaves and enters.
fn choose_sides(graph: &PathGraph, layered: &Layered, edges: &[bool]) -> Vec<(Side, Side)> {
    let designed = graph.is_designed();
    let on_chain = graph.chain_position();
    graph
        .edges
        .iter()
        .enumerate()
        .map(|(e, edge)| {
            let Some(chain) = layered.chains[e].as_ref().filter(|_| edges[e]) else {
                return (Side::Right, Side::Left);
            };
            let both_on_chain = on_chain[edge.from].is_some() && on_chain[edge.to].is_some();
            match (designed && both_on_chain, chain.reversed, edge.kind) {
                (true, _, EdgeKind::Designed) => (Side::Right, Side::Left),
                (true, true, _) => (Side::Top, Side::Top),
                (true, false, _) => (Side::Bottom, Side::Bottom),
                (false, true, _) => (Side::Left, Side::Right),
                (false, false, _) => (Side::Right, Side::Left),
            }
        })
        .collect()
}

/// How far an edge end's next point is from the box, as the order key on its side.
fn port_key(side: Side, next_y: f64, rect: Option<Rect>) -> f64 {
    match side {
        Side::Left | Side::Right => next_y,
        Side::Top | Side::Bottom => rect.map_or(0.0, |r| (next_y - r.cy()).abs()),
    }
}

/// The points where a side's edge ends sit, with the direction of travel there.
fn spread(
    list: &[(usize, bool, f64)],
    side: Side,
    rect: Rect,
    has_loop: bool,
    graph: &PathGraph,
    max_count: u64,
) -> Vec<(usize, bool, Way)> {
    let mut out = Vec::new();
    let width_of = |e: usize| stroke_width(graph.edges[e].count, max_count);
    let by_key = |list: &mut Vec<(usize, bool, f64)>| {
        list.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    };
    match side {
        Side::Left | Side::Right => {
            let mut list = list.to_vec();
            by_key(&mut list);
            let positions = slots(
                &list.iter().map(|l| width_of(l.0)).collect::<Vec<_>>(),
                rect.y + 6.0,
                rect.y + rect.h - 6.0,
            );
            let x = if side == Side::Left {
                rect.x
            } else {
                rect.x + rect.w
            };
            for ((e, is_start, _), y) in list.into_iter().zip(positions) {
                // Travel: leaving the right side or entering the left moves right.
                let dx = match (side, is_start) {
                    (Side::Right, true) | (Side::Left, false) => 1.0,
                    _ => -1.0,
                };
                out.push((e, is_start, Way { x, y, dx, dy: 0.0 }));
            }
        }
        Side::Top | Side::Bottom => {
            let y = if side == Side::Top {
                rect.y
            } else {
                rect.y + rect.h
            };
            let reserve = if has_loop && side == Side::Top {
                14.0
            } else {
                4.0
            };
            let (cx, left_end, right_end) = (rect.cx(), rect.x + 8.0, rect.x + rect.w - 8.0);
            // Top: departures leftward from the left half, arrivals from the right on the
            // right half. Bottom: departures rightward from the right half, arrivals on the
            // left. The farthest-reaching edge sits nearest the middle, so arcs nest.
            for half_is_start in [true, false] {
                let mut half: Vec<(usize, bool, f64)> = list
                    .iter()
                    .copied()
                    .filter(|l| l.1 == half_is_start)
                    .collect();
                if half.is_empty() {
                    continue;
                }
                by_key(&mut half);
                let widths: Vec<f64> = half.iter().map(|l| width_of(l.0)).collect();
                let on_left = (side == Side::Top) == half_is_start;
                let (from, to) = if on_left {
                    (left_end, cx - reserve)
                } else {
                    (cx + reserve, right_end)
                };
                let mut positions = slots(&widths, from, to);
                // Sorted near to far; near ones go to the outer edge.
                if !on_left {
                    positions.reverse();
                }
                for ((e, is_start, _), x) in half.into_iter().zip(positions) {
                    let dy = match (side, is_start) {
                        (Side::Top, true) | (Side::Bottom, false) => -1.0,
                        _ => 1.0,
                    };
                    out.push((e, is_start, Way { x, y, dx: 0.0, dy }));
                }
            }
        }
    }
    out
}

/// Centres for strokes of `widths` side by side between `from` and `to`, touching, centred;
/// squeezed evenly when they do not fit.
fn slots(widths: &[f64], from: f64, to: f64) -> Vec<f64> {
    let gap = 1.5;
    let total: f64 = widths.iter().sum::<f64>() + gap * widths.len().saturating_sub(1) as f64;
    let room = (to - from).max(0.0);
    let scale = if total > room && total > 0.0 {
        room / total
    } else {
        1.0
    };
    let mut at = (from + to) / 2.0 - total * scale / 2.0;
    widths
        .iter()
        .map(|w| {
            let centre = at + w * scale / 2.0;
            at += (w + gap) * scale;
            centre
        })
        .collect()
}

/// A smooth path through the points: straight where it runs through a column, cubic between.
fn route(points: &[Way], width: f64) -> Route {
    let mut pts = points.to_vec();
    // Stop the stroke at the base of the arrowhead so its tip stays sharp.
    let arrow_len = 6.0 + width * 0.55;
    let half = 3.5 + width * 0.55;
    let tip = *pts.last().expect("a route has ends");
    if let Some(last) = pts.last_mut() {
        last.x -= last.dx * arrow_len;
        last.y -= last.dy * arrow_len;
    }
    let mut d = format!("M{:.1} {:.1}", pts[0].x, pts[0].y);
    for pair in pts.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        let straight = p.dy == 0.0
            && q.dy == 0.0
            && (p.y - q.y).abs() < 0.05
            && p.dx == q.dx
            && (q.x - p.x) * p.dx > 0.0
            && (q.x - p.x).abs() <= NODE_W + 0.5;
        if straight {
            d.push_str(&format!("L{:.1} {:.1}", q.x, q.y));
            continue;
        }
        let (dx, dy) = ((q.x - p.x).abs(), (q.y - p.y).abs());
        let reach = |vertical: bool| {
            if vertical {
                (dy * 0.7).max(dx * 0.35).max(28.0)
            } else {
                (dx * 0.5).max(12.0)
            }
        };
        let k1 = reach(p.dy != 0.0);
        let k2 = reach(q.dy != 0.0);
        d.push_str(&format!(
            "C{:.1} {:.1} {:.1} {:.1} {:.1} {:.1}",
            p.x + p.dx * k1,
            p.y + p.dy * k1,
            q.x - q.dx * k2,
            q.y - q.dy * k2,
            q.x,
            q.y
        ));
    }
    let (bx, by) = (tip.x - tip.dx * arrow_len, tip.y - tip.dy * arrow_len);
    let (px, py) = (-tip.dy * half, tip.dx * half);
    let arrow = format!(
        "M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z",
        tip.x,
        tip.y,
        bx + px,
        by + py,
        bx - px,
        by - py
    );
    Route {
        d,
        arrow,
        width,
        points: points.iter().map(|w| (w.x, w.y)).collect(),
    }
}

/// A small loop on top of a box, for a step repeated.
fn self_loop(rect: Rect, width: f64) -> Route {
    let (cx, top) = (rect.cx(), rect.y);
    let (a, b) = (cx + 7.0, cx - 7.0);
    let arrow_len = 5.0 + width * 0.5;
    let half = 3.0 + width * 0.5;
    let d = format!(
        "M{a:.1} {top:.1}C{:.1} {:.1} {:.1} {:.1} {b:.1} {:.1}",
        a + 12.0,
        top - 30.0,
        b - 12.0,
        top - 30.0,
        top - arrow_len
    );
    let arrow = format!(
        "M{b:.1} {top:.1}L{:.1} {:.1}L{:.1} {:.1}Z",
        b - half,
        top - arrow_len,
        b + half,
        top - arrow_len
    );
    Route {
        d,
        arrow,
        width,
        points: vec![(a, top), (b, top)],
    }
}

/// The point halfway along a cubic between two route points, as `route` draws it.
fn midway(p: Way, q: Way) -> (f64, f64) {
    let (dx, dy) = ((q.x - p.x).abs(), (q.y - p.y).abs());
    let reach = |vertical: bool| {
        if vertical {
            (dy * 0.7).max(dx * 0.35).max(28.0)
        } else {
            (dx * 0.5).max(12.0)
        }
    };
    let (k1, k2) = (reach(p.dy != 0.0), reach(q.dy != 0.0));
    let c1 = (p.x + p.dx * k1, p.y + p.dy * k1);
    let c2 = (q.x - q.dx * k2, q.y - q.dy * k2);
    (
        (p.x + 3.0 * c1.0 + 3.0 * c2.0 + q.x) / 8.0,
        (p.y + 3.0 * c1.1 + 3.0 * c2.1 + q.y) / 8.0,
    )
}

fn place_labels(
    graph: &PathGraph,
    edges: &[bool],
    rects: &[Option<Rect>],
    routes: &[Option<Route>],
    ways: &[Vec<Way>],
    start_at: &[Option<Way>],
    end_at: &[Option<Way>],
) -> Vec<Option<Label>> {
    let mut labels: Vec<Option<Label>> = vec![None; graph.edges.len()];
    let mut taken: Vec<Rect> = rects
        .iter()
        .flatten()
        .map(|r| Rect {
            x: r.x - 3.0,
            y: r.y - 3.0,
            w: r.w + 6.0,
            h: r.h + 6.0,
        })
        .collect();
    let mut order: Vec<usize> = (0..graph.edges.len())
        .filter(|&e| edges[e] && routes[e].is_some())
        .collect();
    order.sort_by_key(|&e| {
        (
            std::cmp::Reverse(graph.edges[e].count),
            graph.edges[e].from,
            graph.edges[e].to,
        )
    });
    for e in order {
        let edge = &graph.edges[e];
        let text = edge_label(edge.count, edge.median_s);
        let w = text::width(&text, LABEL_FONT) + 6.0;
        let h = 14.0;
        let spots: Vec<(f64, f64)> = if edge.from == edge.to {
            rects[edge.from].map_or_else(Vec::new, |r| vec![(r.cx(), r.y - 34.0)])
        } else {
            let (Some(start), Some(end)) = (start_at[e], end_at[e]) else {
                continue;
            };
            let mut points = vec![start];
            points.extend(ways[e].iter().copied());
            points.push(end);
            // Crossings of a gap between columns, the middle one first.
            let gaps: Vec<(f64, f64)> = points
                .chunks(2)
                .filter(|pair| pair.len() == 2)
                .map(|pair| midway(pair[0], pair[1]))
                .collect();
            let middle = gaps.len() / 2;
            let mut ordered = Vec::with_capacity(gaps.len());
            for offset in 0..gaps.len() {
                for index in [middle + offset, middle.wrapping_sub(offset + 1)] {
                    if let Some(&spot) = gaps.get(index) {
                        ordered.push(spot);
                    }
                }
            }
            ordered.dedup_by(|a, b| (a.0 - b.0).abs() < 0.01 && (a.1 - b.1).abs() < 0.01);
            ordered
        };
        for (x, y) in spots {
            let rect = Rect {
                x: x - w / 2.0,
                y: y - h / 2.0,
                w,
                h,
            };
            if taken.iter().all(|t| !t.overlaps(&rect)) && rect.y > 0.0 {
                taken.push(rect);
                labels[e] = Some(Label {
                    x,
                    y: y + 3.8,
                    text: text.clone(),
                    rect,
                });
                break;
            }
        }
    }
    labels
}

/// The designed path, pair by pair of consecutive drawn steps: along the observed edge between
/// them when there is one, else a straight line from box to box.
fn designed_path(
    graph: &PathGraph,
    rects: &[Option<Rect>],
    routes: &[Option<Route>],
    edges: &[bool],
) -> Vec<String> {
    let steps: Vec<usize> = graph
        .chain
        .iter()
        .copied()
        .filter(|&n| rects[n].is_some())
        .collect();
    let mut out = Vec::new();
    for pair in steps.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let observed = graph
            .edges
            .iter()
            .enumerate()
            .find(|(e, edge)| edges[*e] && edge.from == a && edge.to == b)
            .and_then(|(e, _)| routes[e].as_ref());
        match observed {
            Some(route) => out.push(route.d.clone()),
            None => {
                if let (Some(ra), Some(rb)) = (rects[a], rects[b]) {
                    out.push(format!(
                        "M{:.1} {:.1}L{:.1} {:.1}",
                        ra.x + ra.w,
                        ra.cy(),
                        rb.x - 6.0,
                        rb.cy()
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::graph::fixture::journey;
    use super::*;

    #[test]
    fn every_drawn_edge_has_both_ends_drawn_and_finite_points() {
        let graph = journey();
        let layout = layout(&graph, &[true; 5], &[true; 8]);
        for (e, edge) in graph.edges.iter().enumerate() {
            let route = layout.edges[e].as_ref().expect("drawn");
            let (from, to) = (
                layout.nodes[edge.from].unwrap(),
                layout.nodes[edge.to].unwrap(),
            );
            let on_box = |(x, y): (f64, f64), r: Rect| {
                x >= r.x - 0.01 && x <= r.x + r.w + 0.01 && y >= r.y - 0.01 && y <= r.y + r.h + 0.01
            };
            assert!(on_box(route.points[0], from), "edge {e} starts on its box");
            assert!(
                on_box(*route.points.last().unwrap(), to),
                "edge {e} ends on its box"
            );
            assert!(
                route
                    .points
                    .iter()
                    .all(|(x, y)| x.is_finite() && y.is_finite())
            );
            assert!(!route.d.contains("NaN") && !route.arrow.contains("inf"));
        }
        // The designed steps sit on one line, in map order.
        let ys: Vec<f64> = layout.nodes.iter().map(|r| r.unwrap().y).collect();
        assert!(ys.windows(2).all(|w| (w[0] - w[1]).abs() < 0.01), "{ys:?}");
        let xs: Vec<f64> = layout.nodes.iter().map(|r| r.unwrap().x).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(layout.designed.len(), 4);
    }

    #[test]
    fn boxes_never_overlap_and_labels_avoid_them() {
        let graph = journey();
        let layout = layout(&graph, &[true; 5], &[true; 8]);
        let boxes: Vec<Rect> = layout.nodes.iter().flatten().copied().collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b));
            }
        }
        let labels: Vec<&Label> = layout.labels.iter().flatten().collect();
        assert!(labels.len() >= 5, "most edges get a label");
        for (i, label) in labels.iter().enumerate() {
            assert!(
                boxes.iter().all(|b| !b.overlaps(&label.rect)),
                "{}",
                label.text
            );
            for other in &labels[i + 1..] {
                assert!(!label.rect.overlaps(&other.rect));
            }
        }
        assert!(layout.width > 0.0 && layout.height > 0.0);
    }

    #[test]
    fn labels_read_as_people_say_them() {
        assert_eq!(edge_label(1204, Some(11_520.0)), "1,204 \u{b7} 3.2 h");
        assert_eq!(edge_label(3, Some(164_160.0)), "3 \u{b7} 1.9 d");
        assert_eq!(edge_label(3, None), "3");
        assert!(stroke_width(1, 100) < stroke_width(50, 100));
        assert_eq!(stroke_width(100, 100), MAX_WIDTH);
    }
}
