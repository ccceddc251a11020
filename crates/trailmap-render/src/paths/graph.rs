//! What the directly-follows picture is drawn from: activities with their counts, observed
//! transitions with their durations, and, with a map, the designed order those transitions are
//! judged against.
//!
//! This is the renderer's own view, built from the wire types by `wire.rs`, so the layout and
//! drawing code does not change when a wire format does.

/// The directly-follows graph to draw.
#[derive(Debug, Clone, Default)]
pub(crate) struct PathGraph {
    pub(crate) nodes: Vec<Node>,
    pub(crate) edges: Vec<Edge>,
    /// The designed order: node indices in the order the map puts its steps, for the customers
    /// drawn (a persona's own steps). Empty without a map.
    pub(crate) chain: Vec<usize>,
    /// Names of the map's stages (`Node::stage` indexes it).
    pub(crate) stage_names: Vec<String>,
}

/// One activity (a map step, or an event name).
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    pub(crate) label: String,
    /// Events of this activity (pm4py's activity count).
    pub(crate) count: u64,
    /// Cases that start / end with this activity.
    pub(crate) starts: u64,
    pub(crate) ends: u64,
    /// Position in the map's order of all steps; `None` for an activity that is not a step.
    pub(crate) designed: Option<usize>,
    /// Whether customers may skip it and still follow the map.
    pub(crate) optional: bool,
    /// The stage (index in the map) a step belongs to.
    pub(crate) stage: Option<usize>,
    /// Where the activity tends to come in a case (smaller is earlier); orders activities
    /// left to right when there is no map. Finite.
    pub(crate) order_hint: f64,
}

/// One observed transition: `to` directly followed `from` in some case.
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) count: u64,
    /// Seconds between the two events, over all occurrences.
    pub(crate) median_s: Option<f64>,
    pub(crate) mean_s: Option<f64>,
    pub(crate) kind: EdgeKind,
}

/// How a transition relates to the designed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum EdgeKind {
    /// No map to judge it against.
    Plain,
    /// From a step to the next one in the designed order.
    Designed,
    /// Forward past steps that are all optional: still follows the map.
    OptionalSkip,
    /// Forward past a required step, or to or from a step that is not on this path.
    Skip,
    /// Back to an earlier step.
    Backward,
    /// The same step again.
    Repeat,
}

impl EdgeKind {
    /// Whether the transition leaves the designed path. A step repeated back to back is one
    /// visit (as `conform` counts it), not a deviation.
    pub(crate) fn deviates(self) -> bool {
        matches!(self, EdgeKind::Skip | EdgeKind::Backward)
    }

    pub(crate) fn class(self) -> &'static str {
        match self {
            EdgeKind::Plain => "k-plain",
            EdgeKind::Designed => "k-designed",
            EdgeKind::OptionalSkip => "k-optional",
            EdgeKind::Skip => "k-skip",
            EdgeKind::Backward => "k-back",
            EdgeKind::Repeat => "k-repeat",
        }
    }

    /// What the transition is, in words for a tooltip.
    pub(crate) fn words(self) -> &'static str {
        match self {
            EdgeKind::Plain => "",
            EdgeKind::Designed => "as designed",
            EdgeKind::OptionalSkip => "skips only optional steps (as designed)",
            EdgeKind::Skip => "leaves the designed order (skips a step)",
            EdgeKind::Backward => "goes back to an earlier step",
            EdgeKind::Repeat => "the step again, back to back (one visit, not a deviation)",
        }
    }
}

impl PathGraph {
    /// Whether node positions follow a designed order: every activity is a map step.
    pub(crate) fn is_designed(&self) -> bool {
        !self.chain.is_empty() && self.nodes.iter().all(|n| n.designed.is_some())
    }

    /// Sets every edge's kind from the designed chain (call after `chain` and the nodes'
    /// `optional` flags are set). Without a chain every edge is [`EdgeKind::Plain`].
    pub(crate) fn classify(&mut self) {
        let mut position = vec![None; self.nodes.len()];
        for (pos, &node) in self.chain.iter().enumerate() {
            position[node] = Some(pos);
        }
        for edge in &mut self.edges {
            edge.kind = if self.chain.is_empty() {
                EdgeKind::Plain
            } else if edge.from == edge.to {
                EdgeKind::Repeat
            } else {
                match (position[edge.from], position[edge.to]) {
                    (Some(a), Some(b)) if b == a + 1 => EdgeKind::Designed,
                    (Some(a), Some(b)) if b > a => {
                        if self.chain[a + 1..b].iter().all(|&n| self.nodes[n].optional) {
                            EdgeKind::OptionalSkip
                        } else {
                            EdgeKind::Skip
                        }
                    }
                    (Some(_), Some(_)) => EdgeKind::Backward,
                    _ => match (self.nodes[edge.from].designed, self.nodes[edge.to].designed) {
                        (Some(a), Some(b)) if b < a => EdgeKind::Backward,
                        _ => EdgeKind::Skip,
                    },
                }
            };
        }
    }

