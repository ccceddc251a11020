//! Users: sign-up (the first becomes site admin and owner of a default workspace; later ones
//! need an invitation), password login, sessions, login-attempt records.

use std::time::Duration;

use crate::backend::{Conn, ConnExt, Dialect, Value, read_conn, write_tx};
use crate::error::StoreError;
use crate::ids::UserId;
use crate::policy::{Action, Role};
use crate::principal::{Principal, PrincipalKind};
use crate::time::{UnixMillis, now_millis};
use crate::types::{ActivityKind, IssuedSession, NewUser, SignedUp, User, WorkspaceMembership};
use crate::{Result, Store, password, secret, text};

use super::access::authorize_site;
use super::{feed, rows, workspaces};

/// Serializes sign-ups on PostgreSQL so two first sign-ups cannot both become admin: "TRLU".
const PG_SIGNUP_LOCK: i64 = 0x5452_4c55;

impl Store {
    /// How many accounts exist (0 means the next sign-up becomes the site admin).
    pub async fn user_count(&self) -> Result<i64> {
        read_conn!(&self.backend, conn => {
            conn.fetch_one("users", "SELECT COUNT(*) AS n FROM users", &[]).await?.i64("n")
        })
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
        let email = text::normalize_email(&new.email)?;
        let handle = new.handle.trim().to_lowercase();
        text::check_handle(&handle)?;
        let display_name = text::check_text("display_name", &new.display_name, 100)?.to_owned();
        password::check_policy(&new.password)?;
        let hash = password::hash(new.password).await?;
        let invitation_hash = invitation.map(secret::hash);
        write_tx!(&self.backend, conn => {
            sign_up_in(conn, &email, &handle, &display_name, &hash, invitation_hash.as_deref()).await
        })
    }

    /// Checks an email and password. `Ok` with the user and their principal on a match;
    /// [`StoreError::BadCredentials`] otherwise (unknown email or wrong password take the same time).
    pub async fn verify_password(&self, email: &str, password: &str) -> Result<(User, Principal)> {
        let email = email.trim().to_lowercase();
        if email.contains('\0') {
            // No account has one; PostgreSQL could not even look it up.
            return Err(StoreError::BadCredentials);
        }
        let found: Option<(User, String)> = read_conn!(&self.backend, conn => {
            let sql = format!("SELECT {}, u.password_hash FROM users u WHERE u.email = $1", rows::USER_COLUMNS);
            match conn.fetch_optional(&sql, &[Value::Str(&email)]).await? {
                Some(row) => Ok::<_, StoreError>(Some((rows::user(&row)?, row.string("password_hash")?))),
                None => Ok(None),
            }
        })?;
        let (user, stored) = match found {
            Some((user, hash)) => (Some(user), Some(hash)),
            None => (None, None),
        };
        let ok = password::verify(stored, password.to_owned()).await?;
        match user {
            Some(user) if ok => {
                let principal = Principal::user(user.id, user.site_admin);
                Ok((user, principal))
            }
            _ => Err(StoreError::BadCredentials),
        }
    }

    /// Changes the acting user's password after checking the old one
    /// ([`StoreError::BadCredentials`] if wrong). Ends all the user's other sessions.
    pub async fn change_password(
        &self,
        principal: &Principal,
        old_password: &str,
        new_password: &str,
    ) -> Result<()> {
        let user = authorize_site(principal, Action::ManageOwnAccount)?;
        password::check_policy(new_password)?;
        let stored: String = read_conn!(&self.backend, conn => {
            conn.fetch_one("user", "SELECT password_hash FROM users WHERE id = $1", &[Value::I64(user.0)])
                .await?
                .string("password_hash")
        })?;
        if !password::verify(Some(stored), old_password.to_owned()).await? {
            return Err(StoreError::BadCredentials);
        }
        let hash = password::hash(new_password.to_owned()).await?;
        let keep = principal.session_hash.clone().unwrap_or_default();
        write_tx!(&self.backend, conn => {
            conn.execute(
                "UPDATE users SET password_hash = $1 WHERE id = $2",
                &[Value::Str(&hash), Value::I64(user.0)],
            )
            .await?;
            conn.execute(
                "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
                &[Value::I64(user.0), Value::Str(&keep)],
            )
            .await?;
            Ok(())
        })
    }

    /// The acting user's own account (not for share links: [`StoreError::NotFound`]).
    pub async fn me(&self, principal: &Principal) -> Result<User> {
        let user = principal.user_id().ok_or(StoreError::not_found("user"))?;
        read_conn!(&self.backend, conn => user_by_id(conn, user).await)
    }

