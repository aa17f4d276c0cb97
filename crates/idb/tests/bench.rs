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

// ---------------------------------------------------------------------------------------------
// Search at 100,000 tickets
// ---------------------------------------------------------------------------------------------

/// What a person types into the search box, keystroke by keystroke from the second letter (each
/// prefix is one query), in the three languages, plus a ticket code typed (added at run time).
const TYPED: &[&str] = &[
    "impresora",
    "factura duplicada",
    "password reset",
    "não funciona",
    "envío retraso",
    "refund card",
    "nota fiscal",
    "contraseña bloqueado",
    "tracking package",
    "sincronización",
];

/// Every prefix of `text` from 2 characters on (what a type-ahead box sends).
fn keystrokes(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    (2..=chars.len())
        .map(|n| chars[..n].iter().collect::<String>())
        .filter(|q| !q.ends_with(' '))
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The saved snapshot's size in bytes, read with plain JavaScript.
#[cfg(feature = "search-snapshot")]
async fn snapshot_bytes(name: &str) -> f64 {
    let db = js_open(name).await;
    let f = js(
        "db",
        "return new Promise((ok, err) => { const r = db.transaction('search').objectStore('search') \
         .get('snapshot'); r.onsuccess = () => { db.close(); ok(r.result ? r.result.byteLength : 0); }; \
         r.onerror = () => err(r.error); })",
    );
    call(&f, &[db]).await.as_f64().unwrap()
}

/// Results a type-ahead query returns (one page of the console's list).
const LIMIT: usize = 50;
/// Each query runs this many times in a row and its time is the mean, because the page's clock
/// is coarse (0.1 ms without cross-origin isolation).
const REPS: usize = 10;

/// The search the console runs over 100,000 tickets: the first text query after opening (the
/// index is built from the tickets on disk, or loaded), then type-ahead queries through our
/// index and, with the `js-references` feature, through FlexSearch and MiniSearch over the same
/// documents in the same page; the memory of each. Checks that planted tickets are found.
#[wasm_bindgen_test]
#[ignore]
async fn search_at_100k() {
    use mostrador_core::search::{DocKind, DocRef, Query, SearchIndex};
    use mostrador_core::store::index_ticket;
    const N: u32 = 100_000;
    /// Tickets written after the snapshot was saved, for the catch-up.
    const LATER: u32 = 1_000;
    let settings = Settings::default();
    let mut logs = support::search_tickets(N + LATER);
    let later: Vec<Event> = logs.split_off(N as usize).into_iter().flatten().collect();
    let tickets: Vec<mostrador_core::ticket::Ticket> = logs
        .iter()
        .map(|log| mostrador_core::apply::fold(log).expect("opened"))
        .collect();
    let planted: std::collections::BTreeSet<String> = (0..N)
        .filter(|i| i % support::PLANT_EVERY == 7)
        .map(|i| tickets[i as usize].id.0.clone())
        .collect();
    let events: Vec<Event> = logs.into_iter().flatten().collect();
    let name = fresh_name();
    {
        let store = IdbStore::open(&name).await.unwrap();
        let t0 = now_ms();
        for chunk in events.chunks(20_000) {
            store
                .append(chunk, Origin::Remote, &settings, at(0))
                .await
                .unwrap();
        }
        console_log!(
            "search: {N} tickets written in {:.1} s",
            (now_ms() - t0) / 1000.0
        );
    }
    drop(events);

    // (a) The console opens and runs its first text query: a view with a text filter.
    let text_page = |text: &str| PageRequest {
        filter: ViewFilter {
            text: Some(text.into()),
            ..ViewFilter::default()
        },
        sort: SortKey::UpdatedDesc,
        offset: 0,
        limit: 50,
        now: at(10_000),
    };
    let first_query = |what: &'static str, expected: std::collections::BTreeSet<String>| {
        let name = name.clone();
        let request = text_page(support::PLANTED);
        async move {
            let t0 = now_ms();
            let store = IdbStore::open(&name).await.unwrap();
            let page = store.page(&request).await.unwrap();
            let ms = now_ms() - t0;
            let found: std::collections::BTreeSet<String> =
                page.items.iter().map(|r| r.id.0.clone()).collect();
            assert_eq!(found, expected, "the first query finds the planted tickets");
            console_log!(
                "search first query at 100k{what}: {ms:.1} ms | goal 1000.0 ms | ratio {:.2}",
                ms / 1000.0
            );
            store
        }
    };
    #[cfg(not(feature = "search-snapshot"))]
    let store = first_query(" (open + build + query)", planted.clone()).await;
    #[cfg(feature = "search-snapshot")]
    let store = {
        let store = first_query(
            " without a snapshot (once: open + build + query)",
            planted.clone(),
        )
        .await;
        let t0 = now_ms();
        store.save_search_snapshot().await.unwrap();
        console_log!(
            "search snapshot saved at 100k (waited for): {:.1} ms, {:.1} MB",
            now_ms() - t0,
            snapshot_bytes(&name).await / 1e6
        );
        drop(store);
        first_query(" (open + load snapshot + query)", planted.clone()).await;
        // Another device's tickets arrive; the next console to open catches up.
        let writer = IdbStore::open(&name).await.unwrap();
        writer
            .append(&later, Origin::Remote, &settings, at(0))
            .await
            .unwrap();
        drop(writer);
        let mut expected = planted.clone();
        expected.extend(
            later
                .iter()
                .filter(|e| {
                    matches!(&e.payload, mostrador_core::event::Payload::TicketOpened(t)
                        if t.description.contains("Ornitorrinco"))
                })
                .map(|e| e.ticket.0.clone()),
        );
        assert_eq!(expected.len(), planted.len() + 1);
        first_query(
            ", 1,000 tickets newer than the snapshot (open + load + catch up + query)",
            expected,
        )
        .await
    };
    #[cfg(not(feature = "search-snapshot"))]
    drop(later);
    let t0 = now_ms();
    let page = store.page(&text_page("impresora")).await.unwrap();
    console_log!(
        "search second query at 100k (\"impresora\", {} tickets): {:.1} ms",
        page.total,
        now_ms() - t0
    );
    assert_eq!(page.items.len(), 50.min(page.total));
    // The same word in a view of its own (new tickets): the view's keys narrow the hits.
    let mut in_view = text_page("impresora");
    in_view.filter.statuses = vec![mostrador_core::model::Status::New];
    let t0 = now_ms();
    let viewed = store.page(&in_view).await.unwrap();
    console_log!(
        "search \"impresora\" in the new tickets' view at 100k ({} tickets): {:.1} ms",
        viewed.total,
        now_ms() - t0
    );
    assert!(viewed.total <= page.total);
    assert_eq!(viewed.items.len(), 50.min(viewed.total));
    let page = store.page(&text_page("Ornitorrinco AZU")).await.unwrap();
    assert_eq!(page.items.len(), 1, "two words, the last a prefix");
    assert_eq!(page.items[0].id, tickets[7].id);

    // (b) Type-ahead through our index, built from the same tickets in memory.
    // The page yields now and then (untimed): the test runner gives up on a page that does not
    // answer for 30 s.
    let mut index = SearchIndex::new();
    let mut build = 0.0;
    for chunk in tickets.chunks(10_000) {
        let t0 = now_ms();
        for t in chunk {
            index_ticket(&mut index, t);
        }
        build += now_ms() - t0;
        support::sleep(0).await;
    }
    let stats = index.stats();
    // What the text view's own query costs, in memory: every hit of a common word, ranked.
    let t0 = now_ms();
    let hits = index.search(
        &Query::new("impresora")
            .kind(DocKind::Ticket)
            .limit(usize::MAX),
    );
    console_log!(
        "search \"impresora\" in the index alone at 100k ({} hits, ranked): {:.1} ms",
        hits.len(),
        now_ms() - t0
    );
    let t0 = now_ms();
    let bytes = index.snapshot();
    let encode = now_ms() - t0;
    let t0 = now_ms();
    let back = SearchIndex::from_snapshot(&bytes).expect("a snapshot");
    let decode = now_ms() - t0;
    assert_eq!(back.stats(), stats);
    console_log!(
        "search index at 100k: {} docs, {} terms, {} postings; built in {build:.0} ms; \
         heap estimate {:.1} MB (read from a snapshot {:.1} MB); snapshot {:.1} MB, \
         encoded in {encode:.0} ms, decoded in {decode:.0} ms",
        stats.docs,
        stats.terms,
        stats.postings,
        index.heap_bytes() as f64 / 1e6,
        back.heap_bytes() as f64 / 1e6,
        bytes.len() as f64 / 1e6
    );
    drop((back, bytes));
    let code = tickets[4242].code.to_string().to_lowercase();
    let mut queries: Vec<String> = TYPED.iter().flat_map(|t| keystrokes(t)).collect();
    queries.extend(keystrokes(&code));
    let ours_query = |q: &str| index.search(&Query::new(q).kind(DocKind::Ticket).limit(LIMIT));
    // Correctness: planted words, a prefix of them, and the code.
    let ids = |q: &str| -> std::collections::BTreeSet<String> {
        ours_query(q)
            .into_iter()
            .map(|h| match h.doc {
                DocRef::Ticket(id) => id,
                DocRef::Article(id) => panic!("article {id}"),
            })
            .collect()
    };
    assert_eq!(ids("ornitorrinco"), planted);
    assert_eq!(ids("ORNITOR"), planted);
    assert_eq!(ids(&code), [tickets[4242].id.0.clone()].into());
    let mut ours = Vec::with_capacity(queries.len());
    let mut hits = 0usize;
    for q in &queries {
        let t0 = now_ms();
        for _ in 0..REPS {
            hits += ours_query(q).len();
        }
        ours.push((now_ms() - t0) / REPS as f64);
        support::sleep(0).await;
    }
    ours.sort_by(f64::total_cmp);
    let (p50, p95) = (percentile(&ours, 50.0), percentile(&ours, 95.0));
    console_log!(
        "search type-ahead at 100k, ours: {} queries, {} hits, p50 {p50:.3} ms, p95 {p95:.3} ms",
        queries.len(),
        hits / REPS
    );
    references(
        &tickets,
        &queries,
        &planted,
        (&code, &tickets[4242].id.0),
        (p50, p95, index.heap_bytes() as f64),
    )
    .await;
    drop(index);
    store.delete().await.unwrap();
}

