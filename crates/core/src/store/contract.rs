//! The behaviour every [`Store`] must have, as async functions over any store, and a macro that
//! turns them into tests. `MemoryStore` runs them natively; the IndexedDB store runs the same
//! functions in headless Chromium with a fresh database per test.
//!
//! ```ignore
//! // native
//! mostrador_core::store_contract_tests!(blocking test, futures::executor::block_on, async { MemoryStore::new() });
//! // browser
//! mostrador_core::store_contract_tests!(async wasm_bindgen_test, async { IdbStore::open(&fresh_name()).await.unwrap() });
//! ```

use chrono::DateTime;

use super::{
    AssigneeFilter, Meta, Notice, Origin, PageRequest, SortKey, Store, StoreError, ViewFilter,
};
use crate::command::{Command, NewTicket};
use crate::config::Settings;
use crate::ctx::Ctx;
use crate::decide::decide;
use crate::event::Event;
use crate::kb::{Article, ArticleId};
use crate::model::{
    Actor, AgentId, Channel, CustomerId, Impact, Priority, Requester, Status, TicketId, Timestamp,
    Urgency,
};
use crate::sla::{SlaConditions, SlaPolicy, SlaPolicyId, SlaTargets};
use crate::workspace::{Change, ChangePayload, Section};

/// Generates one test per contract function.
#[macro_export]
macro_rules! store_contract_tests {
    (@each [async $attr:path, $make:expr] $($name:ident),*) => {
        $(
            #[$attr]
            async fn $name() {
                let store = $make.await;
                $crate::store::contract::$name(&store).await;
            }
        )*
    };
    (@each [blocking $attr:path, $block_on:path, $make:expr] $($name:ident),*) => {
        $(
            #[$attr]
            fn $name() {
                $block_on(async {
                    let store = $make.await;
                    $crate::store::contract::$name(&store).await;
                });
            }
        )*
    };
    // The one list of contract functions; both modes above expand it.
    ($($mode:tt)*) => {
        $crate::store_contract_tests!(@each [$($mode)*]
            opened_ticket_reads_back_by_id_and_code, appending_twice_changes_nothing,
            a_conflicting_duplicate_refuses_the_whole_batch, arrival_order_does_not_matter,
            local_events_wait_in_the_outbox_until_acknowledged, views_filter_sort_and_page,
            text_search_folds_accents_and_matches_prefixes_and_codes,
            customers_see_only_their_own_tickets, settings_changes_move_sla_clocks,
            meta_and_articles_round_trip, all_events_come_back_in_log_order,
            an_erasure_removes_personal_data_from_the_stored_log,
            workspace_changes_are_kept_queued_and_folded_into_settings_and_articles,
            a_conflicting_workspace_change_refuses_the_whole_batch,
            counts_stay_exact_through_every_write,
            changes_are_announced_until_the_subscription_is_dropped,
            deflections_recorded_at_once_are_each_counted);
    };
}

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

/// A fixed instant `minutes` after the fixtures' epoch.
pub fn at(minutes: i64) -> Timestamp {
    DateTime::from_timestamp_millis(T0 + minutes * 60_000).expect("in range")
}

fn customer(n: u32) -> Actor {
    Actor::Customer(CustomerId(format!("customer-{n}")))
}

fn agent(name: &str) -> Actor {
    Actor::Agent(AgentId(name.into()))
}

/// Decides `command` on `state` as `actor` at minute `minute`, panicking on a domain error
/// (fixtures only issue legal commands).
fn run(
    ctx: &mut Ctx,
    state: Option<&crate::ticket::Ticket>,
    command: Command,
    actor: &Actor,
    minute: i64,
) -> Vec<Event> {
    ctx.now = at(minute);
    decide(state, &command, actor, &Settings::default().domain, ctx).expect("legal fixture command")
}

/// Opens a ticket from customer `n`.
fn open(ctx: &mut Ctx, n: u32, subject: &str, minute: i64) -> Vec<Event> {
    let requester = Requester {
        customer_id: Some(CustomerId(format!("customer-{n}"))),
        name: format!("Cliente {n}"),
        email: Some(format!("c{n}@example.com")),
        ..Requester::default()
    };
    let form = NewTicket::new(
        subject,
        "Detalle del problema.",
        requester,
        Channel::WebForm,
    );
    run(
        ctx,
        None,
        Command::Open(Box::new(form)),
        &customer(n),
        minute,
    )
}

async fn append<S: Store + ?Sized>(store: &S, events: &[Event]) {
    store
        .append(events, Origin::Local, &Settings::default(), at(0))
        .await
        .expect("append");
}

