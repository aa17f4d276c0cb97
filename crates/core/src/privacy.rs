//! A customer's rights over their data: access (a copy of what the help desk holds about them) and
//! erasure (their personal data removed). Both go through events so they are recorded in each
//! ticket's audit history, sync to every device and fold the same everywhere: an erasure event
//! redacts the folded ticket; the events before it stay in the log, and every read model (ticket,
//! list row, search index, export of tickets) is rebuilt from the redacted fold.

use serde::{Deserialize, Serialize};

use crate::event::{Event, Payload, PropertyChange};
use crate::model::{Requester, Timestamp};
use crate::settings::DomainSettings;
use crate::ticket::{CustomerView, Ticket};

/// What a customer asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyRequest {
    /// The customer received a copy of their data (recorded only; the ticket does not change).
    Access,
    /// The customer's personal data is removed from the ticket.
    Erasure,
}

/// Whether `t` belongs to the customer named by `who`: their customer id, or their email address
/// (without regard to case or surrounding spaces). Blank `who` matches nothing.
pub fn belongs_to(t: &Ticket, who: &str) -> bool {
    let who = who.trim();
    if who.is_empty() {
        return false;
    }
    let r = &t.requester;
    r.customer_id.as_ref().is_some_and(|c| c.0 == who)
        || r.email
            .as_deref()
            .is_some_and(|e| e.trim().eq_ignore_ascii_case(who))
}

/// The tickets of the customer named by `who` (see [`belongs_to`]), erased ones left out.
pub fn customer_tickets<'a>(
    tickets: impl IntoIterator<Item = &'a Ticket>,
    who: &str,
) -> Vec<&'a Ticket> {
    tickets
        .into_iter()
        .filter(|t| t.erased_at.is_none() && belongs_to(t, who))
        .collect()
}

pub const ACCESS_FORMAT: &str = "mostrador-customer-data";

/// The file a customer receives on an access request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessReport {
    pub format: String,
    pub version: u32,
    pub generated_at: Timestamp,
    /// The customer as the help desk knows them (from their newest ticket).
    pub requester: Option<Requester>,
    /// Every ticket as the customer sees it: public conversation, non-staff fields.
    pub tickets: Vec<CustomerView>,
}

/// A customer's data as pretty JSON.
pub fn access_report(tickets: &[&Ticket], settings: &DomainSettings, now: Timestamp) -> String {
    let newest = tickets.iter().max_by_key(|t| t.updated_at);
    let report = AccessReport {
        format: ACCESS_FORMAT.into(),
        version: 1,
        generated_at: now,
        requester: newest.map(|t| t.requester.clone()),
        tickets: tickets.iter().map(|t| t.customer_view(settings)).collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// Removes personal data from a folded ticket: the requester's contact details, the subject
/// (replaced by the ticket code), the description, every message body and attachment, the
/// location, custom field values and the rating comment. What the KPIs need stays: when things
/// happened, who (as a role) wrote, statuses, priority, assignment.
pub(crate) fn redact(t: &mut Ticket, at: Timestamp) {
    t.requester = Requester {
        locale: t.requester.locale.take(),
        ..Requester::default()
    };
    t.subject = t.code.to_string();
    t.description.clear();
    t.attachments.clear();
    t.location = None;
    t.custom_fields.clear();
    for m in &mut t.thread {
        m.body.clear();
        m.attachments.clear();
    }
    if let Some(r) = &mut t.satisfaction {
        r.comment = None;
    }
    t.erased_at = Some(t.erased_at.map_or(at, |e| e.min(at)));
}

/// The copy of `e` with the personal data an erasure removes: requester details, subject and
/// description, message bodies, attachments, location, custom field values, rating comments.
/// Ids, times, actors, statuses and the rest the KPIs need stay. Redacting twice changes nothing.
pub fn redact_event(e: &Event) -> Event {
    let payload = match &e.payload {
        Payload::TicketOpened(o) => {
            let mut o = o.clone();
            o.subject = o.code.to_string();
            o.description.clear();
            o.requester = Requester {
                locale: o.requester.locale.clone(),
                ..Requester::default()
            };
            o.location = None;
            o.custom_fields.clear();
            o.attachments.clear();
            Payload::TicketOpened(o)
        }
        Payload::MessagePosted { visibility, .. } => Payload::MessagePosted {
            visibility: *visibility,
            body: String::new(),
            attachments: Vec::new(),
        },
        Payload::PropertiesChanged { changes } => Payload::PropertiesChanged {
            changes: changes
                .iter()
                .map(|c| match c {
                    PropertyChange::Subject(_) => PropertyChange::Subject(String::new()),
                    PropertyChange::Location(_) => PropertyChange::Location(None),
                    PropertyChange::Requester(r) => PropertyChange::Requester(Requester {
                        locale: r.locale.clone(),
                        ..Requester::default()
                    }),
                    PropertyChange::Field { key, .. } => PropertyChange::Field {
                        key: key.clone(),
                        value: None,
                    },
                    other => other.clone(),
                })
                .collect(),
        },
        Payload::Rated(r) => {
            let mut r = r.clone();
            r.comment = None;
            Payload::Rated(r)
        }
        other => other.clone(),
    };
    Event {
        payload,
        ..e.clone()
    }
}

/// Whether `incoming` is the event already stored as `stored`: the same, or a copy from before
/// an erasure redacted the stored one (or the redacted copy of one stored before the erasure
/// arrived). Stores, imports and the sync server treat such a copy as a duplicate, never as a
/// conflict, and never store the unredacted text again.
pub fn same_event(stored: &Event, incoming: &Event) -> bool {
    stored == incoming
        || (stored.id == incoming.id
            && (*stored == redact_event(incoming) || redact_event(stored) == *incoming))
}

/// Physical redaction of one ticket's log: the events ordered before its latest erasure, in
/// their redacted form, where that differs from what is stored. Every store rewrites these in the
/// same change that stores the erasure (or a late event the erasure covers), so the personal data
/// leaves the log itself, not only the folded ticket and exports.
pub fn redactions<'a>(log: impl IntoIterator<Item = &'a Event>) -> Vec<Event> {
    let log: Vec<&Event> = log.into_iter().collect();
    let Some(last) = log
        .iter()
        .filter(|e| {
            matches!(
                e.payload,
                Payload::PrivacyRequested {
                    request: PrivacyRequest::Erasure
                }
            )
        })
        .max_by(|a, b| Event::log_order(a, b))
    else {
        return Vec::new();
    };
    log.iter()
        .filter(|e| Event::log_order(e, last).is_lt())
        .filter_map(|e| {
            let r = redact_event(e);
            (r != **e).then_some(r)
        })
        .collect()
}
