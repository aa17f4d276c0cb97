//! Who asked for a ticket, how to reach them, what the host site vouched for about them (plan,
//! customer since, orders, CRM link), and their other tickets.

use leptos::prelude::*;
use mostrador_core::customer::{CustomerContext, is_safe_link};
use mostrador_core::ticket::Ticket;
use mostrador_core::validate::is_email_address;

use crate::components::status_badge::StatusBadge;
use crate::console::{ConsolePage, use_console};
use crate::i18n::{Key, format_date, use_i18n};
use crate::services::desk::use_desk;

/// Who asked, how to reach them, and their other tickets.
#[component]
pub fn RequesterCard(
    /// The ticket whose requester is shown.
    ticket: Ticket,
) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let state = use_console();
    let r = ticket.requester.clone();
    let customer = r.customer_id.clone();
    let this = ticket.id.clone();
    let others = LocalResource::new(move || {
        let desk = desk.clone();
        let customer = customer.clone();
        let this = this.clone();
        async move {
            match customer {
                Some(c) => desk
                    .store
                    .customer_tickets(&c)
                    .await
                    .map(|l| l.into_iter().filter(|t| t.id != this).collect::<Vec<_>>())
                    .unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    view! {
        <section class="mo-card" aria-labelledby="mo-req-title">
            <h3 id="mo-req-title" class="mo-card-title">{i.text(Key::Requester)}</h3>
            <p><strong>{r.name.clone()}</strong></p>
            {r.email.clone().map(|e| {
                // A link only for a real address: nothing stored can smuggle `?bcc=` into it.
                if is_email_address(&e) {
                    let href = format!("mailto:{e}");
                    view! { <p><a href=href>{e}</a></p> }.into_any()
                } else {
                    view! { <p>{e}</p> }.into_any()
                }
            })}
            {r.phone.clone().map(|p| view! { <p>{p}</p> })}
            {r.context.clone().map(|c| view! { <SiteContext context=c /> })}
            <p class="mo-prop-label">{i.text(Key::OtherTickets)}</p>
            {move || {
                let list = others.get().unwrap_or_default();
                if list.is_empty() {
                    view! { <p class="mo-muted">{i.text(Key::NoOtherTickets)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="mo-list" aria-label=i.text(Key::OtherTickets)>
                            {list.into_iter().map(|t| {
                                let id = t.id.clone();
                                view! {
                                    <li class="mo-list-item">
                                        <button type="button" class="mo-link"
                                            on:click=move |_| state.page.set(ConsolePage::Ticket(id.clone()))>
                                            {format!("{} {}", t.code, t.subject)}
                                        </button>
                                        " "
                                        <StatusBadge status=t.status />
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// What the host site signed about the customer: plain text, and the CRM link only when it is an
/// http(s) address (checked again here: imported data may not have passed the same door).
#[component]
fn SiteContext(context: CustomerContext) -> impl IntoView {
    let i = use_i18n();
    let since = context.since();
    let CustomerContext {
        plan,
        orders,
        crm_url,
        ..
    } = context;
    let row = |key: Key, value: String| {
        view! {
            <div class="mo-ctx-row">
                <dt>{i.text(key)}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    view! {
        <div class="mo-ctx" role="group" aria-label=i.text(Key::CtxTitle)>
            <dl class="mo-ctx-list">
                {plan.map(|p| row(Key::CtxPlan, p))}
                {since.map(|d| view! {
                    <div class="mo-ctx-row">
                        <dt>{i.text(Key::CtxSince)}</dt>
                        <dd>{move || format_date(i.lang.get(), d)}</dd>
                    </div>
                })}
                {(!orders.is_empty()).then(|| row(Key::CtxOrders, orders.join(", ")))}
            </dl>
            {crm_url.filter(|u| is_safe_link(u)).map(|href| view! {
                <p><a class="mo-ctx-link" href=href target="_blank" rel="noopener noreferrer">
                    {i.text(Key::CtxCrm)}
                </a></p>
            })}
        </div>
    }
}
