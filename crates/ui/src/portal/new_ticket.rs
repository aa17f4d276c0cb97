//! The customer's intake form: subject with suggested articles, description, type, category,
//! urgency where customers may choose it, the custom fields customers see, contact and files.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::assistant::{Record, RecordKind};
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::kb::{ArticleId, Deflection, DeflectionOutcome};
use std::collections::BTreeMap;
use std::rc::Rc;

use mostrador_core::model::{
    Actor, Attachment, Channel, CustomerId, Requester, TicketId, TicketType, Urgency,
};
use mostrador_core::settings::{DomainSettings, FieldDef};

use wasm_bindgen::JsCast;

use crate::components::choice::ChoiceSelect;
use crate::components::custom_field::{self, CustomFieldInput};
use crate::components::deferred::{Unloaded, deferred, deferred_quietly, deferred_view};
use crate::components::field::{
    FieldError, FieldText, FormError, LabelledField, TextField, TextKind, described_by, invalid,
};
use crate::i18n::errors::{Field, field_of};
use crate::i18n::{I18n, Key, type_key, urgency_key, use_i18n};
use crate::portal::assistant::{HandOffDraft, use_handoff_draft};
use crate::portal::{PortalPage, use_portal_page};
use crate::services::attachments::{BlobError, BlobStore, blobs_context, describe, use_blobs};
use crate::services::desk::{DeskSlot, UiError, use_desk, use_desk_slot};
use crate::services::host::{PrefillFields, Visitor, use_host};
use crate::services::ids::now;

/// A custom field's text in the form and its problem, if any.
type FieldState = (RwSignal<String>, RwSignal<Option<String>>);

/// A custom field the form asks: its definition, its text and its problem, if any.
type Asked = (FieldDef, RwSignal<String>, RwSignal<Option<String>>);

/// The form's parts that come with the desk, and what they share with the rest of the form.
/// Sending reads them; [`FormParts`] draws them.
#[derive(Clone, Copy)]
struct Extras {
    ticket_type: RwSignal<TicketType>,
    category: RwSignal<String>,
    urgency: RwSignal<Option<Urgency>>,
    files: RwSignal<Vec<(Attachment, web_sys::File)>, LocalStorage>,
    /// The custom fields the form asks now, in order (none before the desk is here).
    asked: RwSignal<Vec<Asked>>,
    errors: RwSignal<Vec<(Field, FormError)>>,
    prefill: RwSignal<PrefillFields>,
    drafts: RwSignal<Option<HandOffDraft>>,
}

