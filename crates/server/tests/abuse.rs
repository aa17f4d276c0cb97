//! Hostile clients: password guessing, oversized ids, tokens in the wrong place, wrong methods
//! and content types. On SQLite and PostgreSQL.

mod common;

use common::*;
use serde_json::json;

fn behind_proxy(url: &str) -> mostrador_server::Config {
    let mut cfg = config(url);
    cfg.client_ip_header = Some("x-forwarded-for".into());
    cfg
}

async fn login_from(base: &str, ip: &str, id: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/v1/auth/login"))
        .header("x-forwarded-for", format!("203.0.113.9, {ip}"))
        .json(&json!({"agent_id": id, "password": password}))
        .send()
        .await
        .unwrap()
}

/// Someone guessing an agent's password slows themselves down, never the agent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_a_password_cannot_lock_the_agent_out() {
    for (db, url, _guard) in databases().await {
        let srv = start(behind_proxy(&url)).await;
        let mut statuses = Vec::new();
        for i in 0..30 {
            let res = login_from(&srv.base, "198.51.100.7", ADMIN.0, &format!("guess-{i}")).await;
            statuses.push(res.status().as_u16());
            if res.status().as_u16() == 429 {
                assert!(res.headers().get("retry-after").is_some(), "{db}");
                let body: serde_json::Value = res.json().await.unwrap();
                assert_eq!(body["error"], "rate_limited", "{db}");
            }
        }
        assert!(
            statuses.iter().all(|s| *s == 401 || *s == 429),
            "{db}: {statuses:?}"
        );
        assert!(
            statuses.contains(&429),
            "{db}: the guesser was never slowed: {statuses:?}"
        );
        // The right password from the agent's own address works at once.
        let res = login_from(&srv.base, "192.0.2.10", ADMIN.0, ADMIN.1).await;
        assert_eq!(res.status().as_u16(), 200, "{db}");
        // Unknown ids get the same answer as wrong passwords.
        let res = login_from(&srv.base, "192.0.2.11", "nobody", "whatever-it-is").await;
        assert_eq!(res.status().as_u16(), 401, "{db}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["message"], "unknown agent or wrong password", "{db}");
    }
}

/// Unknown agent ids are verified against a dummy hash of the same cost as a real one.
#[test]
fn unknown_ids_cost_a_real_verification() {
    let real = mostrador_server::auth::hash_password("some password").unwrap();
    let dummy = mostrador_server::auth::dummy_hash();
    let params = |h: &str| h.rsplitn(3, '$').nth(2).unwrap().to_owned();
    assert_eq!(params(dummy), params(&real));
    assert!(!mostrador_server::auth::verify_password("", dummy));
}

/// Huge, unique agent ids do not grow the server's memory: nothing is remembered per id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_login_ids_are_not_remembered() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c = Client::new(&srv.base, None);
        for i in 0..40 {
            let id = format!("{i}{}", "x".repeat(256 * 1024));
            let (s, body) = c
                .send(
                    "POST",
                    "/v1/auth/login",
                    Some(json!({"agent_id": id, "password": "p"})),
                )
                .await;
            assert_eq!(s, 401, "{db}: {body}");
        }
        assert_eq!(srv.state.tracked_clients(), 0, "{db}");
    }
}

/// Behind a trusted proxy each visitor has their own anonymous-session bucket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_limits_are_per_visitor_behind_a_proxy() {
    for (db, url, _guard) in databases().await {
        let mut cfg = behind_proxy(&url);
        cfg.limits.anonymous_per_minute = 2;
        let srv = start(cfg).await;
        let anon = |ip: &'static str| {
            let base = srv.base.clone();
            async move {
                reqwest::Client::new()
                    .post(format!("{base}/v1/auth/anonymous"))
                    .header("x-forwarded-for", ip)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(anon("192.0.2.1").await, 200, "{db}");
        assert_eq!(anon("192.0.2.1").await, 200, "{db}");
        assert_eq!(anon("192.0.2.1").await, 429, "{db}");
        assert_eq!(anon("192.0.2.2").await, 200, "{db}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_read_where_they_belong() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c = Client::customer(&srv.base, "ana@example.com:shop");
        let token = c.token.clone().unwrap();
        let http = reqwest::Client::new();
        // The stream, with the token percent-encoded as browsers do.
        let encoded = token.replace('@', "%40").replace(':', "%3A");
        let res = http
            .get(format!("{}/v1/stream?protocol=2&token={encoded}", srv.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{db}");
        drop(res);
        // Other endpoints do not take a token in the URL.
        let res = http
            .get(format!("{}/v1/events?after=0&token={encoded}", srv.base))
            .header("mostrador-protocol", "2")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 401, "{db}");
        // The scheme is case-insensitive.
        let res = http
            .get(format!("{}/v1/events?after=0", srv.base))
            .header("mostrador-protocol", "2")
            .header("authorization", format!("bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{db}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_is_in_the_json_error_shape() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c = Client::customer(&srv.base, "c1");
        let token = c.token.clone().unwrap();
        let expect = |res: reqwest::Response, status: u16, code: &'static str| async move {
            assert_eq!(res.status().as_u16(), status, "{db}");
            let body: serde_json::Value = res.json().await.unwrap();
            assert_eq!(body["error"], code, "{db}: {body}");
            assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        };
        expect(
            c.request("DELETE", "/v1/events").send().await.unwrap(),
            405,
            "method_not_allowed",
        )
        .await;
        expect(
            c.request("GET", "/v1/events?after=1&after=2")
                .send()
                .await
                .unwrap(),
            400,
            "bad_request",
        )
        .await;
        expect(
            reqwest::get(format!(
                "{}/v1/stream?protocol=2&protocol=2&token={token}",
                srv.base
            ))
            .await
            .unwrap(),
            400,
            "bad_request",
        )
        .await;
        let admin = Client::admin(&srv.base).await;
        expect(
            admin
                .request("DELETE", "/v1/admin/agents/%FF%FE")
                .send()
                .await
                .unwrap(),
            400,
            "bad_request",
        )
        .await;
        expect(
            c.request("POST", "/v1/events")
                .header("content-type", "text/plain")
                .body(r#"{"events": []}"#)
                .send()
                .await
                .unwrap(),
            415,
            "unsupported_media_type",
        )
        .await;
    }
}
