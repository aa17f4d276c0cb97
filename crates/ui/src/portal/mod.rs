//! The customer portal: open a ticket, follow one's tickets, reply and rate, read the knowledge
//! base. The page the customer is on is the portal's context ([`PortalPage`]).

pub mod assistant;
pub mod customer_ticket;
pub mod kb;
pub mod my_tickets;
pub mod new_ticket;
pub mod rating;

use leptos::prelude::*;
use mostrador_core::kb::ArticleId;
use mostrador_core::model::TicketId;

use crate::components::deferred::{deferred, deferred_quietly, deferred_view};
use crate::components::loading::Loading;
use crate::i18n::{Key, use_i18n};
use crate::portal::assistant::{Assistant, has_flows, provide_assistant};
use crate::portal::customer_ticket::CustomerTicket;
use crate::portal::kb::{ArticleView, KnowledgeBase};
use crate::portal::my_tickets::MyTickets;
use crate::portal::new_ticket::NewTicketForm;
use crate::services::desk::{use_desk, use_desk_slot};

/// Where the customer is in the portal. Internal state: the host page's URL is never touched.
#[derive(Debug, Clone, PartialEq)]
pub enum PortalPage {
    /// The assistant's conversation: the first page when the help desk has a flow.
    Assistant,
    NewTicket,
    MyTickets,
    Ticket(TicketId),
    Help,
    Article(ArticleId),
}

/// The customer portal: open a ticket, follow one's tickets, read the help articles.
#[component]
pub fn Portal() -> impl IntoView {
    let i = use_i18n();
    let slot = use_desk_slot();
    // Whether the help desk has a flow for visitors: known once the desk is here (the form
    // shows before it), and followed by the desk's code from then on ([`FlowWatch`]).
    let assisted = RwSignal::new(false);
    let page = RwSignal::new(PortalPage::NewTicket);
    provide_context(PortalNav(page));
    provide_assistant();
    let pristine = RwSignal::new(true);
    let tab = move |target: PortalPage, key: Key| {
        let t2 = target.clone();
        view! {
            <button
                type="button"
                class="mo-tab"
                aria-current=move || {
                    let p = page.get();
                    let on = match (&p, &t2) {
                        (PortalPage::Ticket(_), PortalPage::MyTickets) => true,
                        (PortalPage::Article(_), PortalPage::Help) => true,
                        (a, b) => a == b,
                    };
                    on.then_some("page")
                }
                on:click=move |_| page.set(target.clone())
            >
                {i.text(key)}
            </button>
        }
    };
    view! {
        <section
            class="mo-portal"
            aria-labelledby="mo-portal-title"
            on:input=move |_| pristine.set(false)
            on:click=move |_| pristine.set(false)
        >
            <h1 id="mo-portal-title" class="mo-title">{i.text(Key::HelpCenter)}</h1>
            <Show when=move || slot.is_here()>
                {deferred_quietly(move || flow_watch(assisted, pristine))}
            </Show>
            <nav class="mo-tabs" aria-label=i.text(Key::PortalNavigation)>
                <Show when=move || assisted.get()>{tab(PortalPage::Assistant, Key::AssistantTab)}</Show>
                {tab(PortalPage::NewTicket, Key::NewTicket)}
                {tab(PortalPage::MyTickets, Key::MyTickets)}
                {tab(PortalPage::Help, Key::HelpArticles)}
            </nav>
            // The form needs no desk; the other pages wait for it (read in their arms only, so
            // its arrival does not build the form again).
            {move || match page.get() {
                PortalPage::Assistant if assisted.get() => deferred(assistant_screen).into_any(),
                PortalPage::Assistant | PortalPage::NewTicket => view! { <NewTicketForm /> }.into_any(),
                _ if !slot.is_here() => view! { <Loading /> }.into_any(),
                PortalPage::MyTickets => deferred(my_tickets_screen).into_any(),
                PortalPage::Ticket(id) => deferred(move || ticket_screen(id.clone())).into_any(),
                PortalPage::Help => deferred(help_screen).into_any(),
                PortalPage::Article(id) => deferred(move || article_screen(id.clone())).into_any(),
            }}
        </section>
    }
}

// The ticket form is what the widget opens on; the other pages are fetched when first shown.
deferred_view!(fn flow_watch(assisted: RwSignal<bool>, pristine: RwSignal<bool>) in portal_desk => view! { <FlowWatch assisted=assisted pristine=pristine /> });
deferred_view!(fn assistant_screen() in portal_assistant => view! { <Assistant /> });
deferred_view!(fn my_tickets_screen() in portal_tickets => view! { <MyTickets /> });
deferred_view!(fn ticket_screen(id: TicketId) in portal_tickets => view! { <CustomerTicket id=id /> });
deferred_view!(fn help_screen() in portal_help => view! { <KnowledgeBase /> });
deferred_view!(fn article_screen(id: ArticleId) in portal_help => view! { <ArticleView id=id /> });

/// Follows whether the help desk has a flow for visitors (re-read when the workspace changes: an
/// admin may enable or remove the last flow). A flow found once the portal is open, when the
/// desk arrives or by a later pull from the sync server, takes the first place, as long as the
/// visitor has not started anything here. Draws nothing.
#[component]
fn FlowWatch(assisted: RwSignal<bool>, pristine: RwSignal<bool>) -> impl IntoView {
    let desk = StoredValue::new_local(use_desk());
    let page = use_portal_page();
    let workspace = desk.with_value(|d| d.workspace);
    Effect::new(move |_| {
        workspace.track();
        let has = desk.with_value(|d| has_flows(d));
        assisted.set(has);
        if has && pristine.get_untracked() && page.get_untracked() == PortalPage::NewTicket {
            page.set(PortalPage::Assistant);
        }
    });
}

/// The context that says where the customer is in the portal, provided by [`Portal`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct PortalNav(pub(crate) RwSignal<PortalPage>);

/// Where the customer is in the portal; setting it moves them.
pub fn use_portal_page() -> RwSignal<PortalPage> {
    expect_context::<PortalNav>().0
}
