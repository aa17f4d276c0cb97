//! The embedding page's side of a running app: what the host says while the app runs (language,
//! who the visitor is, fields to prefill) and what the app reports back (tickets created, updated,
//! status changes, sync state). The widget crate fills a [`HostLink`] from its JavaScript handle,
//! so this module sees plain Rust data, never a `JsValue` (the crate's JavaScript boundary is in
//! ARCHITECTURE.md).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::model::{CustomerId, Status};
use mostrador_core::store::TicketSummary;

use crate::services::desk::Desk;

/// The visitor as the host's backend vouched for them (`identify`). The signature is checked by
/// the sync server, which holds the secret; the app uses the id as the customer id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visitor {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// The customer token the host's backend signed (`mc1.…` or `mc2.…`), used as the sync
    /// credential.
    pub token: Option<String>,
    /// What the site vouched for in an `mc2.` token (plan, orders, CRM link); the visitor's
    /// tickets carry it for agents to see.
    pub context: Option<mostrador_core::customer::CustomerContext>,
}

/// Ticket fields the host filled in ahead of time (`prefill`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrefillFields {
    pub subject: Option<String>,
    pub message: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub category: Option<String>,
    /// Custom fields by name, as text.
    pub fields: BTreeMap<String, String>,
}

/// The state of the optional sync connection, as the host sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// No sync server configured: everything stays on this device.
    Local,
    /// Up to date with the server.
    Synced,
    /// Sending or receiving.
    Syncing,
    /// Changes wait until the network returns.
    Offline,
    /// The server refused or failed; the app retries.
    Error,
}

/// Something the host may want to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostEvent {
    /// The visitor opened a ticket (public code).
    TicketCreated { ticket: String },
    /// A ticket got a public reply or changed status.
    TicketUpdated { ticket: String },
    /// A ticket moved from one status to another (the core's lower-case names).
    StatusChanged {
        ticket: String,
        from: String,
        to: String,
    },
    /// The sync connection changed state.
    Sync(SyncStatus),
}

/// Shared between the host's handle and the app. Cloning shares the signals and the callback.
#[derive(Clone)]
pub struct HostLink {
    /// A language tag set at run time (`setLocale`); the app switches when it changes.
    pub locale: RwSignal<Option<String>>,
    /// The identified visitor; `None` for an anonymous visitor of this device.
    pub visitor: RwSignal<Option<Visitor>>,
    /// Fields for the portal's new-ticket form.
    pub prefill: RwSignal<PrefillFields>,
    emit: Rc<dyn Fn(HostEvent)>,
}

impl Default for HostLink {
    fn default() -> Self {
        Self::new(|_| {})
    }
}

impl HostLink {
    /// A link whose events go to `emit`.
    pub fn new(emit: impl Fn(HostEvent) + 'static) -> Self {
        Self {
            locale: RwSignal::new(None),
            visitor: RwSignal::new(None),
            prefill: RwSignal::new(PrefillFields::default()),
            emit: Rc::new(emit),
        }
    }

    /// Reports `event` to the host.
    pub fn emit(&self, event: HostEvent) {
        (self.emit)(event);
    }
}

/// The context that carries the host link through the app.
#[derive(Debug, Clone, Copy)]
struct HostContext(StoredValue<HostLink, LocalStorage>);

/// Makes `host` the link every component below reads with [`use_host`].
pub fn provide_host(host: HostLink) {
    provide_context(HostContext(StoredValue::new_local(host)));
}

/// The host link the app was mounted with (a silent one when there is none).
pub fn use_host() -> HostLink {
    use_context::<HostContext>()
        .map(|h| h.0.get_value())
        .unwrap_or_default()
}

/// The core's name of a status, as hosts receive it.
pub fn status_name(status: Status) -> String {
    status.as_str().to_owned()
}

/// What changed between two readings of one customer's tickets, as host events. `before` is
/// `None` on the first reading, which reports nothing (the tickets were already there).
pub fn changes(
    before: Option<&HashMap<String, (Status, u32)>>,
    after: &[TicketSummary],
) -> Vec<HostEvent> {
    let Some(before) = before else {
        return Vec::new();
    };
    let mut events = Vec::new();
    for t in after {
        let code = t.code.to_string();
        match before.get(&code) {
            None => events.push(HostEvent::TicketCreated { ticket: code }),
            Some((status, replies)) => {
                if *status != t.status {
                    events.push(HostEvent::StatusChanged {
                        ticket: code.clone(),
                        from: status_name(*status),
                        to: status_name(t.status),
                    });
                }
                // Public replies and status only: an internal note must not show through.
                if *replies != t.replies || *status != t.status {
                    events.push(HostEvent::TicketUpdated { ticket: code });
                }
            }
        }
    }
    events
}

/// The part of a reading [`changes`] compares next time.
pub fn snapshot(tickets: &[TicketSummary]) -> HashMap<String, (Status, u32)> {
    tickets
        .iter()
        .map(|t| (t.code.to_string(), (t.status, t.replies)))
        .collect()
}

/// Reports the customer's ticket changes to the host: after every change made here, in another
/// tab or by sync (anything that moves the desk's revision), re-reads the customer's tickets and
/// compares them with the last reading.
pub fn watch(desk: Rc<Desk>, host: HostLink) {
    type Reading = (Option<CustomerId>, HashMap<String, (Status, u32)>);
    let last: Rc<RefCell<Option<Reading>>> = Rc::default();
    let generation = Rc::new(Cell::new(0u64));
    Effect::new(move |_| {
        desk.revision.track();
        let me = desk.known_customer();
        let gen_now = generation.get() + 1;
        generation.set(gen_now);
        let (desk, host, last, generation) =
            (desk.clone(), host.clone(), last.clone(), generation.clone());
        spawn_local(async move {
            let tickets = match &me {
                Some(me) => match desk.store.customer_tickets(me).await {
                    Ok(t) => t,
                    Err(_) => return,
                },
                None => Vec::new(),
            };
            // A later reading started meanwhile: it reports, this one does not.
            if generation.get() != gen_now {
                return;
            }
            let mut last = last.borrow_mut();
            let before = match last.as_ref() {
                // First reading: what is already there is not news.
                None => None,
                // The device had no customer yet: everything now listed was created here.
                Some((None, _)) => Some(HashMap::new()),
                Some((who, map)) if *who == me => Some(map.clone()),
                // The host identified someone else: a new baseline.
                Some(_) => None,
            };
            for event in changes(before.as_ref(), &tickets) {
                host.emit(event);
            }
            *last = Some((me, snapshot(&tickets)));
        });
    });
}
