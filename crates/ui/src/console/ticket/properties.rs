//! A ticket's properties in the console, each changed through a core command.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::command::Command;
use mostrador_core::event::PropertyChange;
use mostrador_core::model::{Actor, AgentId, Status, TeamId, Timestamp};
use mostrador_core::settings::FieldDef;
use mostrador_core::ticket::Ticket;

use crate::components::choice::ChoiceSelect;
use crate::components::custom_field::{self, CustomFieldInput};
use crate::components::field::{FieldLayout, FormError, LabelledField, described_by, invalid};
use crate::i18n::errors::message;
use crate::i18n::{
    Key, impact_key, priority_key, support_level_name, type_key, urgency_key, use_i18n,
};
use crate::services::desk::{UiError, use_desk};
use crate::shell::session::use_session;

/// The ticket's properties, each changed through a core command: status, impact and urgency
/// (which give the priority), level with escalation, type, category, tags, custom fields,
/// assignee and team.
#[component]
pub fn Properties(
    /// The ticket whose properties are shown.
    ticket: Ticket,
) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let session = use_session();
    let settings = desk.settings();
    let error = RwSignal::new(None::<UiError>);
    let busy = RwSignal::new(false);
    let id = ticket.id.clone();
    let desk_v = StoredValue::new_local(desk.clone());
    let run = move |cmd: Command| {
        let Some(me) = session.agent.get_untracked() else {
            return;
        };
        busy.set(true);
        let desk = desk_v.get_value();
        let id = id.clone();
        spawn_local(async move {
            let r = desk.run(Some(&id), vec![cmd], &Actor::Agent(me)).await;
            busy.try_set(false);
            error.try_set(r.err());
        });
    };
    let run = StoredValue::new(run);
    let act = move |cmd: Command| run.with_value(|f| f(cmd));

    let status = ticket.status;
    let (impact, urgency) = (ticket.impact, ticket.urgency);
    let reason = RwSignal::new(String::new());
    let new_tag = RwSignal::new(String::new());
    let next_level = ticket.level.next();
    let tags: Vec<String> = ticket.tags.iter().cloned().collect();
    let assignee = ticket.assignee.clone();
    let team = ticket.team.clone();
    let category = ticket.category.clone().unwrap_or_default();
    let ticket_type = ticket.ticket_type;
    let postponed_until = ticket.postponed_until;
    let date_missing = RwSignal::new(false);

    let assignee_select = {
        let (assignee, team) = (assignee.clone(), team.clone());
        view! {
            <select id="mo-prop-assignee" class="mo-select" on:change=move |ev| {
                let v = event_target_value(&ev);
                act(Command::Assign { agent: (!v.is_empty()).then_some(AgentId(v)), team: team.clone() })
            }>
                <option value="" selected=assignee.is_none()>{i.text(Key::Nobody)}</option>
                {settings.agents.iter().map(|a| {
                    let sel = assignee.as_ref() == Some(&a.id);
                    view! { <option value=a.id.0.clone() selected=sel>{a.name.clone()}</option> }
                }).collect_view()}
            </select>
        }
    };
    let team_select = {
        view! {
            <select id="mo-prop-team" class="mo-select" on:change=move |ev| {
                let v = event_target_value(&ev);
                act(Command::Assign { agent: assignee.clone(), team: (!v.is_empty()).then_some(TeamId(v)) })
            }>
                <option value="" selected=team.is_none()>{i.text(Key::NoTeam)}</option>
                {settings.teams.iter().map(|t| {
                    let sel = team.as_ref() == Some(&t.id);
                    view! { <option value=t.id.0.clone() selected=sel>{t.name.clone()}</option> }
                }).collect_view()}
            </select>
        }
    };
    let category_select = view! {
            <select id="mo-prop-category" class="mo-select" on:change=move |ev| {
                let v = event_target_value(&ev);
                act(Command::Edit { changes: vec![PropertyChange::Category((!v.is_empty()).then_some(v))] });
            }>
                <option value="" selected=category.is_empty()>{i.text(Key::NoCategory)}</option>
                {settings.categories.iter().map(|c| {
                    let sel = *c == category;
                    view! { <option value=c.clone() selected=sel>{c.clone()}</option> }
                }).collect_view()}
            </select>
    };
    let status_buttons = view! {
        <div class="mo-actions">
            {status.is_active().then(|| view! {
                <button type="button" id="mo-resolve" class="mo-button" disabled=move || busy.get()
                    on:click=move |_| act(Command::Resolve)>
                    {i.text(Key::Resolve)}
                </button>
            })}
            {matches!(status, Status::Resolved).then(|| view! {
                <button type="button" class="mo-button mo-button-secondary" disabled=move || busy.get()
                    on:click=move |_| act(Command::Close)>
                    {i.text(Key::Close)}
                </button>
            })}
            {matches!(status, Status::Resolved | Status::Closed).then(|| view! {
                <button type="button" class="mo-button mo-button-secondary" disabled=move || busy.get()
                    on:click=move |_| act(Command::Reopen)>
                    {i.text(Key::Reopen)}
                </button>
            })}
        </div>
        {postpone_control(status, postponed_until, busy, date_missing, act)}
    };

    view! {
        <section class="mo-card" aria-labelledby="mo-props-title">
            <h3 id="mo-props-title" class="mo-card-title">{i.text(Key::Properties)}</h3>
            {status_buttons}
            <p class="mo-error" role="alert">{move || error.get().map(|e| message(i, &e)).unwrap_or_default()}</p>
            <div class="mo-props">
                <LabelledField id="mo-prop-assignee" label=Key::Assignee layout=FieldLayout::Sheet>
                    {assignee_select}
                </LabelledField>
                <LabelledField id="mo-prop-team" label=Key::Team layout=FieldLayout::Sheet>
                    {team_select}
                </LabelledField>
                <LabelledField id="mo-prop-impact" label=Key::Impact layout=FieldLayout::Sheet>
                    <ChoiceSelect id="mo-prop-impact" label=impact_key value=move || Some(impact)
                        on_pick=move |x| if let Some(x) = x { act(Command::SetPriority { impact: x, urgency }) } />
                </LabelledField>
                <LabelledField id="mo-prop-urgency" label=Key::Urgency layout=FieldLayout::Sheet>
                    <ChoiceSelect id="mo-prop-urgency" label=urgency_key value=move || Some(urgency)
                        on_pick=move |x| if let Some(x) = x { act(Command::SetPriority { impact, urgency: x }) } />
                </LabelledField>
                <p class="mo-prop">
                    <span>{i.text(Key::Priority)}</span>
                    <strong>{i.text(priority_key(ticket.priority))}</strong>
                </p>
                <LabelledField id="mo-prop-type" label=Key::TicketTypeLabel layout=FieldLayout::Sheet>
                    <ChoiceSelect id="mo-prop-type" label=type_key value=move || Some(ticket_type)
                        on_pick=move |x| if let Some(x) = x { act(Command::Edit { changes: vec![PropertyChange::TicketType(x)] }) } />
                </LabelledField>
                <LabelledField id="mo-prop-category" label=Key::Category layout=FieldLayout::Sheet>
                    {category_select}
                </LabelledField>
                {settings.domain.custom_fields.iter().map(|f| {
                    let text = ticket.custom_fields.get(&f.key).map(FieldDef::value_text).unwrap_or_default();
                    let value = RwSignal::new(text);
                    let problem = RwSignal::new(None::<String>);
                    let def = StoredValue::new(f.clone());
                    let on_change = Callback::new(move |v: String| {
                        def.with_value(|def| match custom_field::value_of(def, &v) {
                            Ok(value) => {
                                problem.set(None);
                                act(Command::Edit { changes: vec![PropertyChange::Field { key: def.key.clone(), value }] });
                            }
                            Err(custom_field::NotAValue) => problem.set(Some(i.tf(Key::ErrFieldValue, &[("field", def.display_name())]))),
                        });
                    });
                    view! {
                        <CustomFieldInput def=f.clone() id=format!("mo-prop-field-{}", f.key) value=value
                            error=problem on_change=on_change />
                    }
                }).collect_view()}
            </div>
            <div class="mo-prop-block">
                <p class="mo-prop">
                    <span>{i.text(Key::SupportLevel)}</span>
                    <strong>{support_level_name(ticket.level)}</strong>
                </p>
                {next_level.map(|to| view! {
                    <form class="mo-inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        act(Command::Escalate { to, reason: reason.get_untracked() });
                    }>
                        <LabelledField id="mo-escalation-reason" label=Key::EscalationReason layout=FieldLayout::Inline>
                            <input id="mo-escalation-reason" class="mo-input" type="text" prop:value=move || reason.get()
                                on:input=move |ev| reason.set(event_target_value(&ev)) />
                        </LabelledField>
                        <button type="submit" class="mo-button mo-button-secondary">
                            {move || i.tf(Key::EscalateTo, &[("level", support_level_name(to))])}
                        </button>
                    </form>
                })}
            </div>
            <div class="mo-prop-block">
                <p class="mo-prop-label">{i.text(Key::Tags)}</p>
                <ul class="mo-tags" aria-label=i.text(Key::Tags)>
                    {tags.into_iter().map(|t| {
                        let t2 = t.clone();
                        let t3 = t.clone();
                        view! {
                            <li class="mo-tag">
                                {t.clone()}
                                <button type="button" class="mo-tag-remove"
                                    aria-label=move || i.tf(Key::RemoveTag, &[("tag", &t3)])
                                    on:click=move |_| act(Command::Tag { add: Vec::new(), remove: vec![t2.clone()] })>
                                    "×"
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <form class="mo-inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let t = new_tag.get_untracked();
                    if !t.trim().is_empty() {
                        new_tag.set(String::new());
                        act(Command::Tag { add: vec![t.trim().to_owned()], remove: Vec::new() });
                    }
                }>
                    <LabelledField id="mo-new-tag" label=Key::NewTag layout=FieldLayout::Inline>
                        <input id="mo-new-tag" class="mo-input" type="text" prop:value=move || new_tag.get()
                            on:input=move |ev| new_tag.set(event_target_value(&ev)) />
                    </LabelledField>
                    <button type="submit" class="mo-button mo-button-secondary">{i.text(Key::AddTag)}</button>
                </form>
            </div>
        </section>
    }
}

/// Postpone an active ticket until a date and time (the browser's local time), or wake a
/// postponed one now. The system wakes it by itself when the date passes.
fn postpone_control(
    status: Status,
    until: Option<Timestamp>,
    busy: RwSignal<bool>,
    date_missing: RwSignal<bool>,
    act: impl Fn(Command) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i = use_i18n();
    if status == Status::Postponed {
        return view! {
            <div class="mo-actions">
                <p class="mo-hint">
                    {move || format!("{} {}", i.t(Key::PostponedUntil), until.map(|t| i.dt(t)).unwrap_or_default())}
                </p>
                <button type="button" class="mo-button mo-button-secondary" disabled=move || busy.get()
                    on:click=move |_| act(Command::Wake)>
                    {i.text(Key::WakeNow)}
                </button>
            </div>
        }
        .into_any();
    }
    if !status.is_active() {
        return ().into_any();
    }
    let value = RwSignal::new(String::new());
    let error = Signal::derive(move || {
        date_missing
            .get()
            .then_some(FormError::Key(Key::ErrDateMissing))
    });
    view! {
        <div class="mo-postpone">
            <LabelledField id="mo-postpone-until" label=Key::PostponeUntil error=error>
                <input id="mo-postpone-until" class="mo-input" type="datetime-local"
                    aria-describedby=described_by("mo-postpone-until", false, true)
                    aria-invalid=invalid(Some(error))
                    prop:value=move || value.get()
                    on:input=move |ev| { value.set(event_target_value(&ev)); date_missing.set(false); } />
            </LabelledField>
            <button type="button" class="mo-button mo-button-secondary" disabled=move || busy.get()
                on:click=move |_| match crate::components::field::local_datetime(&value.get_untracked()) {
                    Some(until) => act(Command::Postpone { until }),
                    None => date_missing.set(true),
                }>
                {i.text(Key::Postpone)}
            </button>
        </div>
    }
    .into_any()
}
