//! The agent console (compiled only with the `console` feature): the shell that switches between
//! its screens, the inbox's views and saved filters, and the context ([`use_console`]) they share.

pub mod admin;
pub mod dashboard;
pub mod help_overlay;
pub mod inbox;
pub mod log_ticket;
pub mod notifications;
pub mod search;
mod shortcuts;
mod sidebar;
pub mod sign_in;
pub mod ticket;
pub mod welcome;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::model::{AgentId, TicketId};
use mostrador_core::store::{BuiltinView, Meta, SortKey, ViewFilter};
use serde::{Deserialize, Serialize};

use crate::components::deferred::{deferred, deferred_view};
use crate::console::admin::integrations::Integrations;
use crate::console::admin::kb_admin::KbAdmin;
use crate::console::admin::portability::DataPage;
use crate::console::admin::settings::SettingsPage;
use crate::console::dashboard::Dashboard;
use crate::console::help_overlay::HelpOverlay;
use crate::console::inbox::Inbox;
use crate::console::log_ticket::LogTicket;
use crate::console::search::ConsoleSearch;
use crate::console::sidebar::Sidebar;
use crate::console::ticket::TicketView;
use crate::console::welcome::Welcome;
use crate::i18n::{Key, use_i18n};
use crate::services::desk::use_desk;

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

impl ConsoleState {
    /// The console's state when it opens: the inbox of `view`, newest change first.
    pub fn new(view: InboxView) -> ConsoleState {
        ConsoleState {
            page: RwSignal::new(ConsolePage::Inbox),
            view: RwSignal::new(view),
            text: RwSignal::new(String::new()),
            sort: RwSignal::new(SortKey::UpdatedDesc),
            offset: RwSignal::new(0),
            rows: RwSignal::new(Vec::new()),
            cursor: RwSignal::new(0),
            help: RwSignal::new(false),
            saved: RwSignal::new(Vec::new()),
        }
    }
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
    let state = ConsoleState::new(InboxView::Builtin(BuiltinView::Unassigned));
    provide_context(state);
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

    // Agents open tickets first of all: the ticket's module is fetched once the inbox is up,
    // so the first one opens at once.
    leptos::prelude::request_idle_callback(|| {
        spawn_local(async {
            let _ = ticket_code().await;
        })
    });

    let root_ref = NodeRef::<leptos::html::Section>::new();
    shortcuts::restore_focus_after_help(state, root_ref);
    let on_key = shortcuts::on_key(state);

    let split = Memo::new(move |_| matches!(state.page.get(), ConsolePage::Ticket(_)));
    let with_list = Memo::new(move |_| {
        matches!(
            state.page.get(),
            ConsolePage::Inbox | ConsolePage::Ticket(_)
        )
    });

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
            <h1 id="mo-console-title" class="mo-sr-only">{i.text(Key::AgentConsole)}</h1>
            <div class="mo-console-bar">
                <ConsoleSearch />
            </div>
            <Sidebar has_sync=has_sync />
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
                // Every screen but the inbox is a module of its own in the console's build,
                // fetched the first time it is shown.
                {move || match state.page.get() {
                    ConsolePage::Inbox => ().into_any(),
                    ConsolePage::Ticket(id) => {
                        view! {
                            <div class="mo-ticket-pane">
                                {deferred(move || ticket_screen(id.clone()))}
                            </div>
                        }
                            .into_any()
                    }
                    ConsolePage::LogTicket => deferred(log_ticket_screen),
                    ConsolePage::Data => deferred(data_screen),
                    ConsolePage::Dashboard => deferred(dashboard_screen),
                    ConsolePage::Articles => deferred(articles_screen),
                    ConsolePage::Settings => deferred(settings_screen),
                    ConsolePage::Integrations => deferred(integrations_screen),
                    ConsolePage::Setup => deferred(welcome::setup_screen),
                }}
            </div>
            <Show when=move || state.help.get()>
                <HelpOverlay />
            </Show>
        </section>
    }
}

deferred_view!(fn ticket_screen(id: TicketId) in console_ticket => view! { <TicketView id=id /> });
deferred_view!(
    /// Nothing, from the ticket's module: awaiting it fetches the module.
    fn ticket_code() in console_ticket => ()
);
deferred_view!(fn log_ticket_screen() in console_log_ticket => view! { <LogTicket /> });
deferred_view!(fn data_screen() in console_data => view! { <DataPage /> });
deferred_view!(fn dashboard_screen() in console_dashboard => view! { <Dashboard /> });
deferred_view!(fn articles_screen() in console_articles => view! { <KbAdmin /> });
deferred_view!(fn settings_screen() in console_settings => view! { <SettingsPage /> });
deferred_view!(fn integrations_screen() in console_integrations => view! { <Integrations /> });
