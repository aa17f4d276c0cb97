//! The console's inbox: a view's page of tickets with sorting, selection, keyboard moves and
//! the bulk bar.

pub mod bulk_bar;

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::model::{AgentId, TicketId, Timestamp};
use mostrador_core::store::{Meta, PageRequest, SortKey};

use crate::components::loading::Loading;
use crate::components::status_badge::{PriorityBadge, StatusBadge};
use crate::console::inbox::bulk_bar::BulkBar;
use crate::console::{ConsolePage, InboxView, SavedView, builtin_key, use_console};
use crate::i18n::errors::message;
use crate::i18n::{Key, format_duration, format_number, use_i18n};
use crate::services::desk::use_desk;
use crate::shell::session::use_session;

/// Rows per page: a page is read from the store's indexes, so the inbox stays quick with
/// 100,000 tickets.
pub const PAGE_SIZE: usize = 50;

const SORTS: [(SortKey, Key); 6] = [
    (SortKey::UpdatedDesc, Key::SortUpdatedDesc),
    (SortKey::UpdatedAsc, Key::SortUpdatedAsc),
    (SortKey::CreatedDesc, Key::SortCreatedDesc),
    (SortKey::CreatedAsc, Key::SortCreatedAsc),
    (SortKey::PriorityDesc, Key::SortPriority),
    (SortKey::SlaDueAsc, Key::SortSlaDue),
];

/// "5 min ago": how long since `at`, in whole minutes, hours or days (a week or more: the date).
fn ago(i: crate::i18n::I18n, now: Timestamp, at: Timestamp) -> String {
    let d = now - at;
    let n = |x: i64| format_number(i.lang.get(), x);
    if d.num_minutes() < 1 {
        i.t(Key::AgoNow).to_owned()
    } else if d.num_hours() < 1 {
        i.tf(Key::AgoMinutes, &[("n", &n(d.num_minutes()))])
    } else if d.num_days() < 1 {
        i.tf(Key::AgoHours, &[("n", &n(d.num_hours()))])
    } else if d.num_days() < 7 {
        i.tf(Key::AgoDays, &[("n", &n(d.num_days()))])
    } else {
        i.dt(at)
    }
}

/// The SLA column: the next target's countdown, coloured when at risk, or how late it is.
fn sla_cell(
    i: crate::i18n::I18n,
    now: Timestamp,
    due: Option<Timestamp>,
    breached_at: Option<Timestamp>,
    at_risk: bool,
) -> AnyView {
    // The state in words (not only in colour), then the countdown.
    let badge = |class: &'static str, key: Key, text: String| {
        view! {
            <span class=format!("mo-badge {class}")>{i.t(key)}</span>
            " "
            <span>{text}</span>
        }
        .into_any()
    };
    match due {
        Some(d) if d <= now => badge(
            "mo-sla-breached",
            Key::SlaBreached,
            i.tf(Key::SlaLate, &[("duration", &format_duration(now - d))]),
        ),
        Some(d) => {
            let text = i.tf(Key::SlaDueIn, &[("duration", &format_duration(d - now))]);
            if breached_at.is_some() {
                // An earlier target was missed; the next one still runs.
                badge("mo-sla-breached", Key::SlaBreached, text)
            } else if at_risk {
                badge("mo-sla-risk", Key::SlaAtRisk, text)
            } else {
                view! { <span class="mo-sla-ok">{text}</span> }.into_any()
            }
        }
        None if breached_at.is_some() => {
            view! { <span class="mo-badge mo-sla-breached">{i.t(Key::SlaBreached)}</span> }
                .into_any()
        }
        None => view! { <span class="mo-muted" title=i.t(Key::NoSla)>"—"</span> }.into_any(),
    }
}

