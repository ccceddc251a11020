//! Users: sign-up (the first becomes site admin and owner of a default workspace; later ones
//! need an invitation), password login, sessions, login-attempt records.

use crate::error::StoreError;
use crate::ids::UserId;
use crate::principal::Principal;
use crate::time::UnixMillis;
use crate::types::{IssuedSession, NewUser, SignedUp, User};
use crate::{Result, Store};

impl Store {
    /// How many accounts exist (0 means the next sign-up becomes the site admin).
    pub async fn user_count(&self) -> Result<i64> {
        Err(StoreError::Unsupported("user_count"))
    }

    /// Creates an account.
    ///
    /// The very first account needs no invitation: it becomes the site admin and the owner of
    /// a new workspace named "Default" (slug `default`). Every later account needs a valid
    /// `invitation` token (unexpired, unrevoked, unused, and for this email if it names one),
    /// and joins the invitation's workspace with its role; otherwise
    /// [`StoreError::InvitationRequired`]. The invitation is used up in the same transaction.
    /// Errors: [`StoreError::Invalid`] for a bad email/handle/name/password,
    /// [`StoreError::AlreadyExists`] for a taken email or handle.
    pub async fn sign_up(&self, new: NewUser, invitation: Option<&str>) -> Result<SignedUp> {
        let _ = (new, invitation);
        Err(StoreError::Unsupported("sign_up"))
    }

    /// Checks an email and password. `Ok(principal)` on a match; [`StoreError::BadCredentials`]
    /// otherwise (unknown email or wrong password take the same time).
    pub async fn verify_password(&self, email: &str, password: &str) -> Result<(User, Principal)> {
        let _ = (email, password);
        Err(StoreError::Unsupported("verify_password"))
    }

    /// Changes the acting user's password after checking the old one
    /// ([`StoreError::BadCredentials`] if wrong). Ends all the user's other sessions.
    pub async fn change_password(
        &self,
        principal: &Principal,
        old_password: &str,
        new_password: &str,
    ) -> Result<()> {
        let _ = (principal, old_password, new_password);
        Err(StoreError::Unsupported("change_password"))
    }

    /// The acting user's own account (not for share links: [`StoreError::NotFound`]).
    pub async fn me(&self, principal: &Principal) -> Result<User> {
        let _ = principal;
        Err(StoreError::Unsupported("me"))
    }

    /// Every account, by id (site admin only: [`StoreError::Forbidden`] otherwise).
    pub async fn list_users(&self, principal: &Principal) -> Result<Vec<User>> {
        let _ = principal;
        Err(StoreError::Unsupported("list_users"))
    }

    /// Starts a session for a user who just signed up or signed in; the token goes in the
    /// cookie. Only its hash is stored.
    pub async fn create_session(
        &self,
        user: UserId,
        ttl: std::time::Duration,
    ) -> Result<IssuedSession> {
        let _ = (user, ttl);
        Err(StoreError::Unsupported("create_session"))
    }

    /// The principal of a session token; `None` if unknown or expired (expired ones are deleted).
    pub async fn session_principal(&self, token: &str) -> Result<Option<Principal>> {
        let _ = token;
        Err(StoreError::Unsupported("session_principal"))
    }

    /// Logout: deletes the session. Unknown tokens are ignored.
    pub async fn delete_session(&self, token: &str) -> Result<()> {
        let _ = token;
        Err(StoreError::Unsupported("delete_session"))
    }

    /// Deletes expired sessions and login attempts older than `keep_attempts_since`;
    /// returns how many rows went.
    pub async fn delete_expired(&self, keep_attempts_since: UnixMillis) -> Result<u64> {
        let _ = keep_attempts_since;
        Err(StoreError::Unsupported("delete_expired"))
    }

    /// Records a login attempt under `key` (e.g. `"email:ana@x.org"` or `"ip:127.0.0.1"`).
    pub async fn record_login_attempt(&self, key: &str, success: bool) -> Result<()> {
        let _ = (key, success);
        Err(StoreError::Unsupported("record_login_attempt"))
    }

    /// Failed attempts under `key` since `since` and after the last successful one.
    pub async fn failed_login_attempts(&self, key: &str, since: UnixMillis) -> Result<i64> {
        let _ = (key, since);
        Err(StoreError::Unsupported("failed_login_attempts"))
    }
}
