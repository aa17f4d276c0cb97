//! HTTP: routes, authentication, protocol version, body and rate limits.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
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

/// The event stream, the one endpoint that takes its token in the query.
pub const STREAM_PATH: &str = "/v1/stream";

pub fn router(state: AppState) -> Router {
    let limit = state.config.limits.max_body_bytes;
    // Browsers on the host's origin call us with a bearer token and no cookies, so any origin
    // may; credentials are never allowed.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(Any)
        .max_age(Duration::from_secs(3600));
    let mut routes = Router::new();
    // The widget's files, only when there is a directory to serve them from (else 404). No
    // sign-in, no protocol header, no per-caller rate limit; the CORS layer below lets host
    // pages import the glue modules and fetch the WebAssembly.
    if state.config.widget_dir.is_some() {
        routes = routes
            .route(crate::widget::WIDGET_ROUTE, get(crate::widget::get_file))
            .route(
                crate::widget::CONSOLE_ROUTE,
                get(crate::widget::get_console_file),
            );
    }
    routes
        .route("/health", get(|| async { "ok" }))
        .route("/v1/info", get(info))
        .route(
            "/v1/email/unsubscribe",
            get(crate::email::unsubscribe_page).post(crate::email::unsubscribe),
        )
        .route("/v1/email/resubscribe", post(crate::email::resubscribe))
        .route("/v1/admin/email/outbox", get(crate::email::list_outbox))
        .route(crate::inbound::INBOUND_PATH, post(crate::inbound::receive))
        .route("/v1/auth/anonymous", post(anonymous))
        .route("/v1/auth/login", post(login))
        .route("/v1/auth/logout", post(logout))
        .route("/v1/auth/me", get(me))
        .route("/v1/unread", get(crate::unread::unread))
        .route("/v1/events", post(push).get(pull))
        .route(STREAM_PATH, get(stream))
        .route(
            "/v1/files/{sha256}",
            put(crate::files::put_file).get(crate::files::get_file),
        )
        .route("/v1/admin/agents", get(list_agents))
        .route("/v1/admin/agents/{id}", put(put_agent).delete(delete_agent))
        .route(
            "/v1/admin/api-keys",
            post(crate::apikeys::create_key).get(crate::apikeys::list_keys),
        )
        .route(
            "/v1/admin/api-keys/{id}",
            axum::routing::delete(crate::apikeys::revoke_key),
        )
        .route(
            "/v1/admin/webhooks",
            post(crate::webhooks::create_webhook).get(crate::webhooks::list_webhooks),
        )
        .route(
            "/v1/admin/webhooks/{id}",
            axum::routing::delete(crate::webhooks::delete_webhook),
        )
        .route(
            "/v1/admin/webhooks/{id}/enable",
            post(crate::webhooks::enable_webhook),
        )
        .route(
            "/v1/admin/webhooks/{id}/deliveries",
            get(crate::webhooks::list_deliveries),
        )
        .route(
            "/v1/admin/webhooks/{id}/deliveries/{delivery}/resend",
            post(crate::webhooks::resend_delivery),
        )
        .merge(crate::rest::routes())
        .fallback(|| async { ServerError::NotFound("no such endpoint; see /v1/info".into()) })
        .method_not_allowed_fallback(|| async {
            ServerError::MethodNotAllowed(
                "this endpoint does not take that method; see docs/sync-protocol.md".into(),
            )
        })
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            read_body,
        ))
        .layer(cors)
        .with_state(state)
}