/// The customer's intake form. While the subject is typed, matching help articles are
/// suggested (many questions end there, without a ticket).
#[component]
pub fn NewTicketForm() -> impl IntoView {
    let i = use_i18n();
    // The form shows and takes typing before the desk is loaded (in the customer widget its code
    // comes as a module of its own). The subject, the description and the contact come first;
    // the type, category, urgency, custom fields and files are drawn by the desk's code when it
    // arrives ([`FormParts`]), and sending waits for it.
    let slot = use_desk_slot();
    let host = use_host();
    let (prefill, visitor) = (host.prefill, host.visitor);
    // What the host prefilled is in the form from its first paint (and again whenever the host
    // calls `prefill`, below).
    let prefilled = prefill.get_untracked();
    let subject = RwSignal::new(prefilled.subject.unwrap_or_default());
    let description = RwSignal::new(prefilled.message.unwrap_or_default());
    let name = RwSignal::new(prefilled.name.unwrap_or_default());
    let email = RwSignal::new(prefilled.email.unwrap_or_default());
    let errors = RwSignal::new(Vec::<(Field, FormError)>::new());
    let busy = RwSignal::new(false);
    // Whether the code that sends was asked for (see `fetch_sending`).
    let fetching = StoredValue::new(false);
    let created = RwSignal::new(None::<(TicketId, String)>);
    let typed_subject = Memo::new(move |_| subject.with(|s| !s.trim().is_empty()));
    let blobs = blobs_context();
    let drafts = use_handoff_draft();
    let extras = Extras {
        ticket_type: RwSignal::new(TicketType::Question),
        category: RwSignal::new(String::new()),
        urgency: RwSignal::new(None),
        files: RwSignal::new_local(Vec::new()),
        asked: RwSignal::new(Vec::new()),
        errors,
        prefill,
        drafts,
    };
    // What the host prefilled goes into the form, now and whenever it calls `prefill` again (the
    // parts that come with the desk fill their own).
    Effect::new(move |_| {
        let p = prefill.get();
        let fill = |target: RwSignal<String>, v: &Option<String>| {
            if let Some(v) = v {
                target.set(v.clone());
            }
        };
        fill(subject, &p.subject);
        fill(description, &p.message);
        fill(name, &p.name);
        fill(email, &p.email);
    });

    let error_of = move |f: Field| {
        Signal::derive(move || {
            errors
                .get()
                .into_iter()
                .find(|(x, _)| *x == f)
                .map(|(_, e)| e)
        })
    };
    let (e_subject, e_body, e_name, e_email, e_general) = (
        error_of(Field::Subject),
        error_of(Field::Body),
        error_of(Field::Name),
        error_of(Field::Email),
        error_of(Field::General),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // Each custom field's text goes to the form's values, its problem signal stays here.
        let (fields, asked): (Vec<_>, Vec<_>) = extras
            .asked
            .get_untracked()
            .into_iter()
            .map(|(def, value, problem)| ((def, value.get_untracked()), problem))
            .unzip();
        let chosen = extras.files.get_untracked();
        let sending = Sending {
            i,
            slot,
            form: FormValues {
                subject: subject.get_untracked(),
                description: description.get_untracked(),
                ticket_type: extras.ticket_type.get_untracked(),
                category: extras.category.get_untracked(),
                urgency: extras.urgency.get_untracked(),
                name: name.get_untracked(),
                email: email.get_untracked(),
                fields,
                attachments: chosen.iter().map(|(m, _)| m.clone()).collect(),
            },
            visitor: visitor.get_untracked(),
            prefilled: prefill.get_untracked().fields,
            draft: drafts.get_untracked().unwrap_or_default(),
            blobs: blobs.get(),
            files: chosen,
        };
        busy.set(true);
        spawn_local(async move {
            let result = match send_form(sending).await {
                Ok(sent) => sent.await,
                Err(Unloaded) => Err(FormProblems {
                    errors: vec![(Field::General, FormError::Ui(UiError::Unloaded))],
                    fields: Vec::new(),
                }),
            };
            busy.try_set(false);
            match result {
                Ok((id, code)) => {
                    for problem in &asked {
                        problem.try_set(None);
                    }
                    errors.try_set(Vec::new());
                    drafts.try_set(None);
                    created.try_set(Some((id, code)));
                    subject.try_set(String::new());
                    description.try_set(String::new());
                    extras.files.try_set(Vec::new());
                    extras.urgency.try_set(None);
                    for (_, value, _) in extras.asked.get_untracked() {
                        value.try_set(String::new());
                    }
                }
                Err(p) => {
                    for (problem, field) in asked.iter().zip(p.fields) {
                        problem.try_set(field);
                    }
                    errors.try_set(p.errors);
                }
            }
        });
    };

    let form = move || {
        view! {
            <form
                class="mo-form"
                on:submit=submit
                // Once the visitor starts typing, fetch the code that sends (customer widget).
                on:input=move |_| {
                    if !fetching.get_value() {
                        fetching.set_value(true);
                        spawn_local(fetch_sending());
                    }
                }
                novalidate=true
            >
                <p class="mo-hint">{i.text(Key::NewTicketIntro)}</p>
                <FieldError id="mo-form-error" error=e_general />
                <TextField id="mo-subject" label=Key::Subject value=subject autocomplete="off" error=e_subject />
                // Fetched with the help articles once the visitor types a subject.
                <Show when=move || typed_subject.get() && slot.is_here()>
                    {deferred_quietly(move || suggestions_for(subject))}
                </Show>
                <TextField id="mo-description" label=Key::Description value=description kind=TextKind::Lines(5) error=e_body />
                <Show when=move || slot.is_here()>
                    {deferred_quietly(move || form_parts(extras))}
                </Show>
                <Show when=move || visitor.with(Option::is_none)>
                <fieldset class="mo-fieldset">
                    <legend>{i.text(Key::YourContact)}</legend>
                    <div class="mo-row">
                        <TextField id="mo-name" label=Key::Name value=name autocomplete="name" error=e_name />
                        <TextField id="mo-email" label=Key::Email value=email kind=TextKind::Email autocomplete="email" error=e_email />
                    </div>
                </fieldset>
                </Show>
                <button type="submit" class="mo-button" disabled=move || busy.get()>
                    {move || if busy.get() { i.t(Key::Sending) } else { i.t(Key::SendTicket) }}
                </button>
            </form>
        }
    };

    // The confirmation is the sending code's: it is here once a ticket was sent.
    move || match created.get() {
        Some((id, code)) => {
            deferred(move || ticket_created(id.clone(), code.clone(), created)).into_any()
        }
        None => form().into_any(),
    }
}

// The desk's module draws the form's parts that need the help desk's settings.
deferred_view!(fn form_parts(extras: Extras) in portal_desk => view! { <FormParts extras=extras /> });
deferred_view!(fn ticket_created(id: TicketId, code: String, created: RwSignal<Option<(TicketId, String)>>) in portal_write => view! { <TicketCreated id=id code=code created=created /> });

