//! Webhooks: signed HTTP deliveries of what happens to tickets, from a durable queue.
//!
//! Admins (an admin session, or an API key with the `webhooks:manage` scope) register endpoints
//! under `/v1/admin/webhooks` with the [`Kind`]s of events they want; HTTPS only, plain HTTP only
//! to a loopback address (development). Each endpoint gets a secret, shown once.
//!
//! **Queue.** Every stored event of a wanted kind becomes a row of `webhook_deliveries` per
//! endpoint in the same transaction that stores the event (`enqueue!`, called from the write
//! path in [`crate::db`]), so an event is never stored without its deliveries, whoever stored it
//! (a device's push, the system rules, the REST API). A delivery carries the event as the core
//! serializes it; internal notes reach only endpoints that asked for `internal_note`. An
//! erasure deletes the deliveries of the events it redacts (and the ticket's SLA deliveries),
//! delivered or not, so no copy of the personal data stays in the queue or its log.
//!
//! **Delivery.** A background task ([`spawn_deliverer`]; on PostgreSQL one process at a time,
//! through an advisory lock) posts each endpoint's oldest undelivered delivery of each ticket, so
//! a ticket's deliveries arrive in the order its events were stored; a delivery is done only
//! when the endpoint answered 2xx (at least once: receivers deduplicate by the
//! `Mostrador-Delivery` id). A failure is retried with exponential backoff
//! ([`Timing::retry_base`] doubled per attempt, at most [`Timing::retry_max`]); an endpoint that
//! has failed without a success for [`Timing::disable_after`] (a day) is disabled, which the
//! endpoint list shows and the log says. Every attempt updates the delivery log (status, latency,
//! attempts), readable under `/v1/admin/webhooks/{id}/deliveries`, where a delivery can be sent
//! again.
//!
//! **Signature.** `Mostrador-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
//! "<t>.<body>")>` ([`sign`]), like the well-known payment providers': a receiver recomputes it
//! over the raw body and refuses old timestamps.

use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use mostrador_core::event::{Event, Payload};
use mostrador_core::model::{Status, Visibility};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use sqlx::Row;

use crate::api::{Authed, bearer, json_body, path_id, require_json};
use crate::apikeys::{KEY_PREFIX, Scope, authenticate_key};
use crate::db::{Db, with_pool};
use crate::error::ServerError;
use crate::{AppState, now_ms};

/// The PostgreSQL advisory lock the deliverer holds ("mostwh").
pub const DELIVERY_LOCK: i64 = 0x6d6f_7374_7768;
pub const SIGNATURE_HEADER: &str = "Mostrador-Signature";
/// The delivery's id: the same on every attempt, so receivers can ignore repeats.
pub const DELIVERY_HEADER: &str = "Mostrador-Delivery";
/// The delivery's [`Kind`].
pub const KIND_HEADER: &str = "Mostrador-Event";
/// Deliveries read per round at most.
const ROUND_ROWS: i64 = 2000;
/// Attempts in flight at once at most.
const MAX_IN_FLIGHT: usize = 16;
/// Deliveries listed in a log at most.
const LOG_ROWS: i64 = 100;

/// How the deliverer paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// How often it looks for due deliveries.
    pub poll: Duration,
    /// The wait after a first failed attempt; doubled after each further one.
    pub retry_base: Duration,
    /// The longest wait between attempts.
    pub retry_max: Duration,
    /// An endpoint failing this long without a success is disabled.
    pub disable_after: Duration,
    /// How long one attempt may take.
    pub timeout: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            poll: Duration::from_secs(1),
            retry_base: Duration::from_secs(10),
            retry_max: Duration::from_secs(3600),
            disable_after: Duration::from_secs(24 * 3600),
            timeout: Duration::from_secs(10),
        }
    }
}

impl Timing {
    /// The wait before the next attempt after `attempts` failed ones (at least 1).
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(30));
        self.retry_base.saturating_mul(factor).min(self.retry_max)
    }
}

