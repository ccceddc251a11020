//! How the server is set up: database, address, cookies, limits.

use std::net::SocketAddr;
use std::time::Duration;

/// Whether session cookies carry the `Secure` attribute.
///
/// Browsers do not send `Secure` cookies over plain `http://` (localhost is an exception in
/// Chromium and Firefox, but not everywhere), so a workspace on a laptop at
/// `http://127.0.0.1:8080` needs them off, and anything reachable from other machines should
/// sit behind HTTPS with them on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookiePolicy {
    /// `Secure` unless the server listens on a loopback address only.
    Auto,
    /// Always `Secure` (the server is behind HTTPS).
    Secure,
    /// Never `Secure` (plain HTTP on a trusted network; not recommended).
    Insecure,
}

/// Everything `trailmap serve` decides before the server starts.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// A SQLite path or URL, or `postgres://...`.
    pub database: String,
    /// Where to listen. Port 0 lets the system choose.
    pub bind: SocketAddr,
    /// Whether cookies are `Secure`.
    pub cookies: CookiePolicy,
    /// How long a session lasts without signing in again.
    pub session_ttl: Duration,
    /// The largest request body accepted (uploads of event files included).
    pub max_body_bytes: usize,
    /// Failed logins per IP address and email within [`ServerConfig::login_window`] before 429.
    pub login_attempts: i64,
    /// The window of the login rate limit.
    pub login_window: Duration,
}

impl ServerConfig {
    /// Defaults for a database URL: loopback port 8080, automatic cookie policy, 14-day
    /// sessions, 64 MiB uploads, 5 failed logins per 15 minutes.
    pub fn new(database: impl Into<String>) -> ServerConfig {
        ServerConfig {
            database: database.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            cookies: CookiePolicy::Auto,
            session_ttl: Duration::from_secs(14 * 24 * 3600),
            max_body_bytes: 64 * 1024 * 1024,
            login_attempts: 5,
            login_window: Duration::from_secs(15 * 60),
        }
    }

    /// Whether cookies get the `Secure` attribute under this configuration.
    pub fn secure_cookies(&self) -> bool {
        match self.cookies {
            CookiePolicy::Secure => true,
            CookiePolicy::Insecure => false,
            CookiePolicy::Auto => !self.bind.ip().is_loopback(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_secure_unless_on_loopback_or_told_otherwise() {
        let mut c = ServerConfig::new("x.db");
        assert!(!c.secure_cookies(), "127.0.0.1 is loopback");
        c.bind = SocketAddr::from(([0, 0, 0, 0], 8080));
        assert!(c.secure_cookies());
        c.cookies = CookiePolicy::Insecure;
        assert!(!c.secure_cookies());
        c.bind = SocketAddr::from(([127, 0, 0, 1], 8080));
        c.cookies = CookiePolicy::Secure;
        assert!(c.secure_cookies());
    }
}
