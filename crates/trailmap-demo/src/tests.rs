//! Tests of the whole generator on the example maps: the files read back, every step's `match`
//! is satisfied by some event, personas are recognisable by their rules, and a seed gives the
//! same bytes every time.

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow::array::{
    Array, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array, StringArray,
    TimestampMicrosecondArray,
};
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use trailmap_model::Map;

use crate::plan::{self, EVENT, Plan};
use crate::value::Val;
use crate::{Format, Options, generate, is_output_name};

const EXAMPLES: [&str; 4] = [
    "online-retail-purchase",
    "online-retail-purchase-future",
    "support-contact",
    "subscription-success",
];

/// The starter templates `trailmap new` writes: maps the generator must handle too.
const TEMPLATES: [&str; 4] = ["purchase", "support", "success", "onboarding"];

fn load(name: &str) -> Map {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = if TEMPLATES.contains(&name) {
        root.join("crates/trailmap-model/templates")
    } else {
        root.join("examples")
    }
    .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).expect("example maps are readable");
    trailmap_check::parse(&text)
        .map
        .unwrap_or_else(|| panic!("{name} is a valid map"))
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trailmap-demo-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    dir
}

fn read_parquet(path: &Path) -> Vec<RecordBatch> {
    let file = File::open(path).expect("file was written");
    ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("valid parquet")
        .build()
        .expect("reader")
        .collect::<Result<Vec<_>, _>>()
        .expect("batches read")
}

/// The rows of some batches as plan values (columns after the first `skip`), interning texts.
fn rows(plan: &mut Plan, batches: &[RecordBatch], skip: usize) -> Vec<Vec<Val>> {
    let mut out = Vec::new();
    for batch in batches {
        for r in 0..batch.num_rows() {
            let mut row = Vec::new();
            for column in batch.columns().iter().skip(skip) {
                if column.is_null(r) {
                    row.push(Val::Null);
                    continue;
                }
                let any = column.as_any();
                let v = match column.data_type() {
                    DataType::Utf8 => {
                        let s = any.downcast_ref::<StringArray>().expect("utf8").value(r);
                        Val::Str(plan.symbols.intern(s))
                    }
                    DataType::Int32 => Val::Int(i64::from(
                        any.downcast_ref::<Int32Array>().expect("i32").value(r),
                    )),
                    DataType::Int64 => {
                        Val::Int(any.downcast_ref::<Int64Array>().expect("i64").value(r))
                    }
                    DataType::Float64 => {
                        Val::Float(any.downcast_ref::<Float64Array>().expect("f64").value(r))
                    }
                    DataType::Boolean => {
                        Val::Bool(any.downcast_ref::<BooleanArray>().expect("bool").value(r))
                    }
                    DataType::Date32 => Val::Int(i64::from(
                        any.downcast_ref::<Date32Array>().expect("date").value(r),
                    )),
                    other => panic!("unexpected column type {other}"),
                };
                row.push(v);
            }
            out.push(row);
        }
    }
    out
}

fn step_matches(plan: &Plan, step: usize, row: &[Val]) -> bool {
    plan.steps[step]
        .templates
        .iter()
        .any(|t| plan::branch_holds(&t.all, row, &plan.symbols))
}

