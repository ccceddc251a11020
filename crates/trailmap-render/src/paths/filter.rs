//! The edge-frequency filter that keeps a directly-follows graph readable.
//!
//! Real logs have many rare transitions; drawn all at once, fifty activities become a hairball.
//! Edges are ranked by how often they occur, and a *level* keeps the most frequent ones until
//! they cover a share of all transitions (80%, 95%, ...), the way process-mining tools' path
//! sliders work. Edges at or above a count can be kept at every level too. An activity is drawn
//! at a level when one of its edges is (with a map, every step is always drawn, so the designed
//! path stays whole). The most inclusive level is still capped at [`MAX_EDGES`]; whatever a level
//! leaves out is counted, and the picture says so.
//!
//! The HTML page draws every level at once, each element tagged with the first level that
//! shows it, and a CSS-only control picks the level; the standalone SVG draws one.

use super::graph::PathGraph;

/// The most edges ever drawn, at any level.
pub(crate) const MAX_EDGES: usize = 400;
/// The default level is the most inclusive one with at most this many edges: twice the
/// activities drawn, within these bounds.
pub(crate) const READABLE_EDGES: usize = 60;
const READABLE_MIN: usize = 16;
/// The coverage shares of the standard levels.
pub(crate) const STANDARD_SHARES: [f64; 4] = [0.8, 0.95, 0.99, 1.0];

/// What to keep.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FilterSpec {
    /// Coverage share of each level, ascending, in (0, 1].
    pub(crate) shares: Vec<f64>,
    /// Edges with at least this many occurrences are kept at every level.
    pub(crate) min_count: Option<u64>,
    /// The level to show first; `None` picks the most inclusive readable one.
    pub(crate) default: Option<usize>,
}

impl FilterSpec {
    /// The standard levels, plus `share` (made the default) when one is asked for.
    pub(crate) fn new(share: Option<f64>, min_count: Option<u64>) -> FilterSpec {
        let mut shares: Vec<f64> = STANDARD_SHARES.to_vec();
        let mut default = None;
        if let Some(share) = share.filter(|s| s.is_finite()) {
            let share = share.clamp(0.01, 1.0);
            if !shares.iter().any(|s| (s - share).abs() < 1e-9) {
                shares.push(share);
                shares.sort_by(f64::total_cmp);
            }
            default = shares.iter().position(|s| (s - share).abs() < 1e-9);
        }
        FilterSpec {
            shares,
            min_count,
            default,
        }
    }
}

/// The first level at which each edge and node is drawn (`None`: never), and what each level
/// leaves out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Levels {
    pub(crate) shares: Vec<f64>,
    pub(crate) edge: Vec<Option<usize>>,
    pub(crate) node: Vec<Option<usize>>,
    pub(crate) default: usize,
}

/// What one level shows and hides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LevelStats {
    pub(crate) edges_shown: usize,
    pub(crate) edges_hidden: usize,
    pub(crate) nodes_shown: usize,
    pub(crate) nodes_hidden: usize,
    /// Share of all transitions on the edges shown.
    pub(crate) coverage: f64,
}

impl Levels {
    pub(crate) fn new(graph: &PathGraph, spec: &FilterSpec) -> Levels {
        let levels = Levels::with_shares(graph, spec);
        if spec.default.is_some() {
            return levels;
        }
        // When even the first level is too busy, a level of the most frequent edges that fit
        // the budget goes first and is shown first.
        let budget = (2 * graph.nodes.len()).clamp(READABLE_MIN, READABLE_EDGES);
        if levels.stats(graph, 0).edges_shown <= budget {
            return levels;
        }
        let mut counts: Vec<u64> = graph.edges.iter().map(|e| e.count).collect();
        counts.sort_by_key(|&c| std::cmp::Reverse(c));
        let total = graph.total_transitions() as f64;
        let top: u64 = counts.iter().take(budget).sum();
        let share = top as f64 / total;
        if share <= 0.0 || share >= levels.shares[0] {
            return levels;
        }
        let mut shares = vec![share];
        shares.extend(levels.shares.iter().copied());
        let mut spec = spec.clone();
        spec.shares = shares;
        spec.default = Some(0);
        Levels::with_shares(graph, &spec)
    }