/// The form's parts that follow the help desk's settings: the assistant's hand-off, files, type
/// and category, the urgency where customers may set it, and the custom fields customers see.
/// Shown once the desk is here; the settings are re-read when the workspace changes under the
/// form (an admin added a category or a field on another device), and what the visitor typed
/// stays.
#[component]
fn FormParts(extras: Extras) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let workspace = desk.workspace;
    let desk = StoredValue::new_local(desk);
    let Extras {
        ticket_type,
        category,
        urgency,
        files,
        asked,
        errors,
        prefill,
        drafts,
    } = extras;
    let categories_v = Memo::new(move |_| {
        workspace.track();
        desk.with_value(|d| d.settings().categories)
    });
    let asks_urgency = Memo::new(move |_| {
        workspace.track();
        desk.with_value(|d| d.settings().domain.customers_set_urgency)
    });
    let max_file = desk.with_value(|d| d.settings().domain.max_attachment_bytes);
    let has_blobs = use_blobs().is_some();
    // Each custom field's text and problem are kept by key, so a field that stays across a
    // change of the settings keeps what was typed in it.
    let owner = StoredValue::new(Owner::current());
    let field_state = StoredValue::new(BTreeMap::<String, FieldState>::new());
    let current = move || -> Vec<Asked> {
        workspace.track();
        let defs = desk.with_value(|d| d.settings().domain.custom_fields);
        defs.into_iter()
            .filter(|d| !d.agent_only)
            .map(|d| {
                field_state.update_value(|m| {
                    m.entry(d.key.clone()).or_insert_with(|| {
                        let make = || (RwSignal::new(String::new()), RwSignal::new(None));
                        match owner.get_value() {
                            Some(o) => o.with(make),
                            None => make(),
                        }
                    });
                });
                let (value, problem) = field_state.with_value(|m| m[&d.key]);
                (d, value, problem)
            })
            .collect()
    };
    asked.set(untrack(current));
    Effect::new(move |_| {
        let now = current();
        let same = asked.with_untracked(|was| {
            was.len() == now.len() && was.iter().zip(&now).all(|(a, b)| a.0 == b.0)
        });
        if !same {
            asked.set(now);
        }
    });
    // The prefilled custom fields and category, into the controls the settings ask: now, and
    // whenever the host calls `prefill` again.
    Effect::new(move |_| {
        let p = prefill.get();
        for (def, value, _) in asked.get_untracked() {
            if let Some(text) = p.fields.get(&def.key) {
                value.set(text.clone());
            }
        }
        if let Some(c) = p
            .category
            .clone()
            .filter(|c| categories_v.with_untracked(|cs| cs.contains(c)))
        {
            category.set(c);
        }
    });
    // A hand-off from the assistant: its type, category and urgency into the form; its tags,
    // impact and the conversation's transcript go with the ticket when it is sent.
    Effect::new(move |_| {
        let Some(d) = drafts.get() else { return };
        if let Some(t) = d.ticket_type {
            ticket_type.set(t);
        }
        if let Some(c) = d
            .category
            .filter(|c| categories_v.with_untracked(|cs| cs.contains(c)))
        {
            category.set(c);
        }
        if d.urgency.is_some() {
            urgency.set(d.urgency);
        }
    });

    view! {
        {move || drafts.get().filter(|d| !d.transcript.is_empty()).map(|d| view! {
            <details class="mo-handoff-note">
                <summary>{i.text(Key::AssistantAttached)} " " {i.text(Key::AssistantShowTranscript)}</summary>
                <pre class="mo-transcript">{d.transcript}</pre>
            </details>
        })}
        {has_blobs.then(|| view! { <AttachmentPicker files=files errors=errors max_file=max_file /> })}
        <div class="mo-row">
            <LabelledField id="mo-type" label=Key::TicketTypeLabel>
                <ChoiceSelect id="mo-type" label=type_key
                    value=move || Some(ticket_type.get())
                    on_pick=move |t| if let Some(t) = t { ticket_type.set(t) } />
            </LabelledField>
            <LabelledField id="mo-category" label=Key::Category>
                <select
                    id="mo-category"
                    class="mo-select"
                    prop:value=move || category.get()
                    on:change=move |ev| category.set(event_target_value(&ev))
                >
                    <option value="">{i.text(Key::NoCategory)}</option>
                    {move || {
                        categories_v
                            .get()
                            .into_iter()
                            .map(|c| {
                                let selected = category.get_untracked() == c;
                                view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </LabelledField>
        </div>
        {move || asks_urgency.get().then(|| view! {
            <LabelledField id="mo-urgency" label=Key::Urgency>
                <ChoiceSelect id="mo-urgency" label=urgency_key none=Key::NotSet
                    value=move || urgency.get() on_pick=move |u| urgency.set(u) />
            </LabelledField>
        })}
        {move || asked.get().into_iter().map(|(def, value, problem)| view! {
            <CustomFieldInput id=format!("mo-field-{}", def.key) def=def value=value error=problem />
        }).collect_view()}
    }
}

/// The file picker: each chosen file is checked against the per-file limit and hashed at once,
/// so a refusal shows beside the field before anything is sent.
#[component]
fn AttachmentPicker(
    files: RwSignal<Vec<(Attachment, web_sys::File)>, LocalStorage>,
    errors: RwSignal<Vec<(Field, FormError)>>,
    /// The largest file accepted, in bytes.
    max_file: u64,
) -> impl IntoView {
    let i = use_i18n();
    let reading = RwSignal::new(false);
    let e_files = Signal::derive(move || {
        errors.with(|errs| {
            errs.iter()
                .find(|(f, _)| *f == Field::Attachments)
                .map(|(_, e)| e.clone())
        })
    });
    let chosen_files = move || {
        files
            .get()
            .into_iter()
            .map(|(meta, _)| meta)
            .collect::<Vec<_>>()
    };
    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else { return };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|n| list.item(n)).collect();
        input.set_value("");
        reading.set(true);
        spawn_local(async move {
            let mut refused = None;
            for file in chosen {
                let size = file.size() as u64;
                if size > max_file {
                    refused = Some(BlobError::TooLarge {
                        name: file.name(),
                        size,
                        max: max_file,
                    });
                    continue;
                }
                match describe(&file).await {
                    Ok(meta) => files.update(|f| {
                        if !f.iter().any(|(m, _)| m.blob == meta.blob) {
                            f.push((meta, file));
                        }
                    }),
                    Err(e) => refused = Some(e),
                }
            }
            reading.try_set(false);
            errors.try_update(|errs| {
                errs.retain(|(f, _)| *f != Field::Attachments);
                if let Some(e) = refused {
                    errs.push((Field::Attachments, FormError::Blob(e)));
                }
            });
        });
    };

    view! {
        <LabelledField id="mo-files" label=Key::Attachments error=e_files
            hint=FieldText::Filled(Key::AttachHint, vec![("size", format!("{} MB", crate::services::attachments::whole_megabytes(max_file)))])>
            <input
                id="mo-files"
                class="mo-input mo-file"
                type="file"
                multiple=true
                aria-describedby=described_by("mo-files", true, true)
                aria-invalid=invalid(Some(e_files))
                on:change=on_files
            />
            <Show when=move || reading.get()>
                <p class="mo-loading" role="status">{i.text(Key::Loading)}</p>
            </Show>
            <ul class="mo-attachment-list" aria-label=i.text(Key::AttachChosen)>
                <For
                    each=chosen_files
                    key=|m| m.blob.clone()
                    let:m
                >
                    <li>
                        {m.name.clone()}
                        " "
                        <button
                            type="button"
                            class="mo-link"
                            aria-label={
                                let name = m.name.clone();
                                move || i.tf(Key::AttachRemove, &[("name", &name)])
                            }
                            on:click={
                                let blob = m.blob.clone();
                                move |_| files.update(|f| f.retain(|(x, _)| x.blob != blob))
                            }
                        >
                            "×"
                        </button>
                    </li>
                </For>
            </ul>
        </LabelledField>
    }
}

deferred_view!(fn suggestions_for(subject: RwSignal<String>) in portal_help => view! { <SuggestedArticles subject=subject /> });

/// Help articles that match the subject as it is typed: many questions end there, without a
/// ticket. Opening one counts as a view of a suggestion (a deflection if no ticket follows).
#[component]
fn SuggestedArticles(subject: RwSignal<String>) -> impl IntoView {
    let i = use_i18n();
    let desk = use_desk();
    let page = use_portal_page();
    let desk_v = StoredValue::new_local(desk.clone());
    let workspace = desk.workspace;
    let kb = move || {
        workspace.track();
        desk_v.with_value(|d| d.kb())
    };
    let suggestions = Memo::new(move |_| {
        let lang = i.lang.get();
        let subject = subject.get();
        kb().suggest_for_subject(&subject, lang.tag(), 3)
            .into_iter()
            .map(|h| (h.article.id.clone(), h.article.title.clone()))
            .collect::<Vec<(ArticleId, String)>>()
    });

    view! {
    <Show when=move || !suggestions.get().is_empty()>
        <aside class="mo-suggest" aria-labelledby="mo-suggest-title">
            <p id="mo-suggest-title" class="mo-suggest-title">
                {i.text(Key::SuggestedArticles)}
            </p>
            <ul class="mo-suggest-list">
                <For
                    each=move || suggestions.get()
                    key=|(id, _)| id.clone()
                    let:item
                >
                    <li>
                        <button
                            type="button"
                            class="mo-link"
                            on:click=move |_| {
                                let id = item.0.clone();
                                let desk = desk_v.get_value();
                                desk.note_suggestion_viewed(id.clone());
                                spawn_local(async move {
                                    desk.record_deflection(Deflection {
                                        article_id: id,
                                        at: now(),
                                        outcome: DeflectionOutcome::Viewed,
                                    })
                                    .await;
                                });
                                page.set(PortalPage::Article(item.0.clone()))
                            }
                        >
                            {item.1.clone()}
                        </button>
                    </li>
                </For>
            </ul>
        </aside>
    </Show>
    }
}

/// What the visitor sees once the ticket is sent: its code, what happens next, a way to follow
/// it and a way to open another.
#[component]
fn TicketCreated(
    id: TicketId,
    code: String,
    /// Cleared by "open another", which brings the form back.
    created: RwSignal<Option<(TicketId, String)>>,
) -> impl IntoView {
    let i = use_i18n();
    let page = use_portal_page();
    view! {
        <div class="mo-confirm" role="status">
            <h2 class="mo-subtitle">{i.text(Key::TicketCreated)}</h2>
            <p>
                {i.text(Key::YourTicketCode)} " "
                <strong class="mo-code">{code.clone()}</strong>
            </p>
            <p>{i.text(Key::WhatNext)}</p>
            <div class="mo-actions">
                <button
                    type="button"
                    class="mo-button"
                    on:click=move |_| page.set(PortalPage::Ticket(id.clone()))
                >
                    {i.text(Key::ViewTicket)}
                </button>
                <button
                    type="button"
                    class="mo-button mo-button-secondary"
                    on:click=move |_| created.set(None)
                >
                    {i.text(Key::OpenAnother)}
                </button>
            </div>
        </div>
    }
}

/// What the form holds when it is sent: plain values read from its controls.
#[derive(Debug, Clone)]
struct FormValues {
    subject: String,
    description: String,
    ticket_type: TicketType,
    /// Empty for no category.
    category: String,
    /// What the visitor chose; read only where customers may set the urgency.
    urgency: Option<Urgency>,
    /// The contact fields, asked unless the host identified the visitor.
    name: String,
    email: String,
    /// The custom fields customers see, each with its text, in the order the form asks them.
    fields: Vec<(FieldDef, String)>,
    attachments: Vec<Attachment>,
}

/// What the ticket takes from around the form: who the host says the visitor is, what it
/// prefilled, the assistant's hand-off and the help desk's rules.
struct Around<'a> {
    visitor: Option<&'a Visitor>,
    /// The host's prefilled custom fields, by key.
    prefilled: &'a BTreeMap<String, String>,
    draft: &'a HandOffDraft,
    /// Whether the form asks the urgency (customers may set it); else the hand-off's goes.
    asks_urgency: bool,
    domain: &'a DomainSettings,
}

