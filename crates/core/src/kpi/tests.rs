//! KPI tests against hand-computed fixtures. Each expected number is written out with the
//! arithmetic that produces it.

use crate::zone::{TzDatabase, ZoneName};
use chrono::{Datelike, Duration};
use proptest::prelude::*;

use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn agent(s: &str) -> AgentId {
    AgentId(s.to_owned())
}

/// A new, unanswered e-mail question created at `created`, with no other facts.
fn ticket(code: &str, created: &str) -> TicketFacts {
    TicketFacts {
        code: code.to_owned(),
        created_at: ts(created),
        channel: Channel::Email,
        ticket_type: TicketType::Question,
        priority: Priority::Normal,
        team: None,
        agent: None,
        first_response_at: None,
        resolved_at: None,
        resolutions: Vec::new(),
        reopen_count: 0,
        agent_public_replies_before_first_resolution: 0,
        customer_contacts: 0,
        rating: None,
        resolved_with_article: false,
        handling_time_by_agent: BTreeMap::new(),
        sla_first_response_met: None,
        sla_resolution_met: None,
        status: Status::New,
        closed: false,
    }
}

/// `t` resolved at `at` (its only resolution) and still resolved.
fn resolved(mut t: TicketFacts, at: &str) -> TicketFacts {
    t.status = Status::Resolved;
    t.resolved_at = Some(ts(at));
    t.resolutions = vec![ts(at)];
    t
}

fn january() -> KpiQuery {
    KpiQuery::new(ts("2025-01-01T00:00:00Z"), ts("2025-02-01T00:00:00Z"))
}

fn run(facts: &[TicketFacts], query: &KpiQuery) -> KpiReport {
    compute(
        facts,
        query,
        ts("2025-02-01T00:00:00Z"),
        &wall_clock,
        &TzDatabase,
    )
    .unwrap()
}

/// Office hours Monday to Friday, 09:00–17:00 UTC: a business calendar for tests.
fn office_hours(start: Timestamp, end: Timestamp) -> Duration {
    let mut total = Duration::zero();
    let mut day = start.date_naive();
    while day <= end.date_naive() {
        if day.weekday().num_days_from_monday() < 5 {
            let open = day.and_hms_opt(9, 0, 0).unwrap().and_utc();
            let close = day.and_hms_opt(17, 0, 0).unwrap().and_utc();
            let (s, e) = (start.max(open), end.min(close));
            if e > s {
                total += e - s;
            }
        }
        day = day.succ_opt().unwrap();
    }
    total
}

#[test]
fn percentiles_on_odd_and_even_samples() {
    // Odd, n = 5, given unsorted: 10 20 30 40 50.
    let odd = DurationStats::from_seconds(vec![50, 10, 40, 30, 20]);
    assert_eq!(odd.samples, 5);
    // median: h = 4 × 0.5 = 2 → x[2] = 30.
    assert_eq!(odd.median_seconds, Some(30.0));
    // p90: h = 4 × 0.9 = 3.6 → x[3] + 0.6 × (x[4] − x[3]) = 40 + 0.6 × 10 = 46.
    assert_eq!(odd.p90_seconds, Some(46.0));
    // mean: 150 / 5 = 30.
    assert_eq!(odd.mean_seconds, Some(30.0));

    // Even, n = 4: 10 20 30 40.
    let even = DurationStats::from_seconds(vec![40, 30, 20, 10]);
    // median: h = 3 × 0.5 = 1.5 → 20 + 0.5 × 10 = 25 (mean of the two middle values).
    assert_eq!(even.median_seconds, Some(25.0));
    // p90: h = 3 × 0.9 = 2.7 → 30 + 0.7 × 10 = 37.
    assert_eq!(even.p90_seconds, Some(37.0));

    // One sample: every percentile is that sample.
    let one = DurationStats::from_seconds(vec![7]);
    assert_eq!(
        (one.median_seconds, one.p90_seconds),
        (Some(7.0), Some(7.0))
    );

    // Two samples 0 and 1: p90 h = 0.9 → 0.9; median 0.5.
    assert_eq!(percentile(&[0, 1], 90), Some(0.9));
    assert_eq!(percentile(&[0, 1], 50), Some(0.5));
    assert_eq!(percentile(&[0, 1], 0), Some(0.0));
    assert_eq!(percentile(&[0, 1], 100), Some(1.0));
    assert_eq!(percentile(&[0, 1], 101), None);
    assert_eq!(percentile(&[], 50), None);
}

