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
//! Attachment bytes travel beside the events: once the server has accepted the events that
//! announce a file, the driver uploads the file's bytes (`PUT /v1/files/{sha256}`), and a device
//! that lacks a file fetches it on demand (`download_file`); the app checks its hash before
//! keeping it.
//!
//! **Architecture invariant:** only [`classify`] and [`SyncStorage`] are platform-neutral; the
//! driver itself (`browser`) exists on `wasm32` only.

use async_trait::async_trait;
use mostrador_core::event::{Event, EventId};
use mostrador_core::sync::{ApiError, Checkpoint, Failure};
use mostrador_core::workspace::Change;

pub mod admin;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub use browser::{
    SyncHandle, SyncOptions, admin_request, agent_session, anonymous_session, download_file, start,
};

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
    /// The server accepted events that announce these files: remember to upload their bytes
    /// (kept across reloads until [`SyncStorage::file_uploaded`]). A store without files ignores
    /// this.
    async fn queue_uploads(&self, _files: &[PendingFile]) -> Result<(), StorageError> {
        Ok(())
    }
    /// Files whose bytes still have to reach the server, oldest first.
    async fn pending_uploads(&self) -> Result<Vec<PendingFile>, StorageError> {
        Ok(Vec::new())
    }
    /// The bytes of a file this device keeps, if it still does.
    async fn file_bytes(&self, _sha256: &str) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(None)
    }
    /// The upload of `file` is over: stored, or refused for good with `(code, message)` (the
    /// store drops it from the queue and, when refused, tells the person).
    async fn file_uploaded(
        &self,
        _file: &PendingFile,
        _refused: Option<(String, String)>,
    ) -> Result<(), StorageError> {
        Ok(())
    }
}

/// A file whose bytes wait to be uploaded: its content hash (hex SHA-256) and media type.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingFile {
    pub sha256: String,
    pub mime: String,
}

impl PendingFile {
    /// The files announced by `events` (openings and messages), each once, in order.
    pub fn announced_by<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<PendingFile> {
        use mostrador_core::event::Payload;
        let mut out: Vec<PendingFile> = Vec::new();
        for e in events {
            let files = match &e.payload {
                Payload::TicketOpened(o) => &o.attachments,
                Payload::MessagePosted { attachments, .. } => attachments,
                _ => continue,
            };
            for a in files {
                if !out.iter().any(|f| f.sha256 == a.blob) {
                    out.push(PendingFile {
                        sha256: a.blob.clone(),
                        mime: a.mime.clone(),
                    });
                }
            }
        }
        out
    }
}

/// What became of one upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadOutcome {
    /// The server keeps the bytes (now or already).
    Stored,
    /// Refused for good `(code, message)`: a hash or size mismatch, a type the server does not
    /// take, a quota, a file no accepted event announces. Trying again would not help.
    Refused(String, String),
    /// Not now (network, server busy, session expired): try again later.
    Later(Failure),
}

/// What an upload's HTTP answer means. 404/413/415/422 are final; 401/403, 408, 429 and 5xx
/// are worth another try.
pub fn upload_outcome(status: u16, body: &str) -> UploadOutcome {
    if (200..300).contains(&status) {
        return UploadOutcome::Stored;
    }
    match status {
        404 | 413 | 415 | 422 => {
            let (code, message) = serde_json::from_str::<ApiError>(body)
                .map(|e| (e.error, e.message))
                .unwrap_or_else(|_| {
                    (
                        status.to_string(),
                        format!("the sync server refused the file (HTTP {status})"),
                    )
                });
            UploadOutcome::Refused(code, message)
        }
        _ => UploadOutcome::Later(classify(status, None, body)),
    }
}

/// Why a file could not be fetched from the server.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DownloadError {
    /// The server knows the file but its bytes have not arrived from the device that attached it.
    #[error("the file has not reached the sync server yet")]
    NotUploaded,
    /// Not there, or not for this person (erased, an internal note's file, another's ticket).
    #[error("the sync server has no such file for you")]
    NotFound,
    /// The bytes that came are not the file (their hash differs): nothing was kept.
    #[error("the file that arrived is damaged")]
    Damaged,
    #[error("{0}")]
    Failed(String),
}

/// What a download's unsuccessful HTTP answer means.
pub fn download_error(status: u16, body: &str) -> DownloadError {
    let code = serde_json::from_str::<ApiError>(body).map(|e| e.error);
    match (status, code.as_deref()) {
        (404, Ok("not_uploaded")) => DownloadError::NotUploaded,
        (404, _) => DownloadError::NotFound,
        _ => DownloadError::Failed(match classify(status, None, body) {
            Failure::Offline => "offline".into(),
            Failure::RateLimited { .. } => "too many requests; try again in a moment".into(),
            Failure::Transient(m) | Failure::Unauthorized(m) | Failure::Fatal(m) => m,
        }),
    }
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

    #[test]
    fn upload_answers_are_final_or_worth_retrying() {
        assert_eq!(upload_outcome(201, ""), UploadOutcome::Stored);
        assert_eq!(upload_outcome(200, ""), UploadOutcome::Stored);
        let mismatch = r#"{"error":"hash_mismatch","message":"the bytes are not the file"}"#;
        assert_eq!(
            upload_outcome(422, mismatch),
            UploadOutcome::Refused("hash_mismatch".into(), "the bytes are not the file".into())
        );
        assert!(
            matches!(upload_outcome(415, "<html>"), UploadOutcome::Refused(c, _) if c == "415")
        );
        assert!(matches!(
            upload_outcome(503, ""),
            UploadOutcome::Later(Failure::Transient(_))
        ));
        assert!(matches!(
            upload_outcome(401, ""),
            UploadOutcome::Later(Failure::Unauthorized(_))
        ));
    }

    #[test]
    fn download_answers_say_what_happened() {
        let later = r#"{"error":"not_uploaded","message":"not yet"}"#;
        assert_eq!(download_error(404, later), DownloadError::NotUploaded);
        assert_eq!(download_error(404, ""), DownloadError::NotFound);
        assert!(matches!(download_error(500, ""), DownloadError::Failed(m) if m.contains("500")));
    }

    #[test]
    fn files_are_announced_by_openings_and_messages_once() {
        use mostrador_core::event::Payload;
        use mostrador_core::model::{Attachment, Visibility};
        let file = |n: &str| Attachment {
            name: format!("{n}.png"),
            mime: "image/png".into(),
            size: 3,
            blob: n.repeat(64),
        };
        let message = |files: Vec<Attachment>| Event {
            id: mostrador_core::event::EventId("e1".into()),
            hlc: mostrador_core::hlc::Hlc::zero(mostrador_core::hlc::NodeId("n".into())),
            ticket: mostrador_core::model::TicketId("t1".into()),
            actor: mostrador_core::model::Actor::System,
            payload: Payload::MessagePosted {
                visibility: Visibility::Public,
                body: "see".into(),
                attachments: files,
            },
        };
        let events = [
            message(vec![file("a"), file("b")]),
            message(vec![file("a")]),
        ];
        let got: Vec<String> = PendingFile::announced_by(&events)
            .into_iter()
            .map(|f| f.sha256)
            .collect();
        assert_eq!(got, vec!["a".repeat(64), "b".repeat(64)]);
    }
}
