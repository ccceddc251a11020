//! The files the pages load: htmx (vendored, see `assets/htmx-LICENSE.txt`) and the style sheet.
//! They are compiled into the binary, so the server needs nothing on disk.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// htmx 2.0.11, `dist/htmx.min.js` from the npm package `htmx.org` (Zero-Clause BSD).
pub(crate) const HTMX_JS: &str = include_str!("../assets/htmx.min.js");
/// htmx's licence, served beside it.
pub(crate) const HTMX_LICENSE: &str = include_str!("../assets/htmx-LICENSE.txt");
/// The workspace's style sheet.
pub(crate) const STYLE_CSS: &str = include_str!("../assets/style.css");

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

pub(crate) async fn htmx() -> Response {
    asset(HTMX_JS, "text/javascript; charset=utf-8")
}

pub(crate) async fn htmx_license() -> Response {
    asset(HTMX_LICENSE, "text/plain; charset=utf-8")
}

pub(crate) async fn style() -> Response {
    asset(STYLE_CSS, "text/css; charset=utf-8")
}
