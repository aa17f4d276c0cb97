//! Table tests for the server-side event check and unit tests for the sans-IO engine.

use chrono::DateTime;

use super::*;
use crate::apply::fold;
use crate::command::{Command, NewTicket};
use crate::ctx::Ctx;
use crate::decide::decide;
use crate::error::Permission;
use crate::event::{Event, EventId, Payload};
use crate::model::*;
use crate::settings::{DomainSettings, FieldDef, FieldKind};
use crate::status::Action;
use crate::ticket::Ticket;

const T0: i64 = 1_700_000_000_000;

fn settings() -> DomainSettings {
    DomainSettings {
        custom_fields: vec![FieldDef {
            key: "cost_center".into(),
            label: String::new(),
            kind: FieldKind::Text,
            choices: vec![],
            required: false,
            agent_only: true,
        }],
        ..Default::default()
    }
}

fn cust(id: &str) -> Actor {
    Actor::Customer(CustomerId(id.into()))
}

fn ana() -> Actor {
    Actor::Agent(AgentId("ana".into()))
}

fn form(customer: &str) -> NewTicket {
    let requester = Requester {
        customer_id: Some(CustomerId(customer.into())),
        name: "Lucía".into(),
        ..Default::default()
    };
    NewTicket::new(
        "No llega la factura",
        "Desde marzo.",
        requester,
        Channel::WebForm,
    )
}

/// A ticket opened by customer `a`, answered by agent ana, with an internal note.
struct Fixture {
    ctx: Ctx,
    log: Vec<Event>,
}

impl Fixture {
    fn new() -> Fixture {
        let now = DateTime::from_timestamp_millis(T0).unwrap();
        let mut f = Fixture {
            ctx: Ctx::seeded("dev", 9, now),
            log: Vec::new(),
        };
        f.run(Command::Open(Box::new(form("a"))), &cust("a"));
        f
    }

    fn ticket(&self) -> Ticket {
        fold(&self.log).unwrap()
    }

    fn run(&mut self, c: Command, actor: &Actor) -> Vec<Event> {
        let state = fold(&self.log);
        let events = decide(state.as_ref(), &c, actor, &settings(), &mut self.ctx).unwrap();
        self.log.extend(events.clone());
        events
    }

    /// Checks `event` as pushed by `principal` against the current state.
    fn check(&self, event: &Event, principal: &Principal) -> Result<(), Rejection> {
        let state = fold(
            self.log
                .iter()
                .filter(|e| e.id != event.id && e.ticket == event.ticket),
        );
        let s = settings();
        let cx = CheckContext {
            principal,
            settings: &s,
            now_ms: T0,
            follow_up_source: None,
        };
        check_remote_event(state.as_ref(), event, &cx)
    }
}

fn reply(body: &str) -> Command {
    Command::Reply {
        body: body.into(),
        attachments: vec![],
    }
}

fn code(r: Result<(), Rejection>) -> &'static str {
    match r {
        Ok(()) => "ok",
        Err(e) => e.code(),
    }
}

#[test]
fn legitimate_events_pass_for_their_authors() {
    let mut f = Fixture::new();
    let opening = f.log[0].clone();
    let a = Principal::customer("a");
    let agent = Principal::agent("ana");
    // The opening is checked against an empty server.
    let s = settings();
    let cx = CheckContext {
        principal: &a,
        settings: &s,
        now_ms: T0,
        follow_up_source: None,
    };
    assert_eq!(code(check_remote_event(None, &opening, &cx)), "ok");
    let agent_reply = f.run(reply("Lo miro."), &ana());
    let note = f.run(
        Command::AddNote {
            body: "interno".into(),
            attachments: vec![],
        },
        &ana(),
    );
    let cust_reply = f.run(reply("Gracias"), &cust("a"));
    let resolve = f.run(Command::Resolve, &cust("a"));
    let rate = f.run(
        Command::Rate {
            score: 5,
            comment: None,
        },
        &cust("a"),
    );
    for e in agent_reply.iter().chain(&note) {
        assert_eq!(code(f.check(e, &agent)), "ok", "{e:?}");
    }
    for e in cust_reply.iter().chain(&resolve).chain(&rate) {
        assert_eq!(code(f.check(e, &a)), "ok", "{e:?}");
    }
}