#[test]
fn first_response_times_through_compute() {
    // Answered after 1 h, 2 h and 4 h: 3600, 7200, 14400 s.
    let mut a = ticket("A", "2025-01-06T08:00:00Z");
    a.first_response_at = Some(ts("2025-01-06T09:00:00Z"));
    let mut b = ticket("B", "2025-01-07T08:00:00Z");
    b.first_response_at = Some(ts("2025-01-07T10:00:00Z"));
    let mut c = ticket("C", "2025-01-08T08:00:00Z");
    c.first_response_at = Some(ts("2025-01-08T12:00:00Z"));
    // Created in December, answered in January: counts (attributed to the answer).
    let mut d = ticket("D", "2024-12-31T23:00:00Z");
    d.first_response_at = Some(ts("2025-01-01T00:00:00Z"));
    // Answered in February: does not count.
    let mut e = ticket("E", "2025-01-31T23:00:00Z");
    e.first_response_at = Some(ts("2025-02-01T01:00:00Z"));
    // Device clocks disagree: the answer appears before creation; counts as 0.
    let mut f = ticket("F", "2025-01-09T08:00:00Z");
    f.first_response_at = Some(ts("2025-01-09T07:59:00Z"));

    let r = run(&[a.clone(), b.clone(), c.clone()], &january());
    let frt = r.overall.first_response_wall;
    assert_eq!(frt.samples, 3);
    // Sorted 3600 7200 14400: median x[1] = 7200.
    assert_eq!(frt.median_seconds, Some(7200.0));
    // p90: h = 2 × 0.9 = 1.8 → 7200 + 0.8 × 7200 = 12960.
    assert_eq!(frt.p90_seconds, Some(12960.0));
    // mean: 25200 / 3 = 8400.
    assert_eq!(frt.mean_seconds, Some(8400.0));
    // With the wall clock as the business calendar both agree.
    assert_eq!(r.overall.first_response_business, frt);

    let r = run(&[a, b, c, d, e, f], &january());
    let frt = r.overall.first_response_wall;
    // Samples 0 (F), 3600 (A, D), 7200, 14400; E is outside.
    assert_eq!(frt.samples, 5);
    // Sorted 0 3600 3600 7200 14400: median x[2] = 3600.
    assert_eq!(frt.median_seconds, Some(3600.0));
    // p90: h = 4 × 0.9 = 3.6 → 7200 + 0.6 × 7200 = 11520.
    assert_eq!(frt.p90_seconds, Some(11520.0));
}

#[test]
fn business_hours_versus_wall_clock() {
    // Created Friday 3 January 2025 16:00, answered Monday 10:00, resolved Tuesday 12:00.
    let mut t = ticket("A", "2025-01-03T16:00:00Z");
    t.first_response_at = Some(ts("2025-01-06T10:00:00Z"));
    let t = resolved(t, "2025-01-07T12:00:00Z");
    let r = compute(
        &[t],
        &january(),
        ts("2025-02-01T00:00:00Z"),
        &office_hours,
        &TzDatabase,
    )
    .unwrap();
    let o = &r.overall;
    // Wall: Fri 16:00 → Mon 10:00 = 2 days 18 h = 66 h = 237600 s.
    assert_eq!(o.first_response_wall.median_seconds, Some(237_600.0));
    // Business: Fri 16–17 (1 h) + Mon 9–10 (1 h) = 2 h = 7200 s.
    assert_eq!(o.first_response_business.median_seconds, Some(7_200.0));
    // Wall: Fri 16:00 → Tue 12:00 = 4 days − 4 h = 92 h = 331200 s.
    assert_eq!(o.resolution_wall.median_seconds, Some(331_200.0));
    // Business: Fri 1 h + Mon 8 h + Tue 9–12 3 h = 12 h = 43200 s.
    assert_eq!(o.resolution_business.median_seconds, Some(43_200.0));
    assert_eq!(o.resolution_business.samples, 1);
}

