//! HTTP: routes, authentication, protocol version, body and rate limits.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::{get, post, put};
use futures::Stream;
use mostrador_core::sync::{
    LoginRequest, PROTOCOL_HEADER, PROTOCOL_VERSION, Principal, ServerInfo, SessionReply,
    StreamPoke,
};
use serde::Deserialize;
use tower_http::cors::{Any, CorsLayer};

use crate::auth;
use crate::error::ServerError;
use crate::{AppState, now_ms};

pub fn router(state: AppState) -> Router {
    let limit = state.config.limits.max_body_bytes;
    // Browsers on the host's origin call us with a bearer token and no cookies, so any origin
    // may; credentials are never allowed.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(Any)
        .max_age(Duration::from_secs(3600));
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/v1/info", get(info))
        .route("/v1/auth/anonymous", post(anonymous))
        .route("/v1/auth/login", post(login))
        .route("/v1/auth/logout", post(logout))
        .route("/v1/auth/me", get(me))
        .route("/v1/events", post(push).get(pull))
        .route("/v1/stream", get(stream))
        .route("/v1/admin/agents", get(list_agents))
        .route("/v1/admin/agents/{id}", put(put_agent).delete(delete_agent))
        .fallback(|| async { ServerError::NotFound("no such endpoint; see /v1/info".into()) })
        .layer(DefaultBodyLimit::max(limit))
        .layer(cors)
        .with_state(state)
}

async fn info(State(s): State<AppState>) -> Json<ServerInfo> {
    Json(ServerInfo {
        protocol: PROTOCOL_VERSION,
        min_protocol: PROTOCOL_VERSION,
        max_batch: s.config.limits.max_batch,
        max_pull: s.config.limits.max_pull,
    })
}

/// Sync requests must say which protocol they speak; anything else is told to update.
fn require_protocol(got: Option<&str>) -> Result<(), ServerError> {
    match got {
        Some(v) if v.trim() == PROTOCOL_VERSION.to_string() => Ok(()),
        Some(v) => Err(ServerError::ProtocolUnsupported {
            got: format!("version {v:?}"),
        }),
        None => Err(ServerError::ProtocolUnsupported {
            got: format!("no {PROTOCOL_HEADER} header"),
        }),
    }
}

fn header_protocol(h: &HeaderMap) -> Option<&str> {
    h.get(PROTOCOL_HEADER).and_then(|v| v.to_str().ok())
}

/// The authenticated caller. Rate-limited per caller.
pub struct Authed(pub Principal, pub Option<String>);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, ServerError> {
        let from_header = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_owned);
        // EventSource cannot send headers, so the stream takes the token in the query.
        let from_query = || {
            parts.uri.query().and_then(|q| {
                q.split('&')
                    .find_map(|kv| kv.strip_prefix("token="))
                    .map(str::to_owned)
            })
        };
        let token = from_header.or_else(from_query).ok_or_else(|| {
            ServerError::Unauthorized(
                "sign in first: send Authorization: Bearer TOKEN (from /v1/auth/login, \
                 /v1/auth/anonymous, or the site's signed customer token)"
                    .into(),
            )
        })?;
        let now = now_ms();
        let principal = match auth::verify_customer_token(
            s.config.customer_secret.as_deref(),
            &token,
            now / 1000,
        ) {
            Some(r) => r?,
            None => {
                s.db.session(&auth::token_hash(&token), now)
                    .await?
                    .ok_or_else(|| {
                        ServerError::Unauthorized(
                            "the token is unknown or expired; sign in again".into(),
                        )
                    })?
            }
        };
        let key = match &principal {
            Principal::Customer { id } => format!("c:{}", id.0),
            Principal::Agent { id, .. } => format!("a:{}", id.0),
        };
        s.limiter.check(&key)?;
        Ok(Authed(principal, Some(token)))
    }
}

fn json_body<T: for<'de> Deserialize<'de>>(
    body: Result<Bytes, BytesRejection>,
    limit: usize,
) -> Result<T, ServerError> {
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ServerError::PayloadTooLarge { limit }
        } else {
            ServerError::BadRequest(format!("cannot read the request body: {e}"))
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| ServerError::MalformedJson(e.to_string()))
}

async fn anonymous(
    State(s): State<AppState>,
    ext: Extensions,
) -> Result<Json<SessionReply>, ServerError> {
    let ip = ext
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "local".to_owned(), |c| c.0.ip().to_string());
    s.anon_limiter.check(&format!("anon:{ip}"))?;
    let principal = Principal::customer(&auth::new_anonymous_id());
    session(&s, principal).await
}

async fn session(s: &AppState, principal: Principal) -> Result<Json<SessionReply>, ServerError> {
    let token = auth::new_token();
    let expires = now_ms().saturating_add(s.config.session_ms);
    s.db.create_session(&auth::token_hash(&token), &principal, expires)
        .await?;
    Ok(Json(SessionReply {
        token,
        principal,
        expires_at_ms: expires,
    }))
}

