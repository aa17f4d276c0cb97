//! The app shell: the root components, the contexts they provide to every screen (the session),
//! the header, and the stylesheet.

pub mod app;
pub mod header;
pub mod session;
pub mod style;
