//! The role matrix: every role, an outsider, a share link and API tokens against every map and
//! workspace endpoint. Allowed means a 2xx or 3xx answer; refused means 403 or 404 (401 or a
//! redirect to the login page for someone with no account). Each call runs on a fresh map, so
//! one actor's change never decides another's answer. Lists and search must not leak.

mod common;

use axum::http::{Method, StatusCode};
use common::{Client, RETAIL, SUPPORT, World, invite_token, team};
use serde_json::json;
use trailmap_store::{MapState, NewComment, NewMap, Principal, Role};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Owner,
    Editor,
    Commenter,
    Viewer,
    Outsider,
    ShareLink,
    EditorToken,
    ViewerToken,
}

impl Who {
    fn role(self) -> Option<Role> {
        match self {
            Who::Owner => Some(Role::Owner),
            Who::Editor | Who::EditorToken => Some(Role::Editor),
            Who::Commenter => Some(Role::Commenter),
            Who::Viewer | Who::ViewerToken => Some(Role::Viewer),
            Who::Outsider | Who::ShareLink => None,
        }
    }
}

/// What one case needs: a fresh map with one comment and one share link.
struct Fixture {
    map: i64,
    comment: i64,
    link: i64,
    n: usize,
}

enum Call {
    Page(&'static str),
    Form(&'static str, Vec<(&'static str, String)>),
    Api(Method, &'static str, Option<serde_json::Value>),
}

struct Case {
    min: Role,
    call: fn(&Fixture) -> Call,
}

fn fill(template: &str, f: &Fixture) -> String {
    template
        .replace("{m}", &f.map.to_string())
        .replace("{c}", &f.comment.to_string())
        .replace("{l}", &f.link.to_string())
        .replace("{n}", &f.n.to_string())
}

fn cases() -> Vec<Case> {
    use Method as M;
    let v = Role::Viewer;
    let c = Role::Commenter;
    let e = Role::Editor;
    let o = Role::Owner;
    vec![
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}/render"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}/history"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}/diff?from=1&to=1"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}/diff/frame?from=1&to=1"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}/source"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}/comments"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}/evidence"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}/compare"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}/export"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}/export/yaml"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/m/{m}/export/mermaid"),
        },
        Case {
            min: v,
            call: |_| Call::Form("/m/{m}/check", vec![("yaml", RETAIL.to_owned())]),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/maps/{m}", None),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/maps/{m}/versions", None),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/maps/{m}/versions/1", None),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/maps/{m}/diff?from=1&to=1", None),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/maps/{m}/export/yaml", None),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/maps/{m}/comments", None),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/maps/{m}/activity", None),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/maps/{m}/analyses", None),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/workspaces/default", None),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/workspaces/default/maps", None),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/workspaces/default/members", None),
        },
        Case {
            min: v,
            call: |_| Call::Api(M::GET, "/api/v1/workspaces/default/activity", None),
        },
        Case {
            min: v,
            call: |_| Call::Page("/w/default"),
        },
        Case {
            min: v,
            call: |_| Call::Page("/w/default/members"),
        },
        Case {
            min: c,
            call: |_| Call::Form("/m/{m}/comments", vec![("body", "hello".to_owned())]),
        },
        Case {
            min: c,
            call: |_| {
                Call::Form(
                    "/m/{m}/comments/{c}/resolve",
                    vec![("resolved", "true".to_owned())],
                )
            },
        },
        Case {
            min: c,
            call: |_| {
                Call::Api(
                    M::POST,
                    "/api/v1/maps/{m}/comments",
                    Some(json!({"body": "hi", "target": ""})),
                )
            },
        },
        Case {
            min: c,
            call: |_| {
                Call::Api(
                    M::POST,
                    "/api/v1/comments/{c}/resolve",
                    Some(json!({"resolved": true})),
                )
            },
        },
        Case {
            min: e,
            call: |_| Call::Page("/m/{m}/structure"),
        },
        Case {
            min: e,
            call: |_| Call::Page("/m/{m}/settings"),
        },
        Case {
            min: e,
            call: |_| Call::Page("/m/{m}/share"),
        },
        Case {
            min: e,
            call: |_| Call::Page("/w/default/import"),
        },
        Case {
            min: e,
            call: |_| {
                Call::Form(
                    "/m/{m}/source",
                    vec![
                        ("base", "1".to_owned()),
                        ("yaml", RETAIL.replacen("Fernway", "Fernway!", 1)),
                    ],
                )
            },
        },
        Case {
            min: e,
            call: |_| {
                Call::Form(
                    "/m/{m}/restore",
                    vec![("base", "1".to_owned()), ("number", "1".to_owned())],
                )
            },
        },
        Case {
            min: e,
            call: |_| {
                Call::Form(
                    "/m/{m}/edit",
                    vec![
                        ("base", "1".to_owned()),
                        ("op", "stage-move".to_owned()),
                        ("stage", "pre-purchase".to_owned()),
                        ("direction", "down".to_owned()),
                    ],
                )
            },
        },
        Case {
            min: e,
            call: |_| {
                Call::Form(
                    "/m/{m}/settings",
                    vec![
                        ("title", "New title".to_owned()),
                        ("state", "current".to_owned()),
                    ],
                )
            },
        },
        Case {
            min: e,
            call: |_| Call::Form("/m/{m}/share", vec![("expires_days", "1".to_owned())]),
        },
        Case {
            min: e,
            call: |_| Call::Form("/m/{m}/share/{l}/revoke", vec![]),
        },
        Case {
            min: e,
            call: |_| {
                Call::Api(
                    M::POST,
                    "/api/v1/maps/{m}/versions",
                    Some(
                        json!({"base_version": 1, "yaml": RETAIL.replacen("Fernway", "Fernway!", 1)}),
                    ),
                )
            },
        },
        Case {
            min: e,
            call: |_| {
                Call::Api(
                    M::POST,
                    "/api/v1/maps/{m}/versions/1/restore",
                    Some(json!({"base_version": 1})),
                )
            },
        },
        Case {
            min: e,
            call: |_| {
                Call::Api(
                    M::POST,
                    "/api/v1/maps/{m}/edit",
                    Some(
                        json!({"base_version": 1, "op": "stage-move", "stage": "pre-purchase", "direction": "down"}),
                    ),
                )
            },
        },
        Case {
            min: e,
            call: |_| {
                Call::Api(
                    M::PATCH,
                    "/api/v1/maps/{m}",
                    Some(json!({"title": "Renamed"})),
                )
            },
        },
        Case {
            min: e,
            call: |_| Call::Api(M::GET, "/api/v1/maps/{m}/share-links", None),
        },
        Case {
            min: e,
            call: |_| {
                Call::Api(
                    M::POST,
                    "/api/v1/maps/{m}/share-links",
                    Some(json!({"expires_days": 1})),
                )
            },
        },
        Case {
            min: e,
            call: |_| Call::Api(M::DELETE, "/api/v1/share-links/{l}", None),
        },
        Case {
            min: e,
            call: |_| {
                Call::Api(
                    M::POST,
                    "/api/v1/workspaces/default/maps",
                    Some(json!({"yaml": SUPPORT, "slug": "support-{n}"})),
                )
            },
        },
        Case {
            min: o,
            call: |_| Call::Form("/m/{m}/delete", vec![("confirm", "on".to_owned())]),
        },
        Case {
            min: o,
            call: |_| Call::Api(M::DELETE, "/api/v1/maps/{m}", None),
        },
        Case {
            min: o,
            call: |_| Call::Api(M::GET, "/api/v1/workspaces/default/invitations", None),
        },
        Case {
            min: o,
            call: |_| {
                Call::Api(
                    M::POST,
                    "/api/v1/workspaces/default/invitations",
                    Some(json!({"role": "viewer"})),
                )
            },
        },
    ]
}

