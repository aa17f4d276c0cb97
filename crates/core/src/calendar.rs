//! Business calendars: when the support desk is open, in which time zone, and on which holidays.
//!
//! SLA targets are promises in *business time* ("answer within 4 working hours"), so the SLA engine
//! never subtracts timestamps directly: it asks a [`BusinessCalendar`] how much open time lies
//! between two instants ([`BusinessCalendar::business_duration`]) or when a given amount of open
//! time will have passed ([`BusinessCalendar::add_business_duration`]).
//!
//! ## How local hours become instants
//!
//! Opening hours are written in local wall-clock time, per weekday, and turned into UTC intervals
//! one local date at a time. A range `start–end` on a date covers the instants from the **first
//! moment the local clock reads `start`** to the **first moment it reads `end`**:
//!
//! - in a spring-forward gap (e.g. 02:30 on the last Sunday of March in Europe/Madrid, which never
//!   happens) a bound resolves to the transition instant, when the clock jumps to 03:00;
//! - in a fall-back overlap (01:30 twice in America/New_York in November) a bound resolves to the
//!   first pass. A range that *contains* the overlap (e.g. 00:00–24:00) covers both passes, so
//!   that day really has 25 open hours;
//! - because "first moment the clock reads t" only moves forward as t grows, the ranges of one date
//!   never overlap each other nor the next date's ranges, whatever the zone's transitions.
//!
//! The calculations walk whole local dates and skip closed days (weekends, holidays) in constant
//! time each; they never step minute by minute.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::Timestamp;
use crate::zone::{self, TimeZones, ZoneName};

/// Minutes in a day; `24:00` is a valid range end.
const MINUTES_PER_DAY: u16 = 24 * 60;

/// How many consecutive closed local dates [`BusinessCalendar::add_business_duration`] and
/// [`BusinessCalendar::next_open`] will skip before concluding that the calendar never opens.
/// Ten years: far beyond any real closure, small enough to answer in well under a millisecond.
const MAX_CLOSED_DAYS: u32 = 3660;

/// Identifies a business calendar inside [`crate::sla::SlaSettings`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CalendarId(pub String);

impl fmt::Display for CalendarId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A wall-clock time of day with minute precision, from `00:00` to `24:00` inclusive.
///
/// Minute precision is what help desks offer in their settings, and `24:00` lets a range run to
/// the end of the day without a special case. Serialized as `"HH:MM"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);
    pub const END_OF_DAY: TimeOfDay = TimeOfDay(MINUTES_PER_DAY);

    /// `None` unless `hour:minute` lies between 00:00 and 24:00.
    pub fn new(hour: u8, minute: u8) -> Option<TimeOfDay> {
        let total = u16::from(hour) * 60 + u16::from(minute);
        (minute < 60 && total <= MINUTES_PER_DAY).then_some(TimeOfDay(total))
    }

    /// Minutes since midnight (0..=1440).
    pub fn minutes(self) -> u16 {
        self.0
    }

    fn is_valid(self) -> bool {
        self.0 <= MINUTES_PER_DAY
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl FromStr for TimeOfDay {
    type Err = CalendarError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CalendarError::BadTimeOfDay(s.to_owned());
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u8 = h.parse().map_err(|_| bad())?;
        let m: u8 = m.parse().map_err(|_| bad())?;
        TimeOfDay::new(h, m).ok_or_else(bad)
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An opening range within one day, `start` inclusive, `end` exclusive. Ranges do not cross
/// midnight: a night shift 22:00–06:00 is written as 22:00–24:00 on one day and 00:00–06:00 on
/// the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeRange {
    pub start: TimeOfDay,
    pub end: TimeOfDay,
}

impl TimeRange {
    /// `None` unless both ends are valid times and `start < end`.
    pub fn new(start: (u8, u8), end: (u8, u8)) -> Option<TimeRange> {
        let start = TimeOfDay::new(start.0, start.1)?;
        let end = TimeOfDay::new(end.0, end.1)?;
        (start < end).then_some(TimeRange { start, end })
    }

    /// The whole day, 00:00–24:00.
    pub const ALL_DAY: TimeRange = TimeRange {
        start: TimeOfDay::MIDNIGHT,
        end: TimeOfDay::END_OF_DAY,
    };

    fn is_usable(self) -> bool {
        self.start.is_valid() && self.end.is_valid() && self.start < self.end
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.start, self.end)
    }
}

