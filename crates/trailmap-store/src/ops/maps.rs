//! Maps: create (with version 1), list, read, change metadata, delete.

use crate::backend::{Conn, ConnExt, Value, read_conn, write_tx};
use crate::error::StoreError;
use crate::ids::{MapId, UserId, WorkspaceId};
use crate::policy::Action;
use crate::principal::{Principal, PrincipalKind};
use crate::time::now_millis;
use crate::types::{ActivityKind, Map, MapChanges, NewMap, Version};
use crate::{Result, Store, text};

use super::access::{acting_user, authorize_map, authorize_workspace};
use super::accounts::unique_as_exists;
use super::{feed, rows, versions};

impl Store {
    /// Creates a map with its version 1 (editor). [`StoreError::AlreadyExists`] if the slug is
    /// taken in the workspace.
    pub async fn create_map(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        new: NewMap,
    ) -> Result<(Map, Version)> {
        let actor = acting_user(principal, Action::CreateMap)?;
        text::check_slug("slug", &new.slug, 80)?;
        let title = text::check_text("title", &new.title, 200)?;
        versions::check_yaml(&new.yaml)?;
        versions::check_message(&new.message)?;
        let journey_id = clean_journey_id(new.journey_id.as_deref())?;
        write_tx!(&self.backend, conn => {
            authorize_workspace(conn, principal, workspace, Action::CreateMap).await?;
            let now = now_millis();
            let id = conn
                .fetch_one(
                    "map",
                    "INSERT INTO maps (workspace_id, slug, title, state, journey_id, latest_version, \
                     created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7) RETURNING id",
                    &[
                        Value::I64(workspace.0),
                        Value::Str(&new.slug),
                        Value::Str(title),
                        Value::Str(new.state.as_str()),
                        Value::OptStr(journey_id),
                        Value::I64(actor.0),
                        Value::I64(now),
                    ],
                )
                .await
                .map_err(|e| unique_as_exists(e, "map", "slug"))?
                .i64("id")?;
            let map = MapId(id);
            versions::insert_version(conn, map, 1, &new.yaml, actor, &new.message, None).await?;
            let detail = format!("v1 {}", text::excerpt(&new.message, 120));
            feed::record(conn, workspace, Some(map), Some(actor), ActivityKind::MapCreated, detail.trim_end()).await?;
            Ok((map_by_id(conn, map).await?, versions::version_row(conn, map, 1).await?))
        })
    }

    /// The maps the principal may see, most recently updated first: in one workspace, or in
    /// all the user's workspaces with `None`. A share link sees only its map.
    pub async fn list_maps(
        &self,
        principal: &Principal,
        workspace: Option<WorkspaceId>,
    ) -> Result<Vec<Map>> {
        read_conn!(&self.backend, conn => {
            let found = match &principal.kind {
                PrincipalKind::ShareLink { map, .. } => match authorize_map(conn, principal, *map, Action::ViewMap).await {
                    Ok(m) if workspace.is_none_or(|w| w == m.workspace) => vec![m],
                    Ok(_) | Err(StoreError::NotFound { .. }) => Vec::new(),
                    Err(e) => return Err(e),
                },
                PrincipalKind::User { user } | PrincipalKind::ApiToken { user, .. } => {
                    visible_maps(conn, *user, workspace).await?
                }
            };
            Ok(found)
        })
    }

    /// One map ([`StoreError::NotFound`] if the principal may not see it).
    pub async fn map(&self, principal: &Principal, id: MapId) -> Result<Map> {
        read_conn!(&self.backend, conn => authorize_map(conn, principal, id, Action::ViewMap).await)
    }

    /// One map by workspace and slug.
    pub async fn map_by_slug(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        slug: &str,
    ) -> Result<Map> {
        if text::check_slug("slug", slug, 80).is_err() {
            return Err(StoreError::not_found("map"));
        }
        read_conn!(&self.backend, conn => {
            let row = conn
                .fetch_one(
                    "map",
                    "SELECT id FROM maps WHERE workspace_id = $1 AND slug = $2",
                    &[Value::I64(workspace.0), Value::Str(slug)],
                )
                .await?;
            authorize_map(conn, principal, MapId(row.i64("id")?), Action::ViewMap).await
        })
    }