/// Why the form cannot be sent yet.
#[derive(Debug, Clone, PartialEq)]
struct FormProblems {
    /// The form's own fields (the general line for a rule no field answers for).
    errors: Vec<(Field, FormError)>,
    /// Each custom field's problem, in the order of [`FormValues::fields`].
    fields: Vec<Option<String>>,
}

/// The command the form sends, or every problem with it at once: the form's own checks, then
/// the domain rules (`check`, which decides the command without storing it), each field's
/// problem once.
fn ticket_from_form(
    i: I18n,
    form: FormValues,
    around: &Around<'_>,
    check: impl FnOnce(&Command) -> Result<(), UiError>,
) -> Result<Command, FormProblems> {
    let mut errs = Vec::new();
    if form.subject.trim().is_empty() {
        errs.push((Field::Subject, FormError::Key(Key::ErrEmptySubject)));
    }
    let who = around.visitor;
    // The host vouched for an identified visitor: no contact fields to ask.
    let (contact_name, contact_email) = match who {
        Some(v) => (
            v.name.clone().unwrap_or_else(|| v.id.clone()),
            v.email.clone().unwrap_or_default(),
        ),
        None => (form.name, form.email),
    };
    if who.is_none() {
        if contact_name.trim().is_empty() {
            errs.push((Field::Name, FormError::Key(Key::ErrNameRequired)));
        }
        if contact_email.trim().is_empty() {
            errs.push((Field::Email, FormError::Key(Key::ErrEmailRequired)));
        }
    }
    let mut custom_fields = BTreeMap::new();
    let mut field_problems = Vec::with_capacity(form.fields.len());
    for (def, text) in &form.fields {
        field_problems.push(custom_field::problem(i, def, text));
        if let Ok(Some(v)) = custom_field::value_of(def, text) {
            custom_fields.insert(def.key.clone(), v);
        }
    }
    // What the host prefilled beyond the form's fields, then the assistant's conversation, each
    // a paragraph after what the visitor wrote.
    let draft = around.draft;
    let extra = prefill_extra(around.domain, around.prefilled);
    let body = with_paragraph(with_paragraph(form.description, &extra), &draft.transcript);
    let cat = form.category;
    let new = NewTicket {
        tags: draft.tags.clone(),
        impact: draft.impact,
        handoff: draft.handoff.clone(),
        ticket_type: form.ticket_type,
        category: (!cat.is_empty()).then_some(cat),
        custom_fields,
        urgency: if around.asks_urgency {
            form.urgency
        } else {
            draft.urgency
        },
        attachments: form.attachments,
        ..NewTicket::new(
            &form.subject,
            &body,
            Requester {
                customer_id: None,
                name: contact_name,
                email: Some(contact_email.trim().to_owned()).filter(|e| !e.is_empty()),
                phone: None,
                locale: Some(i.lang.get_untracked().tag().to_owned()),
                // What the site signed about them: agents see it, rules route on it.
                context: who.and_then(|v| v.context.clone()),
            },
            Channel::WebForm,
        )
    };
    let command = Command::Open(Box::new(new));
    if let Err(e) = check(&command) {
        let f = field_of(&e);
        if !errs.iter().any(|(x, _)| *x == f) {
            errs.push((f, FormError::Ui(e)));
        }
    }
    if errs.is_empty() && field_problems.iter().all(Option::is_none) {
        Ok(command)
    } else {
        Err(FormProblems {
            errors: errs,
            fields: field_problems,
        })
    }
}