/// Reads every request's body before routing, within the size limit and the body timeout: a body
/// announced far larger than the limit is refused at once (413), one that does not arrive in time
/// gets 408, so no client holds a request open by sending slowly. A body somewhat over the limit
/// (at most [`DRAIN_FACTOR`] times) is read and discarded before the 413, so the client receives
/// the answer instead of a connection reset. File uploads (`PUT /v1/files/…`) have the per-file
/// limit instead, and at most [`FILE_DRAIN_BYTES`] over it are read before their 413.
async fn read_body(
    State(s): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use futures::StreamExt;
    let limits = s.config.limits;
    let upload = req.method() == axum::http::Method::PUT
        && req.uri().path().starts_with(crate::files::FILES_PREFIX);
    let mail = req.method() == axum::http::Method::POST
        && req.uri().path() == crate::inbound::INBOUND_PATH;
    let (limit, drain_max) = if upload {
        let l = limits.max_file_bytes;
        (l, l.saturating_add(FILE_DRAIN_BYTES))
    } else if mail {
        let l = crate::inbound::max_message_bytes(&limits);
        (l, l.saturating_add(FILE_DRAIN_BYTES))
    } else {
        let l = limits.max_body_bytes;
        (l, l.saturating_mul(DRAIN_FACTOR))
    };
    let too_large = move || {
        if upload {
            crate::files::too_large(limit)
        } else {
            ServerError::PayloadTooLarge { limit }
        }
    };
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > drain_max as u64) {
        return too_large().into_response();
    }
    let (parts, body) = req.into_parts();
    let read = async {
        let mut data = body.into_data_stream();
        let mut buf = Vec::new();
        let mut seen = 0usize;
        while let Some(chunk) = data.next().await {
            let chunk = chunk.map_err(|e| {
                ServerError::BadRequest(format!("cannot read the request body: {e}"))
            })?;
            seen = seen.saturating_add(chunk.len());
            if seen > drain_max {
                break;
            }
            if seen <= limit {
                buf.extend_from_slice(&chunk);
            }
        }
        if seen > limit {
            Err(too_large())
        } else {
            Ok(buf)
        }
    };
    match tokio::time::timeout(limits.body_timeout, read).await {
        Ok(Ok(buf)) => {
            next.run(axum::extract::Request::from_parts(
                parts,
                axum::body::Body::from(buf),
            ))
            .await
        }
        Ok(Err(e)) => e.into_response(),
        Err(_) => ServerError::RequestTimeout {
            seconds: limits.body_timeout.as_secs(),
        }
        .into_response(),
    }
}

/// Bodies up to this many times the limit are read to the end before their 413.
const DRAIN_FACTOR: usize = 4;

/// File uploads up to this many bytes over the per-file limit are read to the end before their
/// 413.
const FILE_DRAIN_BYTES: usize = 4 * 1024 * 1024;

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

/// Bodies are JSON and must say so (`application/json`, parameters allowed).
pub(crate) fn require_json(h: &HeaderMap) -> Result<(), ServerError> {
    let ct = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = ct.split(';').next().unwrap_or_default().trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(ServerError::UnsupportedMediaType(format!(
            "send the body as Content-Type: application/json, not {ct:?}"
        )))
    }
}

/// [`require_protocol`] of a request's protocol header.
pub(crate) fn require_protocol_header(h: &HeaderMap) -> Result<(), ServerError> {
    require_protocol(header_protocol(h))
}

fn header_protocol(h: &HeaderMap) -> Option<&str> {
    h.get(PROTOCOL_HEADER).and_then(|v| v.to_str().ok())
}

/// The authenticated caller. Rate-limited per caller.
pub struct Authed(pub Principal, pub Option<String>);

