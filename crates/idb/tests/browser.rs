//! Runs in headless Chromium against real IndexedDB, a fresh database per test.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use mostrador_core::config::Settings;
use mostrador_core::model::{Attachment, Status};
use mostrador_core::store::{
    Notice as Change, Origin, PageRequest, SortKey, Store, StoreError, ViewFilter,
};
use mostrador_idb::{AttachmentError, IdbStore, database_exists, migrations, try_sync_lock};
use support::{at, fresh_name, open_ticket, sleep};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mostrador_core::store_contract_tests!(async wasm_bindgen_test, async {
    IdbStore::open(&fresh_name()).await.expect("open a fresh database")
});

async fn append(store: &IdbStore, events: &[mostrador_core::event::Event]) {
    store
        .append(events, Origin::Local, &Settings::default(), at(0))
        .await
        .expect("append");
}

#[wasm_bindgen_test]
async fn a_failure_in_the_middle_of_a_batch_leaves_nothing() {
    let store = IdbStore::open(&fresh_name()).await.unwrap();
    let first = open_ticket(1, 1, "Primero");
    append(&store, &first).await;
    let mut batch = Vec::new();
    for n in 2..6 {
        batch.extend(open_ticket(n, i64::from(n), &format!("Ticket {n}")));
    }
    store.inject_failure_after_writes(3);
    let err = store
        .append(&batch, Origin::Local, &Settings::default(), at(1))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Backend(_)), "{err:?}");
    assert_eq!(store.all_events().await.unwrap(), first);
    assert_eq!(store.outbox(100).await.unwrap(), first);
    assert!(store.ticket(&batch[0].ticket).await.unwrap().is_none());
    assert_eq!(
        store.count(&ViewFilter::default(), at(1)).await.unwrap(),
        1,
        "no list row half-written"
    );
    // The same batch goes through once the failure is gone.
    let report = store
        .append(&batch, Origin::Local, &Settings::default(), at(1))
        .await
        .unwrap();
    assert_eq!(report.added.len(), batch.len());
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn nothing_is_created_before_open_and_existence_can_be_checked() {
    let name = fresh_name();
    assert!(!database_exists(&name).await.unwrap());
    assert!(
        !database_exists(&name).await.unwrap(),
        "checking created nothing"
    );
    let store = IdbStore::open(&name).await.unwrap();
    assert!(database_exists(&name).await.unwrap());
    store.delete().await.unwrap();
    assert!(!database_exists(&name).await.unwrap());
}

