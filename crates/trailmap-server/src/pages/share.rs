//! Read-only share links: made and revoked by editors, opened by anyone with the link until it
//! expires or is revoked. A link shows one map (its picture and exports) and nothing else.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use trailmap_store::{Action, MapId, Principal, ShareLinkId, now_millis};

use super::layout::{Viewer, csrf_field, notice, page, when};
use super::map::{
    FORMATS, MapCtx, VersionQuery, ViewQuery, download, export_bytes, map_header, rendered_html,
    rendered_response,
};
use crate::auth::{Auth, SignedIn};
use crate::error::AppError;
use crate::form::Fields;
use crate::state::AppState;

/// The link's address as people should open it.
fn link_url(headers: &HeaderMap, secure: bool, token: &str) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!(
        "{}://{host}/s/{token}",
        if secure { "https" } else { "http" }
    )
}

async fn share_page_body(
    state: &AppState,
    who: &SignedIn,
    ctx: &MapCtx,
    new_link: Option<String>,
) -> Result<maud::Markup, AppError> {
    let links = state
        .store()
        .list_share_links(&who.principal, ctx.map.id)
        .await?;
    let now = now_millis();
    Ok(html! {
        (map_header(ctx, &who.principal, "Share"))
        @if let Some(url) = &new_link {
            (notice("ok", html! {
                p { "The link is ready. Copy it now: it is shown only once." }
                p.secret { (url) }
            }))
        }
        p { "A share link opens this map read-only, without an account: the picture and downloads of the latest version, not its history or discussion. Nothing can be changed through it." }
        form.card method="post" action=(ctx.url("/share")) {
            (csrf_field(&who.csrf))
            label for="expires" { "The link works for" }
            select #expires name="expires_days" {
                option value="1" { "1 day" }
                option value="7" selected { "7 days" }
                option value="30" { "30 days" }
                option value="" { "Until revoked" }
            }
            div.actions { button type="submit" { "Make a share link" } }
        }
        @if !links.is_empty() {
            table {
                caption { "Links of this map" }
                thead { tr { th scope="col" { "Made" } th scope="col" { "Expires" } th scope="col" { "Last opened" } th scope="col" { "State" } th scope="col" { span.visually-hidden { "Actions" } } } }
                tbody {
                    @for l in &links {
                        @let live = l.revoked_at.is_none() && l.expires_at.is_none_or(|e| e > now);
                        tr {
                            td { (when(l.created_at)) }
                            td { @match l.expires_at { Some(e) => (when(e)), None => "never" } }
                            td { @match l.last_used_at { Some(t) => (when(t)), None => "never" } }
                            td { @if l.revoked_at.is_some() { "revoked" } @else if live { "works" } @else { "expired" } }
                            td {
                                @if live {
                                    form method="post" action=(ctx.url(&format!("/share/{}/revoke", l.id))) {
                                        (csrf_field(&who.csrf))
                                        button.small.danger type="submit" { "Revoke" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

pub(crate) async fn share_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    ctx.require(&who.principal, Action::ManageShareLinks)?;
    let body = share_page_body(&state, &who, &ctx, None).await?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    Ok(page(&viewer, "Share", false, body).into_response())
}

pub(crate) async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MapId>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let ctx = MapCtx::load(&state, &who.principal, id).await?;
    let expires_at = expiry(form.text("expires_days"))?;
    let (_, secret) = state
        .store()
        .create_share_link(&who.principal, id, expires_at)
        .await?;
    let url = link_url(&headers, state.secure_cookies(), secret.expose());
    let body = share_page_body(&state, &who, &ctx, Some(url)).await?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    Ok(page(&viewer, "Share", false, body).into_response())
}

/// `expires_days` (1 to 3650, or empty for never) as a time.
pub(crate) fn expiry(days: Option<String>) -> Result<Option<i64>, AppError> {
    match days {
        None => Ok(None),
        Some(d) => {
            let days: i64 = d
                .parse()
                .ok()
                .filter(|d| (1..=3650).contains(d))
                .ok_or_else(|| AppError::bad("expires_days", "a number of days from 1 to 3650"))?;
            Ok(Some(now_millis() + days * 24 * 3600 * 1000))
        }
    }
}

pub(crate) async fn revoke(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, link)): Path<(MapId, ShareLinkId)>,
    _form: axum::Form<Fields>,
) -> Result<Response, AppError> {
    let links = state.store().list_share_links(&who.principal, id).await?;
    if !links.iter().any(|l| l.id == link) {
        return Err(AppError::NotFound("share link"));
    }
    state
        .store()
        .revoke_share_link(&who.principal, link)
        .await?;
    Ok(Redirect::to(&format!("/m/{id}/share")).into_response())
}

async fn link_principal(state: &AppState, token: &str) -> Result<(Principal, MapId), AppError> {
    let principal = state
        .store()
        .share_link_principal(token)
        .await?
        .ok_or(AppError::NotFound(
            "share link (it may have expired or been revoked)",
        ))?;
    match principal.kind() {
        trailmap_store::PrincipalKind::ShareLink { map, .. } => {
            let map = *map;
            Ok((principal, map))
        }
        _ => Err(AppError::NotFound("share link")),
    }
}

pub(crate) async fn open(
    State(state): State<AppState>,
    auth: Auth,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (principal, id) = link_principal(&state, &token).await?;
    let map = state.store().map(&principal, id).await?;
    let viewer = Viewer {
        user: auth.user.as_ref(),
        csrf: &auth.csrf,
    };
    let base = format!("/s/{token}");
    let body = html! {
        p.muted { "Shared read-only" }
        h1 { (map.title) " " (super::workspace::state_badge(map.state)) " " span.badge.role { "version " (map.latest_version) } }
        iframe.map src=(format!("{base}/render")) title=(format!("The journey map {}", map.title)) sandbox="" {}
        h2 { "Download" }
        ul {
            @for (format, label) in FORMATS.iter().filter(|(f, _)| *f != "png") {
                li { a href=(format!("{base}/export/{format}")) download { (label) } }
            }
        }
    };
    Ok(page(&viewer, &map.title, true, body).into_response())
}

pub(crate) async fn render(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (principal, id) = link_principal(&state, &token).await?;
    Ok(rendered_response(
        rendered_html(&state, &principal, id, &ViewQuery::default()).await?,
    ))
}

pub(crate) async fn export(
    State(state): State<AppState>,
    Path((token, format)): Path<(String, String)>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, AppError> {
    let (principal, id) = link_principal(&state, &token).await?;
    if format == "png" {
        return Err(AppError::NotFound("export format"));
    }
    let map = state.store().map(&principal, id).await?;
    let (content_type, name, bytes) = export_bytes(
        &state,
        &principal,
        &map,
        &format,
        q.version.filter(|_| false),
    )
    .await?;
    Ok(download(content_type, &name, bytes))
}
