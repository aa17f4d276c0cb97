//! Hand-computed fixtures: each expected instant is worked out from the local time and the UTC
//! offset in force on that date (Madrid CET +1 / CEST +2, New York EST −5 / EDT −4, São Paulo
//! BRT −3 / BRST −2).

use crate::zone::{TimeZones, TzDatabase, ZoneName};
use chrono::{Duration, NaiveDate, TimeZone, Utc, Weekday};
use proptest::prelude::*;

use super::*;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn range(s: (u8, u8), e: (u8, u8)) -> TimeRange {
    TimeRange::new(s, e).unwrap()
}

fn hours(h: i64) -> Duration {
    Duration::hours(h)
}

/// Mon–Fri 09:00–13:00 and 14:00–18:00 in Madrid; Christmas and New Year yearly, 2 May 2024 once.
fn madrid_office() -> BusinessCalendar {
    BusinessCalendar::new(
        &TzDatabase,
        "madrid",
        "Oficina Madrid",
        "Europe/Madrid",
        WeeklyHours::weekdays(&[range((9, 0), (13, 0)), range((14, 0), (18, 0))]),
    )
    .unwrap()
    .with_holidays([
        Holiday::yearly(date(2020, 1, 1), "Año Nuevo"),
        Holiday::yearly(date(2020, 12, 25), "Navidad"),
        Holiday::once(date(2024, 5, 2), "Comunidad de Madrid"),
    ])
}

fn new_york_office() -> BusinessCalendar {
    BusinessCalendar::new(
        &TzDatabase,
        "nyc",
        "NYC",
        "America/New_York",
        WeeklyHours::weekdays(&[range((9, 0), (17, 0))]),
    )
    .unwrap()
}

/// Open all day on the given days only, in `tz`, with a far-away holiday so that the
/// always-open shortcut is not taken and the DST arithmetic is really exercised.
fn all_day(tz: &str, days: &[Weekday]) -> BusinessCalendar {
    BusinessCalendar::new(
        &TzDatabase,
        "all",
        "all",
        tz,
        WeeklyHours::on(days, &[TimeRange::ALL_DAY]),
    )
    .unwrap()
    .with_holidays([Holiday::once(date(1970, 1, 1), "none")])
}

fn only_on(tz: &str, day: Weekday, r: TimeRange) -> BusinessCalendar {
    BusinessCalendar::new(&TzDatabase, "one", "one", tz, WeeklyHours::on(&[day], &[r])).unwrap()
}

const WEEK_ALL: [Weekday; 7] = WEEK;

// ---------------------------------------------------------------- weekdays, lunch, holidays

#[test]
fn lunch_break_is_skipped() {
    let cal = madrid_office();
    // Mon 3 June 2024 12:30 CEST = 10:30Z; 30 min before lunch, 30 min after → 14:30 CEST.
    let due = cal.add_business_duration(&TzDatabase, utc(2024, 6, 3, 10, 30), hours(1));
    assert_eq!(due, Some(utc(2024, 6, 3, 12, 30)));
    assert_eq!(
        cal.business_duration(
            &TzDatabase,
            utc(2024, 6, 3, 10, 30),
            utc(2024, 6, 3, 12, 30)
        ),
        hours(1)
    );
}

#[test]
fn weekend_is_skipped() {
    let cal = madrid_office();
    // Fri 7 June 17:00 CEST + 2h → Mon 10 June 10:00 CEST.
    let start = utc(2024, 6, 7, 15, 0);
    let due = cal
        .add_business_duration(&TzDatabase, start, hours(2))
        .unwrap();
    assert_eq!(due, utc(2024, 6, 10, 8, 0));
    assert_eq!(cal.business_duration(&TzDatabase, start, due), hours(2));
}

#[test]
fn target_running_out_at_closing_time_is_due_at_closing_time() {
    let cal = madrid_office();
    assert_eq!(
        cal.add_business_duration(&TzDatabase, utc(2024, 6, 3, 15, 0), hours(1)),
        Some(utc(2024, 6, 3, 16, 0))
    );
}

