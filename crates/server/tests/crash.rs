//! Kill -9 during a push storm: the server binary is killed while 8 clients push, restarted on the
//! same database, and every event it acknowledged is there; pushing them again answers
//! `duplicate`. On SQLite and PostgreSQL.

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;

/// The server binary on a free loopback port, with the test secret and admin.
fn spawn_server(url: &str) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_mostrador-server"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--database-url", url])
        .env(
            "MOSTRADOR_CUSTOMER_SECRET",
            std::str::from_utf8(SECRET).unwrap(),
        )
        .env("MOSTRADOR_ADMIN", format!("{}:{}", ADMIN.0, ADMIN.1))
        .env("MOSTRADOR_RATE_LIMIT", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    (child, format!("http://127.0.0.1:{port}"))
}

async fn wait_healthy(base: &str) {
    for _ in 0..300 {
        if let Ok(r) = reqwest::get(format!("{base}/health")).await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server at {base} did not come up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_events_survive_kill_9() {
    for (db, url, _guard) in databases().await {
        let (mut child, base) = spawn_server(&url);
        wait_healthy(&base).await;
        // (customer, acknowledged events) of every push answered 200.
        let acked: Arc<Mutex<Vec<(String, mostrador_core::event::Event)>>> = Arc::default();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut pushers = Vec::new();
        for i in 0..8u64 {
            // Decide every batch before the storm: devices are not Send.
            let id = format!("k{i}");
            let mut dev = Device::new(&format!("n{i}"), 700 + i);
            let mut batches = Vec::new();
            for _ in 0..60 {
                let opened = dev.open(&customer(&id), &id);
                let t = opened[0].ticket.clone();
                let mut b = opened;
                b.extend(dev.run(Some(&t), reply("smoke"), &customer(&id)).unwrap());
                batches.push(b);
            }
            let (base, acked, stop) = (base.clone(), acked.clone(), stop.clone());
            pushers.push(tokio::spawn(async move {
                let c = Client::customer(&base, &id);
                for b in batches {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) {
                        break;
                    }
                    let res = c
                        .request("POST", "/v1/events")
                        .json(&serde_json::json!({ "events": b }))
                        .send()
                        .await;
                    let Ok(res) = res else { break };
                    if res.status().as_u16() != 200 {
                        break;
                    }
                    let Ok(body) = res.json::<serde_json::Value>().await else {
                        break;
                    };
                    let results = body["results"].as_array().unwrap();
                    let mut a = acked.lock().unwrap();
                    for (r, e) in results.iter().zip(&b) {
                        assert_eq!(r["status"], "accepted", "{r}");
                        a.push((id.clone(), e.clone()));
                    }
                }
            }));
        }
        // Kill once the storm is well under way.
        for _ in 0..600 {
            if acked.lock().unwrap().len() >= 200 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for p in pushers {
            p.await.unwrap();
        }
        let acked = acked.lock().unwrap().clone();
        assert!(acked.len() >= 200, "{db}: the storm was too short");

        let (mut child, base) = spawn_server(&url);
        wait_healthy(&base).await;
        let admin = Client::admin(&base).await;
        let mut stored = std::collections::HashSet::new();
        let mut after = 0;
        loop {
            let (s, page) = admin.pull(after).await;
            assert_eq!(s, 200, "{db}");
            for e in page["events"].as_array().unwrap() {
                stored.insert(e["event"]["id"].as_str().unwrap().to_owned());
            }
            after = page["next"].as_u64().unwrap();
            if page["more"] != true {
                break;
            }
        }
        let lost: Vec<_> = acked
            .iter()
            .filter(|(_, e)| !stored.contains(&e.id.0))
            .collect();
        assert!(
            lost.is_empty(),
            "{db}: {} acknowledged events lost",
            lost.len()
        );
        // Pushing them again: duplicates, nothing new stored.
        for (id, e) in acked.iter().take(100) {
            let (s, r) = Client::customer(&base, id)
                .push(std::slice::from_ref(e))
                .await;
            assert_eq!(s, 200, "{db}");
            assert_eq!(r["results"][0]["status"], "duplicate", "{db}: {r}");
        }
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
