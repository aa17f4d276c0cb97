//! Service-level agreements: which promise applies to a ticket, how much business time each
//! promise has used, when it falls due, and what to do when it is broken.
//!
//! Everything here is a pure function of its inputs: settings, a [`SlaTicket`] (a summary of the
//! ticket's history, built from its events elsewhere) and `now`. Nothing is stored; a UI or server
//! calls [`evaluate`] again when [`next_deadline`] passes or the ticket changes.
//!
//! ## Metrics
//!
//! - **First response**: from creation to the first public reply by an agent.
//! - **Next response**: from the first customer message that follows an agent reply to the next
//!   agent reply. Later customer messages in the same wait do not restart it (the customer has
//!   been waiting since the oldest unanswered message). Each wait is one cycle; earlier cycles
//!   are kept in [`SlaReport::next_response_history`].
//! - **Resolution**: from creation to Resolved or Closed. On reopen the policy chooses (see
//!   [`ReopenRule`]): by default the clock *continues* from the business time already used, as
//!   Zendesk does, so reopening cannot hand out a fresh budget and a late resolution stays late;
//!   `Restart` starts a new cycle from the reopen instead.
//!
//! ## Pauses and stops
//!
//! - Clocks only run while the ticket is New or Open (the agents' move). While it is Answered
//!   (waiting on the customer) or Postponed they are paused: elapsed and remaining time freeze
//!   and the due time is not meaningful (`None`).
//! - Only open hours of the policy's [`BusinessCalendar`] count.
//! - Resolved or Closed fulfils every running clock, replied or not (as in Zendesk: solving the
//!   ticket answers it). A customer message while Resolved does not start a next-response wait
//!   unless the ticket is reopened, and then the wait starts at the reopen.
//! - Merged cancels every running clock: the work continues on the other ticket.
//! - Status only changes through [`SlaSignalKind::StatusChanged`]; replies do not imply a status,
//!   so the adapter from events must emit the automatic transitions too.
//!
//! ## Breach
//!
//! A clock is breached at the first instant it is running with its whole budget spent. A reply
//! exactly at the due time is on time; a target that runs out at closing time is breached as soon
//! as the clock keeps running past it, even though no more business time passes overnight (the
//! remaining time then reads zero, not negative).

use std::collections::HashSet;
use std::fmt;

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::calendar::{BusinessCalendar, CalendarError, CalendarId};
use crate::model::{AgentId, Channel, Priority, Status, TeamId, TicketType, Timestamp};
use crate::zone::TimeZones;

/// The at-risk threshold used when neither the policy nor the settings give a valid one.
pub const DEFAULT_AT_RISK_THRESHOLD: f64 = 0.8;

/// Identifies an SLA policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SlaPolicyId(pub String);

impl fmt::Display for SlaPolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One of the promises an SLA policy can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaMetric {
    FirstResponse,
    NextResponse,
    Resolution,
}

impl SlaMetric {
    pub const ALL: [SlaMetric; 3] = [
        SlaMetric::FirstResponse,
        SlaMetric::NextResponse,
        SlaMetric::Resolution,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SlaMetric::FirstResponse => "first_response",
            SlaMetric::NextResponse => "next_response",
            SlaMetric::Resolution => "resolution",
        }
    }
}

impl fmt::Display for SlaMetric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which tickets a policy applies to. A ticket matches when it matches every non-empty list
/// (any value of the list will do); an empty list matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaConditions {
    #[serde(default)]
    pub priorities: Vec<Priority>,
    #[serde(default)]
    pub ticket_types: Vec<TicketType>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Customer segments ("enterprise", "vip"…), compared ignoring case and surrounding spaces.
    /// A ticket without a segment only matches when this list is empty.
    #[serde(default)]
    pub segments: Vec<String>,
}

impl SlaConditions {
    pub fn matches(&self, ticket: &SlaTicket) -> bool {
        let any = |list_empty: bool, hit: bool| list_empty || hit;
        any(
            self.priorities.is_empty(),
            self.priorities.contains(&ticket.priority),
        ) && any(
            self.ticket_types.is_empty(),
            self.ticket_types.contains(&ticket.ticket_type),
        ) && any(
            self.channels.is_empty(),
            self.channels.contains(&ticket.channel),
        ) && any(
            self.segments.is_empty(),
            ticket.segment.as_deref().is_some_and(|seg| {
                let seg = normalize_segment(seg);
                self.segments.iter().any(|s| normalize_segment(s) == seg)
            }),
        )
    }

