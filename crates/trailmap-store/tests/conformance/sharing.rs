//! Share links and API tokens.

use std::time::Duration;

use trailmap_store::{Action, NewComment, PrincipalKind, Resource, StoreError, now_millis};

use crate::common::{each_backend, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_links_read_one_map_until_they_expire_or_are_revoked() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let past = store
            .create_share_link(&w.editor, w.map.id, Some(now_millis() - 1))
            .await;
        assert!(matches!(
            past,
            Err(StoreError::Invalid {
                field: "expires_at",
                ..
            })
        ));
        let (link, token) = store
            .create_share_link(&w.editor, w.map.id, None)
            .await
            .unwrap();
        let stored = db.raw_strings("SELECT token_hash FROM share_links").await;
        assert!(
            !stored.iter().any(|h| h == token.expose()),
            "only the hash is stored"
        );

        let p = store
            .share_link_principal(token.expose())
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(p.kind(), PrincipalKind::ShareLink { map, .. } if *map == w.map.id));
        assert_eq!(p.user_id(), None);
        assert_eq!(
            store
                .latest_version(&p, w.map.id)
                .await
                .unwrap()
                .info
                .number,
            1
        );
        let c = NewComment {
            target: String::new(),
            body: "hi".into(),
            parent: None,
            version: None,
        };
        assert!(matches!(
            store.add_comment(&p, w.map.id, c).await,
            Err(StoreError::Forbidden { .. })
        ));
        assert!(store.create_api_token(&p, "x").await.is_err());
        let listed = store.list_share_links(&w.editor, w.map.id).await.unwrap();
        assert_eq!(listed[0].id, link.id);
        assert!(
            listed[0].last_used_at.is_some(),
            "opening a link records its use"
        );

        let (_, short) = store
            .create_share_link(&w.editor, w.map.id, Some(now_millis() + 1500))
            .await
            .unwrap();
        assert!(
            store
                .share_link_principal(short.expose())
                .await
                .unwrap()
                .is_some()
        );
        tokio::time::sleep(Duration::from_millis(1600)).await;
        assert!(
            store
                .share_link_principal(short.expose())
                .await
                .unwrap()
                .is_none(),
            "expired"
        );

        let r = store.revoke_share_link(&w.viewer, link.id).await;
        assert!(matches!(r, Err(StoreError::Forbidden { .. })), "{r:?}");
        let r = store.revoke_share_link(&w.outsider, link.id).await;
        assert!(matches!(r, Err(StoreError::NotFound { .. })), "{r:?}");
        store.revoke_share_link(&w.editor, link.id).await.unwrap();
        assert!(
            store
                .share_link_principal(token.expose())
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .list_share_links(&w.editor, w.map.id)
                .await
                .unwrap()
                .iter()
                .any(|l| l.revoked_at.is_some())
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_act_for_their_user_until_revoked() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let (token, secret) = store.create_api_token(&w.editor, "CI push").await.unwrap();
        assert_eq!(token.name, "CI push");
        assert!(token.last_used_at.is_none());
        let stored = db.raw_strings("SELECT token_hash FROM api_tokens").await;
        assert!(
            !stored.iter().any(|h| h == secret.expose()),
            "only the hash is stored"
        );

        let p = store
            .api_token_principal(secret.expose())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.user_id(), w.editor.user_id());
        let resource = Resource::Map {
            workspace: w.workspace,
            map: w.map.id,
        };
        assert!(
            store.can(&p, Action::EditMap, resource).await.unwrap(),
            "the user's role"
        );
        assert!(!store.can(&p, Action::DeleteMap, resource).await.unwrap());
        let minted = store.create_api_token(&p, "from a token").await;
        assert!(
            matches!(minted, Err(StoreError::Forbidden { .. })),
            "a token cannot mint tokens: {minted:?}"
        );
        let mine = store.list_api_tokens(&w.editor).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert!(mine[0].last_used_at.is_some(), "use is recorded");
        assert!(store.list_api_tokens(&w.viewer).await.unwrap().is_empty());

        let theirs = store.revoke_api_token(&w.viewer, token.id).await;
        assert!(
            matches!(theirs, Err(StoreError::NotFound { .. })),
            "{theirs:?}"
        );
        store.revoke_api_token(&w.editor, token.id).await.unwrap();
        store.revoke_api_token(&w.editor, token.id).await.unwrap();
        assert!(
            store
                .api_token_principal(secret.expose())
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.api_token_principal("0000").await.unwrap().is_none());
        let r = store.create_api_token(&w.editor, "  ").await;
        assert!(matches!(r, Err(StoreError::Invalid { field: "name", .. })));
    })
    .await;
}
