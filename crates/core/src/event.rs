//! Events: the immutable facts a ticket's state is folded from. They are also the unit of storage,
//! audit history, export/import and sync, so their serde form is a stable contract: snake_case
//! tags, additive changes only.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::assistant::HandOffRef;
use crate::code::TicketCode;
use crate::hlc::Hlc;
use crate::model::{
    Actor, AgentId, Attachment, Channel, FieldValue, Impact, Level, Priority, Rating, Requester,
    Status, TeamId, TicketId, TicketRef, TicketType, Timestamp, Urgency, Visibility,
};
use crate::settings::DomainSettings;
use crate::status::Action;

/// Globally unique event id: 128 random bits as hex, from the context's id source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(pub String);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub hlc: Hlc,
    pub ticket: TicketId,
    pub actor: Actor,
    pub payload: Payload,
}

impl Event {
    /// Gives the agents in `renamed` their new ids wherever this event names them (who did it,
    /// an assignee, watchers). Used when an import adopts another installation's agents.
    pub fn rename_agents(&mut self, renamed: &BTreeMap<AgentId, AgentId>) {
        let swap = |a: &mut AgentId| {
            if let Some(new) = renamed.get(a) {
                *a = new.clone();
            }
        };
        if let Actor::Agent(a) = &mut self.actor {
            swap(a);
        }
        match &mut self.payload {
            Payload::TicketOpened(o) => o.assignee.iter_mut().for_each(swap),
            Payload::Assigned { agent, .. } => agent.iter_mut().for_each(swap),
            Payload::WatchersChanged { added, removed } => {
                added.iter_mut().chain(removed.iter_mut()).for_each(swap)
            }
            // Named so a new kind of event must say whether it names an agent.
            Payload::MessagePosted { .. }
            | Payload::StatusChanged { .. }
            | Payload::Postponed { .. }
            | Payload::PropertiesChanged { .. }
            | Payload::PriorityChanged { .. }
            | Payload::Escalated { .. }
            | Payload::Tagged { .. }
            | Payload::Rated(_)
            | Payload::MergedInto { .. }
            | Payload::MergedFrom { .. }
            | Payload::FollowUpCreated { .. }
            | Payload::PrivacyRequested { .. } => {}
        }
    }

    /// When it happened, as far as people are concerned (the HLC's wall-clock part).
    pub fn at(&self) -> Timestamp {
        self.hlc.time()
    }

    /// The total order every device folds events in.
    pub fn log_order(a: &Event, b: &Event) -> Ordering {
        (&a.hlc, &a.id).cmp(&(&b.hlc, &b.id))
    }

    /// Whether a customer may receive this event (sync to the customer's widget): internal notes
    /// and staff-only bookkeeping stay with the agents.
    pub fn visible_to_customer(&self) -> bool {
        match &self.payload {
            Payload::MessagePosted { visibility, .. } => *visibility == Visibility::Public,
            Payload::Tagged { .. }
            | Payload::Assigned { .. }
            | Payload::WatchersChanged { .. }
            | Payload::Escalated { .. }
            | Payload::PriorityChanged { .. }
            | Payload::PrivacyRequested {
                request: crate::privacy::PrivacyRequest::Access,
            } => false,
            _ => true,
        }
    }
}

impl Event {
    /// The copy of this event a customer's device may receive, or `None` if it must not see it at
    /// all. Openings and property edits lose staff-only data (tags, except those an assistant's
    /// hand-off set, assignee, team, staff-only or undefined custom fields). The copy keeps the event id, so it is for display only: customer
    /// devices must never send it back, and a server keeps the copy it already holds.
    pub fn for_customer(&self, settings: &DomainSettings) -> Option<Event> {
        let staff_field = |k: &str| settings.field(k).is_none_or(|d| d.agent_only);
        if !self.visible_to_customer() {
            return None;
        }
        let payload = match &self.payload {
            Payload::TicketOpened(o) => {
                let mut o = o.clone();
                // A hand-off's tags are the public flow's, set by the customer's own device:
                // its copy must stay the one it sent.
                if o.handoff.is_none() {
                    o.tags.clear();
                }
                o.assignee = None;
                o.team = None;
                o.custom_fields.retain(|k, _| !staff_field(k));
                Payload::TicketOpened(o)
            }
            Payload::PropertiesChanged { changes } => {
                let changes: Vec<PropertyChange> = changes
                    .iter()
                    .filter(|c| !matches!(c, PropertyChange::Field { key, .. } if staff_field(key)))
                    .cloned()
                    .collect();
                if changes.is_empty() {
                    return None;
                }
                Payload::PropertiesChanged { changes }
            }
            other => other.clone(),
        };
        Some(Event {
            payload,
            ..self.clone()
        })
    }
}

/// What a ticket looks like when opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub code: TicketCode,
    pub subject: String,
    pub description: String,
    pub requester: Requester,
    pub location: Option<String>,
    pub channel: Channel,
    pub ticket_type: TicketType,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub custom_fields: BTreeMap<String, FieldValue>,
    pub impact: Impact,
    pub urgency: Urgency,
    pub priority: Priority,
    pub level: Level,
    pub assignee: Option<AgentId>,
    pub team: Option<TeamId>,
    pub attachments: Vec<Attachment>,
    /// Set when this ticket continues a closed (or long-resolved) one.
    pub follow_up_of: Option<TicketRef>,
    /// The assistant's hand-off the customer opened it from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff: Option<HandOffRef>,
}

crate::tagged! {
    #[tag = "property", content = "value"]
    /// One edited property.
    #[derive(Debug, Clone, PartialEq)]
    pub enum PropertyChange {
        Subject(String),
        Category(Option<String>),
        TicketType(TicketType),
        Channel(Channel),
        Location(Option<String>),
        Requester(Requester),
        Field {
            key: String,
            value: Option<FieldValue>,
        },
    }
}

crate::tagged! {
    #[tag = "type"]
    #[derive(Debug, Clone, PartialEq)]
    pub enum Payload {
        TicketOpened(Box<Opened>),
        MessagePosted {
            visibility: Visibility,
            body: String,
            attachments: Vec<Attachment>,
        },
        /// `from` is what the deciding device saw; folding sets `to` (last writer wins by HLC).
        StatusChanged {
            from: Status,
            to: Status,
            action: Action,
        },
        Postponed {
            until: Timestamp,
        },
        PropertiesChanged {
            changes: Vec<PropertyChange>,
        },
        PriorityChanged {
            impact: Impact,
            urgency: Urgency,
            priority: Priority,
        },
        Assigned {
            agent: Option<AgentId>,
            team: Option<TeamId>,
        },
        Escalated {
            from: Level,
            to: Level,
            reason: String,
        },
        Tagged {
            added: Vec<String>,
            removed: Vec<String>,
        },
        WatchersChanged {
            added: Vec<AgentId>,
            removed: Vec<AgentId>,
        },
        Rated(Rating),
        /// This ticket was merged into `target`; its status becomes Merged.
        MergedInto {
            target: TicketRef,
        },
        /// These tickets were merged into this one; their threads stay readable on them.
        MergedFrom {
            sources: Vec<TicketRef>,
        },
        /// A new ticket continues this one.
        FollowUpCreated {
            follow_up: TicketRef,
        },
        /// A customer's access or erasure request was handled; erasure redacts the ticket.
        PrivacyRequested {
            request: crate::privacy::PrivacyRequest,
        },
    }
}
