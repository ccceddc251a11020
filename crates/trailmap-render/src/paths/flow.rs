//! The flow of customers through their journeys, step by step: what the Sankey view draws.
//!
//! Column `k` holds what customers did `k`-th: each customer's sequence of activities (their
//! variant) with back-to-back repeats of one activity folded into one, so column 3 is the third
//! *different* thing in a row they did. A column keeps its most common activities and pools
//! the rest into "other"; a customer whose journey ends at column `k` drops off there, and
//! those still going after the last column are counted as continuing. Every figure is a count
//! of customers (cases), so band widths add up: what enters a column leaves it, ends there, or
//! continues.

use std::collections::{BTreeMap, BTreeSet};

/// A node of the flow by (column, slot).
type NodeKey = (usize, SlotKey);
/// Per node: customers, ended, continuing, and the activities it holds.
type NodeTally = (u64, u64, u64, BTreeSet<usize>);

/// What a flow is built from.
#[derive(Debug, Clone, Default)]
pub(crate) struct FlowInput {
    pub(crate) labels: Vec<String>,
    /// Activity sequences and how many customers took each.
    pub(crate) variants: Vec<(Vec<usize>, u64)>,
    /// All customers, including any whose variant is not in `variants`.
    pub(crate) cases: u64,
    /// Optional order of activities within a column (smaller first); by count when `None`.
    pub(crate) order: Option<Vec<usize>>,
    /// Colour index per activity.
    pub(crate) colour: Vec<usize>,
}

/// An activity in a column; `None` is the pool of the column's less common activities.
pub(crate) type Slot = Option<usize>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FlowNode {
    pub(crate) column: usize,
    pub(crate) activity: Slot,
    pub(crate) customers: u64,
    /// Customers whose journey ends here.
    pub(crate) ended: u64,
    /// At the last column: customers whose journey goes on.
    pub(crate) continuing: u64,
    /// For the pool: how many activities it holds.
    pub(crate) pooled: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FlowLink {
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) customers: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Flow {
    /// Nodes column by column, each column in drawing order.
    pub(crate) nodes: Vec<FlowNode>,
    pub(crate) links: Vec<FlowLink>,
    pub(crate) columns: usize,
    /// Customers drawn (those whose variant is known).
    pub(crate) customers: u64,
    pub(crate) cases: u64,
}

/// Builds the flow over at most `max_columns` columns with at most `per_column` activities
/// each (the rest pooled).
pub(crate) fn build(input: &FlowInput, max_columns: usize, per_column: usize) -> Flow {
    let folded: Vec<(Vec<usize>, u64)> = input
        .variants
        .iter()
        .filter(|(seq, n)| !seq.is_empty() && *n > 0)
        .map(|(seq, n)| {
            let mut seq = seq.clone();
            seq.dedup();
            (seq, *n)
        })
        .collect();
    let customers: u64 = folded.iter().map(|(_, n)| n).sum();
    let columns = folded
        .iter()
        .map(|(s, _)| s.len())
        .max()
        .unwrap_or(0)
        .min(max_columns.max(1));
    // Customers per activity in each column, and which ones keep their own node.
    let mut kept: Vec<Vec<usize>> = Vec::with_capacity(columns);
    for column in 0..columns {
        let mut per: BTreeMap<usize, u64> = BTreeMap::new();
        for (seq, n) in &folded {
            if let Some(&a) = seq.get(column) {
                *per.entry(a).or_default() += n;
            }
        }
        let mut ranked: Vec<(usize, u64)> = per.into_iter().collect();
        ranked.sort_by_key(|&(a, n)| (std::cmp::Reverse(n), a));
        // Pool only when it saves at least two nodes.
        let keep = if ranked.len() > per_column + 1 {
            per_column
        } else {
            ranked.len()
        };
        kept.push(ranked.iter().take(keep).map(|&(a, _)| a).collect());
    }
    let slot_of = |column: usize, a: usize| -> Slot { kept[column].contains(&a).then_some(a) };
    let mut node_counts: BTreeMap<NodeKey, NodeTally> = BTreeMap::new();
    let mut link_counts: BTreeMap<(NodeKey, NodeKey), u64> = BTreeMap::new();
    for (seq, n) in &folded {
        for column in 0..columns.min(seq.len()) {
            let slot = slot_of(column, seq[column]);
            let key = (column, SlotKey::from(slot));
            let entry = node_counts.entry(key).or_default();
            entry.0 += n;
            entry.3.insert(seq[column]);
            if column + 1 == seq.len() {
                entry.1 += n;
            } else if column + 1 == columns {
                entry.2 += n;
            } else {
                let next = (
                    column + 1,
                    SlotKey::from(slot_of(column + 1, seq[column + 1])),
                );
                *link_counts.entry((key, next)).or_default() += n;
            }
        }
    }
    let mut nodes: Vec<FlowNode> = node_counts
        .iter()
        .map(
            |(&(column, slot), (customers, ended, continuing, members))| FlowNode {
                column,
                activity: slot.slot(),
                customers: *customers,
                ended: *ended,
                continuing: *continuing,
                pooled: if slot.slot().is_none() {
                    members.len()
                } else {
                    0
                },
            },
        )
        .collect();
    nodes.sort_by(|a, b| {
        let rank = |n: &FlowNode| match (n.activity, &input.order) {
            (None, _) => (1u8, 0usize, 0u64),
            (Some(a), Some(order)) => (0, order.get(a).copied().unwrap_or(usize::MAX), 0),
            (Some(a), None) => (0, a, u64::MAX - n.customers),
        };
        let (ra, rb) = (rank(a), rank(b));
        a.column
            .cmp(&b.column)
            .then(ra.0.cmp(&rb.0))
            .then(if input.order.is_some() {
                ra.1.cmp(&rb.1)
            } else {
                ra.2.cmp(&rb.2).then(ra.1.cmp(&rb.1))
            })
    });
    let index: BTreeMap<(usize, SlotKey), usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| ((n.column, SlotKey::from(n.activity)), i))
        .collect();
    let links = link_counts
        .into_iter()
        .map(|((a, b), customers)| FlowLink {
            from: index[&a],
            to: index[&b],
            customers,
        })
        .collect();
    Flow {
        nodes,
        links,
        columns,
        customers,
        cases: input.cases.max(customers),
    }
}

