//! What a server checks before it stores an event a device pushed. The browser decided the event
//! with `decide`, but the server cannot trust the browser: it re-checks identity, role rules and
//! the shape of the payload against the ticket as the server has folded it.
//!
//! Concurrency is not a reason to refuse. Two devices may decide against different states (two
//! resolves, a reply to a ticket merged meanwhile); `apply` settles such events deterministically,
//! so they are accepted. What is refused can never have been decided legitimately by this
//! principal: forged actors, customer-forbidden payloads, other customers' tickets, payloads the
//! domain's validation refuses, status changes the machine does not contain, clocks far ahead.

use crate::customer::CustomerContext;
use crate::error::{Permission, ValidationError};
use crate::event::{Event, Opened, Payload, PropertyChange};
use crate::model::{Actor, AgentId, CustomerId, Status, Visibility};
use crate::settings::DomainSettings;
use crate::status::{Action, Next, transition};
use crate::ticket::Ticket;
use crate::validate;

crate::tagged! {
    #[tag = "kind"]
    /// Who is pushing, as the server authenticated them.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub enum Principal {
        Customer {
            id: CustomerId,
            /// What the host site signed about this customer in their token (see
            /// [`crate::customer`]); the tickets they open may carry this context and no other.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            context: Option<CustomerContext>,
        },
        Agent {
            id: AgentId,
            admin: bool,
        },
    }
}

impl Principal {
    pub fn customer(id: &str) -> Principal {
        Principal::Customer {
            id: CustomerId(id.to_owned()),
            context: None,
        }
    }

    pub fn agent(id: &str) -> Principal {
        Principal::Agent {
            id: AgentId(id.to_owned()),
            admin: false,
        }
    }

    /// The actor this principal's own events carry.
    pub fn actor(&self) -> Actor {
        match self {
            Principal::Customer { id, .. } => Actor::Customer(id.clone()),
            Principal::Agent { id, .. } => Actor::Agent(id.clone()),
        }
    }

    pub fn is_admin(&self) -> bool {
        matches!(self, Principal::Agent { admin: true, .. })
    }
}

/// Everything besides the ticket that the check depends on.
#[derive(Debug, Clone, Copy)]
pub struct CheckContext<'a> {
    pub principal: &'a Principal,
    pub settings: &'a DomainSettings,
    /// The server's clock, in Unix milliseconds.
    pub now_ms: i64,
    /// For a `TicketOpened` that continues another ticket (`follow_up_of`): that ticket, if the
    /// server has it. For a `FollowUpCreated`: the follow-up ticket it links to, if the server
    /// has it.
    pub follow_up_source: Option<&'a Ticket>,
}

/// Why an event was refused. Permanent: pushing it again gives the same answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Rejection {
    #[error("the event is not a valid Mostrador event ({0})")]
    Malformed(String),
    #[error("event and ticket ids must be 1 to 64 letters, digits, '-' or '_'")]
    BadId,
    #[error(
        "the event is stamped {wall_ms} ms since the epoch, more than a day ahead of the server; \
         set the device's clock right"
    )]
    ImplausibleClock { wall_ms: i64 },
    #[error("the event's author is not the signed-in user; sign in as its author to send it")]
    NotYourEvent,
    #[error("automations may only close, wake or post acknowledgements")]
    SystemEvent,
    #[error("this ticket belongs to another customer")]
    NotRequester,
    #[error(
        "the requester's context (plan, orders, CRM link) is not the one the site signed in the \
         customer token; open the ticket with the token's context or none"
    )]
    UnsignedContext,
    #[error("a {} may not {}", role(.principal_is_customer), .what)]
    Forbidden {
        principal_is_customer: bool,
        what: Permission,
    },
    #[error("the server does not know this ticket; send its opening first")]
    UnknownTicket,
    #[error("this ticket was already opened by another event")]
    AlreadyOpened,
    #[error(
        "a follow-up must continue one of the requester's tickets and copy, not invent, its staff fields"
    )]
    BadFollowUp,
    #[error("the status change does not follow the status machine")]
    InconsistentStatus,
    #[error("the priority does not match the priority matrix for this impact and urgency")]
    InconsistentPriority,
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("a different event with this id is already stored; ids must be random and unique")]
    Conflict,
    /// A workspace change (settings, an article) the domain's rules refuse.
    #[error("{0}")]
    InvalidWorkspace(String),
}