#[wasm_bindgen_test]
async fn index_served_views_agree_with_the_core() {
    // Statuses, assignees and sorts through the index paths, checked against MemoryStore.
    let store = IdbStore::open(&fresh_name()).await.unwrap();
    let memory = mostrador_core::store::MemoryStore::new();
    let events = support::mixed_tickets(60);
    for chunk in events.chunks(17) {
        append(&store, chunk).await;
        memory
            .append(chunk, Origin::Local, &Settings::default(), at(0))
            .await
            .unwrap();
    }
    let me = mostrador_core::model::AgentId("ana".into());
    let mut filters: Vec<ViewFilter> = mostrador_core::store::BuiltinView::ALL
        .iter()
        .map(|v| v.filter(&me))
        .collect();
    for s in Status::ALL {
        filters.push(ViewFilter {
            statuses: vec![s],
            ..ViewFilter::default()
        });
    }
    for filter in filters {
        for sort in [
            SortKey::UpdatedDesc,
            SortKey::UpdatedAsc,
            SortKey::CreatedDesc,
            SortKey::CreatedAsc,
            SortKey::PriorityDesc,
            SortKey::SlaDueAsc,
        ] {
            for offset in [0, 5, 40] {
                let req = PageRequest {
                    filter: filter.clone(),
                    sort,
                    offset,
                    limit: 7,
                    now: at(500),
                };
                assert_eq!(
                    store.page(&req).await.unwrap(),
                    memory.page(&req).await.unwrap(),
                    "{filter:?} {sort:?} {offset}"
                );
            }
        }
        assert_eq!(
            store.count(&filter, at(500)).await.unwrap(),
            memory.count(&filter, at(500)).await.unwrap()
        );
    }
    store.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_change_in_one_tab_reaches_the_others() {
    // Two connections with their own BroadcastChannel ends, as two tabs would have.
    let name = fresh_name();
    let tab_a = IdbStore::open(&name).await.unwrap();
    let tab_b = IdbStore::open(&name).await.unwrap();
    let seen: Rc<RefCell<Vec<Change>>> = Rc::default();
    let s = seen.clone();
    let _subscription = tab_b.subscribe(Box::new(move |c| s.borrow_mut().push(c.clone())));
    // Tab B builds its search index first; A's change must not be missed by it.
    let find = |t: &str| ViewFilter {
        text: Some(t.into()),
        ..ViewFilter::default()
    };
    assert_eq!(tab_b.count(&find("impresora"), at(1)).await.unwrap(), 0);
    let events = open_ticket(1, 7, "La impresora no imprime");
    append(&tab_a, &events).await;
    for _ in 0..50 {
        if !seen.borrow().is_empty() {
            break;
        }
        sleep(10).await;
    }
    assert_eq!(
        *seen.borrow(),
        vec![Change::Tickets {
            touched: vec![events[0].ticket.clone()]
        }]
    );
    assert!(tab_b.ticket(&events[0].ticket).await.unwrap().is_some());
    assert_eq!(tab_b.count(&find("impresora"), at(1)).await.unwrap(), 1);
    drop(tab_b);
    tab_a.delete().await.unwrap();
}

#[wasm_bindgen_test]
async fn another_tabs_version_change_closes_us_and_we_reopen() {
    let name = fresh_name();
    let store = IdbStore::open(&name).await.unwrap();
    let events = open_ticket(1, 8, "Antes");
    append(&store, &events).await;
    // Another tab erases the data: deleting sends us `versionchange`; without closing, this
    // deletion would block forever.
    mostrador_idb::delete_database(&name).await.unwrap();
    assert!(!store.is_connected());
    assert!(store.ticket(&events[0].ticket).await.unwrap().is_none());
    assert!(store.is_connected(), "reopened on next use");
    append(&store, &events).await;

    // A newer release in another tab upgrades the schema: we step aside, and reopening tells
    // the person to reload.
    let newer = indexed_db_futures::database::Database::open(name.as_str())
        .with_version(migrations::CURRENT + 1)
        .await
        .unwrap();
    assert!(!store.is_connected());
    let err = store.ticket(&events[0].ticket).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Unavailable(ref m) if m.contains("newer")),
        "{err:?}"
    );
    newer.close();
    mostrador_idb::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn only_one_holder_of_the_sync_lock() {
    let name = format!("sync-{}", fresh_name());
    let first = try_sync_lock(&name).await.unwrap().expect("free at first");
    assert!(try_sync_lock(&name).await.unwrap().is_none(), "held");
    drop(first);
    sleep(20).await;
    assert!(
        try_sync_lock(&name).await.unwrap().is_some(),
        "released on drop"
    );
}

fn blob(bytes: usize) -> web_sys::Blob {
    let parts = js_sys::Array::of1(&JsValue::from_str(&"x".repeat(bytes)));
    web_sys::Blob::new_with_str_sequence(&parts).unwrap()
}

fn meta(hash: &str, size: u64) -> Attachment {
    Attachment {
        name: format!("{hash}.txt"),
        mime: "text/plain".into(),
        size,
        blob: hash.into(),
    }
}

#[wasm_bindgen_test]
async fn attachments_are_blobs_within_limits() {
    let store = IdbStore::open(&fresh_name()).await.unwrap();
    let mut settings = Settings::default();
    settings.domain.max_attachment_bytes = 100;
    let err = store
        .put_attachment(&meta("big", 101), &blob(101), &settings, 1000)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            AttachmentError::TooLarge {
                size: 101,
                max: 100,
                ..
            }
        ),
        "{err}"
    );
    store
        .put_attachment(&meta("a", 80), &blob(80), &settings, 150)
        .await
        .unwrap();
    // Same content hash again: stored once.
    store
        .put_attachment(&meta("a", 80), &blob(80), &settings, 150)
        .await
        .unwrap();
    assert_eq!(store.attachments_size().await.unwrap(), 80);
    let err = store
        .put_attachment(&meta("b", 80), &blob(80), &settings, 150)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            AttachmentError::TotalExceeded {
                used: 80,
                size: 80,
                max: 150,
                ..
            }
        ),
        "{err}"
    );
    let back = store.attachment("a").await.unwrap().expect("stored");
    assert_eq!(back.size(), 80.0);
    assert!(store.attachment("b").await.unwrap().is_none());
    // Erasing takes the bytes away and frees the room.
    store
        .delete_attachments(&["a".into(), "never-stored".into()])
        .await
        .unwrap();
    assert!(store.attachment("a").await.unwrap().is_none());
    assert_eq!(store.attachments_size().await.unwrap(), 0);
    store.delete().await.unwrap();
}

