//! Maps and versions: dense numbering, conflicts, restore, concurrent saves.

use trailmap_store::{MapChanges, MapState, NewMap, SaveVersion, StoreError};

use crate::common::{MAP_YAML, each_backend, world};

fn save(base: i64, yaml: &str) -> SaveVersion {
    SaveVersion {
        base_version: base,
        yaml: yaml.to_owned(),
        message: format!("edit on {base}"),
        journey_id: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_on_the_latest_version_makes_the_next_one() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        assert_eq!(w.map.latest_version, 1);
        let v1 = store.latest_version(&w.viewer, w.map.id).await.unwrap();
        assert_eq!((v1.info.number, v1.yaml.as_str()), (1, MAP_YAML));
        assert_eq!(v1.info.author.as_ref().unwrap().handle, "admin");

        let v2 = store
            .save_version(&w.editor, w.map.id, save(1, "v2 text"))
            .await
            .unwrap();
        assert_eq!(v2.info.number, 2);
        assert_eq!(v2.info.author.unwrap().handle, "eddie");
        assert_eq!(v2.info.message, "edit on 1");
        let v3 = store
            .save_version(&w.editor, w.map.id, save(2, "v3 text"))
            .await
            .unwrap();
        assert_eq!(v3.info.number, 3);
        let listed: Vec<i64> = store
            .list_versions(&w.viewer, w.map.id)
            .await
            .unwrap()
            .iter()
            .map(|v| v.number)
            .collect();
        assert_eq!(listed, [3, 2, 1]);
        assert_eq!(
            store.version(&w.viewer, w.map.id, 2).await.unwrap().yaml,
            "v2 text"
        );
        let missing = store.version(&w.viewer, w.map.id, 9).await;
        assert!(
            matches!(missing, Err(StoreError::NotFound { what: "version" })),
            "{missing:?}"
        );
        assert_eq!(
            store.map(&w.viewer, w.map.id).await.unwrap().latest_version,
            3
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_on_an_old_base_is_a_conflict_that_writes_nothing() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        store
            .save_version(&w.editor, w.map.id, save(1, "theirs"))
            .await
            .unwrap();
        let feed_before = store
            .map_activity(&w.viewer, w.map.id, 100)
            .await
            .unwrap()
            .len();
        let second = store
            .save_version(&w.owner, w.map.id, save(1, "mine"))
            .await;
        match second {
            Err(StoreError::Conflict { latest }) => {
                assert_eq!(latest.number, 2);
                assert_eq!(latest.author.unwrap().handle, "eddie");
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        for base in [0, -1, 3, i64::MAX] {
            let r = store
                .save_version(&w.owner, w.map.id, save(base, "x"))
                .await;
            assert!(
                matches!(r, Err(StoreError::Conflict { .. })),
                "base {base}: {r:?}"
            );
        }
        assert_eq!(
            store
                .latest_version(&w.viewer, w.map.id)
                .await
                .unwrap()
                .yaml,
            "theirs"
        );
        assert_eq!(
            store
                .list_versions(&w.viewer, w.map.id)
                .await
                .unwrap()
                .len(),
            2
        );
        let feed_after = store
            .map_activity(&w.viewer, w.map.id, 100)
            .await
            .unwrap()
            .len();
        assert_eq!(feed_before, feed_after, "a refused save leaves no activity");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_makes_a_new_version_with_the_old_text() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        store
            .save_version(&w.editor, w.map.id, save(1, "second"))
            .await
            .unwrap();
        let v3 = store
            .restore_version(&w.editor, w.map.id, 2, 1)
            .await
            .unwrap();
        assert_eq!(
            (v3.info.number, v3.info.restored_from, v3.yaml.as_str()),
            (3, Some(1), MAP_YAML)
        );
        assert_eq!(v3.info.message, "Restored version 1");
        let stale = store.restore_version(&w.editor, w.map.id, 2, 1).await;
        assert!(
            matches!(stale, Err(StoreError::Conflict { .. })),
            "{stale:?}"
        );
        let nothing = store.restore_version(&w.editor, w.map.id, 3, 42).await;
        assert!(
            matches!(nothing, Err(StoreError::NotFound { .. })),
            "{nothing:?}"
        );
        let denied = store.restore_version(&w.commenter, w.map.id, 3, 1).await;
        assert!(
            matches!(denied, Err(StoreError::Forbidden { .. })),
            "{denied:?}"
        );
        assert_eq!(
            store
                .list_versions(&w.viewer, w.map.id)
                .await
                .unwrap()
                .len(),
            3,
            "history is never rewritten"
        );
    })
    .await;
}

/// Many tasks save on the same base at once, round after round: exactly one wins each round,
/// every other gets a conflict naming the winner's version, and numbers stay dense.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_concurrent_saves_on_one_base_exactly_one_wins() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        const TASKS: usize = 16;
        const ROUNDS: i64 = 5;
        for round in 0..ROUNDS {
            let base = round + 1;
            let mut tasks = Vec::new();
            for t in 0..TASKS {
                let store = store.clone();
                let who = if t % 2 == 0 {
                    w.editor.clone()
                } else {
                    w.owner.clone()
                };
                let map = w.map.id;
                tasks.push(tokio::spawn(async move {
                    let yaml = format!("round {round} task {t}");
                    store
                        .save_version(&who, map, save(base, &yaml))
                        .await
                        .map(|v| (t, v))
                }));
            }
            let mut winners = Vec::new();
            let mut conflicts = 0;
            for task in tasks {
                match task.await.unwrap() {
                    Ok(won) => winners.push(won),
                    Err(StoreError::Conflict { latest }) => {
                        assert_eq!(latest.number, base + 1);
                        conflicts += 1;
                    }
                    Err(other) => panic!("round {round}: unexpected error {other}"),
                }
            }
            assert_eq!(winners.len(), 1, "round {round}: {} winners", winners.len());
            assert_eq!(conflicts, TASKS - 1);
            let (t, v) = &winners[0];
            assert_eq!(v.info.number, base + 1);
            let stored = store.version(&w.viewer, w.map.id, base + 1).await.unwrap();
            assert_eq!(
                stored.yaml,
                format!("round {round} task {t}"),
                "the winner's text is what is stored"
            );
        }
        let numbers: Vec<i64> = store
            .list_versions(&w.viewer, w.map.id)
            .await
            .unwrap()
            .iter()
            .map(|v| v.number)
            .collect();
        assert_eq!(
            numbers,
            (1..=ROUNDS + 1).rev().collect::<Vec<_>>(),
            "dense, never reused"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maps_have_unique_slugs_metadata_and_counterparts() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let new = |slug: &str, state| NewMap {
            slug: slug.into(),
            title: "Checkout tomorrow".into(),
            state,
            journey_id: None,
            yaml: "y".into(),
            message: String::new(),
        };
        let dup = store
            .create_map(&w.editor, w.workspace, new("checkout", MapState::Future))
            .await;
        assert!(
            matches!(
                dup,
                Err(StoreError::AlreadyExists {
                    what: "map",
                    field: "slug"
                })
            ),
            "{dup:?}"
        );
        let bad = store
            .create_map(&w.editor, w.workspace, new("Bad Slug", MapState::Future))
            .await;
        assert!(
            matches!(bad, Err(StoreError::Invalid { field: "slug", .. })),
            "{bad:?}"
        );
        // The same slug is fine in another workspace.
        store
            .create_map(
                &w.outsider,
                w.other_workspace,
                new("checkout", MapState::Current),
            )
            .await
            .unwrap();
        let (future, _) = store
            .create_map(
                &w.editor,
                w.workspace,
                new("checkout-future", MapState::Future),
            )
            .await
            .unwrap();
        let changed = store
            .update_map(
                &w.editor,
                future.id,
                MapChanges {
                    title: Some("  Checkout, fixed ".into()),
                    counterpart: Some(Some(w.map.id)),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (changed.title.as_str(), changed.counterpart),
            ("Checkout, fixed", Some(w.map.id))
        );
        assert_eq!(
            changed.latest_version, 1,
            "metadata changes make no version"
        );
        let selfish = store
            .update_map(
                &w.editor,
                future.id,
                MapChanges {
                    counterpart: Some(Some(future.id)),
                    ..Default::default()
                },
            )
            .await;
        assert!(
            matches!(
                selfish,
                Err(StoreError::Invalid {
                    field: "counterpart",
                    ..
                })
            ),
            "{selfish:?}"
        );
        let by_slug = store
            .map_by_slug(&w.viewer, w.workspace, "checkout-future")
            .await
            .unwrap();
        assert_eq!(by_slug.id, future.id);
        let listed: Vec<_> = store
            .list_maps(&w.viewer, Some(w.workspace))
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.slug)
            .collect();
        assert_eq!(
            listed,
            ["checkout-future", "checkout"],
            "most recently updated first"
        );

        store
            .update_map(
                &w.editor,
                w.map.id,
                MapChanges {
                    counterpart: Some(Some(future.id)),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let denied = store.delete_map(&w.editor, future.id).await;
        assert!(
            matches!(denied, Err(StoreError::Forbidden { .. })),
            "{denied:?}"
        );
        store.delete_map(&w.owner, future.id).await.unwrap();
        assert!(matches!(
            store.map(&w.owner, future.id).await,
            Err(StoreError::NotFound { .. })
        ));
        let feed = store
            .workspace_activity(&w.viewer, w.workspace, 5)
            .await
            .unwrap();
        assert_eq!(feed[0].kind, trailmap_store::ActivityKind::MapDeleted);
        assert_eq!(feed[0].map, None);
        assert!(
            store
                .map(&w.owner, w.map.id)
                .await
                .unwrap()
                .counterpart
                .is_none(),
            "counterpart cleared"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopening_a_database_keeps_everything_and_migrates_once() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        store
            .save_version(&w.editor, w.map.id, save(1, "kept"))
            .await
            .unwrap();
        assert_eq!(store.schema_version().await.unwrap(), 1);
        let again = trailmap_store::Store::open(&db.url).await.unwrap();
        assert_eq!(again.schema_version().await.unwrap(), 1);
        assert_eq!(
            again
                .latest_version(&w.viewer, w.map.id)
                .await
                .unwrap()
                .yaml,
            "kept"
        );
        again.ping().await.unwrap();
        again.close().await;
    })
    .await;
}
