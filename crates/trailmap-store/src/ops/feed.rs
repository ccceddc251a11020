//! Writing activity entries, always on the connection of the transaction that does the thing.

use crate::Result;
use crate::backend::{Conn, Value};
use crate::ids::{MapId, UserId, WorkspaceId};
use crate::time::now_millis;
use crate::types::ActivityKind;

pub(crate) async fn record<C: Conn>(
    conn: &mut C,
    workspace: WorkspaceId,
    map: Option<MapId>,
    actor: Option<UserId>,
    kind: ActivityKind,
    detail: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO activity (workspace_id, map_id, actor_id, kind, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            Value::I64(workspace.0),
            Value::OptI64(map.map(|m| m.0)),
            Value::OptI64(actor.map(|a| a.0)),
            Value::Str(kind.as_str()),
            Value::Str(detail),
            Value::I64(now_millis()),
        ],
    )
    .await?;
    Ok(())
}