#[test]
fn first_contact_resolution_and_reopen_rate() {
    let mut a = resolved(ticket("A", "2025-01-09T00:00:00Z"), "2025-01-10T00:00:00Z");
    a.agent_public_replies_before_first_resolution = 1;
    let mut b = resolved(ticket("B", "2025-01-09T00:00:00Z"), "2025-01-11T00:00:00Z");
    b.status = Status::Closed;
    b.closed = true;
    let mut c = resolved(ticket("C", "2025-01-09T00:00:00Z"), "2025-01-12T00:00:00Z");
    c.agent_public_replies_before_first_resolution = 3;
    // D: resolved on the 5th, reopened, resolved again on the 13th.
    let mut d = resolved(ticket("D", "2025-01-02T00:00:00Z"), "2025-01-13T00:00:00Z");
    d.resolutions = vec![ts("2025-01-13T00:00:00Z"), ts("2025-01-05T00:00:00Z")];
    d.reopen_count = 1;
    d.agent_public_replies_before_first_resolution = 1;
    // E: resolved on the 8th, reopened, open now: not solved, but first resolved in January.
    let mut e = resolved(ticket("E", "2025-01-07T00:00:00Z"), "2025-01-08T00:00:00Z");
    e.status = Status::Open;
    e.reopen_count = 1;
    // F: resolved in February only: counts nowhere.
    let f = resolved(ticket("F", "2025-01-30T00:00:00Z"), "2025-02-02T00:00:00Z");
    // G: first resolved in December, reopened, solved again in January.
    let mut g = resolved(ticket("G", "2024-12-20T00:00:00Z"), "2025-01-15T00:00:00Z");
    g.resolutions = vec![ts("2024-12-28T00:00:00Z"), ts("2025-01-15T00:00:00Z")];
    g.reopen_count = 1;
    let h = resolved(ticket("H", "2025-01-19T00:00:00Z"), "2025-01-20T00:00:00Z");

    let r = run(&[a, b, c, d, e, f, g, h], &january());
    // Solved in January: A B C D G H = 6. FCR (≤ 1 reply, never reopened): A (1 reply), B (0),
    // H (0) = 3. C has 3 replies; D and G were reopened. 3 / 6 = 0.5.
    assert_eq!(r.overall.solved, 6);
    assert_eq!(r.overall.first_contact_resolution, Rate::new(3, 6));
    assert_eq!(r.overall.first_contact_resolution.value, Some(0.5));
    // First resolved in January: A (10th) B (11th) C (12th) D (5th) E (8th) H (20th) = 6;
    // G was first resolved in December, F in February. Reopened: D, E = 2. 2 / 6 = 1/3.
    assert_eq!(r.overall.reopened.numerator, 2);
    assert_eq!(r.overall.reopened.denominator, 6);
    assert_eq!(r.overall.reopened.value, Some(2.0 / 6.0));
}

#[test]
fn backlog_aging_and_open_per_agent_as_of_now() {
    let now = ts("2025-01-20T12:00:00Z");
    let open = |code: &str, created: &str, status: Status, who: Option<&str>| {
        let mut t = ticket(code, created);
        t.status = status;
        t.agent = who.map(agent);
        t
    };
    let facts = vec![
        // 1 h old → under one day.
        open("a", "2025-01-20T11:00:00Z", Status::Open, Some("ana")),
        // Exactly 1 day old → one to three days (lower bounds are inclusive).
        open("b", "2025-01-19T12:00:00Z", Status::New, Some("ana")),
        // 2 days 23 h → one to three days.
        open("c", "2025-01-17T13:00:00Z", Status::Answered, None),
        // Exactly 3 days → three to seven days.
        open("d", "2025-01-17T12:00:00Z", Status::Postponed, Some("bea")),
        // Exactly 7 days → over seven days.
        open("e", "2025-01-13T12:00:00Z", Status::Open, Some("ana")),
        // Not active: resolved, closed, merged.
        open("f", "2024-12-21T12:00:00Z", Status::Resolved, Some("ana")),
        open("g", "2025-01-10T12:00:00Z", Status::Closed, Some("bea")),
        open("h", "2025-01-10T12:00:00Z", Status::Merged, Some("bea")),
        // Created after `now` (a device clock ahead): not in the snapshot.
        open("i", "2025-01-20T13:00:00Z", Status::Open, Some("bea")),
    ];
    // The period does not matter for snapshots.
    let r = compute(&facts, &january(), now, &wall_clock, &TzDatabase).unwrap();
    assert_eq!(
        r.backlog,
        BacklogAging {
            under_one_day: 1,       // a
            one_to_three_days: 2,   // b, c
            three_to_seven_days: 1, // d
            over_seven_days: 1,     // e
            total: 5,
        }
    );
    assert_eq!(
        r.open_by_agent,
        vec![
            OpenByAgent {
                agent: None,
                open: 1
            }, // c
            OpenByAgent {
                agent: Some(agent("ana")),
                open: 3
            }, // a, b, e
            OpenByAgent {
                agent: Some(agent("bea")),
                open: 1
            }, // d
        ]
    );
}

