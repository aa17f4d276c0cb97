//! The REST API for integrations, under `/v1/api/…`, authenticated by API keys
//! ([`crate::apikeys`]) and documented in `docs/openapi.yaml`.
//!
//! Reads fold the stored events with the core (the same ticket, thread, list row and audit
//! history the console shows). Writes are core commands decided by [`decide`] as the key's actor
//! ([`ApiKey::actor`]) against the ticket's current state, inside the write transaction, through
//! the same path as the system rules ([`Db::write_system`]): the same rules, audit history, sync
//! and visibility spans apply, and the system rules run on the ticket afterwards (a ticket opened
//! here is routed at once). Errors are the server's one JSON shape,
//! `{"error": code, "message": text}`.
//!
//! [`decide`]: mostrador_core::decide::decide

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use mostrador_core::apply::fold;
use mostrador_core::audit::{AuditEntry, audit_trail};
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::config::Settings;
use mostrador_core::ctx::{Ctx, SplitMix64};
use mostrador_core::decide::decide_sequence;
use mostrador_core::error::DomainError;
use mostrador_core::event::Event;
use mostrador_core::model::{
    AgentId, Channel, CustomerId, Impact, Priority, Requester, Status, TeamId, TicketId,
    TicketType, Timestamp, Urgency,
};
use mostrador_core::store::{AssigneeFilter, TicketSummary, ViewFilter};
use mostrador_core::sync::PushResult;
use mostrador_core::ticket::{Message, Ticket};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::api::{json_body, path_id, percent_decode, require_json};
use crate::apikeys::{ApiKey, Scope};
use crate::db::{Db, with_pool};
use crate::error::ServerError;
use crate::{AppState, now_ms};

/// Default and largest page of a ticket list.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 200;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/api/tickets", get(list_tickets).post(create_ticket))
        .route("/v1/api/tickets/{id}", get(get_ticket).patch(update_ticket))
        .route("/v1/api/tickets/{id}/replies", post(add_reply))
        .route("/v1/api/tickets/{id}/notes", post(add_note))
        .route("/v1/api/customers/{id}/tickets", get(customer_tickets))
}

/// A page of list rows and the cursor of the next page (`None`: this was the last).
#[derive(Debug, Serialize)]
pub struct TicketList {
    pub tickets: Vec<TicketSummary>,
    pub next_cursor: Option<String>,
}

/// One ticket: its list row, what it asks, its thread and its audit history.
#[derive(Debug, Serialize)]
pub struct TicketDetail {
    pub ticket: TicketSummary,
    pub description: String,
    pub requester: Requester,
    pub custom_fields: std::collections::BTreeMap<String, mostrador_core::model::FieldValue>,
    pub thread: Vec<Message>,
    pub audit: Vec<AuditEntry>,
}

/// What a write stored: the events' ids, and the ticket as it is now (after the system rules).
#[derive(Debug, Serialize)]
pub struct WriteResult {
    pub ticket: TicketSummary,
    pub events: Vec<String>,
}

/// Ticket ids are 1 to 64 of A-Z a-z 0-9 - _ (the workspace's reserved rows are not).
fn valid_ticket_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Db {
    /// One ticket's stored events in sequence order (none for an unknown id).
    pub async fn ticket_events(&self, ticket: &str) -> Result<Vec<Event>, ServerError> {
        if !valid_ticket_id(ticket) {
            return Ok(Vec::new());
        }
        let bodies: Vec<String> = with_pool!(self, p => sqlx::query(
            "SELECT body FROM events WHERE ticket = $1 ORDER BY seq",
        )
        .bind(ticket)
        .fetch_all(p)
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<_, _>>()?);
        bodies
            .iter()
            .map(|b| serde_json::from_str(b).map_err(|e| ServerError::Internal(e.to_string())))
            .collect()
    }
}

/// The folded ticket with its whole thread, or 404.
async fn full_ticket(s: &AppState, id: &str) -> Result<(Ticket, Vec<Event>), ServerError> {
    let events = s.db.ticket_events(id).await?;
    match fold(&events) {
        Some(t) if t.opened => Ok((t, events)),
        _ => Err(ServerError::NotFound(format!("there is no ticket {id:?}"))),
    }
}

