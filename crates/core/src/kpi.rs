//! Key performance indicators of a help desk, computed from per-ticket facts.
//!
//! The input is [`TicketFacts`], one record per ticket, decoupled from the event log (an adapter
//! folds a ticket's events into facts). [`compute`] turns facts, a [`KpiQuery`] and the moment
//! `now` into a [`KpiReport`]. Durations are measured twice: on the wall clock and on the
//! business calendar the caller passes in (see [`BusinessDuration`]).
//!
//! ## Which tickets count where
//!
//! A query covers the half-open period `[from, to)`. Every figure is attributed to the moment its
//! event happened, and time buckets (days, weeks in the query's time zone) use that same moment:
//!
//! | figure | tickets counted | moment |
//! |---|---|---|
//! | volume, volume by channel | created in the period | `created_at` |
//! | first response time | first answered in the period | `first_response_at` |
//! | resolution time, first-contact resolution, article rate, satisfaction response rate, tickets solved, handling time, cost per ticket | *solved* (status resolved or closed) with the latest resolution in the period | `resolved_at` |
//! | reopen rate | first resolved in the period, whatever their status now | first resolution |
//! | SLA compliance | created in the period, with a known outcome | `created_at` |
//! | satisfaction average | rated in the period, score 1–5 | `rating.at` |
//!
//! Open tickets per agent and backlog aging are snapshots as of `now` and ignore the period.
//! The filters (team, agent, channel) apply to every figure. Merged tickets count in volume only.
//!
//! Durations that end before they start (device clocks can disagree) count as zero.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::{AgentId, Channel, Priority, Status, TeamId, TicketType, Timestamp};
use crate::zone::{TimeZones, ZoneName};

mod csv;
mod stats;
#[cfg(test)]
mod tests;

pub use csv::{Table, csv_cell};
pub use stats::{Average, DurationStats, Rate, percentile};

/// Business time elapsed between two instants, supplied by the caller's business calendar.
pub type BusinessDuration<'a> = &'a dyn Fn(Timestamp, Timestamp) -> chrono::Duration;

/// The wall-clock duration from `start` to `end`: a [`BusinessDuration`] for round-the-clock
/// support, and for tests.
pub fn wall_clock(start: Timestamp, end: Timestamp) -> chrono::Duration {
    end - start
}

/// A customer's satisfaction rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// 1 (very unhappy) to 5 (very happy). Scores outside 1–5 are ignored by the KPIs.
    pub score: u8,
    pub at: Timestamp,
}

/// Time an agent spent on a ticket: measured, or estimated from the number of actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Handling {
    /// Measured time, in seconds.
    Seconds(u64),
    /// Agent actions (replies, notes, status changes), each worth
    /// [`KpiQuery::minutes_per_action`].
    Actions(u32),
}

/// Everything the KPIs need to know about one ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketFacts {
    /// The ticket's human-readable code, for drill-down.
    pub code: String,
    pub created_at: Timestamp,
    pub channel: Channel,
    pub ticket_type: TicketType,
    pub priority: Priority,
    pub team: Option<TeamId>,
    /// The final (current) assignee.
    pub agent: Option<AgentId>,
    pub first_response_at: Option<Timestamp>,
    /// The latest resolution.
    pub resolved_at: Option<Timestamp>,
    /// Every resolution, in any order.
    #[serde(default)]
    pub resolutions: Vec<Timestamp>,
    pub reopen_count: u32,
    pub agent_public_replies_before_first_resolution: u32,
    /// Messages and calls from the customer.
    pub customer_contacts: u32,
    pub rating: Option<Rating>,
    pub resolved_with_article: bool,
    #[serde(default)]
    pub handling_time_by_agent: BTreeMap<AgentId, Handling>,
    /// `None` while the outcome is unknown (or when no SLA applies).
    pub sla_first_response_met: Option<bool>,
    pub sla_resolution_met: Option<bool>,
    pub status: Status,
    pub closed: bool,
}

impl TicketFacts {
    /// Resolved or closed now.
    pub fn is_solved(&self) -> bool {
        self.closed || matches!(self.status, Status::Resolved | Status::Closed)
    }