/// Tickets for SLA, satisfaction, articles, productivity and cost; see the test below for the
/// arithmetic.
fn service_fixture() -> Vec<TicketFacts> {
    let mut t1 = resolved(ticket("T1", "2025-01-04T00:00:00Z"), "2025-01-05T00:00:00Z");
    t1.sla_first_response_met = Some(true);
    t1.sla_resolution_met = Some(true);
    t1.rating = Some(Rating {
        score: 5,
        at: ts("2025-01-06T00:00:00Z"),
    });
    t1.resolved_with_article = true;
    t1.agent = Some(agent("ana"));
    t1.team = Some(TeamId("sales".into()));
    t1.handling_time_by_agent = BTreeMap::from([(agent("ana"), Handling::Seconds(1800))]);
    t1.customer_contacts = 1;

    let mut t2 = resolved(ticket("T2", "2025-01-06T00:00:00Z"), "2025-01-07T00:00:00Z");
    t2.channel = Channel::Chat;
    t2.sla_first_response_met = Some(false);
    t2.sla_resolution_met = Some(true);
    // Rated in February: outside the average, but the ticket is rated.
    t2.rating = Some(Rating {
        score: 2,
        at: ts("2025-02-01T00:00:00Z"),
    });
    t2.agent = Some(agent("bea"));
    t2.handling_time_by_agent = BTreeMap::from([
        (agent("ana"), Handling::Actions(2)),
        (agent("bea"), Handling::Seconds(3600)),
    ]);
    t2.customer_contacts = 3;

    let mut t3 = ticket("T3", "2025-01-08T00:00:00Z");
    t3.status = Status::Open;
    t3.sla_first_response_met = Some(true);
    t3.sla_resolution_met = Some(false);
    t3.agent = Some(agent("bea"));
    t3.handling_time_by_agent = BTreeMap::from([(agent("bea"), Handling::Seconds(600))]);

    let mut t4 = resolved(ticket("T4", "2025-01-08T00:00:00Z"), "2025-01-09T00:00:00Z");
    t4.status = Status::Closed;
    t4.closed = true;
    t4.sla_resolution_met = Some(false);
    // An invalid score is ignored everywhere.
    t4.rating = Some(Rating {
        score: 0,
        at: ts("2025-01-10T00:00:00Z"),
    });
    t4.resolved_with_article = true;
    t4.agent = Some(agent("ana"));
    t4.team = Some(TeamId("sales".into()));
    t4.customer_contacts = 2;

    let mut t5 = resolved(ticket("T5", "2024-12-30T00:00:00Z"), "2025-01-03T00:00:00Z");
    t5.channel = Channel::Phone;
    t5.sla_first_response_met = Some(false);
    t5.rating = Some(Rating {
        score: 4,
        at: ts("2025-01-03T00:00:00Z"),
    });
    t5.agent = Some(agent("bea"));
    t5.handling_time_by_agent = BTreeMap::from([(agent("bea"), Handling::Seconds(1200))]);
    vec![t1, t2, t3, t4, t5]
}

#[test]
fn sla_satisfaction_articles_productivity_and_cost() {
    let mut q = january();
    q.minutes_per_action = 5;
    q.cost_per_agent_hour_cents = Some(3000);
    let r = run(&service_fixture(), &q);
    let o = &r.overall;

    // Created in January: T1 T2 T3 T4 (T5 is from December).
    assert_eq!(o.created, 4);
    // First-response SLA known for T1 ✓, T2 ✗, T3 ✓ (T4 unknown) → 2 / 3.
    assert_eq!(o.sla_first_response, Rate::new(2, 3));
    // Resolution SLA: T1 ✓, T2 ✓, T3 ✗, T4 ✗ → 2 / 4 = 0.5.
    assert_eq!(o.sla_resolution.value, Some(0.5));
    assert_eq!(o.sla_resolution.denominator, 4);

    // Solved in January: T1 (5th), T2 (7th), T4 (9th, closed), T5 (3rd) = 4; T3 is open.
    assert_eq!(o.solved, 4);
    // With an article: T1, T4 → 2 / 4.
    assert_eq!(o.resolved_with_article, Rate::new(2, 4));
    // Ratings given in January with a valid score: T1 5, T5 4 → (5 + 4) / 2 = 4.5.
    assert_eq!(
        o.satisfaction,
        Average {
            samples: 2,
            value: Some(4.5)
        }
    );
    // Solved and rated (validly, at any time): T1, T2, T5 → 3 / 4 = 0.75.
    assert_eq!(o.satisfaction_response.value, Some(0.75));
    // Contacts: (1 + 3 + 2 + 0) / 4 = 1.5.
    assert_eq!(o.contacts_per_solved.value, Some(1.5));

    // Handling on solved tickets: T1 1800 + T2 (2 actions × 5 min = 600, + 3600) + T4 0 +
    // T5 1200 = 7200 s = 2 h. T3 (open) does not count.
    assert_eq!(o.handling_seconds, 7200);
    // Cost: 2 h × 30.00 / 4 tickets = 15.00 → 1500 cents.
    assert_eq!(o.cost_per_ticket_cents, Some(1500));

    assert_eq!(
        r.productivity,
        vec![
            // ana: solved T1, T4; handled T1 1800 + T2 600 = 2400; 2400 / 2 = 1200 per ticket.
            AgentProductivity {
                agent: agent("ana"),
                solved: 2,
                handling_seconds: 2400,
                handling_seconds_per_solved: Some(1200.0),
            },
            // bea: solved T2, T5; handled T2 3600 + T5 1200 = 4800; 4800 / 2 = 2400.
            AgentProductivity {
                agent: agent("bea"),
                solved: 2,
                handling_seconds: 4800,
                handling_seconds_per_solved: Some(2400.0),
            },
        ]
    );
}

