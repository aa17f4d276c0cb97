//! An agent logs a ticket on a customer's behalf (phone, email, chat, counter).

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::model::{Actor, Channel, Impact, Requester, Urgency};

use crate::components::field::{FieldError, FormError};
use crate::console::{ConsolePage, use_console};
use crate::i18n::errors::{Field, field_of};
use crate::i18n::{IMPACTS, Key, URGENCIES, channel_key, impact_key, urgency_key, use_i18n};
use crate::services::desk::use_desk;
use crate::shell::session::use_session;

const CHANNELS: [Channel; 5] = [
    Channel::Phone,
    Channel::Email,
    Channel::Chat,
    Channel::InPerson,
    Channel::WebForm,
];

/// An agent logs a ticket that arrived by phone, email, chat or at the counter.
#[component]
pub fn LogTicket() -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let session = use_session();
    let state = use_console();
    let channel = RwSignal::new(Channel::Phone);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let impact = RwSignal::new(Impact::Medium);
    let urgency = RwSignal::new(Urgency::Medium);
    let mine = RwSignal::new(true);
    let errors = RwSignal::new(Vec::<(Field, FormError)>::new());
    let err = move |f: Field| {
        Signal::derive(move || {
            errors
                .get()
                .into_iter()
                .find(|(x, _)| *x == f)
                .map(|(_, e)| e)
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(me) = session.agent.get_untracked() else {
            return;
        };
        let mut errs = Vec::new();
        if name.get_untracked().trim().is_empty() {
            errs.push((Field::Name, FormError::Key(Key::ErrNameRequired)));
        }
        let opt = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let new = NewTicket {
            impact: Some(impact.get_untracked()),
            urgency: Some(urgency.get_untracked()),
            assignee: mine.get_untracked().then(|| me.clone()),
            ..NewTicket::new(
                &subject.get_untracked(),
                &description.get_untracked(),
                Requester {
                    customer_id: None,
                    name: name.get_untracked(),
                    email: opt(email.get_untracked()),
                    phone: opt(phone.get_untracked()),
                    locale: None,
                    context: None,
                },
                channel.get_untracked(),
            )
        };
        let cmd = Command::Open(Box::new(new));
        let actor = Actor::Agent(me);
        if let Err(e) = desk.check(None, &cmd, &actor) {
            errs.push((field_of(&e), FormError::Ui(e)));
        }
        if !errs.is_empty() {
            errors.set(errs);
            return;
        }
        errors.set(Vec::new());
        let desk = desk.clone();
        spawn_local(async move {
            match desk.open(cmd, &actor).await {
                Ok(t) => {
                    state.page.try_set(ConsolePage::Ticket(t.id));
                }
                Err(e) => {
                    errors.try_set(vec![(field_of(&e), FormError::Ui(e))]);
                }
            }
        });
    };
    let text_field = move |id: &'static str,
                           key: Key,
                           sig: RwSignal<String>,
                           field: Option<Field>,
                           kind: &'static str| {
        let eid: &'static str = match id {
            "mo-log-name" => "mo-log-name-error",
            "mo-log-email" => "mo-log-email-error",
            "mo-log-phone" => "mo-log-phone-error",
            _ => "mo-log-subject-error",
        };
        let e = field.map(err);
        view! {
            <div class="mo-field">
                <label for=id>{move || i.t(key)}</label>
                <input id=id class="mo-input" type=kind aria-describedby=eid
                    aria-invalid=move || e.map(|e| e.get().is_some()).unwrap_or(false).to_string()
                    prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev)) />
                {e.map(|e| view! { <FieldError id=eid error=e /> })}
            </div>
        }
    };
    view! {
        <section class="mo-panel" aria-labelledby="mo-log-title">
            <h2 id="mo-log-title" class="mo-subtitle">{move || i.t(Key::LogTicket)}</h2>
            <form class="mo-form" on:submit=submit novalidate=true>
                <FieldError id="mo-log-error" error=err(Field::General) />
                <div class="mo-row">
                    <label class="mo-field">
                        <span>{move || i.t(Key::Channel)}</span>
                        <select class="mo-select" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(c) = CHANNELS.into_iter().find(|c| format!("{c:?}") == v) { channel.set(c); }
                        }>
                            {CHANNELS.into_iter().map(|c| view! {
                                <option value=format!("{c:?}") selected=move || channel.get() == c>{move || i.t(channel_key(c))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <div class="mo-row">
                    {text_field("mo-log-name", Key::RequesterName, name, Some(Field::Name), "text")}
                    {text_field("mo-log-email", Key::Email, email, Some(Field::Email), "email")}
                    {text_field("mo-log-phone", Key::Phone, phone, Some(Field::Phone), "tel")}
                </div>
                {text_field("mo-log-subject", Key::Subject, subject, Some(Field::Subject), "text")}
                <div class="mo-field">
                    <label for="mo-log-description">{move || i.t(Key::Description)}</label>
                    <textarea id="mo-log-description" class="mo-input mo-textarea" rows="4"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                </div>
                <div class="mo-row">
                    <label class="mo-field">
                        <span>{move || i.t(Key::Impact)}</span>
                        <select class="mo-select" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(x) = IMPACTS.into_iter().find(|x| format!("{x:?}") == v) { impact.set(x); }
                        }>
                            {IMPACTS.into_iter().map(|x| view! {
                                <option value=format!("{x:?}") selected=x == Impact::Medium>{move || i.t(impact_key(x))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="mo-field">
                        <span>{move || i.t(Key::Urgency)}</span>
                        <select class="mo-select" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(x) = URGENCIES.into_iter().find(|x| format!("{x:?}") == v) { urgency.set(x); }
                        }>
                            {URGENCIES.into_iter().map(|x| view! {
                                <option value=format!("{x:?}") selected=x == Urgency::Medium>{move || i.t(urgency_key(x))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <label class="mo-check">
                    <input type="checkbox" prop:checked=move || mine.get() on:change=move |ev| mine.set(event_target_checked(&ev)) />
                    <span>{move || i.t(Key::AssignToMe)}</span>
                </label>
                <div class="mo-actions">
                    <button type="submit" class="mo-button">{move || i.t(Key::CreateTicket)}</button>
                    <button type="button" class="mo-button mo-button-secondary" on:click=move |_| state.page.set(ConsolePage::Inbox)>
                        {move || i.t(Key::Cancel)}
                    </button>
                </div>
            </form>
        </section>
    }
}
