//! What the host site knows about a customer and vouches for: their plan, since when they are a
//! customer, their recent order numbers and a link to their record in the site's CRM.
//!
//! The context travels inside the customer token the host's backend signs (see the sync server's
//! `auth` module for the `mc2.` format), as base64url of a JSON object, so it is signed or absent:
//! a visitor cannot give themselves a better plan. The browser reads it from the token
//! ([`CustomerContext::from_token_part`]) and copies it onto the [`Requester`](crate::model::Requester)
//! of the tickets it opens; the server refuses an opening whose context differs from the signed one.
//! Agents see it on the ticket's requester card, assignment rules can route on the plan
//! ([`crate::assignment::RuleConditions::plans`]) and the REST API returns it with the ticket.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::validate::clean_text;

/// The most order numbers a context carries (the recent ones; the CRM link has the rest).
pub const MAX_ORDERS: usize = 20;
/// The longest plan name and order number, in characters.
pub const MAX_SHORT: usize = 64;
/// The longest CRM link, in bytes.
pub const MAX_URL: usize = 512;
/// The longest base64url part of a token accepted (a context within the limits above fits).
pub const MAX_TOKEN_PART: usize = 3_000;

/// Attributes of a customer vouched for by the host site. Every field is optional; unknown fields
/// are refused so that a misspelt one (`crmUrl`) is reported rather than silently dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerContext {
    /// The customer's plan or tier on the host site ("Pro", "Enterprise").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// The day they became a customer, `YYYY-MM-DD` (kept as text: reading dates through chrono's
    /// general parser would cost the customer widget kilobytes; [`Self::since`] gives the date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_since: Option<String>,
    /// Their recent order numbers, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orders: Vec<String>,
    /// Their record in the host's CRM: an `https://` (or `http://`) address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_url: Option<String>,
}

/// Why a context was refused; the message says what to change in the host's backend.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContextError {
    #[error("the customer context is not base64url (RFC 4648 §5, no padding) of a JSON object")]
    NotBase64,
    #[error(
        "the customer context is not a JSON object of plan, customer_since, orders, crm_url: {0}"
    )]
    NotJson(String),
    #[error("the customer context is longer than {MAX_TOKEN_PART} characters")]
    TooLarge,
    #[error("the customer context's {0} is empty; leave it out instead")]
    Empty(&'static str),
    #[error("the customer context's {what} is longer than {max} characters")]
    TooLong { what: &'static str, max: usize },
    #[error("the customer context has {0} order numbers; send at most {MAX_ORDERS}, newest first")]
    TooManyOrders(usize),
    #[error("the customer context's customer_since must be a date written YYYY-MM-DD")]
    BadDate,
    #[error(
        "the customer context's crm_url must be an https:// (or http://) address without spaces or quotes"
    )]
    BadUrl,
}

impl CustomerContext {
    /// The fields a context may have, as written in its JSON (for a reader that is not serde's
    /// own: the rest are refused like serde refuses them).
    pub const FIELDS: [&'static str; 4] = ["plan", "customer_since", "orders", "crm_url"];

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.plan.is_none()
            && self.customer_since.is_none()
            && self.orders.is_empty()
            && self.crm_url.is_none()
    }

    /// The context cleaned (NFC, trimmed) if every field is within its limits.
    pub fn checked(&self) -> Result<CustomerContext, ContextError> {
        let short = |s: &str, what: &'static str| {
            let s = clean_text(s);
            if s.is_empty() {
                Err(ContextError::Empty(what))
            } else if s.chars().count() > MAX_SHORT {
                Err(ContextError::TooLong {
                    what,
                    max: MAX_SHORT,
                })
            } else {
                Ok(s)
            }
        };
        if self.orders.len() > MAX_ORDERS {
            return Err(ContextError::TooManyOrders(self.orders.len()));
        }
        Ok(CustomerContext {
            plan: self.plan.as_deref().map(|p| short(p, "plan")).transpose()?,
            customer_since: match self.customer_since.as_deref() {
                Some(d) => Some(day(d.trim()).ok_or(ContextError::BadDate)?.0),
                None => None,
            },
            orders: self
                .orders
                .iter()
                .map(|o| short(o, "order number"))
                .collect::<Result<_, _>>()?,
            crm_url: self.crm_url.as_deref().map(checked_url).transpose()?,
        })
    }

    /// The day they became a customer, if known.
    pub fn since(&self) -> Option<NaiveDate> {
        self.customer_since.as_deref().and_then(day).map(|(_, d)| d)
    }

    /// The context carried by a token: base64url (no padding) of its JSON, checked.
    pub fn from_token_part(part: &str) -> Result<CustomerContext, ContextError> {
        let text = Self::token_json(part)?;
        let context: CustomerContext =
            serde_json::from_str(&text).map_err(|e| ContextError::NotJson(e.to_string()))?;
        context.checked()
    }

    /// The JSON text a token part carries, not yet read. For a reader with its own JSON parser
    /// (the customer widget reads it with the browser's); what it reads still goes through
    /// [`Self::checked`].
    pub fn token_json(part: &str) -> Result<String, ContextError> {
        if part.len() > MAX_TOKEN_PART {
            return Err(ContextError::TooLarge);
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| ContextError::NotBase64)?;
        String::from_utf8(bytes).map_err(|_| ContextError::NotJson("it is not UTF-8".into()))
    }

    /// The token part for this context (what a host backend computes; for tests and Rust hosts).
    pub fn to_token_part(&self) -> String {
        // Plain data with string keys: serializing cannot fail.
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }
}

