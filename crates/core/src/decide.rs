//! `decide`: command + current state → events, or a typed error. Pure: time and ids come from
//! [`Ctx`].

use crate::code::TicketCode;
use crate::command::{Command, NewTicket};
use crate::ctx::Ctx;
use crate::error::{DomainError, Permission as P};
use crate::event::{Event, Opened, Payload, PropertyChange};
use crate::model::{Actor, Role, Status, TicketId, TicketRef, Timestamp, Visibility};
use crate::settings::DomainSettings;
use crate::status::{Action, Next, transition};
use crate::ticket::Ticket;
use crate::validate;

/// Decides a command against a ticket (`None` only for [`Command::Open`]). The events may include
/// a whole new ticket: replying to a closed ticket opens a linked follow-up.
pub fn decide(
    state: Option<&Ticket>,
    command: &Command,
    actor: &Actor,
    settings: &DomainSettings,
    ctx: &mut Ctx,
) -> Result<Vec<Event>, DomainError> {
    let t = match (state, command) {
        (None, Command::Open(new)) => return open(new, actor, settings, ctx),
        (Some(t), Command::Open(_)) => return Err(DomainError::AlreadyOpened(t.code.clone())),
        (None, _) => return Err(DomainError::NoTicket),
        (Some(t), _) => t,
    };
    authorize(t, command, actor)?;
    if let Some(into) = &t.links.merged_into {
        return Err(DomainError::Merged {
            code: t.code.clone(),
            into: into.code.clone(),
        });
    }
    let mut out = Out {
        ticket: t.id.clone(),
        actor: actor.clone(),
        events: Vec::new(),
    };
    match command {
        Command::Open(_) => unreachable!("handled above"),
        Command::Reply { body, attachments } => {
            validate::attachments(attachments, settings)?;
            let body = validate::body(body, !attachments.is_empty(), settings)?;
            let action = match actor {
                Actor::Agent(_) => Action::AgentReply,
                Actor::Customer(_) => Action::CustomerReply {
                    within_reopen_window: within_window(t, settings, ctx.now),
                },
                // Automated messages (acknowledgements) do not count as an answer.
                Actor::System => Action::Note,
            };
            match transition(t.status, action)? {
                Next::FollowUp => {
                    return follow_up(t, Some((body, attachments.clone())), actor, settings, ctx);
                }
                Next::To(to) => {
                    out.push(
                        ctx,
                        Payload::MessagePosted {
                            visibility: Visibility::Public,
                            body,
                            attachments: attachments.clone(),
                        },
                    );
                    // Recorded even when unchanged: folding replays the action, so a reply that
                    // sorts after a concurrent one still decides the status.
                    if action != Action::Note {
                        out.push(
                            ctx,
                            Payload::StatusChanged {
                                from: t.status,
                                to,
                                action,
                            },
                        );
                    }
                }
            }
        }
        Command::AddNote { body, attachments } => {
            validate::attachments(attachments, settings)?;
            let body = validate::body(body, !attachments.is_empty(), settings)?;
            transition(t.status, Action::Note)?;
            out.push(
                ctx,
                Payload::MessagePosted {
                    visibility: Visibility::Internal,
                    body,
                    attachments: attachments.clone(),
                },
            );
        }
        Command::Resolve => out.status(t, Action::Resolve, ctx)?,
        Command::Close => out.status(t, Action::Close, ctx)?,
        Command::Reopen => {
            let within = actor.is_staff() || within_window(t, settings, ctx.now);
            let action = Action::Reopen {
                within_reopen_window: within,
            };
            if transition(t.status, action)? == Next::FollowUp {
                return follow_up(t, None, actor, settings, ctx);
            }
            out.status(t, action, ctx)?;
        }
        Command::AutoClose => {
            transition(t.status, Action::AutoClose)?;
            let due = auto_close_at(t, settings).unwrap_or(ctx.now);
            if ctx.now < due {
                return Err(DomainError::NotDue { due });
            }
            out.status(t, Action::AutoClose, ctx)?;
        }
        Command::Postpone { until } => {
            transition(t.status, Action::Postpone)?;
            if *until <= ctx.now {
                return Err(validate_err(crate::error::ValidationError::PostponeInPast(
                    *until,
                )));
            }
            out.push(ctx, Payload::Postponed { until: *until });
        }
        Command::Wake => {
            transition(t.status, Action::Wake)?;
            if let (Actor::System, Some(until)) = (actor, t.postponed_until)
                && ctx.now < until
            {
                return Err(DomainError::NotDue { due: until });
            }
            out.status(t, Action::Wake, ctx)?;
        }
        Command::SetPriority { impact, urgency } => {
            transition(t.status, Action::Update)?;
            let priority = settings.priority_matrix.priority(*impact, *urgency);
            if (t.impact, t.urgency, t.priority) != (*impact, *urgency, priority) {
                out.push(
                    ctx,
                    Payload::PriorityChanged {
                        impact: *impact,
                        urgency: *urgency,
                        priority,
                    },
                );
            }
        }
        Command::Edit { changes } => {
            transition(t.status, Action::Update)?;
            let changes = edits(t, changes, actor, settings)?;
            if !changes.is_empty() {
                out.push(ctx, Payload::PropertiesChanged { changes });
            }
        }
        Command::Assign { agent, team } => {
            transition(t.status, Action::Update)?;
            if (&t.assignee, &t.team) != (agent, team) {
                out.push(
                    ctx,
                    Payload::Assigned {
                        agent: agent.clone(),
                        team: team.clone(),
                    },
                );
            }
        }
        Command::Escalate { to, reason } => {
            transition(t.status, Action::Update)?;
            let reason = validate::clean_text(reason);
            if reason.is_empty() {
                return Err(validate_err(crate::error::ValidationError::EmptyReason));
            }
            if *to != t.level {
                out.push(
                    ctx,
                    Payload::Escalated {
                        from: t.level,
                        to: *to,
                        reason,
                    },
                );
            }
        }
        Command::Tag { add, remove } => {
            transition(t.status, Action::Update)?;
            let remove: Vec<String> = validate::tags(remove)?
                .into_iter()
                .filter(|x| t.tags.contains(x))
                .collect();
            let add: Vec<String> = validate::tags(add)?
                .into_iter()
                .filter(|x| !t.tags.contains(x) && !remove.contains(x))
                .collect();
            if !add.is_empty() || !remove.is_empty() {
                out.push(
                    ctx,
                    Payload::Tagged {
                        added: add,
                        removed: remove,
                    },
                );
            }
        }
        Command::Watch { add, remove } => {
            transition(t.status, Action::Update)?;
            let removed: Vec<_> = remove
                .iter()
                .filter(|a| t.watchers.contains(*a))
                .cloned()
                .collect();
            let mut added: Vec<_> = add
                .iter()
                .filter(|a| !t.watchers.contains(*a) && !remove.contains(a))
                .cloned()
                .collect();
            added.sort();
            added.dedup();
            if !added.is_empty() || !removed.is_empty() {
                out.push(ctx, Payload::WatchersChanged { added, removed });
            }
        }
        Command::Rate { score, comment } => {
            transition(t.status, Action::Rate)?;
            if !(1..=5).contains(score) {
                return Err(validate_err(
                    crate::error::ValidationError::RatingOutOfRange(*score),
                ));
            }
            let comment = match comment {
                Some(c) => Some(validate::body(c, true, settings)?).filter(|c| !c.is_empty()),
                None => None,
            };
            out.push(
                ctx,
                Payload::Rated(crate::model::Rating {
                    score: *score,
                    comment,
                }),
            );
        }
    }
    Ok(out.events)
}