/// Opening ranges for each day of the week. A day with no ranges is closed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyHours {
    #[serde(default)]
    pub monday: Vec<TimeRange>,
    #[serde(default)]
    pub tuesday: Vec<TimeRange>,
    #[serde(default)]
    pub wednesday: Vec<TimeRange>,
    #[serde(default)]
    pub thursday: Vec<TimeRange>,
    #[serde(default)]
    pub friday: Vec<TimeRange>,
    #[serde(default)]
    pub saturday: Vec<TimeRange>,
    #[serde(default)]
    pub sunday: Vec<TimeRange>,
}

/// Monday to Sunday.
pub const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

impl WeeklyHours {
    /// The same ranges on each of `days`, closed on the others.
    pub fn on(days: &[Weekday], ranges: &[TimeRange]) -> WeeklyHours {
        let mut hours = WeeklyHours::default();
        for &day in days {
            *hours.day_mut(day) = ranges.to_vec();
        }
        hours
    }

    /// Monday to Friday with the given ranges; weekends closed.
    pub fn weekdays(ranges: &[TimeRange]) -> WeeklyHours {
        WeeklyHours::on(&WEEK[..5], ranges)
    }

    /// Every day 00:00–24:00.
    pub fn always() -> WeeklyHours {
        WeeklyHours::on(&WEEK, &[TimeRange::ALL_DAY])
    }

    pub fn day(&self, day: Weekday) -> &[TimeRange] {
        match day {
            Weekday::Mon => &self.monday,
            Weekday::Tue => &self.tuesday,
            Weekday::Wed => &self.wednesday,
            Weekday::Thu => &self.thursday,
            Weekday::Fri => &self.friday,
            Weekday::Sat => &self.saturday,
            Weekday::Sun => &self.sunday,
        }
    }

    pub fn day_mut(&mut self, day: Weekday) -> &mut Vec<TimeRange> {
        match day {
            Weekday::Mon => &mut self.monday,
            Weekday::Tue => &mut self.tuesday,
            Weekday::Wed => &mut self.wednesday,
            Weekday::Thu => &mut self.thursday,
            Weekday::Fri => &mut self.friday,
            Weekday::Sat => &mut self.saturday,
            Weekday::Sun => &mut self.sunday,
        }
    }

    fn is_all_day_every_day(&self) -> bool {
        WEEK.iter().all(|&d| self.day(d) == [TimeRange::ALL_DAY])
    }
}

/// A closed date. A yearly holiday matches the same month and day every year; a yearly 29 February
/// only matches in leap years.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub yearly: bool,
}

impl Holiday {
    pub fn once(date: NaiveDate, name: impl Into<String>) -> Holiday {
        Holiday {
            date,
            name: name.into(),
            yearly: false,
        }
    }

    pub fn yearly(date: NaiveDate, name: impl Into<String>) -> Holiday {
        Holiday {
            date,
            name: name.into(),
            yearly: true,
        }
    }

    pub fn matches(&self, date: NaiveDate) -> bool {
        if self.yearly {
            self.date.month() == date.month() && self.date.day() == date.day()
        } else {
            self.date == date
        }
    }
}

/// A problem with a calendar's settings, worded for the administrator who has to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("the calendar needs an id")]
    EmptyId,
    #[error("unknown time zone {0:?}: use an IANA name such as \"Europe/Madrid\"")]
    UnknownTimeZone(String),
    #[error("{0:?} is not a time of day: write it as HH:MM, between 00:00 and 24:00")]
    BadTimeOfDay(String),
    #[error(
        "calendar {calendar}: on {weekday} the range {range} must end after it starts (split ranges that cross midnight in two)"
    )]
    RangeEndsBeforeStart {
        calendar: CalendarId,
        weekday: Weekday,
        range: TimeRange,
    },
    #[error("calendar {calendar}: on {weekday} the ranges {first} and {second} overlap")]
    OverlappingRanges {
        calendar: CalendarId,
        weekday: Weekday,
        first: TimeRange,
        second: TimeRange,
    },
    #[error("calendar {calendar} has no opening hours on any day: SLA clocks could never run")]
    NoOpenHours { calendar: CalendarId },
    #[error("calendar {calendar}: holidays close every open day of the year")]
    AlwaysOnHoliday { calendar: CalendarId },
}

