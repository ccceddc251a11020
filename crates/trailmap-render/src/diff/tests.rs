//! Tests of `compare` and its renderings, on a current map and a hand-made future one.

use trailmap_model::{Channel, Initiator, JourneyState, Map, OpportunityStatus};

use super::*;
use crate::testmap;

fn future() -> Map {
    let mut map = testmap::purchase();
    map.journey.state = JourneyState::Future;
    map.journey.name = "Online purchase, one tap".into();
    // Bob's phone call is replaced by a call-back booked online.
    let consideration = &mut map.stages[1];
    consideration.steps.retain(|s| s.id != "calls");
    let mut callback = testmap::step("callback", "Books a call-back");
    callback.replaces = vec!["calls".into()];
    callback.customer.emotion = Some(1);
    callback.pain_points = vec![testmap::pain("Call-back slots fill up by noon", 2, None)];
    consideration.steps.push(callback);
    // Checkout loses the forced account, gets a chat and a new name.
    let checkout = &mut map.stages[2].steps[0];
    checkout.name = "Pays in one tap".into();
    checkout
        .pain_points
        .retain(|p| p.text != "Forced account creation");
    checkout.customer.emotion = Some(1);
    checkout.business.frontstage = Some("Guest checkout with wallets".into());
    checkout.touchpoints.push(testmap::touchpoint(
        Channel::Chat,
        "Checkout help",
        Initiator::Customer,
    ));
    checkout.opportunities.push(testmap::opportunity(
        "Remember the last address",
        OpportunityStatus::Idea,
        None,
    ));
    // The review request now comes before delivery.
    let after = &mut map.stages[3].steps;
    after.swap(0, 1);
    // A brand-new step.
    let mut track = testmap::step("tracks", "Tracks the parcel");
    track.customer.emotion = Some(1);
    after.insert(0, track);
    map
}

#[test]
fn finds_every_kind_of_change() {
    let diff = compare(&testmap::purchase(), &future());
    let ids = |steps: &[StepRef]| steps.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&diff.steps_added), ["callback", "tracks"]);
    assert_eq!(diff.steps_removed.len(), 1);
    assert_eq!(diff.steps_removed[0].step.id, "calls");
    assert_eq!(diff.steps_removed[0].replaced_by, ["callback"]);
    assert_eq!(
        diff.steps_renamed,
        [RenamedStep {
            id: "checkout".into(),
            from: "Checks out".into(),
            to: "Pays in one tap".into()
        }]
    );
    // Swapping two neighbours moves one of them, not both, and nothing else moved.
    assert_eq!(diff.steps_moved.len(), 1, "{:?}", diff.steps_moved);
    assert!(["delivery", "review"].contains(&diff.steps_moved[0].id.as_str()));

    let checkout = diff
        .steps_changed
        .iter()
        .find(|c| c.id == "checkout")
        .expect("checkout changed");
    assert_eq!(checkout.touchpoints_added.len(), 1);
    assert_eq!(checkout.touchpoints_added[0].channel, "chat");
    assert!(checkout.lanes.iter().any(|l| l.lane == "frontstage"));

    let resolved: Vec<(&str, &str)> = diff
        .pain_points_resolved
        .iter()
        .map(|p| (p.text.as_str(), p.how.as_str()))
        .collect();
    assert_eq!(
        resolved,
        [
            ("Waits 12 minutes on hold", "replaced"),
            ("Forced account creation", "fixed")
        ]
    );
    assert_eq!(diff.pain_points_added.len(), 1);
    assert_eq!(diff.opportunities_added.len(), 1);

    let checkout_emotion = diff
        .emotion
        .iter()
        .find(|e| e.step == "checkout")
        .expect("scored");
    assert_eq!(
        (
            checkout_emotion.current,
            checkout_emotion.future,
            checkout_emotion.delta
        ),
        (Some(-2), Some(1), Some(3))
    );
    let callback = diff
        .emotion
        .iter()
        .find(|e| e.step == "callback")
        .expect("scored");
    assert_eq!(callback.current_step.as_deref(), Some("calls"));
    assert_eq!(callback.delta, Some(2));
    assert_eq!(diff.summary.emotion_better, 2);
    assert_eq!(diff.summary.pain_current, 3 + 4 + 5 + 4);
}

#[test]
fn a_map_compared_with_itself_has_no_changes() {
    let map = testmap::purchase();
    let diff = compare(&map, &map);
    assert!(diff.steps_added.is_empty() && diff.steps_removed.is_empty());
    assert!(diff.steps_moved.is_empty() && diff.steps_changed.is_empty());
    assert!(diff.pain_points_resolved.is_empty() && diff.opportunities_added.is_empty());
    assert!(diff.emotion.iter().all(|e| e.delta == Some(0)));
}

