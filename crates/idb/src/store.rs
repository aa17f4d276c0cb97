//! [`IdbStore`]: the core's [`Store`] on IndexedDB.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use async_trait::async_trait;
use mostrador_core::apply::{apply, fold};
use mostrador_core::code::TicketCode;
use mostrador_core::config::Settings;
use mostrador_core::event::{Event, EventId};
use mostrador_core::kb::Article;
use mostrador_core::model::{CustomerId, TicketId, Timestamp};
use mostrador_core::search::{DocKind, DocRef, Query, SearchIndex};
use mostrador_core::store::{
    AppendReport, CountKey, Feed, Notice, Origin, Page, PageRequest, SortKey, Store, StoreError,
    Subscription, TicketSummary, ViewFilter, classify, index_ticket, page_of,
};
use mostrador_core::ticket::Ticket;
use mostrador_core::workspace;
use serde_json::Value;
use wasm_bindgen::JsValue;
use web_sys::{IdbDatabase, IdbRequest};

use crate::conn::Connection;
use crate::js::Tx;
use crate::migrations::{
    ARTICLES, CODE, COUNTS, EVENTS, LOG, META, OUTBOX, ROWS, SEARCH_DIRTY, SETTINGS, SETTINGS_KEY,
    TICKET, TICKETS, WORKSPACE, WORKSPACE_OUTBOX,
};
use crate::tabs::Channel;
use crate::{IdbError, codec, counts, query};

/// The help desk's data in one IndexedDB database.
///
/// Cheap to clone (clones share the connection and caches). Not `Send`: browser handles are not.
#[derive(Clone)]
pub struct IdbStore {
    pub(crate) inner: Rc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) conn: Connection,
    /// The full-text index, built on the first text query and kept current on append. Dropped
    /// when another tab changes tickets, to be rebuilt on the next text query.
    pub(crate) search: Rc<RefCell<Option<SearchIndex>>>,
    /// The snapshot generation this handle's index was loaded from or last saved as (`search`).
    #[cfg(feature = "search-snapshot")]
    pub(crate) search_generation: std::cell::Cell<f64>,
    /// Other tabs' notices arrive here, this handle's go out (`Inner::announce`).
    pub(crate) channel: Channel,
    /// This handle's subscribers: they hear its own changes and other tabs'.
    pub(crate) feed: Feed,
    /// Test hook: make the next append fail after this many event writes.
    pub(crate) failpoint: std::cell::Cell<Option<usize>>,
    /// Calendars' time zones, for the SLA due times in list rows.
    pub(crate) zones: crate::zones::BrowserZones,
}

impl std::fmt::Debug for IdbStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdbStore")
            .field("name", &self.inner.conn.name())
            .finish_non_exhaustive()
    }
}

impl IdbStore {
    /// Opens (creating or upgrading as needed) the database called `name`. This is the first
    /// use: nothing touches storage before it.
    pub async fn open(name: &str) -> Result<IdbStore, IdbError> {
        let conn = Connection::new(name);
        conn.db().await?;
        let search: Rc<RefCell<Option<SearchIndex>>> = Rc::default();
        let stale = search.clone();
        let feed = Feed::default();
        let heard = feed.clone();
        let channel = Channel::new(name, move |notice| {
            // Another tab changed tickets: our index no longer matches the disk.
            if matches!(notice, Notice::Tickets { .. }) {
                stale.borrow_mut().take();
            }
            heard.notify(&notice);
        })?;
        Ok(IdbStore {
            inner: Rc::new(Inner {
                conn,
                search,
                #[cfg(feature = "search-snapshot")]
                search_generation: std::cell::Cell::new(0.0),
                channel,
                feed,
                failpoint: std::cell::Cell::new(None),
                zones: crate::zones::BrowserZones::new(),
            }),
        })
    }

    /// Test hook: the next append fails inside its transaction after `writes` event records were
    /// already written, the way a full disk or a browser error would. Nothing of it may remain.
    #[doc(hidden)]
    pub fn inject_failure_after_writes(&self, writes: usize) {
        self.inner.failpoint.set(Some(writes));
    }

