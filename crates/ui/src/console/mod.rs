//! The agent console (compiled only with the `console` feature): the shell that switches between
//! its screens, the inbox's views and saved filters, and the context ([`use_console`]) they share.

pub mod admin;
pub mod dashboard;
pub mod help_overlay;
pub mod inbox;
pub mod log_ticket;
pub mod notifications;
pub mod search;
pub mod ticket;
pub mod welcome;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::model::{AgentId, TicketId};
use mostrador_core::store::{BuiltinView, Meta, SortKey, ViewFilter};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use crate::console::admin::integrations::Integrations;
use crate::console::admin::kb_admin::KbAdmin;
use crate::console::admin::portability::DataPage;
use crate::console::admin::settings::SettingsPage;
use crate::console::dashboard::Dashboard;
use crate::console::help_overlay::HelpOverlay;
use crate::console::inbox::Inbox;
use crate::console::log_ticket::LogTicket;
use crate::console::notifications::NotificationControl;
use crate::console::search::ConsoleSearch;
use crate::console::ticket::TicketView;
use crate::console::welcome::{SetupPage, Welcome};
use crate::i18n::{Key, format_number, use_i18n};
use crate::services::desk::use_desk;
use crate::shell::session::use_session;

/// Where the agent is in the console. Internal state: the host page's URL is never touched.
#[derive(Debug, Clone, PartialEq)]
pub enum ConsolePage {
    Inbox,
    Ticket(TicketId),
    LogTicket,
    Data,
    Dashboard,
    Articles,
    Settings,
    Integrations,
    /// The short first-run setup.
    Setup,
}

/// A filter the agent saved under a name (kept in the store's metadata).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    pub name: String,
    pub filter: ViewFilter,
}

mostrador_core::meta_key!(
    /// The agent's saved inbox filters (store metadata).
    pub SavedViews = "ui.saved_views" => Vec<SavedView>
);

/// Which list the inbox shows.
#[derive(Debug, Clone, PartialEq)]
pub enum InboxView {
    Builtin(BuiltinView),
    Saved(Box<SavedView>),
}

impl InboxView {
    pub fn filter(&self, me: &AgentId) -> ViewFilter {
        match self {
            InboxView::Builtin(b) => b.filter(me),
            InboxView::Saved(s) => s.filter.clone(),
        }
    }
}

/// The console's navigation state, shared by its parts.
#[derive(Debug, Clone, Copy)]
pub struct ConsoleState {
    pub page: RwSignal<ConsolePage>,
    pub view: RwSignal<InboxView>,
    pub text: RwSignal<String>,
    pub sort: RwSignal<SortKey>,
    pub offset: RwSignal<usize>,
    /// Ids of the rows on the current page, in order (for j/k).
    pub rows: RwSignal<Vec<TicketId>>,
    pub cursor: RwSignal<usize>,
    pub help: RwSignal<bool>,
    pub saved: RwSignal<Vec<SavedView>>,
}

pub fn use_console() -> ConsoleState {
    expect_context::<ConsoleState>()
}

pub fn builtin_key(v: BuiltinView) -> Key {
    match v {
        BuiltinView::MyOpen => Key::ViewMyOpen,
        BuiltinView::Unassigned => Key::ViewUnassigned,
        BuiltinView::SlaAtRisk => Key::ViewSlaAtRisk,
        BuiltinView::Urgent => Key::ViewUrgent,
        BuiltinView::All => Key::ViewAll,
    }
}