/// The ticket list of the current view: search, sort, paging, selection for bulk actions.
#[component]
pub fn Inbox() -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let session = use_session();
    let state = use_console();
    let selected = RwSignal::new(BTreeSet::<TicketId>::new());
    let view_name = RwSignal::new(String::new());
    let rev = desk.revision;
    let agents = desk.settings().agents;

    let page = {
        let desk = desk.clone();
        LocalResource::new(move || {
            rev.track();
            let me = session.agent.get().unwrap_or(AgentId(String::new()));
            let mut filter = state.view.get().filter(&me);
            let text = state.text.get();
            if !text.trim().is_empty() {
                filter.text = Some(text);
            }
            let request = PageRequest {
                filter,
                sort: state.sort.get(),
                offset: state.offset.get(),
                limit: PAGE_SIZE,
                now: crate::services::ids::now(),
            };
            let desk = desk.clone();
            async move { desk.store.page(&request).await }
        })
    };
    Effect::new(move |_| {
        if let Some(Ok(p)) = page.get() {
            state
                .rows
                .set(p.items.iter().map(|t| t.id.clone()).collect());
            let visible: BTreeSet<TicketId> = p.items.iter().map(|t| t.id.clone()).collect();
            selected.update(|s| s.retain(|x| visible.contains(x)));
        }
    });

    let save_view = {
        let desk = desk.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let name = view_name.get_untracked().trim().to_owned();
            if name.is_empty() {
                return;
            }
            let me = session
                .agent
                .get_untracked()
                .unwrap_or(AgentId(String::new()));
            let mut filter = state.view.get_untracked().filter(&me);
            let text = state.text.get_untracked();
            filter.text = (!text.trim().is_empty()).then_some(text);
            let saved = SavedView { name, filter };
            let mut list = state.saved.get_untracked();
            list.retain(|s| s.name != saved.name);
            list.push(saved.clone());
            state.saved.set(list.clone());
            state.view.set(InboxView::Saved(Box::new(saved)));
            view_name.set(String::new());
            let desk = desk.clone();
            spawn_local(async move {
                let _ = desk
                    .store
                    .set_meta::<crate::console::SavedViews>(&list)
                    .await;
            });
        }
    };

    let title = move || match state.view.get() {
        InboxView::Builtin(b) => i.t(builtin_key(b)).to_owned(),
        InboxView::Saved(s) => s.name,
    };
    let agent_name = move |a: &Option<AgentId>| match a {
        None => i.t(Key::Nobody).to_owned(),
        Some(id) => agents
            .iter()
            .find(|x| &x.id == id)
            .map_or_else(|| id.0.clone(), |x| x.name.clone()),
    };
    let agent_name = StoredValue::new(agent_name);

    view! {
        <section class="mo-inbox" aria-labelledby="mo-inbox-title">
            <h2 id="mo-inbox-title" class="mo-subtitle">{title}</h2>
            <div class="mo-toolbar">
                <label class="mo-inline-field">
                    <span>{move || i.t(Key::SortBy)}</span>
                    <select
                        class="mo-select"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some((s, _)) = SORTS.iter().find(|(s, _)| format!("{s:?}") == v) {
                                state.sort.set(*s);
                                state.offset.set(0);
                            }
                        }
                    >
                        {SORTS
                            .into_iter()
                            .map(|(s, k)| {
                                view! {
                                    <option value=format!("{s:?}") selected=move || state.sort.get() == s>
                                        {move || i.t(k)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                // Saving is occasional work: behind a disclosure, not a form on top of every view.
                <details class="mo-save-view-box">
                <summary class="mo-link">{move || i.t(Key::SaveThisView)}</summary>
                <form class="mo-save-view" on:submit=save_view>
                    <label class="mo-inline-field">
                        <span>{move || i.t(Key::ViewName)}</span>
                        <input
                            class="mo-input"
                            type="text"
                            prop:value=move || view_name.get()
                            on:input=move |ev| view_name.set(event_target_value(&ev))
                        />
                    </label>
                    <button type="submit" class="mo-button mo-button-secondary">
                        {move || i.t(Key::SaveView)}
                    </button>
                </form>
                </details>
            </div>
            <BulkBar selected=selected />
            {move || match page.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => {
                    let e = crate::services::desk::UiError::from(e);
                    view! { <p class="mo-banner mo-banner-error" role="alert">{move || message(i, &e)}</p> }
                        .into_any()
                }
                Some(Ok(p)) => {
                    let total = p.total;
                    let offset = state.offset.get_untracked();
                    let shown = p.items.len();
                    let all_ids: Vec<TicketId> = p.items.iter().map(|t| t.id.clone()).collect();
                    let now = crate::services::ids::now();
                    view! {
                        <p class="mo-muted" role="status" aria-live="polite">
                            {move || {
                                let l = i.lang.get();
                                if total == 0 {
                                    i.t(Key::NoTickets).to_owned()
                                } else {
                                    i.tf(
                                        Key::RangeOf,
                                        &[
                                            ("first", &format_number(l, (offset + 1) as i64)),
                                            ("last", &format_number(l, (offset + shown) as i64)),
                                            ("total", &format_number(l, total as i64)),],
                                    )
                                }
                            }}
                        </p>
                        {(total > 0).then(move || view! {
                        <div class="mo-table-wrap">
                            <table class="mo-table">
                                <caption class="mo-sr-only">{title}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col" class="mo-col-check">
                                            <input
                                                type="checkbox"
                                                aria-label=move || i.t(Key::SelectAll)
                                                prop:checked=move || !all_ids.is_empty() && selected.get().len() == all_ids.len()
                                                on:change={
                                                    let ids = p.items.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
                                                    move |ev| {
                                                        if event_target_checked(&ev) {
                                                            selected.set(ids.iter().cloned().collect());
                                                        } else {
                                                            selected.set(BTreeSet::new());
                                                        }
                                                    }
                                                }
                                            />
                                        </th>
                                        <th scope="col" class="mo-col-subject">{move || i.t(Key::Subject)}</th>
                                        <th scope="col" class="mo-col-opt">{move || i.t(Key::Requester)}</th>
                                        <th scope="col">{move || i.t(Key::Status)}</th>
                                        <th scope="col" class="mo-col-opt">{move || i.t(Key::Priority)}</th>
                                        <th scope="col" class="mo-col-opt">{move || i.t(Key::Assignee)}</th>
                                        <th scope="col" class="mo-col-opt">{move || i.t(Key::Updated)}</th>
                                        <th scope="col" class="mo-col-opt">{move || i.t(Key::Sla)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p
                                        .items
                                        .into_iter()
                                        .enumerate()
                                        .map(|(idx, t)| {
                                            let id = t.id.clone();
                                            let id_sel = t.id.clone();
                                            let id_chk = t.id.clone();
                                            let at_risk = t.sla_at_risk(now);
                                            let breached_at = t.sla_breached_at;
                                            let due = t.sla_due;
                                            let updated = t.updated_at;
                                            let code = t.code.to_string();
                                            let code2 = code.clone();
                                            let assignee = t.assignee.clone();
                                            let assignee2 = t.assignee.clone();
                                            let id_open = t.id.clone();
                                            let priority = t.priority;
                                            view! {
                                                <tr class:mo-row-current=move || state.cursor.get() == idx>
                                                    <td class="mo-col-check">
                                                        <input
                                                            type="checkbox"
                                                            aria-label=move || i.tf(Key::SelectTicket, &[("code", &code2)])
                                                            prop:checked=move || selected.get().contains(&id_chk)
                                                            on:change=move |ev| {
                                                                let on = event_target_checked(&ev);
                                                                selected.update(|s| {
                                                                    if on { s.insert(id_sel.clone()); } else { s.remove(&id_sel); }
                                                                });
                                                            }
                                                        />
                                                    </td>
                                                    <td class="mo-col-subject">
                                                        <button
                                                            type="button"
                                                            id=format!("mo-row-{idx}")
                                                            class="mo-row-button"
                                                            // The ticket open beside the list (split view).
                                                            aria-current=move || {
                                                                (state.page.get() == ConsolePage::Ticket(id_open.clone()))
                                                                    .then_some("true")
                                                            }
                                                            on:focus=move |_| state.cursor.set(idx)
                                                            on:click=move |_| {
                                                                state.cursor.set(idx);
                                                                state.page.set(ConsolePage::Ticket(id.clone()));
                                                            }
                                                        >
                                                            <span class="mo-code">{code}</span>
                                                            " "
                                                            <span class="mo-row-subject">{t.subject.clone()}</span>
                                                        </button>
                                                        // Where the columns do not fit (a phone, the split
                                                        // view's list): priority, assignee and SLA under
                                                        // the subject.
                                                        <div class="mo-row-meta">
                                                            <PriorityBadge priority=priority />
                                                            <span class="mo-cell-clip">{move || agent_name.with_value(|f| f(&assignee2))}</span>
                                                            <span class="mo-nowrap">{move || sla_cell(i, now, due, breached_at, at_risk)}</span>
                                                        </div>
                                                    </td>
                                                    <td class="mo-col-opt mo-nowrap mo-cell-clip">{t.requester_name.clone()}</td>
                                                    <td><StatusBadge status=t.status /></td>
                                                    <td class="mo-col-opt"><PriorityBadge priority=t.priority /></td>
                                                    <td class="mo-col-opt mo-nowrap mo-cell-clip">{move || agent_name.with_value(|f| f(&assignee))}</td>
                                                    <td class="mo-col-opt mo-nowrap">
                                                        <time datetime=updated.to_rfc3339() title=move || i.dt(updated)>
                                                            {move || ago(i, now, updated)}
                                                        </time>
                                                    </td>
                                                    <td class="mo-col-opt mo-nowrap">
                                                        {move || sla_cell(i, now, due, breached_at, at_risk)}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <div class="mo-pager">
                            <button
                                type="button"
                                class="mo-button mo-button-secondary"
                                disabled={ offset == 0 }
                                on:click=move |_| state.offset.update(|o| *o = o.saturating_sub(PAGE_SIZE))
                            >
                                {move || i.t(Key::Previous)}
                            </button>
                            <button
                                type="button"
                                class="mo-button mo-button-secondary"
                                disabled={ offset + shown >= total }
                                on:click=move |_| state.offset.update(|o| *o += PAGE_SIZE)
                            >
                                {move || i.t(Key::Next)}
                            </button>
                        </div>
                        })}
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