    /// Every account, by id (site admin only: [`StoreError::Forbidden`] otherwise).
    pub async fn list_users(&self, principal: &Principal) -> Result<Vec<User>> {
        authorize_site(principal, Action::ManageUsers)?;
        read_conn!(&self.backend, conn => {
            let sql = format!("SELECT {} FROM users u ORDER BY u.id", rows::USER_COLUMNS);
            conn.fetch_all(&sql, &[]).await?.iter().map(rows::user).collect()
        })
    }

    /// Starts a session for a user who just signed up or signed in; the token goes in the
    /// cookie. Only its hash is stored.
    pub async fn create_session(&self, user: UserId, ttl: Duration) -> Result<IssuedSession> {
        let token = secret::generate();
        let hash = secret::hash(token.expose());
        let now = now_millis();
        let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
        let expires_at = now.saturating_add(ttl_ms);
        write_tx!(&self.backend, conn => {
            user_by_id(conn, user).await?;
            conn.execute(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                &[Value::Str(&hash), Value::I64(user.0), Value::I64(now), Value::I64(expires_at)],
            )
            .await?;
            Ok(())
        })?;
        Ok(IssuedSession { token, expires_at })
    }

    /// The principal of a session token; `None` if unknown or expired (expired ones are deleted).
    pub async fn session_principal(&self, token: &str) -> Result<Option<Principal>> {
        let hash = secret::hash(token);
        let found = read_conn!(&self.backend, conn => {
            conn.fetch_optional(
                "SELECT s.expires_at, u.id, u.site_admin FROM sessions s \
                 JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
                &[Value::Str(&hash)],
            )
            .await
        })?;
        let Some(row) = found else { return Ok(None) };
        if row.i64("expires_at")? <= now_millis() {
            self.delete_session(token).await?;
            return Ok(None);
        }
        Ok(Some(Principal {
            kind: PrincipalKind::User {
                user: UserId(row.i64("id")?),
            },
            site_admin: row.bool("site_admin")?,
            session_hash: Some(hash),
        }))
    }

    /// Logout: deletes the session. Unknown tokens are ignored.
    pub async fn delete_session(&self, token: &str) -> Result<()> {
        let hash = secret::hash(token);
        write_tx!(&self.backend, conn => {
            conn.execute("DELETE FROM sessions WHERE token_hash = $1", &[Value::Str(&hash)]).await?;
            Ok(())
        })
    }

    /// Deletes expired sessions and login attempts older than `keep_attempts_since`;
    /// returns how many rows went.
    pub async fn delete_expired(&self, keep_attempts_since: UnixMillis) -> Result<u64> {
        let now = now_millis();
        write_tx!(&self.backend, conn => {
            let sessions = conn
                .execute("DELETE FROM sessions WHERE expires_at <= $1", &[Value::I64(now)])
                .await?;
            let attempts = conn
                .execute(
                    "DELETE FROM login_attempts WHERE attempted_at < $1",
                    &[Value::I64(keep_attempts_since)],
                )
                .await?;
            Ok(sessions + attempts)
        })
    }

    /// Records a login attempt under `key` (e.g. `"email:ana@x.org"` or `"ip:127.0.0.1"`).
    pub async fn record_login_attempt(&self, key: &str, success: bool) -> Result<()> {
        let key = attempt_key(key);
        let key = key.as_ref();
        write_tx!(&self.backend, conn => {
            conn.execute(
                "INSERT INTO login_attempts (attempt_key, success, attempted_at) VALUES ($1, $2, $3)",
                &[Value::Str(key), Value::Bool(success), Value::I64(now_millis())],
            )
            .await?;
            Ok(())
        })
    }

    /// Failed attempts under `key` since `since` and after the last successful one.
    pub async fn failed_login_attempts(&self, key: &str, since: UnixMillis) -> Result<i64> {
        let key = attempt_key(key);
        let key = key.as_ref();
        read_conn!(&self.backend, conn => {
            conn.fetch_one(
                "attempts",
                "SELECT COUNT(*) AS n FROM login_attempts WHERE attempt_key = $1 AND success = FALSE \
                 AND attempted_at >= $2 AND attempted_at > COALESCE((SELECT MAX(attempted_at) \
                 FROM login_attempts WHERE attempt_key = $1 AND success = TRUE), -1)",
                &[Value::Str(key), Value::I64(since)],
            )
            .await?
            .i64("n")
        })
    }
}

/// Keys are opaque to the store but may carry what a client typed (an email): a NUL, which
/// PostgreSQL cannot store, becomes U+FFFD so that attempt is still counted.
fn attempt_key(key: &str) -> std::borrow::Cow<'_, str> {
    if key.contains('\0') {
        std::borrow::Cow::Owned(key.replace('\0', "\u{fffd}"))
    } else {
        std::borrow::Cow::Borrowed(key)
    }
}