/// The host's prefilled fields the form does not ask (unknown keys, agents' fields), written as
/// `key: value` lines for the end of the description so agents still see them. Fields the form
/// asks are filled into their controls instead.
fn prefill_extra(settings: &DomainSettings, fields: &BTreeMap<String, String>) -> String {
    fields
        .iter()
        .filter(|(key, _)| settings.field(key).is_none_or(|d| d.agent_only))
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(key, text)| format!("{key}: {}", text.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `body` with `more` as a paragraph after it, or `more` alone when the body is blank.
fn with_paragraph(body: String, more: &str) -> String {
    if more.is_empty() {
        body
    } else if body.trim().is_empty() {
        more.to_owned()
    } else {
        format!("{}\n\n{more}", body.trim_end())
    }
}

/// Everything sending the form takes: its values, what surrounds it and where files go.
struct Sending {
    i: I18n,
    /// Where the desk arrives: sending waits for it.
    slot: DeskSlot,
    form: FormValues,
    visitor: Option<Visitor>,
    /// The host's prefilled custom fields, by key.
    prefilled: BTreeMap<String, String>,
    draft: HandOffDraft,
    blobs: Option<Rc<dyn BlobStore>>,
    /// The chosen files with their attachment records.
    files: Vec<(Attachment, web_sys::File)>,
}

/// Checks the form and stores the visitor's ticket as theirs, routed: the ticket's id and code,
/// or every problem. In the customer widget (feature `split`) this is code of its own (the
/// domain's checks, storing, and what replies and sync share with it), fetched as soon as the
/// visitor types; in other builds the same function runs directly.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(
    portal_write,
    wasm_split_path = ::leptos::wasm_split,
    fallible,
    preload(fetch_sending_module)
)]
fn send_form(sending: Sending) -> Result<Sent, Unloaded> {
    Ok(Box::pin(send(sending)))
}

