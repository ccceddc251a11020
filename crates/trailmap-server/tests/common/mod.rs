//! A test harness: the real router over a fresh SQLite file, driven with `tower::oneshot`, and
//! clients that keep cookies and the page's CSRF token like a browser does.

#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use tower::ServiceExt;
use trailmap_server::{AppState, ServerConfig};
use trailmap_store::Store;

pub const RETAIL: &str = include_str!("../../../../examples/online-retail-purchase.yaml");
pub const RETAIL_FUTURE: &str =
    include_str!("../../../../examples/online-retail-purchase-future.yaml");
pub const SUPPORT: &str = include_str!("../../../../examples/support-contact.yaml");

pub struct World {
    pub app: Router,
    pub store: Store,
    pub state: AppState,
    path: std::path::PathBuf,
}

impl Drop for World {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub async fn world() -> World {
    world_with(|_| {}).await
}

pub async fn world_with(configure: impl FnOnce(&mut ServerConfig)) -> World {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!(
        "trailmap-server-test-{}-{n}.db",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    let mut config = ServerConfig::new(path.display().to_string());
    configure(&mut config);
    let store = Store::open(&config.database)
        .await
        .expect("the test database opens");
    let state = AppState::new(store.clone(), config);
    let app = trailmap_server::app(state.clone());
    World {
        app,
        store,
        state,
        path,
    }
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Response {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The text of the first `<p class="secret">` (a link or token shown once).
    pub fn secret(&self) -> String {
        let start = self
            .body
            .find("class=\"secret\">")
            .expect("the page shows a secret")
            + "class=\"secret\">".len();
        let end = self.body[start..].find('<').unwrap() + start;
        self.body[start..end].to_owned()
    }
}

/// A browser: cookies, the last page's CSRF token, optionally a Bearer token instead.
pub struct Client {
    app: Router,
    cookies: HashMap<String, String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
}

impl Client {
    pub fn new(world: &World) -> Client {
        Client {
            app: world.app.clone(),
            cookies: HashMap::new(),
            csrf: None,
            bearer: None,
        }
    }

    pub fn with_token(world: &World, token: &str) -> Client {
        let mut c = Client::new(world);
        c.bearer = Some(token.to_owned());
        c
    }

    pub async fn send(&mut self, mut request: Request<Body>) -> Response {
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request
                .headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        if let Some(token) = &self.bearer {
            request.headers_mut().insert(
                header::AUTHORIZATION,
                format!("Bearer {token}").parse().unwrap(),
            );
        }
        request
            .headers_mut()
            .insert(header::HOST, "localhost".parse().unwrap());
        let response = self
            .app
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let (pair, attrs) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || attrs.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(at) = body.find("name=\"_csrf\" value=\"") {
            let start = at + "name=\"_csrf\" value=\"".len();
            let end = body[start..].find('"').unwrap() + start;
            self.csrf = Some(body[start..end].to_owned());
        }
        Response {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// A form post with the current CSRF token first (as our forms send it).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut pairs: Vec<(String, String)> = Vec::new();
        if let Some(csrf) = &self.csrf {
            pairs.push(("_csrf".to_owned(), csrf.clone()));
        }
        pairs.extend(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        self.post_raw(path, &pairs).await
    }

    pub async fn post_raw(&mut self, path: &str, pairs: &[(String, String)]) -> Response {
        let body = serde_urlencoded::to_string(pairs).unwrap();
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// A multipart post (file uploads), CSRF token first.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Response {
        let boundary = "XtrailmapBoundary7";
        let mut body: Vec<u8> = Vec::new();
        let mut part = |name: &str, file: Option<&str>, bytes: &[u8]| {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file {
                Some(f) => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes()),
                None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
            }
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        };
        if let Some(csrf) = self.csrf.clone() {
            part("_csrf", None, csrf.as_bytes());
        }
        for (k, v) in fields {
            part(k, None, v.as_bytes());
        }
        for (k, name, bytes) in files {
            part(k, Some(name), bytes);
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// A JSON request; with a session it sends the CSRF header, as the pages' scripts would.
    pub async fn json(
        &mut self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Response {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(csrf) = &self.csrf
            && self.bearer.is_none()
        {
            builder = builder.header("x-csrf-token", csrf);
        }
        let request = match body {
            Some(b) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string()))
                .unwrap(),
            None => builder.body(Body::empty()).unwrap(),
        };
        self.send(request).await
    }

    pub async fn sign_up(&mut self, name: &str, handle: &str, invite: Option<&str>) -> Response {
        let path = match invite {
            Some(t) => format!("/signup?invite={t}"),
            None => "/signup".to_owned(),
        };
        self.get(&path).await;
        let email = format!("{handle}@example.org");
        let mut fields = vec![
            ("display_name", name),
            ("handle", handle),
            ("email", email.as_str()),
            ("password", "correct horse"),
        ];
        if let Some(t) = invite {
            fields.push(("invite", t));
        }
        let response = self.post("/signup", &fields).await;
        // Load a page so the client holds the session's CSRF token.
        self.get("/account").await;
        response
    }

    pub async fn import(&mut self, ws: &str, yaml: &str, slug: Option<&str>) -> Response {
        self.get(&format!("/w/{ws}/import")).await;
        let mut fields = vec![("yaml", yaml)];
        if let Some(s) = slug {
            fields.push(("slug", s));
        }
        self.post_multipart(&format!("/w/{ws}/import"), &fields, &[])
            .await
    }
}

/// The invitation token in an invitation link.
pub fn invite_token(link: &str) -> String {
    link.rsplit("invite=").next().unwrap().to_owned()
}

/// Owner signs up, imports the retail map, and invites one person per role; returns the
/// clients (owner, editor, commenter, viewer) and the map id.
pub async fn team(world: &World) -> (Client, Client, Client, Client, i64) {
    let mut owner = Client::new(world);
    owner.sign_up("Olga Owner", "olga", None).await;
    let r = owner.import("default", RETAIL, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let map: i64 = r.location().trim_start_matches("/m/").parse().unwrap();
    let mut others = Vec::new();
    for (name, handle, role) in [
        ("Ed Editor", "ed", "editor"),
        ("Cora Commenter", "cora", "commenter"),
        ("Vic Viewer", "vic", "viewer"),
    ] {
        owner.get("/w/default/members").await;
        let r = owner
            .post(
                "/w/default/invitations",
                &[("role", role), ("expires_days", "7")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let token = invite_token(&r.secret());
        let mut c = Client::new(world);
        let r = c.sign_up(name, handle, Some(&token)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        others.push(c);
    }
    let viewer = others.pop().unwrap();
    let commenter = others.pop().unwrap();
    let editor = others.pop().unwrap();
    (owner, editor, commenter, viewer, map)
}
