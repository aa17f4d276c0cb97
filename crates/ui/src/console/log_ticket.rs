//! An agent logs a ticket on a customer's behalf (phone, email, chat, counter).

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::model::{Actor, Channel, Impact, Requester, Urgency};

use crate::components::choice::ChoiceSelect;
use crate::components::field::{Check, FieldError, FormError, LabelledField, TextField, TextKind};
use crate::console::{ConsolePage, use_console};
use crate::i18n::errors::{Field, field_of};
use crate::i18n::{Key, channel_key, impact_key, urgency_key, use_i18n};
use crate::services::desk::use_desk;
use crate::shell::session::use_session;

/// The channels an agent logs from, most common first.
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
    view! {
        <section class="mo-panel" aria-labelledby="mo-log-title">
            <h2 id="mo-log-title" class="mo-subtitle">{i.text(Key::LogTicket)}</h2>
            <form class="mo-form" on:submit=submit novalidate=true>
                <FieldError id="mo-log-error" error=err(Field::General) />
                <div class="mo-row">
                    <LabelledField id="mo-log-channel" label=Key::Channel>
                        <ChoiceSelect id="mo-log-channel" label=channel_key choices=&CHANNELS
                            value=move || Some(channel.get()) on_pick=move |c| if let Some(c) = c { channel.set(c) } />
                    </LabelledField>
                </div>
                <div class="mo-row">
                    <TextField id="mo-log-name" label=Key::RequesterName value=name error=err(Field::Name) />
                    <TextField id="mo-log-email" label=Key::Email value=email kind=TextKind::Email error=err(Field::Email) />
                    <TextField id="mo-log-phone" label=Key::Phone value=phone kind=TextKind::Phone error=err(Field::Phone) />
                </div>
                <TextField id="mo-log-subject" label=Key::Subject value=subject error=err(Field::Subject) />
                <TextField id="mo-log-description" label=Key::Description value=description kind=TextKind::Lines(4) />
                <div class="mo-row">
                    <LabelledField id="mo-log-impact" label=Key::Impact>
                        <ChoiceSelect id="mo-log-impact" label=impact_key
                            value=move || Some(impact.get()) on_pick=move |x| if let Some(x) = x { impact.set(x) } />
                    </LabelledField>
                    <LabelledField id="mo-log-urgency" label=Key::Urgency>
                        <ChoiceSelect id="mo-log-urgency" label=urgency_key
                            value=move || Some(urgency.get()) on_pick=move |x| if let Some(x) = x { urgency.set(x) } />
                    </LabelledField>
                </div>
                <Check label=Key::AssignToMe checked=mine on_change=move |on| mine.set(on) />
                <div class="mo-actions">
                    <button type="submit" class="mo-button">{i.text(Key::CreateTicket)}</button>
                    <button type="button" class="mo-button mo-button-secondary" on:click=move |_| state.page.set(ConsolePage::Inbox)>
                        {i.text(Key::Cancel)}
                    </button>
                </div>
            </form>
        </section>
    }
}
