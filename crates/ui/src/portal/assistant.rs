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

use crate::components::field::{FieldLayout, LabelledField};
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
    let previewing = preview.is_some();
    let talk = Talk {
        i: use_i18n(),
        desk: StoredValue::new_local(use_desk()),
        chat: if previewing {
            Chat::new()
        } else {
            expect_context::<Chat>()
        },
        preview: StoredValue::new(preview),
        previewing,
        drafts: use_context::<Drafts>().map(|d| d.0),
        page: use_context::<PortalNav>().map(|n| n.0),
        controls: NodeRef::new(),
    };
    if talk.chat.turns.with_untracked(Vec::is_empty) {
        talk.start();
    }
    let i = talk.i;
    view! {
        <section class="mo-panel mo-chat" aria-labelledby="mo-chat-title">
            <h2 id="mo-chat-title" class="mo-subtitle">{i.text(Key::AssistantTitle)}</h2>
            {chat_log(talk)}
            <div class="mo-chat-controls" node_ref=talk.controls>
                {move || step_controls(talk)}
            </div>
            {question_box(talk)}
            <p class="mo-chat-person">
                <button type="button" class="mo-link" on:click=move |_| talk.to_person()>
                    {i.text(Key::AssistantTalkToPerson)}
                </button>
            </p>
        </section>
    }
}

/// What every part of the conversation works with: its state, the flows it walks, where a
/// hand-off goes and the controls that take focus. Copied into each part.
#[derive(Clone, Copy)]
struct Talk {
    i: I18n,
    desk: StoredValue<Rc<Desk>, LocalStorage>,
    chat: Chat,
    /// The editor's drafted flow, walked instead of the help desk's.
    preview: StoredValue<Option<Flow>>,
    /// In the editor's preview: nothing is recorded and no ticket opens.
    previewing: bool,
    /// Where a hand-off leaves its draft and which page it opens (the portal's; none in the
    /// editor).
    drafts: Option<RwSignal<Option<HandOffDraft>>>,
    page: Option<RwSignal<PortalPage>>,
    /// What the assistant asks now: the options, or a form step.
    controls: NodeRef<leptos::html::Div>,
}

impl Talk {
    /// The flows this conversation walks: the drafted one, or the help desk's enabled flows.
    fn source(self) -> AssistantSettings {
        match self.preview.get_value() {
            Some(f) => AssistantSettings { flows: vec![f] },
            None => self
                .desk
                .with_value(|d| d.settings().domain.assistant.for_customer()),
        }
    }

    fn lang(self) -> String {
        self.i.lang.get_untracked().tag().to_owned()
    }

    /// A flow's text in the visitor's language (or the shop's first that has it).
    fn text(self, t: &Texts) -> String {
        let locales = self.desk.with_value(|d| d.settings().profile.locales);
        t.get(&self.lang(), &locales).to_owned()
    }

    fn record(self, flow: &str, run: &str, step: &str, kind: RecordKind) {
        if self.previewing {
            return;
        }
        let r = Record {
            run: run.to_owned(),
            flow: flow.to_owned(),
            step: step.to_owned(),
            at: now(),
            kind,
        };
        let d = self.desk.get_value();
        spawn_local(async move { d.record_assistant(r).await });
    }

    fn say(self, t: Turn) {
        self.chat.turns.update(|ts| ts.push(t));
    }

    fn say_key(self, key: Key) {
        self.say(Turn::Said(self.i.t(key).to_owned()));
    }

