//! Form fields: one labelled field (label, control, hint, error line, wired together with
//! `for`, `aria-describedby` and `aria-invalid`), the text field most forms ask, form errors, and
//! reading form inputs into core values.
//!
//! Ids: a field's control has the field's `id`; its hint is `{id}-hint` and its error line
//! `{id}-error` ([`described_by`]).

use leptos::prelude::*;

use crate::i18n::{I18n, Key, use_i18n};

/// A form error to show: a message key, a core error already tied to a field, or a message
/// already worded in the current language.
#[derive(Debug, Clone, PartialEq)]
pub enum FormError {
    Key(Key),
    Text(String),
    Ui(crate::services::desk::UiError),
    Blob(crate::services::attachments::BlobError),
}

impl FormError {
    pub fn text(&self, i: I18n) -> String {
        match self {
            FormError::Key(k) => i.t(*k).to_owned(),
            FormError::Text(t) => t.clone(),
            FormError::Ui(e) => crate::i18n::errors::late::message(i, e),
            FormError::Blob(e) => crate::i18n::errors::late::blob_message(i, e),
        }
    }
}

/// The message under a form field; empty (but present, so it is announced when it fills) when
/// the field is fine.
#[component]
pub fn FieldError(
    /// The id the field's `aria-describedby` points at.
    #[prop(into)]
    id: String,
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

/// What a field's control points `aria-describedby` at: its hint and its error line, those it has.
pub fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    match (hint, error) {
        (true, true) => Some(format!("{id}-hint {id}-error")),
        (true, false) => Some(format!("{id}-hint")),
        (false, true) => Some(format!("{id}-error")),
        (false, false) => None,
    }
}

/// `aria-invalid` of a control whose field has `error`.
pub fn invalid(error: Option<Signal<Option<FormError>>>) -> impl Fn() -> &'static str + Copy {
    move || match error.map(|e| e.with(Option::is_some)) {
        Some(true) => "true",
        _ => "false",
    }
}

/// Text a field shows (its label or its hint), worded in the current language when shown: a
/// message, a message with its placeholders filled, or the shop's own text (a custom field's
/// name). The console can also pass text it words itself.
#[derive(Debug, Clone)]
pub enum FieldText {
    Key(Key),
    Filled(Key, Vec<(&'static str, String)>),
    Text(String),
    /// Worded by the caller, reactively (console only: the portal keeps one signal type fewer).
    #[cfg(feature = "console")]
    Worded(Signal<String>),
}

impl FieldText {
    /// The text in the current language (tracked).
    pub fn show(&self, i: I18n) -> String {
        match self {
            FieldText::Key(k) => i.t(*k).to_owned(),
            FieldText::Filled(k, args) => {
                let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
                i.tf(*k, &args)
            }
            FieldText::Text(t) => t.clone(),
            #[cfg(feature = "console")]
            FieldText::Worded(s) => s.get(),
        }
    }
}

impl From<Key> for FieldText {
    fn from(k: Key) -> Self {
        FieldText::Key(k)
    }
}

impl From<String> for FieldText {
    fn from(s: String) -> Self {
        FieldText::Text(s)
    }
}

#[cfg(feature = "console")]
impl From<Signal<String>> for FieldText {
    fn from(s: Signal<String>) -> Self {
        FieldText::Worded(s)
    }
}

/// Where a [`LabelledField`]'s label sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldLayout {
    /// The label above the control, the hint and error line under the label and the control.
    #[default]
    Stacked,
    /// The label beside the control, on one line (filters, pickers in a bar).
    Inline,
    /// The label in a column beside the control, lined up with the fields above and below (a
    /// ticket's properties).
    Sheet,
    /// The label read by screen readers only, where the screen already says what the control is
    /// for (a chat's message box).
    Unseen,
}

/// One labelled form field: the label, the hint, the control (the children, which carry `id`,
/// `aria-describedby=described_by(…)` and `aria-invalid=invalid(…)`) and, for a field that can
/// be wrong, the error line, which is there while empty so a screen reader announces it when it
/// fills.
#[component]
pub fn LabelledField(
    /// The control's id.
    #[prop(into)]
    id: String,
    /// What the field asks.
    #[prop(into)]
    label: FieldText,
    /// A line of help between the label and the control.
    #[prop(optional, into)]
    hint: Option<FieldText>,
    /// The field's current problem, for a field that can have one.
    #[prop(optional, into)]
    error: Option<Signal<Option<FormError>>>,
    /// A narrow field (a number, a short choice) beside others in a row.
    #[prop(optional)]
    narrow: bool,
    /// Where the label sits: above the control (default), beside it, or for screen readers only.
    #[prop(optional)]
    layout: FieldLayout,
    children: Children,
) -> impl IntoView {
    let i = use_i18n();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let class = match layout {
        FieldLayout::Stacked | FieldLayout::Unseen => "mo-field",
        FieldLayout::Inline => "mo-inline-field",
        FieldLayout::Sheet => "mo-prop",
    };
    view! {
        <div class=class class:mo-field-narrow=narrow>
            <label for=id class:mo-sr-only=layout == FieldLayout::Unseen>
                {move || label.show(i)}
            </label>
            {hint.map(|h| view! { <p id=hint_id class="mo-hint">{move || h.show(i)}</p> })}
            {children()}
            {error.map(|e| view! { <FieldError id=error_id error=e /> })}
        </div>
    }
}

/// The kind of text a [`TextField`] asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextKind {
    /// One line of text.
    #[default]
    Line,
    /// An email address (the phone's email keyboard).
    Email,
    /// A phone number.
    Phone,
    /// Several lines, this many rows high.
    Lines(u32),
    /// A password, typed unseen.
    Password,
}

