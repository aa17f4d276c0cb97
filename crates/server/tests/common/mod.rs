//! Shared fixtures: databases (a temporary SQLite file, and PostgreSQL when
//! `MOSTRADOR_TEST_POSTGRES_URL` is set), a server on 127.0.0.1, an HTTP client, and devices that
//! decide real events with the core.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::DateTime;
use mostrador_core::apply::fold;
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::ctx::Ctx;
use mostrador_core::decide::decide;
use mostrador_core::event::Event;
use mostrador_core::model::{Actor, AgentId, Channel, CustomerId, Requester, TicketId};
use mostrador_core::settings::DomainSettings;
use mostrador_core::sync::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use mostrador_server::{AppState, Config};
use serde_json::Value;

pub const SECRET: &[u8] = b"test-secret-shared-with-the-host";
pub const ADMIN: (&str, &str) = ("root", "admin-password-1");

/// Set by `cargo xtask test`, which starts a throwaway PostgreSQL cluster.
pub const PG_ENV: &str = "MOSTRADOR_TEST_POSTGRES_URL";
/// Set by `cargo xtask test`: PostgreSQL tests must run, not skip.
pub const PG_REQUIRED_ENV: &str = "MOSTRADOR_TEST_REQUIRE_POSTGRES";

/// A fresh, empty database of each available kind: `(name, url, keep-alive guard)`.
pub async fn databases() -> Vec<(&'static str, String, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let mut out = vec![("sqlite", sqlite, Some(dir))];
    if let Some(pg) = postgres_database().await {
        out.push(("postgres", pg, None));
    }
    out
}

/// A new database on the test cluster, or `None` if there is none (which fails when required).
pub async fn postgres_database() -> Option<String> {
    let base = match std::env::var(PG_ENV) {
        Ok(u) if !u.is_empty() => u,
        _ => {
            if std::env::var(PG_REQUIRED_ENV).is_ok() {
                panic!("{PG_ENV} is not set but {PG_REQUIRED_ENV} is: PostgreSQL tests must run");
            }
            eprintln!(
                "note: {PG_ENV} not set; PostgreSQL cases skipped (cargo xtask test runs them)"
            );
            return None;
        }
    };
    static N: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "mo_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros()
    );
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&base)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {base}: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let (head, _) = base.rsplit_once('/').unwrap();
    Some(format!("{head}/{name}"))
}

pub fn config(url: &str) -> Config {
    let mut c = Config {
        database_url: url.to_owned(),
        customer_secret: Some(SECRET.to_vec()),
        bootstrap_admin: Some((ADMIN.0.into(), ADMIN.1.into())),
        settings: DomainSettings::default(),
        ..Config::default()
    };
    c.limits.requests_per_minute = 0;
    c
}

