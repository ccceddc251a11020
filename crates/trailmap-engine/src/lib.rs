//! The evidence engine: measures a journey map against customer event data.
//!
//! ```text
//! files ──source──▶ record batches ──scan──▶ compact rows ──measure──▶ Analysis (result.json)
//!                      (Arrow)        (masks from       (sorted per customer,
//!                                      SQL predicates)   one pass each)
//! ```
//!
//! - [`source`] streams CSV, JSON Lines and Parquet files (gzipped or not) as Arrow batches.
//! - [`expr`] evaluates the map's SQL expressions on whole batches with Arrow kernels.
//! - `scan` folds each batch into 32-byte rows: which steps and outcomes an event matches, its
//!   feedback, channel and text. Events that matter to no figure are only counted.
//! - `measure` sorts the rows by customer and time (the one pipeline breaker: memory grows with
//!   the number of *relevant* events, about 32 bytes each) and computes every figure in one pass
//!   per customer, for all customers and for each persona.
//!
//! Why not DataFusion: the work is one scan with boolean predicates and a per-customer state
//! machine, not relational queries. Arrow's compute kernels give the vectorised predicates;
//! DataFusion would add a SQL planner, an async runtime and ten minutes to every clean build on
//! two cores, for nothing this pass uses. The expressions are parsed by `sqlparser`, the parser
//! DataFusion uses, so moving to DataFusion later (e.g. for a distributed engine) keeps every
//! map valid.
//!
//! **Architecture invariant:** the engine reads files but never writes any, and knows nothing of
//! the CLI or HTTP; progress is reported through a callback.

pub mod error;
pub mod expr;
pub mod log;
mod measure;
pub mod parallel;
mod persona;
mod plan;
mod scan;
pub mod sentiment;
pub mod source;
pub mod stats;
pub mod time;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rustc_hash::FxHashSet;
use trailmap_model::Map;
use trailmap_model::analysis::{
    Analysis, EventCount, InputFile, Inputs, JourneyRef, KpiCheck, MomentOfTruth, OutcomeBaseline,
    RESULT_VERSION, Settings, StageResult, StepResult, StrongestOutcome, TimeSpan, Unmapped,
};

pub use error::{EngineError, ExprSite};
pub use scan::ColumnNames;
pub use source::{FileFormat, ReadOptions};
pub use time::Zone;

/// What to analyse and how.
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    pub events: Vec<PathBuf>,
    pub events_format: Option<FileFormat>,
    pub customers: Option<PathBuf>,
    pub columns: ColumnNames,
    pub zone: Zone,
    pub zone_name: String,
    pub feedback_window_s: i64,
    pub outcome_window_s: i64,
    pub repeat_window_s: i64,
    /// Only this persona's customers.
    pub persona: Option<String>,
    /// Only events at or after this time (microseconds since the epoch).
    pub since: Option<i64>,
    /// Only events before this time.
    pub until: Option<i64>,
    pub skip_bad_rows: bool,
}

/// Progress of a long analysis, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Event rows read so far.
    pub rows: u64,
    /// Files finished, of `files`.
    pub files_done: usize,
    pub files: usize,
    /// Bytes of the current file read so far, when known (not for compressed files).
    pub phase: Phase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Scanning,
    Measuring,
}