    /// Whether these conditions match every ticket.
    pub fn is_catch_all(&self) -> bool {
        self.priorities.is_empty()
            && self.ticket_types.is_empty()
            && self.channels.is_empty()
            && self.segments.is_empty()
    }
}

fn normalize_segment(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Targets in minutes of business time; `None` means the policy makes no promise for that metric.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaTargets {
    #[serde(default)]
    pub first_response: Option<u32>,
    #[serde(default)]
    pub next_response: Option<u32>,
    #[serde(default)]
    pub resolution: Option<u32>,
}

impl SlaTargets {
    pub fn minutes(&self, metric: SlaMetric) -> Option<u32> {
        match metric {
            SlaMetric::FirstResponse => self.first_response,
            SlaMetric::NextResponse => self.next_response,
            SlaMetric::Resolution => self.resolution,
        }
    }
}

/// What the resolution clock does when a resolved ticket is reopened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReopenRule {
    /// Keep counting from the business time already used (Zendesk's behaviour).
    #[default]
    Continue,
    /// Start a new resolution cycle with the full target from the reopen.
    Restart,
}

crate::tagged! {
    #[tag = "on"]
    /// When an escalation rule fires for a clock.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum EscalationTrigger {
        /// When the clock becomes at risk (a warning before the breach). Not fired for a clock that
        /// is already breached when first seen.
        AtRisk,
        /// When the clock has been breached for this many business minutes (0 = at the breach).
        /// Several rules with growing delays give Freshdesk-style escalation levels.
        Breached { after_minutes: u32 },
    }
}

crate::tagged! {
    #[tag = "to", content = "id"]
    /// Where a notification goes.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub enum NotifyTarget {
        /// Whoever the ticket is assigned to (or its team when unassigned).
        Assignee,
        Agent(AgentId),
        Team(TeamId),
    }
}

crate::tagged! {
    #[tag = "action", content = "value"]
    /// A command the caller should issue when an escalation fires. The SLA engine only decides;
    /// the ticket module carries it out.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub enum EscalationAction {
        /// Move the ticket one support level up (no change at L3).
        RaiseLevel,
        ReassignToAgent(AgentId),
        ReassignToTeam(TeamId),
        AddTag(String),
        /// Mark the ticket for attention in list views.
        Flag,
        Notify(NotifyTarget),
    }
}

/// Actions to take for some metrics when a trigger is reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationRule {
    /// Metrics this rule watches; empty = all.
    #[serde(default)]
    pub metrics: Vec<SlaMetric>,
    pub trigger: EscalationTrigger,
    pub actions: Vec<EscalationAction>,
}

impl EscalationRule {
    fn watches(&self, metric: SlaMetric) -> bool {
        self.metrics.is_empty() || self.metrics.contains(&metric)
    }
}

/// A promise for the tickets that match `conditions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaPolicy {
    pub id: SlaPolicyId,
    pub name: String,
    #[serde(default)]
    pub conditions: SlaConditions,
    pub targets: SlaTargets,
    /// The business calendar whose open hours count.
    pub calendar: CalendarId,
    /// Fraction of a target after which a clock is at risk (0 < t ≤ 1); `None` uses the settings'
    /// default.
    #[serde(default)]
    pub at_risk_threshold: Option<f64>,
    #[serde(default)]
    pub on_reopen: ReopenRule,
    #[serde(default)]
    pub escalations: Vec<EscalationRule>,
}

/// All SLA configuration of an installation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaSettings {
    /// Tried in order; the first whose conditions match the ticket applies.
    pub policies: Vec<SlaPolicy>,
    pub calendars: Vec<BusinessCalendar>,
    #[serde(default = "default_threshold")]
    pub default_at_risk_threshold: f64,
}

fn default_threshold() -> f64 {
    DEFAULT_AT_RISK_THRESHOLD
}

impl Default for SlaSettings {
    /// No policies, a 24×7 calendar with id `24x7`, at risk after 80 % of a target.
    fn default() -> Self {
        SlaSettings {
            policies: Vec::new(),
            calendars: vec![BusinessCalendar::always_open("24x7", "24×7")],
            default_at_risk_threshold: DEFAULT_AT_RISK_THRESHOLD,
        }
    }
}

