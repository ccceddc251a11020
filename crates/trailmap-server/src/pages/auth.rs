//! Sign-up, sign-in and sign-out pages.
//!
//! The first person to sign up becomes the site admin and owner of the default workspace;
//! after that, sign-up needs an invitation link (`/signup?invite=TOKEN`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trailmap_store::{NewUser, StoreError};

use super::layout::{Viewer, csrf_field, notice, page};
use crate::auth::{self, Auth, ratelimit};
use crate::error::AppError;
use crate::form::Fields;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub(crate) struct Next {
    next: Option<String>,
    invite: Option<String>,
}

/// Only local paths are followed after sign-in, so a link cannot send people elsewhere.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

fn redirect_with_cookie(to: &str, cookie: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The client's address, when the server was started with connection info (tests that call
/// the router directly have none). Proxies' `X-Forwarded-For` is not trusted.
pub(crate) struct ClientIp(Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

fn login_form(csrf: &str, next: &str, email: &str, error: Option<&str>) -> Markup {
    html! {
        div.card.narrow {
            h1 { "Sign in" }
            @if let Some(error) = error { (notice("error", html! { (error) })) }
            form method="post" action="/login" {
                (csrf_field(csrf))
                input type="hidden" name="next" value=(next);
                label for="email" { "Email" }
                input #email type="email" name="email" value=(email) autocomplete="username" required autofocus;
                label for="password" { "Password" }
                input #password type="password" name="password" autocomplete="current-password" required;
                div.actions { button type="submit" { "Sign in" } }
            }
        }
    }
}

pub(crate) async fn login_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<Next>,
) -> Result<Response, AppError> {
    if auth.principal.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    if state.store().user_count().await? == 0 {
        return Ok(Redirect::to("/signup").into_response());
    }
    let viewer = Viewer {
        user: None,
        csrf: &auth.csrf,
    };
    let next = safe_next(q.next.as_deref());
    Ok(page(
        &viewer,
        "Sign in",
        false,
        login_form(&auth.csrf, &next, "", None),
    )
    .into_response())
}

pub(crate) async fn login(
    State(state): State<AppState>,
    auth: Auth,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let email = form.text("email").unwrap_or_default();
    let password = form.get("password").unwrap_or("").to_owned();
    let next = safe_next(form.get("next"));
    let keys = ratelimit::keys(ip, &email);
    ratelimit::check(&state, &keys).await?;
    match state.store().verify_password(&email, &password).await {
        Ok((user, _)) => {
            ratelimit::record(&state, &keys, true).await?;
            let (cookie, _) = auth::start_session(&state, user.id).await?;
            Ok(redirect_with_cookie(&next, &cookie))
        }
        Err(StoreError::BadCredentials) => {
            ratelimit::record(&state, &keys, false).await?;
            let viewer = Viewer {
                user: None,
                csrf: &auth.csrf,
            };
            let body = login_form(&auth.csrf, &next, &email, Some("Wrong email or password."));
            Ok((
                axum::http::StatusCode::UNAUTHORIZED,
                page(&viewer, "Sign in", false, body),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (cookie, secret) = auth::end_session(&state, &headers);
    if let Some(secret) = secret {
        state.store().delete_session(&secret).await?;
    }
    Ok(redirect_with_cookie("/login", &cookie))
}

fn signup_form(
    csrf: &str,
    invite: Option<&str>,
    intro: Markup,
    values: &Fields,
    error: Option<&str>,
) -> Markup {
    html! {
        div.card.narrow {
            h1 { "Create your account" }
            (intro)
            @if let Some(error) = error { (notice("error", html! { (error) })) }
            form method="post" action="/signup" {
                (csrf_field(csrf))
                @if let Some(invite) = invite { input type="hidden" name="invite" value=(invite); }
                label for="display_name" { "Your name" }
                input #display_name type="text" name="display_name" value=(values.get("display_name").unwrap_or("")) autocomplete="name" required maxlength="100";
                label for="handle" { "Handle" }
                p.hint #handle-hint { "How others @mention you: lower-case letters, digits, . _ -" }
                input #handle type="text" name="handle" value=(values.get("handle").unwrap_or("")) aria-describedby="handle-hint" required maxlength="40" pattern="[a-z0-9_.\\-]+";
                label for="email" { "Email" }
                input #email type="email" name="email" value=(values.get("email").unwrap_or("")) autocomplete="username" required;
                label for="password" { "Password" }
                p.hint #password-hint { "At least 8 characters." }
                input #password type="password" name="password" autocomplete="new-password" aria-describedby="password-hint" required minlength="8";
                div.actions { button type="submit" { "Create account" } }
            }
        }
    }
}

async fn signup_intro(state: &AppState, invite: Option<&str>) -> Result<Option<Markup>, AppError> {
    if state.store().user_count().await? == 0 {
        return Ok(Some(html! {
            p { "You are the first person here: your account will be the administrator and own the default workspace. You can invite others afterwards." }
        }));
    }
    let Some(token) = invite else {
        return Ok(None);
    };
    Ok(state
        .store()
        .invitation_by_token(token)
        .await?
        .map(|(invitation, workspace)| {
            html! {
                p { "You were invited to join " strong { (workspace.name) } " as " (invitation.role.as_str()) "." }
            }
        }))
}

fn no_invitation(viewer: &Viewer<'_>) -> Response {
    let body = html! {
        div.card.narrow {
            h1 { "Sign-up needs an invitation" }
            p { "This workspace server already has accounts. Ask a workspace owner for an invitation link." }
            p { a href="/login" { "Sign in" } " if you already have an account." }
        }
    };
    (
        axum::http::StatusCode::FORBIDDEN,
        page(viewer, "Sign up", false, body),
    )
        .into_response()
}

pub(crate) async fn signup_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<Next>,
) -> Result<Response, AppError> {
    let viewer = Viewer {
        user: auth.user.as_ref(),
        csrf: &auth.csrf,
    };
    if auth.principal.is_some() {
        if let Some(invite) = &q.invite {
            return Ok(super::account::accept_page(&state, &viewer, invite)
                .await?
                .into_response());
        }
        return Ok(Redirect::to("/").into_response());
    }
    let invite = q.invite.as_deref();
    match signup_intro(&state, invite).await? {
        Some(intro) => Ok(page(
            &viewer,
            "Sign up",
            false,
            signup_form(&auth.csrf, invite, intro, &Fields::default(), None),
        )
        .into_response()),
        None => Ok(no_invitation(&viewer)),
    }
}

pub(crate) async fn signup(
    State(state): State<AppState>,
    auth: Auth,
    axum::Form(form): axum::Form<Fields>,
) -> Result<Response, AppError> {
    let viewer = Viewer {
        user: None,
        csrf: &auth.csrf,
    };
    let invite = form.text("invite");
    let new = NewUser {
        email: form.text("email").unwrap_or_default(),
        handle: form.text("handle").unwrap_or_default(),
        display_name: form.text("display_name").unwrap_or_default(),
        password: form.get("password").unwrap_or("").to_owned(),
    };
    match state.store().sign_up(new, invite.as_deref()).await {
        Ok(signed_up) => {
            let (cookie, _) = auth::start_session(&state, signed_up.user.id).await?;
            let to = signed_up
                .workspace
                .map_or_else(|| "/".to_owned(), |m| format!("/w/{}", m.workspace.slug));
            Ok(redirect_with_cookie(&to, &cookie))
        }
        Err(StoreError::InvitationRequired) => Ok(no_invitation(&viewer)),
        Err(e @ (StoreError::Invalid { .. } | StoreError::AlreadyExists { .. })) => {
            let Some(intro) = signup_intro(&state, invite.as_deref()).await? else {
                return Ok(no_invitation(&viewer));
            };
            let message = AppError::from(e).message();
            let body = signup_form(&auth.csrf, invite.as_deref(), intro, &form, Some(&message));
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                page(&viewer, "Sign up", false, body),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/w/default")), "/w/default");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
