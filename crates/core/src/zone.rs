//! Time zones as a capability: the core knows zones by their IANA names ([`ZoneName`]) and asks a
//! [`TimeZones`] source for their UTC offsets, the way it asks [`crate::ctx::Ctx`] for the time.
//!
//! Each side brings the zone rules it already has. The server and native tests use the IANA
//! database compiled in by chrono-tz ([`TzDatabase`], feature `tzdb`); the browser asks its own
//! `Intl.DateTimeFormat`, so the WebAssembly module carries no zone database (that database was
//! the largest part of the customer widget). The core never reads a global zone source: every
//! calculation that needs local dates takes a `&dyn TimeZones`.
//!
//! Only one question is asked of a source: the offset at an instant. Turning a local wall-clock
//! time into an instant ([`earliest_instant`]) is derived from it here, once, for every source.

use std::fmt;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::Timestamp;

/// The longest IANA zone name we accept (the longest real one has 32 characters).
const MAX_NAME_LEN: usize = 64;

/// UTC offsets of IANA time zones.
pub trait TimeZones {
    /// Seconds east of UTC the wall clock of `zone` reads at `at`, or `None` when this source does
    /// not know the zone.
    fn offset(&self, zone: &ZoneName, at: Timestamp) -> Option<i32>;

    /// Whether this source knows `zone`.
    fn knows(&self, zone: &ZoneName) -> bool {
        self.offset(zone, Timestamp::UNIX_EPOCH).is_some()
    }
}

/// The name of an IANA time zone, such as `Europe/Madrid` or `UTC`.
///
/// Only the shape of the name is checked here (ASCII letters, digits and `/ _ + -`, at most 64
/// characters); whether the zone exists is a question for a [`TimeZones`] source
/// ([`TimeZones::knows`]). Serialized as the name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ZoneName(String);

/// A time-zone name that cannot be one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a time zone name (for example Europe/Madrid)")]
pub struct BadZoneName(pub String);

impl ZoneName {
    /// Coordinated Universal Time.
    pub fn utc() -> ZoneName {
        ZoneName("UTC".to_owned())
    }

    /// Checks the shape of `name` (surrounding spaces are ignored).
    pub fn parse(name: &str) -> Result<ZoneName, BadZoneName> {
        let trimmed = name.trim();
        let shaped = !trimmed.is_empty()
            && trimmed.len() <= MAX_NAME_LEN
            && trimmed
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b))
            && !trimmed.starts_with('/')
            && !trimmed.ends_with('/')
            && !trimmed.contains("//");
        if shaped {
            Ok(ZoneName(trimmed.to_owned()))
        } else {
            Err(BadZoneName(name.to_owned()))
        }
    }

    pub fn name(&self) -> &str {
        &self.0
    }

    pub fn is_utc(&self) -> bool {
        matches!(
            self.0.as_str(),
            "UTC" | "Etc/UTC" | "Etc/UCT" | "UCT" | "Zulu" | "Etc/Zulu"
        )
    }
}

impl fmt::Display for ZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ZoneName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ZoneName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        ZoneName::parse(&name).map_err(serde::de::Error::custom)
    }
}

/// Knows only UTC (and its aliases). For tests and for places that never show local dates.
#[derive(Debug, Clone, Copy, Default)]
pub struct UtcOnly;

impl TimeZones for UtcOnly {
    fn offset(&self, zone: &ZoneName, _at: Timestamp) -> Option<i32> {
        zone.is_utc().then_some(0)
    }
}

/// The offset of `zone` at `at`, UTC's when the source does not know the zone (settings are
/// checked against the source where they are edited, so this only happens when one device knows
/// a zone another does not).
pub fn offset_or_utc(zones: &dyn TimeZones, zone: &ZoneName, at: Timestamp) -> i32 {
    zones.offset(zone, at).unwrap_or(0)
}

/// The local date the wall clock of `zone` shows at `at`.
pub fn local_date(zones: &dyn TimeZones, zone: &ZoneName, at: Timestamp) -> NaiveDate {
    local_datetime(zones, zone, at).date()
}

/// The local date and time the wall clock of `zone` shows at `at`.
pub fn local_datetime(zones: &dyn TimeZones, zone: &ZoneName, at: Timestamp) -> NaiveDateTime {
    let offset = Duration::seconds(i64::from(offset_or_utc(zones, zone, at)));
    let utc = at.naive_utc();
    utc.checked_add_signed(offset).unwrap_or(utc)
}

