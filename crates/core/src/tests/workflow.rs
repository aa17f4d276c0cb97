//! Merge, bulk, templates and macros, audit trail, concurrent replies.

use super::*;

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
