//! # mostrador-server
//!
//! The reference sync server. Devices push events (`POST /v1/events`), pull the events after a
//! cursor (`GET /v1/events`), and listen on a Server-Sent Events stream (`GET /v1/stream`) that
//! says when to pull. Every pushed event is checked with the core's
//! [`check_remote_event`](mostrador_core::sync::check_remote_event) before it is stored, against
//! the workspace settings the database holds; the same push carries the workspace's changes
//! (settings, articles, deflection records), checked with
//! [`check_change`](mostrador_core::workspace::check_change). Attachment bytes travel beside the
//! events (`PUT`/`GET /v1/files/{sha256}`, see [`files`]). With `--widget-dir` it also serves
//! the embeddable widget's files under `/widget/` (see [`widget`]). Integrations use a REST API
//! under `/v1/api/` with scoped API keys ([`rest`], [`apikeys`]) and receive signed webhooks
//! ([`webhooks`]), documented in `docs/openapi.yaml`. It mails notices ([`email`]), and email
//! sent to the help desk becomes tickets and replies ([`inbound`]: `mostrador-server
//! ingest-mail` for an MTA, `POST /v1/inbound/email` for inbound-mail services). Storage
//! is SQLite by default and PostgreSQL to scale out (several processes on one database). The
//! protocol is described in `docs/sync-protocol.md`.

pub mod api;
pub mod apikeys;
pub mod auth;
pub mod config;
pub mod db;
pub mod email;
pub mod error;
pub mod files;
pub mod inbound;
pub mod limits;
pub mod live;
pub mod rest;
pub mod rules;
pub mod unread;
pub mod webhooks;
pub mod widget;

use std::sync::Arc;

pub use config::{Config, Limits};
pub use db::Db;
pub use error::ServerError;
use limits::{LoginDelay, RateLimiter};
use live::Live;
use mostrador_core::event::Event;
use mostrador_core::sync::{Principal, PullResponse, PushResponse, PushResult};
use mostrador_core::workspace::Change;

/// Everything a request handler needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub live: Live,
    pub config: Arc<Config>,
    /// This server's node id (persisted): the HLC node of the events it decides as the system.
    pub node: mostrador_core::hlc::NodeId,
    limiter: Arc<RateLimiter>,
    anon_limiter: Arc<RateLimiter>,
    /// Failed logins per client and agent id.
    login_delay: Arc<LoginDelay>,
    /// Failed logins per client, whatever the agent id (guessing across many accounts).
    login_spray_delay: Arc<LoginDelay>,
    /// When expired sessions were last deleted (ms).
    sessions_swept_at: Arc<std::sync::atomic::AtomicI64>,
    /// Password hashes computed at once at most (each takes ~19 MiB and tens of ms).
    argon2_slots: Arc<tokio::sync::Semaphore>,
    /// The widget files served under `/widget/`, as last read.
    widget: Arc<widget::WidgetFiles>,
}

/// Password hashes (argon2) computed at once at most; further logins wait their turn, so a flood
/// of logins cannot take all memory or every blocking thread.
pub const MAX_CONCURRENT_HASHES: usize = 4;

