//! Spanish, English and Portuguese, switchable at runtime. Messages are a typed enum
//! ([`Key`], in `messages.rs`) mapped to `&'static str` per language: nothing is downloaded,
//! and a missing translation is a compile error. Values go into `{name}` placeholders by name
//! ([`fill`]); a message that counts something is a [`Plural`] with a form per count
//! ([`plural_form`]). Dates and numbers follow the language.

pub mod errors;
pub mod messages;

use chrono::{Local, TimeDelta};
use leptos::prelude::*;
use mostrador_core::model::{
    Channel, Impact, Level, Priority, Status, TicketType, Timestamp, Urgency,
};

pub use crate::i18n::messages::{Key, Plural};
use crate::i18n::messages::{plural_texts, text};

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

/// The language to start in. The one rule, shared with the loader (`pickLang` in
/// `pkg/src/mostrador.js`, which passes its choice here as `locale`): the host's `locale`
/// option, else the page's `<html lang>`, else the browser's languages in order
/// (`navigator.languages`), else English — the first of these that is Spanish, English or
/// Portuguese. The page's language comes before the browser's: a widget speaks the language of
/// the page it sits in.
pub fn initial(host_locale: Option<&str>) -> Lang {
    host_locale
        .and_then(Lang::from_tag)
        .or_else(|| {
            let window = web_sys::window()?;
            let page = window.document()?.document_element()?.get_attribute("lang");
            page.as_deref().and_then(Lang::from_tag).or_else(|| {
                let nav = window.navigator();
                nav.languages()
                    .iter()
                    .filter_map(|l| l.as_string())
                    .find_map(|l| Lang::from_tag(&l))
                    .or_else(|| nav.language().as_deref().and_then(Lang::from_tag))
            })
        })
        .unwrap_or(Lang::En)
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

    /// The message as a view's text or attribute, read again when the language changes. Every
    /// message shares this one closure type, so a view's texts share one instance of the
    /// renderer's code; a `i.text(key)` written at each place would be a type (and about a
    /// kilobyte of WebAssembly) each.
    pub fn text(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// The message with its `{name}` placeholders filled from `args` (see [`fill`]).
    pub fn tf(&self, key: Key, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// The form of the message for `count` in the current language, `{count}` written the
    /// language's way and the other placeholders filled from `args` (tracked).
    pub fn tn(&self, key: Plural, count: u64, args: &[(&str, &str)]) -> String {
        let lang = self.lang.get();
        let form = plural_texts(lang, key)[plural_form(lang, count) as usize];
        let n = format_number(lang, i64::try_from(count).unwrap_or(i64::MAX));
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(("count", n.as_str()));
        all.extend_from_slice(args);
        fill(form, &all)
    }

    pub fn dt(&self, at: Timestamp) -> String {
        format_datetime(self.lang.get(), at)
    }
}

/// Which form of a [`Plural`] a count takes: the CLDR cardinal rules for whole numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralForm {
    One = 0,
    Other = 1,
}

/// English and Spanish: "one" is exactly 1. Portuguese is Brazilian Portuguese (the texts are
/// pt-BR): "one" is 0 and 1 ("0 artigo", "1 artigo", "2 artigos"). (CLDR's Spanish "many", for
/// exact millions, is not used: the counts here are far smaller.)
pub fn plural_form(lang: Lang, count: u64) -> PluralForm {
    let one = match lang {
        Lang::Es | Lang::En => count == 1,
        Lang::Pt => count <= 1,
    };
    if one {
        PluralForm::One
    } else {
        PluralForm::Other
    }
}

/// Fills `{name}` placeholders from `args`. A placeholder without an argument stays in the text
/// as `{name}`, visibly, and an argument no placeholder uses is dropped; either fails a
/// `debug_assert!` (a call site out of step with its message).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let (out, complete) = fill_checked(template, args);
    debug_assert!(
        complete,
        // tidy: for developers
        "placeholders and arguments differ: {template:?} with {args:?}"
    );
    out
}

