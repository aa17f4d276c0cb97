//! One of the customer's tickets: the public conversation, a reply box, and resolve, reopen
//! and rate.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::command::Command;
use mostrador_core::model::{Actor, Status, TicketId, Visibility};
use mostrador_core::ticket::{CustomerView, TicketView};

use crate::components::field::{TextField, TextKind};
use crate::components::loading::Loading;
use crate::components::status_badge::StatusBadge;
use crate::components::thread::{Thread, ThreadItem, author_name};
use crate::i18n::errors::message;
use crate::i18n::{Key, use_i18n};
use crate::portal::rating::RatingForm;
use crate::portal::{PortalPage, use_portal_page};
use crate::services::desk::{UiError, use_desk};

/// One of the customer's tickets: the conversation without internal notes, a reply box, and
/// resolve, reopen and rate. Re-read whenever anything changes, here or in another tab.
#[component]
pub fn CustomerTicket(
    /// The ticket to show.
    id: TicketId,
) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let page = use_portal_page();
    let rev = desk.revision;
    let tid = id.clone();
    let loaded = LocalResource::new(move || {
        rev.track();
        let desk = desk.clone();
        let id = tid.clone();
        async move {
            let me = desk.known_customer().ok_or(UiError::NotFound)?;
            let t = desk.store.ticket(&id).await?.ok_or(UiError::NotFound)?;
            match t.visible_to(&Actor::Customer(me), &desk.settings().domain) {
                Some(TicketView::Customer(v)) => Ok(*v),
                _ => Err(UiError::NotFound),
            }
        }
    });
    view! {
        <section class="mo-panel" aria-labelledby="mo-ticket-title">
            <button type="button" class="mo-link" on:click=move |_| page.set(PortalPage::MyTickets)>
                {i.text(Key::BackToMyTickets)}
            </button>
            {move || match loaded.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! {
                    <p class="mo-banner mo-banner-error" role="alert">{move || message(i, &e)}</p>
                }
                .into_any(),
                Some(Ok(v)) => view! { <CustomerTicketBody view=v /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CustomerTicketBody(
    /// The customer's projection of the ticket.
    view: CustomerView,
) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let agents = desk.settings().agents;
    let me = desk.known_customer();
    let id = view.id.clone();
    let status = view.status;
    let requester = view.requester.name.clone();
    let mut items = vec![ThreadItem {
        key: "opening".into(),
        author: requester.clone(),
        at: view.created_at,
        internal: false,
        from_staff: false,
        body: view.description.clone(),
        attachments: view.attachments.clone(),
    }];
    items.extend(
        view.thread
            .iter()
            .filter(|m| m.visibility == Visibility::Public)
            .map(|m| ThreadItem {
                key: m.id.0.clone(),
                author: author_name(&m.author, &requester, &agents),
                at: m.at,
                internal: false,
                from_staff: m.author.is_staff(),
                body: m.body.clone(),
                attachments: m.attachments.clone(),
            }),
    );
    let reply = RwSignal::new(String::new());
    let error = RwSignal::new(None::<UiError>);
    let busy = RwSignal::new(false);
    let actor = me.map(Actor::Customer).unwrap_or(Actor::System);

    let run = {
        let desk = desk.clone();
        let id = id.clone();
        let actor = actor.clone();
        move |commands: Vec<Command>, clear: bool| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let desk = desk.clone();
            let id = id.clone();
            let actor = actor.clone();
            spawn_local(async move {
                let r = desk.run(Some(&id), commands, &actor).await;
                busy.try_set(false);
                match r {
                    Ok(_) => {
                        error.try_set(None);
                        if clear {
                            reply.try_set(String::new());
                        }
                    }
                    Err(e) => {
                        error.try_set(Some(e));
                    }
                }
            });
        }
    };
    let send = {
        let run = run.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            run(
                vec![Command::Reply {
                    body: reply.get_untracked(),
                    attachments: Vec::new(),
                }],
                true,
            );
        }
    };
    let resolve = {
        let run = run.clone();
        move |_| run(vec![Command::Resolve], false)
    };
    let reopen = {
        let run = run.clone();
        move |_| run(vec![Command::Reopen], false)
    };
    let can_reply = !matches!(status, Status::Merged);
    let rated = view.satisfaction.clone();
    view! {
        <h2 id="mo-ticket-title" class="mo-subtitle">{view.subject.clone()}</h2>
        <p class="mo-ticket-meta">
            <span class="mo-code">{view.code.to_string()}</span>
            <StatusBadge status=status />
            <span class="mo-muted">
                {move || format!("{} {}", i.t(Key::Updated), i.dt(view.updated_at))}
            </span>
        </p>
        <p class="mo-sr-only" role="status" aria-live="polite">
            {move || format!("{}: {}", i.t(Key::Status), i.t(crate::i18n::status_key(status)))}
        </p>
        <Thread items=items />
        <p class="mo-error" role="alert">{move || error.get().map(|e| message(i, &e)).unwrap_or_default()}</p>
        {can_reply
            .then(|| {
                view! {
                    <form class="mo-form" on:submit=send>
                        <TextField id="mo-reply" label=Key::YourReply value=reply kind=TextKind::Lines(4) />
                        <div class="mo-actions">
                            <button type="submit" class="mo-button" disabled=move || busy.get()>
                                {i.text(Key::SendReply)}
                            </button>
                            {status
                                .is_active()
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            class="mo-button mo-button-secondary"
                                            on:click=resolve.clone()
                                        >
                                            {i.text(Key::MarkResolved)}
                                        </button>
                                    }
                                })}
                            {(status == Status::Resolved)
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            class="mo-button mo-button-secondary"
                                            on:click=reopen.clone()
                                        >
                                            {i.text(Key::Reopen)}
                                        </button>
                                    }
                                })}
                        </div>
                    </form>
                }
            })}
        {match (status, rated) {
            (_, Some(r)) => view! {
                <p class="mo-confirm" role="status">
                    {move || i.tf(Key::YouRated, &[("score", &r.score.to_string())])}
                </p>
            }
            .into_any(),
            (Status::Resolved | Status::Closed, None) => {
                view! { <RatingForm id=id.clone() /> }.into_any()
            }
            _ => ().into_any(),
        }}
    }
}
