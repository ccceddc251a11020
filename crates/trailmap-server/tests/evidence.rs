//! Evidence: event files analysed in the background with progress, the map drawn with the
//! measured figures, and uploaded result.json files validated like the CLI validates them.

mod common;

use axum::http::{Method, StatusCode};
use common::{Client, world};

const OLIST: &str = include_str!("../../../examples/olist/olist-orders.yaml");
const EVENTS: &[u8] = include_bytes!("../../../examples/olist/events.csv.gz");
const CUSTOMERS: &[u8] = include_bytes!("../../../examples/olist/customers.csv");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_analysed_in_the_background_and_drawn_on_the_map() {
    let w = world().await;
    let worker = trailmap_server::spawn_worker(w.state.clone());
    let mut ana = Client::new(&w);
    ana.sign_up("Ana", "ana", None).await;
    let r = ana.import("default", OLIST, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let map = r.location().trim_start_matches("/m/").to_owned();
    ana.get(&format!("/m/{map}/evidence")).await;
    let r = ana
        .post_multipart(
            &format!("/m/{map}/analyses/run"),
            &[("name", "Olist sample")],
            &[
                ("events", "events.csv.gz", EVENTS),
                ("customers", "customers.csv", CUSTOMERS),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = ana
        .json(Method::GET, &format!("/api/v1/maps/{map}/analyses"), None)
        .await
        .json();
    let id = list["analyses"][0]["id"].as_i64().unwrap();
    // The page polls the status fragment (htmx, every second) while it runs.
    let mut status = String::new();
    for _ in 0..240 {
        let a = ana
            .json(Method::GET, &format!("/api/v1/analyses/{id}"), None)
            .await
            .json();
        status = a["status"].as_str().unwrap().to_owned();
        if status == "done" || status == "failed" {
            assert_eq!(status, "done", "{a}");
            assert_eq!(a["progress"], 1.0);
            assert!(a["result"]["steps"].is_array());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(status, "done", "the analysis finished within a minute");
    let fragment = ana.get(&format!("/m/{map}/analyses/{id}/status")).await;
    assert!(fragment.body.contains("Show the map with these figures"));
    let page = ana.get(&format!("/m/{map}/render?analysis={id}")).await;
    assert!(
        page.body.contains("Measured in data"),
        "the evidence lanes are drawn"
    );
    worker.stop().await;

    // The result can be uploaded again as a file; a broken one is refused with its position.
    let result = ana
        .json(Method::GET, &format!("/api/v1/analyses/{id}"), None)
        .await
        .json()["result"]
        .to_string();
    ana.get(&format!("/m/{map}/evidence")).await;
    let r = ana
        .post_multipart(
            &format!("/m/{map}/analyses"),
            &[("name", "uploaded")],
            &[("result", "result.json", result.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = ana
        .post_multipart(
            &format!("/m/{map}/analyses"),
            &[("name", "broken")],
            &[("result", "result.json", b"{\n  \"version\": 1,\n  oops\n}")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("line 3, column 3"), "{}", r.body);
    let r = ana
        .json(
            Method::POST,
            &format!("/api/v1/maps/{map}/analyses"),
            Some(serde_json::json!({"name": "wrong", "result": {"version": 99}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("version 99")
    );
}
