//! `conform` on hand-made logs: every figure checked against counts worked out by hand.

use trailmap_engine::log::{CaseLog, LogEvent};
use trailmap_model::Map;
use trailmap_model::conformance::{ConformanceFigures, DeviationKind};

use super::*;

/// Stages `one` (start, call optional and for `team` only, setup) and `two` (use, renew).
fn map() -> Map {
    serde_json::from_str(
        r#"{
          "trailmap": 1,
          "journey": {"id": "j", "name": "Journey", "kind": "success", "state": "current"},
          "personas": [{"id": "solo", "name": "Solo"}, {"id": "team", "name": "Team"}],
          "stages": [
            {"id": "one", "name": "Onboarding", "steps": [
              {"id": "start", "name": "Starts", "match": "event = 'start'"},
              {"id": "call", "name": "Onboarding call", "match": "event = 'call'", "optional": true, "personas": ["team"]},
              {"id": "setup", "name": "Sets up", "match": "event = 'setup'"}]},
            {"id": "two", "name": "Adoption", "steps": [
              {"id": "use", "name": "Uses it", "match": "event = 'use'"}, {"id": "renew", "name": "Renews", "match": "event = 'renew'"}]}
          ],
          "outcomes": {"churn": "event = 'cancelled'", "renewal": "event = 'renewed'"}
        }"#,
    )
    .unwrap()
}

/// A customer: persona, steps, outcome bits, value.
type Customer<'a> = (Option<u16>, &'a [&'a str], u64, Option<f64>);

/// A log of customers, one event a minute.
fn log(customers: &[Customer]) -> CaseLog {
    let activities: Vec<String> = ["start", "call", "setup", "use", "renew"]
        .map(String::from)
        .to_vec();
    let mut log = CaseLog {
        activities: activities.clone(),
        outcomes: vec!["churn".into(), "renewal".into()],
        personas: vec!["solo".into(), "team".into()],
        ..CaseLog::default()
    };
    for (i, (persona, steps, outcomes, value)) in customers.iter().enumerate() {
        let events = steps.iter().enumerate().map(|(t, step)| LogEvent {
            activity: activities.iter().position(|a| a == step).unwrap() as u32,
            time: 60_000_000 * t as i64,
        });
        let case = log.push_case(&format!("c{i}"), events);
        case.persona = *persona;
        case.outcomes = *outcomes;
        case.value = *value;
        log.rows_read += steps.len() as u64;
    }
    log
}

fn run(log: &CaseLog) -> Conformance {
    conform(&map(), log, &ConformOptions::default()).unwrap()
}

const SOLO: Option<u16> = Some(0);
const TEAM: Option<u16> = Some(1);
const CHURN: u64 = 0b01;
const RENEWAL: u64 = 0b10;

fn group<'a>(
    f: &'a ConformanceFigures,
    label: &str,
) -> &'a trailmap_model::conformance::DeviationGroup {
    f.deviations
        .iter()
        .find(|g| g.label == label)
        .unwrap_or_else(|| {
            panic!(
                "no group `{label}` in {:?}",
                f.deviations.iter().map(|g| &g.label).collect::<Vec<_>>()
            )
        })
}

