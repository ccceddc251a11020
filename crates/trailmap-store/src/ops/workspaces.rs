//! Workspaces, members and invitations.

use crate::backend::{Conn, ConnExt, Dialect, Value, read_conn, write_tx};
use crate::error::StoreError;
use crate::ids::{InvitationId, UserId, WorkspaceId};
use crate::policy::{Action, Role};
use crate::principal::Principal;
use crate::time::{UnixMillis, now_millis};
use crate::types::{
    ActivityKind, Invitation, Member, Secret, UserSummary, Workspace, WorkspaceMembership,
};
use crate::{Result, Store, secret, text};

use super::access::{acting_user, authorize_site, authorize_workspace, role_in};
use super::accounts::{unique_as_exists, user_by_id};
use super::{feed, rows};

impl Store {
    /// Creates a workspace; the acting user becomes its owner.
    /// [`StoreError::AlreadyExists`] if the slug is taken.
    pub async fn create_workspace(
        &self,
        principal: &Principal,
        slug: &str,
        name: &str,
    ) -> Result<Workspace> {
        let user = authorize_site(principal, Action::CreateWorkspace)?;
        text::check_slug("slug", slug, 60)?;
        let name = text::check_text("name", name, 100)?;
        write_tx!(&self.backend, conn => {
            let workspace = insert_workspace(conn, slug, name).await?;
            insert_member(conn, workspace.id, user, Role::Owner).await?;
            feed::record(conn, workspace.id, None, Some(user), ActivityKind::MemberJoined, "owner").await?;
            Ok(workspace)
        })
    }

    /// The workspaces the acting user is a member of, with their role, by name.
    /// A share link sees none.
    pub async fn list_workspaces(&self, principal: &Principal) -> Result<Vec<WorkspaceMembership>> {
        let Some(user) = principal.user_id() else {
            return Ok(Vec::new());
        };
        read_conn!(&self.backend, conn => {
            let sql = format!(
                "SELECT {}, ms.role FROM workspaces w JOIN memberships ms ON ms.workspace_id = w.id \
                 WHERE ms.user_id = $1 ORDER BY LOWER(w.name), w.id",
                rows::WORKSPACE_COLUMNS
            );
            let found = conn.fetch_all(&sql, &[Value::I64(user.0)]).await?;
            found
                .iter()
                .map(|row| Ok(WorkspaceMembership { workspace: rows::workspace(row)?, role: rows::role(&row.string("role")?)? }))
                .collect()
        })
    }

    /// One workspace and the acting user's role in it ([`StoreError::NotFound`] for non-members).
    pub async fn workspace(
        &self,
        principal: &Principal,
        id: WorkspaceId,
    ) -> Result<WorkspaceMembership> {
        read_conn!(&self.backend, conn => {
            let role = authorize_workspace(conn, principal, id, Action::ViewWorkspace).await?;
            Ok(WorkspaceMembership { workspace: workspace_by_id(conn, id).await?, role })
        })
    }

