//! # mostrador-ui
//!
//! The Leptos client-side app: the customer portal and the agent console.
//!
//! ## Layout
//!
//! - [`shell`]: the root components, the contexts they provide (session), header, stylesheet.
//! - [`portal`]: what customers see. [`console`]: what agents see (the `console` feature).
//! - [`components`]: pieces both faces share (fields, Markdown, badges, thread, loading).
//! - [`services`]: what the screens use and do not draw (desk, sync, host link, attachments,
//!   live updates, clock and ids, sample data).
//! - [`i18n`]: languages, messages, and errors as messages.
//!
//! ## Invariants
//!
//! - Domain rules live in `mostrador-core`; components hold plain core data in signals and change
//!   tickets only through [`services::desk::Desk::run`] (`decide` → `Store::append`).
//! - The app is written against the core's `Store` trait; which store (IndexedDB, memory) is the
//!   caller's choice.
//! - User text is only ever rendered as text nodes, never as HTML; Markdown is walked into nodes.
//! - The agent console's screens compile only with the `console` feature: the customer widget
//!   is built without it so a visitor downloads the portal alone.
//! - No router takes over the host page's URL, and every class name starts with `mo-` so the
//!   styles work inside a Shadow DOM.

pub mod components;
#[cfg(feature = "console")]
pub mod console;
pub mod i18n;
pub mod portal;
pub mod services;
pub mod shell;

pub use services::attachments::{BlobError, BlobStore};
pub use services::desk::DeskStore;
pub use services::host::{HostEvent, HostLink, PrefillFields, SyncStatus, Visitor};
pub use shell::app::{
    App, AppOptions, OpenApp, OpenFailure, OpenedStore, StoreOpener, StoreOpening,
};
pub use shell::session::Mode;
pub use shell::style;