    /// Still waiting on someone now.
    pub fn is_active(&self) -> bool {
        !self.closed && self.status.is_active()
    }

    /// The earliest resolution, whether listed in `resolutions` or only in `resolved_at`.
    pub fn first_resolution(&self) -> Option<Timestamp> {
        self.resolutions
            .iter()
            .copied()
            .chain(self.resolved_at)
            .min()
    }

    /// Resolved with at most one public agent reply and never reopened.
    pub fn is_first_contact_resolution(&self) -> bool {
        self.agent_public_replies_before_first_resolution <= 1 && self.reopen_count == 0
    }
}

/// How grouped results are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// Calendar day in the query's time zone.
    Day,
    /// ISO week (Monday to Sunday) in the query's time zone.
    Week,
    /// Final assignee.
    Agent,
    Team,
    Channel,
}

/// Restricts a report to some tickets; `None` means no restriction.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct KpiFilters {
    pub team: Option<TeamId>,
    /// Tickets whose final assignee is this agent.
    pub agent: Option<AgentId>,
    pub channel: Option<Channel>,
}

impl KpiFilters {
    pub fn accepts(&self, t: &TicketFacts) -> bool {
        self.team
            .as_ref()
            .is_none_or(|team| t.team.as_ref() == Some(team))
            && self
                .agent
                .as_ref()
                .is_none_or(|agent| t.agent.as_ref() == Some(agent))
            && self.channel.is_none_or(|c| t.channel == c)
    }
}

/// What to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiQuery {
    /// Start of the period, included.
    pub from: Timestamp,
    /// End of the period, excluded.
    pub to: Timestamp,
    #[serde(default)]
    pub filters: KpiFilters,
    /// Split the figures into groups as well as the overall totals.
    #[serde(default)]
    pub group_by: Option<GroupBy>,
    /// Time zone of day and week buckets.
    pub time_zone: ZoneName,
    /// Cost of one hour of agent time, in cents, for the cost per ticket.
    #[serde(default)]
    pub cost_per_agent_hour_cents: Option<u64>,
    /// Minutes one agent action is worth when handling time is counted in actions.
    #[serde(default)]
    pub minutes_per_action: u32,
    /// With day or week grouping, also list the days or weeks of the period that have no
    /// figure (with empty figures), so a time axis shows its gaps instead of closing them up.
    /// At most [`MAX_FILLED_DAYS`] days are walked.
    #[serde(default)]
    pub every_period: bool,
}

/// How many days of a period [`KpiQuery::every_period`] walks at most (ten years).
pub const MAX_FILLED_DAYS: u32 = 3660;

impl KpiQuery {
    /// A query over `[from, to)` in UTC with no filters, grouping, cost or action minutes.
    pub fn new(from: Timestamp, to: Timestamp) -> KpiQuery {
        KpiQuery {
            from,
            to,
            filters: KpiFilters::default(),
            group_by: None,
            time_zone: ZoneName::utc(),
            cost_per_agent_hour_cents: None,
            minutes_per_action: 0,
            every_period: false,
        }
    }

    fn in_period(&self, at: Timestamp) -> bool {
        self.from <= at && at < self.to
    }

    fn handling_seconds(&self, handling: Handling) -> u64 {
        match handling {
            Handling::Seconds(s) => s,
            Handling::Actions(n) => u64::from(n) * u64::from(self.minutes_per_action) * 60,
        }
    }
}

/// A query that cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KpiError {
    #[error(
        "the report period ends ({to}) before it starts ({from}); choose an end after the start"
    )]
    PeriodEndsBeforeStart { from: Timestamp, to: Timestamp },
}

crate::tagged! {
    #[tag = "by", content = "key"]
    /// One group of a grouped report.
    #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
    pub enum GroupKey {
        Day(NaiveDate),
        /// The Monday that starts the ISO week.
        Week(NaiveDate),
        /// `None`: unassigned tickets.
        Agent(Option<AgentId>),
        /// `None`: tickets without a team.
        Team(Option<TeamId>),
        Channel(Channel),
    }
}

