//! The self-service assistant: the admins' flows (`mostrador_core::assistant`) as a
//! conversation. The thread is a polite log region; every choice is a button; free text searches
//! the knowledge base at any point; "talk to a person" is always one step away. A hand-off opens
//! the ticket form set up by the path taken ([`HandOffDraft`]), the transcript attached.
//!
//! What the visitor does is recorded anonymously (`desk.record_assistant`): the run's random id,
//! the flow, the step and what happened, never what they typed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::assistant::{
    AssistantSettings, Flow, FormFieldKind, HandOffRef, Line, Record, RecordKind, Step, StepKind,
    transcript,
};
use mostrador_core::kb::{ArticleId, Deflection, DeflectionOutcome};
use mostrador_core::model::{Impact, TicketType, Urgency};
use mostrador_core::validate::is_email_address;
use wasm_bindgen::JsCast;

use crate::components::markdown::Markdown;
use crate::i18n::{I18n, Key, use_i18n};
use crate::portal::{PortalNav, PortalPage};
use crate::services::desk::{Desk, use_desk};
use crate::services::ids::{now, random_hex};

/// What a hand-off (or "talk to a person") brings to the ticket form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HandOffDraft {
    /// The hand-off step, when the path ended in one: its tags and priority come with it.
    pub handoff: Option<HandOffRef>,
    /// The conversation's run, to record that its ticket was sent.
    pub run: Option<String>,
    pub ticket_type: Option<TicketType>,
    pub category: Option<String>,
    pub urgency: Option<Urgency>,
    pub impact: Option<Impact>,
    pub tags: Vec<String>,
    /// The conversation as text, written under the visitor's message.
    pub transcript: String,
}

/// The draft the ticket form picks up, provided by the portal ([`provide_assistant`]).
#[derive(Debug, Clone, Copy)]
pub struct Drafts(pub RwSignal<Option<HandOffDraft>>);

/// The draft a hand-off left for the ticket form, if any.
pub fn use_handoff_draft() -> RwSignal<Option<HandOffDraft>> {
    expect_context::<Drafts>().0
}

/// One turn of the conversation.
#[derive(Debug, Clone, PartialEq)]
enum Turn {
    Said(String),
    Answer(String),
    Article { title: String, body: String },
    Hits(Vec<(ArticleId, String)>),
    Visitor(String),
}

/// Where the conversation is.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    /// Choosing among several flows.
    Menu,
    /// At a step that waits for the visitor.
    At {
        flow: String,
        step: String,
        run: String,
    },
    /// Nothing more to ask: start over or talk to a person.
    Ended,
}

/// The conversation's state, kept by the portal so it survives a visit to another tab.
#[derive(Debug, Clone, Copy)]
pub struct Chat {
    turns: RwSignal<Vec<Turn>>,
    phase: RwSignal<Phase>,
    /// The run of the flow last walked (kept after it ended, for "talk to a person").
    last_run: RwSignal<Option<(String, String)>>,
}

impl Chat {
    fn new() -> Chat {
        Chat {
            turns: RwSignal::new(Vec::new()),
            phase: RwSignal::new(Phase::Ended),
            last_run: RwSignal::new(None),
        }
    }
}

/// Provides the conversation and the hand-off draft; call once, in the portal.
pub fn provide_assistant() {
    provide_context(Drafts(RwSignal::new(None)));
    provide_context(Chat::new());
}

/// Whether the help desk has a flow for visitors.
pub fn has_flows(desk: &Desk) -> bool {
    desk.settings().domain.assistant.enabled().next().is_some()
}

