//! # mostrador-core
//!
//! The domain of Mostrador, written once and used by the browser app, the IndexedDB store and the
//! sync server.
//!
//! ## Invariants
//!
//! - **No IO.** This crate reads no clock, no random source, no file, no network. Time and fresh ids
//!   come in through [`Ctx`](crate::ctx::Ctx); storage is behind the async `Store` trait, which callers
//!   implement.
//! - **No web or UI dependency.** Nothing here knows Leptos, `wasm-bindgen` or `JsValue`; the types
//!   are plain data that serialize with serde.
//! - **Events are the truth.** Tickets change only through `decide` (command → events, or a typed
//!   error) and `apply` (event → new state). The same set of events folds to the same state on every
//!   device, whatever order they arrived in.
//!
//! ## Map
//!
//! - [`model`] vocabulary; [`customer`] what the host site vouches for about a customer; [`code`] human ticket codes; [`settings`] (priority matrix, windows,
//!   custom fields).
//! - [`hlc`] hybrid logical clock; [`ctx`] time, clock and random bits passed into every decision.
//! - [`command`] → [`decide`] (with [`policy`]: roles and time rules) → [`event`] → [`apply`]
//!   (`apply`, `fold`, `fold_all`) → [`ticket`] read model and its customer projection.
//! - [`status`] the status machine, one `match`; [`merge`] merging tickets; [`template`] canned
//!   responses and macros; [`audit`] the history as plain data; [`export`] versioned import/export;
//!   [`privacy`] customers' access and erasure requests.
//! - [`calendar`] business hours; [`sla`] SLA policies and clocks; [`assignment`] routing rules;
//!   [`kpi`] support metrics; [`search`] full-text index; [`kb`] knowledge base and deflection.
//! - [`text`] Unicode normalisation (NFC for cleaned text, NFKD for search folding) as a
//!   capability: compiled-in tables (feature `unicode-tables`) or the browser's, installed once.
//! - [`automation`] what the system does as time passes (wake, auto-close, SLA escalation).
//! - [`config`] the whole configuration; [`facts`] tickets → SLA/KPI/routing inputs; [`store`]
//!   the `Store` trait, `MemoryStore` and the contract suite every store must pass; [`workspace`]
//!   settings, articles and deflection records as synced changes.

pub mod apply;
pub mod assignment;
pub mod assistant;
pub mod audit;
pub mod automation;
pub mod calendar;
pub mod code;
pub mod command;
pub mod config;
pub mod ctx;
pub mod customer;
pub mod decide;
pub mod error;
pub mod event;
pub mod export;
pub mod facts;
pub mod hlc;
mod intake;
pub mod kb;
pub mod kpi;
pub mod merge;
pub mod model;
pub mod named;
pub mod notify;
pub mod policy;
pub mod privacy;
pub mod search;
pub mod settings;
pub mod sla;
pub mod status;
pub mod store;
pub mod sync;
pub mod template;
pub mod text;
pub mod ticket;
pub mod validate;
pub mod wire;
pub mod workspace;
pub mod zone;

#[cfg(test)]
mod tests;
