//! From the wire types (`trailmap discover`'s [`Discovery`]) to what the pictures draw: the
//! directly-follows graph (`graph.rs`) and the flow input (`flow.rs`).
//!
//! Activities are named in the wire format; here they become indices in `Discovery::activities`
//! order. With a map and `by: step`, activities are step ids: they get the step's name, its place
//! in the map and its stage, and the designed chain is the map's steps in order (for a persona,
//! its own steps). Steps meant only for some personas count as optional in the chain for
//! everyone, since no single customer is expected to take all of them.

use std::collections::BTreeMap;

use trailmap_model::Map;
use trailmap_model::paths::Discovery;

use super::flow::FlowInput;
use super::graph::{Edge, EdgeKind, Node, PathGraph};

/// Whether the activities of `discovery` are the steps of `map`.
pub(crate) fn by_step<'a>(discovery: &Discovery, map: Option<&'a Map>) -> Option<&'a Map> {
    map.filter(|_| discovery.by == "step")
}

/// The name an activity is shown by: the step's name by step, else the activity itself.
pub(crate) fn label(map: Option<&Map>, activity: &str) -> String {
    map.and_then(|m| m.step(activity))
        .map_or_else(|| activity.to_owned(), |s| s.step.name.clone())
}

fn index(discovery: &Discovery) -> BTreeMap<&str, usize> {
    discovery
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| (a.activity.as_str(), i))
        .collect()
}

/// Each variant as activity indices (variants naming an unknown activity are left out).
pub(crate) fn variants(discovery: &Discovery) -> Vec<(Vec<usize>, u64)> {
    let index = index(discovery);
    discovery
        .variants
        .top
        .iter()
        .filter_map(|v| {
            let seq: Option<Vec<usize>> = v
                .activities
                .iter()
                .map(|a| index.get(a.as_str()).copied())
                .collect();
            seq.map(|s| (s, v.count))
        })
        .collect()
}

/// The directly-follows graph, judged against `persona`'s designed path (everyone's with
/// `None`) when the activities are map steps.
pub(crate) fn graph(discovery: &Discovery, map: Option<&Map>, persona: Option<&str>) -> PathGraph {
    let map = by_step(discovery, map);
    let index = index(discovery);
    let variants = variants(discovery);
    // Where each activity tends to come: the mean position of its first event in a case.
    let mut first_pos = vec![(0.0, 0u64); discovery.activities.len()];
    for (seq, count) in &variants {
        let mut seen = vec![false; discovery.activities.len()];
        for (pos, &a) in seq.iter().enumerate() {
            if !seen[a] {
                seen[a] = true;
                first_pos[a].0 += pos as f64 * *count as f64;
                first_pos[a].1 += count;
            }
        }
    }
    let mut nodes: Vec<Node> = discovery
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let step = map.and_then(|m| m.step(&a.activity));
            let (sum, n) = first_pos[i];
            Node {
                label: label(map, &a.activity),
                count: a.events,
                starts: 0,
                ends: 0,
                designed: step.as_ref().map(|s| s.order),
                optional: step.as_ref().is_some_and(|s| s.step.optional),
                stage: step.as_ref().map(|s| s.stage_idx),
                order_hint: if n > 0 {
                    sum / n as f64
                } else {
                    1e6 + i as f64
                },
            }
        })
        .collect();
    for s in &discovery.start_activities {
        if let Some(&i) = index.get(s.activity.as_str()) {
            nodes[i].starts = s.cases;
        }
    }
    for s in &discovery.end_activities {
        if let Some(&i) = index.get(s.activity.as_str()) {
            nodes[i].ends = s.cases;
        }
    }
    let edges = discovery
        .edges
        .iter()
        .filter_map(|e| {
            Some(Edge {
                from: *index.get(e.from.as_str())?,
                to: *index.get(e.to.as_str())?,
                count: e.count,
                median_s: Some(e.median_s).filter(|s| s.is_finite()),
                mean_s: Some(e.mean_s).filter(|s| s.is_finite()),
                kind: EdgeKind::Plain,
            })
        })
        .collect();
    let mut chain = Vec::new();
    if let Some(map) = map {
        for step in map.steps() {
            let for_all = step.step.personas.is_empty();
            let on_path =
                persona.is_none_or(|p| for_all || step.step.personas.iter().any(|id| id == p));
            if let (true, Some(&i)) = (on_path, index.get(step.step.id.as_str())) {
                chain.push(i);
                if persona.is_none() && !for_all {
                    nodes[i].optional = true;
                }
            }
        }
    }
    let mut graph = PathGraph {
        nodes,
        edges,
        chain,
        stage_names: map.map_or_else(Vec::new, |m| {
            m.stages.iter().map(|s| s.name.clone()).collect()
        }),
    };
    graph.classify();
    graph
}

/// The flow of customers through activities (steps with a map), or through stages with
/// `stages` (by step only; `None` otherwise).
pub(crate) fn flow(discovery: &Discovery, map: Option<&Map>, stages: bool) -> Option<FlowInput> {
    let map_by_step = by_step(discovery, map);
    let variants = variants(discovery);
    if !stages {
        let colour = discovery
            .activities
            .iter()
            .enumerate()
            .map(|(i, a)| {
                map_by_step
                    .and_then(|m| m.step(&a.activity))
                    .map_or(i, |s| s.stage_idx)
            })
            .collect();
        return Some(FlowInput {
            labels: discovery
                .activities
                .iter()
                .map(|a| label(map_by_step, &a.activity))
                .collect(),
            variants,
            cases: discovery.cases,
            order: map_by_step.map(|_| (0..discovery.activities.len()).collect()),
            colour,
        });
    }
    let map = map_by_step?;
    let stage_of: Vec<usize> = discovery
        .activities
        .iter()
        .map(|a| map.step(&a.activity).map_or(usize::MAX, |s| s.stage_idx))
        .collect();
    let mut merged: BTreeMap<Vec<usize>, u64> = BTreeMap::new();
    for (seq, count) in variants {
        let stages: Vec<usize> = seq
            .iter()
            .map(|&a| stage_of[a])
            .filter(|&s| s != usize::MAX)
            .collect();
        *merged.entry(stages).or_default() += count;
    }
    Some(FlowInput {
        labels: map.stages.iter().map(|s| s.name.clone()).collect(),
        variants: merged.into_iter().collect(),
        cases: discovery.cases,
        order: Some((0..map.stages.len()).collect()),
        colour: (0..map.stages.len()).collect(),
    })
}