#[test]
fn the_rejection_table() {
    let mut f = Fixture::new();
    let opening = f.log[0].clone();
    let note = f.run(
        Command::AddNote {
            body: "interno".into(),
            attachments: vec![],
        },
        &ana(),
    )[0]
    .clone();
    let tag = f.run(
        Command::Tag {
            add: vec!["vip".into()],
            remove: vec![],
        },
        &ana(),
    )[0]
    .clone();
    let cust_reply = f.run(reply("más datos"), &cust("a"))[0].clone();
    let a = Principal::customer("a");
    let b = Principal::customer("b");
    let agent = Principal::agent("ana");
    let other_agent = Principal::agent("bob");

    let with = |base: &Event, payload: Payload| Event {
        id: EventId("e-forged".into()),
        payload,
        ..base.clone()
    };
    let as_actor = |base: &Event, actor: Actor| Event {
        id: EventId("e-forged".into()),
        actor,
        ..base.clone()
    };
    let mut future = cust_reply.clone();
    future.id = EventId("e-future".into());
    future.hlc.wall_ms = T0 + 2 * 24 * 3600 * 1000;
    let mut bad_id = cust_reply.clone();
    bad_id.id = EventId("no spaces allowed".into());
    let mut unknown = cust_reply.clone();
    unknown.id = EventId("e-unknown".into());
    unknown.ticket = TicketId("nope".into());
    let forged_status = with(
        &cust_reply,
        Payload::StatusChanged {
            from: Status::New,
            to: Status::Closed,
            action: Action::CustomerReply {
                within_reopen_window: true,
            },
        },
    );
    let customer_close = with(
        &cust_reply,
        Payload::StatusChanged {
            from: Status::Open,
            to: Status::Closed,
            action: Action::Close,
        },
    );
    let bad_priority = with(
        &tag,
        Payload::PriorityChanged {
            impact: Impact::High,
            urgency: Urgency::High,
            priority: Priority::Low,
        },
    );
    let rating_by_agent = as_actor(
        &with(
            &cust_reply,
            Payload::Rated(Rating {
                score: 4,
                comment: None,
            }),
        ),
        ana(),
    );
    let early_rating = with(
        &cust_reply,
        Payload::Rated(Rating {
            score: 5,
            comment: None,
        }),
    );
    let foreign_link = with(
        &cust_reply,
        Payload::FollowUpCreated {
            follow_up: crate::model::TicketRef {
                id: TicketId("someone-elses".into()),
                code: f.ticket().code.clone(),
            },
        },
    );
    let bad_rating = with(
        &cust_reply,
        Payload::Rated(Rating {
            score: 9,
            comment: None,
        }),
    );
    let system_tag = as_actor(&tag, Actor::System);
    let mut reopened = opening.clone();
    reopened.id = EventId("e-second-open".into());
    let Payload::TicketOpened(o) = &opening.payload else {
        unreachable!()
    };
    let mut staff_open = (**o).clone();
    staff_open.tags = vec!["vip".into()];
    let mut staff_open_event = opening.clone();
    staff_open_event.ticket = TicketId("t-new".into());
    staff_open_event.payload = Payload::TicketOpened(Box::new(staff_open));
    let mut for_someone_else = (**o).clone();
    for_someone_else.requester.customer_id = Some(CustomerId("b".into()));
    let mut for_b_event = staff_open_event.clone();
    for_b_event.payload = Payload::TicketOpened(Box::new(for_someone_else));
    let mut hidden_field = (**o).clone();
    hidden_field
        .custom_fields
        .insert("cost_center".into(), FieldValue::Text("x".into()));
    let mut hidden_field_event = staff_open_event.clone();
    hidden_field_event.payload = Payload::TicketOpened(Box::new(hidden_field));

    let cust_note = as_actor(&note, cust("a"));
    let cust_tag = as_actor(&tag, cust("a"));
    let b_reply = as_actor(&cust_reply, cust("b"));
    let agent_open = as_actor(&staff_open_event, ana());
    let table: Vec<(&str, &Event, &Principal, &str)> = vec![
        ("customer note", &cust_note, &a, "forbidden"),
        ("agent note pushed by customer", &note, &a, "not_your_event"),
        (
            "note by the wrong agent",
            &note,
            &other_agent,
            "not_your_event",
        ),
        ("tag by customer", &cust_tag, &a, "forbidden"),
        ("other customer's ticket", &b_reply, &b, "not_requester"),
        ("clock two days ahead", &future, &a, "implausible_clock"),
        ("bad id", &bad_id, &a, "bad_id"),
        ("unknown ticket", &unknown, &a, "unknown_ticket"),
        ("forged status", &forged_status, &a, "inconsistent_status"),
        ("customer closes", &customer_close, &a, "forbidden"),
        (
            "priority off the matrix",
            &bad_priority,
            &agent,
            "inconsistent_priority",
        ),
        ("agent rates", &rating_by_agent, &agent, "forbidden"),
        ("rating out of range", &bad_rating, &a, "invalid"),
        (
            "customer rates an unresolved ticket",
            &early_rating,
            &a,
            "inconsistent_status",
        ),
        (
            "customer links a follow-up it did not open",
            &foreign_link,
            &a,
            "bad_follow_up",
        ),
        ("automation tags", &system_tag, &agent, "system_event"),
        ("second opening", &reopened, &a, "already_opened"),
        (
            "customer opens with tags",
            &staff_open_event,
            &a,
            "forbidden",
        ),
        ("customer opens for b", &for_b_event, &a, "not_requester"),
        (
            "customer sets staff field",
            &hidden_field_event,
            &a,
            "forbidden",
        ),
        ("agent opens with tags", &agent_open, &agent, "ok"),
        ("agent note", &note, &agent, "ok"),
        ("customer reply", &cust_reply, &a, "ok"),
    ];
    for (name, event, principal, want) in table {
        assert_eq!(code(f.check(event, principal)), want, "{name}");
    }
}