#[cfg(not(feature = "split"))]
async fn send_form(sending: Sending) -> Result<Sent, Unloaded> {
    Ok(Box::pin(send(sending)))
}

/// Fetches [`send_form`]'s module ahead of the click, so sending does not wait for it. A
/// failure here is not the visitor's concern yet: sending tries again and says so.
async fn fetch_sending() {
    #[cfg(feature = "split")]
    let _ = fetch_sending_module().await;
}

/// Sending the form, once its code is here.
type Sent =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(TicketId, String), FormProblems>>>>;

async fn send(s: Sending) -> Result<(TicketId, String), FormProblems> {
    let Sending {
        i,
        slot,
        form,
        visitor,
        prefilled,
        draft,
        blobs,
        files,
    } = s;
    let asked = form.fields.len();
    let Some(desk) = slot.arrived().await else {
        // The app was closed while its desk loaded: nobody to tell.
        return Err(FormProblems {
            errors: Vec::new(),
            fields: Vec::new(),
        });
    };
    let settings = desk.settings();
    let command = ticket_from_form(
        i,
        form,
        &Around {
            visitor: visitor.as_ref(),
            prefilled: &prefilled,
            draft: &draft,
            asks_urgency: settings.domain.customers_set_urgency,
            domain: &settings.domain,
        },
        // Check the domain rules before anything is written (the customer id included).
        |command| desk.check(None, command, &Actor::Customer(CustomerId("-".into()))),
    )?;
    let failed = |field: Field, error: FormError| FormProblems {
        errors: vec![(field, error)],
        fields: vec![None; asked],
    };
    // The files first: a ticket never points at bytes that were not kept.
    if let Some(store) = &blobs {
        for (meta, file) in &files {
            store
                .put(meta, file, &settings)
                .await
                .map_err(|e| failed(Field::Attachments, FormError::Blob(e)))?;
        }
    }
    let opened = match desk.customer().await {
        Ok(me) => desk.open(command, &Actor::Customer(me)).await,
        Err(e) => Err(e),
    };
    let t = opened.map_err(|e| failed(field_of(&e), FormError::Ui(e)))?;
    // The visitor read suggestions and still wrote: those did not deflect.
    for id in desk.take_suggestions_viewed() {
        desk.record_deflection(Deflection {
            article_id: id,
            at: now(),
            outcome: DeflectionOutcome::TicketCreatedAnyway,
        })
        .await;
    }
    if let (Some(run), Some(r)) = (&draft.run, &draft.handoff) {
        desk.record_assistant(Record {
            run: run.clone(),
            flow: r.flow.clone(),
            step: r.step.clone(),
            at: now(),
            kind: RecordKind::TicketOpened,
        })
        .await;
    }
    Ok((t.id, t.code.to_string()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use leptos::prelude::RwSignal;
    use mostrador_core::assistant::HandOffRef;
    use mostrador_core::command::{Command, NewTicket};
    use mostrador_core::customer::CustomerContext;
    use mostrador_core::error::{DomainError, ValidationError};
    use mostrador_core::model::{Attachment, FieldValue, Impact, TicketType, Urgency};
    use mostrador_core::settings::{DomainSettings, FieldDef, FieldKind};
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::{Around, FormProblems, FormValues, ticket_from_form, with_paragraph};
    use crate::components::field::FormError;
    use crate::i18n::errors::Field;
    use crate::i18n::{I18n, Key, Lang};
    use crate::portal::assistant::HandOffDraft;
    use crate::services::desk::UiError;
    use crate::services::host::Visitor;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_paragraph_follows_the_text_or_stands_alone() {
        assert_eq!(
            with_paragraph("Broken.  \n".into(), "Order: 42"),
            "Broken.\n\nOrder: 42"
        );
        assert_eq!(with_paragraph(" \n".into(), "Order: 42"), "Order: 42");
        assert_eq!(with_paragraph("Broken.".into(), ""), "Broken.");
        assert_eq!(
            with_paragraph(with_paragraph(String::new(), ""), "Transcript"),
            "Transcript"
        );
    }

    fn english() -> I18n {
        I18n {
            lang: RwSignal::new(Lang::En),
        }
    }

    fn filled() -> FormValues {
        FormValues {
            subject: "Broken lid".into(),
            description: "It arrived cracked.".into(),
            ticket_type: TicketType::Incident,
            category: String::new(),
            urgency: None,
            name: "Marta".into(),
            email: " marta@example.com ".into(),
            fields: Vec::new(),
            attachments: Vec::new(),
        }
    }

    fn field(key: &str, kind: FieldKind, required: bool) -> FieldDef {
        FieldDef {
            key: key.into(),
            label: String::new(),
            kind,
            choices: Vec::new(),
            required,
            agent_only: false,
        }
    }

    /// The form sent with nothing around it but `domain`, every command accepted.
    fn send(form: FormValues, domain: &DomainSettings) -> Result<NewTicket, FormProblems> {
        send_with(
            form,
            domain,
            None,
            &HandOffDraft::default(),
            &BTreeMap::new(),
        )
    }

    fn send_with(
        form: FormValues,
        domain: &DomainSettings,
        visitor: Option<&Visitor>,
        draft: &HandOffDraft,
        prefilled: &BTreeMap<String, String>,
    ) -> Result<NewTicket, FormProblems> {
        let around = Around {
            visitor,
            prefilled,
            draft,
            asks_urgency: domain.customers_set_urgency,
            domain,
        };
        ticket_from_form(english(), form, &around, |_| Ok(())).map(|c| match c {
            Command::Open(new) => *new,
            other => panic!("not an opening: {other:?}"),
        })
    }

    #[wasm_bindgen_test]
    fn a_filled_form_opens_a_web_ticket_in_the_visitors_language() {
        let new = send(filled(), &DomainSettings::default()).expect("nothing missing");
        assert_eq!(new.subject, "Broken lid");
        assert_eq!(new.description, "It arrived cracked.");
        assert_eq!(new.ticket_type, TicketType::Incident);
        assert_eq!(new.category, None, "no category chosen");
        assert_eq!(new.requester.name, "Marta");
        assert_eq!(
            new.requester.email.as_deref(),
            Some("marta@example.com"),
            "trimmed"
        );
        assert_eq!(new.requester.locale.as_deref(), Some("en"));
        assert_eq!(new.channel, mostrador_core::model::Channel::WebForm);
    }

    #[wasm_bindgen_test]
    fn an_anonymous_visitor_must_give_subject_name_and_email() {
        let form = FormValues {
            subject: "  ".into(),
            name: " ".into(),
            email: String::new(),
            ..filled()
        };
        let problems = send(form, &DomainSettings::default()).expect_err("three missing");
        assert_eq!(
            problems.errors,
            vec![
                (Field::Subject, FormError::Key(Key::ErrEmptySubject)),
                (Field::Name, FormError::Key(Key::ErrNameRequired)),
                (Field::Email, FormError::Key(Key::ErrEmailRequired)),
            ]
        );
        assert!(problems.fields.is_empty());
    }

    #[wasm_bindgen_test]
    fn an_identified_visitor_is_not_asked_for_contact() {
        let visitor = Visitor {
            id: "cust-7".into(),
            name: None,
            email: Some("seven@example.com".into()),
            token: None,
            context: Some(CustomerContext {
                plan: Some("Pro".into()),
                ..CustomerContext::default()
            }),
        };
        let form = FormValues {
            name: String::new(),
            email: String::new(),
            ..filled()
        };
        let new = send_with(
            form,
            &DomainSettings::default(),
            Some(&visitor),
            &HandOffDraft::default(),
            &BTreeMap::new(),
        )
        .expect("the host vouched for them");
        assert_eq!(new.requester.name, "cust-7", "the id stands in for a name");
        assert_eq!(new.requester.email.as_deref(), Some("seven@example.com"));
        assert_eq!(
            new.requester.context.and_then(|c| c.plan).as_deref(),
            Some("Pro")
        );
    }

    #[wasm_bindgen_test]
    fn custom_fields_are_parsed_or_each_says_what_is_wrong() {
        let domain = DomainSettings::default();
        let form = FormValues {
            fields: vec![
                (field("order", FieldKind::Number, true), " 1043 ".into()),
                (field("gift", FieldKind::Bool, false), String::new()),
            ],
            ..filled()
        };
        let new = send(form, &domain).expect("valid fields");
        assert_eq!(
            new.custom_fields,
            BTreeMap::from([("order".to_owned(), FieldValue::Number(1043.0))]),
            "an empty optional field is left out"
        );

        let form = FormValues {
            fields: vec![
                (field("order", FieldKind::Number, true), String::new()),
                (field("size", FieldKind::Number, false), "big".into()),
                (field("note", FieldKind::Text, false), "fine".into()),
            ],
            ..filled()
        };
        let problems = send(form, &domain).expect_err("two fields are wrong");
        assert!(problems.errors.is_empty(), "the form's own fields are fine");
        assert_eq!(problems.fields.len(), 3);
        assert!(problems.fields[0].is_some(), "required and empty");
        assert!(
            problems.fields[1]
                .as_deref()
                .is_some_and(|p| p.contains("size")),
            "not a number, named: {:?}",
            problems.fields[1]
        );
        assert_eq!(problems.fields[2], None);
    }

    #[wasm_bindgen_test]
    fn prefilled_extras_and_the_transcript_follow_the_description() {
        let domain = DomainSettings {
            custom_fields: vec![field("order", FieldKind::Number, false)],
            ..DomainSettings::default()
        };
        // `order` is asked by the form (filled into its control), `cart` is not.
        let prefilled = BTreeMap::from([
            ("order".to_owned(), "1043".to_owned()),
            ("cart".to_owned(), " 3 items ".to_owned()),
        ]);
        let draft = HandOffDraft {
            transcript: "Assistant: hello".into(),
            ..HandOffDraft::default()
        };
        let new = send_with(filled(), &domain, None, &draft, &prefilled).expect("sent");
        assert_eq!(
            new.description,
            "It arrived cracked.\n\ncart: 3 items\n\nAssistant: hello"
        );
    }

    #[wasm_bindgen_test]
    fn a_handoff_sets_up_the_ticket_and_urgency_comes_from_whoever_may_set_it() {
        let draft = HandOffDraft {
            handoff: Some(HandOffRef {
                flow: "returns".into(),
                step: "person".into(),
            }),
            tags: vec!["returns".into()],
            impact: Some(Impact::High),
            urgency: Some(Urgency::High),
            ..HandOffDraft::default()
        };
        let form = FormValues {
            urgency: Some(Urgency::Low),
            category: "Orders".into(),
            attachments: vec![Attachment {
                name: "lid.jpg".into(),
                mime: "image/jpeg".into(),
                size: 10,
                blob: "ab".into(),
            }],
            ..filled()
        };
        let fixed = DomainSettings::default();
        let new = send_with(form.clone(), &fixed, None, &draft, &BTreeMap::new()).expect("sent");
        assert_eq!(new.tags, vec!["returns".to_owned()]);
        assert_eq!(new.impact, Some(Impact::High));
        assert_eq!(new.handoff, draft.handoff);
        assert_eq!(new.category.as_deref(), Some("Orders"));
        assert_eq!(new.attachments.len(), 1);
        assert_eq!(new.urgency, Some(Urgency::High), "the form does not ask it");

        let chosen = DomainSettings {
            customers_set_urgency: true,
            ..DomainSettings::default()
        };
        let new = send_with(form, &chosen, None, &draft, &BTreeMap::new()).expect("sent");
        assert_eq!(new.urgency, Some(Urgency::Low), "the visitor's choice");
    }

    #[wasm_bindgen_test]
    fn the_rules_add_their_problem_once_per_field() {
        let domain = DomainSettings::default();
        let around = Around {
            visitor: None,
            prefilled: &BTreeMap::new(),
            draft: &HandOffDraft::default(),
            asks_urgency: false,
            domain: &domain,
        };
        let refuse =
            |v: ValidationError| move |_: &Command| Err(UiError::Domain(DomainError::Invalid(v)));
        // The form already says the subject is empty: the rules' word on it is not repeated.
        let blank = FormValues {
            subject: String::new(),
            ..filled()
        };
        let problems = ticket_from_form(
            english(),
            blank,
            &around,
            refuse(ValidationError::EmptySubject),
        )
        .expect_err("no subject");
        assert_eq!(
            problems.errors,
            vec![(Field::Subject, FormError::Key(Key::ErrEmptySubject))]
        );
        // A rule only the core knows shows beside its field.
        let problems = ticket_from_form(
            english(),
            filled(),
            &around,
            refuse(ValidationError::EmptyBody),
        )
        .expect_err("refused");
        assert_eq!(
            problems.errors,
            vec![(
                Field::Body,
                FormError::Ui(UiError::Domain(DomainError::Invalid(
                    ValidationError::EmptyBody
                )))
            )]
        );
    }
}
