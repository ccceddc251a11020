//! The page shell every screen shares: skip link, top bar, main landmark, htmx and CSRF wiring.

use axum::http::StatusCode;
use axum::response::Html;
use maud::{DOCTYPE, Markup, html};
use trailmap_store::User;

use crate::auth::csrf;

/// htmx settings: no inline indicator styles (the CSP allows only our style sheet), no eval,
/// no script tags in swapped content.
const HTMX_CONFIG: &str = r#"{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true}"#;

/// Who the page is for: the top bar shows their name, and forms carry their CSRF token.
pub(crate) struct Viewer<'a> {
    pub(crate) user: Option<&'a User>,
    pub(crate) csrf: &'a str,
}

/// A full page.
pub(crate) fn page(viewer: &Viewer<'_>, title: &str, wide: bool, body: Markup) -> Html<String> {
    let headers = format!(r#"{{"X-CSRF-Token": "{}"}}"#, viewer.csrf);
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="htmx-config" content=(HTMX_CONFIG);
                title { (title) " · Trailmap" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/htmx.min.js" defer {}
            }
            body hx-headers=(headers) {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a.brand href="/" { "Trailmap" }
                    @if let Some(user) = viewer.user {
                        nav aria-label="Main" {
                            a href="/" { "Workspaces" }
                            a href="/inbox" { "Mentions" }
                            a href="/account" { "Account" }
                        }
                        span { (user.display_name) " (@" (user.handle) ")" }
                        form method="post" action="/logout" {
                            (csrf_field(viewer.csrf))
                            button type="submit" { "Sign out" }
                        }
                    }
                }
                main #main .wide[wide] tabindex="-1" {
                    (body)
                }
            }
        }
    };
    Html(markup.into_string())
}

/// The hidden CSRF field every POST form starts with (first, so the middleware finds it in a
/// multipart body without reading the uploads).
pub(crate) fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(csrf::FIELD) value=(token); }
}

/// A page for an error, without the user's navigation (it may be shown to anyone).
pub(crate) fn error_page(status: StatusCode, message: &str) -> Html<String> {
    let title = status.canonical_reason().unwrap_or("Error");
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Trailmap" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                header.top { a.brand href="/" { "Trailmap" } }
                main #main {
                    div.card.narrow role="alert" {
                        h1 { (status.as_u16()) " " (title) }
                        p { (message) }
                        p { a href="/" { "Back to your workspaces" } }
                    }
                }
            }
        }
    };
    Html(markup.into_string())
}

/// Percent-encodes a query parameter value.
pub(crate) fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A timestamp for people: `2026-12-01 20:15 UTC`.
pub(crate) fn when(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// A notice box (`kind`: "", "ok", "error", "warn").
pub(crate) fn notice(kind: &str, body: Markup) -> Markup {
    let class = if kind.is_empty() {
        "notice".to_owned()
    } else {
        format!("notice {kind}")
    };
    let role = if kind == "error" { "alert" } else { "status" };
    html! { div class=(class) role=(role) { (body) } }
}
