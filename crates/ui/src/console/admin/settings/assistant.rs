//! The assistant's flows in the settings: which are offered to visitors, and the editor — the
//! flow's name and start, each step with its texts per language and what it leads to, the
//! core's problems beside the step they are at, and a preview that walks the draft.

use leptos::prelude::*;
use mostrador_core::assistant::{
    Choice, Flow, FormField, FormFieldKind, HandOff, Problem, Step, StepKind, Texts,
};
use mostrador_core::config::Settings;
use mostrador_core::kb::ArticleId;
use mostrador_core::model::TicketType;

use super::{Form, heading, remove_button};
use crate::components::choice::ChoiceSelect;
use crate::components::field::{Check, LabelledField};
use crate::i18n::{I18n, Key, Lang, impact_key, type_key, urgency_key};
use crate::portal::assistant::Assistant;
use crate::services::desk::use_desk;
use crate::services::seed;

/// The kinds of step, in the order the editor offers them.
const KINDS: [(&str, Key); 6] = [
    ("question", Key::StepQuestion),
    ("answer", Key::StepAnswer),
    ("article", Key::StepArticle),
    ("check", Key::StepCheck),
    ("form", Key::StepForm),
    ("handoff", Key::StepHandOff),
];

fn kind_name(k: &StepKind) -> &'static str {
    match k {
        StepKind::Question { .. } => "question",
        StepKind::Answer { .. } => "answer",
        StepKind::Article { .. } => "article",
        StepKind::Check { .. } => "check",
        StepKind::Form { .. } => "form",
        StepKind::HandOff(_) => "handoff",
    }
}

/// The step's main text, whatever its kind (an article step has none).
fn text_of(k: &StepKind) -> Texts {
    match k {
        StepKind::Question { text, .. }
        | StepKind::Answer { text, .. }
        | StepKind::Check { text, .. }
        | StepKind::Form { text, .. } => text.clone(),
        StepKind::HandOff(h) => h.text.clone(),
        StepKind::Article { .. } => Texts::default(),
    }
}

fn text_mut(k: &mut StepKind) -> Option<&mut Texts> {
    match k {
        StepKind::Question { text, .. }
        | StepKind::Answer { text, .. }
        | StepKind::Check { text, .. }
        | StepKind::Form { text, .. } => Some(text),
        StepKind::HandOff(h) => Some(&mut h.text),
        StepKind::Article { .. } => None,
    }
}

/// A new step of `kind`, keeping `text`.
fn new_kind(kind: &str, text: Texts) -> StepKind {
    match kind {
        "answer" => StepKind::Answer { text, next: None },
        "article" => StepKind::Article {
            article: ArticleId(String::new()),
            translations: Default::default(),
            next: None,
        },
        "check" => StepKind::Check {
            text,
            unsolved: String::new(),
        },
        "form" => StepKind::Form {
            text,
            fields: vec![FormField {
                key: "order".into(),
                label: Texts::default(),
                kind: FormFieldKind::Text,
                required: true,
            }],
            next: String::new(),
        },
        "handoff" => StepKind::HandOff(HandOff {
            text,
            ticket_type: TicketType::Question,
            category: None,
            urgency: None,
            impact: None,
            tags: Vec::new(),
        }),
        _ => StepKind::Question {
            text,
            options: Vec::new(),
        },
    }
}

/// What a core problem says, in the interface's language.
fn problem_text(i: I18n, p: &Problem) -> String {
    match p {
        Problem::TooManyFlows => i.t(Key::BotTooManyFlows).to_owned(),
        Problem::DuplicateFlow => i.t(Key::BotDuplicateFlow).to_owned(),
        Problem::BadId => i.t(Key::BotBadId).to_owned(),
        Problem::NoName => i.t(Key::BotNoName).to_owned(),
        Problem::NoSteps => i.t(Key::BotNoSteps).to_owned(),
        Problem::TooManySteps => i.t(Key::BotTooManySteps).to_owned(),
        Problem::UnknownStart => i.t(Key::BotUnknownStart).to_owned(),
        Problem::DuplicateStep => i.t(Key::BotDuplicateStep).to_owned(),
        Problem::NoText => i.t(Key::BotNoText).to_owned(),
        Problem::TextTooLong => i.t(Key::BotTextTooLong).to_owned(),
        Problem::NoOptions => i.t(Key::BotNoOptions).to_owned(),
        Problem::TooManyOptions => i.t(Key::BotTooManyOptions).to_owned(),
        Problem::BlankOption => i.t(Key::BotBlankOption).to_owned(),
        Problem::UnknownTarget(t) if t.is_empty() => i.t(Key::BotNoTarget).to_owned(),
        Problem::UnknownTarget(t) => i.tf(Key::BotUnknownTarget, &[("step", t)]),
        Problem::Unreachable => i.t(Key::BotUnreachable).to_owned(),
        Problem::Loop => i.t(Key::BotLoop).to_owned(),
        Problem::CheckWithoutAnswer => i.t(Key::BotCheckWithoutAnswer).to_owned(),
        Problem::NoArticle => i.t(Key::BotNoArticle).to_owned(),
        Problem::BlankTranslation => i.t(Key::BotBlankTranslation).to_owned(),
        Problem::NoFields => i.t(Key::BotNoFields).to_owned(),
        Problem::TooManyFields => i.t(Key::BotTooManyFields).to_owned(),
        Problem::BadFieldKey(k) => i.tf(Key::BotBadFieldKey, &[("key", k)]),
        Problem::DuplicateField(k) => i.tf(Key::BotDuplicateField, &[("key", k)]),
        Problem::BlankLabel => i.t(Key::BotBlankLabel).to_owned(),
        Problem::BadTag(t) => i.tf(Key::BotBadTag, &[("tag", t)]),
        Problem::UnknownCategory(c) => i.tf(Key::BotUnknownCategory, &[("category", c)]),
    }
}

