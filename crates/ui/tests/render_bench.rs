//! Rendering against the physical limit, in headless Chromium: the console's own inbox row
//! (`InboxRow`) in a keyed `<For>` next to plain JavaScript building the same rows with the DOM
//! (the "vanillajs" of the JS framework benchmark), in one page and one run: create 1,000 rows,
//! update every 10th, swap two rows, clear. Then an import through the console's Data page while
//! the browser's long tasks are observed. A benchmark, not a timed test: it prints figures and
//! checks the DOM, it does not assert on timings. How to run it and the recorded figures:
//! BENCHMARKS.md.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::Arc;

use chrono::TimeDelta;
use leptos::prelude::*;
use leptos::task::tick;
use mostrador_core::assignment::Agent;
use mostrador_core::code::TicketCode;
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::config::Settings;
use mostrador_core::ctx::Ctx;
use mostrador_core::decide::decide;
use mostrador_core::event::Event;
use mostrador_core::model::{
    Actor, AgentId, Channel, CustomerId, Level, Priority, Requester, Status, TicketId, TicketType,
    Timestamp,
};
use mostrador_core::store::{BuiltinView, Store, TicketSummary};
use mostrador_ui::console::inbox::{InboxRow, ago};
use mostrador_ui::console::{ConsoleState, InboxView};
use mostrador_ui::i18n::{
    I18n, Key, Lang, format_duration, format_number, priority_key, status_key,
};
use mostrador_ui::{App, AppOptions, Mode};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The plain implementation: one `<template>` row per SLA cell shape, cloned and filled (as the
/// JS framework benchmark's vanillajs does), events delegated to the `<tbody>`.
#[wasm_bindgen(inline_js = r#"
const templates = {};
function slaMarkup(kind) {
  if (kind === 0) return '<span class="mo-muted">—</span>';
  if (kind === 1) return '<span class="mo-sla-ok"></span>';
  return '<span></span> <span></span>';
}
function template(kind) {
  let t = templates[kind];
  if (!t) {
    const el = document.createElement('template');
    const sla = slaMarkup(kind);
    el.innerHTML = '<table><tbody><tr>' +
      '<td class="mo-col-check"><input type="checkbox"></td>' +
      '<td class="mo-col-subject"><button type="button" class="mo-row-button">' +
      '<span class="mo-code"></span> <span class="mo-row-subject"></span></button>' +
      '<div class="mo-row-meta"><span></span><span class="mo-cell-clip"></span>' +
      '<span class="mo-nowrap">' + sla + '</span></div></td>' +
      '<td class="mo-col-opt mo-nowrap mo-cell-clip"></td>' +
      '<td><span></span></td>' +
      '<td class="mo-col-opt"><span></span></td>' +
      '<td class="mo-col-opt mo-nowrap mo-cell-clip"></td>' +
      '<td class="mo-col-opt mo-nowrap"><time></time></td>' +
      '<td class="mo-col-opt mo-nowrap">' + sla + '</td></tr></tbody></table>';
    t = templates[kind] = el.content.querySelector('tr');
  }
  return t;
}
function fillSla(cell, kind, a, b, c) {
  if (kind === 0) { cell.firstChild.title = a; return; }
  if (kind === 1) { cell.firstChild.textContent = a; return; }
  const badge = cell.firstChild;
  badge.className = a;
  badge.textContent = b;
  cell.lastChild.textContent = c;
}
function priority(span, r) {
  span.className = 'mo-badge mo-priority-' + r[4];
  span.title = r[6];
  span.textContent = r[5];
}
function status(span, r) {
  span.className = 'mo-badge mo-status-' + r[13];
  span.textContent = r[14];
}
function time(el, r) {
  el.setAttribute('datetime', r[15]);
  el.title = r[16];
  el.textContent = r[17];
}
// r: [idx, aria-label, code, subject, priority, priority text, priority title, assignee,
//     sla kind, sla a, sla b, sla c, requester, status, status text, datetime, date title, ago]
function build(r) {
  const tr = template(r[8]).cloneNode(true);
  const check = tr.firstChild;
  check.firstChild.setAttribute('aria-label', r[1]);
  const subject = check.nextSibling;
  const button = subject.firstChild;
  button.id = 'mo-row-' + r[0];
  button.firstChild.textContent = r[2];
  button.lastChild.textContent = r[3];
  const meta = subject.lastChild;
  priority(meta.firstChild, r);
  meta.firstChild.nextSibling.textContent = r[7];
  fillSla(meta.lastChild, r[8], r[9], r[10], r[11]);
  const requester = subject.nextSibling;
  requester.textContent = r[12];
  const st = requester.nextSibling;
  status(st.firstChild, r);
  const pr = st.nextSibling;
  priority(pr.firstChild, r);
  const assignee = pr.nextSibling;
  assignee.textContent = r[7];
  const updated = assignee.nextSibling;
  time(updated.firstChild, r);
  fillSla(updated.nextSibling, r[8], r[9], r[10], r[11]);
  return tr;
}
export function plain_create(tbody, rows) {
  if (!tbody.onclick) {
    tbody.onclick = (e) => { const b = e.target.closest('button'); if (b) tbody.dataset.open = b.id; };
    tbody.onchange = (e) => { tbody.dataset.changed = e.target.checked; };
  }
  for (let i = 0; i < rows.length; i++) tbody.appendChild(build(rows[i]));
}
export function plain_update(tbody, at, rows) {
  const trs = tbody.rows;
  for (let k = 0; k < at.length; k++) {
    const tr = trs[at[k]];
    const r = rows[k];
    tr.cells[1].firstChild.lastChild.textContent = r[3];
    status(tr.cells[3].firstChild, r);
    time(tr.cells[6].firstChild, r);
  }
}
export function plain_swap(tbody, a, b) {
  const trs = tbody.rows;
  const ra = trs[a], rb = trs[b];
  const after = rb.nextSibling;
  tbody.insertBefore(rb, ra);
  tbody.insertBefore(ra, after);
}
export function plain_clear(tbody) {
  tbody.textContent = '';
}
export function row_texts(tbody) {
  return Array.from(tbody.rows, (tr) => tr.textContent);
}
export function performance_now() {
  return performance.now();
}
export function force_layout() {
  return document.body.offsetHeight;
}
export function set_file(input, text, name) {
  const dt = new DataTransfer();
  dt.items.add(new File([text], name, { type: 'application/json' }));
  input.files = dt.files;
}
// Long tasks (and the longest gap between timer callbacks, which needs no observer) from now on.
export function watch_main_thread() {
  const w = { start: performance.now(), tasks: [], gap: 0, last: performance.now(), on: true,
              supported: PerformanceObserver.supportedEntryTypes.includes('longtask') };
  if (w.supported) {
    w.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.startTime >= w.start) w.tasks.push(e.duration);
    });
    w.observer.observe({ type: 'longtask', buffered: true });
  }
  const beat = () => {
    const t = performance.now();
    w.gap = Math.max(w.gap, t - w.last);
    w.last = t;
    if (w.on) setTimeout(beat, 0);
  };
  setTimeout(beat, 0);
  return w;
}
// [supported, long tasks, longest ms, over 200 ms, total ms in long tasks, longest timer gap ms,
//  then the tasks over 200 ms, longest first]
export function stop_watching(w) {
  w.on = false;
  if (w.observer) { for (const e of w.observer.takeRecords()) if (e.startTime >= w.start) w.tasks.push(e.duration); w.observer.disconnect(); }
  const t = w.tasks;
  const over = t.filter((d) => d > 200).sort((a, b) => b - a);
  return [w.supported ? 1 : 0, t.length, t.length ? Math.max(...t) : 0,
          over.length, t.reduce((a, b) => a + b, 0), w.gap, ...over];
}
"#)]
extern "C" {
    fn plain_create(tbody: &web_sys::Element, rows: &js_sys::Array);
    fn plain_update(tbody: &web_sys::Element, at: &[u32], rows: &js_sys::Array);
    fn plain_swap(tbody: &web_sys::Element, a: u32, b: u32);
    fn plain_clear(tbody: &web_sys::Element);
    fn row_texts(tbody: &web_sys::Element) -> Vec<String>;
    fn performance_now() -> f64;
    fn force_layout() -> f64;
    fn set_file(input: &web_sys::Element, text: &str, name: &str);
    fn watch_main_thread() -> JsValue;
    fn stop_watching(w: &JsValue) -> Vec<f64>;
}