#[test]
fn a_customer_follow_up_must_copy_its_original() {
    let mut f = Fixture::new();
    f.run(Command::Resolve, &ana());
    f.run(Command::Close, &ana());
    let events = f.run(reply("otra vez"), &cust("a"));
    let opening = events[0].clone();
    let a = Principal::customer("a");
    let s = settings();
    let source = f.ticket();
    let cx = |src| CheckContext {
        principal: &a,
        settings: &s,
        now_ms: T0,
        follow_up_source: src,
    };
    assert_eq!(
        code(check_remote_event(None, &opening, &cx(Some(&source)))),
        "ok"
    );
    assert_eq!(
        code(check_remote_event(None, &opening, &cx(None))),
        "bad_follow_up"
    );
    let mut forged = opening.clone();
    if let Payload::TicketOpened(o) = &mut forged.payload {
        o.tags = vec!["invented".into()];
    }
    assert_eq!(
        code(check_remote_event(None, &forged, &cx(Some(&source)))),
        "bad_follow_up"
    );
}

#[test]
fn rejections_have_messages_a_person_can_act_on() {
    let r = Rejection::Forbidden {
        principal_is_customer: true,
        what: Permission::AddInternalNote,
    };
    assert_eq!(r.to_string(), "a customer may not add internal notes");
    assert!(
        Rejection::ImplausibleClock { wall_ms: 1 }
            .to_string()
            .contains("clock")
    );
}

// ---- engine ----

fn ev(id: &str, ms: i64) -> Event {
    let mut f = Fixture::new();
    let mut e = f.log.remove(0);
    e.id = EventId(id.into());
    e.hlc.wall_ms = ms;
    e
}

