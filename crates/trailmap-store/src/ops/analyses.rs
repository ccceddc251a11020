//! Analyses attached to a map: uploaded `result.json`, or background analyze jobs.
//!
//! A job's life: [`Store::queue_analysis`] (queued, with its input files) →
//! [`Store::claim_next_analysis`] (running; the worker reads its inputs with
//! [`Store::analysis_inputs`]) → [`Store::set_analysis_progress`]* →
//! [`Store::finish_analysis`] (done, with the result) or [`Store::fail_analysis`].
//! The worker methods take no principal: only the server's own worker calls them.

use crate::backend::{Conn, ConnExt, Value, read_conn, write_tx};
use crate::error::StoreError;
use crate::ids::{AnalysisId, MapId, UserId};
use crate::policy::Action;
use crate::principal::Principal;
use crate::time::now_millis;
use crate::types::{ActivityKind, Analysis, AnalysisInfo, AnalysisInput, AnalysisStatus};
use crate::{Result, Store, text};

use super::access::{acting_user, authorize_map};
use super::{feed, rows};

/// Largest `result.json` accepted.
const MAX_RESULT_BYTES: usize = 64 * 1024 * 1024;

impl Store {
    /// Attaches an uploaded `result.json` (editor); status done. The store keeps the text as is;
    /// the caller has checked it parses.
    pub async fn attach_analysis(
        &self,
        principal: &Principal,
        map: MapId,
        name: &str,
        version: Option<i64>,
        result_json: &str,
    ) -> Result<AnalysisInfo> {
        let actor = acting_user(principal, Action::AttachAnalysis)?;
        let name = text::check_text("name", name, 200)?;
        check_result(result_json)?;
        write_tx!(&self.backend, conn => {
            let found = authorize_map(conn, principal, map, Action::AttachAnalysis).await?;
            check_version(version, found.latest_version)?;
            let id = insert(conn, map, version, name, AnalysisStatus::Done, Some(result_json), actor).await?;
            feed::record(conn, found.workspace, Some(map), Some(actor), ActivityKind::AnalysisAttached, name).await?;
            info_by_id(conn, id).await
        })
    }

    /// Queues a background analyze run over uploaded files (editor); status queued.
    pub async fn queue_analysis(
        &self,
        principal: &Principal,
        map: MapId,
        name: &str,
        version: Option<i64>,
        inputs: Vec<AnalysisInput>,
    ) -> Result<AnalysisInfo> {
        let actor = acting_user(principal, Action::AttachAnalysis)?;
        let name = text::check_text("name", name, 200)?;
        if inputs.is_empty() {
            return Err(StoreError::invalid(
                "inputs",
                "upload at least one events file",
            ));
        }
        for input in &inputs {
            text::check_text("inputs", &input.name, 255)?;
        }
        write_tx!(&self.backend, conn => {
            let found = authorize_map(conn, principal, map, Action::AttachAnalysis).await?;
            check_version(version, found.latest_version)?;
            let id = insert(conn, map, version, name, AnalysisStatus::Queued, None, actor).await?;
            for (position, input) in inputs.iter().enumerate() {
                conn.execute(
                    "INSERT INTO analysis_inputs (analysis_id, position, name, bytes) VALUES ($1, $2, $3, $4)",
                    &[Value::I64(id.0), Value::I64(position as i64), Value::Str(&input.name), Value::Bytes(&input.bytes)],
                )
                .await?;
            }
            feed::record(conn, found.workspace, Some(map), Some(actor), ActivityKind::AnalysisQueued, name).await?;
            info_by_id(conn, id).await
        })
    }

    /// A map's analyses, newest first, without results.
    pub async fn list_analyses(
        &self,
        principal: &Principal,
        map: MapId,
    ) -> Result<Vec<AnalysisInfo>> {
        read_conn!(&self.backend, conn => {
            authorize_map(conn, principal, map, Action::ViewMap).await?;
            let sql = format!("SELECT {} FROM analyses n WHERE n.map_id = $1 ORDER BY n.id DESC", rows::ANALYSIS_COLUMNS);
            conn.fetch_all(&sql, &[Value::I64(map.0)]).await?.iter().map(rows::analysis_info).collect()
        })
    }

