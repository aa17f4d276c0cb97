//! # mostrador-widget
//!
//! The embeddable build of Mostrador. It is the only crate that knows `JsValue`: it turns the
//! host page's options into plain Rust data, mounts the app inside a Shadow DOM (so the host's CSS
//! does not reach us and ours does not leak out), and hands back a handle with `unmount()`.
//!
//! The host-facing JavaScript (launcher, custom element, host API, iframe fallback) lives in
//! `pkg/src/mostrador.js`; this crate is what it loads once the visitor asks for help.
//!
//! - [`host`]: what the host tells us about the visitor (locale, identity, prefilled ticket
//!   fields), validated into plain Rust.
//! - [`events`]: what the app tells the host (ready, ticket created, status changed, sync state).
//! - `options`: the `JsValue` → Rust boundary for mount options; `read` reads the host's objects
//!   field by field.
//! - `mount`: the Shadow DOM, the styles and the handle.

pub mod events;
pub mod host;
#[cfg(all(feature = "split", feature = "console"))]
mod late_store;
mod mount;
mod options;
mod read;
mod storage;
mod style;

pub use mount::{MountHandle, mount};