#[cfg(not(feature = "js-references"))]
async fn references(
    _: &[mostrador_core::ticket::Ticket],
    _: &[String],
    _: &std::collections::BTreeSet<String>,
    _: (&str, &str),
    _: (f64, f64, f64),
) {
    console_log!("search references: skipped (build with the feature `js-references`)");
}

/// FlexSearch and MiniSearch over the same documents, built and queried in this page.
#[cfg(feature = "js-references")]
async fn references(
    tickets: &[mostrador_core::ticket::Ticket],
    queries: &[String],
    planted: &std::collections::BTreeSet<String>,
    (code, code_of): (&str, &str),
    (p50, p95, ours_bytes): (f64, f64, f64),
) {
    // The libraries' browser bundles, evaluated as global scripts: they define
    // `globalThis.FlexSearch` and `globalThis.MiniSearch`.
    for bundle in [
        include_str!("../../../tests/node_modules/flexsearch/dist/flexsearch.bundle.min.js"),
        include_str!("../../../tests/node_modules/minisearch/dist/umd/index.js"),
    ] {
        js("", bundle).call0(&JsValue::NULL).unwrap();
    }
    // The same text our index gets (`index_ticket`): title, tags, body.
    let docs: js_sys::Array = tickets
        .iter()
        .map(|t| {
            let mostrador_core::store::TicketText { tags, body } =
                mostrador_core::store::TicketText::of(t);
            let doc = js_sys::Object::new();
            for (k, v) in [("id", &t.id.0), ("title", &t.subject), ("body", &body)] {
                js_sys::Reflect::set(&doc, &k.into(), &JsValue::from_str(v)).unwrap();
            }
            js_sys::Reflect::set(&doc, &"tags".into(), &JsValue::from_str(&tags.join(" ")))
                .unwrap();
            JsValue::from(doc)
        })
        .collect();
    let queries: js_sys::Array = queries.iter().map(|q| JsValue::from_str(q)).collect();
    let checks: js_sys::Array = ["ornitorrinco", "ORNITOR", code]
        .iter()
        .map(|q| JsValue::from_str(q))
        .collect();
    let run = js("docs, queries, checks, limit, reps", REFERENCES);
    let out = call(
        &run,
        &[
            docs.into(),
            queries.into(),
            checks.into(),
            JsValue::from_f64(LIMIT as f64),
            JsValue::from_f64(REPS as f64),
        ],
    )
    .await;
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap();
    for engine in ["flexsearch", "minisearch"] {
        let r = get(&out, engine);
        let found: Vec<std::collections::BTreeSet<String>> =
            js_sys::Array::from(&get(&r, "checks"))
                .iter()
                .map(|ids| {
                    js_sys::Array::from(&ids)
                        .iter()
                        .map(|id| id.as_string().unwrap())
                        .collect()
                })
                .collect();
        assert_eq!(&found[0], planted, "{engine} finds the planted word");
        assert_eq!(&found[1], planted, "{engine} finds its prefix");
        assert!(found[2].contains(code_of), "{engine} finds the code");
        let f = |k: &str| get(&r, k).as_f64().unwrap();
        console_log!(
            "search index at 100k, {engine}: built in {:.0} ms; serialized {:.1} MB",
            f("build"),
            f("serialized") / 1e6
        );
        console_log!(
            "search type-ahead at 100k, {engine}: {} hits, p50 {:.3} ms, p95 {:.3} ms",
            f("hits"),
            f("p50"),
            f("p95")
        );
        for (what, ours, theirs) in [("p95", p95, f("p95")), ("p50", p50, f("p50"))] {
            console_log!(
                "search type-ahead {what} at 100k: ours {ours:.3} ms | {engine} {theirs:.3} ms | ratio {:.2}",
                ours / theirs
            );
        }
        console_log!(
            "search memory at 100k: ours {:.1} MB (estimate) | {engine} {:.1} MB (JS heap growth) | ratio {:.2}",
            ours_bytes / 1e6,
            f("heap") / 1e6,
            ours_bytes / f("heap")
        );
    }
}