/// `YYYY-MM-DD` as text and as a date, if it is one (a real day of a four-digit year).
fn day(s: &str) -> Option<(String, NaiveDate)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(digits(0..4)?).ok()?,
        digits(5..7)?,
        digits(8..10)?,
    )?;
    Some((s.to_owned(), date))
}

/// Whether `url` is a link agents may open (what [`CustomerContext::checked`] accepts as
/// `crm_url`); the console checks again before it renders one.
pub fn is_safe_link(url: &str) -> bool {
    checked_url(url).is_ok()
}

/// A link agents may open: http(s), a host, nothing that could break out of an attribute.
fn checked_url(url: &str) -> Result<String, ContextError> {
    let url = url.trim();
    if url.len() > MAX_URL {
        return Err(ContextError::TooLong {
            what: "crm_url",
            max: MAX_URL,
        });
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or(ContextError::BadUrl)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let clean = url
        .chars()
        .all(|c| !c.is_whitespace() && !c.is_control() && !"\"'<>\\`".contains(c));
    if host.is_empty() || host.starts_with('@') || !clean {
        return Err(ContextError::BadUrl);
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> CustomerContext {
        CustomerContext {
            plan: Some("Enterprise".into()),
            customer_since: Some("2021-03-04".into()),
            orders: vec!["A-1002".into(), "A-1001".into()],
            crm_url: Some("https://crm.example/contacts/42?tab=orders".into()),
        }
    }

    #[test]
    fn a_token_part_round_trips() {
        let c = full();
        assert_eq!(CustomerContext::from_token_part(&c.to_token_part()), Ok(c));
        let empty = CustomerContext::default();
        assert!(empty.is_empty());
        assert_eq!(
            CustomerContext::from_token_part(&empty.to_token_part()),
            Ok(empty)
        );
    }

    #[test]
    fn the_fields_listed_are_the_json_fields() {
        let full = CustomerContext {
            plan: Some("Pro".into()),
            customer_since: Some("2020-01-31".into()),
            orders: vec!["7".into()],
            crm_url: Some("https://crm.example.com/c/1".into()),
        };
        let json = serde_json::to_value(&full).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut listed = CustomerContext::FIELDS.to_vec();
        listed.sort_unstable();
        assert_eq!(keys, listed);
    }

    #[test]
    fn the_json_a_host_writes_is_read() {
        let json = r#"{"plan":" Pro ","customer_since":"2020-01-31","orders":["7"],"crm_url":"http://localhost:8080/c/1"}"#;
        let c = CustomerContext::from_token_part(&URL_SAFE_NO_PAD.encode(json)).unwrap();
        assert_eq!(c.plan.as_deref(), Some("Pro"));
        assert_eq!(c.since(), NaiveDate::from_ymd_opt(2020, 1, 31));
        assert_eq!(c.orders, ["7"]);
    }

    #[test]
    fn bad_contexts_say_what_to_fix() {
        let part = |json: &str| CustomerContext::from_token_part(&URL_SAFE_NO_PAD.encode(json));
        assert_eq!(
            CustomerContext::from_token_part("not base64!"),
            Err(ContextError::NotBase64)
        );
        assert!(matches!(part("[1]"), Err(ContextError::NotJson(_))));
        assert!(matches!(
            part(r#"{"crmUrl":"https://x"}"#),
            Err(ContextError::NotJson(m)) if m.contains("crmUrl")
        ));
        for bad in [
            "31/01/2020",
            "2020-02-30",
            "2020-1-31",
            "+020-01-31",
            "2020-01-3x",
        ] {
            assert_eq!(
                part(&format!(r#"{{"customer_since":"{bad}"}}"#)),
                Err(ContextError::BadDate),
                "{bad}"
            );
        }
        assert_eq!(part(r#"{"plan":"  "}"#), Err(ContextError::Empty("plan")));
        assert_eq!(
            part(&format!(r#"{{"plan":"{}"}}"#, "x".repeat(65))),
            Err(ContextError::TooLong {
                what: "plan",
                max: MAX_SHORT
            })
        );
        let many = vec!["1"; 21];
        assert_eq!(
            part(&serde_json::json!({ "orders": many }).to_string()),
            Err(ContextError::TooManyOrders(21))
        );
        assert_eq!(
            CustomerContext::from_token_part(&"A".repeat(MAX_TOKEN_PART + 1)),
            Err(ContextError::TooLarge)
        );
        for url in [
            "javascript:alert(1)",
            "data:text/html,x",
            "//crm.example/x",
            "https://",
            "https://@evil.example",
            "https://crm.example/a b",
            "https://crm.example/\"onmouseover=x",
            "https://crm.example/<script>",
            "ftp://crm.example/x",
        ] {
            let c = CustomerContext {
                crm_url: Some(url.into()),
                ..Default::default()
            };
            assert_eq!(c.checked(), Err(ContextError::BadUrl), "{url}");
        }
    }
}