#[test]
fn filters_and_grouping_by_agent_team_and_channel() {
    let mut q = january();
    q.filters.agent = Some(agent("ana"));
    let r = run(&service_fixture(), &q);
    // ana's tickets: T1, T4, both solved; handling 1800 + 0.
    assert_eq!((r.overall.created, r.overall.solved), (2, 2));
    assert_eq!(r.overall.handling_seconds, 1800);

    let mut q = january();
    q.filters.channel = Some(Channel::Chat);
    assert_eq!(run(&service_fixture(), &q).overall.solved, 1); // T2

    let mut q = january();
    q.filters.team = Some(TeamId("sales".into()));
    assert_eq!(run(&service_fixture(), &q).overall.solved, 2); // T1, T4

    let mut q = january();
    q.group_by = Some(GroupBy::Agent);
    let r = run(&service_fixture(), &q);
    let by: Vec<(String, u32, u32)> = r
        .groups
        .iter()
        .map(|g| (g.key.label(), g.figures.created, g.figures.solved))
        .collect();
    // ana: created T1 T4, solved T1 T4. bea: created T2 T3, solved T2 T5.
    assert_eq!(by, [("ana".into(), 2, 2), ("bea".into(), 2, 2)]);

    q.group_by = Some(GroupBy::Team);
    let r = run(&service_fixture(), &q);
    let by: Vec<(String, u32)> = r
        .groups
        .iter()
        .map(|g| (g.key.label(), g.figures.solved))
        .collect();
    // No team: T2 T5 solved; sales: T1 T4.
    assert_eq!(by, [("(no team)".into(), 2), ("sales".into(), 2)]);

    q.group_by = Some(GroupBy::Channel);
    let r = run(&service_fixture(), &q);
    let by: Vec<(String, u32, u32)> = r
        .groups
        .iter()
        .map(|g| (g.key.label(), g.figures.created, g.figures.solved))
        .collect();
    // Channel order follows the enum: chat, email, phone. Email: created T1 T3 T4, solved T1 T4.
    assert_eq!(
        by,
        [
            ("chat".into(), 1, 1),
            ("email".into(), 3, 2),
            ("phone".into(), 0, 1)
        ]
    );
    // Group figures add up to the overall figures.
    let total: u32 = r.groups.iter().map(|g| g.figures.solved).sum();
    assert_eq!(total, r.overall.solved);
}

