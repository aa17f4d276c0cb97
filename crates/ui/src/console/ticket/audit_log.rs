//! A ticket's audit history in words: who changed what and when, oldest first.

use leptos::prelude::*;
use mostrador_core::audit::{AuditChange, audit_trail};
use mostrador_core::event::Event;
use mostrador_core::privacy::PrivacyRequest;

use crate::components::thread::author_name;
use crate::i18n::{I18n, Key, priority_key, status_key, support_level_name, use_i18n};
use crate::services::desk::use_desk;

fn describe(i: I18n, c: &AuditChange) -> String {
    let who = |a: &Option<mostrador_core::model::AgentId>| {
        a.as_ref()
            .map_or_else(|| i.t(Key::Nobody).to_owned(), |x| x.0.clone())
    };
    match c {
        AuditChange::Opened { .. } => i.t(Key::AuditOpened).to_owned(),
        AuditChange::PublicReply { .. } => i.t(Key::AuditReplied).to_owned(),
        AuditChange::InternalNote { .. } => i.t(Key::AuditNote).to_owned(),
        AuditChange::Status { from, to } => i.tf(
            Key::AuditStatus,
            &[
                ("from", i.t(status_key(*from))),
                ("to", i.t(status_key(*to))),
            ],
        ),
        AuditChange::Priority { from, to } => i.tf(
            Key::AuditPriority,
            &[
                ("from", i.t(priority_key(*from))),
                ("to", i.t(priority_key(*to))),
            ],
        ),
        AuditChange::Assignee { from, to } => i.tf(
            Key::AuditAssignee,
            &[("from", &who(from)), ("to", &who(to))],
        ),
        AuditChange::Level { from, to, reason } => i.tf(
            Key::AuditLevel,
            &[
                ("from", support_level_name(*from)),
                ("to", support_level_name(*to)),
                ("reason", reason),
            ],
        ),
        AuditChange::Tags { added, removed } => i.tf(
            Key::AuditTags,
            &[
                ("added", &added.join(", ")),
                ("removed", &removed.join(", ")),
            ],
        ),
        AuditChange::Rated { rating } => {
            i.tf(Key::AuditRated, &[("score", &rating.score.to_string())])
        }
        AuditChange::MergedInto { target } => {
            i.tf(Key::AuditMergedInto, &[("code", target.code.as_str())])
        }
        AuditChange::MergedFrom { sources } => {
            let codes: Vec<&str> = sources.iter().map(|s| s.code.as_str()).collect();
            i.tf(Key::AuditMergedFrom, &[("codes", &codes.join(", "))])
        }
        AuditChange::Privacy { request } => i
            .t(match request {
                PrivacyRequest::Access => Key::AuditAccess,
                PrivacyRequest::Erasure => Key::AuditErasure,
            })
            .to_owned(),
        AuditChange::Postponed { until } => i.tf(Key::AuditPostponed, &[("until", &i.dt(*until))]),
        AuditChange::Team { from, to } => {
            let team = |t: &Option<mostrador_core::model::TeamId>| {
                t.as_ref()
                    .map_or_else(|| i.t(Key::NoTeam).to_owned(), |x| x.0.clone())
            };
            i.tf(Key::AuditTeam, &[("from", &team(from)), ("to", &team(to))])
        }
        AuditChange::Watchers { added, removed } => {
            let names = |v: &[mostrador_core::model::AgentId]| {
                v.iter()
                    .map(|a| a.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            i.tf(
                Key::AuditWatchers,
                &[("added", &names(added)), ("removed", &names(removed))],
            )
        }
        AuditChange::Properties { names } => {
            i.tf(Key::AuditChanged, &[("what", &names.join(", "))])
        }
        AuditChange::FollowUpCreated { follow_up } => {
            i.tf(Key::AuditFollowUp, &[("code", follow_up.code.as_str())])
        }
    }
}

/// The ticket's history: who changed what and when, oldest first.
#[component]
pub fn AuditLog(
    /// The ticket's events.
    events: Vec<Event>,
) -> impl IntoView {
    let i = use_i18n();
    let agents = use_desk().settings().agents;
    let entries = audit_trail(&events, false);
    view! {
        <details class="mo-card mo-audit">
            <summary class="mo-card-title">{i.text(Key::History)}</summary>
            <ol class="mo-audit-list">
                {entries
                    .into_iter()
                    .map(|e| {
                        let who = author_name(&e.actor, "", &agents);
                        let who = if who.is_empty() { "—".to_owned() } else { who };
                        let at = e.at;
                        view! {
                            <li>
                                <span class="mo-muted">{move || i.dt(at)}</span>
                                " · "
                                <strong>{who}</strong>
                                " · "
                                {move || describe(i, &e.change)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </details>
    }
}