/// A problem with SLA settings, worded for the administrator who has to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SlaSettingsError {
    #[error("policy number {index} needs an id")]
    EmptyPolicyId { index: usize },
    #[error("two policies share the id {0}: ids must be unique")]
    DuplicatePolicyId(SlaPolicyId),
    #[error("two calendars share the id {0}: ids must be unique")]
    DuplicateCalendarId(CalendarId),
    #[error("policy {policy} uses calendar {calendar}, which does not exist")]
    UnknownCalendar {
        policy: SlaPolicyId,
        calendar: CalendarId,
    },
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error("at-risk threshold {value} {} must be above 0 and at most 1 (0.8 = at risk after 80% of the target)",
        match policy { Some(p) => format!("of policy {p}"), None => "of the settings".to_owned() })]
    BadThreshold {
        policy: Option<SlaPolicyId>,
        value: f64,
    },
    #[error(
        "policy {policy}: the {metric} target must be at least 1 minute (leave it empty for no target)"
    )]
    ZeroTarget {
        policy: SlaPolicyId,
        metric: SlaMetric,
    },
    #[error("policy {policy} has a blank customer segment in its conditions")]
    BlankSegment { policy: SlaPolicyId },
    #[error("policy {policy} can never apply: policy {shadowed_by} before it matches every ticket")]
    Unreachable {
        policy: SlaPolicyId,
        shadowed_by: SlaPolicyId,
    },
    #[error("policy {policy}: escalation rule {rule} has no actions")]
    EscalationWithoutActions { policy: SlaPolicyId, rule: usize },
    #[error("policy {policy}: escalation rule {rule} watches {metric}, which has no target")]
    EscalationWithoutTarget {
        policy: SlaPolicyId,
        rule: usize,
        metric: SlaMetric,
    },
    #[error(
        "policy {policy}: escalation rule {rule} has an action with an empty tag, agent or team"
    )]
    BlankEscalationValue { policy: SlaPolicyId, rule: usize },
}

fn threshold_ok(value: f64) -> bool {
    value > 0.0 && value <= 1.0
}

impl SlaSettings {
    pub fn calendar(&self, id: &CalendarId) -> Option<&BusinessCalendar> {
        self.calendars.iter().find(|c| &c.id == id)
    }

    pub fn policy(&self, id: &SlaPolicyId) -> Option<&SlaPolicy> {
        self.policies.iter().find(|p| &p.id == id)
    }

    /// The first policy, in order, whose conditions match the ticket.
    pub fn matching_policy(&self, ticket: &SlaTicket) -> Option<&SlaPolicy> {
        self.policies.iter().find(|p| p.conditions.matches(ticket))
    }

    /// The at-risk threshold in force for `policy`, falling back to valid defaults so that bad
    /// settings degrade instead of failing.
    pub fn threshold_for(&self, policy: &SlaPolicy) -> f64 {
        policy
            .at_risk_threshold
            .filter(|&t| threshold_ok(t))
            .or(Some(self.default_at_risk_threshold).filter(|&t| threshold_ok(t)))
            .unwrap_or(DEFAULT_AT_RISK_THRESHOLD)
    }