/// [`fill`], and whether every placeholder had an argument and every argument was used.
pub fn fill_checked(template: &str, args: &[(&str, &str)]) -> (String, bool) {
    let mut out = String::with_capacity(template.len() + 16);
    let mut used = 0u32;
    let mut complete = true;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if name_len == 0 || !after[name_len..].starts_with('}') {
            // Not a placeholder: a literal brace.
            out.push('{');
            rest = after;
            continue;
        }
        let name = &after[..name_len];
        match args.iter().position(|(n, _)| *n == name) {
            Some(i) => {
                out.push_str(args[i].1);
                used |= 1 << i.min(31);
            }
            None => {
                complete = false;
                out.push_str(&rest[open..open + name_len + 2]);
            }
        }
        rest = &after[name_len + 1..];
    }
    out.push_str(rest);
    let all_used = (0..args.len().min(32)).all(|i| used & (1 << i) != 0);
    (out, complete && all_used)
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

// The crate builds for the browser only, so its unit tests run there too.
#[cfg(test)]
mod tests {
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::*;
    use crate::i18n::messages::all_texts;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn plural_forms_follow_each_language() {
        use PluralForm::{One, Other};
        let forms = |l| [0, 1, 2, 21].map(|n| plural_form(l, n));
        assert_eq!(forms(Lang::En), [Other, One, Other, Other]);
        assert_eq!(forms(Lang::Es), [Other, One, Other, Other]);
        // Brazilian Portuguese: 0 is singular too.
        assert_eq!(forms(Lang::Pt), [One, One, Other, Other]);
    }

    #[wasm_bindgen_test]
    fn plurals_pick_the_form_and_write_the_count() {
        let i = I18n {
            lang: RwSignal::new(Lang::Es),
        };
        assert_eq!(i.tn(Plural::ArticlesFound, 1, &[]), "1 artículo");
        assert_eq!(i.tn(Plural::ArticlesFound, 3, &[]), "3 artículos");
        assert_eq!(i.tn(Plural::ArticlesFound, 1234, &[]), "1.234 artículos");
        i.lang.set(Lang::En);
        assert_eq!(i.tn(Plural::ArticlesFound, 0, &[]), "0 articles");
        assert_eq!(i.tn(Plural::ArticlesFound, 1, &[]), "1 article");
        i.lang.set(Lang::Pt);
        assert_eq!(i.tn(Plural::ArticlesFound, 0, &[]), "0 artigo");
        assert_eq!(i.tn(Plural::ArticlesFound, 21, &[]), "21 artigos");
    }

    #[wasm_bindgen_test]
    fn fill_puts_values_by_name() {
        let (s, ok) = fill_checked("{to} from {from}", &[("from", "a"), ("to", "b")]);
        assert_eq!((s.as_str(), ok), ("b from a", true));
        assert_eq!(fill("{x}{x}", &[("x", "1")]), "11");
        // Braces that are no placeholder stay as they are.
        assert_eq!(fill("{ a } {} {x", &[]), "{ a } {} {x");
    }

    #[wasm_bindgen_test]
    fn a_missing_argument_stays_visible_and_is_flagged() {
        let (s, ok) = fill_checked("Ticket {code} in {status}", &[("code", "T-1")]);
        assert_eq!(s, "Ticket T-1 in {status}");
        assert!(!ok);
    }

    #[wasm_bindgen_test]
    fn an_unused_argument_is_flagged() {
        let (s, ok) = fill_checked("Ticket {code}", &[("code", "T-1"), ("extra", "x")]);
        assert_eq!(s, "Ticket T-1");
        assert!(!ok);
    }

    /// The `{name}` placeholders of a text, in order; `None` if a brace is not one.
    fn names(text: &str) -> Option<Vec<&str>> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}')? + open;
            let name = &rest[open + 1..close];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return None;
            }
            out.push(name);
            rest = &rest[close + 1..];
        }
        Some(out)
    }

    #[wasm_bindgen_test]
    fn every_message_has_well_formed_placeholders_alike_in_every_language() {
        let all = all_texts();
        assert!(all.len() > 300);
        let mut first: std::collections::HashMap<&str, Vec<&str>> = Default::default();
        for (key, lang, text) in all {
            let Some(mut found) = names(text) else {
                panic!("{key} in {lang:?} has a brace that is no `{{name}}`: {text:?}");
            };
            found.sort_unstable();
            found.dedup();
            let seen = first.entry(key).or_insert_with(|| found.clone());
            assert_eq!(
                *seen, found,
                "{key} in {lang:?} has other placeholders: {text:?}"
            );
        }
    }

    #[wasm_bindgen_test]
    fn the_host_locale_comes_first() {
        assert_eq!(initial(Some("pt-BR")), Lang::Pt);
        assert_eq!(initial(Some("es-419")), Lang::Es);
    }
}
