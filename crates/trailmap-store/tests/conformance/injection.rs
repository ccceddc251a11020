//! Hostile strings: stored and returned exactly, never run as SQL; LIKE wildcards are literal.

use trailmap_store::{MapState, NewComment, NewMap, SaveVersion};

use crate::common::{each_backend, world};

const HOSTILE: &[&str] = &[
    "'; DROP TABLE maps; --",
    "\"; DELETE FROM users; --",
    "Robert'); DROP TABLE map_versions;--",
    "1 OR 1=1",
    "%_",
    "50% off_now\\",
    "<script>alert(1)</script>",
    "$1 $2 ?1 :name @x",
    "ünïcode 😀 — \u{202e}rtl",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_text_round_trips_and_harms_nothing() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        for (i, text) in HOSTILE.iter().enumerate() {
            let (map, v1) = store
                .create_map(
                    &w.editor,
                    w.workspace,
                    NewMap {
                        slug: format!("hostile-{i}"),
                        title: (*text).to_owned(),
                        state: MapState::Future,
                        journey_id: Some((*text).to_owned()),
                        yaml: format!("title: {text}\n"),
                        message: (*text).to_owned(),
                    },
                )
                .await
                .unwrap();
            assert_eq!(
                (map.title.as_str(), map.journey_id.as_deref()),
                (*text, Some(*text))
            );
            assert_eq!(
                (v1.yaml.as_str(), v1.info.message.as_str()),
                (format!("title: {text}\n").as_str(), *text)
            );
            let save = SaveVersion {
                base_version: 1,
                yaml: (*text).to_owned(),
                message: (*text).to_owned(),
                journey_id: None,
            };
            assert_eq!(
                store
                    .save_version(&w.editor, map.id, save)
                    .await
                    .unwrap()
                    .yaml,
                *text
            );
            let c = NewComment {
                target: (*text).to_owned(),
                body: (*text).to_owned(),
                parent: None,
                version: None,
            };
            let c = store.add_comment(&w.commenter, map.id, c).await.unwrap();
            assert_eq!((c.target.as_str(), c.body.as_str()), (*text, *text));
            let by_target = store
                .list_comments(&w.viewer, map.id, Some(text), false)
                .await
                .unwrap();
            assert_eq!(by_target.len(), 1);
            let hits = store.search_maps(&w.viewer, text, 50).await.unwrap();
            assert!(
                hits.iter().any(|h| h.map.id == map.id),
                "search finds {text:?} literally"
            );
        }
        // Every table is still there and whole.
        assert_eq!(
            store.list_maps(&w.viewer, None).await.unwrap().len(),
            HOSTILE.len() + 1
        );
        assert_eq!(store.user_count().await.unwrap(), 5);
        assert!(store.latest_version(&w.viewer, w.map.id).await.is_ok());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn like_wildcards_in_a_query_match_only_themselves() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let mk = |slug: &str, title: &str, yaml: &str| NewMap {
            slug: slug.into(),
            title: title.into(),
            state: MapState::Current,
            journey_id: None,
            yaml: yaml.into(),
            message: String::new(),
        };
        store
            .create_map(&w.editor, w.workspace, mk("a", "Refund 100%", "steps: []"))
            .await
            .unwrap();
        store
            .create_map(&w.editor, w.workspace, mk("b", "Refund 1000", "steps: []"))
            .await
            .unwrap();
        store
            .create_map(
                &w.editor,
                w.workspace,
                mk("c", "Plain", "step_id: pay_now\n  title: Pay"),
            )
            .await
            .unwrap();
        store
            .create_map(&w.editor, w.workspace, mk("d", "Other", "stepXid: payXnow"))
            .await
            .unwrap();
        let slugs = |hits: Vec<trailmap_store::SearchHit>| {
            hits.into_iter().map(|h| h.map.slug).collect::<Vec<_>>()
        };
        assert_eq!(
            slugs(store.search_maps(&w.viewer, "100%", 10).await.unwrap()),
            ["a"]
        );
        assert_eq!(
            slugs(store.search_maps(&w.viewer, "pay_now", 10).await.unwrap()),
            ["c"]
        );
        assert!(
            store.search_maps(&w.viewer, "%", 10).await.unwrap().len() == 1,
            "only the map with a literal %"
        );
        assert_eq!(
            store.search_maps(&w.viewer, "_", 10).await.unwrap().len(),
            1,
            "only the map with a literal _"
        );
        assert!(
            store
                .search_maps(&w.viewer, "", 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .search_maps(&w.viewer, "   ", 10)
                .await
                .unwrap()
                .is_empty()
        );

        let hit = &store.search_maps(&w.viewer, "PAY_NOW", 10).await.unwrap()[0];
        assert_eq!(
            hit.matched_in,
            trailmap_store::MatchedIn::Content,
            "case-insensitive"
        );
        assert_eq!(hit.snippet.as_deref(), Some("step_id: pay_now"));
        let titled = store.search_maps(&w.viewer, "refund", 10).await.unwrap();
        assert!(
            titled
                .iter()
                .all(|h| h.matched_in == trailmap_store::MatchedIn::Title)
        );
        let by_slug = store.search_maps(&w.viewer, "checkout", 10).await.unwrap();
        assert_eq!(by_slug[0].map.id, w.map.id);
        assert_eq!(
            store
                .search_maps(&w.viewer, "refund", 1)
                .await
                .unwrap()
                .len(),
            1,
            "limit"
        );

        // Non-ASCII: the exact spelling is found on both backends, either case only on PostgreSQL.
        store
            .create_map(&w.editor, w.workspace, mk("e", "Éclair Über", "x"))
            .await
            .unwrap();
        assert_eq!(
            slugs(
                store
                    .search_maps(&w.viewer, "Éclair Über", 10)
                    .await
                    .unwrap()
            ),
            ["e"]
        );
        assert_eq!(
            slugs(store.search_maps(&w.viewer, "ÉCLAIR", 10).await.unwrap()),
            ["e"]
        );
        let folded = slugs(store.search_maps(&w.viewer, "éclair", 10).await.unwrap());
        let expected: &[&str] = if db.label == "postgres" { &["e"] } else { &[] };
        assert_eq!(folded, expected);
    })
    .await;
}
