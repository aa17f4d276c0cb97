//! The agent's sign-in to the sync server: on success the console opens and sync starts.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::sync::{Failure, Principal};

use crate::components::field::{FormError, TextField, TextKind};
use crate::i18n::errors::failure_text;
use crate::i18n::{Key, use_i18n};
use crate::services::attachments::use_blobs;
use crate::services::desk::use_desk;
use crate::services::host::use_host;
use crate::services::sync_link::{run_signed_in, save_session, use_sync};
use crate::shell::session::Session;

/// The agent signs in to the sync server; on success the console opens and sync starts.
#[component]
pub fn SignIn(session: Session) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let host = use_host();
    let blobs = StoredValue::new_local(use_blobs());
    let ui = use_sync().expect("sign-in only shows with sync");
    let agent = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // A missing value is the field's problem; what the server answers is the form's.
    let agent_error = RwSignal::new(None::<FormError>);
    let password_error = RwSignal::new(None::<FormError>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let desk = StoredValue::new_local(desk);
    let host = StoredValue::new_local(host);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (id, pw) = (agent.get_untracked(), password.get_untracked());
        agent_error.set(
            id.trim()
                .is_empty()
                .then_some(FormError::Key(Key::SignInNoAgent)),
        );
        password_error.set(
            pw.is_empty()
                .then_some(FormError::Key(Key::SignInNoPassword)),
        );
        error.set(None);
        if id.trim().is_empty() || pw.is_empty() {
            return;
        }
        busy.set(true);
        let (desk, host) = (desk.get_value(), host.get_value());
        spawn_local(async move {
            let server = ui.server.get_value();
            match mostrador_sync::agent_session(&server, id.trim(), &pw).await {
                Ok(s) => match s.principal.clone() {
                    Principal::Agent { id, .. } => {
                        save_session(&desk, &s).await;
                        session.agent.try_set(Some(id));
                        ui.sign_in.try_set(false);
                        run_signed_in(desk, blobs.get_value(), server, s.token, host, ui);
                    }
                    Principal::Customer { .. } => {
                        error.try_set(Some(i.t(Key::SignInNotAgent).to_owned()));
                    }
                },
                Err(Failure::Unauthorized(_)) => {
                    error.try_set(Some(i.t(Key::SignInWrong).to_owned()));
                }
                Err(f) => {
                    error.try_set(Some(format!(
                        "{} {}",
                        i.t(Key::SyncError),
                        failure_text(i, &f)
                    )));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <form class="mo-form mo-sign-in" on:submit=submit novalidate=true>
            <h2 class="mo-subtitle">{i.text(Key::SignInTitle)}</h2>
            <p class="mo-error" id="mo-sign-in-error" role="alert">
                {move || error.get().unwrap_or_default()}
            </p>
            <TextField id="mo-sign-in-agent" label=Key::SignInAgent value=agent
                autocomplete="username" error=agent_error />
            <TextField id="mo-sign-in-password" label=Key::SignInPassword value=password
                kind=TextKind::Password autocomplete="current-password" error=password_error />
            <button type="submit" class="mo-button" disabled=move || busy.get()>
                {i.text(Key::SignInButton)}
            </button>
        </form>
    }
}
