//! Storage: the event log with its server sequence, ticket ownership, agents and sessions, on
//! SQLite or PostgreSQL. Queries are checked at run time (`sqlx::query`), written once with `$N`
//! placeholders, which both drivers accept.
//!
//! Pull cursors rely on one property: an event with a lower sequence is never committed after an
//! event with a higher one. SQLite has one writer at a time; on PostgreSQL every push takes the
//! same transaction-scoped advisory lock before it allocates sequences, so commits happen in
//! sequence order across all server processes.
//!
//! SQLite writes go through a single path: every write of this process first takes one
//! in-process lock ([`WriteLock`]), and multi-statement writes open their transaction with
//! `BEGIN IMMEDIATE`, so a transaction never has to upgrade a read snapshot to a write lock (which
//! SQLite refuses at once with "database is locked" when another writer got in between). Another
//! process on the same file waits on SQLite's busy timeout instead of failing.
//!
//! The workspace's changes (settings sections, articles, deflection and assistant records) are rows of the
//! same `events` table, so they share the one sequence and cursor with the events. Their `ticket`
//! column holds a reserved value that no ticket id can be ([`SETTINGS_ROWS`], [`ARTICLE_ROWS`],
//! [`DEFLECTION_ROWS`], [`ASSISTANT_ROWS`]: ticket ids are 1 to 64 of A-Z a-z 0-9 - _), so everything that reads a
//! ticket's events (`WHERE ticket = …`, the `tickets` and `ticket_access` tables) never meets them.

use std::borrow::Cow;
use std::collections::HashMap;

use std::sync::Arc;

use futures::future::BoxFuture;
use mostrador_core::apply::{apply, fold};
use mostrador_core::config::Settings;
use mostrador_core::event::{Event, EventId, Payload};
use mostrador_core::model::{Actor, Status, TicketId};
use mostrador_core::sync::{
    CheckContext, Principal, PullResponse, PulledChange, PulledEvent, PushResult, Rejection,
    check_remote_event,
};
use mostrador_core::ticket::Ticket;
use mostrador_core::workspace::{self, Change, ChangePayload, Section, SectionKind};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Row, error::BoxDynError};

use crate::error::ServerError;

/// The channel PostgreSQL notifications travel on.
pub const NOTIFY_CHANNEL: &str = "mostrador_events";
pub(crate) const PUSH_LOCK: i64 = 0x6d6f_7374_7261; // "mostra"
/// Taken by file uploads and by the erasures that delete files, so a quota check and its insert,
/// or an upload and an erasure of the same file, never interleave across processes.
pub(crate) const FILES_LOCK: i64 = 0x6d6f_7374_6669; // "mostfi"

/// `events.ticket` of the workspace's settings changes.
pub const SETTINGS_ROWS: &str = "~settings";
/// `events.ticket` of the workspace's article changes.
pub const ARTICLE_ROWS: &str = "~articles";
/// `events.ticket` of deflection records (agents only).
pub const DEFLECTION_ROWS: &str = "~deflections";
/// `events.ticket` of the assistant's anonymous records (agents only).
pub const ASSISTANT_ROWS: &str = "~assistant";

/// The reserved `events.ticket` value a change is stored under.
pub fn rows_of(change: &Change) -> &'static str {
    match change.payload {
        ChangePayload::Settings { .. } => SETTINGS_ROWS,
        ChangePayload::Article { .. } => ARTICLE_ROWS,
        ChangePayload::Deflection { .. } => DEFLECTION_ROWS,
        ChangePayload::Assistant { .. } => ASSISTANT_ROWS,
    }
}

/// Whether an `events.ticket` value is a workspace row rather than a ticket.
pub fn is_workspace_row(ticket: &str) -> bool {
    ticket.starts_with('~')
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool, Shared),
    /// The lock serializes this process's pushes before they take a connection, so pushers
    /// waiting for the advisory lock do not hold the pool's connections from pulls.
    Postgres(PgPool, Shared),
}

/// Serializes this process's SQLite writes (see the module documentation).
pub type WriteLock = std::sync::Arc<tokio::sync::Mutex<()>>;

/// What a [`Db`] keeps in this process: its write lock and the workspace settings it last read.
#[derive(Clone, Debug, Default)]
pub struct Shared {
    lock: WriteLock,
    settings: Arc<std::sync::Mutex<Arc<SettingsFold>>>,
    /// Whether writes queue email notices (see [`crate::email`]).
    email: Arc<std::sync::atomic::AtomicBool>,
}

/// The workspace settings as the settings changes up to sequence `seq` fold to. Kept per
/// process and brought up to date by reading the settings rows stored after `seq` (usually none:
/// one indexed lookup), so every process validates against what the database holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SettingsFold {
    /// The highest sequence of a settings change included.
    pub seq: u64,
    /// The winning change of each section (what the fold keeps).
    winners: std::collections::BTreeMap<SectionKind, Change>,
    pub settings: Settings,
}

impl SettingsFold {
    /// Adds a stored settings change (other changes are ignored).
    fn add(&mut self, seq: u64, change: Change) {
        self.seq = self.seq.max(seq);
        let ChangePayload::Settings { section } = &change.payload else {
            return;
        };
        let kind = section.kind();
        let wins = self
            .winners
            .get(&kind)
            .is_none_or(|w| (&w.hlc, &w.id) < (&change.hlc, &change.id));
        if wins {
            self.winners.insert(kind, change);
            self.settings = workspace::fold(self.winners.values()).settings;
        }
    }
}

/// The workspace settings brought up to date through `$conn`: the cached fold plus the settings
/// rows stored after it. Evaluates to an owned [`SettingsFold`].
macro_rules! fresh_settings {
    ($db:expr, $conn:expr) => {{
        let cached = $db.cached_settings();
        let rows =
            sqlx::query("SELECT seq, body FROM events WHERE ticket = $1 AND seq > $2 ORDER BY seq")
                .bind(SETTINGS_ROWS)
                .bind(to_i64(cached.seq))
                .fetch_all($conn)
                .await?;
        if rows.is_empty() {
            cached
        } else {
            let mut fold = (*cached).clone();
            for r in rows {
                let s = seq(r.try_get(0)?);
                fold.add(s, parse_change(s, &r.try_get::<String, _>(1)?)?);
            }
            let fold = Arc::new(fold);
            $db.cache_settings(fold.clone());
            fold
        }
    }};
}

