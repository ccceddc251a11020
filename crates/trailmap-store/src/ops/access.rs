//! Looking up a principal's standing and applying [`crate::policy::can`]: every operation
//! goes through [`authorize_map`] or [`authorize_workspace`] (or, for site actions,
//! [`authorize_site`]) before touching data.

use crate::backend::{Conn, ConnExt, Value, read_conn};
use crate::error::StoreError;
use crate::ids::{MapId, UserId, WorkspaceId};
use crate::policy::{self, Action, Resource, Role, Standing};
use crate::principal::{Principal, PrincipalKind};
use crate::time::now_millis;
use crate::types::Map;
use crate::{Result, Store};

use super::rows;

impl Store {
    /// True if `principal` may do `action` on `resource`, by [`crate::policy::can`] with the
    /// principal's current role in the resource's workspace. A map resource whose map is not in
    /// the named workspace is refused.
    pub async fn can(
        &self,
        principal: &Principal,
        action: Action,
        resource: Resource,
    ) -> Result<bool> {
        read_conn!(&self.backend, conn => {
            if let Resource::Map { workspace, map } = resource {
                let found = conn
                    .fetch_optional("SELECT workspace_id FROM maps WHERE id = $1", &[Value::I64(map.0)])
                    .await?;
                match found {
                    Some(row) if row.i64("workspace_id")? == workspace.0 => {}
                    _ => return Ok(false),
                }
            }
            let standing = standing(conn, principal, &resource).await?;
            Ok(policy::can(&standing, action, &resource))
        })
    }
}

/// The user's role in a workspace, if a member.
pub(crate) async fn role_in<C: Conn>(
    conn: &mut C,
    user: UserId,
    workspace: WorkspaceId,
) -> Result<Option<Role>> {
    let row = conn
        .fetch_optional(
            "SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2",
            &[Value::I64(workspace.0), Value::I64(user.0)],
        )
        .await?;
    match row {
        None => Ok(None),
        Some(row) => rows::role(&row.string("role")?).map(Some),
    }
}

/// The principal's standing towards a resource, looked up now (roles change; links get revoked).
pub(crate) async fn standing<C: Conn>(
    conn: &mut C,
    principal: &Principal,
    resource: &Resource,
) -> Result<Standing> {
    let via = principal.via();
    let workspace = match resource {
        Resource::Site => None,
        Resource::Workspace(w) | Resource::Map { workspace: w, .. } => Some(*w),
    };
    match &principal.kind {
        PrincipalKind::ShareLink { link, .. } => {
            // A link revoked or expired since the principal was made opens nothing.
            let live = conn
                .fetch_optional(
                    "SELECT id FROM share_links WHERE id = $1 AND revoked_at IS NULL \
                     AND (expires_at IS NULL OR expires_at > $2)",
                    &[Value::I64(link.0), Value::I64(now_millis())],
                )
                .await?
                .is_some();
            let via = if live {
                via
            } else {
                policy::Via::ShareLink(MapId(-1))
            };
            Ok(Standing {
                via,
                site_admin: false,
                role: None,
            })
        }
        PrincipalKind::User { user } | PrincipalKind::ApiToken { user, .. } => {
            let role = match workspace {
                Some(w) => role_in(conn, *user, w).await?,
                None => None,
            };
            Ok(Standing {
                via,
                site_admin: principal.site_admin,
                role,
            })
        }
    }
}

/// Loads a map and checks `action` on it: [`StoreError::NotFound`] if the principal may not
/// even view it (or it does not exist), [`StoreError::Forbidden`] if it may view but not do this.
pub(crate) async fn authorize_map<C: Conn>(
    conn: &mut C,
    principal: &Principal,
    map: MapId,
    action: Action,
) -> Result<Map> {
    let sql = format!("SELECT {} FROM maps m WHERE m.id = $1", rows::MAP_COLUMNS);
    let row = conn.fetch_one("map", &sql, &[Value::I64(map.0)]).await?;
    let found = rows::map(&row)?;
    let resource = Resource::Map {
        workspace: found.workspace,
        map: found.id,
    };
    let standing = standing(conn, principal, &resource).await?;
    if !policy::can(&standing, Action::ViewMap, &resource) {
        return Err(StoreError::not_found("map"));
    }
    if !policy::can(&standing, action, &resource) {
        return Err(StoreError::Forbidden { action });
    }
    Ok(found)
}

/// Checks `action` on a workspace: [`StoreError::NotFound`] for non-members (and unknown ids),
/// [`StoreError::Forbidden`] for members whose role is too low. Returns the member's role.
pub(crate) async fn authorize_workspace<C: Conn>(
    conn: &mut C,
    principal: &Principal,
    workspace: WorkspaceId,
    action: Action,
) -> Result<Role> {
    let resource = Resource::Workspace(workspace);
    let standing = standing(conn, principal, &resource).await?;
    let Some(role) = standing.role else {
        return Err(StoreError::not_found("workspace"));
    };
    if !policy::can(&standing, action, &resource) {
        return Err(StoreError::Forbidden { action });
    }
    Ok(role)
}

/// Checks a site-level action; returns the acting user.
pub(crate) fn authorize_site(principal: &Principal, action: Action) -> Result<UserId> {
    let standing = Standing {
        via: principal.via(),
        site_admin: principal.site_admin,
        role: None,
    };
    match principal.user_id() {
        Some(user) if policy::can(&standing, action, &Resource::Site) => Ok(user),
        _ => Err(StoreError::Forbidden { action }),
    }
}

/// The acting user, for writes that need an author: share links cannot write.
pub(crate) fn acting_user(principal: &Principal, action: Action) -> Result<UserId> {
    principal.user_id().ok_or(StoreError::Forbidden { action })
}
