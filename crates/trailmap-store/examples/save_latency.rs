//! How long an acknowledged (durable) save takes, one at a time and with many concurrent
//! editors on distinct maps. Used for BENCHMARKS.md; not a test.
//!
//! Run with:
//!   cargo run --release -p trailmap-store --example save_latency -- sqlite:///tmp/bench.db
//!   cargo run --release -p trailmap-store --example save_latency -- postgres://trailmap:trailmap@127.0.0.1/bench
//! The database must be new (empty). Optional second and third arguments: saves per editor
//! (default 200) and concurrent editors (default 16).

use std::time::{Duration, Instant};

use trailmap_store::{MapState, NewMap, NewUser, SaveVersion, Store};

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .ok_or("usage: save_latency DATABASE_URL [SAVES] [EDITORS]")?;
    let saves: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(200);
    let editors: usize = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(16);
    let store = Store::open(url).await?;
    let me = store
        .sign_up(
            NewUser {
                email: "bench@example.com".into(),
                handle: "bench".into(),
                display_name: "Bench".into(),
                password: "benchmark password".into(),
            },
            None,
        )
        .await?;
    let workspace = me.workspace.ok_or("no default workspace")?.workspace.id;
    let yaml = include_str!("../../../examples/support-contact.yaml");
    let mut maps = Vec::new();
    for i in 0..editors {
        let new = NewMap {
            slug: format!("map-{i}"),
            title: format!("Map {i}"),
            state: MapState::Current,
            journey_id: None,
            yaml: yaml.to_owned(),
            message: String::new(),
        };
        maps.push(store.create_map(&me.principal, workspace, new).await?.0.id);
    }

    // One editor, one save at a time.
    let mut alone = Vec::new();
    for n in 1..=saves as i64 {
        let save = SaveVersion {
            base_version: n,
            yaml: format!("{yaml}# {n}\n"),
            message: String::new(),
            journey_id: None,
        };
        let t = Instant::now();
        store.save_version(&me.principal, maps[0], save).await?;
        alone.push(t.elapsed());
    }
    report(store.backend_name(), "1 editor", &mut alone);

    // Many editors at once, each on its own map (no conflicts: this measures the write path).
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, map) in maps.iter().enumerate() {
        let (store, principal, map) = (store.clone(), me.principal.clone(), *map);
        let base0 = if i == 0 { saves as i64 + 1 } else { 1 };
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for k in 0..saves as i64 {
                let save = SaveVersion {
                    base_version: base0 + k,
                    yaml: format!("{yaml}# {k}\n"),
                    message: String::new(),
                    journey_id: None,
                };
                let t = Instant::now();
                store
                    .save_version(&principal, map, save)
                    .await
                    .expect("save");
                times.push(t.elapsed());
            }
            times
        }));
    }
    let mut together = Vec::new();
    for task in tasks {
        together.extend(task.await?);
    }
    let wall = started.elapsed();
    report(
        store.backend_name(),
        &format!("{editors} editors"),
        &mut together,
    );
    println!(
        "{} {editors} editors: {:.0} saves/s",
        store.backend_name(),
        together.len() as f64 / wall.as_secs_f64()
    );
    store.close().await;
    Ok(())
}

fn report(backend: &str, label: &str, times: &mut [Duration]) {
    times.sort();
    let at =
        |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
    println!(
        "{backend} {label}: {} saves, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}
