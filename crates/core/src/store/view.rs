//! List rows and the views that select them. The semantics of every filter and sort live here
//! once; each store only decides how to find candidates fast (indexes), then defers to these.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::code::TicketCode;
use crate::config::Settings;
use crate::facts;
use crate::model::{
    AgentId, Channel, CustomerId, Level, Priority, Status, TeamId, TicketId, TicketType, Timestamp,
};
use crate::ticket::Ticket;
use crate::zone::TimeZones;

/// One row of an inbox or a customer's ticket list: what lists show and filter on, without the
/// thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub id: TicketId,
    pub code: TicketCode,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub level: Level,
    pub ticket_type: TicketType,
    pub channel: Channel,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub assignee: Option<AgentId>,
    pub team: Option<TeamId>,
    pub requester_name: String,
    pub requester_email: Option<String>,
    pub customer: Option<CustomerId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Public messages in the thread (the opening request not counted).
    pub replies: u32,
    /// Soonest due time of a running SLA clock (`None` when paused, met or without a policy).
    pub sla_due: Option<Timestamp>,
    /// When a running clock crosses its at-risk threshold.
    pub sla_at_risk_at: Option<Timestamp>,
    /// Set once any clock breached (it stays set: a breach is history).
    pub sla_breached_at: Option<Timestamp>,
}

impl TicketSummary {
    /// Projects a ticket into its list row, evaluating SLA clocks under `settings` at `now`.
    pub fn of(t: &Ticket, settings: &Settings, zones: &dyn TimeZones, now: Timestamp) -> Self {
        let report = facts::sla_report(t, settings, zones, now);
        let clocks = report
            .iter()
            .flat_map(|r| [&r.first_response, &r.next_response, &r.resolution]);
        let mut at_risk = None::<Timestamp>;
        let mut breached = None::<Timestamp>;
        for c in clocks {
            if let Some(a) = c.at_risk_at.filter(|_| c.due_at.is_some()) {
                at_risk = Some(at_risk.map_or(a, |x| x.min(a)));
            }
            if let Some(b) = c.breached_at {
                breached = Some(breached.map_or(b, |x| x.min(b)));
            }
        }
        TicketSummary {
            id: t.id.clone(),
            code: t.code.clone(),
            subject: t.subject.clone(),
            status: t.status,
            priority: t.priority,
            level: t.level,
            ticket_type: t.ticket_type,
            channel: t.channel,
            category: t.category.clone(),
            tags: t.tags.iter().cloned().collect(),
            assignee: t.assignee.clone(),
            team: t.team.clone(),
            requester_name: t.requester.name.clone(),
            requester_email: t.requester.email.clone(),
            customer: t.requester.customer_id.clone(),
            created_at: t.created_at,
            updated_at: t.updated_at,
            replies: u32::try_from(t.public_messages().count()).unwrap_or(u32::MAX),
            sla_due: report.as_ref().and_then(|r| r.soonest_due),
            sla_at_risk_at: at_risk,
            sla_breached_at: breached,
        }
    }

    /// Whether an active ticket's SLA is at risk or breached at `now`.
    pub fn sla_at_risk(&self, now: Timestamp) -> bool {
        self.status.is_active()
            && (self.sla_breached_at.is_some()
                || self.sla_at_risk_at.is_some_and(|t| t <= now)
                || self.sla_due.is_some_and(|t| t <= now))
    }
}

impl TicketSummary {
    /// From when this row counts as "SLA at risk": `sla_at_risk(now)` holds exactly when this is
    /// `Some(t)` with `t <= now`. `None` for inactive rows and rows no clock can put at risk; the
    /// epoch for a breach (a breach is at risk at any time). Stores index it so the at-risk view
    /// is one range, not a walk over every active row.
    pub fn sla_risk_from(&self) -> Option<Timestamp> {
        if !self.status.is_active() {
            return None;
        }
        if self.sla_breached_at.is_some() {
            return Some(Timestamp::UNIX_EPOCH);
        }
        match (self.sla_at_risk_at, self.sla_due) {
            (Some(a), Some(d)) => Some(a.min(d)),
            (a, d) => a.or(d),
        }
    }
}

/// The dimensions stores keep ticket counters by, so the inbox's totals never walk rows: every
/// ticket is counted once, under the key of its current list row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CountKey {
    pub status: Status,
    pub assignee: Option<AgentId>,
    pub priority: Priority,
}

impl CountKey {
    /// The counter a list row is counted under.
    pub fn of(row: &TicketSummary) -> Self {
        Self {
            status: row.status,
            assignee: row.assignee.clone(),
            priority: row.priority,
        }
    }

    /// The counter a folded ticket's row is counted under (equal to `of` its row).
    pub fn of_ticket(t: &Ticket) -> Self {
        Self {
            status: t.status,
            assignee: t.assignee.clone(),
            priority: t.priority,
        }
    }
}

crate::tagged! {
    #[tag = "kind", content = "agent"]
    /// Who a view's tickets must be assigned to.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum AssigneeFilter {
        Anyone,
        Unassigned,
        Agent(AgentId),
    }
}

