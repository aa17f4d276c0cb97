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
//!
//! Routing is the system's other move: [`route`] places a new ticket nobody holds with the
//! assignment rules, wherever the ticket was opened (this device, another one through sync, an
//! import). The caller keeps the round-robin cursor between calls ([`AgentLoad`]).
//!
//! [`may_be_due`] is a cheap first look at a list row, so a runner loads only the tickets where
//! something could be due.

use crate::assignment::{AgentLoad, AssignmentDecision, Availability, assign};
use crate::command::Command;
use crate::config::Settings;
use crate::decide::{auto_close_due, postponed_due};
use crate::facts::{assignment_input, sla_report};
use crate::model::{Status, Timestamp};
use crate::sla::{
    self, EscalationAction, EscalationKey, EscalationTrigger, SlaMetric, breach_actions,
};
use crate::store::{AssigneeFilter, TicketSummary, ViewFilter};
use crate::ticket::Ticket;
use crate::zone::TimeZones;

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
pub fn due_commands(
    t: &Ticket,
    settings: &Settings,
    zones: &dyn TimeZones,
    now: Timestamp,
) -> Vec<Command> {
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
    let Some(report) = sla_report(t, settings, zones, now) else {
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

/// Whether routing should still place `t`: a new ticket that neither an agent nor a team queue
/// holds. A ticket routing could not place stays a candidate, so it is placed once an agent is
/// available again; a ticket an agent has touched is never re-routed.
pub fn needs_routing(t: &Ticket) -> bool {
    t.status == Status::New && t.assignee.is_none() && t.team.is_none()
}

/// Routes `t` with the assignment rules when it [`needs_routing`]: the command to decide as the
/// system, and the decision (its round-robin cursor is for the caller to keep, see
/// [`AgentLoad::record`]). `None` when the ticket needs no routing or the rules place it nowhere.
pub fn route(
    t: &Ticket,
    settings: &Settings,
    load: &AgentLoad,
) -> Option<(Command, AssignmentDecision)> {
    if !needs_routing(t) {
        return None;
    }
    let decision = assign(
        &assignment_input(t, false),
        &settings.assignment,
        &settings.agents,
        load,
    );
    if decision.agent.is_none() && decision.team.is_none() {
        return None;
    }
    let command = Command::Assign {
        agent: decision.agent.clone(),
        team: decision.team.clone(),
    };
    Some((command, decision))
}

/// The statuses a runner lists to find work: every status [`may_be_due`] can say yes to.
pub const RUNNABLE: [Status; 5] = [
    Status::New,
    Status::Open,
    Status::Answered,
    Status::Postponed,
    Status::Resolved,
];

/// Views that together list every row [`may_be_due`] says yes to, each read through an index
/// (the Postponed and Resolved rows, rows whose SLA is at risk, new rows nobody holds), so a
/// runner reads its candidates, not every active ticket. A row may be in more than one. Without
/// `routing` (see [`routing_possible`]) the new rows nobody holds are left out: the others list
/// every row [`may_have_due_commands`] says yes to.
pub fn candidate_views(routing: bool) -> Vec<ViewFilter> {
    let mut views = vec![
        ViewFilter {
            statuses: vec![Status::Postponed, Status::Resolved],
            ..ViewFilter::default()
        },
        ViewFilter {
            sla_at_risk: true,
            ..ViewFilter::default()
        },
    ];
    if routing {
        views.push(ViewFilter {
            statuses: vec![Status::New],
            assignee: AssigneeFilter::Unassigned,
            ..ViewFilter::default()
        });
    }
    views
}

/// A cheap first look at a list row: `false` when neither [`due_commands`] nor [`route`] can have
/// anything for the ticket at `now`, so the runner need not load it. `true` means "look closer".
pub fn may_be_due(row: &TicketSummary, now: Timestamp) -> bool {
    unrouted(row) || may_have_due_commands(row, now)
}

/// [`may_be_due`] leaving routing out: `false` when [`due_commands`] cannot have anything for
/// the ticket at `now`. A runner uses it alone when [`routing_possible`] says no ticket can be
/// placed.
pub fn may_have_due_commands(row: &TicketSummary, now: Timestamp) -> bool {
    match row.status {
        // The date, the close-after period and the resolution time are not on the row.
        Status::Postponed | Status::Resolved => true,
        Status::Closed | Status::Merged => false,
        Status::New | Status::Open | Status::Answered => {
            let clock_due = [row.sla_at_risk_at, row.sla_due]
                .into_iter()
                .flatten()
                .any(|at| at <= now);
            clock_due || row.sla_breached_at.is_some()
        }
    }
}

/// A row [`needs_routing`] would say yes to.
fn unrouted(row: &TicketSummary) -> bool {
    row.status == Status::New && row.assignee.is_none() && row.team.is_none()
}

/// Whether [`route`] can place any ticket at all with `load`: a rule or the fallback names a
/// team, or an available agent has room. When it cannot, a runner need not load the tickets
/// whose only reason to be looked at is that nobody holds them (thousands of them, after an
/// import, while every agent is full).
pub fn routing_possible(settings: &Settings, load: &AgentLoad) -> bool {
    settings.assignment.fallback_team.is_some()
        || settings
            .assignment
            .rules
            .iter()
            .any(|r| r.target_team.is_some())
        || settings
            .agents
            .iter()
            .any(|a| a.availability == Availability::Available && load.open(&a.id) < a.capacity)
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
        let commands = due_commands(&t, s, &crate::zone::UtcOnly, now);
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
    fn routing_places_a_new_unheld_ticket_once_and_rotates_round_robin() {
        use crate::assignment::{Agent, Strategy};
        let mut s = Settings::default();
        s.assignment.default_strategy = Strategy::RoundRobin;
        s.agents = ["ana", "bea"]
            .iter()
            .map(|id| Agent {
                id: crate::model::AgentId((*id).into()),
                name: (*id).into(),
                email: format!("{id}@example.com"),
                skills: vec![],
                languages: vec![],
                levels: vec![],
                teams: vec![],
                capacity: 10,
                availability: Default::default(),
                role: Default::default(),
            })
            .collect();
        let mut ctx = Ctx::seeded("dev", 3, at(0));
        let mut load = AgentLoad::default();
        let mut picked = Vec::new();
        for _ in 0..3 {
            let mut log = opened(&mut ctx, &s);
            let t = fold(log.iter()).unwrap();
            assert!(needs_routing(&t));
            let (command, decision) = route(&t, &s, &load).expect("routed");
            load.record(&decision);
            log.extend(decide(Some(&t), &command, &Actor::System, &s.domain, &mut ctx).unwrap());
            let t = fold(log.iter()).unwrap();
            assert!(!needs_routing(&t), "an assigned ticket is not routed again");
            assert!(route(&t, &s, &load).is_none());
            picked.push(t.assignee.unwrap().0);
        }
        assert_eq!(picked, ["ana", "bea", "ana"], "the cursor rotates");

        // Nobody with room and no team to fall back on: routing can place nothing, and says so
        // beforehand.
        let t = fold(opened(&mut ctx, &s).iter()).unwrap();
        assert!(routing_possible(&s, &load));
        let mut full = s.clone();
        full.agents[0].capacity = 0;
        full.agents[1].availability = crate::assignment::Availability::Away;
        assert!(!routing_possible(&full, &load));
        assert!(route(&t, &full, &load).is_none());
        full.agents[1].availability = Default::default();
        assert!(routing_possible(&full, &load), "bea is back");
        assert!(route(&t, &full, &load).is_some());
        full.agents[1].capacity = 0;
        full.assignment.fallback_team = Some(crate::model::TeamId("soporte".into()));
        assert!(routing_possible(&full, &load), "the fallback team takes it");
        assert!(route(&t, &full, &load).is_some());
    }

    #[test]
    fn the_first_look_skips_rows_with_nothing_due() {
        let s = settings();
        let mut ctx = Ctx::seeded("dev", 4, at(0));
        let log = opened(&mut ctx, &s);
        let t = fold(log.iter()).unwrap();
        let row = TicketSummary::of(&t, &s, &crate::zone::UtcOnly, at(0));
        assert!(
            may_be_due(&row, at(0)),
            "a new ticket nobody holds may be routed"
        );
        let mut held = row.clone();
        held.assignee = Some(crate::model::AgentId("ana".into()));
        assert!(
            !may_be_due(&held, at(30)),
            "held, clock not at risk: nothing to do"
        );
        assert!(
            may_be_due(&held, at(61)),
            "the first-response clock came due"
        );
        for status in [Status::Postponed, Status::Resolved] {
            held.status = status;
            assert!(may_be_due(&held, at(0)));
        }
        for status in [Status::Closed, Status::Merged] {
            held.status = status;
            assert!(!may_be_due(&held, at(1_000)));
        }
        assert!(
            RUNNABLE
                .iter()
                .all(|st| !matches!(st, Status::Closed | Status::Merged))
        );
    }

    #[test]
    fn the_candidate_views_list_every_row_the_first_look_keeps() {
        let s = settings();
        let mut ctx = Ctx::seeded("dev", 5, at(0));
        let t = fold(opened(&mut ctx, &s).iter()).unwrap();
        let base = TicketSummary::of(&t, &s, &crate::zone::UtcOnly, at(0));
        assert!(base.sla_due.is_some(), "the fixture runs a clock");
        let agent = Some(crate::model::AgentId("ana".into()));
        let team = Some(crate::model::TeamId("soporte".into()));
        let mut kept = 0;
        for status in Status::ALL {
            for (assignee, team) in [(None, None), (agent.clone(), None), (None, team.clone())] {
                for breached in [None, Some(at(2))] {
                    for now in [at(0), at(30), at(61), at(100_000)] {
                        let row = TicketSummary {
                            status,
                            assignee: assignee.clone(),
                            team: team.clone(),
                            sla_breached_at: breached,
                            ..base.clone()
                        };
                        let listed = |routing| {
                            candidate_views(routing)
                                .iter()
                                .any(|v| v.matches(&row, now))
                        };
                        let what = format!("{status:?} {assignee:?} {team:?} {breached:?} {now:?}");
                        if may_be_due(&row, now) {
                            kept += 1;
                            assert!(listed(true), "{what}");
                        }
                        if may_have_due_commands(&row, now) {
                            assert!(listed(false), "without routing: {what}");
                        }
                    }
                }
            }
        }
        assert!(kept > 20, "the grid reaches the interesting rows ({kept})");
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