fn now() -> Timestamp {
    chrono::Utc::now()
}

// ---- list and search ----

/// A list request: the core's view filter, the time ranges, the page.
#[derive(Debug, Default)]
struct ListQuery {
    filter: ViewFilter,
    created_after: Option<Timestamp>,
    created_before: Option<Timestamp>,
    updated_after: Option<Timestamp>,
    updated_before: Option<Timestamp>,
    limit: usize,
    /// The last row of the previous page: (updated_at in µs, ticket id).
    cursor: Option<(i64, String)>,
}

/// A value of one of the core's snake_case enums.
fn parse_enum<T: serde::de::DeserializeOwned>(name: &str, v: &str) -> Result<T, ServerError> {
    serde_json::from_value(serde_json::Value::String(v.to_owned()))
        .map_err(|_| ServerError::BadRequest(format!("{name}={v:?} is not a valid value")))
}

fn parse_time(name: &str, v: &str) -> Result<Timestamp, ServerError> {
    chrono::DateTime::parse_from_rfc3339(v)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| {
            ServerError::BadRequest(format!(
                "{name}={v:?} is not an RFC 3339 time (like 2025-01-31T12:00:00Z)"
            ))
        })
}

fn cursor_of(t: &TicketSummary) -> String {
    format!("{}.{}", t.updated_at.timestamp_micros(), t.id.0)
}

fn parse_list_query(raw: Option<&str>) -> Result<ListQuery, ServerError> {
    let mut q = ListQuery {
        limit: DEFAULT_LIMIT,
        ..ListQuery::default()
    };
    for kv in raw
        .unwrap_or_default()
        .split('&')
        .filter(|kv| !kv.is_empty())
    {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        let v = percent_decode(v).ok_or_else(|| {
            ServerError::BadRequest(format!("the query value of {k} is not percent-encoded"))
        })?;
        let list = || v.split(',').map(str::trim).filter(|x| !x.is_empty());
        match k {
            "status" => {
                for x in list() {
                    q.filter.statuses.push(parse_enum::<Status>(k, x)?);
                }
            }
            "priority" => {
                for x in list() {
                    q.filter.priorities.push(parse_enum::<Priority>(k, x)?);
                }
            }
            "assignee" => {
                q.filter.assignee = match v.as_str() {
                    "" => AssigneeFilter::Anyone,
                    "none" => AssigneeFilter::Unassigned,
                    a => AssigneeFilter::Agent(AgentId(a.to_owned())),
                }
            }
            "team" => q.filter.team = Some(TeamId(v.clone())).filter(|t| !t.0.is_empty()),
            "customer" => {
                q.filter.customer = Some(CustomerId(v.clone())).filter(|c| !c.0.is_empty());
            }
            "tag" => q.filter.tags.extend(list().map(str::to_owned)),
            "q" => q.filter.text = Some(v.clone()).filter(|t| !t.trim().is_empty()),
            "created_after" => q.created_after = Some(parse_time(k, &v)?),
            "created_before" => q.created_before = Some(parse_time(k, &v)?),
            "updated_after" => q.updated_after = Some(parse_time(k, &v)?),
            "updated_before" => q.updated_before = Some(parse_time(k, &v)?),
            "limit" => {
                q.limit = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        ServerError::BadRequest(format!("limit is a number from 1 to {MAX_LIMIT}"))
                    })?;
            }
            "cursor" => {
                let bad = || {
                    ServerError::BadRequest(
                        "the cursor is not one this API gave (next_cursor of a list)".into(),
                    )
                };
                let (ts, id) = v.split_once('.').ok_or_else(bad)?;
                let ts = ts.parse::<i64>().map_err(|_| bad())?;
                if !valid_ticket_id(id) {
                    return Err(bad());
                }
                q.cursor = Some((ts, id.to_owned()));
            }
            other => {
                return Err(ServerError::BadRequest(format!(
                    "unknown query parameter {other:?}; see docs/openapi.yaml"
                )));
            }
        }
    }
    Ok(q)
}

