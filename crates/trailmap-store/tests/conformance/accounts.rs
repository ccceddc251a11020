//! Sign-up, invitations, passwords, sessions, members, login attempts.

use std::time::Duration;

use trailmap_store::{Role, StoreError, now_millis};

use crate::common::{DAY_MS, PASSWORD, each_backend, invite_user, new_user, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_user_is_admin_and_owner_and_the_rest_need_an_invitation() {
    each_backend(|db| async move {
        let store = &db.store;
        assert_eq!(store.user_count().await.unwrap(), 0);
        let admin = store.sign_up(new_user("ana"), None).await.unwrap();
        assert!(admin.user.site_admin);
        let home = admin.workspace.clone().unwrap();
        assert_eq!(
            (home.workspace.slug.as_str(), home.role),
            ("default", Role::Owner)
        );
        assert_eq!(admin.user.email, "ana@example.com");

        let refused = store.sign_up(new_user("bo"), None).await;
        assert!(
            matches!(refused, Err(StoreError::InvitationRequired)),
            "{refused:?}"
        );
        let refused = store.sign_up(new_user("bo"), Some("not-a-token")).await;
        assert!(
            matches!(refused, Err(StoreError::InvitationRequired)),
            "{refused:?}"
        );
        assert_eq!(
            store.user_count().await.unwrap(),
            1,
            "a refused sign-up leaves no account"
        );

        let (_, token) = store
            .create_invitation(
                &admin.principal,
                home.workspace.id,
                None,
                Role::Editor,
                now_millis() + DAY_MS,
            )
            .await
            .unwrap();
        let (invitation, workspace) = store
            .invitation_by_token(token.expose())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (invitation.role, workspace.id),
            (Role::Editor, home.workspace.id)
        );
        let bo = store
            .sign_up(new_user("bo"), Some(token.expose()))
            .await
            .unwrap();
        assert!(!bo.user.site_admin);
        assert_eq!(bo.workspace.unwrap().role, Role::Editor);
        let reused = store.sign_up(new_user("cy"), Some(token.expose())).await;
        assert!(
            matches!(reused, Err(StoreError::InvitationRequired)),
            "an invitation works once"
        );
        assert!(
            store
                .invitation_by_token(token.expose())
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitations_expire_are_revocable_and_may_be_bound_to_an_email() {
    each_backend(|db| async move {
        let store = &db.store;
        let admin = store.sign_up(new_user("ana"), None).await.unwrap();
        let ws = admin.workspace.unwrap().workspace.id;
        let p = &admin.principal;
        let past = store
            .create_invitation(p, ws, None, Role::Viewer, now_millis() - 1)
            .await;
        assert!(
            matches!(
                past,
                Err(StoreError::Invalid {
                    field: "expires_at",
                    ..
                })
            ),
            "{past:?}"
        );

        let (inv, token) = store
            .create_invitation(p, ws, None, Role::Viewer, now_millis() + 300)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        let late = store.sign_up(new_user("late"), Some(token.expose())).await;
        assert!(
            matches!(late, Err(StoreError::InvitationRequired)),
            "expired: {late:?}"
        );
        assert_eq!(store.list_invitations(p, ws).await.unwrap()[0].id, inv.id);

        let (inv, token) = store
            .create_invitation(p, ws, None, Role::Viewer, now_millis() + DAY_MS)
            .await
            .unwrap();
        store.revoke_invitation(p, inv.id).await.unwrap();
        let revoked = store.sign_up(new_user("rev"), Some(token.expose())).await;
        assert!(
            matches!(revoked, Err(StoreError::InvitationRequired)),
            "revoked: {revoked:?}"
        );

        let (_, token) = store
            .create_invitation(
                p,
                ws,
                Some("Dee@Example.com"),
                Role::Commenter,
                now_millis() + DAY_MS,
            )
            .await
            .unwrap();
        let wrong = store.sign_up(new_user("eve"), Some(token.expose())).await;
        assert!(
            matches!(wrong, Err(StoreError::InvitationRequired)),
            "other email: {wrong:?}"
        );
        let dee = store
            .sign_up(new_user("dee"), Some(token.expose()))
            .await
            .unwrap();
        assert_eq!(dee.workspace.unwrap().role, Role::Commenter);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_and_duplicate_sign_ups_are_refused_by_field() {
    each_backend(|db| async move {
        let store = &db.store;
        let admin = store.sign_up(new_user("ana"), None).await.unwrap();
        let ws = admin.workspace.unwrap().workspace.id;
        let invite = || async {
            let (_, t) = store
                .create_invitation(
                    &admin.principal,
                    ws,
                    None,
                    Role::Viewer,
                    now_millis() + DAY_MS,
                )
                .await
                .unwrap();
            t
        };
        let t = invite().await;
        let mut same_email = new_user("other");
        same_email.email = "ANA@example.com ".into();
        let r = store.sign_up(same_email, Some(t.expose())).await;
        assert!(
            matches!(r, Err(StoreError::AlreadyExists { field: "email", .. })),
            "{r:?}"
        );
        let mut same_handle = new_user("ana");
        same_handle.email = "different@example.com".into();
        let r = store.sign_up(same_handle, Some(t.expose())).await;
        assert!(
            matches!(
                r,
                Err(StoreError::AlreadyExists {
                    field: "handle",
                    ..
                })
            ),
            "{r:?}"
        );
        let mut short = new_user("shorty");
        short.password = "1234567".into();
        let r = store.sign_up(short, Some(t.expose())).await;
        assert!(
            matches!(
                r,
                Err(StoreError::Invalid {
                    field: "password",
                    ..
                })
            ),
            "{r:?}"
        );
        let mut bad = new_user("x");
        bad.handle = "Not A Handle".into();
        let r = store.sign_up(bad, Some(t.expose())).await;
        assert!(
            matches!(
                r,
                Err(StoreError::Invalid {
                    field: "handle",
                    ..
                })
            ),
            "{r:?}"
        );
        // The invitation survived all the refusals.
        assert!(
            store
                .sign_up(new_user("fine"), Some(t.expose()))
                .await
                .is_ok()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_are_argon2id_and_checked() {
    each_backend(|db| async move {
        let store = &db.store;
        let ana = store.sign_up(new_user("ana"), None).await.unwrap();
        let (user, principal) = store
            .verify_password(" ANA@example.com", PASSWORD)
            .await
            .unwrap();
        assert_eq!(
            (user.id, principal.user_id()),
            (ana.user.id, Some(ana.user.id))
        );
        for (email, pw) in [
            ("ana@example.com", "wrong password"),
            ("nobody@example.com", PASSWORD),
        ] {
            let r = store.verify_password(email, pw).await;
            assert!(
                matches!(r, Err(StoreError::BadCredentials)),
                "{email}: {r:?}"
            );
        }
        let stored = db.raw_strings("SELECT password_hash FROM users").await;
        assert!(stored[0].starts_with("$argon2id$"), "{}", stored[0]);
        assert!(!stored[0].contains(PASSWORD));

        let session = store
            .create_session(ana.user.id, Duration::from_secs(60))
            .await
            .unwrap();
        let current = store
            .session_principal(session.token.expose())
            .await
            .unwrap()
            .unwrap();
        let other = store
            .create_session(ana.user.id, Duration::from_secs(60))
            .await
            .unwrap();
        let r = store
            .change_password(&current, "wrong password", "new password 1")
            .await;
        assert!(matches!(r, Err(StoreError::BadCredentials)));
        store
            .change_password(&current, PASSWORD, "new password 1")
            .await
            .unwrap();
        assert!(
            store
                .verify_password("ana@example.com", "new password 1")
                .await
                .is_ok()
        );
        assert!(
            store
                .verify_password("ana@example.com", PASSWORD)
                .await
                .is_err()
        );
        assert!(
            store
                .session_principal(session.token.expose())
                .await
                .unwrap()
                .is_some(),
            "this session stays"
        );
        assert!(
            store
                .session_principal(other.token.expose())
                .await
                .unwrap()
                .is_none(),
            "other sessions end"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_store_only_a_hash_expire_and_end_on_logout() {
    each_backend(|db| async move {
        let store = &db.store;
        let ana = store.sign_up(new_user("ana"), None).await.unwrap();
        let s = store
            .create_session(ana.user.id, Duration::from_secs(3600))
            .await
            .unwrap();
        assert_eq!(s.token.expose().len(), 64);
        let hashes = db.raw_strings("SELECT token_hash FROM sessions").await;
        assert_eq!(hashes.len(), 1);
        assert_ne!(
            hashes[0],
            s.token.expose(),
            "the token itself is never stored"
        );
        let p = store
            .session_principal(s.token.expose())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.user_id(), Some(ana.user.id));
        assert!(p.is_site_admin());
        store.delete_session(s.token.expose()).await.unwrap();
        assert!(
            store
                .session_principal(s.token.expose())
                .await
                .unwrap()
                .is_none()
        );

        let short = store
            .create_session(ana.user.id, Duration::from_millis(50))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert!(
            store
                .session_principal(short.token.expose())
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.session_principal("").await.unwrap().is_none());
        let long = store
            .create_session(ana.user.id, Duration::from_millis(60))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert!(store.delete_expired(0).await.unwrap() >= 1);
        assert!(
            store
                .session_principal(long.token.expose())
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_attempts_count_failures_since_the_last_success() {
    each_backend(|db| async move {
        let store = &db.store;
        let t0 = now_millis() - 1;
        for _ in 0..3 {
            store
                .record_login_attempt("email:ana@example.com", false)
                .await
                .unwrap();
        }
        store
            .record_login_attempt("ip:127.0.0.1", false)
            .await
            .unwrap();
        assert_eq!(
            store
                .failed_login_attempts("email:ana@example.com", t0)
                .await
                .unwrap(),
            3
        );
        assert_eq!(
            store
                .failed_login_attempts("email:ana@example.com", now_millis() + 1)
                .await
                .unwrap(),
            0
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
        store
            .record_login_attempt("email:ana@example.com", true)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
        store
            .record_login_attempt("email:ana@example.com", false)
            .await
            .unwrap();
        assert_eq!(
            store
                .failed_login_attempts("email:ana@example.com", t0)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .failed_login_attempts("ip:127.0.0.1", t0)
                .await
                .unwrap(),
            1
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_change_roles_but_a_workspace_keeps_an_owner() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let members = store.list_members(&w.viewer, w.workspace).await.unwrap();
        let handles: Vec<_> = members
            .iter()
            .map(|m| (m.user.handle.as_str(), m.role))
            .collect();
        assert_eq!(
            handles,
            [
                ("admin", Role::Owner),
                ("carla", Role::Commenter),
                ("eddie", Role::Editor),
                ("vic", Role::Viewer)
            ]
        );
        let last = store
            .set_member_role(&w.owner, w.workspace, w.admin.user.id, Role::Editor)
            .await;
        assert!(
            matches!(last, Err(StoreError::Invalid { field: "role", .. })),
            "{last:?}"
        );
        let vic = w.viewer.user_id().unwrap();
        let r = store
            .set_member_role(&w.editor, w.workspace, vic, Role::Owner)
            .await;
        assert!(matches!(r, Err(StoreError::Forbidden { .. })), "{r:?}");
        let m = store
            .set_member_role(&w.owner, w.workspace, vic, Role::Editor)
            .await
            .unwrap();
        assert_eq!(m.role, Role::Editor);
        assert!(
            store
                .can(&w.viewer, trailmap_store::Action::EditMap, map_resource(&w))
                .await
                .unwrap()
        );
        store
            .remove_member(&w.viewer, w.workspace, vic)
            .await
            .unwrap();
        assert!(matches!(
            store.map(&w.viewer, w.map.id).await,
            Err(StoreError::NotFound { .. })
        ));
        let r = store
            .remove_member(&w.owner, w.workspace, w.admin.user.id)
            .await;
        assert!(
            matches!(r, Err(StoreError::Invalid { .. })),
            "the last owner cannot leave: {r:?}"
        );

        // An existing user accepts an invitation to a second workspace.
        let ws2 = store
            .create_workspace(&w.editor, "second", "Second")
            .await
            .unwrap();
        let (_, t) = store
            .create_invitation(&w.editor, ws2.id, None, Role::Viewer, now_millis() + DAY_MS)
            .await
            .unwrap();
        let joined = store
            .accept_invitation(&w.commenter, t.expose())
            .await
            .unwrap();
        assert_eq!((joined.workspace.id, joined.role), (ws2.id, Role::Viewer));
        let mine: Vec<_> = store
            .list_workspaces(&w.commenter)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.workspace.slug)
            .collect();
        assert_eq!(mine, ["default", "second"]);
        let again = invite_user(store, &w.editor, ws2.id, "newbie", Role::Commenter).await;
        assert_eq!(again.workspace.unwrap().workspace.id, ws2.id);
    })
    .await;
}

fn map_resource(w: &crate::common::World) -> trailmap_store::Resource {
    trailmap_store::Resource::Map {
        workspace: w.workspace,
        map: w.map.id,
    }
}

/// The race this guards against (both count two owners, both demote) needs the two counts to
/// land before either commit, which is rare here; the row lock makes it impossible.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let eddie = w.editor.user_id().unwrap();
        let admin = w.admin.user.id;
        for round in 0..8 {
            store
                .set_member_role(&w.owner, w.workspace, eddie, Role::Owner)
                .await
                .ok();
            store
                .set_member_role(&w.editor, w.workspace, admin, Role::Owner)
                .await
                .ok();
            let (a, b) = tokio::join!(
                {
                    let (s, p) = (store.clone(), w.owner.clone());
                    tokio::spawn(async move {
                        s.set_member_role(&p, w.workspace, eddie, Role::Editor)
                            .await
                    })
                },
                {
                    let (s, p) = (store.clone(), w.editor.clone());
                    tokio::spawn(async move {
                        s.set_member_role(&p, w.workspace, admin, Role::Editor)
                            .await
                    })
                }
            );
            let (a, b) = (a.unwrap(), b.unwrap());
            assert_eq!(
                a.is_ok() as u8 + b.is_ok() as u8,
                1,
                "round {round}: {a:?} / {b:?}"
            );
            let owners = store
                .list_members(&w.viewer, w.workspace)
                .await
                .unwrap()
                .into_iter()
                .filter(|m| m.role == Role::Owner)
                .count();
            assert_eq!(owners, 1, "round {round}");
        }
    })
    .await;
}