// Not derived: `#[default]` on a variant would be copied to `tagged!`'s reading twin, which
// does not derive `Default`.
#[allow(clippy::derivable_impls)]
impl Default for AssigneeFilter {
    fn default() -> Self {
        AssigneeFilter::Anyone
    }
}

/// A view: which tickets to list. Empty lists mean "any".
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewFilter {
    pub statuses: Vec<Status>,
    pub assignee: AssigneeFilter,
    pub team: Option<TeamId>,
    pub priorities: Vec<Priority>,
    pub levels: Vec<Level>,
    pub channels: Vec<Channel>,
    pub customer: Option<CustomerId>,
    /// Every listed tag must be on the ticket.
    pub tags: Vec<String>,
    pub sla_at_risk: bool,
    /// Full-text query over code, subject, description and thread (prefix on the last word).
    pub text: Option<String>,
}

/// The inbox's built-in views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuiltinView {
    MyOpen,
    Unassigned,
    SlaAtRisk,
    Urgent,
    All,
}

impl BuiltinView {
    pub const ALL: [BuiltinView; 5] = [
        BuiltinView::MyOpen,
        BuiltinView::Unassigned,
        BuiltinView::SlaAtRisk,
        BuiltinView::Urgent,
        BuiltinView::All,
    ];

    /// The filter this view stands for, as seen by agent `me`.
    pub fn filter(self, me: &AgentId) -> ViewFilter {
        let active = Status::ACTIVE.to_vec();
        match self {
            BuiltinView::MyOpen => ViewFilter {
                statuses: active,
                assignee: AssigneeFilter::Agent(me.clone()),
                ..ViewFilter::default()
            },
            BuiltinView::Unassigned => ViewFilter {
                statuses: active,
                assignee: AssigneeFilter::Unassigned,
                ..ViewFilter::default()
            },
            BuiltinView::SlaAtRisk => ViewFilter {
                sla_at_risk: true,
                ..ViewFilter::default()
            },
            BuiltinView::Urgent => ViewFilter {
                statuses: active,
                priorities: vec![Priority::Urgent],
                ..ViewFilter::default()
            },
            BuiltinView::All => ViewFilter::default(),
        }
    }
}

impl ViewFilter {
    /// Whether a row passes every filter except `text` (text needs the search index).
    pub fn matches(&self, s: &TicketSummary, now: Timestamp) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&s.status))
            && match &self.assignee {
                AssigneeFilter::Anyone => true,
                AssigneeFilter::Unassigned => s.assignee.is_none(),
                AssigneeFilter::Agent(a) => s.assignee.as_ref() == Some(a),
            }
            && self
                .team
                .as_ref()
                .is_none_or(|t| s.team.as_ref() == Some(t))
            && (self.priorities.is_empty() || self.priorities.contains(&s.priority))
            && (self.levels.is_empty() || self.levels.contains(&s.level))
            && (self.channels.is_empty() || self.channels.contains(&s.channel))
            && self
                .customer
                .as_ref()
                .is_none_or(|c| s.customer.as_ref() == Some(c))
            && self.tags.iter().all(|t| s.tags.contains(t))
            && (!self.sla_at_risk || s.sla_at_risk(now))
    }

    /// Whether counters by [`CountKey`] answer this filter exactly: it filters on nothing but
    /// statuses, assignee and priorities (no team, level, channel, customer, tag, SLA or text).
    pub fn countable(&self) -> bool {
        self.team.is_none()
            && self.levels.is_empty()
            && self.channels.is_empty()
            && self.customer.is_none()
            && self.tags.is_empty()
            && !self.sla_at_risk
            && self.text_query().is_none()
    }

    /// Whether the rows counted under `key` pass this filter (meaningful when [`countable`]).
    ///
    /// [`countable`]: ViewFilter::countable
    pub fn matches_key(&self, key: &CountKey) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&key.status))
            && match &self.assignee {
                AssigneeFilter::Anyone => true,
                AssigneeFilter::Unassigned => key.assignee.is_none(),
                AssigneeFilter::Agent(a) => key.assignee.as_ref() == Some(a),
            }
            && (self.priorities.is_empty() || self.priorities.contains(&key.priority))
    }

    /// How many rows pass this filter, from counters; `None` when counters cannot say exactly.
    pub fn count_from<'a>(
        &self,
        counters: impl IntoIterator<Item = (&'a CountKey, u64)>,
    ) -> Option<usize> {
        if !self.countable() {
            return None;
        }
        let n: u64 = counters
            .into_iter()
            .filter(|(k, _)| self.matches_key(k))
            .map(|(_, n)| n)
            .sum();
        Some(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// The text query, if it has any words.
    pub fn text_query(&self) -> Option<&str> {
        self.text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }
}

/// List order. Every order ends with the ticket id, so pages never overlap or skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    UpdatedDesc,
    UpdatedAsc,
    CreatedDesc,
    CreatedAsc,
    PriorityDesc,
    /// Soonest SLA due first; tickets without a running clock last.
    SlaDueAsc,
}

