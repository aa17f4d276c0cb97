//! The one progress message shown while anything loads.

use leptos::prelude::*;

use crate::i18n::{Key, use_i18n};

/// A progress message for anything still loading.
#[component]
pub fn Loading() -> impl IntoView {
    let i = use_i18n();
    view! {
        <p class="mo-loading" role="status" aria-live="polite">
            <span class="mo-spinner" aria-hidden="true"></span>
            {i.text(Key::Loading)}
        </p>
    }
}