/// A labelled text field bound to `value` (a [`LabelledField`] around an input or a textarea).
#[component]
pub fn TextField(
    /// The input's id.
    id: &'static str,
    /// What the field asks.
    label: Key,
    /// The text, read and written as it is typed.
    value: RwSignal<String>,
    /// One line (default), email, phone or several lines.
    #[prop(optional)]
    kind: TextKind,
    /// The browser's autofill hint (`name`, `email`, `off`…).
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// A line of help between the label and the control.
    #[prop(optional, into)]
    hint: Option<FieldText>,
    /// The field's current problem, for a field that can have one.
    #[prop(optional, into)]
    error: Option<Signal<Option<FormError>>>,
) -> impl IntoView {
    let described = described_by(id, hint.is_some(), error.is_some());
    let invalid = invalid(error);
    let input = move |ev| value.set(event_target_value(&ev));
    let control = match kind {
        TextKind::Lines(rows) => view! {
            <textarea id=id class="mo-input mo-textarea" rows=rows aria-describedby=described
                aria-invalid=invalid prop:value=move || value.get() on:input=input></textarea>
        }
        .into_any(),
        _ => {
            let ty = match kind {
                TextKind::Email => "email",
                TextKind::Phone => "tel",
                TextKind::Password => "password",
                _ => "text",
            };
            view! {
                <input id=id class="mo-input" type=ty autocomplete=autocomplete
                    aria-describedby=described aria-invalid=invalid
                    prop:value=move || value.get() on:input=input />
            }
            .into_any()
        }
    };
    LabelledField(LabelledFieldProps {
        id: id.to_owned(),
        label: label.into(),
        hint,
        error,
        narrow: false,
        layout: FieldLayout::Stacked,
        children: Box::new(move || control),
    })
}

/// A checkbox with its label beside it, bound to `checked` and reporting changes to `on_change`.
#[component]
pub fn Check(
    /// What ticking the box means.
    #[prop(into)]
    label: FieldText,
    /// Whether the box is ticked (read reactively).
    #[prop(into)]
    checked: Signal<bool>,
    /// Hears the new state when the box is ticked or cleared.
    #[prop(into)]
    on_change: Callback<bool>,
    /// What the box's `aria-describedby` points at (a form's error line).
    #[prop(optional)]
    described_by: Option<&'static str>,
    /// The label's language, when it is not the page's (a language's own name).
    #[prop(optional)]
    lang: Option<&'static str>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <label class="mo-check">
            <input type="checkbox" aria-describedby=described_by prop:checked=move || checked.get()
                on:change=move |ev| on_change.run(event_target_checked(&ev)) />
            <span lang=lang>{move || label.show(i)}</span>
        </label>
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
