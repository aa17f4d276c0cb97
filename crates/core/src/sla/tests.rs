//! Hand-computed fixtures. The office calendar is Madrid, Mon–Fri 09:00–13:00 and 14:00–18:00;
//! all dates are in June 2024 (CEST, UTC+2), Monday 3 June unless said otherwise, so `m(3, 9, 0)`
//! is Monday 09:00 local = 07:00Z.

use crate::zone::TzDatabase;
use chrono::{Duration, NaiveDate, TimeZone, Utc};

use super::*;
use crate::calendar::{Holiday, TimeRange, WeeklyHours};

fn m(day: u32, h: u32, mi: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2024, 6, day, h - 2, mi, 0).unwrap()
}

fn z(h: u32, mi: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2024, 6, 3, h, mi, 0).unwrap()
}

fn mins(n: i64) -> Duration {
    Duration::minutes(n)
}

fn office() -> BusinessCalendar {
    BusinessCalendar::new(
        &TzDatabase,
        "madrid",
        "Oficina Madrid",
        "Europe/Madrid",
        WeeklyHours::weekdays(&[
            TimeRange::new((9, 0), (13, 0)).unwrap(),
            TimeRange::new((14, 0), (18, 0)).unwrap(),
        ]),
    )
    .unwrap()
    .with_holidays([Holiday::yearly(
        NaiveDate::from_ymd_opt(2020, 12, 25).unwrap(),
        "Navidad",
    )])
}

fn policy(id: &str, calendar: &str, targets: (Option<u32>, Option<u32>, Option<u32>)) -> SlaPolicy {
    SlaPolicy {
        id: SlaPolicyId(id.into()),
        name: id.into(),
        conditions: SlaConditions::default(),
        targets: SlaTargets {
            first_response: targets.0,
            next_response: targets.1,
            resolution: targets.2,
        },
        calendar: CalendarId(calendar.into()),
        at_risk_threshold: None,
        on_reopen: ReopenRule::Continue,
        escalations: Vec::new(),
    }
}

fn team(id: &str) -> TeamId {
    TeamId(id.into())
}

fn settings() -> SlaSettings {
    let mut vip = policy("vip-urgent", "24x7", (Some(30), Some(60), Some(240)));
    vip.conditions.priorities = vec![Priority::Urgent];
    vip.conditions.segments = vec!["VIP".into()];
    vip.at_risk_threshold = Some(0.5);
    vip.escalations = vec![
        EscalationRule {
            metrics: vec![SlaMetric::FirstResponse],
            trigger: EscalationTrigger::Breached { after_minutes: 0 },
            actions: vec![
                EscalationAction::RaiseLevel,
                EscalationAction::Notify(NotifyTarget::Assignee),
            ],
        },
        EscalationRule {
            metrics: vec![],
            trigger: EscalationTrigger::Breached { after_minutes: 60 },
            actions: vec![EscalationAction::ReassignToTeam(team("l2"))],
        },
        EscalationRule {
            metrics: vec![SlaMetric::Resolution],
            trigger: EscalationTrigger::AtRisk,
            actions: vec![EscalationAction::Flag],
        },
    ];
    let mut urgent = policy("urgent", "madrid", (Some(60), Some(120), Some(480)));
    urgent.conditions.priorities = vec![Priority::Urgent, Priority::High];
    let mut email = policy("email-questions", "madrid", (Some(240), None, None));
    email.conditions.channels = vec![Channel::Email];
    email.conditions.ticket_types = vec![TicketType::Question];
    let default = policy("default", "madrid", (Some(480), None, Some(2400)));
    SlaSettings {
        policies: vec![vip, urgent, email, default],
        calendars: vec![office(), BusinessCalendar::always_open("24x7", "24×7")],
        default_at_risk_threshold: 0.8,
    }
}

fn ticket(
    priority: Priority,
    created_at: Timestamp,
    signals: &[(Timestamp, SlaSignalKind)],
) -> SlaTicket {
    SlaTicket {
        priority,
        ticket_type: TicketType::Incident,
        channel: Channel::Chat,
        segment: None,
        created_at,
        signals: signals
            .iter()
            .map(|&(at, kind)| SlaSignal::new(at, kind))
            .collect(),
    }
}

use SlaSignalKind::{AgentPublicReply as Reply, CustomerMessage as Customer};

fn status(s: Status) -> SlaSignalKind {
    SlaSignalKind::StatusChanged(s)
}

fn eval(t: &SlaTicket, now: Timestamp) -> SlaReport {
    evaluate(t, &settings(), &TzDatabase, now).expect("a policy matches")
}

// ---------------------------------------------------------------- policy matching

