//! The background analyze worker: one task that takes queued analyses from the store, runs
//! `trailmap_engine::analyze` on a blocking thread (the engine is CPU-bound and must not stall
//! the runtime that serves requests), reports progress, and stores the result or the error.
//!
//! Jobs live in the database, so a job queued before a restart runs after it; a job that was
//! running when the process died is queued again at startup.

use std::time::Duration;

use trailmap_engine::{AnalyzeOptions, ColumnNames, Progress, Zone};
use trailmap_model::Map as Model;
use trailmap_store::{AnalysisId, AnalysisInput};

use crate::state::AppState;

/// Input-name prefix of the map text queued with a job.
pub(crate) const MAP_INPUT: &str = "map:";
/// Input-name prefix of the customers file queued with a job.
pub(crate) const CUSTOMERS_INPUT: &str = "customers:";

/// The running worker; [`Worker::stop`] ends it after the job at hand.
pub struct Worker {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Worker {
    /// Stops the worker after the job at hand.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Starts the background analyze worker (`serve` does; tests that drive the router do it themselves).
pub fn spawn_worker(state: AppState) -> Worker {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        match state.store().requeue_interrupted_analyses().await {
            Ok(n) if n > 0 => {
                eprintln!("trailmap serve: {n} interrupted analysis job(s) queued again")
            }
            Ok(_) => {}
            Err(e) => eprintln!("trailmap serve: cannot requeue analysis jobs: {e}"),
        }
        // Expired sessions and old login attempts are deleted here, hourly: nothing else does.
        let mut last_prune: Option<std::time::Instant> = None;
        loop {
            if *stopped.borrow() {
                break;
            }
            if last_prune.is_none_or(|t| t.elapsed() > Duration::from_secs(3600)) {
                last_prune = Some(std::time::Instant::now());
                let day_ago = trailmap_store::now_millis() - 24 * 3600 * 1000;
                if let Err(e) = state.store().delete_expired(day_ago).await {
                    eprintln!("trailmap serve: cannot prune expired sessions: {e}");
                }
            }
            match state.store().claim_next_analysis().await {
                Ok(Some(job)) => run_job(&state, job.id).await,
                Ok(None) => {
                    // Wait for a new job, a stop, or a periodic look (another process on the
                    // same PostgreSQL may have queued one).
                    tokio::select! {
                        _ = state.jobs().notified() => {}
                        _ = stopped.changed() => {}
                        _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                    }
                }
                Err(trailmap_store::StoreError::Unsupported(_)) => break,
                Err(e) => {
                    eprintln!("trailmap serve: analysis worker: {e}");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            }
        }
    });
    Worker { stop, task }
}

async fn run_job(state: &AppState, id: AnalysisId) {
    let result = run(state, id).await;
    let store = state.store();
    let outcome = match result {
        Ok(json) => store.finish_analysis(id, &json).await,
        Err(message) => store.fail_analysis(id, &message).await,
    };
    if let Err(e) = outcome {
        eprintln!("trailmap serve: cannot record the end of analysis {id}: {e}");
    }
}

/// Runs one job; the error is a message for people.
async fn run(state: &AppState, id: AnalysisId) -> Result<String, String> {
    let store = state.store();
    let mut inputs = store.analysis_inputs(id).await.map_err(|e| e.to_string())?;
    // The map version to measure is queued as the first input (see `pages::evidence`).
    let map_at = inputs
        .iter()
        .position(|i| i.name.starts_with(MAP_INPUT))
        .ok_or("the job has no map")?;
    let yaml =
        String::from_utf8(inputs.remove(map_at).bytes).map_err(|_| "the job's map is not text")?;
    let model = trailmap_check::parse(&yaml)
        .map
        .ok_or("the map version this analysis was queued for has errors")?;
    let (progress_tx, mut progress_rx) = tokio::sync::watch::channel(0.0f64);
    let work = tokio::task::spawn_blocking(move || analyze_files(&model, inputs, progress_tx));
    tokio::pin!(work);
    loop {
        tokio::select! {
            done = &mut work => {
                return done.map_err(|e| format!("the analysis crashed: {e}"))?;
            }
            changed = progress_rx.changed() => {
                if changed.is_ok() {
                    let p = *progress_rx.borrow_and_update();
                    let _ = store.set_analysis_progress(id, p).await;
                }
            }
        }
    }
}

/// Writes the uploads to a private temporary folder and analyses them: files named
/// `customers.*` (or uploaded in the customers field, see `pages::evidence`) are the customers
/// file, every other file is events.
fn analyze_files(
    model: &Model,
    inputs: Vec<AnalysisInput>,
    progress: tokio::sync::watch::Sender<f64>,
) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!(
        "trailmap-analyze-{}-{}",
        std::process::id(),
        crate::auth::csrf::random_token()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    let cleanup = RemoveOnDrop(dir.clone());
    let mut events = Vec::new();
    let mut customers = None;
    for (i, input) in inputs.iter().enumerate() {
        let (is_customers, name) = match input.name.strip_prefix(CUSTOMERS_INPUT) {
            Some(rest) => (true, rest),
            None => (false, input.name.as_str()),
        };
        // Only the file name's last component, prefixed with its number: no path tricks.
        let safe: String = name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("file")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join(format!("{i}-{safe}"));
        std::fs::write(&path, &input.bytes).map_err(|e| format!("cannot write `{name}`: {e}"))?;
        if is_customers {
            customers = Some(path);
        } else {
            events.push(path);
        }
    }
    if events.is_empty() {
        return Err("no event files were uploaded".to_owned());
    }
    let data = &model.data;
    let zone_name = data.time_zone.clone().unwrap_or_else(|| "UTC".to_owned());
    let zone: Zone = zone_name.parse().map_err(|e: String| e)?;
    let window = |w: Option<trailmap_model::Duration>, days: u64| {
        i64::try_from(
            w.unwrap_or(trailmap_model::Duration::from_days(days))
                .seconds(),
        )
        .unwrap_or(i64::MAX)
    };
    let options = AnalyzeOptions {
        events,
        events_format: None,
        customers,
        columns: ColumnNames {
            customer_id: data
                .columns
                .customer_id
                .clone()
                .unwrap_or_else(|| "customer_id".to_owned()),
            timestamp: data
                .columns
                .timestamp
                .clone()
                .unwrap_or_else(|| "timestamp".to_owned()),
            event: data
                .columns
                .event
                .clone()
                .unwrap_or_else(|| "event".to_owned()),
        },
        zone,
        zone_name,
        feedback_window_s: window(data.windows.feedback, 30),
        outcome_window_s: window(data.windows.outcome, 90),
        repeat_window_s: window(data.windows.repeat, 7),
        persona: None,
        since: None,
        until: None,
        skip_bad_rows: false,
    };
    let mut last = 0.0f64;
    let mut report = |p: Progress| {
        let files = p.files.max(1) as f64;
        let fraction = match p.phase {
            trailmap_engine::Phase::Scanning => 0.9 * (p.files_done as f64 / files),
            trailmap_engine::Phase::Measuring => 0.95,
        };
        if fraction - last >= 0.01 {
            last = fraction;
            let _ = progress.send(fraction);
        }
    };
    let analysis =
        trailmap_engine::analyze(model, &options, &mut report).map_err(|e| e.to_string())?;
    drop(cleanup);
    serde_json::to_string_pretty(&analysis).map_err(|e| format!("cannot write the result: {e}"))
}

struct RemoveOnDrop(std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