async fn login(
    State(s): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SessionReply>, ServerError> {
    let l: LoginRequest = json_body(body, s.config.limits.max_body_bytes)?;
    s.anon_limiter.check(&format!("login:{}", l.agent_id))?;
    let agent = s.db.agent(&l.agent_id).await?;
    let hash = agent.as_ref().map(|a| a.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || {
        hash.is_some_and(|h| auth::verify_password(&l.password, &h))
    })
    .await
    .map_err(|e| ServerError::Internal(e.to_string()))?;
    match (ok, agent) {
        (true, Some(a)) => {
            let principal = Principal::Agent {
                id: mostrador_core::model::AgentId(a.id),
                admin: a.admin,
            };
            session(&s, principal).await
        }
        _ => Err(ServerError::Unauthorized(
            "unknown agent or wrong password".into(),
        )),
    }
}

async fn logout(
    State(s): State<AppState>,
    Authed(_, token): Authed,
) -> Result<StatusCode, ServerError> {
    if let Some(t) = token {
        s.db.delete_session(&auth::token_hash(&t)).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn me(Authed(p, _): Authed) -> Json<Principal> {
    Json(p)
}

#[derive(Debug, Deserialize)]
struct RawPush {
    events: Vec<serde_json::Value>,
}

async fn push(
    State(s): State<AppState>,
    headers: HeaderMap,
    Authed(principal, _): Authed,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<mostrador_core::sync::PushResponse>, ServerError> {
    require_protocol(header_protocol(&headers))?;
    let raw: RawPush = json_body(body, s.config.limits.max_body_bytes)?;
    Ok(Json(s.push(&principal, raw.events).await?))
}

#[derive(Debug, Deserialize)]
struct PullQuery {
    #[serde(default)]
    after: u64,
    limit: Option<u32>,
}

async fn pull(
    State(s): State<AppState>,
    headers: HeaderMap,
    Authed(principal, _): Authed,
    q: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<mostrador_core::sync::PullResponse>, ServerError> {
    require_protocol(header_protocol(&headers))?;
    let Query(q) = q.map_err(|e| {
        ServerError::BadRequest(format!(
            "after and limit must be non-negative numbers: {}",
            e.body_text()
        ))
    })?;
    let limit = q.limit.unwrap_or(s.config.limits.max_pull);
    Ok(Json(s.pull(&principal, q.after, limit).await?))
}

#[derive(Debug, Deserialize)]
struct StreamQuery {
    protocol: Option<String>,
}

async fn stream(
    State(s): State<AppState>,
    headers: HeaderMap,
    Authed(_, _): Authed,
    Query(q): Query<StreamQuery>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ServerError> {
    require_protocol(q.protocol.as_deref().or(header_protocol(&headers)))?;
    let rx = s.live.subscribe();
    let db = s.db.clone();
    // The first message tells the client the head at once, so it pulls after (re)connecting.
    let events = futures::stream::unfold((rx, db, true), |(mut rx, db, first)| async move {
        if !first {
            match rx.recv().await {
                Ok(()) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
        let head = db.head().await.unwrap_or(0);
        let data = serde_json::to_string(&StreamPoke { head }).unwrap_or_default();
        let ev = SseEvent::default().event("poke").data(data);
        Some((Ok(ev), (rx, db, false)))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn require_admin(p: &Principal) -> Result<(), ServerError> {
    if p.is_admin() {
        Ok(())
    } else {
        Err(ServerError::Forbidden(
            "only admins manage agents; ask one to do it".into(),
        ))
    }
}

async fn list_agents(
    State(s): State<AppState>,
    Authed(p, _): Authed,
) -> Result<Json<Vec<crate::db::AgentRow>>, ServerError> {
    require_admin(&p)?;
    Ok(Json(s.db.agents().await?))
}

#[derive(Debug, Deserialize)]
struct PutAgent {
    password: String,
    #[serde(default)]
    admin: bool,
}

async fn put_agent(
    State(s): State<AppState>,
    Authed(p, _): Authed,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ServerError> {
    require_admin(&p)?;
    let a: PutAgent = json_body(body, s.config.limits.max_body_bytes)?;
    if !auth::valid_user_id(&id) {
        return Err(ServerError::BadRequest(
            "agent ids are 1 to 128 of A-Z a-z 0-9 . _ @ : -".into(),
        ));
    }
    if a.password.chars().count() < 10 {
        return Err(ServerError::BadRequest(
            "passwords need at least 10 characters".into(),
        ));
    }
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&a.password))
        .await
        .map_err(|e| ServerError::Internal(e.to_string()))??;
    s.db.put_agent(&id, &hash, a.admin, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn delete_agent(
    State(s): State<AppState>,
    Authed(p, _): Authed,
    Path(id): Path<String>,
) -> Result<StatusCode, ServerError> {
    require_admin(&p)?;
    if s.db.delete_agent(&id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ServerError::NotFound(format!("there is no agent {id:?}")))
    }
}
