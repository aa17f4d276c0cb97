//! One row of the inbox: the selection box, the ticket's code and subject (the button that opens
//! it), requester, status, priority, assignee, last update and SLA.

use std::collections::BTreeSet;

use leptos::prelude::*;
use mostrador_core::assignment::Agent;
use mostrador_core::model::{AgentId, TicketId, Timestamp};
use mostrador_core::store::TicketSummary;

use crate::components::status_badge::{PriorityBadge, StatusBadge};
use crate::console::{ConsolePage, use_console};
use crate::i18n::{I18n, Key, format_duration, format_number, use_i18n};

/// "5 min ago": how long since `at`, in whole minutes, hours or days (a week or more: the date).
pub fn ago(i: I18n, now: Timestamp, at: Timestamp) -> String {
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
    i: I18n,
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

/// An agent's name, or "nobody".
fn agent_name(i: I18n, agents: &[Agent], a: &Option<AgentId>) -> String {
    match a {
        None => i.t(Key::Nobody).to_owned(),
        Some(id) => agents
            .iter()
            .find(|x| &x.id == id)
            .map_or_else(|| id.0.clone(), |x| x.name.clone()),
    }
}

/// The inbox row of `ticket`, the `idx`-th of the page: selected into `selected`, current when
/// the keyboard cursor is on it, `aria-current` while it is open beside the list.
#[component]
pub fn InboxRow(
    idx: usize,
    ticket: TicketSummary,
    /// The time the page was read (ages and countdowns count from it).
    now: Timestamp,
    selected: RwSignal<BTreeSet<TicketId>>,
    agents: StoredValue<Vec<Agent>>,
) -> impl IntoView {
    let i = use_i18n();
    let state = use_console();
    let t = ticket;
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
                    <span class="mo-cell-clip">{move || agents.with_value(|a| agent_name(i, a, &assignee2))}</span>
                    <span class="mo-nowrap">{move || sla_cell(i, now, due, breached_at, at_risk)}</span>
                </div>
            </td>
            <td class="mo-col-opt mo-nowrap mo-cell-clip">{t.requester_name.clone()}</td>
            <td><StatusBadge status=t.status /></td>
            <td class="mo-col-opt"><PriorityBadge priority=t.priority /></td>
            <td class="mo-col-opt mo-nowrap mo-cell-clip">{move || agents.with_value(|a| agent_name(i, a, &assignee))}</td>
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
}