    /// Every problem with these settings, in a stable order (empty when valid).
    pub fn problems(&self) -> Vec<SlaSettingsError> {
        let mut out = Vec::new();
        if !threshold_ok(self.default_at_risk_threshold) {
            out.push(SlaSettingsError::BadThreshold {
                policy: None,
                value: self.default_at_risk_threshold,
            });
        }
        let mut calendar_ids = HashSet::new();
        for calendar in &self.calendars {
            if !calendar_ids.insert(&calendar.id) {
                out.push(SlaSettingsError::DuplicateCalendarId(calendar.id.clone()));
            }
            out.extend(calendar.problems().into_iter().map(SlaSettingsError::from));
        }
        let mut policy_ids = HashSet::new();
        let mut catch_all: Option<&SlaPolicyId> = None;
        for (index, policy) in self.policies.iter().enumerate() {
            let id = &policy.id;
            if id.0.trim().is_empty() {
                out.push(SlaSettingsError::EmptyPolicyId { index });
            } else if !policy_ids.insert(id) {
                out.push(SlaSettingsError::DuplicatePolicyId(id.clone()));
            }
            if let Some(shadow) = catch_all {
                out.push(SlaSettingsError::Unreachable {
                    policy: id.clone(),
                    shadowed_by: shadow.clone(),
                });
            } else if policy.conditions.is_catch_all() {
                catch_all = Some(id);
            }
            if self.calendar(&policy.calendar).is_none() {
                out.push(SlaSettingsError::UnknownCalendar {
                    policy: id.clone(),
                    calendar: policy.calendar.clone(),
                });
            }
            if let Some(value) = policy.at_risk_threshold.filter(|&t| !threshold_ok(t)) {
                out.push(SlaSettingsError::BadThreshold {
                    policy: Some(id.clone()),
                    value,
                });
            }
            for metric in SlaMetric::ALL {
                if policy.targets.minutes(metric) == Some(0) {
                    out.push(SlaSettingsError::ZeroTarget {
                        policy: id.clone(),
                        metric,
                    });
                }
            }
            if policy
                .conditions
                .segments
                .iter()
                .any(|s| s.trim().is_empty())
            {
                out.push(SlaSettingsError::BlankSegment { policy: id.clone() });
            }
            for (rule_index, rule) in policy.escalations.iter().enumerate() {
                let rule_no = rule_index + 1;
                if rule.actions.is_empty() {
                    out.push(SlaSettingsError::EscalationWithoutActions {
                        policy: id.clone(),
                        rule: rule_no,
                    });
                }
                for &metric in &rule.metrics {
                    if policy.targets.minutes(metric).is_none() {
                        out.push(SlaSettingsError::EscalationWithoutTarget {
                            policy: id.clone(),
                            rule: rule_no,
                            metric,
                        });
                    }
                }
                let blank = rule.actions.iter().any(|a| match a {
                    EscalationAction::ReassignToAgent(AgentId(s))
                    | EscalationAction::ReassignToTeam(TeamId(s))
                    | EscalationAction::AddTag(s)
                    | EscalationAction::Notify(NotifyTarget::Agent(AgentId(s)))
                    | EscalationAction::Notify(NotifyTarget::Team(TeamId(s))) => {
                        s.trim().is_empty()
                    }
                    _ => false,
                });
                if blank {
                    out.push(SlaSettingsError::BlankEscalationValue {
                        policy: id.clone(),
                        rule: rule_no,
                    });
                }
            }
        }
        out
    }

    /// `Ok` when the settings can be used; otherwise the first of [`Self::problems`].
    pub fn validate(&self) -> Result<(), SlaSettingsError> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }
}

crate::tagged! {
    #[tag = "kind", content = "status"]
    /// What happened to a ticket, as far as SLAs care. Internal notes are not signals.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SlaSignalKind {
        AgentPublicReply,
        CustomerMessage,
        StatusChanged(Status),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaSignal {
    pub at: Timestamp,
    pub kind: SlaSignalKind,
}

impl SlaSignal {
    pub fn new(at: Timestamp, kind: SlaSignalKind) -> SlaSignal {
        SlaSignal { at, kind }
    }
}

/// The facts about a ticket the SLA engine needs, decoupled from the event model. Signals need
/// not be sorted; signals at the same instant are applied in the given order. The ticket starts
/// in [`Status::New`] at `created_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaTicket {
    pub priority: Priority,
    pub ticket_type: TicketType,
    pub channel: Channel,
    #[serde(default)]
    pub segment: Option<String>,
    pub created_at: Timestamp,
    #[serde(default)]
    pub signals: Vec<SlaSignal>,
}

crate::tagged! {
    #[tag = "state"]
    /// Where one clock stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ClockState {
        /// Counting, less than the at-risk threshold used.
        Running,
        /// Not counting: the ticket waits on the customer or is postponed.
        Paused,
        /// Counting, past the at-risk threshold but not yet due.
        AtRisk,
        /// Not yet stopped and past its due time (it may be paused now).
        Breached,
        /// Stopped by a reply or resolution; `on_time` is false when it stopped after breaching.
        Met { on_time: bool },
        /// Stopped without being fulfilled because the ticket was merged; neither met nor breached,
        /// though `breached_at` still records a breach that happened before.
        Cancelled,
        /// The policy sets no target for this metric, or there is nothing to measure yet (next
        /// response before the customer writes back).
        NotApplicable,
    }
}

