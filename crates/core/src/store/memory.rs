//! A [`Store`] in memory: the reference implementation the contract suite is written against.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use async_trait::async_trait;
use serde_json::Value;

use super::{
    AppendReport, Feed, Notice, Origin, Page, PageRequest, Store, StoreError, Subscription,
    TicketSummary, ViewFilter, classify, index_ticket, page_of,
};
use crate::apply::fold;
use crate::code::TicketCode;
use crate::config::Settings;
use crate::event::{Event, EventId};
use crate::hlc::Hlc;
use crate::kb::Article;
use crate::model::{CustomerId, TicketId, Timestamp};
use crate::search::{DocKind, DocRef, Query, SearchIndex};
use crate::ticket::Ticket;
use crate::workspace::Change;
use crate::zone::{TimeZones, UtcOnly};

#[derive(Default)]
struct Inner {
    events: BTreeMap<EventId, Event>,
    by_ticket: BTreeMap<TicketId, BTreeSet<(Hlc, EventId)>>,
    tickets: BTreeMap<TicketId, Ticket>,
    rows: BTreeMap<TicketId, TicketSummary>,
    outbox: BTreeSet<(Hlc, EventId)>,
    settings: Option<Settings>,
    meta: BTreeMap<String, Value>,
    articles: BTreeMap<String, Article>,
    index: SearchIndex,
    changes: BTreeMap<EventId, Change>,
    change_outbox: BTreeSet<EventId>,
}

/// Everything in memory; lost when dropped.
pub struct MemoryStore {
    inner: RefCell<Inner>,
    /// Where calendars' time zones get their rules (list rows carry SLA due times).
    zones: Rc<dyn TimeZones>,
    /// Who hears of changes.
    feed: Feed,
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::with_zones(Rc::new(UtcOnly))
    }
}

impl MemoryStore {
    /// A store that reads every calendar in UTC (for tests and tools that use no local calendar;
    /// see [`MemoryStore::with_zones`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A store that reads calendars' time zones from `zones`.
    pub fn with_zones(zones: Rc<dyn TimeZones>) -> Self {
        MemoryStore {
            inner: RefCell::default(),
            zones,
            feed: Feed::default(),
        }
    }
}

/// Ids of tickets matching a text query, or `None` when the filter has no text.
pub(crate) fn text_matches(index: &SearchIndex, filter: &ViewFilter) -> Option<BTreeSet<String>> {
    let text = filter.text_query()?;
    let hits = index.search(&Query::new(text).kind(DocKind::Ticket).limit(usize::MAX));
    Some(
        hits.into_iter()
            .filter_map(|h| match h.doc {
                DocRef::Ticket(id) => Some(id),
                DocRef::Article(_) => None,
            })
            .collect(),
    )
}

#[async_trait(?Send)]
impl Store for MemoryStore {
    async fn append(
        &self,
        events: &[Event],
        origin: Origin,
        settings: &Settings,
        now: Timestamp,
    ) -> Result<AppendReport, StoreError> {
        let mut guard = self.inner.borrow_mut();
        let inner = &mut *guard;
        let (fresh, duplicates) = classify(events, |id| inner.events.get(id).cloned())?;
        let mut report = AppendReport {
            duplicates,
            ..AppendReport::default()
        };
        let mut touched = BTreeSet::new();
        for e in fresh {
            inner.events.insert(e.id.clone(), e.clone());
            inner
                .by_ticket
                .entry(e.ticket.clone())
                .or_default()
                .insert((e.hlc.clone(), e.id.clone()));
            if origin == Origin::Local {
                inner.outbox.insert((e.hlc.clone(), e.id.clone()));
            }
            report.added.push(e.id.clone());
            touched.insert(e.ticket.clone());
        }
        for id in &touched {
            let keys = inner.by_ticket.get(id).cloned().unwrap_or_default();
            let mut log: Vec<Event> = keys
                .iter()
                .filter_map(|(_, e)| inner.events.get(e).cloned())
                .collect();
            // An erasure removes the personal data from the stored events too.
            let redacted = crate::privacy::redactions(&log);
            if !redacted.is_empty() {
                for r in redacted {
                    inner.events.insert(r.id.clone(), r);
                }
                log = keys
                    .iter()
                    .filter_map(|(_, e)| inner.events.get(e).cloned())
                    .collect();
            }
            if let Some(t) = fold(&log) {
                let row = TicketSummary::of(&t, settings, &*self.zones, now);
                index_ticket(&mut inner.index, &t);
                inner.rows.insert(id.clone(), row);
                inner.tickets.insert(id.clone(), t);
            }
        }
        report.touched = touched.into_iter().collect();
        drop(guard);
        if !report.touched.is_empty() {
            self.feed.notify(&Notice::Tickets {
                touched: report.touched.clone(),
            });
        }
        Ok(report)
    }

    async fn ticket(&self, id: &TicketId) -> Result<Option<Ticket>, StoreError> {
        Ok(self.inner.borrow().tickets.get(id).cloned())
    }

    async fn ticket_by_code(&self, code: &TicketCode) -> Result<Option<Ticket>, StoreError> {
        Ok(self
            .inner
            .borrow()
            .tickets
            .values()
            .find(|t| &t.code == code)
            .cloned())
    }

