//! Pieces the portal and the console share: form fields and their errors, Markdown rendered as
//! nodes, status badges, a ticket's thread, the loading message.

pub mod custom_field;
pub mod field;
pub mod loading;
pub mod markdown;
pub mod status_badge;
pub mod thread;