/// What an endpoint may ask to receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    TicketCreated,
    PublicReply,
    InternalNote,
    StatusChanged,
    Assigned,
    RatingReceived,
    SlaBreached,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::TicketCreated,
        Kind::PublicReply,
        Kind::InternalNote,
        Kind::StatusChanged,
        Kind::Assigned,
        Kind::RatingReceived,
        Kind::SlaBreached,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::TicketCreated => "ticket_created",
            Kind::PublicReply => "public_reply",
            Kind::InternalNote => "internal_note",
            Kind::StatusChanged => "status_changed",
            Kind::Assigned => "assigned",
            Kind::RatingReceived => "rating_received",
            Kind::SlaBreached => "sla_breached",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The kind of a stored event, if it is one endpoints can ask for. (`sla_breached` is not an
/// event, since SLA clocks are computed on read: the system rules' sweep queues it, see
/// [`AppState::enqueue_sla_breaches`].)
pub fn kind_of(e: &Event) -> Option<Kind> {
    match &e.payload {
        Payload::TicketOpened(_) => Some(Kind::TicketCreated),
        Payload::MessagePosted { visibility, .. } => Some(match visibility {
            Visibility::Public => Kind::PublicReply,
            Visibility::Internal => Kind::InternalNote,
        }),
        Payload::StatusChanged { .. } => Some(Kind::StatusChanged),
        Payload::Assigned { .. } => Some(Kind::Assigned),
        Payload::Rated(_) => Some(Kind::RatingReceived),
        _ => None,
    }
}

pub fn parse_kinds(text: &str) -> Vec<Kind> {
    text.split_whitespace().filter_map(Kind::parse).collect()
}

fn kinds_text(kinds: &[Kind]) -> String {
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An enabled endpoint, as the write path needs it.
#[derive(Debug, Clone)]
pub struct Hook {
    pub id: String,
    pub kinds: Vec<Kind>,
}

/// A fresh delivery id (the idempotency id).
pub fn new_delivery_id() -> String {
    format!(
        "whd_{:016x}{:016x}",
        crate::rules::random_u64("delivery-a"),
        crate::rules::random_u64("delivery-b")
    )
}

/// What a delivery posts: its id, kind, time, ticket and the event as the core serializes it.
pub fn payload(id: &str, kind: Kind, e: &Event, now_ms: i64) -> Result<String, ServerError> {
    let at = chrono::DateTime::from_timestamp_millis(now_ms).unwrap_or_default();
    serde_json::to_string(&serde_json::json!({
        "id": id,
        "kind": kind,
        "created_at": at,
        "ticket": e.ticket,
        "event": e,
    }))
    .map_err(|e| ServerError::Internal(e.to_string()))
}

/// Queues, through `$conn` (the transaction storing event `$event` at sequence `$seq`), one
/// delivery per enabled endpoint that wants the event's kind. `$hooks` (an
/// `Option<Vec<Hook>>`) caches the endpoints for the rest of the transaction.
macro_rules! enqueue {
    ($conn:expr, $hooks:ident, $event:expr, $seq:expr, $now:expr) => {
        if let Some(kind) = crate::webhooks::kind_of($event) {
            if $hooks.is_none() {
                let rows = sqlx::query("SELECT id, kinds FROM webhooks WHERE disabled_at IS NULL")
                    .fetch_all(&mut *$conn)
                    .await?;
                let mut found = Vec::with_capacity(rows.len());
                for r in rows {
                    found.push(crate::webhooks::Hook {
                        id: r.try_get(0)?,
                        kinds: crate::webhooks::parse_kinds(&r.try_get::<String, _>(1)?),
                    });
                }
                $hooks = Some(found);
            }
            for h in $hooks.iter().flatten().filter(|h| h.kinds.contains(&kind)) {
                let id = crate::webhooks::new_delivery_id();
                let body = crate::webhooks::payload(&id, kind, $event, $now)?;
                sqlx::query(
                    "INSERT INTO webhook_deliveries \
                     (id, webhook, ticket, seq, kind, body, created_at, next_attempt_at, event) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
                )
                .bind(&id)
                .bind(&h.id)
                .bind(&$event.ticket.0)
                .bind(to_i64($seq))
                .bind(kind.as_str())
                .bind(&body)
                .bind($now)
                .bind(&$event.id.0)
                .execute(&mut *$conn)
                .await?;
            }
        }
    };
}
pub(crate) use enqueue;

/// The signature header's value for `body` at `t` (Unix seconds).
pub fn sign(secret: &str, t: i64, body: &str) -> String {
    let mut m =
        <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!());
    m.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", crate::auth::hex(&m.finalize().into_bytes()))
}

/// Whether `url` may be an endpoint: HTTPS, or HTTP to a loopback address.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.len() > 2000 {
        return Err("the URL is longer than 2000 characters".into());
    }
    let u = reqwest::Url::parse(url).map_err(|e| format!("{url:?} is not a URL: {e}"))?;
    let host = u
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| format!("{url:?} names no host"))?;
    match u.scheme() {
        "https" => Ok(()),
        "http" => {
            let loopback = host.eq_ignore_ascii_case("localhost")
                || host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|a| a.is_loopback());
            if loopback {
                Ok(())
            } else {
                Err("plain http is only for loopback addresses (development); use https".into())
            }
        }
        other => Err(format!(
            "{other}: endpoints are https (or http to loopback)"
        )),
    }
}