/// The bearer token of `Authorization: Bearer TOKEN` (the scheme in any case).
pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// Decodes `%XX` escapes (and `+` as a space) of a query string value; `None` if malformed.
pub fn percent_decode(v: &str) -> Option<String> {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The stream's `?token=` (EventSource cannot send headers), percent-decoded as browsers encode it.
fn query_token(query: Option<&str>) -> Result<Option<String>, ServerError> {
    let mut found = None;
    for kv in query.unwrap_or_default().split('&') {
        if let Some(v) = kv.strip_prefix("token=") {
            if found.is_some() {
                return Err(ServerError::BadRequest(
                    "the query names token more than once".into(),
                ));
            }
            found = Some(percent_decode(v).ok_or_else(|| {
                ServerError::BadRequest(
                    "the token in the query is not percent-encoded UTF-8".into(),
                )
            })?);
        }
    }
    Ok(found)
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, ServerError> {
        // Only the event stream takes its token in the query: everywhere else a token in a URL
        // would end up in logs and histories for nothing.
        let token = match bearer(&parts.headers) {
            Some(t) => Some(t),
            None if parts.uri.path() == STREAM_PATH => query_token(parts.uri.query())?,
            None => None,
        };
        let token = token.ok_or_else(|| {
            ServerError::Unauthorized(
                "sign in first: send Authorization: Bearer TOKEN (from /v1/auth/login, \
                 /v1/auth/anonymous, or the site's signed customer token)"
                    .into(),
            )
        })?;
        let principal = authenticate(s, &token).await?;
        s.limiter.check(&principal_key(&principal))?;
        Ok(Authed(principal, Some(token)))
    }
}

/// The principal a token stands for now, if it is still valid.
pub async fn authenticate(s: &AppState, token: &str) -> Result<Principal, ServerError> {
    let now = now_ms();
    match auth::verify_customer_token(s.config.customer_secret.as_deref(), token, now / 1000) {
        Some(r) => r,
        None => s
            .db
            .session(&auth::token_hash(token), now)
            .await?
            .ok_or_else(|| {
                ServerError::Unauthorized("the token is unknown or expired; sign in again".into())
            }),
    }
}

fn principal_key(p: &Principal) -> String {
    match p {
        Principal::Customer { id, .. } => format!("c:{}", id.0),
        Principal::Agent { id, .. } => format!("a:{}", id.0),
    }
}

/// The client's address: the TCP peer, or, when a trusted proxy header is configured, the last
/// address that header lists (the one the proxy itself added).
pub fn client_addr(s: &AppState, headers: &HeaderMap, ext: &Extensions) -> String {
    // Only the last entry is the proxy's own: anything before it the client could have sent.
    if let Some(name) = &s.config.client_ip_header
        && let Some(ip) = headers
            .get_all(name.as_str())
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok())
    {
        return ip.to_string();
    }
    ext.get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "local".to_owned(), |c| c.0.ip().to_string())
}

pub(crate) fn json_body<T: for<'de> Deserialize<'de>>(
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
    headers: HeaderMap,
    ext: Extensions,
) -> Result<Json<SessionReply>, ServerError> {
    let ip = client_addr(&s, &headers, &ext);
    s.anon_limiter.check(&format!("anon:{ip}"))?;
    let principal = Principal::customer(&auth::new_anonymous_id());
    session(&s, principal).await
}

async fn session(s: &AppState, principal: Principal) -> Result<Json<SessionReply>, ServerError> {
    let token = auth::new_token();
    let now = now_ms();
    // Expired sessions are forgotten at most once an hour, by whoever signs in then.
    let last = s
        .sessions_swept_at
        .load(std::sync::atomic::Ordering::Relaxed);
    if now - last > 3600 * 1000
        && s.sessions_swept_at
            .compare_exchange(
                last,
                now,
                std::sync::atomic::Ordering::Relaxed,
                std::sync::atomic::Ordering::Relaxed,
            )
            .is_ok()
    {
        s.db.delete_expired_sessions(now).await?;
    }
    let expires = now.saturating_add(s.config.session_ms);
    s.db.create_session(&auth::token_hash(&token), &principal, expires)
        .await?;
    Ok(Json(SessionReply {
        token,
        principal,
        expires_at_ms: expires,
    }))
}

/// Longest password accepted (argon2 works on any length; this bounds the work per attempt).
pub const MAX_PASSWORD_BYTES: usize = 1024;