/// When the support desk is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessCalendar {
    pub id: CalendarId,
    pub name: String,
    /// IANA time zone the weekly hours and holidays are written in. Serialized as its name; its
    /// rules come from the [`TimeZones`] source each calculation is given.
    pub time_zone: ZoneName,
    pub hours: WeeklyHours,
    #[serde(default)]
    pub holidays: Vec<Holiday>,
}

/// Parses an IANA time-zone name that `zones` knows, with an error an administrator can act on.
pub fn parse_time_zone(zones: &dyn TimeZones, name: &str) -> Result<ZoneName, CalendarError> {
    ZoneName::parse(name)
        .ok()
        .filter(|z| zones.knows(z))
        .ok_or_else(|| CalendarError::UnknownTimeZone(name.to_owned()))
}

impl BusinessCalendar {
    /// A calendar with the given hours and no holidays; fails only on an unknown time zone.
    pub fn new(
        zones: &dyn TimeZones,
        id: impl Into<String>,
        name: impl Into<String>,
        time_zone: &str,
        hours: WeeklyHours,
    ) -> Result<BusinessCalendar, CalendarError> {
        Ok(BusinessCalendar {
            id: CalendarId(id.into()),
            name: name.into(),
            time_zone: parse_time_zone(zones, time_zone)?,
            hours,
            holidays: Vec::new(),
        })
    }

    /// Open around the clock, every day, no holidays: business time equals elapsed time.
    pub fn always_open(id: impl Into<String>, name: impl Into<String>) -> BusinessCalendar {
        BusinessCalendar {
            id: CalendarId(id.into()),
            name: name.into(),
            time_zone: ZoneName::utc(),
            hours: WeeklyHours::always(),
            holidays: Vec::new(),
        }
    }

    pub fn with_holidays(mut self, holidays: impl IntoIterator<Item = Holiday>) -> Self {
        self.holidays.extend(holidays);
        self
    }

    /// Every problem with these settings, in a stable order (empty when valid).
    pub fn problems(&self) -> Vec<CalendarError> {
        let mut problems = Vec::new();
        if self.id.0.trim().is_empty() {
            problems.push(CalendarError::EmptyId);
        }
        for day in WEEK {
            let ranges = self.hours.day(day);
            for &range in ranges {
                if !range.is_usable() {
                    problems.push(CalendarError::RangeEndsBeforeStart {
                        calendar: self.id.clone(),
                        weekday: day,
                        range,
                    });
                }
            }
            let mut usable: Vec<TimeRange> =
                ranges.iter().copied().filter(|r| r.is_usable()).collect();
            usable.sort_by_key(|r| (r.start, r.end));
            for pair in usable.windows(2) {
                if pair[1].start < pair[0].end {
                    problems.push(CalendarError::OverlappingRanges {
                        calendar: self.id.clone(),
                        weekday: day,
                        first: pair[0],
                        second: pair[1],
                    });
                }
            }
        }
        if !self.has_weekly_hours() {
            problems.push(CalendarError::NoOpenHours {
                calendar: self.id.clone(),
            });
        } else if self.always_on_holiday() {
            problems.push(CalendarError::AlwaysOnHoliday {
                calendar: self.id.clone(),
            });
        }
        problems
    }

    /// `Ok` when the calendar can be used; otherwise the first of [`Self::problems`].
    pub fn validate(&self) -> Result<(), CalendarError> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    fn has_weekly_hours(&self) -> bool {
        WEEK.iter()
            .any(|&d| self.hours.day(d).iter().any(|r| r.is_usable()))
    }