impl GroupKey {
    /// Text for tables: `2025-01-31`, `2025-W01`, the agent or team id, `(unassigned)`,
    /// `(no team)`, or the channel's machine name.
    pub fn label(&self) -> String {
        match self {
            GroupKey::Day(day) => day.format("%Y-%m-%d").to_string(),
            GroupKey::Week(monday) => {
                let week = monday.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            GroupKey::Agent(Some(agent)) => agent.0.clone(),
            GroupKey::Agent(None) => "(unassigned)".to_owned(),
            GroupKey::Team(Some(team)) => team.0.clone(),
            GroupKey::Team(None) => "(no team)".to_owned(),
            GroupKey::Channel(channel) => channel_name(*channel).to_owned(),
        }
    }
}

/// The figures of a period (or of one group of it).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KpiFigures {
    /// Tickets created.
    pub created: u32,
    pub created_by_channel: BTreeMap<Channel, u32>,
    pub first_response_business: DurationStats,
    pub first_response_wall: DurationStats,
    /// Full resolution time: creation to the latest resolution.
    pub resolution_business: DurationStats,
    pub resolution_wall: DurationStats,
    /// Solved tickets resolved with at most one public agent reply and never reopened.
    pub first_contact_resolution: Rate,
    /// First-resolved tickets that were reopened at least once.
    pub reopened: Rate,
    pub sla_first_response: Rate,
    pub sla_resolution: Rate,
    /// Average score (1–5) of the ratings given.
    pub satisfaction: Average,
    /// Solved tickets that carry a rating.
    pub satisfaction_response: Rate,
    /// Solved tickets resolved with a knowledge-base article.
    pub resolved_with_article: Rate,
    /// Customer contacts per solved ticket.
    pub contacts_per_solved: Average,
    pub solved: u32,
    /// Agent time spent on the solved tickets.
    pub handling_seconds: u64,
    /// Handling hours × cost per hour ÷ tickets solved, rounded to the nearest cent; `None`
    /// without a cost or without solved tickets.
    pub cost_per_ticket_cents: Option<u64>,
}

/// A group and its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiGroup {
    pub key: GroupKey,
    pub figures: KpiFigures,
}

/// Open tickets of one agent as of `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenByAgent {
    /// `None`: unassigned tickets.
    pub agent: Option<AgentId>,
    pub open: u32,
}

/// Active tickets as of `now` by wall-clock age. Bounds are "at least" the lower and "less than"
/// the upper: a ticket exactly one day old is in `one_to_three_days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BacklogAging {
    pub under_one_day: u32,
    pub one_to_three_days: u32,
    pub three_to_seven_days: u32,
    pub over_seven_days: u32,
    pub total: u32,
}

/// Work of one agent on the tickets solved in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentProductivity {
    pub agent: AgentId,
    /// Solved tickets of which the agent is the final assignee.
    pub solved: u32,
    /// Time the agent spent on solved tickets, whoever solved them.
    pub handling_seconds: u64,
    /// Handling time per ticket the agent solved.
    pub handling_seconds_per_solved: Option<f64>,
}

/// The answer to a [`KpiQuery`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiReport {
    pub overall: KpiFigures,
    /// Groups in key order (chronological for days and weeks); empty without `group_by`. Only
    /// groups with a figure, unless the query asks for [`KpiQuery::every_period`].
    pub groups: Vec<KpiGroup>,
    /// Open tickets per agent as of `now`, unassigned first, then by agent id.
    pub open_by_agent: Vec<OpenByAgent>,
    pub backlog: BacklogAging,
    /// By agent id.
    pub productivity: Vec<AgentProductivity>,
}

