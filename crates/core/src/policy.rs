//! Who may do what, and the time rules (reopen window, auto-close, postponement) as pure
//! functions the caller's scheduler can poll.

use crate::command::Command;
use crate::error::{DomainError, Permission as P};
use crate::model::{Actor, Role, Status, Timestamp};
use crate::settings::DomainSettings;
use crate::ticket::Ticket;

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

pub(crate) fn forbid(role: Role, what: P) -> Result<(), DomainError> {
    Err(DomainError::Forbidden { role, what })
}

/// Role rules. Agents and automations may do everything but rate; customers only act on their own
/// tickets and only talk, resolve, reopen and rate.
pub(crate) fn authorize(t: &Ticket, command: &Command, actor: &Actor) -> Result<(), DomainError> {
    let Actor::Customer(me) = actor else {
        return match command {
            Command::Rate { .. } => forbid(actor.role(), P::Rate),
            Command::Privacy { .. } if *actor == Actor::System => {
                forbid(actor.role(), P::HandlePrivacy)
            }
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
        Command::Privacy { .. } => forbid(role, P::HandlePrivacy),
    }
}