/// A slot as a map key (the pool sorts after every activity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SlotKey(usize);

impl SlotKey {
    fn from(slot: Slot) -> SlotKey {
        SlotKey(slot.unwrap_or(usize::MAX))
    }

    fn slot(self) -> Slot {
        (self.0 != usize::MAX).then_some(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> FlowInput {
        FlowInput {
            labels: ["browse", "cart", "pay", "help", "a", "b", "c"]
                .map(String::from)
                .to_vec(),
            variants: vec![
                (vec![0, 1, 2], 50),
                (vec![0, 0, 1, 1, 2], 10), // repeats fold: same as above
                (vec![0, 1], 20),
                (vec![0, 3, 1, 2], 8),
                (vec![0], 7),
                (vec![4, 2], 2),
                (vec![5, 2], 2),
                (vec![6, 2], 1),
            ],
            cases: 110,
            order: None,
            colour: vec![0; 7],
        }
    }

    #[test]
    fn customers_are_conserved_column_to_column() {
        let flow = build(&input(), 8, 2);
        assert_eq!(flow.customers, 100);
        assert_eq!(flow.cases, 110);
        assert_eq!(flow.columns, 4);
        for (i, node) in flow.nodes.iter().enumerate() {
            let out: u64 = flow
                .links
                .iter()
                .filter(|l| l.from == i)
                .map(|l| l.customers)
                .sum();
            assert_eq!(
                out + node.ended + node.continuing,
                node.customers,
                "{node:?}"
            );
            if node.column > 0 {
                let inflow: u64 = flow
                    .links
                    .iter()
                    .filter(|l| l.to == i)
                    .map(|l| l.customers)
                    .sum();
                assert_eq!(inflow, node.customers, "{node:?}");
            }
        }
        let first: u64 = flow
            .nodes
            .iter()
            .filter(|n| n.column == 0)
            .map(|n| n.customers)
            .sum();
        assert_eq!(first, 100);
        let browse = &flow.nodes[0];
        assert_eq!(
            (browse.activity, browse.customers, browse.ended),
            (Some(0), 95, 7)
        );
        // Column 0 has four activities; two keep their node, the other two are pooled.
        let pool = flow
            .nodes
            .iter()
            .find(|n| n.column == 0 && n.activity.is_none())
            .unwrap();
        assert_eq!((pool.customers, pool.pooled), (3, 2));
    }

    #[test]
    fn long_journeys_continue_past_the_last_column() {
        let flow = build(&input(), 2, 8);
        assert_eq!(flow.columns, 2);
        let continuing: u64 = flow.nodes.iter().map(|n| n.continuing).sum();
        assert_eq!(continuing, 50 + 10 + 8);
        assert!(flow.nodes.iter().all(|n| n.column < 2));
    }
}
