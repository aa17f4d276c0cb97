//! The outside world the domain needs, read here and passed in through a `Ctx`: the time and
//! random bits (and the browser's time zone, for the first-run setup). The core reads none of
//! them itself.

use mostrador_core::ctx::IdSource;
use mostrador_core::model::Timestamp;

/// Random bits from `crypto.getRandomValues`, the browser's cryptographic generator.
#[derive(Debug, Default)]
pub struct CryptoIds;

impl IdSource for CryptoIds {
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        fill(&mut b);
        u64::from_le_bytes(b)
    }

    fn fill_bytes(&mut self, buf: &mut [u8]) {
        fill(buf);
    }
}

fn fill(buf: &mut [u8]) {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    // getRandomValues accepts at most 65,536 bytes per call.
    if let Some(c) = crypto
        && buf
            .chunks_mut(65_536)
            .all(|chunk| c.get_random_values_with_u8_array(chunk).is_ok())
    {
        return;
    }
    // Without Web Crypto (very old browsers) ids are still unique enough for one device.
    for b in buf.iter_mut() {
        *b = (js_sys::Math::random() * 256.0) as u8;
    }
}

/// A random id of `bytes` bytes as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    fill(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// The browser's IANA time zone name (`Intl.DateTimeFormat().resolvedOptions().timeZone`).
pub fn browser_time_zone() -> Option<String> {
    let opts = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&opts, &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
}

/// The current time from the browser's clock.
pub fn now() -> Timestamp {
    chrono::Utc::now()
}
