//! A `<select>` over one of the core's closed sets ([`Named`]): the options' values are the
//! core's stable names, their labels translated messages.

use leptos::prelude::*;
use mostrador_core::named::Named;

use crate::i18n::{Key, use_i18n};

/// A `<select>` of `choices` (every value of `T` unless given), each shown as `label(value)`;
/// `on_pick` hears what was picked. With `none`, a first option stands for no value.
#[component]
pub fn ChoiceSelect<T, V, F>(
    /// The select's id (its label's `for`), unless a label wraps it.
    #[prop(optional, into)]
    id: Option<String>,
    /// The value shown as chosen (`None`: the `none` option), read in a reactive closure.
    value: V,
    /// Called with the picked value.
    on_pick: F,
    /// The message that names a value.
    label: fn(T) -> Key,
    /// The first option's message, for "no value".
    #[prop(optional)]
    none: Option<Key>,
    /// The values offered, when not all of them.
    #[prop(optional)]
    choices: Option<&'static [T]>,
    /// What the select's `aria-describedby` points at.
    #[prop(optional)]
    described_by: Option<String>,
) -> impl IntoView
where
    T: Named,
    V: Fn() -> Option<T> + Send + Sync + 'static,
    F: Fn(Option<T>) + 'static,
{
    let options = choices
        .unwrap_or(T::ALL)
        .iter()
        .map(|&v| (v.name(), label(v)))
        .collect();
    // One signal type whatever `T`: the select itself is the same code for every set.
    let chosen = Signal::derive(move || value().map(Named::name));
    let pick = Box::new(move |name: String| on_pick(T::from_name(&name)));
    select(id, options, none, chosen, described_by, pick)
}

/// The select itself, the same code for every `T`.
fn select(
    id: Option<String>,
    options: Vec<(&'static str, Key)>,
    none: Option<Key>,
    chosen: Signal<Option<&'static str>>,
    described_by: Option<String>,
    pick: Box<dyn Fn(String)>,
) -> AnyView {
    let i = use_i18n();
    view! {
        <select id=id class="mo-select" aria-describedby=described_by
            on:change=move |ev| pick(event_target_value(&ev))>
            {none.map(|k| view! {
                <option value="" selected=move || chosen.get().is_none()>{i.text(k)}</option>
            })}
            {options
                .into_iter()
                .map(|(name, key)| view! {
                    <option value=name selected=move || chosen.get() == Some(name)>{i.text(key)}</option>
                })
                .collect_view()}
        </select>
    }
    .into_any()
}