// ---- storage ----

/// An endpoint as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookRow {
    pub id: String,
    pub url: String,
    pub kinds: Vec<Kind>,
    pub created_by: String,
    pub created_at_ms: i64,
    /// Failing without a success since then.
    pub failing_since_ms: Option<i64>,
    /// Disabled then (failing for a day); it receives nothing until enabled again.
    pub disabled_at_ms: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookRow,
    pub secret: String,
}

/// One delivery in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryRow {
    pub id: String,
    pub ticket: String,
    pub kind: String,
    pub created_at_ms: i64,
    pub attempts: i64,
    pub next_attempt_at_ms: i64,
    pub delivered_at_ms: Option<i64>,
    pub last_status: Option<i64>,
    pub last_latency_ms: Option<i64>,
    pub last_error: Option<String>,
}

/// A due delivery with what sending it needs.
#[derive(Debug, Clone)]
struct Due {
    id: String,
    webhook: String,
    ticket: String,
    kind: String,
    body: String,
    attempts: i64,
    next_attempt_at: i64,
    url: String,
    secret: String,
}

/// How an attempt went.
#[derive(Debug, Clone)]
struct Attempt {
    status: Option<i64>,
    latency_ms: i64,
    error: Option<String>,
}

impl Attempt {
    fn ok(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

const HOOK_COLUMNS: &str = "id, url, kinds, created_by, created_at, failing_since, disabled_at";
const DELIVERY_COLUMNS: &str = "id, ticket, kind, created_at, attempts, next_attempt_at, \
     delivered_at, last_status, last_latency_ms, last_error";

fn hook_row<R: Row>(r: &R) -> Result<WebhookRow, ServerError>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(WebhookRow {
        id: r.try_get("id")?,
        url: r.try_get("url")?,
        kinds: parse_kinds(&r.try_get::<String, _>("kinds")?),
        created_by: r.try_get("created_by")?,
        created_at_ms: r.try_get("created_at")?,
        failing_since_ms: r.try_get("failing_since")?,
        disabled_at_ms: r.try_get("disabled_at")?,
    })
}

fn delivery_row<R: Row>(r: &R) -> Result<DeliveryRow, ServerError>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(DeliveryRow {
        id: r.try_get("id")?,
        ticket: r.try_get("ticket")?,
        kind: r.try_get("kind")?,
        created_at_ms: r.try_get("created_at")?,
        attempts: r.try_get("attempts")?,
        next_attempt_at_ms: r.try_get("next_attempt_at")?,
        delivered_at_ms: r.try_get("delivered_at")?,
        last_status: r.try_get("last_status")?,
        last_latency_ms: r.try_get("last_latency_ms")?,
        last_error: r.try_get("last_error")?,
    })
}

