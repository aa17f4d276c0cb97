//! Sessions end when they should, and their event streams with them: logout, a password reset,
//! an agent's removal. Streams are capped per principal. On SQLite and PostgreSQL.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;

/// Whether the stream ends (the server closes it) within `within`; pokes are read and skipped.
async fn stream_ends(res: &mut reqwest::Response, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, res.chunk()).await {
            Err(_) => return false,
            Ok(Ok(Some(_))) => {}
            Ok(Ok(None)) | Ok(Err(_)) => return true,
        }
    }
}

async fn open_stream(base: &str, token: &str) -> reqwest::Response {
    let res = reqwest::Client::new()
        .get(format!("{base}/v1/stream?protocol=2"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    res
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_and_their_streams_end_with_logout_reset_and_removal() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let admin = Client::admin(&srv.base).await;
        let (s, _) = admin
            .send(
                "PUT",
                "/v1/admin/agents/ana",
                Some(json!({"password": "first-password"})),
            )
            .await;
        assert_eq!(s, 204, "{db}");

        // Logout ends the session and its stream.
        let ana = Client::agent(&srv.base, "ana", "first-password").await;
        let t = ana.token.clone().unwrap();
        let mut stream = open_stream(&srv.base, &t).await;
        assert_eq!(ana.send("POST", "/v1/auth/logout", None).await.0, 204);
        assert_eq!(ana.pull(0).await.0, 401, "{db}");
        assert!(
            stream_ends(&mut stream, Duration::from_secs(10)).await,
            "{db}: logout"
        );

        // A password reset ends every session of the agent.
        let ana1 = Client::agent(&srv.base, "ana", "first-password").await;
        let ana2 = Client::agent(&srv.base, "ana", "first-password").await;
        let mut stream = open_stream(&srv.base, ana1.token.as_deref().unwrap()).await;
        let (s, _) = admin
            .send(
                "PUT",
                "/v1/admin/agents/ana",
                Some(json!({"password": "second-password"})),
            )
            .await;
        assert_eq!(s, 204, "{db}");
        assert_eq!(ana1.pull(0).await.0, 401, "{db}");
        assert_eq!(ana2.pull(0).await.0, 401, "{db}");
        assert!(
            stream_ends(&mut stream, Duration::from_secs(10)).await,
            "{db}: reset"
        );

        // Removal too.
        let ana3 = Client::agent(&srv.base, "ana", "second-password").await;
        let mut stream = open_stream(&srv.base, ana3.token.as_deref().unwrap()).await;
        assert_eq!(
            admin.send("DELETE", "/v1/admin/agents/ana", None).await.0,
            204
        );
        assert_eq!(ana3.pull(0).await.0, 401, "{db}");
        assert!(
            stream_ends(&mut stream, Duration::from_secs(10)).await,
            "{db}: removal"
        );

        // The admin's own stream lives on.
        let mut mine = open_stream(&srv.base, admin.token.as_deref().unwrap()).await;
        assert!(
            !stream_ends(&mut mine, Duration::from_millis(300)).await,
            "{db}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_are_capped_per_principal() {
    for (db, url, _guard) in databases().await {
        let mut cfg = config(&url);
        cfg.limits.max_streams_per_principal = 2;
        cfg.limits.max_streams = 3;
        let srv = start(cfg).await;
        let t1 = Client::customer(&srv.base, "c1").token.unwrap();
        let t2 = Client::customer(&srv.base, "c2").token.unwrap();
        let t3 = Client::customer(&srv.base, "c3").token.unwrap();
        let get = |t: String| {
            let base = srv.base.clone();
            async move {
                reqwest::Client::new()
                    .get(format!("{base}/v1/stream?protocol=2"))
                    .bearer_auth(t)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let a = get(t1.clone()).await;
        let b = get(t1.clone()).await;
        assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
        let c = get(t1.clone()).await;
        assert_eq!(c.status().as_u16(), 429, "{db}: a third stream for c1");
        let d = get(t2).await;
        assert_eq!(d.status().as_u16(), 200, "{db}");
        let e = get(t3.clone()).await;
        assert_eq!(e.status().as_u16(), 429, "{db}: over the total");
        drop((a, b, d));
        // Closed streams free their places.
        let mut ok = false;
        for _ in 0..50 {
            if get(t3.clone()).await.status().as_u16() == 200 {
                ok = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(ok, "{db}: places were not freed");
    }
}

/// A customer's stream is not poked by other customers' writes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_are_poked_only_for_their_tickets() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let c2 = Client::customer(&srv.base, "c2");
        let mut s1 = open_stream(&srv.base, c1.token.as_deref().unwrap()).await;
        let mut s2 = open_stream(&srv.base, c2.token.as_deref().unwrap()).await;
        assert!(
            next_poke_within(&mut s1, Duration::from_secs(10))
                .await
                .is_some()
        );
        assert!(
            next_poke_within(&mut s2, Duration::from_secs(10))
                .await
                .is_some()
        );
        let mut dev = Device::new("d", 31);
        assert_eq!(c1.push(&dev.open(&customer("c1"), "c1")).await.0, 200);
        assert!(
            next_poke_within(&mut s1, Duration::from_secs(10))
                .await
                .is_some(),
            "{db}: c1 was not poked"
        );
        // c2 hears nothing about c1's ticket; then its own push pokes it.
        let (s, pushed) = c2.push(&dev.open(&customer("c2"), "c2")).await;
        assert_eq!(s, 200, "{db}");
        let own = pushed["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["seq"].as_u64())
            .max();
        let head = next_poke_within(&mut s2, Duration::from_secs(10)).await;
        assert_eq!(
            head, own,
            "{db}: c2's first poke after hello must be its own push"
        );
    }
}

async fn next_poke_within(res: &mut reqwest::Response, within: Duration) -> Option<u64> {
    let deadline = tokio::time::Instant::now() + within;
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

/// Two servers on one PostgreSQL database: a logout through one closes the session's stream on
/// the other (at its next periodic check).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logout_closes_streams_on_other_servers() {
    let Some(url) = postgres_database().await else {
        return;
    };
    let mut cfg = config(&url);
    cfg.limits.stream_recheck = Duration::from_millis(500);
    let a = start(cfg.clone()).await;
    let b = start(cfg).await;
    let admin_a = Client::admin(&a.base).await;
    let token = admin_a.token.clone().unwrap();
    let mut stream_b = open_stream(&b.base, &token).await;
    assert!(!stream_ends(&mut stream_b, Duration::from_millis(1200)).await);
    assert_eq!(admin_a.send("POST", "/v1/auth/logout", None).await.0, 204);
    assert!(stream_ends(&mut stream_b, Duration::from_secs(10)).await);
}

/// A stream ends when its session expires.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_end_when_their_session_expires() {
    for (db, url, _guard) in databases().await {
        let mut cfg = config(&url);
        cfg.limits.stream_recheck = Duration::from_millis(200);
        cfg.session_ms = 1_500;
        let srv = start(cfg).await;
        let (s, body) = Client::new(&srv.base, None)
            .send("POST", "/v1/auth/anonymous", None)
            .await;
        assert_eq!(s, 200, "{db}");
        let mut stream = open_stream(&srv.base, body["token"].as_str().unwrap()).await;
        assert!(
            stream_ends(&mut stream, Duration::from_secs(10)).await,
            "{db}"
        );
    }
}
