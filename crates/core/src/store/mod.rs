//! The storage contract: what any place that keeps a help desk's data must do.
//!
//! [`Store`] is implemented by [`MemoryStore`] (tests, the server's scratch use) and by the
//! IndexedDB store in the browser; both must pass the shared suite in `contract` (compiled for
//! the core's tests and, behind the `contract` feature, for a store's tests). A store keeps
//! the event log and, atomically with it, the read models derived from it (tickets and their list
//! rows), the sync outbox, the workspace changes (settings, articles, deflections) with their
//! outbox, the settings and articles they fold to, and small metadata (typed: [`MetaKey`]); it
//! announces every committed change on its feed ([`Store::subscribe`], [`Notice`]).

#[cfg(any(test, feature = "contract"))]
pub mod contract;
mod feed;
mod memory;
mod meta;
mod view;

use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;
use serde_json::Value;
use thiserror::Error;

use crate::code::TicketCode;
use crate::config::Settings;
use crate::event::{Event, EventId};
use crate::kb::Article;
use crate::model::{CustomerId, TicketId, Timestamp};
use crate::search::{Fields, SearchIndex};
use crate::ticket::Ticket;
use crate::workspace::Change;

pub use feed::{Feed, Notice, Subscription};
pub use memory::MemoryStore;
pub use meta::{Meta, MetaKey};
pub use view::{
    AssigneeFilter, BuiltinView, CountKey, Page, PageRequest, SortKey, TicketSummary, ViewFilter,
    page_of,
};

/// Why a store could not do what was asked. Nothing was written when an error is returned.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum StoreError {
    /// The storage is not there (private browsing, a blocked iframe, a closed database).
    #[error("storage is unavailable: {0}")]
    Unavailable(String),
    /// The device or browser has no room left; nothing of the change was written.
    #[error("storage is full: free space on this device, or export and remove old data")]
    QuotaExceeded,
    /// The same event id arrived with different contents: one of the copies was tampered with.
    #[error("event {0} is already stored with different contents; the new copy was refused")]
    Conflict(String),
    /// Stored data could not be read back.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// Anything else the backend reported.
    #[error("storage failed: {0}")]
    Backend(String),
}

/// Where appended events come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Decided on this device: they also go to the sync outbox.
    Local,
    /// Received from sync or an import: stored, never sent back.
    Remote,
}

/// What an append changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppendReport {
    /// Events that were new, in the order given.
    pub added: Vec<EventId>,
    /// Events already stored (same id, same contents), skipped.
    pub duplicates: usize,
    /// Tickets whose state changed.
    pub touched: Vec<TicketId>,
}

/// Persistence for one help desk. Single-threaded (`?Send`) because browser handles are.
#[async_trait(?Send)]
pub trait Store {
    /// Stores `events` (skipping ones already stored), re-folds the tickets they touch, updates
    /// their list rows and, for local events, the outbox — all in one atomic change. A conflicting
    /// duplicate refuses the whole batch.
    async fn append(
        &self,
        events: &[Event],
        origin: Origin,
        settings: &Settings,
        now: Timestamp,
    ) -> Result<AppendReport, StoreError>;

    /// The folded ticket.
    async fn ticket(&self, id: &TicketId) -> Result<Option<Ticket>, StoreError>;

    /// The ticket with this human code.
    async fn ticket_by_code(&self, code: &TicketCode) -> Result<Option<Ticket>, StoreError>;

    /// A ticket's events in log order (its audit history).
    async fn events_of(&self, id: &TicketId) -> Result<Vec<Event>, StoreError>;

    /// Every event in log order (export, full re-sync).
    async fn all_events(&self) -> Result<Vec<Event>, StoreError>;

    /// One page of a view.
    async fn page(&self, request: &PageRequest) -> Result<Page, StoreError>;

    /// How many tickets a view has.
    async fn count(&self, filter: &ViewFilter, now: Timestamp) -> Result<usize, StoreError>;

    /// One customer's tickets, newest activity first.
    async fn customer_tickets(
        &self,
        customer: &CustomerId,
    ) -> Result<Vec<TicketSummary>, StoreError>;

