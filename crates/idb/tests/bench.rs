//! Speed against the physical limit: the store next to plain JavaScript IndexedDB loops, in one
//! run, in headless Chromium. A benchmark, not a timed test: it prints, it does not assert.
//! How to run it and the recorded figures: BENCHMARKS.md.
#![cfg(target_arch = "wasm32")]

mod support;

use mostrador_core::config::Settings;
use mostrador_core::event::Event;
use mostrador_core::model::{AgentId, Status};
use mostrador_core::store::{BuiltinView, Meta, Origin, PageRequest, SortKey, Store, ViewFilter};
use mostrador_core::sync::{Checkpoint, EngineConfig, Next, PullResponse, PulledEvent, SyncEngine};
use mostrador_idb::{IdbStore, migrations};
use support::{at, fresh_name};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(args: &str, body: &str) -> js_sys::Function {
    js_sys::Function::new_with_args(args, body)
}

fn now_ms() -> f64 {
    js("", "return performance.now()")
        .call0(&JsValue::NULL)
        .unwrap()
        .as_f64()
        .unwrap()
}

async fn call(f: &js_sys::Function, args: &[JsValue]) -> JsValue {
    let a: js_sys::Array = args.iter().collect();
    let p = f.apply(&JsValue::NULL, &a).unwrap();
    JsFuture::from(p.unchecked_into::<js_sys::Promise>())
        .await
        .unwrap()
}

/// Opens a database by name from JavaScript (a second, plain connection).
async fn js_open(name: &str) -> JsValue {
    let f = js(
        "name",
        "return new Promise((ok, err) => { const r = indexedDB.open(name); \
         r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); })",
    );
    call(&f, &[name.into()]).await
}

/// Puts `[store, record]` pairs in one transaction; resolves with the milliseconds taken.
const PUT_LOOP: &str = "return new Promise((ok, err) => { \
    const t0 = performance.now(); \
    const tx = db.transaction(['events', 'tickets', 'rows'], 'readwrite'); \
    const stores = {}; \
    for (const [s, rec] of records) (stores[s] ??= tx.objectStore(s)).put(rec); \
    tx.oncomplete = () => ok(performance.now() - t0); \
    tx.onabort = () => err(tx.error); \
    tx.commit(); })";

/// The first `n` rows of one status, newest first, parsed, plus the view's total.
const PAGE_CURSOR: &str = "return new Promise((ok, err) => { \
    const t0 = performance.now(); \
    const tx = db.transaction('rows'); \
    const idx = tx.objectStore('rows').index('status_updated'); \
    const range = IDBKeyRange.bound([status], [status, []]); \
    idx.count(range); \
    const out = []; \
    const req = idx.openCursor(range, 'prev'); \
    req.onsuccess = () => { const c = req.result; \
      if (c && out.length < n) { out.push(JSON.parse(c.value.json)); c.continue(); } }; \
    tx.oncomplete = () => ok(performance.now() - t0); \
    tx.onabort = () => err(tx.error); })";

/// Counts of every status through the index.
const COUNT_STATUSES: &str = "return new Promise((ok, err) => { \
    const t0 = performance.now(); \
    const tx = db.transaction('rows'); \
    const idx = tx.objectStore('rows').index('status_updated'); \
    for (const s of statuses) idx.count(IDBKeyRange.bound([s], [s, []])); \
    tx.oncomplete = () => ok(performance.now() - t0); \
    tx.onabort = () => err(tx.error); })";

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn report(what: &str, ours: f64, plain: f64) {
    console_log!(
        "{what:<44} store {ours:>9.1} ms | plain JS {plain:>9.1} ms | ratio {:.2}",
        ours / plain
    );
}