pub async fn opened_ticket_reads_back_by_id_and_code<S: Store + ?Sized>(store: &S) {
    let mut ctx = Ctx::seeded("dev-a", 1, at(0));
    let events = open(&mut ctx, 1, "La factura no llega", 0);
    let report = store
        .append(&events, Origin::Local, &Settings::default(), at(0))
        .await
        .unwrap();
    assert_eq!(report.added.len(), events.len());
    let id = events[0].ticket.clone();
    assert_eq!(report.touched, vec![id.clone()]);
    let t = store.ticket(&id).await.unwrap().expect("stored ticket");
    assert_eq!(t.subject, "La factura no llega");
    assert_eq!(t.status, Status::New);
    let by_code = store
        .ticket_by_code(&t.code)
        .await
        .unwrap()
        .expect("found by code");
    assert_eq!(by_code.id, id);
    assert_eq!(store.events_of(&id).await.unwrap(), events);
    assert!(
        store
            .ticket(&TicketId("missing".into()))
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn appending_twice_changes_nothing<S: Store + ?Sized>(store: &S) {
    let mut ctx = Ctx::seeded("dev-a", 2, at(0));
    let events = open(&mut ctx, 1, "Pedido incompleto", 0);
    append(store, &events).await;
    let again = store
        .append(&events, Origin::Remote, &Settings::default(), at(1))
        .await
        .unwrap();
    assert!(again.added.is_empty());
    assert_eq!(again.duplicates, events.len());
    assert_eq!(store.all_events().await.unwrap().len(), events.len());
}

pub async fn a_conflicting_duplicate_refuses_the_whole_batch<S: Store + ?Sized>(store: &S) {
    let mut ctx = Ctx::seeded("dev-a", 3, at(0));
    let first = open(&mut ctx, 1, "Primero", 0);
    append(store, &first).await;
    let second = open(&mut ctx, 2, "Segundo", 1);
    let mut tampered = first[0].clone();
    tampered.actor = customer(9);
    let mut batch = second.clone();
    batch.push(tampered);
    let err = store
        .append(&batch, Origin::Remote, &Settings::default(), at(2))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(
        store.ticket(&second[0].ticket).await.unwrap().is_none(),
        "nothing half-written"
    );
    assert_eq!(store.all_events().await.unwrap().len(), first.len());
}

pub async fn arrival_order_does_not_matter<S: Store + ?Sized>(store: &S) {
    let mut ctx = Ctx::seeded("dev-a", 4, at(0));
    let mut log = open(&mut ctx, 1, "No puedo entrar", 0);
    let t = crate::apply::fold(&log).unwrap();
    log.extend(run(
        &mut ctx,
        Some(&t),
        Command::Reply {
            body: "¿Qué error ve?".into(),
            attachments: vec![],
        },
        &agent("ana"),
        5,
    ));
    let t = crate::apply::fold(&log).unwrap();
    log.extend(run(
        &mut ctx,
        Some(&t),
        Command::Reply {
            body: "Dice 403".into(),
            attachments: vec![],
        },
        &customer(1),
        9,
    ));
    let expected = crate::apply::fold(&log).unwrap();
    // Deliver newest first, one by one, as a flaky sync might.
    for e in log.iter().rev() {
        store
            .append(
                std::slice::from_ref(e),
                Origin::Remote,
                &Settings::default(),
                at(10),
            )
            .await
            .unwrap();
    }
    let stored = store.ticket(&expected.id).await.unwrap().unwrap();
    assert_eq!(stored, expected);
    assert_eq!(stored.status, Status::Open);
}

pub async fn local_events_wait_in_the_outbox_until_acknowledged<S: Store + ?Sized>(store: &S) {
    let mut ctx = Ctx::seeded("dev-a", 5, at(0));
    let local = open(&mut ctx, 1, "Local", 0);
    let remote = open(&mut ctx, 2, "Remoto", 1);
    append(store, &local).await;
    store
        .append(&remote, Origin::Remote, &Settings::default(), at(1))
        .await
        .unwrap();
    let pending = store.outbox(100).await.unwrap();
    assert_eq!(pending, local);
    assert_eq!(store.outbox(0).await.unwrap(), vec![]);
    let ids: Vec<_> = local.iter().map(|e| e.id.clone()).collect();
    store.acknowledge(&ids).await.unwrap();
    assert!(store.outbox(100).await.unwrap().is_empty());
}

pub async fn views_filter_sort_and_page<S: Store + ?Sized>(store: &S) {
    let mut ctx = Ctx::seeded("dev-a", 6, at(0));
    let mut ids = Vec::new();
    for i in 0..7 {
        let events = open(&mut ctx, i, &format!("Ticket {i}"), i64::from(i));
        ids.push(events[0].ticket.clone());
        append(store, &events).await;
    }
    // Ticket 0 urgent and assigned to ana; ticket 1 answered by bob.
    let t0 = store.ticket(&ids[0]).await.unwrap().unwrap();
    let mut e = run(
        &mut ctx,
        Some(&t0),
        Command::SetPriority {
            impact: Impact::High,
            urgency: Urgency::High,
        },
        &agent("ana"),
        10,
    );
    let t0b = crate::apply::fold(store.events_of(&ids[0]).await.unwrap().iter().chain(&e)).unwrap();
    e.extend(run(
        &mut ctx,
        Some(&t0b),
        Command::Assign {
            agent: Some(AgentId("ana".into())),
            team: None,
        },
        &agent("ana"),
        11,
    ));
    append(store, &e).await;
    let t1 = store.ticket(&ids[1]).await.unwrap().unwrap();
    let e = run(
        &mut ctx,
        Some(&t1),
        Command::Reply {
            body: "Hola".into(),
            attachments: vec![],
        },
        &agent("bob"),
        12,
    );
    append(store, &e).await;

    let now = at(20);
    let all = PageRequest {
        filter: ViewFilter::default(),
        sort: SortKey::CreatedAsc,
        offset: 0,
        limit: 3,
        now,
    };
    let p1 = store.page(&all).await.unwrap();
    assert_eq!(p1.total, 7);
    assert_eq!(
        p1.items.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        ids[0..3].to_vec()
    );
    let p3 = store
        .page(&PageRequest {
            offset: 6,
            ..all.clone()
        })
        .await
        .unwrap();
    assert_eq!(p3.items.len(), 1);
    assert_eq!(p3.items[0].id, ids[6]);

    let urgent = ViewFilter {
        priorities: vec![Priority::Urgent],
        ..ViewFilter::default()
    };
    assert_eq!(store.count(&urgent, now).await.unwrap(), 1);
    let mine = ViewFilter {
        assignee: AssigneeFilter::Agent(AgentId("ana".into())),
        ..ViewFilter::default()
    };
    let page = store
        .page(&PageRequest {
            filter: mine,
            ..all.clone()
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, ids[0]);
    let unassigned = ViewFilter {
        assignee: AssigneeFilter::Unassigned,
        ..ViewFilter::default()
    };
    assert_eq!(store.count(&unassigned, now).await.unwrap(), 6);
    let answered = ViewFilter {
        statuses: vec![Status::Answered],
        ..ViewFilter::default()
    };
    assert_eq!(
        store
            .page(&PageRequest {
                filter: answered,
                ..all.clone()
            })
            .await
            .unwrap()
            .items[0]
            .id,
        ids[1]
    );
    let newest = store
        .page(&PageRequest {
            sort: SortKey::UpdatedDesc,
            limit: 1,
            ..all
        })
        .await
        .unwrap();
    assert_eq!(
        newest.items[0].id, ids[1],
        "the last reply makes it the most recently updated"
    );
}

pub async fn text_search_folds_accents_and_matches_prefixes_and_codes<S: Store + ?Sized>(
    store: &S,
) {
    let mut ctx = Ctx::seeded("dev-a", 7, at(0));
    let a = open(&mut ctx, 1, "Facturación duplicada", 0);
    let b = open(&mut ctx, 2, "Envío retrasado", 1);
    append(store, &a).await;
    append(store, &b).await;
    let now = at(5);
    let find = |text: &str| ViewFilter {
        text: Some(text.into()),
        ..ViewFilter::default()
    };
    let req = |f| PageRequest {
        filter: f,
        sort: SortKey::CreatedAsc,
        offset: 0,
        limit: 10,
        now,
    };
    let hits = store.page(&req(find("facturacion"))).await.unwrap();
    assert_eq!(
        hits.items.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        vec![a[0].ticket.clone()]
    );
    assert_eq!(
        store.page(&req(find("ENVI"))).await.unwrap().items[0].id,
        b[0].ticket
    );
    let code = store
        .ticket(&b[0].ticket)
        .await
        .unwrap()
        .unwrap()
        .code
        .to_string();
    assert_eq!(
        store.page(&req(find(&code))).await.unwrap().items[0].id,
        b[0].ticket
    );
    assert_eq!(store.count(&find("inexistente"), now).await.unwrap(), 0);
}

pub async fn customers_see_only_their_own_tickets<S: Store + ?Sized>(store: &S) {
    let mut ctx = Ctx::seeded("dev-a", 8, at(0));
    append(store, &open(&mut ctx, 1, "Uno", 0)).await;
    append(store, &open(&mut ctx, 2, "Dos", 1)).await;
    append(store, &open(&mut ctx, 1, "Tres", 2)).await;
    let mine = store
        .customer_tickets(&CustomerId("customer-1".into()))
        .await
        .unwrap();
    assert_eq!(
        mine.iter().map(|r| r.subject.as_str()).collect::<Vec<_>>(),
        vec!["Tres", "Uno"]
    );
    assert!(
        store
            .customer_tickets(&CustomerId("nobody".into()))
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn settings_changes_move_sla_clocks<S: Store + ?Sized>(store: &S) {
    let mut ctx = Ctx::seeded("dev-a", 9, at(0));
    let events = open(&mut ctx, 1, "Sin SLA aún", 0);
    append(store, &events).await;
    assert_eq!(store.settings().await.unwrap(), None);
    let mut settings = Settings::default();
    settings.sla.policies.push(SlaPolicy {
        id: SlaPolicyId("all".into()),
        name: "Everyone".into(),
        conditions: SlaConditions::default(),
        targets: SlaTargets {
            first_response: Some(60),
            next_response: None,
            resolution: None,
        },
        calendar: settings.sla.calendars[0].id.clone(),
        at_risk_threshold: None,
        on_reopen: Default::default(),
        escalations: vec![],
    });
    store.save_settings(&settings, at(1)).await.unwrap();
    assert_eq!(store.settings().await.unwrap(), Some(settings));
    let page = store
        .page(&PageRequest {
            filter: ViewFilter::default(),
            sort: SortKey::SlaDueAsc,
            offset: 0,
            limit: 1,
            now: at(1),
        })
        .await
        .unwrap();
    assert_eq!(
        page.items[0].sla_due,
        Some(at(60)),
        "first response due an hour after opening"
    );
    let at_risk = ViewFilter {
        sla_at_risk: true,
        ..ViewFilter::default()
    };
    assert_eq!(store.count(&at_risk, at(10)).await.unwrap(), 0);
    assert_eq!(store.count(&at_risk, at(61)).await.unwrap(), 1);
}

crate::meta_key!(
    /// A key the contract writes: any JSON.
    Cursor = "cursor" => serde_json::Value
);
crate::meta_key!(
    /// The same stored string read as a typed value.
    Seq = "cursor" => SeqValue
);

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SeqValue {
    seq: u64,
}

crate::meta_key!(
    /// A key whose stored value is not what it declares.
    Flag = "cursor" => bool
);

pub async fn meta_and_articles_round_trip<S: Store + ?Sized>(store: &S) {
    assert_eq!(store.meta::<Cursor>().await.unwrap(), None);
    store
        .set_meta::<Cursor>(&serde_json::json!({"seq": 42}))
        .await
        .unwrap();
    assert_eq!(
        store.meta::<Cursor>().await.unwrap(),
        Some(serde_json::json!({"seq": 42}))
    );
    assert_eq!(
        store.meta::<Seq>().await.unwrap(),
        Some(SeqValue { seq: 42 }),
        "typed keys read the JSON kept under their string"
    );
    assert!(matches!(
        store.meta::<Flag>().await,
        Err(StoreError::Corrupt(_))
    ));
    assert_eq!(
        store.meta_json("cursor").await.unwrap(),
        Some(serde_json::json!({"seq": 42})),
        "stored under the key's string, as JSON"
    );
    let mut article = Article {
        id: ArticleId("a1".into()),
        slug: "cambiar-contrasena".into(),
        title: "Cambiar la contraseña".into(),
        body: "Vaya a **Cuenta**.".into(),
        tags: vec!["cuenta".into()],
        locale: "es".into(),
        published: false,
        created_at: at(0),
        updated_at: at(0),
        version: 1,
    };
    store.save_article(&article).await.unwrap();
    article.published = true;
    article.version = 2;
    store.save_article(&article).await.unwrap();
    assert_eq!(store.articles().await.unwrap(), vec![article]);
}

pub async fn all_events_come_back_in_log_order<S: Store + ?Sized>(store: &S) {
    let mut a = Ctx::seeded("dev-a", 10, at(0));
    let mut b = Ctx::seeded("dev-b", 11, at(0));
    let mut log = open(&mut a, 1, "A", 3);
    log.extend(open(&mut b, 2, "B", 1));
    log.extend(open(&mut a, 3, "C", 2));
    for e in log.iter().rev() {
        store
            .append(
                std::slice::from_ref(e),
                Origin::Remote,
                &Settings::default(),
                at(5),
            )
            .await
            .unwrap();
    }
    let mut expected = log.clone();
    expected.sort_by(Event::log_order);
    assert_eq!(store.all_events().await.unwrap(), expected);
}

/// Personal text a store must not keep after an erasure.
fn holds_personal_data(events: &[Event]) -> bool {
    let text = serde_json::to_string(events).expect("events serialize");
    [
        "Cliente 1",
        "c1@example.com",
        "Mi DNI",
        "Detalle del problema",
        "Borrar mis datos",
    ]
    .iter()
    .any(|s| text.contains(s))
}

pub async fn an_erasure_removes_personal_data_from_the_stored_log<S: Store + ?Sized>(store: &S) {
    let mut ctx = Ctx::seeded("dev-a", 12, at(0));
    let mut log = open(&mut ctx, 1, "Borrar mis datos", 0);
    let t = crate::apply::fold(&log).unwrap();
    let late = run(
        &mut ctx,
        Some(&t),
        Command::Reply {
            body: "Mi DNI es 12345678Z".into(),
            attachments: vec![],
        },
        &customer(1),
        2,
    );
    log.extend(late.iter().cloned());
    let t = crate::apply::fold(&log).unwrap();
    let erasure = run(
        &mut ctx,
        Some(&t),
        Command::Privacy {
            request: crate::privacy::PrivacyRequest::Erasure,
        },
        &agent("ana"),
        5,
    );
    let id = t.id.clone();
    // The opening and the erasure arrive; the customer's reply (written before the erasure)
    // arrives afterwards, as from a device that was offline.
    append(store, &log[..log.len() - late.len()]).await;
    append(store, &erasure).await;
    let stored = store.events_of(&id).await.unwrap();
    assert!(
        !holds_personal_data(&stored),
        "opening redacted in the log: {stored:?}"
    );
    store
        .append(&late, Origin::Remote, &Settings::default(), at(6))
        .await
        .unwrap();
    let all = store.all_events().await.unwrap();
    assert_eq!(all.len(), log.len() + erasure.len());
    assert!(
        !holds_personal_data(&all),
        "late reply redacted too: {all:?}"
    );
    assert!(!holds_personal_data(&store.outbox(100).await.unwrap()));
    // Copies from before the erasure (an old export, a device's outbox) are duplicates: they
    // neither conflict nor bring the text back.
    let again = store
        .append(&log, Origin::Remote, &Settings::default(), at(7))
        .await
        .unwrap();
    assert!(again.added.is_empty());
    assert_eq!(again.duplicates, log.len());
    assert!(!holds_personal_data(&store.all_events().await.unwrap()));
    let t = store.ticket(&id).await.unwrap().unwrap();
    assert_eq!(t.subject, t.code.to_string());
    assert_eq!(t.thread.len(), 1, "who wrote when stays for the KPIs");
    assert_eq!(
        store
            .customer_tickets(&CustomerId("customer-1".into()))
            .await
            .unwrap()
            .len(),
        0
    );
}

fn workspace_change(id: &str, minute: i64, node: &str, payload: ChangePayload) -> Change {
    Change {
        id: crate::event::EventId(id.into()),
        hlc: crate::hlc::Hlc {
            wall_ms: at(minute).timestamp_millis(),
            counter: 0,
            node: crate::hlc::NodeId(node.into()),
        },
        actor: agent("ana"),
        payload,
    }
}

fn categories(names: &[&str]) -> ChangePayload {
    ChangePayload::Settings {
        section: Section::Categories(names.iter().map(|s| s.to_string()).collect()),
    }
}

pub async fn workspace_changes_are_kept_queued_and_folded_into_settings_and_articles<
    S: Store + ?Sized,
>(
    store: &S,
) {
    // Settings kept before they were synced: sections no change sets stay as they are.
    let mut before = Settings::default();
    before.profile.name = "Tienda".into();
    store.save_settings(&before, at(0)).await.unwrap();
    let later = workspace_change("w2", 5, "b", categories(&["Envíos"]));
    let earlier = workspace_change("w1", 1, "a", categories(&["Facturación"]));
    let article = Article {
        id: ArticleId("k1".into()),
        slug: "envios".into(),
        title: "Envíos".into(),
        body: "Tardan **2 días**.".into(),
        tags: Vec::new(),
        locale: "es".into(),
        published: true,
        created_at: at(0),
        updated_at: at(0),
        version: 1,
    };
    let saved = workspace_change(
        "w3",
        2,
        "a",
        ChangePayload::Article {
            article: article.clone(),
        },
    );
    let added = store
        .append_changes(&[later.clone(), saved.clone()], Origin::Remote)
        .await
        .unwrap();
    assert_eq!(added.len(), 2);
    let added = store
        .append_changes(&[earlier.clone(), later.clone()], Origin::Local)
        .await
        .unwrap();
    assert_eq!(
        added,
        vec![earlier.id.clone()],
        "the known change is skipped"
    );
    assert_eq!(
        store.changes().await.unwrap(),
        vec![earlier.clone(), saved, later.clone()],
        "log order"
    );
    assert_eq!(store.change_outbox().await.unwrap(), vec![earlier.clone()]);
    let ws = super::refresh_workspace(store, at(6)).await.unwrap();
    let settings = store.settings().await.unwrap().unwrap();
    assert_eq!(
        settings.categories,
        vec!["Envíos".to_string()],
        "later wins"
    );
    assert_eq!(settings.profile.name, "Tienda", "unset sections are kept");
    assert_eq!(ws.settings, settings);
    assert_eq!(store.articles().await.unwrap(), vec![article]);
    store
        .acknowledge(std::slice::from_ref(&earlier.id))
        .await
        .unwrap();
    assert_eq!(store.change_outbox().await.unwrap(), Vec::<Change>::new());
    assert_eq!(
        store.changes().await.unwrap().len(),
        3,
        "acknowledged is kept"
    );
}

pub async fn a_conflicting_workspace_change_refuses_the_whole_batch<S: Store + ?Sized>(store: &S) {
    let first = workspace_change("w1", 1, "a", categories(&["A"]));
    store
        .append_changes(std::slice::from_ref(&first), Origin::Remote)
        .await
        .unwrap();
    let other = workspace_change("w2", 2, "a", categories(&["B"]));
    let forged = workspace_change("w1", 1, "a", categories(&["Forged"]));
    let err = store
        .append_changes(&[other, forged], Origin::Local)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(store.changes().await.unwrap(), vec![first]);
    assert_eq!(store.change_outbox().await.unwrap(), Vec::<Change>::new());
}

/// Every count a store gives (from counters, where it keeps them) equals the count of walking
/// the tickets folded from its own log, after each of a mixed sequence of writes: local and
/// remote appends, duplicates, events arriving out of order (a refold), status, assignee and
/// priority changes, and an erasure.
pub async fn counts_stay_exact_through_every_write<S: Store + ?Sized>(store: &S) {
    let settings = Settings::default();
    let ana = AgentId("ana".into());
    let luis = AgentId("luis".into());
    let mut filters: Vec<ViewFilter> = Vec::new();
    for me in [&ana, &luis] {
        filters.extend(super::BuiltinView::ALL.iter().map(|v| v.filter(me)));
    }
    for s in Status::ALL {
        filters.push(ViewFilter {
            statuses: vec![s],
            ..ViewFilter::default()
        });
    }
    for p in Priority::ALL {
        filters.push(ViewFilter {
            priorities: vec![p],
            ..ViewFilter::default()
        });
    }
    filters.push(ViewFilter {
        statuses: vec![Status::New, Status::Open],
        assignee: AssigneeFilter::Agent(luis.clone()),
        ..ViewFilter::default()
    });
    filters.push(ViewFilter {
        statuses: vec![Status::Resolved, Status::Closed],
        priorities: vec![Priority::High, Priority::Urgent, Priority::Low],
        ..ViewFilter::default()
    });
    check_counts(store, &filters, "empty").await;

    let mut ctx = Ctx::seeded("dev-a", 31, at(0));
    let mut logs: Vec<Vec<Event>> = (0..6)
        .map(|n| open(&mut ctx, n, &format!("Pedido {n}"), i64::from(n)))
        .collect();
    for log in &logs[..4] {
        append(store, log).await;
    }
    check_counts(store, &filters, "opened").await;

    // One device works on the tickets; its events arrive in several ways.
    let step = |log: &mut Vec<Event>, ctx: &mut Ctx, command: Command, actor: &Actor, minute| {
        let t = crate::apply::fold(log.iter()).expect("opened");
        let new = run(ctx, Some(&t), command, actor, minute);
        log.extend(new.iter().cloned());
        new
    };
    let assign = |a: &AgentId| Command::Assign {
        agent: Some(a.clone()),
        team: None,
    };
    let reply = || Command::Reply {
        body: "Lo miramos".into(),
        attachments: vec![],
    };
    let a = step(&mut logs[0], &mut ctx, assign(&ana), &agent("ana"), 10);
    append(store, &a).await;
    let b = step(&mut logs[1], &mut ctx, assign(&luis), &agent("luis"), 11);
    store
        .append(&b, Origin::Remote, &settings, at(11))
        .await
        .unwrap();
    check_counts(store, &filters, "assigned").await;
    let c = step(&mut logs[0], &mut ctx, reply(), &agent("ana"), 12);
    let d = step(
        &mut logs[1],
        &mut ctx,
        Command::SetPriority {
            impact: Impact::High,
            urgency: Urgency::High,
        },
        &agent("luis"),
        13,
    );
    let e = step(&mut logs[2], &mut ctx, Command::Resolve, &agent("ana"), 14);
    let mut batch: Vec<Event> = c.iter().chain(&d).chain(&e).cloned().collect();
    append(store, &batch).await;
    check_counts(store, &filters, "answered, re-prioritised, resolved").await;
    // The same batch again, and a batch mixing known and new events.
    append(store, &batch).await;
    let f = step(&mut logs[2], &mut ctx, Command::Reopen, &customer(2), 15);
    batch.extend(f.iter().cloned());
    store
        .append(&batch, Origin::Remote, &settings, at(15))
        .await
        .unwrap();
    check_counts(store, &filters, "duplicates").await;

    // Tickets 4 and 5 from another device, newest events first: the late opening refolds.
    let g = step(&mut logs[4], &mut ctx, assign(&luis), &agent("luis"), 16);
    let h = step(&mut logs[4], &mut ctx, Command::Resolve, &agent("luis"), 17);
    for part in [&h, &g] {
        store
            .append(part, Origin::Remote, &settings, at(17))
            .await
            .unwrap();
    }
    check_counts(store, &filters, "events before their opening").await;
    store
        .append(&logs[4][..1], Origin::Remote, &settings, at(18))
        .await
        .unwrap();
    let late: Vec<Event> = logs[5].clone();
    let i = step(&mut logs[5], &mut ctx, assign(&ana), &agent("ana"), 19);
    store
        .append(&i, Origin::Remote, &settings, at(19))
        .await
        .unwrap();
    store
        .append(&late, Origin::Remote, &settings, at(20))
        .await
        .unwrap();
    check_counts(store, &filters, "late openings").await;

    // An erasure, then a reply written before it arriving late.
    let j = step(&mut logs[3], &mut ctx, reply(), &customer(3), 21);
    let k = step(
        &mut logs[3],
        &mut ctx,
        Command::Privacy {
            request: crate::privacy::PrivacyRequest::Erasure,
        },
        &agent("ana"),
        22,
    );
    append(store, &k).await;
    check_counts(store, &filters, "erased").await;
    store
        .append(&j, Origin::Remote, &settings, at(23))
        .await
        .unwrap();
    store
        .append(&logs[3], Origin::Remote, &settings, at(23))
        .await
        .unwrap();
    check_counts(store, &filters, "erased, then late").await;

    // Settings rewrite every row; counts stay.
    store.save_settings(&settings, at(24)).await.unwrap();
    check_counts(store, &filters, "settings saved").await;
}

async fn check_counts<S: Store + ?Sized>(store: &S, filters: &[ViewFilter], step: &str) {
    let now = at(10_000);
    let tickets = crate::apply::fold_all(&store.all_events().await.unwrap());
    let rows: Vec<_> = tickets
        .values()
        .map(|t| super::TicketSummary::of(t, &Settings::default(), &crate::zone::UtcOnly, now))
        .collect();
    for f in filters {
        let walked = rows.iter().filter(|r| f.matches(r, now)).count();
        assert_eq!(store.count(f, now).await.unwrap(), walked, "{step}: {f:?}");
        let page = store
            .page(&PageRequest {
                filter: f.clone(),
                sort: SortKey::UpdatedDesc,
                offset: 0,
                limit: 2,
                now,
            })
            .await
            .unwrap();
        assert_eq!(page.total, walked, "{step}: page total of {f:?}");
        let request = PageRequest {
            filter: f.clone(),
            sort: SortKey::UpdatedDesc,
            offset: 0,
            limit: 2,
            now,
        };
        let ids = |p: &super::Page| p.items.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(&page),
            ids(&super::page_of(rows.iter(), &request)),
            "{step}: page of {f:?}"
        );
    }
}

pub async fn changes_are_announced_until_the_subscription_is_dropped<S: Store + ?Sized>(store: &S) {
    use std::cell::RefCell;
    use std::rc::Rc;
    let seen: Rc<RefCell<Vec<Notice>>> = Rc::default();
    let s = seen.clone();
    let subscription = store.subscribe(Box::new(move |n| s.borrow_mut().push(n.clone())));
    let take = || std::mem::take(&mut *seen.borrow_mut());

    let mut ctx = Ctx::seeded("dev", 40, at(0));
    let events = open(&mut ctx, 1, "Avisos", 1);
    append(store, &events).await;
    assert_eq!(
        take(),
        vec![Notice::Tickets {
            touched: vec![events[0].ticket.clone()]
        }],
        "an append is announced before it returns, with the tickets it touched"
    );
    append(store, &events).await;
    assert_eq!(
        take(),
        vec![],
        "an append that adds nothing is not announced"
    );

    store
        .save_settings(&Settings::default(), at(1))
        .await
        .unwrap();
    assert_eq!(take(), vec![Notice::Settings]);
    let article = Article {
        id: ArticleId("n1".into()),
        slug: "avisos".into(),
        title: "Avisos".into(),
        body: "Texto.".into(),
        tags: Vec::new(),
        locale: "es".into(),
        published: true,
        created_at: at(0),
        updated_at: at(0),
        version: 1,
    };
    store.save_article(&article).await.unwrap();
    assert_eq!(take(), vec![Notice::Articles]);
    let change = workspace_change("n-w1", 2, "a", categories(&["Avisos"]));
    store
        .append_changes(std::slice::from_ref(&change), Origin::Local)
        .await
        .unwrap();
    assert_eq!(take(), vec![Notice::Workspace]);
    store
        .append_changes(std::slice::from_ref(&change), Origin::Local)
        .await
        .unwrap();
    assert_eq!(take(), vec![], "a known workspace change is not announced");
    store
        .set_meta_json("n.key", serde_json::json!(1))
        .await
        .unwrap();
    assert_eq!(take(), vec![], "metadata is not announced");

    // Two subscribers both hear; dropping one leaves the other.
    let other: Rc<RefCell<usize>> = Rc::default();
    let o = other.clone();
    let second = store.subscribe(Box::new(move |_| *o.borrow_mut() += 1));
    store
        .save_settings(&Settings::default(), at(3))
        .await
        .unwrap();
    assert_eq!(take(), vec![Notice::Settings]);
    assert_eq!(*other.borrow(), 1);
    drop(subscription);
    let more = open(&mut ctx, 2, "Después", 1);
    append(store, &more).await;
    assert_eq!(take(), vec![], "a dropped subscription hears nothing");
    assert_eq!(*other.borrow(), 2);
    drop(second);
    store
        .save_settings(&Settings::default(), at(4))
        .await
        .unwrap();
    assert_eq!(*other.borrow(), 2);
}

/// Deflection records as two devices (or tabs) would record them: each is its own workspace
/// change, so recording never reads what is stored first and none can be lost.
pub fn deflection_records(node: &str, n: usize) -> Vec<Change> {
    (0..n)
        .map(|i| Change {
            id: crate::event::EventId(format!("d-{node}-{i}")),
            hlc: crate::hlc::Hlc {
                wall_ms: at(i as i64).timestamp_millis(),
                counter: 0,
                node: crate::hlc::NodeId(node.into()),
            },
            actor: customer(1),
            payload: ChangePayload::Deflection {
                deflection: crate::kb::Deflection {
                    article_id: ArticleId(format!("art-{}", i % 3)),
                    at: at(i as i64),
                    outcome: if i % 2 == 0 {
                        crate::kb::DeflectionOutcome::Viewed
                    } else {
                        crate::kb::DeflectionOutcome::Helpful
                    },
                },
            },
        })
        .collect()
}

/// How many deflections the store's workspace changes hold.
pub async fn deflection_total<S: Store + ?Sized>(store: &S) -> u32 {
    let ws = crate::workspace::fold(&store.changes().await.unwrap());
    crate::kb::deflection_stats(&ws.deflections)
        .values()
        .map(|c| c.viewed + c.helpful + c.not_helpful + c.ticket_created_anyway)
        .sum()
}

pub async fn deflections_recorded_at_once_are_each_counted<S: Store + ?Sized>(store: &S) {
    let a = deflection_records("tab-a", 7);
    let b = deflection_records("tab-b", 5);
    // Interleaved one at a time, as two tabs' clicks would arrive.
    for (i, c) in a.iter().enumerate() {
        store
            .append_changes(std::slice::from_ref(c), Origin::Local)
            .await
            .unwrap();
        if let Some(c) = b.get(i) {
            store
                .append_changes(std::slice::from_ref(c), Origin::Local)
                .await
                .unwrap();
        }
    }
    assert_eq!(deflection_total(store).await, 12);
    let ws = crate::workspace::fold(&store.changes().await.unwrap());
    let stats = crate::kb::deflection_stats(&ws.deflections);
    assert_eq!(stats[&ArticleId("art-0".into())].viewed, 2 + 1);
    // Recording one again (a retried write) counts it once.
    store.append_changes(&a[..1], Origin::Local).await.unwrap();
    assert_eq!(deflection_total(store).await, 12);
}

#[cfg(test)]
mod memory {
    use crate::store::MemoryStore;

    crate::store_contract_tests!(blocking test, futures::executor::block_on, async { MemoryStore::new() });
}