#[test]
fn weeks_across_the_year_boundary_in_mexico_city() {
    // Mexico City is UTC−6 all year (no daylight saving since 2022).
    let mut a = ticket("A", "2024-12-30T05:00:00Z"); // Sun 29 Dec 23:00 local → week of 23 Dec
    a.channel = Channel::Email;
    let mut b = ticket("B", "2025-01-05T23:00:00Z"); // Sun 5 Jan 17:00 local → week of 30 Dec
    b.channel = Channel::Chat;
    let mut c = ticket("C", "2025-01-06T03:00:00Z"); // Sun 5 Jan 21:00 local → week of 30 Dec
    c.channel = Channel::Chat;
    let mut d = ticket("D", "2025-01-06T07:00:00Z"); // Mon 6 Jan 01:00 local → week of 6 Jan
    d.channel = Channel::Phone;
    let facts = [a, b, c, d];

    let mut q = KpiQuery::new(ts("2024-12-16T00:00:00Z"), ts("2025-01-31T00:00:00Z"));
    q.group_by = Some(GroupBy::Week);
    q.time_zone = ZoneName::parse("America/Mexico_City").unwrap();
    let r = run(&facts, &q);
    let weeks: Vec<(GroupKey, String, u32)> = r
        .groups
        .iter()
        .map(|g| (g.key.clone(), g.key.label(), g.figures.created))
        .collect();
    let monday = |y, m, d| GroupKey::Week(NaiveDate::from_ymd_opt(y, m, d).unwrap());
    assert_eq!(
        weeks,
        [
            (monday(2024, 12, 23), "2024-W52".to_owned(), 1), // A
            (monday(2024, 12, 30), "2025-W01".to_owned(), 2), // B, C
            (monday(2025, 1, 6), "2025-W02".to_owned(), 1),   // D
        ]
    );
    // Volume by channel per week.
    let csv = r.volume_table().to_csv();
    assert_eq!(
        csv,
        "group,web_form,chat,email,phone,in_person,api,total\r\n\
         2024-W52,0,0,1,0,0,0,1\r\n\
         2025-W01,0,2,0,0,0,0,2\r\n\
         2025-W02,0,0,0,1,0,0,1\r\n"
    );

    // The same tickets in UTC fall differently: A on Mon 30 Dec, B on Sun 5 Jan (week 1);
    // C and D on Mon 6 Jan (week 2).
    q.time_zone = ZoneName::utc();
    let r = run(&facts, &q);
    let weeks: Vec<(String, u32)> = r
        .groups
        .iter()
        .map(|g| (g.key.label(), g.figures.created))
        .collect();
    assert_eq!(
        weeks,
        [("2025-W01".to_owned(), 2), ("2025-W02".to_owned(), 2)]
    );

    // Days in Mexico City: A on 29 Dec, B and C on 5 Jan, D on 6 Jan.
    q.time_zone = ZoneName::parse("America/Mexico_City").unwrap();
    q.group_by = Some(GroupBy::Day);
    let r = run(&facts, &q);
    let days: Vec<(String, u32)> = r
        .groups
        .iter()
        .map(|g| (g.key.label(), g.figures.created))
        .collect();
    assert_eq!(
        days,
        [
            ("2024-12-29".to_owned(), 1),
            ("2025-01-05".to_owned(), 2),
            ("2025-01-06".to_owned(), 1)
        ]
    );
}

#[test]
fn empty_inputs_give_none_never_nan() {
    let mut q = january();
    q.cost_per_agent_hour_cents = Some(3000);
    q.group_by = Some(GroupBy::Day);
    let r = run(&[], &q);
    let o = &r.overall;
    for stats in [
        o.first_response_wall,
        o.first_response_business,
        o.resolution_wall,
        o.resolution_business,
    ] {
        assert_eq!(stats, DurationStats::default());
        assert_eq!(stats.median_seconds, None);
    }
    for rate in [
        o.first_contact_resolution,
        o.reopened,
        o.sla_first_response,
        o.sla_resolution,
        o.satisfaction_response,
        o.resolved_with_article,
    ] {
        assert_eq!(
            rate,
            Rate {
                numerator: 0,
                denominator: 0,
                value: None
            }
        );
    }
    assert_eq!(o.satisfaction.value, None);
    assert_eq!(o.contacts_per_solved.value, None);
    assert_eq!(o.cost_per_ticket_cents, None);
    assert!(r.groups.is_empty() && r.open_by_agent.is_empty() && r.productivity.is_empty());
    assert_eq!(r.backlog, BacklogAging::default());

    // Handling time but nothing solved: still no cost per ticket.
    let mut t = ticket("A", "2025-01-02T00:00:00Z");
    t.handling_time_by_agent = BTreeMap::from([(agent("ana"), Handling::Seconds(3600))]);
    assert_eq!(run(&[t], &q).overall.cost_per_ticket_cents, None);

    // An empty table renders empty cells, not "NaN".
    let csv = run(&[], &january()).figures_table().to_csv();
    assert!(!csv.contains("NaN"));
    assert!(csv.ends_with("(all),0,0,,,,,,,,,,,,,,,,0.00,\r\n"), "{csv}");
}

#[test]
fn cost_rounds_to_the_nearest_cent() {
    // 1000 s × 100 cents/h / 3600 s/h / 1 = 27.78 → 28.
    assert_eq!(cost_per_ticket_cents(1000, Some(100), 1), Some(28));
    // 1800 s × 100 / 3600 / 4 = 12.5 → 13 (half up).
    assert_eq!(cost_per_ticket_cents(1800, Some(100), 4), Some(13));
    assert_eq!(cost_per_ticket_cents(1800, None, 4), None);
    assert_eq!(cost_per_ticket_cents(1800, Some(100), 0), None);
    assert_eq!(
        cost_per_ticket_cents(u64::MAX, Some(u64::MAX), 1),
        None,
        "too large for u64"
    );
}

