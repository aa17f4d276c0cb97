//! Spanish, English and Portuguese, switchable at runtime. Messages are a typed enum
//! ([`Key`], in `messages.rs`) mapped to `&'static str` per language: nothing is downloaded,
//! and a missing translation is a compile error. Dates and numbers follow the language.

pub mod errors;
pub mod messages;

use chrono::{Local, TimeDelta};
use leptos::prelude::*;
use mostrador_core::model::{
    Channel, Impact, Level, Priority, Status, TicketType, Timestamp, Urgency,
};

pub use crate::i18n::messages::Key;
use crate::i18n::messages::text;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Es,
    En,
    Pt,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Es, Lang::En, Lang::Pt];

    /// BCP 47 tag, for `lang` attributes and the requester's locale.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
            Lang::Pt => "pt",
        }
    }

    /// The language's own name, shown in the switcher whatever the current language.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Es => "Español",
            Lang::En => "English",
            Lang::Pt => "Português",
        }
    }

    /// The best match for a tag such as `pt-BR` or `es-419`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.tag() == primary)
    }
}

/// The language to start in: the host's choice, else the browser's, else Spanish.
pub fn initial(host_locale: Option<&str>) -> Lang {
    host_locale
        .and_then(Lang::from_tag)
        .or_else(|| {
            let nav = web_sys::window()?.navigator().language()?;
            Lang::from_tag(&nav)
        })
        .unwrap_or(Lang::Es)
}

/// The current language, provided at the root.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// The message in the current language (tracked: call it inside a reactive closure).
    pub fn t(&self, key: Key) -> &'static str {
        text(self.lang.get(), key)
    }

    /// The message with `{}` placeholders filled in order.
    pub fn tf(&self, key: Key, args: &[&str]) -> String {
        fill(self.t(key), args)
    }

    pub fn dt(&self, at: Timestamp) -> String {
        format_datetime(self.lang.get(), at)
    }
}

/// Fills `{}` placeholders in order.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push_str(args.get(i).copied().unwrap_or(""));
        out.push_str(part);
    }
    out
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A date and time in the viewer's time zone, written the way the language writes it.
pub fn format_datetime(lang: Lang, at: Timestamp) -> String {
    let local = at.with_timezone(&Local);
    let pattern = match lang {
        Lang::Es | Lang::Pt => "%d/%m/%Y %H:%M",
        Lang::En => "%b %-d, %Y %-I:%M %p",
    };
    local.format(pattern).to_string()
}

/// A calendar day, written the way the language writes it.
pub fn format_date(lang: Lang, day: chrono::NaiveDate) -> String {
    let pattern = match lang {
        Lang::Es | Lang::Pt => "%d/%m/%Y",
        Lang::En => "%b %-d, %Y",
    };
    day.format(pattern).to_string()
}

/// An integer with the language's thousands separator.
pub fn format_number(lang: Lang, n: i64) -> String {
    let sep = match lang {
        Lang::En => ',',
        Lang::Es | Lang::Pt => '.',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A duration as "2 h 05 min" (or "3 d 4 h"), always positive.
pub fn format_duration(d: TimeDelta) -> String {
    let mins = d.num_minutes().abs();
    let (days, hours, m) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    if days > 0 {
        format!("{days} d {hours} h")
    } else if hours > 0 {
        format!("{hours} h {m:02} min")
    } else {
        format!("{m} min")
    }
}

pub fn status_key(s: Status) -> Key {
    match s {
        Status::New => Key::StatusNew,
        Status::Open => Key::StatusOpen,
        Status::Answered => Key::StatusAnswered,
        Status::Postponed => Key::StatusPostponed,
        Status::Resolved => Key::StatusResolved,
        Status::Closed => Key::StatusClosed,
        Status::Merged => Key::StatusMerged,
    }
}

pub fn priority_key(p: Priority) -> Key {
    match p {
        Priority::Low => Key::PriorityLow,
        Priority::Normal => Key::PriorityNormal,
        Priority::High => Key::PriorityHigh,
        Priority::Urgent => Key::PriorityUrgent,
    }
}

pub fn impact_key(i: Impact) -> Key {
    match i {
        Impact::Low => Key::LevelLow,
        Impact::Medium => Key::LevelMedium,
        Impact::High => Key::LevelHigh,
    }
}

pub fn urgency_key(u: Urgency) -> Key {
    match u {
        Urgency::Low => Key::LevelLow,
        Urgency::Medium => Key::LevelMedium,
        Urgency::High => Key::LevelHigh,
    }
}

pub fn type_key(t: TicketType) -> Key {
    match t {
        TicketType::Question => Key::TypeQuestion,
        TicketType::Incident => Key::TypeIncident,
        TicketType::Problem => Key::TypeProblem,
        TicketType::Task => Key::TypeTask,
    }
}

pub fn channel_key(c: Channel) -> Key {
    match c {
        Channel::WebForm => Key::ChannelWeb,
        Channel::Chat => Key::ChannelChat,
        Channel::Email => Key::ChannelEmail,
        Channel::Phone => Key::ChannelPhone,
        Channel::InPerson => Key::ChannelInPerson,
        Channel::Api => Key::ChannelApi,
    }
}

pub fn support_level_name(l: Level) -> &'static str {
    match l {
        Level::L1 => "L1",
        Level::L2 => "L2",
        Level::L3 => "L3",
    }
}

pub const TICKET_TYPES: [TicketType; 4] = [
    TicketType::Question,
    TicketType::Incident,
    TicketType::Problem,
    TicketType::Task,
];
pub const IMPACTS: [Impact; 3] = [Impact::Low, Impact::Medium, Impact::High];
pub const URGENCIES: [Urgency; 3] = [Urgency::Low, Urgency::Medium, Urgency::High];
pub const LEVELS: [Level; 3] = [Level::L1, Level::L2, Level::L3];
