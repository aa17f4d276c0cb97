//! The protocol over real HTTP on 127.0.0.1, on SQLite and on PostgreSQL.

mod common;

use common::*;
use mostrador_core::model::TicketId;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_pull_and_idempotence() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let mut dev = Device::new("phone", 1);
        let opened = dev.open(&customer("c1"), "c1");
        let t = opened[0].ticket.clone();
        let replied = dev.run(Some(&t), reply("more"), &customer("c1")).unwrap();
        let all: Vec<_> = opened.iter().chain(&replied).cloned().collect();
        let (s, body) = c1.push(&all).await;
        assert_eq!(s, 200, "{db}: {body}");
        let results = body["results"].as_array().unwrap();
        assert_eq!(results.len(), all.len());
        assert!(
            results.iter().all(|r| r["status"] == "accepted"),
            "{db}: {body}"
        );
        // Pushing again changes nothing and says so.
        let (_, again) = c1.push(&all).await;
        assert!(
            again["results"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["status"] == "duplicate"),
            "{db}: {again}"
        );
        let (s, pulled) = c1.pull(0).await;
        assert_eq!(s, 200);
        assert_eq!(
            pulled["events"].as_array().unwrap().len(),
            all.len(),
            "{db}"
        );
        assert_eq!(pulled["more"], false);
        let next = pulled["next"].as_u64().unwrap();
        let (_, empty) = c1.pull(next).await;
        assert!(empty["events"].as_array().unwrap().is_empty());
        // Same id, other content: rejected as a conflict, nothing stored.
        let mut forged = replied[0].clone();
        if let mostrador_core::event::Payload::MessagePosted { body, .. } = &mut forged.payload {
            *body = "changed".into();
        }
        let (_, r) = c1.push(&[forged]).await;
        assert_eq!(r["results"][0]["code"], "conflict", "{db}: {r}");
        assert_eq!(srv.state.db.all_events().await.unwrap().len(), all.len());
        // Paging: limit 1 walks the log one by one.
        let (_, p1) = c1.send("GET", "/v1/events?after=0&limit=1", None).await;
        assert_eq!(p1["events"].as_array().unwrap().len(), 1);
        assert_eq!(p1["more"], true);
        let _ = TicketId("x".into());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_clear_json_errors_and_store_nothing() {
    for (db, url, _guard) in databases().await {
        let mut cfg = config(&url);
        cfg.limits.max_body_bytes = 64 * 1024;
        cfg.limits.max_batch = 5;
        let srv = start(cfg).await;
        let c1 = Client::customer(&srv.base, "c1");
        let http = reqwest::Client::new();
        let url_events = format!("{}/v1/events", srv.base);
        let token = c1.token.clone().unwrap();

        // No protocol header, the previous version and a future one: 426 with a message to
        // update.
        for header in [None, Some("1"), Some("3")] {
            let mut r = http
                .get(format!("{url_events}?after=0"))
                .bearer_auth(&token);
            if let Some(h) = header {
                r = r.header("mostrador-protocol", h);
            }
            let res = r.send().await.unwrap();
            assert_eq!(res.status().as_u16(), 426, "{db}");
            let body: serde_json::Value = res.json().await.unwrap();
            assert_eq!(body["error"], "protocol_unsupported");
            assert!(body["message"].as_str().unwrap().contains("update the app"));
        }
        // Malformed JSON.
        let res = c1
            .request("POST", "/v1/events")
            .header("content-type", "application/json")
            .body("{\"events\": [")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 400, "{db}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"], "malformed_json");
        // Oversized body.
        let big = "x".repeat(100 * 1024);
        let (s, body) = c1
            .send(
                "POST",
                "/v1/events",
                Some(json!({"events": [], "pad": big})),
            )
            .await;
        assert_eq!(
            (s, body["error"].as_str()),
            (413, Some("payload_too_large")),
            "{db}"
        );
        // Too many events in one push.
        let mut dev = Device::new("d", 2);
        let many: Vec<_> = (0..6)
            .flat_map(|_| dev.open(&customer("c1"), "c1"))
            .collect();
        let (s, body) = c1.push(&many).await;
        assert_eq!(
            (s, body["error"].as_str()),
            (413, Some("batch_too_large")),
            "{db}"
        );
        // An event that is JSON but not an event: rejected alone.
        let (s, body) = c1
            .send(
                "POST",
                "/v1/events",
                Some(json!({"events": [{"id": "e1", "hello": 1}]})),
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(body["results"][0]["code"], "malformed", "{db}: {body}");
        // Bad query, unknown endpoint.
        let (s, body) = c1.send("GET", "/v1/events?after=-1", None).await;
        assert_eq!((s, body["error"].as_str()), (400, Some("bad_request")));
        let (s, body) = c1.send("GET", "/v1/nope", None).await;
        assert_eq!((s, body["error"].as_str()), (404, Some("not_found")));
        assert!(srv.state.db.all_events().await.unwrap().is_empty(), "{db}");
        // Info needs nothing.
        let (s, info) = Client::new(&srv.base, None)
            .send("GET", "/v1/info", None)
            .await;
        assert_eq!((s, info["protocol"].as_u64()), (200, Some(2)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_rate_limited() {
    let (_, url, _guard) = databases().await.remove(0);
    let mut cfg = config(&url);
    cfg.limits.requests_per_minute = 5;
    let srv = start(cfg).await;
    let c1 = Client::customer(&srv.base, "c1");
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(c1.pull(0).await.0);
    }
    assert_eq!(&statuses[..5], &[200; 5]);
    let res = c1
        .request("GET", "/v1/events?after=0")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 429);
    assert!(res.headers().get("retry-after").is_some());
    // Another caller has their own bucket.
    assert_eq!(Client::customer(&srv.base, "c2").pull(0).await.0, 200);
}

/// Reads SSE messages until one named `poke` arrives (or times out).
async fn next_poke(res: &mut reqwest::Response) -> Option<u64> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut buf = String::new();
    loop {
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .ok()?
            .ok()??;
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let msg: String = buf.drain(..end + 2).collect();
            if msg.contains("event: poke") {
                let data = msg.lines().find_map(|l| l.strip_prefix("data: "))?;
                let v: serde_json::Value = serde_json::from_str(data).ok()?;
                return v["head"].as_u64();
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_pokes_after_a_push() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let token = c1.token.clone().unwrap();
        let http = reqwest::Client::new();
        // Old protocol on the stream: 426.
        let res = http
            .get(format!("{}/v1/stream?protocol=0&token={token}", srv.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 426);
        let mut res = http
            .get(format!("{}/v1/stream?protocol=2&token={token}", srv.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(next_poke(&mut res).await, Some(0), "{db}: hello poke");
        let mut dev = Device::new("d", 3);
        let ev = dev.open(&customer("c1"), "c1");
        assert_eq!(c1.push(&ev).await.0, 200);
        let head = next_poke(&mut res).await;
        assert!(head.is_some_and(|h| h >= 1), "{db}: {head:?}");
    }
}

/// Two server processes' worth of state on one PostgreSQL database: a push through one pokes the
/// other's stream (LISTEN/NOTIFY) and is pulled from the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_work_together() {
    let Some(url) = postgres_database().await else {
        return;
    };
    let a = start(config(&url)).await;
    let b = start(config(&url)).await;
    let token = Client::customer(&b.base, "c1").token.unwrap();
    let mut stream = reqwest::Client::new()
        .get(format!("{}/v1/stream?protocol=2&token={token}", b.base))
        .send()
        .await
        .unwrap();
    assert_eq!(next_poke(&mut stream).await, Some(0));
    // Give B's listener a moment to subscribe.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut dev = Device::new("d", 4);
    let ev = dev.open(&customer("c1"), "c1");
    assert_eq!(Client::customer(&a.base, "c1").push(&ev).await.0, 200);
    // B's listener pokes once when it (re)connects to catch up; on a busy machine that poke can
    // arrive after ours was sent, still showing head 0. Wait for the poke that carries the push.
    let mut head = next_poke(&mut stream).await;
    for _ in 0..3 {
        if head != Some(0) {
            break;
        }
        head = next_poke(&mut stream).await;
    }
    assert!(head.is_some_and(|h| h >= 1), "B was not poked: {head:?}");
    let ids = Client::customer(&b.base, "c1").pulled_ids().await;
    assert_eq!(ids, vec![ev[0].id.0.clone()]);
    // Concurrent pushes through both keep sequences gap-free in commit order.
    let pushers = [a.base.clone(), b.base.clone()]
        .into_iter()
        .enumerate()
        .map(|(i, base)| async move {
            let c = Client::customer(&base, "c1");
            let mut dev = Device::new(&format!("n{i}"), 10 + i as u64);
            for _ in 0..20 {
                let ev = dev.open(&customer("c1"), "c1");
                assert_eq!(c.push(&ev).await.0, 200);
            }
        });
    futures::future::join_all(pushers).await;
    assert_eq!(Client::customer(&a.base, "c1").pulled_ids().await.len(), 41);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_removes_personal_data_from_the_database() {
    use mostrador_core::command::Command;
    use mostrador_core::privacy::PrivacyRequest;
    let personal = ["12345678Z", "Customer c1", "Printer on fire", "It smokes"];
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let admin = Client::admin(&srv.base).await;
        let mut phone = Device::new("phone", 7);
        let opened = phone.open(&customer("c1"), "c1");
        let t = opened[0].ticket.clone();
        let said = phone
            .run(Some(&t), reply("Mi DNI es 12345678Z"), &customer("c1"))
            .unwrap();
        let mine: Vec<_> = opened.iter().chain(&said).cloned().collect();
        assert_eq!(c1.push(&mine).await.0, 200);

        // A customer may not erase; an agent may.
        let mut desk = Device::new("desk", 8);
        desk.receive(&mine);
        let erase = Command::Privacy {
            request: PrivacyRequest::Erasure,
        };
        let mut forged = desk.run(Some(&t), erase.clone(), &agent(ADMIN.0)).unwrap();
        forged[0].actor = customer("c1");
        let (_, r) = c1.push(&forged).await;
        assert_eq!(r["results"][0]["status"], "rejected", "{db}: {r}");
        let mut desk = Device::new("desk", 9);
        desk.receive(&mine);
        let erasure = desk.run(Some(&t), erase, &agent(ADMIN.0)).unwrap();
        let (_, r) = admin.push(&erasure).await;
        assert_eq!(r["results"][0]["status"], "accepted", "{db}: {r}");

        let stored = |events: &[mostrador_core::event::Event]| {
            let text = serde_json::to_string(events).unwrap();
            personal.iter().find(|p| text.contains(*p)).copied()
        };
        let all = srv.state.db.all_events().await.unwrap();
        assert_eq!(all.len(), mine.len() + 1, "{db}");
        assert_eq!(
            stored(&all),
            None,
            "{db}: personal data left in the database"
        );

        // The phone pushes its old copies again: duplicates, and the text does not come back.
        let (_, again) = c1.push(&mine).await;
        let results = again["results"].as_array().unwrap();
        assert!(
            results.iter().all(|r| r["status"] == "duplicate"),
            "{db}: {again}"
        );
        assert_eq!(stored(&srv.state.db.all_events().await.unwrap()), None);

        // The customer's devices still receive the erasure, so they redact their copies too.
        let (_, pulled) = c1.pull(0).await;
        let pulled = pulled["events"].as_array().unwrap();
        assert!(
            pulled
                .iter()
                .any(|e| e["event"]["payload"]["type"] == "privacy_requested"),
            "{db}: {pulled:?}"
        );
        assert!(
            personal
                .iter()
                .all(|p| !serde_json::to_string(pulled).unwrap().contains(p)),
            "{db}"
        );
    }
}
