//! Who is using the app: the face it shows ([`Mode`]) and the signed-in agent ([`Session`]),
//! provided by the root component ([`crate::shell::app::App`]) and read anywhere below it.

use leptos::prelude::*;
use mostrador_core::model::AgentId;

/// Which face of the help desk to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// What customers see: open a ticket, follow it, read the knowledge base.
    Portal,
    /// What agents see: the inbox and the ticket view.
    Console,
}

/// Who is using the app, provided at the root.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    pub mode: Mode,
    /// The agent signed in (console only).
    pub agent: RwSignal<Option<AgentId>>,
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
