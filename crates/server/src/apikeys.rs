//! API keys for integrations (a CRM, an ERP): created, listed and revoked by admins under
//! `/v1/admin/api-keys`, sent by integrations as `Authorization: Bearer mk_…` to the REST API
//! (`/v1/api/…`, see [`crate::rest`]).
//!
//! A key has a name and [`Scope`]s. Its secret is shown once, in the answer that creates it;
//! the database keeps only its SHA-256 ([`crate::auth::token_hash`]), so a leaked database leaks
//! no usable key. Every authenticated use records `last_used_at` (at most once a minute, so a
//! busy integration does not write on every read). A revoked key is refused at once.
//!
//! What a key does to tickets is decided by the core as the actor [`ApiKey::actor`]: an agent
//! whose id is `api:` and the key's id (see that function for why an agent).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use mostrador_core::model::{Actor, AgentId};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::api::{Authed, bearer, json_body, path_id, require_json};
use crate::db::{Db, with_pool};
use crate::error::ServerError;
use crate::{AppState, now_ms};

/// The prefix of every API key's secret.
pub const KEY_PREFIX: &str = "mk_";
/// The prefix of the agent id an API key acts as (no agent account may have it).
pub const ACTOR_PREFIX: &str = "api:";
/// Longest key name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// `last_used_at` is written again only when it is older than this (ms).
pub const LAST_USED_GRANULARITY_MS: i64 = 60_000;

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    /// List, search and read tickets with their thread and audit history.
    #[serde(rename = "tickets:read")]
    TicketsRead,
    /// Open tickets, reply, add notes, change status, priority, assignee and tags.
    #[serde(rename = "tickets:write")]
    TicketsWrite,
    /// List a customer's tickets.
    #[serde(rename = "customers:read")]
    CustomersRead,
    /// Register, list and remove webhooks; read their deliveries.
    #[serde(rename = "webhooks:manage")]
    WebhooksManage,
}

impl Scope {
    pub const ALL: [Scope; 4] = [
        Scope::TicketsRead,
        Scope::TicketsWrite,
        Scope::CustomersRead,
        Scope::WebhooksManage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::TicketsRead => "tickets:read",
            Scope::TicketsWrite => "tickets:write",
            Scope::CustomersRead => "customers:read",
            Scope::WebhooksManage => "webhooks:manage",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A key as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_by: String,
    pub created_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
    pub last_used_at_ms: Option<i64>,
}

/// The answer that creates a key: the row and, this once, the secret.
#[derive(Debug, Clone, Serialize)]
pub struct CreatedKey {
    #[serde(flatten)]
    pub key: ApiKeyRow,
    pub secret: String,
}

/// An authenticated, unrevoked key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
}

impl ApiKey {
    /// The actor the key's writes are decided as: `Actor::Agent("api:<key id>")`.
    ///
    /// Not `Actor::System`: the core treats the system as the automations (its public messages
    /// do not count as an answer, it may not record privacy requests), while an integration acts
    /// for the staff, so its replies must move the ticket to Answered exactly as a console
    /// agent's do. The key's id (not its name, which need not be unique) names the agent, so the
    /// audit history says which key did what; the `api:` prefix is refused for agent accounts,
    /// so no person can sign in as a key.
    pub fn actor(&self) -> Actor {
        Actor::Agent(AgentId(format!("{ACTOR_PREFIX}{}", self.id)))
    }

    /// Fails with 403 unless the key has `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), ServerError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(ServerError::Forbidden(format!(
                "this API key lacks the scope {}; an admin can create one that has it",
                scope.as_str()
            )))
        }
    }
}

/// A fresh key id: 16 hex digits.
fn new_key_id() -> String {
    format!("{:016x}", crate::rules::random_u64("api-key-id"))
}

/// A fresh secret: `mk_` and 64 hex digits from the operating system's random source.
pub fn new_secret() -> String {
    let t = crate::auth::new_token();
    format!(
        "{KEY_PREFIX}{}",
        t.strip_prefix("mt_").unwrap_or(t.as_str())
    )
}