#[test]
fn starting_while_closed_counts_from_next_opening() {
    let cal = madrid_office();
    // Saturday noon + 30 min → Monday 09:30 CEST.
    assert_eq!(
        cal.add_business_duration(&TzDatabase, utc(2024, 6, 8, 12, 0), Duration::minutes(30)),
        Some(utc(2024, 6, 10, 7, 30))
    );
    assert_eq!(
        cal.next_open(&TzDatabase, utc(2024, 6, 8, 12, 0)),
        Some(utc(2024, 6, 10, 7, 0))
    );
}

#[test]
fn zero_duration_is_due_immediately() {
    let cal = madrid_office();
    let sat = utc(2024, 6, 8, 12, 0);
    assert_eq!(
        cal.add_business_duration(&TzDatabase, sat, Duration::zero()),
        Some(sat)
    );
}

#[test]
fn yearly_holiday_across_new_year() {
    let cal = madrid_office();
    // Tue 31 Dec 2024 17:00 CET + 2h: 1h on the 31st, 1 Jan (Wed) is a holiday → Thu 2 Jan 10:00.
    let start = utc(2024, 12, 31, 16, 0);
    let due = cal
        .add_business_duration(&TzDatabase, start, hours(2))
        .unwrap();
    assert_eq!(due, utc(2025, 1, 2, 9, 0));
    assert_eq!(cal.business_duration(&TzDatabase, start, due), hours(2));
}

#[test]
fn one_off_holiday_only_that_year() {
    let cal = madrid_office();
    // Wed 1 May 2024 17:00 CEST + 2h; Thu 2 May 2024 closed → Fri 3 May 10:00 CEST.
    assert_eq!(
        cal.add_business_duration(&TzDatabase, utc(2024, 5, 1, 15, 0), hours(2)),
        Some(utc(2024, 5, 3, 8, 0))
    );
    // Thu 1 May 2025 17:00 + 2h; Fri 2 May 2025 is a normal day → 10:00.
    assert_eq!(
        cal.add_business_duration(&TzDatabase, utc(2025, 5, 1, 15, 0), hours(2)),
        Some(utc(2025, 5, 2, 8, 0))
    );
}

#[test]
fn christmas_week() {
    let cal = madrid_office();
    // Mon 23 – Sun 29 Dec 2024: Wed 25 closed → 4 days × 8h.
    assert_eq!(
        cal.business_duration(
            &TzDatabase,
            utc(2024, 12, 23, 0, 0),
            utc(2024, 12, 30, 0, 0)
        ),
        hours(32)
    );
}

#[test]
fn business_duration_is_antisymmetric() {
    let cal = madrid_office();
    let (a, b) = (utc(2024, 6, 3, 8, 0), utc(2024, 6, 4, 8, 0));
    assert_eq!(cal.business_duration(&TzDatabase, a, b), hours(8));
    assert_eq!(cal.business_duration(&TzDatabase, b, a), hours(-8));
}

#[test]
fn long_ranges_span_years() {
    let cal = madrid_office();
    // 2025 has 261 weekdays; Wed 1 Jan and Thu 25 Dec are holidays → 259 × 8h.
    let start = utc(2024, 12, 31, 23, 0); // 1 Jan 2025 00:00 CET
    let end = utc(2025, 12, 31, 23, 0); // 1 Jan 2026 00:00 CET
    assert_eq!(
        cal.business_duration(&TzDatabase, start, end),
        hours(259 * 8)
    );
    assert_eq!(
        cal.add_business_duration(&TzDatabase, start, hours(259 * 8)),
        Some(utc(2025, 12, 31, 17, 0))
    );
}

#[test]
fn is_open_respects_ranges_and_holidays() {
    let cal = madrid_office();
    assert!(!cal.is_open(&TzDatabase, utc(2024, 6, 3, 6, 59))); // 08:59
    assert!(cal.is_open(&TzDatabase, utc(2024, 6, 3, 7, 0))); // 09:00
    assert!(cal.is_open(&TzDatabase, utc(2024, 6, 3, 10, 59))); // 12:59
    assert!(!cal.is_open(&TzDatabase, utc(2024, 6, 3, 11, 0))); // 13:00 lunch
    assert!(cal.is_open(&TzDatabase, utc(2024, 6, 3, 12, 0))); // 14:00
    assert!(!cal.is_open(&TzDatabase, utc(2024, 6, 3, 16, 0))); // 18:00
    assert!(!cal.is_open(&TzDatabase, utc(2024, 6, 8, 10, 0))); // Saturday
    assert!(!cal.is_open(&TzDatabase, utc(2024, 12, 25, 10, 0))); // Christmas
}