fn tickets_in(events: &[Event]) -> usize {
    events
        .iter()
        .map(|e| &e.ticket)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

#[wasm_bindgen_test]
#[ignore]
async fn bulk_write_10k_tickets() {
    let events = support::mixed_tickets(10_000);
    let settings = Settings::default();
    console_log!("{} tickets, {} events", tickets_in(&events), events.len());
    let records: JsValue = mostrador_idb::bench::records(&events, &settings, at(0))
        .unwrap()
        .into();
    // The same records as plain objects (what a JavaScript app would store), built untimed.
    let plain_objects = js(
        "records",
        "return records.map(([s, r]) => { const o = JSON.parse(r.json); \
         for (const k in r) if (k !== 'json') o[k] = r[k]; return [s, o]; })",
    )
    .call1(&JsValue::NULL, &records)
    .unwrap();

    let mut ours = Vec::new();
    let mut same = Vec::new();
    let mut objects = Vec::new();
    for _ in 0..3 {
        let store = IdbStore::open(&fresh_name()).await.unwrap();
        let t0 = now_ms();
        store
            .append(&events, Origin::Remote, &settings, at(0))
            .await
            .unwrap();
        ours.push(now_ms() - t0);
        store.delete().await.unwrap();

        for (records, out) in [(&records, &mut same), (&plain_objects, &mut objects)] {
            let name = fresh_name();
            migrations::open_at(&name, migrations::CURRENT)
                .await
                .unwrap()
                .close();
            let db = js_open(&name).await;
            let ms = call(&js("db, records", PUT_LOOP), &[db.clone(), records.clone()]).await;
            out.push(ms.as_f64().unwrap());
            db.unchecked_into::<web_sys::IdbDatabase>().close();
            mostrador_idb::delete_database(&name).await.unwrap();
        }
    }
    let ours = median(ours);
    report("bulk write 10k tickets (same records)", ours, median(same));
    report(
        "bulk write 10k tickets (plain objects)",
        ours,
        median(objects),
    );
}

async fn reads_at(tickets: u32) {
    let events = support::mixed_tickets(tickets);
    let settings = Settings::default();
    let store = IdbStore::open(&fresh_name()).await.unwrap();
    for chunk in events.chunks(20_000) {
        store
            .append(chunk, Origin::Remote, &settings, at(0))
            .await
            .unwrap();
    }
    let db = js_open(store.name()).await;
    let req = PageRequest {
        filter: ViewFilter {
            statuses: vec![Status::New],
            ..ViewFilter::default()
        },
        sort: SortKey::UpdatedDesc,
        offset: 0,
        limit: 50,
        now: at(10_000),
    };
    let (mut ours, mut plain) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let t0 = now_ms();
        let page = store.page(&req).await.unwrap();
        ours.push(now_ms() - t0);
        assert_eq!(page.items.len(), 50);
        let ms = call(
            &js("db, status, n", PAGE_CURSOR),
            &[db.clone(), "new".into(), JsValue::from_f64(50.0)],
        )
        .await;
        plain.push(ms.as_f64().unwrap());
    }
    report(
        &format!("first page of 50 (status new) at {tickets}"),
        median(ours),
        median(plain),
    );

    let statuses: js_sys::Array = Status::ALL
        .iter()
        .map(|s| JsValue::from_str(s.as_str()))
        .collect();
    let (mut ours, mut plain) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let t0 = now_ms();
        let mut total = 0;
        for s in Status::ALL {
            let f = ViewFilter {
                statuses: vec![s],
                ..ViewFilter::default()
            };
            total += store.count(&f, at(10_000)).await.unwrap();
        }
        ours.push(now_ms() - t0);
        assert_eq!(total, tickets as usize);
        let ms = call(
            &js("db, statuses", COUNT_STATUSES),
            &[db.clone(), statuses.clone().into()],
        )
        .await;
        plain.push(ms.as_f64().unwrap());
    }
    report(
        &format!("counts of all 7 statuses at {tickets}"),
        median(ours),
        median(plain),
    );
    builtin_views(&store, tickets).await;
    db.unchecked_into::<web_sys::IdbDatabase>().close();
    store.delete().await.unwrap();
}

/// The inbox as an agent sees it: the first page of each built-in view with its total, and the
/// sidebar's counts of all of them (store only; medians of 7 runs).
async fn builtin_views(store: &IdbStore, tickets: u32) {
    let me = AgentId("ana".into());
    for view in BuiltinView::ALL {
        let req = PageRequest {
            filter: view.filter(&me),
            sort: SortKey::UpdatedDesc,
            offset: 0,
            limit: 50,
            now: at(10_000),
        };
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..7 {
            let t0 = now_ms();
            let page = store.page(&req).await.unwrap();
            times.push(now_ms() - t0);
            assert_eq!(page.items.len(), page.total.min(50));
            total = page.total;
        }
        console_log!(
            "first page of 50 of {view:?} ({total} tickets) at {tickets}: {:.1} ms",
            median(times)
        );
    }
    let mut times = Vec::new();
    for _ in 0..7 {
        let t0 = now_ms();
        for view in BuiltinView::ALL {
            store.count(&view.filter(&me), at(10_000)).await.unwrap();
        }
        times.push(now_ms() - t0);
    }
    console_log!(
        "sidebar counts of the 5 built-in views at {tickets}: {:.1} ms",
        median(times)
    );
}