/// The conversation with the assistant.
#[component]
pub fn Assistant(
    /// In the console's editor: this flow as drafted, walked without recording anything and
    /// without opening a ticket.
    #[prop(optional)]
    preview: Option<Flow>,
) -> impl IntoView {
    let i = use_i18n();
    let desk = StoredValue::new_local(use_desk());
    let previewing = preview.is_some();
    let chat = if previewing {
        Chat::new()
    } else {
        expect_context::<Chat>()
    };
    let drafts = use_context::<Drafts>().map(|d| d.0);
    let page = use_context::<PortalNav>().map(|n| n.0);
    let preview = StoredValue::new(preview);
    // The flows this conversation walks: the drafted one, or the help desk's enabled flows.
    let source = move || -> AssistantSettings {
        match preview.get_value() {
            Some(f) => AssistantSettings { flows: vec![f] },
            None => desk.with_value(|d| d.settings().domain.assistant.for_customer()),
        }
    };
    let flows = move || source().flows;
    let controls = NodeRef::<leptos::html::Div>::new();
    let lang = move || i.lang.get_untracked().tag().to_owned();
    let locales = move || desk.with_value(|d| d.settings().profile.locales);
    let text = move |t: &mostrador_core::assistant::Texts| t.get(&lang(), &locales()).to_owned();

    let record = move |flow: &str, run: &str, step: &str, kind: RecordKind| {
        if previewing {
            return;
        }
        let r = Record {
            run: run.to_owned(),
            flow: flow.to_owned(),
            step: step.to_owned(),
            at: now(),
            kind,
        };
        let d = desk.get_value();
        spawn_local(async move { d.record_assistant(r).await });
    };
    let say = move |t: Turn| chat.turns.update(|ts| ts.push(t));
    // Moves focus to the first control of what the assistant now asks: the button the visitor
    // pressed is gone, and keyboard and screen-reader users continue from there.
    let focus_controls = move || {
        request_animation_frame(move || {
            if let Some(el) = controls.get_untracked()
                && let Ok(Some(first)) = el.query_selector("button, input, textarea")
                && let Ok(first) = first.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = first.focus();
            }
        });
    };

    // Enters a step: says what it says, records it, and continues through answers that lead on.
    let enter = move |flow: String, run: String, step_id: String| {
        let mut step_id = step_id;
        // Bounded: a valid flow has no loops, and a stored one is walked at most this far.
        for _ in 0..mostrador_core::assistant::MAX_STEPS {
            let f = source().flow(&flow).cloned();
            let Some(step) = f.as_ref().and_then(|f| f.step(&step_id)).cloned() else {
                say(Turn::Said(i.t(Key::AssistantLost).to_owned()));
                chat.phase.set(Phase::Ended);
                return;
            };
            record(&flow, &run, &step.id, RecordKind::Reached);
            let next = match &step.kind {
                StepKind::Question { text: t, .. }
                | StepKind::Check { text: t, .. }
                | StepKind::Form { text: t, .. } => {
                    say(Turn::Said(text(t)));
                    None
                }
                StepKind::HandOff(h) => {
                    say(Turn::Said(text(&h.text)));
                    record(&flow, &run, &step.id, RecordKind::HandedOff);
                    None
                }
                StepKind::Answer { text: t, next } => {
                    say(Turn::Answer(text(t)));
                    record(&flow, &run, &step.id, RecordKind::Answered);
                    Some(next.clone())
                }
                StepKind::Article { article, next } => {
                    match desk.with_value(|d| d.kb().get(article).cloned()) {
                        Some(a) if a.published => {
                            say(Turn::Article {
                                title: a.title,
                                body: a.body,
                            });
                            record(&flow, &run, &step.id, RecordKind::Answered);
                        }
                        _ => say(Turn::Said(i.t(Key::AssistantArticleGone).to_owned())),
                    }
                    Some(next.clone())
                }
            };
            match next {
                Some(Some(n)) => step_id = n,
                Some(None) => {
                    chat.phase.set(Phase::Ended);
                    return;
                }
                None => {
                    chat.phase.set(Phase::At {
                        flow,
                        step: step.id,
                        run,
                    });
                    return;
                }
            }
        }
        chat.phase.set(Phase::Ended);
    };
    let start_flow = move |f: &Flow| {
        let run = random_hex(8);
        chat.last_run.set(Some((f.id.clone(), run.clone())));
        enter(f.id.clone(), run, f.start.clone());
    };
    let start = move || {
        chat.turns.set(Vec::new());
        let all = flows();
        match all.as_slice() {
            [] => chat.phase.set(Phase::Ended),
            [one] => start_flow(one),
            _ => {
                say(Turn::Said(i.t(Key::AssistantPickFlow).to_owned()));
                chat.phase.set(Phase::Menu);
            }
        }
    };
    if chat.turns.with_untracked(Vec::is_empty) {
        start();
    }

    // The transcript of the conversation so far, in the visitor's language.
    let transcript_text = move || {
        let lines: Vec<Line> = chat
            .turns
            .get_untracked()
            .into_iter()
            .map(|t| match t {
                Turn::Said(s) | Turn::Answer(s) => Line::Assistant(s),
                Turn::Article { title, .. } => Line::Assistant(title),
                Turn::Hits(h) => Line::Assistant(
                    h.into_iter()
                        .map(|(_, t)| t)
                        .collect::<Vec<_>>()
                        .join(" · "),
                ),
                Turn::Visitor(s) => Line::Visitor(s),
            })
            .collect();
        transcript(
            &lines,
            i.t(Key::AssistantTranscriptHeading),
            i.t(Key::AssistantName),
            i.t(Key::AssistantYou),
        )
    };
    // To the ticket form: with the hand-off's set-up when the conversation is at one.
    let to_person = move || {
        let mut draft = HandOffDraft {
            transcript: transcript_text(),
            run: chat.last_run.get_untracked().map(|(_, r)| r),
            ..HandOffDraft::default()
        };
        if let Phase::At { flow, step, .. } = chat.phase.get_untracked() {
            let r = HandOffRef { flow, step };
            if let Some(h) = source().handoff(&r).cloned() {
                draft.ticket_type = Some(h.ticket_type);
                draft.category = h.category;
                draft.urgency = h.urgency;
                draft.impact = h.impact;
                draft.tags = h.tags;
                draft.handoff = Some(r);
            }
        }
        match (drafts, page) {
            (Some(drafts), Some(page)) if !previewing => {
                drafts.set(Some(draft));
                page.set(PortalPage::NewTicket);
            }
            // The editor's preview says what the ticket would carry instead.
            _ => {
                let category = draft
                    .category
                    .unwrap_or_else(|| i.t(Key::NoCategory).to_owned());
                let kind = draft
                    .ticket_type
                    .map_or_else(String::new, |t| i.t(crate::i18n::type_key(t)).to_owned());
                say(Turn::Said(i.tf(
                    Key::AssistantPreviewHandOff,
                    &[&kind, &category, &draft.tags.join(", ")],
                )));
            }
        }
    };

    let choose = move |label: String, flow: String, run: String, next: String| {
        say(Turn::Visitor(label));
        enter(flow, run, next);
        focus_controls();
    };

    // The form step's values, by field key, and which field is missing.
    let form_values = RwSignal::new(Vec::<(String, String)>::new());
    let form_error = RwSignal::new(None::<String>);

    let step_controls = move || -> AnyView {
        match chat.phase.get() {
            Phase::Menu => {
                let all = flows();
                view! {
                    <div class="mo-chat-options" role="group" aria-label=move || i.t(Key::AssistantOptions)>
                        {all.into_iter().map(|f| {
                            let name = text(&f.name);
                            view! {
                                <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
                                    say(Turn::Visitor(name.clone()));
                                    start_flow(&f);
                                    focus_controls();
                                }>{text(&f.name)}</button>
                            }
                        }).collect_view()}
                    </div>
                }
                .into_any()
            }
            Phase::Ended => view! {
                <div class="mo-chat-options" role="group" aria-label=move || i.t(Key::AssistantOptions)>
                    <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
                        start();
                        focus_controls();
                    }>{move || i.t(Key::AssistantStartOver)}</button>
                </div>
            }
            .into_any(),
            Phase::At { flow, step, run } => {
                let s: Option<Step> = source().flow(&flow).and_then(|f| f.step(&step).cloned());
                match s.map(|s| s.kind) {
                    Some(StepKind::Question { options, .. }) => view! {
                        <div class="mo-chat-options" role="group" aria-label=move || i.t(Key::AssistantOptions)>
                            {options.into_iter().map(|o| {
                                let label = text(&o.label);
                                let (flow, run) = (flow.clone(), run.clone());
                                view! {
                                    <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
                                        choose(label.clone(), flow.clone(), run.clone(), o.next.clone())
                                    }>{text(&o.label)}</button>
                                }
                            }).collect_view()}
                        </div>
                    }
                    .into_any(),
                    Some(StepKind::Check { unsolved, .. }) => {
                        let (f2, r2, s2) = (flow.clone(), run.clone(), step.clone());
                        view! {
                            <div class="mo-chat-options" role="group" aria-label=move || i.t(Key::AssistantOptions)>
                                <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
                                    say(Turn::Visitor(i.t(Key::AssistantYesSolved).to_owned()));
                                    record(&f2, &r2, &s2, RecordKind::Solved);
                                    say(Turn::Said(i.t(Key::AssistantGlad).to_owned()));
                                    chat.phase.set(Phase::Ended);
                                    focus_controls();
                                }>{move || i.t(Key::AssistantYesSolved)}</button>
                                <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
                                    choose(i.t(Key::AssistantNotSolved).to_owned(), flow.clone(), run.clone(), unsolved.clone())
                                }>{move || i.t(Key::AssistantNotSolved)}</button>
                            </div>
                        }
                        .into_any()
                    }
                    Some(StepKind::Form { fields, next, .. }) => {
                        form_values.set(fields.iter().map(|f| (f.key.clone(), String::new())).collect());
                        form_error.set(None);
                        let asked = fields.clone();
                        let submit = move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            let values = form_values.get_untracked();
                            let value = |key: &str| {
                                values
                                    .iter()
                                    .find(|(k, _)| k == key)
                                    .map(|(_, v)| v.trim().to_owned())
                                    .unwrap_or_default()
                            };
                            for f in &asked {
                                let v = value(&f.key);
                                let label = text(&f.label);
                                if f.required && v.is_empty() {
                                    form_error.set(Some(i.tf(Key::ErrRequiredField, &[&label])));
                                    return;
                                }
                                if f.kind == FormFieldKind::Email && !v.is_empty() && !is_email_address(&v) {
                                    form_error.set(Some(i.tf(Key::ErrInvalidEmail, &[&v])));
                                    return;
                                }
                            }
                            let said: Vec<String> = asked
                                .iter()
                                .filter(|f| !value(&f.key).is_empty())
                                .map(|f| format!("{}: {}", text(&f.label), value(&f.key)))
                                .collect();
                            choose(said.join("\n"), flow.clone(), run.clone(), next.clone());
                        };
                        view! {
                            <form class="mo-form mo-chat-form" on:submit=submit novalidate=true>
                                {fields.into_iter().map(|f| {
                                    let id = format!("mo-chat-{}", f.key);
                                    let key = f.key.clone();
                                    let input = move |ev| {
                                        let v = event_target_value(&ev);
                                        form_values.update(|vs| {
                                            if let Some(x) = vs.iter_mut().find(|(k, _)| *k == key) {
                                                x.1 = v;
                                            }
                                        });
                                    };
                                    view! {
                                        <div class="mo-field">
                                            <label for=id.clone()>{text(&f.label)}</label>
                                            {match f.kind {
                                                FormFieldKind::LongText => view! {
                                                    <textarea id=id class="mo-input mo-textarea" rows="3" required=f.required
                                                        aria-describedby="mo-chat-form-error" on:input=input></textarea>
                                                }.into_any(),
                                                kind => view! {
                                                    <input id=id class="mo-input" required=f.required
                                                        type=if kind == FormFieldKind::Email { "email" } else { "text" }
                                                        aria-describedby="mo-chat-form-error" on:input=input />
                                                }.into_any(),
                                            }}
                                        </div>
                                    }
                                }).collect_view()}
                                <p id="mo-chat-form-error" class="mo-error" role="alert">{move || form_error.get()}</p>
                                <button type="submit" class="mo-button">{move || i.t(Key::AssistantContinue)}</button>
                            </form>
                        }
                        .into_any()
                    }
                    Some(StepKind::HandOff(_)) => view! {
                        <div class="mo-chat-options" role="group" aria-label=move || i.t(Key::AssistantOptions)>
                            <button type="button" class="mo-button" on:click=move |_| to_person()>
                                {move || i.t(Key::AssistantWriteTicket)}
                            </button>
                        </div>
                    }
                    .into_any(),
                    // Answers and articles never wait; a step that vanished ends the run.
                    _ => view! {
                        <div class="mo-chat-options" role="group" aria-label=move || i.t(Key::AssistantOptions)>
                            <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
                                start();
                                focus_controls();
                            }>{move || i.t(Key::AssistantStartOver)}</button>
                        </div>
                    }
                    .into_any(),
                }
            }
        }
    };

    // Free text at any point: the knowledge base's best matches, in the visitor's language.
    let question = RwSignal::new(String::new());
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = question.get_untracked().trim().to_owned();
        if q.is_empty() {
            return;
        }
        question.set(String::new());
        say(Turn::Visitor(q.clone()));
        let hits: Vec<(ArticleId, String)> = desk.with_value(|d| {
            d.kb()
                .search_articles(&q, Some(&lang()), false)
                .into_iter()
                .take(3)
                .map(|h| (h.article.id.clone(), h.article.title.clone()))
                .collect()
        });
        if hits.is_empty() {
            say(Turn::Said(i.t(Key::AssistantNothingFound).to_owned()));
        } else {
            say(Turn::Said(i.t(Key::AssistantFound).to_owned()));
            say(Turn::Hits(hits));
        }
    };
    let open_hit = move |id: ArticleId| {
        if let Some(a) = desk.with_value(|d| d.kb().get(&id).cloned()) {
            say(Turn::Visitor(a.title.clone()));
            say(Turn::Article {
                title: a.title,
                body: a.body,
            });
            let d = desk.get_value();
            spawn_local(async move {
                d.record_deflection(Deflection {
                    article_id: id,
                    at: now(),
                    outcome: DeflectionOutcome::Viewed,
                })
                .await;
            });
        }
    };

    view! {
        <section class="mo-panel mo-chat" aria-labelledby="mo-chat-title">
            <h2 id="mo-chat-title" class="mo-subtitle">{move || i.t(Key::AssistantTitle)}</h2>
            <div class="mo-chat-log" role="log" aria-live="polite" aria-labelledby="mo-chat-title">
                <For
                    each=move || chat.turns.get().into_iter().enumerate()
                    key=|(n, _)| *n
                    let:item
                >
                    {turn_view(i, item.1, open_hit)}
                </For>
            </div>
            <div class="mo-chat-controls" node_ref=controls>
                {step_controls}
            </div>
            <form class="mo-chat-ask" on:submit=ask>
                <label for="mo-chat-question" class="mo-sr-only">{move || i.t(Key::AssistantAsk)}</label>
                <input
                    id="mo-chat-question"
                    class="mo-input"
                    type="text"
                    autocomplete="off"
                    placeholder=move || i.t(Key::AssistantAsk)
                    prop:value=move || question.get()
                    on:input=move |ev| question.set(event_target_value(&ev))
                />
                <button type="submit" class="mo-button mo-button-secondary">{move || i.t(Key::AssistantSearch)}</button>
            </form>
            <p class="mo-chat-person">
                <button type="button" class="mo-link" on:click=move |_| to_person()>
                    {move || i.t(Key::AssistantTalkToPerson)}
                </button>
            </p>
        </section>
    }
}

