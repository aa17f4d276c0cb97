//! The schema, as an ordered list of upgrade steps. Each released step upgrades from the version
//! before it; released steps are never edited, only new ones appended (a database on some
//! visitor's disk may be at any older version).
//!
//! | version | step |
//! |---|---|
//! | 1 | `tickets` (the foundation slice's draft records) |
//! | 2 | the event log, read models, list rows, outbox, settings, articles and meta; drops v1 drafts |
//! | 3 | the indexes that serve the inbox views |
//! | 4 | attachments (Blobs keyed by content hash) |
//! | 5 | workspace changes (settings sections, articles, deflections) and their outbox |
//! | 6 | ticket counters (`counts`) built from the rows, and the rows' SLA-risk index |
//! | 7 | the search index's snapshot (`search`) and the tickets changed since it (`search_dirty`) |

use wasm_bindgen::JsValue;
use web_sys::{IdbDatabase, IdbIndexParameters, IdbObjectStoreParameters, IdbTransaction};

/// Events by id; index [`TICKET`] (ticket id) and [`LOG`] (HLC wall, counter, node, id).
pub const EVENTS: &str = "events";
/// Folded tickets by id; index [`CODE`].
pub const TICKETS: &str = "tickets";
/// List rows (`TicketSummary`) by ticket id, with the view indexes.
pub const ROWS: &str = "rows";
/// Ids of local events not yet acknowledged by the sync server; index [`LOG`].
pub const OUTBOX: &str = "outbox";
/// The help desk's settings under the key [`SETTINGS_KEY`].
pub const SETTINGS: &str = "settings";
/// Knowledge-base articles by id.
pub const ARTICLES: &str = "articles";
/// Small named values (HLC state, sync cursor, preferences), out-of-line keys.
pub const META: &str = "meta";
/// Attachment Blobs by content hash; index [`SIZE`].
pub const ATTACHMENTS: &str = "attachments";

/// Workspace changes (`mostrador_core::workspace::Change`) by id.
pub const WORKSPACE: &str = "workspace";
/// Ids of local workspace changes not yet acknowledged by the sync server.
pub const WORKSPACE_OUTBOX: &str = "workspace_outbox";
/// Ticket counters `{ key, n }` by `CountKey` (as JSON): how many rows each (status, assignee,
/// priority) has. Changed in the transaction that changes the rows (`crate::counts`).
pub const COUNTS: &str = "counts";

/// The full-text index saved as bytes: [`SNAPSHOT_KEY`] holds a `Uint8Array` of
/// `SearchIndex::snapshot`, [`GENERATION_KEY`] a number that every save increments (a tab saves
/// only over the generation it loaded). Out-of-line keys. See `crate::search`.
pub const SEARCH: &str = "search";
/// Ids (keys; the values are `1`) of the tickets changed since the snapshot, written by every
/// append in its transaction, cleared by the transaction that saves a snapshot.
pub const SEARCH_DIRTY: &str = "search_dirty";

pub const SETTINGS_KEY: &str = "current";
pub const SNAPSHOT_KEY: &str = "snapshot";
pub const GENERATION_KEY: &str = "generation";

/// Index names.
pub const TICKET: &str = "ticket";
pub const LOG: &str = "log";
pub const CODE: &str = "code";
pub const STATUS_UPDATED: &str = "status_updated";
pub const ASSIGNEE_STATUS_UPDATED: &str = "assignee_status_updated";
pub const PRIORITY_UPDATED: &str = "priority_updated";
pub const CUSTOMER_UPDATED: &str = "customer_updated";
pub const SLA_DUE: &str = "sla_due";
pub const UPDATED: &str = "updated";
pub const CREATED: &str = "created";
pub const SIZE: &str = "size";
/// Rows by `risk`: from when an active row's SLA is at risk (`TicketSummary::sla_risk_from`).
pub const RISK: &str = "risk";

/// The schema version this build writes.
pub const CURRENT: u32 = 7;

