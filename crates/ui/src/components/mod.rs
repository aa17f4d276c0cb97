//! Pieces the portal and the console share: labelled form fields and their errors, selects over
//! the core's named values, Markdown rendered as nodes, status badges, a ticket's thread, the
//! loading message.

pub mod choice;
pub mod custom_field;
pub mod deferred;
pub mod field;
pub mod loading;
pub mod markdown;
pub mod status_badge;
pub mod thread;
