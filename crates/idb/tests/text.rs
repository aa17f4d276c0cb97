//! The browser's Unicode normalisation against the tables the server compiles in, in a real
//! browser: text must clean (NFC) and fold for search (NFKD without marks) the same on every
//! device and on the server.
#![cfg(target_arch = "wasm32")]

use js_sys::RegExp;
use mostrador_core::search::fold;
use mostrador_core::text::{Normalizer, Tables};
use mostrador_core::validate::clean_text;
use mostrador_idb::BrowserText;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Texts people type, in the app's languages and beyond: precomposed and decomposed accents,
/// compatibility characters (ligatures, full-width and half-width forms, super- and subscripts,
/// Roman numerals, units, circled and parenthesised letters), combining sequences in the wrong
/// canonical order, Hangul, and scripts with spacing and enclosing marks.
const CORPUS: &[&str] = &[
    "Hola, ¿cómo están? Mañana pagaré la cuenta del pingüino en Logroño.",
    "Ação, coração, não, pão, órgão, avô, avó, você, à, ç, Ç.",
    "Cafe\u{301} con leche, n\u{303}and\u{fa}, A\u{30a}ngstro\u{308}m, o\u{302}\u{301}",
    "a\u{323}\u{302} a\u{302}\u{323} q\u{307}\u{323} e\u{301}\u{327} \u{1e0b}\u{323}",
    "ﬁnanças ﬂor ﬀ ﬃ ﬄ ﬅ ﬆ Ǆ ǅ ǆ Ĳ ĳ ŉ",
    "ＡＢＣ ａｂｃ １２３ ！？ ｶﾀｶﾅ ﾊﾟﾝ ｸﾞ",
    "x² H₂O ½ ¾ ⅓ Ⅻ ⅻ ㎏ ㎞ ℃ ℉ № ™ ℡ Å K ㈱ ① ⑴ ⒜ Ⓐ",
    "한국어 가각 \u{1100}\u{1161}\u{11a8} 日本語 ｻﾝﾌﾟﾙ ﾞﾟ",
    "Ελληνικά ΐ ΰ ώ \u{3c9}\u{301}\u{345} İstanbul ı ß ẞ Œ œ Æ æ Ø ø Ł ł Đ đ",
    "हिन्दी नमस्ते क़ ড় ਖ਼ ก่ ที่ العربية \u{64b}\u{650} עִבְרִית",
    "e\u{20dd} 1\u{fe0f}\u{20e3} 👍🏽 👨‍👩‍👧 \u{200d}\u{200c} \u{fb01}\u{301}",
    "\u{212b}\u{2126}\u{212a}\u{1e9b}\u{323}\u{fdfa}\u{fdfb}\u{3300}\u{1d400}\u{1d7ce}",
    "   espacios   \u{a0}\u{2003}\u{3000}tab\t",
];

#[wasm_bindgen_test]
fn the_browser_normalises_the_corpus_like_the_tables() {
    let browser = BrowserText;
    for text in CORPUS {
        assert_eq!(browser.nfc(text), Tables.nfc(text), "NFC of {text:?}");
        assert_eq!(
            browser.nfkd_without_marks(text),
            Tables.nfkd_without_marks(text),
            "NFKD without marks of {text:?}"
        );
    }
}

/// Every code point, in runs of 256 behind a letter and followed by a combining mark (so
/// composition across neighbours is exercised too). The two may differ only on code points the
/// browser's Unicode version has not assigned yet (General Category `Cn` for its regular
/// expressions): the version skew ARCHITECTURE.md describes. Those are printed, not failed.
#[wasm_bindgen_test]
fn the_browser_normalises_every_code_point_like_the_tables() {
    let browser = BrowserText;
    let unassigned = RegExp::new(r"^\p{Cn}$", "u");
    let (mut differ, mut newer) = (Vec::new(), Vec::new());
    for start in (0..0x11_0000u32).step_by(256) {
        let chars: Vec<char> = (start..start + 256).filter_map(char::from_u32).collect();
        let run: String = chars.iter().flat_map(|&c| ['a', c, '\u{301}']).collect();
        if browser.nfc(&run) == Tables.nfc(&run)
            && browser.nfkd_without_marks(&run) == Tables.nfkd_without_marks(&run)
        {
            continue;
        }
        for c in chars {
            let one = format!("a{c}\u{301}");
            let nfc = browser.nfc(&one) == Tables.nfc(&one);
            if nfc && browser.nfkd_without_marks(&one) == Tables.nfkd_without_marks(&one) {
                continue;
            }
            let name = format!("U+{:04X}{}", c as u32, if nfc { "" } else { " (NFC)" });
            if unassigned.test(&c.to_string()) {
                newer.push(name);
            } else {
                differ.push(name);
            }
        }
    }
    console_log!(
        "the tables (Unicode {:?}) and the browser differ on {} code points the browser has not \
         assigned yet: {}",
        Tables::UNICODE_VERSION,
        newer.len(),
        newer.join(" ")
    );
    assert!(
        differ.is_empty(),
        "the browser and the tables (Unicode {:?}) differ on {} assigned code points: {}",
        Tables::UNICODE_VERSION,
        differ.len(),
        differ.join(" ")
    );
}

/// The core's own cleaning and folding, with the browser's normaliser installed (as the widget
/// does), give what they give on the server.
#[wasm_bindgen_test]
fn cleaning_and_folding_with_the_browser_match_the_server() {
    BrowserText::install();
    assert_eq!(clean_text("  Cafe\u{301} n\u{303}  "), "Café ñ");
    assert_eq!(
        fold("ATENCIÓN al Pingüino, não ç ＫＱＤ ﬁn Straße"),
        "atencion al pinguino, nao c kqd fin strasse"
    );
    for text in CORPUS {
        assert_eq!(clean_text(text), Tables.nfc(text).trim(), "{text:?}");
    }
}