/// The language tags the help desk offers, one text input each.
fn langs(f: Form) -> Vec<String> {
    let l = f.draft.with_untracked(|s| s.profile.locales.clone());
    if l.is_empty() { vec!["es".into()] } else { l }
}

fn lang_name(tag: &str) -> String {
    Lang::from_tag(tag).map_or_else(|| tag.to_owned(), |l| l.native_name().to_owned())
}

fn flow_at(s: &mut Settings, k: usize) -> Option<&mut Flow> {
    s.domain.assistant.flows.get_mut(k)
}

fn step_at(s: &mut Settings, k: usize, j: usize) -> Option<&mut Step> {
    flow_at(s, k)?.steps.get_mut(j)
}

/// Where a [`Texts`] the editor changes lives: flow `k`, step `j`, option or field `o`.
type TextsAt = for<'a> fn(&'a mut Settings, usize, usize, usize) -> Option<&'a mut Texts>;

fn flow_name_at(s: &mut Settings, k: usize, _: usize, _: usize) -> Option<&mut Texts> {
    Some(&mut flow_at(s, k)?.name)
}

fn step_text_at(s: &mut Settings, k: usize, j: usize, _: usize) -> Option<&mut Texts> {
    text_mut(&mut step_at(s, k, j)?.kind)
}

fn option_at(s: &mut Settings, k: usize, j: usize, o: usize) -> Option<&mut Texts> {
    match &mut step_at(s, k, j)?.kind {
        StepKind::Question { options, .. } => Some(&mut options.get_mut(o)?.label),
        _ => None,
    }
}

fn field_label_at(s: &mut Settings, k: usize, j: usize, o: usize) -> Option<&mut Texts> {
    match &mut step_at(s, k, j)?.kind {
        StepKind::Form { fields, .. } => Some(&mut fields.get_mut(o)?.label),
        _ => None,
    }
}

/// One input per language for a [`Texts`].
fn texts_editor(
    f: Form,
    id: String,
    label: Key,
    value: Texts,
    multiline: bool,
    at: TextsAt,
    (k, j, o): (usize, usize, usize),
) -> impl IntoView {
    let i = f.i;
    langs(f)
        .into_iter()
        .map(|lang| {
            let input_id = format!("{id}-{lang}");
            let current = value.0.get(&lang).cloned().unwrap_or_default();
            let name = lang_name(&lang);
            let update = move |v: String| {
                let lang = lang.clone();
                f.edit(|s| {
                    if let Some(t) = at(s, k, j, o) {
                        t.0.insert(lang, v);
                    }
                });
            };
            let input = if multiline {
                view! {
                    <textarea id=input_id.clone() class="mo-input mo-textarea" rows="2"
                        prop:value=current on:input=move |ev| update(event_target_value(&ev))></textarea>
                }
                .into_any()
            } else {
                view! {
                    <input id=input_id.clone() class="mo-input" type="text"
                        prop:value=current on:input=move |ev| update(event_target_value(&ev)) />
                }
                .into_any()
            };
            let label = Signal::derive(move || format!("{} · {name}", i.t(label)));
            view! { <LabelledField id=input_id label=label>{input}</LabelledField> }
        })
        .collect_view()
}

