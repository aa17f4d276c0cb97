//! One ticket in the console: thread, composer, properties, requester, SLA clocks and audit
//! history.

pub mod audit_log;
pub mod composer;
pub mod properties;
pub mod requester_card;
pub mod sla_clocks;

use leptos::prelude::*;
use mostrador_core::event::Event;
use mostrador_core::model::{TicketId, Visibility};
use mostrador_core::ticket::Ticket;

use crate::components::loading::Loading;
use crate::components::status_badge::{PriorityBadge, StatusBadge};
use crate::components::thread::{Thread, ThreadItem, author_name};
use crate::console::ticket::audit_log::AuditLog;
use crate::console::ticket::composer::Composer;
use crate::console::ticket::properties::Properties;
use crate::console::ticket::requester_card::RequesterCard;
use crate::console::ticket::sla_clocks::SlaClocks;
use crate::console::{ConsolePage, use_console};
use crate::i18n::errors::message;
use crate::i18n::{Key, use_i18n};
use crate::services::desk::{UiError, use_desk};

/// One ticket as agents see it: the whole conversation with internal notes, the composer, and
/// the side panel (properties, SLA clocks, requester, history).
#[component]
pub fn TicketView(
    /// The ticket to show.
    id: TicketId,
) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let state = use_console();
    let rev = desk.revision;
    // Kept here, above the part that re-renders on every change, so a reply being typed
    // survives changes made meanwhile (here or in another tab).
    let draft = RwSignal::new(String::new());
    let focused = StoredValue::new(false);
    let loaded = LocalResource::new(move || {
        rev.track();
        let desk = desk.clone();
        let id = id.clone();
        async move {
            let t = desk.store.ticket(&id).await?.ok_or(UiError::NotFound)?;
            let events = desk.store.events_of(&id).await?;
            Ok::<_, UiError>((t, events))
        }
    });
    view! {
        <section class="mo-ticket" aria-labelledby="mo-ticket-title">
            <button type="button" class="mo-link" on:click=move |_| state.page.set(ConsolePage::Inbox)>
                {i.text(Key::BackToInbox)}
            </button>
            {move || match loaded.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! {
                    <p class="mo-banner mo-banner-error" role="alert">{move || message(i, &e)}</p>
                }
                .into_any(),
                Some(Ok((t, events))) => {
                    let autofocus = !focused.get_value();
                    focused.set_value(true);
                    view! { <TicketBody ticket=t events=events draft=draft autofocus=autofocus /> }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn TicketBody(
    /// The folded ticket.
    ticket: Ticket,
    /// Its events, for the history.
    events: Vec<Event>,
    /// The composer's text.
    draft: RwSignal<String>,
    /// Move focus to the heading (when the ticket was just opened).
    autofocus: bool,
) -> impl IntoView {
    let i = use_i18n();
    let agents = use_desk().settings().agents;
    let requester = ticket.requester.name.clone();
    let mut items = vec![ThreadItem {
        key: "opening".into(),
        author: requester.clone(),
        at: ticket.created_at,
        internal: false,
        from_staff: false,
        body: ticket.description.clone(),
        attachments: ticket.attachments.clone(),
    }];
    items.extend(ticket.thread.iter().map(|m| ThreadItem {
        key: m.id.0.clone(),
        author: author_name(&m.author, &requester, &agents),
        at: m.at,
        internal: m.visibility == Visibility::Internal,
        from_staff: m.author.is_staff(),
        body: m.body.clone(),
        attachments: m.attachments.clone(),
    }));
    let channel = ticket.channel;
    // Opening a ticket (or moving with j/k) replaces the row that had focus: move focus to the
    // ticket's heading so keyboard users, and the console's shortcuts, carry on from there.
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get()
            && autofocus
        {
            let _ = h.focus();
        }
    });
    view! {
        <h2 id="mo-ticket-title" class="mo-subtitle" tabindex="-1" node_ref=heading>
            {ticket.subject.clone()}
        </h2>
        <p class="mo-ticket-meta">
            <span class="mo-code">{ticket.code.to_string()}</span>
            <StatusBadge status=ticket.status />
            <PriorityBadge priority=ticket.priority />
            <span class="mo-muted">{i.text(crate::i18n::channel_key(channel))}</span>
        </p>
        {ticket.erased_at.is_some().then(|| view! {
            <p class="mo-erased">{i.text(Key::ErasedNotice)}</p>
        })}
        <div class="mo-ticket-grid">
            <div class="mo-ticket-main">
                <Thread items=items />
                <Composer ticket=ticket.clone() body=draft />
            </div>
            <aside class="mo-ticket-side" aria-label=i.text(Key::TicketDetails)>
                <Properties ticket=ticket.clone() />
                <SlaClocks ticket=ticket.clone() />
                <RequesterCard ticket=ticket.clone() />
                <AuditLog events=events />
            </aside>
        </div>
    }
}
