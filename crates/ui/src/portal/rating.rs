//! The customer's satisfaction rating (1–5 and a comment) for a resolved ticket.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::command::Command;
use mostrador_core::model::{Actor, TicketId};

use crate::components::field::{TextField, TextKind};
use crate::i18n::errors::message;
use crate::i18n::{Key, use_i18n};
use crate::services::desk::{UiError, use_desk};

/// The customer's satisfaction rating (1–5 and a comment), offered once a ticket is resolved.
#[component]
pub fn RatingForm(
    /// The resolved ticket to rate.
    id: TicketId,
) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let score = RwSignal::new(0u8);
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<UiError>);
    let missing = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = score.get_untracked();
        if s == 0 {
            missing.set(true);
            return;
        }
        missing.set(false);
        let desk = desk.clone();
        let id = id.clone();
        let c = comment.get_untracked();
        spawn_local(async move {
            let Some(me) = desk.known_customer() else {
                error.try_set(Some(UiError::NotFound));
                return;
            };
            let cmd = Command::Rate {
                score: s,
                comment: (!c.trim().is_empty()).then_some(c),
            };
            if let Err(e) = desk.run(Some(&id), vec![cmd], &Actor::Customer(me)).await {
                error.try_set(Some(e));
            }
        });
    };
    view! {
        <form class="mo-form mo-rating" on:submit=submit>
            <fieldset class="mo-fieldset">
                <legend>{i.text(Key::RateQuestion)}</legend>
                <div class="mo-stars">
                    {(1u8..=5)
                        .map(|n| {
                            view! {
                                // tidy: own label, a star of the score's radio group
                                <label class="mo-star">
                                    <input
                                        type="radio"
                                        name="mo-score"
                                        value=n.to_string()
                                        on:change=move |_| score.set(n)
                                    />
                                    <span>{move || i.tf(Key::ScoreLabel, &[("score", &n.to_string())])}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <p class="mo-error" role="alert">
                    {move || {
                        if missing.get() {
                            i.t(Key::ErrRating).to_owned()
                        } else {
                            error.get().map(|e| message(i, &e)).unwrap_or_default()
                        }
                    }}
                </p>
            </fieldset>
            <TextField id="mo-rating-comment" label=Key::RatingComment value=comment kind=TextKind::Lines(3) />
            <button type="submit" class="mo-button">{i.text(Key::SendRating)}</button>
        </form>
    }
}
