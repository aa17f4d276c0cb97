//! The inbox's bulk actions on the selected tickets.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::command::Command;
use mostrador_core::model::{Actor, AgentId, Impact, TicketId, Urgency};

use crate::components::choice::ChoiceSelect;
use crate::components::field::{FieldLayout, LabelledField, local_datetime};
use crate::console::use_console;
use crate::i18n::errors::message;
use crate::i18n::{Key, Plural, impact_key, urgency_key, use_i18n};
use crate::services::desk::{BulkReport, use_desk};
use crate::shell::session::use_session;

/// Actions on every selected ticket at once: assign, status, postpone, priority, tags, merge. Each ticket
/// succeeds or fails on its own, and the result says which failed and why.
#[component]
pub fn BulkBar(
    /// The selected tickets.
    selected: RwSignal<BTreeSet<TicketId>>,
) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let session = use_session();
    let state = use_console();
    let agents = StoredValue::new(desk.settings().agents);
    let assignee = RwSignal::new(String::new());
    let status = RwSignal::new("resolve".to_owned());
    let impact = RwSignal::new(Impact::Medium);
    let urgency = RwSignal::new(Urgency::Medium);
    let tags = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let date_missing = RwSignal::new(false);
    let report = RwSignal::new(None::<BulkReport>);
    let busy = RwSignal::new(false);

    let desk_store = StoredValue::new_local(desk.clone());
    let run = move |command: Option<Command>| {
        let Some(me) = session.agent.get_untracked() else {
            return;
        };
        let actor = Actor::Agent(me);
        // In list order, so "merge into the first selected" means the first row ticked.
        let ids: Vec<TicketId> = state
            .rows
            .get_untracked()
            .into_iter()
            .filter(|id| selected.with_untracked(|s| s.contains(id)))
            .collect();
        if ids.is_empty() {
            return;
        }
        busy.set(true);
        let desk = desk_store.get_value();
        spawn_local(async move {
            let r = match command {
                Some(c) => desk.bulk(&ids, &c, &actor).await,
                None => match desk.merge(&ids[0], &ids[1..], &actor).await {
                    Ok(()) => BulkReport {
                        done: ids.len(),
                        failed: Vec::new(),
                    },
                    Err(e) => BulkReport {
                        done: 0,
                        failed: vec![(ids[0].0.clone(), e)],
                    },
                },
            };
            busy.try_set(false);
            report.try_set(Some(r));
            selected.try_set(BTreeSet::new());
        });
    };

    view! {
        <Show when=move || !selected.get().is_empty() || report.get().is_some()>
            <div class="mo-bulk" role="group" aria-label=i.text(Key::BulkActions)>
                <p class="mo-bulk-count">
                    {move || i.tn(Plural::NSelected, selected.get().len() as u64, &[])}
                </p>
                <div class="mo-bulk-group">
                    <LabelledField id="mo-bulk-assignee" label=Key::AssignTo layout=FieldLayout::Inline>
                        <select id="mo-bulk-assignee" class="mo-select" on:change=move |ev| assignee.set(event_target_value(&ev))>
                            <option value="">{i.text(Key::Nobody)}</option>
                            {agents
                                .get_value()
                                .iter()
                                .map(|a| view! { <option value=a.id.0.clone()>{a.name.clone()}</option> })
                                .collect_view()}
                        </select>
                    </LabelledField>
                    <button
                        type="button"
                        class="mo-button"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            let a = assignee.get_untracked();
                            run(Some(Command::Assign {
                                agent: (!a.is_empty()).then_some(AgentId(a)),
                                team: None,
                            }))
                        }
                    >
                        {i.text(Key::Assign)}
                    </button>
                </div>
                <div class="mo-bulk-group">
                    <LabelledField id="mo-bulk-status" label=Key::NewStatus layout=FieldLayout::Inline>
                        <select id="mo-bulk-status" class="mo-select" on:change=move |ev| status.set(event_target_value(&ev))>
                            <option value="resolve">{i.text(Key::Resolve)}</option>
                            <option value="close">{i.text(Key::Close)}</option>
                            <option value="reopen">{i.text(Key::Reopen)}</option>
                            <option value="wake">{i.text(Key::WakeNow)}</option>
                        </select>
                    </LabelledField>
                    <button
                        type="button"
                        class="mo-button"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            let c = match status.get_untracked().as_str() {
                                "close" => Command::Close,
                                "reopen" => Command::Reopen,
                                "wake" => Command::Wake,
                                _ => Command::Resolve,
                            };
                            run(Some(c))
                        }
                    >
                        {i.text(Key::SetStatus)}
                    </button>
                </div>
                <div class="mo-bulk-group">
                    <LabelledField id="mo-bulk-until" label=Key::PostponeUntil layout=FieldLayout::Inline>
                        <input id="mo-bulk-until" class="mo-input" type="datetime-local" prop:value=move || until.get()
                            on:input=move |ev| { until.set(event_target_value(&ev)); date_missing.set(false); } />
                    </LabelledField>
                    <button
                        type="button"
                        class="mo-button"
                        disabled=move || busy.get()
                        on:click=move |_| match local_datetime(&until.get_untracked()) {
                            Some(until) => run(Some(Command::Postpone { until })),
                            None => date_missing.set(true),
                        }
                    >
                        {i.text(Key::Postpone)}
                    </button>
                    <p class="mo-error" role="alert">{move || date_missing.get().then(|| i.t(Key::ErrDateMissing))}</p>
                </div>
                <div class="mo-bulk-group">
                    <LabelledField id="mo-bulk-impact" label=Key::Impact layout=FieldLayout::Inline>
                        <ChoiceSelect id="mo-bulk-impact" label=impact_key value=move || Some(Impact::Medium)
                            on_pick=move |x| if let Some(x) = x { impact.set(x) } />
                    </LabelledField>
                    <LabelledField id="mo-bulk-urgency" label=Key::Urgency layout=FieldLayout::Inline>
                        <ChoiceSelect id="mo-bulk-urgency" label=urgency_key value=move || Some(Urgency::Medium)
                            on_pick=move |x| if let Some(x) = x { urgency.set(x) } />
                    </LabelledField>
                    <button
                        type="button"
                        class="mo-button"
                        disabled=move || busy.get()
                        on:click=move |_| run(Some(Command::SetPriority { impact: impact.get_untracked(), urgency: urgency.get_untracked() }))
                    >
                        {i.text(Key::SetPriority)}
                    </button>
                </div>
                <div class="mo-bulk-group">
                    <LabelledField id="mo-bulk-tags" label=Key::AddTags layout=FieldLayout::Inline>
                        <input id="mo-bulk-tags" class="mo-input" type="text" prop:value=move || tags.get() on:input=move |ev| tags.set(event_target_value(&ev)) />
                    </LabelledField>
                    <button
                        type="button"
                        class="mo-button"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            let add: Vec<String> = tags
                                .get_untracked()
                                .split([',', ' '])
                                .map(str::trim)
                                .filter(|s| !s.is_empty())
                                .map(str::to_owned)
                                .collect();
                            tags.set(String::new());
                            run(Some(Command::Tag { add, remove: Vec::new() }))
                        }
                    >
                        {i.text(Key::AddTagsButton)}
                    </button>
                </div>
                <div class="mo-bulk-group">
                    <button
                        type="button"
                        class="mo-button mo-button-secondary"
                        disabled=move || busy.get() || selected.get().len() < 2
                        on:click=move |_| run(None)
                    >
                        {i.text(Key::MergeIntoFirst)}
                    </button>
                </div>
                <p class="mo-bulk-report" role="status" aria-live="polite">
                    {move || {
                        report
                            .get()
                            .map(|r| {
                                let mut s = i.tn(Plural::BulkDone, r.done as u64, &[]);
                                for (_, e) in &r.failed {
                                    s.push(' ');
                                    s.push_str(&message(i, e));
                                }
                                s
                            })
                            .unwrap_or_default()
                    }}
                </p>
            </div>
        </Show>
    }
}
