//! The ticket read model: what folding a ticket's events gives, with accessors SLA, KPI and the UI
//! read from.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::code::TicketCode;
use crate::event::EventId;
use crate::hlc::Hlc;
use crate::model::{
    Actor, AgentId, Attachment, Channel, CustomerId, FieldValue, Impact, Level, Priority, Rating,
    Requester, Status, TeamId, TicketId, TicketRef, TicketType, Timestamp, Urgency, Visibility,
};
use crate::settings::DomainSettings;

/// One entry of the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// The id of the event that posted it.
    pub id: EventId,
    pub at: Timestamp,
    pub author: Actor,
    pub visibility: Visibility,
    /// Markdown source; rendering is the UI's job.
    pub body: String,
    pub attachments: Vec<Attachment>,
}

/// A status the ticket took, when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEntry {
    pub at: Timestamp,
    pub status: Status,
    pub by: Actor,
}

/// Relations to other tickets.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Links {
    pub follow_up_of: Option<TicketRef>,
    pub follow_ups: Vec<TicketRef>,
    pub merged_into: Option<TicketRef>,
    pub merged_from: Vec<TicketRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: TicketId,
    pub code: TicketCode,
    pub subject: String,
    /// The opening request (Markdown). Replies are in `thread`.
    pub description: String,
    pub attachments: Vec<Attachment>,
    pub requester: Requester,
    pub location: Option<String>,
    pub channel: Channel,
    pub ticket_type: TicketType,
    pub category: Option<String>,
    pub tags: BTreeSet<String>,
    pub custom_fields: BTreeMap<String, FieldValue>,
    pub impact: Impact,
    pub urgency: Urgency,
    pub priority: Priority,
    pub level: Level,
    pub assignee: Option<AgentId>,
    pub team: Option<TeamId>,
    pub watchers: BTreeSet<AgentId>,
    pub status: Status,
    pub postponed_until: Option<Timestamp>,
    pub satisfaction: Option<Rating>,
    /// When the (latest) rating was given.
    #[serde(default)]
    pub satisfaction_at: Option<Timestamp>,
    pub links: Links,
    pub thread: Vec<Message>,
    pub status_history: Vec<StatusEntry>,
    pub created_at: Timestamp,
    pub created_by: Actor,
    pub updated_at: Timestamp,
    /// The newest event folded in; an event that sorts before it needs a re-fold, not `apply`.
    pub last_event: Option<(Hlc, EventId)>,
    /// False while events arrived without their `TicketOpened` (a sync gap); the descriptive
    /// fields are placeholders until it comes.
    pub opened: bool,
    /// When the requester's personal data was erased (see [`crate::privacy`]); the descriptive
    /// fields are redacted from then on.
    #[serde(default)]
    pub erased_at: Option<Timestamp>,
}

impl Ticket {
    pub fn as_ref(&self) -> TicketRef {
        TicketRef {
            id: self.id.clone(),
            code: self.code.clone(),
        }
    }

    pub fn is_requester(&self, customer: &CustomerId) -> bool {
        self.requester.customer_id.as_ref() == Some(customer)
    }

    pub fn public_messages(&self) -> impl Iterator<Item = &Message> {
        self.thread
            .iter()
            .filter(|m| m.visibility == Visibility::Public)
    }

    /// The last time the conversation moved (opening or a public message); auto-close and "waiting
    /// since" read this.
    pub fn last_public_activity(&self) -> Timestamp {
        self.public_messages()
            .map(|m| m.at)
            .max()
            .unwrap_or(self.created_at)
            .max(self.created_at)
    }

    /// When an agent first answered publicly (first response time).
    pub fn first_agent_reply_at(&self) -> Option<Timestamp> {
        self.agent_reply_times().into_iter().min()
    }

    pub fn agent_reply_times(&self) -> Vec<Timestamp> {
        self.public_messages()
            .filter(|m| matches!(m.author, Actor::Agent(_)))
            .map(|m| m.at)
            .collect()
    }

    /// When the customer spoke: the opening (whoever typed it, it is the customer's request) and
    /// every public message authored by a customer.
    pub fn customer_message_times(&self) -> Vec<Timestamp> {
        let replies = self
            .public_messages()
            .filter(|m| matches!(m.author, Actor::Customer(_)));
        std::iter::once(self.created_at)
            .chain(replies.map(|m| m.at))
            .collect()
    }

    pub fn status_history(&self) -> &[StatusEntry] {
        &self.status_history
    }

    /// When the ticket last entered `status`, if ever.
    pub fn last_entered(&self, status: Status) -> Option<Timestamp> {
        self.status_history
            .iter()
            .rev()
            .find(|e| e.status == status)
            .map(|e| e.at)
    }

    /// When it was resolved, if it is resolved or closed now.
    pub fn resolved_at(&self) -> Option<Timestamp> {
        match self.status {
            Status::Resolved | Status::Closed => self.last_entered(Status::Resolved),
            _ => None,
        }
    }

    /// How many times it went from resolved or closed back to work (reopen rate KPI).
    pub fn reopen_count(&self) -> usize {
        self.status_history
            .windows(2)
            .filter(|w| {
                matches!(w[0].status, Status::Resolved | Status::Closed) && w[1].status.is_active()
            })
            .count()
    }

    /// What `actor` may see: staff see everything; the requesting customer sees a projection
    /// without internal notes and staff-only fields; other customers see nothing.
    pub fn visible_to(&self, actor: &Actor, settings: &DomainSettings) -> Option<TicketView> {
        match actor {
            Actor::Agent(_) | Actor::System => Some(TicketView::Staff(Box::new(self.clone()))),
            Actor::Customer(c) if self.is_requester(c) => {
                Some(TicketView::Customer(Box::new(self.customer_view(settings))))
            }
            Actor::Customer(_) => None,
        }
    }

    pub fn customer_view(&self, settings: &DomainSettings) -> CustomerView {
        let custom_fields = self
            .custom_fields
            .iter()
            .filter(|(k, _)| settings.field(k).is_some_and(|d| !d.agent_only))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        CustomerView {
            id: self.id.clone(),
            code: self.code.clone(),
            subject: self.subject.clone(),
            description: self.description.clone(),
            attachments: self.attachments.clone(),
            requester: self.requester.clone(),
            channel: self.channel,
            ticket_type: self.ticket_type,
            category: self.category.clone(),
            custom_fields,
            status: self.status,
            satisfaction: self.satisfaction.clone(),
            links: self.links.clone(),
            thread: self.public_messages().cloned().collect(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

crate::tagged! {
    #[tag = "view", content = "ticket"]
    /// A ticket as one viewer may see it.
    #[derive(Debug, Clone, PartialEq)]
    pub enum TicketView {
        Staff(Box<Ticket>),
        Customer(Box<CustomerView>),
    }
}

/// The requester's view: no internal notes, tags, watchers, priority, level, assignee or
/// staff-only fields. A separate type, so the portal cannot render staff data by mistake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerView {
    pub id: TicketId,
    pub code: TicketCode,
    pub subject: String,
    pub description: String,
    pub attachments: Vec<Attachment>,
    pub requester: Requester,
    pub channel: Channel,
    pub ticket_type: TicketType,
    pub category: Option<String>,
    pub custom_fields: BTreeMap<String, FieldValue>,
    pub status: Status,
    pub satisfaction: Option<Rating>,
    pub links: Links,
    pub thread: Vec<Message>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