/// Failed logins a client may make in a row before each further attempt is delayed.
pub const LOGIN_FREE_FAILURES: u32 = 5;

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl AppState {
    /// Connects to the database, migrates it, creates the bootstrap admin and starts listening
    /// for other processes' notifications.
    pub async fn new(config: Config) -> Result<AppState, ServerError> {
        let db = Db::connect(&config.database_url).await?;
        let live = Live::new();
        if let Db::Postgres(p, _) = &db {
            live.listen_postgres(p.clone());
        }
        if let Some((id, password)) = &config.bootstrap_admin {
            if !auth::valid_user_id(id) {
                return Err(ServerError::Config(format!(
                    "the admin id {id:?} has characters other than A-Z a-z 0-9 . _ @ : -"
                )));
            }
            if id.starts_with(apikeys::ACTOR_PREFIX) {
                return Err(ServerError::Config(format!(
                    "the admin id {id:?} starts with {:?}, which API keys act as",
                    apikeys::ACTOR_PREFIX
                )));
            }
            if password.chars().count() < auth::MIN_PASSWORD_CHARS {
                return Err(ServerError::Config(format!(
                    "the admin password needs at least {} characters",
                    auth::MIN_PASSWORD_CHARS
                )));
            }
            if db.agent(id).await?.is_none() {
                let hash = auth::hash_password(password)?;
                db.put_agent(id, &hash, true, now_ms()).await?;
            }
        }
        if config.email.is_some() {
            db.enable_email();
            // Made once: unsubscribe links stay valid across restarts and processes.
            db.email_key().await?;
        }
        // Once, after migration 5: the files of events stored before it.
        db.backfill_files().await?;
        let node = mostrador_core::hlc::NodeId(
            db.meta_or_insert(rules::NODE_KEY, &rules::new_node_id())
                .await?,
        );
        // `--settings` seeds a database that holds no settings yet; afterwards the stored
        // workspace is the truth and admins change it by pushing changes.
        let seed = mostrador_core::config::Settings {
            domain: config.settings.clone(),
            ..config.desk.clone()
        };
        db.seed_settings(mostrador_core::workspace::adopt(&seed), &node, now_ms())
            .await?;
        // Computed now, not on the first login with an unknown id.
        tokio::task::spawn_blocking(auth::dummy_hash)
            .await
            .map_err(|e| ServerError::Internal(e.to_string()))?;
        Ok(AppState {
            db,
            live,
            node,
            limiter: Arc::new(RateLimiter::new(config.limits.requests_per_minute)),
            anon_limiter: Arc::new(RateLimiter::new(config.limits.anonymous_per_minute)),
            login_delay: Arc::new(LoginDelay::new(LOGIN_FREE_FAILURES)),
            login_spray_delay: Arc::new(LoginDelay::new(LOGIN_FREE_FAILURES * 4)),
            sessions_swept_at: Arc::default(),
            argon2_slots: Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_HASHES)),
            widget: Arc::default(),
            config: Arc::new(config),
        })
    }

    /// Runs a password hash or verification on the blocking pool, at most
    /// [`MAX_CONCURRENT_HASHES`] at once.
    pub(crate) async fn argon2<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ServerError> {
        let _slot = self
            .argon2_slots
            .acquire()
            .await
            .map_err(|e| ServerError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| ServerError::Internal(e.to_string()))
    }

    /// How many clients the login and anonymous-session limits remember (tests).
    pub fn tracked_clients(&self) -> usize {
        self.anon_limiter.len() + self.login_delay.len() + self.login_spray_delay.len()
    }

    /// Push of events only without HTTP (tests, the convergence harness): parses and checks each
    /// item.
    pub async fn push(
        &self,
        principal: &Principal,
        items: Vec<serde_json::Value>,
    ) -> Result<PushResponse, ServerError> {
        self.push_all(principal, Vec::new(), items).await
    }

    /// Push of workspace changes and events: parses and checks each item; the changes are stored
    /// first. The batch limit counts both.
    pub async fn push_all(
        &self,
        principal: &Principal,
        changes: Vec<serde_json::Value>,
        items: Vec<serde_json::Value>,
    ) -> Result<PushResponse, ServerError> {
        let max = self.config.limits.max_batch;
        let got = changes.len().saturating_add(items.len());
        if got > max {
            return Err(ServerError::BatchTooLarge { max, got });
        }
        let changes: Vec<db::Parsed<Change>> = changes.into_iter().map(parse_item).collect();
        let parsed: Vec<db::Parsed<Event>> = items.into_iter().map(parse_item).collect();
        let tickets: Vec<(
            mostrador_core::event::EventId,
            mostrador_core::model::TicketId,
        )> = parsed
            .iter()
            .filter_map(|e| e.as_ref().ok())
            .map(|e| (e.id.clone(), e.ticket.clone()))
            .collect();
        let (results, stored) = self.db.push(principal, changes, parsed, now_ms()).await?;
        if let Some(stored) = stored
            && !self.db.is_postgres()
        {
            self.live.poke(stored.poke());
        }
        // The tickets this push stored events for, in order: the system rules run on them now
        // (a new ticket is routed at once).
        let mut stored = Vec::new();
        for r in &results {
            if let PushResult::Accepted { id, .. } = r
                && let Some((_, t)) = tickets.iter().find(|(e, _)| e == id)
                && !stored.contains(t)
            {
                stored.push(t.clone());
            }
        }
        if !stored.is_empty() {
            self.run_rules_after_push(stored).await;
        }
        Ok(PushResponse { results })
    }

    pub async fn pull(
        &self,
        principal: &Principal,
        after: u64,
        limit: u32,
    ) -> Result<PullResponse, ServerError> {
        let limit = limit.clamp(1, self.config.limits.max_pull);
        self.db.pull(principal, after, limit).await
    }

    /// The workspace settings as stored now: what pushes are checked against and the system
    /// rules read.
    pub async fn settings(&self) -> Result<mostrador_core::config::Settings, ServerError> {
        Ok(self.db.settings().await?.settings.clone())
    }
}

