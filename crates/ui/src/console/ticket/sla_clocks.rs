//! A ticket's SLA clocks (first response, next response, resolution): state, time left or
//! overdue, and due time.

use leptos::prelude::*;
use mostrador_core::facts::sla_report;
use mostrador_core::sla::{Clock, ClockState, SlaMetric};
use mostrador_core::ticket::Ticket;

use crate::i18n::{Key, format_duration, use_i18n};
use crate::services::desk::use_desk;

fn metric_key(m: SlaMetric) -> Key {
    match m {
        SlaMetric::FirstResponse => Key::SlaFirstResponse,
        SlaMetric::NextResponse => Key::SlaNextResponse,
        SlaMetric::Resolution => Key::SlaResolution,
    }
}

fn state_key(s: ClockState) -> (Key, &'static str) {
    match s {
        ClockState::Running => (Key::SlaRunning, "mo-sla-ok"),
        ClockState::Paused => (Key::SlaPaused, "mo-sla-paused"),
        ClockState::AtRisk => (Key::SlaAtRisk, "mo-sla-risk"),
        ClockState::Breached => (Key::SlaBreached, "mo-sla-breached"),
        ClockState::Met { on_time: true } => (Key::SlaMet, "mo-sla-ok"),
        ClockState::Met { on_time: false } => (Key::SlaMetLate, "mo-sla-breached"),
        ClockState::Cancelled => (Key::SlaCancelled, "mo-sla-paused"),
        ClockState::NotApplicable => (Key::SlaNotApplicable, "mo-sla-paused"),
    }
}

/// The ticket's SLA clocks (first response, next response, resolution): state in words and
/// colour, time left or overdue, and the due time.
#[component]
pub fn SlaClocks(
    /// The ticket whose clocks are shown (evaluated now under the saved settings).
    ticket: Ticket,
) -> impl IntoView {
    let i = use_i18n();
    let settings = use_desk().settings();
    let report = sla_report(
        &ticket,
        &settings,
        &mostrador_idb::BrowserZones::new(),
        crate::services::ids::now(),
    );
    let body = match report {
        None => view! { <p class="mo-muted">{i.text(Key::NoSlaPolicy)}</p> }.into_any(),
        Some(r) => {
            let clocks: Vec<Clock> = r.clocks().into_iter().cloned().collect();
            view! {
                <ul class="mo-sla" aria-label=i.text(Key::SlaClocks)>
                    {clocks
                        .into_iter()
                        .map(|c| {
                            let (k, class) = state_key(c.state);
                            let remaining = c.remaining;
                            let due = c.due_at;
                            let counting = c.is_counting();
                            view! {
                                <li class="mo-sla-row">
                                    <span class="mo-sla-name">{i.text(metric_key(c.metric))}</span>
                                    <span class=format!("mo-badge {class}")>{i.text(k)}</span>
                                    <span class="mo-muted">
                                        {move || {
                                            if !counting {
                                                String::new()
                                            } else if remaining < chrono::TimeDelta::zero() {
                                                i.tf(Key::Overdue, &[("duration", &format_duration(remaining))])
                                            } else {
                                                let due = due.map(|d| i.dt(d)).unwrap_or_default();
                                                i.tf(Key::TimeLeft, &[("duration", &format_duration(remaining)), ("due", &due)])
                                            }
                                        }}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <section class="mo-card" aria-labelledby="mo-sla-title">
            <h3 id="mo-sla-title" class="mo-card-title">{i.text(Key::SlaClocks)}</h3>
            {body}
        </section>
    }
}
