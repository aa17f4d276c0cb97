//! The console's settings: the help desk's name and categories, the reopen window and the
//! close-after period, each SLA policy's targets, business hours and time zone, and the agents.
//! The whole `Settings` value is checked by the core (`Settings::problems`) before it is saved;
//! a saved change applies to what happens next and never rewrites history.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::assignment::{Agent, Availability, Role};
use mostrador_core::calendar::{TimeRange, WeeklyHours, parse_time_zone};
use mostrador_core::config::Settings;
use mostrador_core::model::{AgentId, Level};

use crate::desk::use_desk;
use crate::errors::message;
use crate::i18n::{Key, Lang, use_i18n};

const DAY: i64 = 24 * 3600;

/// Text inputs of one SLA policy.
#[derive(Clone)]
struct PolicyForm {
    name: String,
    first: RwSignal<String>,
    next: RwSignal<String>,
    resolution: RwSignal<String>,
}

/// Text inputs of one business calendar (the same open hours Monday to Friday).
#[derive(Clone)]
struct CalendarForm {
    name: String,
    zone: RwSignal<String>,
    opens: RwSignal<String>,
    closes: RwSignal<String>,
    /// The hours as loaded: left alone unless the person edits them (a calendar may have
    /// different hours per day, which this form does not show).
    loaded: (String, String),
}

fn hours_text(minutes: Option<u32>) -> String {
    minutes.map_or_else(String::new, |m| {
        let h = f64::from(m) / 60.0;
        if h.fract() == 0.0 {
            format!("{h:.0}")
        } else {
            format!("{h:.2}")
        }
    })
}

/// Hours as typed (`4`, `1.5`, `1,5`) to whole minutes; empty means no target.
fn minutes_of(text: &str) -> Result<Option<u32>, ()> {
    let t = text.trim().replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(h) if h.is_finite() && h > 0.0 && h <= 24.0 * 365.0 => {
            Ok(Some((h * 60.0).round() as u32))
        }
        _ => Err(()),
    }
}

fn time_of(text: &str) -> Option<(u8, u8)> {
    let (h, m) = text.trim().split_once(':')?;
    Some((h.parse().ok()?, m.parse().ok()?))
}

