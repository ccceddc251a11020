//! Workspaces, members and invitations.

use crate::error::StoreError;
use crate::ids::{InvitationId, UserId, WorkspaceId};
use crate::policy::Role;
use crate::principal::Principal;
use crate::time::UnixMillis;
use crate::types::{Invitation, Member, Secret, Workspace, WorkspaceMembership};
use crate::{Result, Store};

impl Store {
    /// Creates a workspace; the acting user becomes its owner.
    /// [`StoreError::AlreadyExists`] if the slug is taken.
    pub async fn create_workspace(
        &self,
        principal: &Principal,
        slug: &str,
        name: &str,
    ) -> Result<Workspace> {
        let _ = (principal, slug, name);
        Err(StoreError::Unsupported("create_workspace"))
    }

    /// The workspaces the acting user is a member of, with their role, by name.
    /// A share link sees none.
    pub async fn list_workspaces(&self, principal: &Principal) -> Result<Vec<WorkspaceMembership>> {
        let _ = principal;
        Err(StoreError::Unsupported("list_workspaces"))
    }

    /// One workspace and the acting user's role in it ([`StoreError::NotFound`] for non-members).
    pub async fn workspace(
        &self,
        principal: &Principal,
        id: WorkspaceId,
    ) -> Result<WorkspaceMembership> {
        let _ = (principal, id);
        Err(StoreError::Unsupported("workspace"))
    }

    /// Like [`Store::workspace`], by slug.
    pub async fn workspace_by_slug(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> Result<WorkspaceMembership> {
        let _ = (principal, slug);
        Err(StoreError::Unsupported("workspace_by_slug"))
    }

    /// Renames a workspace (owner).
    pub async fn rename_workspace(
        &self,
        principal: &Principal,
        id: WorkspaceId,
        name: &str,
    ) -> Result<Workspace> {
        let _ = (principal, id, name);
        Err(StoreError::Unsupported("rename_workspace"))
    }

    /// The members of a workspace, by display name (any member may see them).
    pub async fn list_members(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
    ) -> Result<Vec<Member>> {
        let _ = (principal, workspace);
        Err(StoreError::Unsupported("list_members"))
    }

    /// Changes a member's role (owner). Refuses to demote the last owner ([`StoreError::Invalid`]).
    pub async fn set_member_role(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        user: UserId,
        role: Role,
    ) -> Result<Member> {
        let _ = (principal, workspace, user, role);
        Err(StoreError::Unsupported("set_member_role"))
    }

    /// Removes a member (owner; or any member removing themselves). Refuses to remove the last owner.
    pub async fn remove_member(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        user: UserId,
    ) -> Result<()> {
        let _ = (principal, workspace, user);
        Err(StoreError::Unsupported("remove_member"))
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
        let _ = (principal, workspace, email, role, expires_at);
        Err(StoreError::Unsupported("create_invitation"))
    }

    /// A workspace's invitations, newest first (owner).
    pub async fn list_invitations(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
    ) -> Result<Vec<Invitation>> {
        let _ = (principal, workspace);
        Err(StoreError::Unsupported("list_invitations"))
    }

    /// Revokes an unused invitation (owner of its workspace).
    pub async fn revoke_invitation(&self, principal: &Principal, id: InvitationId) -> Result<()> {
        let _ = (principal, id);
        Err(StoreError::Unsupported("revoke_invitation"))
    }

    /// What an invitation token offers, for the sign-up page: the invitation and its
    /// workspace's name. `None` if unknown, expired, revoked or used.
    pub async fn invitation_by_token(
        &self,
        token: &str,
    ) -> Result<Option<(Invitation, Workspace)>> {
        let _ = token;
        Err(StoreError::Unsupported("invitation_by_token"))
    }

    /// A signed-in user accepts an invitation: joins its workspace with its role (keeping a
    /// higher role if already a member). [`StoreError::InvitationRequired`] if it is not valid.
    pub async fn accept_invitation(
        &self,
        principal: &Principal,
        token: &str,
    ) -> Result<WorkspaceMembership> {
        let _ = (principal, token);
        Err(StoreError::Unsupported("accept_invitation"))
    }
}