#[test]
fn every_example_map_gives_evidence_for_every_step() {
    for name in EXAMPLES.iter().chain(&TEMPLATES).copied() {
        let map = load(name);
        let dir = scratch(&format!("steps-{name}"));
        let summary = generate(&map, &dir, &Options::new(600, 7), &mut |_| {}).expect("generated");
        assert_eq!(summary.customers, 600);
        assert!(summary.notes.is_empty(), "{name}: {:?}", summary.notes);
        assert_eq!(
            summary.files,
            vec![dir.join("events.parquet"), dir.join("customers.parquet")]
        );

        let mut plan = Plan::new(&map);
        let events = read_parquet(&dir.join("events.parquet"));
        let n_rows: usize = events.iter().map(RecordBatch::num_rows).sum();
        assert_eq!(n_rows as u64, summary.events, "{name}");
        assert_eq!(
            events[0].schema(),
            crate::event_schema(&map),
            "{name}: the file has the documented schema"
        );
        let event_rows = rows(&mut plan, &events, 2);

        let ids: Vec<&str> = map.steps().map(|s| s.step.id.as_str()).collect();
        for (i, id) in ids.iter().enumerate() {
            let n = event_rows
                .iter()
                .filter(|r| step_matches(&plan, i, r))
                .count();
            assert!(n > 0, "{name}: no event matches step `{id}`");
        }
        for (o, outcome) in plan.outcomes.iter().enumerate() {
            let n = event_rows
                .iter()
                .filter(|r| {
                    outcome
                        .templates
                        .iter()
                        .any(|t| plan::branch_holds(&t.all, r, &plan.symbols))
                })
                .count();
            let outcome_name = map.outcomes.keys().nth(o).expect("same order");
            assert!(n > 0, "{name}: no event for outcome `{outcome_name}`");
        }
        // About a tenth of the events are noise that matches no step.
        let unmatched = event_rows
            .iter()
            .filter(|r| (0..ids.len()).all(|s| !step_matches(&plan, s, r)))
            .count();
        let share = unmatched as f64 / event_rows.len() as f64;
        assert!((0.05..0.3).contains(&share), "{name}: {share:.3} unmatched");
        // Survey answers have scores in range.
        for r in &event_rows {
            for (col, lo, hi) in [(plan::NPS, 0, 10), (plan::CSAT, 1, 5), (plan::CES, 1, 7)] {
                if let Val::Int(x) = r[col] {
                    assert!((lo..=hi).contains(&x), "{name}: score {x} out of range");
                }
            }
        }

        let customers = read_parquet(&dir.join("customers.parquet"));
        assert_eq!(customers[0].schema(), crate::customer_schema(&map));
        let customer_rows = rows(&mut plan, &customers, 1);
        assert_eq!(customer_rows.len(), 600);
        let persona_col = plan.customers.index("demo_persona").expect("column");
        let mut counts = vec![0usize; map.personas.len() + 1];
        for row in &customer_rows {
            // The engine puts a customer in the first persona whose rule matches: that must be
            // the persona the generator says it made.
            let found = plan.personas.iter().position(|p| {
                p.rule
                    .as_ref()
                    .is_some_and(|b| b.iter().any(|b| plan::branch_holds(b, row, &plan.symbols)))
            });
            let expected = match found {
                Some(p) => Val::Str(
                    plan.symbols
                        .get(plan.personas[p].id.as_deref().expect("a persona"))
                        .expect("interned"),
                ),
                None => Val::Null,
            };
            assert_eq!(row[persona_col], expected, "{name}");
            counts[found.unwrap_or(map.personas.len())] += 1;
        }
        for (p, persona) in map.personas.iter().enumerate() {
            let share = counts[p] as f64 / 600.0;
            let Some(wanted) = persona.share else {
                continue;
            };
            assert!(
                (share - wanted).abs() < 0.08,
                "{name}: persona {} has {share:.2}, wants {wanted}",
                persona.id
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn same_seed_gives_identical_bytes_and_another_seed_does_not() {
    let map = load("online-retail-purchase");
    let run = |name: &str, seed: u64, format: Format| {
        let dir = scratch(name);
        let options = Options {
            format,
            ..Options::new(300, seed)
        };
        let summary = generate(&map, &dir, &options, &mut |_| {}).expect("generated");
        let bytes: Vec<Vec<u8>> = summary
            .files
            .iter()
            .map(|f| std::fs::read(f).expect("written"))
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        bytes
    };
    for format in [Format::Parquet, Format::Csv] {
        let a = run("det-a", 42, format);
        let b = run("det-b", 42, format);
        let c = run("det-c", 43, format);
        assert_eq!(a, b, "{format:?}: same seed, same bytes");
        assert_ne!(a[0], c[0], "{format:?}: another seed, other events");
    }
}

#[test]
fn csv_has_a_header_and_rfc3339_times() {
    let map = load("support-contact");
    let dir = scratch("csv");
    let options = Options {
        format: Format::Csv,
        ..Options::new(20, 1)
    };
    let summary = generate(&map, &dir, &options, &mut |_| {}).expect("generated");
    let text = std::fs::read_to_string(dir.join("events.csv")).expect("written");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    assert!(header.starts_with(
        "customer_id,timestamp,event,channel,initiator,nps,csat,ces,text,order_value"
    ));
    let first = lines.next().expect("a row");
    let time = first.split(',').nth(1).expect("time");
    assert_eq!(time.len(), "2026-01-01T00:00:00Z".len(), "{time}");
    assert!(time.ends_with('Z') && time.as_bytes()[10] == b'T', "{time}");
    assert_eq!(lines.count() as u64 + 1, summary.events);
    let customers = std::fs::read_to_string(dir.join("customers.csv")).expect("written");
    assert!(customers.starts_with("customer_id,age,signup_channel,acquisition_source,"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn large_runs_are_split_into_parts_and_old_parts_are_removed() {
    let map = load("subscription-success");
    let dir = scratch("parts");
    std::fs::write(dir.join("events-00099.parquet"), b"stale").expect("writable");
    std::fs::write(dir.join("notes.txt"), b"keep").expect("writable");
    let options = Options {
        rows_per_file: 1000,
        ..Options::new(400, 3)
    };
    let summary = generate(&map, &dir, &options, &mut |_| {}).expect("generated");
    assert_eq!(summary.removed, vec![dir.join("events-00099.parquet")]);
    assert!(dir.join("notes.txt").exists());
    let parts: Vec<&PathBuf> = summary
        .files
        .iter()
        .filter(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("events-"))
        })
        .collect();
    assert_eq!(parts.len() as u64, summary.events.div_ceil(1000));
    let mut total = 0;
    let mut last_time_of = std::collections::HashMap::new();
    for (i, part) in parts.iter().enumerate() {
        assert_eq!(
            part.file_name().expect("name").to_string_lossy(),
            format!("events-{i:05}.parquet")
        );
        for batch in read_parquet(part) {
            total += batch.num_rows();
            let ids = batch
                .column(0)
                .as_any()
                .downcast_ref::<StringArray>()
                .expect("ids");
            let times = batch
                .column(1)
                .as_any()
                .downcast_ref::<TimestampMicrosecondArray>()
                .expect("times");
            // Each customer's events come in strictly increasing time, even across parts.
            for r in 0..batch.num_rows() {
                let before = last_time_of.insert(ids.value(r).to_owned(), times.value(r));
                assert!(before.is_none_or(|b| b < times.value(r)));
            }
        }
    }
    assert_eq!(total as u64, summary.events);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn personas_behave_differently() {
    // Mia (app, social) and Frank (phone, print) take different channels, and drop off at
    // different rates: the mean number of step events per customer differs by persona.
    let map = load("online-retail-purchase");
    let plan = Plan::new(&map);
    let mut generator = crate::sim::Generator::new(&plan, 5);
    let persona_col = plan.customers.index("demo_persona").expect("column");
    let mut channels: Vec<((Val, Val), usize)> = Vec::new();
    for number in 1..=2000 {
        generator.customer(number);
        let persona = generator.attrs[persona_col];
        for &i in &generator.order {
            let row = generator.rows.row(i as usize);
            let key = (persona, row[plan::CHANNEL]);
            match channels.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => channels.push((key, 1)),
            }
        }
    }
    drop(generator);
    let sym = |s: &str| Val::Str(plan.symbols.get(s).expect("interned"));
    let share = |persona: Val, channel: Val| {
        let total: usize = channels
            .iter()
            .filter(|((p, _), _)| *p == persona)
            .map(|(_, n)| n)
            .sum();
        let n = channels
            .iter()
            .find(|(k, _)| *k == (persona, channel))
            .map_or(0, |(_, n)| *n);
        n as f64 / total as f64
    };
    let (mia, frank, phone, app) = (sym("mia"), sym("frank"), sym("phone"), sym("app"));
    assert!(
        share(frank, phone) > 3.0 * share(mia, phone),
        "frank calls more"
    );
    assert!(
        share(mia, app) > 3.0 * share(frank, app),
        "mia uses the app more"
    );
}

#[test]
fn output_names_are_recognised() {
    for name in [
        "events.parquet",
        "events.csv",
        "events-00012.parquet",
        "customers.csv",
    ] {
        assert!(is_output_name(name), "{name}");
    }
    for name in [
        "events-1.parquet",
        "events.json",
        "my-events.parquet",
        "customers-00001.csv",
    ] {
        assert!(!is_output_name(name), "{name}");
    }
}

#[test]
fn events_have_names_and_times_in_the_generated_year() {
    for name in EXAMPLES {
        let map = load(name);
        let plan = Plan::new(&map);
        let mut generator = crate::sim::Generator::new(&plan, 11);
        for number in 1..=200 {
            generator.customer(number);
            for &i in &generator.order {
                let i = i as usize;
                assert!(
                    !generator.rows.row(i)[EVENT].is_null(),
                    "{name}: every event has a name"
                );
                let t = generator.rows.ts[i];
                // Journeys start within the year from 2025-11-01 and last a few months at most.
                assert!(
                    (crate::sim::START_EPOCH_S - 10 * 86_400
                        ..crate::sim::START_EPOCH_S + 700 * 86_400)
                        .contains(&t),
                    "{name}: time {t}"
                );
            }
        }
    }
}