    /// Up to `limit` local events not yet acknowledged by the sync server, in log order.
    async fn outbox(&self, limit: usize) -> Result<Vec<Event>, StoreError>;

    /// Removes acknowledged events from the outbox.
    async fn acknowledge(&self, ids: &[EventId]) -> Result<(), StoreError>;

    /// The saved settings, if any were saved.
    async fn settings(&self) -> Result<Option<Settings>, StoreError>;

    /// Saves settings and re-projects every list row under them (SLA clocks may move).
    async fn save_settings(&self, settings: &Settings, now: Timestamp) -> Result<(), StoreError>;

    /// Small named values (the HLC state, sync cursor, UI preferences) as stored. Callers read
    /// and write them typed, through [`Meta`] and a [`MetaKey`].
    async fn meta_json(&self, key: &str) -> Result<Option<Value>, StoreError>;

    /// Stores a named value as JSON (see [`Store::meta_json`]).
    async fn set_meta_json(&self, key: &str, value: Value) -> Result<(), StoreError>;

    /// Every knowledge-base article.
    async fn articles(&self) -> Result<Vec<Article>, StoreError>;

    /// Inserts or replaces an article (by id).
    async fn save_article(&self, article: &Article) -> Result<(), StoreError>;

    /// Stores workspace changes (skipping ones already stored) and, for local ones, queues them
    /// for the sync server — in one atomic change. A conflicting duplicate (same id, different
    /// contents) refuses the whole batch. Returns the ids that were new. The settings and
    /// articles read models are refreshed from the log by [`refresh_workspace`].
    async fn append_changes(
        &self,
        changes: &[Change],
        origin: Origin,
    ) -> Result<Vec<EventId>, StoreError>;

    /// Every stored workspace change, in log order.
    async fn changes(&self) -> Result<Vec<Change>, StoreError>;

    /// Local workspace changes not yet acknowledged by the sync server, in log order.
    /// [`Store::acknowledge`] removes them as it removes events.
    async fn change_outbox(&self) -> Result<Vec<Change>, StoreError>;

    /// Calls `f` after every change committed to this store: through this handle (before the
    /// writing call returns) and, where the store is shared with other tabs, through theirs (when
    /// their notice arrives). Appends that add nothing and metadata are not announced. Dropping
    /// the [`Subscription`] stops the calls.
    fn subscribe(&self, f: Box<dyn FnMut(&Notice)>) -> Subscription;
}

/// What a store's call returns: a future on this thread (browser handles are not `Send`).
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + 'a>>;

