//! # mostrador-sync
//!
//! The browser driver for the core's sans-IO [`SyncEngine`](mostrador_core::sync::SyncEngine): it
//! moves bytes with `fetch`, listens to the server's Server-Sent Events with `EventSource`, and
//! keeps to one syncing tab per origin with the Web Locks API. Every protocol decision (what to
//! push, when to pull, how long to back off) is the engine's.
//!
//! Persistence comes in through [`SyncStorage`], a small trait the app's store implements (outbox,
//! acknowledgements, remote events with the checkpoint), so this crate does not know IndexedDB.
//!
//! **Architecture invariant:** only [`classify`] and [`SyncStorage`] are platform-neutral; the
//! driver itself (`browser`) exists on `wasm32` only.

use async_trait::async_trait;
use mostrador_core::event::{Event, EventId};
use mostrador_core::sync::{ApiError, Checkpoint, Failure};
use mostrador_core::workspace::Change;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub use browser::{SyncHandle, SyncOptions, agent_session, anonymous_session, start};

/// The store could not do what sync asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("local storage failed during sync: {0}")]
pub struct StorageError(pub String);

/// What sync needs from the local store. Implementations keep each call atomic: in particular
/// [`SyncStorage::apply_remote`] stores the events and the checkpoint in one transaction, so a
/// reload resumes exactly after the last events it kept.
#[async_trait(?Send)]
pub trait SyncStorage {
    /// Up to `limit` events waiting to be pushed, oldest first.
    async fn outbox(&self, limit: usize) -> Result<Vec<Event>, StorageError>;
    /// The server stored these: drop them from the outbox (they stay in the log).
    async fn acknowledge(&self, ids: &[EventId]) -> Result<(), StorageError>;
    /// The server refused these for good `(id, code, message)`: drop them from the outbox and
    /// the log, and surface them to the user.
    async fn reject(&self, rejected: &[(EventId, String, String)]) -> Result<(), StorageError>;
    /// Workspace changes (settings, articles, deflections) waiting to be pushed, oldest first.
    /// [`SyncStorage::acknowledge`] and [`SyncStorage::reject`] take their ids too.
    async fn change_outbox(&self) -> Result<Vec<Change>, StorageError>;
    /// Adds workspace changes and events from the server (already-known ids are ignored; the
    /// changes first, so the events are read under the settings they came with) and saves the
    /// checkpoint.
    async fn apply_remote(
        &self,
        changes: &[Change],
        events: &[Event],
        checkpoint: Checkpoint,
    ) -> Result<(), StorageError>;
    /// Where the last session stopped.
    async fn load_checkpoint(&self) -> Result<Checkpoint, StorageError>;
}

/// Turns an unsuccessful HTTP answer into what the engine should make of it. `retry_after` is
/// the `Retry-After` header's value, `body` the response text (an [`ApiError`] when the server
/// wrote it).
pub fn classify(status: u16, retry_after: Option<&str>, body: &str) -> Failure {
    let message = serde_json::from_str::<ApiError>(body)
        .map(|e| e.message)
        .unwrap_or_else(|_| format!("the sync server answered HTTP {status}"));
    match status {
        401 | 403 => Failure::Unauthorized(message),
        426 => Failure::Fatal(message),
        429 => Failure::RateLimited {
            retry_after_ms: retry_after
                .and_then(|s| s.trim().parse::<i64>().ok())
                .map(|s| s.saturating_mul(1000)),
        },
        408 | 500..=599 => Failure::Transient(message),
        _ => Failure::Fatal(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_map_to_engine_failures() {
        let api = r#"{"error":"protocol_unsupported","message":"update the app"}"#;
        assert_eq!(
            classify(426, None, api),
            Failure::Fatal("update the app".into())
        );
        assert!(matches!(classify(401, None, ""), Failure::Unauthorized(_)));
        assert_eq!(
            classify(429, Some("7"), ""),
            Failure::RateLimited {
                retry_after_ms: Some(7_000)
            }
        );
        assert_eq!(
            classify(429, Some("soon"), ""),
            Failure::RateLimited {
                retry_after_ms: None
            }
        );
        assert!(
            matches!(classify(503, None, "<html>"), Failure::Transient(m) if m.contains("503"))
        );
        assert!(matches!(classify(413, None, ""), Failure::Fatal(_)));
    }
}
