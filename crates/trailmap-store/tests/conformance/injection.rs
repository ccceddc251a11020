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

/// PostgreSQL cannot store a NUL character; SQLite could. Both backends must answer the same
/// way: a text to store is `Invalid` naming its field, a lookup finds nothing. Never a
/// database error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_characters_are_refused_by_field_or_match_nothing() {
    use trailmap_store::{Role, StoreError, now_millis};

    fn field_of<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
        match r {
            Err(StoreError::Invalid { field, .. }) => field,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let nul = "a\0b";
        let map = |slug: &str, title: &str, yaml: &str, message: &str| NewMap {
            slug: slug.into(),
            title: title.into(),
            state: MapState::Current,
            journey_id: None,
            yaml: yaml.into(),
            message: message.into(),
        };
        let ws = w.workspace;
        assert_eq!(
            field_of(
                store
                    .create_map(&w.editor, ws, map(nul, "t", "y", ""))
                    .await
            ),
            "slug"
        );
        assert_eq!(
            field_of(
                store
                    .create_map(&w.editor, ws, map("s", nul, "y", ""))
                    .await
            ),
            "title"
        );
        assert_eq!(
            field_of(
                store
                    .create_map(&w.editor, ws, map("s", "t", nul, ""))
                    .await
            ),
            "yaml"
        );
        assert_eq!(
            field_of(
                store
                    .create_map(&w.editor, ws, map("s", "t", "y", nul))
                    .await
            ),
            "message"
        );
        let save = |yaml: &str, message: &str| SaveVersion {
            base_version: 1,
            yaml: yaml.into(),
            message: message.into(),
            journey_id: None,
        };
        assert_eq!(
            field_of(store.save_version(&w.editor, w.map.id, save(nul, "")).await),
            "yaml"
        );
        assert_eq!(
            field_of(
                store
                    .save_version(&w.editor, w.map.id, save("y", nul))
                    .await
            ),
            "message"
        );
        let c = |target: &str, body: &str| NewComment {
            target: target.into(),
            body: body.into(),
            parent: None,
            version: None,
        };
        assert_eq!(
            field_of(store.add_comment(&w.editor, w.map.id, c(nul, "b")).await),
            "target"
        );
        assert_eq!(
            field_of(store.add_comment(&w.editor, w.map.id, c("t", nul)).await),
            "body"
        );
        assert_eq!(
            field_of(store.create_workspace(&w.editor, "ok", nul).await),
            "name"
        );
        let invite = store
            .create_invitation(&w.owner, ws, Some(nul), Role::Viewer, now_millis() + 1000)
            .await;
        assert_eq!(field_of(invite), "email");
        assert_eq!(
            field_of(store.create_api_token(&w.editor, nul).await),
            "name"
        );
        assert_eq!(
            field_of(
                store
                    .attach_analysis(&w.editor, w.map.id, "n", None, nul)
                    .await
            ),
            "result_json"
        );
        let mut user = crate::common::new_user("nul");
        user.email = "nul\0@example.com".into();
        assert_eq!(field_of(store.sign_up(user, None).await), "email");

        // Lookups find nothing.
        assert!(
            store
                .search_maps(&w.viewer, nul, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            store.workspace_by_slug(&w.viewer, nul).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.map_by_slug(&w.viewer, ws, nul).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(
            store
                .list_comments(&w.viewer, w.map.id, Some(nul), true)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            store.verify_password("ada\0@x", "pw").await,
            Err(StoreError::BadCredentials)
        ));
        assert!(store.session_principal(nul).await.unwrap().is_none());
        assert!(store.share_link_principal(nul).await.unwrap().is_none());
        assert!(store.api_token_principal(nul).await.unwrap().is_none());
        assert!(store.invitation_by_token(nul).await.unwrap().is_none());
        // Login attempts under a key that carries what someone typed are still counted.
        store
            .record_login_attempt("login:ada\0@x", false)
            .await
            .unwrap();
        assert_eq!(
            store
                .failed_login_attempts("login:ada\0@x", 0)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .latest_version(&w.viewer, w.map.id)
                .await
                .unwrap()
                .info
                .number,
            1,
            "nothing was written"
        );
    })
    .await;
}