#[test]
fn json_has_a_stable_versioned_shape() {
    let diff = compare(&testmap::purchase(), &future());
    let json = diff.to_json();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["version"], 1);
    let keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "version",
            "current",
            "future",
            "summary",
            "steps_added",
            "steps_removed",
            "steps_moved",
            "steps_renamed",
            "steps_changed",
            "pain_points_resolved",
            "pain_points_added",
            "opportunities_added",
            "emotion"
        ]
    );
    assert_eq!(
        value["steps_removed"][0]["id"], "calls",
        "removed steps are flat"
    );
    assert_eq!(json, compare(&testmap::purchase(), &future()).to_json());
}

#[test]
fn text_and_html_show_the_changes_safely() {
    let mut future = future();
    future.stages[2].steps[0].name = "<script>alert(1)</script>".into();
    let diff = compare(&testmap::purchase(), &future);
    let text = text(&diff);
    assert!(
        text.contains("steps: 2 added, 1 removed, 1 moved, 1 renamed"),
        "{text}"
    );
    assert!(
        text.contains("\u{2713} [severity 5] Forced account creation (checkout, fixed)"),
        "{text}"
    );
    assert!(
        text.contains("checkout       \u{2212}2 \u{2192}  +1   \u{25b2} +3"),
        "{text}"
    );
    assert!(
        text.contains(
            "> review \"Writes a review\": after, after delivery \u{2192} after, after tracks"
        ),
        "{text}"
    );
    let page = html(&diff);
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script"));
    assert!(page.contains("<del>Forced account creation</del>"));
    assert_eq!(page, super::html(&diff));
}

#[test]
fn metric_deltas_match_steps_by_id_and_by_replaces() {
    let current = testmap::purchase();
    let future = future();
    let mut before = testmap::analysis(&current);
    let mut after = testmap::analysis(&future);
    // Checkout improves: less drop-off, a higher CSAT; the call-back reaches more people
    // than the call it replaces.
    fn figures<'a>(
        a: &'a mut trailmap_model::analysis::Analysis,
        id: &str,
    ) -> &'a mut trailmap_model::analysis::Figures {
        &mut a.steps.iter_mut().find(|s| s.id == id).unwrap().figures
    }
    figures(&mut before, "checkout").drop_off_rate = Some(0.38);
    figures(&mut after, "checkout").drop_off_rate = Some(0.21);
    figures(&mut before, "checkout").feedback.csat = trailmap_model::analysis::Score {
        score: Some(61.0),
        n: 200,
    };
    figures(&mut after, "checkout").feedback.csat = trailmap_model::analysis::Score {
        score: Some(61.2),
        n: 200,
    };
    figures(&mut before, "calls").reach = 1_000;
    figures(&mut after, "callback").reach = 2_000;

    let plain = compare(&current, &future);
    assert!(plain.metrics.is_empty());
    assert!(
        !plain.to_json().contains("\"metrics\""),
        "no evidence, no key"
    );

    let diff = compare_measured(&current, &future, &before, &after);
    let step = |id: &str| diff.metrics.iter().find(|s| s.step == id).unwrap();
    let metric = |id: &str, name: &str| {
        step(id)
            .metrics
            .iter()
            .find(|m| m.metric == name)
            .unwrap()
            .clone()
    };
    let drop = metric("checkout", "drop_off");
    assert_eq!((drop.current, drop.future), (Some(0.38), Some(0.21)));
    assert!((drop.delta.unwrap() + 0.17).abs() < 1e-9);
    assert_eq!(drop.verdict.as_deref(), Some("better"));
    // A fifth of a point is no change at the precision CSAT is shown with.
    assert_eq!(metric("checkout", "csat").verdict.as_deref(), Some("same"));
    // The call-back is compared with the call it replaces; reach counts get no verdict,
    // reach shares do.
    assert_eq!(step("callback").current_step.as_deref(), Some("calls"));
    let reach = metric("callback", "reach");
    assert_eq!(
        (reach.current, reach.future),
        (Some(1_000.0), Some(2_000.0))
    );
    assert_eq!(reach.verdict, None);
    assert_eq!(
        metric("callback", "reach_share").verdict.as_deref(),
        Some("better")
    );
    // A brand-new step has nothing to be compared with.
    assert!(diff.metrics.iter().all(|s| s.step != "tracks"));
    // Outcomes come after the fixed figures, by name, with a direction only when a KPI says.
    let names: Vec<String> = step("checkout")
        .metrics
        .iter()
        .map(|m| {
            format!(
                "{}{}",
                m.metric,
                m.outcome
                    .as_deref()
                    .map(|o| format!(":{o}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            "reach",
            "reach_share",
            "drop_off",
            "nps",
            "csat",
            "outcome:churn"
        ]
    );

    let text = text(&diff);
    assert!(text.contains("Measured per step (all customers)"), "{text}");
    assert!(
        text.contains("callback \"Books a call-back\" (was calls)"),
        "{text}"
    );
    assert!(text.contains("\u{2212}17.0 pp  \u{25b2} better"), "{text}");
    let html = html(&diff);
    assert!(html.contains("Measured, current vs future"));
    assert!(html.contains("<span class=\"d better\">\u{2212}17.0 pp</span>"));
}