#[test]
fn policies_match_in_order_first_wins() {
    let s = settings();
    let mut t = ticket(Priority::Urgent, m(3, 9, 0), &[]);
    t.segment = Some("  vip ".into());
    assert_eq!(s.matching_policy(&t).unwrap().id.0, "vip-urgent");
    t.segment = None;
    assert_eq!(s.matching_policy(&t).unwrap().id.0, "urgent");
    t.segment = Some("smb".into());
    assert_eq!(s.matching_policy(&t).unwrap().id.0, "urgent");

    let mut low = ticket(Priority::Low, m(3, 9, 0), &[]);
    low.channel = Channel::Email;
    low.ticket_type = TicketType::Question;
    assert_eq!(s.matching_policy(&low).unwrap().id.0, "email-questions");
    low.ticket_type = TicketType::Incident;
    assert_eq!(s.matching_policy(&low).unwrap().id.0, "default");
}

#[test]
fn no_matching_policy_means_no_report() {
    let mut s = settings();
    s.policies.retain(|p| p.id.0 != "default");
    let t = ticket(Priority::Low, m(3, 9, 0), &[]);
    assert_eq!(evaluate(&t, &s, &TzDatabase, m(3, 10, 0)), None);
}

// ---------------------------------------------------------------- first response

#[test]
fn first_response_running() {
    let t = ticket(Priority::High, m(3, 9, 0), &[]);
    let r = eval(&t, m(3, 9, 30));
    assert_eq!(r.policy_id.0, "urgent");
    let c = &r.first_response;
    assert_eq!(c.state, ClockState::Running);
    assert_eq!(c.target, Some(mins(60)));
    assert_eq!(c.elapsed, mins(30));
    assert_eq!(c.remaining, mins(30));
    assert_eq!(c.due_at, Some(m(3, 10, 0)));
    // 80 % of 60 min.
    assert_eq!(c.at_risk_at, Some(m(3, 9, 48)));
    assert_eq!(next_deadline(&r), Some(m(3, 9, 48)));
    assert_eq!(r.health, SlaHealth::Ok);
    // The resolution clock (480 min = one 8h working day) is due at Monday's closing time.
    assert_eq!(r.resolution.due_at, Some(m(3, 18, 0)));
    assert_eq!(r.soonest_due, Some(m(3, 10, 0)));
    assert_eq!(r.next_response.state, ClockState::NotApplicable);
}

#[test]
fn first_response_at_risk() {
    let t = ticket(Priority::High, m(3, 9, 0), &[]);
    let r = eval(&t, m(3, 9, 50));
    assert_eq!(r.first_response.state, ClockState::AtRisk);
    assert_eq!(r.health, SlaHealth::AtRisk);
    assert!(r.is_at_risk());
    assert_eq!(next_deadline(&r), Some(m(3, 10, 0)));
}

#[test]
fn configurable_at_risk_threshold() {
    let mut s = settings();
    s.policies[1].at_risk_threshold = Some(0.25);
    let t = ticket(Priority::High, m(3, 9, 0), &[]);
    let r = evaluate(&t, &s, &TzDatabase, m(3, 9, 20)).unwrap();
    assert_eq!(r.first_response.state, ClockState::AtRisk);
    assert_eq!(r.first_response.at_risk_at, Some(m(3, 9, 15)));
    s.default_at_risk_threshold = 0.5;
    s.policies[1].at_risk_threshold = None;
    let r = evaluate(&t, &s, &TzDatabase, m(3, 9, 20)).unwrap();
    assert_eq!(r.first_response.state, ClockState::Running);
    assert_eq!(r.first_response.at_risk_at, Some(m(3, 9, 30)));
}

#[test]
fn first_response_breached() {
    let t = ticket(Priority::High, m(3, 9, 0), &[]);
    let r = eval(&t, m(3, 10, 15));
    let c = &r.first_response;
    assert_eq!(c.state, ClockState::Breached);
    assert_eq!(c.breached_at, Some(m(3, 10, 0)));
    assert_eq!(c.due_at, Some(m(3, 10, 0)));
    assert_eq!(c.remaining, mins(-15));
    assert_eq!(c.overdue(), mins(15));
    assert!(r.is_breached());
}

