//! The settings screen: shop, SLA policies, business hours, agents, teams and categories, canned
//! responses and ticket rules. Every section edits one draft of the core's `Settings`; saving
//! checks it with `Settings::problems` (plus what only the form knows, such as unparsable text)
//! and shows each problem next to its field. Saved settings apply from then on; recorded events
//! are never rewritten.

mod assistant;

use chrono::Weekday;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::assignment::{
    Agent, AssignmentRule, AssignmentSettingsError, Availability, Role, RuleConditions, RuleId,
    Strategy, Team,
};
use mostrador_core::calendar::{
    BusinessCalendar, CalendarError, Holiday, TimeRange, WEEK, WeeklyHours, parse_time_zone,
};
use mostrador_core::config::{Settings, SettingsItem, SettingsProblem};
use mostrador_core::model::{
    AgentId, Channel, Impact, Level, Priority, TeamId, Urgency, Visibility,
};
use mostrador_core::named::Named;
use mostrador_core::settings::{FieldDef, FieldKind};
use mostrador_core::sla::{SlaConditions, SlaMetric, SlaPolicy, SlaPolicyId, SlaSettingsError};
use mostrador_core::template::{CannedResponse, Macro, MacroStatus, PLACEHOLDERS};

use crate::components::choice::ChoiceSelect;
use crate::components::field::{Check, FormError, LabelledField, described_by, invalid};
use crate::i18n::{
    I18n, IMPACTS, Key, LEVELS, Lang, URGENCIES, channel_key, impact_key, priority_key,
    support_level_name, urgency_key, use_i18n,
};
use crate::services::desk::use_desk;
use crate::services::ids::random_hex;

fn weekday_key(d: Weekday) -> Key {
    match d {
        Weekday::Mon => Key::Monday,
        Weekday::Tue => Key::Tuesday,
        Weekday::Wed => Key::Wednesday,
        Weekday::Thu => Key::Thursday,
        Weekday::Fri => Key::Friday,
        Weekday::Sat => Key::Saturday,
        Weekday::Sun => Key::Sunday,
    }
}

fn strategy_key(s: Strategy) -> Key {
    match s {
        Strategy::FewestOpen => Key::StratFewestOpen,
        Strategy::RoundRobin => Key::StratRoundRobin,
        Strategy::SkillMatch => Key::StratSkill,
        Strategy::LanguageMatch => Key::StratLanguage,
        Strategy::LevelMatch => Key::StratLevel,
    }
}

fn availability_key(a: Availability) -> Key {
    match a {
        Availability::Available => Key::AvailAvailable,
        Availability::Away => Key::AvailAway,
        Availability::Offline => Key::AvailOffline,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Shop,
    Sla,
    Hours,
    Agents,
    Teams,
    Responses,
    Rules,
    Assistant,
}

const TABS: [(Tab, Key, &str); 8] = [
    (Tab::Sla, Key::TabSla, "pol"),
    (Tab::Hours, Key::TabHours, "cal"),
    (Tab::Agents, Key::TabAgents, "agent"),
    (Tab::Teams, Key::TabTeams, "team"),
    (Tab::Responses, Key::TabResponses, "reply"),
    (Tab::Rules, Key::TabRules, "rule"),
    (Tab::Assistant, Key::TabAssistant, "bot"),
    (Tab::Shop, Key::TabShop, "shop"),
];

/// A message next to a field: a key, a key with one value, or core text in a localized frame.
#[derive(Debug, Clone, PartialEq)]
enum Msg {
    K(Key),
    Setting(String),
    /// A problem no field of the editor owns, worded when shown (see `settings_problem`).
    Problem(SettingsProblem),
}

impl Msg {
    fn text(&self, i: I18n) -> String {
        match self {
            Msg::K(k) => i.t(*k).to_owned(),
            Msg::Setting(s) => i.tf(Key::ErrSetting, &[("detail", s)]),
            Msg::Problem(p) => crate::i18n::errors::settings_problem(i, p),
        }
    }
}

/// What every editor needs; all signals, so it is `Copy`.
#[derive(Clone, Copy)]
struct Form {
    i: I18n,
    draft: RwSignal<Settings>,
    /// Problems found on save, by field id.
    errs: RwSignal<Vec<(String, Msg)>>,
    /// Text that did not parse, by field id; the draft keeps its last good value meanwhile.
    unparsed: RwSignal<Vec<(String, Msg)>>,
}

impl Form {
    fn error_of(self, id: &str) -> Option<Msg> {
        let id = id.to_owned();
        self.unparsed
            .with(|u| u.iter().find(|(f, _)| *f == id).map(|(_, m)| m.clone()))
            .or_else(|| {
                self.errs
                    .with(|e| e.iter().find(|(f, _)| *f == id).map(|(_, m)| m.clone()))
            })
    }

    fn set_unparsed(self, id: &str, msg: Option<Msg>) {
        self.unparsed.update(|u| {
            u.retain(|(f, _)| f != id);
            if let Some(m) = msg {
                u.push((id.to_owned(), m));
            }
        });
    }

    fn edit(self, f: impl FnOnce(&mut Settings)) {
        self.draft.update(f);
    }

    /// The error paragraph of field `id`.
    fn error_view(self, id: &str) -> impl IntoView + use<> {
        let i = self.i;
        let fid = id.to_owned();
        view! {
            <p id=format!("{id}-error") class="mo-error" role="alert">
                {move || self.error_of(&fid).map(|m| m.text(i)).unwrap_or_default()}
            </p>
        }
    }

    /// The problem of the field `id`, worded, for a [`LabelledField`].
    fn field_error(self, id: &str) -> Signal<Option<FormError>> {
        let i = self.i;
        let id = id.to_owned();
        Signal::derive(move || self.error_of(&id).map(|m| FormError::Text(m.text(i))))
    }

    /// A labelled text input (or textarea) with its error underneath.
    fn text(
        self,
        id: String,
        label: Key,
        value: String,
        multiline: bool,
        on: impl Fn(String) + 'static,
    ) -> AnyView {
        let error = self.field_error(&id);
        let input = if multiline {
            view! {
                <textarea id=id.clone() class="mo-input mo-textarea" rows="4"
                    aria-describedby=described_by(&id, false, true) aria-invalid=invalid(Some(error))
                    prop:value=value on:input=move |ev| on(event_target_value(&ev))></textarea>
            }
            .into_any()
        } else {
            view! {
                <input id=id.clone() class="mo-input" type="text"
                    aria-describedby=described_by(&id, false, true) aria-invalid=invalid(Some(error))
                    prop:value=value on:input=move |ev| on(event_target_value(&ev)) />
            }
            .into_any()
        };
        view! { <LabelledField id=id label=label error=error>{input}</LabelledField> }.into_any()
    }

    /// A whole number input; empty gives `None` when `optional`.
    fn number(
        self,
        id: String,
        label: Key,
        value: Option<u32>,
        optional: bool,
        on: impl Fn(Option<u32>) + 'static,
    ) -> AnyView {
        let error = self.field_error(&id);
        let pid = id.clone();
        let input = view! {
                <input id=id.clone() class="mo-input" type="number" min="0" step="1" inputmode="numeric"
                    aria-describedby=described_by(&id, false, true) aria-invalid=invalid(Some(error))
                    prop:value=value.map(|v| v.to_string()).unwrap_or_default()
                    on:input=move |ev| {
                        let raw = event_target_value(&ev);
                        let raw = raw.trim();
                        if raw.is_empty() && optional {
                            self.set_unparsed(&pid, None);
                            on(None);
                        } else if let Ok(n) = raw.parse::<u32>() {
                            self.set_unparsed(&pid, None);
                            on(Some(n));
                        } else {
                            self.set_unparsed(&pid, Some(Msg::K(Key::ErrWholeNumber)));
                        }
                    } />
        };
        view! { <LabelledField id=id label=label error=error narrow=true>{input}</LabelledField> }
            .into_any()
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|x| x.trim().to_owned())
        .filter(|x| !x.is_empty())
        .collect()
}

fn ranges_text(ranges: &[TimeRange]) -> String {
    ranges
        .iter()
        .map(|r| format!("{}-{}", r.start, r.end))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_ranges(s: &str) -> Option<Vec<TimeRange>> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once(['-', '–'])?;
        let start = a.trim().parse().ok()?;
        let end = b.trim().parse().ok()?;
        out.push(TimeRange { start, end });
    }
    Some(out)
}

