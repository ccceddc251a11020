//! kill -9 during saves loses no acknowledged version.
//!
//! The parent test starts this same test binary again as a child that runs only
//! `crash_child_writer`: it saves versions in a loop and prints `ack N` (flushed) after each
//! save returned `Ok`. The parent kills it with SIGKILL at a random moment, reopens the
//! database, and checks that every acknowledged version is there with exactly its text, and
//! that version numbers are still dense. Several rounds run on the same database.

use std::io::Write as _;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use trailmap_store::{MapState, NewMap, SaveVersion, Store, StoreError};

use crate::common::{PASSWORD, each_backend, new_user};

const CHILD_URL: &str = "TRAILMAP_CRASH_CHILD_URL";
const ROUNDS: usize = 3;

/// The text of version `n`: long enough that a torn write would show, unique per version.
fn payload(n: i64) -> String {
    let filler: String = (0..(2000 + n % 700))
        .map(|i| char::from(b'a' + ((i + n) % 26) as u8))
        .collect();
    format!("trailmap: 1\n# version {n}\njourney:\n  id: crash\n  notes: {filler}\n")
}

/// A cheap random number from the clock (the moment of the kill only needs to vary).
fn jitter(max_ms: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    u64::from(nanos) % max_ms
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_child_writer() {
    let Ok(url) = std::env::var(CHILD_URL) else {
        return;
    };
    let store = Store::open(&url).await.unwrap();
    let (_, me) = store
        .verify_password("crash@example.com", PASSWORD)
        .await
        .unwrap();
    let map = store.list_maps(&me, None).await.unwrap()[0].id;
    let mut stdout = std::io::stdout();
    loop {
        let base = store.map(&me, map).await.unwrap().latest_version;
        let n = base + 1;
        let save = SaveVersion {
            base_version: base,
            yaml: payload(n),
            message: format!("save {n}"),
            journey_id: None,
        };
        match store.save_version(&me, map, save).await {
            Ok(v) => {
                assert_eq!(v.info.number, n);
                writeln!(stdout, "ack {n}").unwrap();
                stdout.flush().unwrap();
            }
            Err(StoreError::Conflict { .. }) => continue,
            Err(e) => panic!("save failed: {e}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_saves_survive_kill_9() {
    each_backend(|db| async move {
        let store = &db.store;
        let me = store.sign_up(new_user("crash"), None).await.unwrap();
        let workspace = me.workspace.unwrap().workspace.id;
        let (map, _) = store
            .create_map(
                &me.principal,
                workspace,
                NewMap {
                    slug: "crash".into(),
                    title: "Crash".into(),
                    state: MapState::Current,
                    journey_id: None,
                    yaml: payload(1),
                    message: String::new(),
                },
            )
            .await
            .unwrap();
        let mut acknowledged: Vec<i64> = Vec::new();
        for round in 0..ROUNDS {
            let mut child = tokio::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "crash::crash_child_writer",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(CHILD_URL, &db.url)
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .unwrap();
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            // Let it acknowledge a few saves, then kill it at a random moment in the next 300 ms.
            let mut this_round = 0;
            let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
            while this_round < 5 {
                let line = tokio::time::timeout_at(deadline, lines.next_line())
                    .await
                    .expect("child acks in time");
                let Some(line) = line.unwrap() else {
                    panic!("child ended early in round {round}")
                };
                if let Some(n) = line.strip_prefix("ack ") {
                    acknowledged.push(n.parse().unwrap());
                    this_round += 1;
                }
            }
            let kill_at = tokio::time::Instant::now() + Duration::from_millis(jitter(300));
            loop {
                match tokio::time::timeout_at(kill_at, lines.next_line()).await {
                    Ok(Ok(Some(line))) => {
                        if let Some(n) = line.strip_prefix("ack ") {
                            acknowledged.push(n.parse().unwrap());
                        }
                    }
                    Ok(_) => panic!("child ended before the kill"),
                    Err(_) => break,
                }
            }
            child.start_kill().unwrap(); // SIGKILL
            // Whatever it printed before dying was acknowledged too.
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(n) = line.strip_prefix("ack ") {
                    acknowledged.push(n.parse().unwrap());
                }
            }
            let status = child.wait().await.unwrap();
            assert!(!status.success(), "the child was killed, not finished");

            let reopened = Store::open(&db.url).await.unwrap();
            let versions = reopened.list_versions(&me.principal, map.id).await.unwrap();
            let latest = versions[0].number;
            let numbers: Vec<i64> = versions.iter().map(|v| v.number).rev().collect();
            assert_eq!(
                numbers,
                (1..=latest).collect::<Vec<_>>(),
                "round {round}: dense"
            );
            for &n in &acknowledged {
                let v = reopened.version(&me.principal, map.id, n).await;
                let v = v.unwrap_or_else(|e| {
                    panic!("round {round}: acknowledged version {n} lost: {e}")
                });
                assert!(
                    v.yaml == payload(n),
                    "round {round}: version {n} text differs"
                );
            }
            eprintln!(
                "round {round}: {} acknowledged so far, latest on disk {latest}",
                acknowledged.len()
            );
            reopened.close().await;
        }
        assert!(acknowledged.len() >= 5 * ROUNDS);
    })
    .await;
}
