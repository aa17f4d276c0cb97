//! Events the app reports to the host page (`Mostrador.on(name, callback)`).
//!
//! The loader itself emits `open`, `close` and `error`; everything that happens inside the app
//! comes through an [`EventSink`], which calls the JavaScript callback the loader passed to
//! `mount` with `(name, detail)`.

use wasm_bindgen::JsValue;

use crate::read::object;

/// The state of the optional sync connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    /// No sync server configured: everything stays on this device.
    Local,
    /// Up to date with the server.
    Synced,
    /// Sending or receiving.
    Syncing,
    /// Changes are queued until the network returns.
    Offline,
    /// The server refused or failed; the app retries.
    Error,
}

/// Something that happened inside the app that the host may want to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppEvent {
    /// The app is mounted and interactive.
    Ready,
    /// The visitor opened a ticket.
    TicketCreated {
        /// The ticket's public code.
        ticket: String,
    },
    /// A ticket got a reply, a note or new fields.
    TicketUpdated {
        /// The ticket's public code.
        ticket: String,
    },
    /// A ticket moved from one status to another.
    StatusChanged {
        /// The ticket's public code.
        ticket: String,
        /// Status before, in the core's lower-case names.
        from: String,
        /// Status after.
        to: String,
    },
    /// The sync connection changed state.
    SyncState {
        /// The new state.
        state: SyncState,
    },
}

impl SyncState {
    /// Its name in the event's detail.
    fn as_str(self) -> &'static str {
        match self {
            SyncState::Local => "local",
            SyncState::Synced => "synced",
            SyncState::Syncing => "syncing",
            SyncState::Offline => "offline",
            SyncState::Error => "error",
        }
    }
}

impl AppEvent {
    /// The name hosts subscribe to with `on(name, …)`.
    pub fn name(&self) -> &'static str {
        match self {
            AppEvent::Ready => "ready",
            AppEvent::TicketCreated { .. } => "ticketCreated",
            AppEvent::TicketUpdated { .. } => "ticketUpdated",
            AppEvent::StatusChanged { .. } => "statusChanged",
            AppEvent::SyncState { .. } => "syncState",
        }
    }

    /// The event's detail for the host: its fields as a plain object (`ready` has none).
    pub fn detail(&self) -> JsValue {
        let text = |s: &str| JsValue::from_str(s);
        match self {
            AppEvent::Ready => JsValue::UNDEFINED,
            AppEvent::TicketCreated { ticket } | AppEvent::TicketUpdated { ticket } => {
                object(&[("ticket", text(ticket))])
            }
            AppEvent::StatusChanged { ticket, from, to } => object(&[
                ("ticket", text(ticket)),
                ("from", text(from)),
                ("to", text(to)),
            ]),
            AppEvent::SyncState { state } => object(&[("state", text(state.as_str()))]),
        }
    }
}

/// Delivers [`AppEvent`]s to the host's callback. Cloning shares the callback.
#[derive(Debug, Clone, Default)]
pub struct EventSink {
    callback: Option<js_sys::Function>,
}

impl EventSink {
    /// A sink that calls `callback(name, detail)`, or drops events when there is none.
    pub fn new(callback: Option<js_sys::Function>) -> Self {
        Self { callback }
    }

    /// Sends one event. A callback that throws is reported on the console and does not stop the
    /// app: the host's bug must not become ours.
    pub fn emit(&self, event: &AppEvent) {
        let Some(callback) = &self.callback else {
            return;
        };
        let detail = event.detail();
        if let Err(e) = callback.call2(&JsValue::NULL, &JsValue::from_str(event.name()), &detail) {
            web_sys::console::error_2(
                &JsValue::from_str("Mostrador: an event listener threw:"),
                &e,
            );
        }
    }
}

impl From<mostrador_ui::HostEvent> for AppEvent {
    fn from(e: mostrador_ui::HostEvent) -> Self {
        use mostrador_ui::{HostEvent as H, SyncStatus as S};
        match e {
            H::TicketCreated { ticket } => AppEvent::TicketCreated { ticket },
            H::TicketUpdated { ticket } => AppEvent::TicketUpdated { ticket },
            H::StatusChanged { ticket, from, to } => AppEvent::StatusChanged { ticket, from, to },
            H::Sync(s) => AppEvent::SyncState {
                state: match s {
                    S::Local => SyncState::Local,
                    S::Synced => SyncState::Synced,
                    S::Syncing => SyncState::Syncing,
                    S::Offline => SyncState::Offline,
                    S::Error => SyncState::Error,
                },
            },
        }
    }
}
