//! Input checks and normalisation shared by `decide` and macros, and by the sync server's
//! `check_remote_event`: the same limits hold on devices and on the server.

use std::collections::BTreeMap;

use crate::error::ValidationError as V;
use crate::model::{Attachment, FieldValue, Requester};
use crate::settings::{DomainSettings, FieldKind};

/// The longest free-text fields, in characters (after [`clean_text`]). Subjects and bodies have
/// theirs in [`DomainSettings`]; tags are at most 64.
pub mod limits {
    pub const REQUESTER_NAME: usize = 200;
    /// RFC 5321's longest forward path.
    pub const EMAIL: usize = 254;
    pub const PHONE: usize = 40;
    /// The longest BCP 47 tag in common use (RFC 5646 section 4.4.1).
    pub const LOCALE: usize = 35;
    pub const LOCATION: usize = 200;
    pub const CATEGORY: usize = 100;
    pub const ATTACHMENT_NAME: usize = 255;
    pub const ATTACHMENT_MIME: usize = 255;
    /// The blob store key: a content hash, with room for a scheme prefix.
    pub const ATTACHMENT_BLOB: usize = 128;
    /// A custom field's text value.
    pub const FIELD_TEXT: usize = 2_000;
    pub const ESCALATION_REASON: usize = 1_000;
}

/// `s` cleaned, if it has at most `max` characters.
pub fn limited(s: &str, what: &'static str, max: usize) -> Result<String, V> {
    let s = clean_text(s);
    if s.chars().count() > max {
        return Err(V::TooLong { what, max });
    }
    Ok(s)
}

/// An optional short text (category, location): cleaned, empty becomes `None`, at most `max`.
pub fn optional(s: Option<&str>, what: &'static str, max: usize) -> Result<Option<String>, V> {
    Ok(match s {
        Some(s) => Some(limited(s, what, max)?).filter(|s| !s.is_empty()),
        None => None,
    })
}

/// NFC, trimmed: the same text typed on two systems compares equal.
pub fn clean_text(s: &str) -> String {
    crate::text::nfc(s).trim().to_owned()
}

pub fn subject(s: &str, settings: &DomainSettings) -> Result<String, V> {
    let s = clean_text(s);
    if s.is_empty() {
        return Err(V::EmptySubject);
    }
    if s.chars().count() > settings.max_subject_chars {
        return Err(V::SubjectTooLong {
            max: settings.max_subject_chars,
        });
    }
    Ok(s)
}

/// Message bodies keep their Markdown as typed (only NFC and outer whitespace change).
pub fn body(s: &str, allow_empty: bool, settings: &DomainSettings) -> Result<String, V> {
    let s = clean_text(s);
    if s.is_empty() && !allow_empty {
        return Err(V::EmptyBody);
    }
    if s.chars().count() > settings.max_body_chars {
        return Err(V::BodyTooLong {
            max: settings.max_body_chars,
        });
    }
    Ok(s)
}

/// Tags are case-insensitive words: lowercased, inner spaces become dashes.
pub fn tag(raw: &str) -> Result<String, V> {
    let t: String = clean_text(raw)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-");
    let ok = !t.is_empty()
        && t.chars().count() <= 64
        && t.chars().all(|c| c.is_alphanumeric() || "-_:.".contains(c));
    if ok {
        Ok(t)
    } else {
        Err(V::InvalidTag(raw.to_owned()))
    }
}

pub fn tags(raw: &[String]) -> Result<Vec<String>, V> {
    let mut out: Vec<String> = raw.iter().map(|t| tag(t)).collect::<Result<_, _>>()?;
    out.sort();
    out.dedup();
    Ok(out)
}

