//! The browser's time-zone rules (`Intl.DateTimeFormat`) as the core's [`TimeZones`] capability.
//!
//! The store needs them for its list rows (SLA due times run on business calendars), the app for
//! dashboards and the settings screen. Asking the browser keeps the IANA database out of the
//! WebAssembly module; the browser keeps its own copy current.
//!
//! The offset at an instant is the wall clock `Intl` shows there minus UTC. One formatter per
//! zone and the offsets already asked are kept: SLA calculations ask the same local boundaries
//! (opening and closing times of each date) again and again.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::NaiveDate;
use js_sys::{Array, Function, Object, Reflect};
use mostrador_core::model::Timestamp;
use mostrador_core::zone::{TimeZones, ZoneName};
use wasm_bindgen::{JsCast, JsValue};

/// Offsets kept per zone before the cache starts over.
const MAX_CACHED_OFFSETS: usize = 8192;
/// The largest instant a JavaScript `Date` holds (±100,000,000 days from 1970), in ms.
const MAX_DATE_MS: i64 = 8_640_000_000_000_000;

/// Time-zone rules from the browser. Cheap to create; keep one per store or screen.
#[derive(Default)]
pub struct BrowserZones {
    zones: RefCell<HashMap<String, Zone>>,
}

impl std::fmt::Debug for BrowserZones {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BrowserZones")
    }
}

struct Zone {
    /// `None` when the browser does not know the zone.
    format: Option<js_sys::Intl::DateTimeFormat>,
    offsets: HashMap<i64, i32>,
}

impl BrowserZones {
    pub fn new() -> BrowserZones {
        BrowserZones::default()
    }
}

impl TimeZones for BrowserZones {
    fn offset(&self, zone: &ZoneName, at: Timestamp) -> Option<i32> {
        let mut zones = self.zones.borrow_mut();
        let entry = zones.entry(zone.name().to_owned()).or_insert_with(|| Zone {
            format: formatter(zone.name()),
            offsets: HashMap::new(),
        });
        let format = entry.format.as_ref()?;
        let secs = at.timestamp();
        if let Some(&o) = entry.offsets.get(&secs) {
            return Some(o);
        }
        let offset = offset_at(format, secs)?;
        if entry.offsets.len() >= MAX_CACHED_OFFSETS {
            entry.offsets.clear();
        }
        entry.offsets.insert(secs, offset);
        Some(offset)
    }
}

/// An `Intl.DateTimeFormat` for `zone` that writes every field as a number on a 24-hour clock,
/// or `None` when the browser refuses the zone (a `RangeError`).
fn formatter(zone: &str) -> Option<js_sys::Intl::DateTimeFormat> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: Function = Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let options = Object::new();
    for (k, v) in [
        ("timeZone", zone),
        ("hourCycle", "h23"),
        ("year", "numeric"),
        ("month", "numeric"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "numeric"),
        ("second", "numeric"),
    ] {
        Reflect::set(&options, &k.into(), &v.into()).ok()?;
    }
    let args = Array::of2(&"en-US".into(), &options);
    Reflect::construct(&ctor, &args).ok()?.dyn_into().ok()
}

/// Seconds east of UTC that `format`'s wall clock reads at Unix second `secs`.
fn offset_at(format: &js_sys::Intl::DateTimeFormat, secs: i64) -> Option<i32> {
    let ms = secs.checked_mul(1000)?;
    if ms.abs() > MAX_DATE_MS {
        return None;
    }
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    let parts = format.format_to_parts(&date);
    let (mut y, mut mo, mut d, mut h, mut mi, mut s) = (None, None, None, None, None, None);
    for part in parts.iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        let n = || value.parse::<i64>().ok();
        match kind.as_str() {
            "year" => y = n(),
            "month" => mo = n(),
            "day" => d = n(),
            "hour" => h = n(),
            "minute" => mi = n(),
            "second" => s = n(),
            _ => {}
        }
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(y?).ok()?,
        u32::try_from(mo?).ok()?,
        u32::try_from(d?).ok()?,
    )?;
    // Some engines write midnight as 24 even with `h23`.
    let local = date.and_hms_opt(0, 0, 0)?.and_utc().timestamp() + (h? % 24) * 3600 + mi? * 60 + s?;
    i32::try_from(local - secs).ok()
}
