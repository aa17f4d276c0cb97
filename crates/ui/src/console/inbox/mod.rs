//! The console's inbox: a view's page of tickets with sorting, selection, keyboard moves and
//! the bulk bar.

pub mod bulk_bar;
mod row;

/// The row component and its "ago" text, for the rendering benchmark
/// (`crates/ui/tests/render_bench.rs`).
#[doc(hidden)]
pub use row::{InboxRow, ago};

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::model::{AgentId, TicketId};
use mostrador_core::store::{Meta, PageRequest, SortKey};

use crate::components::choice::ChoiceSelect;
use crate::components::deferred::{deferred, deferred_view};
use crate::components::field::{FieldLayout, LabelledField};
use crate::components::loading::Loading;
use crate::console::inbox::bulk_bar::BulkBar;
use crate::console::{InboxView, SavedView, builtin_key, use_console};
use crate::i18n::errors::message;
use crate::i18n::{Key, format_number, use_i18n};
use crate::services::desk::use_desk;
use crate::shell::session::use_session;

/// Rows per page: a page is read from the store's indexes, so the inbox stays quick with
/// 100,000 tickets.
pub const PAGE_SIZE: usize = 50;

fn sort_key(s: SortKey) -> Key {
    match s {
        SortKey::UpdatedDesc => Key::SortUpdatedDesc,
        SortKey::UpdatedAsc => Key::SortUpdatedAsc,
        SortKey::CreatedDesc => Key::SortCreatedDesc,
        SortKey::CreatedAsc => Key::SortCreatedAsc,
        SortKey::PriorityDesc => Key::SortPriority,
        SortKey::SlaDueAsc => Key::SortSlaDue,
    }
}

deferred_view!(
    /// The bulk bar, from a module of its own (fetched when a ticket is first ticked).
    fn bulk_bar(selected: RwSignal<BTreeSet<TicketId>>) in console_bulk => view! { <BulkBar selected=selected /> }
);