#[test]
fn a_period_that_ends_before_it_starts_is_an_error() {
    let q = KpiQuery::new(ts("2025-02-01T00:00:00Z"), ts("2025-01-01T00:00:00Z"));
    let err = compute(
        &[],
        &q,
        ts("2025-02-01T00:00:00Z"),
        &wall_clock,
        &TzDatabase,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("choose an end after the start"),
        "{err}"
    );
    // An empty period is fine and counts nothing.
    let t = ticket("A", "2025-01-01T00:00:00Z");
    let q = KpiQuery::new(ts("2025-01-01T00:00:00Z"), ts("2025-01-01T00:00:00Z"));
    assert_eq!(run(&[t], &q).overall.created, 0);
}

#[test]
fn csv_quotes_and_defuses_formulas() {
    assert_eq!(csv_cell("plain"), "plain");
    assert_eq!(csv_cell("a,b"), "\"a,b\"");
    assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
    assert_eq!(csv_cell("cr\r"), "\"cr\r\"");
    assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    assert_eq!(csv_cell("+1"), "'+1");
    assert_eq!(csv_cell("-1"), "'-1");
    assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(csv_cell("\tx"), "'\tx");
    assert_eq!(csv_cell("a=b"), "a=b");
    assert_eq!(csv_cell(""), "");
    let table = Table {
        header: vec!["agent".into(), "note".into()],
        rows: vec![vec!["Pérez, Ana".into(), "=1+1".into()]],
    };
    assert_eq!(table.to_csv(), "agent,note\r\n\"Pérez, Ana\",'=1+1\r\n");
}

#[test]
fn report_serializes_to_json() {
    let mut q = january();
    q.group_by = Some(GroupBy::Week);
    let r = run(&service_fixture(), &q);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(
        json["groups"][0]["key"],
        serde_json::json!({"by": "week", "key": "2024-12-30"})
    );
    assert_eq!(json["overall"]["created_by_channel"]["chat"], 1);
    // Floats may lose a last digit through JSON text; counts and keys must survive exactly.
    let back: KpiReport = serde_json::from_value(json).unwrap();
    assert_eq!(back.groups.len(), r.groups.len());
    assert_eq!(back.productivity, r.productivity);
    assert_eq!(back.overall.sla_first_response.denominator, 3);
    let q_json = serde_json::to_string(&q).unwrap();
    assert_eq!(serde_json::from_str::<KpiQuery>(&q_json).unwrap(), q);
}

/// A minimal RFC 4180 reader, to check that what `to_csv` writes reads back.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

proptest! {
    #[test]
    fn percentiles_stay_within_the_sample_and_grow_with_p(
        mut xs in proptest::collection::vec(-1_000_000i64..1_000_000, 1..40),
        p in 0u8..=100,
        q in 0u8..=100,
    ) {
        xs.sort_unstable();
        let (lo, hi) = (p.min(q), p.max(q));
        let a = percentile(&xs, lo).unwrap();
        let b = percentile(&xs, hi).unwrap();
        prop_assert!(a <= b);
        prop_assert!(xs[0] as f64 <= a && b <= xs[xs.len() - 1] as f64);
    }

    #[test]
    fn csv_reads_back_with_only_the_guard_added(
        cells in proptest::collection::vec(proptest::collection::vec("[a-z,\"=+@\\- \r\n]{0,6}", 1..4), 1..4)
    ) {
        let table = Table { header: vec!["h".into()], rows: cells.clone() };
        let parsed = parse_csv(&table.to_csv());
        prop_assert_eq!(parsed.len(), cells.len() + 1);
        for (row, original) in parsed[1..].iter().zip(&cells) {
            let expected: Vec<String> = original
                .iter()
                .map(|c| {
                    if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                        format!("'{c}")
                    } else {
                        c.clone()
                    }
                })
                .collect();
            prop_assert_eq!(row, &expected);
        }
    }
}

