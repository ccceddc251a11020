//! The state every handler shares.

use std::sync::Arc;

use trailmap_store::Store;

use crate::config::ServerConfig;

/// The store and the configuration. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    config: ServerConfig,
    secure_cookies: bool,
    /// Wakes the background worker when a job is queued.
    jobs: tokio::sync::Notify,
}

impl AppState {
    /// State over an opened store.
    pub fn new(store: Store, config: ServerConfig) -> AppState {
        let secure_cookies = config.secure_cookies();
        AppState {
            inner: Arc::new(Inner {
                store,
                config,
                secure_cookies,
                jobs: tokio::sync::Notify::new(),
            }),
        }
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    /// Whether cookies are `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.inner.secure_cookies
    }

    pub(crate) fn jobs(&self) -> &tokio::sync::Notify {
        &self.inner.jobs
    }
}
