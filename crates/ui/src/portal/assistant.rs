//! The self-service assistant: the admins' flows (`mostrador_core::assistant`) as a
//! conversation. The thread is a polite log region; every choice is a button; free text searches
//! the knowledge base at any point; "talk to a person" is always one step away. A hand-off opens
//! the ticket form set up by the path taken ([`HandOffDraft`]), the transcript attached.
//!
//! What the visitor does is recorded anonymously (`desk.record_assistant`): the run's random id,
//! the flow, the step and what happened, never what they typed.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::assistant::{
    AssistantSettings, Flow, FormField, FormFieldKind, HandOffRef, Line, Record, RecordKind, Step,
    StepKind, Texts, transcript,
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
    let text = move |t: &Texts| t.get(&lang(), &locales()).to_owned();

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
                StepKind::Article { next, .. } => {
                    let lang = i.lang.get_untracked().tag();
                    let shown = desk.with_value(|d| {
                        step.kind
                            .articles_for(lang)
                            .into_iter()
                            .find_map(|id| d.kb().get(id).filter(|a| a.published).cloned())
                    });
                    match shown {
                        Some(a) => {
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
                    &[
                        ("type", &kind),
                        ("category", &category),
                        ("tags", &draft.tags.join(", ")),
                    ],
                )));
            }
        }
    };

    let choose = move |label: String, flow: String, run: String, next: String| {
        say(Turn::Visitor(label));
        enter(flow, run, next);
        focus_controls();
    };

    let step_controls = move || -> AnyView {
        let mut items: Choices = Vec::new();
        let start_over = |items: &mut Choices| {
            items.push((
                i.t(Key::AssistantStartOver).to_owned(),
                false,
                Rc::new(move || {
                    start();
                    focus_controls();
                }),
            ));
        };
        match chat.phase.get() {
            Phase::Menu => {
                for f in flows() {
                    let name = text(&f.name);
                    let said = name.clone();
                    items.push((
                        name,
                        false,
                        Rc::new(move || {
                            say(Turn::Visitor(said.clone()));
                            start_flow(&f);
                            focus_controls();
                        }),
                    ));
                }
            }
            Phase::Ended => start_over(&mut items),
            Phase::At { flow, step, run } => {
                let s: Option<Step> = source().flow(&flow).and_then(|f| f.step(&step).cloned());
                match s.map(|s| s.kind) {
                    Some(StepKind::Question { options, .. }) => {
                        for o in options {
                            let label = text(&o.label);
                            let (said, flow, run) = (label.clone(), flow.clone(), run.clone());
                            items.push((
                                label,
                                false,
                                Rc::new(move || {
                                    choose(said.clone(), flow.clone(), run.clone(), o.next.clone())
                                }),
                            ));
                        }
                    }
                    Some(StepKind::Check { unsolved, .. }) => {
                        let (f2, r2, s2) = (flow.clone(), run.clone(), step.clone());
                        items.push((
                            i.t(Key::AssistantYesSolved).to_owned(),
                            false,
                            Rc::new(move || {
                                say(Turn::Visitor(i.t(Key::AssistantYesSolved).to_owned()));
                                record(&f2, &r2, &s2, RecordKind::Solved);
                                say(Turn::Said(i.t(Key::AssistantGlad).to_owned()));
                                chat.phase.set(Phase::Ended);
                                focus_controls();
                            }),
                        ));
                        items.push((
                            i.t(Key::AssistantNotSolved).to_owned(),
                            false,
                            Rc::new(move || {
                                choose(
                                    i.t(Key::AssistantNotSolved).to_owned(),
                                    flow.clone(),
                                    run.clone(),
                                    unsolved.clone(),
                                )
                            }),
                        ));
                    }
                    Some(StepKind::Form { fields, next, .. }) => {
                        return form_step(i, fields, text, move |said| {
                            choose(said, flow.clone(), run.clone(), next.clone())
                        });
                    }
                    Some(StepKind::HandOff(_)) => {
                        items.push((
                            i.t(Key::AssistantWriteTicket).to_owned(),
                            true,
                            Rc::new(to_person),
                        ));
                    }
                    // Answers and articles never wait; a step that vanished ends the run.
                    _ => start_over(&mut items),
                }
            }
        }
        view! {
            <div class="mo-chat-options" role="group" aria-label=move || i.t(Key::AssistantOptions)>
                {items.into_iter().map(|(label, primary, on)| view! {
                    <button type="button" class=if primary { "mo-button" } else { "mo-button mo-button-secondary" }
                        on:click=move |_| on()>{label}</button>
                }).collect_view()}
            </div>
        }
        .into_any()
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

/// What the visitor may answer now: a label, whether it is the main action, what it does.
type Choices = Vec<(String, bool, Rc<dyn Fn()>)>;

/// A form step: its fields, checked (required, e-mail) before the conversation goes on with
/// what the visitor filled in, one `label: value` line each.
fn form_step(
    i: I18n,
    fields: Vec<FormField>,
    text: impl Fn(&Texts) -> String + Copy + 'static,
    done: impl Fn(String) + 'static,
) -> AnyView {
    let values = RwSignal::new(vec![String::new(); fields.len()]);
    let error = RwSignal::new(None::<String>);
    let asked = fields.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vs: Vec<String> = values
            .get_untracked()
            .iter()
            .map(|v| v.trim().to_owned())
            .collect();
        for (f, v) in asked.iter().zip(&vs) {
            if f.required && v.is_empty() {
                error.set(Some(
                    i.tf(Key::ErrRequiredField, &[("field", &text(&f.label))]),
                ));
                return;
            }
            if f.kind == FormFieldKind::Email && !v.is_empty() && !is_email_address(v) {
                error.set(Some(i.tf(Key::ErrInvalidEmail, &[("value", v)])));
                return;
            }
        }
        let said: Vec<String> = asked
            .iter()
            .zip(&vs)
            .filter(|(_, v)| !v.is_empty())
            .map(|(f, v)| format!("{}: {v}", text(&f.label)))
            .collect();
        done(said.join("\n"));
    };
    view! {
        <form class="mo-form mo-chat-form" on:submit=submit novalidate=true>
            {fields.into_iter().enumerate().map(|(n, f)| {
                let id = format!("mo-chat-{}", f.key);
                let kind = match f.kind {
                    FormFieldKind::Email => "email",
                    _ => "text",
                };
                let input = move |ev| {
                    let v = event_target_value(&ev);
                    values.update(|vs| vs[n] = v);
                };
                // A long text is a textarea; the others one line.
                let control = if f.kind == FormFieldKind::LongText {
                    view! {
                        <textarea id=id.clone() class="mo-input mo-textarea" rows="3" required=f.required
                            aria-describedby="mo-chat-form-error" on:input=input></textarea>
                    }.into_any()
                } else {
                    view! {
                        <input id=id.clone() class="mo-input" required=f.required type=kind
                            aria-describedby="mo-chat-form-error" on:input=input />
                    }.into_any()
                };
                view! {
                    <div class="mo-field">
                        <label for=id>{text(&f.label)}</label>
                        {control}
                    </div>
                }
            }).collect_view()}
            <p id="mo-chat-form-error" class="mo-error" role="alert">{move || error.get()}</p>
            <button type="submit" class="mo-button">{move || i.t(Key::AssistantContinue)}</button>
        </form>
    }
    .into_any()
}

fn turn_view(i: I18n, turn: Turn, open_hit: impl Fn(ArticleId) + Copy + 'static) -> AnyView {
    match turn {
        // One shape for plain lines, whoever says them; the visitor's are marked for screen
        // readers, the assistant's need no prefix.
        Turn::Said(t) => line(i, t, false),
        Turn::Visitor(t) => line(i, t, true),
        // One shape for answers and articles: Markdown, under the article's title if any.
        Turn::Answer(body) => rich(None, body),
        Turn::Article { title, body } => rich(Some(title), body),
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
    }
}

fn line(i: I18n, text: String, visitor: bool) -> AnyView {
    view! {
        <p class=if visitor { "mo-chat-turn mo-chat-visitor" } else { "mo-chat-turn mo-chat-bot" }>
            {visitor.then(|| view! { <span class="mo-sr-only">{move || i.t(Key::AssistantYou)}": "</span> })}
            {text}
        </p>
    }
    .into_any()
}

fn rich(title: Option<String>, body: String) -> AnyView {
    view! {
        <div class="mo-chat-turn mo-chat-bot mo-chat-article">
            {title.map(|t| view! { <h3 class="mo-chat-article-title">{t}</h3> })}
            <Markdown source=body />
        </div>
    }
    .into_any()
}