/// Large batches ask which keys their span holds before looking ids up one by one; whatever
/// the store already holds (whole tickets, lone events whose opening has not arrived, nothing),
/// the result is the fold of every event, with exact counts.
#[wasm_bindgen_test]
async fn large_batches_over_partly_stored_data_fold_every_event() {
    use mostrador_core::event::Payload;
    let store = IdbStore::open(&fresh_name()).await.unwrap();
    let events = support::mixed_tickets(60);
    let all = mostrador_core::apply::fold_all(&events);
    // Some tickets whole, and of others only their later events (no opening yet).
    let (whole, rest): (Vec<_>, Vec<_>) = events
        .iter()
        .cloned()
        .partition(|e| e.ticket.0.as_bytes().last().is_some_and(|b| b % 3 == 0));
    let lone: Vec<_> = rest
        .iter()
        .filter(|e| !matches!(e.payload, Payload::TicketOpened(_)))
        .take(7)
        .cloned()
        .collect();
    for part in [&whole, &lone] {
        store
            .append(part, Origin::Remote, &Settings::default(), at(0))
            .await
            .unwrap();
    }
    let report = store
        .append(&events, Origin::Remote, &Settings::default(), at(0))
        .await
        .unwrap();
    assert_eq!(report.duplicates, whole.len() + lone.len());
    for (id, t) in &all {
        assert_eq!(store.ticket(id).await.unwrap().as_ref(), Some(t));
    }
    let now = at(10_000);
    for s in Status::ALL {
        let f = ViewFilter {
            statuses: vec![s],
            ..ViewFilter::default()
        };
        let expected = all.values().filter(|t| t.status == s).count();
        assert_eq!(store.count(&f, now).await.unwrap(), expected, "{s:?}");
    }
    store.delete().await.unwrap();
}

/// Two tabs (two connections) appending at the same time: each append and its counter update
/// are one transaction, so the counts end exact.
#[wasm_bindgen_test]
async fn counters_stay_exact_when_tabs_write_at_once() {
    let name = fresh_name();
    let a = IdbStore::open(&name).await.unwrap();
    let b = IdbStore::open(&name).await.unwrap();
    let events = support::mixed_tickets(40);
    let (left, right) = events.split_at(events.len() / 2);
    let mut writes = Vec::new();
    for (n, chunk) in left.chunks(7).chain(right.chunks(5)).enumerate() {
        let store = if n % 2 == 0 { a.clone() } else { b.clone() };
        let chunk = chunk.to_vec();
        writes.push(async move {
            store
                .append(&chunk, Origin::Remote, &Settings::default(), at(0))
                .await
                .unwrap();
        });
    }
    futures::future::join_all(writes).await;
    let all = mostrador_core::apply::fold_all(&events);
    for s in Status::ALL {
        let f = ViewFilter {
            statuses: vec![s],
            ..ViewFilter::default()
        };
        let expected = all.values().filter(|t| t.status == s).count();
        assert_eq!(b.count(&f, at(10_000)).await.unwrap(), expected, "{s:?}");
    }
    drop(b);
    a.delete().await.unwrap();
}

