//! The launcher's unread count: how many answers from agents a customer has not looked at.
//!
//! The widget's loader asks `GET /v1/unread?since=MS` on a returning visitor's page, before (and
//! without) loading the app, and shows the count on the launcher. `since` is when the visitor
//! last had the widget open, in the server's clock (the answer's `now_ms` lets the loader keep
//! it so). Which events count is the core's rule ([`is_reply_to_customer`]); which tickets the
//! customer may see is the same access table the pull uses.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use mostrador_core::event::Event;
use mostrador_core::notify::is_reply_to_customer;
use mostrador_core::sync::Principal;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::api::{Authed, require_protocol_header};
use crate::db::{Db, with_pool};
use crate::error::ServerError;
use crate::{AppState, now_ms};

/// The most recent events one answer reads; a count above it shows as this many.
const MAX_ROWS: i64 = 1000;

#[derive(Debug, Deserialize)]
pub struct UnreadQuery {
    since: i64,
}

/// The answer of `GET /v1/unread`.
#[derive(Debug, Serialize)]
pub struct Unread {
    /// Agents' public answers stored after `since` on the customer's tickets.
    pub unread: u32,
    /// Those tickets, oldest answer first.
    pub tickets: Vec<String>,
    /// The server's clock, for the next `since`.
    pub now_ms: i64,
}

pub async fn unread(
    State(s): State<AppState>,
    headers: HeaderMap,
    Authed(principal, _): Authed,
    q: Result<Query<UnreadQuery>, QueryRejection>,
) -> Result<Json<Unread>, ServerError> {
    require_protocol_header(&headers)?;
    let Query(q) = q.map_err(|e| {
        ServerError::BadRequest(format!(
            "since must be milliseconds since 1970: {}",
            e.body_text()
        ))
    })?;
    let Principal::Customer { id, .. } = principal else {
        return Err(ServerError::Forbidden(
            "only customers have an unread count; agents see theirs in the inbox".into(),
        ));
    };
    let now = now_ms();
    let mut out = Unread {
        unread: 0,
        tickets: Vec::new(),
        now_ms: now,
    };
    for event in s.db.customer_events_since(&id.0, q.since.max(0)).await? {
        if is_reply_to_customer(&event) {
            out.unread += 1;
            if !out.tickets.contains(&event.ticket.0) {
                out.tickets.push(event.ticket.0.clone());
            }
        }
    }
    Ok(Json(out))
}

impl Db {
    /// The events stored after `since_ms` on the tickets customer `id` may see, oldest first
    /// (at most [`MAX_ROWS`]).
    async fn customer_events_since(
        &self,
        id: &str,
        since_ms: i64,
    ) -> Result<Vec<Event>, ServerError> {
        let bodies: Vec<String> = with_pool!(self, p => {
            sqlx::query(
                "SELECT e.body FROM ticket_access a \
                 JOIN events e ON e.ticket = a.ticket AND e.seq >= a.from_seq \
                 AND (a.to_seq IS NULL OR e.seq <= a.to_seq) \
                 WHERE a.customer = $1 AND e.stored_at > $2 \
                 ORDER BY e.seq DESC LIMIT $3",
            )
            .bind(id)
            .bind(since_ms)
            .bind(MAX_ROWS)
            .fetch_all(p)
            .await?
            .into_iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<Vec<_>, sqlx::Error>>()?
        });
        let mut events = Vec::with_capacity(bodies.len());
        for body in bodies.iter().rev() {
            // An unreadable row is a server fault, not the visitor's: skip it, count the rest.
            if let Ok(e) = serde_json::from_str::<Event>(body) {
                events.push(e);
            }
        }
        Ok(events)
    }
}
