//! Scenario and property tests across modules. This file holds the shared fixtures: a `World`
//! with one device's context, the settings and the event log.

mod lifecycle;
mod log;
mod privacy;
mod roles;
mod workflow;

use chrono::DateTime;
use proptest::prelude::*;

use crate::apply::{apply, fold, fold_all};
use crate::audit::{AuditChange, audit_trail};
use crate::command::{Command, NewTicket};
use crate::ctx::Ctx;
use crate::decide::{auto_close_due, decide, decide_bulk, decide_sequence, postponed_due};
use crate::error::{DomainError, Permission};
use crate::event::{Event, Payload};
use crate::export::{ImportError, export, import};
use crate::merge::decide_merge;
use crate::model::*;
use crate::settings::{DomainSettings, FieldDef, FieldKind};
use crate::status::IllegalTransition;
use crate::template::{AgentProfile, Macro, MacroStatus, TemplateError, apply_macro, render};
use crate::ticket::{Ticket, TicketView};

const T0: i64 = 1_700_000_000_000;

fn at(ms: i64) -> Timestamp {
    DateTime::from_timestamp_millis(T0 + ms).unwrap()
}

fn customer() -> Actor {
    Actor::Customer(CustomerId("c-1".into()))
}

fn other_customer() -> Actor {
    Actor::Customer(CustomerId("c-2".into()))
}

fn agent() -> Actor {
    Actor::Agent(AgentId("ana".into()))
}

fn form() -> NewTicket {
    let requester = Requester {
        customer_id: Some(CustomerId("c-1".into())),
        name: "Lucía Pérez".into(),
        email: Some("lucia@example.com".into()),
        ..Default::default()
    };
    NewTicket::new(
        "La factura no llega",
        "Desde marzo.",
        requester,
        Channel::WebForm,
    )
}

/// A world: one device's context, the settings, and the log.
struct World {
    ctx: Ctx,
    settings: DomainSettings,
    log: Vec<Event>,
}

impl World {
    fn new() -> World {
        World {
            ctx: Ctx::seeded("dev-a", 42, at(0)),
            settings: DomainSettings::default(),
            log: Vec::new(),
        }
    }

    fn open(&mut self, actor: &Actor) -> TicketId {
        let events = self
            .run(None, Command::Open(Box::new(form())), actor)
            .unwrap();
        events[0].ticket.clone()
    }

    fn ticket(&self, id: &TicketId) -> Ticket {
        fold(self.log.iter().filter(|e| &e.ticket == id)).unwrap()
    }

    fn run(
        &mut self,
        id: Option<&TicketId>,
        cmd: Command,
        actor: &Actor,
    ) -> Result<Vec<Event>, DomainError> {
        let t = id.map(|id| self.ticket(id));
        let events = decide(t.as_ref(), &cmd, actor, &self.settings, &mut self.ctx)?;
        self.log.extend(events.clone());
        Ok(events)
    }

    fn on(
        &mut self,
        id: &TicketId,
        cmd: Command,
        actor: &Actor,
    ) -> Result<Vec<Event>, DomainError> {
        self.run(Some(id), cmd, actor)
    }

    fn at(&mut self, ms: i64) -> &mut Self {
        self.ctx.now = at(ms);
        self
    }
}

fn reply(s: &str) -> Command {
    Command::Reply {
        body: s.into(),
        attachments: vec![],
    }
}

fn note(s: &str) -> Command {
    Command::AddNote {
        body: s.into(),
        attachments: vec![],
    }
}

struct TicketCodeShape;
impl TicketCodeShape {
    fn ok(s: &str) -> bool {
        crate::code::TicketCode::parse(s).is_ok_and(|c| c.as_str() == s)
    }
}

impl World {
    /// A world with one ticket opened by the customer at time 0.
    fn with_open() -> (TicketId, World) {
        let mut w = World::new();
        let id = w.open(&customer());
        (id, w)
    }
}
