//! Knowledge-base management in the console: write an article in Markdown with a preview,
//! publish or unpublish it, and see which articles answered visitors before they wrote a ticket.
//! The rules (valid slug, unique per locale, versions only move forward) are the core's.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::kb::{Article, ArticleId, deflection_stats, slugify};

use crate::components::field::{LabelledField, TextField, TextKind};
use crate::components::markdown::Markdown;
use crate::i18n::errors::message;
use crate::i18n::{Key, Lang, use_i18n};
use crate::services::desk::use_desk;
use crate::services::ids::{now, random_hex};

/// The articles, their state and deflection figures; one of them open in the editor.
#[component]
pub fn KbAdmin() -> impl IntoView {
    let i = use_i18n();
    let desk = StoredValue::new_local(use_desk());
    let editing = RwSignal::new(None::<Option<ArticleId>>);
    let stats = LocalResource::new(move || {
        let desk = desk.get_value();
        desk.revision.track();
        async move { deflection_stats(&desk.deflections().await) }
    });
    let rows = move || {
        desk.get_value().revision.track();
        let mut list: Vec<Article> = desk.get_value().kb().articles().cloned().collect();
        list.sort_by_key(|a| std::cmp::Reverse(a.updated_at));
        list
    };
    view! {
        <section class="mo-kb-admin" aria-labelledby="mo-kb-admin-title">
            <h2 id="mo-kb-admin-title" class="mo-subtitle">{i.text(Key::KbAdminTitle)}</h2>
            {move || match editing.get() {
                Some(id) => view! { <Editor id=id done=editing /> }.into_any(),
                None => {
                    view! {
                        <button type="button" class="mo-button" on:click=move |_| editing.set(Some(None))>
                            {i.text(Key::KbNewArticle)}
                        </button>
                        <div class="mo-table-wrap">
                        <table class="mo-table">
                            <caption class="mo-sr-only">{i.text(Key::KbAdminTitle)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{i.text(Key::KbTitle)}</th>
                                    <th scope="col" class="mo-col-opt">{i.text(Key::Language)}</th>
                                    <th scope="col">{i.text(Key::KbState)}</th>
                                    <th scope="col">{i.text(Key::KbViews)}</th>
                                    <th scope="col">{i.text(Key::KbDeflected)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {move || {
                                    let stats = stats.get().unwrap_or_default();
                                    rows()
                                        .into_iter()
                                        .map(|a| {
                                            let counts = stats.get(&a.id).copied().unwrap_or_default();
                                            let id = a.id.clone();
                                            let published = a.published;
                                            view! {
                                                <tr>
                                                    <td>
                                                        <button
                                                            type="button"
                                                            class="mo-link"
                                                            on:click=move |_| editing.set(Some(Some(id.clone())))
                                                        >
                                                            {a.title.clone()}
                                                        </button>
                                                    </td>
                                                    <td class="mo-col-opt">{a.locale.clone()}</td>
                                                    <td>
                                                        {move || {
                                                            if published { i.t(Key::KbPublished) } else { i.t(Key::KbDraft) }
                                                        }}
                                                    </td>
                                                    <td>{counts.viewed}</td>
                                                    <td>{counts.deflected()}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </tbody>
                        </table>
                        </div>
                        <p class="mo-hint">{i.text(Key::KbDeflectionHint)}</p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// Writes one article (a new one when `id` is `None`).
#[component]
fn Editor(id: Option<ArticleId>, done: RwSignal<Option<Option<ArticleId>>>) -> impl IntoView {
    let i = use_i18n();
    let desk = StoredValue::new_local(use_desk());
    let existing = id.and_then(|id| desk.get_value().kb().get(&id).cloned());
    let base = StoredValue::new(existing.clone());
    let title = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.title.clone())
            .unwrap_or_default(),
    );
    let slug = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.slug.clone())
            .unwrap_or_default(),
    );
    let slug_touched = RwSignal::new(existing.is_some());
    let body = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.body.clone())
            .unwrap_or_default(),
    );
    let tags = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.tags.join(", "))
            .unwrap_or_default(),
    );
    let locale = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.locale.clone())
            .unwrap_or_else(|| i.lang.get_untracked().tag().to_owned()),
    );
    let published = existing.as_ref().is_some_and(|a| a.published);
    let preview = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let save = move |publish: bool| {
        if busy.get_untracked() {
            return;
        }
        let at = now();
        let article = match base.get_value() {
            Some(old) => Article {
                title: title.get_untracked().trim().to_owned(),
                slug: slug.get_untracked().trim().to_owned(),
                body: body.get_untracked(),
                tags: split_tags(&tags.get_untracked()),
                locale: locale.get_untracked(),
                published: publish,
                updated_at: at,
                version: old.version + 1,
                ..old
            },
            None => Article {
                id: ArticleId(format!("a-{}", random_hex(8))),
                slug: slug.get_untracked().trim().to_owned(),
                title: title.get_untracked().trim().to_owned(),
                body: body.get_untracked(),
                tags: split_tags(&tags.get_untracked()),
                locale: locale.get_untracked(),
                published: publish,
                created_at: at,
                updated_at: at,
                version: 1,
            },
        };
        busy.set(true);
        let desk = desk.get_value();
        spawn_local(async move {
            let result = desk.save_article(article).await;
            busy.try_set(false);
            match result {
                Ok(()) => {
                    done.try_set(None);
                }
                Err(e) => {
                    error.try_set(Some(message(i, &e)));
                }
            }
        });
    };

    view! {
        <form class="mo-form mo-kb-editor" on:submit=move |ev| { ev.prevent_default(); save(published); }>
            <h3 class="mo-subtitle">
                {move || if base.with_value(Option::is_some) { i.t(Key::KbEditArticle) } else { i.t(Key::KbNewArticle) }}
            </h3>
            <p class="mo-error" id="mo-kb-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            <LabelledField id="mo-kb-title" label=Key::KbTitle>
                <input
                    id="mo-kb-title"
                    class="mo-input"
                    type="text"
                    aria-describedby="mo-kb-error"
                    prop:value=move || title.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        if !slug_touched.get_untracked() {
                            slug.set(slugify(&v));
                        }
                        title.set(v);
                    }
                />
            </LabelledField>
            <div class="mo-row">
                <LabelledField id="mo-kb-slug" label=Key::KbSlug>
                    <input
                        id="mo-kb-slug"
                        class="mo-input"
                        type="text"
                        prop:value=move || slug.get()
                        on:input=move |ev| {
                            slug_touched.set(true);
                            slug.set(event_target_value(&ev));
                        }
                    />
                </LabelledField>
                <LabelledField id="mo-kb-locale" label=Key::Language>
                    <select id="mo-kb-locale" class="mo-select" on:change=move |ev| locale.set(event_target_value(&ev))>
                        {Lang::ALL
                            .into_iter()
                            .map(|l| {
                                view! {
                                    <option value=l.tag() selected=move || locale.get() == l.tag()>
                                        {l.native_name()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </LabelledField>
            </div>
            <TextField id="mo-kb-tags" label=Key::KbTags value=tags />
            <TextField id="mo-kb-body" label=Key::KbBody value=body kind=TextKind::Lines(10)
                hint=Key::MarkdownHint />
            <Show when=move || preview.get()>
                <div class="mo-preview" role="region" aria-label=i.text(Key::Preview)>
                    {move || view! { <Markdown source=body.get() /> }}
                </div>
            </Show>
            <div class="mo-actions">
                <button
                    type="button"
                    class="mo-button mo-button-secondary"
                    aria-pressed=move || preview.get().to_string()
                    on:click=move |_| preview.update(|p| *p = !*p)
                >
                    {i.text(Key::Preview)}
                </button>
                <button type="button" class="mo-button mo-button-secondary" disabled=move || busy.get() on:click=move |_| save(false)>
                    {move || if published { i.t(Key::KbUnpublish) } else { i.t(Key::KbSaveDraft) }}
                </button>
                <button type="button" class="mo-button" disabled=move || busy.get() on:click=move |_| save(true)>
                    {move || if published { i.t(Key::KbSavePublished) } else { i.t(Key::KbPublish) }}
                </button>
                <button type="button" class="mo-link" on:click=move |_| done.set(None)>
                    {i.text(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}

fn split_tags(text: &str) -> Vec<String> {
    text.split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}