/// The ticket list of the current view: search, sort, paging, selection for bulk actions.
#[component]
pub fn Inbox() -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let session = use_session();
    let state = use_console();
    let selected = RwSignal::new(BTreeSet::<TicketId>::new());
    let rev = desk.revision;
    let agents = desk.settings().agents;

    let page = {
        let desk = desk.clone();
        LocalResource::new(move || {
            rev.track();
            let me = session.agent.get().unwrap_or(AgentId(String::new()));
            let mut filter = state.view.get().filter(&me);
            let text = state.text.get();
            if !text.trim().is_empty() {
                filter.text = Some(text);
            }
            let request = PageRequest {
                filter,
                sort: state.sort.get(),
                offset: state.offset.get(),
                limit: PAGE_SIZE,
                now: crate::services::ids::now(),
            };
            let desk = desk.clone();
            async move { desk.store.page(&request).await }
        })
    };
    Effect::new(move |_| {
        if let Some(Ok(p)) = page.get() {
            state
                .rows
                .set(p.items.iter().map(|t| t.id.clone()).collect());
            let visible: BTreeSet<TicketId> = p.items.iter().map(|t| t.id.clone()).collect();
            selected.update(|s| s.retain(|x| visible.contains(x)));
        }
    });

    let title = move || match state.view.get() {
        InboxView::Builtin(b) => i.t(builtin_key(b)).to_owned(),
        InboxView::Saved(s) => s.name,
    };
    let agents = StoredValue::new(agents);
    let ticked = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || selected.with(|s| !s.is_empty())
    });

    view! {
        <section class="mo-inbox" aria-labelledby="mo-inbox-title">
            <h2 id="mo-inbox-title" class="mo-subtitle">{title}</h2>
            <div class="mo-toolbar">
                <LabelledField id="mo-sort" label=Key::SortBy layout=FieldLayout::Inline>
                    <ChoiceSelect id="mo-sort" label=sort_key value=move || Some(state.sort.get())
                        on_pick=move |s| if let Some(s) = s {
                            state.sort.set(s);
                            state.offset.set(0);
                        } />
                </LabelledField>
                <SaveView />
            </div>
            // The bar's code comes when a ticket is first ticked; the bar then stays (its
            // report outlives the selection).
            {move || ticked.get().then(|| deferred(move || bulk_bar(selected)))}
            {move || match page.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => {
                    let e = crate::services::desk::UiError::from(e);
                    view! { <p class="mo-banner mo-banner-error" role="alert">{move || message(i, &e)}</p> }
                        .into_any()
                }
                Some(Ok(p)) => {
                    let total = p.total;
                    let offset = state.offset.get_untracked();
                    let shown = p.items.len();
                    let all_ids: Vec<TicketId> = p.items.iter().map(|t| t.id.clone()).collect();
                    let now = crate::services::ids::now();
                    view! {
                        <p class="mo-muted" role="status" aria-live="polite">
                            {move || {
                                let l = i.lang.get();
                                if total == 0 {
                                    i.t(Key::NoTickets).to_owned()
                                } else {
                                    i.tf(
                                        Key::RangeOf,
                                        &[
                                            ("first", &format_number(l, (offset + 1) as i64)),
                                            ("last", &format_number(l, (offset + shown) as i64)),
                                            ("total", &format_number(l, total as i64)),],
                                    )
                                }
                            }}
                        </p>
                        {(total > 0).then(move || view! {
                        <div class="mo-table-wrap">
                            <table class="mo-table">
                                <caption class="mo-sr-only">{title}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col" class="mo-col-check">
                                            <input
                                                type="checkbox"
                                                aria-label=i.text(Key::SelectAll)
                                                prop:checked=move || !all_ids.is_empty() && selected.get().len() == all_ids.len()
                                                on:change={
                                                    let ids = p.items.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
                                                    move |ev| {
                                                        if event_target_checked(&ev) {
                                                            selected.set(ids.iter().cloned().collect());
                                                        } else {
                                                            selected.set(BTreeSet::new());
                                                        }
                                                    }
                                                }
                                            />
                                        </th>
                                        <th scope="col" class="mo-col-subject">{i.text(Key::Subject)}</th>
                                        <th scope="col" class="mo-col-opt">{i.text(Key::Requester)}</th>
                                        <th scope="col">{i.text(Key::Status)}</th>
                                        <th scope="col" class="mo-col-opt">{i.text(Key::Priority)}</th>
                                        <th scope="col" class="mo-col-opt">{i.text(Key::Assignee)}</th>
                                        <th scope="col" class="mo-col-opt">{i.text(Key::Updated)}</th>
                                        <th scope="col" class="mo-col-opt">{i.text(Key::Sla)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p
                                        .items
                                        .into_iter()
                                        .enumerate()
                                        .map(|(idx, t)| view! { <InboxRow idx=idx ticket=t now=now selected=selected agents=agents /> })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pager offset=offset shown=shown total=total />
                        })}
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// "Save this view": the current filter and search under a name, kept for this agent. Saving
/// is occasional work: behind a disclosure, not a form on top of every view.
#[component]
fn SaveView() -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let session = use_session();
    let state = use_console();
    let view_name = RwSignal::new(String::new());
    let save_view = {
        let desk = desk.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let name = view_name.get_untracked().trim().to_owned();
            if name.is_empty() {
                return;
            }
            let me = session
                .agent
                .get_untracked()
                .unwrap_or(AgentId(String::new()));
            let mut filter = state.view.get_untracked().filter(&me);
            let text = state.text.get_untracked();
            filter.text = (!text.trim().is_empty()).then_some(text);
            let saved = SavedView { name, filter };
            let mut list = state.saved.get_untracked();
            list.retain(|s| s.name != saved.name);
            list.push(saved.clone());
            state.saved.set(list.clone());
            state.view.set(InboxView::Saved(Box::new(saved)));
            view_name.set(String::new());
            let desk = desk.clone();
            spawn_local(async move {
                let _ = desk
                    .store
                    .set_meta::<crate::console::SavedViews>(&list)
                    .await;
            });
        }
    };

    view! {
        <details class="mo-save-view-box">
        <summary class="mo-link">{i.text(Key::SaveThisView)}</summary>
        <form class="mo-save-view" on:submit=save_view>
            <LabelledField id="mo-view-name" label=Key::ViewName layout=FieldLayout::Inline>
                <input id="mo-view-name"
                    class="mo-input"
                    type="text"
                    prop:value=move || view_name.get()
                    on:input=move |ev| view_name.set(event_target_value(&ev))
                />
            </LabelledField>
            <button type="submit" class="mo-button mo-button-secondary">
                {i.text(Key::SaveView)}
            </button>
        </form>
        </details>
    }
}

/// Previous and next page of the list.
#[component]
fn Pager(offset: usize, shown: usize, total: usize) -> impl IntoView {
    let i = use_i18n();
    let state = use_console();
    view! {
        <div class="mo-pager">
            <button
                type="button"
                class="mo-button mo-button-secondary"
                disabled={ offset == 0 }
                on:click=move |_| state.offset.update(|o| *o = o.saturating_sub(PAGE_SIZE))
            >
                {i.text(Key::Previous)}
            </button>
            <button
                type="button"
                class="mo-button mo-button-secondary"
                disabled={ offset + shown >= total }
                on:click=move |_| state.offset.update(|o| *o += PAGE_SIZE)
            >
                {i.text(Key::Next)}
            </button>
        </div>
    }
}