#[test]
fn met_late_and_met_exactly_on_time() {
    let late = ticket(Priority::High, m(3, 9, 0), &[(m(3, 10, 10), Reply)]);
    let c = eval(&late, m(3, 11, 0)).first_response;
    assert_eq!(c.state, ClockState::Met { on_time: false });
    assert_eq!(c.breached_at, Some(m(3, 10, 0)));
    assert_eq!(c.elapsed, mins(70));
    assert_eq!(c.remaining, mins(-10));
    assert_eq!(c.stopped_at, Some(m(3, 10, 10)));
    assert_eq!(c.next_change_at, None);

    let exact = ticket(Priority::High, m(3, 9, 0), &[(m(3, 10, 0), Reply)]);
    let c = eval(&exact, m(3, 11, 0)).first_response;
    assert_eq!(c.state, ClockState::Met { on_time: true });
    assert_eq!(c.breached_at, None);
}

#[test]
fn lunch_break_does_not_count() {
    let t = ticket(Priority::High, m(3, 12, 30), &[]);
    let r = eval(&t, m(3, 12, 45));
    assert_eq!(r.first_response.due_at, Some(m(3, 14, 30)));
    let r = eval(&t, m(3, 13, 45));
    assert_eq!(r.first_response.elapsed, mins(30));
    assert_eq!(r.first_response.state, ClockState::Running);
}

#[test]
fn target_running_out_at_closing_time_breaches_after_it() {
    let t = ticket(Priority::High, m(3, 17, 0), &[]);
    let r = eval(&t, m(3, 19, 0));
    let c = &r.first_response;
    assert_eq!(c.state, ClockState::Breached);
    assert_eq!(c.breached_at, Some(m(3, 18, 0)));
    // No business time passes after closing: nothing more is overdue yet.
    assert_eq!(c.remaining, Duration::zero());
}

#[test]
fn weekend_and_holiday_do_not_count() {
    // Created Fri 7 June 17:30: 30 min on Friday, due Monday 09:30.
    let t = ticket(Priority::High, m(7, 17, 30), &[]);
    let r = eval(&t, m(8, 12, 0));
    assert_eq!(r.first_response.due_at, Some(m(10, 9, 30)));
    assert_eq!(r.first_response.elapsed, mins(30));
    assert_eq!(r.first_response.state, ClockState::Running);
}

// ---------------------------------------------------------------- pauses

#[test]
fn answered_pauses_and_customer_reply_resumes() {
    let t = ticket(
        Priority::High,
        m(3, 9, 0),
        &[
            (m(3, 10, 0), Reply),
            (m(3, 10, 0), status(Status::Answered)),
            (m(4, 9, 0), Customer),
            (m(4, 9, 0), status(Status::Open)),
        ],
    );

    // Monday afternoon: waiting on the customer.
    let r = eval(&t, m(3, 15, 0));
    assert_eq!(r.first_response.state, ClockState::Met { on_time: true });
    let res = &r.resolution;
    assert_eq!(res.state, ClockState::Paused);
    assert!(res.paused);
    assert_eq!(res.due_at, None);
    assert_eq!(res.elapsed, mins(60));
    assert_eq!(res.remaining, mins(420));
    assert_eq!(r.next_response.state, ClockState::NotApplicable);
    assert_eq!(next_deadline(&r), None);
    assert_eq!(r.soonest_due, None);

    // Tuesday 10:00: resolution 1h + 1h, next response 1h of 2h.
    let r = eval(&t, m(4, 10, 0));
    let res = &r.resolution;
    assert_eq!(res.state, ClockState::Running);
    assert_eq!(res.elapsed, mins(120));
    assert_eq!(res.due_at, Some(m(4, 17, 0)));
    let next = &r.next_response;
    assert_eq!(next.state, ClockState::Running);
    assert_eq!(next.started_at, Some(m(4, 9, 0)));
    assert_eq!(next.elapsed, mins(60));
    assert_eq!(next.due_at, Some(m(4, 11, 0)));
    assert_eq!(next.at_risk_at, Some(m(4, 10, 36)));
    assert_eq!(r.soonest_due, Some(m(4, 11, 0)));
    assert_eq!(next_deadline(&r), Some(m(4, 10, 36)));
}

#[test]
fn postponed_pauses_first_response() {
    let t = ticket(
        Priority::High,
        m(3, 9, 0),
        &[
            (m(3, 9, 20), status(Status::Postponed)),
            (m(5, 9, 0), status(Status::Open)),
        ],
    );
    let paused = eval(&t, m(4, 12, 0)).first_response;
    assert_eq!(paused.state, ClockState::Paused);
    assert_eq!(paused.remaining, mins(40));
    assert_eq!(paused.due_at, None);

    let c = eval(&t, m(5, 9, 30)).first_response;
    assert_eq!(c.elapsed, mins(50));
    assert_eq!(c.state, ClockState::AtRisk);
    assert_eq!(c.at_risk_at, Some(m(5, 9, 28)));
    assert_eq!(c.due_at, Some(m(5, 9, 40)));
}

