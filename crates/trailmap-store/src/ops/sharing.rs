//! Read-only share links.

use crate::backend::{Conn, ConnExt, Value, read_conn, write_tx};
use crate::error::StoreError;
use crate::ids::{MapId, ShareLinkId};
use crate::policy::Action;
use crate::principal::{Principal, PrincipalKind};
use crate::time::{UnixMillis, now_millis};
use crate::types::{ActivityKind, Secret, ShareLink};
use crate::{Result, Store, secret};

use super::access::{acting_user, authorize_map};
use super::{feed, rows};

/// A link's last use is written at most this often (each write is an fsync).
const LAST_USED_GRANULARITY_MS: i64 = 60_000;

impl Store {
    /// Makes a read-only link to a map (editor); `expires_at = None` lasts until revoked.
    /// Returns the link and its token (shown once).
    pub async fn create_share_link(
        &self,
        principal: &Principal,
        map: MapId,
        expires_at: Option<UnixMillis>,
    ) -> Result<(ShareLink, Secret)> {
        let actor = acting_user(principal, Action::ManageShareLinks)?;
        if expires_at.is_some_and(|t| t <= now_millis()) {
            return Err(StoreError::invalid("expires_at", "must be in the future"));
        }
        let token = secret::generate();
        let hash = secret::hash(token.expose());
        let link = write_tx!(&self.backend, conn => {
            let found = authorize_map(conn, principal, map, Action::ManageShareLinks).await?;
            let id = conn
                .fetch_one(
                    "share link",
                    "INSERT INTO share_links (token_hash, map_id, created_by, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    &[
                        Value::Str(&hash),
                        Value::I64(map.0),
                        Value::I64(actor.0),
                        Value::I64(now_millis()),
                        Value::OptI64(expires_at),
                    ],
                )
                .await?
                .i64("id")?;
            let detail = match expires_at {
                Some(_) => "read-only link, expires",
                None => "read-only link, until revoked",
            };
            feed::record(conn, found.workspace, Some(map), Some(actor), ActivityKind::ShareLinkCreated, detail).await?;
            link_by_id(conn, ShareLinkId(id)).await
        })?;
        Ok((link, token))
    }

    /// A map's share links, newest first, including revoked and expired ones (editor).
    pub async fn list_share_links(
        &self,
        principal: &Principal,
        map: MapId,
    ) -> Result<Vec<ShareLink>> {
        read_conn!(&self.backend, conn => {
            authorize_map(conn, principal, map, Action::ManageShareLinks).await?;
            let sql = format!("SELECT {} FROM share_links s WHERE s.map_id = $1 ORDER BY s.id DESC", rows::SHARE_LINK_COLUMNS);
            conn.fetch_all(&sql, &[Value::I64(map.0)]).await?.iter().map(rows::share_link).collect()
        })
    }

    /// Revokes a share link (editor of its map). Revoking twice is fine.
    pub async fn revoke_share_link(&self, principal: &Principal, id: ShareLinkId) -> Result<()> {
        let actor = acting_user(principal, Action::ManageShareLinks)?;
        write_tx!(&self.backend, conn => {
            let link = link_by_id(conn, id).await?;
            let map = authorize_map(conn, principal, link.map, Action::ManageShareLinks)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound { .. } => StoreError::not_found("share link"),
                    other => other,
                })?;
            let changed = conn
                .execute(
                    "UPDATE share_links SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                    &[Value::I64(now_millis()), Value::I64(id.0)],
                )
                .await?;
            if changed > 0 {
                feed::record(conn, map.workspace, Some(map.id), Some(actor), ActivityKind::ShareLinkRevoked, "read-only link")
                    .await?;
            }
            Ok(())
        })
    }

    /// The principal of a share-link token (records its last use); `None` if unknown,
    /// expired or revoked.
    pub async fn share_link_principal(&self, token: &str) -> Result<Option<Principal>> {
        let hash = secret::hash(token);
        let now = now_millis();
        let found = read_conn!(&self.backend, conn => {
            let sql = format!(
                "SELECT {} FROM share_links s WHERE s.token_hash = $1 AND s.revoked_at IS NULL \
                 AND (s.expires_at IS NULL OR s.expires_at > $2)",
                rows::SHARE_LINK_COLUMNS
            );
            match conn.fetch_optional(&sql, &[Value::Str(&hash), Value::I64(now)]).await? {
                Some(row) => Ok(Some(rows::share_link(&row)?)),
                None => Ok(None),
            }
        })?;
        let Some(link) = found else { return Ok(None) };
        if link
            .last_used_at
            .is_none_or(|t| now - t >= LAST_USED_GRANULARITY_MS)
        {
            write_tx!(&self.backend, conn => {
                conn.execute("UPDATE share_links SET last_used_at = $1 WHERE id = $2", &[Value::I64(now), Value::I64(link.id.0)])
                    .await
            })?;
        }
        Ok(Some(Principal {
            kind: PrincipalKind::ShareLink {
                link: link.id,
                map: link.map,
            },
            site_admin: false,
            session_hash: None,
        }))
    }
}

async fn link_by_id<C: Conn>(conn: &mut C, id: ShareLinkId) -> Result<ShareLink> {
    let sql = format!(
        "SELECT {} FROM share_links s WHERE s.id = $1",
        rows::SHARE_LINK_COLUMNS
    );
    rows::share_link(
        &conn
            .fetch_one("share link", &sql, &[Value::I64(id.0)])
            .await?,
    )
}