#[test]
fn always_open_counts_wall_time() {
    let cal = BusinessCalendar::always_open("24x7", "24×7");
    let a = utc(2024, 3, 1, 0, 0);
    assert_eq!(
        cal.business_duration(&TzDatabase, a, utc(2024, 3, 31, 0, 0)),
        hours(30 * 24)
    );
    assert_eq!(
        cal.add_business_duration(&TzDatabase, a, hours(25)),
        Some(utc(2024, 3, 2, 1, 0))
    );
    assert!(cal.is_open(&TzDatabase, a));
    assert!(cal.validate().is_ok());
}

// ---------------------------------------------------------------- daylight saving time

#[test]
fn madrid_spring_forward_weekend() {
    let cal = madrid_office();
    // Fri 29 Mar 2024 17:00 CET (16:00Z) + 2h → Mon 1 Apr 10:00 CEST (08:00Z).
    assert_eq!(
        cal.add_business_duration(&TzDatabase, utc(2024, 3, 29, 16, 0), hours(2)),
        Some(utc(2024, 4, 1, 8, 0))
    );
}

#[test]
fn madrid_fall_back_weekend() {
    let cal = madrid_office();
    // Fri 25 Oct 2024 17:00 CEST (15:00Z) + 2h → Mon 28 Oct 10:00 CET (09:00Z).
    assert_eq!(
        cal.add_business_duration(&TzDatabase, utc(2024, 10, 25, 15, 0), hours(2)),
        Some(utc(2024, 10, 28, 9, 0))
    );
}

#[test]
fn madrid_transition_days_have_23_and_25_hours() {
    let cal = all_day("Europe/Madrid", &[Weekday::Sun]);
    // Week Mon 25 Mar – Mon 1 Apr 2024, only Sunday 31 Mar (spring forward) open.
    assert_eq!(
        cal.business_duration(&TzDatabase, utc(2024, 3, 25, 0, 0), utc(2024, 4, 1, 0, 0)),
        hours(23)
    );
    // Week with Sunday 27 Oct (fall back).
    assert_eq!(
        cal.business_duration(
            &TzDatabase,
            utc(2024, 10, 21, 0, 0),
            utc(2024, 10, 28, 0, 0)
        ),
        hours(25)
    );
}

#[test]
fn madrid_range_across_spring_forward_gap() {
    // 01:00–04:00 on 31 Mar 2024: 01:00 CET (00:00Z) to 04:00 CEST (02:00Z) = 2h.
    let cal = only_on("Europe/Madrid", Weekday::Sun, range((1, 0), (4, 0)));
    let week = (utc(2024, 3, 25, 0, 0), utc(2024, 4, 1, 0, 0));
    assert_eq!(cal.business_duration(&TzDatabase, week.0, week.1), hours(2));
    // A range starting inside the gap opens at the transition (01:00Z, clock jumps to 03:00).
    let cal = only_on("Europe/Madrid", Weekday::Sun, range((2, 30), (4, 0)));
    assert_eq!(cal.business_duration(&TzDatabase, week.0, week.1), hours(1));
    assert_eq!(
        cal.next_open(&TzDatabase, week.0),
        Some(utc(2024, 3, 31, 1, 0))
    );
    assert_eq!(
        cal.add_business_duration(&TzDatabase, week.0, Duration::minutes(30)),
        Some(utc(2024, 3, 31, 1, 30))
    );
}

#[test]
fn madrid_range_across_fall_back_overlap() {
    // 01:00–04:00 on 27 Oct 2024: 01:00 CEST (23:00Z on the 26th) to 04:00 CET (03:00Z) = 4h.
    let cal = only_on("Europe/Madrid", Weekday::Sun, range((1, 0), (4, 0)));
    let week = (utc(2024, 10, 21, 0, 0), utc(2024, 10, 28, 0, 0));
    assert_eq!(cal.business_duration(&TzDatabase, week.0, week.1), hours(4));
    // 02:30–03:30: opens at the first 02:30 (CEST, 00:30Z), closes at 03:30 CET (02:30Z) = 2h.
    let cal = only_on("Europe/Madrid", Weekday::Sun, range((2, 30), (3, 30)));
    assert_eq!(cal.business_duration(&TzDatabase, week.0, week.1), hours(2));
    assert!(cal.is_open(&TzDatabase, utc(2024, 10, 27, 1, 30))); // 02:30 CET, second pass
    assert!(!cal.is_open(&TzDatabase, utc(2024, 10, 27, 2, 30)));
}

