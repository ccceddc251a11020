//! Drafting on hand-made logs.

use trailmap_engine::log::{CaseLog, LogEvent};

use super::*;

const H: i64 = 3_600_000_000;

/// A log by event: each case a list of `(event name, hours)`.
fn log(cases: &[&[(&str, i64)]]) -> CaseLog {
    let mut log = CaseLog::default();
    for (c, events) in cases.iter().enumerate() {
        let mut case_events = Vec::new();
        for (name, hours) in events.iter() {
            let activity = match log.activities.iter().position(|a| a == name) {
                Some(a) => a,
                None => {
                    log.activities.push((*name).to_owned());
                    log.activities.len() - 1
                }
            };
            case_events.push(LogEvent {
                activity: activity as u32,
                time: hours * H,
            });
        }
        log.push_case(&format!("c{c}"), case_events);
    }
    log
}

/// 20 cases: `signup` → `verify` (1 h) → `first_order` (2 days) → `review` (1 h); every fifth
/// case swaps verify and signup; one case has a rare `complaint`.
fn shop() -> CaseLog {
    let mut cases: Vec<Vec<(&str, i64)>> = Vec::new();
    for c in 0..20 {
        let mut events = if c % 5 == 0 {
            vec![("verify", 0), ("signup", 1)]
        } else {
            vec![("signup", 0), ("verify", 1)]
        };
        events.extend([("first_order", 49), ("review", 50)]);
        if c == 3 {
            events.push(("complaint", 60));
        }
        cases.push(events);
    }
    let refs: Vec<&[(&str, i64)]> = cases.iter().map(Vec::as_slice).collect();
    log(&refs)
}

fn ids(draft: &Draft) -> Vec<Vec<&str>> {
    draft
        .stages
        .iter()
        .map(|s| s.steps.iter().map(|t| t.id.as_str()).collect())
        .collect()
}

#[test]
fn main_activities_in_typical_order_cut_at_the_long_wait() {
    let options = DraftOptions {
        min_share: 0.1,
        ..DraftOptions::default()
    };
    let d = draft(&shop(), &DraftInputs::default(), &options).unwrap();
    assert_eq!(d.cases, 20);
    assert_eq!(
        ids(&d),
        vec![vec!["signup", "verify"], vec!["first-order", "review"]]
    );
    assert_eq!(d.stages[0].id, "stage-1");
    assert_eq!(d.stages[0].name, "Signup to verify");
    assert_eq!(d.stages[1].name, "First order to review");
    assert!(
        d.stages[1].description.contains("median wait of 2.0 d"),
        "{}",
        d.stages[1].description
    );
    let first_order = &d.stages[1].steps[0];
    assert_eq!((first_order.cases, first_order.events), (20, 20));
    assert_eq!(first_order.name, "First order");
    // `complaint` is in 1 of 20 cases: under 10%, listed as rare.
    assert_eq!(d.rare.len(), 1);
    assert_eq!(d.rare[0].event, "complaint");
    assert_eq!(d.rare[0].cases, 1);
    assert_eq!(d.rare_total, 1);
    // At the default 5% it is a main activity, last in the typical order.
    let d = draft(&shop(), &DraftInputs::default(), &DraftOptions::default()).unwrap();
    assert!(d.rare.is_empty());
    assert_eq!(
        ids(&d),
        vec![
            vec!["signup", "verify"],
            vec!["first-order", "review", "complaint"]
        ]
    );
}

#[test]
fn a_number_of_stages_can_be_asked_for() {
    let options = DraftOptions {
        stages: Some(1),
        min_share: 0.1,
        ..DraftOptions::default()
    };
    let d = draft(&shop(), &DraftInputs::default(), &options).unwrap();
    assert_eq!(
        ids(&d),
        vec![vec!["signup", "verify", "first-order", "review"]]
    );
    let options = DraftOptions {
        stages: Some(9),
        min_share: 0.1,
        ..DraftOptions::default()
    };
    let d = draft(&shop(), &DraftInputs::default(), &options).unwrap();
    assert_eq!(d.stages.len(), 4);
}

