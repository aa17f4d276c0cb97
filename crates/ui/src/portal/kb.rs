//! The portal's help centre: search the published articles and read one.

use leptos::prelude::*;
use mostrador_core::kb::ArticleId;

use crate::components::field::LabelledField;
use crate::components::markdown::Markdown;
use crate::i18n::{Key, Plural, use_i18n};
use crate::portal::{PortalPage, use_portal_page};
use crate::services::desk::use_desk;

/// The help centre: search the published articles in the interface language.
#[component]
pub fn KnowledgeBase() -> impl IntoView {
    let i = use_i18n();
    let desk = StoredValue::new_local(use_desk());
    let workspace = desk.with_value(|d| d.workspace);
    let page = use_portal_page();
    let query = RwSignal::new(String::new());
    let results = Memo::new(move |_| {
        // Articles published on another device arrive by sync: re-read them.
        workspace.track();
        let kb = desk.with_value(|d| d.kb());
        let lang = i.lang.get().tag();
        let q = query.get();
        if q.trim().is_empty() {
            kb.articles()
                .filter(|a| {
                    a.published
                        && crate::i18n::Lang::from_tag(&a.locale).map(|l| l.tag()) == Some(lang)
                })
                .map(|a| (a.id.clone(), a.title.clone()))
                .collect::<Vec<(ArticleId, String)>>()
        } else {
            kb.search_articles(&q, Some(lang), false)
                .into_iter()
                .map(|h| (h.article.id.clone(), h.article.title.clone()))
                .collect::<Vec<(ArticleId, String)>>()
        }
    });
    view! {
        <section class="mo-panel" aria-labelledby="mo-kb-title">
            <h2 id="mo-kb-title" class="mo-subtitle">{i.text(Key::HelpArticles)}</h2>
            <LabelledField id="mo-kb-search" label=Key::SearchArticles>
                <input
                    id="mo-kb-search"
                    class="mo-input"
                    type="search"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </LabelledField>
            <p class="mo-muted" role="status" aria-live="polite">
                {move || i.tn(Plural::ArticlesFound, results.get().len() as u64, &[])}
            </p>
            <ul class="mo-list" aria-label=i.text(Key::HelpArticles)>
                <For each=move || results.get() key=|(id, _)| id.clone() let:item>
                    <li class="mo-list-item">
                        <button
                            type="button"
                            class="mo-link"
                            on:click=move |_| page.set(PortalPage::Article(item.0.clone()))
                        >
                            {item.1.clone()}
                        </button>
                    </li>
                </For>
            </ul>
        </section>
    }
}

/// One help article.
#[component]
pub fn ArticleView(
    /// The article to show.
    id: ArticleId,
) -> impl IntoView {
    let i = use_i18n();
    let kb = use_desk().kb();
    let page = use_portal_page();
    let article = kb.get(&id).cloned();
    view! {
        <article class="mo-panel mo-article" aria-labelledby="mo-article-title">
            <button type="button" class="mo-link" on:click=move |_| page.set(PortalPage::Help)>
                {i.text(Key::BackToArticles)}
            </button>
            {match article {
                Some(a) => view! {
                    <h2 id="mo-article-title" class="mo-subtitle">{a.title.clone()}</h2>
                    <Markdown source=a.body.clone() />
                    <button type="button" class="mo-button mo-button-secondary" on:click=move |_| page.set(PortalPage::NewTicket)>
                        {i.text(Key::StillNeedHelp)}
                    </button>
                }
                .into_any(),
                None => view! {
                    <p id="mo-article-title" role="alert">{i.text(Key::ErrNotFound)}</p>
                }
                .into_any(),
            }}
        </article>
    }
}
