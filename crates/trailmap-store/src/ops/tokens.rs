//! API tokens for scripts (`Authorization: Bearer TOKEN`).

use crate::error::StoreError;
use crate::ids::ApiTokenId;
use crate::principal::Principal;
use crate::types::{ApiToken, Secret};
use crate::{Result, Store};

impl Store {
    /// Makes an API token acting for the signed-in user (needs a session, not another token).
    /// Returns it and its secret (shown once).
    pub async fn create_api_token(
        &self,
        principal: &Principal,
        name: &str,
    ) -> Result<(ApiToken, Secret)> {
        let _ = (principal, name);
        Err(StoreError::Unsupported("create_api_token"))
    }

    /// The signed-in user's API tokens, newest first, including revoked ones.
    pub async fn list_api_tokens(&self, principal: &Principal) -> Result<Vec<ApiToken>> {
        let _ = principal;
        Err(StoreError::Unsupported("list_api_tokens"))
    }

    /// Revokes one of the signed-in user's tokens. Revoking twice is fine.
    pub async fn revoke_api_token(&self, principal: &Principal, id: ApiTokenId) -> Result<()> {
        let _ = (principal, id);
        Err(StoreError::Unsupported("revoke_api_token"))
    }

    /// The principal of an API token secret (records its last use); `None` if unknown or revoked.
    pub async fn api_token_principal(&self, token: &str) -> Result<Option<Principal>> {
        let _ = token;
        Err(StoreError::Unsupported("api_token_principal"))
    }
}
