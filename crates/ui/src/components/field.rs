//! Form errors beside their fields, and reading form inputs into core values.

use leptos::prelude::*;

use crate::i18n::{I18n, Key, use_i18n};

/// A form error to show: a message key, or a core error already tied to a field.
#[derive(Debug, Clone, PartialEq)]
pub enum FormError {
    Key(Key),
    Ui(crate::services::desk::UiError),
    Blob(crate::services::attachments::BlobError),
}

impl FormError {
    pub fn text(&self, i: I18n) -> String {
        match self {
            FormError::Key(k) => i.t(*k).to_owned(),
            FormError::Ui(e) => crate::i18n::errors::message(i, e),
            FormError::Blob(e) => crate::services::attachments::blob_message(i, e),
        }
    }
}

/// The message under a form field; empty (but present, so it is announced when it fills) when
/// the field is fine.
#[component]
pub fn FieldError(
    /// The id the field's `aria-describedby` points at.
    id: &'static str,
    /// The current error of the field, if any.
    error: Signal<Option<FormError>>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <p id=id class="mo-error" role="alert">
            {move || error.get().map(|e| e.text(i)).unwrap_or_default()}
        </p>
    }
}

/// A `datetime-local` input's value (`2026-12-01T09:30`), read in the browser's time zone.
pub fn local_datetime(value: &str) -> Option<mostrador_core::model::Timestamp> {
    let naive = chrono::NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    chrono::TimeZone::from_local_datetime(&chrono::Local, &naive)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
}