const ROWS: usize = 1_000;
/// Runs of every operation; the first is a warm-up and is not counted.
const RUNS: usize = 11;

fn now_ms() -> f64 {
    performance_now()
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The time the page was read: ages and countdowns count from it.
fn page_time() -> Timestamp {
    chrono::DateTime::from_timestamp(1_768_478_400, 0).unwrap()
}

fn agents() -> Vec<Agent> {
    ["ana", "bob"]
        .into_iter()
        .map(|id| Agent {
            id: AgentId(id.into()),
            name: format!("{}{} Agent", id[..1].to_uppercase(), &id[1..]),
            email: format!("{id}@example.com"),
            ..mostrador_ui::services::seed::admin_agent()
        })
        .collect()
}

const STATUSES: [Status; 3] = [Status::New, Status::Open, Status::Answered];

/// `ROWS` tickets with every shape of row: assigned or not, the four priorities, and each SLA
/// cell (none, running, at risk, late).
fn tickets() -> Vec<TicketSummary> {
    let now = page_time();
    let mut ctx = Ctx::seeded("bench", 7, now);
    (0..ROWS)
        .map(|i| {
            let n = i as i64;
            let updated = now - TimeDelta::minutes(n * 7);
            let (due, risk) = match i % 4 {
                0 => (None, None),
                1 => (
                    Some(now + TimeDelta::hours(5)),
                    Some(now + TimeDelta::hours(4)),
                ),
                2 => (
                    Some(now + TimeDelta::minutes(30)),
                    Some(now - TimeDelta::minutes(10)),
                ),
                _ => (Some(now - TimeDelta::minutes(45)), None),
            };
            TicketSummary {
                id: TicketId(format!("ticket-{i:04}")),
                code: TicketCode::generate(&mut ctx),
                subject: format!("Order {i} did not arrive"),
                status: STATUSES[i % 3],
                priority: Priority::ALL[i % 4],
                level: Level::L1,
                ticket_type: TicketType::Question,
                channel: Channel::WebForm,
                category: None,
                tags: Vec::new(),
                assignee: match i % 3 {
                    0 => None,
                    1 => Some(AgentId("ana".into())),
                    _ => Some(AgentId("bob".into())),
                },
                team: None,
                requester_name: format!("Customer {i}"),
                requester_email: None,
                customer: None,
                created_at: updated - TimeDelta::hours(1),
                updated_at: updated,
                replies: 0,
                sla_due: due,
                sla_at_risk_at: risk,
                sla_breached_at: None,
            }
        })
        .collect()
}

/// Every 10th ticket changed the way a reply changes it: subject, status and last update.
fn updated(list: &[TicketSummary], round: usize) -> Vec<TicketSummary> {
    let mut list = list.to_vec();
    for t in list.iter_mut().step_by(10) {
        t.subject = format!("{} !!!", t.subject);
        t.status = if t.status == Status::Answered {
            Status::Open
        } else {
            Status::Answered
        };
        t.updated_at = page_time() - TimeDelta::minutes(1 + round as i64);
    }
    list
}

fn swapped<T: Clone>(list: &[T]) -> Vec<T> {
    let mut list = list.to_vec();
    list.swap(1, 998);
    list
}

/// One row's texts, in the order of the plain implementation's array (see `build` in the
/// JavaScript above): the row's index and the SLA cell's shape (0, 1, 2) as numbers.
fn row_strings(i: I18n, idx: usize, t: &TicketSummary, agents: &[Agent]) -> Vec<String> {
    let now = page_time();
    let code = t.code.to_string();
    let assignee = match &t.assignee {
        None => i.t(Key::Nobody).to_owned(),
        Some(id) => agents
            .iter()
            .find(|a| &a.id == id)
            .map_or_else(|| id.0.clone(), |a| a.name.clone()),
    };
    let (kind, a, b, c) = match t.sla_due {
        None => (0, i.t(Key::NoSla).to_owned(), String::new(), String::new()),
        Some(d) if d <= now => (
            2,
            "mo-badge mo-sla-breached".to_owned(),
            i.t(Key::SlaBreached).to_owned(),
            i.tf(Key::SlaLate, &[("duration", &format_duration(now - d))]),
        ),
        Some(d) => {
            let text = i.tf(Key::SlaDueIn, &[("duration", &format_duration(d - now))]);
            if t.sla_at_risk(now) {
                (
                    2,
                    "mo-badge mo-sla-risk".to_owned(),
                    i.t(Key::SlaAtRisk).to_owned(),
                    text,
                )
            } else {
                (1, text, String::new(), String::new())
            }
        }
    };
    [
        idx.to_string(),
        i.tf(Key::SelectTicket, &[("code", &code)]).to_string(),
        code,
        t.subject.as_str().to_string(),
        t.priority.as_str().to_string(),
        i.t(priority_key(t.priority)).to_string(),
        i.t(Key::Priority).to_string(),
        assignee,
        kind.to_string(),
        a,
        b,
        c,
        t.requester_name.as_str().to_string(),
        t.status.as_str().to_string(),
        i.t(status_key(t.status)).to_string(),
        t.updated_at.to_rfc3339().to_string(),
        i.dt(t.updated_at).to_string(),
        ago(i, now, t.updated_at).to_string(),
    ]
    .into_iter()
    .collect()
}

fn plain_row(i: I18n, idx: usize, t: &TicketSummary, agents: &[Agent]) -> JsValue {
    row_strings(i, idx, t, agents)
        .into_iter()
        .enumerate()
        .map(|(k, s)| match k {
            0 | 8 => JsValue::from(s.parse::<u32>().unwrap()),
            _ => JsValue::from(s),
        })
        .collect::<js_sys::Array>()
        .into()
}

fn plain_rows(i: I18n, list: &[TicketSummary], at: &[usize], agents: &[Agent]) -> js_sys::Array {
    at.iter()
        .map(|&k| plain_row(i, k, &list[k], agents))
        .collect()
}

/// A row of the Leptos table: its position when created (the component's `idx`) and its ticket.
#[derive(Clone)]
struct Item {
    idx: usize,
    ticket: TicketSummary,
}

/// Keyed by ticket and last update: a changed ticket is a new row, as when the inbox re-reads
/// its page after a change.
fn key(item: &Item) -> (TicketId, Timestamp) {
    (item.ticket.id.clone(), item.ticket.updated_at)
}

fn tbody_in(host: &web_sys::Element) -> web_sys::Element {
    host.query_selector("tbody").unwrap().unwrap()
}

/// Waits, executor tick by tick (effects run on microtasks), until `done` holds.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..10_000 {
        if done() {
            return;
        }
        tick().await;
    }
    panic!("the DOM never showed {what}");
}

