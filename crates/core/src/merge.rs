//! Merging duplicate tickets: each source becomes Merged and points at the target; the target
//! records which tickets it absorbed. Source threads stay on the sources, readable through the
//! links, so nothing is rewritten.

use crate::ctx::Ctx;
use crate::decide::stamp;
use crate::error::{DomainError, Permission};
use crate::event::{Event, Payload};
use crate::model::Actor;
use crate::status::{Action, transition};
use crate::ticket::Ticket;

pub fn decide_merge(
    target: &Ticket,
    sources: &[&Ticket],
    actor: &Actor,
    ctx: &mut Ctx,
) -> Result<Vec<Event>, DomainError> {
    if !actor.is_staff() {
        return Err(DomainError::Forbidden {
            role: actor.role(),
            what: Permission::Merge,
        });
    }
    if sources.is_empty() {
        return Err(DomainError::NothingToMerge);
    }
    if let Some(into) = &target.links.merged_into {
        return Err(DomainError::Merged {
            code: target.code.clone(),
            into: into.code.clone(),
        });
    }
    transition(target.status, Action::AbsorbMerge)?;
    let mut refs = Vec::new();
    for s in sources {
        if s.id == target.id {
            return Err(DomainError::MergeIntoSelf);
        }
        transition(s.status, Action::Merge)?;
        if !refs.contains(&s.as_ref()) {
            refs.push(s.as_ref());
        }
    }
    let mut events: Vec<Event> = refs
        .iter()
        .map(|r| {
            stamp(
                ctx,
                &r.id,
                actor,
                Payload::MergedInto {
                    target: target.as_ref(),
                },
            )
        })
        .collect();
    events.push(stamp(
        ctx,
        &target.id,
        actor,
        Payload::MergedFrom { sources: refs },
    ));
    Ok(events)
}