    /// One analysis with its result.
    pub async fn analysis(&self, principal: &Principal, id: AnalysisId) -> Result<Analysis> {
        read_conn!(&self.backend, conn => {
            let sql = format!("SELECT {}, n.result_json FROM analyses n WHERE n.id = $1", rows::ANALYSIS_COLUMNS);
            let row = conn.fetch_one("analysis", &sql, &[Value::I64(id.0)]).await?;
            let info = rows::analysis_info(&row)?;
            authorize_map(conn, principal, info.map, Action::ViewMap).await.map_err(hide_as_analysis)?;
            Ok(Analysis { info, result_json: row.opt_string("result_json")? })
        })
    }

    /// Deletes an analysis (editor).
    pub async fn delete_analysis(&self, principal: &Principal, id: AnalysisId) -> Result<()> {
        write_tx!(&self.backend, conn => {
            let info = info_by_id(conn, id).await?;
            authorize_map(conn, principal, info.map, Action::AttachAnalysis).await.map_err(hide_as_analysis)?;
            conn.execute("DELETE FROM analyses WHERE id = $1", &[Value::I64(id.0)]).await?;
            Ok(())
        })
    }

    /// Worker: takes the oldest queued job and marks it running; `None` if there is none.
    /// Safe with several workers: a job is claimed once (the status check is in the UPDATE).
    pub async fn claim_next_analysis(&self) -> Result<Option<AnalysisInfo>> {
        write_tx!(&self.backend, conn => {
            let Some(row) = conn
                .fetch_optional("SELECT id FROM analyses WHERE status = 'queued' ORDER BY id LIMIT 1", &[])
                .await?
            else {
                return Ok(None);
            };
            let id = AnalysisId(row.i64("id")?);
            let claimed = conn
                .execute(
                    "UPDATE analyses SET status = 'running', progress = 0, updated_at = $1 WHERE id = $2 AND status = 'queued'",
                    &[Value::I64(now_millis()), Value::I64(id.0)],
                )
                .await?;
            if claimed == 0 {
                return Ok(None);
            }
            Ok(Some(info_by_id(conn, id).await?))
        })
    }

    /// Worker: the uploaded files of a job, in upload order.
    pub async fn analysis_inputs(&self, id: AnalysisId) -> Result<Vec<AnalysisInput>> {
        read_conn!(&self.backend, conn => {
            let found = conn
                .fetch_all(
                    "SELECT name, bytes FROM analysis_inputs WHERE analysis_id = $1 ORDER BY position",
                    &[Value::I64(id.0)],
                )
                .await?;
            found.iter().map(|r| Ok(AnalysisInput { name: r.string("name")?, bytes: r.bytes("bytes")? })).collect()
        })
    }

    /// Worker: the job's progress, 0.0 to 1.0 (clamped). Only a running job moves.
    pub async fn set_analysis_progress(&self, id: AnalysisId, progress: f64) -> Result<()> {
        let progress = if progress.is_finite() {
            progress.clamp(0.0, 1.0)
        } else {
            0.0
        };
        write_tx!(&self.backend, conn => {
            conn.execute(
                "UPDATE analyses SET progress = $1, updated_at = $2 WHERE id = $3 AND status = 'running'",
                &[Value::F64(progress), Value::I64(now_millis()), Value::I64(id.0)],
            )
            .await?;
            Ok(())
        })
    }

    /// Worker: the job finished with this `result.json`; its inputs are deleted.
    pub async fn finish_analysis(&self, id: AnalysisId, result_json: &str) -> Result<()> {
        check_result(result_json)?;
        write_tx!(&self.backend, conn => {
            let info = info_by_id(conn, id).await?;
            conn.execute(
                "UPDATE analyses SET status = 'done', progress = 1, error = NULL, result_json = $1, updated_at = $2 WHERE id = $3",
                &[Value::Str(result_json), Value::I64(now_millis()), Value::I64(id.0)],
            )
            .await?;
            end_job(conn, &info, ActivityKind::AnalysisFinished, &info.name).await
        })
    }

