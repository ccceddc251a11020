//! The role matrix at the store level: every role, an outsider and a share link against every
//! operation. Allowed means `Ok`; not allowed but visible means `Forbidden`; not visible means
//! `NotFound` (so existence does not leak). The expectations are written out here, not taken
//! from `policy::can`, so this checks the store against the documented matrix.

use trailmap_store::{
    Action, AnalysisInput, MapChanges, MapState, NewComment, NewMap, Principal, Role, SaveVersion,
    Store, StoreError, now_millis,
};

use crate::common::{DAY_MS, World, each_backend, world};

/// What each party may do (besides nothing).
fn allowed(who: &str) -> &'static [Action] {
    use Action::*;
    match who {
        "owner" => &[
            ViewWorkspace,
            CreateMap,
            ViewMap,
            EditMap,
            Comment,
            ResolveComment,
            AttachAnalysis,
            ManageShareLinks,
            DeleteMap,
            ManageMembers,
            ManageWorkspace,
        ],
        "editor" => &[
            ViewWorkspace,
            CreateMap,
            ViewMap,
            EditMap,
            Comment,
            ResolveComment,
            AttachAnalysis,
            ManageShareLinks,
        ],
        "commenter" => &[ViewWorkspace, ViewMap, Comment, ResolveComment],
        "viewer" => &[ViewWorkspace, ViewMap],
        "share link" => &[ViewMap],
        "outsider" => &[],
        _ => unreachable!(),
    }
}

fn check<T: std::fmt::Debug>(
    who: &str,
    action: Action,
    op: &str,
    got: Result<T, StoreError>,
    is_workspace_action: bool,
) {
    let may = allowed(who).contains(&action);
    let sees = if is_workspace_action {
        allowed(who).contains(&Action::ViewWorkspace)
    } else {
        allowed(who).contains(&Action::ViewMap)
    };
    match (&got, may, sees) {
        (Ok(_), true, _) => {}
        (Err(StoreError::Forbidden { .. }), false, true) => {}
        (Err(StoreError::NotFound { .. }), false, false) => {}
        // Share links cannot act at all; some write paths say Forbidden before looking.
        (Err(StoreError::Forbidden { .. }), false, false) if who == "share link" => {}
        _ => panic!("{who} / {op} ({action:?}): may={may} sees={sees}, got {got:?}"),
    }
}