#[test]
fn breached_clock_stays_breached_while_paused() {
    let t = ticket(
        Priority::High,
        m(3, 9, 0),
        &[(m(3, 10, 30), status(Status::Postponed))],
    );
    let c = eval(&t, m(3, 12, 0)).first_response;
    assert_eq!(c.state, ClockState::Breached);
    assert!(c.paused);
    assert_eq!(c.remaining, mins(-30));
    assert_eq!(c.next_change_at, None);
}

// ---------------------------------------------------------------- next response

#[test]
fn next_response_cycles() {
    let t = ticket(
        Priority::High,
        m(3, 9, 0),
        &[
            (m(3, 10, 0), Reply),
            (m(3, 10, 0), status(Status::Answered)),
            (m(3, 11, 0), Customer),
            (m(3, 11, 0), status(Status::Open)),
            // A second message in the same wait does not restart the clock.
            (m(3, 11, 30), Customer),
            (m(3, 14, 30), Reply),
            (m(3, 14, 30), status(Status::Answered)),
            (m(3, 15, 0), Customer),
            (m(3, 15, 0), status(Status::Open)),
        ],
    );
    let r = eval(&t, m(3, 15, 30));
    assert_eq!(r.next_response_history.len(), 1);
    let first_wait = &r.next_response_history[0];
    assert_eq!(first_wait.started_at, Some(m(3, 11, 0)));
    assert_eq!(first_wait.elapsed, mins(150));
    assert_eq!(first_wait.breached_at, Some(m(3, 13, 0)));
    assert_eq!(first_wait.state, ClockState::Met { on_time: false });
    assert_eq!(first_wait.stopped_at, Some(m(3, 14, 30)));

    let now_wait = &r.next_response;
    assert_eq!(now_wait.started_at, Some(m(3, 15, 0)));
    assert_eq!(now_wait.elapsed, mins(30));
    assert_eq!(now_wait.state, ClockState::Running);
    assert_eq!(now_wait.due_at, Some(m(3, 17, 0)));

    assert_eq!(r.resolution.elapsed, mins(60 + 120 + 30 + 30));
}

#[test]
fn customer_messages_before_first_reply_do_not_start_next_response() {
    let t = ticket(Priority::High, m(3, 9, 0), &[(m(3, 9, 10), Customer)]);
    assert_eq!(
        eval(&t, m(3, 9, 30)).next_response.state,
        ClockState::NotApplicable
    );
}

// ---------------------------------------------------------------- resolution, reopen, merge

fn reopened(on_reopen: ReopenRule) -> SlaReport {
    let mut s = settings();
    s.policies[1].on_reopen = on_reopen;
    let t = ticket(
        Priority::High,
        m(3, 9, 0),
        &[
            (m(3, 10, 0), Reply),
            (m(3, 12, 0), status(Status::Resolved)),
            (m(4, 9, 0), Customer),
            (m(4, 9, 0), status(Status::Open)),
        ],
    );
    evaluate(&t, &s, &TzDatabase, m(4, 10, 30)).unwrap()
}

#[test]
fn reopen_continues_resolution_by_default() {
    let r = reopened(ReopenRule::Continue);
    let res = &r.resolution;
    assert_eq!(res.started_at, Some(m(3, 9, 0)));
    assert_eq!(res.elapsed, mins(180 + 90));
    assert_eq!(res.state, ClockState::Running);
    assert_eq!(res.due_at, Some(m(4, 15, 0)));
    assert!(r.resolution_history.is_empty());
    // The customer's message reopened the ticket: a next-response wait from the reopen.
    assert_eq!(r.next_response.started_at, Some(m(4, 9, 0)));
    assert_eq!(r.next_response.elapsed, mins(90));
    assert_eq!(r.next_response.due_at, Some(m(4, 11, 0)));
}

#[test]
fn reopen_can_restart_resolution() {
    let r = reopened(ReopenRule::Restart);
    let res = &r.resolution;
    assert_eq!(res.started_at, Some(m(4, 9, 0)));
    assert_eq!(res.elapsed, mins(90));
    assert_eq!(res.due_at, Some(m(4, 18, 0)));
    assert_eq!(r.resolution_history.len(), 1);
    assert_eq!(r.resolution_history[0].elapsed, mins(180));
    assert_eq!(
        r.resolution_history[0].state,
        ClockState::Met { on_time: true }
    );
}