/// Computes the report. `business` measures business time between two instants.
pub fn compute(
    facts: &[TicketFacts],
    query: &KpiQuery,
    now: Timestamp,
    business: BusinessDuration<'_>,
    zones: &dyn TimeZones,
) -> Result<KpiReport, KpiError> {
    if query.to < query.from {
        return Err(KpiError::PeriodEndsBeforeStart {
            from: query.from,
            to: query.to,
        });
    }
    let mut overall = Tally::default();
    let mut groups: BTreeMap<GroupKey, Tally> = BTreeMap::new();
    let mut productivity: BTreeMap<AgentId, (u32, u64)> = BTreeMap::new();
    let mut open: BTreeMap<Option<AgentId>, u32> = BTreeMap::new();
    let mut backlog = BacklogAging::default();

    for t in facts.iter().filter(|t| query.filters.accepts(t)) {
        let mut add = |at: Timestamp, f: &dyn Fn(&mut Tally)| {
            if !query.in_period(at) {
                return;
            }
            f(&mut overall);
            if let Some(by) = query.group_by {
                f(groups
                    .entry(group_key(t, at, by, zones, &query.time_zone))
                    .or_default());
            }
        };

        add(t.created_at, &|g| {
            g.created += 1;
            *g.created_by_channel.entry(t.channel).or_insert(0) += 1;
            count_outcome(&mut g.sla_first_response, t.sla_first_response_met);
            count_outcome(&mut g.sla_resolution, t.sla_resolution_met);
        });

        if let Some(answered) = t.first_response_at {
            let (wall, biz) = durations(t.created_at, answered, business);
            add(answered, &|g| {
                g.first_response_wall.push(wall);
                g.first_response_business.push(biz);
            });
        }

        if let Some(first) = t.first_resolution() {
            add(first, &|g| {
                count_outcome(&mut g.reopened, Some(t.reopen_count > 0))
            });
        }

        if let Some(rating) = t.rating.filter(|r| (1..=5).contains(&r.score)) {
            add(rating.at, &|g| {
                g.rating_sum += u64::from(rating.score);
                g.ratings += 1;
            });
        }

        if let Some(resolved) = t.resolved_at.filter(|_| t.is_solved()) {
            let (wall, biz) = durations(t.created_at, resolved, business);
            let handling: u64 = t
                .handling_time_by_agent
                .values()
                .map(|h| query.handling_seconds(*h))
                .fold(0, u64::saturating_add);
            add(resolved, &|g| {
                g.solved += 1;
                g.resolution_wall.push(wall);
                g.resolution_business.push(biz);
                count_outcome(
                    &mut g.first_contact_resolution,
                    Some(t.is_first_contact_resolution()),
                );
                count_outcome(&mut g.resolved_with_article, Some(t.resolved_with_article));
                count_outcome(
                    &mut g.satisfaction_response,
                    Some(t.rating.is_some_and(valid)),
                );
                g.contacts += u64::from(t.customer_contacts);
                g.handling_seconds = g.handling_seconds.saturating_add(handling);
            });
            if query.in_period(resolved) {
                if let Some(agent) = &t.agent {
                    productivity.entry(agent.clone()).or_default().0 += 1;
                }
                for (agent, h) in &t.handling_time_by_agent {
                    let entry = productivity.entry(agent.clone()).or_default();
                    entry.1 = entry.1.saturating_add(query.handling_seconds(*h));
                }
            }
        }

        if t.is_active() && t.created_at <= now {
            *open.entry(t.agent.clone()).or_insert(0) += 1;
            let age = now - t.created_at;
            let bucket = if age < chrono::Duration::days(1) {
                &mut backlog.under_one_day
            } else if age < chrono::Duration::days(3) {
                &mut backlog.one_to_three_days
            } else if age < chrono::Duration::days(7) {
                &mut backlog.three_to_seven_days
            } else {
                &mut backlog.over_seven_days
            };
            *bucket += 1;
            backlog.total += 1;
        }
    }

    if query.every_period {
        fill_periods(&mut groups, query, zones);
    }

    let cost = query.cost_per_agent_hour_cents;
    Ok(KpiReport {
        overall: overall.finish(cost),
        groups: groups
            .into_iter()
            .map(|(key, tally)| KpiGroup {
                key,
                figures: tally.finish(cost),
            })
            .collect(),
        open_by_agent: open
            .into_iter()
            .map(|(agent, open)| OpenByAgent { agent, open })
            .collect(),
        backlog,
        productivity: productivity
            .into_iter()
            .map(|(agent, (solved, handling_seconds))| AgentProductivity {
                agent,
                solved,
                handling_seconds,
                handling_seconds_per_solved: (solved > 0)
                    .then(|| handling_seconds as f64 / f64::from(solved)),
            })
            .collect(),
    })
}

fn valid(rating: Rating) -> bool {
    (1..=5).contains(&rating.score)
}