/// For an article step, one select per language of the help desk: the article a visitor
/// reading that language gets instead of the step's own (only articles written in it).
fn article_translations(
    f: Form,
    id: &str,
    published: &[(String, String, String)],
    current: &std::collections::BTreeMap<String, ArticleId>,
    (k, j): (usize, usize),
) -> impl IntoView {
    let i = f.i;
    let fields = langs(f)
        .into_iter()
        .map(|lang| {
            let select_id = format!("{id}-article-{lang}");
            let name = lang_name(&lang);
            let primary = lang.split('-').next().unwrap_or(&lang).to_owned();
            let chosen = current.get(&lang).map(|a| a.0.clone()).unwrap_or_default();
            let options = published
                .iter()
                .filter(|(_, _, locale)| locale.split('-').next() == Some(primary.as_str()))
                .map(|(aid, title, _)| {
                    let selected = *aid == chosen;
                    view! { <option value=aid.clone() selected=selected>{title.clone()}</option> }
                })
                .collect_view();
            let set = move |v: String| {
                let lang = lang.clone();
                f.edit(|s| {
                    if let Some(StepKind::Article { translations, .. }) =
                        step_at(s, k, j).map(|st| &mut st.kind)
                    {
                        if v.is_empty() {
                            translations.remove(&lang);
                        } else {
                            translations.insert(lang, ArticleId(v));
                        }
                    }
                });
            };
            let label = Signal::derive(move || format!("{} · {name}", i.t(Key::BotArticle)));
            view! {
                <LabelledField id=select_id.clone() label=label>
                    <select id=select_id class="mo-select" on:change=move |ev| set(event_target_value(&ev))>
                        <option value="" selected=chosen.is_empty()>{i.text(Key::BotSameArticle)}</option>
                        {options}
                    </select>
                </LabelledField>
            }
        })
        .collect_view();
    view! {
        <fieldset class="mo-fieldset mo-bot-translations">
            <legend>{i.text(Key::BotArticleTranslations)}</legend>
            {fields}
        </fieldset>
    }
}

/// A select of the flow's steps: what an option, an answer, a check or a form leads to.
/// `optional` offers "(ends here)" for `None`.
#[allow(clippy::too_many_arguments)]
fn target_select(
    f: Form,
    id: String,
    label: Key,
    ids: Memo<Vec<String>>,
    current: impl Fn(&Settings) -> Option<String> + Copy + Send + Sync + 'static,
    optional: bool,
    set: impl Fn(&mut Step, Option<String>) + Copy + Send + Sync + 'static,
    (k, j): (usize, usize),
) -> impl IntoView {
    let i = f.i;
    let now = move || f.draft.with(current);
    view! {
        <LabelledField id=id.clone() label=label>
            <select id=id class="mo-select" on:change=move |ev| {
                let v = event_target_value(&ev);
                let v = (!v.is_empty()).then_some(v);
                f.edit(|s| {
                    if let Some(step) = step_at(s, k, j) {
                        set(step, v);
                    }
                });
            }>
                <option value="" selected=move || now().is_none_or(|c| c.is_empty())>
                    {i.text(if optional { Key::BotEndsHere } else { Key::BotChooseStep })}
                </option>
                {move || ids.get().into_iter().map(|sid| {
                    let (s2, label) = (sid.clone(), sid.clone());
                    view! { <option value=sid selected=move || now().as_deref() == Some(s2.as_str())>{label}</option> }
                }).collect_view()}
            </select>
        </LabelledField>
    }
}

/// The assistant's flows: which are offered to visitors, each one's editor and preview.
pub(super) fn assistant(f: Form) -> impl IntoView {
    let i = f.i;
    let len = Memo::new(move |_| f.draft.with(|s| s.domain.assistant.flows.len()));
    // The flow being previewed (one at a time), restarted whenever the counter moves.
    let preview = RwSignal::new(None::<(usize, u32, Flow)>);
    let has_sample = move || {
        f.draft
            .with(|s| s.domain.assistant.flow(&seed::sample_flow().id).is_some())
    };
    view! {
        {heading(i, Key::TabAssistant)}
        <p class="mo-hint">{i.text(Key::AssistantSettingsIntro)}</p>
        <Show when=move || len.get() == 0>
            <p>{i.text(Key::AssistantNoFlows)}</p>
        </Show>
        {move || (0..len.get()).map(|k| flow_editor(f, k, preview)).collect_view()}
        <div class="mo-actions">
            <button type="button" class="mo-button mo-button-secondary" on:click=move |_| f.edit(|s| {
                let lang = s.profile.locales.first().cloned().unwrap_or_else(|| "es".into());
                let n = s.domain.assistant.flows.len() + 1;
                s.domain.assistant.flows.push(Flow {
                    id: format!("flow-{n}"),
                    name: Texts::one(&lang, i.t(Key::BotNewFlow)),
                    enabled: false,
                    start: "start".into(),
                    steps: vec![Step {
                        id: "start".into(),
                        kind: new_kind("question", Texts::default()),
                    }],
                });
            })>
                {i.text(Key::BotAddFlow)}
            </button>
            <Show when=move || !has_sample()>
                <button type="button" class="mo-button mo-button-secondary" on:click=move |_| f.edit(|s| {
                    let lang = s.profile.locales.first().and_then(|l| Lang::from_tag(l)).unwrap_or(Lang::Es);
                    // The sample's hand-offs name the seeded categories, in this desk's language.
                    let mut seeded = seed::settings();
                    seed::localize(&mut seeded, lang);
                    s.domain.assistant.flows.extend(seeded.domain.assistant.flows);
                })>
                    {i.text(Key::AssistantAddSample)}
                </button>
            </Show>
        </div>
    }
}

