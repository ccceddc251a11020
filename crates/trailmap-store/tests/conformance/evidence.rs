//! Analyses: uploaded results and background jobs.

use trailmap_store::{AnalysisInput, AnalysisStatus, StoreError};

use crate::common::{each_backend, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_result_is_kept_exactly() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let json = "{\"version\": 1, \"steps\": [\"ünïcode\", \"'quoted'\"]}";
        let info = store
            .attach_analysis(&w.editor, w.map.id, "March events", Some(1), json)
            .await
            .unwrap();
        assert_eq!((info.status, info.progress), (AnalysisStatus::Done, 1.0));
        let got = store.analysis(&w.viewer, info.id).await.unwrap();
        assert_eq!(got.result_json.as_deref(), Some(json));
        assert_eq!(
            store.list_analyses(&w.viewer, w.map.id).await.unwrap()[0].id,
            info.id
        );
        assert!(matches!(
            store.analysis(&w.outsider, info.id).await,
            Err(StoreError::NotFound { what: "analysis" })
        ));
        let bad = store
            .attach_analysis(&w.editor, w.map.id, "x", Some(5), "{}")
            .await;
        assert!(
            matches!(
                bad,
                Err(StoreError::Invalid {
                    field: "version",
                    ..
                })
            ),
            "{bad:?}"
        );
        store.delete_analysis(&w.editor, info.id).await.unwrap();
        assert!(
            store
                .list_analyses(&w.viewer, w.map.id)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_background_job_goes_queued_running_done_or_failed() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        assert!(store.claim_next_analysis().await.unwrap().is_none());
        let inputs = vec![
            AnalysisInput {
                name: "events.csv".into(),
                bytes: b"customer,event\n1,pay\n".to_vec(),
            },
            AnalysisInput {
                name: "customers.csv".into(),
                bytes: vec![0, 159, 146, 150, 255],
            },
        ];
        let none = store
            .queue_analysis(&w.editor, w.map.id, "job", None, Vec::new())
            .await;
        assert!(matches!(
            none,
            Err(StoreError::Invalid {
                field: "inputs",
                ..
            })
        ));
        let first = store
            .queue_analysis(&w.editor, w.map.id, "first", None, inputs.clone())
            .await
            .unwrap();
        let second = store
            .queue_analysis(&w.editor, w.map.id, "second", None, inputs.clone())
            .await
            .unwrap();
        assert_eq!(first.status, AnalysisStatus::Queued);

        let job = store.claim_next_analysis().await.unwrap().unwrap();
        assert_eq!((job.id, job.status), (first.id, AnalysisStatus::Running));
        assert_eq!(
            store.analysis_inputs(job.id).await.unwrap(),
            inputs,
            "bytes come back exactly, in order"
        );
        store.set_analysis_progress(job.id, 0.5).await.unwrap();
        assert_eq!(
            store
                .analysis(&w.viewer, job.id)
                .await
                .unwrap()
                .info
                .progress,
            0.5
        );
        store.set_analysis_progress(job.id, 7.0).await.unwrap();
        assert_eq!(
            store
                .analysis(&w.viewer, job.id)
                .await
                .unwrap()
                .info
                .progress,
            1.0,
            "clamped"
        );
        store
            .finish_analysis(job.id, "{\"ok\":true}")
            .await
            .unwrap();
        let done = store.analysis(&w.viewer, job.id).await.unwrap();
        assert_eq!(
            (done.info.status, done.result_json.as_deref()),
            (AnalysisStatus::Done, Some("{\"ok\":true}"))
        );
        assert!(
            store.analysis_inputs(job.id).await.unwrap().is_empty(),
            "inputs go when the job ends"
        );

        let job = store.claim_next_analysis().await.unwrap().unwrap();
        assert_eq!(job.id, second.id);
        // The process dies; at restart the job goes back to the queue.
        assert_eq!(store.requeue_interrupted_analyses().await.unwrap(), 1);
        let job = store.claim_next_analysis().await.unwrap().unwrap();
        assert_eq!(job.id, second.id);
        store
            .fail_analysis(job.id, "events.csv:2: no column 'customer_id'")
            .await
            .unwrap();
        let failed = store.analysis(&w.viewer, job.id).await.unwrap();
        assert_eq!(failed.info.status, AnalysisStatus::Failed);
        assert_eq!(
            failed.info.error.as_deref(),
            Some("events.csv:2: no column 'customer_id'")
        );
        assert!(store.claim_next_analysis().await.unwrap().is_none());

        let kinds: Vec<_> = store
            .map_activity(&w.viewer, w.map.id, 10)
            .await
            .unwrap()
            .iter()
            .map(|e| e.kind)
            .collect();
        use trailmap_store::ActivityKind::*;
        assert_eq!(
            &kinds[..4],
            [
                AnalysisFailed,
                AnalysisFinished,
                AnalysisQueued,
                AnalysisQueued
            ]
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_workers_claim_each_job_once() {
    each_backend(|db| async move {
        let store = &db.store;
        let w = world(store).await;
        let input = vec![AnalysisInput {
            name: "e.csv".into(),
            bytes: b"x".to_vec(),
        }];
        for i in 0..6 {
            store
                .queue_analysis(
                    &w.editor,
                    w.map.id,
                    &format!("job {i}"),
                    None,
                    input.clone(),
                )
                .await
                .unwrap();
        }
        let mut workers = Vec::new();
        for _ in 0..4 {
            let store = store.clone();
            workers.push(tokio::spawn(async move {
                let mut got = Vec::new();
                for _ in 0..20 {
                    if let Some(job) = store.claim_next_analysis().await.unwrap() {
                        got.push(job.id);
                    }
                }
                got
            }));
        }
        let mut all = Vec::new();
        for w in workers {
            all.extend(w.await.unwrap());
        }
        all.sort();
        let before = all.len();
        all.dedup();
        assert_eq!(before, all.len(), "no job claimed twice");
        assert_eq!(all.len(), 6, "every job claimed");
    })
    .await;
}
