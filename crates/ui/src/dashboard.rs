//! The KPI dashboard: the core's `kpi::compute` over every ticket, drawn as SVG by the app (no
//! chart service), each chart with its figures as a table and as CSV. All arithmetic is the
//! core's; this module only lays figures out.

use leptos::prelude::*;
use mostrador_core::apply::fold_all;
use mostrador_core::facts::kpi_facts;
use mostrador_core::kpi::{GroupBy, KpiFilters, KpiQuery, KpiReport, Table, compute, wall_clock};
use mostrador_core::model::{AgentId, Channel, TeamId};

use crate::attachments::save_text;
use crate::desk::{UiError, use_desk};
use crate::errors::message;
use crate::i18n::{I18n, Key, channel_key, format_number, use_i18n};
use crate::ids::now;

const PERIODS: [i64; 3] = [7, 30, 90];

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
            let facts: Vec<_> = tickets
                .values()
                .map(|t| kpi_facts(t, &settings, at))
                .collect();
            let calendar = settings.sla.calendars.first().cloned();
            let mut query = KpiQuery::new(at - chrono::Duration::days(days), at);
            query.group_by = Some(GroupBy::Day);
            if let Some(c) = &calendar {
                query.time_zone = c.time_zone;
            }
            query.filters = KpiFilters {
                team: (!team.is_empty()).then_some(TeamId(team)),
                agent: (!agent.is_empty()).then_some(AgentId(agent)),
                channel: Channel::ALL
                    .into_iter()
                    .find(|c| mostrador_core::kpi::channel_name(*c) == channel),
            };
            let business = |a, b| match &calendar {
                Some(c) => c.business_duration(a, b),
                None => wall_clock(a, b),
            };
            compute(&facts, &query, at, &business).map_err(|e| {
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
                None => view! { <crate::app::Loading /> }.into_any(),
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

fn agents_names(desk: &crate::desk::Desk) -> Vec<(AgentId, String)> {
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
    let days: Vec<(String, f64)> = report
        .groups
        .iter()
        .map(|g| (g.key.label(), f64::from(g.figures.created)))
        .collect();
    let response: Vec<(String, f64)> = report
        .groups
        .iter()
        .map(|g| {
            (
                g.key.label(),
                g.figures.first_response_wall.median_seconds.unwrap_or(0.0) / 3600.0,
            )
        })
        .collect();
    let response_p90: Vec<(String, f64)> = report
        .groups
        .iter()
        .map(|g| {
            (
                g.key.label(),
                g.figures.first_response_wall.p90_seconds.unwrap_or(0.0) / 3600.0,
            )
        })
        .collect();
    let resolution: Vec<(String, f64)> = report
        .groups
        .iter()
        .map(|g| {
            (
                g.key.label(),
                g.figures.resolution_wall.median_seconds.unwrap_or(0.0) / 3600.0,
            )
        })
        .collect();
    let name_of = |a: &Option<AgentId>| match a {
        Some(id) => agents
            .iter()
            .find(|(x, _)| x == id)
            .map_or_else(|| id.0.clone(), |(_, n)| n.clone()),
        None => i.t(Key::ViewUnassigned).to_owned(),
    };
    let open: Vec<(String, f64)> = report
        .open_by_agent
        .iter()
        .map(|o| (name_of(&o.agent), f64::from(o.open)))
        .collect();
    let b = report.backlog;
    let backlog: Vec<(String, f64)> = vec![
        ("< 1 d".into(), f64::from(b.under_one_day)),
        ("1–3 d".into(), f64::from(b.one_to_three_days)),
        ("3–7 d".into(), f64::from(b.three_to_seven_days)),
        ("> 7 d".into(), f64::from(b.over_seven_days)),
    ];
    let figures_csv = report.figures_table().to_csv();
    let volume = report.volume_table();
    let open_table = table_of(i, Key::DashOpenPerAgent, &open);
    let backlog_table = table_of(i, Key::DashBacklog, &backlog);
    let response_table = table_of(i, Key::DashResponseTrend, &response);
    let p90_table = table_of(i, Key::DashResponseP90, &response_p90);
    let resolution_table = table_of(i, Key::DashResolutionTrend, &resolution);
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
            <Chart id="volume" title=Key::DashVolume bars=days table=volume />
            <Chart id="response" title=Key::DashResponseTrend bars=response table=response_table />
            <Chart id="response-p90" title=Key::DashResponseP90 bars=response_p90 table=p90_table />
            <Chart id="resolution" title=Key::DashResolutionTrend bars=resolution table=resolution_table />
            <Chart id="open" title=Key::DashOpenPerAgent bars=open table=open_table />
            <Chart id="backlog" title=Key::DashBacklog bars=backlog table=backlog_table />
        </div>
        <div class="mo-actions">
            <button
                type="button"
                class="mo-button mo-button-secondary"
                on:click=move |_| {
                    let _ = save_text(&figures_csv, "text/csv", "mostrador-kpis.csv");
                }
            >
                {move || i.t(Key::DashDownloadFigures)}
            </button>
        </div>
    }
}

fn table_of(i: I18n, what: Key, rows: &[(String, f64)]) -> Table {
    Table {
        header: vec![String::new(), i.t(what).to_owned()],
        rows: rows
            .iter()
            .map(|(l, v)| vec![l.clone(), format!("{v:.1}")])
            .collect(),
    }
}

/// A bar chart drawn in SVG, described for screen readers, with its figures as a table under a
/// disclosure and as CSV.
#[component]
fn Chart(id: &'static str, title: Key, bars: Vec<(String, f64)>, table: Table) -> impl IntoView {
    let csv = table.to_csv();
    let i = use_i18n();
    let (w, h, pad) = (320.0_f64, 140.0_f64, 18.0_f64);
    let max = bars
        .iter()
        .map(|(_, v)| *v)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let n = bars.len().max(1) as f64;
    let step = (w - 2.0 * pad) / n;
    let title_id = format!("mo-chart-{id}-title");
    let desc_id = format!("mo-chart-{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let total: f64 = bars.iter().map(|(_, v)| v).sum();
    let rects = bars
        .iter()
        .enumerate()
        .map(|(k, (label, v))| {
            let bh = (v / max) * (h - 2.0 * pad);
            let x = pad + k as f64 * step + step * 0.1;
            let y = h - pad - bh;
            let tip = format!("{label}: {v:.1}");
            view! {
                <rect class="mo-bar" x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{:.1}", (step * 0.8).max(1.0)) height=format!("{bh:.1}")>
                    <title>{tip}</title>
                </rect>
            }
        })
        .collect_view();
    let first = bars.first().map(|(l, _)| l.clone()).unwrap_or_default();
    let last = bars.last().map(|(l, _)| l.clone()).unwrap_or_default();
    let file = format!("mostrador-{id}.csv");
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
                <text class="mo-tick" x=pad y=h - 4.0>{first}</text>
                <text class="mo-tick" x=w - pad y=h - 4.0 text-anchor="end">{last}</text>
            </svg>
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
                    on:click=move |_| {
                        let _ = save_text(&csv, "text/csv", &file);
                    }
                >
                    {move || i.t(Key::DashDownloadCsv)}
                </button>
            </details>
        </figure>
    }
}
