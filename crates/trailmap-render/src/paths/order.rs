//! The order of things within each column, chosen to keep edges from crossing.
//!
//! An edge that spans several columns gets a *dummy* item in each column it passes, so it is
//! routed around the activities there instead of through them. Items are then reordered by
//! the barycenter heuristic: each item moves to the weighted mean position of its neighbours
//! in the column before (sweeping right) or after (sweeping left). Edges weigh more the more
//! often they occur (logarithmically), so the main paths are the ones kept straight. The order
//! with the fewest weighted crossings over a few sweeps is kept.
//!
//! With a map, items keep to bands within a column: backward edges above, the designed step
//! in the middle (all designed steps on one line), forward skips below, and activities off
//! this path at the bottom.

use super::graph::{EdgeKind, PathGraph};

const SWEEPS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    Node(usize),
    /// Where edge `.0` passes through a column.
    Dummy(usize),
}

/// Items in columns, in their chosen order.
#[derive(Debug, Clone)]
pub(crate) struct Layered {
    pub(crate) items: Vec<Item>,
    pub(crate) layer_of: Vec<usize>,
    /// Band within the column (see the module doc); items sort by band first.
    pub(crate) group: Vec<u8>,
    /// Item ids of each column, top to bottom.
    pub(crate) layers: Vec<Vec<usize>>,
    /// Per graph edge: its items from the left end to the right end (`None` for edges not
    /// drawn and for repeats of one activity, which are loops).
    pub(crate) chains: Vec<Option<Chain>>,
    pub(crate) node_item: Vec<Option<usize>>,
    /// Neighbours of each item in the column to its left and to its right, with weights.
    pub(crate) left: Vec<Vec<(usize, f64)>>,
    pub(crate) right: Vec<Vec<(usize, f64)>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Chain {
    pub(crate) items: Vec<usize>,
    /// The edge runs right to left (from its right end back to its left end).
    pub(crate) reversed: bool,
}

/// How much an edge pulls its neighbours straight.
pub(crate) fn weight(count: u64) -> f64 {
    1.0 + (count.max(1) as f64).ln()
}

pub(crate) fn build(
    graph: &PathGraph,
    layer: &[Option<usize>],
    n_layers: usize,
    edges: &[bool],
) -> Layered {
    let designed = graph.is_designed();
    let on_chain = graph.chain_position();
    let mut l = Layered {
        items: Vec::new(),
        layer_of: Vec::new(),
        group: Vec::new(),
        layers: vec![Vec::new(); n_layers],
        chains: vec![None; graph.edges.len()],
        node_item: vec![None; graph.nodes.len()],
        left: Vec::new(),
        right: Vec::new(),
    };
    let mut nodes: Vec<usize> = (0..graph.nodes.len())
        .filter(|&n| layer[n].is_some())
        .collect();
    // Start from the left-to-right order (by map order or usual position in a case).
    let rank = super::layering::rank(
        graph,
        &layer.iter().map(Option::is_some).collect::<Vec<_>>(),
    );
    nodes.sort_by_key(|&n| rank[n]);
    for n in nodes {
        let group = match (designed, on_chain[n]) {
            (false, _) => 0,
            (true, Some(_)) => 1,
            (true, None) => 3,
        };
        let id = l.push(Item::Node(n), layer[n].unwrap_or(0), group);
        l.node_item[n] = Some(id);
    }
    for (e, edge) in graph.edges.iter().enumerate() {
        if !edges[e] || edge.from == edge.to {
            continue;
        }
        let (Some(a), Some(b)) = (layer[edge.from], layer[edge.to]) else {
            continue;
        };
        let (Some(ia), Some(ib)) = (l.node_item[edge.from], l.node_item[edge.to]) else {
            continue;
        };
        let (lo, hi, ilo, ihi, reversed) = if a < b {
            (a, b, ia, ib, false)
        } else {
            (b, a, ib, ia, true)
        };
        let group = match (designed, edge.kind) {
            (false, _) => 0,
            (true, EdgeKind::Designed) => 1,
            (true, _) if reversed => 0,
            (true, _) => 2,
        };
        let mut items = vec![ilo];
        for column in lo + 1..hi {
            items.push(l.push(Item::Dummy(e), column, group));
        }
        items.push(ihi);
        let w = weight(edge.count);
        for pair in items.windows(2) {
            l.right[pair[0]].push((pair[1], w));
            l.left[pair[1]].push((pair[0], w));
        }
        l.chains[e] = Some(Chain { items, reversed });
    }
    l.reduce_crossings();
    l
}

impl Layered {
    fn push(&mut self, item: Item, layer: usize, group: u8) -> usize {
        let id = self.items.len();
        self.items.push(item);
        self.layer_of.push(layer);
        self.group.push(group);
        self.left.push(Vec::new());
        self.right.push(Vec::new());
        self.layers[layer].push(id);
        id
    }

    fn positions(&self) -> Vec<f64> {
        let mut pos = vec![0.0; self.items.len()];
        for layer in &self.layers {
            for (p, &item) in layer.iter().enumerate() {
                pos[item] = p as f64;
            }
        }
        pos
    }

