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
