//! The system's own moves: what must happen to a ticket just because time passed. Callers (the
//! agent console's timer, the sync server) run [`due_commands`] and decide each command as
//! [`Actor::System`](crate::model::Actor::System).
//!
//! - a postponed ticket whose date passed wakes up (back to Open);
//! - a resolved ticket quiet for the close-after period closes;
//! - an SLA escalation that came due runs its actions (raise level, reassign, tag, flag).
//!
//! Escalations are recorded on the ticket itself, as a tag naming the metric, the trigger and the
//! clock cycle, so every device and the server see the same record and none escalates twice.

use crate::command::Command;
use crate::config::Settings;
use crate::decide::{auto_close_due, postponed_due};
use crate::facts::sla_report;
use crate::model::Timestamp;
use crate::sla::{
    self, EscalationAction, EscalationKey, EscalationTrigger, SlaMetric, breach_actions,
};
use crate::ticket::Ticket;

/// Tag put on tickets an SLA escalation flagged, for list views.
pub const FLAG_TAG: &str = "sla-escalated";

/// The tag recording that the escalation `key` was carried out.
pub fn escalation_tag(key: &EscalationKey) -> String {
    let metric = match key.metric {
        SlaMetric::FirstResponse => "first",
        SlaMetric::NextResponse => "next",
        SlaMetric::Resolution => "resolution",
    };
    let trigger = match key.trigger {
        EscalationTrigger::AtRisk => "risk".to_string(),
        EscalationTrigger::Breached { after_minutes } => format!("breach{after_minutes}"),
    };
    format!(
        "sla:{metric}:{trigger}:{}",
        key.cycle_started_at.timestamp()
    )
}

/// Commands the system should decide on `t` at `now`, in order.
pub fn due_commands(t: &Ticket, settings: &Settings, now: Timestamp) -> Vec<Command> {
    let mut out = Vec::new();
    if postponed_due(t, now) {
        out.push(Command::Wake);
    }
    if auto_close_due(t, &settings.domain, now) {
        out.push(Command::AutoClose);
        return out;
    }
    if !t.status.is_active() {
        return out;
    }
    let Some(report) = sla_report(t, settings, now) else {
        return out;
    };
    let Some(policy) = settings.sla.policy(&report.policy_id) else {
        return out;
    };
    // Keys already carried out, recovered from the tags they left.
    let done: Vec<EscalationKey> = candidate_keys(&report, policy)
        .into_iter()
        .filter(|k| t.tags.contains(&escalation_tag(k)))
        .collect();
    let mut level = t.level;
    for due in breach_actions(&report, policy, &done) {
        let mut tags = vec![escalation_tag(&due.key)];
        for action in due.actions {
            match action {
                EscalationAction::RaiseLevel => {
                    if let Some(next) = level.next() {
                        level = next;
                        out.push(Command::Escalate {
                            to: next,
                            reason: format!("SLA escalation ({})", escalation_tag(&due.key)),
                        });
                    }
                }
                EscalationAction::ReassignToAgent(agent) => {
                    out.push(Command::Assign {
                        agent: Some(agent),
                        team: t.team.clone(),
                    });
                }
                EscalationAction::ReassignToTeam(team) => {
                    out.push(Command::Assign {
                        agent: None,
                        team: Some(team),
                    });
                }
                EscalationAction::AddTag(tag) => tags.push(tag),
                EscalationAction::Flag => tags.push(FLAG_TAG.into()),
                // Notifications are delivered by whoever runs the automation; the tag records it.
                EscalationAction::Notify(_) => {}
            }
        }
        out.push(Command::Tag {
            add: tags,
            remove: vec![],
        });
    }
    out
}