/// A server on a free port of 127.0.0.1.
pub struct Running {
    pub base: String,
    pub state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

pub async fn start(config: Config) -> Running {
    let state = AppState::new(config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let s = state.clone();
    tokio::spawn(async move {
        mostrador_server::serve_on(listener, s, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    Running {
        base,
        state,
        stop: Some(tx),
    }
}

/// An HTTP client with a bearer token.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub token: Option<String>,
    http: reqwest::Client,
}

impl Client {
    pub fn new(base: &str, token: Option<String>) -> Client {
        Client {
            base: base.to_owned(),
            token,
            http: reqwest::Client::new(),
        }
    }

    pub fn customer(base: &str, id: &str) -> Client {
        let exp = chrono::Utc::now().timestamp() + 3600;
        let t = mostrador_server::auth::sign_customer_token(SECRET, id, exp);
        Client::new(base, Some(t))
    }

    pub async fn agent(base: &str, id: &str, password: &str) -> Client {
        let (status, body) = Client::new(base, None)
            .send(
                "POST",
                "/v1/auth/login",
                Some(serde_json::json!({"agent_id": id, "password": password})),
            )
            .await;
        assert_eq!(status, 200, "login {id}: {body}");
        Client::new(base, body["token"].as_str().map(str::to_owned))
    }

    pub async fn admin(base: &str) -> Client {
        Client::agent(base, ADMIN.0, ADMIN.1).await
    }

    pub fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut r = self
            .http
            .request(m, format!("{}{path}", self.base))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(t) = &self.token {
            r = r.bearer_auth(t);
        }
        r
    }

    /// Sends and returns (status, JSON body or Null).
    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut r = self.request(method, path);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let res = r.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn push(&self, events: &[Event]) -> (u16, Value) {
        self.send(
            "POST",
            "/v1/events",
            Some(serde_json::json!({ "events": events })),
        )
        .await
    }

    pub async fn pull(&self, after: u64) -> (u16, Value) {
        self.send("GET", &format!("/v1/events?after={after}&limit=1000"), None)
            .await
    }

    /// Ids of the events a pull from 0 returns.
    pub async fn pulled_ids(&self) -> Vec<String> {
        let (s, body) = self.pull(0).await;
        assert_eq!(s, 200, "{body}");
        body["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event"]["id"].as_str().unwrap().to_owned())
            .collect()
    }
}

pub const T0: i64 = 1_700_000_000_000;

pub fn customer(id: &str) -> Actor {
    Actor::Customer(CustomerId(id.into()))
}

pub fn agent(id: &str) -> Actor {
    Actor::Agent(AgentId(id.into()))
}

pub fn form(customer: &str) -> NewTicket {
    let requester = Requester {
        customer_id: Some(CustomerId(customer.into())),
        name: format!("Customer {customer}"),
        ..Default::default()
    };
    NewTicket::new("Printer on fire", "It smokes.", requester, Channel::WebForm)
}

/// One device deciding events with the core, at real time (the server checks plausibility).
pub struct Device {
    pub ctx: Ctx,
    pub log: Vec<Event>,
    pub settings: DomainSettings,
}

impl Device {
    pub fn new(node: &str, seed: u64) -> Device {
        Device {
            ctx: Ctx::seeded(node, seed, chrono::Utc::now()),
            log: Vec::new(),
            settings: DomainSettings::default(),
        }
    }

    pub fn at(node: &str, seed: u64, ms: i64) -> Device {
        let mut d = Device::new(node, seed);
        d.ctx.now = DateTime::from_timestamp_millis(ms).unwrap();
        d
    }

    pub fn state(&self, ticket: &TicketId) -> Option<mostrador_core::ticket::Ticket> {
        fold(self.log.iter().filter(|e| &e.ticket == ticket))
    }

    pub fn run(
        &mut self,
        ticket: Option<&TicketId>,
        c: Command,
        actor: &Actor,
    ) -> Result<Vec<Event>, mostrador_core::error::DomainError> {
        let state = ticket.and_then(|t| self.state(t));
        let events = decide(state.as_ref(), &c, actor, &self.settings, &mut self.ctx)?;
        self.log.extend(events.clone());
        Ok(events)
    }

    pub fn open(&mut self, actor: &Actor, for_customer: &str) -> Vec<Event> {
        self.run(None, Command::Open(Box::new(form(for_customer))), actor)
            .unwrap()
    }

    pub fn receive(&mut self, events: &[Event]) {
        for e in events {
            self.ctx.observe(&e.hlc);
            if !self.log.iter().any(|x| x.id == e.id) {
                self.log.push(e.clone());
            }
        }
    }
}

pub fn reply(body: &str) -> Command {
    Command::Reply {
        body: body.into(),
        attachments: vec![],
    }
}

pub fn note(body: &str) -> Command {
    Command::AddNote {
        body: body.into(),
        attachments: vec![],
    }
}
pub mod openapi;
pub mod smtp;

/// Every stored event, parsed (an admin's pull from the start).
pub async fn all_events(base: &str) -> Vec<Event> {
    let admin = Client::admin(base).await;
    let (s, body) = admin.pull(0).await;
    assert_eq!(s, 200, "{body}");
    body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| serde_json::from_value(e["event"].clone()).unwrap())
        .collect()
}