/// The settings form.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let i = use_i18n();
    let desk = StoredValue::new_local(use_desk());
    let current = desk.get_value().settings();
    let base = StoredValue::new(current.clone());
    let name = RwSignal::new(current.profile.name.clone());
    let categories = RwSignal::new(current.categories.join("\n"));
    let locales = RwSignal::new(current.profile.locales.clone());
    let reopen_days = RwSignal::new((current.domain.reopen_window_secs / DAY).to_string());
    let close_days = RwSignal::new((current.domain.auto_close_after_secs / DAY).to_string());
    let policies: Vec<PolicyForm> = current
        .sla
        .policies
        .iter()
        .map(|p| PolicyForm {
            name: p.name.clone(),
            first: RwSignal::new(hours_text(p.targets.first_response)),
            next: RwSignal::new(hours_text(p.targets.next_response)),
            resolution: RwSignal::new(hours_text(p.targets.resolution)),
        })
        .collect();
    let calendars: Vec<CalendarForm> = current
        .sla
        .calendars
        .iter()
        .map(|c| {
            let range = c.hours.monday.first().copied();
            let opens = range.map(|r| r.start.to_string()).unwrap_or_default();
            let closes = range.map(|r| r.end.to_string()).unwrap_or_default();
            CalendarForm {
                name: c.name.clone(),
                zone: RwSignal::new(c.time_zone.name().to_owned()),
                opens: RwSignal::new(opens.clone()),
                closes: RwSignal::new(closes.clone()),
                loaded: (opens, closes),
            }
        })
        .collect();
    let agents = RwSignal::new(current.agents.clone());
    let new_agent_name = RwSignal::new(String::new());
    let new_agent_email = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<String>::new());
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let policies_v = StoredValue::new(policies.clone());
    let calendars_v = StoredValue::new(calendars.clone());

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let mut s: Settings = base.get_value();
        let mut errs = Vec::new();
        s.profile.name = name.get_untracked().trim().to_owned();
        s.profile.locales = locales.get_untracked();
        s.categories = categories
            .get_untracked()
            .lines()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        match (
            reopen_days.get_untracked().trim().parse::<i64>(),
            close_days.get_untracked().trim().parse::<i64>(),
        ) {
            (Ok(r), Ok(c)) => {
                s.domain.reopen_window_secs = r.saturating_mul(DAY);
                s.domain.auto_close_after_secs = c.saturating_mul(DAY);
            }
            _ => errs.push(i.t(Key::SetErrDays).to_owned()),
        }
        for (p, form) in s.sla.policies.iter_mut().zip(policies_v.get_value()) {
            let parsed = (
                minutes_of(&form.first.get_untracked()),
                minutes_of(&form.next.get_untracked()),
                minutes_of(&form.resolution.get_untracked()),
            );
            match parsed {
                (Ok(f), Ok(n), Ok(r)) => {
                    p.targets.first_response = f;
                    p.targets.next_response = n;
                    p.targets.resolution = r;
                }
                _ => errs.push(i.tf(Key::SetErrHours, &[&form.name])),
            }
        }
        for (c, form) in s.sla.calendars.iter_mut().zip(calendars_v.get_value()) {
            match parse_time_zone(&form.zone.get_untracked()) {
                Ok(tz) => c.time_zone = tz,
                Err(_) => errs.push(i.tf(Key::SetErrZone, &[form.zone.get_untracked().trim()])),
            }
            let (opens, closes) = (form.opens.get_untracked(), form.closes.get_untracked());
            if (opens.trim(), closes.trim()) == (form.loaded.0.trim(), form.loaded.1.trim()) {
                continue;
            }
            let range = time_of(&opens)
                .zip(time_of(&closes))
                .and_then(|(a, b)| TimeRange::new(a, b));
            match range {
                Some(r) => c.hours = WeeklyHours::weekdays(&[r]),
                None => errs.push(i.tf(Key::SetErrOpenHours, &[&form.name])),
            }
        }
        s.agents = agents.get_untracked();
        errs.extend(s.problems().into_iter().map(|p| p.to_string()));
        if !errs.is_empty() {
            problems.set(errs);
            return;
        }
        problems.set(Vec::new());
        busy.set(true);
        let desk = desk.get_value();
        spawn_local(async move {
            let result = desk.replace_settings(s.clone()).await;
            busy.try_set(false);
            match result {
                Ok(()) => {
                    base.set_value(s);
                    saved.try_set(true);
                }
                Err(e) => {
                    problems.try_set(vec![message(i, &e)]);
                }
            }
        });
    };

    let add_agent = move |_| {
        let name = new_agent_name.get_untracked().trim().to_owned();
        let email = new_agent_email.get_untracked().trim().to_owned();
        if name.is_empty() {
            problems.set(vec![i.t(Key::SetErrAgentName).to_owned()]);
            return;
        }
        let mut id: String = name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        id = id.trim_matches('-').to_owned();
        let taken = |x: &str| agents.with_untracked(|a| a.iter().any(|g| g.id.0 == x));
        let mut unique = id.clone();
        let mut n = 2;
        while unique.is_empty() || taken(&unique) {
            unique = format!("{id}-{n}");
            n += 1;
        }
        agents.update(|a| {
            a.push(Agent {
                id: AgentId(unique),
                name,
                email,
                skills: Vec::new(),
                languages: Vec::new(),
                levels: vec![Level::L1],
                teams: Vec::new(),
                capacity: 10,
                availability: Availability::Available,
                role: Role::Agent,
            })
        });
        new_agent_name.set(String::new());
        new_agent_email.set(String::new());
    };

    view! {
        <form class="mo-form mo-settings" on:submit=save novalidate=true aria-labelledby="mo-settings-title">
            <h2 id="mo-settings-title" class="mo-subtitle">{move || i.t(Key::SetTitle)}</h2>
            <p class="mo-hint">{move || i.t(Key::SetIntro)}</p>
            <fieldset class="mo-fieldset">
                <legend>{move || i.t(Key::SetGeneral)}</legend>
                <div class="mo-field">
                    <label for="mo-set-name">{move || i.t(Key::SetName)}</label>
                    <input id="mo-set-name" class="mo-input" type="text" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </div>
                <fieldset class="mo-fieldset mo-inline-set">
                    <legend>{move || i.t(Key::SetLanguages)}</legend>
                    {Lang::ALL
                        .into_iter()
                        .map(|l| {
                            let tag = l.tag();
                            view! {
                                <label class="mo-check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || locales.with(|v| v.iter().any(|x| Lang::from_tag(x) == Some(l)))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            locales.update(|v| {
                                                v.retain(|x| Lang::from_tag(x) != Some(l));
                                                if on {
                                                    v.push(tag.to_owned());
                                                }
                                            });
                                        }
                                    />
                                    {l.native_name()}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <div class="mo-field">
                    <label for="mo-set-categories">{move || i.t(Key::SetCategories)}</label>
                    <textarea id="mo-set-categories" class="mo-input mo-textarea" rows="4" prop:value=move || categories.get() on:input=move |ev| categories.set(event_target_value(&ev))></textarea>
                </div>
                <div class="mo-row">
                    <div class="mo-field">
                        <label for="mo-set-reopen">{move || i.t(Key::SetReopenDays)}</label>
                        <input id="mo-set-reopen" class="mo-input" type="number" min="0" prop:value=move || reopen_days.get() on:input=move |ev| reopen_days.set(event_target_value(&ev)) />
                    </div>
                    <div class="mo-field">
                        <label for="mo-set-close">{move || i.t(Key::SetCloseDays)}</label>
                        <input id="mo-set-close" class="mo-input" type="number" min="0" prop:value=move || close_days.get() on:input=move |ev| close_days.set(event_target_value(&ev)) />
                    </div>
                </div>
            </fieldset>
            {policies
                .into_iter()
                .enumerate()
                .map(|(n, p)| {
                    let field = move |id: String, key: Key, value: RwSignal<String>| {
                        view! {
                            <div class="mo-field">
                                <label for=id.clone()>{move || i.t(key)}</label>
                                <input id=id class="mo-input" type="text" inputmode="decimal" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                            </div>
                        }
                    };
                    let legend = p.name.clone();
                    view! {
                        <fieldset class="mo-fieldset">
                            <legend>{move || i.tf(Key::SetPolicy, &[&legend])}</legend>
                            <div class="mo-row">
                                {field(format!("mo-set-p{n}-first"), Key::SetFirstResponseHours, p.first)}
                                {field(format!("mo-set-p{n}-next"), Key::SetNextResponseHours, p.next)}
                                {field(format!("mo-set-p{n}-resolution"), Key::SetResolutionHours, p.resolution)}
                            </div>
                        </fieldset>
                    }
                })
                .collect_view()}
            {calendars
                .into_iter()
                .enumerate()
                .map(|(n, c)| {
                    let legend = c.name.clone();
                    view! {
                        <fieldset class="mo-fieldset">
                            <legend>{move || i.tf(Key::SetCalendar, &[&legend])}</legend>
                            <div class="mo-row">
                                <div class="mo-field">
                                    <label for=format!("mo-set-c{n}-zone")>{move || i.t(Key::SetTimeZone)}</label>
                                    <input id=format!("mo-set-c{n}-zone") class="mo-input" type="text" prop:value=move || c.zone.get() on:input=move |ev| c.zone.set(event_target_value(&ev)) />
                                </div>
                                <div class="mo-field">
                                    <label for=format!("mo-set-c{n}-opens")>{move || i.t(Key::SetOpens)}</label>
                                    <input id=format!("mo-set-c{n}-opens") class="mo-input" type="time" prop:value=move || c.opens.get() on:input=move |ev| c.opens.set(event_target_value(&ev)) />
                                </div>
                                <div class="mo-field">
                                    <label for=format!("mo-set-c{n}-closes")>{move || i.t(Key::SetCloses)}</label>
                                    <input id=format!("mo-set-c{n}-closes") class="mo-input" type="time" prop:value=move || c.closes.get() on:input=move |ev| c.closes.set(event_target_value(&ev)) />
                                </div>
                            </div>
                        </fieldset>
                    }
                })
                .collect_view()}
            <fieldset class="mo-fieldset">
                <legend>{move || i.t(Key::SetAgents)}</legend>
                <ul class="mo-list" aria-label=move || i.t(Key::SetAgents)>
                    {move || {
                        agents
                            .get()
                            .into_iter()
                            .map(|a| view! { <li class="mo-list-item">{format!("{} · {}", a.name, a.email)}</li> })
                            .collect_view()
                    }}
                </ul>
                <div class="mo-row">
                    <div class="mo-field">
                        <label for="mo-set-agent-name">{move || i.t(Key::SetAgentName)}</label>
                        <input id="mo-set-agent-name" class="mo-input" type="text" prop:value=move || new_agent_name.get() on:input=move |ev| new_agent_name.set(event_target_value(&ev)) />
                    </div>
                    <div class="mo-field">
                        <label for="mo-set-agent-email">{move || i.t(Key::Email)}</label>
                        <input id="mo-set-agent-email" class="mo-input" type="email" prop:value=move || new_agent_email.get() on:input=move |ev| new_agent_email.set(event_target_value(&ev)) />
                    </div>
                </div>
                <button type="button" class="mo-button mo-button-secondary" on:click=add_agent>
                    {move || i.t(Key::SetAddAgent)}
                </button>
            </fieldset>
            <div class="mo-error" role="alert">
                {move || {
                    let list = problems.get();
                    (!list.is_empty())
                        .then(|| view! { <ul>{list.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul> })
                }}
            </div>
            <p role="status" class="mo-muted">{move || if saved.get() { i.t(Key::SetSaved) } else { "" }}</p>
            <button type="submit" class="mo-button" disabled=move || busy.get()>{move || i.t(Key::SetSave)}</button>
        </form>
    }
}
