//! The agent's reply box: public reply or internal note, Markdown preview, and canned
//! responses with their placeholders filled for the ticket.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::command::Command;
use mostrador_core::model::Actor;
use mostrador_core::template::{AgentProfile, apply_macro, render};
use mostrador_core::ticket::Ticket;

use crate::components::field::{FieldLayout, FormError, LabelledField, described_by, invalid};
use crate::components::markdown::Markdown;
use crate::i18n::{Key, use_i18n};
use crate::services::desk::{UiError, use_desk};
use crate::shell::session::use_session;

/// What the composer posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComposerMode {
    Reply,
    Note,
}

/// The agent's reply box: a public reply or an internal note, Markdown with a preview, and
/// canned responses with placeholders filled for this ticket.
#[component]
pub fn Composer(
    /// The ticket being answered.
    ticket: Ticket,
    /// The text being written (owned by the caller so it outlives re-renders).
    body: RwSignal<String>,
) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let session = use_session();
    let settings = desk.settings();
    let canned = settings.canned_responses.clone();
    let mode = RwSignal::new(ComposerMode::Reply);
    let preview = RwSignal::new(false);
    let error = RwSignal::new(None::<UiError>);
    let busy = RwSignal::new(false);
    let id = ticket.id.clone();
    let t_for_canned = StoredValue::new(ticket.clone());
    let agents = settings.agents.clone();

    let desk_v = StoredValue::new_local(desk.clone());
    let send = {
        move |resolve: bool| {
            if busy.get_untracked() {
                return;
            }
            let Some(me) = session.agent.get_untracked() else {
                return;
            };
            let text = body.get_untracked();
            let mut cmds = vec![match mode.get_untracked() {
                ComposerMode::Reply => Command::Reply {
                    body: text,
                    attachments: Vec::new(),
                },
                ComposerMode::Note => Command::AddNote {
                    body: text,
                    attachments: Vec::new(),
                },
            }];
            if resolve {
                cmds.push(Command::Resolve);
            }
            busy.set(true);
            let desk = desk_v.get_value();
            let id = id.clone();
            spawn_local(async move {
                let r = desk.run(Some(&id), cmds, &Actor::Agent(me)).await;
                busy.try_set(false);
                match r {
                    Ok(_) => {
                        body.try_set(String::new());
                        error.try_set(None);
                    }
                    Err(e) => {
                        error.try_set(Some(e));
                    }
                }
            });
        }
    };
    let send_a = send.clone();
    // The signed-in agent as templates see them.
    let profile = StoredValue::new(move || {
        let me = session.agent.get_untracked();
        agents
            .iter()
            .find(|a| Some(&a.id) == me.as_ref())
            .map(|a| AgentProfile {
                id: a.id.clone(),
                name: a.name.clone(),
                email: Some(a.email.clone()),
            })
            .unwrap_or(AgentProfile {
                id: me.unwrap_or_else(|| mostrador_core::model::AgentId(String::new())),
                name: String::new(),
                email: None,
            })
    });
    let insert_canned = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let Some(c) = canned.iter().find(|c| c.id == v) else {
            return;
        };
        let agent = profile.with_value(|p| p());
        match t_for_canned.with_value(|t| render(&c.body, t, &agent)) {
            Ok(text) => body.update(|b| {
                if !b.is_empty() && !b.ends_with('\n') {
                    b.push('\n');
                }
                b.push_str(&text);
            }),
            Err(e) => error.set(Some(UiError::Template(e))),
        }
    };
    // Macros: the core turns one into commands, decided and stored as one unit.
    let macros = StoredValue::new(settings.macros.clone());
    let chosen = RwSignal::new(String::new());
    let applied = RwSignal::new(None::<String>);
    let apply = move |_| {
        let Some(m) =
            macros.with_value(|ms| ms.iter().find(|m| m.id == chosen.get_untracked()).cloned())
        else {
            return;
        };
        let Some(me) = session.agent.get_untracked() else {
            return;
        };
        let agent = profile.with_value(|p| p());
        let cmds = match t_for_canned.with_value(|t| apply_macro(&m, t, &agent)) {
            Ok(c) => c,
            Err(e) => {
                error.set(Some(UiError::Template(e)));
                return;
            }
        };
        busy.set(true);
        applied.set(None);
        let desk = desk_v.get_value();
        let id = t_for_canned.with_value(|t| t.id.clone());
        spawn_local(async move {
            let r = desk.run(Some(&id), cmds, &Actor::Agent(me)).await;
            busy.try_set(false);
            match r {
                Ok(_) => {
                    error.try_set(None);
                    chosen.try_set(String::new());
                    applied.try_set(Some(i.tf(Key::MacroApplied, &[("title", &m.title)])));
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let mode_button = move |m: ComposerMode, id: &'static str, key: Key| {
        view! {
            <button
                type="button"
                id=id
                class="mo-tab"
                aria-pressed=move || (mode.get() == m).to_string()
                on:click=move |_| mode.set(m)
            >
                {i.text(key)}
            </button>
        }
    };
    let label = Signal::derive(move || {
        match mode.get() {
            ComposerMode::Reply => i.t(Key::ReplyToCustomer),
            ComposerMode::Note => i.t(Key::NoteForAgents),
        }
        .to_owned()
    });
    let field_error = Signal::derive(move || error.get().map(FormError::Ui));
    let send_on_key = send.clone();
    view! {
        <form
            class="mo-composer"
            class:mo-composer-note=move || mode.get() == ComposerMode::Note
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                send_a(false);
            }
        >
            <div class="mo-tabs" role="group" aria-label=i.text(Key::ComposerMode)>
                {mode_button(ComposerMode::Reply, "mo-mode-reply", Key::PublicReply)}
                {mode_button(ComposerMode::Note, "mo-mode-note", Key::InternalNote)}
            </div>
            <LabelledField id="mo-composer" label=label hint=Key::MarkdownHint error=field_error>
            <textarea
                id="mo-composer"
                class="mo-input mo-textarea"
                rows="5"
                aria-describedby=described_by("mo-composer", true, true)
                aria-invalid=invalid(Some(field_error))
                prop:value=move || body.get()
                on:input=move |ev| body.set(event_target_value(&ev))
                on:keydown={
                    let send = send_on_key.clone();
                    move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            send(false);
                        }
                    }
                }
            ></textarea>
            </LabelledField>
            <p class="mo-muted" role="status">{move || applied.get().unwrap_or_default()}</p>
            <Show when=move || preview.get()>
                <div class="mo-preview" aria-label=i.text(Key::Preview) role="region">
                    {move || view! { <Markdown source=body.get() /> }}
                </div>
            </Show>
            <div class="mo-actions">
                <LabelledField id="mo-canned" label=Key::CannedResponse layout=FieldLayout::Inline>
                    <select id="mo-canned" class="mo-select" on:change=insert_canned prop:value="">
                        <option value="">{i.text(Key::ChooseOne)}</option>
                        {settings
                            .canned_responses
                            .iter()
                            .map(|c| view! { <option value=c.id.clone()>{c.title.clone()}</option> })
                            .collect_view()}
                    </select>
                </LabelledField>
                {(!settings.macros.is_empty()).then(|| view! {
                    <LabelledField id="mo-macro" label=Key::Macros layout=FieldLayout::Inline>
                        <select id="mo-macro" class="mo-select" prop:value=move || chosen.get()
                            on:change=move |ev| chosen.set(event_target_value(&ev))>
                            <option value="">{i.text(Key::ChooseOne)}</option>
                            {settings
                                .macros
                                .iter()
                                .map(|m| view! { <option value=m.id.clone()>{m.title.clone()}</option> })
                                .collect_view()}
                        </select>
                    </LabelledField>
                    <button type="button" class="mo-button mo-button-secondary"
                        disabled=move || busy.get() || chosen.get().is_empty()
                        on:click=apply>
                        {i.text(Key::ApplyMacro)}
                    </button>
                })}
                <button
                    type="button"
                    class="mo-button mo-button-secondary"
                    aria-pressed=move || preview.get().to_string()
                    on:click=move |_| preview.update(|p| *p = !*p)
                >
                    {i.text(Key::Preview)}
                </button>
                <button type="submit" class="mo-button" disabled=move || busy.get()>
                    {move || match mode.get() {
                        ComposerMode::Reply => i.t(Key::SendReply),
                        ComposerMode::Note => i.t(Key::AddNote),
                    }}
                </button>
                <Show when=move || mode.get() == ComposerMode::Reply>
                    <button
                        type="button"
                        class="mo-button mo-button-secondary"
                        disabled=move || busy.get()
                        on:click={
                            let send = send.clone();
                            move |_| send(true)
                        }
                    >
                        {i.text(Key::SendAndResolve)}
                    </button>
                </Show>
            </div>
        </form>
    }
}