#[test]
fn new_york_spring_forward_weekend() {
    let cal = new_york_office();
    // Fri 8 Mar 2024 16:00 EST (21:00Z) + 2h → Mon 11 Mar 10:00 EDT (14:00Z).
    assert_eq!(
        cal.add_business_duration(&TzDatabase, utc(2024, 3, 8, 21, 0), hours(2)),
        Some(utc(2024, 3, 11, 14, 0))
    );
}

#[test]
fn new_york_fall_back_weekend() {
    let cal = new_york_office();
    // Fri 1 Nov 2024 16:00 EDT (20:00Z) + 2h → Mon 4 Nov 10:00 EST (15:00Z).
    let start = utc(2024, 11, 1, 20, 0);
    assert_eq!(
        cal.add_business_duration(&TzDatabase, start, hours(2)),
        Some(utc(2024, 11, 4, 15, 0))
    );
    assert_eq!(
        cal.business_duration(&TzDatabase, start, utc(2024, 11, 4, 15, 0)),
        hours(2)
    );
}

#[test]
fn new_york_transition_days() {
    let cal = all_day("America/New_York", &WEEK_ALL);
    // 10 Mar 2024 00:00 EST (05:00Z) → 11 Mar 00:00 EDT (04:00Z).
    assert_eq!(
        cal.business_duration(&TzDatabase, utc(2024, 3, 10, 5, 0), utc(2024, 3, 11, 4, 0)),
        hours(23)
    );
    // 3 Nov 2024 00:00 EDT (04:00Z) → 4 Nov 00:00 EST (05:00Z).
    assert_eq!(
        cal.business_duration(&TzDatabase, utc(2024, 11, 3, 4, 0), utc(2024, 11, 4, 5, 0)),
        hours(25)
    );
    // 01:00–02:30 on 3 Nov: first 01:00 (EDT, 05:00Z) to 02:30 EST (07:30Z), both passes.
    let cal = only_on("America/New_York", Weekday::Sun, range((1, 0), (2, 30)));
    assert_eq!(
        cal.business_duration(&TzDatabase, utc(2024, 11, 2, 0, 0), utc(2024, 11, 4, 0, 0)),
        Duration::minutes(150)
    );
    assert!(cal.is_open(&TzDatabase, utc(2024, 11, 3, 6, 30))); // 01:30 EST, the repeated hour
}

#[test]
fn sao_paulo_midnight_transitions() {
    // 4 Nov 2018: clocks jumped from 00:00 to 01:00. 00:00–12:00 opens at the jump (03:00Z)
    // and closes at 12:00 BRST (14:00Z) = 11h.
    let cal = only_on("America/Sao_Paulo", Weekday::Sun, range((0, 0), (12, 0)));
    assert_eq!(
        cal.business_duration(&TzDatabase, utc(2018, 11, 1, 0, 0), utc(2018, 11, 8, 0, 0)),
        hours(11)
    );
    // 17 Feb 2019: at 00:00 BRST clocks went back to 23:00 on the 16th. Saturday 22:00–24:00
    // runs from 22:00 BRST (00:00Z) to 00:00 BRT of the 17th (03:00Z) = 3h.
    let cal = only_on("America/Sao_Paulo", Weekday::Sat, range((22, 0), (24, 0)));
    assert_eq!(
        cal.business_duration(&TzDatabase, utc(2019, 2, 14, 0, 0), utc(2019, 2, 20, 0, 0)),
        hours(3)
    );
}

// ---------------------------------------------------------------- validation and serde