#[test]
fn late_resolution_stays_late_across_reopen() {
    // 480 min budget, spent at Monday's closing; resolved Tue 10:00 after 9h (late), reopened
    // and resolved again.
    let t = ticket(
        Priority::High,
        m(3, 9, 0),
        &[
            (m(3, 9, 30), Reply),
            (m(4, 10, 0), status(Status::Resolved)),
            (m(4, 11, 0), status(Status::Open)),
            (m(4, 11, 30), status(Status::Resolved)),
        ],
    );
    let res = eval(&t, m(4, 12, 0)).resolution;
    assert_eq!(res.state, ClockState::Met { on_time: false });
    assert_eq!(res.breached_at, Some(m(3, 18, 0)));
    assert_eq!(res.elapsed, mins(9 * 60 + 30));
}

#[test]
fn customer_message_while_resolved_without_reopen_starts_nothing() {
    let t = ticket(
        Priority::High,
        m(3, 9, 0),
        &[
            (m(3, 9, 30), Reply),
            (m(3, 10, 0), status(Status::Resolved)),
            (m(3, 10, 5), Customer),
        ],
    );
    let r = eval(&t, m(3, 12, 0));
    assert_eq!(r.next_response.state, ClockState::NotApplicable);
    assert_eq!(r.resolution.state, ClockState::Met { on_time: true });
    assert_eq!(r.health, SlaHealth::Ok);
    assert_eq!(next_deadline(&r), None);
}

#[test]
fn resolving_without_reply_fulfils_first_response() {
    let t = ticket(
        Priority::High,
        m(3, 9, 0),
        &[(m(3, 9, 10), status(Status::Resolved))],
    );
    let r = eval(&t, m(3, 12, 0));
    assert_eq!(r.first_response.state, ClockState::Met { on_time: true });
    assert_eq!(r.first_response.elapsed, mins(10));
}

#[test]
fn merge_cancels_all_clocks() {
    let t = ticket(
        Priority::High,
        m(3, 9, 0),
        &[(m(3, 10, 30), status(Status::Merged))],
    );
    let r = eval(&t, m(3, 17, 0));
    assert_eq!(r.first_response.state, ClockState::Cancelled);
    // The breach before the merge is still on record.
    assert_eq!(r.first_response.breached_at, Some(m(3, 10, 0)));
    assert_eq!(r.resolution.state, ClockState::Cancelled);
    assert_eq!(r.resolution.elapsed, mins(90));
    assert_eq!(r.health, SlaHealth::Ok);
    assert_eq!(next_deadline(&r), None);
    assert_eq!(r.soonest_due, None);
}

#[test]
fn signals_are_sorted_and_future_ones_ignored() {
    let t = ticket(
        Priority::High,
        m(3, 9, 0),
        &[
            (m(3, 11, 0), Reply),
            (m(3, 9, 20), status(Status::Postponed)),
            (m(3, 9, 40), status(Status::Open)),
        ],
    );
    let c = eval(&t, m(3, 10, 0)).first_response;
    assert_eq!(c.elapsed, mins(40));
    assert_eq!(c.state, ClockState::Running);
    let c = eval(&t, m(3, 12, 0)).first_response;
    assert_eq!(c.state, ClockState::Met { on_time: false });
    assert_eq!(c.breached_at, Some(m(3, 10, 20)));
}

#[test]
fn policy_without_target_gives_not_applicable_clocks() {
    let mut t = ticket(Priority::Low, m(3, 9, 0), &[]);
    t.channel = Channel::Email;
    t.ticket_type = TicketType::Question;
    let r = eval(&t, m(3, 10, 0));
    assert_eq!(r.policy_id.0, "email-questions");
    assert_eq!(r.resolution.state, ClockState::NotApplicable);
    assert_eq!(r.resolution.target, None);
    assert_eq!(r.first_response.due_at, Some(m(3, 13, 0)));
}

// ---------------------------------------------------------------- escalation

fn vip_ticket(signals: &[(Timestamp, SlaSignalKind)]) -> SlaTicket {
    let mut t = ticket(Priority::Urgent, z(0, 0), signals);
    t.segment = Some("vip".into());
    t
}

