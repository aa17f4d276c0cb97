//! The KPI dashboard: the core's `kpi::compute` over every ticket, drawn as SVG by the app (no
//! chart service), each chart with its figures as a table and as CSV. All arithmetic is the
//! core's; this module only lays figures out.

use chrono::Datelike;
use leptos::prelude::*;
use mostrador_core::apply::fold_all;
use mostrador_core::assistant;
use mostrador_core::facts::kpi_facts;
use mostrador_core::kpi::{
    GroupBy, GroupKey, KpiFigures, KpiFilters, KpiQuery, KpiReport, Table, compute, wall_clock,
};
use mostrador_core::model::{AgentId, Channel, TeamId};

use crate::components::field::{FieldLayout, LabelledField};
use crate::i18n::errors::message;
use crate::i18n::{I18n, Key, Lang, Plural, channel_key, format_number, use_i18n};
use crate::services::attachments::save_text;
use crate::services::desk::{UiError, use_desk};
use crate::services::ids::now;

const PERIODS: [i64; 3] = [7, 30, 90];

/// One figure per group; `None` where the group has no sample.
type Series = Vec<(String, Option<f64>)>;

/// The whole period's figures, a day-by-day breakdown, and the state of the backlog.
#[component]
pub fn Dashboard() -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let settings = desk.settings();
    let agents = settings.agents.clone();
    let teams = settings.teams.clone();
    let days = RwSignal::new(30i64);
    let agent = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let channel = RwSignal::new(String::new());
    let desk_v = StoredValue::new_local(desk.clone());
    let report = LocalResource::new(move || {
        let (days, agent, channel, team) = (days.get(), agent.get(), channel.get(), team.get());
        let desk = desk_v.get_value();
        desk.revision.track();
        async move {
            let settings = desk.settings();
            let events = desk.store.all_events().await?;
            let at = now();
            let tickets = fold_all(&events);
            let zones = mostrador_idb::BrowserZones::new();
            let facts: Vec<_> = tickets
                .values()
                .map(|t| kpi_facts(t, &settings, &zones, at))
                .collect();
            let calendar = settings.sla.calendars.first().cloned();
            let mut query = KpiQuery::new(at - chrono::Duration::days(days), at);
            // Day by day up to a month; ISO weeks beyond, so a quarter stays readable.
            query.group_by = Some(if days > 31 {
                GroupBy::Week
            } else {
                GroupBy::Day
            });
            // Days (or weeks) without figures keep their place on the time axis.
            query.every_period = true;
            if let Some(c) = &calendar {
                query.time_zone = c.time_zone.clone();
            }
            query.filters = KpiFilters {
                team: (!team.is_empty()).then_some(TeamId(team)),
                agent: (!agent.is_empty()).then_some(AgentId(agent)),
                channel: Channel::ALL
                    .into_iter()
                    .find(|c| mostrador_core::kpi::channel_name(*c) == channel),
            };
            let business = |a, b| match &calendar {
                Some(c) => c.business_duration(&zones, a, b),
                None => wall_clock(a, b),
            };
            compute(&facts, &query, at, &business, &zones).map_err(|e| {
                UiError::Store(mostrador_core::store::StoreError::Unavailable(
                    e.to_string(),
                ))
            })
        }
    });

    let filters = view! {
        <form class="mo-filters" aria-label=i.text(Key::DashFilters) on:submit=|ev| ev.prevent_default()>
            <LabelledField id="mo-dash-period" label=Key::DashPeriod layout=FieldLayout::Inline>
                <select
                    id="mo-dash-period"
                    class="mo-select"
                    on:change=move |ev| {
                        if let Ok(d) = event_target_value(&ev).parse() {
                            days.set(d);
                        }
                    }
                >
                    {PERIODS
                        .into_iter()
                        .map(|d| {
                            view! {
                                <option value=d.to_string() selected=move || days.get() == d>
                                    {move || i.tn(Plural::DashLastDays, d as u64, &[])}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </LabelledField>
            <LabelledField id="mo-dash-agent" label=Key::Assignee layout=FieldLayout::Inline>
                <select id="mo-dash-agent" class="mo-select" on:change=move |ev| agent.set(event_target_value(&ev))>
                    <option value="">{i.text(Key::DashEveryone)}</option>
                    {agents
                        .iter()
                        .map(|a| view! { <option value=a.id.0.clone()>{a.name.clone()}</option> })
                        .collect_view()}
                </select>
            </LabelledField>
            {(!teams.is_empty())
                .then(|| {
                    view! {
                        <LabelledField id="mo-dash-team" label=Key::DashTeam layout=FieldLayout::Inline>
                            <select id="mo-dash-team" class="mo-select" on:change=move |ev| team.set(event_target_value(&ev))>
                                <option value="">{i.text(Key::DashAllTeams)}</option>
                                {teams
                                    .iter()
                                    .map(|t| view! { <option value=t.id.0.clone()>{t.name.clone()}</option> })
                                    .collect_view()}
                            </select>
                        </LabelledField>
                    }
                })}
            <LabelledField id="mo-dash-channel" label=Key::Channel layout=FieldLayout::Inline>
                <select id="mo-dash-channel" class="mo-select" on:change=move |ev| channel.set(event_target_value(&ev))>
                    <option value="">{i.text(Key::DashAllChannels)}</option>
                    {Channel::ALL
                        .into_iter()
                        .map(|c| {
                            view! {
                                <option value=mostrador_core::kpi::channel_name(c)>
                                    {i.text(channel_key(c))}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </LabelledField>
        </form>
    };

    view! {
        <section class="mo-dashboard" aria-labelledby="mo-dash-title">
            <h2 id="mo-dash-title" class="mo-subtitle">{i.text(Key::DashTitle)}</h2>
            {filters}
            {move || match report.get() {
                None => view! { <crate::components::loading::Loading /> }.into_any(),
                Some(Err(e)) => {
                    view! { <p class="mo-banner mo-banner-error" role="alert">{message(i, &e)}</p> }
                        .into_any()
                }
                Some(Ok(r)) => {
                    view! { <Figures report=r agents=agents_names(&desk_v.get_value()) /> }.into_any()
                }
            }}
            <AssistantFigures days=days />
        </section>
    }
}

/// The assistant's conversations in the period: how they ended, per flow (a stacked chart), and
/// per step of each flow (a table), with CSV. The counting is the core's `assistant::stats`.
#[component]
fn AssistantFigures(days: RwSignal<i64>) -> impl IntoView {
    let i = use_i18n();
    let desk_v = StoredValue::new_local(use_desk());
    let stats = LocalResource::new(move || {
        let days = days.get();
        let desk = desk_v.get_value();
        desk.workspace.track();
        async move {
            let since = now() - chrono::Duration::days(days);
            let records: Vec<_> = desk
                .assistant_records()
                .await
                .into_iter()
                .filter(|r| r.at >= since)
                .collect();
            let flows = desk.settings().domain.assistant;
            (assistant::stats(&records, &flows), flows)
        }
    });
    move || {
        let (all, flows) = stats.get()?;
        if flows.is_empty() && all.iter().all(|s| s.started == 0) {
            return None;
        }
        let lang = i.lang.get_untracked();
        let locales = desk_v.with_value(|d| d.settings().profile.locales);
        let flow_name = |id: &str| {
            flows.flow(id).map_or_else(
                || id.to_owned(),
                |f| f.name.get(lang.tag(), &locales).to_owned(),
            )
        };
        let n = |v: u32| format_number(lang, i64::from(v));
        let legend = vec![
            Key::DashSolvedByAssistant,
            Key::DashLeftAfterAnswer,
            Key::DashTicketOpened,
            Key::DashHandedOffNoTicket,
            Key::DashAbandoned,
        ];
        let parts = |s: &assistant::FlowStats| {
            vec![
                s.solved,
                s.left_after_answer,
                s.tickets,
                s.handed_off - s.tickets,
                s.abandoned,
            ]
        };
        let bars: Vec<Bar> = all
            .iter()
            .map(|s| Bar {
                label: flow_name(&s.flow),
                parts: Some(parts(s).into_iter().map(f64::from).collect()),
            })
            .collect();
        let mut header = vec![
            i.t(Key::DashFlow).to_owned(),
            i.t(Key::DashStarted).to_owned(),
        ];
        header.extend(legend.iter().map(|k| i.t(*k).to_owned()));
        header.push(i.t(Key::DashAvoided).to_owned());
        let table = Table {
            header,
            rows: all
                .iter()
                .map(|s| {
                    let mut row = vec![flow_name(&s.flow), s.started.to_string()];
                    row.extend(parts(s).into_iter().map(|v| v.to_string()));
                    row.push(s.answered().to_string());
                    row
                })
                .collect(),
        };
        let summaries = all
            .iter()
            .map(|s| {
                i.tf(
                    Key::DashAssistantSummary,
                    &[
                        ("flow", &flow_name(&s.flow)),
                        ("started", &n(s.started)),
                        ("answered", &n(s.answered())),
                        ("share", &percent(i, s.answer_rate())),
                        ("handed", &n(s.handed_off)),
                        ("avoided", &n(s.answered())),
                    ],
                )
            })
            .collect::<Vec<_>>();
        let step_tables = all
            .iter()
            .filter(|s| s.started > 0)
            .map(|s| {
                let flow = flows.flow(&s.flow);
                // The flow's steps in its order, then any step only the records still name.
                let mut ids: Vec<String> = flow
                    .map(|f| f.steps.iter().map(|st| st.id.clone()).collect())
                    .unwrap_or_default();
                ids.extend(
                    s.steps
                        .keys()
                        .filter(|k| !ids.contains(k))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
                let label = |id: &str| {
                    let text = flow
                        .and_then(|f| f.step(id))
                        .map(|st| step_text(st, lang.tag(), &locales));
                    match text {
                        Some(t) if !t.is_empty() => format!("{id} · {}", clip(&t, 48)),
                        _ => id.to_owned(),
                    }
                };
                let table = Table {
                    header: [
                        Key::DashStep,
                        Key::DashReached,
                        Key::DashSolvedByAssistant,
                        Key::DashHandedOff,
                        Key::DashLeftHere,
                    ]
                    .iter()
                    .map(|k| i.t(*k).to_owned())
                    .collect(),
                    rows: ids
                        .iter()
                        .map(|id| {
                            let c = s.steps.get(id).copied().unwrap_or_default();
                            vec![
                                label(id),
                                c.reached.to_string(),
                                c.solved.to_string(),
                                c.handed_off.to_string(),
                                c.left.to_string(),
                            ]
                        })
                        .collect(),
                };
                (
                    i.tf(Key::DashAssistantSteps, &[("flow", &flow_name(&s.flow))]),
                    s.flow.clone(),
                    table,
                )
            })
            .collect::<Vec<_>>();
        Some(view! {
            <section class="mo-dash-assistant" aria-labelledby="mo-dash-assistant-title">
                <h3 id="mo-dash-assistant-title" class="mo-settings-heading">{i.text(Key::DashAssistant)}</h3>
                <ul class="mo-dash-assistant-summary">
                    {summaries.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                </ul>
                <Chart id="assistant" title=Key::DashAssistantRuns measure=Measure::Count bars=bars legend=legend table=table />
                {step_tables.into_iter().map(|(title, flow, table)| {
                    let csv = table.to_csv();
                    let file = format!("mostrador-assistant-{flow}.csv");
                    let error = RwSignal::new(None::<String>);
                    view! {
                        <div class="mo-table-wrap">
                            <table class="mo-table">
                                <caption>{title}</caption>
                                <thead>
                                    <tr>{table.header.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr>
                                </thead>
                                <tbody>
                                    {table.rows.iter().map(|r| view! {
                                        <tr>{r.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <button type="button" class="mo-link" on:click=move |_| error.set(save_text(&csv, "text/csv", &file).err())>
                            {i.text(Key::DashDownloadCsv)}
                        </button>
                        <p class="mo-error" role="alert">{move || error.get().unwrap_or_default()}</p>
                    }
                }).collect_view()}
            </section>
        })
    }
}

/// What a step says first, in `lang`: for the per-step table's labels.
fn step_text(step: &assistant::Step, lang: &str, locales: &[String]) -> String {
    use assistant::StepKind;
    match &step.kind {
        StepKind::Question { text, .. }
        | StepKind::Answer { text, .. }
        | StepKind::Check { text, .. }
        | StepKind::Form { text, .. } => text.get(lang, locales).to_owned(),
        StepKind::HandOff(h) => h.text.get(lang, locales).to_owned(),
        StepKind::Article { article, .. } => article.0.clone(),
    }
}

fn agents_names(desk: &crate::services::desk::Desk) -> Vec<(AgentId, String)> {
    desk.settings()
        .agents
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect()
}

/// What a chart's values measure: it fixes the value axis's scale and the unit of its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// A fraction, drawn on a fixed 0–100 % scale so that 50 % is half the height of 100 %.
    Percent,
    /// Seconds, labelled in s, min, h or d after the largest value.
    Duration,
    /// Tickets.
    Count,
    /// An average score from 1 to 5, drawn on a fixed 0–5 scale.
    Score,
}

/// The unit a chart's labels are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Percent,
    Seconds,
    Minutes,
    Hours,
    Days,
    Count,
    Score,
}

impl Unit {
    /// Raw values (fractions, seconds, counts) per one of this unit.
    fn size(self) -> f64 {
        match self {
            Unit::Percent => 0.01,
            Unit::Minutes => 60.0,
            Unit::Hours => 3600.0,
            Unit::Days => 86_400.0,
            Unit::Seconds | Unit::Count | Unit::Score => 1.0,
        }
    }

    /// The unit durations up to `max` seconds read best in.
    fn for_seconds(max: f64) -> Unit {
        if max < 120.0 {
            Unit::Seconds
        } else if max < 7200.0 {
            Unit::Minutes
        } else if max < 172_800.0 {
            Unit::Hours
        } else {
            Unit::Days
        }
    }

    /// `value` (already in this unit) with `places` decimals and the unit's symbol.
    fn show(self, i: I18n, value: f64, places: usize) -> String {
        let n = decimal(i.lang.get_untracked(), value, places);
        let key = match self {
            Unit::Percent => Key::DashUnitPercent,
            Unit::Seconds => Key::DashUnitSeconds,
            Unit::Minutes => Key::DashUnitMinutes,
            Unit::Hours => Key::DashUnitHours,
            Unit::Days => Key::DashUnitDays,
            Unit::Count | Unit::Score => return n,
        };
        i.tf(key, &[("value", &n)])
    }
}

/// `value` with `places` decimals and the language's decimal separator.
fn decimal(lang: Lang, value: f64, places: usize) -> String {
    let s = format!("{value:.places$}");
    match lang {
        Lang::En => s,
        Lang::Es | Lang::Pt => s.replace('.', ","),
    }
}

/// A duration for a card: "45 s", "12 min", "3.5 h", or "—" without samples.
fn duration(i: I18n, seconds: Option<f64>) -> String {
    match seconds {
        Some(s) => {
            let unit = Unit::for_seconds(s);
            let v = s / unit.size();
            unit.show(i, v, places(unit, v))
        }
        None => "—".into(),
    }
}

fn percent(i: I18n, v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| Unit::Percent.show(i, v * 100.0, 0))
}

/// Decimals a value label needs: one for small durations and for scores, none otherwise.
fn places(unit: Unit, value: f64) -> usize {
    match unit {
        Unit::Score => 1,
        Unit::Hours | Unit::Days if value < 10.0 => 1,
        _ => 0,
    }
}

/// The value axis: from zero to `top` in steps of `step`, both in `unit`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Axis {
    unit: Unit,
    top: f64,
    step: f64,
}

impl Axis {
    /// The axis for values of `measure` whose largest raw value is `max`.
    fn new(measure: Measure, max: f64) -> Axis {
        match measure {
            Measure::Percent => Axis {
                unit: Unit::Percent,
                top: 100.0,
                step: 25.0,
            },
            Measure::Score => Axis {
                unit: Unit::Score,
                top: 5.0,
                step: 1.0,
            },
            Measure::Count => Axis::nice(Unit::Count, max),
            Measure::Duration => Axis::nice(Unit::for_seconds(max), max),
        }
    }

    /// About four round steps (1, 2 or 5 × a power of ten) covering `max`; whole steps for
    /// counts, seconds and minutes.
    fn nice(unit: Unit, max: f64) -> Axis {
        let m = (max / unit.size()).max(0.0);
        let rough = (m / 4.0).max(f64::MIN_POSITIVE);
        let mut power = 1.0;
        while power * 10.0 <= rough {
            power *= 10.0;
        }
        while power > rough {
            power /= 10.0;
        }
        let mut step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|f| f * power)
            .find(|s| *s >= rough)
            .unwrap_or(power * 10.0);
        if !matches!(unit, Unit::Hours | Unit::Days) {
            step = step.max(1.0);
        }
        let top = (m / step).ceil().max(1.0) * step;
        Axis { unit, top, step }
    }

    /// A tick's label.
    fn tick(&self, i: I18n, value: f64) -> String {
        let places = usize::from(self.step.fract() != 0.0);
        self.unit.show(i, value, places)
    }

    /// A raw value's label.
    fn value(&self, i: I18n, raw: f64) -> String {
        let v = raw / self.unit.size();
        self.unit.show(i, v, places(self.unit, v))
    }
}

/// A group's label on a chart: a short date for days and weeks, the key's text otherwise.
fn group_label(lang: Lang, key: &GroupKey) -> String {
    match key {
        GroupKey::Day(d) | GroupKey::Week(d) => match lang {
            Lang::En => format!("{}/{}", d.month(), d.day()),
            Lang::Es | Lang::Pt => format!("{}/{}", d.day(), d.month()),
        },
        other => other.label(),
    }
}

#[component]
fn Figures(report: KpiReport, agents: Vec<(AgentId, String)>) -> impl IntoView {
    let i = use_i18n();
    let lang = i.lang.get_untracked();
    let o = report.overall.clone();
    let cards = vec![
        (Key::DashCreated, format_number(lang, i64::from(o.created))),
        (Key::DashSolved, format_number(lang, i64::from(o.solved))),
        (
            Key::DashFirstResponse,
            format!(
                "{} · p90 {}",
                duration(i, o.first_response_wall.median_seconds),
                duration(i, o.first_response_wall.p90_seconds)
            ),
        ),
        (
            Key::DashResolution,
            format!(
                "{} · p90 {}",
                duration(i, o.resolution_wall.median_seconds),
                duration(i, o.resolution_wall.p90_seconds)
            ),
        ),
        (
            Key::DashSla,
            format!(
                "{} / {}",
                percent(i, o.sla_first_response.value),
                percent(i, o.sla_resolution.value)
            ),
        ),
        (Key::DashReopen, percent(i, o.reopened.value)),
        (Key::DashFcr, percent(i, o.first_contact_resolution.value)),
        (
            Key::DashSatisfaction,
            o.satisfaction
                .value
                .map_or_else(|| "—".into(), |v| format!("{} / 5", decimal(lang, v, 1))),
        ),
    ];
    let groups = &report.groups;
    // Tickets created per group, stacked by channel (only channels that occur).
    let channels: Vec<Channel> = Channel::ALL
        .into_iter()
        .filter(|c| {
            groups
                .iter()
                .any(|g| g.figures.created_by_channel.contains_key(c))
        })
        .collect();
    let volume_bars: Vec<Bar> = groups
        .iter()
        .map(|g| Bar {
            label: group_label(lang, &g.key),
            parts: Some(
                channels
                    .iter()
                    .map(|c| f64::from(g.figures.created_by_channel.get(c).copied().unwrap_or(0)))
                    .collect(),
            ),
        })
        .collect();
    let volume_legend: Vec<Key> = channels.iter().map(|c| channel_key(*c)).collect();
    let series = |f: &dyn Fn(&KpiFigures) -> Option<f64>| -> Series {
        groups
            .iter()
            .map(|g| (group_label(lang, &g.key), f(&g.figures)))
            .collect()
    };
    let name_of = |a: &Option<AgentId>| match a {
        Some(id) => agents
            .iter()
            .find(|(x, _)| x == id)
            .map_or_else(|| id.0.clone(), |(_, n)| n.clone()),
        None => i.t(Key::ViewUnassigned).to_owned(),
    };
    let open: Series = report
        .open_by_agent
        .iter()
        .map(|o| (name_of(&o.agent), Some(f64::from(o.open))))
        .collect();
    let b = report.backlog;
    let backlog: Series = vec![
        (
            i.tn(Plural::DashAgeUnder, 1, &[]),
            Some(f64::from(b.under_one_day)),
        ),
        (
            i.tf(Key::DashAgeBetween, &[("from", "1"), ("to", "3")]),
            Some(f64::from(b.one_to_three_days)),
        ),
        (
            i.tf(Key::DashAgeBetween, &[("from", "3"), ("to", "7")]),
            Some(f64::from(b.three_to_seven_days)),
        ),
        (
            i.tn(Plural::DashAgeOver, 7, &[]),
            Some(f64::from(b.over_seven_days)),
        ),
    ];
    let figures_csv = report.figures_table().to_csv();
    let volume = report.volume_table();
    use Measure::{Count, Duration, Percent, Score};
    let charts: Vec<(&'static str, Key, Measure, Series)> = vec![
        (
            "response",
            Key::DashResponseTrend,
            Duration,
            series(&|f| f.first_response_wall.median_seconds),
        ),
        (
            "response-p90",
            Key::DashResponseP90,
            Duration,
            series(&|f| f.first_response_wall.p90_seconds),
        ),
        (
            "resolution",
            Key::DashResolutionTrend,
            Duration,
            series(&|f| f.resolution_wall.median_seconds),
        ),
        (
            "resolution-p90",
            Key::DashResolutionP90,
            Duration,
            series(&|f| f.resolution_wall.p90_seconds),
        ),
        (
            "sla-response",
            Key::DashSlaResponseTrend,
            Percent,
            series(&|f| f.sla_first_response.value),
        ),
        (
            "sla-resolution",
            Key::DashSlaResolutionTrend,
            Percent,
            series(&|f| f.sla_resolution.value),
        ),
        (
            "reopened",
            Key::DashReopenTrend,
            Percent,
            series(&|f| f.reopened.value),
        ),
        (
            "fcr",
            Key::DashFcrTrend,
            Percent,
            series(&|f| f.first_contact_resolution.value),
        ),
        (
            "satisfaction",
            Key::DashSatisfactionTrend,
            Score,
            series(&|f| f.satisfaction.value),
        ),
        ("open", Key::DashOpenPerAgent, Count, open),
        ("backlog", Key::DashBacklog, Count, backlog),
    ];
    let error = RwSignal::new(None::<String>);
    view! {
        <ul class="mo-cards">
            {cards
                .into_iter()
                .map(|(k, v)| {
                    view! {
                        <li class="mo-card">
                            <span class="mo-card-label">{i.text(k)}</span>
                            <strong class="mo-card-value">{v}</strong>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <div class="mo-charts">
            <Chart id="volume" title=Key::DashVolume measure=Count bars=volume_bars legend=volume_legend table=volume />
            {charts
                .into_iter()
                .map(|(id, title, measure, rows)| {
                    let table = table_of(i, title, measure, &rows);
                    let bars = rows
                        .into_iter()
                        .map(|(label, v)| Bar { label, parts: v.map(|v| vec![v]) })
                        .collect();
                    view! { <Chart id=id title=title measure=measure bars=bars legend=Vec::new() table=table /> }
                })
                .collect_view()}
        </div>
        <div class="mo-actions">
            <button
                type="button"
                class="mo-button mo-button-secondary"
                on:click=move |_| {
                    error.set(save_text(&figures_csv, "text/csv", "mostrador-kpis.csv").err());
                }
            >
                {i.text(Key::DashDownloadFigures)}
            </button>
        </div>
        <p class="mo-error" role="alert">{move || error.get().unwrap_or_default()}</p>
    }
}

/// A chart's figures as a table, in the chart's units; empty cells where there is no sample.
fn table_of(i: I18n, what: Key, measure: Measure, rows: &[(String, Option<f64>)]) -> Table {
    let max = rows.iter().filter_map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let axis = Axis::new(measure, max);
    Table {
        header: vec![String::new(), i.t(what).to_owned()],
        rows: rows
            .iter()
            .map(|(l, v)| vec![l.clone(), v.map_or_else(String::new, |v| axis.value(i, v))])
            .collect(),
    }
}

/// One bar of a chart: its label and its value, split in parts when stacked; `None` when the
/// group has no sample (nothing is drawn, unlike a sample of zero).
struct Bar {
    label: String,
    parts: Option<Vec<f64>>,
}

impl Bar {
    fn value(&self) -> Option<f64> {
        self.parts.as_ref().map(|p| p.iter().sum())
    }
}

/// What every chart with nothing to draw shows instead of an empty frame.
#[component]
fn ChartEmpty() -> impl IntoView {
    let i = use_i18n();
    view! { <p class="mo-chart-empty">{i.text(Key::DashNoData)}</p> }
}

/// The chart's drawing area, in SVG user units.
const W: f64 = 320.0;
const H: f64 = 180.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 6.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 22.0;
/// At most this many bars carry a visible value label; beyond, labels would overlap and the
/// values are read from the description, the tooltips and the table.
const LABELLED_BARS: usize = 12;

/// Shortens `text` to `chars` characters, with an ellipsis when cut.
fn clip(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(chars.saturating_sub(1).max(1)).collect();
    s.push('…');
    s
}

/// A bar chart drawn in SVG on a labelled value axis, described for screen readers, with its
/// figures as a table under a disclosure and as CSV. Each bar may stack several series (`legend`
/// names them, in order). Percentages and scores use fixed scales so charts compare.
#[component]
fn Chart(
    id: &'static str,
    title: Key,
    measure: Measure,
    bars: Vec<Bar>,
    legend: Vec<Key>,
    table: Table,
) -> impl IntoView {
    let csv = table.to_csv();
    let i = use_i18n();
    let values: Vec<f64> = bars.iter().filter_map(Bar::value).collect();
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    // Counts of zero everywhere draw nothing; a duration or rate of zero is a sample and shows.
    let empty = values.is_empty() || (measure == Measure::Count && max == 0.0);
    let axis = Axis::new(measure, max);
    let plot_h = H - TOP - BOTTOM;
    let y_of = |raw: f64| H - BOTTOM - (raw / axis.unit.size() / axis.top).clamp(0.0, 1.0) * plot_h;
    let n = bars.len().max(1);
    let step = (W - LEFT - RIGHT) / n as f64;
    let title_id = format!("mo-chart-{id}-title");
    let desc_id = format!("mo-chart-{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let names: Vec<String> = legend.iter().map(|k| i.t(*k).to_owned()).collect();
    // Every bar with its value; the groups without a sample only counted, not read out one by one.
    let mut said: Vec<String> = bars
        .iter()
        .filter_map(|b| Some(format!("{} {}", b.label, axis.value(i, b.value()?))))
        .collect();
    let gaps = bars.len() - said.len();
    if gaps > 0 {
        said.push(i.tf(Key::DashNoSamples, &[("count", &gaps.to_string())]));
    }
    let values_text = said.join("; ");
    let desc = i.tf(
        Key::DashChartDesc,
        &[
            ("min", &axis.tick(i, 0.0)),
            ("max", &axis.tick(i, axis.top)),
            ("values", &values_text),
        ],
    );
    let ticks = (0..)
        .map(|k| f64::from(k) * axis.step)
        .take_while(|t| *t <= axis.top + axis.step / 1000.0)
        .map(|t| {
            let y = H - BOTTOM - t / axis.top * plot_h;
            view! {
                <line class="mo-grid" x1=LEFT y1=format!("{y:.1}") x2=W - RIGHT y2=format!("{y:.1}") />
                <text class="mo-tick mo-tick-value" x=LEFT - 4.0 y=format!("{:.1}", y + 3.0) text-anchor="end">
                    {axis.tick(i, t)}
                </text>
            }
        })
        .collect_view();
    let labelled = bars.len() <= LABELLED_BARS;
    let rects = bars
        .iter()
        .enumerate()
        .filter_map(|(k, bar)| {
            let parts = bar.parts.as_ref()?;
            let x = LEFT + k as f64 * step + step * 0.15;
            let width = (step * 0.7).max(1.0);
            let total = bar.value().unwrap_or(0.0);
            let mut base = 0.0;
            let segments = parts
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0.0 || parts.len() == 1)
                .map(|(s, v)| {
                    let (y0, y1) = (y_of(base), y_of(base + v));
                    base += v;
                    // A sample of zero still shows, as a hairline on the axis.
                    let height = (y0 - y1).max(if total == 0.0 { 1.5 } else { 0.0 });
                    let tip = match names.get(s) {
                        Some(n) => format!("{} · {n}: {}", bar.label, axis.value(i, *v)),
                        None => format!("{}: {}", bar.label, axis.value(i, *v)),
                    };
                    view! {
                        <rect class=format!("mo-bar mo-bar-{}", s % 6) x=format!("{x:.1}") y=format!("{:.1}", y0 - height)
                            width=format!("{width:.1}") height=format!("{height:.1}")>
                            <title>{tip}</title>
                        </rect>
                    }
                })
                .collect_view();
            let label = labelled.then(|| {
                view! {
                    <text class="mo-tick mo-bar-value" x=format!("{:.1}", x + width / 2.0)
                        y=format!("{:.1}", y_of(total) - 3.0) text-anchor="middle">
                        {axis.value(i, total)}
                    </text>
                }
            });
            Some(view! { {segments} {label} })
        })
        .collect_view();
    // Category labels under the axis: every bar's when they fit, else evenly spaced ones.
    let every = ((30.0 / step).ceil() as usize).max(1);
    let chars = ((step * every as f64) / 6.0).floor().max(3.0) as usize;
    let categories = bars
        .iter()
        .enumerate()
        .filter(|(k, _)| k % every == 0)
        .map(|(k, bar)| {
            let x = LEFT + (k as f64 + 0.5) * step;
            view! {
                <text class="mo-tick mo-tick-category" x=format!("{x:.1}") y=H - 8.0 text-anchor="middle">
                    <title>{bar.label.clone()}</title>
                    {clip(&bar.label, chars)}
                </text>
            }
        })
        .collect_view();
    let unit_caption = (measure == Measure::Count).then(|| {
        view! { <text class="mo-tick" x=4.0 y=9.0>{i.text(Key::DashUnitTickets)}</text> }
    });
    let file = format!("mostrador-{id}.csv");
    let error = RwSignal::new(None::<String>);
    let drawing = if empty {
        view! { <ChartEmpty /> }.into_any()
    } else {
        view! {
            <svg
                viewBox=format!("0 0 {W} {H}")
                role="img"
                aria-labelledby=labelled_by
                class="mo-chart-svg"
            >
                <desc id=desc_id>{desc}</desc>
                {unit_caption}
                {ticks}
                {rects}
                <line class="mo-axis" x1=LEFT y1=H - BOTTOM x2=W - RIGHT y2=H - BOTTOM />
                <line class="mo-axis" x1=LEFT y1=TOP x2=LEFT y2=H - BOTTOM />
                {categories}
            </svg>
        }
        .into_any()
    };
    view! {
        <figure class="mo-chart" data-chart=id>
            <figcaption id=title_id class="mo-chart-title">{i.text(title)}</figcaption>
            {drawing}
            {(!names.is_empty() && !empty).then(|| view! {
                <ul class="mo-legend" aria-label=i.text(Key::DashLegend)>
                    {names.iter().enumerate().map(|(s, n)| view! {
                        <li><span class=format!("mo-swatch mo-bar-{}", s % 6) aria-hidden="true"></span>{n.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            <details class="mo-chart-data">
                <summary>{i.text(Key::DashShowTable)}</summary>
                <table class="mo-table">
                    <thead>
                        <tr>{table.header.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>
                        {table
                            .rows
                            .iter()
                            .map(|r| view! { <tr>{r.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr> })
                            .collect_view()}
                    </tbody>
                </table>
                <button
                    type="button"
                    class="mo-link"
                    on:click=move |_| error.set(save_text(&csv, "text/csv", &file).err())
                >
                    {i.text(Key::DashDownloadCsv)}
                </button>
                <p class="mo-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn percentages_and_scores_have_fixed_scales() {
        // Whatever the largest value, 50 % sits halfway up a 0–100 % axis.
        for max in [0.0, 0.5, 1.0] {
            assert_eq!(
                Axis::new(Measure::Percent, max),
                Axis {
                    unit: Unit::Percent,
                    top: 100.0,
                    step: 25.0
                }
            );
        }
        assert_eq!(Axis::new(Measure::Score, 3.2).top, 5.0);
    }

    #[wasm_bindgen_test]
    fn counts_get_whole_round_steps() {
        let axis = |max| {
            let a = Axis::new(Measure::Count, max);
            (a.top, a.step)
        };
        assert_eq!(axis(0.0), (1.0, 1.0));
        assert_eq!(axis(3.0), (3.0, 1.0));
        assert_eq!(axis(7.0), (8.0, 2.0));
        assert_eq!(axis(130.0), (150.0, 50.0));
    }

    #[wasm_bindgen_test]
    fn durations_pick_a_unit_after_the_largest_value() {
        let axis = |max| Axis::new(Measure::Duration, max);
        assert_eq!(axis(0.0).unit, Unit::Seconds);
        assert_eq!((axis(45.0).top, axis(45.0).step), (60.0, 20.0));
        assert_eq!(axis(30.0 * 60.0).unit, Unit::Minutes);
        let hours = axis(5.0 * 3600.0);
        assert_eq!((hours.unit, hours.top, hours.step), (Unit::Hours, 6.0, 2.0));
        assert_eq!(axis(3.0 * 86_400.0).unit, Unit::Days);
        // Two and a half hours: whole-hour ticks up to 3 h.
        let short = axis(2.5 * 3600.0);
        assert_eq!((short.top, short.step), (3.0, 1.0));
    }

    #[wasm_bindgen_test]
    fn decimals_follow_the_language() {
        assert_eq!(decimal(Lang::En, 2.26, 1), "2.3");
        assert_eq!(decimal(Lang::Es, 2.5, 1), "2,5");
        assert_eq!(decimal(Lang::Pt, 40.0, 0), "40");
        assert_eq!(clip("Ana García López", 6), "Ana G…");
        assert_eq!(clip("Ana", 6), "Ana");
    }
}