#[test]
fn validation_reports_each_problem() {
    let mut cal = madrid_office();
    assert_eq!(cal.validate(), Ok(()));

    cal.hours.monday = vec![range((9, 0), (13, 0)), range((12, 0), (15, 0))];
    cal.hours.tuesday = vec![TimeRange {
        start: TimeOfDay::new(18, 0).unwrap(),
        end: TimeOfDay::new(9, 0).unwrap(),
    }];
    let problems = cal.problems();
    assert_eq!(
        problems,
        vec![
            CalendarError::OverlappingRanges {
                calendar: cal.id.clone(),
                weekday: Weekday::Mon,
                first: range((9, 0), (13, 0)),
                second: range((12, 0), (15, 0)),
            },
            CalendarError::RangeEndsBeforeStart {
                calendar: cal.id.clone(),
                weekday: Weekday::Tue,
                range: cal.hours.tuesday[0],
            },
        ]
    );
    assert!(problems[0].to_string().contains("overlap"));
}

#[test]
fn calendar_without_hours_is_rejected_and_never_loops() {
    let cal = BusinessCalendar::new(&TzDatabase, "x", "x", "UTC", WeeklyHours::default()).unwrap();
    assert_eq!(
        cal.validate(),
        Err(CalendarError::NoOpenHours {
            calendar: cal.id.clone()
        })
    );
    assert_eq!(
        cal.add_business_duration(&TzDatabase, utc(2024, 1, 1, 0, 0), hours(1)),
        None
    );
    assert_eq!(cal.next_open(&TzDatabase, utc(2024, 1, 1, 0, 0)), None);
    assert_eq!(
        cal.business_duration(&TzDatabase, utc(2024, 1, 1, 0, 0), utc(2025, 1, 1, 0, 0)),
        Duration::zero()
    );
}

#[test]
fn calendar_closed_by_holidays_every_day_is_rejected_and_never_loops() {
    let mut cal = madrid_office();
    let mut d = date(2024, 1, 1);
    while d.year() == 2024 {
        cal.holidays.push(Holiday::yearly(d, ""));
        d = d.succ_opt().unwrap();
    }
    assert!(matches!(
        cal.validate(),
        Err(CalendarError::AlwaysOnHoliday { .. })
    ));
    assert_eq!(
        cal.add_business_duration(&TzDatabase, utc(2024, 1, 1, 0, 0), hours(1)),
        None
    );
}

#[test]
fn unknown_time_zone_is_a_typed_error() {
    let err = BusinessCalendar::new(
        &TzDatabase,
        "x",
        "x",
        "Europe/Madird",
        WeeklyHours::always(),
    )
    .unwrap_err();
    assert_eq!(err, CalendarError::UnknownTimeZone("Europe/Madird".into()));
    assert!(err.to_string().contains("IANA"));
    assert_eq!(
        parse_time_zone(&TzDatabase, " America/Sao_Paulo "),
        Ok(ZoneName::parse("America/Sao_Paulo").unwrap())
    );
}

#[test]
fn time_of_day_parsing() {
    assert_eq!("09:30".parse::<TimeOfDay>().unwrap().minutes(), 570);
    assert_eq!("24:00".parse::<TimeOfDay>(), Ok(TimeOfDay::END_OF_DAY));
    for bad in ["24:01", "9", "09:60", "ab:cd", "-1:00", "123:00", "09:5"] {
        assert_eq!(
            bad.parse::<TimeOfDay>(),
            Err(CalendarError::BadTimeOfDay(bad.into())),
            "{bad}"
        );
    }
}

#[test]
fn serde_uses_time_zone_names_and_hh_mm() {
    let cal = madrid_office();
    let json = serde_json::to_value(&cal).unwrap();
    assert_eq!(json["time_zone"], "Europe/Madrid");
    assert_eq!(json["hours"]["monday"][1]["start"], "14:00");
    let back: BusinessCalendar = serde_json::from_value(json).unwrap();
    assert_eq!(back, cal);

    // A well-formed name reads; whether the zone exists is the zone source's question.
    let text = r#"{"id":"x","name":"x","time_zone":"Mars/Olympus","hours":{}}"#;
    let mars = serde_json::from_str::<BusinessCalendar>(text).unwrap();
    assert!(!TzDatabase.knows(&mars.time_zone));
    let text = r#"{"id":"x","name":"x","time_zone":"<b>x</b>","hours":{}}"#;
    assert!(serde_json::from_str::<BusinessCalendar>(text).is_err());
    let text = r#"{"id":"x","name":"x","time_zone":"UTC","hours":{"monday":[{"start":"9:00","end":"25:00"}]}}"#;
    let err = serde_json::from_str::<BusinessCalendar>(text).unwrap_err();
    assert!(err.to_string().contains("25:00"), "{err}");
}

