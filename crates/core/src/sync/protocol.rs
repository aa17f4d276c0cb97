//! The JSON shapes of sync protocol version [`PROTOCOL_VERSION`]. Changes are additive within a
//! version; anything else bumps it, and servers answer older clients with 426 and an [`ApiError`].

use serde::{Deserialize, Serialize};

use crate::event::{Event, EventId};
use crate::sync::Principal;
use crate::workspace::Change;

/// The protocol this crate speaks.
pub const PROTOCOL_VERSION: u32 = 2;

/// Request header (and, for the event stream, query parameter `protocol`) carrying the version.
pub const PROTOCOL_HEADER: &str = "mostrador-protocol";

/// Most events a server takes in one push by default.
pub const MAX_BATCH: usize = 500;

/// Most events a server returns in one pull by default.
pub const MAX_PULL: u32 = 1000;

/// `GET /v1/info`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInfo {
    pub protocol: u32,
    pub min_protocol: u32,
    pub max_batch: usize,
    pub max_pull: u32,
}

/// `POST /v1/events`: workspace changes and events, each in log order. Pushing the same event or
/// change again is harmless.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    /// Settings, articles and deflection records; checked and stored before the events, so an
    /// event may use a custom field or category the same push adds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    pub events: Vec<Event>,
}

/// What became of each pushed change and event, in request order (changes first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
}

crate::tagged! {
    #[tag = "status"]
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum PushResult {
        /// Stored now, at server sequence `seq`.
        Accepted { id: EventId, seq: u64 },
        /// The server already had this exact event.
        Duplicate { id: EventId, seq: u64 },
        /// Refused for good: sending it again gives the same answer.
        Rejected {
            id: EventId,
            code: String,
            message: String,
        },
    }
}

impl PushResult {
    pub fn id(&self) -> &EventId {
        match self {
            PushResult::Accepted { id, .. }
            | PushResult::Duplicate { id, .. }
            | PushResult::Rejected { id, .. } => id,
        }
    }
}

/// `GET /v1/events?after=<cursor>&limit=<n>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    pub after: u64,
    pub limit: u32,
}

impl PullRequest {
    /// The path and query to fetch, relative to the server's base URL.
    pub fn path(&self) -> String {
        format!("/v1/events?after={}&limit={}", self.after, self.limit)
    }
}

/// Events after the cursor that the caller may see, oldest first. `next` is the cursor for the
/// following pull; it can move past events the caller may not see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub events: Vec<PulledEvent>,
    /// Workspace changes after the cursor (for customers, their public copies).
    #[serde(default)]
    pub changes: Vec<PulledChange>,
    pub next: u64,
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PulledEvent {
    pub seq: u64,
    pub event: Event,
}

/// A workspace change and its server sequence (one sequence for events and changes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PulledChange {
    pub seq: u64,
    pub change: Change,
}

/// Data of a `poke` message on the event stream (`GET /v1/stream`): something was stored at or
/// below `head`; pull.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamPoke {
    pub head: u64,
}

/// Every 4xx and 5xx response body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable machine code, e.g. `protocol_unsupported`, `malformed_json`, `payload_too_large`.
    pub error: String,
    /// What went wrong and what to do, for a person.
    pub message: String,
}

/// `POST /v1/auth/anonymous` and `POST /v1/auth/login` answer with a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionReply {
    /// The bearer token; the client keeps it.
    pub token: String,
    /// Who the token speaks for.
    pub principal: Principal,
    /// When the token stops working, in milliseconds since the Unix epoch.
    pub expires_at_ms: i64,
}

/// `POST /v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub agent_id: String,
    pub password: String,
}