#[test]
fn shares_and_counts_for_a_small_log() {
    let c = run(&log(&[
        // Follows, complete, clicked `use` twice in a row.
        (
            SOLO,
            &["start", "setup", "use", "use", "renew"],
            RENEWAL,
            None,
        ),
        // Follows, ended in Onboarding.
        (SOLO, &["start", "setup"], CHURN, None),
        // Skips setup (required): does not follow.
        (SOLO, &["start", "use", "renew"], RENEWAL, None),
        // Team, skips the optional call: follows.
        (TEAM, &["start", "setup", "use"], 0, None),
        // Team, goes back from Adoption to Onboarding (use → setup): out of order + backward.
        (
            TEAM,
            &["start", "call", "use", "setup", "renew"],
            CHURN,
            None,
        ),
        // No persona, enters at `use`.
        (None, &["use", "renew"], 0, None),
    ]));
    let e = &c.everyone;
    assert_eq!(e.customers, 6);
    assert_eq!(e.following, 3);
    assert_eq!(e.following_share, Some(0.5));
    assert_eq!(e.repeated_in_a_row, 1);
    assert_eq!(e.reached_last_stage, 5);
    assert_eq!(e.ended_early, 1);
    assert_eq!(e.ended_in.len(), 1);
    assert_eq!(
        (e.ended_in[0].stage.as_str(), e.ended_in[0].customers),
        ("one", 1)
    );
    assert_eq!(e.deviating.skip, 2); // setup (solo), start + setup (no persona)
    assert_eq!(e.deviating.out_of_order, 1);
    assert_eq!(e.deviating.backward, 1);
    assert_eq!(e.deviating.unexpected_entry, 1);
    assert_eq!(e.deviating.looped, 0);
    assert_eq!(e.deviating.off_persona, 0);
    let setup = &e.steps[2];
    assert_eq!(setup.step, "setup");
    assert_eq!((setup.expected, setup.took, setup.skipped), (6, 4, 2));
    assert_eq!(setup.out_of_order, 1);
    // `call` is on the path of team and of customers without a persona (who may take it).
    let call = &e.steps[1];
    assert_eq!((call.expected, call.took, call.skipped), (3, 1, 2));
    assert_eq!(e.backward_moves.len(), 1);
    assert_eq!(e.backward_moves[0].from_stage, "two");
    assert_eq!(e.backward_moves[0].to_stage, "one");
    // Outcome rates: churn 2 of 6 overall, 1 of 3 among followers.
    let churn = &e.outcomes["churn"];
    assert_eq!(churn.everyone, Some(2.0 / 6.0));
    assert_eq!(churn.following, Some(1.0 / 3.0));
    assert!(e.value.is_none());
    // Personas.
    assert_eq!(c.personas["solo"].customers, 3);
    assert_eq!(c.personas["solo"].following, 2);
    assert_eq!(c.personas["team"].customers, 2);
    assert_eq!(c.personas["team"].following, 1);
    assert_eq!(c.inputs.customers_analysed, 6);
    assert_eq!(c.design.len(), 5);
    assert_eq!(c.design[1].personas, vec!["team".to_string()]);
}

#[test]
fn fitness_sums_costs_like_pm4py() {
    // Solo path: start setup use renew (4 required). Customer 1: complete (cost 0, worst
    // 4 visits + 4 steps = 8). Customer 2: start use renew (setup skipped: cost 1, worst 3 + 4 = 7).
    let c = run(&log(&[
        (SOLO, &["start", "setup", "use", "renew"], 0, None),
        (SOLO, &["start", "use", "renew"], 0, None),
    ]));
    let f = &c.everyone.fitness;
    assert_eq!(f.log, Some(1.0 - 1.0 / 15.0));
    assert_eq!(f.mean, Some((1.0 + (1.0 - 1.0 / 7.0)) / 2.0));
    assert_eq!(f.perfect, 1);
    // Reached alignment: customer 2 reached renew, so the same costs.
    assert_eq!(f.prefix_log, Some(1.0 - 1.0 / 15.0));
}

