//! A customer's rights over their data, on the console's Data page: find their tickets by email
//! or customer id, give them a copy (access) or erase their personal data (erasure). Both are
//! commands on each ticket, so they are recorded in its history and sync like any change; the
//! rules (who may, what is removed) live in the core's `privacy` module.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::apply::fold_all;
use mostrador_core::command::Command;
use mostrador_core::model::{Actor, TicketId};
use mostrador_core::privacy::{PrivacyRequest, access_report, customer_tickets};
use mostrador_core::store::StoreError;
use mostrador_core::ticket::Ticket;

use crate::components::field::{Check, LabelledField};
use crate::i18n::errors::message;
use crate::i18n::{I18n, Key, Plural, use_i18n};
use crate::services::attachments::{delete_files, files_of, save_text, use_blobs};
use crate::services::desk::{Desk, UiError, use_desk};
use crate::services::ids::now;
use crate::shell::session::use_session;

/// A ticket found for the customer: id, code and subject (shown before anything is done).
#[derive(Debug, Clone, PartialEq)]
struct Found {
    id: TicketId,
    code: String,
    subject: String,
}

/// Every ticket of the customer named by `who` (email or customer id), erased ones left out.
async fn find(desk: &Desk, who: &str) -> Result<Vec<Ticket>, UiError> {
    let events = desk.store.all_events().await?;
    let all = fold_all(&events);
    let mut found: Vec<Ticket> = customer_tickets(all.values(), who)
        .into_iter()
        .cloned()
        .collect();
    found.sort_by_key(|t| std::cmp::Reverse(t.created_at));
    Ok(found)
}

