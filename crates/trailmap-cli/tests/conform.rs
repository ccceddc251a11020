//! `trailmap conform` and `trailmap draft` as users run them, on generated and real data.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{code, golden, root, stderr, stdout, trailmap};
use serde_json::Value;

const SUCCESS_MAP: &str = "examples/subscription-success.yaml";

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "trailmap-conform-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Demo data for the subscription map, made once for every test: (events, customers).
fn demo() -> &'static (String, String) {
    static DEMO: OnceLock<(String, String)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempdir("demo");
        let out = trailmap(&[
            "demo",
            "generate",
            "--map",
            SUCCESS_MAP,
            "--customers",
            "3000",
            "--seed",
            "7",
            "-o",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let path = |f: &str| dir.join(f).to_str().unwrap().to_owned();
        (path("events.parquet"), path("customers.parquet"))
    })
}

fn json(args: &[&str]) -> Value {
    let out = trailmap(args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("--format json prints JSON")
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

#[test]
fn conform_on_demo_data_finds_deviations_for_everyone_and_each_persona() {
    let (events, customers) = demo();
    let c = json(&[
        "conform",
        SUCCESS_MAP,
        "--events",
        events,
        "--customers",
        customers,
        "--format",
        "json",
    ]);
    assert_eq!(c["version"], 1);
    assert_eq!(c["journey"]["id"], "subscription-success");
    let e = &c["everyone"];
    let n = u(&e["customers"]);
    assert_eq!(n, u(&c["inputs"]["customers_analysed"]));
    assert!(n > 2500, "{n}");
    // The generator skips optional steps, drops customers off and repeats support contacts:
    // some customers leave the map, most do not.
    let share = e["following_share"].as_f64().unwrap();
    assert!(share > 0.5 && share < 1.0, "{share}");
    assert!(u(&e["ended_early"]) > 0);
    assert_eq!(u(&e["ended_early"]) + u(&e["reached_last_stage"]), n);
    let fitness = e["fitness"]["log"].as_f64().unwrap();
    let reached = e["fitness"]["prefix_log"].as_f64().unwrap();
    assert!(0.0 < fitness && fitness < reached && reached <= 1.0);
    assert!(u(&e["deviations_total"]) > 0);
    let kinds: Vec<&str> = e["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"skip"), "{kinds:?}");
    for g in e["deviations"].as_array().unwrap() {
        assert!(u(&g["customers"]) <= n);
        assert!(u(&g["comparison"]["compared"]) <= u(&g["customers"]));
        let label = g["label"].as_str().unwrap();
        assert!(!label.is_empty());
        for (_, o) in g["comparison"]["outcomes"].as_object().unwrap() {
            if o["significant"] == true {
                assert!(o["p_value"].as_f64().unwrap() < 0.05);
            }
        }
    }
    // Every persona of the map, with its own figures; together at most everyone.
    let personas = c["personas"].as_object().unwrap();
    assert_eq!(
        personas.keys().collect::<Vec<_>>(),
        vec!["practice-manager", "solo-owner", "studio-founder"]
    );
    let sum: u64 = personas.values().map(|p| u(&p["customers"])).sum();
    assert!(sum <= n && sum > n / 2, "{sum} of {n}");
    for p in personas.values() {
        assert!(u(&p["following"]) <= u(&p["customers"]));
    }
    // A practice manager's path has the kickoff call; a solo owner's does not.
    let kickoff = |p: &str| {
        personas[p]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == "has-kickoff-call")
            .map(|s| u(&s["expected"]))
            .unwrap()
    };
    assert_eq!(
        kickoff("practice-manager"),
        u(&personas["practice-manager"]["customers"])
    );
    assert_eq!(kickoff("solo-owner"), 0);
}

/// The path of a customer without a persona: every step, required unless `optional` or only
/// for some personas. Independent of the library: built from `trailmap export --to json`.
struct Path0 {
    order: BTreeMap<String, usize>,
    required: Vec<bool>,
    stage: Vec<usize>,
}

fn unassigned_path() -> Path0 {
    let map = json(&["export", SUCCESS_MAP, "--to", "json"]);
    let mut path = Path0 {
        order: BTreeMap::new(),
        required: Vec::new(),
        stage: Vec::new(),
    };
    for (s, stage) in map["stages"].as_array().unwrap().iter().enumerate() {
        for step in stage["steps"].as_array().unwrap() {
            path.order
                .insert(step["id"].as_str().unwrap().to_owned(), path.required.len());
            let optional = step["optional"] == true;
            let for_some = step["personas"].as_array().is_some_and(|p| !p.is_empty());
            path.required.push(!optional && !for_some);
            path.stage.push(s);
        }
    }
    path
}

/// Whether visits follow the map, by the definition in docs/conformance.md: strictly forward
/// in map order, no required step skipped before the last visit.
fn follows(path: &Path0, visits: &[usize]) -> bool {
    visits.windows(2).all(|w| w[0] < w[1])
        && (0..*visits.last().unwrap()).all(|s| !path.required[s] || visits.contains(&s))
}

/// The alignment cost with the whole path: the cheapest insert/delete edit distance from the
/// visits to any sequence of all required steps plus some optional ones, in map order; worked
/// out as visits + required − 2 × (the longest run of visits that is such a subsequence and
/// counts required steps twice), by brute force over increasing subsequences.
fn alignment(path: &Path0, visits: &[usize]) -> (u64, u64) {
    let required = path.required.iter().filter(|r| **r).count() as u64;
    let n = visits.len();
    // best[i]: the heaviest increasing subsequence of visits ending at visit i.
    let weight = |s: usize| if path.required[s] { 2 } else { 1 };
    let mut best = vec![0u64; n];
    for i in 0..n {
        best[i] = weight(visits[i]);
        for j in 0..i {
            if visits[j] < visits[i] {
                best[i] = best[i].max(best[j] + weight(visits[i]));
            }
        }
    }
    let heaviest = best.into_iter().max().unwrap_or(0);
    (n as u64 + required - heaviest, n as u64 + required)
}

#[test]
fn conform_agrees_with_an_independent_count_over_discovered_variants() {
    // Without a customers file nobody has a persona, so every customer has the same path and
    // conform's figures can be recomputed from `discover`'s variants.
    let (events, _) = demo();
    let c = json(&[
        "conform",
        SUCCESS_MAP,
        "--events",
        events,
        "--format",
        "json",
    ]);
    let d = json(&[
        "discover",
        "--map",
        SUCCESS_MAP,
        "--events",
        events,
        "--top",
        "all",
        "--format",
        "json",
    ]);
    let path = unassigned_path();
    let (mut following, mut customers, mut cost, mut worst) = (0, 0, 0, 0);
    let mut backward = 0;
    for v in d["variants"]["top"].as_array().unwrap() {
        let count = u(&v["count"]);
        let mut visits: Vec<usize> = Vec::new();
        for a in v["activities"].as_array().unwrap() {
            let s = path.order[a.as_str().unwrap()];
            if visits.last() != Some(&s) {
                visits.push(s);
            }
        }
        customers += count;
        if follows(&path, &visits) {
            following += count;
        }
        let (c, w) = alignment(&path, &visits);
        cost += c * count;
        worst += w * count;
        if visits
            .windows(2)
            .any(|w| path.stage[w[1]] < path.stage[w[0]])
        {
            backward += count;
        }
    }
    let e = &c["everyone"];
    assert_eq!(u(&e["customers"]), customers);
    assert_eq!(u(&e["following"]), following);
    assert_eq!(u(&e["deviating"]["backward"]), backward);
    let log_fitness = 1.0 - cost as f64 / worst as f64;
    assert!(
        (e["fitness"]["log"].as_f64().unwrap() - log_fitness).abs() < 1e-12,
        "{} vs {log_fitness}",
        e["fitness"]["log"]
    );
    assert!(following < customers && following > 0);
}

#[test]
fn conform_text_reads_at_once_and_files_are_written() {
    let (events, customers) = demo();
    let dir = tempdir("outputs");
    let json_path = dir.join("conform.json");
    let html_path = dir.join("conform.html");
    let out = trailmap(&[
        "conform",
        SUCCESS_MAP,
        "--events",
        events,
        "--customers",
        customers,
        "-o",
        json_path.to_str().unwrap(),
        "--top",
        "3",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "Slotwise customer success (current state): ",
        " follow the map; ",
        "Fitness 0.",
        "What leaving the map costs",
        "Deviations (a customer can have several; * significant):",
        "Per persona",
        "Mark, the practice manager: ",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let written: Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
    assert!(written["everyone"]["deviations"].as_array().unwrap().len() <= 3);
    // The headlines in words: subject, ratio in words, the numbers and what it costs.
    let headline = regex_lite::Regex::new(concat!(
        r"^Customers (who|on the path) .+ ",
        r"\((\d+(\.\d)?%|<0\.1%|-?[\d.,]+) vs (\d+(\.\d)?%|<0\.1%|-?[\d.,]+), [\d,]+ customers",
        r"(: about [\d.,]+ (more|fewer|less) .+)?\)$",
    ))
    .unwrap();
    let ratio = regex_lite::Regex::new(
        r" (\d+\.\d× as often as|\d+(\.\d)?% (more|less) often than|while|bring) ",
    )
    .unwrap();
    for scope in std::iter::once(&written["everyone"])
        .chain(written["personas"].as_object().unwrap().values())
    {
        for h in scope["headlines"].as_array().unwrap() {
            let h = h.as_str().unwrap();
            assert!(headline.is_match(h) && ratio.is_match(h), "{h}");
        }
    }
    let out = trailmap(&[
        "conform",
        SUCCESS_MAP,
        "--events",
        events,
        "--customers",
        customers,
        "-o",
        html_path.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = std::fs::read_to_string(&html_path).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") || page.starts_with("<!doctype html>"));
    assert!(page.contains("</html>"));
}

#[test]
fn conform_value_col_compares_mean_value_on_real_orders() {
    let c = json(&[
        "conform",
        "examples/olist/olist-orders.yaml",
        "--events",
        "examples/olist/events.csv.gz",
        "--customers",
        "examples/olist/customers.csv",
        "--value-col",
        "order_value",
        "--format",
        "json",
    ]);
    assert_eq!(c["inputs"]["value_col"], "order_value");
    let value = &c["everyone"]["value"];
    assert!(value["everyone"].as_f64().unwrap() > 0.0, "{value}");
    let groups = c["everyone"]["deviations"].as_array().unwrap();
    assert!(!groups.is_empty());
    for g in groups {
        let v = &g["comparison"]["value"];
        assert!(v.is_object(), "{g}");
        if let (Some(gm), Some(rm)) = (v["group_mean"].as_f64(), v["reference_mean"].as_f64()) {
            let compared = u(&g["comparison"]["compared"]) as f64;
            assert!((v["excess"].as_f64().unwrap() - (gm - rm) * compared).abs() < 1e-6);
        }
    }
}

#[test]
fn conform_errors_name_the_problem() {
    let (events, customers) = demo();
    let run = |args: &[&str]| {
        let mut all = vec!["conform", SUCCESS_MAP, "--events", events.as_str()];
        all.extend_from_slice(args);
        trailmap(&all)
    };
    let out = run(&["--persona", "nobody", "--customers", customers]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("the map has no persona `nobody`; its personas are: solo-owner"));
    let out = run(&["--persona", "solo-owner"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--persona needs --customers"));
    let out = run(&["-o", "conform.txt"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("name the output .json"));
    let out = run(&["--value-col", "no_such_column"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no_such_column"), "{}", stderr(&out));
    let out = trailmap(&["conform", SUCCESS_MAP, "--events", "no/such/file.csv"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no/such/file.csv"));
    // A bad row names its file, row and column; --skip-bad-rows skips and counts it.
    let dir = tempdir("bad-rows");
    let bad = dir.join("events.csv");
    std::fs::write(
        &bad,
        "customer_id,timestamp,event,feature,reason\n\
         c1,2026-01-01T10:00:00Z,subscription_started,,\n\
         c1,not-a-time,client_import_started,,\n\
         c1,2026-01-02T10:00:00Z,payments_connected,,\n",
    )
    .unwrap();
    let out = trailmap(&["conform", SUCCESS_MAP, "--events", bad.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("row 2, column `timestamp`: `not-a-time` is not a time"),
        "{}",
        stderr(&out)
    );
    let c = json(&[
        "conform",
        SUCCESS_MAP,
        "--events",
        bad.to_str().unwrap(),
        "--skip-bad-rows",
        "--format",
        "json",
    ]);
    assert_eq!(c["inputs"]["bad_rows"], 1);
    assert_eq!(c["everyone"]["customers"], 1);
    // One persona only.
    let c = json(&[
        "conform",
        SUCCESS_MAP,
        "--events",
        events,
        "--customers",
        customers,
        "--persona",
        "studio-founder",
        "--format",
        "json",
    ]);
    assert_eq!(c["inputs"]["persona"], "studio-founder");
    assert_eq!(c["personas"].as_object().unwrap().len(), 1);
    assert_eq!(
        c["everyone"]["customers"],
        c["personas"]["studio-founder"]["customers"]
    );
}

/// Drafts from `events`, checks the draft and measures it on the same data: every step is
/// reached, and discovering with the draft keeps exactly the main activities' events.
fn draft_round_trip(name: &str, events: &str, extra: &[&str]) -> String {
    let dir = tempdir(name);
    let draft = dir.join(format!("{name}.yaml"));
    // A fixed date: the golden drafts must not change at midnight.
    let mut args = vec![
        "draft",
        "--events",
        events,
        "-o",
        draft.to_str().unwrap(),
        "--today",
        "2026-12-01",
    ];
    args.extend_from_slice(extra);
    let out = trailmap(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let draft_path = draft.to_str().unwrap();
    let out = trailmap(&["check", draft_path]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let result = dir.join("result.json");
    let out = trailmap(&[
        "analyze",
        draft_path,
        "--events",
        events,
        "-o",
        result.to_str().unwrap(),
    ]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let analysis: Value = serde_json::from_slice(&std::fs::read(&result).unwrap()).unwrap();
    let steps = analysis["steps"].as_array().unwrap();
    assert!(!steps.is_empty());
    for step in steps {
        assert!(u(&step["reach"]) > 0, "{} is never reached", step["id"]);
    }
    // By step with the draft, each event is the step of its name: same cases and events per
    // activity as by event.
    let by_step = json(&[
        "discover", "--map", draft_path, "--events", events, "--format", "json",
    ]);
    let by_event = json(&["discover", "--events", events, "--format", "json"]);
    // Each step's event, read back from the draft as the checker reads it.
    let map = json(&["export", draft_path, "--to", "json"]);
    let mut event_of = BTreeMap::new();
    for stage in map["stages"].as_array().unwrap() {
        for step in stage["steps"].as_array().unwrap() {
            let sql = step["match"].as_str().unwrap();
            let literal = sql
                .strip_prefix("event = '")
                .and_then(|s| s.strip_suffix('\''))
                .unwrap_or_else(|| panic!("unexpected match {sql}"));
            event_of.insert(
                step["id"].as_str().unwrap().to_owned(),
                literal.replace("''", "'"),
            );
        }
    }
    let mut kept = 0;
    for a in by_step["activities"].as_array().unwrap() {
        let id = a["activity"].as_str().unwrap();
        let event = by_event["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["activity"].as_str() == Some(event_of[id].as_str()))
            .unwrap_or_else(|| panic!("no event for step {id}"));
        assert_eq!(a["cases"], event["cases"], "{id}");
        assert_eq!(a["events"], event["events"], "{id}");
        kept += u(&a["events"]);
    }
    assert_eq!(u(&by_step["events"]), kept);
    assert_eq!(
        event_of.len(),
        by_step["activities"].as_array().unwrap().len()
    );
    std::fs::read_to_string(&draft).unwrap()
}

#[test]
fn draft_from_the_olist_orders() {
    let yaml = draft_round_trip(
        "olist",
        "examples/olist/events.csv.gz",
        &["--customers", "examples/olist/customers.csv"],
    );
    // Orders, then delivery: the week-long wait for the carrier splits the stages.
    assert!(
        yaml.contains("  - id: stage-1\n    name: \"Order purchased to handed to carrier\"\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("  - id: stage-2\n    name: \"Order delivered to review answered\"\n"),
        "{yaml}"
    );
    assert!(yaml.contains("        match: \"event = 'payment_approved'\"\n        touchpoints:\n          - {channel: email, initiator: company}\n"), "{yaml}");
    assert!(yaml.contains("# columns: state, city, region, first_payment_type, orders\n"));
    assert!(yaml.contains("#   \"order_canceled\": 24 cases (0.8%)\n"));
}

/// The shared data folder beside the clone (CI clones it there).
fn shared(file: &str) -> String {
    let path = root().join("../shared/data").join(file);
    assert!(
        path.exists(),
        "the shared data folder is missing: expected {} beside the clone",
        path.display()
    );
    path.to_str().unwrap().to_owned()
}

#[test]
fn draft_from_a_real_helpdesk_log() {
    let yaml = draft_round_trip(
        "helpdesk",
        &shared("helpdesk-tickets/helpdesk.xes.gz"),
        &["--stages", "3"],
    );
    let stages = yaml.matches("\n  - id: stage-").count();
    assert_eq!(stages, 3, "{yaml}");
    // Tickets are assigned first and closed last.
    let first = yaml.find("name: \"Assign seriousness\"").unwrap();
    let last = yaml.find("name: \"Closed\"").unwrap();
    assert!(first < last);
    assert!(
        yaml.contains("\"Insert ticket\": 118 cases (2.6%)"),
        "{yaml}"
    );
}

#[test]
fn draft_survives_hostile_event_names() {
    let dir = tempdir("hostile-data");
    let events = dir.join("events.csv");
    let names = [
        "it's",
        "say \"\"hi\"\"",
        "'; DROP TABLE events; --",
        "line\nbreak",
        "#hash: {x}",
        "ünïcødé 🚀",
    ];
    let mut csv = String::from("customer_id,timestamp,event,channel\n");
    for c in 0..4 {
        for (i, name) in names.iter().enumerate() {
            csv.push_str(&format!(
                "c{c},2026-01-0{} 10:00:00,\"{name}\",\"we\"\"b\"\n",
                i + 1
            ));
        }
    }
    std::fs::write(&events, csv).unwrap();
    let yaml = draft_round_trip("hostile", events.to_str().unwrap(), &[]);
    assert!(yaml.contains(r#"match: "event = 'it''s'""#), "{yaml}");
    assert!(yaml.contains(r#"match: "event = 'line\nbreak'""#), "{yaml}");
    assert!(
        yaml.contains(r#"{channel: other, name: "we\"b"}"#),
        "{yaml}"
    );
    // An existing file is not overwritten without --force.
    let target = dir.join("hostile.yaml");
    std::fs::write(&target, "keep me").unwrap();
    let out = trailmap(&[
        "draft",
        "--events",
        events.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("already exists; pass --force"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    let out = trailmap(&[
        "draft",
        "--events",
        events.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let _ = Path::new(&target);
}

#[test]
fn draft_errors() {
    let out = trailmap(&[
        "draft",
        "--events",
        "examples/olist/events.csv.gz",
        "--min-share",
        "2",
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not a share between 0 and 1"));
    let dir = tempdir("spread");
    let events = dir.join("events.csv");
    std::fs::write(
        &events,
        "customer_id,timestamp,event\nc1,2026-01-01,a\nc2,2026-01-01,b\nc3,2026-01-01,c\n",
    )
    .unwrap();
    let out = trailmap(&[
        "draft",
        "--events",
        events.to_str().unwrap(),
        "--min-share",
        "0.5",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(
            "no activity is in 50% of cases (the most common is in 33%); lower --min-share"
        ),
        "{}",
        stderr(&out)
    );
    let out = trailmap(&[
        "draft",
        "--events",
        "examples/olist/events.csv.gz",
        "--id",
        "Not An Id",
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("is not a valid id"));
    // To stdout without -o.
    let out = trailmap(&[
        "draft",
        "--events",
        "examples/olist/events.csv.gz",
        "--stages",
        "1",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("# yaml-language-server"));
    assert_eq!(stdout(&out).matches("\n  - id: stage-").count(), 1);
    let out = trailmap(&[
        "draft",
        "--events",
        "examples/olist/events.csv.gz",
        "--ignore",
        "review_requested,review_answered",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stdout(&out).contains("review"), "{}", stdout(&out));
    assert!(stdout(&out).contains("- id: order-delivered\n"));
}

#[test]
fn conform_text_and_draft_on_real_orders_are_golden() {
    let out = trailmap(&[
        "conform",
        "examples/olist/olist-orders.yaml",
        "--events",
        "examples/olist/events.csv.gz",
        "--customers",
        "examples/olist/customers.csv",
        "--value-col",
        "order_value",
        "--top",
        "5",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    golden("conform-olist.txt", &stdout(&out));
    let out = trailmap(&[
        "draft",
        "--events",
        "examples/olist/events.csv.gz",
        "--customers",
        "examples/olist/customers.csv",
        "--id",
        "olist-draft",
        "--today",
        "2026-12-01",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    golden("draft-olist.yaml", &stdout(&out));
}

/// Errors of `instance` against the committed schema `docs/NAME` (an independent validator).
fn schema_errors(name: &str, instance: &Value) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("docs").join(name)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator =
        jsonschema::draft202012::new(&schema).expect("the committed schema is itself valid");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn json_outputs_match_their_published_schemas() {
    let args = [
        "examples/olist/olist-orders.yaml",
        "--events",
        "examples/olist/events.csv.gz",
        "--customers",
        "examples/olist/customers.csv",
        "--value-col",
        "order_value",
        "--format",
        "json",
    ];
    let conformance = json(&[&["conform"], &args[..]].concat());
    assert_eq!(
        schema_errors("trailmap-conformance-v1.schema.json", &conformance),
        Vec::<String>::new()
    );
    let discovery = json(&[
        "discover",
        "--map",
        "examples/olist/olist-orders.yaml",
        "--events",
        "examples/olist/events.csv.gz",
        "--format",
        "json",
    ]);
    assert_eq!(
        schema_errors("trailmap-discovery-v1.schema.json", &discovery),
        Vec::<String>::new()
    );
    // The check can fail: a figure of the wrong type is caught.
    let mut broken = conformance.clone();
    broken["version"] = Value::from("one");
    assert!(!schema_errors("trailmap-conformance-v1.schema.json", &broken).is_empty());
}

#[test]
fn discover_by_persona_takes_only_that_personas_customers() {
    let (events, customers) = demo();
    // `discover` on the demo data with the subscription map, and these arguments.
    let base = [
        "discover",
        "--events",
        events.as_str(),
        "--map",
        SUCCESS_MAP,
    ];
    let discover = |extra: &[&str]| trailmap(&[&base[..], extra].concat());
    let json_of = |extra: &[&str]| json(&[&base[..], extra].concat());
    let all = json_of(&["--customers", customers, "--format", "json"]);
    assert!(all.get("persona").is_none());
    let conformance = json(&[
        "conform",
        SUCCESS_MAP,
        "--events",
        events,
        "--customers",
        customers,
        "--format",
        "json",
    ]);
    let personas = conformance["personas"].as_object().unwrap();
    assert!(personas.len() >= 2, "{personas:?}");
    let mut total = 0;
    for (id, figures) in personas {
        let one = json_of(&[
            "--customers",
            customers,
            "--persona",
            id,
            "--format",
            "json",
        ]);
        assert_eq!(one["persona"], id.as_str());
        // The same customers conform counts for the persona.
        assert_eq!(u(&one["cases"]), u(&figures["customers"]), "{id}");
        total += u(&one["cases"]);
    }
    assert!(total <= u(&all["cases"]));
    let text = discover(&[
        "--customers",
        customers,
        "--persona",
        personas.keys().next().unwrap(),
    ]);
    assert_eq!(code(&text), 0, "{}", stderr(&text));
    assert!(stdout(&text).contains("of persona `"), "{}", stdout(&text));

    // Without customers or with an unknown persona: what is wrong, exit 2.
    let no_customers = discover(&["--persona", "solo-owner"]);
    assert_eq!(code(&no_customers), 2);
    assert!(stderr(&no_customers).contains("--persona needs --customers"));
    let unknown = discover(&["--customers", customers, "--persona", "nobody"]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("the map has no persona `nobody`; its personas are: solo-owner"),
        "{}",
        stderr(&unknown)
    );
}
