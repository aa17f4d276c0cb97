//! The event log: robustness of apply, export/import, serde forms, convergence properties.

use super::*;

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
    let file = export(&w.log, [], Some(settings.clone()));
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
    let tampered = export(&tampered, [], None);
    assert_eq!(
        import(&w.log, &tampered).unwrap_err(),
        ImportError::Conflict(w.log[1].id.clone())
    );
}

#[test]
fn an_import_read_in_steps_is_the_import_at_once_and_names_a_bad_event_by_its_place() {
    use crate::export::Reading;
    let (id, mut w) = World::with_open();
    w.at(1).on(&id, reply("uno"), &agent()).unwrap();
    w.at(2).on(&id, reply("dos"), &agent()).unwrap();
    let file = export(&w.log, [], Some(serde_json::json!({"theme": "dark"})));
    let mut reading = Reading::new(&file);
    let total = w.log.len();
    assert_eq!(
        reading.decoded(),
        0,
        "nothing is parsed before the first step"
    );
    let mut steps = 0;
    while reading.decode(2).unwrap() {
        steps += 1;
        assert_eq!(reading.decoded(), (2 * steps).min(total));
    }
    assert_eq!(reading.decoded(), total);
    let stepped = reading.finish(&w.log[..1]).unwrap();
    assert_eq!(stepped, import(&w.log[..1], &file).unwrap());
    assert_eq!(stepped.new_events, w.log[1..].to_vec());
    assert_eq!(stepped.file_events, total);
    // Members in another order, unknown members and whitespace anywhere read the same.
    let events = serde_json::to_string(&w.log).unwrap();
    let reordered = format!(
        " {{ \"extra\" : {{\"a\": [1, \"]\"]}} ,\n \"events\" :\t{events} , \"version\":1,\"format\":\"mostrador-events\" }} \n"
    );
    assert_eq!(import(&[], &reordered).unwrap().new_events, w.log.to_vec());

    // Valid JSON that is not an export is not an export; a file cut short or with stray
    // characters is malformed; a missing or doubled events list is a bad file.
    for not_export in [
        "[1, 2]",
        "\"mostrador-events\"",
        "{\"format\": 3, \"version\": 1, \"events\": []}",
        "{\"format\": \"other\", \"events\": [{\"id\": \"x\"}]}",
        "{\"events\": []}",
    ] {
        assert_eq!(
            import(&[], not_export).err(),
            Some(ImportError::NotAnExport),
            "{not_export}"
        );
    }
    for malformed in [
        "{\"format\":\"mostrador-events\",\"version\":1,\"events\":[]",
        "{\"format\":\"mostrador-events\" \"version\":1}",
        "{\"format\":\"mostrador-events\",\"version\":1,\"events\":[]} x",
        "{\"format\":\"mostrador-events\",\"version\":1,\"events\":[{\"id\": }]}",
        "",
    ] {
        assert!(
            matches!(import(&[], malformed), Err(ImportError::Malformed(_))),
            "{malformed}: {:?}",
            import(&[], malformed)
        );
    }
    for bad_events in [
        r#"{"format":"mostrador-events","version":1}"#,
        r#"{"format":"mostrador-events","version":1,"events":{}}"#,
        r#"{"format":"mostrador-events","version":1,"events":[],"events":[]}"#,
    ] {
        assert!(
            matches!(import(&[], bad_events), Err(ImportError::BadEvents(_))),
            "{bad_events}"
        );
    }
    let first = serde_json::to_string(&w.log[0]).unwrap();
    let bad = format!(
        r#"{{"format":"mostrador-events","version":1,"events":[{first},{{"id":"x"}},{first}]}}"#
    );
    let mut reading = Reading::new(&bad);
    assert!(reading.decode(1).unwrap(), "the first event is whole");
    assert!(matches!(
        reading.decode(1),
        Err(ImportError::BadEvents(m)) if m.starts_with("event 2:")
    ));
    // The same event twice in one file is taken once; two contents under one id refuse it.
    let twice =
        format!(r#"{{"format":"mostrador-events","version":1,"events":[{first},{first}]}}"#);
    assert_eq!(import(&[], &twice).unwrap().new_events, w.log[..1].to_vec());
    let mut other = w.log[0].clone();
    other.ticket = crate::model::TicketId("another".into());
    let other = serde_json::to_string(&other).unwrap();
    let conflicting =
        format!(r#"{{"format":"mostrador-events","version":1,"events":[{first},{other}]}}"#);
    assert_eq!(
        import(&[], &conflicting).unwrap_err(),
        ImportError::Conflict(w.log[0].id.clone())
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
        let (fx, fy) = (export(&x, [], None), export(&y, [], None));
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
        prop_assert_eq!(export(&xy, [], None), export(&yx, [], None));
        prop_assert_eq!(fold_all(&xy), fold_all(&yx));
    }
}

#[test]
fn workspace_changes_travel_in_exports() {
    use crate::hlc::{Hlc, NodeId};
    use crate::model::{Actor, AgentId};
    use crate::workspace::{Change, ChangePayload, Section};
    let change = |id: &str, wall_ms: i64| Change {
        id: crate::event::EventId(id.into()),
        hlc: Hlc {
            wall_ms,
            counter: 0,
            node: NodeId("n".into()),
        },
        actor: Actor::Agent(AgentId("ana".into())),
        payload: ChangePayload::Settings {
            section: Section::Categories(vec![id.into()]),
        },
    };
    let (later, earlier) = (change("b", 2), change("a", 1));
    let file = export([], [&later, &earlier, &later], None);
    let imported = import(&[], &file).unwrap();
    assert_eq!(
        imported.changes,
        vec![earlier, later],
        "log order, once each"
    );
    // A file from before workspace changes has none.
    let old = r#"{"format":"mostrador-events","version":1,"events":[]}"#;
    assert!(import(&[], old).unwrap().changes.is_empty());
}

#[test]
fn an_import_keeping_my_settings_gives_another_person_with_my_agents_id_an_id_of_their_own() {
    use crate::assignment::{Agent, Team};
    use crate::config::Settings;
    use crate::export::import_keeping;
    use crate::hlc::{Hlc, NodeId};
    use crate::workspace::{Change, ChangePayload, Section};
    let person = |name: &str, email: &str| Agent {
        id: AgentId("ana".into()),
        name: name.into(),
        email: email.into(),
        skills: vec![],
        languages: vec![],
        levels: vec![],
        teams: vec![],
        capacity: 5,
        availability: Default::default(),
        role: Default::default(),
    };
    // Both installations call their first agent `ana`; here she is Ana, there Carlos.
    let mine = Settings {
        agents: vec![person("Ana", "ana@shop.example")],
        ..Default::default()
    };
    let theirs = Settings {
        agents: vec![person("Carlos", "carlos@other.example")],
        teams: vec![Team {
            id: TeamId("caja".into()),
            name: "Caja".into(),
            members: vec![AgentId("ana".into())],
        }],
        ..Default::default()
    };
    let (id, mut w) = World::with_open();
    w.at(1).on(&id, reply("Ya está"), &agent()).unwrap();
    w.at(2)
        .on(
            &id,
            Command::Assign {
                agent: Some(AgentId("ana".into())),
                team: None,
            },
            &agent(),
        )
        .unwrap();
    let roster = Change {
        id: crate::event::EventId("roster".into()),
        hlc: Hlc {
            wall_ms: i64::MAX / 2,
            counter: 0,
            node: NodeId("there".into()),
        },
        actor: agent(),
        payload: ChangePayload::Settings {
            section: Section::Roster {
                agents: theirs.agents.clone(),
                teams: theirs.teams.clone(),
            },
        },
    };
    let file = export(
        &w.log,
        [&roster],
        Some(serde_json::to_value(&theirs).unwrap()),
    );

    let imported = import_keeping(&[], &file, &mine).unwrap();
    let adopted: Settings = serde_json::from_value(imported.settings.clone().unwrap()).unwrap();
    let carlos = adopted.agents[0].id.clone();
    assert_ne!(carlos, AgentId("ana".into()));
    assert_eq!(adopted.agents[0].name, "Carlos");
    assert_eq!(adopted.teams[0].members, vec![carlos.clone()]);
    // Carlos's work is his: who replied and who holds the ticket.
    assert!(
        imported
            .new_events
            .iter()
            .all(|e| e.actor != Actor::Agent(AgentId("ana".into())))
    );
    assert_eq!(
        fold(&imported.new_events).unwrap().assignee,
        Some(carlos.clone())
    );
    // My roster is not overwritten by theirs, however new their change.
    assert!(imported.changes.is_empty());
    // Adding what I lack brings Carlos in beside Ana.
    let mut merged = mine.clone();
    merged.merge_missing(&adopted);
    let names: Vec<_> = merged.agents.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Ana", "Carlos"]);
    // The same file again: the same new id, nothing new, no conflict.
    let again = import_keeping(&imported.new_events, &file, &merged).unwrap();
    assert!(again.new_events.is_empty());
    let readopted: Settings = serde_json::from_value(again.settings.unwrap()).unwrap();
    assert_eq!(readopted.agents[0].id, carlos);

    // The same person on both installations keeps the id.
    let same = Settings {
        agents: vec![person("Carlos", " Carlos@Other.example")],
        ..Default::default()
    };
    let kept = import_keeping(&[], &file, &same).unwrap();
    assert_eq!(kept.new_events, import(&[], &file).unwrap().new_events);
}