    /// Like [`Store::workspace`], by slug.
    pub async fn workspace_by_slug(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> Result<WorkspaceMembership> {
        if text::check_slug("slug", slug, 60).is_err() {
            return Err(StoreError::not_found("workspace"));
        }
        let id = read_conn!(&self.backend, conn => {
            conn.fetch_one("workspace", "SELECT id FROM workspaces WHERE slug = $1", &[Value::Str(slug)])
                .await?
                .i64("id")
        })?;
        self.workspace(principal, WorkspaceId(id)).await
    }

    /// Renames a workspace (owner).
    pub async fn rename_workspace(
        &self,
        principal: &Principal,
        id: WorkspaceId,
        name: &str,
    ) -> Result<Workspace> {
        let name = text::check_text("name", name, 100)?;
        write_tx!(&self.backend, conn => {
            authorize_workspace(conn, principal, id, Action::ManageWorkspace).await?;
            conn.execute("UPDATE workspaces SET name = $1 WHERE id = $2", &[Value::Str(name), Value::I64(id.0)])
                .await?;
            workspace_by_id(conn, id).await
        })
    }

    /// The members of a workspace, by display name (any member may see them).
    pub async fn list_members(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
    ) -> Result<Vec<Member>> {
        read_conn!(&self.backend, conn => {
            authorize_workspace(conn, principal, workspace, Action::ViewWorkspace).await?;
            let found = conn
                .fetch_all(
                    "SELECT u.id AS u_id, u.handle AS u_handle, u.display_name AS u_name, ms.role, ms.joined_at \
                     FROM memberships ms JOIN users u ON u.id = ms.user_id \
                     WHERE ms.workspace_id = $1 ORDER BY LOWER(u.display_name), u.id",
                    &[Value::I64(workspace.0)],
                )
                .await?;
            found.iter().map(member).collect()
        })
    }

    /// Changes a member's role (owner). Refuses to demote the last owner ([`StoreError::Invalid`]).
    pub async fn set_member_role(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        user: UserId,
        role: Role,
    ) -> Result<Member> {
        let actor = acting_user(principal, Action::ManageMembers)?;
        write_tx!(&self.backend, conn => {
            authorize_workspace(conn, principal, workspace, Action::ManageMembers).await?;
            lock_memberships(conn, workspace).await?;
            let current = role_in(conn, user, workspace).await?.ok_or(StoreError::not_found("member"))?;
            if current == Role::Owner && role != Role::Owner {
                ensure_another_owner(conn, workspace).await?;
            }
            conn.execute(
                "UPDATE memberships SET role = $1 WHERE workspace_id = $2 AND user_id = $3",
                &[Value::Str(role.as_str()), Value::I64(workspace.0), Value::I64(user.0)],
            )
            .await?;
            let target = user_by_id(conn, user).await?;
            let detail = format!("@{}: {} → {}", target.handle, current, role);
            feed::record(conn, workspace, None, Some(actor), ActivityKind::MemberRoleChanged, &detail).await?;
            member_row(conn, workspace, user).await
        })
    }

    /// Removes a member (owner; or any member removing themselves). Refuses to remove the last owner.
    pub async fn remove_member(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        user: UserId,
    ) -> Result<()> {
        let actor = acting_user(principal, Action::ManageMembers)?;
        write_tx!(&self.backend, conn => {
            let action = if actor == user { Action::ViewWorkspace } else { Action::ManageMembers };
            authorize_workspace(conn, principal, workspace, action).await?;
            lock_memberships(conn, workspace).await?;
            let current = role_in(conn, user, workspace).await?.ok_or(StoreError::not_found("member"))?;
            if current == Role::Owner {
                ensure_another_owner(conn, workspace).await?;
            }
            conn.execute(
                "DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2",
                &[Value::I64(workspace.0), Value::I64(user.0)],
            )
            .await?;
            let target = user_by_id(conn, user).await?;
            let detail = format!("@{}", target.handle);
            feed::record(conn, workspace, None, Some(actor), ActivityKind::MemberRemoved, &detail).await?;
            Ok(())
        })
    }

    /// Invites someone to a workspace with a role (owner). `email`, if given, is the only
    /// address that may accept. Returns the invitation and its token (shown once; put it in
    /// the link `/signup?invite=TOKEN`).
    pub async fn create_invitation(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        email: Option<&str>,
        role: Role,
        expires_at: UnixMillis,
    ) -> Result<(Invitation, Secret)> {
        let actor = acting_user(principal, Action::ManageMembers)?;
        let email = email.map(text::normalize_email).transpose()?;
        if expires_at <= now_millis() {
            return Err(StoreError::invalid("expires_at", "must be in the future"));
        }
        let token = secret::generate();
        let hash = secret::hash(token.expose());
        let invitation = write_tx!(&self.backend, conn => {
            authorize_workspace(conn, principal, workspace, Action::ManageMembers).await?;
            let id = conn
                .fetch_one(
                    "invitation",
                    "INSERT INTO invitations (token_hash, workspace_id, email, role, invited_by, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    &[
                        Value::Str(&hash),
                        Value::I64(workspace.0),
                        Value::OptStr(email.as_deref()),
                        Value::Str(role.as_str()),
                        Value::I64(actor.0),
                        Value::I64(now_millis()),
                        Value::I64(expires_at),
                    ],
                )
                .await?
                .i64("id")?;
            let detail = format!("invited as {role}");
            feed::record(conn, workspace, None, Some(actor), ActivityKind::InvitationCreated, &detail).await?;
            invitation_by_id(conn, InvitationId(id)).await
        })?;
        Ok((invitation, token))
    }