/// One SLA clock as of the evaluation time. Durations are business time on the policy's
/// calendar, serialized as whole seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub metric: SlaMetric,
    #[serde(with = "opt_secs")]
    pub target: Option<Duration>,
    pub state: ClockState,
    /// Whether the clock is currently paused (also true for a breached clock that is paused).
    pub paused: bool,
    /// When this cycle started counting.
    pub started_at: Option<Timestamp>,
    /// When the target falls due: in the future while running, the breach instant once breached,
    /// `None` while paused or after a timely stop.
    pub due_at: Option<Timestamp>,
    /// When the clock became, or will become if it keeps running, at risk.
    pub at_risk_at: Option<Timestamp>,
    #[serde(with = "secs")]
    pub elapsed: Duration,
    /// `target - elapsed`: negative when overdue, frozen while paused.
    #[serde(with = "secs")]
    pub remaining: Duration,
    pub breached_at: Option<Timestamp>,
    /// When a reply, resolution or merge stopped the clock.
    pub stopped_at: Option<Timestamp>,
    /// The next instant at which this clock changes by the passage of time alone (becomes at
    /// risk, breaches, or reaches its next escalation step).
    pub next_change_at: Option<Timestamp>,
}

impl Clock {
    fn not_applicable(metric: SlaMetric, target: Option<Duration>) -> Clock {
        Clock {
            metric,
            target,
            state: ClockState::NotApplicable,
            paused: false,
            started_at: None,
            due_at: None,
            at_risk_at: None,
            elapsed: Duration::zero(),
            remaining: target.unwrap_or_else(Duration::zero),
            breached_at: None,
            stopped_at: None,
            next_change_at: None,
        }
    }

    /// Whether the clock has not been stopped and is counting now.
    pub fn is_counting(&self) -> bool {
        matches!(
            self.state,
            ClockState::Running | ClockState::AtRisk | ClockState::Breached
        ) && !self.paused
    }

    /// How long the clock has been overdue, in business time (zero when not overdue).
    pub fn overdue(&self) -> Duration {
        (-self.remaining).max(Duration::zero())
    }
}

/// Ordered from best to worst so that a list can sort or take the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaHealth {
    Ok,
    AtRisk,
    Breached,
}

/// The SLA standing of one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaReport {
    pub policy_id: SlaPolicyId,
    /// The calendar used; a policy naming a missing calendar is measured around the clock
    /// (`validate` reports it) so that no breach goes unnoticed.
    pub calendar_id: CalendarId,
    pub evaluated_at: Timestamp,
    pub first_response: Clock,
    /// The current next-response wait, or the last one when none is open.
    pub next_response: Clock,
    /// Earlier next-response waits, oldest first.
    pub next_response_history: Vec<Clock>,
    /// The current resolution cycle.
    pub resolution: Clock,
    /// Earlier resolution cycles (only with [`ReopenRule::Restart`]), oldest first.
    pub resolution_history: Vec<Clock>,
    /// Earliest due time among counting clocks: the index key of the "SLA at risk" view.
    pub soonest_due: Option<Timestamp>,
    /// The worst state among clocks that have not stopped.
    pub health: SlaHealth,
}

impl SlaReport {
    /// The current clocks, in metric order.
    pub fn clocks(&self) -> [&Clock; 3] {
        [&self.first_response, &self.next_response, &self.resolution]
    }

    pub fn clock(&self, metric: SlaMetric) -> &Clock {
        match metric {
            SlaMetric::FirstResponse => &self.first_response,
            SlaMetric::NextResponse => &self.next_response,
            SlaMetric::Resolution => &self.resolution,
        }
    }

    pub fn is_at_risk(&self) -> bool {
        self.health == SlaHealth::AtRisk
    }

    pub fn is_breached(&self) -> bool {
        self.health == SlaHealth::Breached
    }
}

/// The soonest due time across counting clocks (see [`SlaReport::soonest_due`]).
pub fn soonest_due(report: &SlaReport) -> Option<Timestamp> {
    report
        .clocks()
        .into_iter()
        .filter(|c| c.is_counting())
        .filter_map(|c| c.due_at)
        .min()
}

