//! # mostrador-ui
//!
//! The Leptos client-side app: the customer portal and the agent console.
//!
//! ## Invariants
//!
//! - Domain rules live in `mostrador-core`; components hold plain core data in signals.
//! - User text is only ever rendered as text nodes, never as HTML.
//! - No router takes over the host page's URL, and every class name starts with `mo-` so the
//!   styles work inside a Shadow DOM.

mod app;
mod portal;
pub mod style;

pub use app::{App, AppOptions, Mode};