    /// A workspace's invitations, newest first (owner).
    pub async fn list_invitations(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
    ) -> Result<Vec<Invitation>> {
        read_conn!(&self.backend, conn => {
            authorize_workspace(conn, principal, workspace, Action::ManageMembers).await?;
            let sql = format!(
                "SELECT {} FROM invitations i WHERE i.workspace_id = $1 ORDER BY i.id DESC",
                rows::INVITATION_COLUMNS
            );
            conn.fetch_all(&sql, &[Value::I64(workspace.0)]).await?.iter().map(rows::invitation).collect()
        })
    }

    /// Revokes an unused invitation (owner of its workspace).
    pub async fn revoke_invitation(&self, principal: &Principal, id: InvitationId) -> Result<()> {
        write_tx!(&self.backend, conn => {
            let invitation = invitation_by_id(conn, id).await?;
            authorize_workspace(conn, principal, invitation.workspace, Action::ManageMembers).await?;
            conn.execute(
                "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL AND accepted_by IS NULL",
                &[Value::I64(now_millis()), Value::I64(id.0)],
            )
            .await?;
            Ok(())
        })
    }

    /// What an invitation token offers, for the sign-up page: the invitation and its
    /// workspace. `None` if unknown, expired, revoked or used.
    pub async fn invitation_by_token(
        &self,
        token: &str,
    ) -> Result<Option<(Invitation, Workspace)>> {
        let hash = secret::hash(token);
        read_conn!(&self.backend, conn => {
            match valid_invitation(conn, &hash).await? {
                None => Ok(None),
                Some(invitation) => {
                    let workspace = workspace_by_id(conn, invitation.workspace).await?;
                    Ok(Some((invitation, workspace)))
                }
            }
        })
    }

    /// A signed-in user accepts an invitation: joins its workspace with its role (keeping a
    /// higher role if already a member). [`StoreError::InvitationRequired`] if it is not valid.
    pub async fn accept_invitation(
        &self,
        principal: &Principal,
        token: &str,
    ) -> Result<WorkspaceMembership> {
        let user = acting_user(principal, Action::ManageOwnAccount)?;
        let hash = secret::hash(token);
        write_tx!(&self.backend, conn => {
            let invitation = valid_invitation(conn, &hash).await?.ok_or(StoreError::InvitationRequired)?;
            let me = user_by_id(conn, user).await?;
            if invitation.email.as_deref().is_some_and(|e| e != me.email) {
                return Err(StoreError::InvitationRequired);
            }
            use_invitation(conn, invitation.id, user).await?;
            let role = match role_in(conn, user, invitation.workspace).await? {
                Some(current) if current.at_least(invitation.role) => current,
                Some(_) => {
                    conn.execute(
                        "UPDATE memberships SET role = $1 WHERE workspace_id = $2 AND user_id = $3",
                        &[Value::Str(invitation.role.as_str()), Value::I64(invitation.workspace.0), Value::I64(user.0)],
                    )
                    .await?;
                    invitation.role
                }
                None => {
                    insert_member(conn, invitation.workspace, user, invitation.role).await?;
                    invitation.role
                }
            };
            feed::record(conn, invitation.workspace, None, Some(user), ActivityKind::MemberJoined, role.as_str())
                .await?;
            Ok(WorkspaceMembership { workspace: workspace_by_id(conn, invitation.workspace).await?, role })
        })
    }
}

fn member(row: &crate::backend::Row) -> Result<Member> {
    Ok(Member {
        user: UserSummary {
            id: UserId(row.i64("u_id")?),
            handle: row.string("u_handle")?,
            display_name: row.string("u_name")?,
        },
        role: rows::role(&row.string("role")?)?,
        joined_at: row.i64("joined_at")?,
    })
}

async fn member_row<C: Conn>(conn: &mut C, workspace: WorkspaceId, user: UserId) -> Result<Member> {
    let row = conn
        .fetch_one(
            "member",
            "SELECT u.id AS u_id, u.handle AS u_handle, u.display_name AS u_name, ms.role, ms.joined_at \
             FROM memberships ms JOIN users u ON u.id = ms.user_id \
             WHERE ms.workspace_id = $1 AND ms.user_id = $2",
            &[Value::I64(workspace.0), Value::I64(user.0)],
        )
        .await?;
    member(&row)
}