fn turn_view(i: I18n, turn: Turn, open_hit: impl Fn(ArticleId) + Copy + 'static) -> AnyView {
    match turn {
        Turn::Said(t) => view! { <p class="mo-chat-turn mo-chat-bot">{t}</p> }.into_any(),
        Turn::Answer(t) => view! {
            <div class="mo-chat-turn mo-chat-bot"><Markdown source=t /></div>
        }
        .into_any(),
        Turn::Article { title, body } => view! {
            <article class="mo-chat-turn mo-chat-bot mo-chat-article">
                <h3 class="mo-chat-article-title">{title}</h3>
                <Markdown source=body />
            </article>
        }
        .into_any(),
        Turn::Hits(hits) => view! {
            <ul class="mo-chat-turn mo-chat-bot mo-chat-hits" aria-label=move || i.t(Key::AssistantFound)>
                {hits.into_iter().map(|(id, title)| view! {
                    <li>
                        <button type="button" class="mo-link" on:click=move |_| open_hit(id.clone())>{title}</button>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
        Turn::Visitor(t) => view! {
            <p class="mo-chat-turn mo-chat-visitor">
                <span class="mo-sr-only">{move || i.t(Key::AssistantYou)}": "</span>
                {t}
            </p>
        }
        .into_any(),
    }
}
