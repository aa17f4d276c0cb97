//! Input checks and normalisation shared by `decide` and macros.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

use crate::error::ValidationError as V;
use crate::model::{Attachment, FieldValue, Requester};
use crate::settings::{DomainSettings, FieldKind};

/// NFC, trimmed: the same text typed on two systems compares equal.
pub fn clean_text(s: &str) -> String {
    s.nfc().collect::<String>().trim().to_owned()
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
    r.name = clean_text(&r.name);
    if let Some(e) = &r.email {
        let e = clean_text(e);
        let valid = match e.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
                    && !e.chars().any(char::is_whitespace)
            }
            None => false,
        };
        if !valid {
            return Err(V::InvalidEmail(e));
        }
        r.email = Some(e);
    }
    if let Some(p) = &r.phone {
        let p = clean_text(p);
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
    Ok(r)
}

pub fn attachments(list: &[Attachment], settings: &DomainSettings) -> Result<(), V> {
    for a in list {
        if a.name.trim().is_empty() || a.blob.trim().is_empty() {
            return Err(V::AttachmentIncomplete);
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
}