fn flow_editor(f: Form, k: usize, preview: RwSignal<Option<(usize, u32, Flow)>>) -> impl IntoView {
    let i = f.i;
    let Some(flow) = f
        .draft
        .with_untracked(|s| s.domain.assistant.flows.get(k).cloned())
    else {
        return ().into_any();
    };
    let locales = f.draft.with_untracked(|s| s.profile.locales.clone());
    let title = flow
        .name
        .get(i.lang.get_untracked().tag(), &locales)
        .to_owned();
    let id = format!("mo-set-bot-{k}");
    let ids = Memo::new(move |_| {
        f.draft.with(|s| {
            s.domain
                .assistant
                .flows
                .get(k)
                .map(|fl| fl.steps.iter().map(|st| st.id.clone()).collect())
                .unwrap_or_default()
        })
    });
    let steps = Memo::new(move |_| ids.with(Vec::len));
    // The flow's own problems (not a step's), live.
    let flow_problems = move || {
        f.draft.with(|s| {
            s.domain
                .assistant
                .flows
                .get(k)
                .map(|fl| fl.problems(Some(&s.categories)))
                .unwrap_or_default()
                .into_iter()
                .filter(|p| p.step.is_none())
                .map(|p| problem_text(i, &p.problem))
                .collect::<Vec<_>>()
        })
    };
    let start_id = format!("{id}-start");
    view! {
        <fieldset class="mo-fieldset mo-settings-item mo-bot-flow" aria-describedby=format!("{id}-error {id}-problems")>
            <legend>{title.clone()}</legend>
            <Check label=Key::AssistantOffer checked=flow.enabled on_change=move |on| {
                f.edit(|s| {
                    if let Some(x) = flow_at(s, k) {
                        x.enabled = on;
                    }
                })
            } />
            {texts_editor(f, format!("{id}-name"), Key::BotFlowName, flow.name.clone(), false, flow_name_at, (k, 0, 0))}
            <LabelledField id=start_id.clone() label=Key::BotStart>
                <select id=start_id class="mo-select" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    f.edit(|s| {
                        if let Some(x) = flow_at(s, k) {
                            x.start = v;
                        }
                    });
                }>
                    {move || {
                        let start = f.draft.with(|s| s.domain.assistant.flows.get(k).map(|x| x.start.clone()).unwrap_or_default());
                        ids.get().into_iter().map(|sid| {
                            let selected = sid == start;
                            let label = sid.clone();
                            view! { <option value=sid selected=selected>{label}</option> }
                        }).collect_view()
                    }}
                </select>
            </LabelledField>
            <p class="mo-hint">{move || i.tf(Key::AssistantStepCount, &[("count", &steps.get().to_string())])}</p>
            <ul id=format!("{id}-problems") class="mo-bot-problems">
                {move || flow_problems().into_iter().map(|t| view! { <li class="mo-error">{t}</li> }).collect_view()}
            </ul>
            {f.error_view(&id)}
            <details class="mo-bot-steps">
                <summary>{move || i.tf(Key::BotSteps, &[("count", &steps.get().to_string())])}</summary>
                {move || (0..steps.get()).map(|j| step_editor(f, k, j, ids)).collect_view()}
                <button type="button" class="mo-button mo-button-secondary" on:click=move |_| f.edit(|s| {
                    if let Some(x) = flow_at(s, k) {
                        let mut n = x.steps.len() + 1;
                        while x.step(&format!("step-{n}")).is_some() {
                            n += 1;
                        }
                        x.steps.push(Step {
                            id: format!("step-{n}"),
                            kind: new_kind("answer", Texts::default()),
                        });
                    }
                })>
                    {i.text(Key::BotAddStep)}
                </button>
            </details>
            <div class="mo-actions">
                <button type="button" class="mo-button mo-button-secondary" on:click=move |_| {
                    let flow = f.draft.with_untracked(|s| s.domain.assistant.flows.get(k).cloned());
                    let n = preview.with_untracked(|p| p.as_ref().map_or(0, |p| p.1 + 1));
                    preview.set(flow.map(|fl| (k, n, fl)));
                }>
                    {move || if preview.with(|p| p.as_ref().is_some_and(|p| p.0 == k)) { i.t(Key::BotRestartPreview) } else { i.t(Key::BotPreview) }}
                </button>
                <Show when=move || preview.with(|p| p.as_ref().is_some_and(|p| p.0 == k))>
                    <button type="button" class="mo-button mo-button-secondary" on:click=move |_| preview.set(None)>
                        {i.text(Key::BotClosePreview)}
                    </button>
                </Show>
                {remove_button(i, title.clone(), move || {
                    preview.set(None);
                    f.edit(|s| {
                        if k < s.domain.assistant.flows.len() {
                            s.domain.assistant.flows.remove(k);
                        }
                    });
                })}
            </div>
            {move || preview.get().filter(|p| p.0 == k).map(|(_, _, fl)| view! {
                <section class="mo-bot-preview" aria-label=i.text(Key::BotPreview)>
                    <Assistant preview=fl />
                </section>
            })}
        </fieldset>
    }
    .into_any()
}