#[test]
fn each_figure_lands_in_the_bucket_of_its_own_moment() {
    // Created on the 6th, answered on the 7th, resolved on the 8th, rated on the 9th.
    let mut t = ticket("A", "2025-01-06T10:00:00Z");
    t.first_response_at = Some(ts("2025-01-07T10:00:00Z"));
    t.rating = Some(Rating {
        score: 3,
        at: ts("2025-01-09T10:00:00Z"),
    });
    let t = resolved(t, "2025-01-08T10:00:00Z");
    let mut q = january();
    q.group_by = Some(GroupBy::Day);
    let r = run(&[t], &q);
    let days: Vec<(String, u32, u32, u32, u32, u32)> = r
        .groups
        .iter()
        .map(|g| {
            let f = &g.figures;
            (
                g.key.label(),
                f.created,
                f.first_response_wall.samples,
                f.solved,
                f.reopened.denominator,
                f.satisfaction.samples,
            )
        })
        .collect();
    assert_eq!(
        days,
        [
            ("2025-01-06".to_owned(), 1, 0, 0, 0, 0),
            ("2025-01-07".to_owned(), 0, 1, 0, 0, 0),
            ("2025-01-08".to_owned(), 0, 0, 1, 1, 0),
            ("2025-01-09".to_owned(), 0, 0, 0, 0, 1),
        ]
    );
    // Answered after 24 h, resolved after 48 h.
    assert_eq!(
        r.groups[1].figures.first_response_wall.median_seconds,
        Some(86_400.0)
    );
    assert_eq!(
        r.groups[2].figures.resolution_wall.median_seconds,
        Some(172_800.0)
    );
}

/// A reply in the same second as the opening (or before it, by a skewed clock) is a first
/// response of zero seconds: a sample, not a missing figure, both overall and in its day, so a
/// dashboard's card and chart agree. A period without replies has no sample at all.
#[test]
fn a_zero_second_response_is_a_sample_in_the_period_and_in_its_day() {
    let mut same_second = ticket("T-1", "2025-01-10T09:00:00Z");
    same_second.first_response_at = Some(ts("2025-01-10T09:00:00Z"));
    let mut skewed = ticket("T-2", "2025-01-10T10:00:00Z");
    skewed.first_response_at = Some(ts("2025-01-10T09:59:00Z"));
    let unanswered = ticket("T-3", "2025-01-11T09:00:00Z");
    let mut query = january();
    query.group_by = Some(GroupBy::Day);
    let r = run(&[same_second, skewed, unanswered], &query);
    let overall = r.overall.first_response_wall;
    assert_eq!(overall.samples, 2);
    assert_eq!(overall.median_seconds, Some(0.0));
    assert_eq!(overall.p90_seconds, Some(0.0));
    let day = |d: &str| {
        r.groups
            .iter()
            .find(|g| g.key == GroupKey::Day(d.parse().unwrap()))
            .map(|g| g.figures.first_response_wall)
            .unwrap()
    };
    assert_eq!(day("2025-01-10").samples, 2);
    assert_eq!(day("2025-01-10").median_seconds, Some(0.0));
    // The 11th has a ticket created but nothing answered: no sample, no median.
    assert_eq!(day("2025-01-11").samples, 0);
    assert_eq!(day("2025-01-11").median_seconds, None);
}

/// Asked for every period, a grouped report lists the days (or weeks) without any figure too,
/// in order and with empty figures, within the half-open period in the query's time zone.
#[test]
fn every_period_lists_the_days_and_weeks_without_figures() {
    let facts = [ticket("T-1", "2025-01-03T12:00:00Z")];
    let mut query = KpiQuery::new(ts("2025-01-01T00:00:00Z"), ts("2025-01-06T00:00:00Z"));
    query.group_by = Some(GroupBy::Day);
    // Without the option, only the day that has a figure.
    assert_eq!(run(&facts, &query).groups.len(), 1);
    query.every_period = true;
    let r = run(&facts, &query);
    let days: Vec<String> = r.groups.iter().map(|g| g.key.label()).collect();
    // 1 to 5 January: `to` (the 6th at midnight) is excluded.
    assert_eq!(
        days,
        [
            "2025-01-01",
            "2025-01-02",
            "2025-01-03",
            "2025-01-04",
            "2025-01-05"
        ]
    );
    let created: Vec<u32> = r.groups.iter().map(|g| g.figures.created).collect();
    assert_eq!(created, [0, 0, 1, 0, 0]);
    assert_eq!(r.groups[0].figures.first_response_wall.median_seconds, None);
    // Weeks: Wednesday 1 to Sunday 5 January is in ISO week 1; Monday 6 starts week 2.
    query.group_by = Some(GroupBy::Week);
    query.to = ts("2025-01-07T00:00:00Z");
    let weeks: Vec<String> = run(&facts, &query)
        .groups
        .iter()
        .map(|g| g.key.label())
        .collect();
    assert_eq!(weeks, ["2025-W01", "2025-W02"]);
    // Grouping by something else than time adds nothing.
    query.group_by = Some(GroupBy::Agent);
    assert_eq!(run(&facts, &query).groups.len(), 1);
}
