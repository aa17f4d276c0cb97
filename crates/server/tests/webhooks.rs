//! Webhooks against real HTTP receivers on loopback, on SQLite and PostgreSQL: deliveries are
//! signed as documented; a receiver that fails then recovers gets every delivery, in order per
//! ticket; internal notes reach only endpoints that asked for them; a delivery can be sent again;
//! an endpoint failing too long is disabled and stops receiving; queued deliveries survive a
//! restart and a kill -9 of the server binary in the middle of a delivery; a breached SLA is
//! delivered once.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderMap;
use common::openapi::Spec;
use common::*;
use hmac::{Hmac, Mac};
use mostrador_core::event::Event;
use mostrador_server::webhooks::Timing;
use serde_json::{Value, json};
use sha2::Sha256;

/// A receiver on loopback: records what it accepts; answers 500 while `fail` is set, and not at
/// all while `hang` is.
#[derive(Clone, Default)]
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    fail: Arc<AtomicBool>,
    /// Holds each request unanswered (and unrecorded) for a minute.
    hang: Arc<AtomicBool>,
    hits: Arc<AtomicUsize>,
}

impl Receiver {
    async fn start() -> Receiver {
        let mut r = Receiver::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        r.url = format!("http://{}/hook", listener.local_addr().unwrap());
        let me = r.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let me = me.clone();
                async move {
                    me.hits.fetch_add(1, Ordering::SeqCst);
                    if me.hang.load(Ordering::SeqCst) {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        return axum::http::StatusCode::SERVICE_UNAVAILABLE;
                    }
                    if me.fail.load(Ordering::SeqCst) {
                        return axum::http::StatusCode::INTERNAL_SERVER_ERROR;
                    }
                    me.got.lock().unwrap().push((headers, body));
                    axum::http::StatusCode::OK
                }
            }),
        );
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        r
    }

    /// The accepted bodies, each delivery once (first arrival), parsed.
    fn unique(&self) -> Vec<Value> {
        let mut seen = std::collections::HashSet::new();
        self.got
            .lock()
            .unwrap()
            .iter()
            .map(|(_, b)| serde_json::from_str::<Value>(b).unwrap())
            .filter(|v| seen.insert(v["id"].as_str().unwrap().to_owned()))
            .collect()
    }
}

/// The receiver's check, as the README documents it: recompute the HMAC over `t.body` with the
/// endpoint's secret, compare, and refuse old timestamps.
fn verify(secret: &str, header: &str, body: &str, now_s: i64) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", x)) => t = x.parse::<i64>().ok(),
            Some(("v1", x)) => v1 = Some(x.to_owned()),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    m.update(format!("{t}.{body}").as_bytes());
    let expected: String = m
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    expected == v1 && (now_s - t).abs() <= 300
}

fn fast(url: &str, disable_after: Duration) -> mostrador_server::Config {
    let mut c = config(url);
    c.rules_interval = None;
    c.webhooks = Timing {
        poll: Duration::from_millis(40),
        retry_base: Duration::from_millis(40),
        retry_max: Duration::from_millis(160),
        disable_after,
        timeout: Duration::from_secs(2),
    };
    c
}

