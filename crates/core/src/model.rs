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

    /// The statuses of tickets that still need work from someone (not resolved, closed or
    /// merged): the one list every view, index and rule uses.
    pub const ACTIVE: [Status; 4] = [
        Status::New,
        Status::Open,
        Status::Answered,
        Status::Postponed,
    ];

    /// Whether the ticket still needs work from someone (one of [`Status::ACTIVE`]).
    pub fn is_active(self) -> bool {
        Status::ACTIVE.contains(&self)
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
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

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

/// A ticket's key: 128 random bits as 32 hex digits, created offline by whichever device opens the
/// ticket. People use the [`TicketCode`](crate::code::TicketCode) instead.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TicketId(pub String);

crate::tagged! {
    #[tag = "kind", content = "id"]
    /// Who did something.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Actor {
        Customer(CustomerId),
        Agent(AgentId),
        /// Automations run by the caller: auto-close, waking postponed tickets.
        System,
    }
}

impl Actor {
    pub fn role(&self) -> Role {
        match self {
            Actor::Customer(_) => Role::Customer,
            Actor::Agent(_) => Role::Agent,
            Actor::System => Role::System,
        }
    }

    pub fn is_staff(&self) -> bool {
        !matches!(self, Actor::Customer(_))
    }
}

/// The kind of [`Actor`], for permission rules and error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    Agent,
    System,
}

/// The person the ticket is for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Requester {
    /// The host site's user id (identified customers) or a device id (anonymous visitors). `None`
    /// for people who only phoned or walked in; such tickets can only be handled by agents.
    pub customer_id: Option<CustomerId>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// BCP 47 tag such as `es-AR`; drives the language of replies and assignment by language.
    pub locale: Option<String>,
    /// What the host site vouched for about this customer when the ticket was opened (plan,
    /// orders, CRM link); see [`crate::customer`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<crate::customer::CustomerContext>,
}

/// Metadata of a file attached to a message. The bytes live in a blob store under `blob`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    pub mime: String,
    pub size: u64,
    /// Content hash (e.g. hex SHA-256) that is also the blob store key, so identical files are
    /// stored once.
    pub blob: String,
}

crate::tagged! {
    #[tag = "kind", content = "value"]
    /// A typed custom field value. The field's definition ([`crate::settings::FieldDef`]) says which
    /// kind it must be.
    #[derive(Debug, Clone, PartialEq)]
    pub enum FieldValue {
        Text(String),
        Number(f64),
        Bool(bool),
        Date(chrono::NaiveDate),
        Choice(String),
    }
}

/// The customer's satisfaction rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// 1 (very unhappy) to 5 (very happy).
    pub score: u8,
    pub comment: Option<String>,
}

/// A pointer to another ticket, with its code so links display without loading it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TicketRef {
    pub id: TicketId,
    pub code: crate::code::TicketCode,
}

/// Whether a message is part of the conversation with the customer or only for staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    Internal,
}
