//! `read_case_log` on Parquet gives the same log as on the same rows in CSV, whether the file
//! keeps its text columns dictionary-encoded (one dictionary per row group, or spilling to
//! plain pages midway) or plain: the scan maps dictionary values to case and activity numbers
//! once per dictionary, and must still number them in order of first appearance in the rows.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Float64Array, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use trailmap_engine::log::{By, CaseLog, LogOptions, read_case_log};

/// (case id, seconds after 2026-01-01T00:00Z, event, revenue); `None` is a NULL.
type Row = (Option<&'static str>, i64, Option<&'static str>, Option<f64>);

/// Interleaved cases, a case with rows out of time order and a tie, a blank and a missing case
/// id, a missing and an empty event name, a case id with spaces around it, and a case that
/// comes back in a later row group.
const ROWS: &[Row] = &[
    (Some("c2"), 100, Some("home"), None),
    (Some("c1"), 300, Some("search"), Some(1.0)),
    (Some("c1"), 200, Some("buy"), Some(20.0)),
    (Some("  "), 150, Some("home"), None),
    (Some("c2"), 130, Some("search"), None),
    (Some("c1"), 200, Some("home"), None),
    (Some("c3"), 50, None, Some(4.0)),
    (None, 60, Some("buy"), None),
    (Some(" c3 "), 70, Some("survey"), None),
    (Some("c4"), 80, Some(""), None),
    (Some("c4"), 90, Some("home"), None),
    (Some("c2"), 400, Some("buy"), Some(2.5)),
    (Some("c5"), 10, Some("renewed"), None),
    (Some("c1"), 500, Some("survey"), None),
];

const BASE: i64 = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z in µs

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!(
            "trailmap-log-parquet-{name}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Many rows across several batches and row groups: 40,000 events of 3,000 customers in a
/// stream that interleaves them, with a blank case id and a missing event now and then.
fn many_rows() -> Vec<Row> {
    const CASES: [&str; 8] = ["a", "b", "c", "d", "e", "f", "g", " "];
    const EVENTS: [Option<&str>; 5] = [Some("home"), Some("search"), Some("buy"), None, Some("x")];
    // Leaked once per test run, so rows can borrow like the literal ones.
    let names: &'static [String] = Box::leak(
        (0..3000)
            .map(|i| format!("{}{i}", CASES[i % CASES.len()]))
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    let mut state = 0x2545_f491_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..40_000)
        .map(|i| {
            let case = &names[(next() % 3000) as usize];
            let case = if case.starts_with(' ') {
                " "
            } else {
                case.as_str()
            };
            (
                Some(case),
                i as i64 + (next() % 5) as i64,
                EVENTS[(next() % 5) as usize],
                None,
            )
        })
        .collect()
}

fn batch(rows: &[Row]) -> RecordBatch {
    let schema = Arc::new(Schema::new(vec![
        Field::new("customer_id", DataType::Utf8, true),
        Field::new(
            "timestamp",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            false,
        ),
        Field::new("event", DataType::Utf8, true),
        Field::new("revenue", DataType::Float64, true),
        // Read by nothing: a Parquet reader that decodes only what it needs skips it.
        Field::new("note", DataType::Utf8, true),
    ]));
    RecordBatch::try_new(
        schema,
        vec![
            Arc::new(StringArray::from_iter(rows.iter().map(|r| r.0))),
            Arc::new(
                TimestampMicrosecondArray::from_iter_values(
                    rows.iter().map(|r| BASE + r.1 * 1_000_000),
                )
                .with_timezone("UTC"),
            ),
            Arc::new(StringArray::from_iter(rows.iter().map(|r| r.2))),
            Arc::new(Float64Array::from_iter(rows.iter().map(|r| r.3))),
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|_| "not needed"),
            )),
        ],
    )
    .unwrap()
}

