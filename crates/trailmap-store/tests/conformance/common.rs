//! Test support: one fresh database per test on every backend under test.
//!
//! SQLite always (a file in the temp folder); PostgreSQL too when `TRAILMAP_TEST_POSTGRES`
//! holds a URL of a role that may create databases: each test gets its own database, dropped
//! at the end, so tests run in parallel without seeing each other.

#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Connection;
use trailmap_store::{
    MapState, NewMap, NewUser, Principal, Role, SignedUp, Store, WorkspaceId, now_millis,
};

/// A database made for one test.
pub struct TestDb {
    /// `"sqlite"` or `"postgres"`.
    pub label: &'static str,
    /// The URL the store was opened with (to reopen it, or to look at raw rows).
    pub url: String,
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("tm_test_{}_{}_{}", std::process::id(), n, nanos)
}

/// The PostgreSQL URL to test against, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("TRAILMAP_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// `url` with its database name replaced (query options kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_and_path = &base[scheme_end..];
    let host = host_and_path.split('/').next().unwrap_or_default();
    let mut out = format!("{}{}/{}", &base[..scheme_end], host, name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let url = format!("sqlite://{}", path.display());
        let store = Store::open(&url).await.expect("open sqlite");
        TestDb {
            label: "sqlite",
            url,
            store,
            cleanup: Cleanup::File(path),
        }
    }

    pub async fn postgres(admin_url: &str) -> TestDb {
        let name = unique_name();
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .expect("connect to TRAILMAP_TEST_POSTGRES");
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .await
            .expect("create database");
        admin.close().await.ok();
        let url = with_database(admin_url, &name);
        let store = Store::open(&url).await.expect("open postgres");
        TestDb {
            label: "postgres",
            url,
            store,
            cleanup: Cleanup::Database {
                admin_url: admin_url.to_owned(),
                name,
            },
        }
    }

    /// Closes the store and removes the database.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    std::fs::remove_file(p).ok();
                }
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut admin)
                        .await
                        .ok();
                    admin.close().await.ok();
                }
            }
        }
    }
}

/// Runs `case` against a fresh database on every backend under test.
pub async fn each_backend<F, Fut>(case: F)
where
    F: Fn(TestDbRef) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut dbs = vec![TestDb::sqlite().await];
    if let Some(url) = postgres_url() {
        dbs.push(TestDb::postgres(&url).await);
    }
    for db in dbs {
        eprintln!("--- backend: {}", db.label);
        case(TestDbRef {
            label: db.label,
            url: db.url.clone(),
            store: db.store.clone(),
        })
        .await;
        db.finish().await;
    }
}

/// What a case gets: the store and how to reach its database.
#[derive(Clone)]
pub struct TestDbRef {
    pub label: &'static str,
    pub url: String,
    pub store: Store,
}

impl TestDbRef {
    /// Runs a statement behind the store's back.
    pub async fn raw_execute(&self, sql: &str) {
        if self.label == "sqlite" {
            let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
    }

    /// Every value of the first column of a query, as text, read behind the store's back.
    pub async fn raw_strings(&self, sql: &str) -> Vec<String> {
        use sqlx::Row;
        if self.label == "sqlite" {
            let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::query(sql)
                .fetch_all(&mut c)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>(0))
                .collect()
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query(sql)
                .fetch_all(&mut c)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>(0))
                .collect()
        }
    }
}

pub const PASSWORD: &str = "correct horse battery";

pub fn new_user(handle: &str) -> NewUser {
    NewUser {
        email: format!("{handle}@example.com"),
        handle: handle.to_owned(),
        display_name: format!("User {handle}"),
        password: PASSWORD.to_owned(),
    }
}

pub const DAY_MS: i64 = 24 * 3600 * 1000;

/// An admin-owned workspace with one member of each role, an outsider (member only of another
/// workspace), and one map.
pub struct World {
    pub admin: SignedUp,
    pub workspace: WorkspaceId,
    pub owner: Principal,
    pub editor: Principal,
    pub commenter: Principal,
    pub viewer: Principal,
    pub outsider: Principal,
    pub other_workspace: WorkspaceId,
    pub map: trailmap_store::Map,
}

pub async fn invite_user(
    store: &Store,
    by: &Principal,
    workspace: WorkspaceId,
    handle: &str,
    role: Role,
) -> SignedUp {
    let (_, token) = store
        .create_invitation(by, workspace, None, role, now_millis() + DAY_MS)
        .await
        .expect("invite");
    store
        .sign_up(new_user(handle), Some(token.expose()))
        .await
        .expect("sign up by invitation")
}

pub const MAP_YAML: &str = "trailmap: 1\njourney:\n  id: checkout\n  title: Checkout\n";

pub async fn world(store: &Store) -> World {
    let admin = store
        .sign_up(new_user("admin"), None)
        .await
        .expect("first sign-up");
    let owner = admin.principal.clone();
    let workspace = admin
        .workspace
        .as_ref()
        .expect("default workspace")
        .workspace
        .id;
    let editor = invite_user(store, &owner, workspace, "eddie", Role::Editor)
        .await
        .principal;
    let commenter = invite_user(store, &owner, workspace, "carla", Role::Commenter)
        .await
        .principal;
    let viewer = invite_user(store, &owner, workspace, "vic", Role::Viewer)
        .await
        .principal;
    let other = store
        .create_workspace(&owner, "other", "Other team")
        .await
        .expect("workspace");
    let outsider = invite_user(store, &owner, other.id, "otto", Role::Owner)
        .await
        .principal;
    store
        .remove_member(&owner, other.id, admin.user.id)
        .await
        .expect("admin leaves other");
    let (map, _) = store
        .create_map(
            &owner,
            workspace,
            NewMap {
                slug: "checkout".into(),
                title: "Checkout".into(),
                state: MapState::Current,
                journey_id: Some("checkout".into()),
                yaml: MAP_YAML.into(),
                message: "Imported".into(),
            },
        )
        .await
        .expect("create map");
    World {
        admin,
        workspace,
        owner,
        editor,
        commenter,
        viewer,
        outsider,
        other_workspace: other.id,
        map,
    }
}
