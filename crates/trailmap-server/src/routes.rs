//! The router: every page and API route, and the layers around them.
//!
//! Routes are added through [`Routes`], which also records each method and path, so the
//! OpenAPI document can be tested against the real API routes (`tests/openapi.rs`).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{MethodRouter, delete, get, patch, post, put};

use crate::pages::{
    account, auth, comments, evidence, history, map, members, share, source, structure, workspace,
};
use crate::state::AppState;
use crate::{api, assets};

/// A router under construction that remembers its routes.
pub(crate) struct Routes {
    router: Router<AppState>,
    list: Vec<(&'static str, &'static str)>,
}

impl Routes {
    fn new() -> Routes {
        Routes {
            router: Router::new(),
            list: Vec::new(),
        }
    }

    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        route: MethodRouter<AppState>,
    ) -> Routes {
        self.router = self.router.route(path, route);
        self.list.push((method, path));
        self
    }

    pub(crate) fn get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        h: H,
    ) -> Routes {
        self.add("GET", path, get(h))
    }
    pub(crate) fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        h: H,
    ) -> Routes {
        self.add("POST", path, post(h))
    }
    pub(crate) fn put<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        h: H,
    ) -> Routes {
        self.add("PUT", path, put(h))
    }
    pub(crate) fn patch<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        h: H,
    ) -> Routes {
        self.add("PATCH", path, patch(h))
    }
    pub(crate) fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        h: H,
    ) -> Routes {
        self.add("DELETE", path, delete(h))
    }
}

fn pages(r: Routes) -> Routes {
    r.get("/", workspace::home)
        .get("/healthz", healthz)
        .get("/assets/htmx.min.js", assets::htmx)
        .get("/assets/htmx-LICENSE.txt", assets::htmx_license)
        .get("/assets/style.css", assets::style)
        .get("/login", auth::login_page)
        .post("/login", auth::login)
        .post("/logout", auth::logout)
        .get("/signup", auth::signup_page)
        .post("/signup", auth::signup)
        .post("/invite/accept", account::accept)
        .get("/account", account::account_page)
        .post("/account/tokens", account::create_token)
        .post("/account/tokens/{id}/revoke", account::revoke_token)
        .post("/account/password", account::change_password)
        .post("/workspaces", account::create_workspace)
        .get("/inbox", account::inbox)
        .get("/w/{ws}", workspace::dashboard)
        .get("/w/{ws}/import", workspace::import_page)
        .post("/w/{ws}/import", workspace::import)
        .get("/w/{ws}/activity", workspace::activity)
        .get("/w/{ws}/members", members::members_page)
        .post("/w/{ws}/invitations", members::invite)
        .post(
            "/w/{ws}/invitations/{id}/revoke",
            members::revoke_invitation,
        )
        .post("/w/{ws}/members/{user}/role", members::set_role)
        .post("/w/{ws}/members/{user}/remove", members::remove)
        .get("/m/{id}", map::view)
        .get("/m/{id}/render", map::render)
        .get("/m/{id}/export", map::export_page)
        .get("/m/{id}/export/{format}", map::export)
        .get("/m/{id}/settings", map::settings_page)
        .post("/m/{id}/settings", map::settings)
        .post("/m/{id}/delete", map::delete)
        .get("/m/{id}/source", source::source_page)
        .post("/m/{id}/source", source::save)
        .post("/m/{id}/check", source::check)
        .get("/m/{id}/structure", structure::structure_page)
        .get("/m/{id}/structure/step/{step}", structure::step_page)
        .post("/m/{id}/edit", structure::edit)
        .get("/m/{id}/history", history::history)
        .get("/m/{id}/diff", history::diff)
        .get("/m/{id}/diff/frame", history::diff_frame)
        .post("/m/{id}/restore", history::restore)
        .get("/m/{id}/compare", history::compare)
        .get("/m/{id}/compare/frame", history::compare_frame)
        .get("/m/{id}/comments", comments::comments_page)
        .post("/m/{id}/comments", comments::add)
        .post("/m/{id}/comments/{comment}/resolve", comments::resolve)
        .post("/m/{id}/comments/{comment}/delete", comments::delete)
        .get("/m/{id}/evidence", evidence::evidence_page)
        .post("/m/{id}/analyses", evidence::upload)
        .post("/m/{id}/analyses/run", evidence::run)
        .get("/m/{id}/analyses/{analysis}/status", evidence::status)
        .post("/m/{id}/analyses/{analysis}/delete", evidence::delete)
        .get("/m/{id}/share", share::share_page)
        .post("/m/{id}/share", share::create)
        .post("/m/{id}/share/{link}/revoke", share::revoke)
        .get("/s/{token}", share::open)
        .get("/s/{token}/render", share::render)
        .get("/s/{token}/export/{format}", share::export)
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// The application: every route, authentication and CSRF, security headers, body limit.
pub fn app(state: AppState) -> Router {
    let routes = api::routes(pages(Routes::new()));
    let limit = state.config().max_body_bytes;
    routes
        .router
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::authenticate,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Every route as `(METHOD, path)`, pages and API, in the order they are added.
pub fn route_list() -> Vec<(&'static str, &'static str)> {
    api::routes(pages(Routes::new())).list
}

async fn not_found(uri: axum::http::Uri) -> Response {
    let error = crate::error::AppError::NotFound("page");
    if uri.path().starts_with("/api/") {
        error.into_json_response()
    } else {
        axum::response::IntoResponse::into_response(error)
    }
}

/// The workspace's own pages load only their own script and style sheet, are never framed, and
/// are not cached (they show private data). The renderer's pages set their own, stricter policy.
const APP_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

async fn security_headers(request: axum::extract::Request, next: Next) -> Response {
    let is_asset = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let framable = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("frame-ancestors 'self'"));
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(APP_CSP));
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static(if framable { "SAMEORIGIN" } else { "DENY" }),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Share-link and invitation tokens are in URLs: never send them to another site.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !is_asset {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    response
}