    /// Every transition, counted once per occurrence.
    pub(crate) fn total_transitions(&self) -> u64 {
        self.edges.iter().map(|e| e.count).sum()
    }

    /// The position of each node in the designed chain.
    pub(crate) fn chain_position(&self) -> Vec<Option<usize>> {
        let mut position = vec![None; self.nodes.len()];
        for (pos, &node) in self.chain.iter().enumerate() {
            position[node] = Some(pos);
        }
        position
    }
}

#[cfg(test)]
pub(crate) mod fixture {
    use super::*;

    /// A node with a label and counts; the rest default.
    pub(crate) fn node(label: &str, count: u64, starts: u64, ends: u64) -> Node {
        Node {
            label: label.to_owned(),
            count,
            starts,
            ends,
            ..Node::default()
        }
    }

    pub(crate) fn edge(from: usize, to: usize, count: u64, median_s: f64) -> Edge {
        Edge {
            from,
            to,
            count,
            median_s: Some(median_s),
            mean_s: Some(median_s * 1.2),
            kind: EdgeKind::Plain,
        }
    }

    /// A small journey: browse → cart → checkout → pay → review, with a skip, a step back and
    /// a repeat; steps in map order, `review` optional.
    pub(crate) fn journey() -> PathGraph {
        let labels = ["Browse", "Add to cart", "Checkout", "Pay", "Review"];
        let mut nodes: Vec<Node> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| Node {
                designed: Some(i),
                stage: Some(i / 2),
                order_hint: i as f64,
                ..node(l, 0, 0, 0)
            })
            .collect();
        nodes[4].optional = true;
        let edges = vec![
            edge(0, 1, 80, 600.0),
            edge(1, 2, 60, 3_600.0),
            edge(2, 3, 50, 120.0),
            edge(3, 4, 20, 86_400.0 * 2.0),
            edge(0, 2, 10, 900.0),  // skips the cart
            edge(2, 1, 12, 300.0),  // back to the cart
            edge(1, 1, 7, 60.0),    // adds again
            edge(0, 3, 2, 1_000.0), // skips two required steps
        ];
        let mut graph = PathGraph {
            nodes,
            edges,
            chain: vec![0, 1, 2, 3, 4],
            stage_names: vec!["Shop".to_owned(), "Buy".to_owned(), "After".to_owned()],
        };
        graph.nodes[0].starts = 100;
        graph.nodes[0].count = 100;
        graph.nodes[1].count = 79 + 12;
        graph.nodes[2].count = 70;
        graph.nodes[3].count = 52;
        graph.nodes[3].ends = 32;
        graph.nodes[4].count = 20;
        graph.nodes[4].ends = 20;
        graph.classify();
        graph
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::journey;
    use super::*;

    #[test]
    fn transitions_are_judged_against_the_designed_order() {
        let graph = journey();
        let kinds: Vec<EdgeKind> = graph.edges.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                EdgeKind::Designed,
                EdgeKind::Designed,
                EdgeKind::Designed,
                EdgeKind::Designed,
                EdgeKind::Skip,
                EdgeKind::Backward,
                EdgeKind::Repeat,
                EdgeKind::Skip,
            ]
        );
        assert!(graph.is_designed());
    }

    #[test]
    fn skipping_only_optional_steps_follows_the_map() {
        let mut graph = journey();
        graph.nodes[1].optional = true;
        graph.classify();
        assert_eq!(graph.edges[4].kind, EdgeKind::OptionalSkip);
        assert_eq!(graph.edges[7].kind, EdgeKind::Skip, "Checkout is required");
    }

    #[test]
    fn without_a_chain_every_edge_is_plain() {
        let mut graph = journey();
        graph.chain.clear();
        graph.classify();
        assert!(graph.edges.iter().all(|e| e.kind == EdgeKind::Plain));
        assert!(!graph.is_designed());
    }
}