    fn reduce_crossings(&mut self) {
        // Group first, then the initial order, as a stable starting point.
        for layer in &mut self.layers {
            layer.sort_by_key(|&item| self.group[item]);
        }
        let mut best = self.layers.clone();
        let mut best_crossings = self.crossings();
        for sweep in 0..SWEEPS {
            let rightward = sweep % 2 == 0;
            let columns: Vec<usize> = if rightward {
                (1..self.layers.len()).collect()
            } else {
                (0..self.layers.len().saturating_sub(1)).rev().collect()
            };
            for column in columns {
                let pos = self.positions();
                let neighbours = if rightward { &self.left } else { &self.right };
                let mut keyed: Vec<(u8, f64, f64, usize)> = self.layers[column]
                    .iter()
                    .map(|&item| {
                        let (sum, total) = neighbours[item]
                            .iter()
                            .fold((0.0, 0.0), |(s, t), &(other, w)| {
                                (s + w * pos[other], t + w)
                            });
                        let bary = if total > 0.0 { sum / total } else { pos[item] };
                        (self.group[item], bary, pos[item], item)
                    })
                    .collect();
                keyed.sort_by(|a, b| {
                    a.0.cmp(&b.0)
                        .then(a.1.total_cmp(&b.1))
                        .then(a.2.total_cmp(&b.2))
                });
                self.layers[column] = keyed.into_iter().map(|k| k.3).collect();
            }
            let crossings = self.crossings();
            if crossings < best_crossings - 1e-9 {
                best_crossings = crossings;
                best = self.layers.clone();
            }
        }
        self.layers = best;
    }

    /// Weighted crossings between all neighbouring columns (each crossing weighs the product
    /// of the two edges' weights), counted with a Fenwick tree in O(s log s) per gap.
    pub(crate) fn crossings(&self) -> f64 {
        let pos = self.positions();
        let mut total = 0.0;
        for column in 0..self.layers.len().saturating_sub(1) {
            let mut segments: Vec<(usize, usize, f64)> = Vec::new();
            for &item in &self.layers[column] {
                for &(other, w) in &self.right[item] {
                    segments.push((pos[item] as usize, pos[other] as usize, w));
                }
            }
            segments.sort_by_key(|s| (s.0, s.1));
            let size = self.layers[column + 1].len() + 1;
            let mut tree = vec![0.0; size + 1];
            let mut seen = 0.0;
            let mut start = 0;
            while start < segments.len() {
                let mut end = start;
                while end < segments.len() && segments[end].0 == segments[start].0 {
                    end += 1;
                }
                // Segments from the same item never cross each other: query before adding.
                for &(_, b, w) in &segments[start..end] {
                    let at_or_below = prefix(&tree, b + 1);
                    total += w * (seen - at_or_below);
                }
                for &(_, b, w) in &segments[start..end] {
                    add(&mut tree, b + 1, w);
                    seen += w;
                }
                start = end;
            }
        }
        total
    }
}

fn add(tree: &mut [f64], mut i: usize, w: f64) {
    while i < tree.len() {
        tree[i] += w;
        i += i & i.wrapping_neg();
    }
}

fn prefix(tree: &[f64], mut i: usize) -> f64 {
    let mut sum = 0.0;
    while i > 0 {
        sum += tree[i];
        i -= i & i.wrapping_neg();
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::super::graph::fixture::{edge, journey, node};
    use super::super::graph::{Node, PathGraph};
    use super::super::layering;
    use super::*;

    fn layered(graph: &PathGraph) -> Layered {
        let nodes = vec![true; graph.nodes.len()];
        let edges = vec![true; graph.edges.len()];
        let (layer, n) = layering::assign(graph, &nodes, &edges);
        build(graph, &layer, n, &edges)
    }

    #[test]
    fn long_edges_get_a_dummy_in_every_column_they_pass() {
        let graph = journey();
        let l = layered(&graph);
        let skip = l.chains[7].as_ref().expect("0 → 3 is drawn");
        assert_eq!(skip.items.len(), 4);
        assert!(!skip.reversed);
        let back = l.chains[5].as_ref().expect("2 → 1 is drawn");
        assert!(back.reversed);
        assert!(l.chains[6].is_none(), "a repeat is a loop, not a chain");
        // With a map: backward above the step, skips below.
        for layer in &l.layers {
            let groups: Vec<u8> = layer.iter().map(|&i| l.group[i]).collect();
            assert!(groups.windows(2).all(|w| w[0] <= w[1]), "{groups:?}");
        }
    }

    #[test]
    fn crossings_are_counted_and_reduced() {
        // Two parallel paths a→c, b→d drawn in crossed start order: the sweep uncrosses them.
        let nodes: Vec<Node> = [("a", 0.0), ("b", 0.1), ("c", 1.0), ("d", 0.9)]
            .iter()
            .map(|&(l, h)| Node {
                order_hint: h,
                starts: 1,
                ..node(l, 5, 0, 0)
            })
            .collect();
        let graph = PathGraph {
            nodes,
            edges: vec![edge(0, 2, 5, 1.0), edge(1, 3, 5, 1.0)],
            chain: Vec::new(),
            stage_names: Vec::new(),
        };
        let l = layered(&graph);
        assert_eq!(l.crossings(), 0.0);
        let mut crossed = l.clone();
        crossed.layers[1].reverse();
        assert!(crossed.crossings() > 0.0);
    }
}