pub(crate) async fn user_by_id<C: Conn>(conn: &mut C, id: UserId) -> Result<User> {
    let sql = format!("SELECT {} FROM users u WHERE u.id = $1", rows::USER_COLUMNS);
    rows::user(&conn.fetch_one("user", &sql, &[Value::I64(id.0)]).await?)
}

async fn sign_up_in<C: Conn>(
    conn: &mut C,
    email: &str,
    handle: &str,
    display_name: &str,
    password_hash: &str,
    invitation_hash: Option<&str>,
) -> Result<SignedUp> {
    if conn.dialect() == Dialect::Postgres {
        conn.execute(
            "SELECT pg_advisory_xact_lock($1)",
            &[Value::I64(PG_SIGNUP_LOCK)],
        )
        .await?;
    }
    let first = conn
        .fetch_one("users", "SELECT COUNT(*) AS n FROM users", &[])
        .await?
        .i64("n")?
        == 0;
    // Check the invitation before making anything, so a refused sign-up leaves no trace.
    let invitation = if first {
        None
    } else {
        let hash = invitation_hash.ok_or(StoreError::InvitationRequired)?;
        let found = workspaces::valid_invitation(conn, hash)
            .await?
            .ok_or(StoreError::InvitationRequired)?;
        if found.email.as_deref().is_some_and(|e| e != email) {
            return Err(StoreError::InvitationRequired);
        }
        Some(found)
    };
    for (field, sql) in [
        ("email", "SELECT id FROM users WHERE email = $1"),
        ("handle", "SELECT id FROM users WHERE handle = $1"),
    ] {
        let value = if field == "email" { email } else { handle };
        if conn
            .fetch_optional(sql, &[Value::Str(value)])
            .await?
            .is_some()
        {
            return Err(StoreError::AlreadyExists {
                what: "user",
                field,
            });
        }
    }
    let now = now_millis();
    let id = conn
        .fetch_one(
            "user",
            "INSERT INTO users (email, handle, display_name, password_hash, site_admin, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                Value::Str(email),
                Value::Str(handle),
                Value::Str(display_name),
                Value::Str(password_hash),
                Value::Bool(first),
                Value::I64(now),
            ],
        )
        .await
        .map_err(|e| unique_as_exists(e, "user", "email"))?
        .i64("id")?;
    let user = UserId(id);
    let membership = match invitation {
        None => {
            let slug = default_workspace_slug(conn).await?;
            let workspace = workspaces::insert_workspace(conn, &slug, "Default").await?;
            workspaces::insert_member(conn, workspace.id, user, Role::Owner).await?;
            feed::record(
                conn,
                workspace.id,
                None,
                Some(user),
                ActivityKind::MemberJoined,
                "owner",
            )
            .await?;
            WorkspaceMembership {
                workspace,
                role: Role::Owner,
            }
        }
        Some(invitation) => {
            workspaces::use_invitation(conn, invitation.id, user).await?;
            workspaces::insert_member(conn, invitation.workspace, user, invitation.role).await?;
            feed::record(
                conn,
                invitation.workspace,
                None,
                Some(user),
                ActivityKind::MemberJoined,
                invitation.role.as_str(),
            )
            .await?;
            let workspace = workspaces::workspace_by_id(conn, invitation.workspace).await?;
            WorkspaceMembership {
                workspace,
                role: invitation.role,
            }
        }
    };
    let user = user_by_id(conn, user).await?;
    let principal = Principal::user(user.id, user.site_admin);
    Ok(SignedUp {
        user,
        principal,
        workspace: Some(membership),
    })
}

/// `default`, or `default-2`, `default-3`... if a workspace already took it.
async fn default_workspace_slug<C: Conn>(conn: &mut C) -> Result<String> {
    let mut n = 1;
    loop {
        let slug = if n == 1 {
            "default".to_owned()
        } else {
            format!("default-{n}")
        };
        let taken = conn
            .fetch_optional(
                "SELECT id FROM workspaces WHERE slug = $1",
                &[Value::Str(&slug)],
            )
            .await?
            .is_some();
        if !taken {
            return Ok(slug);
        }
        n += 1;
    }
}

/// Turns a UNIQUE violation into [`StoreError::AlreadyExists`]; other errors pass through.
pub(crate) fn unique_as_exists(
    e: StoreError,
    what: &'static str,
    field: &'static str,
) -> StoreError {
    if crate::backend::is_unique_violation(&e) {
        StoreError::AlreadyExists { what, field }
    } else {
        e
    }
}
