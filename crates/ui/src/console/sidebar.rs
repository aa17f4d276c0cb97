//! The console's sidebar: "Log a ticket", the built-in views with their counts, the agent's
//! saved views and the management pages; on a phone the pages fold behind a menu button.

use leptos::prelude::*;
use mostrador_core::model::AgentId;
use mostrador_core::store::BuiltinView;

use crate::console::notifications::NotificationControl;
use crate::console::{ConsolePage, InboxView, builtin_key, use_console};
use crate::i18n::{Key, format_number, use_i18n};
use crate::services::desk::use_desk;
use crate::shell::session::use_session;

/// The sidebar. `has_sync`: alerts come with sync; without a server there is nobody else to
/// hear from.
#[component]
pub fn Sidebar(has_sync: bool) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let session = use_session();
    let state = use_console();
    let menu = RwSignal::new(false);
    // Going somewhere closes the phone's menu.
    Effect::new(move |_| {
        state.page.track();
        menu.set(false);
    });
    let rev = desk.revision;
    let counts = LocalResource::new(move || {
        rev.track();
        let me = session.agent.get();
        let desk = desk.clone();
        async move {
            let me = me.unwrap_or(AgentId(String::new()));
            let mut out = Vec::new();
            for v in BuiltinView::ALL {
                let n = desk
                    .store
                    .count(&v.filter(&me), crate::services::ids::now())
                    .await
                    .unwrap_or(0);
                out.push((v, n));
            }
            out
        }
    });

    view! {
    <nav
        class="mo-sidebar"
        class:mo-menu-open=move || menu.get()
        aria-label=i.text(Key::Views)
    >
        // On a phone "Log a ticket" and the pages fold behind this button, so the
        // views and the inbox come first.
        <button
            type="button"
            class="mo-button mo-button-secondary mo-menu-button"
            aria-expanded=move || if menu.get() { "true" } else { "false" }
            aria-controls="mo-manage"
            on:click=move |_| menu.update(|m| *m = !*m)
        >
            {i.text(Key::Menu)}
        </button>
        <button
            type="button"
            class="mo-button mo-button-block"
            on:click=move |_| state.page.set(ConsolePage::LogTicket)
        >
            {i.text(Key::LogTicket)}
        </button>
        <ul class="mo-views">
            {BuiltinView::ALL
                .into_iter()
                .map(|b| {
                    view_button(
                        InboxView::Builtin(b),
                        Signal::derive(move || i.t(builtin_key(b)).to_owned()),
                        Signal::derive(move || {
                            counts
                                .get()
                                .and_then(|c| c.iter().find(|(v, _)| *v == b).map(|(_, n)| *n))
                        }),
                    )
                })
                .collect_view()}
        </ul>
        // Only when there are some: an empty heading made the links below read as views.
        <Show when=move || state.saved.with(|v| !v.is_empty())>
        <p class="mo-views-title">{i.text(Key::SavedViews)}</p>
        <ul class="mo-views" aria-label=i.text(Key::SavedViews)>
            {move || {
                state
                    .saved
                    .get()
                    .into_iter()
                    .map(|s| {
                        let name = s.name.clone();
                        view_button(
                            InboxView::Saved(Box::new(s)),
                            Signal::derive(move || name.clone()),
                            Signal::derive(|| None),
                        )
                    })
                    .collect_view()
            }}
        </ul>
        </Show>
        <div id="mo-manage" class="mo-nav-group" role="group" aria-labelledby="mo-manage-title">
        <p id="mo-manage-title" class="mo-views-title">{i.text(Key::ManageTitle)}</p>
        {[
            (ConsolePage::Dashboard, Key::DashTitle),
            (ConsolePage::Articles, Key::KbAdminTitle),
            (ConsolePage::Data, Key::DataTitle),
            (ConsolePage::Settings, Key::SetTitle),
            (ConsolePage::Integrations, Key::IntTitle),
        ]
            .map(|(page, title)| page_link(page, title))}
        <button type="button" class="mo-link" on:click=move |_| state.help.set(true)>
            {i.text(Key::KeyboardShortcuts)}
        </button>
        // Alerts come with sync; without a server there is nobody else to hear from.
        {has_sync.then(|| view! { <NotificationControl /> })}
        </div>
    </nav>
    }
}

/// A management page's link, current while the console shows that page.
fn page_link(page: ConsolePage, title: Key) -> impl IntoView {
    let i = use_i18n();
    let state = use_console();
    let shown = page.clone();
    view! {
        <button
            type="button"
            class="mo-link"
            aria-current=move || (state.page.get() == shown).then_some("page")
            on:click=move |_| state.page.set(page.clone())
        >
            {i.text(title)}
        </button>
    }
}

/// One view in the sidebar: its name, its count (when known), current while the inbox shows it.
fn view_button(v: InboxView, label: Signal<String>, count: Signal<Option<usize>>) -> impl IntoView {
    let i = use_i18n();
    let state = use_console();
    let v2 = v.clone();
    view! {
        <li>
            <button
                type="button"
                class="mo-view"
                aria-current=move || {
                    (state.view.get() == v2 && state.page.get() == ConsolePage::Inbox)
                        .then_some("page")
                }
                on:click=move |_| {
                    state.view.set(v.clone());
                    state.offset.set(0);
                    state.page.set(ConsolePage::Inbox);
                }
            >
                <span>{move || label.get()}</span>
                <span class="mo-count">
                    {move || count.get().map(|n| format_number(i.lang.get(), n as i64)).unwrap_or_default()}
                </span>
            </button>
        </li>
    }
}