#[test]
fn channels_become_touchpoints() {
    let mut channels = Tallies::new();
    channels.insert(
        "signup".into(),
        vec![
            ("web".into(), 60),
            ("Mobile".into(), 25),
            ("app".into(), 5),
            ("fax".into(), 10),
        ],
    );
    channels.insert(
        "verify".into(),
        vec![("email".into(), 95), ("sms".into(), 5)],
    );
    let mut initiators = Tallies::new();
    initiators.insert(
        "verify".into(),
        vec![("company".into(), 90), ("customer".into(), 10)],
    );
    let inputs = DraftInputs {
        channels: Some(channels),
        initiators: Some(initiators),
    };
    let options = DraftOptions {
        min_share: 0.1,
        ..DraftOptions::default()
    };
    let d = draft(&shop(), &inputs, &options).unwrap();
    let steps = &d.stages[0].steps;
    // web 60%, app (Mobile + app) 30%: 90% covered, fax left out.
    assert_eq!(steps[0].channels(), vec![("web", None), ("app", None)]);
    // email alone covers 95%.
    assert_eq!(steps[1].channels(), vec![("email", None)]);
    assert_eq!(
        steps[1].touchpoints[0].initiator,
        Some(trailmap_model::Initiator::Company)
    );
    assert!(d.stages[1].steps[0].channels().is_empty());
    let yaml = to_yaml(&d, &DraftOptions::default());
    assert!(
        yaml.contains("          - {channel: web}\n          - {channel: app}\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("          - {channel: email, initiator: company}\n"),
        "{yaml}"
    );
}

#[test]
fn unknown_channels_keep_their_name() {
    let mut channels = Tallies::new();
    channels.insert("signup".into(), vec![("Carrier \"pigeon\"".into(), 10)]);
    let inputs = DraftInputs {
        channels: Some(channels),
        initiators: None,
    };
    let d = draft(&shop(), &inputs, &DraftOptions::default()).unwrap();
    assert_eq!(
        d.stages[0].steps[0].channels(),
        vec![("other", Some("Carrier \"pigeon\""))]
    );
    let yaml = to_yaml(&d, &DraftOptions::default());
    assert!(
        yaml.contains(r#"- {channel: other, name: "Carrier \"pigeon\""}"#),
        "{yaml}"
    );
}

#[test]
fn the_yaml_has_every_part_of_a_map() {
    let options = DraftOptions {
        journey_id: "shop".into(),
        journey_name: "Shop".into(),
        verified: Some("2026-12-01".into()),
        min_share: 0.1,
        source: "events.csv".into(),
        customer_columns: vec!["age".into(), "plan".into()],
        ..DraftOptions::default()
    };
    let d = draft(&shop(), &DraftInputs::default(), &options).unwrap();
    let yaml = to_yaml(&d, &options);
    for expected in [
        "# yaml-language-server: $schema=",
        "trailmap: 1\n",
        "journey:\n  id: shop\n  name: \"Shop\"\n  kind: other\n  state: current\n",
        "# columns: age, plan\n",
        "stages:\n  - id: stage-1\n    name: \"Signup to verify\"\n",
        "      - id: signup\n        name: \"Signup\"\n        match: \"event = 'signup'\"\n",
        "        evidence: {source: observed, verified: \"2026-12-01\", note: \"Drafted from data: in 20 of 20 cases (100%), 20 events.\"}\n",
        "# Rarer activities (in fewer than 10% of cases), not drafted as steps:\n#   \"complaint\": 1 case (5%)\n",
    ] {
        assert!(yaml.contains(expected), "missing {expected:?} in\n{yaml}");
    }
    // Default columns: no `data:` section.
    assert!(!yaml.contains("\ndata:"));
    let options = DraftOptions {
        columns: ColumnNames {
            customer_id: "ticket".into(),
            timestamp: "ts".into(),
            event: "Activity Name".into(),
        },
        event_col: "Activity Name".into(),
        time_zone: Some("Europe/Rome".into()),
        ..options
    };
    let yaml = to_yaml(&d, &options);
    assert!(yaml.contains(
        "data:\n  columns: {customer_id: \"ticket\", timestamp: \"ts\", event: \"Activity Name\"}\n  time_zone: \"Europe/Rome\"\n"
    ));
    assert!(
        yaml.contains(r#"match: "\"Activity Name\" = 'signup'""#),
        "{yaml}"
    );
}

#[test]
fn hostile_event_names_give_valid_ids_and_exact_matches() {
    let names = [
        "it's",
        "a\"b",
        "new\nline",
        "'; DROP TABLE events; --",
        "#comment",
        "日本語",
    ];
    let cases: Vec<Vec<(&str, i64)>> = (0..3)
        .map(|_| {
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (*n, i as i64))
                .collect()
        })
        .collect();
    let refs: Vec<&[(&str, i64)]> = cases.iter().map(Vec::as_slice).collect();
    let d = draft(
        &log(&refs),
        &DraftInputs::default(),
        &DraftOptions::default(),
    )
    .unwrap();
    let steps: Vec<&DraftStep> = d.stages.iter().flat_map(|s| &s.steps).collect();
    assert_eq!(steps.len(), names.len());
    let pattern = regex_lite::Regex::new(trailmap_model::ID_PATTERN).unwrap();
    for step in &steps {
        assert!(pattern.is_match(&step.id), "{}", step.id);
    }
    let yaml = to_yaml(&d, &DraftOptions::default());
    // The `match` of `it's` doubles the quote inside the SQL string.
    assert!(yaml.contains(r#"match: "event = 'it''s'""#), "{yaml}");
    assert!(yaml.contains(r#"match: "event = 'a\"b'""#), "{yaml}");
    assert!(yaml.contains(r#"match: "event = 'new\nline'""#), "{yaml}");
    assert!(
        yaml.contains(r#"match: "event = '''; DROP TABLE events; --'""#),
        "{yaml}"
    );
    // No raw line break inside any value: every line is a key, a list item or a comment.
    for line in yaml.lines() {
        let t = line.trim_start();
        assert!(
            t.is_empty() || t.starts_with('#') || t.contains(':') || t.starts_with('-'),
            "{line:?}"
        );
    }
}

#[test]
fn nothing_to_draft_is_an_error() {
    assert_eq!(
        draft(
            &CaseLog::default(),
            &DraftInputs::default(),
            &DraftOptions::default()
        ),
        Err(DraftError::Empty)
    );
    let log = log(&[&[("a", 0)], &[("b", 0)], &[("c", 0)]]);
    let options = DraftOptions {
        min_share: 0.5,
        ..DraftOptions::default()
    };
    let error = draft(&log, &DraftInputs::default(), &options).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no activity is in 50% of cases (the most common is in 33%); lower --min-share"
    );
}

#[test]
fn background_events_are_flagged_and_can_be_ignored() {
    // a → b → c in every case, `login` at a different place each time.
    let cases: [&[(&str, i64)]; 4] = [
        &[("login", 0), ("a", 1), ("b", 2), ("c", 3)],
        &[("a", 0), ("login", 1), ("b", 2), ("c", 3)],
        &[("a", 0), ("b", 1), ("login", 2), ("c", 3)],
        &[("a", 0), ("b", 1), ("c", 2), ("login", 3)],
    ];
    let log = log(&cases);
    let d = draft(&log, &DraftInputs::default(), &DraftOptions::default()).unwrap();
    let yaml = to_yaml(&d, &DraftOptions::default());
    let flag = "      # Found anywhere in journeys (the middle half of its places spans 50% of a\n      # journey): a background event? If so, delete this step or draft with --ignore.\n      - id: login\n";
    assert!(yaml.contains(flag), "{yaml}");
    assert_eq!(yaml.matches("# Found anywhere").count(), 1);
    let options = DraftOptions {
        ignore: vec!["login".into()],
        ..DraftOptions::default()
    };
    let d = draft(&log, &DraftInputs::default(), &options).unwrap();
    assert_eq!(ids(&d).concat(), vec!["a", "b", "c"]);
    assert!(d.rare.is_empty());
}
