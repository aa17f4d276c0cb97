//! Helpers for the benchmark that compares the store with plain JavaScript loops. Not an API.

use mostrador_core::apply::fold_all;
use mostrador_core::config::Settings;
use mostrador_core::event::Event;
use mostrador_core::model::Timestamp;
use mostrador_core::store::TicketSummary;
use wasm_bindgen::JsValue;

use crate::IdbError;
use crate::codec;
use crate::migrations::{EVENTS, ROWS, TICKETS};

/// The `[store, record]` pairs an append of `events` into an empty store writes, so a plain
/// JavaScript loop can write exactly the same records.
pub fn records(
    events: &[Event],
    settings: &Settings,
    now: Timestamp,
) -> Result<js_sys::Array, IdbError> {
    let out = js_sys::Array::new();
    let pair = |store: &str, record: JsValue| {
        out.push(&js_sys::Array::of2(&JsValue::from_str(store), &record));
    };
    for e in events {
        pair(EVENTS, codec::event(e)?);
    }
    let zones = crate::zones::BrowserZones::new();
    for t in fold_all(events).values() {
        pair(TICKETS, codec::ticket(t)?);
        pair(
            ROWS,
            codec::row(&TicketSummary::of(t, settings, &zones, now))?,
        );
    }
    Ok(out)
}