/// Two tabs (two connections) recording deflections at the same time: each record is its own
/// row written in its own transaction, so every one is counted, seen from either tab.
#[wasm_bindgen_test]
async fn deflections_recorded_by_two_tabs_at_once_are_all_counted() {
    use mostrador_core::store::contract::{deflection_records, deflection_total};
    let name = fresh_name();
    let a = IdbStore::open(&name).await.unwrap();
    let b = IdbStore::open(&name).await.unwrap();
    let mut writes = Vec::new();
    for (n, c) in deflection_records("tab-a", 20)
        .into_iter()
        .chain(deflection_records("tab-b", 20))
        .enumerate()
    {
        let store = if n % 2 == 0 { a.clone() } else { b.clone() };
        writes.push(async move {
            store
                .append_changes(std::slice::from_ref(&c), Origin::Local)
                .await
                .unwrap();
        });
    }
    futures::future::join_all(writes).await;
    assert_eq!(deflection_total(&a).await, 40);
    assert_eq!(deflection_total(&b).await, 40);
    drop(b);
    a.delete().await.unwrap();
}

/// A change through one handle reaches its own subscribers at once and another tab's when the
/// notice arrives, once each.
#[wasm_bindgen_test]
async fn own_changes_and_other_tabs_changes_are_each_announced_once() {
    let name = fresh_name();
    let tab_a = IdbStore::open(&name).await.unwrap();
    let tab_b = IdbStore::open(&name).await.unwrap();
    let on_a: Rc<RefCell<Vec<Change>>> = Rc::default();
    let on_b: Rc<RefCell<Vec<Change>>> = Rc::default();
    let (sa, sb) = (on_a.clone(), on_b.clone());
    let _a = tab_a.subscribe(Box::new(move |c| sa.borrow_mut().push(c.clone())));
    let _b = tab_b.subscribe(Box::new(move |c| sb.borrow_mut().push(c.clone())));
    tab_a
        .save_settings(&Settings::default(), at(0))
        .await
        .unwrap();
    assert_eq!(
        *on_a.borrow(),
        vec![Change::Settings],
        "at once, before the call returns"
    );
    for _ in 0..50 {
        if !on_b.borrow().is_empty() {
            break;
        }
        sleep(10).await;
    }
    sleep(50).await;
    assert_eq!(*on_b.borrow(), vec![Change::Settings]);
    assert_eq!(
        *on_a.borrow(),
        vec![Change::Settings],
        "not again through the channel"
    );
    drop(tab_b);
    tab_a.delete().await.unwrap();
}

/// Ids IndexedDB orders differently from Rust (UTF-16 against UTF-8: above U+FFFF against
/// U+E000–U+FFFF) still fall inside the span a large batch asks about: stored ones are found.
#[wasm_bindgen_test]
async fn large_batches_find_stored_ids_in_indexeddb_order() {
    let store = IdbStore::open(&fresh_name()).await.unwrap();
    let mut events = support::mixed_tickets(20);
    for (n, e) in events.iter_mut().enumerate() {
        let lead = if n % 2 == 0 { '\u{FF61}' } else { '\u{1F600}' };
        e.id = mostrador_core::event::EventId(format!("{lead}{n:04}"));
    }
    let (first, _) = events.split_at(events.len() / 2);
    store
        .append(first, Origin::Remote, &Settings::default(), at(0))
        .await
        .unwrap();
    let report = store
        .append(&events, Origin::Remote, &Settings::default(), at(0))
        .await
        .unwrap();
    assert_eq!(report.duplicates, first.len());
    assert_eq!(report.added.len(), events.len() - first.len());
    assert_eq!(store.all_events().await.unwrap().len(), events.len());
    store.delete().await.unwrap();
}

/// How many records an object store holds, read with plain JavaScript.
async fn records_in(name: &str, object_store: &str) -> u32 {
    let f = support::js(
        "name, os",
        "return new Promise((ok, err) => { const r = indexedDB.open(name); \
         r.onerror = () => err(r.error); r.onsuccess = () => { const db = r.result; \
         const c = db.transaction(os).objectStore(os).count(); \
         c.onsuccess = () => { db.close(); ok(c.result); }; c.onerror = () => err(c.error); }; })",
    );
    support::call(&f, &[name.into(), object_store.into()])
        .await
        .as_f64()
        .unwrap() as u32
}

