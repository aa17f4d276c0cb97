//! The audit trail: the event log as a list of plain-data entries the UI localizes ("Ana changed
//! the priority from normal to high"). Computed by folding, so each entry knows the value before.

use serde::{Deserialize, Serialize};

use crate::apply::{apply, sorted_unique};
use crate::event::{Event, EventId, Payload, PropertyChange};
use crate::model::{Actor, AgentId, Level, Priority, Rating, Status, TeamId, TicketRef, Timestamp};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub event: EventId,
    pub at: Timestamp,
    pub actor: Actor,
    pub change: AuditChange,
}

crate::tagged! {
    #[tag = "change"]
    #[derive(Debug, Clone, PartialEq)]
    pub enum AuditChange {
        Opened {
            follow_up_of: Option<TicketRef>,
        },
        PublicReply {
            attachments: usize,
        },
        InternalNote {
            attachments: usize,
        },
        Status {
            from: Status,
            to: Status,
        },
        Postponed {
            until: Timestamp,
        },
        Priority {
            from: Priority,
            to: Priority,
        },
        Assignee {
            from: Option<AgentId>,
            to: Option<AgentId>,
        },
        Team {
            from: Option<TeamId>,
            to: Option<TeamId>,
        },
        Level {
            from: Level,
            to: Level,
            reason: String,
        },
        Tags {
            added: Vec<String>,
            removed: Vec<String>,
        },
        Watchers {
            added: Vec<AgentId>,
            removed: Vec<AgentId>,
        },
        /// Property names such as `subject`, `category` or `field:order_number`.
        Properties {
            names: Vec<String>,
        },
        Rated {
            rating: Rating,
        },
        MergedInto {
            target: TicketRef,
        },
        MergedFrom {
            sources: Vec<TicketRef>,
        },
        FollowUpCreated {
            follow_up: TicketRef,
        },
        /// A customer's access or erasure request was handled.
        Privacy {
            request: crate::privacy::PrivacyRequest,
        },
    }
}

/// The audit trail of one ticket. With `for_customer`, internal notes and staff bookkeeping are
/// left out (same rule as sync).
pub fn audit_trail<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    for_customer: bool,
) -> Vec<AuditEntry> {
    let mut state = None;
    let mut out = Vec::new();
    for e in sorted_unique(events) {
        let before = state.clone();
        state = Some(apply(state, e));
        let (Some(after), true) = (&state, !for_customer || e.visible_to_customer()) else {
            continue;
        };
        let mut push = |change| {
            out.push(AuditEntry {
                event: e.id.clone(),
                at: e.at(),
                actor: e.actor.clone(),
                change,
            })
        };
        let before_status = before.as_ref().map(|b| b.status);
        match &e.payload {
            Payload::TicketOpened(o) => push(AuditChange::Opened {
                follow_up_of: o.follow_up_of.clone(),
            }),
            Payload::MessagePosted {
                visibility,
                attachments,
                ..
            } => push(match visibility {
                crate::model::Visibility::Public => AuditChange::PublicReply {
                    attachments: attachments.len(),
                },
                crate::model::Visibility::Internal => AuditChange::InternalNote {
                    attachments: attachments.len(),
                },
            }),
            Payload::StatusChanged { .. } => {
                if let Some(from) = before_status.filter(|s| *s != after.status) {
                    push(AuditChange::Status {
                        from,
                        to: after.status,
                    });
                }
            }
            Payload::Postponed { until } => push(AuditChange::Postponed { until: *until }),
            Payload::PriorityChanged { priority, .. } => {
                let from = before.as_ref().map_or(*priority, |b| b.priority);
                push(AuditChange::Priority {
                    from,
                    to: *priority,
                });
            }
            Payload::Assigned { agent, team } => {
                let b = before.as_ref();
                let (a0, t0) = (
                    b.and_then(|b| b.assignee.clone()),
                    b.and_then(|b| b.team.clone()),
                );
                if a0 != *agent {
                    push(AuditChange::Assignee {
                        from: a0,
                        to: agent.clone(),
                    });
                }
                if t0 != *team {
                    push(AuditChange::Team {
                        from: t0,
                        to: team.clone(),
                    });
                }
            }
            Payload::Escalated { from, to, reason } => push(AuditChange::Level {
                from: *from,
                to: *to,
                reason: reason.clone(),
            }),
            Payload::Tagged { added, removed } => push(AuditChange::Tags {
                added: added.clone(),
                removed: removed.clone(),
            }),
            Payload::WatchersChanged { added, removed } => push(AuditChange::Watchers {
                added: added.clone(),
                removed: removed.clone(),
            }),
            Payload::PropertiesChanged { changes } => {
                let names = changes.iter().map(property_name).collect();
                push(AuditChange::Properties { names });
            }
            Payload::Rated(r) => push(AuditChange::Rated { rating: r.clone() }),
            Payload::MergedInto { target } => push(AuditChange::MergedInto {
                target: target.clone(),
            }),
            Payload::MergedFrom { sources } => push(AuditChange::MergedFrom {
                sources: sources.clone(),
            }),
            Payload::FollowUpCreated { follow_up } => push(AuditChange::FollowUpCreated {
                follow_up: follow_up.clone(),
            }),
            Payload::PrivacyRequested { request } => {
                push(AuditChange::Privacy { request: *request })
            }
        }
    }
    out
}

fn property_name(c: &PropertyChange) -> String {
    match c {
        PropertyChange::Subject(_) => "subject".into(),
        PropertyChange::Category(_) => "category".into(),
        PropertyChange::TicketType(_) => "ticket_type".into(),
        PropertyChange::Channel(_) => "channel".into(),
        PropertyChange::Location(_) => "location".into(),
        PropertyChange::Requester(_) => "requester".into(),
        PropertyChange::Field { key, .. } => format!("field:{key}"),
    }
}
