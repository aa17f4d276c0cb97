//! Records as stored: small envelopes holding the fields indexes need, and the value itself as
//! JSON text under `json`. Reading never panics: anything unexpected is `IdbError::Corrupt`.

use mostrador_core::event::Event;
use mostrador_core::model::{Priority, Timestamp};
use mostrador_core::store::TicketSummary;
use mostrador_core::ticket::Ticket;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use crate::IdbError;
use crate::js::{object, prop};

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<JsValue, IdbError> {
    serde_json::to_string(value)
        .map(|s| JsValue::from_str(&s))
        .map_err(|e| IdbError::Browser(format!("could not encode a record: {e}")))
}

/// Decodes the `json` field of a stored envelope.
pub(crate) fn from_record<T: DeserializeOwned>(
    record: &JsValue,
    what: &str,
) -> Result<T, IdbError> {
    let text = prop(record, "json")
        .as_string()
        .ok_or_else(|| IdbError::Corrupt(format!("{what} record without its JSON body")))?;
    serde_json::from_str(&text).map_err(|e| IdbError::Corrupt(format!("{what}: {e}")))
}

/// Decodes ticket rows read at once (`total` of them), giving the browser a turn between slices
/// of a large read: decoding is its costly part (tens of thousands of rows when the system rules
/// ask for every ticket at risk, or a search matches a common word), and one task for all of it
/// would hold up input and paint. Call it once the transaction has nothing more to do.
pub(crate) async fn decode_rows(
    records: impl IntoIterator<Item = JsValue>,
    total: usize,
) -> Result<Vec<TicketSummary>, IdbError> {
    let mut rows = Vec::with_capacity(total);
    for rec in records {
        if total > DECODE_SLICE && !rows.is_empty() && rows.len() % DECODE_SLICE == 0 {
            gloo_timers::future::TimeoutFuture::new(0).await;
        }
        rows.push(from_record(&rec, "row")?);
    }
    Ok(rows)
}

/// Rows decoded in one task at most by a large read (each a JSON body parsed into the core's
/// types, about 10–20 µs apiece).
const DECODE_SLICE: usize = 2_000;

pub(crate) fn ms(t: Timestamp) -> JsValue {
    // Milliseconds since the epoch are exact in an f64 for any realistic date.
    JsValue::from_f64(t.timestamp_millis() as f64)
}

fn log_key_fields(e: &Event) -> [(&'static str, JsValue); 4] {
    [
        ("id", JsValue::from_str(&e.id.0)),
        ("wall", JsValue::from_f64(e.hlc.wall_ms as f64)),
        ("counter", JsValue::from_f64(f64::from(e.hlc.counter))),
        ("node", JsValue::from_str(&e.hlc.node.0)),
    ]
}

pub(crate) fn event(e: &Event) -> Result<JsValue, IdbError> {
    let [id, wall, counter, node] = log_key_fields(e);
    Ok(object(&[
        id,
        wall,
        counter,
        node,
        ("ticket", JsValue::from_str(&e.ticket.0)),
        ("json", to_json(e)?),
    ]))
}

pub(crate) fn outbox_entry(e: &Event) -> JsValue {
    object(&log_key_fields(e))
}

pub(crate) fn ticket(t: &Ticket) -> Result<JsValue, IdbError> {
    Ok(object(&[
        ("id", JsValue::from_str(&t.id.0)),
        ("code", JsValue::from_str(t.code.as_str())),
        ("json", to_json(t)?),
    ]))
}

/// Priority as a number, so the index sorts it low → urgent.
pub(crate) fn priority_rank(p: Priority) -> f64 {
    match p {
        Priority::Low => 0.0,
        Priority::Normal => 1.0,
        Priority::High => 2.0,
        Priority::Urgent => 3.0,
    }
}

/// The `assignee` index value: unassigned rows are indexed under the empty string.
pub(crate) fn assignee_key(a: Option<&str>) -> JsValue {
    JsValue::from_str(a.unwrap_or(""))
}

pub(crate) fn row(r: &TicketSummary) -> Result<JsValue, IdbError> {
    let mut fields = vec![
        ("id", JsValue::from_str(&r.id.0)),
        ("status", JsValue::from_str(r.status.as_str())),
        ("priority", JsValue::from_f64(priority_rank(r.priority))),
        (
            "assignee",
            assignee_key(r.assignee.as_ref().map(|a| a.0.as_str())),
        ),
        ("updated", ms(r.updated_at)),
        ("created", ms(r.created_at)),
        ("json", to_json(r)?),
    ];
    if let Some(c) = &r.customer {
        fields.push(("customer", JsValue::from_str(&c.0)));
    }
    if let Some(d) = r.sla_due {
        fields.push(("sla_due", ms(d)));
    }
    if let Some(t) = r.sla_risk_from() {
        fields.push(("risk", ms(t)));
    }
    Ok(object(&fields))
}

pub(crate) fn json_value<T: Serialize>(v: &T) -> Result<JsValue, IdbError> {
    Ok(object(&[("json", to_json(v)?)]))
}