/// Decides several commands against one ticket as a unit (macros): each sees the state the
/// previous ones produced; the first error cancels all.
pub fn decide_sequence(
    state: Option<&Ticket>,
    commands: &[Command],
    actor: &Actor,
    settings: &DomainSettings,
    ctx: &mut Ctx,
) -> Result<Vec<Event>, DomainError> {
    let mut current = state.cloned();
    let mut all = Vec::new();
    for c in commands {
        let events = decide(current.as_ref(), c, actor, settings, ctx)?;
        for e in &events {
            if current.as_ref().is_none_or(|t| t.id == e.ticket) {
                current = Some(crate::apply::apply(current, e));
            }
        }
        all.extend(events);
    }
    Ok(all)
}

/// Result of a bulk command on one ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkOutcome {
    pub ticket: TicketRef,
    pub result: Result<Vec<Event>, DomainError>,
}

/// One command on many tickets; each ticket succeeds or fails on its own.
pub fn decide_bulk(
    tickets: &[&Ticket],
    command: &Command,
    actor: &Actor,
    settings: &DomainSettings,
    ctx: &mut Ctx,
) -> Vec<BulkOutcome> {
    tickets
        .iter()
        .map(|t| BulkOutcome {
            ticket: t.as_ref(),
            result: decide(Some(t), command, actor, settings, ctx),
        })
        .collect()
}