/// A pushed item parsed as `T`, or its id (when it has one) and why not.
fn parse_item<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> db::Parsed<T> {
    let id = v
        .get("id")
        .and_then(|i| i.as_str())
        .unwrap_or_default()
        .to_owned();
    serde_json::from_value::<T>(v).map_err(|e| (id, e.to_string()))
}

/// Binds, prints the address and serves until Ctrl-C.
pub async fn serve(config: Config) -> Result<(), ServerError> {
    let listen = config.listen;
    let state = AppState::new(config).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| ServerError::Config(format!("cannot listen on {listen}: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServerError::Internal(e.to_string()))?;
    let db = if state.db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("mostrador-server listening on http://{addr} ({db})");
    if let Some(dir) = &state.config.widget_dir {
        let embedders = match state.config.embed_origins.as_slice() {
            [] => "this origin only".to_owned(),
            o => o.join(" "),
        };
        println!(
            "serving the widget from {} at http://{addr}/widget/ (frame embeddable by {embedders})",
            dir.display()
        );
        if !dir.join("mostrador.js").is_file() {
            eprintln!(
                "mostrador-server: warning: {} has no mostrador.js; is it the npm package's dist/?",
                dir.display()
            );
        }
    }
    serve_on(listener, state, shutdown_signal()).await
}

/// Serves `state` on an already bound listener until `shutdown` completes.
///
/// At most [`Limits::max_connections`] connections are open at once (further clients wait in the
/// listen queue, so descriptors are never exhausted), at most
/// [`Limits::max_connections_per_peer`] of them from one peer address (more are closed at once); a client that does not send a request's
/// headers within [`Limits::header_timeout`] is disconnected, and one that does not send its body
/// within [`Limits::body_timeout`] gets 408 (see [`api::router`]).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    use axum::extract::ConnectInfo;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let limits = state.config.limits;
    // The timer sweep of the system rules, stopped with the server.
    let rules_timer = state.config.rules_interval.map(|every| {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tick.tick().await;
                if let Err(e) = state.run_rules().await {
                    eprintln!("mostrador-server: system rules: {e}");
                }
            }
        })
    });
    // The webhook deliverer, stopped with the server (undelivered rows wait in the database).
    let deliverer = webhooks::spawn_deliverer(state.clone());
    // The mailer, when email is configured (unsent notices wait in the database).
    let mailer = email::spawn_mailer(state.clone());
    let app = api::router(state);
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let peers = crate::limits::PeerConnections::new(limits.max_connections_per_peer);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => {
                p.map_err(|e| ServerError::Internal(e.to_string()))?
            }
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // Out of descriptors or a connection reset before accept: try again soon.
                    eprintln!("mostrador-server: accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // One peer may not hold every connection: past its share, it is hung up on at once.
        let Some(peer_slot) = peers.enter(peer.ip()) else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let svc = tower::ServiceBuilder::new()
            .map_request(move |mut r: axum::http::Request<hyper::body::Incoming>| {
                r.extensions_mut().insert(ConnectInfo(peer));
                r
            })
            .service(app.clone());
        let conn = graceful
            .watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(svc)));
        tokio::spawn(async move {
            let _ = conn.await;
            drop((permit, peer_slot));
        });
    }
    drop(listener);
    if let Some(t) = rules_timer {
        t.abort();
    }
    deliverer.abort();
    if let Some(m) = mailer {
        m.abort();
    }
    // Event streams never end by themselves: give requests in flight a moment, no more.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), graceful.shutdown()).await;
    Ok(())
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
