//! Replays a ticket's signals and turns them into clocks.

use chrono::Duration;

use super::{
    Clock, ClockState, EscalationTrigger, ReopenRule, SlaHealth, SlaMetric, SlaPolicy, SlaReport,
    SlaSignalKind, SlaTicket,
};
use crate::calendar::BusinessCalendar;
use crate::model::{Status, Timestamp};
use crate::zone::TimeZones;

/// What one metric may spend, and where it is measured.
struct Budget<'a> {
    calendar: &'a BusinessCalendar,
    zones: &'a dyn TimeZones,
    target: Option<Duration>,
    at_risk: Option<Duration>,
}

impl Budget<'_> {
    fn new<'a>(
        calendar: &'a BusinessCalendar,
        zones: &'a dyn TimeZones,
        minutes: Option<u32>,
        threshold: f64,
    ) -> Budget<'a> {
        let target = minutes.map(|m| Duration::minutes(i64::from(m)));
        // Whole seconds: finer precision than any SLA needs, and exact in serialized reports.
        let at_risk =
            target.map(|t| Duration::seconds((t.num_seconds() as f64 * threshold).round() as i64));
        Budget {
            calendar,
            zones,
            target,
            at_risk,
        }
    }

    /// The instant `amount` of business time after `from` (`from` itself when the calendar
    /// never opens, which `validate` rejects).
    fn after(&self, from: Timestamp, amount: Duration) -> Timestamp {
        self.calendar
            .add_business_duration(self.zones, from, amount)
            .unwrap_or(from)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Fulfilled,
    Cancelled,
}

/// One measurement of one metric: a run of segments where the clock counts.
#[derive(Debug, Clone)]
struct Cycle {
    started_at: Timestamp,
    elapsed: Duration,
    running_since: Option<Timestamp>,
    breached_at: Option<Timestamp>,
    at_risk_at: Option<Timestamp>,
    stop: Option<(Timestamp, Stop)>,
}

impl Cycle {
    fn start(at: Timestamp, running: bool) -> Cycle {
        Cycle {
            started_at: at,
            elapsed: Duration::zero(),
            running_since: running.then_some(at),
            breached_at: None,
            at_risk_at: None,
            stop: None,
        }
    }

    fn is_live(&self) -> bool {
        self.stop.is_none()
    }

    /// Ends the current running segment at `end`, adding its business time and noting when the
    /// at-risk and breach points were crossed within it.
    fn close_segment(&mut self, end: Timestamp, budget: &Budget<'_>) {
        let Some(start) = self.running_since.take() else {
            return;
        };
        if end <= start {
            return;
        }
        let gained = budget.calendar.business_duration(budget.zones, start, end);
        if self.at_risk_at.is_none()
            && let Some(goal) = budget.at_risk
        {
            // At risk from the instant the threshold is reached, inclusive.
            let need = goal - self.elapsed;
            if need <= gained {
                self.at_risk_at = Some(budget.after(start, need));
            }
        }
        if self.breached_at.is_none()
            && let Some(goal) = budget.target
        {
            // Breached only while still running after the budget is spent: stopping exactly on
            // the due time is on time.
            let need = goal - self.elapsed;
            if need <= gained {
                let reached = budget.after(start, need);
                if reached < end {
                    self.breached_at = Some(reached);
                }
            }
        }
        self.elapsed += gained;
    }

    fn pause(&mut self, at: Timestamp, budget: &Budget<'_>) {
        self.close_segment(at, budget);
    }

    fn resume(&mut self, at: Timestamp) {
        if self.is_live() && self.running_since.is_none() {
            self.running_since = Some(at);
        }
    }

    fn finish(&mut self, at: Timestamp, how: Stop, budget: &Budget<'_>) {
        if self.is_live() {
            self.close_segment(at, budget);
            self.stop = Some((at, how));
        }
    }
}

fn counts(status: Status) -> bool {
    matches!(status, Status::New | Status::Open)
}

fn is_done(status: Status) -> bool {
    matches!(status, Status::Resolved | Status::Closed | Status::Merged)
}

struct Replay<'a> {
    status: Status,
    agent_replied: bool,
    /// A customer wrote while the ticket was resolved; a reopen turns it into a wait.
    pending_follow_up: bool,
    first: Cycle,
    next: Vec<Cycle>,
    resolution: Vec<Cycle>,
    budgets: [Budget<'a>; 3],
    on_reopen: ReopenRule,
}