    /// Tells this handle's subscribers and every other tab about a committed change.
    fn announce(&self, notice: Notice) {
        self.inner.channel.post(&notice);
        self.inner.feed.notify(&notice);
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        self.inner.conn.name()
    }

    pub(crate) async fn db(&self) -> Result<IdbDatabase, IdbError> {
        self.inner.conn.db().await
    }

    /// Whether the connection is open right now. Another tab's schema upgrade closes it; the next
    /// call reopens it.
    pub fn is_connected(&self) -> bool {
        self.inner.conn.is_open()
    }

    /// Closes the connection and deletes the whole database ("erase all data", tests).
    pub async fn delete(self) -> Result<(), IdbError> {
        let name = self.name().to_owned();
        self.inner.conn.close();
        drop(self);
        crate::storage::delete_database(&name).await
    }

    async fn read(&self, stores: &[&str]) -> Result<Tx, IdbError> {
        Tx::new(&self.db().await?, stores, false)
    }

    async fn write(&self, stores: &[&str]) -> Result<Tx, IdbError> {
        Tx::new(&self.db().await?, stores, true)
    }

    /// Reads every row (slow path for views no index serves, and text search candidates).
    pub(crate) async fn ticket_ids_matching(
        &self,
        filter: &ViewFilter,
    ) -> Result<Option<BTreeSet<String>>, IdbError> {
        let Some(text) = filter.text_query() else {
            return Ok(None);
        };
        if self.inner.search.borrow().is_none() {
            #[cfg(feature = "search-snapshot")]
            let built = crate::search::load(self).await?;
            #[cfg(not(feature = "search-snapshot"))]
            let built = self.build_search_index().await?;
            *self.inner.search.borrow_mut() = Some(built);
        }
        let search = self.inner.search.borrow();
        let Some(index) = search.as_ref() else {
            return Ok(Some(BTreeSet::new()));
        };
        let hits = index.search(&Query::new(text).kind(DocKind::Ticket).limit(usize::MAX));
        Ok(Some(
            hits.into_iter()
                .filter_map(|h| match h.doc {
                    DocRef::Ticket(id) => Some(id),
                    DocRef::Article(_) => None,
                })
                .collect(),
        ))
    }

    #[cfg(not(feature = "search-snapshot"))]
    async fn build_search_index(&self) -> Result<SearchIndex, IdbError> {
        let tx = self.read(&[TICKETS]).await?;
        let all = tx.wait(tx.store(TICKETS)?.get_all()?).await?;
        let mut index = SearchIndex::new();
        for record in js_sys::Array::from(&all).iter() {
            let t: Ticket = codec::from_record(&record, "ticket")?;
            index_ticket(&mut index, &t);
        }
        Ok(index)
    }

    /// Saves the search index as the snapshot the next handle loads, and waits for it (the app
    /// saves in the background by itself; benchmarks and tests wait). `Ok(false)` when this handle
    /// has no index yet or another tab saved since it loaded.
    #[cfg(feature = "search-snapshot")]
    #[doc(hidden)]
    pub async fn save_search_snapshot(&self) -> Result<bool, IdbError> {
        crate::search::save(self).await
    }

