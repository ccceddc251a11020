//! Analyses attached to a map: uploaded `result.json`, or background analyze jobs.
//!
//! A job's life: [`Store::queue_analysis`] (queued, with its input files) →
//! [`Store::claim_next_analysis`] (running; the worker reads its inputs with
//! [`Store::analysis_inputs`]) → [`Store::set_analysis_progress`]* →
//! [`Store::finish_analysis`] (done, with the result) or [`Store::fail_analysis`].
//! The worker methods take no principal: only the server's own worker calls them.

use crate::error::StoreError;
use crate::ids::{AnalysisId, MapId};
use crate::principal::Principal;
use crate::types::{Analysis, AnalysisInfo, AnalysisInput};
use crate::{Result, Store};

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
        let _ = (principal, map, name, version, result_json);
        Err(StoreError::Unsupported("attach_analysis"))
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
        let _ = (principal, map, name, version, inputs);
        Err(StoreError::Unsupported("queue_analysis"))
    }

    /// A map's analyses, newest first, without results.
    pub async fn list_analyses(
        &self,
        principal: &Principal,
        map: MapId,
    ) -> Result<Vec<AnalysisInfo>> {
        let _ = (principal, map);
        Err(StoreError::Unsupported("list_analyses"))
    }

    /// One analysis with its result.
    pub async fn analysis(&self, principal: &Principal, id: AnalysisId) -> Result<Analysis> {
        let _ = (principal, id);
        Err(StoreError::Unsupported("analysis"))
    }

    /// Deletes an analysis (editor).
    pub async fn delete_analysis(&self, principal: &Principal, id: AnalysisId) -> Result<()> {
        let _ = (principal, id);
        Err(StoreError::Unsupported("delete_analysis"))
    }

    /// Worker: takes the oldest queued job and marks it running; `None` if there is none.
    /// Safe with several workers: a job is claimed once.
    pub async fn claim_next_analysis(&self) -> Result<Option<AnalysisInfo>> {
        Err(StoreError::Unsupported("claim_next_analysis"))
    }

    /// Worker: the uploaded files of a job, in upload order.
    pub async fn analysis_inputs(&self, id: AnalysisId) -> Result<Vec<AnalysisInput>> {
        let _ = id;
        Err(StoreError::Unsupported("analysis_inputs"))
    }

    /// Worker: the job's progress, 0.0 to 1.0 (clamped).
    pub async fn set_analysis_progress(&self, id: AnalysisId, progress: f64) -> Result<()> {
        let _ = (id, progress);
        Err(StoreError::Unsupported("set_analysis_progress"))
    }

    /// Worker: the job finished with this `result.json`; its inputs are deleted.
    pub async fn finish_analysis(&self, id: AnalysisId, result_json: &str) -> Result<()> {
        let _ = (id, result_json);
        Err(StoreError::Unsupported("finish_analysis"))
    }

    /// Worker: the job failed; `error` is shown to people. Its inputs are deleted.
    pub async fn fail_analysis(&self, id: AnalysisId, error: &str) -> Result<()> {
        let _ = (id, error);
        Err(StoreError::Unsupported("fail_analysis"))
    }

    /// At startup: jobs left running by a process that died go back to queued; returns how many.
    pub async fn requeue_interrupted_analyses(&self) -> Result<u64> {
        Err(StoreError::Unsupported("requeue_interrupted_analyses"))
    }
}