/// Renames step `from` to `to` in a flow, and every link to it.
fn rename_step(flow: &mut Flow, from: &str, to: &str) {
    let fix = |t: &mut String| {
        if t == from {
            *t = to.to_owned();
        }
    };
    if flow.start == from {
        flow.start = to.to_owned();
    }
    for st in &mut flow.steps {
        if st.id == from {
            st.id = to.to_owned();
        }
        match &mut st.kind {
            StepKind::Question { options, .. } => options.iter_mut().for_each(|o| fix(&mut o.next)),
            StepKind::Answer { next, .. } | StepKind::Article { next, .. } => {
                if let Some(n) = next {
                    fix(n);
                }
            }
            StepKind::Check { unsolved, .. } => fix(unsolved),
            StepKind::Form { next, .. } => fix(next),
            StepKind::HandOff(_) => {}
        }
    }
}

fn step_editor(f: Form, k: usize, j: usize, ids: Memo<Vec<String>>) -> impl IntoView {
    let i = f.i;
    let Some(step) = f.draft.with_untracked(|s| {
        s.domain
            .assistant
            .flows
            .get(k)
            .and_then(|fl| fl.steps.get(j))
            .cloned()
    }) else {
        return ().into_any();
    };
    let id = format!("mo-set-bot-{k}-step-{j}");
    let step_id = move || ids.with(|v| v.get(j).cloned().unwrap_or_default());
    let kind = Memo::new(move |_| {
        f.draft.with(|s| {
            s.domain
                .assistant
                .flows
                .get(k)
                .and_then(|fl| fl.steps.get(j))
                .map_or("question", |st| kind_name(&st.kind))
        })
    });
    // This step's problems, live, from the core's check of the whole flow.
    let problems = move || {
        let me = step_id();
        f.draft.with(|s| {
            s.domain
                .assistant
                .flows
                .get(k)
                .map(|fl| fl.problems(Some(&s.categories)))
                .unwrap_or_default()
                .into_iter()
                .filter(|p| p.step.as_deref() == Some(me.as_str()))
                .map(|p| problem_text(i, &p.problem))
                .collect::<Vec<_>>()
        })
    };
    let id_input = format!("{id}-id");
    let kind_input = format!("{id}-kind");
    let old_id = StoredValue::new(step.id.clone());
    let shown_id = step.id.clone();
    view! {
        <fieldset class="mo-fieldset mo-bot-step" aria-describedby=format!("{id}-problems")>
            <legend>{move || i.tf(Key::BotStepLegend, &[("number", &(j + 1).to_string()), ("id", &step_id())])}</legend>
            <div class="mo-row">
                <LabelledField id=id_input.clone() label=Key::BotStepId>
                    <input id=id_input class="mo-input" type="text" prop:value=shown_id
                        on:change=move |ev| {
                            let to = event_target_value(&ev).trim().to_owned();
                            let from = old_id.get_value();
                            if to != from {
                                f.edit(|s| {
                                    if let Some(fl) = flow_at(s, k) {
                                        // Only this step's links move: a duplicate id stays a problem to fix.
                                        let taken = fl.step(&to).is_some();
                                        if taken {
                                            if let Some(st) = fl.steps.get_mut(j) {
                                                st.id = to.clone();
                                            }
                                        } else {
                                            rename_step(fl, &from, &to);
                                        }
                                    }
                                });
                                old_id.set_value(to);
                            }
                        } />
                </LabelledField>
                <LabelledField id=kind_input.clone() label=Key::BotStepKind>
                    <select id=kind_input class="mo-select" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        f.edit(|s| {
                            if let Some(st) = step_at(s, k, j) {
                                st.kind = new_kind(&v, text_of(&st.kind));
                            }
                        });
                    }>
                        {KINDS.into_iter().map(|(name, key)| view! {
                            <option value=name selected=move || kind.get() == name>{i.text(key)}</option>
                        }).collect_view()}
                    </select>
                </LabelledField>
            </div>
            {move || {
                kind.track();
                step_body(f, k, j, ids)
            }}
            <ul id=format!("{id}-problems") class="mo-bot-problems" aria-label=i.text(Key::BotProblemsOf)>
                {move || problems().into_iter().map(|t| view! { <li class="mo-error">{t}</li> }).collect_view()}
            </ul>
            {remove_button(i, step.id.clone(), move || f.edit(|s| {
                if let Some(fl) = flow_at(s, k)
                    && j < fl.steps.len()
                {
                    fl.steps.remove(j);
                }
            }))}
        </fieldset>
    }
    .into_any()
}

