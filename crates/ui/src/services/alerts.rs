//! What the agent console tells its agent when events arrive by sync: the core's alerts
//! ([`mostrador_core::notify::alerts_for`], the rules of the email notices), worked out before
//! the events are stored, against the tickets as this device had them. Only news counts: an
//! event stamped more than [`RECENT_MS`] ago, one this device already folded (not newer than the
//! ticket's last event) or anything from the first pull of a new device tells nobody.

use std::collections::HashMap;

use leptos::prelude::*;
use mostrador_core::apply::apply;
use mostrador_core::event::Event;
use mostrador_core::model::{AgentId, TicketId};
use mostrador_core::notify::{NoticeKind, alerts_for};
use mostrador_core::ticket::Ticket;

use crate::services::desk::Desk;

/// How old an event may be and still be news: a device back from a weekend offline does not
/// ring for every ticket of Friday.
pub const RECENT_MS: i64 = 10 * 60 * 1000;

/// One thing to tell the agent.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub kind: NoticeKind,
    pub ticket: TicketId,
    pub code: String,
    pub subject: String,
}

/// The alerts the sync link raises and the console shows (then empties).
#[derive(Debug, Clone, Copy)]
pub struct AlertQueue(pub RwSignal<Vec<Alert>>);

/// The alerts for agent `me` among `events` (pulled, in log order, not yet stored).
pub async fn for_agent(desk: &Desk, events: &[Event], me: &AgentId, now_ms: i64) -> Vec<Alert> {
    let settings = desk.settings();
    let mut states: HashMap<TicketId, Option<Ticket>> = HashMap::new();
    let mut out = Vec::new();
    for e in events {
        let before = match states.get(&e.ticket) {
            Some(s) => s.clone(),
            None => desk.store.ticket(&e.ticket).await.ok().flatten(),
        };
        let known = before
            .as_ref()
            .and_then(|t| t.last_event.as_ref())
            .is_some_and(|(hlc, id)| (&e.hlc, &e.id) <= (hlc, id));
        let after = apply(before.clone(), e);
        if !known && e.hlc.wall_ms >= now_ms - RECENT_MS {
            for kind in alerts_for(e, before.as_ref(), &after, &settings, me) {
                out.push(Alert {
                    kind,
                    ticket: after.id.clone(),
                    code: after.code.to_string(),
                    subject: after.subject.clone(),
                });
            }
        }
        states.insert(e.ticket.clone(), Some(after));
    }
    out
}
