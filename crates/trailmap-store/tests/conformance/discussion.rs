//! Comments, replies, mentions, resolve/reopen, and the activity feed.

use trailmap_store::{ActivityKind, NewComment, SaveVersion, StoreError};

use crate::common::{each_backend, world};

fn comment(target: &str, body: &str) -> NewComment {
    NewComment {
        target: target.into(),
        body: body.into(),
        parent: None,
        version: Some(1),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments_thread_mention_members_and_resolve() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let root = store
            .add_comment(
                &w.commenter,
                w.map.id,
                comment(
                    "checkout.pay",
                    "  @eddie @vic can you look? cc @otto @nobody  ",
                ),
            )
            .await
            .unwrap();
        assert_eq!(
            root.body, "@eddie @vic can you look? cc @otto @nobody",
            "trimmed, otherwise as written"
        );
        let mentioned: Vec<_> = root.mentions.iter().map(|u| u.handle.as_str()).collect();
        assert_eq!(
            mentioned,
            ["eddie", "vic"],
            "otto is not a member here; nobody does not exist"
        );

        let reply = NewComment {
            target: "ignored".into(),
            body: "on it".into(),
            parent: Some(root.id),
            version: None,
        };
        let reply = store.add_comment(&w.editor, w.map.id, reply).await.unwrap();
        assert_eq!(
            (reply.parent, reply.target.as_str()),
            (Some(root.id), "checkout.pay")
        );
        let deeper = NewComment {
            target: String::new(),
            body: "me too".into(),
            parent: Some(reply.id),
            version: None,
        };
        let deeper = store.add_comment(&w.owner, w.map.id, deeper).await.unwrap();
        assert_eq!(
            deeper.parent,
            Some(root.id),
            "a reply to a reply joins the root's thread"
        );
        let other = store
            .add_comment(&w.owner, w.map.id, comment("", "whole map"))
            .await
            .unwrap();

        let listed: Vec<_> = store
            .list_comments(&w.viewer, w.map.id, None, false)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(listed, [root.id, reply.id, deeper.id, other.id]);
        let on_pay = store
            .list_comments(&w.viewer, w.map.id, Some("checkout.pay"), false)
            .await
            .unwrap();
        assert_eq!(on_pay.len(), 3);
        assert_eq!(on_pay[0].mentions.len(), 2, "list carries mentions too");

        let resolved = store
            .set_comment_resolved(&w.commenter, reply.id, true)
            .await
            .unwrap();
        assert_eq!(
            (resolved.id, resolved.resolved),
            (root.id, true),
            "resolving a reply resolves its thread"
        );
        assert_eq!(resolved.resolved_by, w.commenter.user_id());
        let open: Vec<_> = store
            .list_comments(&w.viewer, w.map.id, None, false)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(open, [other.id], "resolved threads are hidden by default");
        assert_eq!(
            store
                .list_comments(&w.viewer, w.map.id, None, true)
                .await
                .unwrap()
                .len(),
            4
        );
        let reopened = store
            .set_comment_resolved(&w.editor, root.id, false)
            .await
            .unwrap();
        assert!(!reopened.resolved && reopened.resolved_by.is_none());

        let inbox = store.my_mentions(&w.viewer, 10).await.unwrap();
        assert_eq!(inbox.len(), 1);
        assert_eq!(
            (inbox[0].comment, inbox[0].map_title.as_str()),
            (root.id, "Checkout")
        );
        assert_eq!(inbox[0].by.as_ref().unwrap().handle, "carla");
        assert!(store.my_mentions(&w.outsider, 10).await.unwrap().is_empty());

        let empty = store
            .add_comment(&w.owner, w.map.id, comment("x", "   "))
            .await;
        assert!(
            matches!(empty, Err(StoreError::Invalid { field: "body", .. })),
            "{empty:?}"
        );
        let bad_version = NewComment {
            version: Some(7),
            ..comment("x", "hi")
        };
        let r = store.add_comment(&w.owner, w.map.id, bad_version).await;
        assert!(
            matches!(
                r,
                Err(StoreError::Invalid {
                    field: "version",
                    ..
                })
            ),
            "{r:?}"
        );

        // Only the author (or an owner) deletes a comment.
        let r = store.delete_comment(&w.editor, root.id).await;
        assert!(matches!(r, Err(StoreError::Forbidden { .. })), "{r:?}");
        store.delete_comment(&w.commenter, root.id).await.unwrap();
        assert_eq!(
            store
                .list_comments(&w.viewer, w.map.id, None, true)
                .await
                .unwrap()
                .len(),
            1,
            "replies go with it"
        );
        store.delete_comment(&w.owner, other.id).await.unwrap();
        assert!(store.my_mentions(&w.viewer, 10).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_records_each_action_in_order() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let save = SaveVersion {
            base_version: 1,
            yaml: "v2".into(),
            message: "Fix the pay step".into(),
            journey_id: None,
        };
        store.save_version(&w.editor, w.map.id, save).await.unwrap();
        store
            .restore_version(&w.editor, w.map.id, 2, 1)
            .await
            .unwrap();
        let c = store
            .add_comment(&w.commenter, w.map.id, comment("checkout.pay", "why?"))
            .await
            .unwrap();
        let reply = NewComment {
            target: String::new(),
            body: "because".into(),
            parent: Some(c.id),
            version: None,
        };
        store.add_comment(&w.editor, w.map.id, reply).await.unwrap();
        store
            .set_comment_resolved(&w.commenter, c.id, true)
            .await
            .unwrap();
        store
            .set_comment_resolved(&w.commenter, c.id, false)
            .await
            .unwrap();
        let (link, _) = store
            .create_share_link(&w.editor, w.map.id, None)
            .await
            .unwrap();
        store.revoke_share_link(&w.editor, link.id).await.unwrap();
        store.revoke_share_link(&w.editor, link.id).await.unwrap();
        store
            .attach_analysis(&w.editor, w.map.id, "March", Some(1), "{}")
            .await
            .unwrap();

        let feed = store.map_activity(&w.viewer, w.map.id, 100).await.unwrap();
        let kinds: Vec<_> = feed.iter().rev().map(|e| e.kind).collect();
        use ActivityKind::*;
        assert_eq!(
            kinds,
            [
                MapCreated,
                VersionSaved,
                VersionRestored,
                Commented,
                Replied,
                CommentResolved,
                CommentReopened,
                ShareLinkCreated,
                ShareLinkRevoked,
                AnalysisAttached
            ],
            "revoking twice is one entry"
        );
        assert_eq!(feed.last().unwrap().detail, "v1 Imported");
        let saved = feed.iter().find(|e| e.kind == VersionSaved).unwrap();
        assert_eq!(saved.detail, "v2 Fix the pay step");
        assert_eq!(saved.actor.as_ref().unwrap().handle, "eddie");
        assert!(
            feed.windows(2).all(|p| p[0].id.0 > p[1].id.0),
            "newest first"
        );
        assert_eq!(
            store
                .map_activity(&w.viewer, w.map.id, 3)
                .await
                .unwrap()
                .len(),
            3
        );

        let ws_feed = store
            .workspace_activity(&w.viewer, w.workspace, 500)
            .await
            .unwrap();
        assert!(ws_feed.iter().any(|e| e.kind == MemberJoined));
        assert!(ws_feed.len() > feed.len());
        let outsider_feed = store.workspace_activity(&w.outsider, w.workspace, 10).await;
        assert!(matches!(outsider_feed, Err(StoreError::NotFound { .. })));
    })
    .await;
}
