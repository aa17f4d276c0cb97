//! Scenario and property tests across modules: lifecycle, role rules, reopen window, follow-ups,
//! postponement, merge, macros, convergence of folds, import.

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

#[test]
fn liveagent_flow_new_answered_open_resolved() {
    let mut w = World::new();
    let id = w.open(&customer());
    assert_eq!(w.ticket(&id).status, Status::New);
    w.at(10)
        .on(&id, note("mirar facturación"), &agent())
        .unwrap();
    assert_eq!(
        w.ticket(&id).status,
        Status::New,
        "notes never change status"
    );
    w.at(20).on(&id, reply("Hola Lucía"), &agent()).unwrap();
    assert_eq!(w.ticket(&id).status, Status::Answered);
    w.at(30)
        .on(&id, reply("Sigue sin llegar"), &customer())
        .unwrap();
    assert_eq!(w.ticket(&id).status, Status::Open);
    w.at(40).on(&id, Command::Resolve, &agent()).unwrap();
    let t = w.ticket(&id);
    assert_eq!(t.status, Status::Resolved);
    let statuses: Vec<Status> = t.status_history().iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        [
            Status::New,
            Status::Answered,
            Status::Open,
            Status::Resolved
        ]
    );
    assert_eq!(t.first_agent_reply_at(), Some(at(20)));
    assert_eq!(t.customer_message_times(), [at(0), at(30)]);
    assert_eq!(t.last_public_activity(), at(30));
    assert_eq!(t.resolved_at(), Some(at(40)));
    assert_eq!(t.priority, Priority::Normal, "default medium × medium");
    assert!(TicketCodeShape::ok(t.code.as_str()));
}

struct TicketCodeShape;
impl TicketCodeShape {
    fn ok(s: &str) -> bool {
        crate::code::TicketCode::parse(s).is_ok_and(|c| c.as_str() == s)
    }
}

