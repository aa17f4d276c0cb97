//! # mostrador-server
//!
//! The reference sync server. Devices push events (`POST /v1/events`), pull the events after a
//! cursor (`GET /v1/events`), and listen on a Server-Sent Events stream (`GET /v1/stream`) that
//! says when to pull. Every pushed event is checked with the core's
//! [`check_remote_event`](mostrador_core::sync::check_remote_event) before it is stored. Storage
//! is SQLite by default and PostgreSQL to scale out (several processes on one database). The
//! protocol is described in `docs/sync-protocol.md`.

pub mod api;
pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod limits;
pub mod live;

use std::net::SocketAddr;
use std::sync::Arc;

pub use config::{Config, Limits};
pub use db::Db;
pub use error::ServerError;
use limits::RateLimiter;
use live::Live;
use mostrador_core::event::Event;
use mostrador_core::sync::{Principal, PullResponse, PushResponse};

/// Everything a request handler needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub live: Live,
    pub config: Arc<Config>,
    limiter: Arc<RateLimiter>,
    anon_limiter: Arc<RateLimiter>,
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl AppState {
    /// Connects to the database, migrates it, creates the bootstrap admin and starts listening
    /// for other processes' notifications.
    pub async fn new(config: Config) -> Result<AppState, ServerError> {
        let db = Db::connect(&config.database_url).await?;
        let live = Live::new();
        if let Db::Postgres(p) = &db {
            live.listen_postgres(p.clone());
        }
        if let Some((id, password)) = &config.bootstrap_admin {
            if !auth::valid_user_id(id) {
                return Err(ServerError::Config(format!(
                    "the admin id {id:?} has characters other than A-Z a-z 0-9 . _ @ : -"
                )));
            }
            if db.agent(id).await?.is_none() {
                let hash = auth::hash_password(password)?;
                db.put_agent(id, &hash, true, now_ms()).await?;
            }
        }
        Ok(AppState {
            db,
            live,
            limiter: Arc::new(RateLimiter::new(config.limits.requests_per_minute)),
            anon_limiter: Arc::new(RateLimiter::new(config.limits.anonymous_per_minute)),
            config: Arc::new(config),
        })
    }

    /// Push without HTTP (tests, the convergence harness): parses and checks each item.
    pub async fn push(
        &self,
        principal: &Principal,
        items: Vec<serde_json::Value>,
    ) -> Result<PushResponse, ServerError> {
        let max = self.config.limits.max_batch;
        if items.len() > max {
            return Err(ServerError::BatchTooLarge {
                max,
                got: items.len(),
            });
        }
        let parsed = items
            .into_iter()
            .map(|v| {
                let id = v
                    .get("id")
                    .and_then(|i| i.as_str())
                    .unwrap_or_default()
                    .to_owned();
                serde_json::from_value::<Event>(v).map_err(|e| (id, e.to_string()))
            })
            .collect();
        let (results, stored) = self
            .db
            .push(principal, parsed, &self.config.settings, now_ms())
            .await?;
        if stored && !self.db.is_postgres() {
            self.live.poke();
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
        self.db
            .pull(principal, after, limit, &self.config.settings)
            .await
    }
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
    serve_on(listener, state, shutdown_signal()).await
}

/// Serves `state` on an already bound listener until `shutdown` completes.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    axum::serve(
        listener,
        api::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|e| ServerError::Internal(e.to_string()))
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