impl Db {
    pub async fn create_webhook(&self, row: &WebhookRow, secret: &str) -> Result<(), ServerError> {
        let _writer = self.writer().await;
        with_pool!(self, p => sqlx::query(
            "INSERT INTO webhooks (id, url, kinds, secret, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&row.id)
        .bind(&row.url)
        .bind(kinds_text(&row.kinds))
        .bind(secret)
        .bind(&row.created_by)
        .bind(row.created_at_ms)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn webhooks(&self) -> Result<Vec<WebhookRow>, ServerError> {
        let rows = with_pool!(self, p => sqlx::query(&format!(
            "SELECT {HOOK_COLUMNS} FROM webhooks ORDER BY created_at, id"
        ))
        .fetch_all(p)
        .await?
        .iter()
        .map(hook_row)
        .collect::<Result<Vec<_>, ServerError>>()?);
        Ok(rows)
    }

    pub async fn webhook(&self, id: &str) -> Result<Option<WebhookRow>, ServerError> {
        let row = with_pool!(self, p => sqlx::query(&format!(
            "SELECT {HOOK_COLUMNS} FROM webhooks WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?
        .map(|r| hook_row(&r))
        .transpose()?);
        Ok(row)
    }

    /// Removes an endpoint and its deliveries; `false` when there is none.
    pub async fn delete_webhook(&self, id: &str) -> Result<bool, ServerError> {
        let _writer = self.writer().await;
        let n = with_pool!(self, p => {
            let mut tx = p.begin_with(self.begin_write()).await?;
            sqlx::query("DELETE FROM webhook_deliveries WHERE webhook = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let n = sqlx::query("DELETE FROM webhooks WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            n
        });
        Ok(n > 0)
    }

    /// Enables an endpoint again (its failure clock restarts); `false` when there is none.
    pub async fn enable_webhook(&self, id: &str) -> Result<bool, ServerError> {
        let _writer = self.writer().await;
        let n = with_pool!(self, p => sqlx::query(
            "UPDATE webhooks SET disabled_at = NULL, failing_since = NULL WHERE id = $1",
        )
        .bind(id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n > 0)
    }

    /// An endpoint's latest deliveries, newest first.
    pub async fn deliveries(&self, webhook: &str) -> Result<Vec<DeliveryRow>, ServerError> {
        let rows = with_pool!(self, p => sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook = $1 \
             ORDER BY created_at DESC, seq DESC, id LIMIT $2"
        ))
        .bind(webhook)
        .bind(LOG_ROWS)
        .fetch_all(p)
        .await?
        .iter()
        .map(delivery_row)
        .collect::<Result<Vec<_>, ServerError>>()?);
        Ok(rows)
    }

    /// Queues a delivery again, due now; `false` when the endpoint has no such delivery.
    pub async fn resend_delivery(
        &self,
        webhook: &str,
        delivery: &str,
        now_ms: i64,
    ) -> Result<bool, ServerError> {
        let _writer = self.writer().await;
        let n = with_pool!(self, p => sqlx::query(
            "UPDATE webhook_deliveries SET delivered_at = NULL, next_attempt_at = $1 \
             WHERE id = $2 AND webhook = $3",
        )
        .bind(now_ms)
        .bind(delivery)
        .bind(webhook)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n > 0)
    }

    /// Queues a delivery unless one of that id exists, after the ticket's stored events.
    /// Returns whether it was queued.
    pub async fn enqueue_once(
        &self,
        id: &str,
        webhook: &str,
        ticket: &str,
        kind: Kind,
        body: &str,
        now_ms: i64,
    ) -> Result<bool, ServerError> {
        let _writer = self.writer().await;
        let n = with_pool!(self, p => sqlx::query(
            "INSERT INTO webhook_deliveries \
             (id, webhook, ticket, seq, kind, body, created_at, next_attempt_at) \
             SELECT $1, $2, $3, COALESCE(MAX(seq), 0), $4, $5, $6, $6 FROM events \
             WHERE ticket = $3 ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(webhook)
        .bind(ticket)
        .bind(kind.as_str())
        .bind(body)
        .bind(now_ms)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n > 0)
    }

    /// The undelivered deliveries of enabled endpoints, by endpoint, ticket and sequence.
    async fn pending_deliveries(&self) -> Result<Vec<Due>, ServerError> {
        let rows = with_pool!(self, p => sqlx::query(
            "SELECT d.id, d.webhook, d.ticket, d.kind, d.body, d.attempts, d.next_attempt_at, \
             w.url, w.secret FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook \
             WHERE d.delivered_at IS NULL AND w.disabled_at IS NULL \
             ORDER BY d.webhook, d.ticket, d.seq, d.id LIMIT $1",
        )
        .bind(ROUND_ROWS)
        .fetch_all(p)
        .await?
        .iter()
        .map(|r| Ok::<_, sqlx::Error>(Due {
            id: r.try_get(0)?,
            webhook: r.try_get(1)?,
            ticket: r.try_get(2)?,
            kind: r.try_get(3)?,
            body: r.try_get(4)?,
            attempts: r.try_get(5)?,
            next_attempt_at: r.try_get(6)?,
            url: r.try_get(7)?,
            secret: r.try_get(8)?,
        }))
        .collect::<Result<Vec<_>, _>>()?);
        Ok(rows)
    }

    /// Records an attempt in the log; on failure schedules the next one and disables the
    /// endpoint once it has failed for `timing.disable_after`. Returns whether it disabled it.
    async fn record_attempt(
        &self,
        d: &Due,
        a: &Attempt,
        now_ms: i64,
        timing: &Timing,
    ) -> Result<bool, ServerError> {
        let _writer = self.writer().await;
        let disabled = with_pool!(self, p => {
            let mut tx = p.begin_with(self.begin_write()).await?;
            let mut disabled = false;
            if a.ok() {
                sqlx::query(
                    "UPDATE webhook_deliveries SET attempts = attempts + 1, delivered_at = $1, \
                     last_status = $2, last_latency_ms = $3, last_error = NULL WHERE id = $4",
                )
                .bind(now_ms)
                .bind(a.status)
                .bind(a.latency_ms)
                .bind(&d.id)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE webhooks SET failing_since = NULL WHERE id = $1")
                    .bind(&d.webhook)
                    .execute(&mut *tx)
                    .await?;
            } else {
                let attempts = u32::try_from(d.attempts.saturating_add(1)).unwrap_or(u32::MAX);
                let wait = i64::try_from(timing.backoff(attempts).as_millis()).unwrap_or(i64::MAX);
                sqlx::query(
                    "UPDATE webhook_deliveries SET attempts = attempts + 1, \
                     next_attempt_at = $1, last_status = $2, last_latency_ms = $3, \
                     last_error = $4 WHERE id = $5",
                )
                .bind(now_ms.saturating_add(wait))
                .bind(a.status)
                .bind(a.latency_ms)
                .bind(&a.error)
                .bind(&d.id)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE webhooks SET failing_since = COALESCE(failing_since, $1) WHERE id = $2",
                )
                .bind(now_ms)
                .bind(&d.webhook)
                .execute(&mut *tx)
                .await?;
                let limit = i64::try_from(timing.disable_after.as_millis()).unwrap_or(i64::MAX);
                disabled = sqlx::query(
                    "UPDATE webhooks SET disabled_at = $1 WHERE id = $2 \
                     AND disabled_at IS NULL AND failing_since <= $3",
                )
                .bind(now_ms)
                .bind(&d.webhook)
                .bind(now_ms.saturating_sub(limit))
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    > 0;
            }
            tx.commit().await?;
            disabled
        });
        Ok(disabled)
    }
}

// ---- delivery ----

/// Posts one delivery.
async fn send(http: &reqwest::Client, d: &Due) -> Attempt {
    let started = std::time::Instant::now();
    let signature = sign(&d.secret, now_ms() / 1000, &d.body);
    let res = http
        .post(&d.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature)
        .header(DELIVERY_HEADER, &d.id)
        .header(KIND_HEADER, &d.kind)
        .body(d.body.clone())
        .send()
        .await;
    let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match res {
        Ok(r) => {
            let status = i64::from(r.status().as_u16());
            // The body is not read beyond what arrived: receivers only acknowledge.
            drop(r);
            Attempt {
                status: Some(status),
                latency_ms,
                error: (!(200..300).contains(&status))
                    .then(|| format!("the endpoint answered {status}")),
            }
        }
        Err(e) => Attempt {
            status: None,
            latency_ms,
            error: Some(e.to_string()),
        },
    }
}

impl AppState {
    /// One delivery round: posts each endpoint's oldest undelivered delivery of each ticket
    /// when it is due, all at once, and records the attempts. Returns how many were attempted.
    pub async fn deliver_webhooks(&self, http: &reqwest::Client) -> Result<usize, ServerError> {
        let timing = self.config.webhooks;
        let round = async {
            let now = now_ms();
            let mut heads: Vec<Due> = Vec::new();
            for d in self.db.pending_deliveries().await? {
                let first_of_ticket = heads
                    .last()
                    .is_none_or(|h| (&h.webhook, &h.ticket) != (&d.webhook, &d.ticket));
                if first_of_ticket {
                    heads.push(d);
                }
            }
            heads.retain(|d| d.next_attempt_at <= now);
            // Different tickets' deliveries go in parallel, a bounded number at once.
            let mut attempts: Vec<Attempt> = Vec::with_capacity(heads.len());
            for chunk in heads.chunks(MAX_IN_FLIGHT) {
                attempts
                    .extend(futures::future::join_all(chunk.iter().map(|d| send(http, d))).await);
            }
            let now = now_ms();
            for (d, a) in heads.iter().zip(&attempts) {
                if self.db.record_attempt(d, a, now, &timing).await? {
                    eprintln!(
                        "mostrador-server: webhook {} disabled: failing for {} s (last: {})",
                        d.webhook,
                        timing.disable_after.as_secs(),
                        a.error.as_deref().unwrap_or("?")
                    );
                }
            }
            Ok::<_, ServerError>(heads.len())
        };
        Ok(self
            .db
            .exclusively(DELIVERY_LOCK, round)
            .await?
            .transpose()?
            .unwrap_or(0))
    }
}

impl AppState {
    /// Queues an `sla_breached` delivery for each active ticket whose SLA clock has breached,
    /// once per endpoint, ticket and breach (the delivery id is derived from them, so a later
    /// sweep queues nothing new), after the ticket's deliveries so far. Run by the system rules'
    /// sweep. Returns how many were queued.
    pub async fn enqueue_sla_breaches(&self) -> Result<usize, ServerError> {
        let hooks: Vec<String> = self
            .db
            .webhooks()
            .await?
            .into_iter()
            .filter(|w| w.disabled_at_ms.is_none() && w.kinds.contains(&Kind::SlaBreached))
            .map(|w| w.id)
            .collect();
        if hooks.is_empty() {
            return Ok(0);
        }
        let settings = self.settings().await?;
        let now = chrono::Utc::now();
        let mut queued = 0;
        for (id, t) in self.db.ticket_states_in(&Status::ACTIVE).await? {
            let Some(t) = t.filter(|t| t.opened && t.status.is_active()) else {
                continue;
            };
            // The snapshot has no thread, so it can only look more breached than the ticket is:
            // a breach it shows is confirmed on the whole ticket.
            let snapshot = mostrador_core::store::TicketSummary::of(
                &t,
                &settings,
                &mostrador_core::zone::TzDatabase,
                now,
            );
            if snapshot.sla_breached_at.is_none() {
                continue;
            }
            let Some(full) = mostrador_core::apply::fold(&self.db.ticket_events(&id).await?) else {
                continue;
            };
            let summary = mostrador_core::store::TicketSummary::of(
                &full,
                &settings,
                &mostrador_core::zone::TzDatabase,
                now,
            );
            let Some(at) = summary.sla_breached_at else {
                continue;
            };
            for hook in &hooks {
                let digest = <Sha256 as sha2::Digest>::digest(
                    format!("{hook}|{id}|{}", at.timestamp_millis()).as_bytes(),
                );
                let delivery = format!("whd_sla_{}", &crate::auth::hex(&digest)[..32]);
                let at_now = now_ms();
                let body = serde_json::to_string(&serde_json::json!({
                    "id": delivery,
                    "kind": Kind::SlaBreached,
                    "created_at": chrono::DateTime::from_timestamp_millis(at_now)
                        .unwrap_or_default(),
                    "ticket": id,
                    "sla": { "breached_at": at, "ticket": summary },
                }))
                .map_err(|e| ServerError::Internal(e.to_string()))?;
                if self
                    .db
                    .enqueue_once(&delivery, hook, &id, Kind::SlaBreached, &body, at_now)
                    .await?
                {
                    queued += 1;
                }
            }
        }
        Ok(queued)
    }
}

/// The HTTP client deliveries go out with: no redirects followed (an endpoint is the URL
/// registered), the attempt timeout.
pub fn client(timing: &Timing) -> Result<reqwest::Client, ServerError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timing.timeout)
        .user_agent("mostrador-webhooks/1")
        .build()
        .map_err(|e| ServerError::Internal(format!("cannot build the webhook client: {e}")))
}

/// Starts the delivery task: a round every [`Timing::poll`] until aborted.
pub fn spawn_deliverer(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let http = match client(&state.config.webhooks) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("mostrador-server: webhooks: {e}");
                return;
            }
        };
        let mut tick = tokio::time::interval(state.config.webhooks.poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = state.deliver_webhooks(&http).await {
                eprintln!("mostrador-server: webhooks: {e}");
            }
        }
    })
}

