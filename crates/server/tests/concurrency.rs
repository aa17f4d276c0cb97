//! Many writers at once: on SQLite as on PostgreSQL every push is answered 2xx and every event
//! accepted, however many clients write together.

mod common;

use common::*;

/// Pushes of 16 customers at once, each opening tickets and replying on one of them, while one
/// agent keeps writing on a single long ticket.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushers_never_get_a_server_error() {
    const CLIENTS: usize = 16;
    const ROUNDS: usize = 8;
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let pushers = (0..CLIENTS).map(|i| {
            let base = srv.base.clone();
            async move {
                let id = format!("c{i}");
                let c = Client::customer(&base, &id);
                let mut dev = Device::new(&format!("n{i}"), 100 + i as u64);
                let opened = dev.open(&customer(&id), &id);
                let t = opened[0].ticket.clone();
                let mut statuses = vec![c.push(&opened).await];
                for r in 0..ROUNDS {
                    let ev = dev
                        .run(Some(&t), reply(&format!("round {r}")), &customer(&id))
                        .unwrap();
                    statuses.push(c.push(&ev).await);
                    statuses.push(c.push(&dev.open(&customer(&id), &id)).await);
                }
                statuses
            }
        });
        let results = futures::future::join_all(pushers).await;
        let mut pushes = 0;
        for r in results {
            for (status, body) in r {
                pushes += 1;
                assert_eq!(status, 200, "{db}: {body}");
                assert!(
                    body["results"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|r| r["status"] == "accepted"),
                    "{db}: {body}"
                );
            }
        }
        assert_eq!(pushes, CLIENTS * (1 + 2 * ROUNDS), "{db}");
        let stored = srv.state.db.all_events().await.unwrap().len();
        assert!(stored >= CLIENTS * (1 + 2 * ROUNDS), "{db}: {stored}");
        let ids = Client::admin(&srv.base).await.pulled_ids().await;
        assert_eq!(ids.len(), stored, "{db}");
    }
}
