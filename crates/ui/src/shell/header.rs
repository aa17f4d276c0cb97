//! The bar on top of the app: the help desk's name, the language switcher and, in the console,
//! the signed-in agent and the sync badge.

use leptos::prelude::*;

use crate::components::field::{FieldLayout, LabelledField};
use crate::i18n::{Key, Lang, use_i18n};
#[cfg(feature = "console")]
use crate::services::desk::use_desk;
use crate::services::desk::use_desk_slot;
use crate::services::sync_link::SyncBadge;
#[cfg(feature = "console")]
use crate::services::sync_link::use_sync;
use crate::shell::session::{Mode, use_session};

/// The bar on top: the help desk's name, the language switcher and, in the console, who is
/// signed in.
#[component]
pub fn Header() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let slot = use_desk_slot();
    // The name and the agents follow the settings (the first-run setup changes both); the
    // portal shows before the desk is loaded, without a name until it is.
    let name = move || {
        slot.get().map(|desk| {
            desk.revision.track();
            desk.name()
        })
    };
    let on_lang = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        if let Some(l) = Lang::from_tag(&v) {
            i.lang.set(l);
        }
    };
    #[cfg(feature = "console")]
    let agent_picker = (session.mode == Mode::Console && use_sync().is_none()).then(agent_picker);
    #[cfg(not(feature = "console"))]
    let agent_picker = None::<()>;
    view! {
        <header class="mo-header">
            <p class="mo-brand">
                <span class="mo-brand-name">{name}</span>
                <span class="mo-brand-mode">
                    {move || match session.mode {
                        // The portal's own heading already says "Help center".
                        Mode::Portal => "",
                        Mode::Console => i.t(Key::AgentConsole),
                    }}
                </span>
            </p>
            <div class="mo-header-tools">
                <SyncBadge />
                {agent_picker}
                <LabelledField id="mo-header-lang" label=Key::Language layout=FieldLayout::Inline>
                    <select id="mo-header-lang" class="mo-select" on:change=on_lang>
                        {Lang::ALL
                            .into_iter()
                            .map(|l| {
                                view! {
                                    <option value=l.tag() selected=move || i.lang.get() == l>
                                        {l.native_name()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </LabelledField>
            </div>
        </header>
    }
}

/// The agent picker of a console without a server: who works on this device (kept for the next
/// visit).
#[cfg(feature = "console")]
fn agent_picker() -> impl IntoView {
    use leptos::task::spawn_local;
    use mostrador_core::model::AgentId;

    let session = use_session();
    let desk = use_desk();
    let revision = desk.revision;
    let shown = StoredValue::new_local(desk);
    let on_agent = move |ev: leptos::ev::Event| {
        let id = AgentId(event_target_value(&ev));
        session.agent.set(Some(id.clone()));
        let desk = shown.get_value();
        spawn_local(async move {
            let _ = desk.save_agent(&id).await;
        });
    };
    view! {
        <LabelledField id="mo-header-agent" label=Key::SignedInAs layout=FieldLayout::Inline>
            <select id="mo-header-agent" class="mo-select" on:change=on_agent>
                {move || {
                    revision.track();
                    shown
                        .get_value()
                        .settings()
                        .agents
                    .into_iter()
                    .map(|a| {
                        let id = a.id.0.clone();
                        let id2 = id.clone();
                        view! {
                            <option
                                value=id
                                selected=move || {
                                    session.agent.get().is_some_and(|x| x.0 == id2)
                                }
                            >
                                {a.name}
                            </option>
                        }
                    })
                    .collect_view()
                }}
            </select>
        </LabelledField>
    }
}
