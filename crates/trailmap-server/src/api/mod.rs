//! The JSON API under `/api/v1`: everything the pages do, for scripts and `trailmap push/pull`.
//!
//! Authentication: `Authorization: Bearer TOKEN` (an API token), or a session cookie plus the
//! `X-CSRF-Token` header. Errors are `{"error": {"code", "message", ...}}` with a stable `code`
//! (see `error.rs`). The routes are described by `openapi.json` (OpenAPI 3.1), served at
//! `/api/openapi.json`; a test checks that every route here is in it and nothing else is.

mod extract;
mod json;
mod maps;
mod people;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::routes::Routes;

/// The OpenAPI 3.1 document of this API.
pub const OPENAPI: &str = include_str!("../openapi.json");

async fn openapi() -> Response {
    let mut response = OPENAPI.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

pub(crate) fn routes(r: Routes) -> Routes {
    r.get("/api/openapi.json", openapi)
        .get("/api/v1/me", people::me)
        .get("/api/v1/workspaces", people::workspaces)
        .post("/api/v1/workspaces", people::create_workspace)
        .get("/api/v1/workspaces/{ws}", people::workspace)
        .get("/api/v1/workspaces/{ws}/members", people::members)
        .put("/api/v1/workspaces/{ws}/members/{user}", people::set_role)
        .delete(
            "/api/v1/workspaces/{ws}/members/{user}",
            people::remove_member,
        )
        .get("/api/v1/workspaces/{ws}/invitations", people::invitations)
        .post("/api/v1/workspaces/{ws}/invitations", people::invite)
        .delete("/api/v1/invitations/{id}", people::revoke_invitation)
        .get(
            "/api/v1/workspaces/{ws}/activity",
            people::workspace_activity,
        )
        .get("/api/v1/workspaces/{ws}/maps", maps::list)
        .post("/api/v1/workspaces/{ws}/maps", maps::create)
        .get("/api/v1/search", maps::search)
        .post("/api/v1/check", maps::check)
        .get("/api/v1/maps/{id}", maps::get)
        .patch("/api/v1/maps/{id}", maps::update)
        .delete("/api/v1/maps/{id}", maps::delete)
        .get("/api/v1/maps/{id}/versions", maps::versions)
        .post("/api/v1/maps/{id}/versions", maps::save)
        .get("/api/v1/maps/{id}/versions/{number}", maps::version)
        .post("/api/v1/maps/{id}/versions/{number}/restore", maps::restore)
        .get("/api/v1/maps/{id}/diff", maps::diff)
        .post("/api/v1/maps/{id}/edit", maps::edit)
        .get("/api/v1/maps/{id}/export/{format}", maps::export)
        .get("/api/v1/maps/{id}/activity", maps::activity)
        .get("/api/v1/maps/{id}/comments", people::comments)
        .post("/api/v1/maps/{id}/comments", people::add_comment)
        .post("/api/v1/comments/{id}/resolve", people::resolve_comment)
        .delete("/api/v1/comments/{id}", people::delete_comment)
        .get("/api/v1/mentions", people::mentions)
        .get("/api/v1/maps/{id}/analyses", maps::analyses)
        .post("/api/v1/maps/{id}/analyses", maps::attach_analysis)
        .post("/api/v1/maps/{id}/analyses/run", maps::run_analysis)
        .get("/api/v1/analyses/{id}", maps::analysis)
        .delete("/api/v1/analyses/{id}", maps::delete_analysis)
        .get("/api/v1/maps/{id}/share-links", people::share_links)
        .post("/api/v1/maps/{id}/share-links", people::create_share_link)
        .delete("/api/v1/share-links/{id}", people::revoke_share_link)
        .get("/api/v1/tokens", people::tokens)
        .post("/api/v1/tokens", people::create_token)
        .delete("/api/v1/tokens/{id}", people::revoke_token)
}
