//! Component behaviour in a real browser DOM (headless Chromium), on the core's MemoryStore.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use leptos::prelude::*;
use mostrador_core::store::{MemoryStore, Store};
use mostrador_ui::{App, AppOptions, Mode};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

struct Mounted {
    host: web_sys::HtmlElement,
    _handle: leptos::mount::UnmountHandle<AnyViewState>,
}

type AnyViewState = leptos::tachys::view::any_view::AnyViewState;

impl Drop for Mounted {
    fn drop(&mut self) {
        self.host.remove();
    }
}

async fn mount(mode: Mode, store: Rc<dyn Store>) -> Mounted {
    mount_named(
        mode,
        store,
        format!("mostrador-ui-test-{}", js_sys::Math::random()),
    )
    .await
}

/// Apps given the same name share live updates, as apps on one database do.
async fn mount_named(mode: Mode, store: Rc<dyn Store>, db_name: String) -> Mounted {
    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let options = AppOptions {
        mode,
        db_name,
        locale: Some("en".into()),
        sync: None,
    };
    let handle = mount_to(host.clone(), move || {
        view! { <App options=options store=store /> }.into_any()
    });
    let m = Mounted {
        host,
        _handle: handle,
    };
    wait_for(&m, "h1").await;
    m
}

async fn wait_for(m: &Mounted, selector: &str) -> web_sys::Element {
    for _ in 0..200 {
        if let Ok(Some(el)) = m.host.query_selector(selector) {
            return el;
        }
        sleep(10).await;
    }
    panic!("{selector} never appeared; page: {}", m.host.inner_html());
}

async fn wait_text(m: &Mounted, text: &str) {
    for _ in 0..200 {
        if m.host.text_content().unwrap_or_default().contains(text) {
            return;
        }
        sleep(10).await;
    }
    panic!(
        "{text:?} never appeared; page: {}",
        m.host.text_content().unwrap_or_default()
    );
}

fn fill(m: &Mounted, selector: &str, value: &str) {
    let el = m.host.query_selector(selector).unwrap().unwrap();
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    }
    let ev = web_sys::Event::new("input").unwrap();
    el.dispatch_event(&ev).unwrap();
}

fn button(m: &Mounted, text: &str) -> web_sys::HtmlElement {
    let list = m.host.query_selector_all("button").unwrap();
    for i in 0..list.length() {
        let b: web_sys::HtmlElement = list.item(i).unwrap().unchecked_into();
        if b.text_content().unwrap_or_default().trim() == text {
            return b;
        }
    }
    panic!("no button {text:?}");
}

fn text_of(m: &Mounted, selector: &str) -> String {
    m.host
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn an_empty_form_shows_messages_next_to_the_fields() {
    let m = mount(Mode::Portal, Rc::new(MemoryStore::new())).await;
    button(&m, "Send ticket").click();
    sleep(20).await;
    assert_eq!(text_of(&m, "#mo-subject-error"), "Please write a subject.");
    assert_eq!(text_of(&m, "#mo-name-error"), "Please tell us your name.");
    assert_eq!(
        text_of(&m, "#mo-email-error"),
        "Please give an email so we can answer you."
    );
    let input = m.host.query_selector("#mo-subject").unwrap().unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("mo-subject-error")
    );
}

