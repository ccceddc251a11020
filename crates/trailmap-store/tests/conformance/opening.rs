//! Opening databases: bad URLs, files that are not databases, schemas from the future.

use trailmap_store::{Store, StoreError};

use crate::common::each_backend;

fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tm_open_{}_{name}", std::process::id()))
}

#[tokio::test]
async fn bad_sqlite_locations_are_named() {
    let missing = temp_path("no/such/folder/x.db");
    match Store::open(&format!("sqlite://{}", missing.display())).await {
        Err(StoreError::BadUrl { message, .. }) => {
            assert!(message.contains("does not exist"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    for url in ["", "sqlite::memory:", "sqlite://x.db?mode=rwc"] {
        assert!(
            matches!(Store::open(url).await, Err(StoreError::BadUrl { .. })),
            "{url:?}"
        );
    }
    let dir = std::env::temp_dir();
    assert!(matches!(
        Store::open(dir.to_str().unwrap()).await,
        Err(StoreError::BadUrl { .. })
    ));
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let path = temp_path("not-a-db.yaml");
    let text = "trailmap: 1\njourney:\n  id: x\n".repeat(100);
    std::fs::write(&path, &text).unwrap();
    let opened = Store::open(path.to_str().unwrap()).await;
    assert!(opened.is_err(), "opened a YAML file as a database");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "the file is untouched"
    );
    std::fs::remove_file(&path).ok();
}

#[cfg(unix)]
#[tokio::test]
async fn a_new_sqlite_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let path = temp_path("private.db");
    let store = Store::open(path.to_str().unwrap()).await.unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        std::fs::remove_file(format!("{}{suffix}", path.display())).ok();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_newer_than_this_build_is_refused() {
    each_backend(|db| async move {
        db.raw_execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'future', 0)",
        )
        .await;
        match Store::open(&db.url).await {
            Err(StoreError::Migration {
                version: 99,
                message,
            }) => assert!(message.contains("upgrade trailmap"), "{message}"),
            other => panic!("{other:?}"),
        }
    })
    .await;
}
