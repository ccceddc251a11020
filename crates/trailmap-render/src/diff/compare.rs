//! Matching the two maps' steps and collecting what changed.

use std::collections::BTreeSet;

use trailmap_model::{Map, Step, StepRef as ModelStepRef, Touchpoint};

use super::*;
use crate::format;

/// Compares a current map with a future one.
pub fn compare(current: &Map, future: &Map) -> MapDiff {
    let cur: Vec<ModelStepRef<'_>> = current.steps().collect();
    let fut: Vec<ModelStepRef<'_>> = future.steps().collect();
    let find_cur = |id: &str| cur.iter().find(|s| s.step.id == id);
    let find_fut = |id: &str| fut.iter().find(|s| s.step.id == id);
    // The future steps that stand for a current step: the same id, or steps that replace it.
    let counterparts = |id: &str| -> Vec<&ModelStepRef<'_>> {
        fut.iter()
            .filter(|f| f.step.id == id || f.step.replaces.iter().any(|r| r == id))
            .collect()
    };

    let steps_added: Vec<StepRef> = fut
        .iter()
        .filter(|f| find_cur(&f.step.id).is_none())
        .map(step_ref)
        .collect();
    let steps_removed: Vec<RemovedStep> = cur
        .iter()
        .filter(|c| find_fut(&c.step.id).is_none())
        .map(|c| RemovedStep {
            step: step_ref(c),
            replaced_by: replacing(&fut, &c.step.id),
        })
        .collect();

    // Common steps, in current order, with their future positions.
    let common: Vec<(&ModelStepRef<'_>, &ModelStepRef<'_>)> = cur
        .iter()
        .filter_map(|c| find_fut(&c.step.id).map(|f| (c, f)))
        .collect();
    let in_order = longest_increasing(&common.iter().map(|(_, f)| f.order).collect::<Vec<_>>());
    let steps_moved = common
        .iter()
        .enumerate()
        .filter(|(idx, (c, f))| c.stage.id != f.stage.id || !in_order.contains(idx))
        .map(|(_, (c, f))| MovedStep {
            id: f.step.id.clone(),
            name: f.step.name.clone(),
            from_stage: c.stage.id.clone(),
            to_stage: f.stage.id.clone(),
            from_position: c.order + 1,
            to_position: f.order + 1,
            from_after: c
                .order
                .checked_sub(1)
                .and_then(|i| cur.get(i))
                .map(|s| s.step.id.clone()),
            to_after: f
                .order
                .checked_sub(1)
                .and_then(|i| fut.get(i))
                .map(|s| s.step.id.clone()),
        })
        .collect();
    let steps_renamed = common
        .iter()
        .filter(|(c, f)| c.step.name != f.step.name)
        .map(|(c, f)| RenamedStep {
            id: f.step.id.clone(),
            from: c.step.name.clone(),
            to: f.step.name.clone(),
        })
        .collect();
    let steps_changed = common
        .iter()
        .filter_map(|(c, f)| changed_step(c.step, f.step))
        .collect();

    let mut pain_points_resolved = Vec::new();
    for c in &cur {
        let parts = counterparts(&c.step.id);
        for pain in &c.step.pain_points {
            let still = parts.iter().any(|f| {
                f.step
                    .pain_points
                    .iter()
                    .any(|p| same_text(&p.text, &pain.text))
            });
            if still {
                continue;
            }
            let kept = parts.iter().any(|f| f.step.id == c.step.id);
            let replaced_by = replacing(&fut, &c.step.id);
            let how = if kept {
                "fixed"
            } else if replaced_by.is_empty() {
                "step_removed"
            } else {
                "replaced"
            };
            pain_points_resolved.push(ResolvedPainPoint {
                step: c.step.id.clone(),
                text: pain.text.clone(),
                severity: pain.severity,
                persona: pain.persona.clone(),
                how: how.to_owned(),
                replaced_by,
            });
        }
    }

    // The current steps a future step stands for: the same id and those it replaces.
    let sources = |f: &Step| -> Vec<&Step> {
        cur.iter()
            .filter(|c| c.step.id == f.id || f.replaces.contains(&c.step.id))
            .map(|c| c.step)
            .collect()
    };
    let mut pain_points_added = Vec::new();
    let mut opportunities_added = Vec::new();
    let mut emotion = Vec::new();
    for f in &fut {
        let before = sources(f.step);
        for pain in &f.step.pain_points {
            if !before
                .iter()
                .any(|c| c.pain_points.iter().any(|p| same_text(&p.text, &pain.text)))
            {
                pain_points_added.push(PainPointRef {
                    step: f.step.id.clone(),
                    text: pain.text.clone(),
                    severity: pain.severity,
                    persona: pain.persona.clone(),
                });
            }
        }
        for opportunity in &f.step.opportunities {
            if !before.iter().any(|c| {
                c.opportunities
                    .iter()
                    .any(|o| same_text(&o.text, &opportunity.text))
            }) {
                opportunities_added.push(OpportunityRef {
                    step: f.step.id.clone(),
                    text: opportunity.text.clone(),
                    status: opportunity.status.as_str().to_owned(),
                    owner: opportunity.owner.clone(),
                });
            }
        }
        // Compare with the same step, else the first replaced step that has a score.
        let compared = before
            .iter()
            .find(|c| c.id == f.step.id)
            .or_else(|| before.iter().find(|c| c.customer.emotion.is_some()))
            .or(before.first());
        let current_score = compared.and_then(|c| c.customer.emotion);
        let future_score = f.step.customer.emotion;
        if current_score.is_none() && future_score.is_none() {
            continue;
        }
        emotion.push(EmotionChange {
            step: f.step.id.clone(),
            name: f.step.name.clone(),
            current_step: compared.filter(|c| c.id != f.step.id).map(|c| c.id.clone()),
            current: current_score,
            future: future_score,
            delta: current_score.zip(future_score).map(|(c, f)| f - c),
        });
    }

    let pain_total = |map: &Map| -> u32 {
        map.steps()
            .flat_map(|s| &s.step.pain_points)
            .map(|p| u32::from(p.severity))
            .sum()
    };
    let mut diff = MapDiff {
        version: DIFF_VERSION,
        current: side(current),
        future: side(future),
        summary: Summary::default(),
        steps_added,
        steps_removed,
        steps_moved,
        steps_renamed,
        steps_changed,
        pain_points_resolved,
        pain_points_added,
        opportunities_added,
        emotion,
        metrics: Vec::new(),
    };
    diff.summary = Summary {
        steps_added: diff.steps_added.len(),
        steps_removed: diff.steps_removed.len(),
        steps_moved: diff.steps_moved.len(),
        steps_renamed: diff.steps_renamed.len(),
        steps_changed: diff.steps_changed.len(),
        pain_points_resolved: diff.pain_points_resolved.len(),
        pain_points_added: diff.pain_points_added.len(),
        opportunities_added: diff.opportunities_added.len(),
        emotion_better: diff
            .emotion
            .iter()
            .filter(|e| e.delta.is_some_and(|d| d > 0))
            .count(),
        emotion_worse: diff
            .emotion
            .iter()
            .filter(|e| e.delta.is_some_and(|d| d < 0))
            .count(),
        pain_current: pain_total(current),
        pain_future: pain_total(future),
    };
    diff
}