    async fn events_of(&self, id: &TicketId) -> Result<Vec<Event>, StoreError> {
        let inner = self.inner.borrow();
        Ok(inner
            .by_ticket
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|(_, e)| inner.events.get(e).cloned())
            .collect())
    }

    async fn all_events(&self) -> Result<Vec<Event>, StoreError> {
        let mut all: Vec<Event> = self.inner.borrow().events.values().cloned().collect();
        all.sort_by(Event::log_order);
        Ok(all)
    }

    async fn page(&self, request: &PageRequest) -> Result<Page, StoreError> {
        let inner = self.inner.borrow();
        let text = text_matches(&inner.index, &request.filter);
        let rows = inner
            .rows
            .values()
            .filter(|r| text.as_ref().is_none_or(|t| t.contains(&r.id.0)));
        Ok(page_of(rows, request))
    }

    async fn count(&self, filter: &ViewFilter, now: Timestamp) -> Result<usize, StoreError> {
        let inner = self.inner.borrow();
        let text = text_matches(&inner.index, filter);
        Ok(inner
            .rows
            .values()
            .filter(|r| text.as_ref().is_none_or(|t| t.contains(&r.id.0)))
            .filter(|r| filter.matches(r, now))
            .count())
    }

    async fn customer_tickets(
        &self,
        customer: &CustomerId,
    ) -> Result<Vec<TicketSummary>, StoreError> {
        let mut rows: Vec<TicketSummary> = self
            .inner
            .borrow()
            .rows
            .values()
            .filter(|r| r.customer.as_ref() == Some(customer))
            .cloned()
            .collect();
        rows.sort_by(|a, b| super::SortKey::UpdatedDesc.compare(a, b));
        Ok(rows)
    }

    async fn outbox(&self, limit: usize) -> Result<Vec<Event>, StoreError> {
        let inner = self.inner.borrow();
        Ok(inner
            .outbox
            .iter()
            .take(limit)
            .filter_map(|(_, id)| inner.events.get(id).cloned())
            .collect())
    }

    async fn acknowledge(&self, ids: &[EventId]) -> Result<(), StoreError> {
        let mut inner = self.inner.borrow_mut();
        inner.outbox.retain(|(_, id)| !ids.contains(id));
        inner.change_outbox.retain(|id| !ids.contains(id));
        Ok(())
    }

    async fn settings(&self) -> Result<Option<Settings>, StoreError> {
        Ok(self.inner.borrow().settings.clone())
    }

    async fn save_settings(&self, settings: &Settings, now: Timestamp) -> Result<(), StoreError> {
        let mut guard = self.inner.borrow_mut();
        let inner = &mut *guard;
        let rows: BTreeMap<TicketId, TicketSummary> = inner
            .tickets
            .iter()
            .map(|(id, t)| {
                (
                    id.clone(),
                    TicketSummary::of(t, settings, &*self.zones, now),
                )
            })
            .collect();
        inner.rows = rows;
        inner.settings = Some(settings.clone());
        drop(guard);
        self.feed.notify(&Notice::Settings);
        Ok(())
    }

    async fn meta_json(&self, key: &str) -> Result<Option<Value>, StoreError> {
        Ok(self.inner.borrow().meta.get(key).cloned())
    }

    async fn set_meta_json(&self, key: &str, value: Value) -> Result<(), StoreError> {
        self.inner.borrow_mut().meta.insert(key.to_owned(), value);
        Ok(())
    }

    async fn articles(&self) -> Result<Vec<Article>, StoreError> {
        Ok(self.inner.borrow().articles.values().cloned().collect())
    }

    async fn save_article(&self, article: &Article) -> Result<(), StoreError> {
        self.inner
            .borrow_mut()
            .articles
            .insert(article.id.0.clone(), article.clone());
        self.feed.notify(&Notice::Articles);
        Ok(())
    }

    async fn append_changes(
        &self,
        changes: &[Change],
        origin: Origin,
    ) -> Result<Vec<EventId>, StoreError> {
        let mut inner = self.inner.borrow_mut();
        let mut fresh: Vec<&Change> = Vec::new();
        for c in changes {
            let known = inner
                .changes
                .get(&c.id)
                .or(fresh.iter().copied().find(|f| f.id == c.id));
            match known {
                Some(k) if k == c => {}
                Some(_) => return Err(StoreError::Conflict(c.id.0.clone())),
                None => fresh.push(c),
            }
        }
        let added: Vec<EventId> = fresh.iter().map(|c| c.id.clone()).collect();
        for c in fresh {
            inner.changes.insert(c.id.clone(), c.clone());
            if origin == Origin::Local {
                inner.change_outbox.insert(c.id.clone());
            }
        }
        drop(inner);
        if !added.is_empty() {
            self.feed.notify(&Notice::Workspace);
        }
        Ok(added)
    }

    async fn changes(&self) -> Result<Vec<Change>, StoreError> {
        let mut out: Vec<Change> = self.inner.borrow().changes.values().cloned().collect();
        out.sort_by(|a, b| (&a.hlc, &a.id).cmp(&(&b.hlc, &b.id)));
        Ok(out)
    }

    async fn change_outbox(&self) -> Result<Vec<Change>, StoreError> {
        let inner = self.inner.borrow();
        let mut out: Vec<Change> = inner
            .change_outbox
            .iter()
            .filter_map(|id| inner.changes.get(id).cloned())
            .collect();
        out.sort_by(|a, b| (&a.hlc, &a.id).cmp(&(&b.hlc, &b.id)));
        Ok(out)
    }

    fn subscribe(&self, f: Box<dyn FnMut(&Notice)>) -> Subscription {
        self.feed.subscribe(f)
    }
}
