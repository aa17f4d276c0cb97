//! The console's search box, in the bar above every screen: a search shows its results in the
//! inbox, from wherever the agent is.

use leptos::prelude::*;

use crate::components::field::{FieldLayout, LabelledField};
use crate::console::{ConsolePage, use_console};
use crate::i18n::{Key, use_i18n};

/// Search the tickets of the current view (text, code, requester), from any console screen.
#[component]
pub fn ConsoleSearch() -> impl IntoView {
    let i = use_i18n();
    let state = use_console();
    let draft = RwSignal::new(state.text.get_untracked());
    view! {
        <form
            class="mo-search"
            role="search"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                state.offset.set(0);
                state.text.set(draft.get_untracked());
                if state.page.get_untracked() != ConsolePage::Inbox {
                    state.page.set(ConsolePage::Inbox);
                }
            }
        >
            <LabelledField id="mo-search" label=Key::SearchTickets layout=FieldLayout::Inline>
                <input
                    id="mo-search"
                    class="mo-input"
                    type="search"
                    placeholder=i.text(Key::SearchTickets)
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                />
            </LabelledField>
            <button type="submit" class="mo-button">{i.text(Key::Search)}</button>
        </form>
    }
}