fn row_count(tbody: &web_sys::Element) -> u32 {
    tbody.child_element_count()
}

fn subject_of(tbody: &web_sys::Element, row: u32) -> String {
    tbody
        .query_selector(&format!("tr:nth-child({}) .mo-row-subject", row + 1))
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn code_of(tbody: &web_sys::Element, row: u32) -> String {
    tbody
        .query_selector(&format!("tr:nth-child({}) .mo-code", row + 1))
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// Both tables show the same rows, word for word.
fn same_rows(ours: &web_sys::Element, plain: &web_sys::Element, after: &str) {
    let (a, b) = (row_texts(ours), row_texts(plain));
    assert_eq!(a.len(), b.len(), "row counts differ after {after}");
    for (k, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x, y, "row {k} differs after {after}");
    }
}

/// The timings of one operation: until the DOM holds the change, and until layout after it.
#[derive(Default)]
struct Times {
    dom: Vec<f64>,
    layout: Vec<f64>,
}

impl Times {
    fn push(&mut self, t0: f64, t_dom: f64) {
        force_layout();
        let t_layout = now_ms();
        self.dom.push(t_dom - t0);
        self.layout.push(t_layout - t0);
    }
}

#[derive(Default)]
struct Op {
    ours: Times,
    plain: Times,
}

fn report(what: &str, op: &Op) {
    for (label, ours, plain) in [
        (what.to_owned(), &op.ours.dom, &op.plain.dom),
        (
            format!("{what} (to layout)"),
            &op.ours.layout,
            &op.plain.layout,
        ),
    ] {
        let (ours, plain) = (median(ours.clone()), median(plain.clone()));
        console_log!(
            "render {label:<44} leptos {ours:>8.2} ms | plain JS {plain:>8.2} ms | ratio {:.2}",
            ours / plain
        );
    }
}

#[wasm_bindgen_test]
#[ignore]
async fn render_1000_inbox_rows() {
    let i = I18n {
        lang: RwSignal::new(Lang::En),
    };
    let list = tickets();
    let team = agents();
    let items: Vec<Item> = list
        .iter()
        .cloned()
        .enumerate()
        .map(|(idx, ticket)| Item { idx, ticket })
        .collect();
    let all: Vec<usize> = (0..ROWS).collect();
    let tenth: Vec<usize> = (0..ROWS).step_by(10).collect();
    let tenth_u32: Vec<u32> = tenth.iter().map(|&k| k as u32).collect();

    // The component's table, driven by one signal.
    let ours_host = document().create_element("div").unwrap();
    let plain_host = document().create_element("div").unwrap();
    let body = document().body().unwrap();
    body.append_child(&ours_host).unwrap();
    body.append_child(&plain_host).unwrap();
    plain_host.set_inner_html("<table class=\"mo-table\"><tbody></tbody></table>");
    let rows = RwSignal::new(Vec::<Item>::new());
    let agents_value = team.clone();
    let _handle = mount_to(ours_host.clone().unchecked_into(), move || {
        provide_context(i);
        provide_context(ConsoleState::new(InboxView::Builtin(BuiltinView::All)));
        let selected = RwSignal::new(BTreeSet::<TicketId>::new());
        let agents = StoredValue::new(agents_value);
        let now = page_time();
        view! {
            <table class="mo-table">
                <tbody>
                    <For each=move || rows.get() key=key let:item>
                        <InboxRow idx=item.idx ticket=item.ticket now=now selected=selected agents=agents />
                    </For>
                </tbody>
            </table>
        }
    });
    let ours = tbody_in(&ours_host);
    let plain = tbody_in(&plain_host);

    let (mut create, mut update, mut swap, mut clear) =
        (Op::default(), Op::default(), Op::default(), Op::default());
    let mut texts = Vec::new();
    for run in 0..RUNS {
        let round = run + 1;
        // The data of this run, made before any clock starts.
        let changed = updated(&list, round);
        let changed_items: Vec<Item> = items
            .iter()
            .zip(&changed)
            .map(|(item, t)| Item {
                idx: item.idx,
                ticket: t.clone(),
            })
            .collect();
        let swapped_items = swapped(&changed_items);
        // What the component does per row besides the DOM: its texts (dates, ages, SLA
        // countdowns, messages), timed here where the plain side gets them made.
        let t0 = now_ms();
        let plain_all = plain_rows(i, &list, &all, &team);
        if run > 0 {
            texts.push(now_ms() - t0);
        }
        let plain_changed = plain_rows(i, &changed, &tenth, &team);
        let expected_subject = changed[990].subject.clone();
        let (code_1, code_998) = (list[1].code.to_string(), list[998].code.to_string());

        let mut timed = Op::default();
        // Which implementation goes first alternates from run to run.
        for ours_turn in [run % 2 == 0, run % 2 != 0] {
            if ours_turn {
                let t0 = now_ms();
                rows.set(items.clone());
                until("1,000 rows", || row_count(&ours) == ROWS as u32).await;
                timed.ours.push(t0, now_ms());
            } else {
                let t0 = now_ms();
                plain_create(&plain, &plain_all);
                timed.plain.push(t0, now_ms());
            }
        }
        same_rows(&ours, &plain, "create");
        assert_eq!(row_count(&ours), ROWS as u32);
        assert_eq!(subject_of(&ours, 999), list[999].subject);
        if run > 0 {
            create.ours.dom.extend(&timed.ours.dom);
            create.ours.layout.extend(&timed.ours.layout);
            create.plain.dom.extend(&timed.plain.dom);
            create.plain.layout.extend(&timed.plain.layout);
        }

        let mut timed = Op::default();
        for ours_turn in [run % 2 == 0, run % 2 != 0] {
            if ours_turn {
                let t0 = now_ms();
                rows.set(changed_items.clone());
                until("the updated rows", || {
                    subject_of(&ours, 990) == expected_subject
                })
                .await;
                timed.ours.push(t0, now_ms());
            } else {
                let t0 = now_ms();
                plain_update(&plain, &tenth_u32, &plain_changed);
                timed.plain.push(t0, now_ms());
            }
        }
        same_rows(&ours, &plain, "update");
        assert_eq!(row_count(&ours), ROWS as u32);
        assert_eq!(subject_of(&ours, 0), changed[0].subject);
        assert!(subject_of(&ours, 0).ends_with(" !!!"));
        assert!(!subject_of(&ours, 1).ends_with(" !!!"));
        assert_eq!(subject_of(&ours, 990), expected_subject);
        if run > 0 {
            update.ours.dom.extend(&timed.ours.dom);
            update.ours.layout.extend(&timed.ours.layout);
            update.plain.dom.extend(&timed.plain.dom);
            update.plain.layout.extend(&timed.plain.layout);
        }

        let mut timed = Op::default();
        for ours_turn in [run % 2 == 0, run % 2 != 0] {
            if ours_turn {
                let t0 = now_ms();
                rows.set(swapped_items.clone());
                until("the swapped rows", || code_of(&ours, 1) == code_998).await;
                timed.ours.push(t0, now_ms());
            } else {
                let t0 = now_ms();
                plain_swap(&plain, 1, 998);
                timed.plain.push(t0, now_ms());
            }
        }
        same_rows(&ours, &plain, "swap");
        assert_eq!(row_count(&ours), ROWS as u32);
        assert_eq!(code_of(&ours, 1), code_998);
        assert_eq!(code_of(&ours, 998), code_1);
        assert_eq!(code_of(&plain, 1), code_998);
        assert_eq!(code_of(&plain, 998), code_1);
        if run > 0 {
            swap.ours.dom.extend(&timed.ours.dom);
            swap.ours.layout.extend(&timed.ours.layout);
            swap.plain.dom.extend(&timed.plain.dom);
            swap.plain.layout.extend(&timed.plain.layout);
        }

        let mut timed = Op::default();
        for ours_turn in [run % 2 == 0, run % 2 != 0] {
            if ours_turn {
                let t0 = now_ms();
                rows.set(Vec::new());
                until("an empty table", || row_count(&ours) == 0).await;
                timed.ours.push(t0, now_ms());
            } else {
                let t0 = now_ms();
                plain_clear(&plain);
                timed.plain.push(t0, now_ms());
            }
        }
        assert_eq!(row_count(&ours), 0);
        assert_eq!(row_count(&plain), 0);
        if run > 0 {
            clear.ours.dom.extend(&timed.ours.dom);
            clear.ours.layout.extend(&timed.ours.layout);
            clear.plain.dom.extend(&timed.plain.dom);
            clear.plain.layout.extend(&timed.plain.layout);
        }
    }
    console_log!(
        "render: medians of {} runs, {ROWS} rows, the same page",
        RUNS - 1
    );
    report("create 1,000 rows", &create);
    console_log!(
        "render the texts of 1,000 rows, made in Rust (inside the Leptos figures): {:.2} ms",
        median(texts)
    );
    report("update every 10th row", &update);
    report("swap rows 2 and 999", &swap);
    report("clear 1,000 rows", &clear);
    ours_host.remove();
    plain_host.remove();
}

/// Tickets in an export file: `count` opened by customers, every other one answered by an agent.
fn import_file(count: u32) -> (String, usize) {
    let settings = Settings::default();
    let start = page_time() - TimeDelta::days(30);
    let mut ctx = Ctx::seeded("bench-import", 11, start);
    let agent = Actor::Agent(AgentId("ana".into()));
    let mut events: Vec<Event> = Vec::new();
    for n in 0..count {
        let customer = CustomerId(format!("customer-{}", n % 500));
        ctx.now = start + TimeDelta::seconds(i64::from(n) * 20);
        let form = NewTicket::new(
            &format!("Order {n} did not arrive"),
            "The tracking page shows nothing since Monday.",
            Requester {
                customer_id: Some(customer.clone()),
                name: format!("Customer {}", n % 500),
                email: Some(format!("c{}@example.com", n % 500)),
                ..Requester::default()
            },
            Channel::WebForm,
        );
        let opened = decide(
            None,
            &Command::Open(Box::new(form)),
            &Actor::Customer(customer),
            &settings.domain,
            &mut ctx,
        )
        .expect("a legal opening");
        if n % 2 == 1 {
            let t = mostrador_core::apply::fold(&opened).expect("opened");
            ctx.now += TimeDelta::seconds(5);
            let reply = Command::Reply {
                body: "It ships today; here is the new tracking number.".into(),
                attachments: vec![],
            };
            let answered = decide(Some(&t), &reply, &agent, &settings.domain, &mut ctx)
                .expect("a legal reply");
            events.extend(opened);
            events.extend(answered);
        } else {
            events.extend(opened);
        }
    }
    let n = events.len();
    (mostrador_core::export::export(&events, [], None), n)
}

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Tickets in the import benchmark's file: 10,000 unless `MOSTRADOR_IMPORT_TICKETS` says
/// otherwise when the benchmark is built (100,000 is the goal's size; see BENCHMARKS.md).
const IMPORT_TICKETS: u32 = match option_env!("MOSTRADOR_IMPORT_TICKETS") {
    Some(n) => match u32::from_str_radix(n, 10) {
        Ok(n) => n,
        Err(_) => panic!("MOSTRADOR_IMPORT_TICKETS is not a number"),
    },
    None => 10_000,
};

#[wasm_bindgen_test]
#[ignore]
async fn import_through_the_data_page_yields() {
    let (text, events) = import_file(IMPORT_TICKETS);
    let name = format!("mostrador-render-bench-{}", js_sys::Math::random());
    let store: Rc<dyn Store> = Rc::new(mostrador_idb::IdbStore::open(&name).await.unwrap());
    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let options = AppOptions {
        mode: Mode::Console,
        db_name: name.clone(),
        locale: Some("en".into()),
        sync: None,
    };
    let _handle = mount_to(host.clone(), move || {
        view! { <App options=options store=store /> }.into_any()
    });
    let find = |selector: &str| host.query_selector(selector).ok().flatten();
    let text_on_page = || host.text_content().unwrap_or_default();
    for _ in 0..500 {
        if text_on_page().contains("Data and backups") {
            break;
        }
        sleep(10).await;
    }
    let buttons = host.query_selector_all("button").unwrap();
    let data = (0..buttons.length())
        .filter_map(|k| buttons.item(k))
        .find(|b| b.text_content().unwrap_or_default().trim() == "Data and backups")
        .expect("the Data page's link");
    data.unchecked_into::<web_sys::HtmlElement>().click();
    let mut input = None;
    for _ in 0..500 {
        input = find("#mo-import");
        if input.is_some() {
            break;
        }
        sleep(10).await;
    }
    let input = input.expect("the import field");
    set_file(&input, &text, "export.json");
    let bytes = text.len();
    drop(text);
    sleep(100).await;

    let watch = watch_main_thread();
    let t0 = now_ms();
    let change = web_sys::Event::new("change").unwrap();
    input.dispatch_event(&change).unwrap();
    let mut finished = false;
    for _ in 0..36_000 {
        if text_on_page().contains("Import finished") {
            finished = true;
            break;
        }
        if find(".mo-banner-error").is_some() {
            break;
        }
        sleep(50).await;
    }
    let ms = now_ms() - t0;
    let figures = stop_watching(&watch);
    assert!(
        finished,
        "the import did not finish: {}",
        text_on_page().chars().take(600).collect::<String>()
    );
    let summary = find(".mo-confirm")
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    let tickets = format_number(Lang::En, i64::from(IMPORT_TICKETS));
    assert!(
        summary.contains(&format!("{tickets} new tickets")),
        "summary: {summary}"
    );
    let label = format!("{tickets} tickets");
    console_log!(
        "import {label}: {events} events, {:.1} MB, through the Data page in {ms:.0} ms",
        bytes as f64 / 1e6
    );
    if figures[0] == 0.0 {
        console_log!("import {label}: this browser reports no long tasks");
    } else {
        console_log!(
            "import {label} longest task: {:.0} ms | goal 200 ms | {} tasks over 200 ms, {} long tasks, {:.0} ms in long tasks",
            figures[2],
            figures[3],
            figures[1],
            figures[4]
        );
    }
    console_log!(
        "import {label} longest gap between timers: {:.0} ms",
        figures[5]
    );
    let over: Vec<String> = figures[6..].iter().map(|d| format!("{d:.0}")).collect();
    console_log!("(tasks over 200 ms, in ms: {})", over.join(", "));
    host.remove();
    let _ = mostrador_idb::delete_database(&name).await;
}

/// The row's markup with its texts made beforehand and nothing reactive in it (no language
/// signal, no cursor, no selection, no handlers): what Leptos itself costs for 1,000 rows, to
/// tell it from what the inbox row adds.
#[component]
fn StaticRow(texts: Arc<Vec<String>>) -> impl IntoView {
    let r = texts;
    let sla = {
        let r = r.clone();
        move || match r[8].as_str() {
            "0" => view! { <span class="mo-muted" title=r[9].clone()>"—"</span> }.into_any(),
            "1" => view! { <span class="mo-sla-ok">{r[9].clone()}</span> }.into_any(),
            _ => view! {
                <span class=r[9].clone()>{r[10].clone()}</span>
                " "
                <span>{r[11].clone()}</span>
            }
            .into_any(),
        }
    };
    let priority = format!("mo-badge mo-priority-{}", r[4]);
    view! {
        <tr>
            <td class="mo-col-check"><input type="checkbox" aria-label=r[1].clone() /></td>
            <td class="mo-col-subject">
                <button type="button" id=format!("mo-row-{}", r[0]) class="mo-row-button">
                    <span class="mo-code">{r[2].clone()}</span>
                    " "
                    <span class="mo-row-subject">{r[3].clone()}</span>
                </button>
                <div class="mo-row-meta">
                    <span class=priority.clone() title=r[6].clone()>{r[5].clone()}</span>
                    <span class="mo-cell-clip">{r[7].clone()}</span>
                    <span class="mo-nowrap">{sla()}</span>
                </div>
            </td>
            <td class="mo-col-opt mo-nowrap mo-cell-clip">{r[12].clone()}</td>
            <td><span class=format!("mo-badge mo-status-{}", r[13])>{r[14].clone()}</span></td>
            <td class="mo-col-opt"><span class=priority title=r[6].clone()>{r[5].clone()}</span></td>
            <td class="mo-col-opt mo-nowrap mo-cell-clip">{r[7].clone()}</td>
            <td class="mo-col-opt mo-nowrap">
                <time datetime=r[15].clone() title=r[16].clone()>{r[17].clone()}</time>
            </td>
            <td class="mo-col-opt mo-nowrap">{sla()}</td>
        </tr>
    }
}

/// Create and clear only, with [`StaticRow`]: where the inbox row's time goes.
#[wasm_bindgen_test]
#[ignore]
async fn render_1000_static_rows() {
    let i = I18n {
        lang: RwSignal::new(Lang::En),
    };
    let list = tickets();
    let team = agents();
    let all: Vec<usize> = (0..ROWS).collect();
    let texts: Vec<Arc<Vec<String>>> = list
        .iter()
        .enumerate()
        .map(|(k, t)| Arc::new(row_strings(i, k, t, &team)))
        .collect();
    let ours_host = document().create_element("div").unwrap();
    let plain_host = document().create_element("div").unwrap();
    let body = document().body().unwrap();
    body.append_child(&ours_host).unwrap();
    body.append_child(&plain_host).unwrap();
    plain_host.set_inner_html("<table class=\"mo-table\"><tbody></tbody></table>");
    let rows = RwSignal::new(Vec::<Arc<Vec<String>>>::new());
    let _handle = mount_to(ours_host.clone().unchecked_into(), move || {
        view! {
            <table class="mo-table">
                <tbody>
                    <For each=move || rows.get() key=|r| r[2].clone() let:texts>
                        <StaticRow texts=texts />
                    </For>
                </tbody>
            </table>
        }
    });
    let ours = tbody_in(&ours_host);
    let plain = tbody_in(&plain_host);
    let (mut create, mut clear) = (Op::default(), Op::default());
    for run in 0..RUNS {
        let plain_all = plain_rows(i, &list, &all, &team);
        let mut timed = Op::default();
        for ours_turn in [run % 2 == 0, run % 2 != 0] {
            if ours_turn {
                let t0 = now_ms();
                rows.set(texts.clone());
                until("1,000 rows", || row_count(&ours) == ROWS as u32).await;
                timed.ours.push(t0, now_ms());
            } else {
                let t0 = now_ms();
                plain_create(&plain, &plain_all);
                timed.plain.push(t0, now_ms());
            }
        }
        same_rows(&ours, &plain, "create");
        let mut cleared = Op::default();
        for ours_turn in [run % 2 == 0, run % 2 != 0] {
            if ours_turn {
                let t0 = now_ms();
                rows.set(Vec::new());
                until("an empty table", || row_count(&ours) == 0).await;
                cleared.ours.push(t0, now_ms());
            } else {
                let t0 = now_ms();
                plain_clear(&plain);
                cleared.plain.push(t0, now_ms());
            }
        }
        assert_eq!(row_count(&ours) + row_count(&plain), 0);
        if run > 0 {
            for (all, one) in [(&mut create, &timed), (&mut clear, &cleared)] {
                all.ours.dom.extend(&one.ours.dom);
                all.ours.layout.extend(&one.ours.layout);
                all.plain.dom.extend(&one.plain.dom);
                all.plain.layout.extend(&one.plain.layout);
            }
        }
    }
    report("create 1,000 rows, static row view", &create);
    report("clear 1,000 rows, static row view", &clear);
    ours_host.remove();
    plain_host.remove();
}