/// One page of the tickets `q` selects, most recently updated first. Candidates are filtered on
/// the stored snapshots (which hold every field filtered on); the page's rows are folded from
/// their events, so replies and SLA clocks are exact.
async fn list(s: &AppState, q: ListQuery) -> Result<TicketList, ServerError> {
    let settings = s.settings().await?;
    let at = now();
    let mut rows: Vec<TicketSummary> =
        s.db.ticket_states()
            .await?
            .into_iter()
            .filter_map(|(_, t)| t)
            .filter(|t| t.opened)
            .map(|t| TicketSummary::of(&t, &settings, &mostrador_core::zone::TzDatabase, at))
            .filter(|r| q.filter.matches(r, at))
            .filter(|r| q.created_after.is_none_or(|x| r.created_at >= x))
            .filter(|r| q.created_before.is_none_or(|x| r.created_at < x))
            .filter(|r| q.updated_after.is_none_or(|x| r.updated_at >= x))
            .filter(|r| q.updated_before.is_none_or(|x| r.updated_at < x))
            .collect();
    // Full text: the console's search (the core's index over subject, code, tags, description,
    // every message and the requester), over the tickets the other filters kept.
    if let Some(text) = q.filter.text_query() {
        let mut index = mostrador_core::search::SearchIndex::new();
        for r in &rows {
            if let Some(t) = fold(&s.db.ticket_events(&r.id.0).await?) {
                mostrador_core::store::index_ticket(&mut index, &t);
            }
        }
        let query = mostrador_core::search::Query::new(text)
            .kind(mostrador_core::search::DocKind::Ticket)
            .limit(usize::MAX);
        let hits: std::collections::BTreeSet<String> = index
            .search(&query)
            .into_iter()
            .map(|h| h.doc.id().to_owned())
            .collect();
        rows.retain(|r| hits.contains(&r.id.0));
    }
    let key = |r: &TicketSummary| {
        (
            std::cmp::Reverse(r.updated_at.timestamp_micros()),
            r.id.0.clone(),
        )
    };
    rows.sort_by_key(key);
    if let Some((ts, id)) = &q.cursor {
        let after = (std::cmp::Reverse(*ts), id.clone());
        rows.retain(|r| key(r) > after);
    }
    let more = rows.len() > q.limit;
    rows.truncate(q.limit);
    let mut tickets = Vec::with_capacity(rows.len());
    for r in &rows {
        let events = s.db.ticket_events(&r.id.0).await?;
        match fold(&events) {
            Some(t) => tickets.push(TicketSummary::of(
                &t,
                &settings,
                &mostrador_core::zone::TzDatabase,
                at,
            )),
            None => tickets.push(r.clone()),
        }
    }
    let next_cursor = if more {
        rows.last().map(cursor_of)
    } else {
        None
    };
    Ok(TicketList {
        tickets,
        next_cursor,
    })
}