#[wasm_bindgen_test]
#[ignore]
async fn reads_at_10k() {
    reads_at(10_000).await;
}

#[wasm_bindgen_test]
#[ignore]
async fn reads_at_100k() {
    reads_at(100_000).await;
}

mostrador_core::meta_key!(
    /// Where the app keeps its pull cursor.
    CheckpointKey = "sync.checkpoint" => Checkpoint
);

/// A device catching up with a server: 100,000 events pulled in the sync engine's pages (the
/// server's JSON, parsed as the browser driver parses it) and applied as the app applies them
/// (the events into the store, then the checkpoint), timed per 10,000 events so that growth
/// with the size of the store shows. The pages are written before the clock starts: the
/// server's side is `crates/server/examples/sync_bench.rs`.
#[wasm_bindgen_test]
#[ignore]
async fn pull_and_apply_100k_events() {
    const TOTAL: usize = 100_000;
    const BLOCK: usize = 10_000;
    let mut events = support::mixed_tickets(38_500);
    assert!(events.len() >= TOTAL, "{} events", events.len());
    events.truncate(TOTAL);
    let config = EngineConfig::default();
    let limit = config.pull_limit as usize;
    let pages: Vec<String> = events
        .chunks(limit)
        .enumerate()
        .map(|(p, chunk)| {
            let first = (p * limit) as u64 + 1;
            let reply = PullResponse {
                events: chunk
                    .iter()
                    .enumerate()
                    .map(|(k, e)| PulledEvent {
                        seq: first + k as u64,
                        event: e.clone(),
                    })
                    .collect(),
                changes: Vec::new(),
                next: first + chunk.len() as u64 - 1,
                more: (p + 1) * limit < TOTAL,
            };
            serde_json::to_string(&reply).unwrap()
        })
        .collect();
    let bytes: usize = pages.iter().map(String::len).sum();
    console_log!(
        "sync catch-up: {TOTAL} events of {} tickets in {} pages of {limit}, {:.1} MB of JSON",
        tickets_in(&events),
        pages.len(),
        bytes as f64 / 1e6
    );
    drop(events);

    let store = IdbStore::open(&fresh_name()).await.unwrap();
    let settings = Settings::default();
    let mut engine = SyncEngine::new(Checkpoint::default(), config);
    let (mut applied, mut block_start, mut block_events) = (0usize, now_ms(), 0usize);
    let start = block_start;
    while let Next::Pull(req) = engine.poll(0, &[]) {
        let page = &pages[req.after as usize / limit];
        let reply: PullResponse = serde_json::from_str(page).unwrap();
        let got = engine.on_pull(reply);
        store
            .append(&got.events, Origin::Remote, &settings, at(100_000))
            .await
            .unwrap();
        store
            .set_meta::<CheckpointKey>(&got.checkpoint)
            .await
            .unwrap();
        applied += got.events.len();
        block_events += got.events.len();
        if block_events >= BLOCK {
            let ms = now_ms() - block_start;
            console_log!(
                "sync catch-up, events {:>6}–{:>6}: {ms:>8.1} ms ({:>6.0} events/s)",
                applied - block_events,
                applied,
                block_events as f64 / ms * 1000.0
            );
            (block_start, block_events) = (now_ms(), 0);
        }
    }
    let total_ms = now_ms() - start;
    assert_eq!(applied, TOTAL);
    assert_eq!(engine.checkpoint().cursor, TOTAL as u64);
    let stored = store
        .count(&ViewFilter::default(), at(100_000))
        .await
        .unwrap();
    console_log!(
        "sync catch-up, all {TOTAL} events: {total_ms:.0} ms ({:.0} events/s); {stored} tickets stored",
        TOTAL as f64 / total_ms * 1000.0
    );
    store.delete().await.unwrap();
}
