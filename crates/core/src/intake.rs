//! Opening tickets: the intake form (with the customer-side rules) and follow-ups of finished
//! tickets.

use crate::code::TicketCode;
use crate::command::NewTicket;
use crate::ctx::Ctx;
use crate::decide::{stamp, validate_err};
use crate::error::{DomainError, Permission as P};
use crate::event::{Event, Opened, Payload};
use crate::model::{Actor, Role, Status, TicketId, TicketRef, Visibility};
use crate::policy::forbid;
use crate::settings::DomainSettings;
use crate::status::Action;
use crate::ticket::Ticket;
use crate::validate;

pub(crate) fn open(
    new: &NewTicket,
    actor: &Actor,
    settings: &DomainSettings,
    ctx: &mut Ctx,
) -> Result<Vec<Event>, DomainError> {
    let mut requester = validate::requester(&new.requester)?;
    if let Actor::Customer(me) = actor {
        let role = Role::Customer;
        // Tags, impact and urgency only as the assistant's hand-off sets them.
        if let Err(what) = settings.assistant.check_customer_opening(
            new.handoff.as_ref(),
            &new.tags,
            new.impact,
            new.urgency,
            settings.customers_set_urgency,
        ) {
            forbid(role, what)?;
        }
        if new.level.is_some() {
            forbid(role, P::SetLevel)?;
        }
        if new.assignee.is_some() || new.team.is_some() {
            forbid(role, P::Assign)?;
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
        location: validate::optional(
            new.location.as_deref(),
            "location",
            validate::limits::LOCATION,
        )?,
        channel: new.channel,
        ticket_type: new.ticket_type,
        category: validate::optional(
            new.category.as_deref(),
            "category",
            validate::limits::CATEGORY,
        )?,
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
        handoff: new.handoff.clone(),
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
pub(crate) fn follow_up(
    old: &Ticket,
    message: Option<(String, Vec<crate::model::Attachment>)>,
    actor: &Actor,
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
        handoff: None,
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
