//! `decide`: command + current state → events, or a typed error. Pure: time and ids come from
//! [`Ctx`].

use crate::command::Command;
use crate::ctx::Ctx;
use crate::error::DomainError;
use crate::event::{Event, Payload, PropertyChange};
use crate::intake::{follow_up, open};
use crate::model::{Actor, TicketId, TicketRef, Visibility};
use crate::policy::{authorize, auto_close_at, within_window};
use crate::privacy::PrivacyRequest;
use crate::settings::DomainSettings;
use crate::status::{Action, Next, transition};
use crate::ticket::Ticket;
use crate::validate;

pub use crate::policy::{auto_close_due, postponed_due};

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
    // Privacy requests apply to a ticket whatever became of it, merged and closed ones included.
    if let Command::Privacy { request } = command {
        if *request == PrivacyRequest::Erasure && t.erased_at.is_some() {
            return Ok(Vec::new());
        }
        return Ok(vec![stamp(
            ctx,
            &t.id,
            actor,
            Payload::PrivacyRequested { request: *request },
        )]);
    }
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
        Command::Open(_) => return Err(DomainError::AlreadyOpened(t.code.clone())),
        Command::Privacy { .. } => {}
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
                    return follow_up(t, Some((body, attachments.clone())), actor, ctx);
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
                return follow_up(t, None, actor, ctx);
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
            let reason = validate::reason(reason).map_err(validate_err)?;
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

pub(crate) fn validate_err(e: crate::error::ValidationError) -> DomainError {
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
            PropertyChange::Category(Some(s)) => PropertyChange::Category(validate::optional(
                Some(s),
                "category",
                validate::limits::CATEGORY,
            )?),
            PropertyChange::Location(Some(s)) => PropertyChange::Location(validate::optional(
                Some(s),
                "location",
                validate::limits::LOCATION,
            )?),
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