/// Running counts for one group, turned into [`KpiFigures`] by [`Tally::finish`].
#[derive(Default)]
struct Tally {
    created: u32,
    created_by_channel: BTreeMap<Channel, u32>,
    first_response_wall: Vec<i64>,
    first_response_business: Vec<i64>,
    resolution_wall: Vec<i64>,
    resolution_business: Vec<i64>,
    first_contact_resolution: (u32, u32),
    reopened: (u32, u32),
    sla_first_response: (u32, u32),
    sla_resolution: (u32, u32),
    rating_sum: u64,
    ratings: u32,
    satisfaction_response: (u32, u32),
    resolved_with_article: (u32, u32),
    contacts: u64,
    solved: u32,
    handling_seconds: u64,
}

impl Tally {
    fn finish(self, cost_per_hour_cents: Option<u64>) -> KpiFigures {
        let rate = |(hits, total): (u32, u32)| Rate::new(hits, total);
        KpiFigures {
            created: self.created,
            created_by_channel: self.created_by_channel,
            first_response_business: DurationStats::from_seconds(self.first_response_business),
            first_response_wall: DurationStats::from_seconds(self.first_response_wall),
            resolution_business: DurationStats::from_seconds(self.resolution_business),
            resolution_wall: DurationStats::from_seconds(self.resolution_wall),
            first_contact_resolution: rate(self.first_contact_resolution),
            reopened: rate(self.reopened),
            sla_first_response: rate(self.sla_first_response),
            sla_resolution: rate(self.sla_resolution),
            satisfaction: Average::new(self.rating_sum as f64, self.ratings),
            satisfaction_response: rate(self.satisfaction_response),
            resolved_with_article: rate(self.resolved_with_article),
            contacts_per_solved: Average::new(self.contacts as f64, self.solved),
            solved: self.solved,
            handling_seconds: self.handling_seconds,
            cost_per_ticket_cents: cost_per_ticket_cents(
                self.handling_seconds,
                cost_per_hour_cents,
                self.solved,
            ),
        }
    }
}

/// `seconds / 3600 × cents_per_hour / solved`, rounded half up, in integers.
fn cost_per_ticket_cents(seconds: u64, cents_per_hour: Option<u64>, solved: u32) -> Option<u64> {
    let cents_per_hour = cents_per_hour?;
    if solved == 0 {
        return None;
    }
    let numerator = u128::from(seconds) * u128::from(cents_per_hour);
    let denominator = 3600 * u128::from(solved);
    u64::try_from((numerator + denominator / 2) / denominator).ok()
}

/// Adds one outcome to a (hits, total) pair; an unknown outcome counts nowhere.
fn count_outcome(pair: &mut (u32, u32), outcome: Option<bool>) {
    if let Some(hit) = outcome {
        pair.1 += 1;
        if hit {
            pair.0 += 1;
        }
    }
}

/// Wall-clock and business seconds from `start` to `end`, zero when `end` is not after `start`.
fn durations(start: Timestamp, end: Timestamp, business: BusinessDuration<'_>) -> (i64, i64) {
    if end <= start {
        return (0, 0);
    }
    let wall = (end - start).num_seconds();
    let biz = business(start, end).num_seconds().max(0);
    (wall, biz)
}