fn role(customer: &bool) -> &'static str {
    if *customer { "customer" } else { "agent" }
}

impl Rejection {
    /// Stable machine code for the wire.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Malformed(_) => "malformed",
            Rejection::BadId => "bad_id",
            Rejection::ImplausibleClock { .. } => "implausible_clock",
            Rejection::NotYourEvent => "not_your_event",
            Rejection::SystemEvent => "system_event",
            Rejection::NotRequester => "not_requester",
            Rejection::UnsignedContext => "unsigned_context",
            Rejection::Forbidden { .. } => "forbidden",
            Rejection::UnknownTicket => "unknown_ticket",
            Rejection::AlreadyOpened => "already_opened",
            Rejection::BadFollowUp => "bad_follow_up",
            Rejection::InconsistentStatus => "inconsistent_status",
            Rejection::InconsistentPriority => "inconsistent_priority",
            Rejection::Invalid(_) => "invalid",
            Rejection::Conflict => "conflict",
            Rejection::InvalidWorkspace(_) => "invalid",
        }
    }
}

fn valid_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks one pushed event against the ticket as the server has folded it (`None` if the server
/// has no event of that ticket). Pure; the caller folds and looks up.
pub fn check_remote_event(
    state: Option<&Ticket>,
    event: &Event,
    cx: &CheckContext<'_>,
) -> Result<(), Rejection> {
    if !valid_id(&event.id.0) || !valid_id(&event.ticket.0) || event.hlc.node.0.len() > 128 {
        return Err(Rejection::BadId);
    }
    if !event.hlc.is_plausible(cx.now_ms) {
        return Err(Rejection::ImplausibleClock {
            wall_ms: event.hlc.wall_ms,
        });
    }
    check_actor(event, cx.principal)?;
    let existing = state.filter(|t| t.opened);
    match (&event.payload, existing) {
        (Payload::TicketOpened(_), Some(_)) => return Err(Rejection::AlreadyOpened),
        (Payload::TicketOpened(_), None) => {}
        (_, None) => return Err(Rejection::UnknownTicket),
        (_, Some(_)) => {}
    }
    match cx.principal {
        Principal::Customer { id, context } => {
            customer_rules(existing, event, id, context.as_ref(), cx)?
        }
        Principal::Agent { .. } => {
            if matches!(event.payload, Payload::Rated(_)) {
                return Err(Rejection::Forbidden {
                    principal_is_customer: false,
                    what: Permission::Rate,
                });
            }
        }
    }
    payload_rules(event, cx.settings)?;
    // A customer rates only what has been resolved (or closed) at some point.
    if let (Principal::Customer { .. }, Payload::Rated(_)) = (cx.principal, &event.payload) {
        let resolved = existing.is_some_and(|t| {
            t.status_history
                .iter()
                .any(|e| matches!(e.status, Status::Resolved | Status::Closed))
        });
        if !resolved {
            return Err(Rejection::InconsistentStatus);
        }
    }
    Ok(())
}

fn check_actor(event: &Event, principal: &Principal) -> Result<(), Rejection> {
    match (&event.actor, principal) {
        (Actor::System, Principal::Agent { .. }) => {
            // Automations run on staff devices and sign as System; only these can come from them.
            let ok = match &event.payload {
                Payload::StatusChanged { action, .. } => {
                    matches!(action, Action::AutoClose | Action::Wake)
                }
                Payload::MessagePosted { visibility, .. } => *visibility == Visibility::Public,
                _ => false,
            };
            if ok {
                Ok(())
            } else {
                Err(Rejection::SystemEvent)
            }
        }
        (actor, p) if *actor == p.actor() => Ok(()),
        _ => Err(Rejection::NotYourEvent),
    }
}

fn customer_rules(
    state: Option<&Ticket>,
    event: &Event,
    me: &CustomerId,
    signed: Option<&CustomerContext>,
    cx: &CheckContext<'_>,
) -> Result<(), Rejection> {
    let forbid = |what| {
        Err(Rejection::Forbidden {
            principal_is_customer: true,
            what,
        })
    };
    if let Payload::TicketOpened(o) = &event.payload {
        return customer_opening(o, me, signed, cx);
    }
    if !state.is_some_and(|t| t.is_requester(me)) {
        return Err(Rejection::NotRequester);
    }
    match &event.payload {
        Payload::TicketOpened(_) => Ok(()),
        // Whether it was ever resolved is checked after the rating's shape.
        Payload::Rated(_) => Ok(()),
        // A link to a follow-up the customer opened themselves, continuing this ticket.
        Payload::FollowUpCreated { follow_up } => {
            let ok = cx.follow_up_source.is_some_and(|f| {
                f.id == follow_up.id
                    && f.is_requester(me)
                    && f.links
                        .follow_up_of
                        .as_ref()
                        .is_some_and(|o| Some(&o.id) == state.map(|t| &t.id))
            });
            if ok {
                Ok(())
            } else {
                Err(Rejection::BadFollowUp)
            }
        }
        Payload::MessagePosted { visibility, .. } => match visibility {
            Visibility::Public => Ok(()),
            Visibility::Internal => forbid(Permission::AddInternalNote),
        },
        Payload::StatusChanged { action, .. } => match action {
            Action::CustomerReply { .. } | Action::Resolve | Action::Reopen { .. } => Ok(()),
            Action::Close | Action::AutoClose => forbid(Permission::Close),
            Action::Postpone => forbid(Permission::Postpone),
            Action::Wake => forbid(Permission::Wake),
            Action::Merge | Action::AbsorbMerge => forbid(Permission::Merge),
            Action::AgentReply | Action::Note | Action::Update | Action::Rate => {
                Err(Rejection::InconsistentStatus)
            }
        },
        Payload::Postponed { .. } => forbid(Permission::Postpone),
        Payload::PropertiesChanged { .. } => forbid(Permission::EditProperties),
        Payload::PriorityChanged { .. } => forbid(Permission::SetPriority),
        Payload::Assigned { .. } => forbid(Permission::Assign),
        Payload::Escalated { .. } => forbid(Permission::SetLevel),
        Payload::Tagged { .. } => forbid(Permission::Tag),
        Payload::WatchersChanged { .. } => forbid(Permission::Watch),
        Payload::PrivacyRequested { .. } => forbid(Permission::HandlePrivacy),
        Payload::MergedInto { .. } | Payload::MergedFrom { .. } => forbid(Permission::Merge),
    }
}

/// A customer opens tickets for themselves, with the settings' defaults for every staff field; a
/// follow-up copies its original instead.
fn customer_opening(
    o: &Opened,
    me: &CustomerId,
    signed: Option<&CustomerContext>,
    cx: &CheckContext<'_>,
) -> Result<(), Rejection> {
    if o.requester.customer_id.as_ref() != Some(me) {
        return Err(Rejection::NotRequester);
    }
    // The context is the host's word: absent, or exactly what it signed.
    if o.requester.context.is_some() && o.requester.context.as_ref() != signed {
        return Err(Rejection::UnsignedContext);
    }
    if let Some(link) = &o.follow_up_of {
        let source = cx
            .follow_up_source
            .filter(|s| s.id == link.id && s.is_requester(me))
            .ok_or(Rejection::BadFollowUp)?;
        // The customer's device folds a customer view that lacks staff data (tags, assignee,
        // later priority changes), so a follow-up may leave staff fields empty or stale; it may
        // not invent them.
        let copied = o.tags.iter().all(|t| source.tags.contains(t))
            && (o.assignee.is_none() || o.assignee == source.assignee)
            && (o.team.is_none() || o.team == source.team)
            && o.custom_fields.iter().all(|(k, v)| {
                cx.settings.field(k).is_none_or(|d| !d.agent_only)
                    || source.custom_fields.get(k) == Some(v)
            });
        return if copied {
            Ok(())
        } else {
            Err(Rejection::BadFollowUp)
        };
    }
    let s = cx.settings;
    let forbid = |what| {
        Err(Rejection::Forbidden {
            principal_is_customer: true,
            what,
        })
    };
    // Tags, impact and urgency only as the assistant's hand-off sets them (the same rule
    // `decide` applies; a default value is no choice).
    let chosen_impact = Some(o.impact).filter(|i| *i != s.default_impact);
    let chosen_urgency = Some(o.urgency).filter(|u| *u != s.default_urgency);
    if let Err(what) = s.assistant.check_customer_opening(
        o.handoff.as_ref(),
        &o.tags,
        chosen_impact,
        chosen_urgency,
        s.customers_set_urgency,
    ) {
        return forbid(what);
    }
    if o.level != s.default_level {
        return forbid(Permission::SetLevel);
    }
    if o.assignee.is_some() || o.team.is_some() {
        return forbid(Permission::Assign);
    }
    if o.custom_fields
        .keys()
        .any(|k| s.field(k).is_some_and(|d| d.agent_only))
    {
        return forbid(Permission::SetStaffOnlyField);
    }
    Ok(())
}

/// Shape rules every event must meet, whoever sends it: the same validation `decide` applies.
fn payload_rules(event: &Event, s: &DomainSettings) -> Result<(), Rejection> {
    match &event.payload {
        Payload::TicketOpened(o) => {
            validate::subject(&o.subject, s)?;
            validate::body(&o.description, true, s)?;
            validate::requester(&o.requester)?;
            validate::fields(&o.custom_fields, s)?;
            validate::attachments(&o.attachments, s)?;
            validate::optional(
                o.location.as_deref(),
                "location",
                validate::limits::LOCATION,
            )?;
            validate::optional(
                o.category.as_deref(),
                "category",
                validate::limits::CATEGORY,
            )?;
            for t in &o.tags {
                validate::tag(t)?;
            }
            if s.priority_matrix.priority(o.impact, o.urgency) != o.priority
                && o.follow_up_of.is_none()
            {
                return Err(Rejection::InconsistentPriority);
            }
        }
        Payload::MessagePosted {
            body, attachments, ..
        } => {
            validate::body(body, !attachments.is_empty(), s)?;
            validate::attachments(attachments, s)?;
        }
        Payload::StatusChanged { from, to, action } => {
            if transition(*from, *action) != Ok(Next::To(*to)) {
                return Err(Rejection::InconsistentStatus);
            }
        }
        Payload::Postponed { .. } | Payload::Assigned { .. } | Payload::WatchersChanged { .. } => {}
        Payload::PropertiesChanged { changes } => {
            for c in changes {
                match c {
                    PropertyChange::Subject(x) => {
                        validate::subject(x, s)?;
                    }
                    PropertyChange::Requester(r) => {
                        validate::requester(r)?;
                    }
                    PropertyChange::Location(l) => {
                        validate::optional(l.as_deref(), "location", validate::limits::LOCATION)?;
                    }
                    PropertyChange::Category(c) => {
                        validate::optional(c.as_deref(), "category", validate::limits::CATEGORY)?;
                    }
                    PropertyChange::Field {
                        key,
                        value: Some(v),
                    } => validate::field(key, v, s)?,
                    _ => {}
                }
            }
        }
        Payload::PriorityChanged {
            impact,
            urgency,
            priority,
        } => {
            if s.priority_matrix.priority(*impact, *urgency) != *priority {
                return Err(Rejection::InconsistentPriority);
            }
        }
        Payload::Escalated { reason, .. } => {
            validate::reason(reason)?;
        }
        Payload::Tagged { added, removed } => {
            for t in added.iter().chain(removed) {
                validate::tag(t)?;
            }
        }
        Payload::Rated(r) => {
            if !(1..=5).contains(&r.score) {
                return Err(ValidationError::RatingOutOfRange(r.score).into());
            }
            if let Some(c) = &r.comment {
                validate::body(c, true, s)?;
            }
        }
        Payload::MergedInto { target } => {
            if target.id == event.ticket {
                return Err(Rejection::Malformed(
                    "a ticket cannot be merged into itself".into(),
                ));
            }
        }
        Payload::MergedFrom { .. }
        | Payload::FollowUpCreated { .. }
        | Payload::PrivacyRequested { .. } => {}
    }
    Ok(())
}