/// Measures `map` against the events. `progress` is called after every batch.
pub fn analyze(
    map: &Map,
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Analysis, EngineError> {
    let plan = plan::Plan::new(map)?;
    let read = ReadOptions {
        skip_bad_rows: options.skip_bad_rows,
    };
    let mut customers = scan::Interner::default();
    let persona_idx = match &options.persona {
        Some(id) => Some(
            map.personas
                .iter()
                .position(|p| &p.id == id)
                .ok_or_else(|| {
                    EngineError::Unsupported(format!("the map has no persona `{id}`"))
                })?,
        ),
        None => None,
    };
    let (assignment, customers_input) = match &options.customers {
        Some(path) => {
            let assignment = persona::assign(
                &plan,
                path,
                None,
                &options.columns.customer_id,
                &mut customers,
                read,
            )?;
            let input = InputFile {
                path: path.display().to_string(),
                format: FileFormat::from_path(path)
                    .map_or("?", FileFormat::as_str)
                    .to_owned(),
                rows: assignment.rows,
            };
            (assignment.persona_of, Some(input))
        }
        None => {
            if persona_idx.is_some() {
                return Err(EngineError::Unsupported(
                    "--persona needs --customers: personas are recognised by their rule over customer attributes".to_owned(),
                ));
            }
            (Default::default(), None)
        }
    };
    let only: Option<FxHashSet<u32>> = persona_idx.map(|p| {
        assignment
            .iter()
            .filter(|&(_, &q)| q as usize == p)
            .map(|(&c, _)| c)
            .collect()
    });

    // Open every file first, so a missing column is reported before any row is scanned.
    let mut opened = Vec::with_capacity(options.events.len());
    for path in &options.events {
        let file = source::open(path, options.events_format, read)?;
        for (column, role) in [
            (&options.columns.customer_id, "the customer id"),
            (&options.columns.timestamp, "the event time"),
        ] {
            if !file.columns.iter().any(|c| c.eq_ignore_ascii_case(column)) {
                return Err(EngineError::MissingColumn {
                    path: path.clone(),
                    column: column.clone(),
                    role,
                    available: file.columns.clone(),
                });
            }
        }
        plan::check_columns(plan.event_predicates(), &file.columns, path)?;
        opened.push(file);
    }

    let mut scan = scan::Scan::new(customers);
    let settings = scan::ScanSettings {
        columns: &options.columns,
        zone: options.zone,
        since: options.since,
        until: options.until,
        skip_bad_rows: options.skip_bad_rows,
        only_customers: only.as_ref(),
    };
    let n_files = opened.len();
    let mut inputs = Vec::with_capacity(n_files);
    for (idx, file) in opened.into_iter().enumerate() {
        let before = scan.event_rows;
        for batch in file.batches {
            let batch = batch?;
            scan.add(&plan, &batch, &file.path, &settings)?;
            progress(Progress {
                rows: scan.event_rows,
                files_done: idx,
                files: n_files,
                phase: Phase::Scanning,
            });
        }
        inputs.push(InputFile {
            path: file.path.display().to_string(),
            format: file.format.as_str().to_owned(),
            rows: scan.event_rows - before,
        });
    }
    progress(Progress {
        rows: scan.event_rows,
        files_done: n_files,
        files: n_files,
        phase: Phase::Measuring,
    });

    let windows = measure::Windows {
        feedback_us: options.feedback_window_s * 1_000_000,
        outcome_us: options.outcome_window_s * 1_000_000,
        repeat_us: options.repeat_window_s * 1_000_000,
    };
    let mut measured = measure::measure(&plan, &mut scan, &assignment, &windows);
    Ok(assemble(
        map,
        &plan,
        &scan,
        &mut measured,
        options,
        inputs,
        customers_input,
    ))
}

/// Group index of each reported persona (group 0 is everyone).
fn persona_groups(plan: &plan::Plan) -> Vec<(String, usize)> {
    let mut groups: Vec<(String, usize)> = plan
        .personas
        .iter()
        .enumerate()
        .map(|(p, (id, _))| (id.clone(), 1 + p))
        .collect();
    groups.push(("unassigned".to_owned(), plan.personas.len() + 1));
    groups
}

fn assemble(
    map: &Map,
    plan: &plan::Plan,
    scan: &scan::Scan,
    measured: &mut measure::Measured,
    options: &AnalyzeOptions,
    events: Vec<InputFile>,
    customers: Option<InputFile>,
) -> Analysis {
    // Personas with at least one analysed customer.
    let groups: Vec<(String, usize)> = persona_groups(plan)
        .into_iter()
        .filter(|(_, g)| measured.customers(*g) > 0)
        .collect();
    let steps: Vec<StepResult> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(s, step)| StepResult {
            id: step.id.clone(),
            stage: plan.stages[step.stage_idx].clone(),
            figures: measured.step_figures(plan, scan, 0, s),
            personas: groups
                .iter()
                .map(|(id, g)| (id.clone(), measured.step_figures(plan, scan, *g, s)))
                .collect(),
        })
        .collect();
    let stages = (0..plan.stages.len())
        .map(|k| {
            let all = measured.stage_figures(plan, 0, k);
            StageResult {
                id: plan.stages[k].clone(),
                reach: all.reach,
                reached_next: all.reached_next,
                conversion: all.conversion,
                median_time_in_stage_s: all.median_time_in_stage_s,
                personas: groups
                    .iter()
                    .map(|(id, g)| (id.clone(), measured.stage_figures(plan, *g, k)))
                    .collect(),
            }
        })
        .collect();
    let outcomes = plan
        .outcomes
        .iter()
        .enumerate()
        .map(|(o, (name, _))| {
            (
                name.clone(),
                OutcomeBaseline {
                    customers: measured.outcome_customers(0, o),
                    baseline: measured.baseline(0, o),
                    personas: groups
                        .iter()
                        .map(|(id, g)| (id.clone(), measured.baseline(*g, o)))
                        .collect(),
                },
            )
        })
        .collect();
    let personas: BTreeMap<String, u64> = groups
        .iter()
        .map(|(id, g)| (id.clone(), measured.customers(*g)))
        .collect();
    let unmapped_total: u64 = scan.unmapped.values().sum();
    let mut top: Vec<(&str, u64)> = scan
        .unmapped
        .iter()
        .map(|(k, &v)| (k.as_ref(), v))
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let unmapped = Unmapped {
        events: unmapped_total,
        share: (scan.analysed_events > 0)
            .then(|| unmapped_total as f64 / scan.analysed_events as f64),
        top: top
            .iter()
            .take(20)
            .map(|&(event, count)| EventCount {
                event: event.to_owned(),
                count,
                share: count as f64 / unmapped_total as f64,
            })
            .collect(),
    };
    let kpis = kpi_checks(map, &steps);
    let kpi_breaches = kpis
        .iter()
        .filter(|k| k.met == Some(false))
        .cloned()
        .collect();
    let moments_of_truth = moments_of_truth(map, &steps);
    Analysis {
        version: RESULT_VERSION,
        journey: JourneyRef {
            id: map.journey.id.clone(),
            name: map.journey.name.clone(),
            state: map.journey.state.as_str().to_owned(),
        },
        inputs: Inputs {
            events,
            customers,
            event_rows: scan.event_rows,
            analysed_events: scan.analysed_events,
            customers_analysed: measured.customers(0),
            time_span: (scan.analysed_events > 0).then(|| TimeSpan {
                from: time::format_micros(scan.min_ts),
                to: time::format_micros(scan.max_ts),
            }),
            bad_rows: scan.bad_rows.count,
            bad_row_examples: scan.bad_rows.examples.clone(),
            settings: Settings {
                time_zone: options.zone_name.clone(),
                feedback_window_s: options.feedback_window_s,
                outcome_window_s: options.outcome_window_s,
                repeat_window_s: options.repeat_window_s,
                persona: options.persona.clone(),
                since: options.since.map(time::format_micros),
                until: options.until.map(time::format_micros),
                significance_test: stats::SIGNIFICANCE_TEST.to_owned(),
            },
        },
        zero_reach: steps
            .iter()
            .filter(|s| s.figures.reach == 0)
            .map(|s| s.id.clone())
            .collect(),
        steps,
        stages,
        outcomes,
        personas,
        unmapped,
        kpi_breaches,
        kpis,
        moments_of_truth,
        periods: Vec::new(),
    }
}

