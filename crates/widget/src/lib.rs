//! # mostrador-widget
//!
//! The embeddable build of Mostrador. It is the only crate that knows `JsValue`: it turns the
//! host page's options into plain Rust data, mounts the app inside a Shadow DOM (so the host's CSS
//! does not reach us and ours does not leak out), and hands back a handle with `unmount()`.

mod mount;
mod options;

pub use mount::{MountHandle, mount};
