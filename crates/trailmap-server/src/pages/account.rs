//! The signed-in user's own things: password, API tokens, workspaces, mentions, invitations.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use trailmap_store::{ApiTokenId, StoreError};

use super::layout::{Viewer, csrf_field, notice, page, when};
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::form::Fields;
use crate::state::AppState;

async fn body(
    state: &AppState,
    who: &SignedIn,
    message: Option<(&str, String)>,
) -> Result<maud::Markup, AppError> {
    let store = state.store();
    let tokens = store.list_api_tokens(&who.principal).await?;
    let workspaces = store.list_workspaces(&who.principal).await?;
    Ok(html! {
        h1 { "Your account" }
        @if let Some((kind, text)) = &message { (notice(kind, html! { (text) })) }
        p { (who.user.display_name) " · @" (who.user.handle) " · " (who.user.email) @if who.user.site_admin { " · " span.badge { "site admin" } } }
        h2 { "Workspaces" }
        ul { @for m in &workspaces { li { a href=(format!("/w/{}", m.workspace.slug)) { (m.workspace.name) } " " span.badge.role { (m.role.as_str()) } } } }
        form.card method="post" action="/workspaces" {
            (csrf_field(&who.csrf))
            h3 { "New workspace" }
            div.row {
                div { label for="ws-name" { "Name" } input #ws-name type="text" name="name" required maxlength="100"; }
                div { label for="ws-slug" { "Short name in URLs" } input #ws-slug type="text" name="slug" required pattern="[a-z0-9\\-]+" maxlength="60"; }
            }
            div.actions { button type="submit" { "Create workspace" } }
        }
        h2 { "API tokens" }
        p { "For scripts and " code { "trailmap push" } " / " code { "trailmap pull" } ": send " code { "Authorization: Bearer TOKEN" } ". A token acts as you, with your roles." }
        @if !tokens.is_empty() {
            table {
                caption.visually-hidden { "Your API tokens" }
                thead { tr { th scope="col" { "Name" } th scope="col" { "Made" } th scope="col" { "Last used" } th scope="col" { "State" } th scope="col" { span.visually-hidden { "Actions" } } } }
                tbody {
                    @for t in &tokens {
                        tr {
                            td { (t.name) } td { (when(t.created_at)) }
                            td { @match t.last_used_at { Some(u) => (when(u)), None => "never" } }
                            td { @if t.revoked_at.is_some() { "revoked" } @else { "works" } }
                            td { @if t.revoked_at.is_none() {
                                form method="post" action=(format!("/account/tokens/{}/revoke", t.id)) {
                                    (csrf_field(&who.csrf))
                                    button.small.danger type="submit" aria-label=(format!("Revoke token {}", t.name)) { "Revoke" }
                                }
                            } }
                        }
                    }
                }
            }
        }
        form.card method="post" action="/account/tokens" {
            (csrf_field(&who.csrf))
            label for="token-name" { "New token's name" }
            input #token-name type="text" name="name" required maxlength="100" placeholder="e.g. CI push";
            div.actions { button type="submit" { "Make a token" } }
        }
        h2 { "Password" }
        form.card method="post" action="/account/password" {
            (csrf_field(&who.csrf))
            label for="old" { "Current password" }
            input #old type="password" name="old_password" autocomplete="current-password" required;
            label for="new" { "New password" }
            input #new type="password" name="new_password" autocomplete="new-password" minlength="8" required;
            div.actions { button type="submit" { "Change password" } }
        }
    })
}

fn render(who: &SignedIn, body: maud::Markup) -> Html<String> {
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    page(&viewer, "Account", false, body)
}

pub(crate) async fn account_page(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    Ok(render(&who, body(&state, &who, None).await?).into_response())
}

pub(crate) async fn create_token(
    State(state): State<AppState>,
    who: SignedIn,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let name = form
        .text("name")
        .ok_or_else(|| AppError::bad("name", "give the token a name"))?;
    let (_, secret) = state
        .store()
        .create_api_token(&who.principal, &name)
        .await?;
    let message = format!(
        "Your new token (shown only once, copy it now): {}",
        secret.expose()
    );
    Ok(render(&who, body(&state, &who, Some(("ok", message))).await?).into_response())
}

pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    who: SignedIn,
    axum::extract::Path(id): axum::extract::Path<ApiTokenId>,
    _form: axum::Form<Fields>,
) -> Result<Response, AppError> {
    state.store().revoke_api_token(&who.principal, id).await?;
    Ok(Redirect::to("/account").into_response())
}

pub(crate) async fn change_password(
    State(state): State<AppState>,
    who: SignedIn,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let old = form.get("old_password").unwrap_or("");
    let new = form.get("new_password").unwrap_or("");
    let message = match state
        .store()
        .change_password(&who.principal, old, new)
        .await
    {
        Ok(()) => (
            "ok",
            "Password changed. Your other sessions were signed out.".to_owned(),
        ),
        Err(StoreError::BadCredentials) => ("error", "The current password is wrong.".to_owned()),
        Err(e @ StoreError::Invalid { .. }) => ("error", AppError::from(e).message()),
        Err(e) => return Err(e.into()),
    };
    Ok(render(&who, body(&state, &who, Some(message)).await?).into_response())
}

pub(crate) async fn create_workspace(
    State(state): State<AppState>,
    who: SignedIn,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let name = form.text("name").unwrap_or_default();
    let slug = form
        .text("slug")
        .unwrap_or_else(|| crate::maps::slugify(&name));
    match state
        .store()
        .create_workspace(&who.principal, &slug, &name)
        .await
    {
        Ok(ws) => Ok(Redirect::to(&format!("/w/{}", ws.slug)).into_response()),
        Err(e @ (StoreError::Invalid { .. } | StoreError::AlreadyExists { .. })) => {
            let message = ("error", AppError::from(e).message());
            Ok(render(&who, body(&state, &who, Some(message)).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn inbox(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    let mentions = state.store().my_mentions(&who.principal, 100).await?;
    let viewer = Viewer {
        user: Some(&who.user),
        csrf: &who.csrf,
    };
    let body = html! {
        h1 { "Mentions" }
        @if mentions.is_empty() { p.muted { "Nobody has mentioned you yet." } }
        ul {
            @for m in &mentions {
                li {
                    span.muted { (when(m.created_at)) } " — "
                    strong { @match &m.by { Some(u) => (u.display_name), None => "someone" } }
                    " on " a href=(format!("/m/{}/comments#comment-{}", m.map, m.comment)) { (m.map_title) }
                    ": " (m.body)
                }
            }
        }
    };
    Ok(page(&viewer, "Mentions", false, body).into_response())
}

/// A signed-in user opening an invitation link: accept it into their account.
pub(crate) async fn accept_page(
    state: &AppState,
    viewer: &Viewer<'_>,
    token: &str,
) -> Result<Html<String>, AppError> {
    let offer = state.store().invitation_by_token(token).await?;
    let body = match offer {
        None => {
            html! { div.card.narrow { h1 { "Invitation" } p { "This invitation link has expired, was revoked or was already used." } } }
        }
        Some((invitation, workspace)) => html! {
            div.card.narrow {
                h1 { "Join " (workspace.name) }
                p { "You were invited as " (invitation.role.as_str()) "." }
                form method="post" action="/invite/accept" {
                    (csrf_field(viewer.csrf))
                    input type="hidden" name="invite" value=(token);
                    button type="submit" { "Join the workspace" }
                }
            }
        },
    };
    Ok(page(viewer, "Invitation", false, body))
}

pub(crate) async fn accept(
    State(state): State<AppState>,
    who: SignedIn,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let token = form
        .text("invite")
        .ok_or_else(|| AppError::bad("invite", "the invitation token is missing"))?;
    let membership = state
        .store()
        .accept_invitation(&who.principal, &token)
        .await?;
    Ok(Redirect::to(&format!("/w/{}", membership.workspace.slug)).into_response())
}
