//! Role rules and what customers may see.

use super::*;

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
fn customers_choose_the_urgency_only_where_the_workspace_lets_them() {
    let mut w = World::new();
    w.settings.customers_set_urgency = true;
    let with_urgency = NewTicket {
        urgency: Some(Urgency::High),
        ..form()
    };
    let t = fold(
        &w.run(None, Command::Open(Box::new(with_urgency)), &customer())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(t.urgency, Urgency::High);
    assert_eq!(
        t.priority,
        w.settings
            .priority_matrix
            .priority(w.settings.default_impact, Urgency::High)
    );
    let with_impact = NewTicket {
        impact: Some(Impact::High),
        ..form()
    };
    assert!(matches!(
        w.run(None, Command::Open(Box::new(with_impact)), &customer()),
        Err(DomainError::Forbidden {
            what: Permission::SetPriority,
            ..
        })
    ));
}

#[test]
fn customers_see_their_ticket_without_notes_or_staff_fields() {
    let (id, mut w) = World::with_open();
    w.settings.custom_fields = vec![FieldDef {
        key: "risk".into(),
        label: String::new(),
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

#[test]
fn automations_neither_rate_nor_answer() {
    let (id, mut w) = World::with_open();
    w.at(1)
        .on(&id, reply("Recibimos su consulta"), &Actor::System)
        .unwrap();
    let t = w.ticket(&id);
    assert_eq!(
        t.status,
        Status::New,
        "an auto-acknowledgement is not an answer"
    );
    assert_eq!(t.first_agent_reply_at(), None);
    w.on(&id, Command::Resolve, &agent()).unwrap();
    let rate = Command::Rate {
        score: 3,
        comment: None,
    };
    assert!(matches!(
        w.on(&id, rate, &Actor::System),
        Err(DomainError::Forbidden {
            role: Role::System,
            what: Permission::Rate
        })
    ));
}

#[test]
fn intake_rules_for_fields_and_attachments() {
    let mut w = World::new();
    let def = |key: &str, required, agent_only| FieldDef {
        key: key.into(),
        label: String::new(),
        kind: FieldKind::Text,
        choices: vec![],
        required,
        agent_only,
    };
    w.settings.custom_fields = vec![def("order", true, false), def("risk", false, true)];
    w.settings.max_attachment_bytes = 10;
    let open = |w: &mut World, f: NewTicket, actor: &Actor| {
        w.run(None, Command::Open(Box::new(f)), actor).map(|_| ())
    };
    let with = |pairs: &[(&str, &str)]| NewTicket {
        custom_fields: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), FieldValue::Text(v.to_string())))
            .collect(),
        ..form()
    };
    assert_eq!(
        open(&mut w, with(&[]), &customer()),
        Err(DomainError::Invalid(
            crate::error::ValidationError::RequiredField("order".into())
        ))
    );
    assert!(matches!(
        open(&mut w, with(&[("order", "1"), ("risk", "x")]), &customer()),
        Err(DomainError::Forbidden {
            what: Permission::SetStaffOnlyField,
            ..
        })
    ));
    assert!(matches!(
        open(&mut w, with(&[("order", "1"), ("nope", "x")]), &customer()),
        Err(DomainError::Invalid(
            crate::error::ValidationError::UnknownField(_)
        ))
    ));
    assert_eq!(open(&mut w, with(&[("order", "1")]), &customer()), Ok(()));
    // Agents logging a phone call are not held to the customer form's required fields.
    assert_eq!(open(&mut w, with(&[("risk", "x")]), &agent()), Ok(()));
    let big = Attachment {
        name: "a.png".into(),
        mime: "image/png".into(),
        size: 11,
        blob: "ab".into(),
    };
    let f = NewTicket {
        attachments: vec![big],
        ..with(&[("order", "1")])
    };
    assert!(matches!(
        open(&mut w, f, &customer()),
        Err(DomainError::Invalid(
            crate::error::ValidationError::AttachmentTooLarge { .. }
        ))
    ));
    let blank = NewTicket {
        subject: "  ".into(),
        ..with(&[("order", "1")])
    };
    assert!(open(&mut w, blank, &customer()).is_err());
}

#[test]
fn commands_that_change_nothing_emit_nothing() {
    let (id, mut w) = World::with_open();
    let assign = Command::Assign {
        agent: Some(AgentId("ana".into())),
        team: None,
    };
    assert_eq!(w.at(1).on(&id, assign.clone(), &agent()).unwrap().len(), 1);
    assert!(w.on(&id, assign, &agent()).unwrap().is_empty());
    let tag = Command::Tag {
        add: vec!["a".into()],
        remove: vec!["zz".into()],
    };
    assert_eq!(w.on(&id, tag.clone(), &agent()).unwrap().len(), 1);
    assert!(w.on(&id, tag, &agent()).unwrap().is_empty());
    let same = Command::SetPriority {
        impact: Impact::Medium,
        urgency: Urgency::Medium,
    };
    assert!(w.on(&id, same, &agent()).unwrap().is_empty());
}

#[test]
fn the_assistant_hands_off_with_its_tags_and_priority_and_nothing_else() {
    use crate::assistant::{AssistantSettings, Flow, HandOff, HandOffRef, Step, StepKind, Texts};
    let mut w = World::new();
    w.settings.assistant = AssistantSettings {
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
                    impact: Some(Impact::High),
                    tags: vec!["devolucion".into()],
                }),
            }],
        }],
    };
    let handed = NewTicket {
        tags: vec!["devolucion".into()],
        impact: Some(Impact::High),
        urgency: Some(Urgency::High),
        handoff: Some(HandOffRef {
            flow: "returns".into(),
            step: "person".into(),
        }),
        ..form()
    };
    let events = w
        .run(None, Command::Open(Box::new(handed.clone())), &customer())
        .unwrap();
    let t = fold(&events).unwrap();
    assert_eq!(t.tags.iter().collect::<Vec<_>>(), ["devolucion"]);
    assert_eq!(t.priority, Priority::Urgent);
    let Payload::TicketOpened(o) = &events[0].payload else {
        panic!("the first event opens the ticket")
    };
    assert_eq!(o.handoff, handed.handoff);
    // The customer's device gets its own opening back unchanged, tags included.
    assert_eq!(
        events[0].for_customer(&w.settings).as_ref(),
        Some(&events[0])
    );
    // The same tags without the hand-off, or more tags than it sets, are refused.
    for forged in [
        NewTicket {
            handoff: None,
            impact: None,
            urgency: None,
            ..handed.clone()
        },
        NewTicket {
            tags: vec!["devolucion".into(), "vip".into()],
            ..handed.clone()
        },
    ] {
        assert!(matches!(
            w.run(None, Command::Open(Box::new(forged)), &customer()),
            Err(DomainError::Forbidden {
                what: Permission::Tag,
                ..
            })
        ));
    }
}