fn accepted(ids: &[&str]) -> PushResponse {
    PushResponse {
        results: ids
            .iter()
            .enumerate()
            .map(|(i, id)| PushResult::Accepted {
                id: EventId((*id).into()),
                seq: i as u64 + 1,
            })
            .collect(),
    }
}

#[test]
fn engine_pulls_first_then_pushes_in_log_order_and_acknowledges() {
    let mut e = SyncEngine::new(Checkpoint { cursor: 7 }, EngineConfig::default());
    let outbox = vec![ev("b", 2), ev("a", 1)];
    let Next::Push(req) = e.poll(0, &outbox) else {
        panic!("outbox first")
    };
    assert_eq!(req.events[0].id.0, "a");
    assert_eq!(e.poll(0, &outbox), Next::Busy);
    assert_eq!(e.status(), SyncStatus::Syncing);
    let mut resp = accepted(&["a"]);
    resp.results.push(PushResult::Rejected {
        id: EventId("b".into()),
        code: "forbidden".into(),
        message: "no".into(),
    });
    resp.results.push(PushResult::Accepted {
        id: EventId("not-sent".into()),
        seq: 9,
    });
    let applied = e.on_push(resp);
    assert_eq!(applied.acknowledged, vec![EventId("a".into())]);
    assert_eq!(applied.rejected.len(), 1);
    let Next::Pull(p) = e.poll(0, &[]) else {
        panic!("pull after push")
    };
    assert_eq!(p.after, 7);
    let applied = e.on_pull(PullResponse {
        changes: Vec::new(),
        events: vec![PulledEvent {
            seq: 8,
            event: ev("c", 3),
        }],
        next: 20,
        more: true,
    });
    assert_eq!(applied.checkpoint.cursor, 20);
    assert_eq!(applied.events.len(), 1);
    assert!(matches!(
        e.poll(0, &[]),
        Next::Pull(PullRequest { after: 20, .. })
    ));
    e.on_pull(PullResponse {
        changes: Vec::new(),
        events: vec![],
        next: 20,
        more: false,
    });
    assert_eq!(e.poll(0, &[]), Next::Idle);
    assert_eq!(e.status(), SyncStatus::Idle);
    e.remote_changed();
    assert!(matches!(e.poll(0, &[]), Next::Pull(_)));
}

#[test]
fn engine_backs_off_exponentially_with_bounded_jitter() {
    let config = EngineConfig {
        base_backoff_ms: 1_000,
        max_backoff_ms: 8_000,
        ..Default::default()
    };
    let mut e = SyncEngine::new(Checkpoint::default(), config);
    let (mut now, mut delays) = (0, Vec::new());
    for _ in 0..5 {
        assert!(matches!(e.poll(now, &[]), Next::Pull(_)));
        let at = e
            .on_failure(now, 0, Failure::Transient("503".into()))
            .unwrap();
        assert_eq!(e.poll(at - 1, &[]), Next::Wait { until_ms: at });
        delays.push(at - now);
        now = at;
    }
    // With no jitter the wait is half the full delay, which doubles up to the cap.
    assert_eq!(delays, [500, 1_000, 2_000, 4_000, 4_000]);
    assert_eq!(e.failures(), 5);
    // Jitter adds up to the other half, whatever the random value.
    for random in [1u64, 499, 500, 501, 12_345, u64::MAX] {
        let mut e = SyncEngine::new(Checkpoint::default(), config);
        e.poll(0, &[]);
        let at = e
            .on_failure(0, random, Failure::Transient("x".into()))
            .unwrap();
        assert!((500..=1_000).contains(&at), "{random}: {at}");
    }
    // Success resets the count.
    assert!(matches!(e.poll(now, &[]), Next::Pull(_)));
    e.on_pull(PullResponse {
        changes: Vec::new(),
        events: vec![],
        next: 0,
        more: false,
    });
    assert_eq!(e.failures(), 0);
}

