//! Commands: what someone asks to happen to a ticket. `decide` turns them into events or an error.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::assistant::HandOffRef;
use crate::event::PropertyChange;
use crate::model::{
    AgentId, Attachment, Channel, FieldValue, Impact, Level, Requester, TeamId, TicketType,
    Timestamp, Urgency,
};

/// The intake form, filled by a customer (portal, widget) or by an agent (phone, counter, email).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTicket {
    pub subject: String,
    pub description: String,
    pub requester: Requester,
    pub location: Option<String>,
    pub channel: Channel,
    pub ticket_type: TicketType,
    pub category: Option<String>,
    pub attachments: Vec<Attachment>,
    pub custom_fields: BTreeMap<String, FieldValue>,
    // Staff only; customers leave these empty (the settings' defaults apply).
    pub impact: Option<Impact>,
    pub urgency: Option<Urgency>,
    pub level: Option<Level>,
    pub tags: Vec<String>,
    pub assignee: Option<AgentId>,
    pub team: Option<TeamId>,
    /// The assistant's hand-off that led here; its tags and impact are the only ones a customer
    /// may open a ticket with ([`crate::assistant::AssistantSettings::allows`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff: Option<HandOffRef>,
}

impl NewTicket {
    /// A minimal form; fill the rest with struct update syntax.
    pub fn new(subject: &str, description: &str, requester: Requester, channel: Channel) -> Self {
        NewTicket {
            subject: subject.to_owned(),
            description: description.to_owned(),
            requester,
            location: None,
            channel,
            ticket_type: TicketType::Question,
            category: None,
            attachments: Vec::new(),
            custom_fields: BTreeMap::new(),
            impact: None,
            urgency: None,
            level: None,
            tags: Vec::new(),
            assignee: None,
            team: None,
            handoff: None,
        }
    }
}

crate::tagged! {
    #[tag = "command"]
    #[derive(Debug, Clone, PartialEq)]
    pub enum Command {
        Open(Box<NewTicket>),
        /// A public message. Agents' replies mark the ticket Answered, customers' mark it Open.
        Reply {
            body: String,
            #[serde(default)]
            attachments: Vec<Attachment>,
        },
        /// Staff-only; never changes the status.
        AddNote {
            body: String,
            #[serde(default)]
            attachments: Vec<Attachment>,
        },
        Resolve,
        Reopen,
        Close,
        /// The system closes a resolved ticket after the quiet period (see [`crate::decide::auto_close_due`]).
        AutoClose,
        Postpone {
            until: Timestamp,
        },
        /// Back to Open: by the system once the date passed, or by an agent at any time.
        Wake,
        SetPriority {
            impact: Impact,
            urgency: Urgency,
        },
        Edit {
            changes: Vec<PropertyChange>,
        },
        /// Sets both; `None` means nobody.
        Assign {
            agent: Option<AgentId>,
            team: Option<TeamId>,
        },
        /// Moves to another support level (usually up), with the reason for the audit trail.
        Escalate {
            to: Level,
            reason: String,
        },
        Tag {
            #[serde(default)]
            add: Vec<String>,
            #[serde(default)]
            remove: Vec<String>,
        },
        Watch {
            #[serde(default)]
            add: Vec<AgentId>,
            #[serde(default)]
            remove: Vec<AgentId>,
        },
        Rate {
            score: u8,
            comment: Option<String>,
        },
        /// Staff record a customer's access or erasure request on one of their tickets (allowed in
        /// every status, merged and closed tickets included). Erasure redacts the folded ticket.
        Privacy {
            request: crate::privacy::PrivacyRequest,
        },
    }
}
