//! The KPI dashboard: the core's `kpi::compute` over every ticket, drawn as SVG by the app (no
//! chart service), each chart with its figures as a table and as CSV. All arithmetic is the
//! core's; this module only lays figures out.

use leptos::prelude::*;
use mostrador_core::apply::fold_all;
use mostrador_core::facts::kpi_facts;
use mostrador_core::kpi::{
    GroupBy, KpiFigures, KpiFilters, KpiQuery, KpiReport, Table, compute, wall_clock,
};
use mostrador_core::model::{AgentId, Channel, TeamId};

use crate::i18n::errors::message;
use crate::i18n::{I18n, Key, channel_key, format_number, use_i18n};
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
        <form class="mo-filters" aria-label=move || i.t(Key::DashFilters) on:submit=|ev| ev.prevent_default()>
            <label class="mo-inline-field">
                <span>{move || i.t(Key::DashPeriod)}</span>
                <select
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
                                    {move || i.tf(Key::DashLastDays, &[&d.to_string()])}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="mo-inline-field">
                <span>{move || i.t(Key::Assignee)}</span>
                <select class="mo-select" on:change=move |ev| agent.set(event_target_value(&ev))>
                    <option value="">{move || i.t(Key::DashEveryone)}</option>
                    {agents
                        .iter()
                        .map(|a| view! { <option value=a.id.0.clone()>{a.name.clone()}</option> })
                        .collect_view()}
                </select>
            </label>
            {(!teams.is_empty())
                .then(|| {
                    view! {
                        <label class="mo-inline-field">
                            <span>{move || i.t(Key::DashTeam)}</span>
                            <select class="mo-select" on:change=move |ev| team.set(event_target_value(&ev))>
                                <option value="">{move || i.t(Key::DashAllTeams)}</option>
                                {teams
                                    .iter()
                                    .map(|t| view! { <option value=t.id.0.clone()>{t.name.clone()}</option> })
                                    .collect_view()}
                            </select>
                        </label>
                    }
                })}
            <label class="mo-inline-field">
                <span>{move || i.t(Key::Channel)}</span>
                <select class="mo-select" on:change=move |ev| channel.set(event_target_value(&ev))>
                    <option value="">{move || i.t(Key::DashAllChannels)}</option>
                    {Channel::ALL
                        .into_iter()
                        .map(|c| {
                            view! {
                                <option value=mostrador_core::kpi::channel_name(c)>
                                    {move || i.t(channel_key(c))}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        </form>
    };

    view! {
        <section class="mo-dashboard" aria-labelledby="mo-dash-title">
            <h2 id="mo-dash-title" class="mo-subtitle">{move || i.t(Key::DashTitle)}</h2>
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
        </section>
    }
}

fn agents_names(desk: &crate::services::desk::Desk) -> Vec<(AgentId, String)> {
    desk.settings()
        .agents
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect()
}

fn hours(seconds: Option<f64>) -> String {
    match seconds {
        Some(s) if s < 3600.0 => format!("{:.0} min", s / 60.0),
        Some(s) => format!("{:.1} h", s / 3600.0),
        None => "—".into(),
    }
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{:.0} %", v * 100.0))
}

#[component]
fn Figures(report: KpiReport, agents: Vec<(AgentId, String)>) -> impl IntoView {
    let i = use_i18n();
    let o = report.overall.clone();
    let cards = vec![
        (
            Key::DashCreated,
            format_number(i.lang.get_untracked(), i64::from(o.created)),
        ),
        (
            Key::DashSolved,
            format_number(i.lang.get_untracked(), i64::from(o.solved)),
        ),
        (
            Key::DashFirstResponse,
            format!(
                "{} · p90 {}",
                hours(o.first_response_wall.median_seconds),
                hours(o.first_response_wall.p90_seconds)
            ),
        ),
        (
            Key::DashResolution,
            format!(
                "{} · p90 {}",
                hours(o.resolution_wall.median_seconds),
                hours(o.resolution_wall.p90_seconds)
            ),
        ),
        (
            Key::DashSla,
            format!(
                "{} / {}",
                percent(o.sla_first_response.value),
                percent(o.sla_resolution.value)
            ),
        ),
        (Key::DashReopen, percent(o.reopened.value)),
        (Key::DashFcr, percent(o.first_contact_resolution.value)),
        (
            Key::DashSatisfaction,
            o.satisfaction
                .value
                .map_or_else(|| "—".into(), |v| format!("{v:.1} / 5")),
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
    let volume_bars: Vec<(String, Vec<f64>)> = groups
        .iter()
        .map(|g| {
            let per: Vec<f64> = channels
                .iter()
                .map(|c| f64::from(g.figures.created_by_channel.get(c).copied().unwrap_or(0)))
                .collect();
            (g.key.label(), per)
        })
        .collect();
    let volume_legend: Vec<Key> = channels.iter().map(|c| channel_key(*c)).collect();
    let hours_of = |f: &dyn Fn(&KpiFigures) -> Option<f64>| -> Vec<(String, Option<f64>)> {
        groups
            .iter()
            .map(|g| (g.key.label(), f(&g.figures).map(|s| s / 3600.0)))
            .collect()
    };
    let percent_of = |f: &dyn Fn(&KpiFigures) -> Option<f64>| -> Vec<(String, Option<f64>)> {
        groups
            .iter()
            .map(|g| (g.key.label(), f(&g.figures).map(|v| v * 100.0)))
            .collect()
    };
    let response = hours_of(&|f| f.first_response_wall.median_seconds);
    let response_p90 = hours_of(&|f| f.first_response_wall.p90_seconds);
    let resolution = hours_of(&|f| f.resolution_wall.median_seconds);
    let resolution_p90 = hours_of(&|f| f.resolution_wall.p90_seconds);
    let sla_response = percent_of(&|f| f.sla_first_response.value);
    let sla_resolution = percent_of(&|f| f.sla_resolution.value);
    let reopened = percent_of(&|f| f.reopened.value);
    let fcr = percent_of(&|f| f.first_contact_resolution.value);
    let satisfaction: Vec<(String, Option<f64>)> = groups
        .iter()
        .map(|g| (g.key.label(), g.figures.satisfaction.value))
        .collect();
    let name_of = |a: &Option<AgentId>| match a {
        Some(id) => agents
            .iter()
            .find(|(x, _)| x == id)
            .map_or_else(|| id.0.clone(), |(_, n)| n.clone()),
        None => i.t(Key::ViewUnassigned).to_owned(),
    };
    let open: Vec<(String, Option<f64>)> = report
        .open_by_agent
        .iter()
        .map(|o| (name_of(&o.agent), Some(f64::from(o.open))))
        .collect();
    let b = report.backlog;
    let backlog: Vec<(String, Option<f64>)> = vec![
        ("< 1 d".into(), Some(f64::from(b.under_one_day))),
        ("1–3 d".into(), Some(f64::from(b.one_to_three_days))),
        ("3–7 d".into(), Some(f64::from(b.three_to_seven_days))),
        ("> 7 d".into(), Some(f64::from(b.over_seven_days))),
    ];
    let figures_csv = report.figures_table().to_csv();
    let volume = report.volume_table();
    let single = |what: Key, rows: Vec<(String, Option<f64>)>| {
        let table = table_of(i, what, &rows);
        let bars: Vec<(String, Vec<f64>)> = rows
            .into_iter()
            .map(|(l, v)| (l, vec![v.unwrap_or(0.0)]))
            .collect();
        (bars, table)
    };
    let charts: Vec<(&'static str, Key, Series)> = vec![
        ("response", Key::DashResponseTrend, response),
        ("response-p90", Key::DashResponseP90, response_p90),
        ("resolution", Key::DashResolutionTrend, resolution),
        ("resolution-p90", Key::DashResolutionP90, resolution_p90),
        ("sla-response", Key::DashSlaResponseTrend, sla_response),
        (
            "sla-resolution",
            Key::DashSlaResolutionTrend,
            sla_resolution,
        ),
        ("reopened", Key::DashReopenTrend, reopened),
        ("fcr", Key::DashFcrTrend, fcr),
        ("satisfaction", Key::DashSatisfactionTrend, satisfaction),
        ("open", Key::DashOpenPerAgent, open),
        ("backlog", Key::DashBacklog, backlog),
    ];
    let error = RwSignal::new(None::<String>);
    view! {
        <ul class="mo-cards">
            {cards
                .into_iter()
                .map(|(k, v)| {
                    view! {
                        <li class="mo-card">
                            <span class="mo-card-label">{move || i.t(k)}</span>
                            <strong class="mo-card-value">{v}</strong>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <div class="mo-charts">
            <Chart id="volume" title=Key::DashVolume bars=volume_bars legend=volume_legend table=volume />
            {charts
                .into_iter()
                .map(|(id, title, rows)| {
                    let (bars, table) = single(title, rows);
                    view! { <Chart id=id title=title bars=bars legend=Vec::new() table=table /> }
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
                {move || i.t(Key::DashDownloadFigures)}
            </button>
        </div>
        <p class="mo-error" role="alert">{move || error.get().unwrap_or_default()}</p>
    }
}

fn table_of(i: I18n, what: Key, rows: &[(String, Option<f64>)]) -> Table {
    Table {
        header: vec![String::new(), i.t(what).to_owned()],
        rows: rows
            .iter()
            .map(|(l, v)| vec![l.clone(), v.map_or_else(String::new, |v| format!("{v:.1}"))])
            .collect(),
    }
}

/// A bar chart drawn in SVG, described for screen readers, with its figures as a table under a
/// disclosure and as CSV. Each bar may stack several series (`legend` names them, in order).
#[component]
fn Chart(
    id: &'static str,
    title: Key,
    bars: Vec<(String, Vec<f64>)>,
    legend: Vec<Key>,
    table: Table,
) -> impl IntoView {
    let csv = table.to_csv();
    let i = use_i18n();
    let (w, h, pad) = (320.0_f64, 140.0_f64, 18.0_f64);
    let sums: Vec<f64> = bars.iter().map(|(_, v)| v.iter().sum()).collect();
    let max = sums.iter().copied().fold(0.0_f64, f64::max).max(1.0);
    let n = bars.len().max(1) as f64;
    let step = (w - 2.0 * pad) / n;
    let title_id = format!("mo-chart-{id}-title");
    let desc_id = format!("mo-chart-{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let total: f64 = sums.iter().sum();
    let names: Vec<String> = legend.iter().map(|k| i.t(*k).to_owned()).collect();
    let rects = bars
        .iter()
        .enumerate()
        .flat_map(|(k, (label, values))| {
            let x = pad + k as f64 * step + step * 0.1;
            let mut base = h - pad;
            let names = names.clone();
            values
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0.0 || values.len() == 1)
                .map(move |(s, v)| {
                    let bh = (v / max) * (h - 2.0 * pad);
                    base -= bh;
                    let tip = match names.get(s) {
                        Some(n) => format!("{label} · {n}: {v:.1}"),
                        None => format!("{label}: {v:.1}"),
                    };
                    view! {
                        <rect class=format!("mo-bar mo-bar-{}", s % 6) x=format!("{x:.1}") y=format!("{base:.1}")
                            width=format!("{:.1}", (step * 0.8).max(1.0)) height=format!("{bh:.1}")>
                            <title>{tip}</title>
                        </rect>
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect_view();
    let first = bars.first().map(|(l, _)| l.clone()).unwrap_or_default();
    let last = bars.last().map(|(l, _)| l.clone()).unwrap_or_default();
    let file = format!("mostrador-{id}.csv");
    let error = RwSignal::new(None::<String>);
    view! {
        <figure class="mo-chart">
            <figcaption id=title_id.clone() class="mo-chart-title">{move || i.t(title)}</figcaption>
            <svg
                viewBox=format!("0 0 {w} {h}")
                role="img"
                aria-labelledby=labelled_by
                class="mo-chart-svg"
            >
                <desc id=desc_id>
                    {move || i.tf(Key::DashChartDesc, &[&bars.len().to_string(), &format!("{total:.1}"), &format!("{max:.1}")])}
                </desc>
                <line class="mo-axis" x1=pad y1=h - pad x2=w - pad y2=h - pad />
                {rects}
                {(total == 0.0).then(|| view! {
                    <text class="mo-tick mo-chart-empty" x=w / 2.0 y=h / 2.0 text-anchor="middle">
                        {move || i.t(Key::DashNoData)}
                    </text>
                })}
                <text class="mo-tick" x=pad y=h - 4.0>{first}</text>
                <text class="mo-tick" x=w - pad y=h - 4.0 text-anchor="end">{last}</text>
            </svg>
            {(!names.is_empty()).then(|| view! {
                <ul class="mo-legend" aria-label=move || i.t(Key::DashLegend)>
                    {names.iter().enumerate().map(|(s, n)| view! {
                        <li><span class=format!("mo-swatch mo-bar-{}", s % 6) aria-hidden="true"></span>{n.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            <details class="mo-chart-data">
                <summary>{move || i.t(Key::DashShowTable)}</summary>
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
                    {move || i.t(Key::DashDownloadCsv)}
                </button>
                <p class="mo-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </details>
        </figure>
    }
}