/// The part of a step's editor that depends on its kind; rebuilt when the kind changes.
fn step_body(f: Form, k: usize, j: usize, ids: Memo<Vec<String>>) -> AnyView {
    let i = f.i;
    let Some(step) = f.draft.with_untracked(|s| {
        s.domain
            .assistant
            .flows
            .get(k)
            .and_then(|fl| fl.steps.get(j))
            .cloned()
    }) else {
        return ().into_any();
    };
    let id = format!("mo-set-bot-{k}-step-{j}");
    let kj = (k, j);
    let read = move |s: &Settings| {
        s.domain
            .assistant
            .flows
            .get(k)
            .and_then(|fl| fl.steps.get(j))
            .map(|st| st.kind.clone())
    };
    let text = (!matches!(step.kind, StepKind::Article { .. })).then(|| {
        texts_editor(
            f,
            format!("{id}-text"),
            Key::BotText,
            text_of(&step.kind),
            true,
            step_text_at,
            (k, j, 0),
        )
    });
    let body = match step.kind {
        StepKind::Question { options, .. } => {
            let count = Memo::new(move |_| {
                f.draft.with(|s| match read(s) {
                    Some(StepKind::Question { options, .. }) => options.len(),
                    _ => 0,
                })
            });
            let _ = options;
            view! {
                {move || (0..count.get()).map(|o| {
                    let label = f.draft.with_untracked(|s| match read(s) {
                        Some(StepKind::Question { options, .. }) => options.get(o).map(|c| c.label.clone()).unwrap_or_default(),
                        _ => Texts::default(),
                    });
                    view! {
                        <fieldset class="mo-fieldset mo-bot-option">
                            <legend>{move || i.tf(Key::BotOption, &[("number", &(o + 1).to_string())])}</legend>
                            {texts_editor(f, format!("{id}-opt-{o}"), Key::BotOptionLabel, label, false, option_at, (k, j, o))}
                            {target_select(f, format!("{id}-opt-{o}-next"), Key::BotGoesTo, ids,
                                move |s| match read(s) {
                                    Some(StepKind::Question { options, .. }) => options.get(o).map(|c| c.next.clone()),
                                    _ => None,
                                },
                                false,
                                move |st, v| if let StepKind::Question { options, .. } = &mut st.kind
                                    && let Some(c) = options.get_mut(o)
                                {
                                    c.next = v.unwrap_or_default();
                                },
                                kj)}
                            {remove_button(i, i.tf(Key::BotOption, &[("number", &(o + 1).to_string())]), move || f.edit(|s| {
                                if let Some(StepKind::Question { options, .. }) = step_at(s, k, j).map(|st| &mut st.kind)
                                    && o < options.len()
                                {
                                    options.remove(o);
                                }
                            }))}
                        </fieldset>
                    }
                }).collect_view()}
                <button type="button" class="mo-button mo-button-secondary" on:click=move |_| f.edit(|s| {
                    if let Some(StepKind::Question { options, .. }) = step_at(s, k, j).map(|st| &mut st.kind) {
                        options.push(Choice { label: Texts::default(), next: String::new() });
                    }
                })>{i.text(Key::BotAddOption)}</button>
            }
            .into_any()
        }
        StepKind::Answer { .. } => target_select(
            f,
            format!("{id}-next"),
            Key::BotThenTo,
            ids,
            move |s| match read(s) {
                Some(StepKind::Answer { next, .. }) => next,
                _ => None,
            },
            true,
            move |st, v| {
                if let StepKind::Answer { next, .. } = &mut st.kind {
                    *next = v;
                }
            },
            kj,
        )
        .into_any(),
        StepKind::Article {
            article,
            translations,
            ..
        } => {
            let published: Vec<(String, String, String)> = use_desk()
                .kb()
                .articles()
                .filter(|a| a.published)
                .map(|a| (a.id.0.clone(), a.title.clone(), a.locale.clone()))
                .collect();
            let articles: Vec<(String, String)> = published
                .iter()
                .map(|(id, title, locale)| (id.clone(), format!("{title} ({locale})")))
                .collect();
            let chosen = article.0.clone();
            let aid = format!("{id}-article");
            let others = article_translations(f, &id, &published, &translations, (k, j));
            view! {
                <LabelledField id=aid.clone() label=Key::BotArticle>
                    <select id=aid class="mo-select" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        f.edit(|s| {
                            if let Some(StepKind::Article { article, .. }) = step_at(s, k, j).map(|st| &mut st.kind) {
                                *article = ArticleId(v);
                            }
                        });
                    }>
                        <option value="" selected=chosen.is_empty()>{i.text(Key::BotChooseArticle)}</option>
                        {articles.into_iter().map(|(aid, title)| {
                            let selected = aid == chosen;
                            view! { <option value=aid selected=selected>{title}</option> }
                        }).collect_view()}
                    </select>
                </LabelledField>
                {others}
                {target_select(f, format!("{id}-next"), Key::BotThenTo, ids,
                    move |s| match read(s) {
                        Some(StepKind::Article { next, .. }) => next,
                        _ => None,
                    },
                    true,
                    move |st, v| if let StepKind::Article { next, .. } = &mut st.kind {
                        *next = v;
                    },
                    kj)}
            }
            .into_any()
        }
        StepKind::Check { .. } => target_select(
            f,
            format!("{id}-next"),
            Key::BotIfNotSolved,
            ids,
            move |s| match read(s) {
                Some(StepKind::Check { unsolved, .. }) => Some(unsolved),
                _ => None,
            },
            false,
            move |st, v| {
                if let StepKind::Check { unsolved, .. } = &mut st.kind {
                    *unsolved = v.unwrap_or_default();
                }
            },
            kj,
        )
        .into_any(),
        StepKind::Form { .. } => {
            let count = Memo::new(move |_| {
                f.draft.with(|s| match read(s) {
                    Some(StepKind::Form { fields, .. }) => fields.len(),
                    _ => 0,
                })
            });
            view! {
                {move || (0..count.get()).map(|o| field_editor(f, k, j, o)).collect_view()}
                <button type="button" class="mo-button mo-button-secondary" on:click=move |_| f.edit(|s| {
                    if let Some(StepKind::Form { fields, .. }) = step_at(s, k, j).map(|st| &mut st.kind) {
                        let n = fields.len() + 1;
                        fields.push(FormField {
                            key: format!("field_{n}"),
                            label: Texts::default(),
                            kind: FormFieldKind::Text,
                            required: false,
                        });
                    }
                })>{i.text(Key::BotAddField)}</button>
                {target_select(f, format!("{id}-next"), Key::BotThenTo, ids,
                    move |s| match read(s) {
                        Some(StepKind::Form { next, .. }) => Some(next),
                        _ => None,
                    },
                    false,
                    move |st, v| if let StepKind::Form { next, .. } = &mut st.kind {
                        *next = v.unwrap_or_default();
                    },
                    kj)}
            }
            .into_any()
        }
        StepKind::HandOff(h) => handoff_editor(f, k, j, h).into_any(),
    };
    view! { {text} {body} }.into_any()
}