#[wasm_bindgen_test]
async fn the_core_refuses_a_bad_email_and_the_form_says_so_beside_it() {
    let store = Rc::new(MemoryStore::new());
    let m = mount(Mode::Portal, store.clone()).await;
    fill(&m, "#mo-subject", "My order did not arrive");
    fill(&m, "#mo-name", "Lucía");
    fill(&m, "#mo-email", "lucia-at-example");
    button(&m, "Send ticket").click();
    sleep(20).await;
    assert_eq!(
        text_of(&m, "#mo-email-error"),
        "“lucia-at-example” is not an email address."
    );
    assert_eq!(text_of(&m, "#mo-subject-error"), "");
    // Nothing was written: not even the device's customer id.
    assert_eq!(store.all_events().await.unwrap().len(), 0);
    assert_eq!(store.meta_json("ui.customer").await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn typing_a_subject_suggests_help_articles() {
    let m = mount(Mode::Portal, Rc::new(MemoryStore::new())).await;
    fill(&m, "#mo-subject", "reset my password");
    wait_text(&m, "How to reset your password").await;
}

#[wasm_bindgen_test]
async fn a_ticket_is_confirmed_with_its_code_and_reaches_the_console() {
    let store: Rc<dyn Store> = Rc::new(MemoryStore::new());
    let m = mount(Mode::Portal, store.clone()).await;
    fill(&m, "#mo-subject", "Mi pedido no llegó");
    fill(&m, "#mo-description", "Pedido **1234**");
    fill(&m, "#mo-name", "Lucía Pérez");
    fill(&m, "#mo-email", "lucia@example.com");
    button(&m, "Send ticket").click();
    wait_text(&m, "We received your ticket").await;
    let code = text_of(&m, ".mo-confirm .mo-code");
    assert!(code.len() >= 8, "code {code:?}");
    button(&m, "My tickets").click();
    wait_text(&m, "Mi pedido no llegó").await;
    drop(m);

    let c = mount(Mode::Console, store.clone()).await;
    wait_text(&c, &code).await;
    wait_text(&c, "Lucía Pérez").await;
}

#[wasm_bindgen_test]
async fn the_language_switches_at_runtime() {
    let m = mount(Mode::Portal, Rc::new(MemoryStore::new())).await;
    assert_eq!(text_of(&m, "label[for=mo-subject]"), "Subject");
    let select: web_sys::HtmlSelectElement = m
        .host
        .query_selector(".mo-header select")
        .unwrap()
        .unwrap()
        .unchecked_into();
    select.set_value("es");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    sleep(20).await;
    assert_eq!(text_of(&m, "label[for=mo-subject]"), "Asunto");
    assert_eq!(
        m.host
            .query_selector(".mo-root")
            .unwrap()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("es")
    );
}

#[wasm_bindgen_test]
async fn user_text_is_never_html() {
    let store: Rc<dyn Store> = Rc::new(MemoryStore::new());
    let m = mount(Mode::Portal, store.clone()).await;
    fill(&m, "#mo-subject", "<img src=x onerror=alert(1)>");
    fill(
        &m,
        "#mo-description",
        "[click](javascript:alert(1)) <b>bold</b>",
    );
    fill(&m, "#mo-name", "<script>x</script>");
    fill(&m, "#mo-email", "x@example.com");
    button(&m, "Send ticket").click();
    wait_text(&m, "We received your ticket").await;
    button(&m, "View ticket").click();
    wait_text(&m, "<img src=x onerror=alert(1)>").await;
    assert!(m.host.query_selector(".mo-root img").unwrap().is_none());
    assert!(m.host.query_selector(".mo-root script").unwrap().is_none());
    assert!(m.host.query_selector(".mo-root b").unwrap().is_none());
    assert!(
        m.host
            .query_selector("a[href^=javascript]")
            .unwrap()
            .is_none()
    );
}

fn select_labelled(m: &Mounted, label: &str, value: &str) {
    let list = m.host.query_selector_all("label[for]").unwrap();
    for i in 0..list.length() {
        let l: web_sys::Element = list.item(i).unwrap().unchecked_into();
        let name = l.text_content().unwrap_or_default();
        let target = l.get_attribute("for").unwrap_or_default();
        if name.trim() == label
            && let Some(sel) = m.host.query_selector(&format!("select#{target}")).unwrap()
        {
            let sel: web_sys::HtmlSelectElement = sel.unchecked_into();
            sel.set_value(value);
            sel.dispatch_event(&web_sys::Event::new("change").unwrap())
                .unwrap();
            return;
        }
    }
    panic!("no select labelled {label:?}");
}

fn status_of(m: &Mounted) -> String {
    text_of(m, ".mo-ticket-meta .mo-badge")
}

async fn wait_status(m: &Mounted, want: &str) {
    for _ in 0..300 {
        if m.host
            .query_selector(".mo-ticket-meta .mo-badge")
            .unwrap()
            .is_some()
            && status_of(m) == want
        {
            return;
        }
        sleep(10).await;
    }
    panic!(
        "status never became {want:?}: {}",
        m.host.text_content().unwrap_or_default()
    );
}

#[wasm_bindgen_test]
async fn the_whole_lifecycle_between_a_portal_and_a_console_on_one_store() {
    let store: Rc<dyn Store> = Rc::new(MemoryStore::new());
    let name = format!("mostrador-ui-lifecycle-{}", js_sys::Math::random());
    let portal = mount_named(Mode::Portal, store.clone(), name.clone()).await;
    fill(&portal, "#mo-subject", "Mi pedido no llegó");
    fill(&portal, "#mo-name", "Lucía Pérez");
    fill(&portal, "#mo-email", "lucia@example.com");
    button(&portal, "Send ticket").click();
    wait_text(&portal, "We received your ticket").await;
    let code = text_of(&portal, ".mo-confirm .mo-code");
    button(&portal, "View ticket").click();
    wait_status(&portal, "New").await;

    let console = mount_named(Mode::Console, store.clone(), name).await;
    wait_text(&console, &code).await;
    let row: web_sys::HtmlElement = console
        .host
        .query_selector("#mo-row-0")
        .unwrap()
        .unwrap()
        .unchecked_into();
    row.click();
    wait_status(&console, "New").await;
    select_labelled(&console, "Assignee", "admin");
    wait_text(&console, "reassigned").await;
    fill(&console, "#mo-composer", "Your order ships **today**.");
    button(&console, "Send reply").click();
    wait_status(&console, "Answered").await;

    // The portal learns of it without a reload (the other app's change is broadcast).
    wait_status(&portal, "Answered").await;
    wait_text(&portal, "Your order ships").await;
    fill(&portal, "#mo-reply", "Thanks! Tracking number?");
    button(&portal, "Send reply").click();
    wait_status(&portal, "Open").await;
    wait_status(&console, "Open").await;

    button(&console, "Internal note").click();
    sleep(20).await;
    fill(&console, "#mo-composer", "Carrier lost it.");
    button(&console, "Add note").click();
    wait_text(&console, "Carrier lost it.").await;
    assert!(
        console
            .host
            .query_selector(".mo-msg-internal")
            .unwrap()
            .is_some()
    );
    button(&console, "Resolve").click();
    wait_status(&console, "Resolved").await;

    wait_status(&portal, "Resolved").await;
    assert!(
        !portal
            .host
            .text_content()
            .unwrap()
            .contains("Carrier lost it.")
    );
    let five: web_sys::HtmlInputElement = portal
        .host
        .query_selector("input[name=mo-score][value='5']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    five.click();
    button(&portal, "Send rating").click();
    wait_text(&portal, "you rated this ticket 5 of 5").await;
    wait_text(&console, "rated 5 of 5").await;
}

#[wasm_bindgen_test]
async fn the_host_prefills_identifies_switches_language_and_hears_of_new_tickets() {
    use mostrador_ui::{HostEvent, HostLink, PrefillFields, Visitor};
    use std::cell::RefCell;

    let heard = Rc::new(RefCell::new(Vec::<HostEvent>::new()));
    let sink = heard.clone();
    let link = HostLink::new(move |e| sink.borrow_mut().push(e));
    link.visitor.set(Some(Visitor {
        id: "cust-42".into(),
        name: Some("Ana Host".into()),
        email: Some("ana@example.com".into()),
        token: None,
        context: Some(mostrador_core::customer::CustomerContext {
            plan: Some("Enterprise".into()),
            orders: vec!["1001".into()],
            ..Default::default()
        }),
    }));
    link.prefill.set(PrefillFields {
        subject: Some("Order 1001 is late".into()),
        message: Some("It has not arrived.".into()),
        fields: [("order".to_string(), "1001".to_string())].into(),
        ..Default::default()
    });
    let store: Rc<dyn Store> = Rc::new(MemoryStore::new());
    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let options = AppOptions {
        mode: Mode::Portal,
        db_name: format!("mostrador-ui-host-{}", js_sys::Math::random()),
        locale: Some("en".into()),
        sync: None,
    };
    let app_link = link.clone();
    let app_store = store.clone();
    let handle = mount_to(host.clone(), move || {
        view! { <App options=options store=app_store host=app_link /> }.into_any()
    });
    let m = Mounted {
        host,
        _handle: handle,
    };
    wait_for(&m, "#mo-subject").await;
    let subject: web_sys::HtmlInputElement = m
        .host
        .query_selector("#mo-subject")
        .unwrap()
        .unwrap()
        .unchecked_into();
    // The form shows before the desk is loaded; the prefill is in it by the first frame.
    for _ in 0..100 {
        if !subject.value().is_empty() {
            break;
        }
        sleep(10).await;
    }
    assert_eq!(
        subject.value(),
        "Order 1001 is late",
        "{}",
        m.host.inner_html()
    );
    assert!(
        m.host.query_selector("#mo-email").unwrap().is_none(),
        "an identified visitor is not asked for contact fields"
    );

    button(&m, "Send ticket").click();
    wait_text(&m, "We received your ticket").await;
    for _ in 0..200 {
        if !heard.borrow().is_empty() {
            break;
        }
        sleep(10).await;
    }
    let code = text_of(&m, ".mo-code");
    assert_eq!(
        heard.borrow().as_slice(),
        [HostEvent::TicketCreated {
            ticket: code.trim().to_owned()
        }]
    );
    // The ticket is the host's customer's, and the unknown prefilled field reached the agents.
    let mine = store
        .customer_tickets(&mostrador_core::model::CustomerId("cust-42".into()))
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    let ticket = store.ticket(&mine[0].id).await.unwrap().unwrap();
    assert_eq!(ticket.requester.name, "Ana Host");
    // What the site vouched for travels with the ticket.
    let context = ticket.requester.context.clone().unwrap_or_default();
    assert_eq!(
        (context.plan.as_deref(), context.orders),
        (Some("Enterprise"), vec!["1001".to_string()])
    );
    assert!(
        ticket.description.ends_with("order: 1001"),
        "{}",
        ticket.description
    );

    link.locale.set(Some("pt-BR".into()));
    wait_text(&m, "Recebemos seu ticket").await;
}

/// A settings value with two round-robin agents and a one-second close-after period.
fn rules_settings() -> mostrador_core::config::Settings {
    use mostrador_core::assignment::Strategy;
    let mut s = mostrador_ui::services::seed::settings();
    s.assignment.rules.clear();
    s.assignment.fallback_team = None;
    s.assignment.default_strategy = Strategy::RoundRobin;
    s.agents.truncate(2);
    assert_eq!(s.agents.len(), 2, "the seed has two agents");
    for a in &mut s.agents {
        a.capacity = 100;
        a.teams.clear();
        a.availability = Default::default();
    }
    s.domain.auto_close_after_secs = 1;
    s
}

/// A console desk over a memory store holding `settings`, and `n` tickets a customer opened
/// there that nobody routed (as if they had arrived from another device), with the desk's
/// database name.
async fn rules_desk(
    settings: &mostrador_core::config::Settings,
    subject: &str,
    n: usize,
) -> (
    Rc<dyn Store>,
    mostrador_ui::services::desk::Desk,
    String,
    Vec<mostrador_core::model::TicketId>,
) {
    use mostrador_core::model::{Actor, CustomerId};
    let store: Rc<dyn Store> = Rc::new(MemoryStore::new());
    store
        .save_settings(settings, chrono::Utc::now())
        .await
        .unwrap();
    let name = format!("mostrador-rules-test-{}", js_sys::Math::random());
    let desk = mostrador_ui::services::desk::Desk::load(store.clone(), Mode::Console, &name, false)
        .await
        .unwrap();
    let customer = Actor::Customer(CustomerId("cu-1".into()));
    let mut ids = Vec::new();
    for k in 0..n {
        let events = desk
            .run(
                None,
                vec![customer_ticket(&format!("{subject} {k}"))],
                &customer,
            )
            .await
            .unwrap();
        ids.push(events[0].ticket.clone());
    }
    (store, desk, name, ids)
}

fn customer_ticket(subject: &str) -> mostrador_core::command::Command {
    use mostrador_core::command::{Command, NewTicket};
    use mostrador_core::model::{Channel, CustomerId, Requester};
    let requester = Requester {
        customer_id: Some(CustomerId("cu-1".into())),
        name: "Ana".into(),
        ..Requester::default()
    };
    Command::Open(Box::new(NewTicket::new(
        subject,
        "It does not work",
        requester,
        Channel::WebForm,
    )))
}

#[wasm_bindgen_test]
async fn system_rules_wake_close_and_route_with_a_kept_round_robin_cursor() {
    use mostrador_core::command::Command;
    use mostrador_core::model::{Actor, CustomerId, Status};
    use mostrador_ui::services::desk::Desk;

    let settings = rules_settings();
    let (store, desk, name, ids) = rules_desk(&settings, "Printer", 3).await;
    let customer = Actor::Customer(CustomerId("cu-1".into()));
    let agent = Actor::Agent(settings.agents[0].id.clone());
    let report = desk.run_system_rules().await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let mut owners = Vec::new();
    for id in &ids {
        let t = store.ticket(id).await.unwrap().unwrap();
        owners.push(t.assignee.expect("routed").0);
    }
    let (a, b) = (
        settings.agents[0].id.0.clone(),
        settings.agents[1].id.0.clone(),
    );
    // Tickets opened in the same millisecond are routed in id order, so count rather than zip:
    // round robin from no cursor picks the first agent by id, then the second, then the first.
    let count = |x: &str| owners.iter().filter(|o| o.as_str() == x).count();
    assert_eq!((count(&a), count(&b)), (2, 1), "round robin: {owners:?}");
    assert_eq!(
        desk.run_system_rules().await.unwrap().done,
        0,
        "nothing is routed twice"
    );

    // The cursor outlives the desk: a new one (the console opened again) goes on from it.
    let again = Desk::load(store.clone(), Mode::Console, &name, false)
        .await
        .unwrap();
    let t = again
        .open(customer_ticket("Scanner"), &customer)
        .await
        .unwrap();
    assert_eq!(t.assignee.map(|x| x.0), Some(b), "round robin goes on");

    // A postponed ticket wakes once its date passed; a resolved one closes after the period.
    let until = chrono::Utc::now() + chrono::TimeDelta::milliseconds(2_500);
    desk.run(Some(&ids[0]), vec![Command::Postpone { until }], &agent)
        .await
        .unwrap();
    desk.run(Some(&ids[1]), vec![Command::Resolve], &agent)
        .await
        .unwrap();
    desk.run_system_rules().await.unwrap();
    let status = |id| {
        let store = store.clone();
        async move { store.ticket(id).await.unwrap().unwrap().status }
    };
    assert_eq!(status(&ids[0]).await, Status::Postponed, "not yet");
    sleep(3_000).await;
    let report = desk.run_system_rules().await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(status(&ids[0]).await, Status::Open, "woke");
    assert_eq!(status(&ids[1]).await, Status::Closed, "auto-closed");
}

#[wasm_bindgen_test]
async fn system_rules_stop_loading_unrouted_tickets_once_nobody_can_take_one() {
    let mut settings = rules_settings();
    // Room for one ticket in all; no team to fall back on.
    settings.agents[0].capacity = 1;
    settings.agents[1].capacity = 0;
    let (store, desk, _, ids) = rules_desk(&settings, "Router", 4).await;
    let report = desk.run_system_rules().await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.done, 1, "one ticket fits");
    assert_eq!(
        report.looked_at, 1,
        "the other three are not loaded once the one agent with room is full"
    );
    let mut held = 0;
    for id in &ids {
        if store.ticket(id).await.unwrap().unwrap().assignee.is_some() {
            held += 1;
        }
    }
    assert_eq!(held, 1);
    let again = desk.run_system_rules().await.unwrap();
    assert_eq!(
        (again.done, again.looked_at),
        (0, 0),
        "nobody has room: nothing to load"
    );
}

#[wasm_bindgen_test]
async fn the_console_postpones_a_ticket_until_a_date() {
    use mostrador_core::model::{CustomerId, Status};
    let store: Rc<dyn Store> = Rc::new(MemoryStore::new());
    let mut settings = rules_settings();
    // Nobody takes tickets automatically, so the ticket stays in the Unassigned view.
    for a in &mut settings.agents {
        a.capacity = 0;
    }
    store
        .save_settings(&settings, chrono::Utc::now())
        .await
        .unwrap();
    let name = format!("mostrador-rules-test-{}", js_sys::Math::random());
    let desk = mostrador_ui::services::desk::Desk::load(store.clone(), Mode::Console, &name, false)
        .await
        .unwrap();
    let customer = mostrador_core::model::Actor::Customer(CustomerId("cu-1".into()));
    let events = desk
        .run(None, vec![customer_ticket("Router")], &customer)
        .await
        .unwrap();
    let id = events[0].ticket.clone();
    let code = store.ticket(&id).await.unwrap().unwrap().code.to_string();
    let m = mount_named(Mode::Console, store.clone(), name).await;
    wait_text(&m, &code).await;
    let row = wait_for(&m, "#mo-row-0").await;
    row.unchecked_into::<web_sys::HtmlElement>().click();
    wait_for(&m, "#mo-postpone-until").await;
    button(&m, "Postpone").click();
    wait_text(&m, "Enter a date and time.").await;
    let tomorrow = chrono::Local::now() + chrono::TimeDelta::days(1);
    fill(
        &m,
        "#mo-postpone-until",
        &tomorrow.format("%Y-%m-%dT%H:%M").to_string(),
    );
    button(&m, "Postpone").click();
    wait_text(&m, "Postponed until").await;
    let t = store.ticket(&id).await.unwrap().unwrap();
    assert_eq!(t.status, Status::Postponed);
    let until = t.postponed_until.unwrap();
    let want = tomorrow.with_timezone(&chrono::Utc);
    assert!((until - want).num_seconds().abs() < 60, "{until} vs {want}");
    button(&m, "Wake now").click();
    wait_text(&m, "Postpone until").await;
    assert_eq!(
        store.ticket(&id).await.unwrap().unwrap().status,
        Status::Open
    );
}

#[wasm_bindgen_test]
async fn the_console_routes_tickets_that_arrived_unrouted_when_it_opens() {
    use mostrador_core::model::CustomerId;
    let store: Rc<dyn Store> = Rc::new(MemoryStore::new());
    let settings = rules_settings();
    store
        .save_settings(&settings, chrono::Utc::now())
        .await
        .unwrap();
    let name = format!("mostrador-rules-test-{}", js_sys::Math::random());
    let desk = mostrador_ui::services::desk::Desk::load(store.clone(), Mode::Console, &name, false)
        .await
        .unwrap();
    let customer = mostrador_core::model::Actor::Customer(CustomerId("cu-1".into()));
    let events = desk
        .run(None, vec![customer_ticket("Modem")], &customer)
        .await
        .unwrap();
    let id = events[0].ticket.clone();
    assert!(store.ticket(&id).await.unwrap().unwrap().assignee.is_none());
    let _console = mount_named(Mode::Console, store.clone(), name).await;
    for _ in 0..300 {
        if store.ticket(&id).await.unwrap().unwrap().assignee.is_some() {
            return;
        }
        sleep(10).await;
    }
    panic!("the console never routed the ticket");
}

#[wasm_bindgen_test]
async fn the_portal_asks_customer_fields_with_their_controls_and_the_urgency() {
    use mostrador_core::model::{FieldValue, Urgency};
    use mostrador_core::settings::{FieldDef, FieldKind};
    let store: Rc<dyn Store> = Rc::new(MemoryStore::new());
    let mut settings = mostrador_ui::services::seed::settings();
    let def = |key: &str, label: &str, kind, required, agent_only| FieldDef {
        key: key.into(),
        label: label.into(),
        kind,
        choices: if kind == FieldKind::Choice {
            vec!["Gold".into(), "Silver".into()]
        } else {
            vec![]
        },
        required,
        agent_only,
    };
    settings.domain.custom_fields = vec![
        def("order", "Order number", FieldKind::Number, true, false),
        def("plan", "Plan", FieldKind::Choice, false, false),
        def("gift", "Gift", FieldKind::Bool, false, false),
        def("risk", "Risk", FieldKind::Text, false, true),
    ];
    settings.domain.customers_set_urgency = true;
    store
        .save_settings(&settings, chrono::Utc::now())
        .await
        .unwrap();
    let m = mount(Mode::Portal, store.clone()).await;
    assert!(
        m.host.query_selector("#mo-field-risk").unwrap().is_none(),
        "agents' fields are not asked"
    );
    let plan = wait_for(&m, "select#mo-field-plan").await;
    assert_eq!(
        plan.query_selector_all("option").unwrap().length(),
        3,
        "not set + two choices"
    );
    wait_for(&m, "select#mo-field-gift").await;
    let order = wait_for(&m, "input#mo-field-order").await;
    assert_eq!(order.get_attribute("type").as_deref(), Some("number"));
    fill(&m, "#mo-subject", "Where is my parcel?");
    fill(&m, "#mo-name", "Ana");
    fill(&m, "#mo-email", "ana@example.com");
    button(&m, "Send ticket").click();
    wait_text(&m, "This field is required.").await;
    assert_eq!(
        order.get_attribute("aria-invalid").as_deref(),
        Some("true"),
        "the problem is beside the field"
    );
    assert!(
        store.all_events().await.unwrap().is_empty(),
        "nothing was stored"
    );
    fill(&m, "#mo-field-order", "1234");
    let set = |selector: &str, value: &str| {
        let sel: web_sys::HtmlSelectElement = m
            .host
            .query_selector(selector)
            .unwrap()
            .unwrap()
            .unchecked_into();
        sel.set_value(value);
        sel.dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
    };
    set("#mo-field-plan", "Gold");
    set("#mo-field-gift", "true");
    // Option values are the core's names.
    set(
        "#mo-urgency",
        mostrador_core::named::Named::name(Urgency::High),
    );
    button(&m, "Send ticket").click();
    wait_text(&m, "We received your ticket").await;
    let all = store.all_events().await.unwrap();
    let t = store.ticket(&all[0].ticket).await.unwrap().unwrap();
    assert_eq!(
        t.custom_fields.get("order"),
        Some(&FieldValue::Number(1234.0))
    );
    assert_eq!(
        t.custom_fields.get("plan"),
        Some(&FieldValue::Choice("Gold".into()))
    );
    assert_eq!(t.custom_fields.get("gift"), Some(&FieldValue::Bool(true)));
    assert_eq!(t.urgency, Urgency::High);
}

#[wasm_bindgen_test]
async fn settings_and_articles_are_recorded_as_changes_and_remote_ones_apply() {
    use mostrador_core::model::AgentId;
    use mostrador_core::store::Origin;
    use mostrador_core::workspace::{ChangePayload, Section};
    use mostrador_ui::services::desk::Desk;

    let store: Rc<dyn Store> = Rc::new(MemoryStore::new());
    let name = format!("mostrador-workspace-test-{}", js_sys::Math::random());
    let desk = Desk::load(store.clone(), Mode::Console, &name, false)
        .await
        .unwrap();
    desk.set_acting_agent(Some(AgentId("ana".into())));

    // Saving settings records the one section that changed, by the signed-in agent.
    let mut s = desk.settings();
    s.categories.push("Warranty".into());
    desk.replace_settings(s).await.unwrap();
    let queued = store.change_outbox().await.unwrap();
    assert_eq!(queued.len(), 1, "{queued:?}");
    assert_eq!(
        queued[0].actor,
        mostrador_core::model::Actor::Agent(AgentId("ana".into()))
    );
    assert!(matches!(
        &queued[0].payload,
        ChangePayload::Settings { section: Section::Categories(c) } if c.contains(&"Warranty".to_string())
    ));

    // A later change from another device (as sync stores it) wins and reaches the desk.
    let mut remote = queued[0].clone();
    remote.id = mostrador_core::event::EventId("remote-1".into());
    remote.hlc.wall_ms += 60_000;
    remote.payload = ChangePayload::Settings {
        section: Section::Categories(vec!["Only this".into()]),
    };
    store
        .append_changes(std::slice::from_ref(&remote), Origin::Remote)
        .await
        .unwrap();
    let before = desk.workspace.get_untracked();
    desk.reload_workspace().await.unwrap();
    assert_eq!(desk.settings().categories, vec!["Only this".to_string()]);
    assert!(desk.workspace.get_untracked() > before, "forms re-read");
    assert_eq!(
        store.change_outbox().await.unwrap().len(),
        1,
        "remote ones are not queued"
    );
}

/// In the portal with a sync server, the customer id a ticket is written under is the one the
/// server's session gives: asking for it waits until the sync link has settled who the visitor
/// is. Without a server nothing waits, and the device gets its own id.
#[wasm_bindgen_test]
async fn a_synced_portal_writes_as_the_servers_customer_once_known() {
    use mostrador_core::model::CustomerId;
    use mostrador_ui::services::desk::Desk;

    let name = format!("mostrador-settle-test-{}", js_sys::Math::random());
    let store: Rc<dyn Store> = Rc::new(MemoryStore::new());
    let desk = Rc::new(Desk::load(store, Mode::Portal, &name, true).await.unwrap());
    let asking = desk.clone();
    let mut asked = Box::pin(async move { asking.customer().await });
    assert!(
        futures::poll!(&mut asked).is_pending(),
        "waits for the sync link"
    );
    desk.use_customer(CustomerId("cu-from-server".into()));
    desk.settle_customer();
    assert_eq!(asked.await.unwrap(), CustomerId("cu-from-server".into()));

    let local: Rc<dyn Store> = Rc::new(MemoryStore::new());
    let desk = Desk::load(local, Mode::Portal, &format!("{name}-local"), false)
        .await
        .unwrap();
    let own = desk.customer().await.unwrap();
    assert!(own.0.starts_with("device-"), "{own:?}");
}

/// A screen that comes later (a split-off module on its way): the loading message until it
/// comes, then the screen, alive — its reactive parts follow their signals and its cleanups run
/// only when the place that shows it goes. A screen that cannot come says so, and trying again
/// asks for it again.
#[wasm_bindgen_test]
async fn a_screen_that_comes_later_lives_as_long_as_its_place() {
    use std::cell::Cell;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use mostrador_ui::components::deferred::{Unloaded, deferred, deferred_quietly};
    use mostrador_ui::i18n::{I18n, Lang};

    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let count = RwSignal::new(0);
    let cleaned = Arc::new(AtomicU32::new(0));
    let attempts = Rc::new(Cell::new(0));
    let built = Arc::new(AtomicU32::new(0));
    let gone_soon = RwSignal::new(true);
    let (c, a, b) = (cleaned.clone(), attempts.clone(), built.clone());
    let handle = mount_to(host.clone(), move || {
        provide_context(I18n {
            lang: RwSignal::new(Lang::En),
        });
        let screen = move |class: &'static str| {
            let c = c.clone();
            async move {
                sleep(100).await;
                on_cleanup(move || {
                    c.fetch_add(1, Ordering::Relaxed);
                });
                Ok(view! { <p class=class>{move || count.get()}</p> }.into_any())
            }
        };
        let a = a.clone();
        let flaky = move || {
            let a = a.clone();
            async move {
                sleep(100).await;
                a.set(a.get() + 1);
                if a.get() == 1 {
                    Err(Unloaded)
                } else {
                    Ok(view! { <p class="mo-flaky">"arrived"</p> }.into_any())
                }
            }
        };
        let loud = screen.clone();
        // A place that goes before its screen comes: the screen, which looks for its context
        // as it is built, is never built.
        let b = b.clone();
        let needs_context = move || {
            let b = b.clone();
            async move {
                sleep(100).await;
                let _ = expect_context::<I18n>();
                b.fetch_add(1, Ordering::Relaxed);
                Ok(().into_any())
            }
        };
        view! {
            <div>
                <section class="loud">{deferred(move || loud("mo-late"))}</section>
                <section class="quiet">{deferred_quietly(move || screen("mo-quiet"))}</section>
                <section class="flaky">{deferred(flaky)}</section>
                <Show when=move || gone_soon.get()>
                    {deferred_quietly(needs_context.clone())}
                </Show>
            </div>
        }
        .into_any()
    });
    gone_soon.set(false);
    let find = |selector: &str| host.query_selector(selector).unwrap();
    assert!(
        find(".loud .mo-loading").is_some(),
        "loading while it comes"
    );
    assert!(
        find(".quiet")
            .unwrap()
            .text_content()
            .unwrap_or_default()
            .is_empty()
    );
    for _ in 0..50 {
        if find(".mo-late").is_some()
            && find(".mo-quiet").is_some()
            && find(".flaky button").is_some()
        {
            break;
        }
        sleep(20).await;
    }
    assert_eq!(
        find(".mo-late").expect("arrived").text_content().unwrap(),
        "0"
    );
    assert!(
        find(".loud .mo-loading").is_none(),
        "the loading message went"
    );
    count.set(5);
    sleep(0).await;
    assert_eq!(
        find(".mo-late").unwrap().text_content().unwrap(),
        "5",
        "still reactive"
    );
    assert_eq!(find(".mo-quiet").unwrap().text_content().unwrap(), "5");
    assert_eq!(
        cleaned.load(Ordering::Relaxed),
        0,
        "nothing of the arrived screens was disposed"
    );
    // The screen that could not come: a message and a button that asks again.
    let retry: web_sys::HtmlElement = find(".flaky button").expect("try again").unchecked_into();
    assert!(find(".flaky [role=alert]").is_some());
    retry.click();
    for _ in 0..50 {
        if find(".mo-flaky").is_some() {
            break;
        }
        sleep(20).await;
    }
    assert_eq!(
        find(".mo-flaky")
            .expect("second attempt")
            .text_content()
            .unwrap(),
        "arrived"
    );
    assert_eq!(attempts.get(), 2);
    assert_eq!(
        built.load(Ordering::Relaxed),
        0,
        "the screen of a place that went was not built"
    );
    drop(handle);
    assert_eq!(
        cleaned.load(Ordering::Relaxed),
        2,
        "both screens cleaned up with their place"
    );
    host.remove();
}