fn kpi_checks(map: &Map, steps: &[StepResult]) -> Vec<KpiCheck> {
    use trailmap_model::Metric;
    let mut out = Vec::new();
    for (s, result) in map.steps().zip(steps) {
        let f = &result.figures;
        for kpi in &s.step.kpis {
            let actual = match kpi.metric {
                Metric::Reach => Some(f.reach as f64),
                Metric::Conversion => f.continue_rate,
                Metric::DropOff => f.drop_off_rate,
                Metric::TimeToNext => f.time_to_next.median_s,
                Metric::Nps => f.feedback.nps.score,
                Metric::Csat => f.feedback.csat.score,
                Metric::Ces => f.feedback.ces.score,
                Metric::Sentiment => f.sentiment.mean,
                Metric::RepeatContact => f.repeat.share,
                Metric::Outcome => kpi
                    .outcome
                    .as_ref()
                    .and_then(|o| f.outcomes.get(o))
                    .and_then(|o| o.rate_after),
            };
            let direction = kpi.direction();
            out.push(KpiCheck {
                step: s.step.id.clone(),
                metric: kpi.metric.as_str().to_owned(),
                outcome: kpi.outcome.clone(),
                target: kpi.target,
                direction: direction.as_str().to_owned(),
                actual,
                met: actual.map(|a| direction.is_met(a, kpi.target)),
            });
        }
    }
    out
}

