//! Maps: create (with version 1), list, read, change metadata, delete.

use crate::error::StoreError;
use crate::ids::{MapId, WorkspaceId};
use crate::principal::Principal;
use crate::types::{Map, MapChanges, NewMap, Version};
use crate::{Result, Store};

impl Store {
    /// Creates a map with its version 1 (editor). [`StoreError::AlreadyExists`] if the slug is
    /// taken in the workspace.
    pub async fn create_map(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        new: NewMap,
    ) -> Result<(Map, Version)> {
        let _ = (principal, workspace, new);
        Err(StoreError::Unsupported("create_map"))
    }

    /// The maps the principal may see, most recently updated first: in one workspace, or in
    /// all the user's workspaces with `None`. A share link sees only its map.
    pub async fn list_maps(
        &self,
        principal: &Principal,
        workspace: Option<WorkspaceId>,
    ) -> Result<Vec<Map>> {
        let _ = (principal, workspace);
        Err(StoreError::Unsupported("list_maps"))
    }

    /// One map ([`StoreError::NotFound`] if the principal may not see it).
    pub async fn map(&self, principal: &Principal, id: MapId) -> Result<Map> {
        let _ = (principal, id);
        Err(StoreError::Unsupported("map"))
    }

    /// One map by workspace and slug.
    pub async fn map_by_slug(
        &self,
        principal: &Principal,
        workspace: WorkspaceId,
        slug: &str,
    ) -> Result<Map> {
        let _ = (principal, workspace, slug);
        Err(StoreError::Unsupported("map_by_slug"))
    }

    /// Changes title, state or counterpart (editor). The counterpart must be a map of the same
    /// workspace, not the map itself. Creates no version.
    pub async fn update_map(
        &self,
        principal: &Principal,
        id: MapId,
        changes: MapChanges,
    ) -> Result<Map> {
        let _ = (principal, id, changes);
        Err(StoreError::Unsupported("update_map"))
    }

    /// Deletes a map with its versions, comments, share links and analyses (owner).
    /// Its activity stays in the workspace feed.
    pub async fn delete_map(&self, principal: &Principal, id: MapId) -> Result<()> {
        let _ = (principal, id);
        Err(StoreError::Unsupported("delete_map"))
    }
}