/// When a resolved ticket may be closed by the system: the quiet period after the later of its
/// resolution and its last public message.
pub fn auto_close_at(t: &Ticket, settings: &DomainSettings) -> Option<Timestamp> {
    if t.status != Status::Resolved {
        return None;
    }
    let quiet_since = t
        .last_entered(Status::Resolved)?
        .max(t.last_public_activity());
    quiet_since.checked_add_signed(settings.auto_close_after())
}

pub fn auto_close_due(t: &Ticket, settings: &DomainSettings, now: Timestamp) -> bool {
    auto_close_at(t, settings).is_some_and(|due| now >= due)
}

/// Whether a postponed ticket's date has come (run [`Command::Wake`] as [`Actor::System`]).
pub fn postponed_due(t: &Ticket, now: Timestamp) -> bool {
    t.status == Status::Postponed && t.postponed_until.is_some_and(|u| now >= u)
}

/// Whether a customer's message now still reopens the ticket (boundary inclusive). Only meaningful
/// for resolved tickets; `true` otherwise.
pub fn within_window(t: &Ticket, settings: &DomainSettings, now: Timestamp) -> bool {
    match (t.status, t.last_entered(Status::Resolved)) {
        (Status::Resolved, Some(at)) => now.signed_duration_since(at) <= settings.reopen_window(),
        _ => true,
    }
}

fn validate_err(e: crate::error::ValidationError) -> DomainError {
    DomainError::Invalid(e)
}

struct Out {
    ticket: TicketId,
    actor: Actor,
    events: Vec<Event>,
}

impl Out {
    fn push(&mut self, ctx: &mut Ctx, payload: Payload) {
        self.events
            .push(stamp(ctx, &self.ticket, &self.actor, payload));
    }

    fn status(&mut self, t: &Ticket, action: Action, ctx: &mut Ctx) -> Result<(), DomainError> {
        match transition(t.status, action)? {
            Next::To(to) => {
                self.push(
                    ctx,
                    Payload::StatusChanged {
                        from: t.status,
                        to,
                        action,
                    },
                );
                Ok(())
            }
            // Callers handle follow-ups before asking for a plain status change.
            Next::FollowUp => Err(crate::status::IllegalTransition {
                from: t.status,
                action,
            }
            .into()),
        }
    }
}

pub(crate) fn stamp(ctx: &mut Ctx, ticket: &TicketId, actor: &Actor, payload: Payload) -> Event {
    Event {
        id: ctx.next_event_id(),
        hlc: ctx.next_hlc(),
        ticket: ticket.clone(),
        actor: actor.clone(),
        payload,
    }
}