impl Replay<'_> {
    fn budget(&self, metric: SlaMetric) -> &Budget<'_> {
        &self.budgets[metric as usize]
    }

    /// The live cycles, each with its metric.
    fn for_each_live(&mut self, mut f: impl FnMut(&mut Cycle, &Budget<'_>)) {
        let [first_b, next_b, res_b] = &self.budgets;
        if self.first.is_live() {
            f(&mut self.first, first_b);
        }
        if let Some(c) = self.next.last_mut().filter(|c| c.is_live()) {
            f(c, next_b);
        }
        if let Some(c) = self.resolution.last_mut().filter(|c| c.is_live()) {
            f(c, res_b);
        }
    }

    fn status_changed(&mut self, at: Timestamp, new: Status) {
        let old = self.status;
        if old == new {
            return;
        }
        self.status = new;
        match new {
            Status::Resolved | Status::Closed => {
                self.pending_follow_up = false;
                self.for_each_live(|c, b| c.finish(at, Stop::Fulfilled, b));
                return;
            }
            Status::Merged => {
                self.pending_follow_up = false;
                self.for_each_live(|c, b| c.finish(at, Stop::Cancelled, b));
                return;
            }
            Status::New | Status::Open | Status::Answered | Status::Postponed => {}
        }
        if is_done(old) {
            self.reopen(at, counts(new));
            return;
        }
        match (counts(old), counts(new)) {
            (true, false) => self.for_each_live(|c, b| c.pause(at, b)),
            (false, true) => self.for_each_live(|c, _| c.resume(at)),
            _ => {}
        }
    }

    fn reopen(&mut self, at: Timestamp, running: bool) {
        match self.on_reopen {
            ReopenRule::Continue => {
                if let Some(c) = self.resolution.last_mut() {
                    c.stop = None;
                    c.running_since = running.then_some(at);
                }
            }
            ReopenRule::Restart => self.resolution.push(Cycle::start(at, running)),
        }
        if std::mem::take(&mut self.pending_follow_up) && self.agent_replied {
            self.next.push(Cycle::start(at, running));
        }
    }

    fn agent_replied(&mut self, at: Timestamp) {
        self.agent_replied = true;
        self.pending_follow_up = false;
        let first_b = &self.budgets[SlaMetric::FirstResponse as usize];
        self.first.finish(at, Stop::Fulfilled, first_b);
        let next_b = &self.budgets[SlaMetric::NextResponse as usize];
        if let Some(c) = self.next.last_mut() {
            c.finish(at, Stop::Fulfilled, next_b);
        }
    }

    fn customer_wrote(&mut self, at: Timestamp) {
        if !self.agent_replied || self.next.last().is_some_and(Cycle::is_live) {
            return;
        }
        match self.status {
            Status::Resolved => self.pending_follow_up = true,
            // A closed ticket gets a follow-up ticket instead; a merged one lives elsewhere.
            Status::Closed | Status::Merged => {}
            status => self.next.push(Cycle::start(at, counts(status))),
        }
    }
}

