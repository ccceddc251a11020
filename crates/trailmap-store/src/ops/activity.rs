//! Activity feeds (entries are written by the operations themselves, in their transaction).

use crate::error::StoreError;
use crate::ids::{MapId, WorkspaceId};
use crate::principal::Principal;
use crate::types::Activity;
use crate::{Result, Store};

impl Store {
    /// A map's activity, newest first, at most `limit` entries (viewer, or its share link).
    pub async fn map_activity(
        &self,
        principal: &Principal,
        map: MapId,
        limit: i64,
    ) -> Result<Vec<Activity>> {
        let _ = (principal, map, limit);
        Err(StoreError::Unsupported("map_activity"))
    }

    /// A workspace's activity over all its maps, newest first (viewer).
    pub async fn workspace_activity(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        limit: i64,
    ) -> Result<Vec<Activity>> {
        let _ = (principal, workspace, limit);
        Err(StoreError::Unsupported("workspace_activity"))
    }
}