fn side(map: &Map) -> MapSide {
    MapSide {
        id: map.journey.id.clone(),
        name: map.journey.name.clone(),
        state: map.journey.state.as_str().to_owned(),
        n_steps: map.steps().count(),
    }
}

fn step_ref(s: &ModelStepRef<'_>) -> StepRef {
    StepRef {
        id: s.step.id.clone(),
        name: s.step.name.clone(),
        stage: s.stage.id.clone(),
        stage_name: s.stage.name.clone(),
        position: s.order + 1,
    }
}

fn replacing(future: &[ModelStepRef<'_>], id: &str) -> Vec<String> {
    future
        .iter()
        .filter(|f| f.step.replaces.iter().any(|r| r == id))
        .map(|f| f.step.id.clone())
        .collect()
}

fn same_text(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The indices of a longest strictly increasing subsequence of `values`: the steps that kept
/// their relative order. Every other common step moved. Quadratic, which is fine for maps of
/// a few hundred steps; ties go to the earliest steps so the result is deterministic.
fn longest_increasing(values: &[usize]) -> BTreeSet<usize> {
    let n = values.len();
    let mut length = vec![1usize; n];
    let mut previous: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        for j in 0..i {
            if values[j] < values[i] && length[j] + 1 > length[i] {
                length[i] = length[j] + 1;
                previous[i] = Some(j);
            }
        }
    }
    let mut best: Option<usize> = None;
    for i in 0..n {
        if best.is_none_or(|b| length[i] > length[b]) {
            best = Some(i);
        }
    }
    let mut kept = BTreeSet::new();
    while let Some(i) = best {
        kept.insert(i);
        best = previous[i];
    }
    kept
}

fn touchpoint_ref(t: &Touchpoint) -> TouchpointRef {
    TouchpointRef {
        channel: t.channel.as_str().to_owned(),
        name: t.name.clone(),
        initiator: t.initiator.map(|i| i.as_str().to_owned()),
    }
}

fn changed_step(c: &Step, f: &Step) -> Option<ChangedStep> {
    let before: BTreeSet<TouchpointRef> = c.touchpoints.iter().map(touchpoint_ref).collect();
    let after: BTreeSet<TouchpointRef> = f.touchpoints.iter().map(touchpoint_ref).collect();
    // Keep each map's own order rather than the sets' sorted order.
    let touchpoints_added: Vec<TouchpointRef> = f
        .touchpoints
        .iter()
        .map(touchpoint_ref)
        .filter(|t| !before.contains(t))
        .collect();
    let touchpoints_removed: Vec<TouchpointRef> = c
        .touchpoints
        .iter()
        .map(touchpoint_ref)
        .filter(|t| !after.contains(t))
        .collect();
    let kpis = |s: &Step| -> Option<String> {
        (!s.kpis.is_empty()).then(|| {
            s.kpis
                .iter()
                .map(format::kpi)
                .collect::<Vec<_>>()
                .join("; ")
        })
    };
    let flag = |b: bool| Some(if b { "yes" } else { "no" }.to_owned());
    let pairs: [(&str, Option<String>, Option<String>); 13] = [
        ("description", c.description.clone(), f.description.clone()),
        ("does", c.customer.does.clone(), f.customer.does.clone()),
        ("goal", c.customer.goal.clone(), f.customer.goal.clone()),
        (
            "thinks",
            c.customer.thinks.clone(),
            f.customer.thinks.clone(),
        ),
        ("feels", c.customer.feels.clone(), f.customer.feels.clone()),
        (
            "frontstage",
            c.business.frontstage.clone(),
            f.business.frontstage.clone(),
        ),
        (
            "backstage",
            c.business.backstage.clone(),
            f.business.backstage.clone(),
        ),
        ("department", c.department.clone(), f.department.clone()),
        (
            "employee.does",
            c.employee.does.clone(),
            f.employee.does.clone(),
        ),
        (
            "employee.feels",
            c.employee.feels.clone(),
            f.employee.feels.clone(),
        ),
        (
            "employee.tools",
            c.employee.tools.clone(),
            f.employee.tools.clone(),
        ),
        ("kpis", kpis(c), kpis(f)),
        (
            "moment_of_truth",
            flag(c.moment_of_truth),
            flag(f.moment_of_truth),
        ),
    ];
    let lanes: Vec<LaneChange> = pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(lane, current, future)| LaneChange {
            lane: lane.to_owned(),
            current,
            future,
        })
        .collect();
    if touchpoints_added.is_empty() && touchpoints_removed.is_empty() && lanes.is_empty() {
        return None;
    }
    Some(ChangedStep {
        id: f.id.clone(),
        name: f.name.clone(),
        touchpoints_added,
        touchpoints_removed,
        lanes,
    })
}
