//! Load figures, not a test: 20 concurrent clients over HTTP on 127.0.0.1, each with a live event
//! stream, pushing and pulling for a bounded time; then the cost of a push on a long ticket. Prints
//! requests/s, p50/p95/p99 latencies and the error count (which must be 0), and checks that every
//! acknowledged event can be pulled back.
//!
//! ```text
//! cargo run --release -p mostrador-server --example load
//! LOAD_SECONDS=20 LOAD_CLIENTS=20   # the defaults
//! # PostgreSQL too (one server, then two servers on one database): start a throwaway cluster with
//! # `cargo xtask postgres` and export the MOSTRADOR_TEST_POSTGRES_URL it prints.
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use mostrador_core::apply::apply;
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::ctx::Ctx;
use mostrador_core::decide::decide;
use mostrador_core::event::Event;
use mostrador_core::model::{Actor, Channel, CustomerId, Requester};
use mostrador_core::settings::DomainSettings;
use mostrador_core::sync::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use mostrador_server::{AppState, Config};

const SECRET: &str = "load-test-secret-shared-with-the-host";
const ADMIN: (&str, &str) = ("root", "load-admin-password");

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A customer's batches, decided ahead (devices are not `Send`): a ticket opening every tenth
/// batch, replies to the latest ticket otherwise.
fn batches(customer: &str, seed: u64, n: usize) -> Vec<Vec<Event>> {
    let mut ctx = Ctx::seeded(customer, seed, Utc::now());
    let settings = DomainSettings::default();
    let actor = Actor::Customer(CustomerId(customer.into()));
    let mut state = None;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let cmd = if i % 10 == 0 {
            state = None;
            let requester = Requester {
                customer_id: Some(CustomerId(customer.into())),
                name: "Load".into(),
                ..Default::default()
            };
            Command::Open(Box::new(NewTicket::new(
                "The printer again",
                "It prints only blank pages.",
                requester,
                Channel::WebForm,
            )))
        } else {
            Command::Reply {
                body: format!("A reply of ordinary length, number {i}."),
                attachments: vec![],
            }
        };
        let evs = decide(state.as_ref(), &cmd, &actor, &settings, &mut ctx).expect("decide");
        for e in &evs {
            state = Some(apply(state, e));
        }
        out.push(evs);
    }
    out
}

fn token(customer: &str) -> String {
    let exp = Utc::now().timestamp() + 3600;
    mostrador_server::auth::sign_customer_token(SECRET.as_bytes(), customer, exp)
}

async fn start(url: &str) -> String {
    let mut config = Config {
        database_url: url.to_owned(),
        customer_secret: Some(SECRET.as_bytes().to_vec()),
        bootstrap_admin: Some((ADMIN.0.into(), ADMIN.1.into())),
        ..Config::default()
    };
    config.limits.requests_per_minute = 0;
    config.limits.max_streams_per_principal = 64;
    let state = AppState::new(config).await.expect("server state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = mostrador_server::serve_on(listener, state, std::future::pending()).await;
    });
    base
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[derive(Default)]
struct ClientReport {
    push: Vec<Duration>,
    pull: Vec<Duration>,
    errors: Vec<String>,
    acked: Vec<String>,
}

