//! A conversation as a list of messages (`Thread`, `ThreadItem`): the request, public replies
//! and, for agents, internal notes marked as such; `author_name` names who wrote each.

use leptos::prelude::*;
use mostrador_core::assignment::Agent;
use mostrador_core::model::{Actor, Attachment, Timestamp};

use crate::components::markdown::Markdown;
use crate::i18n::{Key, use_i18n};
use crate::services::attachments::AttachmentList;

/// One entry of a conversation, as plain data.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadItem {
    pub key: String,
    pub author: String,
    pub at: Timestamp,
    /// An internal note (staff only).
    pub internal: bool,
    pub from_staff: bool,
    /// Markdown source.
    pub body: String,
    /// Files sent with it.
    pub attachments: Vec<Attachment>,
}

/// Who wrote something, by name.
pub fn author_name(actor: &Actor, requester: &str, agents: &[Agent]) -> String {
    match actor {
        Actor::Customer(_) => requester.to_owned(),
        Actor::Agent(id) => agents
            .iter()
            .find(|a| &a.id == id)
            .map_or_else(|| id.0.clone(), |a| a.name.clone()),
        Actor::System => "Mostrador".to_owned(),
    }
}

/// A conversation: the opening request, public replies and (for agents) internal notes, which
/// look clearly different and say so in words.
#[component]
pub fn Thread(
    /// The messages, oldest first.
    items: Vec<ThreadItem>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <ol class="mo-thread" aria-label=i.text(Key::Conversation)>
            {items
                .into_iter()
                .map(|m| {
                    let class = if m.internal {
                        "mo-msg mo-msg-internal"
                    } else if m.from_staff {
                        "mo-msg mo-msg-staff"
                    } else {
                        "mo-msg"
                    };
                    let at = m.at;
                    view! {
                        <li class=class>
                            <p class="mo-msg-meta">
                                <strong>{m.author.clone()}</strong>
                                {m
                                    .internal
                                    .then(|| {
                                        view! {
                                            <span class="mo-badge mo-badge-note">
                                                {i.text(Key::InternalNote)}
                                            </span>
                                        }
                                    })}
                                <span class="mo-muted">{move || i.dt(at)}</span>
                            </p>
                            <Markdown source=m.body.clone() />
                            <AttachmentList files=m.attachments.clone() />
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
