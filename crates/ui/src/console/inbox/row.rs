//! One row of the inbox: the selection box, the ticket's code and subject (the button that opens
//! it), requester, status, priority, assignee, last update and SLA.

use std::collections::BTreeSet;

use leptos::prelude::*;
use mostrador_core::assignment::Agent;
use mostrador_core::model::{AgentId, Priority, TicketId, Timestamp};
use mostrador_core::store::TicketSummary;

use crate::console::{ConsolePage, use_console};
use crate::i18n::{I18n, Key, format_duration, format_number, priority_key, status_key, use_i18n};

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
///
/// The row's texts are plain: the whole row is built again when the language changes (rare),
/// so a row holds three reactive cells (cursor, selection, open ticket) instead of one per
/// label; an inbox page builds and disposes of fifty of them at every re-read.
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
    let t = StoredValue::new(ticket);
    move || {
        // Tracks the language: every text below is read once per build.
        i.lang.track();
        t.with_value(|t| row(i, state, idx, t, now, selected, agents))
    }
}

/// One build of an [`InboxRow`] in the current language.
fn row(
    i: I18n,
    state: crate::console::ConsoleState,
    idx: usize,
    t: &TicketSummary,
    now: Timestamp,
    selected: RwSignal<BTreeSet<TicketId>>,
    agents: StoredValue<Vec<Agent>>,
) -> AnyView {
    let id = t.id.clone();
    let id_sel = t.id.clone();
    let id_chk = t.id.clone();
    let id_open = t.id.clone();
    let at_risk = t.sla_at_risk(now);
    let code = t.code.to_string();
    let assignee = agents.with_value(|a| agent_name(i, a, &t.assignee));
    let updated = t.updated_at;
    let sla = || sla_cell(i, now, t.sla_due, t.sla_breached_at, at_risk);
    let priority = |p: Priority| {
        view! {
            <span class=format!("mo-badge mo-priority-{}", p.as_str()) title=i.t(Key::Priority)>
                {i.t(priority_key(p))}
            </span>
        }
    };
    view! {
        <tr class:mo-row-current=move || state.cursor.get() == idx>
            <td class="mo-col-check">
                <input
                    type="checkbox"
                    aria-label=i.tf(Key::SelectTicket, &[("code", &code)])
                    prop:checked=move || selected.with(|s| s.contains(&id_chk))
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
                        state.page.with(|p| matches!(p, ConsolePage::Ticket(o) if *o == id_open))
                            .then_some("true")
                    }
                    on:focus=move |_| state.cursor.set(idx)
                    on:click=move |_| {
                        state.cursor.set(idx);
                        state.page.set(ConsolePage::Ticket(id.clone()));
                    }
                >
                    <span class="mo-code">{code.clone()}</span>
                    " "
                    <span class="mo-row-subject">{t.subject.clone()}</span>
                </button>
                // Where the columns do not fit (a phone, the split
                // view's list): priority, assignee and SLA under
                // the subject.
                <div class="mo-row-meta">
                    {priority(t.priority)}
                    <span class="mo-cell-clip">{assignee.clone()}</span>
                    <span class="mo-nowrap">{sla()}</span>
                </div>
            </td>
            <td class="mo-col-opt mo-nowrap mo-cell-clip">{t.requester_name.clone()}</td>
            <td>
                <span class=format!("mo-badge mo-status-{}", t.status.as_str())>
                    {i.t(status_key(t.status))}
                </span>
            </td>
            <td class="mo-col-opt">{priority(t.priority)}</td>
            <td class="mo-col-opt mo-nowrap mo-cell-clip">{assignee}</td>
            <td class="mo-col-opt mo-nowrap">
                <time datetime=updated.to_rfc3339() title=i.dt(updated)>
                    {ago(i, now, updated)}
                </time>
            </td>
            <td class="mo-col-opt mo-nowrap">{sla()}</td>
        </tr>
    }
    .into_any()
}
