//! The browser's time-zone rules against offsets known from the IANA database, and the core's
//! calendar arithmetic on top of them, in a real browser.
#![cfg(target_arch = "wasm32")]

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use mostrador_core::calendar::{BusinessCalendar, TimeRange, WeeklyHours, parse_time_zone};
use mostrador_core::model::Timestamp;
use mostrador_core::zone::{TimeZones, ZoneName, earliest_instant, local_date};
use mostrador_idb::BrowserZones;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn zone(name: &str) -> ZoneName {
    ZoneName::parse(name).unwrap()
}

fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap()
}

#[wasm_bindgen_test]
fn offsets_match_the_iana_database() {
    let zones = BrowserZones::new();
    for (name, at, expected) in [
        ("UTC", utc(2024, 7, 1, 12, 0), 0),
        ("Europe/Madrid", utc(2024, 1, 15, 12, 0), 3600),
        ("Europe/Madrid", utc(2024, 7, 1, 12, 0), 7200),
        // The spring-forward instant itself: 01:00 UTC on the last Sunday of March.
        ("Europe/Madrid", utc(2024, 3, 31, 0, 59), 3600),
        ("Europe/Madrid", utc(2024, 3, 31, 1, 0), 7200),
        ("America/New_York", utc(2024, 7, 1, 12, 0), -4 * 3600),
        ("America/Sao_Paulo", utc(2024, 7, 1, 12, 0), -3 * 3600),
        ("Asia/Kathmandu", utc(2024, 7, 1, 12, 0), 5 * 3600 + 45 * 60),
        (
            "America/St_Johns",
            utc(2024, 1, 1, 12, 0),
            -(3 * 3600 + 30 * 60),
        ),
        (
            "Australia/Lord_Howe",
            utc(2024, 7, 1, 12, 0),
            10 * 3600 + 30 * 60,
        ),
        ("Australia/Lord_Howe", utc(2024, 1, 1, 12, 0), 11 * 3600),
    ] {
        assert_eq!(zones.offset(&zone(name), at), Some(expected), "{name} {at}");
    }
    assert_eq!(
        zones.offset(&zone("Mars/Olympus"), utc(2024, 1, 1, 0, 0)),
        None
    );
    assert!(parse_time_zone(&zones, "Mars/Olympus").is_err());
    assert_eq!(
        parse_time_zone(&zones, " Europe/Madrid ").unwrap().name(),
        "Europe/Madrid"
    );
}

#[wasm_bindgen_test]
fn local_times_through_gaps_and_overlaps() {
    let zones = BrowserZones::new();
    let madrid = zone("Europe/Madrid");
    // 02:30 never happens on 31 March 2024 in Madrid; 02:30 happens twice on 27 October.
    assert_eq!(
        earliest_instant(&zones, &madrid, local(2024, 3, 31, 2, 30)),
        None
    );
    assert_eq!(
        earliest_instant(&zones, &madrid, local(2024, 10, 27, 2, 30)),
        Some(utc(2024, 10, 27, 0, 30))
    );
    assert_eq!(
        earliest_instant(&zones, &madrid, local(2024, 6, 3, 9, 0)),
        Some(utc(2024, 6, 3, 7, 0))
    );
    let ny = zone("America/New_York");
    assert_eq!(
        local_date(&zones, &ny, utc(2024, 6, 3, 2, 0)),
        NaiveDate::from_ymd_opt(2024, 6, 2).unwrap()
    );
}

/// A Madrid office calendar measures the same business time with the browser's rules as the
/// core's tests measure with the compiled-in database.
#[wasm_bindgen_test]
fn business_time_in_a_local_calendar() {
    let zones = BrowserZones::new();
    let range = TimeRange {
        start: "09:00".parse().unwrap(),
        end: "18:00".parse().unwrap(),
    };
    let cal = BusinessCalendar::new(
        &zones,
        "madrid",
        "Madrid office",
        "Europe/Madrid",
        WeeklyHours::weekdays(&[range]),
    )
    .unwrap();
    // Friday 17:00 local (15:00 UTC, summer) plus 2 business hours: Monday 10:00 local.
    let due = cal
        .add_business_duration(&zones, utc(2024, 6, 7, 15, 0), chrono::Duration::hours(2))
        .unwrap();
    assert_eq!(due, utc(2024, 6, 10, 8, 0));
    assert_eq!(
        cal.business_duration(&zones, utc(2024, 6, 7, 15, 0), due),
        chrono::Duration::hours(2)
    );
    assert!(cal.is_open(&zones, utc(2024, 6, 10, 7, 0)));
    assert!(!cal.is_open(&zones, utc(2024, 6, 10, 6, 59)));
}