async fn parties(store: &Store, w: &World) -> Vec<(&'static str, Principal)> {
    let (_, token) = store
        .create_share_link(&w.editor, w.map.id, None)
        .await
        .unwrap();
    let link = store
        .share_link_principal(token.expose())
        .await
        .unwrap()
        .unwrap();
    vec![
        ("owner", w.owner.clone()),
        ("editor", w.editor.clone()),
        ("commenter", w.commenter.clone()),
        ("viewer", w.viewer.clone()),
        ("share link", link),
        ("outsider", w.outsider.clone()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_party_against_every_map_operation() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let root = store
            .add_comment(
                &w.owner,
                w.map.id,
                NewComment {
                    target: "s1".into(),
                    body: "root".into(),
                    parent: None,
                    version: None,
                },
            )
            .await
            .unwrap();
        for (who, p) in parties(store, &w).await {
            let map = w.map.id;
            check(who, Action::ViewMap, "map", store.map(&p, map).await, false);
            check(
                who,
                Action::ViewMap,
                "latest_version",
                store.latest_version(&p, map).await,
                false,
            );
            check(
                who,
                Action::ViewMap,
                "list_versions",
                store.list_versions(&p, map).await,
                false,
            );
            check(
                who,
                Action::ViewMap,
                "version",
                store.version(&p, map, 1).await,
                false,
            );
            check(
                who,
                Action::ViewMap,
                "list_comments",
                store.list_comments(&p, map, None, true).await,
                false,
            );
            check(
                who,
                Action::ViewMap,
                "comment",
                store.comment(&p, root.id).await,
                false,
            );
            check(
                who,
                Action::ViewMap,
                "map_activity",
                store.map_activity(&p, map, 10).await,
                false,
            );
            check(
                who,
                Action::ViewMap,
                "list_analyses",
                store.list_analyses(&p, map).await,
                false,
            );

            let latest = store.map(&w.owner, map).await.unwrap().latest_version;
            let save = SaveVersion {
                base_version: latest,
                yaml: format!("by {who}"),
                message: String::new(),
                journey_id: None,
            };
            check(
                who,
                Action::EditMap,
                "save_version",
                store.save_version(&p, map, save).await,
                false,
            );
            let latest = store.map(&w.owner, map).await.unwrap().latest_version;
            check(
                who,
                Action::EditMap,
                "restore_version",
                store.restore_version(&p, map, latest, 1).await,
                false,
            );
            let changes = MapChanges {
                state: Some(MapState::Current),
                ..Default::default()
            };
            check(
                who,
                Action::EditMap,
                "update_map",
                store.update_map(&p, map, changes).await,
                false,
            );

            let c = NewComment {
                target: "s1".into(),
                body: format!("from {who}"),
                parent: None,
                version: None,
            };
            check(
                who,
                Action::Comment,
                "add_comment",
                store.add_comment(&p, map, c).await,
                false,
            );
            let reply = NewComment {
                target: String::new(),
                body: "re".into(),
                parent: Some(root.id),
                version: None,
            };
            check(
                who,
                Action::Comment,
                "reply",
                store.add_comment(&p, map, reply).await,
                false,
            );
            check(
                who,
                Action::ResolveComment,
                "resolve",
                store.set_comment_resolved(&p, root.id, true).await,
                false,
            );
            check(
                who,
                Action::ResolveComment,
                "reopen",
                store.set_comment_resolved(&p, root.id, false).await,
                false,
            );

            let attach = store.attach_analysis(&p, map, "upload", None, "{}").await;
            check(
                who,
                Action::AttachAnalysis,
                "attach_analysis",
                attach,
                false,
            );
            let input = vec![AnalysisInput {
                name: "events.csv".into(),
                bytes: b"a,b\n".to_vec(),
            }];
            check(
                who,
                Action::AttachAnalysis,
                "queue_analysis",
                store.queue_analysis(&p, map, "job", None, input).await,
                false,
            );

            check(
                who,
                Action::ManageShareLinks,
                "create_share_link",
                store.create_share_link(&p, map, None).await,
                false,
            );
            check(
                who,
                Action::ManageShareLinks,
                "list_share_links",
                store.list_share_links(&p, map).await,
                false,
            );

            // Deleting needs its own map per party, made by the owner.
            let (doomed, _) = store
                .create_map(
                    &w.owner,
                    w.workspace,
                    NewMap {
                        slug: format!("doomed-{}", who.replace(' ', "-")),
                        title: "Doomed".into(),
                        state: MapState::Current,
                        journey_id: None,
                        yaml: "x".into(),
                        message: String::new(),
                    },
                )
                .await
                .unwrap();
            let delete = store.delete_map(&p, doomed.id).await;
            if who == "share link" {
                // A link to another map can do nothing to this one.
                assert!(
                    matches!(
                        delete,
                        Err(StoreError::Forbidden { .. } | StoreError::NotFound { .. })
                    ),
                    "{delete:?}"
                );
            } else {
                check(who, Action::DeleteMap, "delete_map", delete, false);
            }
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_party_against_every_workspace_operation() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        for (who, p) in parties(store, &w).await {
            let ws = w.workspace;
            check(
                who,
                Action::ViewWorkspace,
                "workspace",
                store.workspace(&p, ws).await,
                true,
            );
            check(
                who,
                Action::ViewWorkspace,
                "list_members",
                store.list_members(&p, ws).await,
                true,
            );
            check(
                who,
                Action::ViewWorkspace,
                "workspace_activity",
                store.workspace_activity(&p, ws, 10).await,
                true,
            );
            let new = NewMap {
                slug: format!("new-{}", who.replace(' ', "-")),
                title: "New".into(),
                state: MapState::Future,
                journey_id: None,
                yaml: "x".into(),
                message: String::new(),
            };
            check(
                who,
                Action::CreateMap,
                "create_map",
                store.create_map(&p, ws, new).await,
                true,
            );
            check(
                who,
                Action::ManageMembers,
                "list_invitations",
                store.list_invitations(&p, ws).await,
                true,
            );
            let invite = store
                .create_invitation(&p, ws, None, Role::Viewer, now_millis() + DAY_MS)
                .await;
            check(
                who,
                Action::ManageMembers,
                "create_invitation",
                invite,
                true,
            );
            let vic = w.viewer.user_id().unwrap();
            check(
                who,
                Action::ManageMembers,
                "set_member_role",
                store.set_member_role(&p, ws, vic, Role::Viewer).await,
                true,
            );
            check(
                who,
                Action::ManageWorkspace,
                "rename_workspace",
                store.rename_workspace(&p, ws, "Default").await,
                true,
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_and_search_show_nothing_the_party_may_not_see() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let (secret_map, _) = store
            .create_map(
                &w.outsider,
                w.other_workspace,
                NewMap {
                    slug: "checkout-secret".into(),
                    title: "Checkout (other team)".into(),
                    state: MapState::Current,
                    journey_id: Some("checkout".into()),
                    yaml: "checkout everywhere".into(),
                    message: String::new(),
                },
            )
            .await
            .unwrap();
        for (who, p) in parties(store, &w).await {
            let maps: Vec<_> = store
                .list_maps(&p, None)
                .await
                .unwrap()
                .into_iter()
                .map(|m| m.id)
                .collect();
            let found: Vec<_> = store
                .search_maps(&p, "checkout", 50)
                .await
                .unwrap()
                .into_iter()
                .map(|h| h.map.id)
                .collect();
            let expected = if who == "outsider" {
                vec![secret_map.id]
            } else {
                vec![w.map.id]
            };
            assert_eq!(maps, expected, "{who}: list_maps");
            assert_eq!(found, expected, "{who}: search");
            let in_other_ws = store.list_maps(&p, Some(w.other_workspace)).await.unwrap();
            assert_eq!(
                in_other_ws.is_empty(),
                who != "outsider",
                "{who}: list_maps(other workspace)"
            );
            let spaces = store.list_workspaces(&p).await.unwrap();
            let expected_spaces = match who {
                "share link" => 0,
                _ => 1,
            };
            assert_eq!(spaces.len(), expected_spaces, "{who}: list_workspaces");
        }
        // A share link made before it was revoked stops working at once.
        let (link, token) = store
            .create_share_link(&w.editor, w.map.id, None)
            .await
            .unwrap();
        let p = store
            .share_link_principal(token.expose())
            .await
            .unwrap()
            .unwrap();
        store.revoke_share_link(&w.editor, link.id).await.unwrap();
        assert!(matches!(
            store.map(&p, w.map.id).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(store.list_maps(&p, None).await.unwrap().is_empty());
        assert!(
            store
                .search_maps(&p, "checkout", 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .share_link_principal(token.expose())
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_can_agrees_with_the_pure_policy() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let resource = trailmap_store::Resource::Map {
            workspace: w.workspace,
            map: w.map.id,
        };
        for (who, p) in parties(store, &w).await {
            for action in Action::ALL
                .into_iter()
                .filter(|a| a.minimum_role().is_some())
            {
                let workspace_action = matches!(
                    action,
                    Action::ViewWorkspace
                        | Action::CreateMap
                        | Action::ManageMembers
                        | Action::ManageWorkspace
                );
                let resource = if workspace_action {
                    trailmap_store::Resource::Workspace(w.workspace)
                } else {
                    resource
                };
                let got = store.can(&p, action, resource).await.unwrap();
                assert_eq!(got, allowed(who).contains(&action), "{who} {action:?}");
            }
        }
        // A map resource naming the wrong workspace is refused even for its owner.
        let wrong = trailmap_store::Resource::Map {
            workspace: w.other_workspace,
            map: w.map.id,
        };
        assert!(!store.can(&w.owner, Action::ViewMap, wrong).await.unwrap());
    })
    .await;
}
