//! Read-only share links.

use crate::error::StoreError;
use crate::ids::{MapId, ShareLinkId};
use crate::principal::Principal;
use crate::time::UnixMillis;
use crate::types::{Secret, ShareLink};
use crate::{Result, Store};

impl Store {
    /// Makes a read-only link to a map (editor); `expires_at = None` lasts until revoked.
    /// Returns the link and its token (shown once).
    pub async fn create_share_link(
        &self,
        principal: &Principal,
        map: MapId,
        expires_at: Option<UnixMillis>,
    ) -> Result<(ShareLink, Secret)> {
        let _ = (principal, map, expires_at);
        Err(StoreError::Unsupported("create_share_link"))
    }

    /// A map's share links, newest first, including revoked and expired ones (editor).
    pub async fn list_share_links(
        &self,
        principal: &Principal,
        map: MapId,
    ) -> Result<Vec<ShareLink>> {
        let _ = (principal, map);
        Err(StoreError::Unsupported("list_share_links"))
    }

    /// Revokes a share link (editor of its map). Revoking twice is fine.
    pub async fn revoke_share_link(&self, principal: &Principal, id: ShareLinkId) -> Result<()> {
        let _ = (principal, id);
        Err(StoreError::Unsupported("revoke_share_link"))
    }

    /// The principal of a share-link token (records its last use); `None` if unknown,
    /// expired or revoked.
    pub async fn share_link_principal(&self, token: &str) -> Result<Option<Principal>> {
        let _ = token;
        Err(StoreError::Unsupported("share_link_principal"))
    }
}