fn forbid(role: Role, what: P) -> Result<(), DomainError> {
    Err(DomainError::Forbidden { role, what })
}

/// Role rules. Agents and automations may do everything but rate; customers only act on their own
/// tickets and only talk, resolve, reopen and rate.
fn authorize(t: &Ticket, command: &Command, actor: &Actor) -> Result<(), DomainError> {
    let Actor::Customer(me) = actor else {
        return match command {
            Command::Rate { .. } => forbid(actor.role(), P::Rate),
            _ => Ok(()),
        };
    };
    if !t.is_requester(me) {
        return Err(DomainError::NotRequester);
    }
    let role = Role::Customer;
    match command {
        Command::Open(_)
        | Command::Reply { .. }
        | Command::Resolve
        | Command::Reopen
        | Command::Rate { .. } => Ok(()),
        Command::AddNote { .. } => forbid(role, P::AddInternalNote),
        Command::Close | Command::AutoClose => forbid(role, P::Close),
        Command::Postpone { .. } => forbid(role, P::Postpone),
        Command::Wake => forbid(role, P::Wake),
        Command::SetPriority { .. } => forbid(role, P::SetPriority),
        Command::Edit { .. } => forbid(role, P::EditProperties),
        Command::Assign { .. } => forbid(role, P::Assign),
        Command::Escalate { .. } => forbid(role, P::SetLevel),
        Command::Tag { .. } => forbid(role, P::Tag),
        Command::Watch { .. } => forbid(role, P::Watch),
    }
}

fn edits(
    t: &Ticket,
    changes: &[PropertyChange],
    _actor: &Actor,
    settings: &DomainSettings,
) -> Result<Vec<PropertyChange>, DomainError> {
    let mut out = Vec::new();
    for c in changes {
        let c = match c {
            PropertyChange::Subject(s) => PropertyChange::Subject(validate::subject(s, settings)?),
            PropertyChange::Requester(r) => PropertyChange::Requester(validate::requester(r)?),
            PropertyChange::Field {
                key,
                value: Some(v),
            } => {
                validate::field(key, v, settings)?;
                c.clone()
            }
            PropertyChange::Category(Some(s)) => {
                PropertyChange::Category(Some(validate::clean_text(s)).filter(|s| !s.is_empty()))
            }
            PropertyChange::Location(Some(s)) => {
                PropertyChange::Location(Some(validate::clean_text(s)).filter(|s| !s.is_empty()))
            }
            other => other.clone(),
        };
        let unchanged = match &c {
            PropertyChange::Subject(s) => *s == t.subject,
            PropertyChange::Category(x) => *x == t.category,
            PropertyChange::TicketType(x) => *x == t.ticket_type,
            PropertyChange::Channel(x) => *x == t.channel,
            PropertyChange::Location(x) => *x == t.location,
            PropertyChange::Requester(x) => *x == t.requester,
            PropertyChange::Field { key, value } => t.custom_fields.get(key) == value.as_ref(),
        };
        if !unchanged {
            out.push(c);
        }
    }
    Ok(out)
}

