//! Databases left by older versions, with data in that version's shape, upgraded by the store.
#![cfg(target_arch = "wasm32")]

mod support;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use mostrador_core::apply::fold;
use mostrador_core::config::Settings;
use mostrador_core::model::{Attachment, Status};
use mostrador_core::store::{Origin, PageRequest, SortKey, Store, TicketSummary, ViewFilter};
use mostrador_idb::{IdbStore, migrations};
use serde::Serialize;
use support::{at, fresh_name, ms, open_ticket, put_raw};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Serialize)]
struct Draft {
    id: String,
    subject: String,
}

#[wasm_bindgen_test]
async fn v1_drafts_give_way_to_the_event_store() {
    // Version 1 as the foundation slice wrote it: one `tickets` store of drafts keyed by id.
    let name = fresh_name();
    let db = Database::open(name.as_str())
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("tickets")
                .with_key_path("id".into())
                .build()?;
            Ok(())
        })
        .await
        .unwrap();
    let tx = db
        .transaction("tickets")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let draft = Draft {
        id: "KQD-48213-ZPT".into(),
        subject: "Mi pedido no llegó".into(),
    };
    tx.object_store("tickets")
        .unwrap()
        .put(&draft)
        .serde()
        .unwrap()
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.close();

    let store = IdbStore::open(&name).await.unwrap();
    // Drafts had no events behind them: gone, not left to fail as corrupt tickets.
    assert_eq!(store.count(&ViewFilter::default(), at(0)).await.unwrap(), 0);
    let events = open_ticket(1, 0, "Ahora sí");
    store
        .append(&events, Origin::Local, &Settings::default(), at(0))
        .await
        .unwrap();
    assert!(store.ticket(&events[0].ticket).await.unwrap().is_some());
    store.delete().await.unwrap();
}

fn obj(fields: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        js_sys::Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn pair(store: &str, rec: JsValue) -> JsValue {
    js_sys::Array::of2(&store.into(), &rec).into()
}

/// One ticket's records exactly as versions 2 and 3 store them (written out here by hand, so a
/// change to the store's encoding that breaks old data fails this test).
fn version_2_records(events: &[mostrador_core::event::Event]) -> js_sys::Array {
    let json = |v: &dyn erased::Json| JsValue::from_str(&v.json());
    let out = js_sys::Array::new();
    for e in events {
        out.push(&pair(
            "events",
            obj(&[
                ("id", e.id.0.as_str().into()),
                ("ticket", e.ticket.0.as_str().into()),
                ("wall", (e.hlc.wall_ms as f64).into()),
                ("counter", f64::from(e.hlc.counter).into()),
                ("node", e.hlc.node.0.as_str().into()),
                ("json", json(e)),
            ]),
        ));
    }
    let t = fold(events).unwrap();
    out.push(&pair(
        "tickets",
        obj(&[
            ("id", t.id.0.as_str().into()),
            ("code", t.code.as_str().into()),
            ("json", json(&t)),
        ]),
    ));
    let row = TicketSummary::of(
        &t,
        &Settings::default(),
        &mostrador_idb::BrowserZones::new(),
        at(0),
    );
    out.push(&pair(
        "rows",
        obj(&[
            ("id", row.id.0.as_str().into()),
            ("status", row.status.as_str().into()),
            ("priority", 1.0.into()),
            ("assignee", "".into()),
            ("customer", row.customer.as_ref().unwrap().0.as_str().into()),
            ("updated", ms(row.updated_at)),
            ("created", ms(row.created_at)),
            ("json", json(&row)),
        ]),
    ));
    out
}

mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap()
        }
    }
}

