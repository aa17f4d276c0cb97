//! Ticket counters: how many list rows each [`CountKey`] (status, assignee, priority) has, kept
//! in the `counts` object store and changed in the same transaction as the rows they count, so a
//! view's total is a handful of small reads instead of a walk over its index range. Which views
//! counters answer, and how, is the core's (`ViewFilter::count_from`).

use std::collections::BTreeMap;

use mostrador_core::store::{CountKey, TicketSummary};
use wasm_bindgen::JsValue;
use web_sys::{IdbObjectStore, IdbRequest};

use crate::IdbError;
use crate::js::{object, prop};

/// Counters as read: key → rows counted under it.
pub(crate) type Counters = BTreeMap<CountKey, u64>;

fn key_text(key: &CountKey) -> Result<String, IdbError> {
    serde_json::to_string(key)
        .map_err(|e| IdbError::Browser(format!("could not encode a counter key: {e}")))
}

/// A counter record: `{ key: <the CountKey as JSON>, n }`.
pub(crate) fn record(key: &CountKey, n: u64) -> Result<JsValue, IdbError> {
    Ok(object(&[
        ("key", JsValue::from_str(&key_text(key)?)),
        // Counts stay far below 2⁵³, where f64 is exact.
        ("n", JsValue::from_f64(n as f64)),
    ]))
}

fn decode(record: &JsValue) -> Result<(CountKey, u64), IdbError> {
    let text = prop(record, "key")
        .as_string()
        .ok_or_else(|| IdbError::Corrupt("counter record without its key".into()))?;
    let key: CountKey =
        serde_json::from_str(&text).map_err(|e| IdbError::Corrupt(format!("counter key: {e}")))?;
    let n = prop(record, "n")
        .as_f64()
        .filter(|n| *n >= 0.0 && n.fract() == 0.0)
        .ok_or_else(|| IdbError::Corrupt(format!("counter {text} without a count")))?;
    Ok((key, n as u64))
}

/// Asks for every counter (a few dozen small records); read the answer with [`decode_all`].
pub(crate) fn request_all(store: &IdbObjectStore) -> Result<IdbRequest, IdbError> {
    Ok(store.get_all()?)
}

pub(crate) fn decode_all(result: &JsValue) -> Result<Counters, IdbError> {
    let mut out = Counters::new();
    for r in js_sys::Array::from(result).iter() {
        let (k, n) = decode(&r)?;
        *out.entry(k).or_default() += n;
    }
    Ok(out)
}

/// Changes to counters, accumulated while rows are written.
#[derive(Debug, Default)]
pub(crate) struct Deltas(BTreeMap<CountKey, i64>);

impl Deltas {
    pub(crate) fn add(&mut self, key: CountKey, by: i64) {
        *self.0.entry(key).or_default() += by;
    }

    /// A row replaced `old` (none for a new ticket) with `new`.
    pub(crate) fn moved(&mut self, old: Option<CountKey>, new: CountKey) {
        if old.as_ref() == Some(&new) {
            return;
        }
        if let Some(old) = old {
            self.add(old, -1);
        }
        self.add(new, 1);
    }

    /// Counts `rows` from scratch (a migration building counters for existing rows).
    pub(crate) fn of_rows<'a>(rows: impl IntoIterator<Item = &'a TicketSummary>) -> Self {
        let mut d = Deltas::default();
        for r in rows {
            d.add(CountKey::of(r), 1);
        }
        d
    }

    /// Writes the changed counters over `current` (read in the same transaction). A counter
    /// that would go below zero means the store is inconsistent: a typed error, which aborts
    /// the transaction.
    pub(crate) fn write(&self, store: &IdbObjectStore, current: &Counters) -> Result<(), IdbError> {
        for (key, by) in &self.0 {
            if *by == 0 {
                continue;
            }
            let was = current.get(key).copied().unwrap_or(0);
            let now = i128::from(was) + i128::from(*by);
            let now = u64::try_from(now).map_err(|_| {
                IdbError::Corrupt(format!(
                    "ticket counter {key:?} would be {now}: counters disagree with the rows"
                ))
            })?;
            if now == 0 {
                store.delete(&JsValue::from_str(&key_text(key)?))?;
            } else {
                store.put(&record(key, now)?)?;
            }
        }
        Ok(())
    }
}