    fn with_shares(graph: &PathGraph, spec: &FilterSpec) -> Levels {
        let shares = if spec.shares.is_empty() {
            vec![1.0]
        } else {
            spec.shares.clone()
        };
        let total = graph.total_transitions() as f64;
        let mut ranked: Vec<usize> = (0..graph.edges.len()).collect();
        // Most frequent first; ties in a fixed order so the same input keeps the same edges.
        ranked.sort_by_key(|&e| {
            let edge = &graph.edges[e];
            (std::cmp::Reverse(edge.count), edge.from, edge.to)
        });
        let mut edge = vec![None; graph.edges.len()];
        let mut before = 0.0;
        for (rank, &e) in ranked.iter().enumerate() {
            let count = graph.edges[e].count;
            if rank < MAX_EDGES && count > 0 {
                // An edge belongs to a level if the edges before it do not yet cover the
                // level's share: the edge that crosses the line is kept.
                let by_share = shares.iter().position(|&s| before < s * total || s >= 1.0);
                let by_count = spec.min_count.filter(|&n| count >= n).map(|_| 0);
                edge[e] = match (by_share, by_count) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            before += count as f64;
        }
        let designed = graph.is_designed();
        let mut has_edge = vec![false; graph.nodes.len()];
        for e in &graph.edges {
            has_edge[e.from] = true;
            has_edge[e.to] = true;
        }
        let mut node: Vec<Option<usize>> = graph
            .nodes
            .iter()
            .zip(&has_edge)
            .map(|(n, &has_edge)| (designed || (n.count > 0 && !has_edge)).then_some(0))
            .collect();
        for (e, level) in edge.iter().enumerate() {
            if let Some(level) = *level {
                for end in [graph.edges[e].from, graph.edges[e].to] {
                    node[end] = Some(node[end].map_or(level, |l| l.min(level)));
                }
            }
        }
        let mut levels = Levels {
            shares,
            edge,
            node,
            default: 0,
        };
        levels.default = match spec.default {
            Some(d) => d.min(levels.shares.len() - 1),
            None => (0..levels.shares.len())
                .rev()
                .find(|&l| {
                    let stats = levels.stats(graph, l);
                    stats.edges_shown <= (2 * stats.nodes_shown).clamp(READABLE_MIN, READABLE_EDGES)
                })
                .unwrap_or(0),
        };
        levels
    }

    pub(crate) fn n_levels(&self) -> usize {
        self.shares.len()
    }

    pub(crate) fn edge_shown(&self, edge: usize, level: usize) -> bool {
        self.edge[edge].is_some_and(|l| l <= level)
    }

    pub(crate) fn node_shown(&self, node: usize, level: usize) -> bool {
        self.node[node].is_some_and(|l| l <= level)
    }

    pub(crate) fn stats(&self, graph: &PathGraph, level: usize) -> LevelStats {
        let edges_shown = (0..graph.edges.len())
            .filter(|&e| self.edge_shown(e, level))
            .count();
        let nodes_shown = (0..graph.nodes.len())
            .filter(|&n| self.node_shown(n, level))
            .count();
        let total = graph.total_transitions();
        let covered: u64 = (0..graph.edges.len())
            .filter(|&e| self.edge_shown(e, level))
            .map(|e| graph.edges[e].count)
            .sum();
        LevelStats {
            edges_shown,
            edges_hidden: graph.edges.len() - edges_shown,
            nodes_shown,
            nodes_hidden: graph.nodes.len() - nodes_shown,
            coverage: if total == 0 {
                1.0
            } else {
                covered as f64 / total as f64
            },
        }
    }

    /// The edges drawn at the most inclusive level.
    pub(crate) fn drawn_edges(&self, upto: usize) -> Vec<bool> {
        (0..self.edge.len())
            .map(|e| self.edge_shown(e, upto))
            .collect()
    }

    pub(crate) fn drawn_nodes(&self, upto: usize) -> Vec<bool> {
        (0..self.node.len())
            .map(|n| self.node_shown(n, upto))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::graph::PathGraph;
    use super::super::graph::fixture::{edge, journey, node};
    use super::*;

    /// A fan of `n` activities after a start, with counts falling off: 1000, 500, 333, ...
    fn fan(n: usize) -> PathGraph {
        let mut nodes = vec![node("start", 0, 0, 0)];
        let mut edges = Vec::new();
        for i in 1..=n {
            nodes.push(node(&format!("a{i}"), 0, 0, 0));
            edges.push(edge(0, i, 1000 / i as u64, 60.0));
        }
        let total: u64 = edges.iter().map(|e| e.count).sum();
        nodes[0].starts = total;
        nodes[0].count = total;
        for e in &edges {
            nodes[e.to].count = e.count;
            nodes[e.to].ends = e.count;
        }
        PathGraph {
            nodes,
            edges,
            chain: Vec::new(),
            stage_names: Vec::new(),
        }
    }

    #[test]
    fn keeps_the_most_frequent_edges_first() {
        let graph = fan(80);
        let levels = Levels::new(&graph, &FilterSpec::new(None, None));
        for level in 0..levels.n_levels() {
            let shown: Vec<u64> = (0..graph.edges.len())
                .filter(|&e| levels.edge_shown(e, level))
                .map(|e| graph.edges[e].count)
                .collect();
            let min_shown = shown.iter().copied().min().unwrap();
            let max_hidden = (0..graph.edges.len())
                .filter(|&e| !levels.edge_shown(e, level))
                .map(|e| graph.edges[e].count)
                .max()
                .unwrap_or(0);
            assert!(
                max_hidden <= min_shown,
                "level {level}: hid {max_hidden}, kept {min_shown}"
            );
            let stats = levels.stats(&graph, level);
            assert!(stats.coverage + 1e-9 >= levels.shares[level], "{stats:?}");
            assert_eq!(stats.edges_shown + stats.edges_hidden, 80);
        }
        // Levels only ever add edges.
        for e in 0..graph.edges.len() {
            for level in 1..levels.n_levels() {
                assert!(!levels.edge_shown(e, level - 1) || levels.edge_shown(e, level));
            }
        }
        assert!(levels.stats(&graph, 0).edges_shown < 80);
        assert_eq!(levels.stats(&graph, 3).edges_shown, 80);
    }

    #[test]
    fn the_default_level_is_readable() {
        let graph = fan(200);
        let levels = Levels::new(&graph, &FilterSpec::new(None, None));
        let stats = levels.stats(&graph, levels.default);
        assert!(stats.edges_shown <= READABLE_EDGES, "{stats:?}");
        assert!(stats.nodes_hidden > 0);
        let small = journey();
        let levels = Levels::new(&small, &FilterSpec::new(None, None));
        assert_eq!(
            levels.default,
            levels.n_levels() - 1,
            "small graphs show all"
        );
    }

    #[test]
    fn a_count_threshold_keeps_edges_at_every_level() {
        let graph = fan(50);
        let levels = Levels::new(&graph, &FilterSpec::new(Some(0.5), Some(40)));
        assert_eq!(levels.shares[levels.default], 0.5);
        for e in 0..graph.edges.len() {
            if graph.edges[e].count >= 40 {
                assert!(levels.edge_shown(e, 0), "edge {e}");
            }
        }
    }

    #[test]
    fn every_shown_edge_has_both_ends_shown() {
        let graph = fan(120);
        let levels = Levels::new(&graph, &FilterSpec::new(None, None));
        for level in 0..levels.n_levels() {
            for (e, edge) in graph.edges.iter().enumerate() {
                if levels.edge_shown(e, level) {
                    assert!(levels.node_shown(edge.from, level));
                    assert!(levels.node_shown(edge.to, level));
                }
            }
        }
        // Capped: the last level never draws more than MAX_EDGES.
        let huge = fan(MAX_EDGES + 50);
        let levels = Levels::new(&huge, &FilterSpec::new(None, None));
        assert_eq!(
            levels.stats(&huge, levels.n_levels() - 1).edges_shown,
            MAX_EDGES
        );
    }

    #[test]
    fn map_steps_are_always_drawn() {
        let mut graph = journey();
        graph.edges.retain(|e| e.from != 4 && e.to != 4);
        let levels = Levels::new(&graph, &FilterSpec::new(Some(0.5), None));
        for node in 0..graph.nodes.len() {
            assert!(
                levels.node_shown(node, 0),
                "step {node} shows at the first level"
            );
        }
        assert_eq!(levels.stats(&graph, 0).nodes_hidden, 0);
        assert!(
            levels.stats(&graph, 0).edges_hidden > 0,
            "while edges are filtered"
        );
    }
}