async fn client(
    bases: Vec<String>,
    customer: String,
    batches: Vec<Vec<Event>>,
    until: Instant,
    pokes: Arc<AtomicU64>,
) -> ClientReport {
    let http = reqwest::Client::new();
    let tok = token(&customer);
    let mut r = ClientReport::default();
    // The live stream, counted until the end.
    let stream_url = format!("{}/v1/stream?protocol={PROTOCOL_VERSION}", bases[0]);
    let stream = http.get(&stream_url).bearer_auth(&tok).send().await;
    let reader = match stream {
        Ok(mut res) if res.status().is_success() => Some(tokio::spawn(async move {
            while let Ok(Some(chunk)) = res.chunk().await {
                let n = String::from_utf8_lossy(&chunk)
                    .matches("event: poke")
                    .count();
                pokes.fetch_add(n as u64, Ordering::Relaxed);
            }
        })),
        Ok(res) => {
            r.errors.push(format!("stream: {}", res.status()));
            None
        }
        Err(e) => {
            r.errors.push(format!("stream: {e}"));
            None
        }
    };
    let mut cursor = 0u64;
    for (i, b) in batches.into_iter().enumerate() {
        if Instant::now() >= until {
            break;
        }
        let base = &bases[i % bases.len()];
        let t = Instant::now();
        let res = http
            .post(format!("{base}/v1/events"))
            .bearer_auth(&tok)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .json(&serde_json::json!({ "events": b }))
            .send()
            .await;
        match res {
            Ok(res) if res.status().is_success() => {
                let body: serde_json::Value = res.json().await.unwrap_or_default();
                r.push.push(t.elapsed());
                for (x, e) in body["results"].as_array().into_iter().flatten().zip(&b) {
                    if x["status"] == "accepted" {
                        r.acked.push(e.id.0.clone());
                    } else {
                        r.errors.push(format!("push result: {x}"));
                    }
                }
            }
            Ok(res) => r.errors.push(format!("push: {}", res.status())),
            Err(e) => r.errors.push(format!("push: {e}")),
        }
        let t = Instant::now();
        let res = http
            .get(format!("{base}/v1/events?after={cursor}&limit=1000"))
            .bearer_auth(&tok)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .send()
            .await;
        match res {
            Ok(res) if res.status().is_success() => {
                let body: serde_json::Value = res.json().await.unwrap_or_default();
                r.pull.push(t.elapsed());
                cursor = body["next"].as_u64().unwrap_or(cursor);
            }
            Ok(res) => r.errors.push(format!("pull: {}", res.status())),
            Err(e) => r.errors.push(format!("pull: {e}")),
        }
    }
    if let Some(h) = reader {
        h.abort();
    }
    r
}

/// Every event id an agent can pull.
async fn all_ids(base: &str) -> std::collections::HashSet<String> {
    let http = reqwest::Client::new();
    let tok = agent_token(base).await;
    let mut ids = std::collections::HashSet::new();
    let mut after = 0;
    loop {
        let page: serde_json::Value = http
            .get(format!("{base}/v1/events?after={after}&limit=1000"))
            .bearer_auth(&tok)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .send()
            .await
            .expect("pull")
            .json()
            .await
            .expect("pull json");
        for e in page["events"].as_array().into_iter().flatten() {
            ids.insert(e["event"]["id"].as_str().unwrap_or_default().to_owned());
        }
        after = page["next"].as_u64().unwrap_or(after);
        if page["more"] != true {
            return ids;
        }
    }
}

async fn load(name: &str, bases: Vec<String>, clients: usize, seconds: u64) {
    let per_client = 4_000;
    let decided: Vec<_> = (0..clients)
        .map(|i| batches(&format!("load{i}"), 1000 + i as u64, per_client))
        .collect();
    let pokes = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let until = start + Duration::from_secs(seconds);
    let tasks: Vec<_> = decided
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            tokio::spawn(client(
                bases.clone(),
                format!("load{i}"),
                b,
                until,
                pokes.clone(),
            ))
        })
        .collect();
    let mut push = Vec::new();
    let mut pull = Vec::new();
    let mut errors = Vec::new();
    let mut acked = Vec::new();
    for t in tasks {
        let r = t.await.expect("client task");
        push.extend(r.push);
        pull.extend(r.pull);
        errors.extend(r.errors);
        acked.extend(r.acked);
    }
    let elapsed = start.elapsed().as_secs_f64();
    push.sort();
    pull.sort();
    let mut all: Vec<Duration> = push.iter().chain(&pull).copied().collect();
    all.sort();
    let stored = all_ids(&bases[0]).await;
    let missing = acked.iter().filter(|id| !stored.contains(*id)).count();
    println!(
        "{name}: {clients} clients, {elapsed:.1} s: {} requests ({:.0}/s), {} events acknowledged ({:.0}/s), {} pokes",
        all.len(),
        all.len() as f64 / elapsed,
        acked.len(),
        acked.len() as f64 / elapsed,
        pokes.load(Ordering::Relaxed),
    );
    for (what, v) in [("push", &push), ("pull", &pull), ("all", &all)] {
        println!(
            "  {what:>4}: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms",
            pct(v, 0.50),
            pct(v, 0.95),
            pct(v, 0.99)
        );
    }
    println!(
        "  errors: {}; acknowledged but not pullable: {missing}",
        errors.len()
    );
    for e in errors.iter().take(5) {
        println!("    {e}");
    }
}

