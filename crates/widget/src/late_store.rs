//! The agent console's store with its writing code fetched when first needed.
//!
//! A `dyn Store` keeps every method of the store, and everything they call, in the module that
//! makes it: the IndexedDB store's append (folding, projecting, indexing, the outbox), the
//! workspace's log, the event history. The console's first screen only reads (the inbox's page,
//! its counts, the settings), so in the console's split build the store is held through this
//! wrapper: the reads are the IndexedDB store's own, called directly; everything else goes
//! through the whole store, made in a module of its own (`console_store`) that is fetched when
//! the console is first idle or at the first call that needs it, whichever comes first.

use std::cell::RefCell;
use std::rc::Rc;

use async_trait::async_trait;
use mostrador_core::code::TicketCode;
use mostrador_core::config::Settings;
use mostrador_core::event::{Event, EventId};
use mostrador_core::kb::Article;
use mostrador_core::model::{CustomerId, TicketId, Timestamp};
use mostrador_core::store::{
    AppendReport, Notice, Origin, Page, PageRequest, Store, StoreError, Subscription,
    TicketSummary, ViewFilter,
};
use mostrador_core::ticket::Ticket;
use mostrador_core::workspace::Change;
use mostrador_idb::IdbStore;
use mostrador_ui::components::deferred::Unloaded;
use serde_json::Value;

/// The IndexedDB store, its writes behind a module fetched once.
pub(crate) struct LateStore {
    reads: Rc<IdbStore>,
    whole: RefCell<Option<Rc<dyn Store>>>,
}

impl LateStore {
    pub(crate) fn over(store: Rc<IdbStore>) -> Rc<LateStore> {
        Rc::new(LateStore {
            reads: store,
            whole: RefCell::new(None),
        })
    }

    /// The whole store, its module fetched the first time.
    async fn whole(&self) -> Result<Rc<dyn Store>, StoreError> {
        if let Some(whole) = self.whole.borrow().clone() {
            return Ok(whole);
        }
        let whole = whole_store(self.reads.clone()).await.map_err(|Unloaded| {
            StoreError::Unavailable(
                "the code that writes to this device's storage could not be fetched; \
                 check the connection and try again"
                    .into(),
            )
        })?;
        *self.whole.borrow_mut() = Some(whole.clone());
        Ok(whole)
    }

    /// Fetches the writing code when the browser is first idle (after the first screen).
    pub(crate) fn prefetch(self: &Rc<Self>) {
        let me = self.clone();
        leptos::prelude::request_idle_callback(move || {
            let me = me.clone();
            leptos::task::spawn_local(async move {
                let _ = me.whole().await;
            });
        });
    }
}

/// The whole IndexedDB store as a `dyn Store`: made here, so its methods are this module's.
#[leptos::wasm_split::wasm_split(console_store, wasm_split_path = ::leptos::wasm_split, fallible)]
fn whole_store(store: Rc<IdbStore>) -> Result<Rc<dyn Store>, Unloaded> {
    Ok(store)
}

#[async_trait(?Send)]
impl Store for LateStore {
    async fn append(
        &self,
        events: &[Event],
        origin: Origin,
        settings: &Settings,
        now: Timestamp,
    ) -> Result<AppendReport, StoreError> {
        self.whole()
            .await?
            .append(events, origin, settings, now)
            .await
    }
    async fn ticket(&self, id: &TicketId) -> Result<Option<Ticket>, StoreError> {
        self.reads.ticket(id).await
    }
    async fn ticket_by_code(&self, code: &TicketCode) -> Result<Option<Ticket>, StoreError> {
        self.reads.ticket_by_code(code).await
    }
    async fn events_of(&self, id: &TicketId) -> Result<Vec<Event>, StoreError> {
        self.whole().await?.events_of(id).await
    }
    async fn all_events(&self) -> Result<Vec<Event>, StoreError> {
        self.whole().await?.all_events().await
    }
    async fn page(&self, request: &PageRequest) -> Result<Page, StoreError> {
        self.reads.page(request).await
    }
    async fn count(&self, filter: &ViewFilter, now: Timestamp) -> Result<usize, StoreError> {
        self.reads.count(filter, now).await
    }
    async fn customer_tickets(
        &self,
        customer: &CustomerId,
    ) -> Result<Vec<TicketSummary>, StoreError> {
        self.reads.customer_tickets(customer).await
    }
    async fn outbox(&self, limit: usize) -> Result<Vec<Event>, StoreError> {
        self.whole().await?.outbox(limit).await
    }
    async fn acknowledge(&self, ids: &[EventId]) -> Result<(), StoreError> {
        self.whole().await?.acknowledge(ids).await
    }
    async fn settings(&self) -> Result<Option<Settings>, StoreError> {
        self.reads.settings().await
    }
    async fn save_settings(&self, settings: &Settings, now: Timestamp) -> Result<(), StoreError> {
        self.whole().await?.save_settings(settings, now).await
    }
    async fn meta_json(&self, key: &str) -> Result<Option<Value>, StoreError> {
        self.reads.meta_json(key).await
    }
    async fn set_meta_json(&self, key: &str, value: Value) -> Result<(), StoreError> {
        self.reads.set_meta_json(key, value).await
    }
    async fn articles(&self) -> Result<Vec<Article>, StoreError> {
        self.reads.articles().await
    }
    async fn save_article(&self, article: &Article) -> Result<(), StoreError> {
        self.whole().await?.save_article(article).await
    }
    async fn append_changes(
        &self,
        changes: &[Change],
        origin: Origin,
    ) -> Result<Vec<EventId>, StoreError> {
        self.whole().await?.append_changes(changes, origin).await
    }
    async fn changes(&self) -> Result<Vec<Change>, StoreError> {
        self.whole().await?.changes().await
    }
    async fn change_outbox(&self) -> Result<Vec<Change>, StoreError> {
        self.whole().await?.change_outbox().await
    }
    fn subscribe(&self, f: Box<dyn FnMut(&Notice)>) -> Subscription {
        self.reads.subscribe(f)
    }
}
