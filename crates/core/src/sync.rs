//! Sync, without IO: the wire protocol's types, the rules a server applies to every event a device
//! pushes ([`check_remote_event`]), and the client's [`SyncEngine`], which turns an outbox into push
//! requests and responses into acknowledgements, remote events and a new cursor.
//!
//! The engine never fetches, sleeps or reads a clock: the caller passes `now` and a random value
//! for backoff jitter, sends the requests it produces and feeds back what came of them. A small
//! driver (the browser one lives in `mostrador-sync`) does the moving of bytes. See
//! `docs/sync-protocol.md` for the protocol itself.

mod check;
mod engine;
mod protocol;

pub use check::{CheckContext, Principal, Rejection, check_remote_event};
pub use engine::{
    Checkpoint, EngineConfig, Failure, Next, PullApplied, PushApplied, SyncEngine, SyncStatus,
};
pub use protocol::{
    ApiError, LoginRequest, MAX_BATCH, MAX_PULL, PROTOCOL_HEADER, PROTOCOL_VERSION, PullRequest,
    PullResponse, PulledChange, PulledEvent, PushRequest, PushResponse, PushResult, ServerInfo,
    SessionReply, StreamPoke,
};

#[cfg(test)]
mod tests;