#[test]
fn engine_reports_errors_offline_and_stops_on_fatal() {
    let mut e = SyncEngine::new(Checkpoint::default(), EngineConfig::default());
    e.poll(0, &[]);
    e.on_failure(0, 0, Failure::Offline);
    assert_eq!(e.status(), SyncStatus::Offline);
    assert_eq!(e.poll(10_000_000, &[]), Next::Idle);
    e.set_online(true);
    let mut now = 0;
    for _ in 0..3 {
        assert!(matches!(e.poll(now, &[]), Next::Pull(_)));
        now = e
            .on_failure(now, 0, Failure::Transient("the server said 503".into()))
            .unwrap();
    }
    assert!(matches!(e.status(), SyncStatus::Error { message } if message.contains("503")));
    e.poll(now, &[]);
    e.on_failure(
        now,
        0,
        Failure::Fatal("this server speaks protocol 2; update the app".into()),
    );
    assert_eq!(e.poll(now, &[]), Next::Stopped);
    assert!(matches!(e.status(), SyncStatus::Error { message } if message.contains("update")));
    e.resume();
    assert!(matches!(e.poll(now, &[]), Next::Pull(_)));
    e.set_enabled(false);
    assert_eq!(e.status(), SyncStatus::Disabled);
    assert_eq!(e.poll(now, &[]), Next::Stopped);
}

#[test]
fn rate_limits_wait_at_least_retry_after() {
    let mut e = SyncEngine::new(Checkpoint::default(), EngineConfig::default());
    e.poll(0, &[]);
    let at = e
        .on_failure(
            0,
            0,
            Failure::RateLimited {
                retry_after_ms: Some(30_000),
            },
        )
        .unwrap();
    assert_eq!(at, 30_000);
}

#[test]
fn stale_pull_responses_do_not_move_the_cursor_back() {
    let mut e = SyncEngine::new(Checkpoint { cursor: 50 }, EngineConfig::default());
    e.poll(0, &[]);
    let applied = e.on_pull(PullResponse {
        changes: Vec::new(),
        events: vec![PulledEvent {
            seq: 10,
            event: ev("old", 1),
        }],
        next: 10,
        more: true,
    });
    assert_eq!(applied.checkpoint.cursor, 50);
    assert!(applied.events.is_empty());
    assert_eq!(e.poll(0, &[]), Next::Idle);
}

#[test]
fn workspace_changes_are_pushed_before_events_and_pulled_with_them() {
    use crate::hlc::{Hlc, NodeId};
    use crate::sync::PulledChange;
    use crate::workspace::{Change, ChangePayload, Section};
    let change = |id: &str| Change {
        id: EventId(id.into()),
        hlc: Hlc {
            wall_ms: 5,
            counter: 0,
            node: NodeId("n".into()),
        },
        actor: Actor::Agent(AgentId("ana".into())),
        payload: ChangePayload::Settings {
            section: Section::Categories(vec!["Billing".into()]),
        },
    };
    let mut e = SyncEngine::new(
        Checkpoint::default(),
        EngineConfig {
            batch: 2,
            ..EngineConfig::default()
        },
    );
    // The first poll pulls; answer it empty.
    assert!(matches!(e.poll_all(0, &[], &[]), Next::Pull(_)));
    e.on_pull(PullResponse {
        events: Vec::new(),
        changes: Vec::new(),
        next: 0,
        more: false,
    });
    let events = vec![ev("e1", 1), ev("e2", 2)];
    let Next::Push(req) = e.poll_all(0, &events, &[change("c1")]) else {
        panic!("expected a push");
    };
    assert_eq!(req.changes, vec![change("c1")]);
    assert_eq!(req.events.len(), 1, "changes count toward the batch");
    assert_eq!(req.events[0].id, EventId("e1".into()));
    let applied = e.on_push(accepted(&["c1", "e1"]));
    assert_eq!(applied.acknowledged.len(), 2);
    let Next::Pull(_) = e.poll_all(0, &[], &[]) else {
        panic!("expected a pull");
    };
    let applied = e.on_pull(PullResponse {
        events: Vec::new(),
        changes: vec![PulledChange {
            seq: 3,
            change: change("c2"),
        }],
        next: 3,
        more: false,
    });
    assert_eq!(applied.changes, vec![change("c2")]);
    assert_eq!(applied.checkpoint.cursor, 3);
}