fn field_editor(f: Form, k: usize, j: usize, o: usize) -> impl IntoView {
    let i = f.i;
    let Some(field) = f.draft.with_untracked(|s| {
        match s
            .domain
            .assistant
            .flows
            .get(k)
            .and_then(|fl| fl.steps.get(j))
            .map(|st| &st.kind)
        {
            Some(StepKind::Form { fields, .. }) => fields.get(o).cloned(),
            _ => None,
        }
    }) else {
        return ().into_any();
    };
    let edit = move |g: Box<dyn FnOnce(&mut FormField)>| {
        f.edit(|s| {
            if let Some(StepKind::Form { fields, .. }) = step_at(s, k, j).map(|st| &mut st.kind)
                && let Some(x) = fields.get_mut(o)
            {
                g(x);
            }
        })
    };
    let id = format!("mo-set-bot-{k}-step-{j}-field-{o}");
    let (key_id, kind_id) = (format!("{id}-key"), format!("{id}-kind"));
    let kinds = [
        (FormFieldKind::Text, "text", Key::BotFieldText),
        (FormFieldKind::LongText, "long_text", Key::BotFieldLongText),
        (FormFieldKind::Email, "email", Key::BotFieldEmail),
    ];
    let current = field.kind;
    view! {
        <fieldset class="mo-fieldset mo-bot-option">
            <legend>{move || i.tf(Key::BotField, &[("number", &(o + 1).to_string())])}</legend>
            <div class="mo-row">
                <LabelledField id=key_id.clone() label=Key::BotFieldKey>
                    <input id=key_id class="mo-input" type="text" prop:value=field.key.clone()
                        on:input=move |ev| {
                            let v = event_target_value(&ev).trim().to_owned();
                            edit(Box::new(move |x| x.key = v));
                        } />
                </LabelledField>
                <LabelledField id=kind_id.clone() label=Key::BotFieldKind>
                    <select id=kind_id class="mo-select" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some((kind, _, _)) = kinds.iter().find(|(_, n, _)| *n == v) {
                            let kind = *kind;
                            edit(Box::new(move |x| x.kind = kind));
                        }
                    }>
                        {kinds.into_iter().map(|(kind, name, key)| view! {
                            <option value=name selected=kind == current>{i.text(key)}</option>
                        }).collect_view()}
                    </select>
                </LabelledField>
            </div>
            {texts_editor(f, format!("{id}-label"), Key::BotFieldLabel, field.label.clone(), false, field_label_at, (k, j, o))}
            <Check label=Key::BotFieldRequired checked=field.required
                on_change=move |on| edit(Box::new(move |x| x.required = on)) />
            {remove_button(i, i.tf(Key::BotField, &[("number", &(o + 1).to_string())]), move || f.edit(|s| {
                if let Some(StepKind::Form { fields, .. }) = step_at(s, k, j).map(|st| &mut st.kind)
                    && o < fields.len()
                {
                    fields.remove(o);
                }
            }))}
        </fieldset>
    }
    .into_any()
}