fn open(
    new: &NewTicket,
    actor: &Actor,
    settings: &DomainSettings,
    ctx: &mut Ctx,
) -> Result<Vec<Event>, DomainError> {
    let mut requester = validate::requester(&new.requester)?;
    if let Actor::Customer(me) = actor {
        let role = Role::Customer;
        if new.impact.is_some() || new.urgency.is_some() {
            forbid(role, P::SetPriority)?;
        }
        if new.level.is_some() {
            forbid(role, P::SetLevel)?;
        }
        if new.assignee.is_some() || new.team.is_some() {
            forbid(role, P::Assign)?;
        }
        if !new.tags.is_empty() {
            forbid(role, P::Tag)?;
        }
        if new
            .custom_fields
            .keys()
            .any(|k| settings.field(k).is_some_and(|d| d.agent_only))
        {
            forbid(role, P::SetStaffOnlyField)?;
        }
        match &requester.customer_id {
            None => requester.customer_id = Some(me.clone()),
            Some(id) if id == me => {}
            Some(_) => return Err(DomainError::NotRequester),
        }
        if let Some(d) = settings
            .custom_fields
            .iter()
            .find(|d| d.required && !d.agent_only && !new.custom_fields.contains_key(&d.key))
        {
            return Err(validate_err(crate::error::ValidationError::RequiredField(
                d.key.clone(),
            )));
        }
    }
    validate::fields(&new.custom_fields, settings)?;
    validate::attachments(&new.attachments, settings)?;
    let impact = new.impact.unwrap_or(settings.default_impact);
    let urgency = new.urgency.unwrap_or(settings.default_urgency);
    let opened = Opened {
        code: TicketCode::generate(ctx),
        subject: validate::subject(&new.subject, settings)?,
        description: validate::body(&new.description, true, settings)?,
        requester,
        location: new
            .location
            .as_deref()
            .map(validate::clean_text)
            .filter(|s| !s.is_empty()),
        channel: new.channel,
        ticket_type: new.ticket_type,
        category: new
            .category
            .as_deref()
            .map(validate::clean_text)
            .filter(|s| !s.is_empty()),
        tags: validate::tags(&new.tags)?,
        custom_fields: new.custom_fields.clone(),
        impact,
        urgency,
        priority: settings.priority_matrix.priority(impact, urgency),
        level: new.level.unwrap_or(settings.default_level),
        assignee: new.assignee.clone(),
        team: new.team.clone(),
        attachments: new.attachments.clone(),
        follow_up_of: None,
    };
    let id = TicketId(ctx.next_id());
    Ok(vec![stamp(
        ctx,
        &id,
        actor,
        Payload::TicketOpened(Box::new(opened)),
    )])
}

/// A new ticket continuing `old`, plus the link event on `old`. A customer's message becomes the
/// new ticket's description; an agent's becomes its first reply.
fn follow_up(
    old: &Ticket,
    message: Option<(String, Vec<crate::model::Attachment>)>,
    actor: &Actor,
    _settings: &DomainSettings,
    ctx: &mut Ctx,
) -> Result<Vec<Event>, DomainError> {
    let id = TicketId(ctx.next_id());
    let code = TicketCode::generate(ctx);
    let (customer_text, agent_text) = match (actor, message) {
        (Actor::Customer(_), Some(m)) => (Some(m), None),
        (_, m) => (None, m),
    };
    let (description, attachments) = customer_text.unwrap_or_default();
    let opened = Opened {
        code: code.clone(),
        subject: old.subject.clone(),
        description,
        requester: old.requester.clone(),
        location: old.location.clone(),
        channel: old.channel,
        ticket_type: old.ticket_type,
        category: old.category.clone(),
        tags: old.tags.iter().cloned().collect(),
        custom_fields: old.custom_fields.clone(),
        impact: old.impact,
        urgency: old.urgency,
        priority: old.priority,
        level: old.level,
        assignee: old.assignee.clone(),
        team: old.team.clone(),
        attachments,
        follow_up_of: Some(old.as_ref()),
    };
    let mut events = vec![stamp(
        ctx,
        &id,
        actor,
        Payload::TicketOpened(Box::new(opened)),
    )];
    if let Some((body, attachments)) = agent_text {
        let public = Payload::MessagePosted {
            visibility: Visibility::Public,
            body,
            attachments,
        };
        events.push(stamp(ctx, &id, actor, public));
        if matches!(actor, Actor::Agent(_)) {
            let answered = Payload::StatusChanged {
                from: Status::New,
                to: Status::Answered,
                action: Action::AgentReply,
            };
            events.push(stamp(ctx, &id, actor, answered));
        }
    }
    let link = Payload::FollowUpCreated {
        follow_up: TicketRef { id, code },
    };
    events.push(stamp(ctx, &old.id, actor, link));
    Ok(events)
}