    /// Worker: the job failed; `error` is shown to people. Its inputs are deleted.
    pub async fn fail_analysis(&self, id: AnalysisId, error: &str) -> Result<()> {
        // The message is shown, not parsed: keep it even if some input put a NUL in it.
        let error = error.replace('\0', "\u{fffd}");
        let error = error.as_str();
        write_tx!(&self.backend, conn => {
            let info = info_by_id(conn, id).await?;
            conn.execute(
                "UPDATE analyses SET status = 'failed', error = $1, updated_at = $2 WHERE id = $3",
                &[Value::Str(error), Value::I64(now_millis()), Value::I64(id.0)],
            )
            .await?;
            let detail = format!("{}: {}", info.name, text::excerpt(error, 200));
            end_job(conn, &info, ActivityKind::AnalysisFailed, &detail).await
        })
    }

    /// At startup: jobs left running by a process that died go back to queued; returns how many.
    pub async fn requeue_interrupted_analyses(&self) -> Result<u64> {
        write_tx!(&self.backend, conn => {
            conn.execute(
                "UPDATE analyses SET status = 'queued', progress = 0, updated_at = $1 WHERE status = 'running'",
                &[Value::I64(now_millis())],
            )
            .await
        })
    }
}

fn check_result(result_json: &str) -> Result<()> {
    if result_json.len() > MAX_RESULT_BYTES {
        return Err(StoreError::invalid("result_json", "is larger than 64 MiB"));
    }
    if result_json.contains('\0') {
        return Err(StoreError::invalid(
            "result_json",
            "must not contain NUL characters",
        ));
    }
    Ok(())
}

fn check_version(version: Option<i64>, latest: i64) -> Result<()> {
    match version {
        Some(v) if !(1..=latest).contains(&v) => Err(StoreError::invalid(
            "version",
            format!("map has versions 1 to {latest}"),
        )),
        _ => Ok(()),
    }
}

fn hide_as_analysis(e: StoreError) -> StoreError {
    match e {
        StoreError::NotFound { .. } => StoreError::not_found("analysis"),
        other => other,
    }
}

async fn insert<C: Conn>(
    conn: &mut C,
    map: MapId,
    version: Option<i64>,
    name: &str,
    status: AnalysisStatus,
    result_json: Option<&str>,
    actor: UserId,
) -> Result<AnalysisId> {
    let now = now_millis();
    let progress = if status == AnalysisStatus::Done {
        1.0
    } else {
        0.0
    };
    let id = conn
        .fetch_one(
            "analysis",
            "INSERT INTO analyses (map_id, version, name, status, progress, result_json, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
            &[
                Value::I64(map.0),
                Value::OptI64(version),
                Value::Str(name),
                Value::Str(status.as_str()),
                Value::F64(progress),
                Value::OptStr(result_json),
                Value::I64(actor.0),
                Value::I64(now),
            ],
        )
        .await?
        .i64("id")?;
    Ok(AnalysisId(id))
}

async fn end_job<C: Conn>(
    conn: &mut C,
    info: &AnalysisInfo,
    kind: ActivityKind,
    detail: &str,
) -> Result<()> {
    conn.execute(
        "DELETE FROM analysis_inputs WHERE analysis_id = $1",
        &[Value::I64(info.id.0)],
    )
    .await?;
    let row = conn
        .fetch_one(
            "map",
            "SELECT workspace_id FROM maps WHERE id = $1",
            &[Value::I64(info.map.0)],
        )
        .await?;
    let workspace = crate::ids::WorkspaceId(row.i64("workspace_id")?);
    feed::record(
        conn,
        workspace,
        Some(info.map),
        info.created_by,
        kind,
        detail,
    )
    .await
}

async fn info_by_id<C: Conn>(conn: &mut C, id: AnalysisId) -> Result<AnalysisInfo> {
    let sql = format!(
        "SELECT {} FROM analyses n WHERE n.id = $1",
        rows::ANALYSIS_COLUMNS
    );
    rows::analysis_info(
        &conn
            .fetch_one("analysis", &sql, &[Value::I64(id.0)])
            .await?,
    )
}
