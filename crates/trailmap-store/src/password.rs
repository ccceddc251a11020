//! Password hashing: argon2id with the `argon2` crate's defaults (m = 19 MiB, t = 2, p = 1, the
//! OWASP minimum recommendation), stored as a PHC string (`$argon2id$v=19$...`) that carries
//! its own parameters, so they can be raised later without breaking old hashes.
//!
//! Hashing takes tens of milliseconds of CPU on purpose, so the store runs it on tokio's
//! blocking pool, never on an async worker thread.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::error::StoreError;

/// Shortest password accepted.
pub(crate) const MIN_LEN: usize = 8;
/// Longest password accepted (argon2 takes any length; this bounds the work per request).
pub(crate) const MAX_LEN: usize = 1024;

pub(crate) fn check_policy(password: &str) -> Result<(), StoreError> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(StoreError::invalid(
            "password",
            format!("must be at least {MIN_LEN} characters"),
        ));
    }
    if password.len() > MAX_LEN {
        return Err(StoreError::invalid(
            "password",
            format!("must be at most {MAX_LEN} bytes"),
        ));
    }
    Ok(())
}

/// Hashes on the blocking pool.
pub(crate) async fn hash(password: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Internal(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| StoreError::Internal(format!("password hashing task failed: {e}")))?
}

/// Verifies on the blocking pool. With `stored = None` (no such user) it still does the work
/// of one verification against a fixed hash, so response time does not tell whether an email
/// has an account.
pub(crate) async fn verify(stored: Option<String>, password: String) -> Result<bool, StoreError> {
    tokio::task::spawn_blocking(move || {
        let (phc, real) = match stored {
            Some(phc) => (phc, true),
            None => (dummy_hash()?, false),
        };
        let parsed = PasswordHash::new(&phc)
            .map_err(|e| StoreError::Internal(format!("stored password hash is malformed: {e}")))?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && real)
    })
    .await
    .map_err(|e| StoreError::Internal(format!("password check task failed: {e}")))?
}

/// The argon2id hash of a random token nobody knows, made once per process.
fn dummy_hash() -> Result<String, StoreError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let salt = SaltString::generate(&mut OsRng);
    let secret = crate::secret::generate();
    let h = Argon2::default()
        .hash_password(secret.expose().as_bytes(), &salt)
        .map_err(|e| StoreError::Internal(format!("password hashing failed: {e}")))?
        .to_string();
    Ok(DUMMY.get_or_init(|| h).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(
            verify(Some(h.clone()), "correct horse".into())
                .await
                .unwrap()
        );
        assert!(!verify(Some(h), "correct horsf".into()).await.unwrap());
    }

    #[tokio::test]
    async fn no_user_never_verifies() {
        assert!(!verify(None, "anything at all".into()).await.unwrap());
    }

    #[test]
    fn policy_refuses_short_and_huge_passwords() {
        assert!(check_policy("1234567").is_err());
        assert!(check_policy("12345678").is_ok());
        assert!(check_policy(&"x".repeat(MAX_LEN + 1)).is_err());
    }
}
