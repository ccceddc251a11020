//! API tokens for scripts (`Authorization: Bearer TOKEN`).

use crate::backend::{Conn, ConnExt, Value, read_conn, write_tx};
use crate::error::StoreError;
use crate::ids::{ApiTokenId, UserId};
use crate::policy::Action;
use crate::principal::{Principal, PrincipalKind};
use crate::time::now_millis;
use crate::types::{ApiToken, Secret};
use crate::{Result, Store, secret, text};

use super::access::authorize_site;
use super::rows;

/// A token's last use is written at most this often (each write is an fsync).
const LAST_USED_GRANULARITY_MS: i64 = 60_000;

impl Store {
    /// Makes an API token acting for the signed-in user (needs a session, not another token).
    /// Returns it and its secret (shown once).
    pub async fn create_api_token(
        &self,
        principal: &Principal,
        name: &str,
    ) -> Result<(ApiToken, Secret)> {
        let user = authorize_site(principal, Action::ManageApiTokens)?;
        let name = text::check_text("name", name, 100)?;
        let token = secret::generate();
        let hash = secret::hash(token.expose());
        let created = write_tx!(&self.backend, conn => {
            let id = conn
                .fetch_one(
                    "api token",
                    "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                    &[Value::Str(&hash), Value::I64(user.0), Value::Str(name), Value::I64(now_millis())],
                )
                .await?
                .i64("id")?;
            token_by_id(conn, ApiTokenId(id), user).await
        })?;
        Ok((created, token))
    }

    /// The signed-in user's API tokens, newest first, including revoked ones.
    pub async fn list_api_tokens(&self, principal: &Principal) -> Result<Vec<ApiToken>> {
        let user = authorize_site(principal, Action::ManageApiTokens)?;
        read_conn!(&self.backend, conn => {
            let sql = format!("SELECT {} FROM api_tokens t WHERE t.user_id = $1 ORDER BY t.id DESC", rows::API_TOKEN_COLUMNS);
            conn.fetch_all(&sql, &[Value::I64(user.0)]).await?.iter().map(rows::api_token).collect()
        })
    }

    /// Revokes one of the signed-in user's tokens. Revoking twice is fine; another user's
    /// token is [`StoreError::NotFound`].
    pub async fn revoke_api_token(&self, principal: &Principal, id: ApiTokenId) -> Result<()> {
        let user = authorize_site(principal, Action::ManageApiTokens)?;
        write_tx!(&self.backend, conn => {
            token_by_id(conn, id, user).await?;
            conn.execute(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
                &[Value::I64(now_millis()), Value::I64(id.0), Value::I64(user.0)],
            )
            .await?;
            Ok(())
        })
    }

    /// The principal of an API token secret (records its last use); `None` if unknown or revoked.
    pub async fn api_token_principal(&self, token: &str) -> Result<Option<Principal>> {
        let hash = secret::hash(token);
        let found = read_conn!(&self.backend, conn => {
            conn.fetch_optional(
                "SELECT t.id, t.user_id, t.last_used_at, u.site_admin FROM api_tokens t \
                 JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
                &[Value::Str(&hash)],
            )
            .await
        })?;
        let Some(row) = found else { return Ok(None) };
        let id = ApiTokenId(row.i64("id")?);
        let now = now_millis();
        if row
            .opt_i64("last_used_at")?
            .is_none_or(|t| now - t >= LAST_USED_GRANULARITY_MS)
        {
            write_tx!(&self.backend, conn => {
                conn.execute("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", &[Value::I64(now), Value::I64(id.0)])
                    .await
            })?;
        }
        Ok(Some(Principal {
            kind: PrincipalKind::ApiToken {
                token: id,
                user: UserId(row.i64("user_id")?),
            },
            site_admin: row.bool("site_admin")?,
            session_hash: None,
        }))
    }
}

async fn token_by_id<C: Conn>(conn: &mut C, id: ApiTokenId, user: UserId) -> Result<ApiToken> {
    let sql = format!(
        "SELECT {} FROM api_tokens t WHERE t.id = $1 AND t.user_id = $2",
        rows::API_TOKEN_COLUMNS
    );
    let row = conn
        .fetch_one("api token", &sql, &[Value::I64(id.0), Value::I64(user.0)])
        .await?;
    rows::api_token(&row).map_err(|e| match e {
        StoreError::NotFound { .. } => StoreError::not_found("api token"),
        other => other,
    })
}