pub(super) fn run(
    ticket: &SlaTicket,
    policy: &SlaPolicy,
    calendar: &BusinessCalendar,
    zones: &dyn TimeZones,
    threshold: f64,
    now: Timestamp,
) -> SlaReport {
    let created = ticket.created_at;
    let now = now.max(created);
    let budgets =
        SlaMetric::ALL.map(|m| Budget::new(calendar, zones, policy.targets.minutes(m), threshold));
    let mut replay = Replay {
        status: Status::New,
        agent_replied: false,
        pending_follow_up: false,
        first: Cycle::start(created, true),
        next: Vec::new(),
        resolution: vec![Cycle::start(created, true)],
        budgets,
        on_reopen: policy.on_reopen,
    };

    let mut signals: Vec<_> = ticket.signals.iter().filter(|s| s.at <= now).collect();
    // Stable: signals at the same instant keep the adapter's order.
    signals.sort_by_key(|s| s.at.max(created));
    for signal in signals {
        let at = signal.at.max(created);
        match signal.kind {
            SlaSignalKind::AgentPublicReply => replay.agent_replied(at),
            SlaSignalKind::CustomerMessage => replay.customer_wrote(at),
            SlaSignalKind::StatusChanged(status) => replay.status_changed(at, status),
        }
    }

    let clock = |metric: SlaMetric, cycle: Option<&Cycle>| {
        clock_at(metric, cycle, replay.budget(metric), policy, now)
    };
    let first_response = clock(SlaMetric::FirstResponse, Some(&replay.first));
    let (next_last, next_earlier) = split_last(&replay.next);
    let next_response = clock(SlaMetric::NextResponse, next_last);
    let next_response_history = next_earlier
        .iter()
        .map(|c| clock(SlaMetric::NextResponse, Some(c)))
        .collect();
    let (res_last, res_earlier) = split_last(&replay.resolution);
    let resolution = clock(SlaMetric::Resolution, res_last);
    let resolution_history = res_earlier
        .iter()
        .map(|c| clock(SlaMetric::Resolution, Some(c)))
        .collect();

    let mut report = SlaReport {
        policy_id: policy.id.clone(),
        calendar_id: calendar.id.clone(),
        evaluated_at: now,
        first_response,
        next_response,
        next_response_history,
        resolution,
        resolution_history,
        soonest_due: None,
        health: SlaHealth::Ok,
    };
    report.soonest_due = super::soonest_due(&report);
    report.health = report
        .clocks()
        .into_iter()
        .map(|c| match c.state {
            ClockState::Breached => SlaHealth::Breached,
            ClockState::AtRisk => SlaHealth::AtRisk,
            _ => SlaHealth::Ok,
        })
        .max()
        .unwrap_or(SlaHealth::Ok);
    report
}

fn split_last(cycles: &[Cycle]) -> (Option<&Cycle>, &[Cycle]) {
    match cycles.split_last() {
        Some((last, earlier)) => (Some(last), earlier),
        None => (None, &[]),
    }
}

fn clock_at(
    metric: SlaMetric,
    cycle: Option<&Cycle>,
    budget: &Budget<'_>,
    policy: &SlaPolicy,
    now: Timestamp,
) -> Clock {
    let (Some(target), Some(cycle)) = (budget.target, cycle) else {
        return Clock::not_applicable(metric, budget.target);
    };
    let mut c = cycle.clone();
    let running = c.is_live() && c.running_since.is_some();
    if running {
        // Measure up to now without treating now as a pause.
        c.close_segment(now, budget);
    }
    let remaining = target - c.elapsed;
    let at_risk_goal = budget.at_risk.unwrap_or(target);

    let state = match c.stop {
        Some((_, Stop::Fulfilled)) => ClockState::Met {
            on_time: c.breached_at.is_none(),
        },
        Some((_, Stop::Cancelled)) => ClockState::Cancelled,
        None if c.breached_at.is_some() => ClockState::Breached,
        None if !running => ClockState::Paused,
        None if c.elapsed >= at_risk_goal => ClockState::AtRisk,
        None => ClockState::Running,
    };

    let due_at = match state {
        ClockState::Running | ClockState::AtRisk => Some(budget.after(now, remaining)),
        _ => c.breached_at,
    };
    let at_risk_at = c.at_risk_at.or_else(|| {
        (running && c.breached_at.is_none()).then(|| budget.after(now, at_risk_goal - c.elapsed))
    });

    let next_change_at = match state {
        ClockState::Running => match (at_risk_at, due_at) {
            (Some(r), Some(d)) if r > now => Some(r.min(d)),
            (_, d) => d,
        },
        ClockState::AtRisk => due_at,
        ClockState::Breached if running => {
            let overdue = -remaining;
            policy
                .escalations
                .iter()
                .filter(|r| r.watches(metric))
                .filter_map(|r| match r.trigger {
                    EscalationTrigger::Breached { after_minutes } => {
                        let step = Duration::minutes(i64::from(after_minutes));
                        (step > overdue).then(|| budget.after(now, step - overdue))
                    }
                    EscalationTrigger::AtRisk => None,
                })
                .min()
        }
        _ => None,
    };

    Clock {
        metric,
        target: Some(target),
        state,
        paused: c.is_live() && !running,
        started_at: Some(c.started_at),
        due_at,
        at_risk_at,
        elapsed: c.elapsed,
        remaining,
        breached_at: c.breached_at,
        stopped_at: c.stop.map(|(at, _)| at),
        next_change_at,
    }
}
