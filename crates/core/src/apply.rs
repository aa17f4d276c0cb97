//! Folding events into tickets.
//!
//! `apply` never fails: an event in the log was legal when some device decided it, but devices
//! decide concurrently, so it may not fit the state the fold reaches. The rules below make the
//! outcome deterministic and lose no data:
//!
//! - a status change re-runs its recorded [`Action`] through the status machine on the folded
//!   state, and is skipped if the machine refuses it there. So a customer's reply that sorts after
//!   a concurrent agent reply still leaves the ticket Open, two concurrent resolves count once, and
//!   Merged and Closed stay final (a concurrent reply still lands in the thread);
//! - messages, links, tags and watchers are set-like, so duplicates collapse;
//! - an event for another ticket is ignored; events that arrive before their `TicketOpened`
//!   build a placeholder that the opening fills in later.

use std::collections::{BTreeMap, HashSet};

use crate::code::TicketCode;
use crate::event::{Event, Opened, Payload, PropertyChange};
use crate::model::{Actor, Status, Timestamp};
use crate::status::{Action, Next, transition};
use crate::ticket::{Links, Message, StatusEntry, Ticket};

/// Folds one event into the state. Feed events in log order ([`Event::log_order`]); when one
/// arrives that sorts before [`Ticket::last_event`], re-fold the whole log with [`fold`].
pub fn apply(state: Option<Ticket>, event: &Event) -> Ticket {
    apply_with(state, event, false)
}

/// [`apply`] for an event whose id the state has certainly not seen (the folds below dedupe ids
/// first): skips the search of the thread for it, so folding a ticket is linear in its length.
fn apply_with(state: Option<Ticket>, event: &Event, unseen: bool) -> Ticket {
    let mut t = match state {
        Some(t) if t.id != event.ticket => return t,
        Some(t) => t,
        None => placeholder(event),
    };
    let key = (event.hlc.clone(), event.id.clone());
    if t.last_event.as_ref() == Some(&key) {
        return t;
    }
    let at = event.at();
    let actor = &event.actor;
    match &event.payload {
        Payload::TicketOpened(o) => open(&mut t, o, at, actor),
        Payload::MessagePosted {
            visibility,
            body,
            attachments,
        } => {
            if unseen || !t.thread.iter().any(|m| m.id == event.id) {
                t.thread.push(Message {
                    id: event.id.clone(),
                    at,
                    author: actor.clone(),
                    visibility: *visibility,
                    body: body.clone(),
                    attachments: attachments.clone(),
                });
            }
        }
        Payload::StatusChanged { action, .. } => {
            if let Ok(Next::To(to)) = transition(t.status, *action) {
                force_status(&mut t, to, at, actor);
            }
        }
        Payload::Postponed { until } => {
            if let Ok(Next::To(to)) = transition(t.status, Action::Postpone) {
                force_status(&mut t, to, at, actor);
                t.postponed_until = Some(*until);
            }
        }
        Payload::PropertiesChanged { changes } => {
            for c in changes {
                change(&mut t, c);
            }
        }
        Payload::PriorityChanged {
            impact,
            urgency,
            priority,
        } => {
            (t.impact, t.urgency, t.priority) = (*impact, *urgency, *priority);
        }
        Payload::Assigned { agent, team } => {
            t.assignee = agent.clone();
            t.team = team.clone();
        }
        Payload::Escalated { to, .. } => t.level = *to,
        Payload::Tagged { added, removed } => {
            for tag in removed {
                t.tags.remove(tag);
            }
            t.tags.extend(added.iter().cloned());
        }
        Payload::WatchersChanged { added, removed } => {
            for w in removed {
                t.watchers.remove(w);
            }
            t.watchers.extend(added.iter().cloned());
        }
        Payload::Rated(r) => {
            t.satisfaction = Some(r.clone());
            t.satisfaction_at = Some(at);
        }
        Payload::MergedInto { target } => {
            if t.status != Status::Merged {
                force_status(&mut t, Status::Merged, at, actor);
                t.links.merged_into = Some(target.clone());
            }
        }
        Payload::MergedFrom { sources } => {
            for s in sources {
                if !t.links.merged_from.contains(s) {
                    t.links.merged_from.push(s.clone());
                }
            }
        }
        Payload::FollowUpCreated { follow_up } => {
            if !t.links.follow_ups.contains(follow_up) {
                t.links.follow_ups.push(follow_up.clone());
            }
        }
        Payload::PrivacyRequested { request } => {
            if *request == crate::privacy::PrivacyRequest::Erasure {
                crate::privacy::redact(&mut t, at);
            }
        }
    }
    t.updated_at = t.updated_at.max(at);
    if t.last_event.as_ref().is_none_or(|last| *last < key) {
        t.last_event = Some(key);
    }
    t
}