// ---------------------------------------------------------------- properties

fn calendars() -> Vec<BusinessCalendar> {
    vec![
        madrid_office(),
        new_york_office(),
        all_day("America/New_York", &WEEK_ALL),
        BusinessCalendar::new(
            &TzDatabase,
            "sp",
            "sp",
            "America/Sao_Paulo",
            WeeklyHours {
                saturday: vec![range((22, 0), (24, 0))],
                sunday: vec![range((0, 0), (12, 0))],
                ..WeeklyHours::weekdays(&[range((8, 0), (12, 0)), range((13, 0), (20, 0))])
            },
        )
        .unwrap(),
        // Lord Howe Island shifts by 30 minutes at 02:00.
        BusinessCalendar::new(
            &TzDatabase,
            "lh",
            "lh",
            "Australia/Lord_Howe",
            WeeklyHours::on(&WEEK_ALL, &[range((1, 0), (3, 0)), range((9, 0), (17, 0))]),
        )
        .unwrap(),
        BusinessCalendar::always_open("24x7", "24×7"),
    ]
}

fn instant() -> impl Strategy<Value = Timestamp> {
    // 2015–2030: covers São Paulo's last DST years and several transitions of each zone.
    (1_420_070_400i64..1_893_456_000i64).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn round_trip_lands_on_the_same_business_instant(
        which in 0usize..6,
        start in instant(),
        span in 0i64..(90 * 86_400),
    ) {
        let cal = &calendars()[which];
        let end = start + Duration::seconds(span);
        let d = cal.business_duration(&TzDatabase, start, end);
        prop_assert!(d >= Duration::zero() && d <= end - start);
        let back = cal.add_business_duration(&TzDatabase, start, d).unwrap();
        prop_assert!(back <= end);
        prop_assert_eq!(cal.business_duration(&TzDatabase, start, back), d);
        prop_assert_eq!(cal.business_duration(&TzDatabase, back, end), Duration::zero());
    }

    #[test]
    fn add_then_measure_is_exact_and_earliest(
        which in 0usize..6,
        start in instant(),
        secs in 1i64..(200 * 3600),
    ) {
        let cal = &calendars()[which];
        let d = Duration::seconds(secs);
        let due = cal.add_business_duration(&TzDatabase, start, d).unwrap();
        prop_assert_eq!(cal.business_duration(&TzDatabase, start, due), d);
        prop_assert!(cal.business_duration(&TzDatabase, start, due - Duration::seconds(1)) < d);
    }

    #[test]
    fn business_duration_is_additive(
        which in 0usize..6,
        a in instant(),
        x in 0i64..(30 * 86_400),
        y in 0i64..(30 * 86_400),
    ) {
        let cal = &calendars()[which];
        let b = a + Duration::seconds(x);
        let c = b + Duration::seconds(y);
        prop_assert_eq!(
            cal.business_duration(&TzDatabase, a, b) + cal.business_duration(&TzDatabase, b, c),
            cal.business_duration(&TzDatabase, a, c)
        );
    }

    #[test]
    fn is_open_agrees_with_business_duration(which in 0usize..6, t in instant()) {
        let cal = &calendars()[which];
        let one = Duration::seconds(1);
        prop_assert_eq!(cal.is_open(&TzDatabase, t), cal.business_duration(&TzDatabase, t, t + one) == one);
        if let Some(open) = cal.next_open(&TzDatabase, t) {
            prop_assert!(open >= t && cal.is_open(&TzDatabase, open));
            prop_assert_eq!(cal.business_duration(&TzDatabase, t, open), Duration::zero());
        }
    }
}

#[test]
fn overlapping_ranges_that_slip_through_are_not_counted_twice() {
    let mut cal = madrid_office();
    cal.hours.monday = vec![range((9, 0), (13, 0)), range((12, 0), (15, 0))];
    // Mon 3 June 2024, 09:00–15:00 CEST.
    assert_eq!(
        cal.business_duration(&TzDatabase, utc(2024, 6, 3, 0, 0), utc(2024, 6, 4, 0, 0)),
        hours(6)
    );
}