/// The lift at or beyond which (or its inverse at or below) an outcome effect is "strong".
const STRONG_LIFT: f64 = 1.5;
/// The p-value below which an outcome effect is significant.
const SIGNIFICANT_P: f64 = 0.01;

/// How far a lift is from 1, either way: `|ln lift|`, with a lift of 0 (the outcome never follows
/// the step) the strongest effect of all.
fn effect(lift: f64) -> f64 {
    if lift <= 0.0 {
        f64::MAX
    } else {
        lift.ln().abs()
    }
}

fn moments_of_truth(map: &Map, steps: &[StepResult]) -> Vec<MomentOfTruth> {
    let mut out: Vec<((bool, f64), MomentOfTruth)> = map
        .steps()
        .zip(steps)
        .map(|(s, result)| {
            let strongest = result
                .figures
                .outcomes
                .iter()
                .filter_map(|(name, o)| Some((name, o.lift?, o.p_value)))
                // Significant effects first, then the largest.
                .max_by(|a, b| {
                    let significant = |p: Option<f64>| p.is_some_and(|p| p < SIGNIFICANT_P);
                    significant(a.2)
                        .cmp(&significant(b.2))
                        .then(effect(a.1).total_cmp(&effect(b.1)))
                });
            let data_says = result.figures.outcomes.values().any(|o| {
                o.lift
                    .is_some_and(|l| l >= STRONG_LIFT || l <= 1.0 / STRONG_LIFT)
                    && o.p_value.is_some_and(|p| p < SIGNIFICANT_P)
            });
            let map_says = s.step.moment_of_truth;
            let verdict = match (map_says, data_says) {
                (true, true) => "agree",
                (true, false) => "map_only",
                (false, true) => "data_only",
                (false, false) => "agree",
            };
            let strength = strongest.map_or(0.0, |(_, lift, _)| effect(lift));
            (
                // Confirmed effects first, then by strength.
                (data_says, strength),
                MomentOfTruth {
                    step: s.step.id.clone(),
                    map_says,
                    data_says,
                    verdict: verdict.to_owned(),
                    strongest: strongest.map(|(name, lift, p_value)| StrongestOutcome {
                        outcome: name.clone(),
                        lift,
                        p_value,
                    }),
                },
            )
        })
        .filter(|(_, m)| m.map_says || m.data_says)
        .collect();
    out.sort_by(|a, b| {
        b.0.0
            .cmp(&a.0.0)
            .then(b.0.1.total_cmp(&a.0.1))
            .then(a.1.step.cmp(&b.1.step))
    });
    out.into_iter().map(|(_, m)| m).collect()
}
