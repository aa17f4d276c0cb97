//! Core errors as messages a person can act on, in the interface language, and which form field
//! each belongs next to.

use mostrador_core::error::{DomainError, ValidationError as V};
use mostrador_core::store::StoreError;

use crate::i18n::{I18n, Key, status_key};
use crate::services::desk::UiError;

/// The form field an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Subject,
    Name,
    Body,
    Email,
    Phone,
    Reason,
    Tag,
    Rating,
    Attachments,
    /// Not tied to one field: shown at the top of the form.
    General,
}

/// Where an error should be shown.
pub fn field_of(e: &UiError) -> Field {
    match e {
        UiError::Domain(DomainError::Invalid(v)) => match v {
            V::EmptySubject | V::SubjectTooLong { .. } => Field::Subject,
            V::EmptyBody | V::BodyTooLong { .. } => Field::Body,
            V::InvalidEmail(_) => Field::Email,
            V::InvalidPhone(_) => Field::Phone,
            V::InvalidTag(_) => Field::Tag,
            V::RatingOutOfRange(_) => Field::Rating,
            V::EmptyReason => Field::Reason,
            V::TooLong { what, .. } => match *what {
                "name" => Field::Name,
                "email address" => Field::Email,
                "phone number" => Field::Phone,
                "reason" => Field::Reason,
                "file name" | "file type" | "file key" => Field::Attachments,
                _ => Field::General,
            },
            V::AttachmentTooLarge { .. } | V::AttachmentIncomplete | V::AttachmentType { .. } => {
                Field::Attachments
            }
            _ => Field::General,
        },
        _ => Field::General,
    }
}

/// The error in the interface language (tracked).
pub fn message(i: I18n, e: &UiError) -> String {
    match e {
        UiError::Domain(d) => domain(i, d),
        UiError::Store(StoreError::QuotaExceeded) => i.t(Key::ErrQuota).to_owned(),
        UiError::Store(StoreError::Unavailable(_)) => i.t(Key::ErrUnavailable).to_owned(),
        UiError::Store(other) => i.tf(Key::ErrStorage, &[&other.to_string()]),
        UiError::Template(t) => i.tf(Key::ErrTemplate, &[&t.to_string()]),
        UiError::NotFound => i.t(Key::ErrNotFound).to_owned(),
        UiError::Kb(k) => i.tf(Key::ErrOther, &[&k.to_string()]),
    }
}

fn domain(i: I18n, e: &DomainError) -> String {
    match e {
        DomainError::Invalid(v) => validation(i, v),
        DomainError::Illegal(ill) => i.tf(Key::ErrIllegal, &[i.t(status_key(ill.from))]),
        DomainError::Forbidden { .. } => i.t(Key::ErrForbidden).to_owned(),
        DomainError::NotRequester => i.t(Key::ErrNotRequester).to_owned(),
        DomainError::Merged { code, into } => i.tf(Key::ErrMerged, &[code.as_str(), into.as_str()]),
        DomainError::MergeIntoSelf => i.t(Key::ErrMergeIntoSelf).to_owned(),
        DomainError::NothingToMerge => i.t(Key::ErrNothingToMerge).to_owned(),
        DomainError::NoTicket | DomainError::AlreadyOpened(_) | DomainError::NotDue { .. } => {
            i.tf(Key::ErrOther, &[&e.to_string()])
        }
    }
}

fn validation(i: I18n, v: &V) -> String {
    match v {
        V::EmptySubject => i.t(Key::ErrEmptySubject).to_owned(),
        V::SubjectTooLong { max } => i.tf(Key::ErrSubjectTooLong, &[&max.to_string()]),
        V::EmptyBody => i.t(Key::ErrEmptyBody).to_owned(),
        V::BodyTooLong { max } => i.tf(Key::ErrBodyTooLong, &[&max.to_string()]),
        V::InvalidEmail(x) => i.tf(Key::ErrInvalidEmail, &[x]),
        V::InvalidPhone(x) => i.tf(Key::ErrInvalidPhone, &[x]),
        V::InvalidTag(x) => i.tf(Key::ErrInvalidTag, &[x]),
        V::RequiredField(x) => i.tf(Key::ErrRequiredField, &[x]),
        V::RatingOutOfRange(_) => i.t(Key::ErrRating).to_owned(),
        V::EmptyReason => i.t(Key::ErrEmptyReason).to_owned(),
        V::Context(_) => i.t(Key::ErrCustomerContext).to_owned(),
        V::PostponeInPast(_) => i.t(Key::ErrPostponeInPast).to_owned(),
        V::TooLong { max, .. } => i.tf(Key::ErrTooLong, &[&max.to_string()]),
        V::AttachmentTooLarge { name, size, max } => crate::services::attachments::blob_message(
            i,
            &crate::services::attachments::BlobError::TooLarge {
                name: name.clone(),
                size: *size,
                max: *max,
            },
        ),
        V::AttachmentType { name, mime } => crate::services::attachments::blob_message(
            i,
            &crate::services::attachments::BlobError::Type {
                name: name.clone(),
                mime: mime.clone(),
            },
        ),
        other => i.tf(Key::ErrOther, &[&other.to_string()]),
    }
}