thread_local! {
    /// Why a step's request callback aborted the upgrade (steps that read existing records finish
    /// after `upgrade` returned); the opener reports it.
    static LATE_FAILURE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Takes the reason a step aborted the upgrade from a request callback, if one did.
pub(crate) fn take_late_failure() -> Option<String> {
    LATE_FAILURE.with(|f| f.borrow_mut().take())
}

type Step = fn(&IdbDatabase, &IdbTransaction) -> Result<(), JsValue>;

/// Every step in order; `STEPS[n - 1]` upgrades version `n - 1` to `n`.
const STEPS: [Step; CURRENT as usize] = [v1, v2, v3, v4, v5, v6, v7];

/// Runs every step after `old` up to `new`, inside the `versionchange` transaction `tx`.
pub(crate) fn upgrade(
    db: &IdbDatabase,
    tx: &IdbTransaction,
    old: u32,
    new: u32,
) -> Result<(), JsValue> {
    for step in STEPS.iter().take(new as usize).skip(old as usize) {
        step(db, tx)?;
    }
    Ok(())
}

fn keyed(path: &str) -> IdbObjectStoreParameters {
    let p = IdbObjectStoreParameters::new();
    p.set_key_path(&JsValue::from_str(path));
    p
}

fn path(parts: &[&str]) -> JsValue {
    if let [one] = parts {
        return JsValue::from_str(one);
    }
    parts
        .iter()
        .map(|p| JsValue::from_str(p))
        .collect::<js_sys::Array>()
        .into()
}

fn index(
    store: &web_sys::IdbObjectStore,
    name: &str,
    parts: &[&str],
    unique: bool,
) -> Result<(), JsValue> {
    let params = IdbIndexParameters::new();
    params.set_unique(unique);
    store.create_index_with_str_sequence_and_optional_parameters(name, &path(parts), &params)?;
    Ok(())
}

/// The foundation slice: drafts keyed by `id`.
fn v1(db: &IdbDatabase, _tx: &IdbTransaction) -> Result<(), JsValue> {
    db.create_object_store_with_optional_parameters(TICKETS, &keyed("id"))?;
    Ok(())
}

/// The store proper. Records are small envelopes: the fields indexes need, plus the value as JSON
/// text in `json` (one string is far cheaper to clone into IndexedDB than a deep object).
fn v2(db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    // v1 held drafts, not folded tickets; no event log backs them, so they cannot be kept.
    let tickets = tx.object_store(TICKETS)?;
    tickets.clear()?;
    index(&tickets, CODE, &["code"], false)?;

    let events = db.create_object_store_with_optional_parameters(EVENTS, &keyed("id"))?;
    index(&events, TICKET, &["ticket"], false)?;
    index(&events, LOG, &["wall", "counter", "node", "id"], false)?;

    db.create_object_store_with_optional_parameters(ROWS, &keyed("id"))?;

    let outbox = db.create_object_store_with_optional_parameters(OUTBOX, &keyed("id"))?;
    index(&outbox, LOG, &["wall", "counter", "node", "id"], false)?;

    db.create_object_store(SETTINGS)?;
    db.create_object_store_with_optional_parameters(ARTICLES, &keyed("id"))?;
    db.create_object_store(META)?;
    Ok(())
}

/// Indexes for the inbox: each ends with `updated` so a view pages newest-first straight off the
/// index. Rows lacking a field (no customer, no running SLA clock) are simply not in its index.
fn v3(_db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    let rows = tx.object_store(ROWS)?;
    index(&rows, STATUS_UPDATED, &["status", "updated"], false)?;
    index(
        &rows,
        ASSIGNEE_STATUS_UPDATED,
        &["assignee", "status", "updated"],
        false,
    )?;
    index(&rows, PRIORITY_UPDATED, &["priority", "updated"], false)?;
    index(&rows, CUSTOMER_UPDATED, &["customer", "updated"], false)?;
    index(&rows, SLA_DUE, &["sla_due"], false)?;
    index(&rows, UPDATED, &["updated"], false)?;
    index(&rows, CREATED, &["created"], false)?;
    Ok(())
}

/// Attachments: `{ blob (content hash), name, mime, size, data: Blob }`.
fn v4(db: &IdbDatabase, _tx: &IdbTransaction) -> Result<(), JsValue> {
    let store = db.create_object_store_with_optional_parameters(ATTACHMENTS, &keyed("blob"))?;
    index(&store, SIZE, &["size"], false)?;
    Ok(())
}

/// Workspace changes `{ id, json }` and their outbox `{ id }`. Settings and articles kept before
/// this step stay in their stores; the app records them as changes once (`workspace::adopt`).
fn v5(db: &IdbDatabase, _tx: &IdbTransaction) -> Result<(), JsValue> {
    db.create_object_store_with_optional_parameters(WORKSPACE, &keyed("id"))?;
    db.create_object_store_with_optional_parameters(WORKSPACE_OUTBOX, &keyed("id"))?;
    Ok(())
}

/// Ticket counters and the SLA-risk index. Both are built from the rows already stored, inside
/// this upgrade transaction: one read of every row, then the counters and the rows that gain a
/// `risk` field are written. A row that cannot be read aborts the upgrade (the database stays at
/// version 5 and opening reports why).
fn v6(db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    db.create_object_store_with_optional_parameters(COUNTS, &keyed("key"))?;
    let rows = tx.object_store(ROWS)?;
    index(&rows, RISK, &["risk"], false)?;
    let req = rows.get_all()?;
    let (r, t) = (req.clone(), tx.clone());
    let on_rows = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Err(e) = v6_build(&r, &t) {
            LATE_FAILURE.with(|f| *f.borrow_mut() = Some(format!("building the counters: {e}")));
            let _ = t.abort();
        }
    });
    req.set_onsuccess(Some(wasm_bindgen::JsCast::unchecked_ref(&on_rows)));
    Ok(())
}

fn v6_build(req: &web_sys::IdbRequest, tx: &IdbTransaction) -> Result<(), crate::IdbError> {
    use mostrador_core::store::TicketSummary;
    let rows_store = tx.object_store(ROWS)?;
    let mut rows: Vec<TicketSummary> = Vec::new();
    for record in js_sys::Array::from(&req.result()?).iter() {
        let row: TicketSummary = crate::codec::from_record(&record, "row")?;
        if let Some(risk) = row.sla_risk_from() {
            js_sys::Reflect::set(&record, &JsValue::from_str("risk"), &crate::codec::ms(risk))?;
            rows_store.put(&record)?;
        }
        rows.push(row);
    }
    crate::counts::Deltas::of_rows(&rows).write(&tx.object_store(COUNTS)?, &Default::default())
}

/// The search index's snapshot and its dirty list. Both start empty: the first text query builds
/// the index from the tickets, as before, and saves it.
fn v7(db: &IdbDatabase, _tx: &IdbTransaction) -> Result<(), JsValue> {
    db.create_object_store(SEARCH)?;
    db.create_object_store(SEARCH_DIRTY)?;
    Ok(())
}

/// Opens `name` at exactly `version`, running the steps up to it. For tests that need a database
/// as an older release left it; the app always opens at [`CURRENT`].
#[doc(hidden)]
pub async fn open_at(name: &str, version: u32) -> Result<IdbDatabase, crate::IdbError> {
    crate::conn::open_raw(name, version).await
}
