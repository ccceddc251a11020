//! Column lists and row decoders shared by the operations, so each entity is read one way.

use crate::Result;
use crate::backend::Row;
use crate::error::StoreError;
use crate::ids::{
    ActivityId, AnalysisId, ApiTokenId, CommentId, InvitationId, MapId, ShareLinkId, UserId,
    WorkspaceId,
};
use crate::policy::Role;
use crate::types::{
    Activity, ActivityKind, AnalysisInfo, AnalysisStatus, ApiToken, Comment, Invitation, Map,
    MapState, ShareLink, User, UserSummary, VersionInfo, Workspace,
};

pub(crate) fn role(s: &str) -> Result<Role> {
    Role::parse(s)
        .ok_or_else(|| StoreError::Internal(format!("unknown role {s:?} in the database")))
}

/// `users u`.
pub(crate) const USER_COLUMNS: &str = "u.id AS u_id, u.email AS u_email, u.handle AS u_handle, u.display_name AS u_display_name, \
     u.site_admin AS u_site_admin, u.created_at AS u_created_at";

pub(crate) fn user(row: &Row) -> Result<User> {
    Ok(User {
        id: UserId(row.i64("u_id")?),
        email: row.string("u_email")?,
        handle: row.string("u_handle")?,
        display_name: row.string("u_display_name")?,
        site_admin: row.bool("u_site_admin")?,
        created_at: row.i64("u_created_at")?,
    })
}

/// A user summary from columns `{prefix}_id`, `{prefix}_handle`, `{prefix}_name` (all NULL
/// when the user is gone or absent).
pub(crate) fn summary(row: &Row, prefix: &str) -> Result<Option<UserSummary>> {
    let Some(id) = row.opt_i64(&format!("{prefix}_id"))? else {
        return Ok(None);
    };
    Ok(Some(UserSummary {
        id: UserId(id),
        handle: row
            .opt_string(&format!("{prefix}_handle"))?
            .unwrap_or_default(),
        display_name: row
            .opt_string(&format!("{prefix}_name"))?
            .unwrap_or_default(),
    }))
}

/// `workspaces w`.
pub(crate) const WORKSPACE_COLUMNS: &str =
    "w.id AS w_id, w.slug AS w_slug, w.name AS w_name, w.created_at AS w_created_at";

pub(crate) fn workspace(row: &Row) -> Result<Workspace> {
    Ok(Workspace {
        id: WorkspaceId(row.i64("w_id")?),
        slug: row.string("w_slug")?,
        name: row.string("w_name")?,
        created_at: row.i64("w_created_at")?,
    })
}

/// `maps m`.
pub(crate) const MAP_COLUMNS: &str = "m.id AS m_id, m.workspace_id AS m_workspace_id, m.slug AS m_slug, m.title AS m_title, \
     m.state AS m_state, m.journey_id AS m_journey_id, m.counterpart_id AS m_counterpart_id, \
     m.latest_version AS m_latest_version, m.created_by AS m_created_by, \
     m.created_at AS m_created_at, m.updated_at AS m_updated_at";

pub(crate) fn map(row: &Row) -> Result<Map> {
    let state = row.string("m_state")?;
    Ok(Map {
        id: MapId(row.i64("m_id")?),
        workspace: WorkspaceId(row.i64("m_workspace_id")?),
        slug: row.string("m_slug")?,
        title: row.string("m_title")?,
        state: MapState::parse(&state)
            .ok_or_else(|| StoreError::Internal(format!("unknown map state {state:?}")))?,
        journey_id: row.opt_string("m_journey_id")?,
        counterpart: row.opt_i64("m_counterpart_id")?.map(MapId),
        latest_version: row.i64("m_latest_version")?,
        created_by: row.opt_i64("m_created_by")?.map(UserId),
        created_at: row.i64("m_created_at")?,
        updated_at: row.i64("m_updated_at")?,
    })
}

/// `map_versions v LEFT JOIN users a ON a.id = v.author_id`.
pub(crate) const VERSION_COLUMNS: &str = "v.map_id AS v_map_id, v.number AS v_number, v.message AS v_message, \
     v.restored_from AS v_restored_from, CAST(LENGTH(v.yaml) AS BIGINT) AS v_size, \
     v.created_at AS v_created_at, a.id AS a_id, a.handle AS a_handle, a.display_name AS a_name";

pub(crate) fn version_info(row: &Row) -> Result<VersionInfo> {
    Ok(VersionInfo {
        map: MapId(row.i64("v_map_id")?),
        number: row.i64("v_number")?,
        author: summary(row, "a")?,
        message: row.string("v_message")?,
        restored_from: row.opt_i64("v_restored_from")?,
        size_bytes: row.i64("v_size")?,
        created_at: row.i64("v_created_at")?,
    })
}

/// `comments c LEFT JOIN users a ON a.id = c.author_id`.
pub(crate) const COMMENT_COLUMNS: &str = "c.id AS c_id, c.map_id AS c_map_id, c.version AS c_version, c.target AS c_target, \
     c.parent_id AS c_parent_id, c.body AS c_body, c.resolved AS c_resolved, \
     c.resolved_by AS c_resolved_by, c.created_at AS c_created_at, \
     a.id AS a_id, a.handle AS a_handle, a.display_name AS a_name";