async fn until(what: &str, mut f: impl AsyncFnMut() -> bool) {
    for _ in 0..300 {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Registers an endpoint with `token`; returns (id, secret).
async fn register(c: &Client, url: &str, kinds: &[&str]) -> (String, String) {
    let (s, v) = c
        .send(
            "POST",
            "/v1/admin/webhooks",
            Some(json!({"url": url, "kinds": kinds})),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    Spec::load().check("POST", "/v1/admin/webhooks", s, &v);
    assert!(v["secret"].as_str().unwrap().starts_with("whsec_"));
    (
        v["id"].as_str().unwrap().to_owned(),
        v["secret"].as_str().unwrap().to_owned(),
    )
}

async fn key(admin: &Client, scopes: &[&str]) -> Client {
    let (s, v) = admin
        .send(
            "POST",
            "/v1/admin/api-keys",
            Some(json!({"name": "test", "scopes": scopes})),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    Client::new(&admin.base, v["secret"].as_str().map(str::to_owned))
}

async fn open(api: &Client, customer: &str) -> String {
    let (s, v) = api
        .send(
            "POST",
            "/v1/api/tickets",
            Some(
                json!({"customer_id": customer, "name": "C", "subject": "Order 7",
                        "description": "Where is it?"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    v["ticket"]["id"].as_str().unwrap().to_owned()
}

async fn post(api: &Client, ticket: &str, what: &str, body: &str) {
    let (s, v) = api
        .send(
            "POST",
            &format!("/v1/api/tickets/{ticket}/{what}"),
            Some(json!({ "body": body })),
        )
        .await;
    assert_eq!(s, 201, "{v}");
}

async fn all_events(admin: &Client) -> Vec<Event> {
    let (_, body) = admin.pull(0).await;
    body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| serde_json::from_value(e["event"].clone()).unwrap())
        .collect()
}

#[tokio::test]
async fn a_failing_receiver_that_recovers_gets_every_signed_delivery_in_order() {
    let spec = Spec::load();
    for (db, url, _keep) in databases().await {
        let r = start(fast(&url, Duration::from_secs(3600))).await;
        let admin = Client::admin(&r.base).await;
        let api = key(&admin, &["tickets:write"]).await;
        let public = Receiver::start().await;
        let notes = Receiver::start().await;
        // Who may register, and what.
        let reader = key(&admin, &["tickets:read"]).await;
        let manager = key(&admin, &["webhooks:manage"]).await;
        let (s, _) = reader
            .send(
                "POST",
                "/v1/admin/webhooks",
                Some(json!({"url": public.url, "kinds": ["public_reply"]})),
            )
            .await;
        assert_eq!(s, 403, "{db}");
        let (s, _) = Client::customer(&r.base, "c1")
            .send("GET", "/v1/admin/webhooks", None)
            .await;
        assert_eq!(s, 403, "{db}");
        for bad in [
            json!({"url": "http://crm.example/hook", "kinds": ["public_reply"]}),
            json!({"url": public.url, "kinds": ["ticket_deleted"]}),
            json!({"url": public.url, "kinds": []}),
        ] {
            let (s, e) = admin
                .send("POST", "/v1/admin/webhooks", Some(bad.clone()))
                .await;
            assert_eq!(s, 400, "{db}: {bad}: {e}");
            spec.check("POST", "/v1/admin/webhooks", s, &e);
        }
        let (pub_id, pub_secret) = register(
            &admin,
            &public.url,
            &["ticket_created", "public_reply", "status_changed"],
        )
        .await;
        let (_, notes_secret) = register(&manager, &notes.url, &["internal_note"]).await;
        let (s, list) = admin.send("GET", "/v1/admin/webhooks", None).await;
        assert_eq!(s, 200);
        spec.check("GET", "/v1/admin/webhooks", s, &list);
        assert!(!list.to_string().contains(&pub_secret), "{db}: {list}");
        // The public endpoint fails for a while.
        public.fail.store(true, Ordering::SeqCst);
        let t1 = open(&api, "c1").await;
        let t2 = open(&api, "c2").await;
        post(&api, &t1, "replies", "Shipped today.").await;
        post(&api, &t2, "notes", "Secret: warehouse fire.").await;
        post(&api, &t2, "replies", "Looking into it.").await;
        post(&api, &t1, "notes", "Secret: courier late.").await;
        post(&api, &t1, "replies", "Tracking: 123.").await;
        until("failed attempts", async || {
            public.hits.load(Ordering::SeqCst) >= 4
        })
        .await;
        assert!(public.got.lock().unwrap().is_empty());
        let log_path = format!("/v1/admin/webhooks/{pub_id}/deliveries");
        let (s, log) = admin.send("GET", &log_path, None).await;
        assert_eq!(s, 200, "{db}");
        assert!(
            log.as_array()
                .unwrap()
                .iter()
                .any(|d| d["last_status"] == json!(500)
                    && d["delivered_at_ms"].is_null()
                    && d["attempts"].as_i64().unwrap() >= 1),
            "{db}: {log}"
        );
        let (_, list) = admin.send("GET", "/v1/admin/webhooks", None).await;
        assert!(list[0]["failing_since_ms"].is_i64(), "{db}: {list}");
        // It recovers: every delivery arrives, in the order of each ticket's events.
        public.fail.store(false, Ordering::SeqCst);
        let events = all_events(&admin).await;
        let wanted = |ticket: &str, kinds: &[&str]| -> Vec<String> {
            events
                .iter()
                .filter(|e| e.ticket.0 == ticket)
                .filter(|e| {
                    mostrador_server::webhooks::kind_of(e)
                        .is_some_and(|k| kinds.contains(&k.as_str()))
                })
                .map(|e| e.id.0.clone())
                .collect()
        };
        let public_kinds = ["ticket_created", "public_reply", "status_changed"];
        let want1 = wanted(&t1, &public_kinds);
        let want2 = wanted(&t2, &public_kinds);
        assert_eq!(want1.len(), 5, "{db}: created, 2 × (reply, status)");
        until("every public delivery", async || {
            public.unique().len() == want1.len() + want2.len()
        })
        .await;
        let got = public.unique();
        let order = |ticket: &str| -> Vec<String> {
            got.iter()
                .filter(|v| v["ticket"] == json!(ticket))
                .map(|v| v["event"]["id"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(order(&t1), want1, "{db}");
        assert_eq!(order(&t2), want2, "{db}");
        let now_s = chrono::Utc::now().timestamp();
        for (headers, body) in public.got.lock().unwrap().iter() {
            let sig = headers["mostrador-signature"].to_str().unwrap();
            assert!(verify(&pub_secret, sig, body, now_s), "{db}: {sig}");
            assert!(!verify(&notes_secret, sig, body, now_s));
            assert!(!verify(&pub_secret, sig, &format!("{body} "), now_s));
            assert!(
                !verify(&pub_secret, sig, body, now_s + 3600),
                "an old signature"
            );
            let v: Value = serde_json::from_str(body).unwrap();
            assert_eq!(headers["mostrador-delivery"].to_str().unwrap(), v["id"]);
            assert_eq!(headers["mostrador-event"].to_str().unwrap(), v["kind"]);
            assert!(
                !body.contains("Secret:"),
                "{db}: a note went to a public endpoint"
            );
            spec.check_schema("WebhookDelivery", &v);
        }
        // Notes only where asked, and nothing else there.
        until("both notes", async || notes.unique().len() == 2).await;
        let n = notes.unique();
        assert!(
            n.iter().all(|v| v["kind"] == json!("internal_note")),
            "{db}"
        );
        assert!(n[0].to_string().contains("Secret:"));
        // The log says it: delivered after failing, with status and latency.
        // The receiver sees a request before the server has recorded its
        // answer, so the log is read until the last answer is written.
        let delivered = |d: &Value| {
            d["delivered_at_ms"].is_i64()
                && d["last_status"] == json!(200)
                && d["last_latency_ms"].is_i64()
        };
        until("every delivery logged as delivered", async || {
            let (_, log) = admin.send("GET", &log_path, None).await;
            log.as_array().is_some_and(|l| l.iter().all(delivered))
        })
        .await;
        let (s, log) = admin.send("GET", &log_path, None).await;
        spec.check("GET", "/v1/admin/webhooks/{id}/deliveries", s, &log);
        let log = log.as_array().unwrap().clone();
        assert_eq!(log.len(), want1.len() + want2.len(), "{db}");
        assert!(log.iter().all(delivered), "{db}: {log:?}");
        assert!(log.iter().any(|d| d["attempts"].as_i64().unwrap() >= 2));
        let (_, list) = admin.send("GET", "/v1/admin/webhooks", None).await;
        assert!(list[0]["failing_since_ms"].is_null(), "{db}: {list}");
        // Sent again on request, with the same idempotency id.
        let again = log[0]["id"].as_str().unwrap().to_owned();
        let (s, _) = manager
            .send("POST", &format!("{log_path}/{again}/resend"), None)
            .await;
        assert_eq!(s, 202, "{db}");
        spec.check(
            "POST",
            "/v1/admin/webhooks/{id}/deliveries/{delivery}/resend",
            s,
            &Value::Null,
        );
        until("the resent delivery", async || {
            public
                .got
                .lock()
                .unwrap()
                .iter()
                .filter(|(h, _)| h["mostrador-delivery"] == again.as_str())
                .count()
                >= 2
        })
        .await;
        let (s, _) = admin
            .send("POST", &format!("{log_path}/nope/resend"), None)
            .await;
        assert_eq!(s, 404, "{db}");
    }
}

#[tokio::test]
async fn an_endpoint_failing_too_long_is_disabled_and_stops_receiving() {
    for (db, url, _keep) in databases().await {
        let r = start(fast(&url, Duration::from_millis(300))).await;
        let admin = Client::admin(&r.base).await;
        let api = key(&admin, &["tickets:write"]).await;
        let rx = Receiver::start().await;
        rx.fail.store(true, Ordering::SeqCst);
        let (id, _) = register(&admin, &rx.url, &["ticket_created"]).await;
        let first = open(&api, "c1").await;
        until("the endpoint disabled", async || {
            let (_, list) = admin.send("GET", "/v1/admin/webhooks", None).await;
            list[0]["disabled_at_ms"].is_i64()
        })
        .await;
        let hits = rx.hits.load(Ordering::SeqCst);
        assert!(hits >= 2, "{db}: retried before giving up");
        // Disabled: nothing more is tried or queued, even once the receiver works.
        rx.fail.store(false, Ordering::SeqCst);
        let _second = open(&api, "c2").await;
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(rx.hits.load(Ordering::SeqCst), hits, "{db}");
        assert!(rx.got.lock().unwrap().is_empty());
        // Enabled again: what was queued before arrives; what happened meanwhile was not queued.
        let (s, _) = admin
            .send("POST", &format!("/v1/admin/webhooks/{id}/enable"), None)
            .await;
        assert_eq!(s, 204);
        until("the queued delivery", async || !rx.unique().is_empty()).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let got = rx.unique();
        assert_eq!(got.len(), 1, "{db}");
        assert_eq!(got[0]["ticket"], json!(first));
    }
}

#[tokio::test]
async fn queued_deliveries_survive_a_restart() {
    for (db, url, _keep) in databases().await {
        let rx = Receiver::start().await;
        let mut idle = fast(&url, Duration::from_secs(3600));
        idle.webhooks.poll = Duration::from_secs(3600);
        let r = start(idle).await;
        let admin = Client::admin(&r.base).await;
        let api = key(&admin, &["tickets:write"]).await;
        let (id, _) = register(&admin, &rx.url, &["ticket_created", "public_reply"]).await;
        let t = open(&api, "c1").await;
        post(&api, &t, "replies", "On its way.").await;
        // Queued with the events, before any delivery.
        let (_, log) = admin
            .send("GET", &format!("/v1/admin/webhooks/{id}/deliveries"), None)
            .await;
        assert_eq!(log.as_array().unwrap().len(), 2, "{db}: {log}");
        assert_eq!(rx.hits.load(Ordering::SeqCst), 0);
        drop(r);
        tokio::time::sleep(Duration::from_millis(200)).await;
        let _r = start(fast(&url, Duration::from_secs(3600))).await;
        until("both deliveries after the restart", async || {
            rx.unique().len() == 2
        })
        .await;
        let kinds: Vec<Value> = rx.unique().iter().map(|v| v["kind"].clone()).collect();
        assert_eq!(
            kinds,
            vec![json!("ticket_created"), json!("public_reply")],
            "{db}"
        );
    }
}

#[tokio::test]
async fn a_breached_sla_is_delivered_once_to_endpoints_that_want_it() {
    for (db, url, _keep) in databases().await {
        let mut c = fast(&url, Duration::from_secs(3600));
        c.desk.sla.policies = vec![
            serde_json::from_value(json!({"id": "std", "name": "Standard", "calendar": "24x7",
                                          "targets": {"first_response": 30}}))
            .unwrap(),
        ];
        let r = start(c).await;
        let admin = Client::admin(&r.base).await;
        let rx = Receiver::start().await;
        let other = Receiver::start().await;
        let (id, secret) = register(&admin, &rx.url, &["sla_breached"]).await;
        register(&admin, &other.url, &["ticket_created"]).await;
        // A customer's ticket opened two hours ago on an offline device: unanswered for longer
        // than the 30 minutes promised.
        let cust = Client::customer(&r.base, "c1");
        let mut dev = Device::at(
            "portal",
            5,
            chrono::Utc::now().timestamp_millis() - 2 * 3600 * 1000,
        );
        let opened = dev.open(&customer("c1"), "c1");
        let (s, v) = cust.push(&opened).await;
        assert_eq!(s, 200, "{v}");
        for _ in 0..2 {
            r.state.run_rules().await.unwrap();
        }
        until("the breach", async || !rx.unique().is_empty()).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let got = rx.unique();
        assert_eq!(got.len(), 1, "{db}: once, though the sweep ran twice");
        assert_eq!(got[0]["kind"], json!("sla_breached"));
        assert_eq!(got[0]["ticket"], json!(opened[0].ticket.0));
        assert!(got[0]["sla"]["breached_at"].is_string(), "{}", got[0]);
        let (headers, body) = rx.got.lock().unwrap()[0].clone();
        let sig = headers["mostrador-signature"].to_str().unwrap();
        assert!(verify(&secret, sig, &body, chrono::Utc::now().timestamp()));
        Spec::load().check_schema("WebhookDelivery", &got[0]);
        // The endpoint that did not ask for it got only the ticket's creation.
        until("the creation", async || !other.unique().is_empty()).await;
        assert!(
            other
                .unique()
                .iter()
                .all(|v| v["kind"] == json!("ticket_created")),
            "{db}"
        );
        let (_, log) = admin
            .send("GET", &format!("/v1/admin/webhooks/{id}/deliveries"), None)
            .await;
        assert_eq!(log.as_array().unwrap().len(), 1, "{db}: {log}");
    }
}

/// The server binary on a free loopback port, with the test secret and admin.
fn spawn_server(url: &str) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_mostrador-server"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--database-url", url])
        .env("MOSTRADOR_ADMIN", format!("{}:{}", ADMIN.0, ADMIN.1))
        .env("MOSTRADOR_RATE_LIMIT", "0")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
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
async fn kill_9_mid_delivery_loses_nothing() {
    for (db, url, _keep) in databases().await {
        let rx = Receiver::start().await;
        rx.hang.store(true, Ordering::SeqCst);
        let (mut child, base) = spawn_server(&url);
        wait_healthy(&base).await;
        let admin = Client::admin(&base).await;
        let api = key(&admin, &["tickets:write"]).await;
        register(&admin, &rx.url, &["ticket_created", "public_reply"]).await;
        let t = open(&api, "c1").await;
        post(&api, &t, "replies", "Packed.").await;
        until("a delivery in flight", async || {
            rx.hits.load(Ordering::SeqCst) >= 1
        })
        .await;
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(rx.got.lock().unwrap().is_empty());
        rx.hang.store(false, Ordering::SeqCst);
        let (mut child, base) = spawn_server(&url);
        wait_healthy(&base).await;
        until("both deliveries after kill -9", async || {
            rx.unique().len() == 2
        })
        .await;
        let kinds: Vec<Value> = rx.unique().iter().map(|v| v["kind"].clone()).collect();
        assert_eq!(
            kinds,
            vec![json!("ticket_created"), json!("public_reply")],
            "{db}"
        );
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

#[tokio::test]
async fn an_erasure_takes_the_personal_data_out_of_the_queue_and_its_log() {
    for (db, url, _keep) in databases().await {
        let r = start(fast(&url, Duration::from_secs(3600))).await;
        let admin = Client::admin(&r.base).await;
        let rx = Receiver::start().await;
        rx.fail.store(true, Ordering::SeqCst);
        let (id, _) = register(&admin, &rx.url, &["ticket_created", "public_reply"]).await;
        let delivered = Receiver::start().await;
        let (done_id, _) = register(&admin, &delivered.url, &["ticket_created"]).await;
        let cust = Client::customer(&r.base, "c1");
        let mut dev = Device::new("portal", 11);
        let mut form = form("c1");
        form.description = "My passport number is X1234567.".into();
        let opened = dev
            .run(
                None,
                mostrador_core::command::Command::Open(Box::new(form)),
                &customer("c1"),
            )
            .unwrap();
        let t = opened[0].ticket.clone();
        assert_eq!(cust.push(&opened).await.0, 200);
        until("a failed attempt and a delivery", async || {
            rx.hits.load(Ordering::SeqCst) >= 1 && !delivered.unique().is_empty()
        })
        .await;
        let mut desk = Device::new("desk", 12);
        desk.receive(&opened);
        let erasure = desk
            .run(
                Some(&t),
                mostrador_core::command::Command::Privacy {
                    request: mostrador_core::privacy::PrivacyRequest::Erasure,
                },
                &agent(ADMIN.0),
            )
            .unwrap();
        let (s, v) = admin.push(&erasure).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["results"][0]["status"], json!("accepted"), "{db}: {v}");
        // Neither the queue nor the delivered log keeps the text; the failing endpoint never
        // receives it.
        for hook in [&id, &done_id] {
            let (_, log) = admin
                .send(
                    "GET",
                    &format!("/v1/admin/webhooks/{hook}/deliveries"),
                    None,
                )
                .await;
            assert!(log.as_array().unwrap().is_empty(), "{db}: {log}");
        }
        let bodies: Vec<String> = match &r.state.db {
            mostrador_server::Db::Sqlite(p, _) => {
                sqlx::query_scalar("SELECT body FROM webhook_deliveries")
                    .fetch_all(p)
                    .await
                    .unwrap()
            }
            mostrador_server::Db::Postgres(p, _) => {
                sqlx::query_scalar("SELECT body FROM webhook_deliveries")
                    .fetch_all(p)
                    .await
                    .unwrap()
            }
        };
        assert!(bodies.iter().all(|b| !b.contains("X1234567")), "{db}");
        rx.fail.store(false, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(rx.got.lock().unwrap().is_empty(), "{db}");
    }
}
