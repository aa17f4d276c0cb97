//! Sync figures, not a test: push throughput and pull-and-apply of 10,000 events, on SQLite and
//! (when `MOSTRADOR_TEST_POSTGRES_URL` is set, e.g. by `cargo xtask postgres`) on PostgreSQL.
//! Runs the server's own push/pull with every check, without HTTP.
//!
//! `cargo run --release -p mostrador-server --example sync_bench`

use std::time::Instant;

use chrono::Utc;
use mostrador_core::apply::fold_all;
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::ctx::Ctx;
use mostrador_core::decide::decide;
use mostrador_core::event::Event;
use mostrador_core::model::{Actor, AgentId, Channel, CustomerId, Requester};
use mostrador_core::settings::DomainSettings;
use mostrador_core::sync::Principal;
use mostrador_server::{AppState, Config};

const TICKETS: usize = 1_000;

/// 1,000 tickets of 10 events each: the opening, four agent replies (message + status) and a
/// note.
fn events() -> Vec<Event> {
    let mut ctx = Ctx::seeded("bench", 1, Utc::now());
    let settings = DomainSettings::default();
    let agent = Actor::Agent(AgentId("ana".into()));
    let mut all = Vec::new();
    for i in 0..TICKETS {
        let requester = Requester {
            customer_id: Some(CustomerId(format!("c{}", i % 50))),
            name: "Customer".into(),
            ..Default::default()
        };
        let form = NewTicket::new("Subject", "Body", requester, Channel::Phone);
        let mut log = decide(
            None,
            &Command::Open(Box::new(form)),
            &agent,
            &settings,
            &mut ctx,
        )
        .expect("open");
        let mut state = fold_all(&log).into_values().next();
        let reply = Command::Reply {
            body: "An answer of ordinary length, a sentence or two.".into(),
            attachments: vec![],
        };
        let note = Command::AddNote {
            body: "internal".into(),
            attachments: vec![],
        };
        for c in [&reply, &reply, &reply, &reply, &note] {
            let evs = decide(state.as_ref(), c, &agent, &settings, &mut ctx).expect("decide");
            log.extend(evs);
            state = fold_all(&log).into_values().next();
        }
        all.extend(log);
    }
    all
}

async fn bench(name: &str, url: &str, events: &[Event]) {
    let mut config = Config {
        database_url: url.to_owned(),
        ..Config::default()
    };
    config.limits.requests_per_minute = 0;
    let state = AppState::new(config).await.expect("server state");
    let agent = Principal::agent("ana");
    let items: Vec<serde_json::Value> = events
        .iter()
        .map(|e| serde_json::to_value(e).expect("json"))
        .collect();

    let t = Instant::now();
    for chunk in items.chunks(500) {
        let r = state.push(&agent, chunk.to_vec()).await.expect("push");
        assert!(
            r.results
                .iter()
                .all(|r| matches!(r, mostrador_core::sync::PushResult::Accepted { .. }))
        );
    }
    let push = t.elapsed();

    let t = Instant::now();
    let (mut after, mut pulled) = (0, Vec::new());
    loop {
        let page = state.pull(&agent, after, 1_000).await.expect("pull");
        after = page.next;
        pulled.extend(page.events.into_iter().map(|p| p.event));
        if !page.more {
            break;
        }
    }
    let pull = t.elapsed();
    let t = Instant::now();
    let tickets = fold_all(&pulled);
    let apply = t.elapsed();
    assert_eq!((pulled.len(), tickets.len()), (events.len(), TICKETS));

    let customer = Principal::customer("c7");
    let t = Instant::now();
    let page = state.pull(&customer, 0, 1_000).await.expect("pull");
    let customer_pull = t.elapsed();

    println!(
        "{name:<10} push {n} events in batches of 500: {push:>8.2?} ({push_rate:>6.0} events/s) | \
         pull {n}: {pull:>8.2?} + fold: {apply:>7.2?} ({pa_rate:>6.0} events/s) | \
         customer pull of {cn} visible events: {customer_pull:.2?}",
        n = events.len(),
        push_rate = events.len() as f64 / push.as_secs_f64(),
        pa_rate = events.len() as f64 / (pull + apply).as_secs_f64(),
        cn = page.events.len(),
    );
}

#[tokio::main]
async fn main() {
    let events = events();
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    bench("SQLite", &sqlite, &events).await;
    match std::env::var("MOSTRADOR_TEST_POSTGRES_URL") {
        Ok(base) => {
            let pool = sqlx::PgPool::connect(&base).await.expect("postgres");
            let db = format!("bench_{}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {db}"))
                .execute(&pool)
                .await
                .expect("create database");
            let (head, _) = base.rsplit_once('/').expect("url");
            bench("PostgreSQL", &format!("{head}/{db}"), &events).await;
        }
        Err(_) => println!("PostgreSQL: skipped (set MOSTRADOR_TEST_POSTGRES_URL)"),
    }
}
