//! What the screens use and do not draw: the desk (the app's one link to the store), what starts
//! when it arrives, the optional
//! sync connection, the embedding page's link, attachments' bytes, the
//! clock and random ids, the agent's alerts, the returning visitor's note for the loader, asking for storage in a third-party frame, and the sample data.

#[cfg(feature = "console")]
pub mod alerts;
pub(crate) mod arrival;
pub mod attachments;
pub mod desk;
pub mod host;
pub mod ids;
#[cfg(feature = "console")]
pub mod notifications;
pub mod returning;
pub mod seed;
pub mod storage_access;
pub mod sync_link;
#[cfg(feature = "console")]
pub mod system_rules;
