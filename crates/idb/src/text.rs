//! The browser's Unicode normalisation (`String.prototype.normalize`) as the core's
//! [`Normalizer`] capability, so the WebAssembly module carries no normalisation tables.
//!
//! The browser's ICU and the `unicode-normalization` crate the server compiles in implement the
//! same Unicode algorithm; `tests/text.rs` checks they agree on every code point. Combining marks
//! are General Category `M`, which a JavaScript regular expression names `\p{M}`.

use js_sys::{JsString, RegExp};
use mostrador_core::text::{self, Normalizer};

/// Unicode normalisation from the browser. Holds nothing; [`BrowserText::install`] makes it the
/// core's normaliser.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserText;

impl BrowserText {
    /// Installs the browser's normaliser for the core (the first installation wins).
    pub fn install() {
        text::install(&BrowserText);
    }
}

thread_local! {
    /// Every combining mark, for `replaceAll`.
    static MARKS: RegExp = RegExp::new(r"\p{M}", "gu");
}

impl Normalizer for BrowserText {
    fn nfc(&self, s: &str) -> String {
        JsString::from(s).normalize("NFC").into()
    }

    fn nfkd_without_marks(&self, s: &str) -> String {
        let decomposed = JsString::from(s).normalize("NFKD");
        MARKS.with(|marks| decomposed.replace_all_by_pattern(marks, "").into())
    }
}
