//! # mostrador-ui
//!
//! The Leptos client-side app: the customer portal and the agent console.
//!
//! ## Invariants
//!
//! - Domain rules live in `mostrador-core`; components hold plain core data in signals and change
//!   tickets only through [`desk::Desk::run`] (`decide` → `Store::append`).
//! - The app is written against the core's `Store` trait; which store (IndexedDB, memory) is the
//!   caller's choice.
//! - User text is only ever rendered as text nodes, never as HTML; Markdown is walked into nodes.
//! - The agent console's screens compile only with the `console` feature: the customer widget
//!   is built without it so a visitor downloads the portal alone.
//! - No router takes over the host page's URL, and every class name starts with `mo-` so the
//!   styles work inside a Shadow DOM.

// Without the console the shared desk keeps methods only the console calls.
#![cfg_attr(not(feature = "console"), allow(dead_code, unused_imports))]

mod app;
pub mod attachments;
#[cfg(feature = "console")]
mod audit_log;
#[cfg(feature = "console")]
mod bulk_bar;
#[cfg(feature = "console")]
mod composer;
#[cfg(feature = "console")]
mod console;
#[cfg(feature = "console")]
mod customer_data;
mod customer_ticket;
#[cfg(feature = "console")]
mod dashboard;
pub mod desk;
mod errors;
mod field;
mod header;
#[cfg(feature = "console")]
mod help_overlay;
pub mod host;
pub mod i18n;
mod ids;
#[cfg(feature = "console")]
mod inbox;
mod kb;
#[cfg(feature = "console")]
mod kb_admin;
mod live;
#[cfg(feature = "console")]
mod log_ticket;
pub mod markdown;
mod messages;
mod my_tickets;
mod new_ticket;
#[cfg(feature = "console")]
mod portability;
mod portal;
#[cfg(feature = "console")]
mod properties;
mod rating;
#[cfg(feature = "console")]
mod requester_card;
pub mod seed;
#[cfg(feature = "console")]
mod settings_page;
#[cfg(feature = "console")]
mod sla_clocks;
mod status_badge;
pub mod style;
pub mod sync_link;
mod thread;
#[cfg(feature = "console")]
mod ticket_view;
#[cfg(feature = "console")]
mod welcome;

pub use app::{App, AppOptions, Mode, OpenApp, StoreOpener};
pub use attachments::{BlobError, BlobStore};
pub use host::{HostEvent, HostLink, PrefillFields, SyncStatus, Visitor};