#[test]
fn role_rules_for_customers_on_their_own_ticket() {
    let forbidden = |what| Err(Some(what));
    let cases: Vec<(Command, Result<(), Option<Permission>>)> = vec![
        (reply("hola"), Ok(())),
        (note("x"), forbidden(Permission::AddInternalNote)),
        (
            Command::SetPriority {
                impact: Impact::High,
                urgency: Urgency::High,
            },
            forbidden(Permission::SetPriority),
        ),
        (
            Command::Escalate {
                to: Level::L2,
                reason: "x".into(),
            },
            forbidden(Permission::SetLevel),
        ),
        (
            Command::Assign {
                agent: None,
                team: None,
            },
            forbidden(Permission::Assign),
        ),
        (
            Command::Tag {
                add: vec!["vip".into()],
                remove: vec![],
            },
            forbidden(Permission::Tag),
        ),
        (
            Command::Watch {
                add: vec![],
                remove: vec![],
            },
            forbidden(Permission::Watch),
        ),
        (
            Command::Edit { changes: vec![] },
            forbidden(Permission::EditProperties),
        ),
        (Command::Close, forbidden(Permission::Close)),
        (
            Command::Postpone { until: at(99_999) },
            forbidden(Permission::Postpone),
        ),
        (Command::Wake, forbidden(Permission::Wake)),
        (Command::Resolve, Ok(())),
    ];
    for (cmd, expect) in cases {
        let mut w = World::new();
        let id = w.open(&customer());
        let got = w
            .at(5)
            .on(&id, cmd.clone(), &customer())
            .map(|_| ())
            .map_err(|e| match e {
                DomainError::Forbidden {
                    role: Role::Customer,
                    what,
                } => Some(what),
                _ => None,
            });
        assert_eq!(got, expect, "{cmd:?}");
        // Another customer may do nothing at all on it.
        assert_eq!(
            w.on(&id, cmd.clone(), &other_customer()).unwrap_err(),
            DomainError::NotRequester
        );
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

#[test]
fn agents_can_do_everything_but_rate_and_customers_cannot_claim_staff_fields() {
    let (id, mut w) = World::with_open();
    w.at(1);
    for cmd in [
        note("n"),
        Command::SetPriority {
            impact: Impact::High,
            urgency: Urgency::High,
        },
        Command::Escalate {
            to: Level::L2,
            reason: "needs a developer".into(),
        },
        Command::Assign {
            agent: Some(AgentId("ana".into())),
            team: Some(TeamId("billing".into())),
        },
        Command::Tag {
            add: vec!["VIP".into()],
            remove: vec![],
        },
        Command::Watch {
            add: vec![AgentId("bo".into())],
            remove: vec![],
        },
        Command::Postpone { until: at(10_000) },
        Command::Wake,
        reply("r"),
        Command::Resolve,
    ] {
        assert!(
            w.on(&id, cmd.clone(), &agent())
                .is_ok_and(|e| !e.is_empty()),
            "{cmd:?}"
        );
    }
    let t = w.ticket(&id);
    assert_eq!((t.priority, t.level), (Priority::Urgent, Level::L2));
    assert!(t.tags.contains("vip"));
    let rate = Command::Rate {
        score: 5,
        comment: None,
    };
    assert!(matches!(
        w.on(&id, rate.clone(), &agent()),
        Err(DomainError::Forbidden {
            what: Permission::Rate,
            ..
        })
    ));
    w.on(&id, rate, &customer()).unwrap();
    assert_eq!(w.ticket(&id).satisfaction.unwrap().score, 5);
    assert!(matches!(
        w.on(
            &id,
            Command::Rate {
                score: 6,
                comment: None
            },
            &customer()
        ),
        Err(DomainError::Invalid(_))
    ));

    let mut w = World::new();
    let staff_form = NewTicket {
        urgency: Some(Urgency::High),
        ..form()
    };
    let got = w.run(
        None,
        Command::Open(Box::new(staff_form.clone())),
        &customer(),
    );
    assert!(matches!(
        got,
        Err(DomainError::Forbidden {
            what: Permission::SetPriority,
            ..
        })
    ));
    let got = w.run(None, Command::Open(Box::new(form())), &other_customer());
    assert_eq!(got.unwrap_err(), DomainError::NotRequester);
    let t = fold(
        &w.run(None, Command::Open(Box::new(staff_form)), &agent())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(t.priority, Priority::High);
}

#[test]
fn customers_see_their_ticket_without_notes_or_staff_fields() {
    let (id, mut w) = World::with_open();
    w.settings.custom_fields = vec![FieldDef {
        key: "risk".into(),
        kind: FieldKind::Text,
        choices: vec![],
        required: false,
        agent_only: true,
    }];
    w.at(1).on(&id, note("cliente difícil"), &agent()).unwrap();
    w.on(&id, reply("Hola"), &agent()).unwrap();
    let edit = crate::event::PropertyChange::Field {
        key: "risk".into(),
        value: Some(FieldValue::Text("high".into())),
    };
    w.on(
        &id,
        Command::Edit {
            changes: vec![edit],
        },
        &agent(),
    )
    .unwrap();
    let t = w.ticket(&id);
    assert_eq!(t.thread.len(), 2);
    let Some(TicketView::Customer(view)) = t.visible_to(&customer(), &w.settings) else {
        panic!("no view")
    };
    assert_eq!(view.thread.len(), 1);
    assert!(
        view.thread
            .iter()
            .all(|m| m.visibility == Visibility::Public)
    );
    assert!(view.custom_fields.is_empty());
    assert!(t.visible_to(&other_customer(), &w.settings).is_none());
    assert!(matches!(
        t.visible_to(&agent(), &w.settings),
        Some(TicketView::Staff(_))
    ));
    let synced: Vec<Event> = w
        .log
        .iter()
        .filter_map(|e| e.for_customer(&w.settings))
        .collect();
    assert_eq!(
        synced.len(),
        3,
        "opening, public reply and its status change only"
    );
    let seen = fold(&synced).unwrap();
    assert!(seen.custom_fields.is_empty() && seen.thread.len() == 1);
    let trail = audit_trail(&w.log, true);
    assert!(
        !trail
            .iter()
            .any(|e| matches!(e.change, AuditChange::InternalNote { .. }))
    );
    assert!(
        audit_trail(&w.log, false)
            .iter()
            .any(|e| matches!(e.change, AuditChange::InternalNote { .. }))
    );
}

fn resolved_at_100() -> (TicketId, World) {
    let (id, mut w) = World::with_open();
    w.settings.reopen_window_secs = 60;
    w.at(50).on(&id, reply("hecho"), &agent()).unwrap();
    w.at(100).on(&id, Command::Resolve, &agent()).unwrap();
    (id, w)
}

#[test]
fn reopen_window_boundary() {
    // Exactly at the end of the window: reopens.
    let (id, mut w) = resolved_at_100();
    w.at(100 + 60_000)
        .on(&id, reply("no funcionó"), &customer())
        .unwrap();
    assert_eq!(w.ticket(&id).status, Status::Open);
    assert_eq!(w.ticket(&id).reopen_count(), 1);

    // One millisecond later: a linked follow-up, the old ticket stays resolved.
    let (id, mut w) = resolved_at_100();
    let events = w
        .at(100 + 60_001)
        .on(&id, reply("no funcionó"), &customer())
        .unwrap();
    let old = w.ticket(&id);
    assert_eq!(old.status, Status::Resolved);
    let new_id = &events[0].ticket;
    assert_ne!(new_id, &id);
    let new = w.ticket(new_id);
    assert_eq!(new.links.follow_up_of, Some(old.as_ref()));
    assert_eq!(old.links.follow_ups, [new.as_ref()]);
    assert_eq!(
        (new.status, new.description.as_str()),
        (Status::New, "no funcionó")
    );
    assert_eq!(new.requester, old.requester);

    // Explicit reopen follows the same window for customers; agents are not bound by it.
    let (id, mut w) = resolved_at_100();
    w.at(100 + 60_001);
    let ev = w.on(&id, Command::Reopen, &customer()).unwrap();
    assert!(matches!(ev[0].payload, Payload::TicketOpened(_)));
    let (id, mut w) = resolved_at_100();
    w.at(100 + 60_000_000)
        .on(&id, Command::Reopen, &agent())
        .unwrap();
    assert_eq!(w.ticket(&id).status, Status::Open);
}

#[test]
fn closing_and_replies_to_closed_tickets() {
    let (id, mut w) = resolved_at_100();
    w.settings.auto_close_after_secs = 3600;
    let t = w.ticket(&id);
    assert!(!auto_close_due(&t, &w.settings, at(100 + 3_599_999)));
    assert!(auto_close_due(&t, &w.settings, at(100 + 3_600_000)));
    let early = w
        .at(100 + 3_599_999)
        .on(&id, Command::AutoClose, &Actor::System);
    assert!(matches!(early, Err(DomainError::NotDue { .. })));
    w.at(100 + 3_600_000)
        .on(&id, Command::AutoClose, &Actor::System)
        .unwrap();
    assert_eq!(w.ticket(&id).status, Status::Closed);
    assert!(matches!(
        w.on(&id, Command::Resolve, &agent()),
        Err(DomainError::Illegal(IllegalTransition {
            from: Status::Closed,
            ..
        }))
    ));

    let events = w
        .at(200_000_000)
        .on(&id, reply("otra vez"), &customer())
        .unwrap();
    let new_id = events[0].ticket.clone();
    assert_eq!(
        events.iter().filter(|e| e.ticket == id).count(),
        1,
        "one link event on the old ticket"
    );
    assert!(matches!(
        events.last().unwrap().payload,
        Payload::FollowUpCreated { .. }
    ));
    assert_eq!(w.ticket(&id).status, Status::Closed);
    assert_eq!(
        w.ticket(&new_id).links.follow_up_of.as_ref().map(|r| &r.id),
        Some(&id)
    );

    // An agent replying to a closed ticket opens the follow-up with the reply in it.
    let events = w.on(&id, reply("le escribimos"), &agent()).unwrap();
    let t = w.ticket(&events[0].ticket);
    assert_eq!((t.status, t.thread.len()), (Status::Answered, 1));
    assert_eq!(fold_all(&w.log).len(), 3);
}

#[test]
fn postponed_tickets_wake_when_due_or_when_the_customer_writes() {
    let (id, mut w) = World::with_open();
    let past = w
        .at(100)
        .on(&id, Command::Postpone { until: at(100) }, &agent());
    assert!(matches!(past, Err(DomainError::Invalid(_))));
    w.on(&id, Command::Postpone { until: at(5_000) }, &agent())
        .unwrap();
    let t = w.ticket(&id);
    assert_eq!(
        (t.status, t.postponed_until),
        (Status::Postponed, Some(at(5_000)))
    );
    assert!(!postponed_due(&t, at(4_999)));
    assert!(postponed_due(&t, at(5_000)));
    assert!(matches!(
        w.at(4_999).on(&id, Command::Wake, &Actor::System),
        Err(DomainError::NotDue { .. })
    ));
    w.at(5_000).on(&id, Command::Wake, &Actor::System).unwrap();
    let t = w.ticket(&id);
    assert_eq!((t.status, t.postponed_until), (Status::Open, None));

    w.on(&id, Command::Postpone { until: at(9_000) }, &agent())
        .unwrap();
    w.at(6_000)
        .on(&id, reply("¿novedades?"), &customer())
        .unwrap();
    assert_eq!(w.ticket(&id).status, Status::Open);
}

#[test]
fn merging_sources_into_a_target() {
    let mut w = World::new();
    let target = w.open(&customer());
    let a = w.at(1).open(&customer());
    w.at(2)
        .on(&a, reply("detalle en el duplicado"), &customer())
        .unwrap();
    let b = w.at(3).open(&customer());
    let (tt, ta, tb) = (w.ticket(&target), w.ticket(&a), w.ticket(&b));
    assert_eq!(
        decide_merge(&tt, &[&tt], &agent(), &mut w.ctx).unwrap_err(),
        DomainError::MergeIntoSelf
    );
    assert!(matches!(
        decide_merge(&tt, &[&ta], &customer(), &mut w.ctx),
        Err(DomainError::Forbidden { .. })
    ));
    let events = decide_merge(&tt, &[&ta, &tb], &agent(), &mut w.ctx).unwrap();
    w.log.extend(events);
    let (tt, ta) = (w.ticket(&target), w.ticket(&a));
    assert_eq!(ta.status, Status::Merged);
    assert_eq!(ta.links.merged_into, Some(tt.as_ref()));
    assert_eq!(ta.thread.len(), 1, "the source thread stays readable");
    let codes: Vec<_> = tt
        .links
        .merged_from
        .iter()
        .map(|r| r.code.clone())
        .collect();
    assert_eq!(codes, [ta.code.clone(), w.ticket(&b).code]);
    let err = w.on(&a, reply("hola"), &customer()).unwrap_err();
    assert_eq!(
        err,
        DomainError::Merged {
            code: ta.code.clone(),
            into: tt.code.clone()
        }
    );
    assert!(err.to_string().contains(tt.code.as_str()));
    let trail = audit_trail(w.log.iter().filter(|e| e.ticket == target), false);
    assert!(
        matches!(&trail.last().unwrap().change, AuditChange::MergedFrom { sources } if sources.len() == 2)
    );
}

#[test]
fn bulk_reports_each_ticket() {
    let mut w = World::new();
    let a = w.open(&customer());
    let b = w.at(1).open(&customer());
    w.at(2).on(&b, Command::Resolve, &agent()).unwrap();
    let (ta, tb) = (w.ticket(&a), w.ticket(&b));
    let out = decide_bulk(
        &[&ta, &tb],
        &Command::Resolve,
        &agent(),
        &w.settings,
        &mut w.ctx,
    );
    assert_eq!(out.len(), 2);
    assert!(out[0].result.is_ok());
    assert!(matches!(out[1].result, Err(DomainError::Illegal(_))));
    assert_eq!(out[1].ticket.id, b);
}

#[test]
fn templates_and_macros() {
    let (id, mut w) = World::with_open();
    let t = w.ticket(&id);
    let me = AgentProfile {
        id: AgentId("ana".into()),
        name: "Ana".into(),
        email: None,
    };
    let text = render(
        "Hola {{ customer.first_name }}, sobre {{ticket.code}} ({{customer.email}}): {{agent.name}}",
        &t,
        &me,
    );
    assert_eq!(
        text.unwrap(),
        format!("Hola Lucía, sobre {} (lucia@example.com): Ana", t.code)
    );
    assert_eq!(
        render("Hi {{customer.nmae}}", &t, &me),
        Err(TemplateError::UnknownPlaceholder {
            name: "customer.nmae".into(),
            at: 3
        })
    );
    assert_eq!(
        render("Hi {{customer.name", &t, &me),
        Err(TemplateError::Unclosed { at: 3 })
    );
    let m = Macro {
        title: "Resuelto".into(),
        message: Some((Visibility::Public, "Listo, {{customer.name}}.".into())),
        priority: Some((Impact::Low, Urgency::Low)),
        add_tags: vec!["facturación".into()],
        assign_to_me: true,
        status: Some(MacroStatus::Resolve),
        ..Default::default()
    };
    let cmds = apply_macro(&m, &t, &me).unwrap();
    let events = decide_sequence(Some(&t), &cmds, &agent(), &w.settings, &mut w.ctx).unwrap();
    w.log.extend(events);
    let t = w.ticket(&id);
    assert_eq!(t.status, Status::Resolved);
    assert_eq!(t.priority, Priority::Low);
    assert_eq!(t.assignee, Some(AgentId("ana".into())));
    assert!(t.tags.contains("facturación"));
    assert_eq!(t.thread[0].body, "Listo, Lucía Pérez.");
    let bad = Macro {
        message: Some((Visibility::Public, "{{x}}".into())),
        ..Default::default()
    };
    assert!(apply_macro(&bad, &t, &me).is_err());
}

#[test]
fn audit_shows_before_and_after() {
    let (id, mut w) = World::with_open();
    w.at(1)
        .on(
            &id,
            Command::SetPriority {
                impact: Impact::High,
                urgency: Urgency::High,
            },
            &agent(),
        )
        .unwrap();
    w.on(&id, reply("ok"), &agent()).unwrap();
    w.on(&id, reply("again"), &agent()).unwrap(); // Answered → Answered: no status entry.
    let trail = audit_trail(&w.log, false);
    let kinds: Vec<_> = trail.iter().map(|e| e.change.clone()).collect();
    assert_eq!(
        kinds[1],
        AuditChange::Priority {
            from: Priority::Normal,
            to: Priority::Urgent
        }
    );
    assert_eq!(
        kinds[3],
        AuditChange::Status {
            from: Status::New,
            to: Status::Answered
        }
    );
    assert_eq!(kinds.len(), 5);
}

#[test]
fn concurrent_replies_resolve_through_the_status_machine() {
    let (id, mut a) = World::with_open();
    a.at(10).on(&id, reply("respuesta"), &agent()).unwrap();
    // Device B (the customer's widget) has the opening only and a clock 5 ms ahead, so its reply
    // sorts after the agent's although neither saw the other.
    let mut b = World {
        ctx: Ctx::seeded("dev-b", 7, at(15)),
        settings: DomainSettings::default(),
        log: a.log[..1].to_vec(),
    };
    b.ctx.observe(&a.log[0].hlc);
    b.on(&id, reply("¿y?"), &customer()).unwrap();
    let all: Vec<Event> = a.log.iter().chain(&b.log[1..]).cloned().collect();
    let t = fold(&all).unwrap();
    assert_eq!(t.status, Status::Open, "the customer wrote last");
    assert_eq!(t.thread.len(), 2);
}

#[test]
fn apply_is_robust_to_odd_logs() {
    let (id, w) = World::with_open();
    let opening = w.log[0].clone();
    // A reply whose opening has not arrived yet gives a placeholder, filled in later.
    let mut w2 = World::new();
    w2.ctx = Ctx::seeded("x", 1, at(5));
    let t = w.ticket(&id);
    let reply_ev = decide(Some(&t), &reply("hola"), &agent(), &w.settings, &mut w2.ctx).unwrap();
    let partial = apply(None, &reply_ev[0]);
    assert!(!partial.opened);
    let full = reply_ev
        .iter()
        .fold(apply(None, &opening), |t, e| apply(Some(t), e));
    assert!(full.opened && full.status == Status::Answered);
    // Applying the same event twice changes nothing; foreign events are ignored.
    let again = apply(Some(full.clone()), reply_ev.last().unwrap());
    assert_eq!(again, full);
    let mut foreign = reply_ev[0].clone();
    foreign.ticket = TicketId("other".into());
    assert_eq!(apply(Some(full.clone()), &foreign), full);
}

#[test]
fn export_import_roundtrip_and_refusals() {
    let (id, mut w) = World::with_open();
    w.at(1).on(&id, reply("x"), &agent()).unwrap();
    let settings = serde_json::json!({"theme": "dark"});
    let file = export(&w.log, Some(settings.clone()));
    let imported = import(&[], &file).unwrap();
    assert_eq!(imported.new_events.len(), w.log.len());
    assert_eq!(imported.settings, Some(settings));
    assert_eq!(fold(&imported.new_events), Some(w.ticket(&id)));
    assert!(import(&w.log, &file).unwrap().new_events.is_empty());

    assert!(matches!(
        import(&[], "{not json"),
        Err(ImportError::Malformed(_))
    ));
    assert_eq!(
        import(&[], r#"{"format":"other","version":1,"events":[]}"#),
        Err(ImportError::NotAnExport)
    );
    assert_eq!(
        import(
            &[],
            r#"{"format":"mostrador-events","version":2,"events":[]}"#
        ),
        Err(ImportError::NewerVersion {
            found: 2,
            supported: 1
        })
    );
    assert!(matches!(
        import(
            &[],
            r#"{"format":"mostrador-events","version":1,"events":[{"id":"x"}]}"#
        ),
        Err(ImportError::BadEvents(_))
    ));
    let mut tampered = w.log.clone();
    if let Payload::MessagePosted { body, .. } = &mut tampered[1].payload {
        *body = "changed".into();
    }
    let tampered = export(&tampered, None);
    assert_eq!(
        import(&w.log, &tampered).unwrap_err(),
        ImportError::Conflict(w.log[1].id.clone())
    );
}

#[test]
fn event_and_ticket_serde_forms_are_stable() {
    let (id, w) = World::with_open();
    let json = serde_json::to_value(&w.log[0]).unwrap();
    assert_eq!(json["payload"]["type"], "ticket_opened");
    assert_eq!(json["actor"]["kind"], "customer");
    let back: Event = serde_json::from_value(json).unwrap();
    assert_eq!(back, w.log[0]);
    let t = w.ticket(&id);
    let back: Ticket = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
    assert_eq!(back, t);
}

/// A random history on two devices that sync now and then: agent device A, customer device B.
fn scenario(steps: &[(bool, u8, bool)]) -> Vec<Event> {
    let (id, mut a) = World::with_open();
    let mut b = World {
        ctx: Ctx::seeded("dev-b", 9, at(0)),
        settings: DomainSettings::default(),
        log: a.log.clone(),
    };
    for (i, (on_a, pick, sync)) in steps.iter().enumerate() {
        let (w, actor) = if *on_a {
            (&mut a, agent())
        } else {
            (&mut b, customer())
        };
        // Skewed clocks: B runs 3 ms behind.
        w.at(i as i64 * 10 - if *on_a { 0 } else { 3 });
        let cmd = match pick % 9 {
            0 => reply("r"),
            1 => note("n"),
            2 => Command::Resolve,
            3 => Command::Reopen,
            4 => Command::Tag {
                add: vec![format!("t{}", pick % 3)],
                remove: vec![format!("t{}", (pick + 1) % 3)],
            },
            5 => Command::SetPriority {
                impact: Impact::High,
                urgency: Urgency::Low,
            },
            6 => Command::Close,
            7 => Command::Postpone {
                until: at(1_000_000),
            },
            _ => Command::Rate {
                score: 1 + pick % 5,
                comment: None,
            },
        };
        let _ = w.on(&id, cmd, &actor);
        if *sync {
            for e in a.log.clone() {
                if !b.log.contains(&e) {
                    b.ctx.observe(&e.hlc);
                    b.log.push(e);
                }
            }
            for e in b.log.clone() {
                if !a.log.contains(&e) {
                    a.ctx.observe(&e.hlc);
                    a.log.push(e);
                }
            }
        }
    }
    let mut all = a.log;
    for e in b.log {
        if !all.iter().any(|x| x.id == e.id) {
            all.push(e);
        }
    }
    all
}

fn steps() -> impl Strategy<Value = Vec<(bool, u8, bool)>> {
    prop::collection::vec((any::<bool>(), any::<u8>(), any::<bool>()), 1..25)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_permutation_folds_to_the_same_state((log, perm) in steps().prop_map(|s| scenario(&s)).prop_flat_map(|log| {
        let shuffled = Just(log.clone()).prop_shuffle();
        (Just(log), shuffled)
    })) {
        prop_assert_eq!(fold_all(&log), fold_all(&perm));
    }

    #[test]
    fn duplicates_are_ignored((log, dup) in steps().prop_map(|s| scenario(&s)).prop_flat_map(|log| {
        let n = log.len();
        (Just(log), prop::collection::vec(0..n, 0..10))
    })) {
        let mut with_dups = log.clone();
        with_dups.extend(dup.iter().map(|i| log[*i].clone()));
        with_dups.reverse();
        prop_assert_eq!(fold_all(&log), fold_all(&with_dups));
    }

    #[test]
    fn import_is_idempotent_and_commutative((log, split) in steps().prop_map(|s| scenario(&s)).prop_flat_map(|log| {
        let n = log.len();
        (Just(log), prop::collection::vec(any::<u8>(), n))
    })) {
        let x: Vec<Event> = log.iter().zip(&split).filter(|(_, s)| *s % 3 != 0).map(|(e, _)| e.clone()).collect();
        let y: Vec<Event> = log.iter().zip(&split).filter(|(_, s)| *s % 2 == 0).map(|(e, _)| e.clone()).collect();
        let (fx, fy) = (export(&x, None), export(&y, None));
        let add = |base: &[Event], f: &str| {
            let mut v = base.to_vec();
            v.extend(import(base, f).unwrap().new_events);
            v
        };
        let once = add(&[], &fx);
        prop_assert!(import(&once, &fx).unwrap().new_events.is_empty());
        prop_assert_eq!(add(&once, &fx).len(), once.len());
        let xy = add(&add(&[], &fx), &fy);
        let yx = add(&add(&[], &fy), &fx);
        prop_assert_eq!(export(&xy, None), export(&yx, None));
        prop_assert_eq!(fold_all(&xy), fold_all(&yx));
    }
}
