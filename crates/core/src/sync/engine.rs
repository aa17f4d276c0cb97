//! The client side of sync as a state machine with no IO and no clock.
//!
//! A driver loops: `poll(now, outbox)` says what to do next (push a batch, pull after the cursor,
//! wait until a time, or nothing); the driver does it and reports back with `on_push`, `on_pull`
//! or `on_failure`. It persists what those return (acknowledged ids, remote events, the new
//! checkpoint) in one transaction, so a reload resumes from the checkpoint.

use serde::{Deserialize, Serialize};

use crate::event::{Event, EventId};
use crate::sync::protocol::{
    MAX_BATCH, MAX_PULL, PullRequest, PullResponse, PushRequest, PushResponse, PushResult,
};
use crate::workspace::Change;

/// What a device must keep between sessions to resume pulling where it stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The server sequence of the last event pulled (or skipped as not visible).
    pub cursor: u64,
}

crate::tagged! {
    #[tag = "state"]
    /// What the UI shows.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum SyncStatus {
        /// Up to date as far as we know.
        Idle,
        /// Pushing or pulling.
        Syncing,
        /// No network; changes wait in the outbox.
        Offline,
        /// Sync stopped or keeps failing; `message` says why and what to do.
        Error { message: String },
        /// Sync is turned off (no server configured).
        Disabled,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineConfig {
    /// Events per push (the server refuses more than its `max_batch`).
    pub batch: usize,
    /// Events per pull.
    pub pull_limit: u32,
    /// First retry delay after a failure; it doubles per consecutive failure.
    pub base_backoff_ms: i64,
    pub max_backoff_ms: i64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            batch: MAX_BATCH.min(200),
            pull_limit: MAX_PULL.min(500),
            base_backoff_ms: 1_000,
            max_backoff_ms: 5 * 60 * 1_000,
        }
    }
}

/// What the driver should do now.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    Push(PushRequest),
    Pull(PullRequest),
    /// Retry later (backoff); poll again at `until_ms` or when something changes.
    Wait {
        until_ms: i64,
    },
    /// Nothing to do until the outbox grows, the server pokes, or the network comes back.
    Idle,
    /// A request is in flight; wait for its answer.
    Busy,
    /// Disabled, or stopped by an error no retry can fix (see [`SyncStatus::Error`]).
    Stopped,
}

/// Why a request failed, as the driver classifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The network is down (fetch threw, `navigator.onLine` is false).
    Offline,
    /// Timeouts, 5xx and the like: retry with backoff.
    Transient(String),
    /// 429; `retry_after_ms` from the `Retry-After` header if there was one.
    RateLimited { retry_after_ms: Option<i64> },
    /// 401/403: the token is missing, expired or revoked. Stops until [`SyncEngine::resume`].
    Unauthorized(String),
    /// 426 or another 4xx: retrying will not help (update the app). Stops until `resume`.
    Fatal(String),
}

/// Result of a push for the driver to persist.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PushApplied {
    /// Stored on the server (now or before): remove from the outbox.
    pub acknowledged: Vec<EventId>,
    /// Refused for good: remove from the outbox and from the local log, and tell the user.
    pub rejected: Vec<(EventId, String, String)>,
}

/// Result of a pull for the driver to persist, with the checkpoint, in one transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PullApplied {
    pub events: Vec<Event>,
    /// Workspace changes, stored with the events in the same transaction.
    pub changes: Vec<Change>,
    pub checkpoint: Checkpoint,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum InFlight {
    Push(Vec<EventId>),
    Pull(u64),
}

#[derive(Debug, Clone)]
pub struct SyncEngine {
    config: EngineConfig,
    checkpoint: Checkpoint,
    pull_wanted: bool,
    in_flight: Option<InFlight>,
    failures: u32,
    retry_at: Option<i64>,
    online: bool,
    enabled: bool,
    stopped: Option<String>,
    last_error: Option<String>,
}

impl SyncEngine {
    /// An engine resuming from `checkpoint`; it pulls first thing.
    pub fn new(checkpoint: Checkpoint, config: EngineConfig) -> SyncEngine {
        SyncEngine {
            config,
            checkpoint,
            pull_wanted: true,
            in_flight: None,
            failures: 0,
            retry_at: None,
            online: true,
            enabled: true,
            stopped: None,
            last_error: None,
        }
    }

    pub fn checkpoint(&self) -> Checkpoint {
        self.checkpoint
    }

    /// Consecutive failures so far (0 after any success).
    pub fn failures(&self) -> u32 {
        self.failures
    }

    pub fn status(&self) -> SyncStatus {
        if !self.enabled {
            return SyncStatus::Disabled;
        }
        if let Some(m) = &self.stopped {
            return SyncStatus::Error { message: m.clone() };
        }
        if !self.online {
            return SyncStatus::Offline;
        }
        if self.in_flight.is_some() {
            return SyncStatus::Syncing;
        }
        match &self.last_error {
            Some(m) if self.failures >= 3 => SyncStatus::Error { message: m.clone() },
            _ => SyncStatus::Idle,
        }
    }

    /// The next thing to do, given the time and the events waiting to be pushed (in any order; they
    /// are sent in log order). See [`SyncEngine::poll_all`] for workspace changes too.
    pub fn poll(&mut self, now_ms: i64, outbox: &[Event]) -> Next {
        self.poll_all(now_ms, outbox, &[])
    }

