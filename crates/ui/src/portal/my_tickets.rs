//! The list of the customer's tickets on this device, newest activity first.

use leptos::prelude::*;

use crate::components::loading::Loading;
use crate::components::status_badge::StatusBadge;
use crate::i18n::errors::message;
use crate::i18n::{Key, use_i18n};
use crate::portal::{PortalPage, use_portal_page};
use crate::services::desk::use_desk;

/// The customer's tickets on this device, newest activity first.
#[component]
pub fn MyTickets() -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let page = use_portal_page();
    let rev = desk.revision;
    let tickets = LocalResource::new(move || {
        rev.track();
        let desk = desk.clone();
        async move {
            match desk.known_customer() {
                Some(me) => desk.store.customer_tickets(&me).await.map_err(Into::into),
                None => Ok(Vec::new()),
            }
        }
    });
    view! {
        <section class="mo-panel" aria-labelledby="mo-my-title">
            <h2 id="mo-my-title" class="mo-subtitle">{i.text(Key::MyTickets)}</h2>
            {move || match tickets.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! {
                    <p class="mo-banner mo-banner-error" role="alert">{move || message(i, &e)}</p>
                }
                .into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="mo-empty">{i.text(Key::NoTicketsYet)}</p>
                    <ul class="mo-list" aria-label=i.text(Key::YourTickets)></ul>
                }
                .into_any(),
                Some(Ok(list)) => view! {
                    <ul class="mo-list" aria-label=i.text(Key::YourTickets)>
                        {list
                            .into_iter()
                            .map(|t| {
                                let id = t.id.clone();
                                let updated = t.updated_at;
                                let status = t.status;
                                view! {
                                    <li class="mo-list-item">
                                        <button
                                            type="button"
                                            class="mo-row-button"
                                            on:click=move |_| page.set(PortalPage::Ticket(id.clone()))
                                        >
                                            <span class="mo-code">{t.code.to_string()}</span>
                                            <span class="mo-row-subject">{t.subject.clone()}</span>
                                            <StatusBadge status=status />
                                            <span class="mo-muted">
                                                {move || format!("{} {}", i.t(Key::Updated), i.dt(updated))}
                                            </span>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}