/// How long a SQLite write waits for another process's write before it fails.
const SQLITE_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// One ticket's stored events, through `$conn` (a transaction). None for a workspace row's
/// reserved value (no ticket has it; an event naming it is refused by the checks).
macro_rules! load_ticket {
    ($conn:expr, $ticket:expr) => {
        if is_workspace_row($ticket) {
            Vec::new()
        } else {
            parse_events(
                sqlx::query("SELECT body FROM events WHERE ticket = $1 ORDER BY seq")
                    .bind($ticket)
                    .fetch_all($conn)
                    .await?
                    .iter()
                    .map(|r| r.try_get::<String, _>(0))
                    .collect::<Result<Vec<_>, _>>()?,
            )?
        }
    };
}

/// One ticket's state for the checks, through `$conn`: the stored snapshot (`tickets.state`), or,
/// when there is none yet, the fold of its events. Either way as [`for_checks`] makes it.
macro_rules! load_state {
    ($conn:expr, $ticket:expr) => {{
        let snapshot: Option<String> = sqlx::query("SELECT state FROM tickets WHERE id = $1")
            .bind($ticket)
            .fetch_optional(&mut *$conn)
            .await?
            .map(|r| r.try_get::<Option<String>, _>(0))
            .transpose()?
            .flatten();
        match snapshot.and_then(|s| serde_json::from_str::<Ticket>(&s).ok()) {
            Some(t) => Some(t),
            None => fold(&load_ticket!(&mut *$conn, $ticket)).map(for_checks),
        }
    }};
}

/// Runs `$body` with `$p` bound to whichever pool this is.
macro_rules! with_pool {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            Db::Sqlite($p, _) => $body,
            Db::Postgres($p, _) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Records in `ticket_files`, through `$conn` (a transaction), the files event `$event` (stored
/// at sequence `$seq`) announces. Recording twice changes nothing.
macro_rules! record_files {
    ($conn:expr, $event:expr, $seq:expr) => {
        for f in crate::files::announced($event) {
            sqlx::query(
                "INSERT INTO ticket_files (event, sha256, ticket, seq, mime, size, internal) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event, sha256) DO NOTHING",
            )
            .bind(&$event.id.0)
            .bind(f.sha256)
            .bind(&$event.ticket.0)
            .bind(to_i64($seq))
            .bind(f.mime)
            .bind(to_i64(f.size))
            .bind(i64::from(f.internal))
            .execute(&mut *$conn)
            .await?;
        }
    };
}
pub(crate) use record_files;

/// After an erasure rewrote ticket `$ticket`'s events, through `$conn` (a transaction): records
/// its files again from what its events announce now (the redacted ones announce none), then
/// deletes the stored bytes of the files it announced before that no ticket announces any more.
macro_rules! refile_erased {
    ($db:expr, $conn:expr, $ticket:expr) => {{
        let before: Vec<String> =
            sqlx::query("SELECT DISTINCT sha256 FROM ticket_files WHERE ticket = $1")
                .bind($ticket)
                .fetch_all(&mut *$conn)
                .await?
                .iter()
                .map(|r| r.try_get::<String, _>(0))
                .collect::<Result<_, _>>()?;
        if !before.is_empty() {
            if $db.is_postgres() {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(FILES_LOCK)
                    .execute(&mut *$conn)
                    .await?;
            }
            sqlx::query("DELETE FROM ticket_files WHERE ticket = $1")
                .bind($ticket)
                .execute(&mut *$conn)
                .await?;
            let rows = sqlx::query("SELECT seq, body FROM events WHERE ticket = $1 ORDER BY seq")
                .bind($ticket)
                .fetch_all(&mut *$conn)
                .await?;
            for r in rows {
                let s = seq(r.try_get(0)?);
                let body: String = r.try_get(1)?;
                let e: Event = serde_json::from_str(&body).map_err(|e| {
                    ServerError::Internal(format!("stored event {s} is unreadable: {e}"))
                })?;
                record_files!($conn, &e, s);
            }
            for sha in &before {
                sqlx::query(
                    "DELETE FROM files WHERE sha256 = $1 \
                     AND NOT EXISTS (SELECT 1 FROM ticket_files WHERE sha256 = $1)",
                )
                .bind(sha)
                .execute(&mut *$conn)
                .await?;
            }
        }
    }};
}

#[derive(Debug)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(v, d, sql)| {
                    Migration::new(
                        *v,
                        Cow::Borrowed(*d),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// Released migrations are never edited; add a new step instead.
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/sqlite_0001_init.sql"),
    ),
    (
        2,
        "access",
        include_str!("../migrations/sqlite_0002_access.sql"),
    ),
    (
        3,
        "state",
        include_str!("../migrations/sqlite_0003_state.sql"),
    ),
    (
        4,
        "meta",
        include_str!("../migrations/sqlite_0004_meta.sql"),
    ),
    (
        5,
        "files",
        include_str!("../migrations/sqlite_0005_files.sql"),
    ),
    (
        6,
        "api_keys",
        include_str!("../migrations/sqlite_0006_api_keys.sql"),
    ),
    (
        7,
        "webhooks",
        include_str!("../migrations/sqlite_0007_webhooks.sql"),
    ),
    (
        8,
        "email",
        include_str!("../migrations/sqlite_0008_email.sql"),
    ),
    (
        9,
        "inbound",
        include_str!("../migrations/sqlite_0009_inbound.sql"),
    ),
    (
        10,
        "status",
        include_str!("../migrations/sqlite_0010_status.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/postgres_0001_init.sql"),
    ),
    (
        2,
        "access",
        include_str!("../migrations/postgres_0002_access.sql"),
    ),
    (
        3,
        "state",
        include_str!("../migrations/postgres_0003_state.sql"),
    ),
    (
        4,
        "meta",
        include_str!("../migrations/postgres_0004_meta.sql"),
    ),
    (
        5,
        "files",
        include_str!("../migrations/postgres_0005_files.sql"),
    ),
    (
        6,
        "api_keys",
        include_str!("../migrations/postgres_0006_api_keys.sql"),
    ),
    (
        7,
        "webhooks",
        include_str!("../migrations/postgres_0007_webhooks.sql"),
    ),
    (
        8,
        "email",
        include_str!("../migrations/postgres_0008_email.sql"),
    ),
    (
        9,
        "inbound",
        include_str!("../migrations/postgres_0009_inbound.sql"),
    ),
    (
        10,
        "status",
        include_str!("../migrations/postgres_0010_status.sql"),
    ),
];

/// What the system decides on a ticket, given its current state and the workspace settings: the
/// events to store.
pub type SystemDecide<'a> = Box<dyn FnOnce(Option<&Ticket>, &Settings) -> Vec<Event> + Send + 'a>;

/// A pushed item, parsed, or its id and why it could not be.
pub type Parsed<T> = Result<T, (String, String)>;

/// What a write stores: a device's pushed batch (workspace changes, then events), or the
/// system's decision on one ticket.
enum Batch<'a> {
    Pushed(Vec<Parsed<Change>>, Vec<Parsed<Event>>),
    System(TicketId, SystemDecide<'a>, Option<crate::inbound::Record>),
}

/// Which streams a stored batch concerns: agents' always; customers' when the batch touched
/// their tickets, and every customer's when it stored a change customers receive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Customers(Vec<String>),
    Everybody,
}