/// Every escalation key the report could produce now, to test against the ticket's tags.
fn candidate_keys(report: &sla::SlaReport, policy: &sla::SlaPolicy) -> Vec<EscalationKey> {
    breach_actions(report, policy, &[])
        .into_iter()
        .map(|d| d.key)
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::apply::fold;
    use crate::command::NewTicket;
    use crate::ctx::Ctx;
    use crate::decide::decide;
    use crate::event::Event;
    use crate::model::{Actor, Channel, CustomerId, Level, Requester, Status};
    use crate::sla::{EscalationRule, SlaConditions, SlaPolicy, SlaPolicyId, SlaTargets};

    fn at(min: i64) -> Timestamp {
        DateTime::from_timestamp(1_767_225_600 + min * 60, 0).unwrap()
    }

    fn settings() -> Settings {
        let mut s = Settings::default();
        s.sla.policies.push(SlaPolicy {
            id: SlaPolicyId("std".into()),
            name: "Standard".into(),
            conditions: SlaConditions::default(),
            targets: SlaTargets {
                first_response: Some(60),
                next_response: None,
                resolution: None,
            },
            calendar: s.sla.calendars[0].id.clone(),
            at_risk_threshold: None,
            on_reopen: Default::default(),
            escalations: vec![EscalationRule {
                metrics: vec![],
                trigger: EscalationTrigger::Breached { after_minutes: 0 },
                actions: vec![EscalationAction::RaiseLevel, EscalationAction::Flag],
            }],
        });
        s
    }

    fn opened(ctx: &mut Ctx, s: &Settings) -> Vec<Event> {
        let requester = Requester {
            customer_id: Some(CustomerId("c".into())),
            name: "Ana".into(),
            ..Requester::default()
        };
        let form = NewTicket::new("Caído", "No funciona", requester, Channel::WebForm);
        let actor = Actor::Customer(CustomerId("c".into()));
        decide(None, &Command::Open(Box::new(form)), &actor, &s.domain, ctx).unwrap()
    }

    /// Runs the automation like a timer would, deciding each command as the system.
    fn tick(log: &mut Vec<Event>, s: &Settings, ctx: &mut Ctx, now: Timestamp) -> usize {
        ctx.now = now;
        let t = fold(log.iter()).unwrap();
        let commands = due_commands(&t, s, now);
        let mut state = t;
        for c in &commands {
            let events = decide(Some(&state), c, &Actor::System, &s.domain, ctx).unwrap();
            for e in &events {
                state = crate::apply::apply(Some(state), e);
            }
            log.extend(events);
        }
        commands.len()
    }

    #[test]
    fn a_breach_escalates_once_even_when_the_timer_runs_again() {
        let s = settings();
        let mut ctx = Ctx::seeded("dev", 1, at(0));
        let mut log = opened(&mut ctx, &s);
        assert_eq!(tick(&mut log, &s, &mut ctx, at(30)), 0, "not due yet");
        assert!(tick(&mut log, &s, &mut ctx, at(61)) > 0);
        let t = fold(log.iter()).unwrap();
        assert_eq!(t.level, Level::L2);
        assert!(t.tags.contains(FLAG_TAG));
        assert_eq!(tick(&mut log, &s, &mut ctx, at(90)), 0, "already escalated");
        assert_eq!(fold(log.iter()).unwrap().level, Level::L2);
    }

    #[test]
    fn postponed_tickets_wake_when_their_date_passes() {
        let s = Settings::default();
        let mut ctx = Ctx::seeded("dev", 2, at(0));
        let mut log = opened(&mut ctx, &s);
        let t = fold(log.iter()).unwrap();
        ctx.now = at(1);
        let agent = Actor::Agent(crate::model::AgentId("ana".into()));
        log.extend(
            decide(
                Some(&t),
                &Command::Postpone { until: at(120) },
                &agent,
                &s.domain,
                &mut ctx,
            )
            .unwrap(),
        );
        assert_eq!(fold(log.iter()).unwrap().status, Status::Postponed);
        assert_eq!(tick(&mut log, &s, &mut ctx, at(119)), 0);
        assert_eq!(tick(&mut log, &s, &mut ctx, at(121)), 1);
        assert_eq!(fold(log.iter()).unwrap().status, Status::Open);
    }
}
