//! Adapters from a ticket's folded state to the inputs of the SLA, KPI and assignment engines.
//!
//! The engines take plain inputs so each can be tested on its own; these functions are the one
//! place that decides how a ticket's history maps onto them.

use std::collections::BTreeMap;

use crate::assignment::AssignmentInput;
use crate::config::Settings;
use crate::kpi::{Handling, Rating as KpiRating, TicketFacts};
use crate::model::{Actor, FieldValue, Status, Timestamp, Visibility};
use crate::sla::{self, ClockState, SlaReport, SlaSignal, SlaSignalKind, SlaTicket};
use crate::ticket::Ticket;
use crate::zone::TimeZones;

/// Custom field holding the customer segment that SLA policies match on ("vip", "enterprise").
pub const SEGMENT_FIELD: &str = "segment";

/// The customer segment of a ticket, from its `segment` custom field.
pub fn segment(t: &Ticket) -> Option<String> {
    match t.custom_fields.get(SEGMENT_FIELD)? {
        FieldValue::Text(s) | FieldValue::Choice(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// What the SLA engine needs to know about a ticket: public replies, customer messages and
/// status changes, in time order. Internal notes never move an SLA clock.
pub fn sla_ticket(t: &Ticket) -> SlaTicket {
    let mut signals = Vec::new();
    for m in t
        .thread
        .iter()
        .filter(|m| m.visibility == Visibility::Public)
    {
        let kind = match m.author {
            Actor::Agent(_) => SlaSignalKind::AgentPublicReply,
            Actor::Customer(_) => SlaSignalKind::CustomerMessage,
            Actor::System => continue,
        };
        signals.push(SlaSignal { at: m.at, kind });
    }
    for e in &t.status_history {
        signals.push(SlaSignal {
            at: e.at,
            kind: SlaSignalKind::StatusChanged(e.status),
        });
    }
    signals.sort_by_key(|s| s.at);
    SlaTicket {
        priority: t.priority,
        ticket_type: t.ticket_type,
        channel: t.channel,
        segment: segment(t),
        created_at: t.created_at,
        signals,
    }
}

/// The ticket's SLA report under `settings` at `now`, if a policy applies.
pub fn sla_report(
    t: &Ticket,
    settings: &Settings,
    zones: &dyn TimeZones,
    now: Timestamp,
) -> Option<SlaReport> {
    sla::evaluate(&sla_ticket(t), &settings.sla, zones, now)
}

/// What the routing engine needs to know about a ticket.
pub fn assignment_input(t: &Ticket, manually_assigned: bool) -> AssignmentInput {
    AssignmentInput {
        ticket_type: t.ticket_type,
        category: t.category.clone(),
        language: t.requester.locale.clone(),
        plan: t.requester.context.as_ref().and_then(|c| c.plan.clone()),
        priority: t.priority,
        channel: t.channel,
        tags: t.tags.iter().cloned().collect(),
        level: t.level,
        current_assignee: t.assignee.clone(),
        current_team: t.team.clone(),
        manually_assigned,
    }
}

/// One ticket's contribution to the KPIs, measured at `now`.
pub fn kpi_facts(
    t: &Ticket,
    settings: &Settings,
    zones: &dyn TimeZones,
    now: Timestamp,
) -> TicketFacts {
    let resolutions: Vec<Timestamp> = t
        .status_history
        .iter()
        .filter(|e| e.status == Status::Resolved)
        .map(|e| e.at)
        .collect();
    let first_resolution = resolutions.first().copied();
    let agent_replies_before = t
        .thread
        .iter()
        .filter(|m| m.visibility == Visibility::Public && matches!(m.author, Actor::Agent(_)))
        .filter(|m| first_resolution.is_none_or(|r| m.at <= r))
        .count();
    let customer_contacts = t
        .thread
        .iter()
        .filter(|m| matches!(m.author, Actor::Customer(_)))
        .count()
        + 1;
    // Without time tracking, handling time is counted in agent actions (replies and notes).
    let mut handling: BTreeMap<_, u32> = BTreeMap::new();
    for m in &t.thread {
        if let Actor::Agent(a) = &m.author {
            *handling.entry(a.clone()).or_default() += 1;
        }
    }
    let report = sla_report(t, settings, zones, now);
    let met = |state: Option<ClockState>| match state {
        Some(ClockState::Met { on_time }) => Some(on_time),
        Some(ClockState::Breached) => Some(false),
        _ => None,
    };
    TicketFacts {
        code: t.code.to_string(),
        created_at: t.created_at,
        channel: t.channel,
        ticket_type: t.ticket_type,
        priority: t.priority,
        team: t.team.clone(),
        agent: t.assignee.clone(),
        first_response_at: t.first_agent_reply_at(),
        resolved_at: t.resolved_at(),
        resolutions,
        reopen_count: u32::try_from(t.reopen_count()).unwrap_or(u32::MAX),
        agent_public_replies_before_first_resolution: u32::try_from(agent_replies_before)
            .unwrap_or(u32::MAX),
        customer_contacts: u32::try_from(customer_contacts).unwrap_or(u32::MAX),
        rating: match (&t.satisfaction, t.satisfaction_at) {
            (Some(r), Some(at)) => Some(KpiRating { score: r.score, at }),
            _ => None,
        },
        resolved_with_article: t.tags.contains(KB_RESOLVED_TAG),
        handling_time_by_agent: handling
            .into_iter()
            .map(|(a, n)| (a, Handling::Actions(n)))
            .collect(),
        sla_first_response_met: met(report.as_ref().map(|r| r.first_response.state)),
        sla_resolution_met: met(report.as_ref().map(|r| r.resolution.state)),
        status: t.status,
        closed: t.status == Status::Closed,
    }
}

/// Tag an agent (or the portal) sets when a knowledge-base article solved the ticket.
pub const KB_RESOLVED_TAG: &str = "kb-article";