/// Records `request` on every ticket; returns how many took it and the first failure.
async fn record(
    desk: &Desk,
    ids: &[TicketId],
    actor: &Actor,
    request: PrivacyRequest,
) -> (usize, Option<UiError>) {
    let mut done = 0;
    let mut failure = None;
    for id in ids {
        match desk
            .run(Some(id), vec![Command::Privacy { request }], actor)
            .await
        {
            Ok(_) => done += 1,
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    (done, failure)
}

fn outcome(
    i: I18n,
    key: Plural,
    done: usize,
    failure: Option<UiError>,
) -> (String, Option<String>) {
    (i.tn(key, done as u64, &[]), failure.map(|e| message(i, &e)))
}

/// The "A customer's data" section.
#[component]
pub fn CustomerData() -> impl IntoView {
    let i = use_i18n();
    let desk = StoredValue::new_local(use_desk());
    let session = use_session();
    let blobs = StoredValue::new_local(use_blobs());
    let who = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Vec<Found>>);
    let confirm = RwSignal::new(false);
    let confirm_error = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let on_find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = who.get_untracked();
        note.set(String::new());
        error.set(String::new());
        confirm.set(false);
        if q.trim().is_empty() {
            found.set(None);
            error.set(i.t(Key::ErrRequiredValue).to_owned());
            return;
        }
        let desk = desk.get_value();
        spawn_local(async move {
            match find(&desk, &q).await {
                Ok(ts) => {
                    let list = ts
                        .iter()
                        .map(|t| Found {
                            id: t.id.clone(),
                            code: t.code.to_string(),
                            subject: t.subject.clone(),
                        })
                        .collect();
                    found.try_set(Some(list));
                }
                Err(e) => {
                    error.try_set(message(i, &e));
                }
            }
        });
    };

    let ids = move || {
        found
            .get_untracked()
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.id)
            .collect::<Vec<_>>()
    };

    let export_customer = move |_| {
        let Some(me) = session.agent.get_untracked() else {
            return;
        };
        let ids = ids();
        let desk = desk.get_value();
        let q = who.get_untracked();
        busy.set(true);
        error.set(String::new());
        spawn_local(async move {
            let result = async {
                let mut tickets = Vec::new();
                for id in &ids {
                    if let Some(t) = desk.store.ticket(id).await? {
                        tickets.push(t);
                    }
                }
                let refs: Vec<&Ticket> = tickets.iter().collect();
                let json = access_report(&refs, &desk.settings().domain, now());
                let safe: String = q
                    .trim()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                let name = format!("customer-{safe}-{}.json", now().format("%Y-%m-%d"));
                save_text(&json, "application/json", &name)
                    .map_err(|e| UiError::Store(StoreError::Unavailable(e)))?;
                Ok::<(), UiError>(())
            }
            .await;
            match result {
                Ok(()) => {
                    // Recorded only once the file was handed to the browser.
                    let (done, failure) =
                        record(&desk, &ids, &Actor::Agent(me), PrivacyRequest::Access).await;
                    let (n, e) = outcome(i, Plural::CustomerExported, done, failure);
                    note.try_set(n);
                    error.try_set(e.unwrap_or_default());
                }
                Err(e) => {
                    error.try_set(message(i, &e));
                }
            }
            busy.try_set(false);
        });
    };

    let erase_customer = move |_| {
        if !confirm.get_untracked() {
            confirm_error.set(i.t(Key::ErrConfirmErase).to_owned());
            return;
        }
        confirm_error.set(String::new());
        let Some(me) = session.agent.get_untracked() else {
            return;
        };
        let ids = ids();
        let desk = desk.get_value();
        busy.set(true);
        error.set(String::new());
        spawn_local(async move {
            // The files are listed before the erasure takes their names off the tickets; a
            // failure to list or delete them is reported like any other.
            let files = files_of(&desk, &ids).await;
            let (done, mut failure) =
                record(&desk, &ids, &Actor::Agent(me), PrivacyRequest::Erasure).await;
            let deleted = match files {
                Ok(files) => delete_files(&desk, blobs.get_value(), files).await,
                Err(e) => Err(e),
            };
            if let Err(e) = deleted {
                failure.get_or_insert(e);
            }
            let (n, e) = outcome(i, Plural::CustomerErased, done, failure);
            note.try_set(n);
            error.try_set(e.unwrap_or_default());
            found.try_set(None);
            confirm.try_set(false);
            busy.try_set(false);
        });
    };

    view! {
        <section class="mo-card mo-data-section" aria-labelledby="mo-customer-title">
            <h3 id="mo-customer-title" class="mo-subtitle">{i.text(Key::CustomerData)}</h3>
            <p class="mo-hint">{i.text(Key::CustomerDataHint)}</p>
            <form class="mo-inline-form" on:submit=on_find>
                <LabelledField id="mo-customer-who" label=Key::CustomerLookup>
                    <input id="mo-customer-who" class="mo-input" type="text" autocomplete="off"
                        prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev)) />
                </LabelledField>
                <button type="submit" class="mo-button mo-button-secondary">{i.text(Key::Find)}</button>
            </form>
            {move || found.get().map(|list| {
                let n = list.len();
                view! {
                    <p class="mo-muted" role="status">{move || i.tn(Plural::CustomerFound, n as u64, &[])}</p>
                    <ul class="mo-found-tickets">
                        {list.into_iter().map(|f| view! {
                            <li><span class="mo-code">{f.code}</span> " " {f.subject}</li>
                        }).collect_view()}
                    </ul>
                    {(n > 0).then(|| view! {
                        <div class="mo-actions">
                            <button type="button" class="mo-button mo-button-secondary" disabled=move || busy.get()
                                on:click=export_customer>{i.text(Key::ExportCustomer)}</button>
                        </div>
                        <Check label=Key::ConfirmErase checked=confirm described_by="mo-erase-error"
                            on_change=move |on| {
                                confirm.set(on);
                                confirm_error.set(String::new());
                            } />
                        <p id="mo-erase-error" class="mo-error" role="alert">{move || confirm_error.get()}</p>
                        <button type="button" class="mo-button mo-button-danger" disabled=move || busy.get()
                            on:click=erase_customer>{i.text(Key::EraseCustomer)}</button>
                    })}
                }
            })}
            <p class="mo-error" role="alert">{move || error.get()}</p>
            <p class="mo-summary" role="status">{move || note.get()}</p>
        </section>
    }
}
