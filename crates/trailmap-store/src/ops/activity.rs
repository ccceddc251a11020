//! Activity feeds (entries are written by the operations themselves, in their transaction).

use crate::backend::{Conn as _, Value, read_conn};
use crate::ids::{MapId, WorkspaceId};
use crate::policy::Action;
use crate::principal::Principal;
use crate::types::Activity;
use crate::{Result, Store};

use super::access::{authorize_map, authorize_workspace};
use super::rows;

/// Most entries one call returns.
const MAX_LIMIT: i64 = 500;

impl Store {
    /// A map's activity, newest first, at most `limit` entries (viewer, or its share link).
    pub async fn map_activity(
        &self,
        principal: &Principal,
        map: MapId,
        limit: i64,
    ) -> Result<Vec<Activity>> {
        read_conn!(&self.backend, conn => {
            authorize_map(conn, principal, map, Action::ViewMap).await?;
            let sql = format!(
                "SELECT {} FROM activity e LEFT JOIN users a ON a.id = e.actor_id \
                 WHERE e.map_id = $1 ORDER BY e.id DESC LIMIT $2",
                rows::ACTIVITY_COLUMNS
            );
            let args = [Value::I64(map.0), Value::I64(limit.clamp(0, MAX_LIMIT))];
            conn.fetch_all(&sql, &args).await?.iter().map(rows::activity).collect()
        })
    }

    /// A workspace's activity over all its maps, newest first (viewer).
    pub async fn workspace_activity(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        limit: i64,
    ) -> Result<Vec<Activity>> {
        read_conn!(&self.backend, conn => {
            authorize_workspace(conn, principal, workspace, Action::ViewWorkspace).await?;
            let sql = format!(
                "SELECT {} FROM activity e LEFT JOIN users a ON a.id = e.actor_id \
                 WHERE e.workspace_id = $1 ORDER BY e.id DESC LIMIT $2",
                rows::ACTIVITY_COLUMNS
            );
            let args = [Value::I64(workspace.0), Value::I64(limit.clamp(0, MAX_LIMIT))];
            conn.fetch_all(&sql, &args).await?.iter().map(rows::activity).collect()
        })
    }
}