pub fn requester(r: &Requester) -> Result<Requester, V> {
    let mut r = r.clone();
    r.name = limited(&r.name, "name", limits::REQUESTER_NAME)?;
    if let Some(l) = &r.locale {
        r.locale = Some(limited(l, "locale", limits::LOCALE)?);
    }
    if let Some(e) = &r.email {
        let e = limited(e, "email address", limits::EMAIL)?;
        if !is_email_address(&e) {
            return Err(V::InvalidEmail(e));
        }
        r.email = Some(e);
    }
    if let Some(p) = &r.phone {
        let p = limited(p, "phone number", limits::PHONE)?;
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if digits < 5
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        {
            return Err(V::InvalidPhone(p));
        }
        r.phone = Some(p);
    }
    r.context = match &r.context {
        Some(c) => Some(c.checked()?).filter(|c| !c.is_empty()),
        None => None,
    };
    Ok(r)
}

/// Whether files of this media type may be attached: images (not SVG, which can carry scripts),
/// PDF, plain text, CSV and Markdown, JSON, office documents (Microsoft and OpenDocument), RTF,
/// audio, video and zip archives. Web pages, scripts, executables and untyped bytes are refused,
/// on the device when the file is chosen and again by the sync server. Parameters such as
/// `; charset=utf-8` and letter case are ignored.
pub fn attachment_type_allowed(mime: &str) -> bool {
    let essence = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    if sub.is_empty() || !essence.chars().all(|c| c.is_ascii_graphic()) {
        return false;
    }
    match kind {
        "image" => sub != "svg+xml",
        "audio" | "video" => true,
        "text" => matches!(sub, "plain" | "csv" | "markdown"),
        "application" => {
            matches!(
                sub,
                "pdf"
                    | "json"
                    | "zip"
                    | "x-zip-compressed"
                    | "rtf"
                    | "msword"
                    | "vnd.ms-excel"
                    | "vnd.ms-powerpoint"
            ) || sub.starts_with("vnd.openxmlformats-officedocument.")
                || sub.starts_with("vnd.oasis.opendocument.")
        }
        _ => false,
    }
}

/// The media type of a file the browser left untyped, from its name's extension: the logs, HAR
/// captures and data exports support teams ask for usually arrive without one. `None` when the
/// extension says nothing we allow.
pub fn attachment_type_from_name(name: &str) -> Option<&'static str> {
    let (_, ext) = name.rsplit_once('.')?;
    Some(match ext.to_ascii_lowercase().as_str() {
        "log" | "txt" => "text/plain",
        "csv" => "text/csv",
        "md" | "markdown" => "text/markdown",
        "json" | "har" => "application/json",
        _ => return None,
    })
}

pub fn attachments(list: &[Attachment], settings: &DomainSettings) -> Result<(), V> {
    for a in list {
        if a.name.trim().is_empty() || a.blob.trim().is_empty() {
            return Err(V::AttachmentIncomplete);
        }
        limited(&a.name, "file name", limits::ATTACHMENT_NAME)?;
        limited(&a.mime, "file type", limits::ATTACHMENT_MIME)?;
        limited(&a.blob, "file key", limits::ATTACHMENT_BLOB)?;
        if !attachment_type_allowed(&a.mime) {
            return Err(V::AttachmentType {
                name: a.name.clone(),
                mime: a.mime.clone(),
            });
        }
        if a.size > settings.max_attachment_bytes {
            return Err(V::AttachmentTooLarge {
                name: a.name.clone(),
                size: a.size,
                max: settings.max_attachment_bytes,
            });
        }
    }
    Ok(())
}

/// Checks a value against its definition.
pub fn field(key: &str, value: &FieldValue, settings: &DomainSettings) -> Result<(), V> {
    let def = settings
        .field(key)
        .ok_or_else(|| V::UnknownField(key.to_owned()))?;
    let kind_ok = matches!(
        (def.kind, value),
        (FieldKind::Text, FieldValue::Text(_))
            | (FieldKind::Number, FieldValue::Number(_))
            | (FieldKind::Bool, FieldValue::Bool(_))
            | (FieldKind::Date, FieldValue::Date(_))
            | (FieldKind::Choice, FieldValue::Choice(_))
    );
    if !kind_ok || matches!(value, FieldValue::Number(n) if !n.is_finite()) {
        return Err(V::FieldKind {
            key: key.to_owned(),
            expected: def.kind,
        });
    }
    if let FieldValue::Text(t) = value
        && t.chars().count() > limits::FIELD_TEXT
    {
        return Err(V::TooLong {
            what: "field value",
            max: limits::FIELD_TEXT,
        });
    }
    if let FieldValue::Choice(c) = value
        && !def.choices.contains(c)
    {
        return Err(V::NotAChoice {
            key: key.to_owned(),
            value: c.clone(),
        });
    }
    Ok(())
}

