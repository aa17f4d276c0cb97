//! The LiveAgent flow, reopen window, closing, follow-ups and postponement.

use super::*;

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