// ---- admin endpoints ----

/// Who manages webhooks: an admin session, or an API key with `webhooks:manage`.
#[derive(Debug)]
pub struct Manager(pub String);

impl FromRequestParts<AppState> for Manager {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, ServerError> {
        if bearer(&parts.headers).is_some_and(|t| t.starts_with(KEY_PREFIX)) {
            let key = authenticate_key(s, &parts.headers).await?;
            key.require(Scope::WebhooksManage)?;
            return Ok(Manager(format!(
                "{}{}",
                crate::apikeys::ACTOR_PREFIX,
                key.id
            )));
        }
        let Authed(p, _) = Authed::from_request_parts(parts, s).await?;
        match p {
            mostrador_core::sync::Principal::Agent { id, admin: true } => Ok(Manager(id.0)),
            _ => Err(ServerError::Forbidden(
                "only admins (or API keys with webhooks:manage) manage webhooks".into(),
            )),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewWebhook {
    url: String,
    kinds: Vec<String>,
}

/// `POST /v1/admin/webhooks`: registers an endpoint and answers its secret, this once.
pub async fn create_webhook(
    State(s): State<AppState>,
    Manager(who): Manager,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<CreatedWebhook>), ServerError> {
    require_json(&headers)?;
    let n: NewWebhook = json_body(body, s.config.limits.max_body_bytes)?;
    check_url(&n.url).map_err(ServerError::BadRequest)?;
    let mut kinds = Vec::new();
    for raw in &n.kinds {
        let k = Kind::parse(raw).ok_or_else(|| {
            ServerError::BadRequest(format!(
                "unknown event kind {raw:?}; the kinds are {}",
                kinds_text(&Kind::ALL)
            ))
        })?;
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    if kinds.is_empty() {
        return Err(ServerError::BadRequest(format!(
            "choose at least one event kind of {}",
            kinds_text(&Kind::ALL)
        )));
    }
    kinds.sort();
    let webhook = WebhookRow {
        id: format!("wh_{:016x}", crate::rules::random_u64("webhook-id")),
        url: n.url,
        kinds,
        created_by: who,
        created_at_ms: now_ms(),
        failing_since_ms: None,
        disabled_at_ms: None,
    };
    let secret = format!(
        "whsec_{}",
        crate::auth::new_token().trim_start_matches("mt_")
    );
    s.db.create_webhook(&webhook, &secret).await?;
    eprintln!(
        "mostrador-server: audit: {} registered webhook {} to {}",
        webhook.created_by, webhook.id, webhook.url
    );
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhook { webhook, secret }),
    ))
}

/// `GET /v1/admin/webhooks`: every endpoint, never a secret.
pub async fn list_webhooks(
    State(s): State<AppState>,
    _m: Manager,
) -> Result<Json<Vec<WebhookRow>>, ServerError> {
    Ok(Json(s.db.webhooks().await?))
}

/// `DELETE /v1/admin/webhooks/{id}`.
pub async fn delete_webhook(
    State(s): State<AppState>,
    _m: Manager,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ServerError> {
    let id = path_id(id)?;
    if s.db.delete_webhook(&id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ServerError::NotFound(format!("there is no webhook {id:?}")))
    }
}

/// `POST /v1/admin/webhooks/{id}/enable`: a disabled endpoint receives again.
pub async fn enable_webhook(
    State(s): State<AppState>,
    _m: Manager,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ServerError> {
    let id = path_id(id)?;
    if s.db.enable_webhook(&id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ServerError::NotFound(format!("there is no webhook {id:?}")))
    }
}

/// `GET /v1/admin/webhooks/{id}/deliveries`: the latest deliveries, newest first.
pub async fn list_deliveries(
    State(s): State<AppState>,
    _m: Manager,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<DeliveryRow>>, ServerError> {
    let id = path_id(id)?;
    if s.db.webhook(&id).await?.is_none() {
        return Err(ServerError::NotFound(format!("there is no webhook {id:?}")));
    }
    Ok(Json(s.db.deliveries(&id).await?))
}

/// `POST /v1/admin/webhooks/{id}/deliveries/{delivery}/resend`: sends a delivery again (same
/// id), before the ticket's later ones.
pub async fn resend_delivery(
    State(s): State<AppState>,
    _m: Manager,
    ids: Result<Path<(String, String)>, PathRejection>,
) -> Result<StatusCode, ServerError> {
    let Path((id, delivery)) = ids.map_err(|e| {
        ServerError::BadRequest(format!("the path is not valid: {}", e.body_text()))
    })?;
    if s.db.resend_delivery(&id, &delivery, now_ms()).await? {
        Ok(StatusCode::ACCEPTED)
    } else {
        Err(ServerError::NotFound(format!(
            "webhook {id:?} has no delivery {delivery:?}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_backoff_and_signatures() {
        assert!(check_url("https://crm.example/hooks").is_ok());
        assert!(check_url("http://127.0.0.1:9000/h").is_ok());
        assert!(check_url("http://localhost/h").is_ok());
        assert!(check_url("http://[::1]:8000/h").is_ok());
        assert!(check_url("http://crm.example/hooks").is_err());
        assert!(check_url("http://10.0.0.1/h").is_err());
        assert!(check_url("ftp://crm.example/").is_err());
        assert!(check_url("not a url").is_err());
        let t = Timing {
            retry_base: Duration::from_secs(10),
            retry_max: Duration::from_secs(60),
            ..Timing::default()
        };
        assert_eq!(t.backoff(1), Duration::from_secs(10));
        assert_eq!(t.backoff(2), Duration::from_secs(20));
        assert_eq!(t.backoff(3), Duration::from_secs(40));
        assert_eq!(t.backoff(4), Duration::from_secs(60));
        assert_eq!(t.backoff(400), Duration::from_secs(60));
        // Known answer: HMAC-SHA256("whsec_test", "1700000000.{}").
        let s = sign("whsec_test", 1_700_000_000, "{}");
        assert!(s.starts_with("t=1700000000,v1="));
        assert_eq!(s.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(s, sign("whsec_other", 1_700_000_000, "{}"));
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
    }
}
