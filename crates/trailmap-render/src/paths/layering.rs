//! Which column (layer) each activity goes in, left to right.
//!
//! With a map, the designed order decides: step `i` of the map sits in column `i`, so the
//! designed path reads as a straight line and every deviation as a detour off it. Without a
//! map, activities are first put in one total order, by where they tend to come in a case
//! (`Node::order_hint`, the mean position of an activity's first event, from the variants).
//! Every edge is oriented along that order, which breaks every cycle: the edges that point
//! against it are the backward ones. Then each activity goes one column right of its furthest
//! predecessor (longest-path layering), and activities without predecessors move right, next
//! to their first successor, so a rare side entry does not stretch an edge across the page.

use super::graph::PathGraph;

/// The layer of every drawn node (`None` for nodes not drawn), and the number of layers.
///
/// Columns come from the whole graph, every activity and transition, and are then compacted to
/// the activities drawn: a filtered picture keeps activities where the full one has them, so an
/// activity whose incoming edges are filtered out does not jump to the far left.
pub(crate) fn assign(
    graph: &PathGraph,
    nodes: &[bool],
    edges: &[bool],
) -> (Vec<Option<usize>>, usize) {
    let every_node = vec![true; graph.nodes.len()];
    let every_edge: Vec<bool> = (0..graph.edges.len())
        .map(|e| edges[e] || graph.edges[e].count > 0)
        .collect();
    let (full, _) = assign_drawn(graph, &every_node, &every_edge);
    let mut used: Vec<usize> = (0..graph.nodes.len())
        .filter(|&n| nodes[n])
        .filter_map(|n| full[n])
        .collect();
    used.sort_unstable();
    used.dedup();
    let layer = (0..graph.nodes.len())
        .map(|n| {
            if nodes[n] {
                full[n].and_then(|l| used.binary_search(&l).ok())
            } else {
                None
            }
        })
        .collect();
    (layer, used.len())
}

/// Layers for exactly the nodes and edges given.
fn assign_drawn(graph: &PathGraph, nodes: &[bool], edges: &[bool]) -> (Vec<Option<usize>>, usize) {
    let mut layer = vec![None; graph.nodes.len()];
    if graph.is_designed() {
        // Compacted: columns only for the steps drawn, in map order.
        let mut drawn: Vec<usize> = (0..graph.nodes.len()).filter(|&n| nodes[n]).collect();
        drawn.sort_by_key(|&n| (graph.nodes[n].designed, n));
        for (column, &n) in drawn.iter().enumerate() {
            layer[n] = Some(column);
        }
        return (layer, drawn.len());
    }
    let rank = greedy_rank(graph, nodes, edges);
    let mut in_rank_order: Vec<usize> = (0..graph.nodes.len()).filter(|&n| nodes[n]).collect();
    in_rank_order.sort_by_key(|&n| rank[n]);
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    for (e, edge) in graph.edges.iter().enumerate() {
        if !edges[e] || edge.from == edge.to || !nodes[edge.from] || !nodes[edge.to] {
            continue;
        }
        let (lo, hi) = oriented(edge.from, edge.to, &rank);
        predecessors[hi].push(lo);
        successors[lo].push(hi);
    }
    let mut value = vec![0usize; graph.nodes.len()];
    for &n in &in_rank_order {
        value[n] = predecessors[n]
            .iter()
            .map(|&p| value[p] + 1)
            .max()
            .unwrap_or(0);
    }
    for &n in in_rank_order.iter().rev() {
        if predecessors[n].is_empty()
            && graph.nodes[n].starts == 0
            && let Some(first) = successors[n].iter().map(|&s| value[s]).min()
        {
            value[n] = first.saturating_sub(1).max(value[n]);
        }
    }
    let n_layers = in_rank_order
        .iter()
        .map(|&n| value[n] + 1)
        .max()
        .unwrap_or(0);
    for &n in &in_rank_order {
        layer[n] = Some(value[n]);
    }
    (layer, n_layers)
}

