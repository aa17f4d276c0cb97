//! Unicode normalisation as a capability: the two questions the core asks of Unicode's
//! decomposition data, answered by whoever already has that data.
//!
//! Cleaning text ([`crate::validate::clean_text`]) composes it (NFC) so the same text typed on two
//! systems compares equal, and search folding ([`crate::search::fold`]) takes compatibility
//! decompositions (NFKD) and drops combining marks, so `Ñandú`, `ﬁ` and `ＫＱＤ` are found as
//! `nandu`, `fi` and `kqd`. Both need Unicode's normalisation tables. The server and native tools
//! compile them in ([`Tables`], feature `unicode-tables`, from the `unicode-normalization` crate);
//! the browser already has them behind `String.prototype.normalize`, so the WebAssembly module
//! installs `mostrador_idb::BrowserText` instead and carries no tables (they were the largest part
//! of the customer widget's data).
//!
//! Unlike time zones, which are data a calculation is about and come in as a `&dyn TimeZones`,
//! normalisation is a fixed function of the Unicode version, needed deep inside validation that is
//! called from everywhere; so it is a process-wide capability: the composition root [`install`]s
//! one before the first decision (the widget's `mount`), and a build with `unicode-tables` falls
//! back to the compiled-in tables. A build with neither panics at the first non-ASCII text, loudly,
//! instead of storing text another device would clean differently. ASCII text never reaches the
//! normaliser: it is its own NFC and NFKD and has no combining marks.
//!
//! Both implementations must give the same answers; the browser tests compare them
//! (`crates/idb/tests/text.rs`), on every code point.

use std::sync::OnceLock;

/// Unicode normalisation forms, as the core needs them.
pub trait Normalizer: Send + Sync {
    /// Canonical decomposition followed by canonical composition (NFC).
    fn nfc(&self, s: &str) -> String;

    /// Compatibility decomposition (NFKD) without the combining marks (General Category `M`:
    /// `Mn`, `Mc`, `Me`).
    fn nfkd_without_marks(&self, s: &str) -> String;
}

static INSTALLED: OnceLock<&'static dyn Normalizer> = OnceLock::new();

/// Makes `normalizer` the one the core uses from now on. The first installation wins; later
/// calls change nothing (mounting the app twice installs the same one twice).
pub fn install(normalizer: &'static dyn Normalizer) {
    let _ = INSTALLED.set(normalizer);
}

/// The installed normaliser, else the compiled-in tables.
fn normalizer() -> &'static dyn Normalizer {
    if let Some(n) = INSTALLED.get() {
        return *n;
    }
    #[cfg(feature = "unicode-tables")]
    {
        &Tables
    }
    #[cfg(not(feature = "unicode-tables"))]
    {
        panic!(
            "mostrador-core: no Unicode normaliser; install one (text::install) or enable the \
             `unicode-tables` feature"
        )
    }
}

/// `s` in NFC.
pub fn nfc(s: &str) -> String {
    if s.is_ascii() {
        return s.to_owned();
    }
    normalizer().nfc(s)
}

/// `s` in NFKD, without its combining marks.
pub fn nfkd_without_marks(s: &str) -> String {
    if s.is_ascii() {
        return s.to_owned();
    }
    normalizer().nfkd_without_marks(s)
}

/// Unicode's normalisation tables compiled in (the `unicode-normalization` crate): for the server
/// and native tools, where their size does not matter, and as the reference the browser's
/// normaliser is tested against.
#[cfg(feature = "unicode-tables")]
#[derive(Debug, Clone, Copy, Default)]
pub struct Tables;

#[cfg(feature = "unicode-tables")]
impl Tables {
    /// The Unicode version of the tables, as (major, minor, update).
    pub const UNICODE_VERSION: (u8, u8, u8) = unicode_normalization::UNICODE_VERSION;
}

#[cfg(feature = "unicode-tables")]
impl Normalizer for Tables {
    fn nfc(&self, s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        s.nfc().collect()
    }

    fn nfkd_without_marks(&self, s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        s.nfkd()
            .filter(|&c| !unicode_normalization::char::is_combining_mark(c))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_compose_and_strip() {
        assert_eq!(nfc("Ñandu\u{301}"), "Ñandú");
        assert_eq!(nfc("e\u{301}"), "é");
        assert_eq!(nfkd_without_marks("Ñandú ﬁ ＫＱ ²"), "Nandu fi KQ 2");
        assert_eq!(nfc("plain"), "plain");
    }

    /// Stripping marks after decomposing the whole string equals decomposing and stripping one
    /// character at a time (how folding worked before it asked a [`Normalizer`]): canonical
    /// reordering only moves characters with a non-zero combining class, and every one of them is
    /// a mark, so it is dropped either way.
    #[test]
    fn every_reordered_character_is_a_mark() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if unicode_normalization::char::canonical_combining_class(c) != 0 {
                assert!(
                    unicode_normalization::char::is_combining_mark(c),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }
}