/// How the ticket a hand-off opens is set up: type, category, urgency, impact, tags.
fn handoff_editor(f: Form, k: usize, j: usize, h: HandOff) -> impl IntoView {
    let i = f.i;
    let edit = move |g: Box<dyn FnOnce(&mut HandOff)>| {
        f.edit(|s| {
            if let Some(StepKind::HandOff(x)) = step_at(s, k, j).map(|st| &mut st.kind) {
                g(x);
            }
        })
    };
    let id = format!("mo-set-bot-{k}-step-{j}");
    let (type_id, urgency_id, impact_id, tags_id) = (
        format!("{id}-type"),
        format!("{id}-urgency"),
        format!("{id}-impact"),
        format!("{id}-tags"),
    );
    let categories = f.draft.with_untracked(|s| s.categories.clone());
    let (ty, cat, urg, imp) = (
        h.ticket_type,
        h.category.clone().unwrap_or_default(),
        h.urgency,
        h.impact,
    );
    view! {
        <div class="mo-row">
            <LabelledField id=type_id.clone() label=Key::TicketTypeLabel>
                <ChoiceSelect id=type_id label=type_key value=move || Some(ty)
                    on_pick=move |t| if let Some(t) = t { edit(Box::new(move |x| x.ticket_type = t)) } />
            </LabelledField>
            <LabelledField id=format!("{id}-category") label=Key::Category>
                <select id=format!("{id}-category") class="mo-select" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit(Box::new(move |x| x.category = (!v.is_empty()).then_some(v)));
                }>
                    <option value="" selected=cat.is_empty()>{i.text(Key::NoCategory)}</option>
                    {categories.into_iter().map(|c| {
                        let selected = c == cat;
                        view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                    }).collect_view()}
                </select>
            </LabelledField>
        </div>
        <div class="mo-row">
            <LabelledField id=urgency_id.clone() label=Key::Urgency>
                <ChoiceSelect id=urgency_id label=urgency_key none=Key::NotSet value=move || urg
                    on_pick=move |u| edit(Box::new(move |x| x.urgency = u)) />
            </LabelledField>
            <LabelledField id=impact_id.clone() label=Key::Impact>
                <ChoiceSelect id=impact_id label=impact_key none=Key::NotSet value=move || imp
                    on_pick=move |m| edit(Box::new(move |x| x.impact = m)) />
            </LabelledField>
        </div>
        <LabelledField id=tags_id.clone() label=Key::BotHandOffTags>
            <input id=tags_id class="mo-input" type="text" prop:value=h.tags.join(", ")
                on:change=move |ev| {
                    // Tags as tickets keep them: lower case, words joined by "-".
                    let tags: Vec<String> = event_target_value(&ev)
                        .split(',')
                        .map(|t| mostrador_core::validate::tag(t).unwrap_or_else(|_| t.trim().to_owned()))
                        .filter(|t| !t.is_empty())
                        .collect();
                    edit(Box::new(move |x| x.tags = tags));
                } />
        </LabelledField>
    }
}