async fn fixture(w: &World, owner: &Principal, n: usize) -> Fixture {
    let store = &w.store;
    let ws = store.workspace_by_slug(owner, "default").await.unwrap();
    let new = NewMap {
        slug: format!("fixture-{n}"),
        title: format!("Fixture {n}"),
        state: MapState::Current,
        journey_id: None,
        yaml: RETAIL.to_owned(),
        message: "fixture".to_owned(),
    };
    let (map, _) = store.create_map(owner, ws.workspace.id, new).await.unwrap();
    let comment = store
        .add_comment(
            owner,
            map.id,
            NewComment {
                target: String::new(),
                body: "first".to_owned(),
                parent: None,
                version: Some(1),
            },
        )
        .await
        .unwrap();
    let (link, _) = store.create_share_link(owner, map.id, None).await.unwrap();
    Fixture {
        map: map.id.0,
        comment: comment.id.0,
        link: link.id.0,
        n,
    }
}

async fn token_of(client: &mut Client) -> String {
    client.get("/account").await;
    let r = client.post("/account/tokens", &[("name", "matrix")]).await;
    let start = r.body.find("copy it now): ").unwrap() + "copy it now): ".len();
    r.body[start..start + 64].to_owned()
}

#[tokio::test]
async fn every_role_against_every_endpoint() {
    let w = common::world().await;
    let (mut owner, mut editor, commenter, mut viewer, map) = team(&w).await;
    // The outsider is an editor of another workspace only.
    owner.get("/account").await;
    let r = owner
        .json(
            Method::POST,
            "/api/v1/workspaces",
            Some(json!({"slug": "other", "name": "Other"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = owner
        .json(
            Method::POST,
            "/api/v1/workspaces/other/invitations",
            Some(json!({"role": "editor"})),
        )
        .await;
    let token = invite_token(r.json()["path"].as_str().unwrap());
    let mut outsider = Client::new(&w);
    outsider.sign_up("Out Sider", "out", Some(&token)).await;
    let share_guest = Client::new(&w);
    let editor_token = token_of(&mut editor).await;
    let viewer_token = token_of(&mut viewer).await;
    let (_, owner_principal) = w
        .store
        .verify_password("olga@example.org", "correct horse")
        .await
        .unwrap();

    let mut actors: Vec<(Who, Client)> = vec![
        (Who::Owner, owner),
        (Who::Editor, editor),
        (Who::Commenter, commenter),
        (Who::Viewer, viewer),
        (Who::Outsider, outsider),
        (Who::ShareLink, share_guest),
        (Who::EditorToken, Client::with_token(&w, &editor_token)),
        (Who::ViewerToken, Client::with_token(&w, &viewer_token)),
    ];
    let mut n = 0;
    let mut checked = 0;
    let shared = fixture(&w, &owner_principal, 0).await;
    for case in cases() {
        for (who, client) in actors.iter_mut() {
            // Reads share one map; every call that may change something gets a fresh one.
            let read_only = matches!(
                (case.call)(&shared),
                Call::Page(_) | Call::Api(Method::GET, _, _)
            );
            let fresh;
            let f = if read_only {
                &shared
            } else {
                n += 1;
                fresh = fixture(&w, &owner_principal, n).await;
                &fresh
            };
            let call = (case.call)(f);
            // Refresh the page's CSRF token as a browser would have it.
            if client.bearer.is_none() && !matches!(who, Who::ShareLink) {
                client.get("/account").await;
            }
            let (label, response) = match call {
                Call::Page(path) => {
                    let path = fill(path, f);
                    (format!("GET {path}"), client.get(&path).await)
                }
                Call::Form(path, fields) => {
                    let path = fill(path, f);
                    let fields: Vec<(&str, &str)> =
                        fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    (format!("POST {path}"), client.post(&path, &fields).await)
                }
                Call::Api(method, path, body) => {
                    let path = fill(path, f);
                    let body =
                        body.map(|b| serde_json::from_str(&fill(&b.to_string(), f)).unwrap());
                    (
                        format!("{method} {path}"),
                        client.json(method, &path, body).await,
                    )
                }
            };
            let allowed = who.role().is_some_and(|r| r.at_least(case.min));
            let status = response.status;
            if allowed {
                assert!(
                    status.is_success() || status.is_redirection(),
                    "{who:?} {label}: allowed, got {status}: {}",
                    response.body
                );
                if status.is_redirection() {
                    assert!(
                        !response.location().starts_with("/login"),
                        "{who:?} {label}: sent to login"
                    );
                }
            } else {
                let refused = status == StatusCode::FORBIDDEN
                    || status == StatusCode::NOT_FOUND
                    || (matches!(who, Who::ShareLink)
                        && (status == StatusCode::UNAUTHORIZED
                            || response.location().starts_with("/login")));
                assert!(
                    refused,
                    "{who:?} {label}: must be refused, got {status}: {}",
                    response.body
                );
                // An outsider learns nothing: not even that the map exists.
                if matches!(who, Who::Outsider) {
                    assert_eq!(status, StatusCode::NOT_FOUND, "{who:?} {label}");
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, cases().len() * actors.len());

    // Nothing leaks in lists or search.
    let outsider = &mut actors[4].1;
    let ws = outsider
        .json(Method::GET, "/api/v1/workspaces", None)
        .await
        .json();
    let slugs: Vec<&str> = ws["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["other"]);
    let hits = outsider
        .json(Method::GET, "/api/v1/search?q=Fernway", None)
        .await
        .json();
    assert_eq!(hits["hits"].as_array().unwrap().len(), 0, "{hits}");
    let hits = outsider
        .json(Method::GET, "/api/v1/search?q=fixture", None)
        .await
        .json();
    assert_eq!(hits["hits"].as_array().unwrap().len(), 0);
    assert!(!outsider.get("/w/other").await.body.contains("Fixture"));
    assert_eq!(
        outsider.get(&format!("/m/{map}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        outsider
            .json(Method::GET, "/api/v1/mentions", None)
            .await
            .json()["mentions"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let viewer = &mut actors[3].1;
    let hits = viewer
        .json(Method::GET, "/api/v1/search?q=Fernway", None)
        .await
        .json();
    assert!(
        !hits["hits"].as_array().unwrap().is_empty(),
        "a member finds the maps"
    );
    let guest = &mut actors[5].1;
    assert_eq!(
        guest
            .json(Method::GET, "/api/v1/search?q=Fernway", None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}