impl SortKey {
    pub fn compare(self, a: &TicketSummary, b: &TicketSummary) -> Ordering {
        let primary = match self {
            SortKey::UpdatedDesc => b.updated_at.cmp(&a.updated_at),
            SortKey::UpdatedAsc => a.updated_at.cmp(&b.updated_at),
            SortKey::CreatedDesc => b.created_at.cmp(&a.created_at),
            SortKey::CreatedAsc => a.created_at.cmp(&b.created_at),
            SortKey::PriorityDesc => b
                .priority
                .cmp(&a.priority)
                .then(b.updated_at.cmp(&a.updated_at)),
            SortKey::SlaDueAsc => match (a.sla_due, b.sla_due) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => b.updated_at.cmp(&a.updated_at),
            },
        };
        primary.then_with(|| a.id.cmp(&b.id))
    }
}

/// A request for one page of a view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageRequest {
    pub filter: ViewFilter,
    pub sort: SortKey,
    pub offset: usize,
    pub limit: usize,
    /// The time SLA "at risk" is judged at.
    pub now: Timestamp,
}

/// One page of rows and how many rows the whole view has.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Page {
    pub items: Vec<TicketSummary>,
    pub total: usize,
}

/// Filters, sorts and pages `rows` (already narrowed by text search when there was a query).
pub fn page_of<'a>(rows: impl Iterator<Item = &'a TicketSummary>, req: &PageRequest) -> Page {
    let mut hits: Vec<&TicketSummary> = rows.filter(|s| req.filter.matches(s, req.now)).collect();
    let total = hits.len();
    hits.sort_by(|a, b| req.sort.compare(a, b));
    Page {
        items: hits
            .into_iter()
            .skip(req.offset)
            .take(req.limit)
            .cloned()
            .collect(),
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TicketId;

    fn row(n: u64) -> TicketSummary {
        // A spread of rows over every dimension counters and the at-risk view look at.
        let t = |m: u64| {
            chrono::DateTime::from_timestamp_millis(1_767_225_600_000 + (m as i64) * 60_000)
        };
        TicketSummary {
            id: TicketId(format!("t{n}")),
            code: TicketCode::parse("KQD-48210-ZPT").expect("valid code"),
            subject: String::new(),
            status: Status::ALL[(n % 7) as usize],
            priority: Priority::ALL[(n / 7 % 4) as usize],
            level: Level::L1,
            ticket_type: TicketType::Question,
            channel: Channel::WebForm,
            category: None,
            tags: vec![],
            assignee: match n % 3 {
                0 => None,
                1 => Some(AgentId("ana".into())),
                _ => Some(AgentId("luis".into())),
            },
            team: None,
            requester_name: String::new(),
            requester_email: None,
            customer: None,
            created_at: t(0).expect("in range"),
            updated_at: t(n).expect("in range"),
            replies: 0,
            sla_due: (!n.is_multiple_of(5)).then(|| t(n % 40)).flatten(),
            sla_at_risk_at: (!n.is_multiple_of(4)).then(|| t(n % 30)).flatten(),
            sla_breached_at: n.is_multiple_of(11).then(|| t(n % 30)).flatten(),
        }
    }

    #[test]
    fn risk_from_says_exactly_when_a_row_is_at_risk() {
        for n in 0..400 {
            let r = row(n);
            for m in 0..50 {
                let now = chrono::DateTime::from_timestamp_millis(1_767_225_600_000 + m * 60_000)
                    .expect("in range");
                assert_eq!(
                    r.sla_at_risk(now),
                    r.sla_risk_from().is_some_and(|t| t <= now),
                    "row {n} at minute {m}"
                );
            }
        }
    }

    #[test]
    fn counters_count_what_matching_counts() {
        let rows: Vec<TicketSummary> = (0..400).map(row).collect();
        let mut counters: std::collections::BTreeMap<CountKey, u64> = Default::default();
        for r in &rows {
            *counters.entry(CountKey::of(r)).or_default() += 1;
        }
        let now = rows[0].created_at;
        let me = AgentId("ana".into());
        let mut filters: Vec<ViewFilter> = BuiltinView::ALL.iter().map(|v| v.filter(&me)).collect();
        for s in Status::ALL {
            filters.push(ViewFilter {
                statuses: vec![s],
                ..ViewFilter::default()
            });
        }
        filters.push(ViewFilter {
            statuses: vec![Status::New, Status::Open],
            assignee: AssigneeFilter::Agent(AgentId("luis".into())),
            priorities: vec![Priority::High, Priority::Urgent],
            ..ViewFilter::default()
        });
        for f in &filters {
            let walked = rows.iter().filter(|r| f.matches(r, now)).count();
            match f.count_from(counters.iter().map(|(k, n)| (k, *n))) {
                Some(n) => assert_eq!(n, walked, "{f:?}"),
                None => assert!(f.sla_at_risk, "only the at-risk view needs rows: {f:?}"),
            }
        }
        let tagged = ViewFilter {
            tags: vec!["x".into()],
            ..ViewFilter::default()
        };
        assert_eq!(
            tagged.count_from(counters.iter().map(|(k, n)| (k, *n))),
            None
        );
    }
}