fn scopes_text(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_scopes(text: &str) -> Vec<Scope> {
    text.split_whitespace().filter_map(Scope::parse).collect()
}

fn key_row<R: Row>(r: &R) -> Result<ApiKeyRow, ServerError>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(ApiKeyRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        scopes: parse_scopes(&r.try_get::<String, _>("scopes")?),
        created_by: r.try_get("created_by")?,
        created_at_ms: r.try_get("created_at")?,
        revoked_at_ms: r.try_get("revoked_at")?,
        last_used_at_ms: r.try_get("last_used_at")?,
    })
}

const KEY_COLUMNS: &str =
    "id, name, scopes, created_by, created_at, revoked_at, last_used_at, secret_hash";

impl Db {
    /// Stores a new key (its secret's hash only).
    pub async fn create_api_key(&self, row: &ApiKeyRow, secret: &str) -> Result<(), ServerError> {
        let _writer = self.writer().await;
        with_pool!(self, p => sqlx::query(
            "INSERT INTO api_keys (id, name, scopes, secret_hash, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&row.id)
        .bind(&row.name)
        .bind(scopes_text(&row.scopes))
        .bind(crate::auth::token_hash(secret))
        .bind(&row.created_by)
        .bind(row.created_at_ms)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Every key, newest first, revoked ones too.
    pub async fn api_keys(&self) -> Result<Vec<ApiKeyRow>, ServerError> {
        let rows = with_pool!(self, p => sqlx::query(&format!(
            "SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at DESC, id"
        ))
        .fetch_all(p)
        .await?
        .iter()
        .map(key_row)
        .collect::<Result<Vec<_>, ServerError>>()?);
        Ok(rows)
    }

    /// Revokes a key; `false` when there is no such key. Revoking twice keeps the first time.
    pub async fn revoke_api_key(&self, id: &str, now_ms: i64) -> Result<bool, ServerError> {
        let _writer = self.writer().await;
        let n = with_pool!(self, p => sqlx::query(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2",
        )
        .bind(now_ms)
        .bind(id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n > 0)
    }

    /// The key whose secret hashes to `secret_hash`, revoked or not.
    pub async fn api_key_by_hash(
        &self,
        secret_hash: &str,
    ) -> Result<Option<ApiKeyRow>, ServerError> {
        let row = with_pool!(self, p => sqlx::query(&format!(
            "SELECT {KEY_COLUMNS} FROM api_keys WHERE secret_hash = $1"
        ))
        .bind(secret_hash)
        .fetch_optional(p)
        .await?
        .map(|r| key_row(&r))
        .transpose()?);
        Ok(row)
    }

    /// Records a use of key `id` at `now_ms`, unless one was recorded less than
    /// [`LAST_USED_GRANULARITY_MS`] before.
    pub async fn touch_api_key(&self, id: &str, now_ms: i64) -> Result<(), ServerError> {
        let _writer = self.writer().await;
        with_pool!(self, p => sqlx::query(
            "UPDATE api_keys SET last_used_at = $1 WHERE id = $2 \
             AND (last_used_at IS NULL OR last_used_at <= $3)",
        )
        .bind(now_ms)
        .bind(id)
        .bind(now_ms - LAST_USED_GRANULARITY_MS)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }
}

/// Authenticates `Authorization: Bearer mk_…`: 401 when missing, unknown or revoked. Records the
/// use and counts it against the per-caller rate limit.
pub async fn authenticate_key(s: &AppState, headers: &HeaderMap) -> Result<ApiKey, ServerError> {
    let token = bearer(headers).ok_or_else(|| {
        ServerError::Unauthorized(
            "send an API key: Authorization: Bearer mk_… (an admin creates one under \
             /v1/admin/api-keys)"
                .into(),
        )
    })?;
    if !token.starts_with(KEY_PREFIX) {
        return Err(ServerError::Unauthorized(
            "this endpoint takes an API key (mk_…), not a session token".into(),
        ));
    }
    let row =
        s.db.api_key_by_hash(&crate::auth::token_hash(&token))
            .await?
            .ok_or_else(|| ServerError::Unauthorized("the API key is unknown".into()))?;
    if row.revoked_at_ms.is_some() {
        return Err(ServerError::Unauthorized(
            "the API key was revoked; ask an admin for a new one".into(),
        ));
    }
    s.limiter.check(&format!("k:{}", row.id))?;
    s.db.touch_api_key(&row.id, now_ms()).await?;
    Ok(ApiKey {
        id: row.id,
        name: row.name,
        scopes: row.scopes,
    })
}

impl FromRequestParts<AppState> for ApiKey {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, ServerError> {
        authenticate_key(s, &parts.headers).await
    }
}

fn require_admin(p: &mostrador_core::sync::Principal) -> Result<(), ServerError> {
    if p.is_admin() {
        Ok(())
    } else {
        Err(ServerError::Forbidden(
            "only admins manage API keys; ask one to do it".into(),
        ))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewKey {
    name: String,
    scopes: Vec<String>,
}

/// `POST /v1/admin/api-keys`: creates a key and answers its secret, this once.
pub async fn create_key(
    State(s): State<AppState>,
    Authed(p, _): Authed,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<CreatedKey>), ServerError> {
    require_admin(&p)?;
    require_json(&headers)?;
    let k: NewKey = json_body(body, s.config.limits.max_body_bytes)?;
    let name = k.name.trim().to_owned();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ServerError::BadRequest(format!(
            "a key's name is 1 to {MAX_NAME_CHARS} characters, without control characters"
        )));
    }
    let mut scopes = Vec::new();
    for raw in &k.scopes {
        let scope = Scope::parse(raw).ok_or_else(|| {
            ServerError::BadRequest(format!(
                "unknown scope {raw:?}; the scopes are {}",
                scopes_text(&Scope::ALL)
            ))
        })?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    if scopes.is_empty() {
        return Err(ServerError::BadRequest(format!(
            "a key needs at least one scope of {}",
            scopes_text(&Scope::ALL)
        )));
    }
    scopes.sort();
    let created_by = match &p {
        mostrador_core::sync::Principal::Agent { id, .. } => id.0.clone(),
        mostrador_core::sync::Principal::Customer { id, .. } => id.0.clone(),
    };
    let key = ApiKeyRow {
        id: new_key_id(),
        name,
        scopes,
        created_by,
        created_at_ms: now_ms(),
        revoked_at_ms: None,
        last_used_at_ms: None,
    };
    let secret = new_secret();
    s.db.create_api_key(&key, &secret).await?;
    eprintln!(
        "mostrador-server: audit: {} created API key {} ({:?}, {})",
        key.created_by,
        key.id,
        key.name,
        scopes_text(&key.scopes)
    );
    Ok((StatusCode::CREATED, Json(CreatedKey { key, secret })))
}

/// `GET /v1/admin/api-keys`: every key, never a secret.
pub async fn list_keys(
    State(s): State<AppState>,
    Authed(p, _): Authed,
) -> Result<Json<Vec<ApiKeyRow>>, ServerError> {
    require_admin(&p)?;
    Ok(Json(s.db.api_keys().await?))
}

/// `DELETE /v1/admin/api-keys/{id}`: revokes a key.
pub async fn revoke_key(
    State(s): State<AppState>,
    Authed(p, _): Authed,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ServerError> {
    require_admin(&p)?;
    let id = path_id(id)?;
    if s.db.revoke_api_key(&id, now_ms()).await? {
        eprintln!("mostrador-server: audit: API key {id:?} revoked");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ServerError::NotFound(format!("there is no API key {id:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_and_secrets_look_like_keys() {
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::json!(s.as_str())
            );
        }
        assert_eq!(Scope::parse("tickets:delete"), None);
        let a = new_secret();
        let b = new_secret();
        assert!(a.starts_with(KEY_PREFIX) && a.len() == KEY_PREFIX.len() + 64);
        assert_ne!(a, b);
        assert_eq!(
            parse_scopes("tickets:read bogus customers:read"),
            vec![Scope::TicketsRead, Scope::CustomersRead]
        );
    }
}