/// Serializes membership changes of one workspace, so two owners demoting each other at once
/// cannot leave it with none. SQLite writers are serialized already; on PostgreSQL this takes
/// the workspace row's lock until the transaction ends.
async fn lock_memberships<C: Conn>(conn: &mut C, workspace: WorkspaceId) -> Result<()> {
    if conn.dialect() == Dialect::Postgres {
        conn.execute(
            "SELECT id FROM workspaces WHERE id = $1 FOR UPDATE",
            &[Value::I64(workspace.0)],
        )
        .await?;
    }
    Ok(())
}

async fn ensure_another_owner<C: Conn>(conn: &mut C, workspace: WorkspaceId) -> Result<()> {
    let owners = conn
        .fetch_one(
            "members",
            "SELECT COUNT(*) AS n FROM memberships WHERE workspace_id = $1 AND role = 'owner'",
            &[Value::I64(workspace.0)],
        )
        .await?
        .i64("n")?;
    if owners <= 1 {
        return Err(StoreError::invalid(
            "role",
            "a workspace needs at least one owner",
        ));
    }
    Ok(())
}

pub(crate) async fn insert_workspace<C: Conn>(
    conn: &mut C,
    slug: &str,
    name: &str,
) -> Result<Workspace> {
    let id = conn
        .fetch_one(
            "workspace",
            "INSERT INTO workspaces (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id",
            &[Value::Str(slug), Value::Str(name), Value::I64(now_millis())],
        )
        .await
        .map_err(|e| unique_as_exists(e, "workspace", "slug"))?
        .i64("id")?;
    workspace_by_id(conn, WorkspaceId(id)).await
}

pub(crate) async fn insert_member<C: Conn>(
    conn: &mut C,
    workspace: WorkspaceId,
    user: UserId,
    role: Role,
) -> Result<()> {
    conn.execute(
        "INSERT INTO memberships (workspace_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)",
        &[
            Value::I64(workspace.0),
            Value::I64(user.0),
            Value::Str(role.as_str()),
            Value::I64(now_millis()),
        ],
    )
    .await?;
    Ok(())
}

pub(crate) async fn workspace_by_id<C: Conn>(conn: &mut C, id: WorkspaceId) -> Result<Workspace> {
    let sql = format!(
        "SELECT {} FROM workspaces w WHERE w.id = $1",
        rows::WORKSPACE_COLUMNS
    );
    rows::workspace(
        &conn
            .fetch_one("workspace", &sql, &[Value::I64(id.0)])
            .await?,
    )
}

async fn invitation_by_id<C: Conn>(conn: &mut C, id: InvitationId) -> Result<Invitation> {
    let sql = format!(
        "SELECT {} FROM invitations i WHERE i.id = $1",
        rows::INVITATION_COLUMNS
    );
    rows::invitation(
        &conn
            .fetch_one("invitation", &sql, &[Value::I64(id.0)])
            .await?,
    )
}

/// The invitation with this token hash if it can still be accepted.
pub(crate) async fn valid_invitation<C: Conn>(
    conn: &mut C,
    token_hash: &str,
) -> Result<Option<Invitation>> {
    let sql = format!(
        "SELECT {} FROM invitations i WHERE i.token_hash = $1 AND i.revoked_at IS NULL \
         AND i.accepted_by IS NULL AND i.expires_at > $2",
        rows::INVITATION_COLUMNS
    );
    match conn
        .fetch_optional(&sql, &[Value::Str(token_hash), Value::I64(now_millis())])
        .await?
    {
        Some(row) => Ok(Some(rows::invitation(&row)?)),
        None => Ok(None),
    }
}

/// Marks an invitation used; fails if someone used or revoked it meanwhile (compare-and-set).
pub(crate) async fn use_invitation<C: Conn>(
    conn: &mut C,
    id: InvitationId,
    user: UserId,
) -> Result<()> {
    let changed = conn
        .execute(
            "UPDATE invitations SET accepted_by = $1, accepted_at = $2 \
             WHERE id = $3 AND accepted_by IS NULL AND revoked_at IS NULL",
            &[
                Value::I64(user.0),
                Value::I64(now_millis()),
                Value::I64(id.0),
            ],
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::InvitationRequired);
    }
    Ok(())
}
