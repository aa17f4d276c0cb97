//! The console's keyboard shortcuts (j/k rows, r reply, n note, e resolve, / search, ? help),
//! heard on the console's own element so the host page's keys are never taken.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::console::{ConsolePage, ConsoleState};

/// When the shortcuts dialog closes its button disappears: focus goes back where work goes on
/// (the current row, or the open ticket), inside the console so shortcuts keep working.
pub fn restore_focus_after_help(state: ConsoleState, root_ref: NodeRef<leptos::html::Section>) {
    Effect::new(move |was_open: Option<bool>| {
        let open = state.help.get();
        if was_open == Some(true)
            && !open
            && let Some(root) = root_ref.get_untracked()
        {
            let sel = match state.page.get_untracked() {
                ConsolePage::Ticket(_) => "#mo-ticket-title".to_owned(),
                _ => format!("#mo-row-{}", state.cursor.get_untracked()),
            };
            request_animation_frame(move || {
                if let Ok(Some(el)) = root.query_selector(&sel)
                    && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
                {
                    let _ = el.focus();
                }
            });
        }
        open
    });
}

/// The console's keydown handler. Keys typed into a field, or with Ctrl, Meta or Alt, are left
/// alone.
pub fn on_key(state: ConsoleState) -> impl Fn(leptos::ev::KeyboardEvent) + Copy + 'static {
    move |ev: leptos::ev::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let Some(root) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let key = ev.key();
        if key == "Escape" {
            if state.help.get_untracked() {
                state.help.set(false);
                ev.prevent_default();
            }
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if typing {
            return;
        }
        let focus = |sel: &str| {
            if let Ok(Some(el)) = root.query_selector(sel)
                && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = el.focus();
                return Some(el);
            }
            None
        };
        let on_ticket = matches!(state.page.get_untracked(), ConsolePage::Ticket(_));
        match key.as_str() {
            "j" | "k" => {
                let rows = state.rows.get_untracked();
                if rows.is_empty() {
                    return;
                }
                let cur = state.cursor.get_untracked();
                let next = if key == "j" {
                    (cur + 1).min(rows.len() - 1)
                } else {
                    cur.saturating_sub(1)
                };
                state.cursor.set(next);
                if on_ticket {
                    state.page.set(ConsolePage::Ticket(rows[next].clone()));
                } else {
                    focus(&format!("#mo-row-{next}"));
                }
            }
            "r" | "n" if on_ticket => {
                let mode = if key == "r" {
                    "#mo-mode-reply"
                } else {
                    "#mo-mode-note"
                };
                if let Some(b) = focus(mode) {
                    b.click();
                }
                focus("#mo-composer");
            }
            "e" if on_ticket => {
                if let Some(b) = focus("#mo-resolve") {
                    b.click();
                }
            }
            "/" => {
                focus("#mo-search");
            }
            "?" => state.help.set(true),
            _ => return,
        }
        ev.prevent_default();
    }
}