/// Each drawn node's place in a left-to-right order that points as few transitions backward
/// as it can: the greedy heuristic of Eades, Lin and Smyth for a minimum feedback arc set,
/// weighted by counts. Activities that only lead somewhere go left, those only reached go
/// right, and otherwise the one with the most weight going out rather than in goes next;
/// ties go by `order_hint` and then by index.
pub(crate) fn greedy_rank(graph: &PathGraph, nodes: &[bool], edges: &[bool]) -> Vec<usize> {
    let n = graph.nodes.len();
    let mut out_w = vec![0.0f64; n];
    let mut in_w = vec![0.0f64; n];
    let mut succ: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for (e, edge) in graph.edges.iter().enumerate() {
        if !edges[e] || edge.from == edge.to || !nodes[edge.from] || !nodes[edge.to] {
            continue;
        }
        let w = edge.count as f64;
        out_w[edge.from] += w;
        in_w[edge.to] += w;
        succ[edge.from].push((edge.to, w));
        pred[edge.to].push((edge.from, w));
    }
    let hint = |a: usize| (graph.nodes[a].order_hint, a);
    let before = |a: usize, b: usize| hint(a).0.total_cmp(&hint(b).0).then(a.cmp(&b));
    let mut left: Vec<usize> = Vec::new();
    let mut right: Vec<usize> = Vec::new();
    let mut alive: Vec<bool> = nodes.to_vec();
    let mut remaining = alive.iter().filter(|&&a| a).count();
    let remove = |v: usize, alive: &mut Vec<bool>, out_w: &mut Vec<f64>, in_w: &mut Vec<f64>| {
        alive[v] = false;
        for &(s, w) in &succ[v] {
            in_w[s] -= w;
        }
        for &(p, w) in &pred[v] {
            out_w[p] -= w;
        }
    };
    while remaining > 0 {
        let live: Vec<usize> = (0..n).filter(|&v| alive[v]).collect();
        // Sinks first (the last of them by hint goes furthest right), then sources.
        if let Some(&v) = live
            .iter()
            .filter(|&&v| out_w[v] <= 1e-9 && in_w[v] > 1e-9)
            .max_by(|&&a, &&b| before(a, b))
        {
            right.push(v);
            remove(v, &mut alive, &mut out_w, &mut in_w);
            remaining -= 1;
            continue;
        }
        let chosen = live
            .iter()
            .copied()
            .filter(|&v| in_w[v] <= 1e-9)
            .min_by(|&a, &b| before(a, b))
            .unwrap_or_else(|| {
                live.iter()
                    .copied()
                    .min_by(|&a, &b| {
                        let (da, db) = (out_w[a] - in_w[a], out_w[b] - in_w[b]);
                        db.total_cmp(&da).then(before(a, b))
                    })
                    .expect("a live node")
            });
        left.push(chosen);
        remove(chosen, &mut alive, &mut out_w, &mut in_w);
        remaining -= 1;
    }
    left.extend(right.into_iter().rev());
    let mut rank = vec![usize::MAX; n];
    for (r, &v) in left.iter().enumerate() {
        rank[v] = r;
    }
    rank
}

/// Each drawn node's place in the order of `designed` and then `order_hint` (0 first): the
/// starting order within columns.
pub(crate) fn rank(graph: &PathGraph, nodes: &[bool]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..graph.nodes.len()).filter(|&n| nodes[n]).collect();
    order.sort_by(|&a, &b| {
        let (na, nb) = (&graph.nodes[a], &graph.nodes[b]);
        na.designed
            .cmp(&nb.designed)
            .then(na.order_hint.total_cmp(&nb.order_hint))
            .then(a.cmp(&b))
    });
    let mut rank = vec![usize::MAX; graph.nodes.len()];
    for (r, &n) in order.iter().enumerate() {
        rank[n] = r;
    }
    rank
}

/// An edge's ends as (earlier, later) in the order.
pub(crate) fn oriented(from: usize, to: usize, rank: &[usize]) -> (usize, usize) {
    if rank[from] <= rank[to] {
        (from, to)
    } else {
        (to, from)
    }
}

#[cfg(test)]
mod tests {
    use super::super::graph::fixture::{edge, journey, node};
    use super::super::graph::{Node, PathGraph};
    use super::*;

    #[test]
    fn a_map_puts_steps_in_designed_order() {
        let graph = journey();
        let all_nodes = vec![true; graph.nodes.len()];
        let all_edges = vec![true; graph.edges.len()];
        let (layer, n) = assign(&graph, &all_nodes, &all_edges);
        assert_eq!(n, 5);
        assert_eq!(layer, [Some(0), Some(1), Some(2), Some(3), Some(4)]);
    }

    #[test]
    fn cycles_are_broken_along_the_usual_order() {
        // a → b → c → a, with c usually last: the edge c → a points backward.
        let hints = [0.0, 1.0, 2.0, 1.5];
        let nodes: Vec<Node> = ["a", "b", "c", "side"]
            .iter()
            .zip(hints)
            .map(|(l, h)| Node {
                order_hint: h,
                ..node(l, 10, 0, 0)
            })
            .collect();
        let mut graph = PathGraph {
            nodes,
            edges: vec![
                edge(0, 1, 10, 1.0),
                edge(1, 2, 10, 1.0),
                edge(2, 0, 3, 1.0),
                edge(3, 2, 1, 1.0),
            ],
            chain: Vec::new(),
            stage_names: Vec::new(),
        };
        graph.nodes[0].starts = 10;
        let (layer, n) = assign(&graph, &[true; 4], &[true; 4]);
        assert_eq!(layer[..3], [Some(0), Some(1), Some(2)]);
        assert_eq!(
            layer[3],
            Some(1),
            "a side entry sits next to where it leads"
        );
        assert_eq!(n, 3);
        for e in &graph.edges {
            assert_ne!(layer[e.from], layer[e.to], "no edge inside a layer");
        }
    }

    #[test]
    fn nodes_not_drawn_get_no_layer() {
        let graph = journey();
        let mut nodes = vec![true; 5];
        nodes[2] = false;
        let (layer, n) = assign(&graph, &nodes, &[true; 8]);
        assert_eq!(layer[2], None);
        assert_eq!(n, 4);
    }
}
