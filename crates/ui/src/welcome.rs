//! First run: until dismissed, the inbox starts with a short welcome that leads to the settings
//! (name, languages, business hours, agents) and offers sample tickets, so a person can try
//! every screen at once. Sample tickets are ordinary tickets made through the same commands as
//! real ones (customers write, agents reply, one is resolved and rated).

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::model::{Actor, AgentId, Channel, CustomerId, Impact, Requester, Urgency};

use crate::console::{ConsolePage, use_console};
use crate::desk::{Desk, UiError, use_desk};
use crate::errors::message;
use crate::i18n::{Key, use_i18n};

/// Metadata key set once the welcome was dismissed.
const WELCOMED: &str = "ui.welcomed";

/// The welcome panel, while the installation has not dismissed it.
#[component]
pub fn Welcome() -> impl IntoView {
    let i = use_i18n();
    let desk = StoredValue::new_local(use_desk());
    let state = use_console();
    let show = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    spawn_local(async move {
        let seen = desk.get_value().store.meta(WELCOMED).await.ok().flatten();
        show.try_set(seen.is_none());
    });
    let dismiss = move || {
        show.set(false);
        let desk = desk.get_value();
        spawn_local(async move {
            let _ = desk
                .store
                .set_meta(WELCOMED, serde_json::Value::Bool(true))
                .await;
        });
    };
    let sample = move |_| {
        busy.set(true);
        let desk = desk.get_value();
        spawn_local(async move {
            let result = sample_tickets(&desk).await;
            busy.try_set(false);
            match result {
                Ok(()) => {
                    let _ = desk
                        .store
                        .set_meta(WELCOMED, serde_json::Value::Bool(true))
                        .await;
                    show.try_set(false);
                }
                Err(e) => {
                    error.try_set(Some(message(i, &e)));
                }
            }
        });
    };
    view! {
        <Show when=move || show.get()>
            <section class="mo-welcome" aria-labelledby="mo-welcome-title">
                <h2 id="mo-welcome-title" class="mo-subtitle">{move || i.t(Key::WelcomeTitle)}</h2>
                <p>{move || i.t(Key::WelcomeText)}</p>
                <div class="mo-actions">
                    <button
                        type="button"
                        class="mo-button"
                        on:click=move |_| {
                            dismiss();
                            state.page.set(ConsolePage::Settings);
                        }
                    >
                        {move || i.t(Key::WelcomeSetUp)}
                    </button>
                    <button type="button" class="mo-button mo-button-secondary" disabled=move || busy.get() on:click=sample>
                        {move || if busy.get() { i.t(Key::Loading) } else { i.t(Key::WelcomeSample) }}
                    </button>
                    <button type="button" class="mo-link" on:click=move |_| dismiss()>
                        {move || i.t(Key::WelcomeDismiss)}
                    </button>
                </div>
                <p class="mo-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </section>
        </Show>
    }
}

/// A handful of tickets in different states, channels and priorities.
async fn sample_tickets(desk: &Desk) -> Result<(), UiError> {
    let agent = desk
        .settings()
        .agents
        .first()
        .map_or_else(|| AgentId("admin".into()), |a| a.id.clone());
    let staff = Actor::Agent(agent.clone());
    let samples: [(&str, &str, &str, Channel, Impact, Urgency); 5] = [
        (
            "Lucía Pérez",
            "My order #1043 has not arrived",
            "I paid on Monday and the tracking has not moved since.",
            Channel::WebForm,
            Impact::Medium,
            Urgency::High,
        ),
        (
            "João Silva",
            "Cannot sign in after changing my password",
            "The page says my password is wrong.",
            Channel::Email,
            Impact::High,
            Urgency::High,
        ),
        (
            "Ana Gómez",
            "Invoice for March shows the wrong tax ID",
            "Please correct it so I can file it.",
            Channel::Phone,
            Impact::Low,
            Urgency::Medium,
        ),
        (
            "Pedro Ruiz",
            "Do you ship to the Canary Islands?",
            "And how long does it take?",
            Channel::Chat,
            Impact::Low,
            Urgency::Low,
        ),
        (
            "Marta Díaz",
            "The blender lid is cracked",
            "It arrived like this; photos attached by email.",
            Channel::InPerson,
            Impact::Medium,
            Urgency::Medium,
        ),
    ];
    for (n, (name, subject, body, channel, impact, urgency)) in samples.into_iter().enumerate() {
        let customer = CustomerId(format!("sample-{n}"));
        let new = NewTicket {
            impact: Some(impact),
            urgency: Some(urgency),
            ..NewTicket::new(
                subject,
                body,
                Requester {
                    customer_id: Some(customer.clone()),
                    name: name.into(),
                    email: Some(format!("sample{n}@example.com")),
                    phone: None,
                    locale: None,
                },
                channel,
            )
        };
        let ticket = desk.open(Command::Open(Box::new(new)), &staff).await?;
        let id = ticket.id.clone();
        let customer = Actor::Customer(customer);
        match n {
            0 => {
                desk.run(
                    Some(&id),
                    vec![Command::Reply {
                        body: "We are checking with the carrier and will write back today.".into(),
                        attachments: Vec::new(),
                    }],
                    &staff,
                )
                .await?;
            }
            1 => {
                desk.run(
                    Some(&id),
                    vec![Command::Reply {
                        body: "Please try the *Forgot password* link; it resets the lock.".into(),
                        attachments: Vec::new(),
                    }],
                    &staff,
                )
                .await?;
                desk.run(
                    Some(&id),
                    vec![Command::Reply {
                        body: "That worked, thank you!".into(),
                        attachments: Vec::new(),
                    }],
                    &customer,
                )
                .await?;
                desk.run(Some(&id), vec![Command::Resolve], &staff).await?;
            }
            2 => {
                desk.run(
                    Some(&id),
                    vec![Command::AddNote {
                        body: "Ask accounting to re-issue it.".into(),
                        attachments: Vec::new(),
                    }],
                    &staff,
                )
                .await?;
            }
            _ => {}
        }
    }
    Ok(())
}
