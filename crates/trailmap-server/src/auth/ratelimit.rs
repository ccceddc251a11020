//! The login rate limit: failed attempts are counted in the database (so the limit holds across
//! restarts and across several server processes on one PostgreSQL), per client address and
//! email, and per address alone with a ten times higher limit (one address guessing many
//! accounts). A success resets its key's count.

use std::net::IpAddr;

use trailmap_store::now_millis;

use crate::error::AppError;
use crate::state::AppState;

/// The keys an attempt counts under.
pub(crate) fn keys(ip: Option<IpAddr>, email: &str) -> [String; 2] {
    let ip = ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    let email = email.trim().to_lowercase();
    [format!("login:{ip}:{email}"), format!("login-ip:{ip}")]
}

/// Refuses with 429 (and `Retry-After`) when either key has reached its limit in the window.
pub(crate) async fn check(state: &AppState, keys: &[String; 2]) -> Result<(), AppError> {
    let config = state.config();
    let window_ms = i64::try_from(config.login_window.as_millis()).unwrap_or(i64::MAX);
    let since = now_millis().saturating_sub(window_ms);
    let limits = [config.login_attempts, config.login_attempts * 10];
    for (key, limit) in keys.iter().zip(limits) {
        let failed = state.store().failed_login_attempts(key, since).await?;
        if failed >= limit {
            return Err(AppError::TooManyAttempts {
                retry_after_s: config.login_window.as_secs(),
            });
        }
    }
    Ok(())
}

/// Records the outcome under both keys.
pub(crate) async fn record(
    state: &AppState,
    keys: &[String; 2],
    success: bool,
) -> Result<(), AppError> {
    for key in keys {
        state.store().record_login_attempt(key, success).await?;
    }
    Ok(())
}