#[test]
fn escalates_once_per_breach_step() {
    let s = settings();
    let vip = s.policy(&SlaPolicyId("vip-urgent".into())).unwrap();
    let t = vip_ticket(&[]);

    let r = evaluate(&t, &s, &TzDatabase, z(0, 10)).unwrap();
    assert_eq!(r.policy_id, vip.id);
    assert!(breach_actions(&r, vip, &[]).is_empty());
    // First response at risk at 50 % of 30 min.
    assert_eq!(next_deadline(&r), Some(z(0, 15)));

    let r = evaluate(&t, &s, &TzDatabase, z(0, 20)).unwrap();
    assert_eq!(r.first_response.state, ClockState::AtRisk);
    assert!(breach_actions(&r, vip, &[]).is_empty());
    assert_eq!(next_deadline(&r), Some(z(0, 30)));

    let r = evaluate(&t, &s, &TzDatabase, z(0, 45)).unwrap();
    let due = breach_actions(&r, vip, &[]);
    assert_eq!(due.len(), 1);
    assert_eq!(
        due[0].key,
        EscalationKey {
            policy: vip.id.clone(),
            metric: SlaMetric::FirstResponse,
            cycle_started_at: z(0, 0),
            trigger: EscalationTrigger::Breached { after_minutes: 0 },
        }
    );
    assert_eq!(
        due[0].actions,
        vec![
            EscalationAction::RaiseLevel,
            EscalationAction::Notify(NotifyTarget::Assignee)
        ]
    );
    // The 60-minute step comes 45 minutes later.
    assert_eq!(next_deadline(&r), Some(z(1, 30)));

    let mut done: Vec<EscalationKey> = due.into_iter().map(|d| d.key).collect();
    assert!(breach_actions(&r, vip, &done).is_empty());
    let r = evaluate(&t, &s, &TzDatabase, z(0, 50)).unwrap();
    assert!(breach_actions(&r, vip, &done).is_empty());

    // 02:10: first response 100 min overdue → the 60-min step; resolution at risk → flag.
    let r = evaluate(&t, &s, &TzDatabase, z(2, 10)).unwrap();
    let due = breach_actions(&r, vip, &done);
    assert_eq!(due.len(), 2);
    assert_eq!(due[0].key.metric, SlaMetric::FirstResponse);
    assert_eq!(
        due[0].actions,
        vec![EscalationAction::ReassignToTeam(team("l2"))]
    );
    assert_eq!(due[1].key.metric, SlaMetric::Resolution);
    assert_eq!(due[1].key.trigger, EscalationTrigger::AtRisk);
    assert_eq!(due[1].actions, vec![EscalationAction::Flag]);
    done.extend(due.into_iter().map(|d| d.key));
    assert!(breach_actions(&r, vip, &done).is_empty());
}

#[test]
fn met_late_clock_does_not_escalate() {
    let s = settings();
    let vip = s.policy(&SlaPolicyId("vip-urgent".into())).unwrap();
    let t = vip_ticket(&[(z(0, 40), Reply), (z(0, 40), status(Status::Answered))]);
    let r = evaluate(&t, &s, &TzDatabase, z(0, 45)).unwrap();
    assert_eq!(r.first_response.state, ClockState::Met { on_time: false });
    assert!(breach_actions(&r, vip, &[]).is_empty());
}

#[test]
fn each_next_response_wait_escalates_separately() {
    let mut s = settings();
    s.policies[0].escalations = vec![EscalationRule {
        metrics: vec![SlaMetric::NextResponse],
        trigger: EscalationTrigger::Breached { after_minutes: 0 },
        actions: vec![EscalationAction::AddTag("sla-next".into())],
    }];
    let vip = s.policies[0].clone();
    let t = vip_ticket(&[
        (z(0, 5), Reply),
        (z(0, 10), Customer),
        (z(1, 30), Reply),
        (z(2, 0), Customer),
    ]);
    let r = evaluate(&t, &s, &TzDatabase, z(1, 20)).unwrap();
    let first_wait = breach_actions(&r, &vip, &[]);
    assert_eq!(first_wait.len(), 1);
    assert_eq!(first_wait[0].key.cycle_started_at, z(0, 10));

    let r = evaluate(&t, &s, &TzDatabase, z(3, 10)).unwrap();
    let keys = [first_wait[0].key.clone()];
    let second_wait = breach_actions(&r, &vip, &keys);
    assert_eq!(second_wait.len(), 1);
    assert_eq!(second_wait[0].key.cycle_started_at, z(2, 0));
}

#[test]
fn breach_actions_ignore_another_policy() {
    let s = settings();
    let t = vip_ticket(&[]);
    let r = evaluate(&t, &s, &TzDatabase, z(3, 0)).unwrap();
    assert!(breach_actions(&r, &s.policies[1], &[]).is_empty());
}

// ---------------------------------------------------------------- settings

#[test]
fn valid_settings_validate() {
    assert_eq!(settings().validate(), Ok(()));
    assert_eq!(SlaSettings::default().validate(), Ok(()));
}

