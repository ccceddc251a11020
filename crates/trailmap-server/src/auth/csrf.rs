//! CSRF tokens: a synchronizer token tied to the session, without storage.
//!
//! A signed-in user's token is SHA-256 of a fixed label and the session secret. The session
//! secret lives only in an HttpOnly cookie, so another site can neither read the cookie nor
//! compute the token; a new session (sign-in) gives a new token. Before sign-in the token is
//! the value of a random HttpOnly pre-session cookie (double submit), which protects the login
//! and sign-up forms from login CSRF.
//!
//! The token travels in the form field `_csrf` or, for htmx and JSON requests, in the
//! `X-CSRF-Token` header (pages set it for htmx with `hx-headers` on `<body>`). Requests that
//! authenticate with `Authorization: Bearer` carry no ambient credential and need no token.

use sha2::{Digest, Sha256};

/// The form field that carries the token.
pub(crate) const FIELD: &str = "_csrf";
/// The header that carries the token.
pub(crate) const HEADER: &str = "x-csrf-token";

/// The token for a session secret.
pub(crate) fn for_session(session_secret: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"trailmap csrf v1\0");
    hasher.update(session_secret.as_bytes());
    hex(&hasher.finalize())
}

/// A fresh random value for the pre-session cookie.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    hex(&bytes)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Compares without stopping at the first difference, so timing tells nothing about the token.
pub(crate) fn matches(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `_csrf` field of a form body: `application/x-www-form-urlencoded`, or
/// `multipart/form-data` (our forms put `_csrf` first, so only the parts up to it are read).
pub(crate) fn field_in_body(content_type: &str, body: &[u8]) -> Option<String> {
    let content_type = content_type.to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let pairs: Vec<(String, String)> = serde_urlencoded_pairs(body)?;
        return pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v);
    }
    if content_type.starts_with("multipart/form-data") {
        let boundary = content_type
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("boundary="))
            .next()?
            .trim_matches('"')
            .to_owned();
        return multipart_field(body, &boundary, FIELD);
    }
    None
}

fn serde_urlencoded_pairs(body: &[u8]) -> Option<Vec<(String, String)>> {
    serde_urlencoded::from_bytes(body).ok()
}

/// The text of the first part named `name`. The boundary came from the lowercased content
/// type, so the body is searched lowercased too (byte positions are the same) and the value
/// is cut from the original text.
fn multipart_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    let lower = text.to_ascii_lowercase();
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find(&delimiter) {
        let part_start = search_from + found + delimiter.len();
        let headers_end = lower[part_start..].find("\r\n\r\n")? + part_start;
        let headers = &lower[part_start..headers_end];
        let content_start = headers_end + 4;
        let content_end = lower[content_start..]
            .find(&format!("\r\n{delimiter}"))
            .map_or(lower.len(), |e| e + content_start);
        if headers.contains(&format!("name=\"{name}\"")) {
            return Some(text[content_start..content_end].to_owned());
        }
        search_from = content_end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_tokens_differ_per_session_and_match_themselves() {
        let a = for_session("one");
        assert_eq!(a.len(), 64);
        assert_ne!(a, for_session("two"));
        assert!(matches(&a, &for_session("one")));
        assert!(!matches("", ""));
        assert!(!matches(&a[..63], &a));
    }

    #[test]
    fn reads_the_field_from_urlencoded_and_multipart() {
        assert_eq!(
            field_in_body("application/x-www-form-urlencoded", b"a=1&_csrf=tok%21&b=2").as_deref(),
            Some("tok!")
        );
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.yaml\"\r\n\r\ntrailmap: 1\r\n--XyZ--\r\n";
        assert_eq!(
            field_in_body("multipart/form-data; boundary=XyZ", body).as_deref(),
            Some("abc123")
        );
        assert_eq!(field_in_body("application/json", b"{}"), None);
    }
}
