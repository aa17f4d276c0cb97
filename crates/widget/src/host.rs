//! What the host page tells the app about the visitor, as plain Rust data.
//!
//! Everything here arrives from a page we do not control, so every constructor validates and
//! returns a message a web developer can act on. Nothing here touches the DOM; each type reads
//! itself from the host's object (see `read`), and the `options` module then calls `validate`.

use std::collections::BTreeMap;

use mostrador_core::customer::{ContextError, CustomerContext};
use wasm_bindgen::{JsCast, JsValue};

use crate::read::{Fields, object, text_or_null};

/// Longest identifier, name or e-mail we accept from the host.
const MAX_SHORT: usize = 256;
/// The longest signature `identify` takes: an `mc2.` token carries the customer's context.
const MAX_SIGNATURE: usize = 4096;
/// Longest prefilled subject.
const MAX_SUBJECT: usize = 200;
/// Longest prefilled message.
const MAX_MESSAGE: usize = 10_000;
/// Most custom ticket fields the host may prefill.
const MAX_FIELDS: usize = 32;

/// A BCP 47 language tag such as `es` or `pt-BR`, checked for shape only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale(String);

impl Locale {
    /// Accepts `ll`, `lll` or either followed by `-` and 1–8 letters or digits per subtag.
    pub fn parse(tag: &str) -> Result<Self, String> {
        let mut parts = tag.split('-');
        let first = parts.next().unwrap_or_default();
        let first_ok =
            (2..=3).contains(&first.len()) && first.chars().all(|c| c.is_ascii_alphabetic());
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if first_ok && rest_ok && tag.len() <= 35 {
            Ok(Self(tag.to_string()))
        } else {
            Err(format!(
                "Mostrador: locale {tag:?} is not a language tag; use one like \"en\", \"es\" or \"pt-BR\""
            ))
        }
    }

    /// The tag as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who the visitor is, as vouched for by the host's backend.
///
/// The host's server signs the visitor's id (for example an HMAC-SHA256 with a secret it shares
/// with the sync server) and the page passes the result through `identify`. The browser cannot
/// check the signature — only the sync server holds the secret — so here we check its shape and
/// keep it until synced mode hands it to the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// The host's stable id for this person.
    pub id: String,
    /// Where replies can reach them.
    pub email: Option<String>,
    /// How agents address them.
    pub name: Option<String>,
    /// Signature over `id` from the host's backend: hex or base64, at least 32 characters.
    pub signature: String,
    /// When the host signed it, in milliseconds since the Unix epoch.
    pub issued_at: Option<f64>,
}

/// The context in a token's part, read with the browser's JSON parser (the widget's first
/// module carries no JSON parser of its own), then checked by the core like every context.
fn read_context(part: &str) -> Result<CustomerContext, ContextError> {
    let text = CustomerContext::token_json(part)?;
    let value = js_sys::JSON::parse(&text).map_err(|e| {
        ContextError::NotJson(
            e.dyn_ref::<js_sys::Error>()
                .map_or_else(|| "it is not JSON".to_owned(), |e| e.message().into()),
        )
    })?;
    if value.is_null() {
        return Err(ContextError::NotJson(
            "expected an object, found null".into(),
        ));
    }
    let read = |f: Fields| {
        Ok::<_, String>(CustomerContext {
            plan: f.text("plan")?,
            customer_since: f.text("customer_since")?,
            orders: f.texts("orders")?,
            crm_url: f.text("crm_url")?,
        })
    };
    let context = Fields::of(&value, &CustomerContext::FIELDS)
        .and_then(read)
        .map_err(ContextError::NotJson)?;
    context.checked()
}