/// The part of [`Store`] the customer portal uses: its tickets, the workspace, sync's outboxes
/// and metadata. Every [`Store`] is one (each call is the `Store` method of the same name), so
/// nothing is implemented twice. The customer widget holds its store as `dyn PortalStore`: a
/// `dyn` object keeps every method of its trait in the module, and this one leaves out what only
/// agents read (a view's page, a ticket's history, a lookup by code).
pub trait PortalStore {
    /// [`Store::append`].
    fn append<'a>(
        &'a self,
        events: &'a [Event],
        origin: Origin,
        settings: &'a Settings,
        now: Timestamp,
    ) -> StoreFuture<'a, AppendReport>;
    /// [`Store::ticket`].
    fn ticket<'a>(&'a self, id: &'a TicketId) -> StoreFuture<'a, Option<Ticket>>;
    /// [`Store::all_events`].
    fn all_events(&self) -> StoreFuture<'_, Vec<Event>>;
    /// [`Store::count`].
    fn count<'a>(&'a self, filter: &'a ViewFilter, now: Timestamp) -> StoreFuture<'a, usize>;
    /// [`Store::customer_tickets`].
    fn customer_tickets<'a>(
        &'a self,
        customer: &'a CustomerId,
    ) -> StoreFuture<'a, Vec<TicketSummary>>;
    /// [`Store::outbox`].
    fn outbox(&self, limit: usize) -> StoreFuture<'_, Vec<Event>>;
    /// [`Store::acknowledge`].
    fn acknowledge<'a>(&'a self, ids: &'a [EventId]) -> StoreFuture<'a, ()>;
    /// [`Store::settings`].
    fn settings(&self) -> StoreFuture<'_, Option<Settings>>;
    /// [`Store::save_settings`].
    fn save_settings<'a>(&'a self, settings: &'a Settings, now: Timestamp) -> StoreFuture<'a, ()>;
    /// [`Store::meta_json`].
    fn meta_json<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Value>>;
    /// [`Store::set_meta_json`].
    fn set_meta_json<'a>(&'a self, key: &'a str, value: Value) -> StoreFuture<'a, ()>;
    /// [`Store::articles`].
    fn articles(&self) -> StoreFuture<'_, Vec<Article>>;
    /// [`Store::save_article`].
    fn save_article<'a>(&'a self, article: &'a Article) -> StoreFuture<'a, ()>;
    /// [`Store::append_changes`].
    fn append_changes<'a>(
        &'a self,
        changes: &'a [Change],
        origin: Origin,
    ) -> StoreFuture<'a, Vec<EventId>>;
    /// [`Store::changes`].
    fn changes(&self) -> StoreFuture<'_, Vec<Change>>;
    /// [`Store::change_outbox`].
    fn change_outbox(&self) -> StoreFuture<'_, Vec<Change>>;
    /// [`Store::subscribe`].
    fn subscribe(&self, f: Box<dyn FnMut(&Notice)>) -> Subscription;
}

impl<S: Store + ?Sized> PortalStore for S {
    fn append<'a>(
        &'a self,
        events: &'a [Event],
        origin: Origin,
        settings: &'a Settings,
        now: Timestamp,
    ) -> StoreFuture<'a, AppendReport> {
        Store::append(self, events, origin, settings, now)
    }
    fn ticket<'a>(&'a self, id: &'a TicketId) -> StoreFuture<'a, Option<Ticket>> {
        Store::ticket(self, id)
    }
    fn all_events(&self) -> StoreFuture<'_, Vec<Event>> {
        Store::all_events(self)
    }
    fn count<'a>(&'a self, filter: &'a ViewFilter, now: Timestamp) -> StoreFuture<'a, usize> {
        Store::count(self, filter, now)
    }
    fn customer_tickets<'a>(
        &'a self,
        customer: &'a CustomerId,
    ) -> StoreFuture<'a, Vec<TicketSummary>> {
        Store::customer_tickets(self, customer)
    }
    fn outbox(&self, limit: usize) -> StoreFuture<'_, Vec<Event>> {
        Store::outbox(self, limit)
    }
    fn acknowledge<'a>(&'a self, ids: &'a [EventId]) -> StoreFuture<'a, ()> {
        Store::acknowledge(self, ids)
    }
    fn settings(&self) -> StoreFuture<'_, Option<Settings>> {
        Store::settings(self)
    }
    fn save_settings<'a>(&'a self, settings: &'a Settings, now: Timestamp) -> StoreFuture<'a, ()> {
        Store::save_settings(self, settings, now)
    }
    fn meta_json<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Value>> {
        Store::meta_json(self, key)
    }
    fn set_meta_json<'a>(&'a self, key: &'a str, value: Value) -> StoreFuture<'a, ()> {
        Store::set_meta_json(self, key, value)
    }
    fn articles(&self) -> StoreFuture<'_, Vec<Article>> {
        Store::articles(self)
    }
    fn save_article<'a>(&'a self, article: &'a Article) -> StoreFuture<'a, ()> {
        Store::save_article(self, article)
    }
    fn append_changes<'a>(
        &'a self,
        changes: &'a [Change],
        origin: Origin,
    ) -> StoreFuture<'a, Vec<EventId>> {
        Store::append_changes(self, changes, origin)
    }
    fn changes(&self) -> StoreFuture<'_, Vec<Change>> {
        Store::changes(self)
    }
    fn change_outbox(&self) -> StoreFuture<'_, Vec<Change>> {
        Store::change_outbox(self)
    }
    fn subscribe(&self, f: Box<dyn FnMut(&Notice)>) -> Subscription {
        Store::subscribe(self, f)
    }
}

