//! The console's keyboard shortcuts as a modal dialog.

use leptos::html::Button;
use leptos::prelude::*;

use crate::console::use_console;
use crate::i18n::{Key, use_i18n};

/// The console's keyboard shortcuts, as a modal dialog (opened with `?`, closed with Escape).
#[component]
pub fn HelpOverlay() -> impl IntoView {
    let i = use_i18n();
    let state = use_console();
    let close = NodeRef::<Button>::new();
    Effect::new(move |_| {
        if let Some(b) = close.get() {
            let _ = b.focus();
        }
    });
    let rows = [
        ("j", Key::ShortcutNext),
        ("k", Key::ShortcutPrev),
        ("r", Key::ShortcutReply),
        ("n", Key::ShortcutNote),
        ("e", Key::ShortcutResolve),
        ("/", Key::ShortcutSearch),
        ("?", Key::ShortcutHelp),
        ("Esc", Key::ShortcutClose),
        ("Ctrl+Enter", Key::ShortcutSend),
    ];
    view! {
        <div class="mo-overlay">
            <div class="mo-dialog" role="dialog" aria-modal="true" aria-labelledby="mo-help-title">
                <h2 id="mo-help-title" class="mo-subtitle">{i.text(Key::KeyboardShortcuts)}</h2>
                <dl class="mo-shortcuts">
                    {rows
                        .into_iter()
                        .map(|(k, d)| view! {
                            <div class="mo-shortcut">
                                <dt><kbd>{k}</kbd></dt>
                                <dd>{i.text(d)}</dd>
                            </div>
                        })
                        .collect_view()}
                </dl>
                <button type="button" class="mo-button" node_ref=close on:click=move |_| state.help.set(false)>
                    {i.text(Key::CloseDialog)}
                </button>
            </div>
        </div>
    }
}