    /// Rows by id, for text-search candidates (up to [`MANY_HITS`] of them, or a view whose
    /// criteria need the rows).
    pub(crate) async fn rows_by_id(
        &self,
        ids: &BTreeSet<String>,
    ) -> Result<Vec<TicketSummary>, IdbError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let tx = self.read(&[ROWS]).await?;
        let rows = tx.store(ROWS)?;
        let reqs = ids
            .iter()
            .map(|id| rows.get(&JsValue::from_str(id)))
            .collect::<Result<Vec<_>, _>>()?;
        wait_all(&tx, &reqs).await?;
        let found = reqs
            .iter()
            .map(|r| r.result())
            .filter(|v| !matches!(v, Ok(v) if v.is_undefined()))
            .collect::<Result<Vec<_>, _>>()?;
        let total = found.len();
        codec::decode_rows(found, total).await
    }

    pub(crate) async fn rows_tx(&self) -> Result<Tx, IdbError> {
        self.read(&[ROWS, COUNTS]).await
    }

    async fn append_inner(
        &self,
        events: &[Event],
        origin: Origin,
        settings: &Settings,
        now: Timestamp,
    ) -> Result<AppendReport, StoreError> {
        if events.is_empty() {
            return Ok(AppendReport::default());
        }
        let mut stores = vec![EVENTS, TICKETS, ROWS, COUNTS, SEARCH_DIRTY];
        if origin == Origin::Local {
            stores.push(OUTBOX);
        }
        let tx = self.write(&stores).await?;
        let event_store = tx.store(EVENTS)?;

        // 1. Which of these ids are stored already (all lookups issued at once). A large batch
        //    first asks which keys its span holds (see `span_keys`): into a fresh device or an
        //    import that answer is "none", and the per-id lookups are skipped.
        let ids: Vec<&EventId> = events
            .iter()
            .map(|e| &e.id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let ticket_ids: Vec<&TicketId> = events
            .iter()
            .map(|e| &e.ticket)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let ticket_store = tx.store(TICKETS)?;
        let (known_events, known_tickets) = if ids.len() >= SPAN_PROBE_FROM {
            let e = span_keys(&event_store, ids.iter().map(|i| i.0.as_str()))?;
            let t = span_keys(&ticket_store, ticket_ids.iter().map(|i| i.0.as_str()))?;
            // Requests complete in order: waiting for the last covers both.
            tx.wait(t.req.clone()).await?;
            (e.keys()?, t.keys()?)
        } else {
            (None, None)
        };
        let maybe = |known: &Option<HashSet<String>>, id: &str| {
            known.as_ref().is_none_or(|k| k.contains(id))
        };
        let lookups: Vec<&EventId> = ids
            .iter()
            .copied()
            .filter(|id| maybe(&known_events, &id.0))
            .collect();
        let reqs = lookups
            .iter()
            .map(|id| event_store.get(&JsValue::from_str(&id.0)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(IdbError::from)?;
        wait_all(&tx, &reqs).await?;
        let mut stored: HashMap<&EventId, Event> = HashMap::new();
        for (id, r) in lookups.iter().zip(&reqs) {
            let v = r.result().map_err(IdbError::from)?;
            if !v.is_undefined() {
                stored.insert(id, codec::from_record(&v, "event")?);
            }
        }
        // A conflict returns here; dropping `tx` aborts it, so nothing is written.
        let (fresh, duplicates) = classify(events, |id| stored.get(id).cloned())?;
        let mut report = AppendReport {
            duplicates,
            ..AppendReport::default()
        };
        if fresh.is_empty() {
            return Ok(report);
        }

        // 2. The stored state of every touched ticket.
        let mut by_ticket: BTreeMap<&TicketId, Vec<&Event>> = BTreeMap::new();
        for e in &fresh {
            by_ticket.entry(&e.ticket).or_default().push(e);
        }
        let reqs = by_ticket
            .keys()
            .map(|id| {
                maybe(&known_tickets, &id.0)
                    .then(|| ticket_store.get(&JsValue::from_str(&id.0)))
                    .transpose()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(IdbError::from)?;
        // The counters, read last so waiting for them covers the ticket reads too.
        let counts_store = tx.store(COUNTS)?;
        let counters = tx.wait(counts::request_all(&counts_store)?).await?;
        let counters = counts::decode_all(&counters)?;
        // The counter key of each touched ticket's current row.
        let mut was: HashMap<TicketId, CountKey> = HashMap::new();

        // 3. Fold: a new ticket from its events; a known one by applying newer events on top;
        //    a ticket receiving an event older than its newest one is re-folded from its log.
        let mut folded: Vec<Ticket> = Vec::with_capacity(by_ticket.len());
        let mut refold: Vec<(&TicketId, Vec<&Event>)> = Vec::new();
        for ((id, mut evs), r) in by_ticket.into_iter().zip(&reqs) {
            evs.sort_by(|a, b| Event::log_order(a, b));
            let v = match r {
                Some(r) => r.result().map_err(IdbError::from)?,
                None => JsValue::UNDEFINED,
            };
            if v.is_undefined() {
                if let Some(t) = fold(evs.iter().copied()) {
                    folded.push(t);
                }
                continue;
            }
            let t: Ticket = codec::from_record(&v, "ticket")?;
            was.insert(t.id.clone(), CountKey::of_ticket(&t));
            let in_order = t
                .last_event
                .as_ref()
                .is_none_or(|(hlc, eid)| (&evs[0].hlc, &evs[0].id) > (hlc, eid));
            if in_order {
                folded.push(evs.iter().fold(t, |t, e| apply(Some(t), e)));
            } else {
                refold.push((id, evs));
            }
        }
        if !refold.is_empty() {
            let by_ticket_index = event_store.index(TICKET).map_err(IdbError::from)?;
            let reqs = refold
                .iter()
                .map(|(id, _)| by_ticket_index.get_all_with_key(&JsValue::from_str(&id.0)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(IdbError::from)?;
            wait_all(&tx, &reqs).await?;
            for ((_, evs), r) in refold.iter().zip(&reqs) {
                let mut log: Vec<Event> = Vec::new();
                for rec in js_sys::Array::from(&r.result().map_err(IdbError::from)?).iter() {
                    log.push(codec::from_record(&rec, "event")?);
                }
                if let Some(t) = fold(log.iter().chain(evs.iter().copied())) {
                    folded.push(t);
                }
            }
        }

        // 3b. Erased tickets: the events ordered before the erasure are rewritten redacted (the
        //     core decides which), so personal data leaves the log, not only the folded ticket.
        let erased: Vec<&TicketId> = folded
            .iter()
            .filter(|t| t.erased_at.is_some())
            .map(|t| &t.id)
            .collect();
        let mut redacted: Vec<Event> = Vec::new();
        if !erased.is_empty() {
            let by_ticket_index = event_store.index(TICKET).map_err(IdbError::from)?;
            let reqs = erased
                .iter()
                .map(|id| by_ticket_index.get_all_with_key(&JsValue::from_str(&id.0)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(IdbError::from)?;
            wait_all(&tx, &reqs).await?;
            for (id, r) in erased.iter().zip(&reqs) {
                let mut log: Vec<Event> =
                    decode_all(&r.result().map_err(IdbError::from)?, "event")?;
                log.extend(
                    fresh
                        .iter()
                        .filter(|e| &e.ticket == *id)
                        .map(|e| (*e).clone()),
                );
                redacted.extend(mostrador_core::privacy::redactions(&log));
            }
        }

        // 4. Write everything, then commit once. Requests are not awaited one by one: a failing
        //    one aborts the transaction and `commit` reports why.
        let rows = tx.store(ROWS)?;
        let outbox = match origin {
            Origin::Local => Some(tx.store(OUTBOX)?),
            Origin::Remote => None,
        };
        let failpoint = self.inner.failpoint.take();
        for (n, e) in fresh.iter().enumerate() {
            if failpoint == Some(n) && n > 0 {
                // Adding a key written moments ago fails asynchronously (ConstraintError) and
                // aborts the transaction, exactly like a real mid-batch failure.
                event_store
                    .add(&codec::event(fresh[0])?)
                    .map_err(IdbError::from)?;
            }
            event_store.put(&codec::event(e)?).map_err(IdbError::from)?;
            if let Some(o) = &outbox {
                o.put(&codec::outbox_entry(e)).map_err(IdbError::from)?;
            }
            report.added.push(e.id.clone());
        }
        for e in &redacted {
            event_store.put(&codec::event(e)?).map_err(IdbError::from)?;
        }
        let mut deltas = counts::Deltas::default();
        // The search index's snapshot no longer describes these tickets (`crate::search`).
        let dirty = tx.store(SEARCH_DIRTY)?;
        for t in &folded {
            dirty
                .put_with_key(&JsValue::from_f64(1.0), &JsValue::from_str(&t.id.0))
                .map_err(IdbError::from)?;
            deltas.moved(was.remove(&t.id), CountKey::of_ticket(t));
            ticket_store
                .put(&codec::ticket(t)?)
                .map_err(IdbError::from)?;
            rows.put(&codec::row(&TicketSummary::of(
                t,
                settings,
                &self.inner.zones,
                now,
            ))?)
            .map_err(IdbError::from)?;
        }
        deltas.write(&counts_store, &counters)?;
        tx.commit().await?;

        if let Some(index) = self.inner.search.borrow_mut().as_mut() {
            for t in &folded {
                index_ticket(index, t);
            }
        }
        let mut touched: Vec<TicketId> = folded.iter().map(|t| t.id.clone()).collect();
        touched.sort();
        report.touched = touched.clone();
        if !touched.is_empty() {
            self.announce(Notice::Tickets { touched });
        }
        Ok(report)
    }

    async fn get_one<T: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        key: &str,
        what: &str,
    ) -> Result<Option<T>, IdbError> {
        let tx = self.read(&[store]).await?;
        let v = tx
            .wait(tx.store(store)?.get(&JsValue::from_str(key))?)
            .await?;
        if v.is_undefined() {
            return Ok(None);
        }
        codec::from_record(&v, what).map(Some)
    }

    async fn put_one(
        &self,
        store: &str,
        key: Option<&str>,
        value: JsValue,
    ) -> Result<(), IdbError> {
        let tx = self.write(&[store]).await?;
        let os = tx.store(store)?;
        match key {
            Some(k) => os.put_with_key(&value, &JsValue::from_str(k))?,
            None => os.put(&value)?,
        };
        tx.commit().await
    }
}

/// A text query matching more tickets than this finds its page by the view's index keys and a
/// walk in the sort's order (`query::page_of_hits`) instead of reading every hit's row: reading
/// by id costs about 80 µs a row, the keys of a whole 100,000-ticket view tens of milliseconds.
const MANY_HITS: usize = 1_000;

/// From how many distinct event ids an append asks for the keys in its span before looking ids
/// up one by one.
const SPAN_PROBE_FROM: usize = 32;

/// A `getAllKeys` over the span of some sorted keys, limited to as many keys as there are.
struct SpanKeys {
    req: IdbRequest,
    limit: usize,
}

impl SpanKeys {
    /// Every stored key in the span, when the span held fewer keys than the limit (so the answer
    /// is complete); `None` when it may hold more (the caller looks keys up one by one).
    fn keys(&self) -> Result<Option<HashSet<String>>, IdbError> {
        let found = js_sys::Array::from(&self.req.result()?);
        if found.length() as usize >= self.limit {
            return Ok(None);
        }
        Ok(Some(found.iter().filter_map(|k| k.as_string()).collect()))
    }
}

/// Asks which keys `store` holds between the least and greatest of `keys`, at most as many as
/// `keys` has: one request where per-key lookups would be thousands.
fn span_keys<'a>(
    store: &web_sys::IdbObjectStore,
    keys: impl ExactSizeIterator<Item = &'a str> + Clone,
) -> Result<SpanKeys, IdbError> {
    let limit = keys.len();
    // IndexedDB orders strings by UTF-16 code units (Rust's `str` order is by UTF-8 bytes, which
    // differs above U+FFFF), so every key must fall inside the span in IndexedDB's order.
    let idb_order = |a: &&str, b: &&str| a.encode_utf16().cmp(b.encode_utf16());
    let first = keys.clone().min_by(idb_order).unwrap_or_default();
    let last = keys.max_by(idb_order).unwrap_or_default();
    let range = web_sys::IdbKeyRange::bound(&JsValue::from_str(first), &JsValue::from_str(last))?;
    let req =
        store.get_all_keys_with_key_and_limit(&range, u32::try_from(limit).unwrap_or(u32::MAX))?;
    Ok(SpanKeys { req, limit })
}

/// Waits for a batch of requests issued in one transaction: they complete in order, so waiting
/// for the last is enough, and a failure anywhere aborts the transaction and surfaces here.
pub(crate) async fn wait_all(tx: &Tx, reqs: &[IdbRequest]) -> Result<(), IdbError> {
    if let Some(last) = reqs.last() {
        tx.wait(last.clone()).await?;
    }
    Ok(())
}

fn decode_all<T: serde::de::DeserializeOwned>(
    array: &JsValue,
    what: &str,
) -> Result<Vec<T>, IdbError> {
    js_sys::Array::from(array)
        .iter()
        .map(|r| codec::from_record(&r, what))
        .collect()
}

#[async_trait(?Send)]
impl Store for IdbStore {
    async fn append(
        &self,
        events: &[Event],
        origin: Origin,
        settings: &Settings,
        now: Timestamp,
    ) -> Result<AppendReport, StoreError> {
        self.append_inner(events, origin, settings, now).await
    }

    async fn ticket(&self, id: &TicketId) -> Result<Option<Ticket>, StoreError> {
        Ok(self.get_one(TICKETS, &id.0, "ticket").await?)
    }

    async fn ticket_by_code(&self, code: &TicketCode) -> Result<Option<Ticket>, StoreError> {
        let tx = self.read(&[TICKETS]).await?;
        let index = tx.store(TICKETS)?.index(CODE).map_err(IdbError::from)?;
        let req = index
            .get(&JsValue::from_str(code.as_str()))
            .map_err(IdbError::from)?;
        let v = tx.wait(req).await?;
        if v.is_undefined() {
            return Ok(None);
        }
        Ok(Some(codec::from_record(&v, "ticket")?))
    }

    async fn events_of(&self, id: &TicketId) -> Result<Vec<Event>, StoreError> {
        let tx = self.read(&[EVENTS]).await?;
        let index = tx.store(EVENTS)?.index(TICKET).map_err(IdbError::from)?;
        let req = index
            .get_all_with_key(&JsValue::from_str(&id.0))
            .map_err(IdbError::from)?;
        let mut events: Vec<Event> = decode_all(&tx.wait(req).await?, "event")?;
        events.sort_by(Event::log_order);
        Ok(events)
    }

    async fn all_events(&self) -> Result<Vec<Event>, StoreError> {
        let tx = self.read(&[EVENTS]).await?;
        let req = tx.store(EVENTS)?.get_all().map_err(IdbError::from)?;
        let mut events: Vec<Event> = decode_all(&tx.wait(req).await?, "event")?;
        events.sort_by(Event::log_order);
        Ok(events)
    }

    async fn page(&self, request: &PageRequest) -> Result<Page, StoreError> {
        if let Some(ids) = self.ticket_ids_matching(&request.filter).await? {
            if ids.len() > MANY_HITS
                && let Some(page) = query::page_of_hits(self, &ids, request).await?
            {
                return Ok(page);
            }
            let rows = self.rows_by_id(&ids).await?;
            return Ok(page_of(rows.iter(), request));
        }
        Ok(query::page(self, request).await?)
    }

    async fn count(&self, filter: &ViewFilter, now: Timestamp) -> Result<usize, StoreError> {
        if let Some(ids) = self.ticket_ids_matching(filter).await? {
            if ids.len() > MANY_HITS
                && let Some(n) = query::count_hits(self, &ids, filter, now).await?
            {
                return Ok(n);
            }
            let rows = self.rows_by_id(&ids).await?;
            return Ok(rows.iter().filter(|r| filter.matches(r, now)).count());
        }
        Ok(query::count(self, filter, now).await?)
    }

    async fn customer_tickets(
        &self,
        customer: &CustomerId,
    ) -> Result<Vec<TicketSummary>, StoreError> {
        let filter = ViewFilter {
            customer: Some(customer.clone()),
            ..ViewFilter::default()
        };
        let mut rows = query::candidates(self, &filter).await?;
        rows.retain(|r| r.customer.as_ref() == Some(customer));
        rows.sort_by(|a, b| SortKey::UpdatedDesc.compare(a, b));
        Ok(rows)
    }

    async fn outbox(&self, limit: usize) -> Result<Vec<Event>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let tx = self.read(&[OUTBOX, EVENTS]).await?;
        let log = tx.store(OUTBOX)?.index(LOG).map_err(IdbError::from)?;
        let limit32 = u32::try_from(limit).unwrap_or(u32::MAX);
        let req = log
            .get_all_keys_with_key_and_limit(&JsValue::UNDEFINED, limit32)
            .map_err(IdbError::from)?;
        // The primary keys, in index order, are the event ids.
        let keys = js_sys::Array::from(&tx.wait(req).await?);
        let events = tx.store(EVENTS)?;
        let reqs = keys
            .iter()
            .map(|k| events.get(&k))
            .collect::<Result<Vec<_>, _>>()
            .map_err(IdbError::from)?;
        wait_all(&tx, &reqs).await?;
        let mut out = Vec::with_capacity(reqs.len());
        for r in &reqs {
            let v = r.result().map_err(IdbError::from)?;
            if v.is_undefined() {
                return Err(StoreError::Corrupt(
                    "the outbox names an event that is not stored".into(),
                ));
            }
            out.push(codec::from_record::<Event>(&v, "event")?);
        }
        out.sort_by(Event::log_order);
        Ok(out)
    }

    async fn acknowledge(&self, ids: &[EventId]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let tx = self.write(&[OUTBOX, WORKSPACE_OUTBOX]).await?;
        let outbox = tx.store(OUTBOX)?;
        let changes = tx.store(WORKSPACE_OUTBOX)?;
        for id in ids {
            let key = JsValue::from_str(&id.0);
            outbox.delete(&key).map_err(IdbError::from)?;
            changes.delete(&key).map_err(IdbError::from)?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn settings(&self) -> Result<Option<Settings>, StoreError> {
        Ok(self.get_one(SETTINGS, SETTINGS_KEY, "settings").await?)
    }

    async fn save_settings(&self, settings: &Settings, now: Timestamp) -> Result<(), StoreError> {
        let tx = self.write(&[SETTINGS, TICKETS, ROWS]).await?;
        let all = tx
            .wait(tx.store(TICKETS)?.get_all().map_err(IdbError::from)?)
            .await?;
        let rows = tx.store(ROWS)?;
        for record in js_sys::Array::from(&all).iter() {
            let t: Ticket = codec::from_record(&record, "ticket")?;
            rows.put(&codec::row(&TicketSummary::of(
                &t,
                settings,
                &self.inner.zones,
                now,
            ))?)
            .map_err(IdbError::from)?;
        }
        tx.store(SETTINGS)?
            .put_with_key(
                &codec::json_value(settings)?,
                &JsValue::from_str(SETTINGS_KEY),
            )
            .map_err(IdbError::from)?;
        tx.commit().await?;
        self.announce(Notice::Settings);
        Ok(())
    }

    async fn meta_json(&self, key: &str) -> Result<Option<Value>, StoreError> {
        Ok(self.get_one(META, key, "meta").await?)
    }

    async fn set_meta_json(&self, key: &str, value: Value) -> Result<(), StoreError> {
        Ok(self
            .put_one(META, Some(key), codec::json_value(&value)?)
            .await?)
    }

    async fn articles(&self) -> Result<Vec<Article>, StoreError> {
        let tx = self.read(&[ARTICLES]).await?;
        let req = tx.store(ARTICLES)?.get_all().map_err(IdbError::from)?;
        Ok(decode_all(&tx.wait(req).await?, "article")?)
    }

    async fn save_article(&self, article: &Article) -> Result<(), StoreError> {
        let record = crate::js::object(&[
            ("id", JsValue::from_str(&article.id.0)),
            ("json", codec::to_json(article)?),
        ]);
        self.put_one(ARTICLES, None, record).await?;
        self.announce(Notice::Articles);
        Ok(())
    }

    async fn append_changes(
        &self,
        changes: &[workspace::Change],
        origin: Origin,
    ) -> Result<Vec<EventId>, StoreError> {
        if changes.is_empty() {
            return Ok(Vec::new());
        }
        let tx = self.write(&[WORKSPACE, WORKSPACE_OUTBOX]).await?;
        let store = tx.store(WORKSPACE)?;
        let reqs = changes
            .iter()
            .map(|c| store.get(&JsValue::from_str(&c.id.0)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(IdbError::from)?;
        wait_all(&tx, &reqs).await?;
        let mut fresh: Vec<&workspace::Change> = Vec::new();
        for (c, r) in changes.iter().zip(&reqs) {
            let v = r.result().map_err(IdbError::from)?;
            let stored: Option<workspace::Change> = if v.is_undefined() {
                fresh.iter().find(|f| f.id == c.id).map(|f| (*f).clone())
            } else {
                Some(codec::from_record(&v, "workspace change")?)
            };
            match stored {
                Some(s) if s == *c => {}
                // Dropping `tx` aborts it: nothing of the batch is written.
                Some(_) => return Err(StoreError::Conflict(c.id.0.clone())),
                None => fresh.push(c),
            }
        }
        let outbox = tx.store(WORKSPACE_OUTBOX)?;
        for c in &fresh {
            let id = JsValue::from_str(&c.id.0);
            store
                .put(&crate::js::object(&[
                    ("id", id.clone()),
                    ("json", codec::to_json(c)?),
                ]))
                .map_err(IdbError::from)?;
            if origin == Origin::Local {
                outbox
                    .put(&crate::js::object(&[("id", id)]))
                    .map_err(IdbError::from)?;
            }
        }
        tx.commit().await?;
        if !fresh.is_empty() {
            self.announce(Notice::Workspace);
        }
        Ok(fresh.iter().map(|c| c.id.clone()).collect())
    }

    async fn changes(&self) -> Result<Vec<workspace::Change>, StoreError> {
        let tx = self.read(&[WORKSPACE]).await?;
        let req = tx.store(WORKSPACE)?.get_all().map_err(IdbError::from)?;
        let mut out: Vec<workspace::Change> = decode_all(&tx.wait(req).await?, "workspace change")?;
        out.sort_by(|a, b| (&a.hlc, &a.id).cmp(&(&b.hlc, &b.id)));
        Ok(out)
    }

    async fn change_outbox(&self) -> Result<Vec<workspace::Change>, StoreError> {
        let tx = self.read(&[WORKSPACE, WORKSPACE_OUTBOX]).await?;
        let req = tx
            .store(WORKSPACE_OUTBOX)?
            .get_all_keys()
            .map_err(IdbError::from)?;
        let keys = js_sys::Array::from(&tx.wait(req).await?);
        let store = tx.store(WORKSPACE)?;
        let reqs = keys
            .iter()
            .map(|k| store.get(&k))
            .collect::<Result<Vec<_>, _>>()
            .map_err(IdbError::from)?;
        wait_all(&tx, &reqs).await?;
        let mut out = Vec::with_capacity(reqs.len());
        for r in &reqs {
            let v = r.result().map_err(IdbError::from)?;
            if v.is_undefined() {
                return Err(StoreError::Corrupt(
                    "the workspace outbox names a change that is not stored".into(),
                ));
            }
            out.push(codec::from_record::<workspace::Change>(
                &v,
                "workspace change",
            )?);
        }
        out.sort_by(|a, b| (&a.hlc, &a.id).cmp(&(&b.hlc, &b.id)));
        Ok(out)
    }

    fn subscribe(&self, f: Box<dyn FnMut(&Notice)>) -> Subscription {
        self.inner.feed.subscribe(f)
    }
}