    /// Moves focus to the first control of what the assistant now asks: the button the visitor
    /// pressed is gone, and keyboard and screen-reader users continue from there.
    fn focus_controls(self) {
        request_animation_frame(move || {
            if let Some(el) = self.controls.get_untracked()
                && let Ok(Some(first)) = el.query_selector("button, input, textarea")
                && let Ok(first) = first.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = first.focus();
            }
        });
    }

    /// Enters a step: says what it says, records it, and continues through answers that lead on.
    fn enter(self, flow: String, run: String, step_id: String) {
        let (i, chat) = (self.i, self.chat);
        let mut step_id = step_id;
        // Bounded: a valid flow has no loops, and a stored one is walked at most this far.
        for _ in 0..mostrador_core::assistant::MAX_STEPS {
            let f = self.source().flow(&flow).cloned();
            let Some(step) = f.as_ref().and_then(|f| f.step(&step_id)).cloned() else {
                self.say_key(Key::AssistantLost);
                chat.phase.set(Phase::Ended);
                return;
            };
            self.record(&flow, &run, &step.id, RecordKind::Reached);
            let next = match &step.kind {
                StepKind::Question { text: t, .. }
                | StepKind::Check { text: t, .. }
                | StepKind::Form { text: t, .. } => {
                    self.say(Turn::Said(self.text(t)));
                    None
                }
                StepKind::HandOff(h) => {
                    self.say(Turn::Said(self.text(&h.text)));
                    self.record(&flow, &run, &step.id, RecordKind::HandedOff);
                    None
                }
                StepKind::Answer { text: t, next } => {
                    self.say(Turn::Answer(self.text(t)));
                    self.record(&flow, &run, &step.id, RecordKind::Answered);
                    Some(next.clone())
                }
                StepKind::Article { next, .. } => {
                    let lang = i.lang.get_untracked().tag();
                    let shown = self.desk.with_value(|d| {
                        step.kind
                            .articles_for(lang)
                            .into_iter()
                            .find_map(|id| d.kb().get(id).filter(|a| a.published).cloned())
                    });
                    match shown {
                        Some(a) => {
                            self.say(Turn::Article {
                                title: a.title,
                                body: a.body,
                            });
                            self.record(&flow, &run, &step.id, RecordKind::Answered);
                        }
                        _ => self.say_key(Key::AssistantArticleGone),
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
    }

    fn start_flow(self, f: &Flow) {
        let run = random_hex(8);
        self.chat.last_run.set(Some((f.id.clone(), run.clone())));
        self.enter(f.id.clone(), run, f.start.clone());
    }

    /// From the beginning: the one flow, or the choice among several.
    fn start(self) {
        self.chat.turns.set(Vec::new());
        let all = self.source().flows;
        match all.as_slice() {
            [] => self.chat.phase.set(Phase::Ended),
            [one] => self.start_flow(one),
            _ => {
                self.say_key(Key::AssistantPickFlow);
                self.chat.phase.set(Phase::Menu);
            }
        }
    }

    /// The visitor's answer, said, and the step it leads to.
    fn choose(self, label: String, flow: String, run: String, next: String) {
        self.say(Turn::Visitor(label));
        self.enter(flow, run, next);
        self.focus_controls();
    }

    /// The transcript of the conversation so far, in the visitor's language.
    fn transcript_text(self) -> String {
        let i = self.i;
        let lines: Vec<Line> = self
            .chat
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
    }

    /// To the ticket form: with the hand-off's set-up when the conversation is at one.
    fn to_person(self) {
        let (i, chat) = (self.i, self.chat);
        let mut draft = HandOffDraft {
            transcript: self.transcript_text(),
            run: chat.last_run.get_untracked().map(|(_, r)| r),
            ..HandOffDraft::default()
        };
        if let Phase::At { flow, step, .. } = chat.phase.get_untracked() {
            let r = HandOffRef { flow, step };
            if let Some(h) = self.source().handoff(&r).cloned() {
                draft.ticket_type = Some(h.ticket_type);
                draft.category = h.category;
                draft.urgency = h.urgency;
                draft.impact = h.impact;
                draft.tags = h.tags;
                draft.handoff = Some(r);
            }
        }
        match (self.drafts, self.page) {
            (Some(drafts), Some(page)) if !self.previewing => {
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
                self.say(Turn::Said(i.tf(
                    Key::AssistantPreviewHandOff,
                    &[
                        ("type", &kind),
                        ("category", &category),
                        ("tags", &draft.tags.join(", ")),
                    ],
                )));
            }
        }
    }

    /// Free text at any point: the knowledge base's best matches, in the visitor's language.
    fn ask(self, question: String) {
        let q = question.trim().to_owned();
        if q.is_empty() {
            return;
        }
        self.say(Turn::Visitor(q.clone()));
        let hits: Vec<(ArticleId, String)> = self.desk.with_value(|d| {
            d.kb()
                .search_articles(&q, Some(&self.lang()), false)
                .into_iter()
                .take(3)
                .map(|h| (h.article.id.clone(), h.article.title.clone()))
                .collect()
        });
        if hits.is_empty() {
            self.say_key(Key::AssistantNothingFound);
        } else {
            self.say_key(Key::AssistantFound);
            self.say(Turn::Hits(hits));
        }
    }

    /// A search hit, opened in the conversation (a view of a suggestion).
    fn open_hit(self, id: ArticleId) {
        if let Some(a) = self.desk.with_value(|d| d.kb().get(&id).cloned()) {
            self.say(Turn::Visitor(a.title.clone()));
            self.say(Turn::Article {
                title: a.title,
                body: a.body,
            });
            let d = self.desk.get_value();
            spawn_local(async move {
                d.record_deflection(Deflection {
                    article_id: id,
                    at: now(),
                    outcome: DeflectionOutcome::Viewed,
                })
                .await;
            });
        }
    }
}

/// The conversation so far: a polite log, one entry a turn.
fn chat_log(talk: Talk) -> impl IntoView {
    view! {
        <div class="mo-chat-log" role="log" aria-live="polite" aria-labelledby="mo-chat-title">
            <For
                each=move || talk.chat.turns.get().into_iter().enumerate()
                key=|(n, _)| *n
                let:item
            >
                {turn_view(talk, item.1)}
            </For>
        </div>
    }
}

/// What the visitor may answer now: a row of options (or a form step's fields).
fn step_controls(talk: Talk) -> AnyView {
    let i = talk.i;
    let mut items: Choices = Vec::new();
    let start_over = |items: &mut Choices| {
        items.push((
            i.t(Key::AssistantStartOver).to_owned(),
            false,
            Rc::new(move || {
                talk.start();
                talk.focus_controls();
            }),
        ));
    };
    match talk.chat.phase.get() {
        Phase::Menu => {
            for f in talk.source().flows {
                let name = talk.text(&f.name);
                let said = name.clone();
                items.push((
                    name,
                    false,
                    Rc::new(move || {
                        talk.say(Turn::Visitor(said.clone()));
                        talk.start_flow(&f);
                        talk.focus_controls();
                    }),
                ));
            }
        }
        Phase::Ended => start_over(&mut items),
        Phase::At { flow, step, run } => {
            let s: Option<Step> = talk
                .source()
                .flow(&flow)
                .and_then(|f| f.step(&step).cloned());
            match s.map(|s| s.kind) {
                Some(StepKind::Question { options, .. }) => {
                    for o in options {
                        let label = talk.text(&o.label);
                        let (said, flow, run) = (label.clone(), flow.clone(), run.clone());
                        items.push((
                            label,
                            false,
                            Rc::new(move || {
                                talk.choose(said.clone(), flow.clone(), run.clone(), o.next.clone())
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
                            talk.say(Turn::Visitor(i.t(Key::AssistantYesSolved).to_owned()));
                            talk.record(&f2, &r2, &s2, RecordKind::Solved);
                            talk.say_key(Key::AssistantGlad);
                            talk.chat.phase.set(Phase::Ended);
                            talk.focus_controls();
                        }),
                    ));
                    items.push((
                        i.t(Key::AssistantNotSolved).to_owned(),
                        false,
                        Rc::new(move || {
                            talk.choose(
                                i.t(Key::AssistantNotSolved).to_owned(),
                                flow.clone(),
                                run.clone(),
                                unsolved.clone(),
                            )
                        }),
                    ));
                }
                Some(StepKind::Form { fields, next, .. }) => {
                    return form_step(talk, fields, move |said| {
                        talk.choose(said, flow.clone(), run.clone(), next.clone())
                    });
                }
                Some(StepKind::HandOff(_)) => {
                    items.push((
                        i.t(Key::AssistantWriteTicket).to_owned(),
                        true,
                        Rc::new(move || talk.to_person()),
                    ));
                }
                // Answers and articles never wait; a step that vanished ends the run.
                _ => start_over(&mut items),
            }
        }
    }
    view! {
        <div class="mo-chat-options" role="group" aria-label=i.text(Key::AssistantOptions)>
            {items.into_iter().map(|(label, primary, on)| view! {
                <button type="button" class=if primary { "mo-button" } else { "mo-button mo-button-secondary" }
                    on:click=move |_| on()>{label}</button>
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// The free-text question, searched in the knowledge base at any point of the conversation.
fn question_box(talk: Talk) -> impl IntoView {
    let i = talk.i;
    let question = RwSignal::new(String::new());
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = question.get_untracked();
        if q.trim().is_empty() {
            return;
        }
        question.set(String::new());
        talk.ask(q);
    };
    view! {
        <form class="mo-chat-ask" on:submit=ask>
            <LabelledField id="mo-chat-question" label=Key::AssistantAsk layout=FieldLayout::Unseen>
                <input
                    id="mo-chat-question"
                    class="mo-input"
                    type="text"
                    autocomplete="off"
                    placeholder=i.text(Key::AssistantAsk)
                    prop:value=move || question.get()
                    on:input=move |ev| question.set(event_target_value(&ev))
                />
            </LabelledField>
            <button type="submit" class="mo-button mo-button-secondary">{i.text(Key::AssistantSearch)}</button>
        </form>
    }
}

/// What the visitor may answer now: a label, whether it is the main action, what it does.
type Choices = Vec<(String, bool, Rc<dyn Fn()>)>;

/// A form step: its fields, checked (required, e-mail) before the conversation goes on with
/// what the visitor filled in, one `label: value` line each.
fn form_step(talk: Talk, fields: Vec<FormField>, done: impl Fn(String) + 'static) -> AnyView {
    let i = talk.i;
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
                    i.tf(Key::ErrRequiredField, &[("field", &talk.text(&f.label))]),
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
            .map(|(f, v)| format!("{}: {v}", talk.text(&f.label)))
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
                // A long text is a textarea; the others one line. The step's one error line
                // below describes them all.
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
                    <LabelledField id=id label=talk.text(&f.label)>
                        {control}
                    </LabelledField>
                }
            }).collect_view()}
            <p id="mo-chat-form-error" class="mo-error" role="alert">{move || error.get()}</p>
            <button type="submit" class="mo-button">{i.text(Key::AssistantContinue)}</button>
        </form>
    }
    .into_any()
}

/// One turn of the log.
fn turn_view(talk: Talk, turn: Turn) -> AnyView {
    let i = talk.i;
    match turn {
        // One shape for plain lines, whoever says them; the visitor's are marked for screen
        // readers, the assistant's need no prefix.
        Turn::Said(t) => line(i, t, false),
        Turn::Visitor(t) => line(i, t, true),
        // One shape for answers and articles: Markdown, under the article's title if any.
        Turn::Answer(body) => rich(None, body),
        Turn::Article { title, body } => rich(Some(title), body),
        Turn::Hits(hits) => view! {
            <ul class="mo-chat-turn mo-chat-bot mo-chat-hits" aria-label=i.text(Key::AssistantFound)>
                {hits.into_iter().map(|(id, title)| view! {
                    <li>
                        <button type="button" class="mo-link" on:click=move |_| talk.open_hit(id.clone())>{title}</button>
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
            {visitor.then(|| view! { <span class="mo-sr-only">{i.text(Key::AssistantYou)}": "</span> })}
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
