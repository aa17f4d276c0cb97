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

pub const SETTINGS_KEY: &str = "current";

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

/// The schema version this build writes.
pub const CURRENT: u32 = 5;

type Step = fn(&IdbDatabase, &IdbTransaction) -> Result<(), JsValue>;

/// Every step in order; `STEPS[n - 1]` upgrades version `n - 1` to `n`.
const STEPS: [Step; CURRENT as usize] = [v1, v2, v3, v4, v5];

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

/// Opens `name` at exactly `version`, running the steps up to it. For tests that need a database
/// as an older release left it; the app always opens at [`CURRENT`].
#[doc(hidden)]
pub async fn open_at(name: &str, version: u32) -> Result<IdbDatabase, crate::IdbError> {
    crate::conn::open_raw(name, version).await
}