#[test]
fn invalid_settings_report_every_problem() {
    let mut s = settings();
    s.default_at_risk_threshold = 1.5;
    s.calendars
        .push(BusinessCalendar::always_open("24x7", "again"));
    let mut bad = policy("urgent", "nowhere", (Some(0), None, None));
    bad.conditions.priorities = vec![Priority::Low];
    bad.conditions.segments = vec![" ".into()];
    bad.at_risk_threshold = Some(f64::NAN);
    bad.escalations = vec![
        EscalationRule {
            metrics: vec![SlaMetric::Resolution],
            trigger: EscalationTrigger::AtRisk,
            actions: vec![],
        },
        EscalationRule {
            metrics: vec![],
            trigger: EscalationTrigger::AtRisk,
            actions: vec![EscalationAction::AddTag("".into())],
        },
    ];
    s.policies.insert(1, bad);
    s.policies
        .push(policy("after-default", "madrid", (Some(5), None, None)));

    let problems = s.problems();
    let has = |f: &dyn Fn(&SlaSettingsError) -> bool| problems.iter().any(f);
    assert!(has(&|e| matches!(
        e,
        SlaSettingsError::BadThreshold { policy: None, .. }
    )));
    assert!(has(&|e| matches!(
        e,
        SlaSettingsError::BadThreshold {
            policy: Some(_),
            ..
        }
    )));
    assert!(has(
        &|e| matches!(e, SlaSettingsError::DuplicateCalendarId(c) if c.0 == "24x7")
    ));
    assert!(has(
        &|e| matches!(e, SlaSettingsError::DuplicatePolicyId(p) if p.0 == "urgent")
    ));
    assert!(has(
        &|e| matches!(e, SlaSettingsError::UnknownCalendar { calendar, .. } if calendar.0 == "nowhere")
    ));
    assert!(has(&|e| matches!(
        e,
        SlaSettingsError::ZeroTarget {
            metric: SlaMetric::FirstResponse,
            ..
        }
    )));
    assert!(has(&|e| matches!(e, SlaSettingsError::BlankSegment { .. })));
    assert!(has(&|e| matches!(
        e,
        SlaSettingsError::EscalationWithoutActions { rule: 1, .. }
    )));
    assert!(has(&|e| matches!(
        e,
        SlaSettingsError::EscalationWithoutTarget {
            rule: 1,
            metric: SlaMetric::Resolution,
            ..
        }
    )));
    assert!(has(&|e| matches!(
        e,
        SlaSettingsError::BlankEscalationValue { rule: 2, .. }
    )));
    assert!(has(
        &|e| matches!(e, SlaSettingsError::Unreachable { policy, shadowed_by } if policy.0 == "after-default" && shadowed_by.0 == "default")
    ));
    assert_eq!(problems.len(), 11, "{problems:#?}");
    assert!(s.validate().is_err());
    for p in &problems {
        assert!(!p.to_string().is_empty());
    }
}

#[test]
fn invalid_calendar_surfaces_in_settings() {
    let mut s = settings();
    s.calendars[0].hours = WeeklyHours::default();
    assert!(matches!(
        s.validate(),
        Err(SlaSettingsError::Calendar(
            CalendarError::NoOpenHours { .. }
        ))
    ));
    // Evaluating anyway must neither panic nor loop: no business time ever passes.
    let t = ticket(Priority::High, m(3, 9, 0), &[]);
    let r = evaluate(&t, &s, &TzDatabase, m(10, 9, 0)).unwrap();
    assert_eq!(r.first_response.elapsed, Duration::zero());
    assert_eq!(r.first_response.state, ClockState::Running);
}

#[test]
fn bad_settings_degrade_without_panicking() {
    let mut s = settings();
    s.calendars.retain(|c| c.id.0 != "madrid");
    s.default_at_risk_threshold = f64::NAN;
    let t = ticket(Priority::High, m(3, 9, 0), &[]);
    let r = evaluate(&t, &s, &TzDatabase, m(3, 21, 0)).unwrap();
    // Measured around the clock: 12 hours of wall time.
    assert_eq!(r.calendar_id.0, "madrid");
    assert_eq!(r.resolution.elapsed, Duration::hours(12));
    assert_eq!(r.first_response.at_risk_at, Some(m(3, 9, 48)));
}