/// When the report will change without any new signal, so a UI or server knows when to evaluate
/// again. `None` when every clock is paused, stopped or without target.
pub fn next_deadline(report: &SlaReport) -> Option<Timestamp> {
    report
        .clocks()
        .into_iter()
        .filter_map(|c| c.next_change_at)
        .min()
}

/// Applies the first matching policy of `settings` to `ticket` as of `now`. `None` when no policy
/// matches. Signals after `now` are ignored, so past states can be replayed; signals before
/// creation count as happening at creation.
///
/// Business time is measured in the calendar's time zone, whose rules come from `zones`.
pub fn evaluate(
    ticket: &SlaTicket,
    settings: &SlaSettings,
    zones: &dyn TimeZones,
    now: Timestamp,
) -> Option<SlaReport> {
    let policy = settings.matching_policy(ticket)?;
    let fallback;
    let calendar = match settings.calendar(&policy.calendar) {
        Some(calendar) => calendar,
        None => {
            fallback = BusinessCalendar::always_open(policy.calendar.0.clone(), "24×7");
            &fallback
        }
    };
    let threshold = settings.threshold_for(policy);
    Some(engine::run(ticket, policy, calendar, zones, threshold, now))
}

/// Identifies one escalation step of one clock cycle, so that it is carried out only once.
/// The caller stores the keys of the escalations it has carried out and passes them back to
/// [`breach_actions`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EscalationKey {
    pub policy: SlaPolicyId,
    pub metric: SlaMetric,
    /// Start of the clock cycle; tells apart successive next-response waits.
    pub cycle_started_at: Timestamp,
    pub trigger: EscalationTrigger,
}

/// An escalation to carry out now: issue `actions`, then record `key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueEscalation {
    pub key: EscalationKey,
    pub actions: Vec<EscalationAction>,
}

/// The escalations of `policy` that are due for `report` and not yet in `already_escalated`.
///
/// Returns the actions grouped by [`EscalationKey`] rather than a flat list so that the caller can
/// record exactly what it carried out; that record is what makes the escalation idempotent.
/// Rules with the same metric and trigger share a key and fire together. Only clocks that are
/// still open escalate: a clock met late is history, not an emergency. Empty when `policy` is not
/// the report's policy.
pub fn breach_actions(
    report: &SlaReport,
    policy: &SlaPolicy,
    already_escalated: &[EscalationKey],
) -> Vec<DueEscalation> {
    let mut due: Vec<DueEscalation> = Vec::new();
    if report.policy_id != policy.id {
        return due;
    }
    for clock in report.clocks() {
        let Some(cycle_started_at) = clock.started_at else {
            continue;
        };
        for rule in policy
            .escalations
            .iter()
            .filter(|r| r.watches(clock.metric))
        {
            let fires = match rule.trigger {
                EscalationTrigger::AtRisk => clock.state == ClockState::AtRisk,
                EscalationTrigger::Breached { after_minutes } => {
                    clock.state == ClockState::Breached
                        && clock.overdue() >= Duration::minutes(i64::from(after_minutes))
                }
            };
            if !fires {
                continue;
            }
            let key = EscalationKey {
                policy: policy.id.clone(),
                metric: clock.metric,
                cycle_started_at,
                trigger: rule.trigger,
            };
            if already_escalated.contains(&key) {
                continue;
            }
            match due.iter_mut().find(|d| d.key == key) {
                Some(existing) => {
                    for action in &rule.actions {
                        if !existing.actions.contains(action) {
                            existing.actions.push(action.clone());
                        }
                    }
                }
                None => due.push(DueEscalation {
                    key,
                    actions: rule.actions.clone(),
                }),
            }
        }
    }
    due
}

mod engine;

/// Serde for business durations as whole seconds, which any client can read.
mod secs {
    use chrono::Duration;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.num_seconds())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let secs = i64::deserialize(d)?;
        Duration::try_seconds(secs).ok_or_else(|| serde::de::Error::custom("duration out of range"))
    }
}

mod opt_secs {
    use chrono::Duration;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&d.num_seconds()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        match Option::<i64>::deserialize(d)? {
            Some(secs) => Duration::try_seconds(secs)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("duration out of range")),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests;
