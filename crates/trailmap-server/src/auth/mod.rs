//! Who is asking, and whether the request may change anything.
//!
//! One middleware ([`authenticate`]) runs before every route: it finds the principal (an API
//! token in `Authorization: Bearer`, else the session cookie), works out the CSRF token the
//! pages embed, and refuses any state-changing request (POST, PUT, PATCH, DELETE) without a
//! Bearer token whose CSRF token does not match. So no handler can forget the CSRF check.
//! Handlers then take [`Auth`], [`SignedIn`] (pages) or [`ApiCaller`] (API) as extractors.

pub(crate) mod cookies;
pub(crate) mod csrf;
pub(crate) mod ratelimit;

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use trailmap_store::{Principal, PrincipalKind, User};

use crate::error::{ApiError, AppError};
use crate::state::AppState;

/// What the middleware found out about the request.
#[derive(Clone, Debug)]
pub(crate) struct Auth {
    /// The signed-in user's or API token's principal; `None` when anonymous.
    pub(crate) principal: Option<Principal>,
    /// The user behind the principal.
    pub(crate) user: Option<User>,
    /// The CSRF token to put in this page's forms.
    pub(crate) csrf: String,
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

fn reject(path: &str, error: AppError) -> Response {
    if is_api(path) {
        error.into_json_response()
    } else {
        error.into_response()
    }
}

/// The authentication and CSRF middleware (see the module docs).
pub(crate) async fn authenticate(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let store = state.store();
    let secure = state.secure_cookies();
    let mut set_cookies: Vec<String> = Vec::new();

    let (principal, csrf, bearer) = if let Some(token) = bearer_token(request.headers()) {
        match store.api_token_principal(token).await {
            Ok(Some(principal)) => (Some(principal), String::new(), true),
            Ok(None) => {
                return reject(
                    &path,
                    AppError::Forbidden("the API token is unknown or revoked".to_owned()),
                )
                .map_status_unauthorized();
            }
            Err(e) => return reject(&path, e.into()),
        }
    } else {
        let session =
            cookies::get(request.headers(), cookies::session_name(secure)).map(str::to_owned);
        let mut found = None;
        if let Some(secret) = &session {
            match store.session_principal(secret).await {
                Ok(Some(principal)) => found = Some((principal, csrf::for_session(secret))),
                Ok(None) => {
                    set_cookies.push(cookies::set(cookies::session_name(secure), "", 0, secure))
                }
                Err(e) => return reject(&path, e.into()),
            }
        }
        match found {
            Some((principal, csrf)) => (Some(principal), csrf, false),
            None => {
                let pre = match cookies::get(request.headers(), cookies::pre_session_name(secure)) {
                    Some(value) => value.to_owned(),
                    None => {
                        let value = csrf::random_token();
                        set_cookies.push(cookies::set(
                            cookies::pre_session_name(secure),
                            &value,
                            12 * 3600,
                            secure,
                        ));
                        value
                    }
                };
                (None, pre, false)
            }
        }
    };

    let user = match &principal {
        Some(p) if p.user_id().is_some() => match store.me(p).await {
            Ok(user) => Some(user),
            Err(e) => return reject(&path, e.into()),
        },
        _ => None,
    };

    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let mut request = request;
    if unsafe_method && !bearer {
        let given = match request
            .headers()
            .get(csrf::HEADER)
            .and_then(|v| v.to_str().ok())
        {
            Some(value) => Some(value.to_owned()),
            None => {
                let content_type = request
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                let limit = state.config().max_body_bytes;
                let (parts, body) = request.into_parts();
                let bytes = match axum::body::to_bytes(body, limit).await {
                    Ok(bytes) => bytes,
                    Err(_) => return reject(&path, AppError::TooLarge { limit }),
                };
                let field = csrf::field_in_body(&content_type, &bytes);
                request = Request::from_parts(parts, Body::from(bytes));
                field
            }
        };
        if !given.is_some_and(|g| csrf::matches(&g, &csrf)) {
            return reject(&path, AppError::Csrf);
        }
    }

    request.extensions_mut().insert(Auth {
        principal,
        user,
        csrf,
    });
    let mut response = next.run(request).await;
    for cookie in set_cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

trait UnauthorizedStatus {
    fn map_status_unauthorized(self) -> Self;
}

impl UnauthorizedStatus for Response {
    fn map_status_unauthorized(mut self) -> Response {
        *self.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        self
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Auth>()
            .cloned()
            .ok_or_else(|| AppError::Internal("the auth middleware did not run".to_owned()))
    }
}

/// A page handler's caller: a signed-in user (anonymous visitors are sent to the login page).
#[derive(Clone, Debug)]
pub(crate) struct SignedIn {
    pub(crate) principal: Principal,
    pub(crate) user: User,
    pub(crate) csrf: String,
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = Auth::from_request_parts(parts, state).await?;
        match (auth.principal, auth.user) {
            (Some(principal), Some(user)) => Ok(SignedIn {
                principal,
                user,
                csrf: auth.csrf,
            }),
            _ => Err(AppError::SignInRequired {
                next: parts
                    .uri
                    .path_and_query()
                    .map_or("/".to_owned(), |p| p.as_str().to_owned()),
            }),
        }
    }
}

/// An API handler's caller: an API token or a session (which passed the CSRF check).
#[derive(Clone, Debug)]
pub(crate) struct ApiCaller {
    pub(crate) principal: Principal,
    pub(crate) user: User,
}

impl ApiCaller {
    /// True when the caller came with a session cookie rather than a token.
    pub(crate) fn is_session(&self) -> bool {
        matches!(self.principal.kind(), PrincipalKind::User { .. })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = Auth::from_request_parts(parts, state).await?;
        match (auth.principal, auth.user) {
            (Some(principal), Some(user)) => Ok(ApiCaller { principal, user }),
            _ => Err(ApiError(AppError::Unauthorized)),
        }
    }
}

/// Starts a session for `user` and returns its `Set-Cookie` value (and the CSRF token the next
/// page must use).
pub(crate) async fn start_session(
    state: &AppState,
    user: trailmap_store::UserId,
) -> Result<(String, String), AppError> {
    let issued = state
        .store()
        .create_session(user, state.config().session_ttl)
        .await?;
    let secure = state.secure_cookies();
    let cookie = cookies::set(
        cookies::session_name(secure),
        issued.token.expose(),
        state.config().session_ttl.as_secs(),
        secure,
    );
    Ok((cookie, csrf::for_session(issued.token.expose())))
}

/// The `Set-Cookie` value that ends the session cookie, and the session secret to delete.
pub(crate) fn end_session(state: &AppState, headers: &HeaderMap) -> (String, Option<String>) {
    let secure = state.secure_cookies();
    let name = cookies::session_name(secure);
    (
        cookies::set(name, "", 0, secure),
        cookies::get(headers, name).map(str::to_owned),
    )
}