/// Adds an empty group for every day or week of the query's period that has none.
fn fill_periods(groups: &mut BTreeMap<GroupKey, Tally>, query: &KpiQuery, zones: &dyn TimeZones) {
    let week = match query.group_by {
        Some(GroupBy::Day) => false,
        Some(GroupBy::Week) => true,
        _ => return,
    };
    if query.to <= query.from {
        return;
    }
    let local = |at| crate::zone::local_date(zones, &query.time_zone, at);
    // The period is half-open: its last day is the one of the instant just before `to`.
    let (mut day, last) = (
        local(query.from),
        local(query.to - chrono::Duration::nanoseconds(1)),
    );
    for _ in 0..MAX_FILLED_DAYS {
        if day > last {
            break;
        }
        let key = if week {
            GroupKey::Week(monday(day))
        } else {
            GroupKey::Day(day)
        };
        groups.entry(key).or_default();
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
}

/// The Monday that starts `day`'s ISO week.
fn monday(day: NaiveDate) -> NaiveDate {
    let back = chrono::Days::new(u64::from(day.weekday().num_days_from_monday()));
    // A date at least six days after chrono's minimum always has its Monday.
    day.checked_sub_days(back).unwrap_or(day)
}

fn group_key(
    t: &TicketFacts,
    at: Timestamp,
    by: GroupBy,
    zones: &dyn TimeZones,
    tz: &ZoneName,
) -> GroupKey {
    let day = || crate::zone::local_date(zones, tz, at);
    match by {
        GroupBy::Day => GroupKey::Day(day()),
        GroupBy::Week => GroupKey::Week(monday(day())),
        GroupBy::Agent => GroupKey::Agent(t.agent.clone()),
        GroupBy::Team => GroupKey::Team(t.team.clone()),
        GroupBy::Channel => GroupKey::Channel(t.channel),
    }
}

/// The channel's machine name, as serde writes it.
pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::WebForm => "web_form",
        Channel::Chat => "chat",
        Channel::Email => "email",
        Channel::Phone => "phone",
        Channel::InPerson => "in_person",
        Channel::Api => "api",
    }
}

impl KpiReport {
    /// The main figures as a table: one row for the whole period, then one per group.
    /// Durations are in seconds with one decimal, rates are fractions with four decimals, and
    /// figures without samples are empty cells.
    pub fn figures_table(&self) -> Table {
        let header = [
            "group",
            "created",
            "solved",
            "first_response_median_s",
            "first_response_p90_s",
            "first_response_business_median_s",
            "first_response_business_p90_s",
            "resolution_median_s",
            "resolution_p90_s",
            "resolution_business_median_s",
            "resolution_business_p90_s",
            "first_contact_resolution",
            "reopen_rate",
            "sla_first_response",
            "sla_resolution",
            "satisfaction_average",
            "satisfaction_response_rate",
            "resolved_with_article",
            "handling_hours",
            "cost_per_ticket_cents",
        ];
        let row = |label: String, f: &KpiFigures| {
            vec![
                label,
                f.created.to_string(),
                f.solved.to_string(),
                seconds(f.first_response_wall.median_seconds),
                seconds(f.first_response_wall.p90_seconds),
                seconds(f.first_response_business.median_seconds),
                seconds(f.first_response_business.p90_seconds),
                seconds(f.resolution_wall.median_seconds),
                seconds(f.resolution_wall.p90_seconds),
                seconds(f.resolution_business.median_seconds),
                seconds(f.resolution_business.p90_seconds),
                fraction(f.first_contact_resolution.value),
                fraction(f.reopened.value),
                fraction(f.sla_first_response.value),
                fraction(f.sla_resolution.value),
                fraction(f.satisfaction.value),
                fraction(f.satisfaction_response.value),
                fraction(f.resolved_with_article.value),
                format!("{:.2}", f.handling_seconds as f64 / 3600.0),
                f.cost_per_ticket_cents
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            ]
        };
        let mut rows = vec![row("(all)".to_owned(), &self.overall)];
        rows.extend(self.groups.iter().map(|g| row(g.key.label(), &g.figures)));
        Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows,
        }
    }

    /// Tickets created per group and channel: one row per group (or one for the whole period
    /// without grouping), one column per channel, and a total.
    pub fn volume_table(&self) -> Table {
        let mut header = vec!["group".to_owned()];
        header.extend(Channel::ALL.iter().map(|c| channel_name(*c).to_owned()));
        header.push("total".to_owned());
        let row = |label: String, f: &KpiFigures| {
            let mut cells = vec![label];
            cells.extend(Channel::ALL.iter().map(|c| {
                f.created_by_channel
                    .get(c)
                    .copied()
                    .unwrap_or(0)
                    .to_string()
            }));
            cells.push(f.created.to_string());
            cells
        };
        let rows = if self.groups.is_empty() {
            vec![row("(all)".to_owned(), &self.overall)]
        } else {
            self.groups
                .iter()
                .map(|g| row(g.key.label(), &g.figures))
                .collect()
        };
        Table { header, rows }
    }
}

fn seconds(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.1}")).unwrap_or_default()
}

fn fraction(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.4}")).unwrap_or_default()
}