/// A comment without its mentions (filled in by the caller).
pub(crate) fn comment(row: &Row) -> Result<Comment> {
    Ok(Comment {
        id: CommentId(row.i64("c_id")?),
        map: MapId(row.i64("c_map_id")?),
        version: row.opt_i64("c_version")?,
        target: row.string("c_target")?,
        parent: row.opt_i64("c_parent_id")?.map(CommentId),
        author: summary(row, "a")?,
        body: row.string("c_body")?,
        mentions: Vec::new(),
        resolved: row.bool("c_resolved")?,
        resolved_by: row.opt_i64("c_resolved_by")?.map(UserId),
        created_at: row.i64("c_created_at")?,
    })
}

/// `invitations i`.
pub(crate) const INVITATION_COLUMNS: &str = "i.id AS i_id, i.workspace_id AS i_workspace_id, i.email AS i_email, i.role AS i_role, \
     i.invited_by AS i_invited_by, i.created_at AS i_created_at, i.expires_at AS i_expires_at, \
     i.accepted_by AS i_accepted_by, i.revoked_at AS i_revoked_at";

pub(crate) fn invitation(row: &Row) -> Result<Invitation> {
    Ok(Invitation {
        id: InvitationId(row.i64("i_id")?),
        workspace: WorkspaceId(row.i64("i_workspace_id")?),
        email: row.opt_string("i_email")?,
        role: role(&row.string("i_role")?)?,
        invited_by: UserId(row.i64("i_invited_by")?),
        created_at: row.i64("i_created_at")?,
        expires_at: row.i64("i_expires_at")?,
        accepted_by: row.opt_i64("i_accepted_by")?.map(UserId),
        revoked_at: row.opt_i64("i_revoked_at")?,
    })
}

/// `activity e LEFT JOIN users a ON a.id = e.actor_id`.
pub(crate) const ACTIVITY_COLUMNS: &str = "e.id AS e_id, e.workspace_id AS e_workspace_id, e.map_id AS e_map_id, e.kind AS e_kind, \
     e.detail AS e_detail, e.created_at AS e_created_at, \
     a.id AS a_id, a.handle AS a_handle, a.display_name AS a_name";

pub(crate) fn activity(row: &Row) -> Result<Activity> {
    let kind = row.string("e_kind")?;
    Ok(Activity {
        id: ActivityId(row.i64("e_id")?),
        workspace: WorkspaceId(row.i64("e_workspace_id")?),
        map: row.opt_i64("e_map_id")?.map(MapId),
        actor: summary(row, "a")?,
        kind: ActivityKind::parse(&kind)
            .ok_or_else(|| StoreError::Internal(format!("unknown activity kind {kind:?}")))?,
        detail: row.string("e_detail")?,
        created_at: row.i64("e_created_at")?,
    })
}

/// `share_links s`.
pub(crate) const SHARE_LINK_COLUMNS: &str = "s.id AS s_id, s.map_id AS s_map_id, s.created_by AS s_created_by, s.created_at AS s_created_at, \
     s.expires_at AS s_expires_at, s.revoked_at AS s_revoked_at, s.last_used_at AS s_last_used_at";

pub(crate) fn share_link(row: &Row) -> Result<ShareLink> {
    Ok(ShareLink {
        id: ShareLinkId(row.i64("s_id")?),
        map: MapId(row.i64("s_map_id")?),
        created_by: row.opt_i64("s_created_by")?.map(UserId),
        created_at: row.i64("s_created_at")?,
        expires_at: row.opt_i64("s_expires_at")?,
        revoked_at: row.opt_i64("s_revoked_at")?,
        last_used_at: row.opt_i64("s_last_used_at")?,
    })
}

/// `api_tokens t`.
pub(crate) const API_TOKEN_COLUMNS: &str = "t.id AS t_id, t.user_id AS t_user_id, t.name AS t_name, t.created_at AS t_created_at, \
     t.last_used_at AS t_last_used_at, t.revoked_at AS t_revoked_at";

pub(crate) fn api_token(row: &Row) -> Result<ApiToken> {
    Ok(ApiToken {
        id: ApiTokenId(row.i64("t_id")?),
        user: UserId(row.i64("t_user_id")?),
        name: row.string("t_name")?,
        created_at: row.i64("t_created_at")?,
        last_used_at: row.opt_i64("t_last_used_at")?,
        revoked_at: row.opt_i64("t_revoked_at")?,
    })
}

/// `analyses n`.
pub(crate) const ANALYSIS_COLUMNS: &str = "n.id AS n_id, n.map_id AS n_map_id, n.version AS n_version, n.name AS n_name, \
     n.status AS n_status, n.progress AS n_progress, n.error AS n_error, \
     n.created_by AS n_created_by, n.created_at AS n_created_at, n.updated_at AS n_updated_at";

pub(crate) fn analysis_info(row: &Row) -> Result<AnalysisInfo> {
    let status = row.string("n_status")?;
    Ok(AnalysisInfo {
        id: AnalysisId(row.i64("n_id")?),
        map: MapId(row.i64("n_map_id")?),
        version: row.opt_i64("n_version")?,
        name: row.string("n_name")?,
        status: AnalysisStatus::parse(&status)
            .ok_or_else(|| StoreError::Internal(format!("unknown analysis status {status:?}")))?,
        progress: row.f64("n_progress")?,
        error: row.opt_string("n_error")?,
        created_by: row.opt_i64("n_created_by")?.map(UserId),
        created_at: row.i64("n_created_at")?,
        updated_at: row.i64("n_updated_at")?,
    })
}
