//! The shared workspace (`trailmap serve`): journey maps in the browser for every department.
//!
//! An axum application over [`trailmap_store::Store`]: server-rendered HTML pages (maud, which
//! escapes every interpolated value, with htmx vendored under `assets/` for live checking and
//! progress), a JSON API under `/api/v1` described by `openapi.json`, and the auth around both.
//!
//! ```text
//! request ─▶ security headers ─▶ authenticate (session cookie | Bearer token | share link)
//!          ─▶ CSRF check (every POST/PUT/PATCH/DELETE without a Bearer token)
//!          ─▶ route ─▶ handler ─▶ Store (checks access with policy::can) / check / render
//! ```
//!
//! - `auth/`: sessions, CSRF tokens, the login rate limit, the one extractor pages and API use.
//! - `pages/`: one module per screen; `layout.rs` is the page shell.
//! - `api/`: the JSON API, with stable error objects `{"error": {"code", "message"}}`.
//! - `maps.rs`: what pages and API share: checking YAML, saving a version with its base.
//! - `edit.rs` + `yaml_write.rs`: the structured editor (parse, change the `Map`, write YAML).
//! - `jobs.rs`: the background analyze worker.
//!
//! **Invariant:** access is decided in one place, [`trailmap_store::policy::can`]: the store
//! applies it to every read and write, and pages use it only to decide which buttons to show.
//! **Invariant:** user text reaches HTML only through maud's escaping; the map picture is the
//! renderer's own page, served with its own restrictive CSP inside a sandboxed iframe.

mod api;
mod assets;
mod auth;
mod config;
pub mod edit;
mod error;
pub mod form;
mod jobs;
mod linediff;
mod maps;
mod pages;
pub mod png;
mod routes;
mod state;
mod upload;
pub mod yaml_write;

pub use api::OPENAPI;
pub use config::{CookiePolicy, ServerConfig};
pub use jobs::{Worker, spawn_worker};
pub use routes::{app, route_list};
pub use state::AppState;

use std::net::SocketAddr;

use trailmap_store::Store;

/// What went wrong starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The database could not be opened or migrated.
    #[error("cannot open the database: {0}")]
    Store(#[from] trailmap_store::StoreError),
    /// The address could not be bound (in use, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The server stopped with an IO error.
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// A bound server, not yet serving: its address is known (with `--bind 127.0.0.1:0`, the port
/// the system chose), so the caller can print it before serving.
pub struct Bound {
    listener: tokio::net::TcpListener,
    state: AppState,
    /// The address actually listened on.
    pub addr: SocketAddr,
}

/// Opens the database and binds the address.
pub async fn bind(config: ServerConfig) -> Result<Bound, ServeError> {
    let store = Store::open(&config.database).await?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.bind,
            source,
        })?;
    let addr = listener.local_addr()?;
    let state = AppState::new(store, config);
    Ok(Bound {
        listener,
        state,
        addr,
    })
}

impl Bound {
    /// Serves until `shutdown` completes, then finishes the requests in flight, stops the
    /// background worker and closes the database.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let worker = jobs::spawn_worker(self.state.clone());
        let router = app(self.state.clone());
        let result = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        worker.stop().await;
        self.state.store().close().await;
        result.map_err(ServeError::Io)
    }
}
