//! Accounts and access: sign-up, sign-in, sign-out, CSRF, the login rate limit, share links
//! and API tokens, through the real router.

mod common;

use axum::http::{Method, StatusCode, header};
use common::{Client, RETAIL, world, world_with};

#[tokio::test]
async fn first_user_becomes_owner_then_sign_up_needs_an_invitation() {
    let w = world().await;
    let mut ana = Client::new(&w);
    assert_eq!(ana.get("/").await.location(), "/signup");
    let r = ana.sign_up("Ana", "ana", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/w/default");
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("trailmap_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let page = ana.get("/w/default").await;
    assert!(page.body.contains("you: owner"), "{}", page.body);

    let mut bob = Client::new(&w);
    let r = bob.get("/signup").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("needs an invitation"));
    // Posting the form anyway (with a valid CSRF token from the login page) is refused too.
    bob.get("/login").await;
    let fields = [
        ("display_name", "Bob"),
        ("handle", "bob"),
        ("email", "bob@example.org"),
        ("password", "correct horse"),
        ("invite", "not-a-real-token"),
    ];
    let r = bob.post("/signup", &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("needs an invitation"), "{}", r.body);
    assert_eq!(
        bob.json(Method::GET, "/api/v1/me", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn sign_in_and_out() {
    let w = world().await;
    let mut ana = Client::new(&w);
    ana.sign_up("Ana", "ana", None).await;
    ana.get("/account").await;
    let r = ana.post("/logout", &[]).await;
    assert_eq!(r.location(), "/login");
    // Signed out: pages send you to the login page, the API says 401.
    assert!(
        ana.get("/w/default")
            .await
            .location()
            .starts_with("/login?next=/w/default")
    );
    assert_eq!(
        ana.json(Method::GET, "/api/v1/me", None).await.status,
        StatusCode::UNAUTHORIZED
    );

    ana.get("/login").await;
    let r = ana
        .post(
            "/login",
            &[("email", "ana@example.org"), ("password", "wrong password")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("Wrong email or password"));
    let r = ana
        .post(
            "/login",
            &[
                ("email", "ana@example.org"),
                ("password", "correct horse"),
                ("next", "/w/default"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/w/default");
    assert_eq!(ana.get("/w/default").await.status, StatusCode::OK);
    // An offsite `next` is not followed.
    ana.post("/logout", &[]).await;
    ana.get("/login").await;
    let r = ana
        .post(
            "/login",
            &[
                ("email", "ana@example.org"),
                ("password", "correct horse"),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/");
}

#[tokio::test]
async fn every_state_change_needs_the_csrf_token() {
    let w = world().await;
    let mut ana = Client::new(&w);
    ana.sign_up("Ana", "ana", None).await;
    let r = ana.import("default", RETAIL, None).await;
    let map = r.location().to_owned();
    ana.get(&format!("{map}/source")).await;
    let good = ana.csrf.clone().unwrap();
    for token in [None, Some("0".repeat(64)), Some("x".to_owned())] {
        let mut pairs = Vec::new();
        if let Some(t) = token {
            pairs.push(("_csrf".to_owned(), t));
        }
        pairs.push(("base".to_owned(), "1".to_owned()));
        pairs.push(("yaml".to_owned(), RETAIL.to_owned()));
        let r = ana.post_raw(&format!("{map}/source"), &pairs).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    // Also for JSON with a session, and for multipart uploads.
    ana.csrf = None;
    let r = ana
        .json(
            Method::POST,
            "/api/v1/workspaces",
            Some(serde_json::json!({"slug": "x", "name": "X"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "csrf");
    let r = ana
        .post_multipart(
            "/w/default/import",
            &[("yaml", RETAIL), ("slug", "again")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The login form is protected before there is a session (double-submit cookie).
    let mut anon = Client::new(&w);
    let r = anon
        .post_raw(
            "/login",
            &[
                ("email".into(), "ana@example.org".into()),
                ("password".into(), "correct horse".into()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // With the right token it works.
    ana.csrf = Some(good);
    let r = ana
        .json(
            Method::POST,
            "/api/v1/workspaces",
            Some(serde_json::json!({"slug": "x", "name": "X"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn failed_logins_are_limited_per_address_and_email() {
    let w = world_with(|c| c.login_attempts = 3).await;
    let mut ana = Client::new(&w);
    ana.sign_up("Ana", "ana", None).await;
    ana.post("/logout", &[]).await;
    let mut attacker = Client::new(&w);
    attacker.get("/login").await;
    for _ in 0..3 {
        let r = attacker
            .post(
                "/login",
                &[("email", "ana@example.org"), ("password", "guess")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = attacker
        .post(
            "/login",
            &[("email", "ana@example.org"), ("password", "correct horse")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "900");
}

#[tokio::test]
async fn api_tokens_act_for_their_user_without_csrf_and_can_be_revoked() {
    let w = world().await;
    let mut ana = Client::new(&w);
    ana.sign_up("Ana", "ana", None).await;
    let r = ana.post("/account/tokens", &[("name", "CI")]).await;
    let start = r.body.find("copy it now): ").unwrap() + "copy it now): ".len();
    let token = r.body[start..start + 64].to_owned();
    let mut script = Client::with_token(&w, &token);
    let me = script.json(Method::GET, "/api/v1/me", None).await;
    assert_eq!(me.json()["handle"], "ana");
    let r = script
        .json(
            Method::POST,
            "/api/v1/workspaces/default/maps",
            Some(serde_json::json!({"yaml": RETAIL})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A token cannot mint tokens.
    let r = script
        .json(
            Method::POST,
            "/api/v1/tokens",
            Some(serde_json::json!({"name": "more"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let tokens = ana.json(Method::GET, "/api/v1/tokens", None).await.json();
    let id = tokens["tokens"][0]["id"].as_i64().unwrap();
    assert_eq!(
        ana.json(Method::DELETE, &format!("/api/v1/tokens/{id}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let r = script.json(Method::GET, "/api/v1/me", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "forbidden");
}

#[tokio::test]
async fn share_links_open_one_map_read_only_until_revoked() {
    let w = world().await;
    let mut ana = Client::new(&w);
    ana.sign_up("Ana", "ana", None).await;
    let map = ana
        .import("default", RETAIL, None)
        .await
        .location()
        .to_owned();
    ana.get(&format!("{map}/share")).await;
    let r = ana
        .post(&format!("{map}/share"), &[("expires_days", "7")])
        .await;
    let link = r.secret();
    let path = link.split("localhost").nth(1).unwrap().to_owned();
    let mut guest = Client::new(&w);
    let page = guest.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Shared read-only"));
    assert_eq!(
        guest.get(&format!("{path}/render")).await.status,
        StatusCode::OK
    );
    assert_eq!(guest.get(&format!("{path}/export/yaml")).await.body, RETAIL);
    // The link opens nothing else.
    assert!(guest.get(&map).await.location().starts_with("/login"));
    // Revoked, it opens nothing.
    let links = ana
        .json(
            Method::GET,
            &format!("/api/v1/maps/{}/share-links", map.trim_start_matches("/m/")),
            None,
        )
        .await
        .json();
    let id = links["share_links"][0]["id"].as_i64().unwrap();
    ana.get(&format!("{map}/share")).await;
    ana.post(&format!("{map}/share/{id}/revoke"), &[]).await;
    assert_eq!(guest.get(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn secure_cookies_get_the_host_prefix() {
    let w = world_with(|c| c.cookies = trailmap_server::CookiePolicy::Secure).await;
    let mut ana = Client::new(&w);
    let page = ana.get("/signup").await;
    let cookie = page
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("__Host-trailmap_csrf=") && cookie.contains("; Secure"),
        "{cookie}"
    );
    let r = ana.sign_up("Ana", "ana", None).await;
    let session = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("__Host-trailmap_session="))
        .expect("a session cookie");
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Lax")
            && session.contains("Secure"),
        "{session}"
    );
}
