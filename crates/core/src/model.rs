//! Plain vocabulary shared by every part of the domain: statuses, priorities, levels, channels.

use serde::{Deserialize, Serialize};

/// A point in time. Always UTC inside the domain; time zones only matter for business calendars
/// and for display.
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// Where a ticket's life stands. See [`crate::status`] for the transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Opened, no agent has answered yet.
    New,
    /// The customer wrote last: the ball is in the agents' court.
    Open,
    /// An agent answered publicly: waiting on the customer.
    Answered,
    /// Put off until a date; returns to Open when the date passes or the customer writes.
    Postponed,
    /// The problem is solved; the customer may still reopen within the reopen window.
    Resolved,
    /// Finished for good; a new message opens a linked follow-up ticket.
    Closed,
    /// Folded into another ticket.
    Merged,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::New,
        Status::Open,
        Status::Answered,
        Status::Postponed,
        Status::Resolved,
        Status::Closed,
        Status::Merged,
    ];

    /// Whether the ticket still needs work from someone (not resolved, closed or merged).
    pub fn is_active(self) -> bool {
        matches!(self, Status::New | Status::Open | Status::Answered | Status::Postponed)
    }

    /// Stable machine name, as used in storage keys and the sync protocol.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Answered => "answered",
            Status::Postponed => "postponed",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
            Status::Merged => "merged",
        }
    }
}

/// How widely a problem hurts the customer or the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    Low,
    Medium,
    High,
}

/// How soon the problem must be dealt with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Low,
    Medium,
    High,
}

/// Priority, derived from impact × urgency through the configurable priority matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
}

/// Support level: L1 answers questions and known fixes (hours), L2 finds causes (days), L3 fixes
/// structural problems (weeks to months).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    L1,
    L2,
    L3,
}

impl Level {
    /// The next level up, if any.
    pub fn next(self) -> Option<Level> {
        match self {
            Level::L1 => Some(Level::L2),
            Level::L2 => Some(Level::L3),
            Level::L3 => None,
        }
    }
}

/// How the ticket reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    WebForm,
    Chat,
    Email,
    Phone,
    InPerson,
    Api,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::WebForm,
        Channel::Chat,
        Channel::Email,
        Channel::Phone,
        Channel::InPerson,
        Channel::Api,
    ];
}

/// ITIL-style ticket type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketType {
    Question,
    Incident,
    Problem,
    Task,
}

/// Identifies an agent (staff member). Opaque text, unique within an installation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AgentId(pub String);

/// Identifies a team of agents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TeamId(pub String);

/// Identifies a customer (requester). For identified customers this is the host site's user id;
/// for anonymous visitors a device-generated id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CustomerId(pub String);