#[test]
fn deviation_groups_compare_with_followers_who_got_as_far() {
    // 40 solo customers skip setup, 30 of them churn; 100 follow the map past setup, 10 churn;
    // 200 follow the map but stop at start (they are not past setup: not in the reference).
    let mut customers: Vec<Customer> = Vec::new();
    for i in 0..40 {
        customers.push((
            SOLO,
            &["start", "use"],
            if i < 30 { CHURN } else { 0 },
            Some(50.0),
        ));
    }
    for i in 0..100 {
        customers.push((
            SOLO,
            &["start", "setup", "use"],
            if i < 10 { CHURN } else { 0 },
            Some(100.0),
        ));
    }
    for _ in 0..200 {
        customers.push((SOLO, &["start"], CHURN, Some(0.0)));
    }
    let log = log(&customers);
    let options = ConformOptions {
        value_col: Some("revenue".into()),
        ..ConformOptions::default()
    };
    let c = conform(&map(), &log, &options).unwrap();
    let e = &c.everyone;
    assert_eq!(e.customers, 340);
    assert_eq!(e.following, 300);
    let g = group(e, "skips Sets up");
    assert_eq!(g.kind, DeviationKind::Skip);
    assert_eq!(g.step.as_deref(), Some("setup"));
    assert!(g.breaks_order);
    assert_eq!(g.customers, 40);
    assert_eq!(g.comparison.reference_customers, 100);
    assert_eq!(
        g.comparison.reference,
        "customers who follow the map past Sets up"
    );
    let churn = &g.comparison.outcomes["churn"];
    assert_eq!(g.comparison.compared, 40);
    assert_eq!(churn.group_rate, Some(0.75));
    assert_eq!(churn.reference_rate, Some(0.1));
    assert!((churn.ratio.unwrap() - 7.5).abs() < 1e-12);
    assert!((churn.excess.unwrap() - 26.0).abs() < 1e-9);
    assert!(churn.p_value.unwrap() < 1e-10);
    assert!(churn.significant);
    assert_eq!(
        g.comparison.headline.as_deref(),
        Some(
            "Customers who skip Sets up churn 7.5× as often as customers who follow the map \
             past Sets up (75% vs 10%, 40 customers: about 26 more churn)"
        )
    );
    let value = g.comparison.value.as_ref().unwrap();
    assert_eq!(
        (value.group_mean, value.reference_mean),
        (Some(50.0), Some(100.0))
    );
    assert_eq!(value.excess, Some(-2000.0));
    // Renewal: nobody renews, untestable.
    assert_eq!(g.comparison.outcomes["renewal"].p_value, None);
    assert!(!g.comparison.outcomes["renewal"].significant);
    assert_eq!(e.headlines[0], g.comparison.headline.clone().unwrap());
    // The one deviating variant is the skip.
    assert_eq!(e.variants_total, 1);
    assert_eq!(e.variants[0].steps, vec!["start", "use"]);
    assert_eq!(e.variants[0].deviations, vec!["skips Sets up"]);
    assert_eq!(e.variants[0].comparison.reference_customers, 100);
    // Value per customer: (40×50 + 100×100) / 340 overall; 10,000 / 300 among followers.
    let v = e.value.as_ref().unwrap();
    assert_eq!(v.everyone, Some(12_000.0 / 340.0));
    assert_eq!(v.following, Some(10_000.0 / 300.0));
}

#[test]
fn an_optional_skip_is_compared_with_followers_who_took_the_step() {
    // Team: 50 skip the call (all follow the map), 40 take it; of those who skip, 25 churn,
    // of those who take it, 4 churn.
    let mut customers: Vec<Customer> = Vec::new();
    for i in 0..50 {
        customers.push((
            TEAM,
            &["start", "setup", "use"],
            if i < 25 { CHURN } else { 0 },
            None,
        ));
    }
    for i in 0..40 {
        customers.push((
            TEAM,
            &["start", "call", "setup", "use"],
            if i < 4 { CHURN } else { 0 },
            None,
        ));
    }
    let c = run(&log(&customers));
    let team = &c.personas["team"];
    assert_eq!(team.following, 90);
    let g = group(team, "skips Onboarding call (optional)");
    assert!(!g.breaks_order);
    assert_eq!(g.customers, 50);
    // The reference leaves the group out: the 40 who took the call.
    assert_eq!(g.comparison.reference_customers, 40);
    let churn = &g.comparison.outcomes["churn"];
    assert_eq!(
        (churn.group_rate, churn.reference_rate),
        (Some(0.5), Some(0.1))
    );
    assert!(churn.significant);
    assert!(g.comparison.headline.as_deref().unwrap().starts_with(
        "Customers who skip Onboarding call churn 5.0× as often as customers who follow the map past Onboarding call (50% vs 10%, 50 customers: about 20 more churn)"
    ));
    // Nobody deviates in a way that breaks the order.
    assert_eq!(team.variants_total, 0);
}

#[test]
fn small_groups_are_not_tested_and_never_headlined() {
    let mut customers: Vec<Customer> = Vec::new();
    for _ in 0..10 {
        customers.push((SOLO, &["start", "use"], CHURN, None));
    }
    for _ in 0..100 {
        customers.push((SOLO, &["start", "setup", "use"], 0, None));
    }
    let c = run(&log(&customers));
    let g = group(&c.everyone, "skips Sets up");
    assert_eq!(g.comparison.outcomes["churn"].group_rate, Some(1.0));
    assert_eq!(g.comparison.outcomes["churn"].p_value, None);
    assert!(g.comparison.headline.is_none());
    assert!(c.everyone.headlines.is_empty());
}