impl Identity {
    /// The keys `identify` takes.
    pub(crate) const FIELDS: [&'static str; 5] = ["id", "email", "name", "signature", "issuedAt"];

    /// Reads the host's object (not yet validated).
    pub(crate) fn read(f: &Fields) -> Result<Self, String> {
        Ok(Self {
            id: f.required_text("id")?,
            email: f.text("email")?,
            name: f.text("name")?,
            signature: f.required_text("signature")?,
            issued_at: f.number("issuedAt")?,
        })
    }

    /// As `hostState` gives it: `{ id, email, name, signature, issuedAt }`, `null` for what
    /// was not given.
    fn to_js(&self) -> JsValue {
        object(&[
            ("id", JsValue::from_str(&self.id)),
            ("email", text_or_null(self.email.as_deref())),
            ("name", text_or_null(self.name.as_deref())),
            ("signature", JsValue::from_str(&self.signature)),
            (
                "issuedAt",
                self.issued_at.map_or(JsValue::NULL, JsValue::from_f64),
            ),
        ])
    }

    /// What the site vouched for about the visitor in an `mc2.` customer token
    /// (`mc2.EXPIRY.CONTEXT.SIGNATURE.USER_ID`); `None` for any other signature. The sync server
    /// checks the signature; here the context is read and checked for shape.
    pub fn context(&self) -> Result<Option<CustomerContext>, String> {
        let Some(rest) = self.signature.strip_prefix("mc2.") else {
            return Ok(None);
        };
        let part = rest.split('.').nth(1).unwrap_or_default();
        read_context(part)
            .map(|c| Some(c).filter(|c| !c.is_empty()))
            .map_err(|e| format!("Mostrador: identify: the signed customer context: {e}"))
    }

    /// Checks every field; the first problem found is returned.
    pub fn validate(self) -> Result<Self, String> {
        let id = self.id.trim();
        if id.is_empty() || id.len() > MAX_SHORT {
            return Err(format!(
                "Mostrador: identify: id must be 1 to {MAX_SHORT} characters"
            ));
        }
        if let Some(email) = &self.email {
            let at = email.find('@');
            let ok = email.len() <= MAX_SHORT
                && at.is_some_and(|i| i > 0 && i + 1 < email.len())
                && !email.chars().any(char::is_whitespace);
            if !ok {
                return Err(format!(
                    "Mostrador: identify: email {email:?} is not an e-mail address"
                ));
            }
        }
        if let Some(name) = &self.name
            && name.chars().count() > MAX_SHORT
        {
            return Err(format!(
                "Mostrador: identify: name is longer than {MAX_SHORT} characters"
            ));
        }
        let sig_ok = (32..=MAX_SIGNATURE).contains(&self.signature.len())
            && self
                .signature
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+/=-_.:@".contains(c));
        if !sig_ok {
            return Err(
                "Mostrador: identify: signature must be what your server computed over the user id \
                 (hex, base64, or the sync server's mc1. or mc2. customer token; 32 to 4096 \
                 characters)"
                    .into(),
            );
        }
        self.context()?;
        if let Some(t) = self.issued_at
            && !(t.is_finite() && t > 0.0)
        {
            return Err(
                "Mostrador: identify: issuedAt must be milliseconds since 1970 (Date.now())".into(),
            );
        }
        Ok(self)
    }
}

/// How urgent the visitor says the ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// Whenever convenient.
    Low,
    /// The default.
    Normal,
    /// Soon.
    High,
    /// Now.
    Urgent,
}

/// Ticket fields the host fills in ahead of time (an order number, the page the visitor is on).
/// The portal will read them when it opens its form; until then they wait in the handle.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prefill {
    /// The ticket's subject.
    pub subject: Option<String>,
    /// The first message.
    pub message: Option<String>,
    /// The customer's name.
    pub name: Option<String>,
    /// The customer's e-mail address.
    pub email: Option<String>,
    /// A category the help desk knows, such as `orders`.
    pub category: Option<String>,
    /// How urgent it is.
    pub priority: Option<Priority>,
    /// Custom fields by name, values as text.
    pub fields: BTreeMap<String, String>,
}

impl Priority {
    /// Its name as the host writes it.
    fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }

    /// `low`, `normal`, `high` or `urgent`.
    fn parse(word: &str) -> Result<Self, String> {
        match word {
            "low" => Ok(Self::Low),
            "normal" => Ok(Self::Normal),
            "high" => Ok(Self::High),
            "urgent" => Ok(Self::Urgent),
            _ => Err(format!(
                "priority \"{word}\" is not one of low, normal, high, urgent"
            )),
        }
    }
}