/// An agent account as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AgentRow {
    pub id: String,
    pub admin: bool,
    #[serde(skip)]
    pub password_hash: String,
}

pub(crate) fn seq(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

pub(crate) fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl Db {
    /// Connects and migrates. `sqlite:` URLs create the file if missing.
    pub async fn connect(url: &str) -> Result<Db, ServerError> {
        let db = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Db::Postgres(
                PgPoolOptions::new()
                    .max_connections(16)
                    .connect(url)
                    .await?,
                Shared::default(),
            )
        } else if url.starts_with("sqlite:") {
            let opts: SqliteConnectOptions = url
                .parse::<SqliteConnectOptions>()?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT);
            Db::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(opts)
                    .await?,
                Shared::default(),
            )
        } else {
            return Err(ServerError::Config(format!(
                "unsupported database URL {url:?}; use sqlite://FILE or postgres://…"
            )));
        };
        match &db {
            Db::Sqlite(p, _) => {
                Migrator::new(Embedded(SQLITE_MIGRATIONS))
                    .await?
                    .run(p)
                    .await?
            }
            Db::Postgres(p, _) => {
                Migrator::new(Embedded(POSTGRES_MIGRATIONS))
                    .await?
                    .run(p)
                    .await?
            }
        }
        Ok(db)
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(..))
    }

    fn shared(&self) -> &Shared {
        match self {
            Db::Sqlite(_, s) | Db::Postgres(_, s) => s,
        }
    }

    fn cached_settings(&self) -> Arc<SettingsFold> {
        self.shared()
            .settings
            .lock()
            .map(|c| c.clone())
            .unwrap_or_default()
    }

    /// Keeps `fold` unless the cache already holds a later one (both are prefixes of one log).
    fn cache_settings(&self, fold: Arc<SettingsFold>) {
        if let Ok(mut c) = self.shared().settings.lock()
            && c.seq < fold.seq
        {
            *c = fold;
        }
    }

    /// The workspace settings as stored now.
    pub async fn settings(&self) -> Result<Arc<SettingsFold>, ServerError> {
        Ok(with_pool!(self, p => fresh_settings!(self, p)))
    }

    /// From now on, writes queue the email notices their events cause (see [`crate::email`]).
    pub fn enable_email(&self) {
        self.shared()
            .email
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    fn email_enabled(&self) -> bool {
        self.shared()
            .email
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Taken before every write: on SQLite, this process's single writer path; on PostgreSQL,
    /// nothing (its row locks and the push lock order writers).
    pub(crate) async fn writer(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self {
            Db::Sqlite(_, shared) => Some(shared.lock.clone().lock_owned().await),
            Db::Postgres(..) => None,
        }
    }

    /// This process's write lock (see the module documentation).
    pub(crate) fn shared_lock(&self) -> WriteLock {
        self.shared().lock.clone()
    }

    /// The statement that opens a write transaction.
    pub(crate) fn begin_write(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "BEGIN IMMEDIATE",
            Db::Postgres(..) => "BEGIN",
        }
    }

    /// The highest sequence committed so far.
    pub async fn head(&self) -> Result<u64, ServerError> {
        let v: i64 = with_pool!(self, p => sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM events")
            .fetch_one(p)
            .await?
            .try_get(0)?);
        Ok(seq(v))
    }

    /// Stores what passes the checks, in order, in one transaction: the workspace changes first
    /// (each checked against the settings as stored, with the batch's earlier changes), then the
    /// events (checked against the settings the changes leave). Items come already parsed (or
    /// with the reason they could not be).
    pub async fn push(
        &self,
        principal: &Principal,
        changes: Vec<Parsed<Change>>,
        events: Vec<Parsed<Event>>,
        now_ms: i64,
    ) -> Result<(Vec<PushResult>, Option<Stored>), ServerError> {
        self.write(principal, Batch::Pushed(changes, events), now_ms)
            .await
    }

    /// Stores the events the system decides on one ticket, through the same path as pushes
    /// (sequence, snapshot, visibility spans, notification). `decide` is called under the write
    /// lock, inside the transaction, with the ticket's current state (as [`for_checks`] keeps
    /// it) and the workspace settings as stored, so two runners never decide against the same
    /// state: the second one sees what the first stored. Its events are the core's own decisions
    /// against that state and are not checked again as a device's would be.
    pub async fn write_system(
        &self,
        ticket: &TicketId,
        decide: SystemDecide<'_>,
        now_ms: i64,
    ) -> Result<(Vec<PushResult>, Option<Stored>), ServerError> {
        let principal = Principal::Agent {
            id: mostrador_core::model::AgentId("system".into()),
            admin: true,
        };
        self.write(
            &principal,
            Batch::System(ticket.clone(), decide, None),
            now_ms,
        )
        .await
    }

    /// Like [`Db::write_system`], for an incoming email ([`crate::inbound`]): in the same
    /// transaction as the events, stores the message's files (`record.files`) and records its
    /// Message-ID. When that Message-ID is recorded already, `decide` is not called and nothing
    /// is stored.
    pub async fn write_inbound(
        &self,
        ticket: &TicketId,
        decide: SystemDecide<'_>,
        record: crate::inbound::Record,
        now_ms: i64,
    ) -> Result<(Vec<PushResult>, Option<Stored>), ServerError> {
        let principal = Principal::Agent {
            id: mostrador_core::model::AgentId("system".into()),
            admin: true,
        };
        self.write(
            &principal,
            Batch::System(ticket.clone(), decide, Some(record)),
            now_ms,
        )
        .await
    }

    async fn write(
        &self,
        principal: &Principal,
        batch: Batch<'_>,
        now_ms: i64,
    ) -> Result<(Vec<PushResult>, Option<Stored>), ServerError> {
        let mut results = Vec::new();
        let mut stored_any = false;
        // Whether a change customers receive was stored (every stream is poked).
        let mut public_change = false;
        // Customers whose tickets this batch changed (their streams are poked).
        let mut touched = std::collections::BTreeSet::new();
        // One push of this process at a time, on either database (see `Db`).
        let _writer = self.shared().lock.clone().lock_owned().await;
        with_pool!(self, p => {
            let mut tx = p.begin_with(self.begin_write()).await?;
            if self.is_postgres() {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(PUSH_LOCK)
                    .execute(&mut *tx)
                    .await?;
            }
            // The workspace settings as stored: what the changes and events are checked against.
            let stored_settings = fresh_settings!(self, &mut *tx);
            let mut ws = (*stored_settings).clone();
            // Tickets touched by this batch: their folded state (without the thread, which no
            // check reads), and whether it changed.
            let mut cache: HashMap<TicketId, (Option<Ticket>, bool)> = HashMap::new();
            let mut inbound = None;
            let (changes, events, system) = match batch {
                Batch::Pushed(changes, events) => (changes, events, false),
                Batch::System(ticket, decide, record) => {
                    let seen = match &record {
                        Some(r) => match &r.message_id {
                            Some(m) => sqlx::query(
                                "SELECT 1 FROM inbound_messages WHERE message_id = $1",
                            )
                            .bind(m)
                            .fetch_optional(&mut *tx)
                            .await?
                            .is_some(),
                            None => false,
                        },
                        None => false,
                    };
                    inbound = record;
                    let state = load_state!(tx, &ticket.0);
                    // An email stored already: nothing is decided again.
                    let events = if seen {
                        Vec::new()
                    } else {
                        decide(state.as_ref(), &ws.settings)
                    };
                    cache.insert(ticket, (state, false));
                    (Vec::new(), events.into_iter().map(Ok).collect(), true)
                }
            };
            for item in changes {
                let change = match item {
                    Ok(c) => c,
                    Err((id, why)) => {
                        results.push(PushResult::Rejected {
                            id: EventId(id),
                            code: "malformed".into(),
                            message: Rejection::Malformed(why).to_string(),
                        });
                        continue;
                    }
                };
                let existing = sqlx::query("SELECT seq, ticket, body FROM events WHERE id = $1")
                    .bind(&change.id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                // As for events: an id stored as something the caller may not see is checked
                // like a new change first, so the answer says nothing about what is stored.
                let mut hidden = false;
                if let Some(row) = existing {
                    let stored_seq: i64 = row.try_get("seq")?;
                    let stored_ticket: String = row.try_get("ticket")?;
                    let body: String = row.try_get("body")?;
                    let stored: Option<Change> = is_workspace_row(&stored_ticket)
                        .then(|| serde_json::from_str(&body).ok())
                        .flatten();
                    let visible = match principal {
                        Principal::Agent { .. } => true,
                        Principal::Customer { .. } => stored
                            .as_ref()
                            .is_some_and(|c| c.actor == principal.actor()),
                    };
                    if visible {
                        results.push(if stored.as_ref() == Some(&change) {
                            PushResult::Duplicate {
                                id: change.id.clone(),
                                seq: seq(stored_seq),
                            }
                        } else {
                            rejected_id(&change.id, &Rejection::Conflict)
                        });
                        continue;
                    }
                    hidden = true;
                }
                if let Err(why) = workspace::check_change(&change, principal, &ws.settings, &mostrador_core::zone::TzDatabase, now_ms) {
                    results.push(rejected_id(&change.id, &why));
                    continue;
                }
                if hidden {
                    results.push(rejected_id(&change.id, &Rejection::Conflict));
                    continue;
                }
                let body = serde_json::to_string(&change)
                    .map_err(|e| ServerError::Internal(e.to_string()))?;
                let row = sqlx::query(
                    "INSERT INTO events (id, ticket, body, stored_at) VALUES ($1, $2, $3, $4) \
                     RETURNING seq",
                )
                .bind(&change.id.0)
                .bind(rows_of(&change))
                .bind(&body)
                .bind(now_ms)
                .fetch_one(&mut *tx)
                .await?;
                let s = seq(row.try_get(0)?);
                stored_any = true;
                public_change |= change.for_customer().is_some();
                let id = change.id.clone();
                ws.add(s, change);
                results.push(PushResult::Accepted { id, seq: s });
            }
            let settings = &ws.settings.domain;
            // The enabled webhooks, read at the first event that may concern one.
            let mut hooks: Option<Vec<crate::webhooks::Hook>> = None;
            let email = self.email_enabled();
            for item in events {
                let event = match item {
                    Ok(e) => e,
                    Err((id, why)) => {
                        results.push(PushResult::Rejected {
                            id: EventId(id),
                            code: "malformed".into(),
                            message: Rejection::Malformed(why).to_string(),
                        });
                        continue;
                    }
                };
                let existing = sqlx::query("SELECT seq, ticket, body FROM events WHERE id = $1")
                    .bind(&event.id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                // Whether an event of this id is stored that the caller may not see: then the
                // push is checked like a new event first, so the answer says nothing about it.
                let mut hidden = false;
                if let Some(row) = existing {
                    let stored_seq: i64 = row.try_get("seq")?;
                    let stored_ticket: String = row.try_get("ticket")?;
                    let body: String = row.try_get("body")?;
                    let stored: Option<Event> = serde_json::from_str(&body).ok();
                    let visible = match principal {
                        Principal::Agent { .. } => true,
                        Principal::Customer { id, .. } => {
                            stored
                                .as_ref()
                                .is_some_and(|e| e.for_customer(settings).is_some())
                                && sqlx::query(
                                    "SELECT 1 FROM ticket_access WHERE ticket = $1 \
                                     AND customer = $2 AND from_seq <= $3 \
                                     AND (to_seq IS NULL OR to_seq >= $3)",
                                )
                                .bind(&stored_ticket)
                                .bind(&id.0)
                                .bind(stored_seq)
                                .fetch_optional(&mut *tx)
                                .await?
                                .is_some()
                        }
                    };
                    if visible {
                        // A copy from before an erasure redacted the stored one is the same
                        // event.
                        let same = stored
                            .as_ref()
                            .is_some_and(|st| mostrador_core::privacy::same_event(st, &event));
                        results.push(if same {
                            PushResult::Duplicate {
                                id: event.id.clone(),
                                seq: seq(stored_seq),
                            }
                        } else {
                            rejected(&event, &Rejection::Conflict)
                        });
                        continue;
                    }
                    hidden = true;
                }
                if !cache.contains_key(&event.ticket) {
                    let state = load_state!(tx, &event.ticket.0);
                    cache.insert(event.ticket.clone(), (state, false));
                }
                // The other ticket of a follow-up: its original for an opening, the follow-up
                // for a link.
                let other = match &event.payload {
                    Payload::TicketOpened(o) => o.follow_up_of.as_ref().map(|l| &l.id),
                    Payload::FollowUpCreated { follow_up } => Some(&follow_up.id),
                    _ => None,
                };
                let source = match other {
                    Some(id) => match cache.get(id) {
                        Some((t, _)) => t.clone(),
                        None => load_state!(tx, &id.0),
                    },
                    None => None,
                };
                let (state, dirty) = cache.get_mut(&event.ticket).ok_or_else(|| {
                    ServerError::Internal("ticket cache lost an entry".into())
                })?;
                let cx = CheckContext {
                    principal,
                    settings,
                    now_ms,
                    follow_up_source: source.as_ref(),
                };
                if !system
                    && let Err(why) = check_remote_event(state.as_ref(), &event, &cx)
                {
                    results.push(rejected(&event, &why));
                    continue;
                }
                if hidden {
                    results.push(rejected(&event, &Rejection::Conflict));
                    continue;
                }
                let body = serde_json::to_string(&event)
                    .map_err(|e| ServerError::Internal(e.to_string()))?;
                let row = sqlx::query(
                    "INSERT INTO events (id, ticket, body, stored_at) VALUES ($1, $2, $3, $4) \
                     RETURNING seq",
                )
                .bind(&event.id.0)
                .bind(&event.ticket.0)
                .bind(&body)
                .bind(now_ms)
                .fetch_one(&mut *tx)
                .await?;
                let s = seq(row.try_get(0)?);
                stored_any = true;
                record_files!(tx, &event, s);
                crate::webhooks::enqueue!(tx, hooks, &event, s, now_ms);
                // Fold forward when the event sorts last (the usual case): the cost of a push
                // does not grow with the ticket's history. An event that sorts earlier re-folds
                // the ticket's log.
                let in_order = state.as_ref().is_none_or(|t| {
                    t.last_event
                        .as_ref()
                        .is_none_or(|(h, id)| (h, id) < (&event.hlc, &event.id))
                });
                *dirty = true;
                let before = if email { state.clone() } else { None };
                *state = if in_order {
                    Some(for_checks(apply(state.take(), &event)))
                } else {
                    fold(&load_ticket!(&mut *tx, &event.ticket.0)).map(for_checks)
                };
                if email {
                    crate::email::enqueue!(
                        tx,
                        &event,
                        before.as_ref(),
                        state.as_ref(),
                        &ws.settings,
                        s,
                        now_ms
                    );
                }
                // An erased ticket: rewrite the events its erasure covers, redacted (this one
                // included when it arrived late), so the personal data leaves the database.
                if state.as_ref().is_some_and(|t| t.erased_at.is_some()) {
                    let log = load_ticket!(&mut *tx, &event.ticket.0);
                    for r in mostrador_core::privacy::redactions(log.iter()) {
                        let body = serde_json::to_string(&r)
                            .map_err(|e| ServerError::Internal(e.to_string()))?;
                        sqlx::query("UPDATE events SET body = $1 WHERE id = $2")
                            .bind(&body)
                            .bind(&r.id.0)
                            .execute(&mut *tx)
                            .await?;
                        // Webhook deliveries and email notices hold copies of the event:
                        // they go too.
                        sqlx::query("DELETE FROM email_outbox WHERE event = $1")
                            .bind(&r.id.0)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query("DELETE FROM webhook_deliveries WHERE event = $1")
                            .bind(&r.id.0)
                            .execute(&mut *tx)
                            .await?;
                    }
                    sqlx::query("DELETE FROM email_outbox WHERE ticket = $1")
                        .bind(&event.ticket.0)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(
                        "DELETE FROM webhook_deliveries WHERE ticket = $1 AND kind = $2",
                    )
                    .bind(&event.ticket.0)
                    .bind(crate::webhooks::Kind::SlaBreached.as_str())
                    .execute(&mut *tx)
                    .await?;
                    // Its files go with it, unless another ticket announces them too.
                    refile_erased!(self, tx, &event.ticket.0);
                }
                if let Some(c) = state.as_ref().and_then(|t| t.requester.customer_id.as_ref()) {
                    touched.insert(c.0.clone());
                }
                let owner_may_change = matches!(
                    event.payload,
                    Payload::TicketOpened(_) | Payload::PropertiesChanged { .. }
                );
                if owner_may_change && let Some(t) = state.as_ref() {
                    let customer = t.requester.customer_id.as_ref().map(|c| c.0.clone());
                    let before: Option<Option<String>> =
                        sqlx::query("SELECT customer FROM tickets WHERE id = $1")
                            .bind(&event.ticket.0)
                            .fetch_optional(&mut *tx)
                            .await?
                            .map(|r| r.try_get(0))
                            .transpose()?;
                    if let Some(Some(b)) = &before {
                        touched.insert(b.clone());
                    }
                    if before.as_ref() != Some(&customer) {
                        // A new requester sees the ticket from this event on; the previous one
                        // sees nothing after it.
                        sqlx::query(
                            "UPDATE ticket_access SET to_seq = $1 \
                             WHERE ticket = $2 AND to_seq IS NULL",
                        )
                        .bind(to_i64(s) - 1)
                        .bind(&event.ticket.0)
                        .execute(&mut *tx)
                        .await?;
                        if let Some(c) = &customer {
                            sqlx::query(
                                "INSERT INTO ticket_access (ticket, customer, from_seq) \
                                 VALUES ($1, $2, $3)",
                            )
                            .bind(&event.ticket.0)
                            .bind(c)
                            .bind(to_i64(s))
                            .execute(&mut *tx)
                            .await?;
                        }
                        sqlx::query(
                            "INSERT INTO tickets (id, customer) VALUES ($1, $2) \
                             ON CONFLICT (id) DO UPDATE SET customer = excluded.customer",
                        )
                        .bind(&event.ticket.0)
                        .bind(customer)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                results.push(PushResult::Accepted { id: event.id, seq: s });
            }
            for (ticket, (state, dirty)) in &cache {
                if let (Some(t), true) = (state, dirty) {
                    let json = serde_json::to_string(t)
                        .map_err(|e| ServerError::Internal(e.to_string()))?;
                    sqlx::query(
                        "UPDATE tickets SET state = $1, code = $2, status = $3 WHERE id = $4",
                    )
                    .bind(json)
                    .bind(t.code.as_str())
                    .bind(t.status.as_str())
                    .bind(&ticket.0)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            // An email's files and Message-ID, with the events that announce them.
            if let Some(r) = &inbound
                && let Some(first) = results.iter().find_map(|x| match x {
                    PushResult::Accepted { id, .. } => Some(id.clone()),
                    _ => None,
                })
            {
                if !r.files.is_empty() && self.is_postgres() {
                    // As uploads and erasures take it: files are added and deleted in turn.
                    sqlx::query("SELECT pg_advisory_xact_lock($1)")
                        .bind(FILES_LOCK)
                        .execute(&mut *tx)
                        .await?;
                }
                for f in &r.files {
                    sqlx::query(
                        "INSERT INTO files (sha256, mime, size, bytes, uploaded_at, uploaded_by) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
                    )
                    .bind(&f.sha256)
                    .bind(&f.mime)
                    .bind(i64::try_from(f.bytes.len()).unwrap_or(i64::MAX))
                    .bind(&f.bytes)
                    .bind(now_ms)
                    .bind("email")
                    .execute(&mut *tx)
                    .await?;
                }
                if let Some(m) = &r.message_id {
                    let ticket: String =
                        sqlx::query("SELECT ticket FROM events WHERE id = $1")
                            .bind(&first.0)
                            .fetch_one(&mut *tx)
                            .await?
                            .try_get(0)?;
                    sqlx::query(
                        "INSERT INTO inbound_messages \
                         (message_id, ticket, event, outcome, received_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(m)
                    .bind(ticket)
                    .bind(&first.0)
                    .bind(r.outcome)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            let stored = if public_change {
                Stored::Everybody
            } else {
                Stored::Customers(touched.into_iter().collect())
            };
            if stored_any && self.is_postgres() {
                // Delivered to every listening server process when the transaction commits.
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(NOTIFY_CHANNEL)
                    .bind(stored.to_payload())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            if ws.seq > stored_settings.seq {
                self.cache_settings(Arc::new(ws));
            }
            Ok((results, stored_any.then_some(stored)))
        })
    }

    /// Events and workspace changes after `after` that `principal` may see, oldest first, at
    /// most `limit` rows. Customers receive the public copies of changes (see
    /// [`Change::for_customer`]); deflection records are not even read for them.
    pub async fn pull(
        &self,
        principal: &Principal,
        after: u64,
        limit: u32,
    ) -> Result<PullResponse, ServerError> {
        // Read the head first: anything committed later has a higher sequence, so a cursor at
        // the head never skips an event.
        let head = self.head().await?;
        let limit_i = i64::from(limit.max(1));
        let rows = with_pool!(self, p => match principal {
            Principal::Agent { .. } => {
                sqlx::query(
                    "SELECT seq, ticket, body FROM events WHERE seq > $1 AND seq <= $2 \
                     ORDER BY seq LIMIT $3",
                )
                .bind(to_i64(after))
                .bind(to_i64(head))
                .bind(limit_i)
                .fetch_all(p)
                .await?
                .into_iter()
                .map(|r| Ok((seq(r.try_get(0)?), r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?)))
                .collect::<Result<Vec<_>, sqlx::Error>>()?
            }
            Principal::Customer { id, .. } => {
                // Placeholders appear in ascending order (SQLite numbers them by appearance).
                sqlx::query(
                    "SELECT seq, ticket, body FROM ( \
                     SELECT e.seq, e.ticket, e.body FROM ticket_access a \
                     JOIN events e ON e.ticket = a.ticket AND e.seq >= a.from_seq \
                     AND (a.to_seq IS NULL OR e.seq <= a.to_seq) \
                     WHERE a.customer = $1 AND e.seq > $2 AND e.seq <= $3 \
                     UNION ALL \
                     SELECT seq, ticket, body FROM events \
                     WHERE ticket IN ($4, $5) AND seq > $2 AND seq <= $3 \
                     ) w ORDER BY seq LIMIT $6",
                )
                .bind(&id.0)
                .bind(to_i64(after))
                .bind(to_i64(head))
                .bind(SETTINGS_ROWS)
                .bind(ARTICLE_ROWS)
                .bind(limit_i)
                .fetch_all(p)
                .await?
                .into_iter()
                .map(|r| Ok((seq(r.try_get(0)?), r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?)))
                .collect::<Result<Vec<_>, sqlx::Error>>()?
            }
        });
        let full = rows.len() >= usize::try_from(limit_i).unwrap_or(usize::MAX);
        let next = if full {
            rows.last().map_or(after, |r| r.0)
        } else {
            head.max(after)
        };
        let customer = matches!(principal, Principal::Customer { .. });
        // What customers may see of an event depends on the settings (staff-only fields).
        let settings = if customer {
            Some(self.settings().await?)
        } else {
            None
        };
        let mut events = Vec::with_capacity(rows.len());
        let mut changes = Vec::new();
        for (s, ticket, body) in rows {
            if is_workspace_row(&ticket) {
                let change = parse_change(s, &body)?;
                let change = if customer {
                    match change.for_customer() {
                        Some(c) => c,
                        None => continue,
                    }
                } else {
                    change
                };
                changes.push(PulledChange { seq: s, change });
                continue;
            }
            let event: Event = serde_json::from_str(&body).map_err(|e| {
                ServerError::Internal(format!("stored event {s} is unreadable: {e}"))
            })?;
            let event = match &settings {
                Some(ws) => match event.for_customer(&ws.settings.domain) {
                    Some(e) => e,
                    None => continue,
                },
                None => event,
            };
            events.push(PulledEvent { seq: s, event });
        }
        Ok(PullResponse {
            events,
            changes,
            next,
            more: full,
        })
    }

    /// Records `sections` as changes by the system, unless the database already holds a
    /// settings change: how `--settings` seeds a new database. Returns how many were stored.
    /// Runs on the write path (the push lock on PostgreSQL), so of two processes starting at once
    /// only one seeds.
    pub async fn seed_settings(
        &self,
        sections: Vec<Section>,
        node: &mostrador_core::hlc::NodeId,
        now_ms: i64,
    ) -> Result<usize, ServerError> {
        if sections.is_empty() {
            return Ok(0);
        }
        let _writer = self.shared().lock.clone().lock_owned().await;
        let n = with_pool!(self, p => {
            let mut tx = p.begin_with(self.begin_write()).await?;
            if self.is_postgres() {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(PUSH_LOCK)
                    .execute(&mut *tx)
                    .await?;
            }
            let any = sqlx::query("SELECT 1 FROM events WHERE ticket = $1 LIMIT 1")
                .bind(SETTINGS_ROWS)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if any {
                return Ok(0);
            }
            let now = chrono::DateTime::from_timestamp_millis(now_ms).unwrap_or_default();
            let seed = crate::rules::random_u64("seed-settings");
            let mut ctx = mostrador_core::ctx::Ctx::new(
                node.clone(),
                now,
                Box::new(mostrador_core::ctx::SplitMix64::new(seed)),
            );
            let n = sections.len();
            for section in sections {
                let change = Change {
                    id: ctx.next_event_id(),
                    hlc: ctx.next_hlc(),
                    actor: Actor::System,
                    payload: ChangePayload::Settings { section },
                };
                let body = serde_json::to_string(&change)
                    .map_err(|e| ServerError::Internal(e.to_string()))?;
                sqlx::query(
                    "INSERT INTO events (id, ticket, body, stored_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(&change.id.0)
                .bind(SETTINGS_ROWS)
                .bind(&body)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
            }
            if self.is_postgres() {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(NOTIFY_CHANNEL)
                    .bind(Stored::Everybody.to_payload())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            n
        });
        Ok(n)
    }

    // ---- agents and sessions ----

    pub async fn agent(&self, id: &str) -> Result<Option<AgentRow>, ServerError> {
        let row = with_pool!(self, p => sqlx::query(
            "SELECT id, password_hash, admin FROM agents WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(p)
        .await?
        .map(|r| agent_row(&r))
        .transpose()?);
        Ok(row)
    }

    pub async fn agents(&self) -> Result<Vec<AgentRow>, ServerError> {
        let rows = with_pool!(self, p => sqlx::query(
            "SELECT id, password_hash, admin FROM agents ORDER BY id",
        )
        .fetch_all(p)
        .await?
        .iter()
        .map(agent_row)
        .collect::<Result<Vec<_>, ServerError>>()?);
        Ok(rows)
    }

    /// Creates or replaces an agent; any sessions they had end (a new password or role means
    /// signing in again).
    pub async fn put_agent(
        &self,
        id: &str,
        password_hash: &str,
        admin: bool,
        now_ms: i64,
    ) -> Result<(), ServerError> {
        let _writer = self.writer().await;
        with_pool!(self, p => {
            let mut tx = p.begin_with(self.begin_write()).await?;
            sqlx::query(
                "INSERT INTO agents (id, password_hash, admin, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, \
                 admin = excluded.admin",
            )
            .bind(id)
            .bind(password_hash)
            .bind(i64::from(admin))
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sessions WHERE kind = 'agent' AND subject = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Deletes the agent and ends their sessions. Returns whether they existed.
    pub async fn delete_agent(&self, id: &str) -> Result<bool, ServerError> {
        let _writer = self.writer().await;
        let n = with_pool!(self, p => {
            let mut tx = p.begin_with(self.begin_write()).await?;
            sqlx::query("DELETE FROM sessions WHERE kind = 'agent' AND subject = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let n = sqlx::query("DELETE FROM agents WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            n
        });
        Ok(n > 0)
    }

    /// Forgets sessions that expired before `now_ms`; returns how many.
    pub async fn delete_expired_sessions(&self, now_ms: i64) -> Result<u64, ServerError> {
        let _writer = self.writer().await;
        let n = with_pool!(self, p => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now_ms)
            .execute(p)
            .await?
            .rows_affected());
        Ok(n)
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        principal: &Principal,
        expires_ms: i64,
    ) -> Result<(), ServerError> {
        let _writer = self.writer().await;
        let (kind, subject) = match principal {
            Principal::Customer { id, .. } => ("customer", id.0.as_str()),
            Principal::Agent { id, .. } => ("agent", id.0.as_str()),
        };
        with_pool!(self, p => sqlx::query(
            "INSERT INTO sessions (token_hash, kind, subject, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(kind)
        .bind(subject)
        .bind(expires_ms)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// The principal of a live session. Agents' admin flag is read now, so demotions apply at
    /// once, and sessions of deleted agents are dead.
    pub async fn session(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> Result<Option<Principal>, ServerError> {
        let row = with_pool!(self, p => sqlx::query(
            "SELECT s.kind, s.subject, a.admin FROM sessions s \
             LEFT JOIN agents a ON s.kind = 'agent' AND a.id = s.subject \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms)
        .fetch_optional(p)
        .await?
        .map(|r| {
            Ok::<_, sqlx::Error>((
                r.try_get::<String, _>(0)?,
                r.try_get::<String, _>(1)?,
                r.try_get::<Option<i64>, _>(2)?,
            ))
        })
        .transpose()?);
        let Some((kind, subject, admin)) = row else {
            return Ok(None);
        };
        Ok(match (kind.as_str(), admin) {
            ("customer", _) => Some(Principal::customer(&subject)),
            ("agent", Some(a)) => Some(Principal::Agent {
                id: mostrador_core::model::AgentId(subject),
                admin: a != 0,
            }),
            _ => None,
        })
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), ServerError> {
        let _writer = self.writer().await;
        with_pool!(self, p => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    // ---- the server's own values ----

    /// A value of the `meta` table.
    pub async fn meta(&self, key: &str) -> Result<Option<String>, ServerError> {
        let v = with_pool!(self, p => sqlx::query("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(p)
            .await?
            .map(|r| r.try_get::<String, _>(0))
            .transpose()?);
        Ok(v)
    }

    /// Sets a value of the `meta` table.
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), ServerError> {
        let _writer = self.writer().await;
        with_pool!(self, p => sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Sets a value of the `meta` table unless it is set; returns the stored value.
    pub async fn meta_or_insert(&self, key: &str, value: &str) -> Result<String, ServerError> {
        {
            let _writer = self.writer().await;
            with_pool!(self, p => sqlx::query(
                "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(value)
            .execute(p)
            .await?
            .rows_affected());
        }
        Ok(self.meta(key).await?.unwrap_or_else(|| value.to_owned()))
    }

    /// Every ticket's id and stored state (the system rules' sweep); tickets without a snapshot
    /// yet are folded from their events.
    pub async fn ticket_states(&self) -> Result<Vec<(String, Option<Ticket>)>, ServerError> {
        self.states_where("").await
    }

    /// The id and stored state of every ticket in one of `statuses` (the timed rules, SLA
    /// notices and agents' load act on a few statuses; at 100,000 tickets most are closed),
    /// read through the status column's index. Tickets without a snapshot are folded from their
    /// events and kept when their status is one of `statuses`.
    pub async fn ticket_states_in(
        &self,
        statuses: &[Status],
    ) -> Result<Vec<(String, Option<Ticket>)>, ServerError> {
        if statuses.is_empty() {
            return Ok(Vec::new());
        }
        // The closed set's own names, not user input: written into the query as literals.
        let names: Vec<String> = statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        let mut rows = self
            .states_where(&format!(
                "WHERE status IN ({}) OR status IS NULL",
                names.join(", ")
            ))
            .await?;
        rows.retain(|(_, t)| t.as_ref().is_some_and(|t| statuses.contains(&t.status)));
        Ok(rows)
    }

    async fn states_where(
        &self,
        condition: &str,
    ) -> Result<Vec<(String, Option<Ticket>)>, ServerError> {
        let sql = format!("SELECT id, state FROM tickets {condition} ORDER BY id");
        let rows: Vec<(String, Option<String>)> = with_pool!(self, p => sqlx::query(&sql)
        .fetch_all(p)
        .await?
        .iter()
        .map(|r| Ok::<_, sqlx::Error>((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, _>>()?);
        let mut out = Vec::with_capacity(rows.len());
        for (id, state) in rows {
            let t = match state.and_then(|s| serde_json::from_str::<Ticket>(&s).ok()) {
                Some(t) => Some(t),
                None => {
                    let bodies: Vec<String> = with_pool!(self, p => sqlx::query(
                        "SELECT body FROM events WHERE ticket = $1 ORDER BY seq",
                    )
                    .bind(&id)
                    .fetch_all(p)
                    .await?
                    .iter()
                    .map(|r| r.try_get::<String, _>(0))
                    .collect::<Result<_, _>>()?);
                    fold(&parse_events(bodies)?).map(for_checks)
                }
            };
            out.push((id, t));
        }
        Ok(out)
    }

    /// Runs `f` holding the PostgreSQL session advisory lock `key` when no other session holds
    /// it; `None` when another one does. On SQLite, runs `f` (the writer lock serializes).
    pub async fn exclusively<T>(
        &self,
        key: i64,
        f: impl std::future::Future<Output = T>,
    ) -> Result<Option<T>, ServerError> {
        let Db::Postgres(p, _) = self else {
            return Ok(Some(f.await));
        };
        /// Closes the session instead of returning it to the pool when `f` panics or is
        /// cancelled while holding the lock, which ends the session and so releases the lock.
        struct Held(Option<sqlx::pool::PoolConnection<sqlx::Postgres>>);
        impl Drop for Held {
            fn drop(&mut self) {
                if let Some(c) = self.0.take() {
                    drop(c.detach());
                }
            }
        }
        let mut conn = p.acquire().await?;
        let got: bool = sqlx::query("SELECT pg_try_advisory_lock($1)")
            .bind(key)
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        if !got {
            return Ok(None);
        }
        let mut held = Held(Some(conn));
        let out = f.await;
        if let Some(mut conn) = held.0.take() {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(key)
                .execute(&mut *conn)
                .await?;
        }
        Ok(Some(out))
    }

    /// Every stored workspace change with its sequence, in sequence order (tests).
    pub async fn all_changes(&self) -> Result<Vec<(u64, Change)>, ServerError> {
        let rows: Vec<(i64, String)> = with_pool!(self, p => sqlx::query(
            "SELECT seq, body FROM events WHERE ticket LIKE '~%' ORDER BY seq",
        )
        .fetch_all(p)
        .await?
        .iter()
        .map(|r| Ok::<_, sqlx::Error>((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, _>>()?);
        rows.into_iter()
            .map(|(s, b)| Ok((seq(s), parse_change(seq(s), &b)?)))
            .collect()
    }

    /// The stored snapshot of a ticket the push checks use (tests): `None` if there is none.
    pub async fn ticket_snapshot(&self, ticket: &str) -> Result<Option<Ticket>, ServerError> {
        let json: Option<Option<String>> = with_pool!(self, p => sqlx::query(
            "SELECT state FROM tickets WHERE id = $1",
        )
        .bind(ticket)
        .fetch_optional(p)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?);
        json.flatten()
            .map(|j| serde_json::from_str(&j).map_err(|e| ServerError::Internal(e.to_string())))
            .transpose()
    }

    /// Every stored event, in sequence order, without the workspace's changes (tests and
    /// benchmarks).
    pub async fn all_events(&self) -> Result<Vec<Event>, ServerError> {
        let bodies: Vec<String> = with_pool!(self, p => sqlx::query(
            "SELECT body FROM events WHERE ticket NOT LIKE '~%' ORDER BY seq",
        )
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

fn rejected(event: &Event, why: &Rejection) -> PushResult {
    rejected_id(&event.id, why)
}

fn rejected_id(id: &EventId, why: &Rejection) -> PushResult {
    PushResult::Rejected {
        id: id.clone(),
        code: why.code().into(),
        message: why.to_string(),
    }
}

fn parse_change(seq: u64, body: &str) -> Result<Change, ServerError> {
    serde_json::from_str(body)
        .map_err(|e| ServerError::Internal(format!("stored change {seq} is unreadable: {e}")))
}

impl Stored {
    /// The NOTIFY payload (see [`crate::live::Poke`]).
    pub fn to_payload(&self) -> String {
        match self {
            Stored::Customers(ids) => crate::live::Poke::to_payload(ids),
            Stored::Everybody => "*".into(),
        }
    }

    /// The poke for this process's streams.
    pub fn poke(self) -> crate::live::Poke {
        match self {
            Stored::Customers(ids) => crate::live::Poke::Customers(Arc::new(ids)),
            Stored::Everybody => crate::live::Poke::All,
        }
    }
}

fn agent_row<R: Row>(r: &R) -> Result<AgentRow, ServerError>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(AgentRow {
        id: r.try_get("id")?,
        password_hash: r.try_get("password_hash")?,
        admin: r.try_get::<i64, _>("admin")? != 0,
    })
}

/// A ticket as the push checks need it, of a size that does not grow with its history: no
/// thread, and of its status history only the latest entry of each status (what
/// `Ticket::last_entered` and "was it ever resolved" read). This is what `tickets.state` holds.
pub fn for_checks(mut t: Ticket) -> Ticket {
    t.thread = Vec::new();
    let mut seen = Vec::new();
    let mut kept: Vec<_> = t
        .status_history
        .into_iter()
        .rev()
        .filter(|e| {
            let new = !seen.contains(&e.status);
            if new {
                seen.push(e.status);
            }
            new
        })
        .collect();
    kept.reverse();
    t.status_history = kept;
    t
}

fn parse_events(bodies: Vec<String>) -> Result<Vec<Event>, ServerError> {
    bodies
        .iter()
        .map(|b| serde_json::from_str(b).map_err(|e| ServerError::Internal(e.to_string())))
        .collect()
}