    /// Changes title, state or counterpart (editor). The counterpart must be a map of the same
    /// workspace, not the map itself. Creates no version.
    pub async fn update_map(
        &self,
        principal: &Principal,
        id: MapId,
        changes: MapChanges,
    ) -> Result<Map> {
        let actor = acting_user(principal, Action::EditMap)?;
        let title = changes
            .title
            .as_deref()
            .map(|t| text::check_text("title", t, 200))
            .transpose()?;
        write_tx!(&self.backend, conn => {
            let map = authorize_map(conn, principal, id, Action::EditMap).await?;
            let mut said = Vec::new();
            if let Some(title) = title {
                conn.execute("UPDATE maps SET title = $1 WHERE id = $2", &[Value::Str(title), Value::I64(id.0)]).await?;
                said.push(format!("title: {}", text::excerpt(title, 80)));
            }
            if let Some(state) = changes.state {
                conn.execute("UPDATE maps SET state = $1 WHERE id = $2", &[Value::Str(state.as_str()), Value::I64(id.0)])
                    .await?;
                said.push(format!("state: {}", state.as_str()));
            }
            if let Some(counterpart) = changes.counterpart {
                if let Some(other) = counterpart {
                    let same_workspace = conn
                        .fetch_optional(
                            "SELECT id FROM maps WHERE id = $1 AND workspace_id = $2",
                            &[Value::I64(other.0), Value::I64(map.workspace.0)],
                        )
                        .await?
                        .is_some();
                    if other == id || !same_workspace {
                        return Err(StoreError::invalid("counterpart", "must be another map of the same workspace"));
                    }
                }
                conn.execute(
                    "UPDATE maps SET counterpart_id = $1 WHERE id = $2",
                    &[Value::OptI64(counterpart.map(|m| m.0)), Value::I64(id.0)],
                )
                .await?;
                said.push(match counterpart {
                    Some(other) => format!("counterpart: map {other}"),
                    None => "counterpart removed".to_owned(),
                });
            }
            if !said.is_empty() {
                conn.execute("UPDATE maps SET updated_at = $1 WHERE id = $2", &[Value::I64(now_millis()), Value::I64(id.0)])
                    .await?;
                feed::record(conn, map.workspace, Some(id), Some(actor), ActivityKind::MapUpdated, &said.join("; ")).await?;
            }
            map_by_id(conn, id).await
        })
    }

    /// Deletes a map with its versions, comments, share links and analyses (owner).
    /// Its activity stays in the workspace feed.
    pub async fn delete_map(&self, principal: &Principal, id: MapId) -> Result<()> {
        let actor = acting_user(principal, Action::DeleteMap)?;
        write_tx!(&self.backend, conn => {
            let map = authorize_map(conn, principal, id, Action::DeleteMap).await?;
            conn.execute("DELETE FROM maps WHERE id = $1", &[Value::I64(id.0)]).await?;
            let detail = format!("{} ({})", text::excerpt(&map.title, 120), map.slug);
            feed::record(conn, map.workspace, None, Some(actor), ActivityKind::MapDeleted, &detail).await?;
            Ok(())
        })
    }
}

pub(crate) fn clean_journey_id(journey_id: Option<&str>) -> Result<Option<&str>> {
    match journey_id.map(str::trim) {
        None | Some("") => Ok(None),
        Some(id) => text::check_text("journey_id", id, 200).map(Some),
    }
}

pub(crate) async fn map_by_id<C: Conn>(conn: &mut C, id: MapId) -> Result<Map> {
    let sql = format!("SELECT {} FROM maps m WHERE m.id = $1", rows::MAP_COLUMNS);
    rows::map(&conn.fetch_one("map", &sql, &[Value::I64(id.0)]).await?)
}

/// Maps in the user's workspaces (all of them, or one): the membership join is the filter.
async fn visible_maps<C: Conn>(
    conn: &mut C,
    user: UserId,
    workspace: Option<WorkspaceId>,
) -> Result<Vec<Map>> {
    let sql = format!(
        "SELECT {} FROM maps m JOIN memberships ms ON ms.workspace_id = m.workspace_id AND ms.user_id = $1 \
         WHERE ($2 IS NULL OR m.workspace_id = $2) ORDER BY m.updated_at DESC, m.id DESC",
        rows::MAP_COLUMNS
    );
    let args = [Value::I64(user.0), Value::OptI64(workspace.map(|w| w.0))];
    conn.fetch_all(&sql, &args)
        .await?
        .iter()
        .map(rows::map)
        .collect()
}