    /// [`SyncEngine::poll`] with the workspace changes waiting to be pushed: they go first (an
    /// event may use a custom field a change adds), both in log order, within one batch limit.
    pub fn poll_all(&mut self, now_ms: i64, outbox: &[Event], changes: &[Change]) -> Next {
        if !self.enabled || self.stopped.is_some() {
            return Next::Stopped;
        }
        if self.in_flight.is_some() {
            return Next::Busy;
        }
        if !self.online {
            return Next::Idle;
        }
        if let Some(at) = self.retry_at {
            if now_ms < at {
                return Next::Wait { until_ms: at };
            }
            self.retry_at = None;
        }
        if !outbox.is_empty() || !changes.is_empty() {
            let batch = self.config.batch.max(1);
            let mut ch: Vec<&Change> = changes.iter().collect();
            ch.sort_by(|a, b| (&a.hlc, &a.id).cmp(&(&b.hlc, &b.id)));
            ch.dedup_by(|a, b| a.id == b.id);
            ch.truncate(batch);
            let mut events: Vec<&Event> = outbox.iter().collect();
            events.sort_by(|a, b| Event::log_order(a, b));
            events.dedup_by(|a, b| a.id == b.id);
            events.truncate(batch - ch.len());
            let changes: Vec<Change> = ch.into_iter().cloned().collect();
            let events: Vec<Event> = events.into_iter().cloned().collect();
            self.in_flight = Some(InFlight::Push(
                changes
                    .iter()
                    .map(|c| c.id.clone())
                    .chain(events.iter().map(|e| e.id.clone()))
                    .collect(),
            ));
            return Next::Push(PushRequest { changes, events });
        }
        if self.pull_wanted {
            self.in_flight = Some(InFlight::Pull(self.checkpoint.cursor));
            return Next::Pull(PullRequest {
                after: self.checkpoint.cursor,
                limit: self.config.pull_limit.max(1),
            });
        }
        Next::Idle
    }

    /// The server answered a push.
    pub fn on_push(&mut self, response: PushResponse) -> PushApplied {
        let Some(InFlight::Push(sent)) = self.in_flight.take() else {
            return PushApplied::default();
        };
        self.succeeded();
        // Pushing may race with others' events; pull to see what is new.
        self.pull_wanted = true;
        let mut out = PushApplied::default();
        for r in response.results {
            if !sent.contains(r.id()) {
                continue; // Not ours to acknowledge: a confused or hostile server.
            }
            match r {
                PushResult::Accepted { id, .. } | PushResult::Duplicate { id, .. } => {
                    out.acknowledged.push(id)
                }
                PushResult::Rejected { id, code, message } => {
                    out.rejected.push((id, code, message))
                }
            }
        }
        out
    }

    /// The server answered a pull.
    pub fn on_pull(&mut self, response: PullResponse) -> PullApplied {
        let Some(InFlight::Pull(after)) = self.in_flight.take() else {
            return PullApplied {
                events: Vec::new(),
                changes: Vec::new(),
                checkpoint: self.checkpoint,
            };
        };
        self.succeeded();
        let events: Vec<Event> = response
            .events
            .into_iter()
            .filter(|p| p.seq > after)
            .map(|p| p.event)
            .collect();
        let changes: Vec<Change> = response
            .changes
            .into_iter()
            .filter(|p| p.seq > after)
            .map(|p| p.change)
            .collect();
        self.checkpoint.cursor = self.checkpoint.cursor.max(response.next);
        self.pull_wanted = response.more && response.next > after;
        PullApplied {
            events,
            changes,
            checkpoint: self.checkpoint,
        }
    }

    /// The request in flight failed. Returns when to try again (Unix ms), if ever.
    /// `random` is any random value (for jitter), supplied by the caller.
    pub fn on_failure(&mut self, now_ms: i64, random: u64, failure: Failure) -> Option<i64> {
        self.in_flight = None;
        self.failures = self.failures.saturating_add(1);
        let (min_delay, message) = match failure {
            Failure::Unauthorized(m) | Failure::Fatal(m) => {
                self.stopped = Some(m);
                return None;
            }
            Failure::Offline => {
                self.online = false;
                (0, "offline".to_owned())
            }
            Failure::Transient(m) => (0, m),
            Failure::RateLimited { retry_after_ms } => (
                retry_after_ms.unwrap_or(0),
                "the server asks to slow down".to_owned(),
            ),
        };
        self.last_error = Some(message);
        let at = now_ms.saturating_add(self.backoff(random).max(min_delay));
        self.retry_at = Some(at);
        Some(at)
    }

    /// Exponential backoff with "equal jitter": half the delay fixed, half random.
    fn backoff(&self, random: u64) -> i64 {
        let shift = self.failures.saturating_sub(1).min(30);
        let full = self
            .config
            .base_backoff_ms
            .max(1)
            .saturating_mul(1i64 << shift)
            .min(self.config.max_backoff_ms.max(1));
        let half = full / 2;
        let jitter = i64::try_from(random % (u64::try_from(half).unwrap_or(0) + 1)).unwrap_or(0);
        half + jitter
    }

    fn succeeded(&mut self) {
        self.failures = 0;
        self.retry_at = None;
        self.last_error = None;
        self.online = true;
    }

    /// The live channel said the server has new events.
    pub fn remote_changed(&mut self) {
        self.pull_wanted = true;
    }

    /// The browser went online or offline. Coming back online retries at once.
    pub fn set_online(&mut self, online: bool) {
        self.online = online;
        if online {
            self.retry_at = None;
            self.pull_wanted = true;
        }
    }

    /// Turns sync on or off (off: [`SyncStatus::Disabled`], nothing is sent).
    pub fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
    }

    /// Clears a stop (after signing in again or updating) and the backoff; pulls again.
    pub fn resume(&mut self) {
        self.stopped = None;
        self.failures = 0;
        self.retry_at = None;
        self.last_error = None;
        self.pull_wanted = true;
        self.in_flight = None;
    }
}