/// The agent console: views on the left, the inbox or a ticket on the right, keyboard
/// shortcuts everywhere inside it.
#[component]
pub fn Console() -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let session = use_session();
    let state = ConsoleState {
        page: RwSignal::new(ConsolePage::Inbox),
        view: RwSignal::new(InboxView::Builtin(BuiltinView::Unassigned)),
        text: RwSignal::new(String::new()),
        sort: RwSignal::new(SortKey::UpdatedDesc),
        offset: RwSignal::new(0),
        rows: RwSignal::new(Vec::new()),
        cursor: RwSignal::new(0),
        help: RwSignal::new(false),
        saved: RwSignal::new(Vec::new()),
    };
    provide_context(state);
    let menu = RwSignal::new(false);
    // Going somewhere closes the phone's menu.
    Effect::new(move |_| {
        state.page.track();
        menu.set(false);
    });
    let has_sync = match crate::services::sync_link::use_sync() {
        Some(ui) => {
            notifications::watch(ui.alerts);
            true
        }
        None => false,
    };
    {
        let desk = desk.clone();
        spawn_local(async move {
            if let Ok(Some(list)) = desk.store.meta::<SavedViews>().await {
                state.saved.try_set(list);
            }
        });
    }

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

    // When the shortcuts dialog closes its button disappears: put focus back where work goes
    // on (the current row, or the open ticket), inside the console so shortcuts keep working.
    let root_ref = NodeRef::<leptos::html::Section>::new();
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

    let on_key = move |ev: leptos::ev::KeyboardEvent| {
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
    };

    let split = Memo::new(move |_| matches!(state.page.get(), ConsolePage::Ticket(_)));
    let with_list = Memo::new(move |_| {
        matches!(
            state.page.get(),
            ConsolePage::Inbox | ConsolePage::Ticket(_)
        )
    });

    let view_button = move |v: InboxView, label: Signal<String>, count: Signal<Option<usize>>| {
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
    };

    view! {
        // Focusable (not in the tab order) so a click on a blank part of the console focuses
        // it and the shortcuts keep working, without listening on the host page's document.
        <section
            class="mo-console"
            aria-labelledby="mo-console-title"
            tabindex="-1"
            on:keydown=on_key
            node_ref=root_ref
        >
            <h1 id="mo-console-title" class="mo-sr-only">{move || i.t(Key::AgentConsole)}</h1>
            <div class="mo-console-bar">
                <ConsoleSearch />
            </div>
            <nav
                class="mo-sidebar"
                class:mo-menu-open=move || menu.get()
                aria-label=move || i.t(Key::Views)
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
                    {move || i.t(Key::Menu)}
                </button>
                <button
                    type="button"
                    class="mo-button mo-button-block"
                    on:click=move |_| state.page.set(ConsolePage::LogTicket)
                >
                    {move || i.t(Key::LogTicket)}
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
                <p class="mo-views-title">{move || i.t(Key::SavedViews)}</p>
                <ul class="mo-views" aria-label=move || i.t(Key::SavedViews)>
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
                <p id="mo-manage-title" class="mo-views-title">{move || i.t(Key::ManageTitle)}</p>
                <button
                    type="button"
                    class="mo-link"
                    aria-current=move || {
                        (state.page.get() == ConsolePage::Dashboard).then_some("page")
                    }
                    on:click=move |_| state.page.set(ConsolePage::Dashboard)
                >
                    {move || i.t(Key::DashTitle)}
                </button>
                <button
                    type="button"
                    class="mo-link"
                    aria-current=move || {
                        (state.page.get() == ConsolePage::Articles).then_some("page")
                    }
                    on:click=move |_| state.page.set(ConsolePage::Articles)
                >
                    {move || i.t(Key::KbAdminTitle)}
                </button>
                <button
                    type="button"
                    class="mo-link"
                    aria-current=move || (state.page.get() == ConsolePage::Data).then_some("page")
                    on:click=move |_| state.page.set(ConsolePage::Data)
                >
                    {move || i.t(Key::DataTitle)}
                </button>
                <button
                    type="button"
                    class="mo-link"
                    aria-current=move || {
                        (state.page.get() == ConsolePage::Settings).then_some("page")
                    }
                    on:click=move |_| state.page.set(ConsolePage::Settings)
                >
                    {move || i.t(Key::SetTitle)}
                </button>
                <button
                    type="button"
                    class="mo-link"
                    aria-current=move || {
                        (state.page.get() == ConsolePage::Integrations).then_some("page")
                    }
                    on:click=move |_| state.page.set(ConsolePage::Integrations)
                >
                    {move || i.t(Key::IntTitle)}
                </button>
                <button type="button" class="mo-link" on:click=move |_| state.help.set(true)>
                    {move || i.t(Key::KeyboardShortcuts)}
                </button>
                // Alerts come with sync; without a server there is nobody else to hear from.
                {has_sync.then(|| view! { <NotificationControl /> })}
                </div>
            </nav>
            // The inbox stays beside an open ticket where there is room (the split view, at
            // 1200 px and wider); narrower, the ticket takes the whole width.
            <div class="mo-main" class:mo-split=move || split.get()>
                // Siblings, not nested: a Show inside one that closes on the same change would
                // start mounting into a disposed owner.
                <Show when=move || state.page.get() == ConsolePage::Inbox>
                    <Welcome />
                </Show>
                <Show when=move || with_list.get()>
                    <div class="mo-list-pane">
                        <Inbox />
                    </div>
                </Show>
                {move || match state.page.get() {
                    ConsolePage::Inbox => ().into_any(),
                    ConsolePage::Ticket(id) => {
                        view! {
                            <div class="mo-ticket-pane">
                                <TicketView id=id />
                            </div>
                        }
                            .into_any()
                    }
                    ConsolePage::LogTicket => view! { <LogTicket /> }.into_any(),
                    ConsolePage::Data => view! { <DataPage /> }.into_any(),
                    ConsolePage::Dashboard => view! { <Dashboard /> }.into_any(),
                    ConsolePage::Articles => view! { <KbAdmin /> }.into_any(),
                    ConsolePage::Settings => view! { <SettingsPage /> }.into_any(),
                    ConsolePage::Integrations => view! { <Integrations /> }.into_any(),
                    ConsolePage::Setup => view! { <SetupPage /> }.into_any(),
                }}
            </div>
            <Show when=move || state.help.get()>
                <HelpOverlay />
            </Show>
        </section>
    }
}