#[test]
fn a_customer_opens_tickets_with_the_context_the_site_signed_or_none() {
    use crate::customer::CustomerContext;
    let signed = CustomerContext {
        plan: Some("Enterprise".into()),
        orders: vec!["A-1".into()],
        ..Default::default()
    };
    let principal = |context: Option<CustomerContext>| Principal::Customer {
        id: CustomerId("a".into()),
        context,
    };
    let opening = |context: Option<CustomerContext>| {
        let mut f = form("a");
        f.requester.context = context;
        let mut ctx = Ctx::seeded("dev", 3, DateTime::from_timestamp_millis(T0).unwrap());
        decide(
            None,
            &Command::Open(Box::new(f)),
            &cust("a"),
            &settings(),
            &mut ctx,
        )
        .unwrap()
        .remove(0)
    };
    let s = settings();
    let check = |event: &Event, p: &Principal| {
        let cx = CheckContext {
            principal: p,
            settings: &s,
            now_ms: T0,
            follow_up_source: None,
        };
        code(check_remote_event(None, event, &cx))
    };
    let with_signed = opening(Some(signed.clone()));
    assert_eq!(check(&with_signed, &principal(Some(signed.clone()))), "ok");
    // Leaving it out is always allowed: it is the customer's own data.
    assert_eq!(
        check(&opening(None), &principal(Some(signed.clone()))),
        "ok"
    );
    // A better plan than the signed one, or any context without a signed one, is refused.
    let better = CustomerContext {
        plan: Some("Platinum".into()),
        ..signed.clone()
    };
    assert_eq!(
        check(&opening(Some(better)), &principal(Some(signed.clone()))),
        "unsigned_context"
    );
    assert_eq!(check(&with_signed, &principal(None)), "unsigned_context");
    // An agent logging a ticket on a customer's behalf is trusted with it.
    let mut logged = with_signed.clone();
    logged.actor = ana();
    assert_eq!(check(&logged, &Principal::agent("ana")), "ok");
}

#[test]
fn a_customer_opening_carries_tags_only_as_its_handoff_sets_them() {
    use crate::assistant::{AssistantSettings, Flow, HandOff, HandOffRef, Step, StepKind, Texts};
    let f = Fixture::new();
    let a = Principal::customer("a");
    let mut s = settings();
    s.assistant = AssistantSettings {
        flows: vec![Flow {
            id: "returns".into(),
            name: Texts::one("es", "Devoluciones"),
            enabled: true,
            start: "person".into(),
            steps: vec![Step {
                id: "person".into(),
                kind: StepKind::HandOff(HandOff {
                    text: Texts::one("es", "Una persona te ayudará"),
                    ticket_type: TicketType::Task,
                    category: None,
                    urgency: Some(Urgency::High),
                    impact: None,
                    tags: vec!["devolucion".into()],
                }),
            }],
        }],
    };
    let cx = CheckContext {
        principal: &a,
        settings: &s,
        now_ms: T0,
        follow_up_source: None,
    };
    let with = |tags: &[&str], urgency: Urgency, handoff: bool| {
        let mut e = f.log[0].clone();
        if let Payload::TicketOpened(o) = &mut e.payload {
            o.tags = tags.iter().map(|t| (*t).to_owned()).collect();
            o.urgency = urgency;
            o.priority = s.priority_matrix.priority(o.impact, urgency);
            o.handoff = handoff.then(|| HandOffRef {
                flow: "returns".into(),
                step: "person".into(),
            });
        }
        e
    };
    let ok = with(&["devolucion"], Urgency::High, true);
    assert_eq!(code(check_remote_event(None, &ok, &cx)), "ok");
    for forged in [
        with(&["devolucion"], Urgency::High, false),
        with(&["devolucion", "vip"], Urgency::High, true),
        with(&["devolucion"], Urgency::Low, true),
    ] {
        assert_eq!(code(check_remote_event(None, &forged, &cx)), "forbidden");
    }
}