#[wasm_bindgen_test]
async fn every_append_marks_its_tickets_for_the_search_snapshot() {
    let name = fresh_name();
    let store = IdbStore::open(&name).await.unwrap();
    append(&store, &open_ticket(1, 1, "La impresora no imprime")).await;
    append(&store, &open_ticket(2, 2, "Factura duplicada")).await;
    assert_eq!(records_in(&name, migrations::SEARCH_DIRTY).await, 2);
    store.delete().await.unwrap();
}

/// The console's build: the index is saved, loaded by the next handle and caught up with the
/// tickets changed since; a damaged snapshot is rebuilt; a tab does not save over a newer one.
#[cfg(feature = "search-snapshot")]
#[wasm_bindgen_test]
async fn the_search_snapshot_is_loaded_and_caught_up() {
    let find = |t: &str| ViewFilter {
        text: Some(t.into()),
        ..ViewFilter::default()
    };
    let name = fresh_name();
    let a = IdbStore::open(&name).await.unwrap();
    let printer = open_ticket(1, 1, "La impresora no imprime");
    append(&a, &printer).await;
    append(&a, &open_ticket(2, 2, "Factura duplicada")).await;
    assert!(!a.save_search_snapshot().await.unwrap(), "no index yet");
    assert_eq!(a.count(&find("impresora"), at(5)).await.unwrap(), 1);
    // The first query's background save, or this one: either way the list is emptied.
    a.save_search_snapshot().await.unwrap();
    assert_eq!(records_in(&name, migrations::SEARCH_DIRTY).await, 0);
    assert_eq!(records_in(&name, migrations::SEARCH).await, 2);

    // Changed after the snapshot: a new ticket, and an agent's reply on the printer ticket.
    append(&a, &open_ticket(3, 3, "Impresora roja atascada")).await;
    let t = a.ticket(&printer[0].ticket).await.unwrap().unwrap();
    let mut ctx = mostrador_core::ctx::Ctx::seeded("dev-x", 9, at(4));
    let edit = mostrador_core::decide::decide(
        Some(&t),
        &mostrador_core::command::Command::Reply {
            body: "Probamos con el escáner sin conexión".into(),
            attachments: vec![],
        },
        &mostrador_core::model::Actor::Agent(mostrador_core::model::AgentId("ana".into())),
        &Settings::default().domain,
        &mut ctx,
    )
    .unwrap();
    append(&a, &edit).await;
    assert_eq!(records_in(&name, migrations::SEARCH_DIRTY).await, 2);

    let b = IdbStore::open(&name).await.unwrap();
    assert_eq!(b.count(&find("impresora"), at(5)).await.unwrap(), 2);
    assert_eq!(b.count(&find("escaner"), at(5)).await.unwrap(), 1);
    assert_eq!(b.count(&find("factura dup"), at(5)).await.unwrap(), 1);
    // A saves a newer generation; B, which loaded the older one, then does not save over it.
    assert!(a.save_search_snapshot().await.unwrap());
    assert!(!b.save_search_snapshot().await.unwrap());

    // A damaged snapshot is rebuilt from the tickets.
    let f = support::js(
        "name",
        "return new Promise((ok, err) => { const r = indexedDB.open(name); \
         r.onerror = () => err(r.error); r.onsuccess = () => { const db = r.result; \
         const tx = db.transaction('search', 'readwrite'); \
         tx.objectStore('search').put(new Uint8Array([1, 200, 7]), 'snapshot'); \
         tx.oncomplete = () => { db.close(); ok(); }; tx.onabort = () => err(tx.error); }; })",
    );
    support::call(&f, &[name.as_str().into()]).await;
    let c = IdbStore::open(&name).await.unwrap();
    assert_eq!(c.count(&find("impresora"), at(5)).await.unwrap(), 2);
    assert_eq!(c.count(&find("escaner"), at(5)).await.unwrap(), 1);
    drop((b, c));
    a.delete().await.unwrap();
}