/// The earliest instant at which the wall clock of `zone` reads exactly `local`: `None` when
/// `local` falls in a gap (the clock jumped over it), the first pass in an overlap.
///
/// Every solution `t` of `t + offset(t) = local` lies within 26 hours of `local` read as UTC
/// (offsets are under 26 hours in magnitude), so the offsets in force around that window are
/// the only candidates; each is checked, so a source whose offsets change twice in a day is
/// still answered right.
pub fn earliest_instant(
    zones: &dyn TimeZones,
    zone: &ZoneName,
    local: NaiveDateTime,
) -> Option<Timestamp> {
    let guess = local.and_utc();
    let mut candidates: Vec<i32> = [-26, -14, 0, 14, 26]
        .into_iter()
        .filter_map(|h| guess.checked_add_signed(Duration::hours(h)))
        .map(|t| offset_or_utc(zones, zone, t))
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .filter_map(|o| {
            let t = guess.checked_sub_signed(Duration::seconds(i64::from(o)))?;
            (offset_or_utc(zones, zone, t) == o).then_some(t)
        })
        .min()
}

/// The IANA time-zone database compiled in by chrono-tz: for the server and native tools, where
/// its size does not matter.
#[cfg(any(test, feature = "tzdb"))]
#[derive(Debug, Clone, Copy, Default)]
pub struct TzDatabase;

#[cfg(any(test, feature = "tzdb"))]
impl TimeZones for TzDatabase {
    fn offset(&self, zone: &ZoneName, at: Timestamp) -> Option<i32> {
        use chrono::{Offset, TimeZone};
        let tz: chrono_tz::Tz = zone.name().parse().ok()?;
        Some(
            tz.offset_from_utc_datetime(&at.naive_utc())
                .fix()
                .local_minus_utc(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn zone(name: &str) -> ZoneName {
        ZoneName::parse(name).unwrap()
    }

    #[test]
    fn names_are_checked_for_shape_only() {
        assert_eq!(zone(" Europe/Madrid ").name(), "Europe/Madrid");
        assert!(ZoneName::parse("Etc/GMT+3").is_ok());
        for bad in [
            "",
            " ",
            "/Europe",
            "Europe/",
            "Europe//Madrid",
            "Europe/Ma drid",
            "<b>",
        ] {
            assert!(ZoneName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ZoneName::parse(&"A".repeat(65)).is_err());
        assert!(serde_json::from_str::<ZoneName>("\"a b\"").is_err());
        assert_eq!(serde_json::to_string(&zone("UTC")).unwrap(), "\"UTC\"");
    }

    #[test]
    fn unknown_zones_are_unknown() {
        assert!(!TzDatabase.knows(&zone("Mars/Olympus")));
        assert!(TzDatabase.knows(&zone("America/New_York")));
        assert!(UtcOnly.knows(&zone("UTC")));
        assert!(!UtcOnly.knows(&zone("Europe/Madrid")));
    }

    /// The derived local-to-instant agrees with chrono-tz's own answer, through gaps and
    /// overlaps, across zones with odd offsets and a skipped day.
    #[test]
    fn earliest_instant_agrees_with_the_database() {
        let zones = [
            "Europe/Madrid",
            "America/New_York",
            "Australia/Lord_Howe",
            "Asia/Kathmandu",
            "Pacific/Apia",
            "America/St_Johns",
            "UTC",
        ];
        let start = local("2011-01-01 00:00");
        for name in zones {
            let tz: chrono_tz::Tz = name.parse().unwrap();
            let z = zone(name);
            // Every 15 minutes over two years would be slow; every 7h30 hits all quarter hours
            // of the day over the weeks, plus dense sampling around each transition below.
            let mut t = start;
            while t < local("2013-01-01 00:00") {
                let expected = tz.from_local_datetime(&t).earliest().map(|d| d.to_utc());
                assert_eq!(earliest_instant(&TzDatabase, &z, t), expected, "{name} {t}");
                t += Duration::minutes(450);
            }
        }
        // Dense around known transitions: spring forward and fall back.
        for (name, day) in [
            ("Europe/Madrid", "2024-03-31"),
            ("Europe/Madrid", "2024-10-27"),
            ("America/New_York", "2024-03-10"),
            ("America/New_York", "2024-11-03"),
            ("Australia/Lord_Howe", "2024-04-07"),
            ("Australia/Lord_Howe", "2024-10-06"),
            ("Pacific/Apia", "2011-12-29"),
            ("Pacific/Apia", "2011-12-30"),
        ] {
            let tz: chrono_tz::Tz = name.parse().unwrap();
            let z = zone(name);
            let mut t = local(&format!("{day} 00:00"));
            for _ in 0..(24 * 4) {
                let expected = tz.from_local_datetime(&t).earliest().map(|d| d.to_utc());
                assert_eq!(earliest_instant(&TzDatabase, &z, t), expected, "{name} {t}");
                assert_eq!(
                    local_date(&TzDatabase, &z, t.and_utc()),
                    t.and_utc().with_timezone(&tz).date_naive()
                );
                t += Duration::minutes(15);
            }
        }
    }

    #[test]
    fn an_unknown_zone_reads_as_utc() {
        let t = local("2024-06-01 12:00");
        assert_eq!(
            earliest_instant(&UtcOnly, &zone("Europe/Madrid"), t),
            Some(t.and_utc())
        );
    }
}