/// Builds FlexSearch and MiniSearch over `docs` and times `queries` through each (the same
/// options as ours where the libraries have them: accents and case folded, AND of the words,
/// the last word a prefix, `limit` results).
#[cfg(feature = "js-references")]
const REFERENCES: &str = r#"
const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : NaN);
const pct = (sorted, p) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p / 100 * sorted.length))) - 1];
const fold = (s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
// The page yields between steps (untimed): the test runner gives up on a page that does not
// answer for 30 s.
const pause = () => new Promise((ok) => setTimeout(ok, 0));
const time = async (search) => {
  const times = []; let hits = 0;
  for (const q of queries) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) hits += search(q).length;
    times.push((performance.now() - t0) / reps);
    await pause();
  }
  times.sort((a, b) => a - b);
  return { hits: hits / reps, p50: pct(times, 50), p95: pct(times, 95) };
};
return (async () => {
  const out = {};
  {
    // One index over all of a ticket's text (FlexSearch's fastest set-up for AND queries over
    // every field), forward tokenizing for prefixes, the Normalize charset (case and accents).
    const h0 = heap();
    const index = new FlexSearch.Index({ tokenize: 'forward', encoder: FlexSearch.Charset.Normalize });
    let build = 0;
    for (let i = 0; i < docs.length; i += 10000) {
      const t0 = performance.now();
      for (const d of docs.slice(i, i + 10000)) index.add(d.id, d.title + ' ' + d.tags + ' ' + d.body);
      build += performance.now() - t0;
      await pause();
    }
    await new Promise((ok) => setTimeout(ok, 100));
    const grew = heap() - h0;
    let serialized = 0;
    try {
      await index.export((key, data) => { serialized += key.length + (data ? String(data).length : 0); });
    } catch (e) { serialized = NaN; }
    const search = (q) => index.search(q, { limit });
    out.flexsearch = { build, heap: grew, serialized, checks: checks.map(q => search(q).map(String)), ...(await time(search)) };
  }
  {
    const h0 = heap();
    const index = new MiniSearch({
      fields: ['title', 'tags', 'body'],
      processTerm: (t) => fold(t),
      searchOptions: { combineWith: 'AND', boost: { title: 3, tags: 2 },
                       prefix: (term, i, terms) => i === terms.length - 1 },
    });
    let build = 0;
    for (let i = 0; i < docs.length; i += 10000) {
      const t0 = performance.now();
      index.addAll(docs.slice(i, i + 10000));
      build += performance.now() - t0;
      await pause();
    }
    await new Promise((ok) => setTimeout(ok, 100));
    const grew = heap() - h0;
    // Its JSON can exceed the longest string the engine allows: then NaN.
    let serialized = NaN;
    try { serialized = JSON.stringify(index).length; } catch (e) {}
    const search = (q) => index.search(q).slice(0, limit);
    out.minisearch = { build, heap: grew, serialized, checks: checks.map(q => search(q).map(r => String(r.id))), ...(await time(search)) };
  }
  return out;
})();
"#;