/// A single event's push on one ticket as it grows to 20,000 events: the customer writes, and an
/// agent answers every tenth message, so the status goes back and forth as in real life.
async fn long_ticket(name: &str, base: &str) {
    let http = reqwest::Client::new();
    let customer = "long";
    let customer_tok = token(customer);
    let agent_tok = agent_token(base).await;
    let mut ctx = Ctx::seeded(customer, 77, Utc::now());
    let settings = DomainSettings::default();
    let me = Actor::Customer(CustomerId(customer.into()));
    let agent = Actor::Agent(mostrador_core::model::AgentId(ADMIN.0.into()));
    let requester = Requester {
        customer_id: Some(CustomerId(customer.into())),
        name: "Long".into(),
        ..Default::default()
    };
    let open = Command::Open(Box::new(NewTicket::new(
        "A long story",
        "It goes on.",
        requester,
        Channel::WebForm,
    )));
    // (pushed by the agent?, event)
    let mut events: Vec<(bool, Event)> = decide(None, &open, &me, &settings, &mut ctx)
        .expect("open")
        .into_iter()
        .map(|e| (false, e))
        .collect();
    let mut state = None;
    for (_, e) in &events {
        state = Some(apply(state, e));
    }
    let mut k = 0;
    while events.len() < 20_000 + 20 {
        let by_agent = k % 10 == 9;
        k += 1;
        let evs = decide(
            state.as_ref(),
            &Command::Reply {
                body: "again".into(),
                attachments: vec![],
            },
            if by_agent { &agent } else { &me },
            &settings,
            &mut ctx,
        )
        .expect("decide");
        for e in evs {
            state = Some(apply(state, &e));
            events.push((by_agent, e));
        }
    }
    let push = |evs: &[(bool, Event)]| {
        let http = http.clone();
        let tok = if evs[0].0 { &agent_tok } else { &customer_tok }.clone();
        let evs: Vec<Event> = evs.iter().map(|(_, e)| e.clone()).collect();
        async move {
            let t = Instant::now();
            let res = http
                .post(format!("{base}/v1/events"))
                .bearer_auth(&tok)
                .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
                .json(&serde_json::json!({ "events": evs }))
                .send()
                .await
                .expect("push");
            assert!(res.status().is_success(), "push: {}", res.status());
            let body: serde_json::Value = res.json().await.expect("push json");
            for r in body["results"].as_array().into_iter().flatten() {
                assert_eq!(r["status"], "accepted", "{r}");
            }
            t.elapsed()
        }
    };
    let mut i = 0;
    let mut line = format!("{name}: one push of 1 event on a ticket of");
    for size in [0usize, 10_000, 20_000] {
        while i < size {
            // Runs of one actor's events, at most 500.
            let mut end = i + 1;
            while end < size && end - i < 500 && events[end].0 == events[i].0 {
                end += 1;
            }
            push(&events[i..end]).await;
            i = end;
        }
        let mut times = Vec::new();
        for _ in 0..5 {
            times.push(push(&events[i..=i]).await);
            i += 1;
        }
        times.sort();
        line.push_str(&format!(
            " {size} events: {:.1} ms;",
            times[2].as_secs_f64() * 1000.0
        ));
    }
    println!("{line} (median of 5)");
}

/// An agent session of the bootstrap admin.
async fn agent_token(base: &str) -> String {
    let login: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/v1/auth/login"))
        .json(&serde_json::json!({"agent_id": ADMIN.0, "password": ADMIN.1}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login json");
    login["token"].as_str().expect("token").to_owned()
}

#[tokio::main]
async fn main() {
    let seconds = env_or("LOAD_SECONDS", 20).min(300);
    let clients = env_or("LOAD_CLIENTS", 20).clamp(1, 200) as usize;
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = format!("sqlite://{}?mode=rwc", dir.path().join("load.db").display());
    let base = start(&sqlite).await;
    load("SQLite", vec![base.clone()], clients, seconds).await;
    long_ticket("SQLite", &base).await;
    if let Ok(pg) = std::env::var("MOSTRADOR_TEST_POSTGRES_URL")
        && !pg.is_empty()
    {
        for (label, servers) in [("PostgreSQL", 1), ("PostgreSQL, two servers", 2)] {
            let url = fresh_postgres(&pg).await;
            let mut bases = Vec::new();
            for _ in 0..servers {
                bases.push(start(&url).await);
            }
            load(label, bases.clone(), clients, seconds).await;
            if servers == 1 {
                long_ticket(label, &bases[0]).await;
            }
        }
    }
}

/// A new database on the cluster at `base`.
async fn fresh_postgres(base: &str) -> String {
    let name = format!("mo_load_{}", Utc::now().timestamp_micros());
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(base)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .expect("create database");
    pool.close().await;
    let (head, _) = base.rsplit_once('/').expect("a URL with a database");
    format!("{head}/{name}")
}
