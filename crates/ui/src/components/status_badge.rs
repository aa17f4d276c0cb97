//! Labelled badges for a ticket's status and priority (words, not colour alone).

use leptos::prelude::*;
use mostrador_core::model::{Priority, Status};

use crate::i18n::{Key, priority_key, status_key, use_i18n};

/// A ticket's status as a labelled badge (text, not colour alone).
#[component]
pub fn StatusBadge(
    /// The status to show.
    status: Status,
) -> impl IntoView {
    let i = use_i18n();
    let class = format!("mo-badge mo-status-{}", status.as_str());
    view! { <span class=class>{i.text(status_key(status))}</span> }
}

/// A ticket's priority as a labelled badge.
#[component]
pub fn PriorityBadge(
    /// The priority to show.
    priority: Priority,
) -> impl IntoView {
    let i = use_i18n();
    let class = format!("mo-badge mo-priority-{}", priority.as_str());
    view! {
        <span class=class title=i.text(Key::Priority)>
            {i.text(priority_key(priority))}
        </span>
    }
}
