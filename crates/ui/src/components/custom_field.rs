//! One custom field asked with the control its kind calls for: a text box, a number box, yes or
//! no, a date, or one of the configured choices. The value is kept as text, the way the core's
//! [`FieldDef::parse_text`] reads it, so a host's prefill and a stored value fill it alike.

use leptos::prelude::*;
use mostrador_core::model::FieldValue;
use mostrador_core::settings::{FieldDef, FieldKind};

use crate::components::field::{FormError, LabelledField};
use crate::i18n::{I18n, Key, use_i18n};

/// Why a custom field's text cannot be stored, in the interface language; `None` when it can
/// (an empty optional field included).
pub fn problem(i: I18n, def: &FieldDef, text: &str) -> Option<String> {
    if text.trim().is_empty() {
        return def.required.then(|| i.t(Key::ErrRequiredValue).to_owned());
    }
    def.parse_text(text)
        .is_none()
        .then(|| i.tf(Key::ErrFieldValue, &[("field", def.display_name())]))
}

/// The text is not a value of the field (see [`problem`] for the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAValue;

/// The value to store for `text` (`None` clears the field), when it is valid.
pub fn value_of(def: &FieldDef, text: &str) -> Result<Option<FieldValue>, NotAValue> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    def.parse_text(text).map(Some).ok_or(NotAValue)
}

/// A labelled control for `def`, with its error below it (`aria-describedby`).
#[component]
pub fn CustomFieldInput(
    /// The field's definition from the settings.
    def: FieldDef,
    /// The control's id; the error's id is derived from it.
    id: String,
    /// The value as text.
    value: RwSignal<String>,
    /// The problem to show beside the control.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Called when the person leaves the control with a changed value (not on every key).
    #[prop(optional)]
    on_change: Option<Callback<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let error_id = format!("{id}-error");
    let changed = move |v: String| {
        value.set(v.clone());
        if let Some(f) = on_change {
            f.run(v);
        }
    };
    let invalid = move || error.get().is_some().to_string();
    let name = def.display_name().to_owned();
    let label = if def.required {
        format!("{name} *")
    } else {
        name
    };
    let control = match def.kind {
        FieldKind::Bool => view! {
            <select id=id.clone() class="mo-select" aria-describedby=error_id.clone()
                aria-invalid=invalid required=def.required
                on:change=move |ev| changed(event_target_value(&ev))>
                <option value="" selected=move || value.get().is_empty()>{i.text(Key::NotSet)}</option>
                <option value="true" selected=move || value.get() == "true">{i.text(Key::Yes)}</option>
                <option value="false" selected=move || value.get() == "false">{i.text(Key::No)}</option>
            </select>
        }
        .into_any(),
        FieldKind::Choice => {
            let choices = def.choices.clone();
            view! {
                <select id=id.clone() class="mo-select" aria-describedby=error_id.clone()
                    aria-invalid=invalid required=def.required
                    on:change=move |ev| changed(event_target_value(&ev))>
                    <option value="" selected=move || value.get().is_empty()>{i.text(Key::NotSet)}</option>
                    {choices.into_iter().map(|c| {
                        let c2 = c.clone();
                        view! { <option value=c.clone() selected=move || value.get() == c2>{c.clone()}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        kind => {
            let (input_type, mode) = match kind {
                FieldKind::Number => ("number", "decimal"),
                FieldKind::Date => ("date", "none"),
                _ => ("text", "text"),
            };
            view! {
                <input id=id.clone() class="mo-input" type=input_type inputmode=mode step="any"
                    aria-describedby=error_id.clone() aria-invalid=invalid required=def.required
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    on:change=move |ev| changed(event_target_value(&ev)) />
            }
            .into_any()
        }
    };
    let error = Signal::derive(move || error.get().map(FormError::Text));
    view! { <LabelledField id=id label=label error=error>{control}</LabelledField> }
}
