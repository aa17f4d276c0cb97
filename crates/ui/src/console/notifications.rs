//! The agent's browser notifications: the alerts the sync link raises ([`AlertQueue`], the core's
//! rules for agents' email) shown as the browser's notifications once the agent has allowed them
//! with the control in the sidebar (the browser asks only after that click), and counted in the
//! tab's title while the tab is in the background. A notification opens its ticket.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::notify::NoticeKind;

use crate::console::{ConsolePage, ConsoleState, use_console};
use crate::i18n::{I18n, Key, Plural, use_i18n};
use crate::services::alerts::{Alert, AlertQueue};
use crate::services::notifications::{Permission, permission, request};

/// Notifications shown for one batch of events; the rest are summed up in one more.
const MAX_AT_ONCE: usize = 4;

fn title_key(kind: NoticeKind) -> Key {
    match kind {
        NoticeKind::NewTicketInQueue => Key::AlertNewTicket,
        NoticeKind::AssignedToYou => Key::AlertAssigned,
        NoticeKind::CustomerReplied => Key::AlertCustomerReplied,
        _ => Key::AlertUpdated,
    }
}

/// The sidebar's control: asks the browser, on the agent's click only.
#[component]
pub fn NotificationControl() -> impl IntoView {
    let i = use_i18n();
    let state = RwSignal::new(permission());
    let ask = move |_| {
        spawn_local(async move {
            state.try_set(request().await);
        });
    };
    move || match state.get() {
        None => ().into_any(),
        Some(Permission::Granted) => {
            view! { <p class="mo-hint mo-notify">{i.t(Key::NotifyOn)}</p> }.into_any()
        }
        Some(Permission::Denied) => {
            view! { <p class="mo-hint mo-notify">{i.t(Key::NotifyBlocked)}</p> }.into_any()
        }
        Some(Permission::Ask) => view! {
            <button type="button" class="mo-link" on:click=ask>
                {i.t(Key::NotifyTurnOn)}
            </button>
        }
        .into_any(),
    }
}

/// Shows each alert the queue receives, and keeps the title's count while the tab is hidden.
pub fn watch(queue: AlertQueue) {
    let i = use_i18n();
    let state = use_console();
    let unseen = RwSignal::new(0usize);
    let base_title: StoredValue<Option<String>, LocalStorage> = StoredValue::new_local(None);
    let timer: StoredValue<Option<IntervalHandle>> = StoredValue::new(None);
    let document = || web_sys::window().and_then(|w| w.document());
    let set_title = move |n: usize| {
        let Some(doc) = document() else { return };
        if n == 0 {
            if let Some(t) = base_title.try_update_value(Option::take).flatten() {
                doc.set_title(&t);
            }
            if let Some(t) = timer.try_update_value(Option::take).flatten() {
                t.clear();
            }
            return;
        }
        if base_title.with_value(Option::is_none) {
            base_title.set_value(Some(doc.title()));
        }
        let base = base_title.with_value(|t| t.clone().unwrap_or_default());
        doc.set_title(&format!("({n}) {base}"));
        if timer.with_value(Option::is_none) {
            // No listener on the host's document: a cheap look once a second while counting.
            let tick = set_interval_with_handle(
                move || {
                    if document().is_some_and(|d| !d.hidden()) {
                        unseen.try_set(0);
                    }
                },
                std::time::Duration::from_secs(1),
            );
            timer.set_value(tick.ok());
        }
    };
    Effect::new(move |_| set_title(unseen.get()));
    Effect::new(move |_| {
        let alerts = queue.0.get();
        if alerts.is_empty() {
            return;
        }
        queue.0.set(Vec::new());
        if document().is_some_and(|d| d.hidden()) {
            unseen.update(|n| *n += alerts.len());
        }
        if permission() != Some(Permission::Granted) {
            return;
        }
        for a in alerts.iter().take(MAX_AT_ONCE) {
            show(
                a,
                i.t(title_key(a.kind)),
                &format!("{} · {}", a.code, a.subject),
                i,
                state,
            );
        }
        if alerts.len() > MAX_AT_ONCE {
            let more = (alerts.len() - MAX_AT_ONCE) as u64;
            let last = &alerts[alerts.len() - 1];
            show(last, &i.tn(Plural::AlertMore, more, &[]), "", i, state);
        }
    });
}

fn show(a: &Alert, title: &str, body: &str, i: I18n, state: ConsoleState) {
    let id = a.ticket.clone();
    crate::services::notifications::show(
        title,
        body,
        // One notification per ticket: a newer one replaces it.
        &format!("mostrador:{}", a.ticket.0),
        i.lang.get_untracked().tag(),
        move || {
            state.page.try_set(ConsolePage::Ticket(id));
        },
    );
}
