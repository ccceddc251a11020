//! Reading the `Cookie` header and writing `Set-Cookie` values.

use axum::http::HeaderMap;
use axum::http::header;

/// The session cookie's name. With `Secure` cookies it gets the `__Host-` prefix, which makes
/// browsers refuse it unless it is Secure, host-only and for path `/`.
pub(crate) fn session_name(secure: bool) -> &'static str {
    if secure {
        "__Host-trailmap_session"
    } else {
        "trailmap_session"
    }
}

/// The anonymous CSRF cookie (login and sign-up forms, before there is a session).
pub(crate) fn pre_session_name(secure: bool) -> &'static str {
    if secure {
        "__Host-trailmap_csrf"
    } else {
        "trailmap_csrf"
    }
}

/// The value of cookie `name`, if sent.
pub(crate) fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"'))
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`, Secure when asked.
/// `max_age_s = 0` deletes the cookie.
pub(crate) fn set(name: &str, value: &str, max_age_s: u64, secure: bool) -> String {
    let mut out = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}");
    if secure {
        out.push_str("; Secure");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn finds_a_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; trailmap_session=abc; b=2"),
        );
        assert_eq!(get(&headers, "trailmap_session"), Some("abc"));
        assert_eq!(get(&headers, "missing"), None);
    }

    #[test]
    fn cookies_are_httponly_and_lax() {
        let c = set("__Host-x", "v", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("Secure"));
        assert!(!set("x", "v", 60, false).contains("Secure"));
    }
}