#[wasm_bindgen_test]
async fn data_from_versions_2_and_3_survive_the_upgrade() {
    for version in [2, 3] {
        let name = fresh_name();
        let db = migrations::open_at(&name, version).await.unwrap();
        let events = open_ticket(3, 4, "Datos antiguos");
        put_raw(&db, &version_2_records(&events)).await;
        db.close();

        let store = IdbStore::open(&name).await.unwrap();
        let id = events[0].ticket.clone();
        let t = store.ticket(&id).await.unwrap().expect("kept");
        assert_eq!(t.subject, "Datos antiguos");
        assert_eq!(store.ticket_by_code(&t.code).await.unwrap().unwrap().id, id);
        assert_eq!(store.events_of(&id).await.unwrap(), events);
        // The view indexes (v3) cover rows written before they existed.
        let new = ViewFilter {
            statuses: vec![Status::New],
            ..ViewFilter::default()
        };
        assert_eq!(store.count(&new, at(5)).await.unwrap(), 1, "v{version}");
        let page = store
            .page(&PageRequest {
                filter: new,
                sort: SortKey::UpdatedDesc,
                offset: 0,
                limit: 10,
                now: at(5),
            })
            .await
            .unwrap();
        assert_eq!(page.items[0].id, id);
        assert_eq!(
            store
                .customer_tickets(&t.requester.customer_id.clone().unwrap())
                .await
                .unwrap()
                .len(),
            1
        );
        // Attachments (v4) work on the upgraded database.
        let blob =
            web_sys::Blob::new_with_str_sequence(&js_sys::Array::of1(&"hola".into())).unwrap();
        let meta = Attachment {
            name: "a.txt".into(),
            mime: "text/plain".into(),
            size: 4,
            blob: "h1".into(),
        };
        store
            .put_attachment(
                &meta,
                &blob,
                &Settings::default(),
                mostrador_idb::MAX_TOTAL_ATTACHMENT_BYTES,
            )
            .await
            .unwrap();
        // And new events fold on top of the old ones.
        let more = open_ticket(4, 6, "Nuevo");
        store
            .append(&more, Origin::Local, &Settings::default(), at(6))
            .await
            .unwrap();
        assert_eq!(store.count(&ViewFilter::default(), at(6)).await.unwrap(), 2);
        store.delete().await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn version_5_databases_gain_exact_ticket_counters() {
    use mostrador_core::model::AgentId;
    use mostrador_core::store::{AssigneeFilter, BuiltinView};
    let name = fresh_name();
    let db = migrations::open_at(&name, 5).await.unwrap();
    let events = support::mixed_tickets(120);
    let mut settings = Settings::default();
    settings.sla.policies.push(mostrador_core::sla::SlaPolicy {
        id: mostrador_core::sla::SlaPolicyId("all".into()),
        name: "Everyone".into(),
        conditions: Default::default(),
        targets: mostrador_core::sla::SlaTargets {
            first_response: Some(60),
            next_response: None,
            resolution: Some(6_000),
        },
        calendar: settings.sla.calendars[0].id.clone(),
        at_risk_threshold: None,
        on_reopen: Default::default(),
        escalations: vec![],
    });
    // The records as version 5 wrote them: rows without the `risk` field v6 indexes.
    let records = mostrador_idb::bench::records(&events, &settings, at(0)).unwrap();
    support::js("records", "for (const [, r] of records) delete r.risk")
        .call1(&JsValue::NULL, &records)
        .unwrap();
    put_raw(&db, &records).await;
    db.close();

    let store = IdbStore::open(&name).await.unwrap();
    let now = at(10_000);
    let rows: Vec<TicketSummary> = mostrador_core::apply::fold_all(&events)
        .values()
        .map(|t| TicketSummary::of(t, &settings, &mostrador_idb::BrowserZones::new(), at(0)))
        .collect();
    let mut filters: Vec<ViewFilter> = Vec::new();
    for me in ["ana", "bob"] {
        let me = AgentId(me.into());
        filters.extend(BuiltinView::ALL.iter().map(|v| v.filter(&me)));
    }
    for s in Status::ALL {
        filters.push(ViewFilter {
            statuses: vec![s],
            assignee: AssigneeFilter::Anyone,
            ..ViewFilter::default()
        });
    }
    let mut at_risk = 0;
    for minutes in [30, 400, 10_000] {
        let f = ViewFilter {
            sla_at_risk: true,
            ..ViewFilter::default()
        };
        let walked = rows.iter().filter(|r| f.matches(r, at(minutes))).count();
        assert_eq!(
            store.count(&f, at(minutes)).await.unwrap(),
            walked,
            "at risk at {minutes}"
        );
    }
    for f in &filters {
        let walked = rows.iter().filter(|r| f.matches(r, now)).count();
        if f.sla_at_risk {
            at_risk = walked;
        }
        assert_eq!(store.count(f, now).await.unwrap(), walked, "{f:?}");
        let page = store
            .page(&PageRequest {
                filter: f.clone(),
                sort: SortKey::UpdatedDesc,
                offset: 0,
                limit: 5,
                now,
            })
            .await
            .unwrap();
        assert_eq!(page.total, walked, "page of {f:?}");
    }
    assert!(at_risk > 0, "the fixture has tickets at risk");
    // Counters built by the upgrade keep counting new writes.
    let more = open_ticket(7, 20, "Tras la migración");
    store
        .append(&more, Origin::Local, &settings, at(20))
        .await
        .unwrap();
    assert_eq!(
        store.count(&ViewFilter::default(), now).await.unwrap(),
        rows.len() + 1
    );
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn version_6_databases_gain_the_search_snapshot_stores() {
    let name = fresh_name();
    let db = migrations::open_at(&name, 6).await.unwrap();
    let events = support::mixed_tickets(30);
    let settings = Settings::default();
    put_raw(
        &db,
        &mostrador_idb::bench::records(&events, &settings, at(0)).unwrap(),
    )
    .await;
    db.close();

    let store = IdbStore::open(&name).await.unwrap();
    let text = |t: &str| ViewFilter {
        text: Some(t.into()),
        ..ViewFilter::default()
    };
    // No snapshot yet: the first text query builds the index from the tickets v6 stored.
    assert_eq!(store.count(&text("ticket"), at(0)).await.unwrap(), 30);
    let more = open_ticket(7, 20, "Tras la migración");
    store
        .append(&more, Origin::Local, &settings, at(20))
        .await
        .unwrap();
    assert_eq!(store.count(&text("migracion"), at(20)).await.unwrap(), 1);
    drop(store);
    let reopened = IdbStore::open(&name).await.unwrap();
    assert_eq!(reopened.count(&text("migracion"), at(20)).await.unwrap(), 1);
    assert_eq!(reopened.count(&text("ticket"), at(20)).await.unwrap(), 30);
    reopened.delete().await.unwrap();
}