#[test]
fn loops_entries_and_off_persona_steps_have_their_groups() {
    let c = run(&log(&[
        (SOLO, &["start", "setup", "start", "setup", "use"], 0, None),
        (SOLO, &["setup", "use"], 0, None),
        (SOLO, &["start", "call", "setup"], 0, None),
    ]));
    let e = &c.everyone;
    for (label, kind) in [
        ("comes back to Starts", DeviationKind::Loop),
        ("comes back to Sets up", DeviationKind::Loop),
        ("starts at Sets up", DeviationKind::UnexpectedEntry),
        ("skips Starts", DeviationKind::Skip),
        (
            "takes Onboarding call (designed for other personas)",
            DeviationKind::OffPersona,
        ),
    ] {
        assert_eq!(group(e, label).kind, kind, "{label}");
    }
    assert_eq!(e.deviating.looped, 1);
    assert_eq!(e.deviating.off_persona, 1);
    assert_eq!(e.following, 0);
    assert_eq!(e.variants_total, 3);
    // Loops inside one stage are not backward moves.
    assert!(e.backward_moves.is_empty());
}

#[test]
fn top_limits_the_lists_but_not_the_totals() {
    let c = conform(
        &map(),
        &log(&[
            (SOLO, &["start", "use"], 0, None),
            (SOLO, &["setup", "start"], 0, None),
            (SOLO, &["renew", "use"], 0, None),
        ]),
        &ConformOptions {
            top: 1,
            ..ConformOptions::default()
        },
    )
    .unwrap();
    assert_eq!(c.everyone.deviations.len(), 1);
    assert!(c.everyone.deviations_total > 1);
    assert_eq!(c.everyone.variants.len(), 1);
    assert_eq!(c.everyone.variants_total, 3);
}

#[test]
fn persona_filter_and_errors() {
    let log = log(&[
        (SOLO, &["start", "setup"], 0, None),
        (TEAM, &["start", "setup"], 0, None),
    ]);
    let options = ConformOptions {
        persona: Some("team".into()),
        ..ConformOptions::default()
    };
    let c = conform(&map(), &log, &options).unwrap();
    assert_eq!(c.everyone.customers, 1);
    assert_eq!(c.personas.keys().collect::<Vec<_>>(), vec!["team"]);
    let options = ConformOptions {
        persona: Some("nobody".into()),
        ..ConformOptions::default()
    };
    assert_eq!(
        conform(&map(), &log, &options).unwrap_err(),
        ConformError::UnknownPersona("nobody".into())
    );
    let mut by_event = log.clone();
    by_event.activities[0] = "page_view".into();
    assert_eq!(
        conform(&map(), &by_event, &ConformOptions::default()).unwrap_err(),
        ConformError::NotAStep("page_view".into())
    );
}

#[test]
fn an_empty_log_has_no_rates() {
    let c = run(&log(&[]));
    assert_eq!(c.everyone.customers, 0);
    assert_eq!(c.everyone.following_share, None);
    assert_eq!(c.everyone.fitness.log, None);
    assert_eq!(c.everyone.outcomes["churn"].everyone, None);
    assert!(c.everyone.deviations.is_empty());
}

#[test]
fn persona_log_keeps_only_that_personas_cases() {
    let log = log(&[
        (SOLO, &["start", "setup"], 0, None),
        (TEAM, &["start", "call", "setup"], 0, None),
        (None, &["start"], 0, None),
    ]);
    let team = persona_log(&log, "team").unwrap();
    assert_eq!(team.cases.len(), 1);
    assert_eq!(team.case_id(&team.cases[0]), "c1");
    assert_eq!(team.events.len(), 3);
    assert_eq!(team.case_events(0)[1].activity, 1);
    assert!(persona_log(&log, "nobody").is_none());
}