pub fn fields(map: &BTreeMap<String, FieldValue>, settings: &DomainSettings) -> Result<(), V> {
    map.iter().try_for_each(|(k, v)| field(k, v, settings))
}

/// Whether `e` is an e-mail address a message can be sent to and a `mailto:` link can carry as
/// it is: `local@domain`, with no spaces or control characters, no query (`?`), fragment (`#`),
/// percent escapes or a second `@`; the local part at most 64 characters without leading,
/// trailing or doubled dots; the domain at least two labels of letters (any script, so
/// internationalised domains pass), digits and inner hyphens, at most 63 characters each and 253
/// in all, the last not all digits.
pub fn is_email_address(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.chars().count() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || ".!$'*+-/=^_`{|}~".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = domain.chars().count() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().count() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()));
    local_ok && domain_ok
}

/// An escalation's reason: not empty, at most [`limits::ESCALATION_REASON`].
pub fn reason(s: &str) -> Result<String, V> {
    let r = limited(s, "reason", limits::ESCALATION_REASON)?;
    if r.is_empty() {
        return Err(V::EmptyReason);
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::FieldDef;

    #[test]
    fn tags_are_normalised_or_refused() {
        assert_eq!(
            tag("  Facturación  Urgente ").unwrap(),
            "facturación-urgente"
        );
        assert_eq!(tag("cafe\u{301}").unwrap(), "café"); // NFC: combining accent folded.
        for bad in ["", "   ", "a/b", "<script>", &"x".repeat(65)] {
            assert!(tag(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            tags(&["B".into(), "a".into(), "b".into()]).unwrap(),
            ["a", "b"]
        );
    }

    #[test]
    fn free_text_has_limits() {
        let at_most = |n: usize| "x".repeat(n);
        let r = |name: String, locale: Option<String>| Requester {
            name,
            locale,
            ..Default::default()
        };
        assert!(requester(&r(at_most(limits::REQUESTER_NAME), None)).is_ok());
        assert_eq!(
            requester(&r(at_most(limits::REQUESTER_NAME + 1), None)),
            Err(V::TooLong {
                what: "name",
                max: limits::REQUESTER_NAME
            })
        );
        assert!(requester(&r(String::new(), Some(at_most(limits::LOCALE + 1)))).is_err());
        let long_mail = format!("{}@example.com", at_most(limits::EMAIL));
        assert!(matches!(
            requester(&Requester {
                email: Some(long_mail),
                ..Default::default()
            }),
            Err(V::TooLong { .. })
        ));
        assert_eq!(optional(Some("  "), "category", 3), Ok(None));
        assert!(optional(Some("abcd"), "category", 3).is_err());
        let file = |name: String| Attachment {
            name,
            mime: "image/png".into(),
            size: 1,
            blob: "k".into(),
        };
        let s = DomainSettings::default();
        assert!(attachments(&[file(at_most(limits::ATTACHMENT_NAME))], &s).is_ok());
        assert!(attachments(&[file(at_most(limits::ATTACHMENT_NAME + 1))], &s).is_err());
        assert_eq!(reason("  "), Err(V::EmptyReason));
        assert!(reason(&at_most(limits::ESCALATION_REASON + 1)).is_err());
    }

    #[test]
    fn requester_contacts_are_checked() {
        let ok = Requester {
            email: Some(" ana@example.com ".into()),
            phone: Some("+54 (11) 4555-1234".into()),
            ..Default::default()
        };
        assert_eq!(
            requester(&ok).unwrap().email.as_deref(),
            Some("ana@example.com")
        );
        for bad in [
            "ana",
            "ana@",
            "@x.com",
            "ana@localhost",
            "a na@x.com",
            "a@b@c.com",
            "a@.com",
            "ana@example.com?bcc=spy%40evil.example&subject=hi",
            "ana@example.com#frag",
            "ana?cc=x@example.com",
            "ana%40x@example.com",
            "ana@exa mple.com",
            "ana@example..com",
            "ana@-example.com",
            "ana@example.com.",
            ".ana@example.com",
            "an..a@example.com",
            "ana\u{0}@example.com",
            "ana\u{202e}@example.com",
            "ana@example.123",
        ] {
            let r = Requester {
                email: Some(bad.into()),
                ..Default::default()
            };
            assert!(matches!(requester(&r), Err(V::InvalidEmail(_))), "{bad}");
        }
        let r = Requester {
            phone: Some("call me".into()),
            ..Default::default()
        };
        assert!(matches!(requester(&r), Err(V::InvalidPhone(_))));
    }

    #[test]
    fn real_addresses_pass_including_internationalised_ones() {
        for good in [
            "ana@example.com",
            "ana.garcia+pedidos@mail.example.co.uk",
            "o'brien@example.ie",
            "josé@café.example",
            "用户@例子.广告",
            "a@xn--caf-dma.example",
        ] {
            assert!(is_email_address(good), "{good}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert!(!is_email_address(&long_local));
    }

    #[test]
    fn custom_fields_are_typed() {
        let s = DomainSettings {
            custom_fields: vec![
                FieldDef {
                    key: "plan".into(),
                    label: String::new(),
                    kind: FieldKind::Choice,
                    choices: vec!["pro".into()],
                    required: false,
                    agent_only: false,
                },
                FieldDef {
                    key: "seats".into(),
                    label: String::new(),
                    kind: FieldKind::Number,
                    choices: vec![],
                    required: false,
                    agent_only: false,
                },
            ],
            ..Default::default()
        };
        assert!(field("plan", &FieldValue::Choice("pro".into()), &s).is_ok());
        assert!(matches!(
            field("plan", &FieldValue::Choice("free".into()), &s),
            Err(V::NotAChoice { .. })
        ));
        assert!(matches!(
            field("plan", &FieldValue::Text("pro".into()), &s),
            Err(V::FieldKind { .. })
        ));
        assert!(matches!(
            field("seats", &FieldValue::Number(f64::NAN), &s),
            Err(V::FieldKind { .. })
        ));
        assert!(matches!(
            field("nope", &FieldValue::Bool(true), &s),
            Err(V::UnknownField(_))
        ));
    }

    #[test]
    fn attachments_of_active_or_unknown_types_are_refused() {
        for ok in [
            "image/png",
            "IMAGE/JPEG",
            "text/plain; charset=utf-8",
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.oasis.opendocument.spreadsheet",
            "video/mp4",
            "application/zip",
        ] {
            assert!(attachment_type_allowed(ok), "{ok}");
        }
        for refused in [
            "image/svg+xml",
            "text/html",
            "application/javascript",
            "application/x-msdownload",
            "application/octet-stream",
            "",
            "image/",
            "image/png\u{0}",
        ] {
            assert!(!attachment_type_allowed(refused), "{refused}");
        }
        let file = |mime: &str| Attachment {
            name: "page.html".into(),
            mime: mime.into(),
            size: 10,
            blob: "a".repeat(64),
        };
        for (name, mime) in [
            ("console.log", Some("text/plain")),
            ("capture.HAR", Some("application/json")),
            ("orders.csv", Some("text/csv")),
            ("setup.exe", None),
            ("README", None),
        ] {
            assert_eq!(attachment_type_from_name(name), mime, "{name}");
            assert!(mime.is_none_or(attachment_type_allowed), "{name}");
        }
        let settings = DomainSettings::default();
        assert!(attachments(&[file("image/png")], &settings).is_ok());
        assert!(matches!(
            attachments(&[file("text/html")], &settings),
            Err(V::AttachmentType { name, mime }) if name == "page.html" && mime == "text/html"
        ));
    }
}