/// A list that re-renders only when its length changes, so typing never loses focus.
fn list<V: IntoView + 'static>(
    len: Memo<usize>,
    item: impl Fn(usize) -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || (0..len.get()).map(&item).collect_view()
}

/// Where each core problem is shown.
fn place(s: &Settings, p: &SettingsProblem) -> (String, Msg) {
    let pol = |id: &SlaPolicyId| s.sla.policies.iter().position(|x| &x.id == id).unwrap_or(0);
    let cal = |id: &mostrador_core::calendar::CalendarId| {
        s.sla
            .calendars
            .iter()
            .position(|x| &x.id == id)
            .unwrap_or(0)
    };
    let other = || ("mo-set-general".to_owned(), Msg::Problem(p.clone()));
    match p {
        SettingsProblem::Assistant(fp) => {
            let k = s
                .domain
                .assistant
                .flows
                .iter()
                .position(|f| f.id == fp.flow)
                .unwrap_or(0);
            (format!("mo-set-bot-{k}"), Msg::K(Key::BotFlowHasProblems))
        }
        SettingsProblem::EmptyName => ("mo-set-shop-name".into(), Msg::K(Key::ErrRequiredValue)),
        SettingsProblem::NoLocale => ("mo-set-shop-langs".into(), Msg::K(Key::ErrNoLanguage)),
        SettingsProblem::DuplicateCategory(c) => {
            let idx = s.categories.iter().rposition(|x| x == c).unwrap_or(0);
            (
                format!("mo-set-team-cat-{idx}"),
                Msg::K(Key::ErrDuplicateName),
            )
        }
        SettingsProblem::BadFieldKey(k) | SettingsProblem::DuplicateField(k) => {
            let idx = s
                .domain
                .custom_fields
                .iter()
                .rposition(|f| &f.key == k)
                .unwrap_or(0);
            (
                format!("mo-set-rule-field-{idx}-key"),
                Msg::K(Key::ErrFieldKey),
            )
        }
        SettingsProblem::NoChoices(k) => {
            let idx = s
                .domain
                .custom_fields
                .iter()
                .position(|f| &f.key == k)
                .unwrap_or(0);
            (
                format!("mo-set-rule-field-{idx}-choices"),
                Msg::K(Key::ErrNoChoices),
            )
        }
        SettingsProblem::Blank(item) => {
            let id = match *item {
                SettingsItem::PolicyName(k) => format!("mo-set-pol-{k}-name"),
                SettingsItem::CalendarName(k) => format!("mo-set-cal-{k}-name"),
                SettingsItem::AgentName(k) => format!("mo-set-agent-{k}-name"),
                SettingsItem::TeamName(k) => format!("mo-set-team-{k}-name"),
                SettingsItem::Category(k) => format!("mo-set-team-cat-{k}"),
                SettingsItem::ReplyTitle(k) => format!("mo-set-reply-{k}-title"),
                SettingsItem::ReplyBody(k) => format!("mo-set-reply-{k}-body"),
                SettingsItem::MacroTitle(k) => format!("mo-set-reply-macro-{k}-title"),
                SettingsItem::MacroMessage(k) => format!("mo-set-reply-macro-{k}-text"),
            };
            (id, Msg::K(Key::ErrRequiredValue))
        }
        SettingsProblem::DuplicateTeam(name) => {
            let idx = s.teams.iter().rposition(|t| &t.name == name).unwrap_or(0);
            (
                format!("mo-set-team-{idx}-name"),
                Msg::K(Key::ErrDuplicateName),
            )
        }
        SettingsProblem::NegativePeriod => {
            ("mo-set-rule-reopen".into(), Msg::K(Key::ErrWholeNumber))
        }
        SettingsProblem::Sla(e) => match e {
            SlaSettingsError::ZeroTarget { policy, metric } => (
                format!("mo-set-pol-{}-{}", pol(policy), metric.as_str()),
                Msg::K(Key::ErrTargetZero),
            ),
            SlaSettingsError::Unreachable { policy, .. } => (
                format!("mo-set-pol-{}-name", pol(policy)),
                Msg::K(Key::ErrUnreachablePolicy),
            ),
            SlaSettingsError::UnknownCalendar { policy, .. } => (
                format!("mo-set-pol-{}-calendar", pol(policy)),
                Msg::K(Key::ErrRequiredValue),
            ),
            SlaSettingsError::Calendar(c) => match c {
                CalendarError::RangeEndsBeforeStart {
                    calendar, weekday, ..
                }
                | CalendarError::OverlappingRanges {
                    calendar, weekday, ..
                } => (
                    format!("mo-set-cal-{}-{}", cal(calendar), weekday),
                    Msg::K(Key::ErrRanges),
                ),
                CalendarError::NoOpenHours { calendar } => (
                    format!("mo-set-cal-{}-name", cal(calendar)),
                    Msg::K(Key::ErrNoOpenHours),
                ),
                _ => other(),
            },
            _ => other(),
        },
        SettingsProblem::Assignment(e) => {
            let rule = |id: &str| {
                s.assignment
                    .rules
                    .iter()
                    .position(|r| r.id.0 == id)
                    .unwrap_or(0)
            };
            match e {
                AssignmentSettingsError::EmptyRuleName { rule: r } => (
                    format!("mo-set-team-rule-{}-name", rule(r)),
                    Msg::K(Key::ErrRequiredValue),
                ),
                AssignmentSettingsError::UnknownRuleTeam { rule: r, .. } => (
                    format!("mo-set-team-rule-{}-team", rule(r)),
                    Msg::K(Key::ErrUnknownTeam),
                ),
                AssignmentSettingsError::EmptyRequiredSkill { rule: r } => (
                    format!("mo-set-team-rule-{}-skill", rule(r)),
                    Msg::K(Key::ErrRequiredValue),
                ),
                AssignmentSettingsError::UnknownFallbackTeam { .. } => {
                    ("mo-set-team-fallback".into(), Msg::K(Key::ErrUnknownTeam))
                }
                _ => other(),
            }
        }
        _ => other(),
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let f = Form {
        i,
        draft: RwSignal::new(desk.settings()),
        errs: RwSignal::new(Vec::new()),
        unparsed: RwSignal::new(Vec::new()),
    };
    let tab = RwSignal::new(Tab::Sla);
    let saving = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Msg>);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        f.edit(Settings::normalise);
        let s = f.draft.get_untracked();
        let mut errs = f.unparsed.get_untracked();
        errs.extend(s.problems().iter().map(|p| place(&s, p)));
        f.errs.set(errs.clone());
        if let Some((id, _)) = errs.first() {
            if let Some((t, _, _)) = TABS
                .iter()
                .find(|(_, _, p)| id.starts_with(&format!("mo-set-{p}-")))
                && tab.get_untracked() != *t
            {
                tab.set(*t);
            }
            outcome.set(Some(Msg::K(Key::SettingsInvalid)));
            return;
        }
        saving.set(true);
        outcome.set(None);
        let desk = desk.clone();
        spawn_local(async move {
            let r = desk.replace_settings(s).await;
            saving.try_set(false);
            outcome.try_set(Some(match r {
                Ok(()) => Msg::K(Key::SettingsSaved),
                Err(e) => Msg::Setting(crate::i18n::errors::message(i, &e)),
            }));
        });
    };

    view! {
        <section class="mo-panel mo-settings" aria-labelledby="mo-settings-title">
            <h2 id="mo-settings-title" class="mo-subtitle">{i.text(Key::Settings)}</h2>
            <nav class="mo-tabs" aria-label=i.text(Key::SettingsSections)>
                <ul>
                    {TABS
                        .into_iter()
                        .map(|(t, k, _)| {
                            view! {
                                <li>
                                    <button type="button" class="mo-tab"
                                        aria-current=move || (tab.get() == t).then_some("page")
                                        on:click=move |_| {
                                            tab.set(t);
                                            outcome.set(None);
                                        }>
                                        {i.text(k)}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <form class="mo-form mo-settings-form" on:submit=save novalidate=true>
                {f.error_view("mo-set-general")}
                {move || match tab.get() {
                    Tab::Shop => shop(f).into_any(),
                    Tab::Sla => sla(f).into_any(),
                    Tab::Hours => hours(f).into_any(),
                    Tab::Agents => agents(f).into_any(),
                    Tab::Teams => teams(f).into_any(),
                    Tab::Responses => responses(f).into_any(),
                    Tab::Rules => rules(f).into_any(),
                    Tab::Assistant => assistant::assistant(f).into_any(),
                }}
                <div class="mo-actions mo-settings-save">
                    <button type="submit" class="mo-button" disabled=move || saving.get()>
                        {move || if saving.get() { i.t(Key::SavingSettings) } else { i.t(Key::SaveSettings) }}
                    </button>
                    <p class="mo-settings-outcome" role="status" aria-live="polite">
                        {move || outcome.get().map(|m| m.text(i)).unwrap_or_default()}
                    </p>
                </div>
            </form>
        </section>
    }
}

fn heading(i: I18n, key: Key) -> impl IntoView {
    view! { <h3 class="mo-settings-heading">{i.text(key)}</h3> }
}

fn remove_button(i: I18n, what: String, on: impl Fn() + 'static) -> impl IntoView {
    view! {
        <button type="button" class="mo-button mo-button-secondary mo-remove"
            aria-label=move || format!("{} {}", i.t(Key::Remove), what)
            on:click=move |_| on()>
            {i.text(Key::Remove)}
        </button>
    }
}

fn shop(f: Form) -> impl IntoView {
    let i = f.i;
    let s = f.draft.get_untracked();
    let langs = s.profile.locales.clone();
    view! {
        {heading(i, Key::TabShop)}
        {f.text("mo-set-shop-name".into(), Key::ShopName, s.profile.name.clone(), false,
            move |v| f.edit(|s| s.profile.name = v))}
        <fieldset class="mo-fieldset" aria-describedby="mo-set-shop-langs-error">
            <legend>{i.text(Key::Languages)}</legend>
            {Lang::ALL
                .into_iter()
                .map(|l| {
                    let on = langs.iter().any(|x| Lang::from_tag(x) == Some(l));
                    view! {
                        <Check label=l.native_name().to_owned() lang=l.tag() checked=on
                            on_change=move |checked| f.edit(|s| {
                                s.profile.locales.retain(|x| Lang::from_tag(x) != Some(l));
                                if checked {
                                    s.profile.locales.push(l.tag().to_owned());
                                    s.profile.locales.sort_by_key(|x| {
                                        Lang::ALL.iter().position(|y| Lang::from_tag(x) == Some(*y))
                                    });
                                }
                            }) />
                    }
                })
                .collect_view()}
            {f.error_view("mo-set-shop-langs")}
        </fieldset>
    }
}

fn sla(f: Form) -> impl IntoView {
    let i = f.i;
    let len = Memo::new(move |_| f.draft.with(|s| s.sla.policies.len()));
    let item = move |k: usize| {
        let s = f.draft.get_untracked();
        let p = s.sla.policies[k].clone();
        let calendars: Vec<(String, String)> = s
            .sla
            .calendars
            .iter()
            .map(|c| (c.id.0.clone(), c.name.clone()))
            .collect();
        let target = move |metric: SlaMetric, key: Key| {
            let v = p.targets.minutes(metric);
            f.number(
                format!("mo-set-pol-{k}-{}", metric.as_str()),
                key,
                v,
                true,
                move |v| {
                    f.edit(|s| {
                        let t = &mut s.sla.policies[k].targets;
                        match metric {
                            SlaMetric::FirstResponse => t.first_response = v,
                            SlaMetric::NextResponse => t.next_response = v,
                            SlaMetric::Resolution => t.resolution = v,
                        }
                    })
                },
            )
        };
        let cal_id = format!("mo-set-pol-{k}-calendar");
        let chosen = p.calendar.0.clone();
        let prios = p.conditions.priorities.clone();
        view! {
            <fieldset class="mo-fieldset mo-settings-item">
                <legend>{p.name.clone()}</legend>
                {f.text(format!("mo-set-pol-{k}-name"), Key::PolicyName, p.name.clone(), false,
                    move |v| f.edit(|s| s.sla.policies[k].name = v))}
                <div class="mo-row">
                    {target(SlaMetric::FirstResponse, Key::FirstResponseMinutes)}
                    {target(SlaMetric::NextResponse, Key::NextResponseMinutes)}
                    {target(SlaMetric::Resolution, Key::ResolutionMinutes)}
                </div>
                <LabelledField id=cal_id.clone() label=Key::CalendarLabel>
                    <select id=cal_id.clone() class="mo-select" aria-describedby=format!("{cal_id}-error")
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            f.edit(|s| s.sla.policies[k].calendar = mostrador_core::calendar::CalendarId(v));
                        }>
                        {calendars.into_iter().map(|(id, name)| {
                            let sel = id == chosen;
                            view! { <option value=id selected=sel>{name}</option> }
                        }).collect_view()}
                    </select>
                    {f.error_view(&cal_id)}
                </LabelledField>
                <fieldset class="mo-fieldset">
                    <legend>{i.text(Key::PolicyPriorities)}</legend>
                    <div class="mo-row">
                        {Priority::ALL.into_iter().map(|pr| {
                            let on = prios.contains(&pr);
                            view! {
                                <Check label=priority_key(pr) checked=on on_change=move |c| f.edit(|s| {
                                    let v = &mut s.sla.policies[k].conditions.priorities;
                                    v.retain(|x| *x != pr);
                                    if c { v.push(pr); v.sort(); }
                                }) />
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                {remove_button(i, p.name.clone(), move || f.edit(|s| { s.sla.policies.remove(k); }))}
            </fieldset>
        }
    };
    view! {
        {heading(i, Key::TabSla)}
        <p class="mo-hint">{i.text(Key::TargetHint)}</p>
        {list(len, item)}
        <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
            f.edit(|s| {
                let calendar = s.sla.calendars.first().map(|c| c.id.clone()).unwrap_or_else(|| {
                    mostrador_core::calendar::CalendarId("24x7".into())
                });
                s.sla.policies.push(SlaPolicy {
                    id: SlaPolicyId(format!("policy-{}", random_hex(4))),
                    name: format!("{} {}", i.t(Key::TabSla), s.sla.policies.len() + 1),
                    conditions: SlaConditions {
                        priorities: vec![Priority::Urgent],
                        ..SlaConditions::default()
                    },
                    targets: Default::default(),
                    calendar,
                    at_risk_threshold: None,
                    on_reopen: Default::default(),
                    escalations: Vec::new(),
                });
                // New policies are specific; keep a catch-all last so nothing is shadowed.
                if let Some(pos) = s.sla.policies.iter().position(|p| p.conditions.is_catch_all()) {
                    let last = s.sla.policies.remove(pos);
                    s.sla.policies.push(last);
                }
            });
        }>{i.text(Key::AddPolicy)}</button>
    }
}

fn hours(f: Form) -> impl IntoView {
    let i = f.i;
    let len = Memo::new(move |_| f.draft.with(|s| s.sla.calendars.len()));
    let item = move |k: usize| {
        let c = f.draft.get_untracked().sla.calendars[k].clone();
        let tz_id = format!("mo-set-cal-{k}-tz");
        let tz_id2 = tz_id.clone();
        let days = WEEK
            .into_iter()
            .map(|d| {
                let id = format!("mo-set-cal-{k}-{d}");
                let id2 = id.clone();
                let value = ranges_text(c.hours.day(d));
                view! {
                    <LabelledField id=id.clone() label=weekday_key(d) narrow=true>
                        <input id=id.clone() class="mo-input" type="text" inputmode="numeric"
                            placeholder=i.text(Key::DayClosed)
                            aria-describedby=format!("{id}-error mo-set-cal-hint-{k}")
                            aria-invalid=move || f.error_of(&id2).is_some().to_string()
                            prop:value=value
                            on:input={
                                let id = id.clone();
                                move |ev| match parse_ranges(&event_target_value(&ev)) {
                                    Some(r) => {
                                        f.set_unparsed(&id, None);
                                        f.edit(|s| *s.sla.calendars[k].hours.day_mut(d) = r);
                                    }
                                    None => f.set_unparsed(&id, Some(Msg::K(Key::ErrRanges))),
                                }
                            } />
                        {f.error_view(&id)}
                    </LabelledField>
                }
            })
            .collect_view();
        let hol_len = Memo::new(move |_| {
            f.draft
                .with(|s| s.sla.calendars.get(k).map_or(0, |c| c.holidays.len()))
        });
        let holiday = move |h: usize| {
            let hd = f
                .draft
                .with_untracked(|s| s.sla.calendars[k].holidays[h].clone());
            let did = format!("mo-set-cal-{k}-hol-{h}-date");
            let did2 = did.clone();
            view! {
                <div class="mo-row mo-holiday">
                    <LabelledField id=did.clone() label=Key::HolidayDate narrow=true>
                        <input id=did.clone() class="mo-input" type="date" prop:value=hd.date.to_string()
                            aria-describedby=format!("{did}-error")
                            on:input=move |ev| match event_target_value(&ev).parse() {
                                Ok(d) => {
                                    f.set_unparsed(&did2, None);
                                    f.edit(|s| s.sla.calendars[k].holidays[h].date = d);
                                }
                                Err(_) => f.set_unparsed(&did2, Some(Msg::K(Key::ErrRequiredValue))),
                            } />
                        {f.error_view(&did)}
                    </LabelledField>
                    {f.text(format!("mo-set-cal-{k}-hol-{h}-name"), Key::HolidayName, hd.name.clone(), false,
                        move |v| f.edit(|s| s.sla.calendars[k].holidays[h].name = v))}
                    <Check label=Key::Yearly checked=hd.yearly
                        on_change=move |c| f.edit(|s| s.sla.calendars[k].holidays[h].yearly = c) />
                    {remove_button(i, hd.name.clone(), move || f.edit(|s| { s.sla.calendars[k].holidays.remove(h); }))}
                </div>
            }
        };
        view! {
            <fieldset class="mo-fieldset mo-settings-item">
                <legend>{c.name.clone()}</legend>
                <div class="mo-row">
                    {f.text(format!("mo-set-cal-{k}-name"), Key::CalendarName, c.name.clone(), false,
                        move |v| f.edit(|s| s.sla.calendars[k].name = v))}
                    <LabelledField id=tz_id.clone() label=Key::TimeZone>
                        <input id=tz_id.clone() class="mo-input" type="text" autocomplete="off"
                            aria-describedby=format!("{tz_id}-error")
                            aria-invalid={let t = tz_id.clone(); move || f.error_of(&t).is_some().to_string()}
                            prop:value=c.time_zone.name().to_owned()
                            on:input=move |ev| match parse_time_zone(&mostrador_idb::BrowserZones::new(), &event_target_value(&ev)) {
                                Ok(tz) => {
                                    f.set_unparsed(&tz_id2, None);
                                    f.edit(|s| s.sla.calendars[k].time_zone = tz);
                                }
                                Err(_) => f.set_unparsed(&tz_id2, Some(Msg::K(Key::ErrTimeZone))),
                            } />
                        {f.error_view(&tz_id)}
                    </LabelledField>
                </div>
                <p id=format!("mo-set-cal-hint-{k}") class="mo-hint">{i.text(Key::HoursHint)}</p>
                <div class="mo-row mo-week">{days}</div>
                <fieldset class="mo-fieldset">
                    <legend>{i.text(Key::Holidays)}</legend>
                    {list(hol_len, holiday)}
                    <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
                        let today = crate::services::ids::now().date_naive();
                        f.edit(|s| s.sla.calendars[k].holidays.push(Holiday::once(today, "")));
                    }>{i.text(Key::AddHoliday)}</button>
                </fieldset>
            </fieldset>
        }
    };
    view! {
        {heading(i, Key::TabHours)}
        {list(len, item)}
        <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
            f.edit(|s| {
                let hours = WeeklyHours::weekdays(&[TimeRange::new((9, 0), (18, 0)).unwrap_or(TimeRange::ALL_DAY)]);
                let n = s.sla.calendars.len() + 1;
                let mut c = BusinessCalendar::always_open(
                    format!("cal-{}", random_hex(4)),
                    format!("{} {n}", i.t(Key::CalendarLabel)),
                );
                c.hours = hours;
                s.sla.calendars.push(c);
            });
        }>{i.text(Key::AddCalendar)}</button>
    }
}

fn agents(f: Form) -> impl IntoView {
    let i = f.i;
    let len = Memo::new(move |_| f.draft.with(|s| s.agents.len()));
    let item = move |k: usize| {
        let s = f.draft.get_untracked();
        let a = s.agents[k].clone();
        let teams = s.teams.clone();
        let cap_id = format!("mo-set-agent-{k}-capacity");
        let av_id = format!("mo-set-agent-{k}-availability");
        view! {
            <fieldset class="mo-fieldset mo-settings-item">
                <legend>{a.name.clone()}</legend>
                <div class="mo-row">
                    {f.text(format!("mo-set-agent-{k}-name"), Key::Name, a.name.clone(), false,
                        move |v| f.edit(|s| s.agents[k].name = v))}
                    {f.text(format!("mo-set-agent-{k}-email"), Key::Email, a.email.clone(), false,
                        move |v| f.edit(|s| s.agents[k].email = v.trim().to_owned()))}
                </div>
                <div class="mo-row">
                    {f.text(format!("mo-set-agent-{k}-skills"), Key::Skills, a.skills.join(", "), false,
                        move |v| f.edit(|s| s.agents[k].skills = split_list(&v)))}
                    {f.text(format!("mo-set-agent-{k}-langs"), Key::AgentLanguages, a.languages.join(", "), false,
                        move |v| f.edit(|s| s.agents[k].languages = split_list(&v)))}
                </div>
                <div class="mo-row">
                    {f.number(cap_id, Key::Capacity, Some(a.capacity), false,
                        move |v| f.edit(|s| s.agents[k].capacity = v.unwrap_or(0)))}
                    <LabelledField id=av_id.clone() label=Key::Availability narrow=true>
                        <ChoiceSelect id=av_id label=availability_key value=move || Some(a.availability)
                            on_pick=move |x| if let Some(x) = x { f.edit(|s| s.agents[k].availability = x) } />
                    </LabelledField>
                </div>
                <fieldset class="mo-fieldset">
                    <legend>{i.text(Key::Levels)}</legend>
                    <div class="mo-row">
                        {LEVELS.into_iter().map(|l| {
                            let on = a.levels.contains(&l);
                            view! {
                                <Check label=support_level_name(l).to_owned() checked=on on_change=move |c| f.edit(|s| {
                                    let v: &mut Vec<Level> = &mut s.agents[k].levels;
                                    v.retain(|x| *x != l);
                                    if c { v.push(l); v.sort(); }
                                }) />
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                {(!teams.is_empty()).then(|| view! {
                    <fieldset class="mo-fieldset">
                        <legend>{i.text(Key::Teams)}</legend>
                        <div class="mo-row">
                            {teams.iter().map(|t| {
                                let id = t.id.clone();
                                let on = a.teams.contains(&id);
                                view! {
                                    <Check label=t.name.clone() checked=on on_change=move |c| {
                                        let id = id.clone();
                                        f.edit(|s| {
                                            let v = &mut s.agents[k].teams;
                                            v.retain(|x| *x != id);
                                            if c { v.push(id); }
                                        });
                                    } />
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                })}
                {remove_button(i, a.name.clone(), move || f.edit(|s| { s.agents.remove(k); }))}
            </fieldset>
        }
    };
    view! {
        {heading(i, Key::TabAgents)}
        {list(len, item)}
        <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
            f.edit(|s| s.agents.push(Agent {
                id: AgentId(format!("agent-{}", random_hex(4))),
                name: i.t(Key::NewAgentName).to_owned(),
                email: String::new(),
                skills: Vec::new(),
                languages: s.profile.locales.clone(),
                levels: vec![Level::L1],
                teams: Vec::new(),
                capacity: 10,
                availability: Availability::Available,
                role: Role::Agent,
            }));
        }>{i.text(Key::AddAgent)}</button>
    }
}

fn teams(f: Form) -> impl IntoView {
    let i = f.i;
    let tlen = Memo::new(move |_| f.draft.with(|s| s.teams.len()));
    let team = move |k: usize| {
        let t = f.draft.with_untracked(|s| s.teams[k].clone());
        view! {
            <div class="mo-row mo-settings-line">
                {f.text(format!("mo-set-team-{k}-name"), Key::TeamName, t.name.clone(), false,
                    move |v| f.edit(|s| s.teams[k].name = v))}
                {remove_button(i, t.name.clone(), move || f.edit(|s| { s.teams.remove(k); }))}
            </div>
        }
    };
    let clen = Memo::new(move |_| f.draft.with(|s| s.categories.len()));
    let category = move |k: usize| {
        let c = f.draft.with_untracked(|s| s.categories[k].clone());
        view! {
            <div class="mo-row mo-settings-line">
                {f.text(format!("mo-set-team-cat-{k}"), Key::CategoryName, c.clone(), false,
                    move |v| f.edit(|s| s.categories[k] = v.trim().to_owned()))}
                {remove_button(i, c, move || f.edit(|s| { s.categories.remove(k); }))}
            </div>
        }
    };
    let strategy = f.draft.with_untracked(|s| s.assignment.default_strategy);
    view! {
        {heading(i, Key::Teams)}
        {list(tlen, team)}
        <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
            f.edit(|s| s.teams.push(Team {
                id: TeamId(format!("team-{}", random_hex(4))),
                name: String::new(),
                members: Vec::new(),
            }));
        }>{i.text(Key::AddTeam)}</button>
        <LabelledField id="mo-set-team-strategy" label=Key::Strategy narrow=true>
            <ChoiceSelect id="mo-set-team-strategy" label=strategy_key value=move || Some(strategy)
                on_pick=move |x| if let Some(x) = x { f.edit(|s| s.assignment.default_strategy = x) } />
        </LabelledField>
        {heading(i, Key::Categories)}
        {list(clen, category)}
        <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
            f.edit(|s| s.categories.push(String::new()));
        }>{i.text(Key::AddCategory)}</button>
     {assignment_rules(f)}
    }
}

fn responses(f: Form) -> impl IntoView {
    let i = f.i;
    let len = Memo::new(move |_| f.draft.with(|s| s.canned_responses.len()));
    let item = move |k: usize| {
        let r = f.draft.with_untracked(|s| s.canned_responses[k].clone());
        view! {
            <fieldset class="mo-fieldset mo-settings-item">
                <legend>{r.title.clone()}</legend>
                {f.text(format!("mo-set-reply-{k}-title"), Key::ResponseTitle, r.title.clone(), false,
                    move |v| f.edit(|s| s.canned_responses[k].title = v))}
                {f.text(format!("mo-set-reply-{k}-body"), Key::ResponseBody, r.body.clone(), true,
                    move |v| f.edit(|s| s.canned_responses[k].body = v))}
                {remove_button(i, r.title.clone(), move || f.edit(|s| { s.canned_responses.remove(k); }))}
            </fieldset>
        }
    };
    let placeholders = PLACEHOLDERS
        .iter()
        .map(|p| format!("{{{{{p}}}}}"))
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        {heading(i, Key::TabResponses)}
        <p class="mo-hint">{move || i.tf(Key::PlaceholdersHint, &[("list", &placeholders)])}</p>
        {list(len, item)}
        <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
            f.edit(|s| s.canned_responses.push(CannedResponse {
                id: format!("reply-{}", random_hex(4)),
                title: String::new(),
                body: String::new(),
            }));
        }>{i.text(Key::AddResponse)}</button>
     {macros(f)}
    }
}

fn field_kind_key(k: FieldKind) -> Key {
    match k {
        FieldKind::Text => Key::KindText,
        FieldKind::Number => Key::KindNumber,
        FieldKind::Bool => Key::KindBool,
        FieldKind::Date => Key::KindDate,
        FieldKind::Choice => Key::KindChoice,
    }
}

fn custom_fields(f: Form) -> impl IntoView {
    let i = f.i;
    let len = Memo::new(move |_| f.draft.with(|s| s.domain.custom_fields.len()));
    let item = move |k: usize| {
        let d = f
            .draft
            .with_untracked(|s| s.domain.custom_fields[k].clone());
        let kind_id = format!("mo-set-rule-field-{k}-kind");
        let check = move |key: Key, on: bool, set: fn(&mut FieldDef, bool)| {
            view! {
                <Check label=key checked=on
                    on_change=move |c| f.edit(|s| set(&mut s.domain.custom_fields[k], c)) />
            }
        };
        view! {
            <fieldset class="mo-fieldset mo-settings-item">
                <legend>{d.key.clone()}</legend>
                <div class="mo-row">
                    {f.text(format!("mo-set-rule-field-{k}-key"), Key::FieldKey, d.key.clone(), false,
                        move |v| f.edit(|s| s.domain.custom_fields[k].key = v.trim().to_owned()))}
                    <LabelledField id=kind_id.clone() label=Key::FieldKindLabel narrow=true>
                        <ChoiceSelect id=kind_id label=field_kind_key value=move || Some(d.kind)
                            on_pick=move |x| if let Some(x) = x { f.edit(|s| s.domain.custom_fields[k].kind = x) } />
                    </LabelledField>
                </div>
                {f.text(format!("mo-set-rule-field-{k}-label"), Key::FieldLabel, d.label.clone(), false,
                    move |v| f.edit(|s| s.domain.custom_fields[k].label = v.trim().to_owned()))}
                {f.text(format!("mo-set-rule-field-{k}-choices"), Key::FieldChoices, d.choices.join(", "), false,
                    move |v| f.edit(|s| s.domain.custom_fields[k].choices = split_list(&v)))}
                <div class="mo-row">
                    {check(Key::FieldRequired, d.required, |x, c| x.required = c)}
                    {check(Key::FieldStaffOnly, d.agent_only, |x, c| x.agent_only = c)}
                </div>
                {remove_button(i, d.key.clone(), move || f.edit(|s| { s.domain.custom_fields.remove(k); }))}
            </fieldset>
        }
    };
    view! {
        {heading(i, Key::CustomFields)}
        {list(len, item)}
        <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
            f.edit(|s| s.domain.custom_fields.push(FieldDef {
                key: String::new(),
                label: String::new(),
                kind: FieldKind::Text,
                choices: Vec::new(),
                required: false,
                agent_only: false,
            }));
        }>{i.text(Key::AddField)}</button>
    }
}

fn rules(f: Form) -> impl IntoView {
    let i = f.i;
    let d = f.draft.with_untracked(|s| s.domain.clone());
    let days = |secs: i64| u32::try_from(secs.max(0) / 86_400).ok();
    view! {
        {heading(i, Key::TabRules)}
        <div class="mo-row">
            {f.number("mo-set-rule-reopen".into(), Key::ReopenWindowDays, days(d.reopen_window_secs), false,
                move |v| f.edit(|s| s.domain.reopen_window_secs = i64::from(v.unwrap_or(0)) * 86_400))}
            {f.number("mo-set-rule-close".into(), Key::CloseAfterDays, days(d.auto_close_after_secs), false,
                move |v| f.edit(|s| s.domain.auto_close_after_secs = i64::from(v.unwrap_or(0)) * 86_400))}
        </div>
        <Check label=Key::CustomersSetUrgency checked=d.customers_set_urgency
            on_change=move |on| f.edit(|s| s.domain.customers_set_urgency = on) />
        <div class="mo-table-wrap">
            <table class="mo-table mo-matrix">
                <caption>{i.text(Key::PriorityMatrix)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || format!("{} \\ {}", i.t(Key::Impact), i.t(Key::Urgency))}</th>
                        {URGENCIES.into_iter().map(|u| view! {
                            <th scope="col">{i.text(crate::i18n::urgency_key(u))}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {IMPACTS.into_iter().enumerate().map(|(r, imp)| view! {
                        <tr>
                            <th scope="row">{i.text(impact_key(imp))}</th>
                            {URGENCIES.into_iter().enumerate().map(|(c, urg)| {
                                let cur = d.priority_matrix.cells[r][c];
                                view! {
                                    <td>
                                        <select class="mo-select"
                                            aria-label=move || i.tf(Key::MatrixCell, &[("impact", i.t(impact_key(imp))), ("urgency", i.t(crate::i18n::urgency_key(urg)))])
                                            on:change=move |ev| {
                                                let v = event_target_value(&ev);
                                                if let Some(p) = Priority::ALL.into_iter().find(|p| p.as_str() == v) {
                                                    f.edit(|s| s.domain.priority_matrix.cells[r][c] = p);
                                                }
                                            }>
                                            {Priority::ALL.into_iter().map(|p| view! {
                                                <option value=p.as_str() selected=p == cur>{i.text(priority_key(p))}</option>
                                            }).collect_view()}
                                        </select>
                                    </td>
                                }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {custom_fields(f)}
    }
}

const PRIORITIES: [Priority; 4] = [
    Priority::Low,
    Priority::Normal,
    Priority::High,
    Priority::Urgent,
];

/// `x` in `list` when `on`, out of it otherwise (once).
fn toggle<T: PartialEq>(list: &mut Vec<T>, x: T, on: bool) {
    list.retain(|y| *y != x);
    if on {
        list.push(x);
    }
}

/// Routing rules: tried in order, the first enabled one that matches picks the team and the
/// strategy; tickets no rule matches use the default strategy and the fallback team.
fn assignment_rules(f: Form) -> impl IntoView {
    let i = f.i;
    let len = Memo::new(move |_| f.draft.with(|s| s.assignment.rules.len()));
    let team_options = move |selected: Option<TeamId>| {
        let teams = f.draft.with_untracked(|s| s.teams.clone());
        let none = selected.is_none();
        view! {
            <option value="" selected=none>{i.text(Key::AnyAgent)}</option>
            {teams.into_iter().map(|t| {
                let sel = selected.as_ref() == Some(&t.id);
                view! { <option value=t.id.0.clone() selected=sel>{t.name.clone()}</option> }
            }).collect_view()}
        }
    };
    let team_of = move |v: String| (!v.is_empty()).then_some(TeamId(v));
    let item = move |k: usize| {
        let r = f.draft.with_untracked(|s| s.assignment.rules[k].clone());
        let id = format!("mo-set-team-rule-{k}");
        let team_id = format!("{id}-team");
        let team_id_err = team_id.clone();
        let team_described = format!("{team_id}-error");
        let strategy_id = format!("{id}-strategy");
        let prio = move |p: Priority| {
            view! {
                <Check label=priority_key(p) checked=r.conditions.priorities.contains(&p)
                    on_change=move |on| {
                        f.edit(|s| toggle(&mut s.assignment.rules[k].conditions.priorities, p, on))
                    } />
            }
        };
        let chan = move |c: Channel| {
            view! {
                <Check label=channel_key(c) checked=r.conditions.channels.contains(&c)
                    on_change=move |on| f.edit(|s| toggle(&mut s.assignment.rules[k].conditions.channels, c, on)) />
            }
        };
        let strategy = r.strategy;
        view! {
            <fieldset class="mo-fieldset mo-settings-item">
                <legend>{r.name.clone()}</legend>
                {f.text(format!("{id}-name"), Key::RuleName, r.name.clone(), false,
                    move |v| f.edit(|s| s.assignment.rules[k].name = v))}
                <Check label=Key::RuleEnabled checked=r.enabled
                    on_change=move |on| f.edit(|s| s.assignment.rules[k].enabled = on) />
                {f.text(format!("{id}-categories"), Key::RuleCategories, r.conditions.categories.join(", "), false,
                    move |v| f.edit(|s| s.assignment.rules[k].conditions.categories = split_list(&v)))}
                {f.text(format!("{id}-languages"), Key::RuleLanguages, r.conditions.languages.join(", "), false,
                    move |v| f.edit(|s| s.assignment.rules[k].conditions.languages = split_list(&v)))}
                {f.text(format!("{id}-tags"), Key::RuleTags, r.conditions.tags.join(", "), false,
                    move |v| f.edit(|s| s.assignment.rules[k].conditions.tags = split_list(&v)))}
                {f.text(format!("{id}-plans"), Key::RulePlans, r.conditions.plans.join(", "), false,
                    move |v| f.edit(|s| s.assignment.rules[k].conditions.plans = split_list(&v)))}
                <fieldset class="mo-fieldset">
                    <legend>{i.text(Key::RulePriorities)}</legend>
                    <div class="mo-row">{PRIORITIES.into_iter().map(prio).collect_view()}</div>
                </fieldset>
                <fieldset class="mo-fieldset">
                    <legend>{i.text(Key::RuleChannels)}</legend>
                    <div class="mo-row">{Channel::ALL.into_iter().map(chan).collect_view()}</div>
                </fieldset>
                <div class="mo-row">
                    <LabelledField id=team_id.clone() label=Key::RuleTeam narrow=true>
                        <select id=team_id class="mo-select"
                            aria-describedby=team_described
                            on:change=move |ev| {
                                let t = team_of(event_target_value(&ev));
                                f.edit(|s| s.assignment.rules[k].target_team = t);
                            }>
                            {team_options(r.target_team.clone())}
                        </select>
                        {f.error_view(&team_id_err)}
                    </LabelledField>
                    <LabelledField id=strategy_id.clone() label=Key::Strategy narrow=true>
                        <ChoiceSelect id=strategy_id label=strategy_key value=move || Some(strategy)
                            on_pick=move |x| if let Some(x) = x { f.edit(|s| s.assignment.rules[k].strategy = x) } />
                    </LabelledField>
                </div>
                {f.text(format!("{id}-skill"), Key::RequiredSkill, r.required_skill.clone().unwrap_or_default(), false,
                    move |v| f.edit(|s| {
                        let v = v.trim().to_owned();
                        s.assignment.rules[k].required_skill = (!v.is_empty()).then_some(v);
                    }))}
                {remove_button(i, r.name.clone(), move || f.edit(|s| { s.assignment.rules.remove(k); }))}
            </fieldset>
        }
    };
    let fallback = f
        .draft
        .with_untracked(|s| s.assignment.fallback_team.clone());
    view! {
        {heading(i, Key::AssignmentRules)}
        <p class="mo-hint">{i.text(Key::RulesHint)}</p>
        {list(len, item)}
        <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
            f.edit(|s| s.assignment.rules.push(AssignmentRule {
                id: RuleId(format!("rule-{}", random_hex(4))),
                name: String::new(),
                enabled: true,
                conditions: RuleConditions::default(),
                target_team: None,
                required_skill: None,
                strategy: s.assignment.default_strategy,
            }));
        }>{i.text(Key::AddRule)}</button>
        <LabelledField id="mo-set-team-fallback" label=Key::FallbackTeam narrow=true>
            <select id="mo-set-team-fallback" class="mo-select" aria-describedby="mo-set-team-fallback-error"
                on:change=move |ev| {
                    let t = team_of(event_target_value(&ev));
                    f.edit(|s| s.assignment.fallback_team = t);
                }>
                {team_options(fallback)}
            </select>
            {f.error_view("mo-set-team-fallback")}
        </LabelledField>
    }
}

fn macro_status_key(s: MacroStatus) -> Key {
    match s {
        MacroStatus::Resolve => Key::Resolve,
        MacroStatus::Close => Key::Close,
        MacroStatus::Reopen => Key::Reopen,
    }
}

/// Macros: one click that replies or notes, sets the priority, tags, takes the ticket and moves
/// its status (`template::apply_macro` in the core turns one into commands).
fn macros(f: Form) -> impl IntoView {
    let i = f.i;
    let len = Memo::new(move |_| f.draft.with(|s| s.macros.len()));
    let item = move |k: usize| {
        let m = f.draft.with_untracked(|s| s.macros[k].clone());
        let id = format!("mo-set-reply-macro-{k}");
        let kind_id = format!("{id}-kind");
        let priority_id = format!("{id}-priority");
        let status_id = format!("{id}-status");
        let visibility = m.message.as_ref().map(|(v, _)| *v);
        let text = m
            .message
            .as_ref()
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        let priority = m.priority;
        let status = m.status;
        view! {
            <fieldset class="mo-fieldset mo-settings-item">
                <legend>{m.title.clone()}</legend>
                {f.text(format!("{id}-title"), Key::MacroTitle, m.title.clone(), false,
                    move |v| f.edit(|s| s.macros[k].title = v))}
                <LabelledField id=kind_id.clone() label=Key::MacroMessageKind narrow=true>
                    <select id=kind_id class="mo-select" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        f.edit(|s| {
                            let text = s.macros[k].message.take().map(|(_, t)| t).unwrap_or_default();
                            s.macros[k].message = match v.as_str() {
                                "public" => Some((Visibility::Public, text)),
                                "internal" => Some((Visibility::Internal, text)),
                                _ => None,
                            };
                        });
                    }>
                        <option value="" selected=visibility.is_none()>{i.text(Key::NoMessage)}</option>
                        <option value="public" selected=visibility == Some(Visibility::Public)>{i.text(Key::PublicReply)}</option>
                        <option value="internal" selected=visibility == Some(Visibility::Internal)>{i.text(Key::InternalNote)}</option>
                    </select>
                </LabelledField>
                {f.text(format!("{id}-text"), Key::MacroText, text, true,
                    move |v| f.edit(|s| {
                        let vis = s.macros[k].message.as_ref().map_or(Visibility::Public, |(v, _)| *v);
                        s.macros[k].message = Some((vis, v));
                    }))}
                <div class="mo-row">
                    <LabelledField id=priority_id.clone() label=Key::MacroPriority narrow=true>
                        <select id=priority_id class="mo-select" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let p = v.split_once('/').and_then(|(a, b)| {
                                Some((Impact::from_name(a)?, Urgency::from_name(b)?))
                            });
                            f.edit(|s| s.macros[k].priority = p);
                        }>
                            <option value="" selected=priority.is_none()>{i.text(Key::Unchanged)}</option>
                            {Impact::ALL.iter().flat_map(|&a| Urgency::ALL.iter().map(move |&b| (a, b))).map(|(a, b)| {
                                let sel = priority == Some((a, b));
                                view! {
                                    <option value=format!("{}/{}", a.name(), b.name()) selected=sel>
                                        {move || i.tf(Key::MatrixCell, &[("impact", i.t(impact_key(a))), ("urgency", i.t(urgency_key(b)))])}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </LabelledField>
                    <LabelledField id=status_id.clone() label=Key::MacroStatusLabel narrow=true>
                        <ChoiceSelect id=status_id label=macro_status_key none=Key::Unchanged
                            value=move || status on_pick=move |x| f.edit(|s| s.macros[k].status = x) />
                    </LabelledField>
                </div>
                {f.text(format!("{id}-add"), Key::MacroAddTags, m.add_tags.join(", "), false,
                    move |v| f.edit(|s| s.macros[k].add_tags = split_list(&v)))}
                {f.text(format!("{id}-remove"), Key::MacroRemoveTags, m.remove_tags.join(", "), false,
                    move |v| f.edit(|s| s.macros[k].remove_tags = split_list(&v)))}
                <Check label=Key::AssignToMe checked=m.assign_to_me
                    on_change=move |on| f.edit(|s| s.macros[k].assign_to_me = on) />
                {remove_button(i, m.title.clone(), move || f.edit(|s| { s.macros.remove(k); }))}
            </fieldset>
        }
    };
    view! {
        {heading(i, Key::Macros)}
        <p class="mo-hint">{i.text(Key::MacrosHint)}</p>
        {list(len, item)}
        <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
            f.edit(|s| s.macros.push(Macro {
                id: format!("macro-{}", random_hex(4)),
                ..Macro::default()
            }));
        }>{i.text(Key::AddMacro)}</button>
    }
}