#[test]
fn everyone_compares_a_group_with_followers_of_its_own_personas() {
    // Solo customers churn a lot whatever they do, team customers little. 40 solo customers skip
    // setup (50% churn); solo followers past setup: 100 at 50%; team followers: 300 at 5%.
    // Unstratified, the skip would look like 2.7× the churn; per persona it makes no difference.
    let mut customers: Vec<Customer> = Vec::new();
    for i in 0..40 {
        customers.push((
            SOLO,
            &["start", "use"],
            if i % 2 == 0 { CHURN } else { 0 },
            None,
        ));
    }
    for i in 0..100 {
        customers.push((
            SOLO,
            &["start", "setup", "use"],
            if i % 2 == 0 { CHURN } else { 0 },
            None,
        ));
    }
    for i in 0..300 {
        customers.push((
            TEAM,
            &["start", "setup", "use"],
            if i % 20 == 0 { CHURN } else { 0 },
            None,
        ));
    }
    let c = run(&log(&customers));
    let g = group(&c.everyone, "skips Sets up");
    let churn = &g.comparison.outcomes["churn"];
    assert_eq!(churn.group_rate, Some(0.5));
    assert_eq!(churn.reference_rate, Some(0.5));
    assert_eq!(churn.p_value, Some(1.0));
    assert!(!churn.significant);
    // Only the solo followers are its reference.
    assert_eq!(g.comparison.reference_customers, 100);
    assert!(c.everyone.headlines.is_empty());
}

#[test]
fn an_outcome_that_is_a_steps_own_events_is_not_tested_for_that_step() {
    let mut map = map();
    map.stages[1].steps[1].matcher = Some("event = 'renewed'".into());
    map.outcomes
        .insert("renewal".into(), "event  =  'renewed'".into());
    let mut customers: Vec<Customer> = Vec::new();
    for _ in 0..50 {
        customers.push((SOLO, &["start", "setup", "use"], 0, None));
    }
    for _ in 0..50 {
        customers.push((SOLO, &["start", "setup", "use", "renew"], RENEWAL, None));
    }
    for _ in 0..50 {
        customers.push((SOLO, &["start", "use", "renew"], RENEWAL, None));
    }
    let c = conform(&map, &log(&customers), &ConformOptions::default()).unwrap();
    // Skipping `setup` can be tested against renewal...
    let setup = group(&c.everyone, "skips Sets up");
    assert!(!setup.comparison.outcomes["renewal"].by_definition);
    // ...but the variants' sequences decide renewal: never tested.
    let v = &c.everyone.variants[0];
    assert!(v.comparison.outcomes["renewal"].by_definition);
    assert_eq!(v.comparison.outcomes["renewal"].p_value, None);
}

#[test]
fn an_outcome_too_rare_to_test_is_not_tested() {
    // 40 skip setup, 3 of them churn; 100 followers past setup, 1 churns: 4 churners in all, too
    // few for the normal approximation (at least 10 with and 10 without are needed).
    let mut customers: Vec<Customer> = Vec::new();
    for i in 0..40 {
        customers.push((SOLO, &["start", "use"], if i < 3 { CHURN } else { 0 }, None));
    }
    for i in 0..100 {
        customers.push((
            SOLO,
            &["start", "setup", "use"],
            if i < 1 { CHURN } else { 0 },
            None,
        ));
    }
    let c = run(&log(&customers));
    let churn = &group(&c.everyone, "skips Sets up").comparison.outcomes["churn"];
    assert_eq!(
        (churn.group_rate, churn.reference_rate),
        (Some(0.075), Some(0.01))
    );
    assert_eq!(churn.p_value, None);
    assert!(c.everyone.headlines.is_empty());
}

#[test]
fn a_step_without_match_is_on_nobodys_path() {
    let mut map = map();
    for stage in &mut map.stages {
        for step in &mut stage.steps {
            step.matcher = Some(format!("event = '{}'", step.id));
        }
    }
    // `setup` cannot be seen in data.
    map.stages[0].steps[2].matcher = None;
    let log = log(&[(SOLO, &["start", "use", "renew"], 0, None)]);
    let c = conform(&map, &log, &ConformOptions::default()).unwrap();
    assert_eq!(c.everyone.following, 1);
    assert_eq!(c.everyone.steps[2].expected, 0);
    assert!(!c.design[2].observable);
    assert!(c.design[0].observable);
    // Without the change, skipping it would break the order.
    assert_eq!(run(&log).everyone.following, 0);
}