/// The state of one ticket from its events, in any order, duplicates allowed. Pass one ticket's
/// events; events for other tickets than the first in log order are ignored.
pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Ticket> {
    sorted_unique(events)
        .into_iter()
        .fold(None, |t, e| Some(apply_with(t, e, true)))
}

/// Every ticket in a mixed log.
pub fn fold_all<'a>(
    events: impl IntoIterator<Item = &'a Event>,
) -> BTreeMap<crate::model::TicketId, Ticket> {
    let mut out: BTreeMap<_, Ticket> = BTreeMap::new();
    for e in sorted_unique(events) {
        let t = out.remove(&e.ticket);
        out.insert(e.ticket.clone(), apply_with(t, e, true));
    }
    out
}

/// Log order, first copy of each id. Two different events under one id (a corrupt log) are
/// ordered by their JSON form so even then every device picks the same one.
pub(crate) fn sorted_unique<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<&'a Event> {
    let mut v: Vec<&Event> = events.into_iter().collect();
    v.sort_by(|a, b| {
        Event::log_order(a, b).then_with(|| {
            let json = |e: &Event| serde_json::to_string(e).unwrap_or_default();
            json(a).cmp(&json(b))
        })
    });
    let mut seen = HashSet::new();
    v.retain(|e| seen.insert(&e.id));
    v
}

fn placeholder(event: &Event) -> Ticket {
    let at = event.at();
    let d = crate::settings::DomainSettings::default();
    Ticket {
        id: event.ticket.clone(),
        code: TicketCode::placeholder(),
        subject: String::new(),
        description: String::new(),
        attachments: Vec::new(),
        requester: Default::default(),
        location: None,
        channel: crate::model::Channel::WebForm,
        ticket_type: crate::model::TicketType::Question,
        category: None,
        tags: Default::default(),
        custom_fields: Default::default(),
        impact: d.default_impact,
        urgency: d.default_urgency,
        priority: d
            .priority_matrix
            .priority(d.default_impact, d.default_urgency),
        level: d.default_level,
        assignee: None,
        team: None,
        watchers: Default::default(),
        status: Status::New,
        postponed_until: None,
        satisfaction: None,
        satisfaction_at: None,
        links: Links::default(),
        thread: Vec::new(),
        status_history: Vec::new(),
        created_at: at,
        created_by: event.actor.clone(),
        updated_at: at,
        last_event: None,
        opened: false,
        erased_at: None,
    }
}

fn open(t: &mut Ticket, o: &Opened, at: Timestamp, actor: &Actor) {
    if t.opened {
        return; // A second opening for the same id cannot be legal; the first one stands.
    }
    t.opened = true;
    t.code = o.code.clone();
    t.subject = o.subject.clone();
    t.description = o.description.clone();
    t.attachments = o.attachments.clone();
    t.requester = o.requester.clone();
    t.location = o.location.clone();
    t.channel = o.channel;
    t.ticket_type = o.ticket_type;
    t.category = o.category.clone();
    t.tags.extend(o.tags.iter().cloned());
    for (k, v) in &o.custom_fields {
        t.custom_fields
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
    (t.impact, t.urgency, t.priority, t.level) = (o.impact, o.urgency, o.priority, o.level);
    t.assignee = t.assignee.take().or_else(|| o.assignee.clone());
    t.team = t.team.take().or_else(|| o.team.clone());
    t.links.follow_up_of = o.follow_up_of.clone();
    t.created_at = t.created_at.min(at);
    t.created_by = actor.clone();
    t.status_history.insert(
        0,
        StatusEntry {
            at,
            status: Status::New,
            by: actor.clone(),
        },
    );
    // An erasure that arrived before the opening (a sync gap) still holds once it comes.
    if let Some(erased) = t.erased_at {
        crate::privacy::redact(t, erased);
    }
}

fn change(t: &mut Ticket, c: &PropertyChange) {
    match c {
        PropertyChange::Subject(s) => t.subject = s.clone(),
        PropertyChange::Category(c) => t.category = c.clone(),
        PropertyChange::TicketType(k) => t.ticket_type = *k,
        PropertyChange::Channel(c) => t.channel = *c,
        PropertyChange::Location(l) => t.location = l.clone(),
        PropertyChange::Requester(r) => t.requester = r.clone(),
        PropertyChange::Field {
            key,
            value: Some(v),
        } => {
            t.custom_fields.insert(key.clone(), v.clone());
        }
        PropertyChange::Field { key, value: None } => {
            t.custom_fields.remove(key);
        }
    }
}

fn force_status(t: &mut Ticket, to: Status, at: Timestamp, actor: &Actor) {
    if t.status == to {
        return;
    }
    if to != Status::Postponed {
        t.postponed_until = None;
    }
    t.status = to;
    t.status_history.push(StatusEntry {
        at,
        status: to,
        by: actor.clone(),
    });
}