/// A read of more rows than one decoding slice (the store gives the browser a turn between
/// slices) still returns every row once, in order: a status view read whole in an order no index
/// follows, and a text query matching every ticket.
#[wasm_bindgen_test]
async fn reads_larger_than_a_decoding_slice_return_every_row_once() {
    const TICKETS: u32 = 4_500;
    let store = IdbStore::open(&fresh_name()).await.unwrap();
    let mut batch = Vec::new();
    for n in 0..TICKETS {
        batch.extend(open_ticket(n, i64::from(n), &format!("Impresora {n}")));
    }
    append(&store, &batch).await;
    let now = at(i64::from(TICKETS) + 1);
    let whole = |filter: ViewFilter, sort: SortKey| PageRequest {
        filter,
        sort,
        offset: 0,
        limit: usize::MAX,
        now,
    };
    let new = ViewFilter {
        statuses: vec![Status::New],
        ..ViewFilter::default()
    };
    let page = store.page(&whole(new, SortKey::CreatedAsc)).await.unwrap();
    assert_eq!(page.total, TICKETS as usize);
    let subjects: Vec<String> = page.items.iter().map(|r| r.subject.clone()).collect();
    let expected: Vec<String> = (0..TICKETS).map(|n| format!("Impresora {n}")).collect();
    assert_eq!(subjects, expected, "every row once, oldest first");
    let text = ViewFilter {
        text: Some("impresora".into()),
        ..ViewFilter::default()
    };
    assert_eq!(store.count(&text, now).await.unwrap(), TICKETS as usize);
    let found = store
        .page(&whole(text, SortKey::CreatedDesc))
        .await
        .unwrap();
    let mut newest_first = expected;
    newest_first.reverse();
    assert_eq!(
        found
            .items
            .iter()
            .map(|r| r.subject.clone())
            .collect::<Vec<_>>(),
        newest_first
    );
    store.delete().await.unwrap();
}

/// A text query that matches many tickets finds its page from the view's index keys and a walk
/// in the sort's order; with a word every ticket has, each view, order and offset must give
/// exactly the page and total of the same view without the text (found without the search
/// index), ties in update time included.
#[wasm_bindgen_test]
async fn a_common_word_pages_every_view_like_the_view_itself() {
    use mostrador_core::model::{AgentId, Priority};
    use mostrador_core::store::AssigneeFilter;
    let store = IdbStore::open(&fresh_name()).await.unwrap();
    // Just over the number of hits from which the walk is used.
    let events = support::mixed_tickets(1_100);
    append(&store, &events).await;
    let now = at(400);
    let views = [
        ViewFilter::default(),
        ViewFilter {
            statuses: vec![Status::Open],
            ..ViewFilter::default()
        },
        ViewFilter {
            statuses: vec![Status::New, Status::Answered],
            ..ViewFilter::default()
        },
        ViewFilter {
            assignee: AssigneeFilter::Agent(AgentId("ana".into())),
            ..ViewFilter::default()
        },
        ViewFilter {
            assignee: AssigneeFilter::Unassigned,
            statuses: vec![Status::New],
            ..ViewFilter::default()
        },
        ViewFilter {
            priorities: vec![Priority::Urgent, Priority::High],
            ..ViewFilter::default()
        },
        ViewFilter {
            sla_at_risk: true,
            ..ViewFilter::default()
        },
        ViewFilter {
            team: Some(mostrador_core::model::TeamId("nadie".into())),
            ..ViewFilter::default()
        },
    ];
    // Newest first, oldest first by another index, and an order no index follows.
    let sorts = [
        SortKey::UpdatedDesc,
        SortKey::CreatedAsc,
        SortKey::PriorityDesc,
    ];
    let mut nonempty = 0;
    for view in &views {
        let text = ViewFilter {
            text: Some("detalle".into()),
            ..view.clone()
        };
        let total = store.count(view, now).await.unwrap();
        assert_eq!(store.count(&text, now).await.unwrap(), total, "{view:?}");
        for sort in sorts {
            for offset in [0, total.saturating_sub(10)] {
                let req = |filter: ViewFilter| PageRequest {
                    filter,
                    sort,
                    offset,
                    limit: 50,
                    now,
                };
                let expected = store.page(&req(view.clone())).await.unwrap();
                nonempty += usize::from(!expected.items.is_empty());
                let found = store.page(&req(text.clone())).await.unwrap();
                assert_eq!(found, expected, "{view:?} {sort:?} from {offset}");
            }
        }
    }
    assert!(nonempty > 30, "the views hold rows ({nonempty} pages)");
    store.delete().await.unwrap();
}