#[test]
fn settings_and_reports_round_trip_through_json() {
    let json = r#"{
        "policies": [{
            "id": "gold", "name": "Gold",
            "conditions": {"segments": ["gold"]},
            "targets": {"first_response": 60, "resolution": 480},
            "calendar": "madrid",
            "escalations": [{
                "trigger": {"on": "breached", "after_minutes": 30},
                "actions": [{"action": "raise_level"},
                            {"action": "reassign_to_team", "value": "l2"},
                            {"action": "notify", "value": {"to": "team", "id": "leads"}}]
            }]
        }],
        "calendars": [{
            "id": "madrid", "name": "Madrid", "time_zone": "Europe/Madrid",
            "hours": {"monday": [{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}]},
            "holidays": [{"date": "2024-12-25", "yearly": true}]
        }]
    }"#;
    let s: SlaSettings = serde_json::from_str(json).unwrap();
    assert_eq!(s.validate(), Ok(()));
    assert_eq!(s.default_at_risk_threshold, DEFAULT_AT_RISK_THRESHOLD);
    assert_eq!(
        s.policies[0].escalations[0].actions[2],
        EscalationAction::Notify(NotifyTarget::Team(team("leads")))
    );
    let again: SlaSettings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(again, s);

    let mut t = ticket(Priority::Low, m(3, 9, 0), &[(m(3, 9, 5), Reply)]);
    t.segment = Some("Gold".into());
    let r = evaluate(&t, &s, &TzDatabase, m(3, 9, 30)).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["resolution"]["elapsed"], 1800);
    assert_eq!(v["resolution"]["state"]["state"], "running");
    assert_eq!(
        v["first_response"]["state"],
        serde_json::json!({"state": "met", "on_time": true})
    );
    let back: SlaReport = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
}

// ---------------------------------------------------------------- properties

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn kind(i: u8) -> SlaSignalKind {
        match i {
            0 | 1 => Reply,
            2 | 3 => Customer,
            n => status(Status::ALL[usize::from(n - 4) % Status::ALL.len()]),
        }
    }

    fn arb_ticket() -> impl Strategy<Value = SlaTicket> {
        (
            any::<bool>(),
            0u32..(7 * 24 * 60),
            proptest::collection::vec((0i64..(10 * 24 * 60), 0u8..11), 0..12),
        )
            .prop_map(|(vip, start, signals)| {
                let created = m(3, 9, 0) + mins(i64::from(start));
                let signals: Vec<_> = signals
                    .into_iter()
                    .map(|(at, k)| (created + mins(at), kind(k)))
                    .collect();
                let mut t = ticket(Priority::High, created, &signals);
                if vip {
                    t.priority = Priority::Urgent;
                    t.segment = Some("VIP".into());
                }
                t
            })
    }

    fn check_clock(c: &Clock, created: Timestamp, now: Timestamp) -> Result<(), TestCaseError> {
        let Some(target) = c.target else {
            return Ok(());
        };
        if c.state == ClockState::NotApplicable {
            return Ok(());
        }
        prop_assert_eq!(c.elapsed + c.remaining, target);
        prop_assert!(c.elapsed >= Duration::zero() && c.elapsed <= now - created);
        if let Some(b) = c.breached_at {
            prop_assert!(b <= now && b >= created);
        }
        match c.state {
            ClockState::Breached | ClockState::Met { on_time: false } => {
                prop_assert!(c.breached_at.is_some())
            }
            ClockState::Running | ClockState::AtRisk | ClockState::Paused => {
                prop_assert!(c.breached_at.is_none())
            }
            _ => {}
        }
        if c.state == ClockState::Paused {
            prop_assert!(c.due_at.is_none());
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn clocks_are_consistent_and_due_times_predict_breaches(
            t in arb_ticket(),
            now_after in 0i64..(12 * 24 * 60),
            later in 1i64..(3 * 24 * 60),
        ) {
            let s = settings();
            let now = t.created_at + mins(now_after);
            let r = evaluate(&t, &s, &TzDatabase, now).unwrap();
            for c in r.clocks().into_iter().chain(&r.next_response_history).chain(&r.resolution_history) {
                check_clock(c, t.created_at, now)?;
            }

            // With no signal between now and later, a running clock breaches exactly at its
            // due time, elapsed never decreases, and a paused clock stays frozen.
            let quiet = t.signals.iter().all(|sig| sig.at <= now);
            let later = now + mins(later);
            let r2 = evaluate(&t, &s, &TzDatabase, later).unwrap();
            for metric in [SlaMetric::FirstResponse, SlaMetric::Resolution] {
                let (a, b) = (r.clock(metric), r2.clock(metric));
                if quiet {
                    prop_assert!(b.elapsed >= a.elapsed);
                    if a.state == ClockState::Paused {
                        prop_assert_eq!(b.elapsed, a.elapsed);
                    }
                    if let (ClockState::Running | ClockState::AtRisk, Some(due)) = (a.state, a.due_at) {
                        prop_assert_eq!(b.state == ClockState::Breached, due < later);
                        if due < later {
                            prop_assert_eq!(b.breached_at, Some(due));
                        }
                    }
                }
            }
            if let Some(deadline) = next_deadline(&r) {
                prop_assert!(deadline >= now);
            }
        }
    }
}