fn write_parquet(path: &Path, rows: &[Row], properties: WriterProperties) {
    let batch = batch(rows);
    let file = std::fs::File::create(path).unwrap();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

fn write_csv(path: &Path, rows: &[Row]) {
    let mut text = String::from("customer_id,timestamp,event,revenue,note\n");
    for (case, seconds, event, revenue) in rows {
        let time = chrono::DateTime::from_timestamp_micros(BASE + seconds * 1_000_000)
            .unwrap()
            .to_rfc3339();
        let revenue = revenue.map(|r| r.to_string()).unwrap_or_default();
        // CSV has no NULL: a missing value is an empty field, as the reader treats it.
        text += &format!(
            "\"{}\",{time},{},{revenue},not needed\n",
            case.unwrap_or(""),
            event.unwrap_or("")
        );
    }
    std::fs::write(path, text).unwrap();
}

fn read(path: &Path, by: By) -> CaseLog {
    let map = trailmap_check::parse(MAP)
        .map
        .expect("the test map is valid");
    let options = LogOptions {
        events: vec![path.to_owned()],
        by,
        value_col: Some("revenue".to_owned()),
        skip_bad_rows: true,
        ..LogOptions::default()
    };
    // By event without a map, so no expression reads `event` and it too stays a dictionary.
    let map = (by == By::Step).then_some(&map);
    read_case_log(map, &options, &mut |_| {}).unwrap()
}

const MAP: &str = r#"
trailmap: 1
journey: {id: tiny, name: Tiny, kind: purchase, state: current}
departments: [{id: d, name: D}]
stages:
  - id: first
    name: First
    steps:
      - {id: visit, name: Visit, department: d, match: "event IN ('home', 'search')"}
      - {id: buy, name: Buy, department: d, match: "event = 'buy'"}
outcomes:
  renewal: "event = 'renewed'"
"#;

/// Everything a reader of the log sees, as text.
fn summary(log: &CaseLog) -> Vec<String> {
    let mut out = vec![
        format!("activities: {:?}", log.activities),
        format!(
            "rows read {}, dropped {}, bad {}",
            log.rows_read, log.rows_dropped, log.bad_rows.count
        ),
    ];
    for (c, case) in log.cases.iter().enumerate() {
        let events: Vec<String> = log
            .case_events(c)
            .iter()
            .map(|e| {
                format!(
                    "{}@{}",
                    log.activities[e.activity as usize],
                    (e.time - BASE) / 1_000_000
                )
            })
            .collect();
        out.push(format!(
            "{}: {} outcomes={:b} value={:?}",
            log.case_id(case),
            events.join(" "),
            case.outcomes,
            case.value
        ));
    }
    out
}

#[test]
fn parquet_dictionary_plain_and_spilled_files_read_as_the_same_csv() {
    let dir = Dir::new("same");
    let (few, many) = (ROWS.to_vec(), many_rows());
    let files = [
        // A dictionary per row group of 4 rows (few) or 15,000 (many): cases come back under
        // new dictionaries, and a batch of the reader spans several.
        (
            "dictionary.parquet",
            WriterProperties::builder()
                .set_max_row_group_row_count(Some(4))
                .build(),
        ),
        (
            "dictionary-15000.parquet",
            WriterProperties::builder()
                .set_max_row_group_row_count(Some(15_000))
                .build(),
        ),
        (
            "plain.parquet",
            WriterProperties::builder()
                .set_dictionary_enabled(false)
                .build(),
        ),
        // A dictionary page too small for the values: pages after it fall back to plain.
        (
            "spilled.parquet",
            WriterProperties::builder()
                .set_dictionary_page_size_limit(8)
                .set_data_page_row_count_limit(2)
                .set_write_batch_size(2)
                .build(),
        ),
    ];
    for (rows, label) in [(&few, "few"), (&many, "many")] {
        let csv = dir.0.join(format!("{label}.csv"));
        write_csv(&csv, rows);
        for by in [By::Event, By::Step] {
            let expected = summary(&read(&csv, by));
            for (name, properties) in files.clone() {
                let path = dir.0.join(format!("{label}-{name}"));
                write_parquet(&path, rows, properties);
                assert_eq!(
                    summary(&read(&path, by)),
                    expected,
                    "{label} {name}, {by:?}"
                );
            }
        }
    }
}

#[test]
fn the_expected_log_is_the_one_described() {
    // The comparison above is only worth something if the CSV reading is right.
    let dir = Dir::new("expected");
    let path = dir.0.join("dictionary.parquet");
    write_parquet(
        &path,
        ROWS,
        WriterProperties::builder()
            .set_max_row_group_row_count(Some(4))
            .build(),
    );
    let log = read(&path, By::Event);
    assert_eq!(
        summary(&log),
        [
            r#"activities: ["home", "search", "buy", "survey", "renewed"]"#,
            // 14 rows: the blank and the missing case id are bad; the missing and the empty
            // event name are dropped.
            "rows read 14, dropped 2, bad 2",
            "c2: home@100 search@130 buy@400 outcomes=0 value=Some(2.5)",
            "c1: buy@200 home@200 search@300 survey@500 outcomes=0 value=Some(21.0)",
            "c3: survey@70 outcomes=0 value=Some(4.0)",
            "c4: home@90 outcomes=0 value=Some(0.0)",
            "c5: renewed@10 outcomes=0 value=Some(0.0)",
        ]
    );
}

#[test]
fn only_the_needed_columns_are_decoded_and_text_keeps_its_dictionary() {
    use trailmap_engine::source::{Columns, open_columns};
    let dir = Dir::new("columns");
    let path = dir.0.join("dictionary.parquet");
    write_parquet(&path, ROWS, WriterProperties::builder().build());
    let wanted = Columns {
        only: Some(vec!["CUSTOMER_ID".to_owned(), "timestamp".to_owned()]),
        as_dictionary: vec!["customer_id".to_owned()],
    };
    let mut opened = open_columns(&path, None, Default::default(), &wanted).unwrap();
    // The file's columns are all reported (for "missing column" messages)...
    assert_eq!(
        opened.columns,
        ["customer_id", "timestamp", "event", "revenue", "note"]
    );
    // ...but a batch holds only the ones asked for, the text one as a dictionary.
    let batch = opened.batches.next().unwrap().unwrap().batch;
    let schema = batch.schema();
    let types: Vec<(&str, &DataType)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().as_str(), f.data_type()))
        .collect();
    assert_eq!(
        types,
        [
            (
                "customer_id",
                &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
            ),
            (
                "timestamp",
                &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
            ),
        ]
    );
}
