//! Maps in the browser: import errors with line:column, saves with a base version, conflicts,
//! structured edits and their replay, history and restore, comments and mentions, and hostile
//! text coming back escaped.

mod common;

use axum::http::{Method, StatusCode};
use common::{Client, RETAIL, team, world};

fn map_id(location: &str) -> i64 {
    location
        .trim_start_matches("/m/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn import_errors_show_line_and_column_like_the_cli() {
    let w = world().await;
    let mut ana = Client::new(&w);
    ana.sign_up("Ana", "ana", None).await;
    let broken = RETAIL.replacen("emotion:", "emoton:", 1);
    let line = broken.lines().position(|l| l.contains("emoton:")).unwrap() + 1;
    let column = broken
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("emoton")
        .unwrap()
        + 1;
    let r = ana.import("default", &broken, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let expected = format!("pasted.yaml:{line}:{column}: error[");
    assert!(
        r.body.contains(&expected),
        "wanted {expected} in {}",
        r.body
    );
    assert!(r.body.contains("unknown key `emoton`"));
    // The text is kept in the form so nothing typed is lost.
    assert!(r.body.contains("emoton:"));
    // Not imported.
    let list = ana
        .json(Method::GET, "/api/v1/workspaces/default/maps", None)
        .await
        .json();
    assert_eq!(list["maps"].as_array().unwrap().len(), 0);
    // The API says the same, as JSON diagnostics.
    let r = ana
        .json(
            Method::POST,
            "/api/v1/workspaces/default/maps",
            Some(serde_json::json!({"yaml": broken})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let d = &r.json()["error"]["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(line as u64), Some(column as u64))
    );
    // A YAML syntax error, too.
    let r = ana
        .import("default", "trailmap: 1\njourney: [unclosed\n", None)
        .await;
    assert!(r.body.contains("pasted.yaml:"), "{}", r.body);
}

#[tokio::test]
async fn the_second_save_on_the_same_base_is_a_conflict_never_an_overwrite() {
    let w = world().await;
    let (mut owner, mut editor, _, _, map) = team(&w).await;
    // Both open the source editor at version 1.
    owner.get(&format!("/m/{map}/source")).await;
    editor.get(&format!("/m/{map}/source")).await;
    let theirs = RETAIL.replacen(
        "name: Fernway online purchase",
        "name: Fernway purchase (editor)",
        1,
    );
    assert_ne!(theirs, RETAIL);
    let r = editor
        .post(
            &format!("/m/{map}/source"),
            &[
                ("base", "1"),
                ("yaml", &theirs),
                ("message", "editor's change"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mine = RETAIL.replacen(
        "name: Fernway online purchase",
        "name: Fernway purchase by Olga",
        1,
    );
    let r = owner
        .post(
            &format!("/m/{map}/source"),
            &[
                ("base", "1"),
                ("yaml", &mine),
                ("message", "owner's change"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("the map changed while you were editing"));
    assert!(r.body.contains("Ed Editor"));
    assert!(
        r.body.contains("Fernway purchase (editor)"),
        "their change is shown"
    );
    assert!(
        r.body.contains("Fernway purchase by Olga"),
        "my text is kept on the page"
    );
    // Nothing was overwritten: version 2 is the editor's, and there is no version 3.
    let v = owner
        .json(Method::GET, &format!("/api/v1/maps/{map}/versions"), None)
        .await
        .json();
    assert_eq!(v["versions"].as_array().unwrap().len(), 2);
    let latest = owner
        .json(Method::GET, &format!("/api/v1/maps/{map}/versions/2"), None)
        .await
        .json();
    assert_eq!(latest["yaml"], theirs);
    // The API answers a stale base with 409 and the latest version number.
    let r = owner
        .json(
            Method::POST,
            &format!("/api/v1/maps/{map}/versions"),
            Some(serde_json::json!({"base_version": 1, "yaml": mine})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["error"]["code"], "version_conflict");
    assert_eq!(r.json()["error"]["latest_version"], 2);
}

#[tokio::test]
async fn a_structured_edit_on_a_stale_base_can_be_reapplied_keeping_both_changes() {
    let w = world().await;
    let (mut owner, mut editor, _, _, map) = team(&w).await;
    let model = trailmap_check::parse(RETAIL).map.unwrap();
    let first = model.stages[0].steps[0].id.clone();
    let second = model.stages[0].steps[1].id.clone();
    owner.get(&format!("/m/{map}/structure")).await;
    editor.get(&format!("/m/{map}/structure")).await;
    let r = editor
        .post(
            &format!("/m/{map}/edit"),
            &[
                ("base", "1"),
                ("op", "step-edit"),
                ("step", &first),
                ("name", "Renamed by editor"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = owner
        .post(
            &format!("/m/{map}/edit"),
            &[
                ("base", "1"),
                ("op", "step-edit"),
                ("step", &second),
                ("lanes", "1"),
                ("emotion", "-2"),
                ("moment_of_truth", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Reapply my change on version 2"));
    // The replay form carries the same fields with the new base.
    assert!(r.body.contains(r#"name="base" value="2""#));
    assert!(r.body.contains(r#"name="emotion" value="-2""#));
    let r = owner
        .post(
            &format!("/m/{map}/edit"),
            &[
                ("base", "2"),
                ("op", "step-edit"),
                ("step", &second),
                ("lanes", "1"),
                ("emotion", "-2"),
                ("moment_of_truth", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v3 = owner
        .json(Method::GET, &format!("/api/v1/maps/{map}/versions/3"), None)
        .await
        .json();
    let edited = trailmap_check::parse(v3["yaml"].as_str().unwrap())
        .map
        .unwrap();
    assert_eq!(edited.stages[0].steps[0].name, "Renamed by editor");
    assert_eq!(edited.stages[0].steps[1].customer.emotion, Some(-2));
    assert!(edited.stages[0].steps[1].moment_of_truth);
    // Moving a step with the button (no JavaScript involved) reorders it.
    owner.get(&format!("/m/{map}/structure")).await;
    let r = owner
        .post(
            &format!("/m/{map}/edit"),
            &[
                ("base", "3"),
                ("op", "step-move"),
                ("step", &second),
                ("direction", "up"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let v4 = owner
        .json(Method::GET, &format!("/api/v1/maps/{map}/versions/4"), None)
        .await
        .json();
    let moved = trailmap_check::parse(v4["yaml"].as_str().unwrap())
        .map
        .unwrap();
    assert_eq!(moved.stages[0].steps[0].id, second);
    // An edit the checker refuses is not saved and says why.
    let r = owner
        .post(
            &format!("/m/{map}/edit"),
            &[
                ("base", "4"),
                ("op", "step-add"),
                ("stage", &model.stages[0].id),
                ("name", "X"),
                ("id", &first),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("already used"), "{}", r.body);
}

#[tokio::test]
async fn history_diff_and_restore() {
    let w = world().await;
    let mut ana = Client::new(&w);
    ana.sign_up("Ana", "ana", None).await;
    let map = map_id(ana.import("default", RETAIL, None).await.location());
    ana.get(&format!("/m/{map}/source")).await;
    let changed = RETAIL.replacen("name: Fernway online purchase", "name: Changed", 1);
    ana.post(
        &format!("/m/{map}/source"),
        &[("base", "1"), ("yaml", &changed)],
    )
    .await;
    // What the pages' own GET forms send when "None" is picked: empty values.
    for path in [
        format!("/m/{map}?version=&analysis=&persona="),
        format!("/m/{map}/compare?with=&current_analysis=&future_analysis="),
    ] {
        assert_eq!(ana.get(&path).await.status, StatusCode::OK, "{path}");
    }
    let history = ana.get(&format!("/m/{map}/history")).await;
    assert!(history.body.contains("Restore"));
    let diff = ana.get(&format!("/m/{map}/diff?from=1&to=2")).await;
    assert_eq!(diff.status, StatusCode::OK);
    assert!(diff.body.contains("+ "), "the line diff is shown");
    let api_diff = ana
        .json(
            Method::GET,
            &format!("/api/v1/maps/{map}/diff?from=1&to=2"),
            None,
        )
        .await
        .json();
    assert_eq!(
        api_diff["version"], 1,
        "the same JSON shape as `trailmap diff --format json`"
    );
    let r = ana
        .post(
            &format!("/m/{map}/restore"),
            &[("base", "2"), ("number", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v3 = ana
        .json(Method::GET, &format!("/api/v1/maps/{map}/versions/3"), None)
        .await
        .json();
    assert_eq!(v3["yaml"], RETAIL);
    assert_eq!(v3["restored_from"], 1);
    // Restoring on a stale base is a conflict too.
    let r = ana
        .post(
            &format!("/m/{map}/restore"),
            &[("base", "2"), ("number", "2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn comments_mentions_resolve_and_the_feed() {
    let w = world().await;
    let (mut owner, mut editor, mut commenter, mut viewer, map) = team(&w).await;
    let step = trailmap_check::parse(RETAIL).map.unwrap().stages[0].steps[0]
        .id
        .clone();
    commenter.get(&format!("/m/{map}/comments")).await;
    let r = commenter
        .post(
            &format!("/m/{map}/comments"),
            &[("target", &step), ("body", "Is this right, @ed?")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let inbox = editor.get("/inbox").await;
    assert!(inbox.body.contains("Is this right"), "{}", inbox.body);
    let page = owner.get(&format!("/m/{map}/comments")).await;
    assert!(
        page.body.contains("/w/default/members#user-ed"),
        "the mention links to the person"
    );
    // A viewer cannot comment.
    viewer.get(&format!("/m/{map}/comments")).await;
    let r = viewer
        .post(&format!("/m/{map}/comments"), &[("body", "me too")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let id = owner
        .json(Method::GET, &format!("/api/v1/maps/{map}/comments"), None)
        .await
        .json()["comments"][0]["id"]
        .as_i64()
        .unwrap();
    owner.get(&format!("/m/{map}/comments")).await;
    owner
        .post(
            &format!("/m/{map}/comments/{id}/resolve"),
            &[("resolved", "true")],
        )
        .await;
    let open = owner
        .json(Method::GET, &format!("/api/v1/maps/{map}/comments"), None)
        .await
        .json();
    assert_eq!(
        open["comments"].as_array().unwrap().len(),
        0,
        "resolved threads are hidden"
    );
    owner
        .post(
            &format!("/m/{map}/comments/{id}/resolve"),
            &[("resolved", "false")],
        )
        .await;
    let open = owner
        .json(Method::GET, &format!("/api/v1/maps/{map}/comments"), None)
        .await
        .json();
    assert_eq!(open["comments"].as_array().unwrap().len(), 1, "reopened");
    let feed = owner
        .json(Method::GET, &format!("/api/v1/maps/{map}/activity"), None)
        .await
        .json();
    let kinds: Vec<&str> = feed["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "map_created",
        "commented",
        "comment_resolved",
        "comment_reopened",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
}

const PAYLOADS: [&str; 3] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
];

#[tokio::test]
async fn hostile_text_in_every_field_comes_back_escaped() {
    let w = world().await;
    let mut ana = Client::new(&w);
    ana.sign_up("<script>alert(1)</script>", "ana", None).await;
    let mut model = trailmap_check::parse(RETAIL).map.unwrap();
    model.journey.name = PAYLOADS[0].to_owned();
    let step = &mut model.stages[0].steps[0];
    step.name = PAYLOADS[1].to_owned();
    step.customer.does = Some(PAYLOADS[2].to_owned());
    let (si, ti) = model
        .steps()
        .find(|s| !s.step.pain_points.is_empty())
        .map(|s| (s.stage_idx, s.step_idx))
        .unwrap();
    model.stages[si].steps[ti].pain_points[0].text = PAYLOADS[0].to_owned();
    let yaml = trailmap_server::yaml_write::map_to_yaml(&model, "");
    let r = ana.import("default", &yaml, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let map = map_id(r.location());
    let step_id = model.stages[0].steps[0].id.clone();
    ana.get(&format!("/m/{map}/comments")).await;
    for p in PAYLOADS {
        ana.post(
            &format!("/m/{map}/comments"),
            &[("target", &step_id), ("body", p)],
        )
        .await;
    }
    ana.get(&format!("/m/{map}/settings")).await;
    ana.post(
        &format!("/m/{map}/settings"),
        &[("title", PAYLOADS[1]), ("state", "current")],
    )
    .await;
    ana.post(&format!("/m/{map}/share"), &[("expires_days", "1")])
        .await;
    ana.get("/account").await;
    ana.post("/account/tokens", &[("name", PAYLOADS[2])]).await;
    // An import that fails echoes the text back in the form: escaped too.
    let r = ana
        .import(
            "default",
            &format!("{}\n{}", PAYLOADS[1], PAYLOADS[0]),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut pages = vec![r];
    for path in [
        "/w/default".to_owned(),
        format!("/w/default?q={}", "%3Cscript%3E"),
        "/w/default/members".to_owned(),
        "/w/default/activity".to_owned(),
        "/account".to_owned(),
        format!("/m/{map}"),
        format!("/m/{map}/render"),
        format!("/m/{map}/structure"),
        format!("/m/{map}/structure/step/{step_id}"),
        format!("/m/{map}/source"),
        format!("/m/{map}/comments"),
        format!("/m/{map}/history"),
        format!("/m/{map}/settings"),
        format!("/m/{map}/compare"),
        format!("/m/{map}/evidence"),
    ] {
        let page = ana.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        pages.push(page);
    }
    for page in &pages {
        for p in PAYLOADS {
            assert!(
                !page.body.contains(p),
                "raw payload {p:?} in a page:\n{}",
                page.body
            );
        }
        for raw in ["<script>alert", "<img src=x", "<svg onload"] {
            assert!(!page.body.contains(raw), "{raw} unescaped");
        }
    }
    // They are there, escaped.
    assert!(
        pages[6]
            .body
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
}

/// The hidden fields of the conflict page's reapply form, as a browser would submit them.
fn reapply_fields(page: &str, action: &str) -> Vec<(String, String)> {
    let start = page
        .find(&format!("action=\"{action}\""))
        .expect("a reapply form");
    let end = page[start..].find("</form>").unwrap() + start;
    let mut out = Vec::new();
    let mut rest = &page[start..end];
    while let Some(at) = rest.find("<input type=\"hidden\" name=\"") {
        rest = &rest[at + "<input type=\"hidden\" name=\"".len()..];
        let name_end = rest.find('"').unwrap();
        let name = rest[..name_end].to_owned();
        let value_at = rest.find("value=\"").unwrap() + "value=\"".len();
        let value_end = rest[value_at..].find('"').unwrap() + value_at;
        let value = rest[value_at..value_end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        out.push((name, value));
    }
    out
}

#[tokio::test]
async fn reapplying_a_full_step_form_keeps_the_other_persons_change() {
    let w = world().await;
    let (mut owner, mut editor, _, _, map) = team(&w).await;
    let model = trailmap_check::parse(RETAIL).map.unwrap();
    let step = &model.stages[0].steps[0];
    let full_form = |does: &str, thinks: &str| {
        vec![
            ("base", "1".to_owned()),
            ("op", "step-edit".to_owned()),
            ("step", step.id.clone()),
            ("lanes", "1".to_owned()),
            ("name", step.name.clone()),
            ("does", does.to_owned()),
            ("thinks", thinks.to_owned()),
            ("feels", step.customer.feels.clone().unwrap_or_default()),
            (
                "emotion",
                step.customer
                    .emotion
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
            ),
        ]
    };
    let old_does = step.customer.does.clone().unwrap_or_default();
    let old_thinks = step.customer.thinks.clone().unwrap_or_default();
    editor.get(&format!("/m/{map}/structure")).await;
    let f = full_form("Editor's does", &old_thinks);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        editor.post(&format!("/m/{map}/edit"), &f).await.status,
        StatusCode::SEE_OTHER
    );
    owner.get(&format!("/m/{map}/structure")).await;
    let f = full_form(&old_does, "Owner's thought");
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let conflict = owner.post(&format!("/m/{map}/edit"), &f).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    let mut pairs = vec![("_csrf".to_owned(), owner.csrf.clone().unwrap())];
    pairs.extend(
        reapply_fields(&conflict.body, &format!("/m/{map}/edit"))
            .into_iter()
            .filter(|(k, _)| k != "_csrf"),
    );
    let r = owner.post_raw(&format!("/m/{map}/edit"), &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v3 = owner
        .json(Method::GET, &format!("/api/v1/maps/{map}/versions/3"), None)
        .await
        .json();
    let merged = trailmap_check::parse(v3["yaml"].as_str().unwrap())
        .map
        .unwrap();
    let s = &merged.stages[0].steps[0];
    assert_eq!(
        s.customer.does.as_deref(),
        Some("Editor's does"),
        "the editor's change stays"
    );
    assert_eq!(
        s.customer.thinks.as_deref(),
        Some("Owner's thought"),
        "the owner's change is applied"
    );
}

#[tokio::test]
async fn the_live_check_answers_htmx_with_the_diagnostics_fragment() {
    let w = world().await;
    let mut ana = Client::new(&w);
    ana.sign_up("Ana", "ana", None).await;
    let map = map_id(ana.import("default", RETAIL, None).await.location());
    ana.get(&format!("/m/{map}/source")).await;
    let broken = RETAIL.replacen("emotion:", "emoton:", 1);
    let body = serde_urlencoded::to_string([("yaml", broken.as_str())]).unwrap();
    let request = axum::http::Request::post(format!("/m/{map}/check"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("hx-request", "true")
        .header("x-csrf-token", ana.csrf.clone().unwrap())
        .body(axum::body::Body::from(body))
        .unwrap();
    let r = ana.send(request).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with("<div id=\"diagnostics\""), "{}", r.body);
    assert!(
        r.body.contains("unknown key `emoton`") && r.body.contains("1 error(s)"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("<html"), "a fragment, not a page");
}
