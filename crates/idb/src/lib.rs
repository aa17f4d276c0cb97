//! # mostrador-idb
//!
//! IndexedDB persistence for Mostrador, so a shop can run the help desk with no server at all.
//! [`IdbStore`] implements the core's `Store` trait and passes the same contract suite as the
//! in-memory store, in a real browser.
//!
//! ## Invariants
//!
//! - Nothing is opened or written until [`IdbStore::open`]; [`database_exists`] looks without
//!   creating.
//! - Every logical change is one read-write transaction, committed explicitly; a failure anywhere
//!   (a conflicting event, a quota error, a dropped future) aborts it, so nothing is half-written.
//! - The schema only moves forward through [`migrations`]; a released step is never edited.
//! - Reading never panics on bad data: an unreadable record is `StoreError::Corrupt`.
//!
//! ## Map
//!
//! - `store`: [`IdbStore`] and the `Store` implementation (append = one transaction over events,
//!   tickets, rows and outbox).
//! - `query`: views served by indexes (cursor over the best index, then the core's filter/sort)
//!   and totals from `counts`, the ticket counters append keeps in its own transaction.
//! - `tabs`: the store's change notices to and from other tabs (BroadcastChannel; subscribers
//!   hear them through the core's `Store::subscribe`) and [`try_sync_lock`] (Web Locks).
//! - `search` (feature `search-snapshot`, the console's): the full-text index saved as a
//!   snapshot plus the tickets changed since, so the first text query needs no rebuild.
//! - `storage`: existence check, persistence request, deletion, attachments with limits.
//! - `conn`: the lazily (re)opened connection; `js`: requests and transactions as futures;
//!   `codec`: record envelopes.
//! - `zones`: [`BrowserZones`], the browser's time-zone rules (`Intl`) for the core's calendars;
//!   `text`: [`BrowserText`], the browser's Unicode normalisation for the core's text cleaning and
//!   search folding.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

#[doc(hidden)]
pub mod bench;
mod codec;
mod conn;
mod counts;
mod error;
mod js;
pub mod migrations;
mod query;
#[cfg(feature = "search-snapshot")]
mod search;
mod storage;
mod store;
mod tabs;
mod text;
mod zones;

pub use error::IdbError;
pub use storage::{
    AttachmentError, MAX_TOTAL_ATTACHMENT_BYTES, database_exists, delete_database,
    request_persistent_storage,
};
pub use store::IdbStore;
pub use tabs::{LockGuard, try_sync_lock};
pub use text::BrowserText;
pub use zones::BrowserZones;