/// Folds the stored workspace changes and brings the settings and articles read models up to
/// them: each settings section some change has set, and each article some change has saved.
/// Sections no change has set keep what the store has (settings kept before they were synced,
/// until [`crate::workspace::adopt`] records them). Returns the fold.
pub async fn refresh_workspace<S: PortalStore + ?Sized>(
    store: &S,
    now: Timestamp,
) -> Result<crate::workspace::Workspace, StoreError> {
    let ws = crate::workspace::fold(&store.changes().await?);
    let stored = store.settings().await?;
    let mut settings = stored.clone().unwrap_or_default();
    for kind in ws.sections.keys() {
        crate::workspace::Section::of(&ws.settings, *kind).apply_to(&mut settings);
    }
    if !ws.sections.is_empty() && stored.as_ref() != Some(&settings) {
        store.save_settings(&settings, now).await?;
    }
    let articles = store.articles().await?;
    for (id, a) in &ws.articles {
        if !articles.iter().any(|x| x.id == *id && x == a) {
            store.save_article(a).await?;
        }
    }
    Ok(crate::workspace::Workspace { settings, ..ws })
}

/// Adds (or refreshes) a ticket in a full-text index: subject as title, code and tags as tags,
/// description and every message as body; the customer's order numbers (from the site's signed
/// context) as tags, so an agent finds a ticket by the order it is about. Agents search internal
/// notes too.
pub fn index_ticket(index: &mut SearchIndex, t: &Ticket) {
    let text = TicketText::of(t);
    index.upsert(
        crate::search::DocRef::Ticket(t.id.0.clone()),
        Fields {
            title: &t.subject,
            tags: &text.tags,
            body: &text.body,
        },
    );
}

/// What search reads of a ticket besides its subject (the title): its tags with its code and the
/// requester's order numbers, and a body of the description, every message and who wrote it.
/// Benchmarks feed other search libraries the same text.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketText {
    pub tags: Vec<String>,
    pub body: String,
}

impl TicketText {
    pub fn of(t: &Ticket) -> TicketText {
        let mut tags: Vec<String> = t.tags.iter().cloned().collect();
        tags.push(t.code.to_string());
        if let Some(c) = &t.requester.context {
            tags.extend(c.orders.iter().cloned());
        }
        let mut body = t.description.clone();
        for m in &t.thread {
            body.push('\n');
            body.push_str(&m.body);
        }
        body.push('\n');
        body.push_str(&t.requester.name);
        if let Some(e) = &t.requester.email {
            body.push(' ');
            body.push_str(e);
        }
        TicketText { tags, body }
    }
}

/// Checks a batch against what is stored: which events are new, and whether any id arrives with
/// different contents. `stored` looks an id up.
pub fn classify(
    events: &[Event],
    stored: impl Fn(&EventId) -> Option<Event>,
) -> Result<(Vec<&Event>, usize), StoreError> {
    let mut fresh: Vec<&Event> = Vec::new();
    // The first copy of each fresh id, so a batch is classified in linear time.
    let mut seen: std::collections::HashMap<&EventId, &Event> = std::collections::HashMap::new();
    let mut duplicates = 0;
    for e in events {
        match stored(&e.id) {
            Some(existing) if crate::privacy::same_event(&existing, e) => duplicates += 1,
            Some(_) => return Err(StoreError::Conflict(e.id.0.clone())),
            None => match seen.get(&e.id) {
                Some(first) if *first != e => return Err(StoreError::Conflict(e.id.0.clone())),
                Some(_) => duplicates += 1,
                None => {
                    seen.insert(&e.id, e);
                    fresh.push(e);
                }
            },
        }
    }
    Ok((fresh, duplicates))
}

// The reference store passes the contract it is the reference for.
#[cfg(test)]
mod memory_contract {
    use super::MemoryStore;

    crate::store_contract_tests!(blocking test, futures::executor::block_on, async {
        MemoryStore::new()
    });
}