    /// Whether yearly holidays cover every date of a leap year that has hours, so the calendar
    /// would only open on some rare date. Checked over a leap year and the three years after, which
    /// covers every (weekday, month-day) combination that matters within a 28-year cycle closely
    /// enough to flag the mistake.
    fn always_on_holiday(&self) -> bool {
        if !self.holidays.iter().any(|h| h.yearly) {
            return false;
        }
        let Some(mut date) = NaiveDate::from_ymd_opt(2024, 1, 1) else {
            return false;
        };
        for _ in 0..(366 + 365 * 3) {
            if self.date_has_hours(date) {
                return false;
            }
            date = date.succ_opt().unwrap_or(date);
        }
        true
    }

    /// Whether the calendar is open around the clock, which lets calculations use plain
    /// subtraction.
    fn is_always_open(&self) -> bool {
        self.holidays.is_empty() && self.hours.is_all_day_every_day()
    }

    fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.iter().any(|h| h.matches(date))
    }

    fn date_has_hours(&self, date: NaiveDate) -> bool {
        !self.is_holiday(date) && self.hours.day(date.weekday()).iter().any(|r| r.is_usable())
    }

    /// The first instant at which the local clock reads `time` on `date` (see the module docs).
    fn local_instant(
        &self,
        zones: &dyn TimeZones,
        date: NaiveDate,
        time: TimeOfDay,
    ) -> Option<Timestamp> {
        let (date, minutes) = if time.0 >= MINUTES_PER_DAY {
            (date.succ_opt()?, 0)
        } else {
            (date, time.0)
        };
        let naive = date.and_time(NaiveTime::from_hms_opt(
            u32::from(minutes / 60),
            u32::from(minutes % 60),
            0,
        )?);
        first_instant_at_or_after(zones, &self.time_zone, naive)
    }

    /// The open intervals of one local date, as sorted, non-overlapping UTC intervals.
    fn intervals_on(
        &self,
        zones: &dyn TimeZones,
        date: NaiveDate,
        out: &mut Vec<(Timestamp, Timestamp)>,
    ) {
        out.clear();
        if self.is_holiday(date) {
            return;
        }
        for &range in self.hours.day(date.weekday()) {
            if !range.is_usable() {
                continue;
            }
            let (Some(a), Some(b)) = (
                self.local_instant(zones, date, range.start),
                self.local_instant(zones, date, range.end),
            ) else {
                continue;
            };
            if a < b {
                out.push((a, b));
            }
        }
        out.sort();
        // Overlapping ranges are a settings error, but must not count time twice if they slip
        // through: merge them.
        out.dedup_by(|next, kept| {
            let overlaps = next.0 <= kept.1;
            if overlaps {
                kept.1 = kept.1.max(next.1);
            }
            overlaps
        });
    }

    fn local_date(&self, zones: &dyn TimeZones, t: Timestamp) -> NaiveDate {
        zone::local_date(zones, &self.time_zone, t)
    }

    /// Whether the desk is open at `t`.
    pub fn is_open(&self, zones: &dyn TimeZones, t: Timestamp) -> bool {
        if self.is_always_open() {
            return true;
        }
        let mut buf = Vec::new();
        let date = self.local_date(zones, t);
        // An instant belongs to the intervals of its own local date, except around a fall-back
        // that crosses midnight, where it can belong to the neighbouring date: look at both.
        [date.pred_opt(), Some(date), date.succ_opt()]
            .into_iter()
            .flatten()
            .any(|d| {
                self.intervals_on(zones, d, &mut buf);
                buf.iter().any(|&(a, b)| a <= t && t < b)
            })
    }

    /// The first instant at or after `t` when the desk is open, or `None` if it stays closed for
    /// ten years (only possible with settings that [`Self::validate`] rejects).
    pub fn next_open(&self, zones: &dyn TimeZones, t: Timestamp) -> Option<Timestamp> {
        if self.is_always_open() {
            return Some(t);
        }
        self.walk_from(zones, t, |a, _| Some(a))
    }

    /// Walks the open intervals that end after `from`, clipped to start no earlier than `from`,
    /// until `visit` returns a value. Gives up after [`MAX_CLOSED_DAYS`] closed dates in a row.
    fn walk_from<R>(
        &self,
        zones: &dyn TimeZones,
        from: Timestamp,
        mut visit: impl FnMut(Timestamp, Timestamp) -> Option<R>,
    ) -> Option<R> {
        if !self.has_weekly_hours() {
            return None;
        }
        let mut date = self.local_date(zones, from).pred_opt()?;
        let mut buf = Vec::new();
        let mut closed_streak = 0;
        loop {
            self.intervals_on(zones, date, &mut buf);
            let mut saw_open = false;
            for &(a, b) in &buf {
                if b <= from {
                    continue;
                }
                saw_open = true;
                if let Some(r) = visit(a.max(from), b) {
                    return Some(r);
                }
            }
            closed_streak = if saw_open { 0 } else { closed_streak + 1 };
            if closed_streak > MAX_CLOSED_DAYS {
                return None;
            }
            date = date.succ_opt()?;
        }
    }

    /// Open time between `start` and `end`; negative when `end` is before `start`.
    pub fn business_duration(
        &self,
        zones: &dyn TimeZones,
        start: Timestamp,
        end: Timestamp,
    ) -> Duration {
        if end < start {
            return -self.business_duration(zones, end, start);
        }
        if self.is_always_open() {
            return end - start;
        }
        let mut total = Duration::zero();
        let Some(mut date) = self.local_date(zones, start).pred_opt() else {
            return total;
        };
        let Some(last) = self.local_date(zones, end).succ_opt() else {
            return total;
        };
        let mut buf = Vec::new();
        while date <= last {
            self.intervals_on(zones, date, &mut buf);
            for &(a, b) in &buf {
                let (a, b) = (a.max(start), b.min(end));
                if a < b {
                    total += b - a;
                }
            }
            let Some(next) = date.succ_opt() else { break };
            date = next;
        }
        total
    }

    /// The earliest instant by which `duration` of open time has passed since `start`: the due
    /// time of a target. Zero or negative durations are due at `start`. A duration that runs out
    /// exactly at closing time is due at closing time, not at the next opening.
    ///
    /// `None` only when the calendar never opens again (see [`Self::validate`]), so callers can
    /// never loop forever on bad settings.
    pub fn add_business_duration(
        &self,
        zones: &dyn TimeZones,
        start: Timestamp,
        duration: Duration,
    ) -> Option<Timestamp> {
        if duration <= Duration::zero() {
            return Some(start);
        }
        if self.is_always_open() {
            return start.checked_add_signed(duration);
        }
        let mut left = duration;
        self.walk_from(zones, start, |a, b| {
            let available = b - a;
            if left <= available {
                Some(a + left)
            } else {
                left -= available;
                None
            }
        })
    }
}

/// The first instant at which the wall clock of `tz` reads `local` or later: the instant itself
/// when it exists once, the earlier one in a fall-back overlap, and the transition instant when
/// `local` falls in a spring-forward gap.
fn first_instant_at_or_after(
    zones: &dyn TimeZones,
    tz: &ZoneName,
    local: NaiveDateTime,
) -> Option<Timestamp> {
    if let Some(t) = zone::earliest_instant(zones, tz, local) {
        return Some(t);
    }
    // In a gap. Real gaps are whole minutes long and at most a day (Pacific/Apia skipped
    // 30 December 2011), so the first existing minute after `local` is the transition; a coarse
    // step then a fine one keeps this to a few dozen lookups.
    let mut probe = local;
    let step = Duration::minutes(15);
    for _ in 0..(2 * 24 * 4) {
        let next = probe + step;
        if zone::earliest_instant(zones, tz, next).is_some() {
            break;
        }
        probe = next;
    }
    for _ in 0..=15 {
        probe += Duration::minutes(1);
        if let Some(t) = zone::earliest_instant(zones, tz, probe) {
            return Some(t);
        }
    }
    None
}

#[cfg(test)]
mod tests;
