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
//! - No router takes over the host page's URL, and every class name starts with `mo-` so the
//!   styles work inside a Shadow DOM.

mod app;
mod audit_log;
mod bulk_bar;
mod composer;
mod console;
mod customer_ticket;
pub mod desk;
mod errors;
mod field;
mod header;
mod help_overlay;
pub mod host;
pub mod i18n;
mod ids;
mod inbox;
mod kb;
mod live;
mod log_ticket;
pub mod markdown;
mod messages;
mod my_tickets;
mod new_ticket;
mod portal;
mod properties;
mod rating;
mod requester_card;
pub mod seed;
mod sla_clocks;
mod status_badge;
pub mod style;
pub mod sync_link;
mod thread;
mod ticket_view;

pub use app::{App, AppOptions, Mode, OpenApp, StoreOpener};
pub use host::{HostEvent, HostLink, PrefillFields, SyncStatus, Visitor};