/// `GET /v1/api/tickets`: list and search (scope `tickets:read`).
async fn list_tickets(
    key: ApiKey,
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<TicketList>, ServerError> {
    key.require(Scope::TicketsRead)?;
    let q = parse_list_query(raw.as_deref())?;
    Ok(Json(list(&s, q).await?))
}

/// `GET /v1/api/customers/{id}/tickets`: one customer's tickets (scope `customers:read`).
async fn customer_tickets(
    key: ApiKey,
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Json<TicketList>, ServerError> {
    key.require(Scope::CustomersRead)?;
    let id = path_id(id)?;
    let mut q = parse_list_query(raw.as_deref())?;
    if q.filter.customer.is_some() {
        return Err(ServerError::BadRequest(
            "the customer is in the path; leave customer= out".into(),
        ));
    }
    q.filter.customer = Some(CustomerId(id));
    Ok(Json(list(&s, q).await?))
}

/// `GET /v1/api/tickets/{id}` (scope `tickets:read`).
async fn get_ticket(
    key: ApiKey,
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<TicketDetail>, ServerError> {
    key.require(Scope::TicketsRead)?;
    let id = path_id(id)?;
    let settings = s.settings().await?;
    let (t, events) = full_ticket(&s, &id).await?;
    Ok(Json(detail(t, &events, &settings)))
}

fn detail(t: Ticket, events: &[Event], settings: &Settings) -> TicketDetail {
    TicketDetail {
        ticket: TicketSummary::of(&t, settings, &mostrador_core::zone::TzDatabase, now()),
        audit: audit_trail(events, false),
        description: t.description,
        requester: t.requester,
        custom_fields: t.custom_fields,
        thread: t.thread,
    }
}

// ---- writes ----

/// How a decision failed inside the write transaction.
enum Refused {
    NoTicket,
    Domain(DomainError),
    Bad(String),
}

/// Decides the commands `make` builds from ticket `id`'s current state, as `key`'s actor, and
/// stores the events; then runs the system rules on the tickets they touched. Returns the
/// stored events' ids.
async fn decide_and_store<F>(
    s: &AppState,
    key: &ApiKey,
    id: &TicketId,
    make: F,
) -> Result<Vec<String>, ServerError>
where
    F: FnOnce(&Ticket) -> Result<Vec<Command>, String> + Send,
{
    let actor = key.actor();
    let node = s.node.clone();
    let at = now();
    let seed = crate::rules::random_u64(&id.0);
    let mut refused: Option<Refused> = None;
    let out = &mut refused;
    let decide = Box::new(
        move |state: Option<&Ticket>, settings: &Settings| -> Vec<Event> {
            let Some(t) = state.filter(|t| t.opened) else {
                *out = Some(Refused::NoTicket);
                return Vec::new();
            };
            let commands = match make(t) {
                Ok(c) => c,
                Err(why) => {
                    *out = Some(Refused::Bad(why));
                    return Vec::new();
                }
            };
            let mut ctx = Ctx::new(node, at, Box::new(SplitMix64::new(seed)));
            if let Some((h, _)) = &t.last_event {
                ctx.observe(h);
            }
            match decide_sequence(Some(t), &commands, &actor, &settings.domain, &mut ctx) {
                Ok(events) => events,
                Err(e) => {
                    *out = Some(Refused::Domain(e));
                    Vec::new()
                }
            }
        },
    );
    let stored = store(s, id, decide).await?;
    match refused {
        Some(Refused::NoTicket) => Err(ServerError::NotFound(format!(
            "there is no ticket {:?}",
            id.0
        ))),
        Some(Refused::Domain(e)) => Err(ServerError::Rejected(e.to_string())),
        Some(Refused::Bad(why)) => Err(ServerError::BadRequest(why)),
        None => Ok(stored),
    }
}

/// Stores what `decide` decides on ticket `id` and runs the system rules on the tickets stored.
async fn store(
    s: &AppState,
    id: &TicketId,
    decide: crate::db::SystemDecide<'_>,
) -> Result<Vec<String>, ServerError> {
    let (results, stored) = s.db.write_system(id, decide, now_ms()).await?;
    if let Some(stored) = stored
        && !s.db.is_postgres()
    {
        s.live.poke(stored.poke());
    }
    let ids: Vec<String> = results
        .iter()
        .filter_map(|r| match r {
            PushResult::Accepted { id, .. } => Some(id.0.clone()),
            _ => None,
        })
        .collect();
    if !ids.is_empty() {
        s.run_rules_after_push(vec![id.clone()]).await;
    }
    Ok(ids)
}

async fn written(
    s: &AppState,
    id: &TicketId,
    events: Vec<String>,
) -> Result<WriteResult, ServerError> {
    let settings = s.settings().await?;
    let (t, _) = full_ticket(s, &id.0).await?;
    Ok(WriteResult {
        ticket: TicketSummary::of(&t, &settings, &mostrador_core::zone::TzDatabase, now()),
        events,
    })
}

/// A ticket opened for a customer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewApiTicket {
    customer_id: String,
    name: String,
    #[serde(default)]
    email: Option<String>,
    /// What the calling system knows about the customer (plan, orders, CRM link).
    #[serde(default)]
    context: Option<mostrador_core::customer::CustomerContext>,
    subject: String,
    description: String,
    #[serde(default)]
    ticket_type: Option<TicketType>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    impact: Option<Impact>,
    #[serde(default)]
    urgency: Option<Urgency>,
    #[serde(default)]
    assignee: Option<AgentId>,
    #[serde(default)]
    team: Option<TeamId>,
}

/// `POST /v1/api/tickets`: opens a ticket on a customer's behalf (scope `tickets:write`), by
/// the API channel.
async fn create_ticket(
    key: ApiKey,
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<WriteResult>), ServerError> {
    key.require(Scope::TicketsWrite)?;
    require_json(&headers)?;
    let n: NewApiTicket = json_body(body, s.config.limits.max_body_bytes)?;
    if !crate::auth::valid_user_id(&n.customer_id)
        || n.customer_id.starts_with(crate::auth::ANON_PREFIX)
    {
        return Err(ServerError::BadRequest(
            "customer_id is the host site's user id: 1 to 128 of A-Z a-z 0-9 . _ @ : -, \
             not starting with anon-"
                .into(),
        ));
    }
    let requester = Requester {
        customer_id: Some(CustomerId(n.customer_id)),
        name: n.name,
        email: n.email,
        context: n.context,
        ..Requester::default()
    };
    let form = NewTicket {
        ticket_type: n.ticket_type.unwrap_or(TicketType::Question),
        category: n.category,
        tags: n.tags,
        impact: n.impact,
        urgency: n.urgency,
        assignee: n.assignee,
        team: n.team,
        ..NewTicket::new(&n.subject, &n.description, requester, Channel::Api)
    };
    let settings = s.settings().await?;
    // The ids source is not `Send`: the context lives only for the decision.
    let events = {
        let mut ctx = Ctx::new(
            s.node.clone(),
            now(),
            Box::new(SplitMix64::new(crate::rules::random_u64("api-open"))),
        );
        decide_sequence(
            None,
            &[Command::Open(Box::new(form))],
            &key.actor(),
            &settings.domain,
            &mut ctx,
        )
        .map_err(|e| ServerError::Rejected(e.to_string()))?
    };
    let id = events
        .first()
        .map(|e| e.ticket.clone())
        .ok_or_else(|| ServerError::Internal("opening a ticket decided no event".into()))?;
    // Stored only while no ticket has that id (128 random bits: always, in practice).
    let decide = Box::new(
        move |state: Option<&Ticket>, _: &Settings| {
            if state.is_some() { Vec::new() } else { events }
        },
    );
    let stored = store(&s, &id, decide).await?;
    if stored.is_empty() {
        return Err(ServerError::Internal(
            "the new ticket's id was taken".into(),
        ));
    }
    Ok((StatusCode::CREATED, Json(written(&s, &id, stored).await?)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageBody {
    body: String,
}

async fn post_message(
    key: ApiKey,
    s: AppState,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
    public: bool,
) -> Result<(StatusCode, Json<WriteResult>), ServerError> {
    key.require(Scope::TicketsWrite)?;
    let id = TicketId(path_id(id)?);
    require_json(&headers)?;
    let m: MessageBody = json_body(body, s.config.limits.max_body_bytes)?;
    let command = if public {
        Command::Reply {
            body: m.body,
            attachments: Vec::new(),
        }
    } else {
        Command::AddNote {
            body: m.body,
            attachments: Vec::new(),
        }
    };
    full_ticket(&s, &id.0).await?;
    let events = decide_and_store(&s, &key, &id, move |_| Ok(vec![command])).await?;
    Ok((StatusCode::CREATED, Json(written(&s, &id, events).await?)))
}

/// `POST /v1/api/tickets/{id}/replies`: a public reply (scope `tickets:write`).
async fn add_reply(
    key: ApiKey,
    State(s): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<WriteResult>), ServerError> {
    post_message(key, s, headers, id, body, true).await
}

/// `POST /v1/api/tickets/{id}/notes`: an internal note (scope `tickets:write`).
async fn add_note(
    key: ApiKey,
    State(s): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<WriteResult>), ServerError> {
    post_message(key, s, headers, id, body, false).await
}

/// The statuses a caller may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum TargetStatus {
    Open,
    Resolved,
    Closed,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriorityPatch {
    impact: Impact,
    urgency: Urgency,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssigneePatch {
    agent: Option<AgentId>,
    #[serde(default)]
    team: Option<TeamId>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TagsPatch {
    #[serde(default)]
    add: Vec<String>,
    #[serde(default)]
    remove: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TicketPatch {
    #[serde(default)]
    status: Option<TargetStatus>,
    #[serde(default)]
    priority: Option<PriorityPatch>,
    #[serde(default)]
    assignee: Option<AssigneePatch>,
    #[serde(default)]
    tags: Option<TagsPatch>,
    /// Custom fields to set (a value) or clear (`null`), checked against their definitions.
    #[serde(default)]
    fields: Option<std::collections::BTreeMap<String, Option<mostrador_core::model::FieldValue>>>,
}

/// The commands a patch stands for against ticket `t`: priority, assignee, tags and fields first, the
/// status last (a closed ticket takes no more changes). Asking for the status the ticket has
/// changes nothing.
fn patch_commands(p: TicketPatch, t: &Ticket) -> Result<Vec<Command>, String> {
    let mut out = Vec::new();
    if let Some(pr) = p.priority {
        out.push(Command::SetPriority {
            impact: pr.impact,
            urgency: pr.urgency,
        });
    }
    if let Some(a) = p.assignee {
        out.push(Command::Assign {
            agent: a.agent,
            team: a.team,
        });
    }
    if let Some(tg) = p.tags {
        out.push(Command::Tag {
            add: tg.add,
            remove: tg.remove,
        });
    }
    if let Some(fields) = p.fields {
        out.push(Command::Edit {
            changes: fields
                .into_iter()
                .map(|(key, value)| mostrador_core::event::PropertyChange::Field { key, value })
                .collect(),
        });
    }
    match p.status {
        None => {}
        Some(TargetStatus::Resolved) if t.status != Status::Resolved => out.push(Command::Resolve),
        Some(TargetStatus::Closed) if t.status != Status::Closed => out.push(Command::Close),
        Some(TargetStatus::Open) => match t.status {
            Status::Postponed => out.push(Command::Wake),
            Status::Resolved | Status::Closed => out.push(Command::Reopen),
            _ => {}
        },
        Some(_) => {}
    }
    Ok(out)
}

/// `PATCH /v1/api/tickets/{id}`: status, priority, assignee, tags and custom fields, decided as one unit
/// (scope `tickets:write`).
async fn update_ticket(
    key: ApiKey,
    State(s): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<WriteResult>, ServerError> {
    key.require(Scope::TicketsWrite)?;
    let id = TicketId(path_id(id)?);
    require_json(&headers)?;
    let p: TicketPatch = json_body(body, s.config.limits.max_body_bytes)?;
    if p.status.is_none()
        && p.priority.is_none()
        && p.assignee.is_none()
        && p.tags.is_none()
        && p.fields.is_none()
    {
        return Err(ServerError::BadRequest(
            "say what to change: status, priority, assignee, tags or fields".into(),
        ));
    }
    full_ticket(&s, &id.0).await?;
    let events = decide_and_store(&s, &key, &id, move |t| patch_commands(p, t)).await?;
    Ok(Json(written(&s, &id, events).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_queries_parse_or_say_why_not() {
        let q = parse_list_query(Some(
            "status=new,open&priority=urgent&assignee=none&tag=vip&tag=b2b\
             &created_after=2025-01-01T00%3A00%3A00Z&limit=10&cursor=123.abc",
        ))
        .unwrap();
        assert_eq!(q.filter.statuses, vec![Status::New, Status::Open]);
        assert_eq!(q.filter.priorities, vec![Priority::Urgent]);
        assert_eq!(q.filter.assignee, AssigneeFilter::Unassigned);
        assert_eq!(q.filter.tags, vec!["vip".to_owned(), "b2b".to_owned()]);
        assert!(q.created_after.is_some());
        assert_eq!(q.limit, 10);
        assert_eq!(q.cursor, Some((123, "abc".to_owned())));
        for bad in [
            "status=pending",
            "limit=0",
            "limit=9999",
            "created_after=yesterday",
            "cursor=nope",
            "cursor=1.~settings",
            "colour=red",
        ] {
            assert!(parse_list_query(Some(bad)).is_err(), "{bad}");
        }
    }
}