impl Prefill {
    /// The keys `prefill` takes.
    pub(crate) const FIELDS: [&'static str; 7] = [
        "subject", "message", "name", "email", "category", "priority", "fields",
    ];

    /// Reads the host's object (not yet validated).
    pub(crate) fn read(f: &Fields) -> Result<Self, String> {
        Ok(Self {
            subject: f.text("subject")?,
            message: f.text("message")?,
            name: f.text("name")?,
            email: f.text("email")?,
            category: f.text("category")?,
            priority: f
                .text("priority")?
                .as_deref()
                .map(Priority::parse)
                .transpose()?,
            fields: f.text_map("fields")?,
        })
    }

    /// Checks lengths and field names.
    pub fn validate(self) -> Result<Self, String> {
        let too_long = |what: &str, v: &Option<String>, max: usize| match v {
            Some(s) if s.chars().count() > max => Err(format!(
                "Mostrador: prefill: {what} is longer than {max} characters"
            )),
            _ => Ok(()),
        };
        too_long("subject", &self.subject, MAX_SUBJECT)?;
        too_long("message", &self.message, MAX_MESSAGE)?;
        too_long("name", &self.name, MAX_SHORT)?;
        too_long("email", &self.email, MAX_SHORT)?;
        too_long("category", &self.category, MAX_SHORT)?;
        if self.fields.len() > MAX_FIELDS {
            return Err(format!(
                "Mostrador: prefill: at most {MAX_FIELDS} custom fields"
            ));
        }
        for (k, v) in &self.fields {
            let key_ok = !k.is_empty()
                && k.len() <= 64
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !key_ok {
                return Err(format!(
                    "Mostrador: prefill: field name {k:?} must be 1 to 64 letters, digits, '_', '-' or '.'"
                ));
            }
            if v.chars().count() > MAX_SHORT * 4 {
                return Err(format!(
                    "Mostrador: prefill: field {k:?} is longer than {} characters",
                    MAX_SHORT * 4
                ));
            }
        }
        Ok(self)
    }

    /// As `hostState` gives it, `null` for what was not given.
    fn to_js(&self) -> JsValue {
        let fields: Vec<(&str, JsValue)> = self
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), JsValue::from_str(v)))
            .collect();
        object(&[
            ("subject", text_or_null(self.subject.as_deref())),
            ("message", text_or_null(self.message.as_deref())),
            ("name", text_or_null(self.name.as_deref())),
            ("email", text_or_null(self.email.as_deref())),
            ("category", text_or_null(self.category.as_deref())),
            (
                "priority",
                text_or_null(self.priority.map(Priority::as_str)),
            ),
            ("fields", object(&fields)),
        ])
    }

    /// Later calls add to earlier ones: a field given again replaces the earlier value.
    pub fn merge(&mut self, newer: Prefill) {
        fn take(old: &mut Option<String>, new: Option<String>) {
            if new.is_some() {
                *old = new;
            }
        }
        take(&mut self.subject, newer.subject);
        take(&mut self.message, newer.message);
        take(&mut self.name, newer.name);
        take(&mut self.email, newer.email);
        take(&mut self.category, newer.category);
        if newer.priority.is_some() {
            self.priority = newer.priority;
        }
        self.fields.extend(newer.fields);
    }
}

/// Everything the host has told one mounted app, kept for the app to read.
///
/// The UI does not consume it yet: the plan is that `mostrador_ui::AppOptions` grows `locale`,
/// `identity` and `prefill` fields and the widget fills them from here.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostState {
    /// The visitor's language, when the host set one.
    pub locale: Option<Locale>,
    /// The signed visitor identity, for synced mode.
    pub identity: Option<Identity>,
    /// Ticket fields to show filled in.
    pub prefill: Prefill,
}

impl HostState {
    /// What `hostState()` gives the host: `{ locale, identity, prefill }` as plain data.
    pub fn to_js(&self) -> JsValue {
        object(&[
            (
                "locale",
                text_or_null(self.locale.as_ref().map(Locale::as_str)),
            ),
            (
                "identity",
                self.identity
                    .as_ref()
                    .map_or(JsValue::NULL, Identity::to_js),
            ),
            ("prefill", self.prefill.to_js()),
        ])
    }
}
