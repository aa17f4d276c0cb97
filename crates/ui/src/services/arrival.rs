//! What starts once the desk is loaded: the signed-in agent's name on changes, the visitor's
//! identity and the host's ticket events (portal), sync, or the timed rules of a console
//! without a server. Run by [`load_desk`](crate::services::desk::load_desk) as the desk
//! arrives, so in the customer widget this code is the desk's module, not the first one.

use std::rc::Rc;

use leptos::prelude::*;
#[cfg(feature = "console")]
use leptos::task::spawn_local;
use mostrador_core::model::CustomerId;

use crate::services::desk::Desk;
use crate::services::host::use_host;
use crate::services::sync_link::{self, SyncUi};
use crate::shell::session::{Mode, Session};

/// What the root hands over for when the desk arrives; its session's mode and whether it has a
/// sync server also say how the desk loads.
pub(crate) struct Arrival {
    /// The root's owner: the effects started here live as long as the app.
    pub(crate) owner: Option<Owner>,
    pub(crate) session: Session,
    pub(crate) sync_ui: Option<SyncUi>,
    /// The browser refused storage: sync keeps to this tab.
    pub(crate) tab_only: bool,
}

impl Arrival {
    /// Starts everything that waits for the desk, under the root's owner.
    pub(crate) fn start(self, desk: Rc<Desk>) {
        let Arrival {
            owner,
            session,
            sync_ui,
            tab_only,
        } = self;
        if let Some(owner) = owner {
            owner.with(|| arrived(desk, session, sync_ui, tab_only));
        }
    }
}

fn arrived(desk: Rc<Desk>, session: Session, sync_ui: Option<SyncUi>, tab_only: bool) {
    // Settings and article changes made here carry the signed-in agent's name.
    let acting = desk.clone();
    Effect::new(move |_| acting.set_acting_agent(session.agent.get()));
    if session.mode == Mode::Portal {
        let host = use_host();
        // `identify` from the host: the visitor's tickets are those under the host's id. Once
        // now, so a ticket sent the moment the desk arrives is theirs, then on every change.
        let visitor = host.visitor;
        let id = move || visitor.get().map(|v| CustomerId(v.id));
        desk.identify(untrack(id));
        let d = desk.clone();
        Effect::new(move |_| d.identify(id()));
        crate::services::host::watch(desk.clone(), host);
    }
    if let Some(ui) = sync_ui {
        ui.tab_only.set_value(tab_only);
        // With sync the signed-in agent is who the server says; no picking from the settings.
        sync_link::connect(desk, session, use_host(), ui);
    } else if session.mode == Mode::Console {
        #[cfg(feature = "console")]
        console_without_server(desk, session);
    }
}

/// No server to run the timed rules and routing: this console does (one tab at a time), and
/// the agent picked on this device last is signed in again.
#[cfg(feature = "console")]
fn console_without_server(desk: Rc<Desk>, session: Session) {
    crate::services::system_rules::start(desk.clone());
    spawn_local(async move {
        let agent = match desk.saved_agent().await {
            Some(a) => Some(a),
            None => desk.settings().agents.first().map(|a| a.id.clone()),
        };
        session.agent.try_set(agent);
    });
}