async fn login(
    State(s): State<AppState>,
    headers: HeaderMap,
    ext: Extensions,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SessionReply>, ServerError> {
    let l: LoginRequest = json_body(body, s.config.limits.max_body_bytes)?;
    if !auth::valid_user_id(&l.agent_id) || l.password.len() > MAX_PASSWORD_BYTES {
        // No such agent can exist: nothing to look up, nothing to remember.
        return Err(ServerError::Unauthorized(
            "unknown agent or wrong password".into(),
        ));
    }
    let ip = client_addr(&s, &headers, &ext);
    // Per client, never per account alone, so nobody can lock a real agent out.
    let client_key = format!("login:{ip}");
    let pair_key = format!("login:{ip}:{}", l.agent_id);
    s.anon_limiter.check(&client_key)?;
    s.login_delay.check(&pair_key)?;
    s.login_spray_delay.check(&client_key)?;
    let agent = s.db.agent(&l.agent_id).await?;
    // Unknown agents are checked against a dummy hash: the same work, the same timing.
    let hash = agent.as_ref().map_or_else(
        || auth::dummy_hash().to_owned(),
        |a| a.password_hash.clone(),
    );
    let known = agent.is_some();
    let ok = s
        .argon2(move || auth::verify_password(&l.password, &hash) && known)
        .await?;
    match (ok, agent) {
        (true, Some(a)) => {
            s.login_delay.succeeded(&pair_key);
            let principal = Principal::Agent {
                id: mostrador_core::model::AgentId(a.id),
                admin: a.admin,
            };
            session(&s, principal).await
        }
        _ => {
            s.login_delay.failed(&pair_key);
            s.login_spray_delay.failed(&client_key);
            eprintln!(
                "mostrador-server: audit: failed login for {:?} from {ip}",
                l.agent_id
            );
            Err(ServerError::Unauthorized(
                "unknown agent or wrong password".into(),
            ))
        }
    }
}

async fn logout(
    State(s): State<AppState>,
    Authed(_, token): Authed,
) -> Result<StatusCode, ServerError> {
    if let Some(t) = token {
        s.db.delete_session(&auth::token_hash(&t)).await?;
        s.live.revoked();
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn me(Authed(p, _): Authed) -> Json<Principal> {
    Json(p)
}

#[derive(Debug, Deserialize)]
struct RawPush {
    #[serde(default)]
    changes: Vec<serde_json::Value>,
    events: Vec<serde_json::Value>,
}

async fn push(
    State(s): State<AppState>,
    headers: HeaderMap,
    Authed(principal, _): Authed,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<mostrador_core::sync::PushResponse>, ServerError> {
    require_protocol(header_protocol(&headers))?;
    require_json(&headers)?;
    let raw: RawPush = json_body(body, s.config.limits.max_body_bytes)?;
    Ok(Json(s.push_all(&principal, raw.changes, raw.events).await?))
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

struct StreamState {
    rx: tokio::sync::broadcast::Receiver<crate::live::Poke>,
    s: AppState,
    token: String,
    customer: Option<String>,
    first: bool,
    /// When the session is next checked even if nothing happens.
    next_check: tokio::time::Instant,
    _slot: crate::live::StreamSlot,
}

impl StreamState {
    /// Whether the stream's session is still valid; schedules the next periodic check.
    async fn alive(&mut self) -> bool {
        self.next_check = tokio::time::Instant::now() + self.s.config.limits.stream_recheck;
        authenticate(&self.s, &self.token).await.is_ok()
    }

    /// Waits for a poke that concerns this stream; `false` when the stream must end. The session
    /// is checked on every revocation in this process and at least every
    /// [`crate::Limits::stream_recheck`] (revocations in other processes), not on every poke.
    async fn wait(&mut self) -> bool {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match tokio::time::timeout_at(self.next_check, self.rx.recv()).await {
                Ok(Ok(crate::live::Poke::Revoked)) | Err(_) => {
                    if !self.alive().await {
                        return false;
                    }
                }
                Ok(Ok(p)) => {
                    if p.concerns(self.customer.as_deref()) {
                        return true;
                    }
                }
                // Missed pokes: one of them may have been for us, and a revocation too.
                Ok(Err(RecvError::Lagged(_))) => return self.alive().await,
                Ok(Err(RecvError::Closed)) => return false,
            }
        }
    }
}

async fn stream(
    State(s): State<AppState>,
    headers: HeaderMap,
    Authed(principal, token): Authed,
    q: Result<Query<StreamQuery>, QueryRejection>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ServerError> {
    let Query(q) = q.map_err(|e| {
        ServerError::BadRequest(format!(
            "the stream's query is not valid: {}",
            e.body_text()
        ))
    })?;
    require_protocol(q.protocol.as_deref().or(header_protocol(&headers)))?;
    let limits = s.config.limits;
    let slot = s.live.open_stream(
        &principal_key(&principal),
        limits.max_streams,
        limits.max_streams_per_principal,
    )?;
    let state = StreamState {
        rx: s.live.subscribe(),
        token: token.unwrap_or_default(),
        customer: match &principal {
            Principal::Customer { id, .. } => Some(id.0.clone()),
            Principal::Agent { .. } => None,
        },
        s,
        first: true,
        next_check: tokio::time::Instant::now() + limits.stream_recheck,
        _slot: slot,
    };
    // The first message tells the client the head at once, so it pulls after (re)connecting.
    // The stream ends when the session does (logout, password reset, agent removed, expiry).
    let events = futures::stream::unfold(state, |mut st| async move {
        if !st.first && !st.wait().await {
            return None;
        }
        st.first = false;
        let head = st.s.db.head().await.unwrap_or(0);
        let data = serde_json::to_string(&StreamPoke { head }).unwrap_or_default();
        let ev = SseEvent::default().event("poke").data(data);
        Some((Ok(ev), st))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// The `{id}` of a path, or a JSON 400.
pub(crate) fn path_id(id: Result<Path<String>, PathRejection>) -> Result<String, ServerError> {
    id.map(|Path(id)| id)
        .map_err(|e| ServerError::BadRequest(format!("the path is not valid: {}", e.body_text())))
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
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ServerError> {
    require_admin(&p)?;
    let id = path_id(id)?;
    let a: PutAgent = json_body(body, s.config.limits.max_body_bytes)?;
    if !auth::valid_user_id(&id) {
        return Err(ServerError::BadRequest(
            "agent ids are 1 to 128 of A-Z a-z 0-9 . _ @ : -".into(),
        ));
    }
    if id.starts_with(crate::apikeys::ACTOR_PREFIX) {
        return Err(ServerError::BadRequest(format!(
            "agent ids starting with {:?} are the API keys' own",
            crate::apikeys::ACTOR_PREFIX
        )));
    }
    if a.password.chars().count() < auth::MIN_PASSWORD_CHARS
        || a.password.len() > MAX_PASSWORD_BYTES
    {
        return Err(ServerError::BadRequest(format!(
            "passwords need {} to {MAX_PASSWORD_BYTES} characters",
            auth::MIN_PASSWORD_CHARS
        )));
    }
    let hash = s.argon2(move || auth::hash_password(&a.password)).await??;
    // A new password or role ends the agent's sessions (and their streams).
    s.db.put_agent(&id, &hash, a.admin, now_ms()).await?;
    s.live.revoked();
    eprintln!(
        "mostrador-server: audit: {} set agent {id:?} (admin: {})",
        principal_key(&p),
        a.admin
    );
    Ok(StatusCode::NO_CONTENT)
}

async fn delete_agent(
    State(s): State<AppState>,
    Authed(p, _): Authed,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ServerError> {
    require_admin(&p)?;
    let id = path_id(id)?;
    if s.db.delete_agent(&id).await? {
        s.live.revoked();
        eprintln!(
            "mostrador-server: audit: {} removed agent {id:?}",
            principal_key(&p)
        );
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ServerError::NotFound(format!("there is no agent {id:?}")))
    }
}
