//! The self-service assistant: guided answers before a ticket.
//!
//! Admins write **flows**: a tree of [`Step`]s (a question with options, a short answer, a
//! knowledge-base article, a "did this solve it?" check, a form, a hand-off to a person). A
//! visitor walks one in the portal; the assistant either answers (and the visitor says it solved
//! it, or leaves) or hands off, and the hand-off opens a ticket with the type, category,
//! priority hints and tags that the path set, the conversation's transcript in its description.
//!
//! Flows are ticket rules ([`crate::settings::DomainSettings::assistant`]): a hand-off decides how
//! a customer's ticket opens, so the flows travel with the rules every device decides with and
//! the server checks against. A customer may set tags or an impact on a new ticket only as the
//! hand-off it names sets them ([`AssistantSettings::allows`]).
//!
//! A flow is checked whole ([`Flow::problems`]): no step points at a missing step, every step
//! is reachable from the start, no path loops, and so every path ends in an answer, an article,
//! a solved check or a hand-off. Each problem names its step, so the editor shows it there.
//!
//! What visitors do is recorded anonymously ([`Record`]: a random run id, the flow, the step and
//! what happened; no text the visitor typed) and counted per flow and per step ([`stats`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::Permission;
use crate::kb::ArticleId;
use crate::model::{Impact, TicketType, Timestamp, Urgency};

/// Most flows a help desk keeps.
pub const MAX_FLOWS: usize = 20;
/// Most steps in one flow.
pub const MAX_STEPS: usize = 100;
/// Most options one question offers.
pub const MAX_OPTIONS: usize = 8;
/// Most fields one form step asks.
pub const MAX_FIELDS: usize = 6;
/// Longest text of a step, an option or a field label, in characters (per language).
pub const MAX_TEXT_CHARS: usize = 2_000;

/// A text in the help desk's languages: language tag → text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Texts(pub BTreeMap<String, String>);

impl Texts {
    /// One text in one language.
    pub fn one(lang: &str, text: &str) -> Texts {
        Texts(BTreeMap::from([(lang.to_owned(), text.to_owned())]))
    }

    /// The same text in es, en and pt (in that order): for sample data and tests.
    pub fn es_en_pt(es: &str, en: &str, pt: &str) -> Texts {
        Texts(BTreeMap::from([
            ("es".to_owned(), es.to_owned()),
            ("en".to_owned(), en.to_owned()),
            ("pt".to_owned(), pt.to_owned()),
        ]))
    }

    /// The text to show a visitor reading `lang`: that language, else its primary language
    /// (`pt-BR` → `pt`), else the first of `fallbacks` (the help desk's languages, default
    /// first) that has one, else any. Empty when there is no text at all.
    pub fn get<'a>(&'a self, lang: &str, fallbacks: &[String]) -> &'a str {
        let present = |l: &str| self.0.get(l).map(String::as_str).filter(|t| !t.is_empty());
        let primary = lang.split('-').next().unwrap_or(lang);
        present(lang)
            .or_else(|| present(primary))
            .or_else(|| fallbacks.iter().find_map(|l| present(l)))
            .or_else(|| self.0.values().map(String::as_str).find(|t| !t.is_empty()))
            .unwrap_or("")
    }

    /// Whether no language has a text.
    pub fn is_blank(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }

    fn too_long(&self) -> bool {
        self.0.values().any(|t| t.chars().count() > MAX_TEXT_CHARS)
    }
}

/// Every flow of the help desk.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssistantSettings {
    pub flows: Vec<Flow>,
}

/// One guided conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// Letters, digits, `-` and `_`; fixed once visitors have used it (records name it).
    pub id: String,
    /// What the visitor picks when the help desk offers several flows.
    pub name: Texts,
    /// Only enabled flows reach the portal.
    #[serde(default)]
    pub enabled: bool,
    /// The step the conversation starts with.
    pub start: String,
    pub steps: Vec<Step>,
}

/// One step of a [`Flow`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Letters, digits, `-` and `_`, unique in its flow.
    pub id: String,
    pub kind: StepKind,
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A question; each option leads to a step.
    Question { text: Texts, options: Vec<Choice> },
    /// A short answer in Markdown; the conversation ends here unless `next` is set (usually a
    /// check).
    Answer {
        text: Texts,
        #[serde(default)]
        next: Option<String>,
    },
    /// A knowledge-base article, shown as the answer; ends here unless `next` is set.
    Article {
        article: ArticleId,
        /// The same answer written for readers of other languages: language tag → article.
        /// A visitor reading none of them gets `article` (see [`StepKind::articles_for`]).
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        translations: BTreeMap<String, ArticleId>,
        #[serde(default)]
        next: Option<String>,
    },
    /// "Did this solve it?": yes ends the conversation solved, no goes to `unsolved`. Comes
    /// right after an answer or an article.
    Check { text: Texts, unsolved: String },
    /// Asks a few fields; their values go into the ticket a later hand-off opens.
    Form {
        text: Texts,
        fields: Vec<FormField>,
        next: String,
    },
    /// Ends the conversation with a person: the visitor opens a ticket set up as this says.
    HandOff(HandOff),
}

impl StepKind {
    /// For an article step, the articles to show a visitor reading `lang`, best first: the
    /// translation for that language, else for its primary language (`pt-BR` → `pt`), then the
    /// step's own article (shown when the translation was deleted or unpublished). Empty for
    /// other steps.
    pub fn articles_for(&self, lang: &str) -> Vec<&ArticleId> {
        let StepKind::Article {
            article,
            translations,
            ..
        } = self
        else {
            return Vec::new();
        };
        let primary = lang.split('-').next().unwrap_or(lang);
        let translated = translations
            .get(lang)
            .or_else(|| translations.get(primary))
            .filter(|t| *t != article);
        translated.into_iter().chain([article]).collect()
    }
}

/// An option of a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub label: Texts,
    pub next: String,
}

/// A field of a form step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormField {
    /// Lowercase letters, digits and `_`, starting with a letter. A key that is also a custom
    /// field's key fills that field of the ticket.
    pub key: String,
    pub label: Texts,
    pub kind: FormFieldKind,
    #[serde(default)]
    pub required: bool,
}

/// What a form field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormFieldKind {
    Text,
    LongText,
    Email,
}

/// How the ticket a hand-off opens is set up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandOff {
    /// What the assistant says before the ticket form.
    pub text: Texts,
    pub ticket_type: TicketType,
    #[serde(default)]
    pub category: Option<String>,
    /// The urgency the ticket opens with (the visitor cannot change it).
    #[serde(default)]
    pub urgency: Option<Urgency>,
    /// The impact the ticket opens with.
    #[serde(default)]
    pub impact: Option<Impact>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Which hand-off opened a ticket: recorded on the ticket, checked against the flows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandOffRef {
    pub flow: String,
    pub step: String,
}

impl AssistantSettings {
    pub fn is_empty(&self) -> bool {
        self.flows.is_empty()
    }

    /// The flows the portal offers, in order.
    pub fn enabled(&self) -> impl Iterator<Item = &Flow> {
        self.flows.iter().filter(|f| f.enabled)
    }

    pub fn flow(&self, id: &str) -> Option<&Flow> {
        self.flows.iter().find(|f| f.id == id)
    }

    /// The hand-off step `r` names, if it is one.
    pub fn handoff(&self, r: &HandOffRef) -> Option<&HandOff> {
        match &self.flow(&r.flow)?.step(&r.step)?.kind {
            StepKind::HandOff(h) => Some(h),
            _ => None,
        }
    }

    /// Whether a customer's new ticket may carry these tags, impact and urgency (`None`: the
    /// help desk's default), given the hand-off it names: without one, no tags and the default
    /// impact (the urgency only where `customers_set_urgency`); with one, exactly the hand-off's
    /// tags and its impact and urgency where it sets them. `Err` names what the customer may not
    /// do. A hand-off the flows no longer have grants nothing.
    pub fn check_customer_opening(
        &self,
        handoff: Option<&HandOffRef>,
        tags: &[String],
        impact: Option<Impact>,
        urgency: Option<Urgency>,
        customers_set_urgency: bool,
    ) -> Result<(), Permission> {
        let h = handoff.and_then(|r| self.handoff(r));
        let impact_ok = impact.is_none() || h.is_some_and(|h| h.impact == impact);
        let urgency_ok =
            urgency.is_none() || customers_set_urgency || h.is_some_and(|h| h.urgency == urgency);
        if !impact_ok || !urgency_ok {
            return Err(Permission::SetPriority);
        }
        let tags_ok = match h {
            None => tags.is_empty(),
            Some(h) => {
                let mine: BTreeSet<&str> = tags.iter().map(String::as_str).collect();
                mine == h.tags.iter().map(String::as_str).collect()
            }
        };
        if !tags_ok {
            return Err(Permission::Tag);
        }
        Ok(())
    }

    /// The copy customers' devices receive: the enabled flows only.
    pub fn for_customer(&self) -> AssistantSettings {
        AssistantSettings {
            flows: self.enabled().cloned().collect(),
        }
    }

    /// Everything wrong with the flows. With `categories` (the help desk's), a hand-off's
    /// category must be one of them: the editor checks that, but a saved change is not refused
    /// for it, because categories are another section that may reach a device later (a ticket
    /// then opens without the unknown category).
    pub fn problems(&self, categories: Option<&[String]>) -> Vec<FlowProblem> {
        let mut out = Vec::new();
        if self.flows.len() > MAX_FLOWS {
            out.push(FlowProblem::flow("", Problem::TooManyFlows));
        }
        let mut ids = BTreeSet::new();
        for f in &self.flows {
            if !ids.insert(f.id.as_str()) {
                out.push(FlowProblem::flow(&f.id, Problem::DuplicateFlow));
            }
            out.extend(f.problems(categories));
        }
        out
    }
}

/// One thing wrong with a flow, at a step or at the flow itself.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("assistant flow {flow:?}{}: {problem}", step.as_ref().map(|s| format!(", step {s:?}")).unwrap_or_default())]
pub struct FlowProblem {
    pub flow: String,
    /// The step it is at; `None` for the flow as a whole.
    pub step: Option<String>,
    pub problem: Problem,
}

impl FlowProblem {
    fn flow(flow: &str, problem: Problem) -> FlowProblem {
        FlowProblem {
            flow: flow.to_owned(),
            step: None,
            problem,
        }
    }

    fn step(flow: &str, step: &str, problem: Problem) -> FlowProblem {
        FlowProblem {
            flow: flow.to_owned(),
            step: Some(step.to_owned()),
            problem,
        }
    }
}

/// What is wrong (see [`FlowProblem`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    #[error("at most {MAX_FLOWS} flows")]
    TooManyFlows,
    #[error("two flows have this id")]
    DuplicateFlow,
    #[error("ids are 1 to 64 letters, digits, '-' or '_'")]
    BadId,
    #[error("the flow needs a name")]
    NoName,
    #[error("the flow has no steps")]
    NoSteps,
    #[error("at most {MAX_STEPS} steps")]
    TooManySteps,
    #[error("the flow starts at a step it does not have")]
    UnknownStart,
    #[error("two steps have this id")]
    DuplicateStep,
    #[error("the step has no text")]
    NoText,
    #[error("a text is longer than {MAX_TEXT_CHARS} characters")]
    TextTooLong,
    #[error("the question offers no options")]
    NoOptions,
    #[error("at most {MAX_OPTIONS} options")]
    TooManyOptions,
    #[error("an option has no text")]
    BlankOption,
    #[error("it leads to step {0:?}, which the flow does not have")]
    UnknownTarget(String),
    #[error("no path from the start reaches it")]
    Unreachable,
    #[error("it leads back to an earlier step, so a conversation could go round forever")]
    Loop,
    #[error("a \"did this solve it?\" step must come right after an answer or an article")]
    CheckWithoutAnswer,
    #[error("the article step names no article")]
    NoArticle,
    #[error("an article for another language names no language or no article")]
    BlankTranslation,
    #[error("the form asks nothing")]
    NoFields,
    #[error("at most {MAX_FIELDS} fields")]
    TooManyFields,
    #[error("field key {0:?} must be lowercase letters, digits and _, starting with a letter")]
    BadFieldKey(String),
    #[error("field {0:?} is asked twice")]
    DuplicateField(String),
    #[error("a field has no label")]
    BlankLabel,
    #[error("tag {0:?} is not a valid tag")]
    BadTag(String),
    #[error("category {0:?} is not one of the help desk's categories")]
    UnknownCategory(String),
}

fn id_ok(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn key_ok(s: &str) -> bool {
    let mut chars = s.chars();
    s.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Step {
    /// The steps this one may lead to, in order.
    pub fn targets(&self) -> Vec<&str> {
        match &self.kind {
            StepKind::Question { options, .. } => options.iter().map(|o| o.next.as_str()).collect(),
            StepKind::Answer { next, .. } | StepKind::Article { next, .. } => {
                next.iter().map(String::as_str).collect()
            }
            StepKind::Check { unsolved, .. } => vec![unsolved.as_str()],
            StepKind::Form { next, .. } => vec![next.as_str()],
            StepKind::HandOff(_) => Vec::new(),
        }
    }

    /// Whether the step answers the visitor (an answer or an article).
    pub fn is_answer(&self) -> bool {
        matches!(
            self.kind,
            StepKind::Answer { .. } | StepKind::Article { .. }
        )
    }
}

impl Flow {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// Everything wrong with this flow (see the module's documentation).
    pub fn problems(&self, categories: Option<&[String]>) -> Vec<FlowProblem> {
        let f = self.id.as_str();
        let mut out = Vec::new();
        if !id_ok(f) {
            out.push(FlowProblem::flow(f, Problem::BadId));
        }
        if self.name.is_blank() {
            out.push(FlowProblem::flow(f, Problem::NoName));
        }
        if self.name.too_long() {
            out.push(FlowProblem::flow(f, Problem::TextTooLong));
        }
        if self.steps.is_empty() {
            out.push(FlowProblem::flow(f, Problem::NoSteps));
            return out;
        }
        if self.steps.len() > MAX_STEPS {
            out.push(FlowProblem::flow(f, Problem::TooManySteps));
        }
        // Step ids: the first of two steps with one id is the one the others' links reach.
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (n, s) in self.steps.iter().enumerate() {
            if !id_ok(&s.id) {
                out.push(FlowProblem::step(f, &s.id, Problem::BadId));
            }
            if index.contains_key(s.id.as_str()) {
                out.push(FlowProblem::step(f, &s.id, Problem::DuplicateStep));
            } else {
                index.insert(&s.id, n);
            }
        }
        for s in &self.steps {
            for p in s.own_problems(categories) {
                out.push(FlowProblem::step(f, &s.id, p));
            }
            let mut reported = BTreeSet::new();
            for t in s.targets() {
                if !index.contains_key(t) && reported.insert(t) {
                    out.push(FlowProblem::step(
                        f,
                        &s.id,
                        Problem::UnknownTarget(t.to_owned()),
                    ));
                }
            }
        }
        let Some(&start) = index.get(self.start.as_str()) else {
            out.push(FlowProblem::flow(f, Problem::UnknownStart));
            return out;
        };
        // Edges between known steps, by index.
        let edges: Vec<Vec<usize>> = self
            .steps
            .iter()
            .map(|s| {
                s.targets()
                    .iter()
                    .filter_map(|t| index.get(t).copied())
                    .collect()
            })
            .collect();
        // Loops: a depth-first walk from the start; an edge back to a step on the current path
        // closes a loop, reported at the step it leaves from.
        let mut state = vec![0u8; self.steps.len()]; // 0 unseen, 1 on the path, 2 done
        let mut looping = BTreeSet::new();
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => {
                        looping.insert(node);
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
        for (n, s) in self.steps.iter().enumerate() {
            // A duplicate's links are never followed: it is reported as a duplicate only.
            if index.get(s.id.as_str()) != Some(&n) {
                continue;
            }
            if state[n] == 0 {
                out.push(FlowProblem::step(f, &s.id, Problem::Unreachable));
            }
            if looping.contains(&n) {
                out.push(FlowProblem::step(f, &s.id, Problem::Loop));
            }
        }
        // A check follows answers only: every step that leads to it is an answer or an article,
        // and it is not where the flow starts.
        for (n, s) in self.steps.iter().enumerate() {
            if !matches!(s.kind, StepKind::Check { .. }) || index.get(s.id.as_str()) != Some(&n) {
                continue;
            }
            let after_non_answer = self
                .steps
                .iter()
                .enumerate()
                .any(|(m, p)| edges[m].contains(&n) && !p.is_answer());
            if n == start || after_non_answer {
                out.push(FlowProblem::step(f, &s.id, Problem::CheckWithoutAnswer));
            }
        }
        out
    }
}

impl Step {
    /// Problems of the step on its own (texts, options, fields, tags), not of its links.
    fn own_problems(&self, categories: Option<&[String]>) -> Vec<Problem> {
        let mut out = Vec::new();
        let text = |t: &Texts, out: &mut Vec<Problem>| {
            if t.is_blank() {
                out.push(Problem::NoText);
            }
            if t.too_long() {
                out.push(Problem::TextTooLong);
            }
        };
        match &self.kind {
            StepKind::Question { text: t, options } => {
                text(t, &mut out);
                if options.is_empty() {
                    out.push(Problem::NoOptions);
                }
                if options.len() > MAX_OPTIONS {
                    out.push(Problem::TooManyOptions);
                }
                if options.iter().any(|o| o.label.is_blank()) {
                    out.push(Problem::BlankOption);
                }
                if options.iter().any(|o| o.label.too_long()) {
                    out.push(Problem::TextTooLong);
                }
            }
            StepKind::Answer { text: t, .. } | StepKind::Check { text: t, .. } => text(t, &mut out),
            StepKind::Article {
                article,
                translations,
                ..
            } => {
                if article.0.trim().is_empty() {
                    out.push(Problem::NoArticle);
                }
                if translations
                    .iter()
                    .any(|(lang, a)| lang.trim().is_empty() || a.0.trim().is_empty())
                {
                    out.push(Problem::BlankTranslation);
                }
            }
            StepKind::Form {
                text: t, fields, ..
            } => {
                text(t, &mut out);
                if fields.is_empty() {
                    out.push(Problem::NoFields);
                }
                if fields.len() > MAX_FIELDS {
                    out.push(Problem::TooManyFields);
                }
                let mut keys = BTreeSet::new();
                for field in fields {
                    if !key_ok(&field.key) {
                        out.push(Problem::BadFieldKey(field.key.clone()));
                    } else if !keys.insert(field.key.as_str()) {
                        out.push(Problem::DuplicateField(field.key.clone()));
                    }
                    if field.label.is_blank() {
                        out.push(Problem::BlankLabel);
                    }
                    if field.label.too_long() {
                        out.push(Problem::TextTooLong);
                    }
                }
            }
            StepKind::HandOff(h) => {
                text(&h.text, &mut out);
                // Tags as tickets keep them (lower case, no spaces), so a ticket's tags compare
                // equal to its hand-off's.
                for t in &h.tags {
                    if crate::validate::tag(t).as_ref() != Ok(t) {
                        out.push(Problem::BadTag(t.clone()));
                    }
                }
                if let (Some(c), Some(categories)) = (&h.category, categories) {
                    let known = categories
                        .iter()
                        .any(|k| k.trim().eq_ignore_ascii_case(c.trim()));
                    if !known {
                        out.push(Problem::UnknownCategory(c.clone()));
                    }
                }
            }
        }
        out
    }
}

/// What a visitor did at a step: one anonymous record, added to the workspace and never
/// replaced. A run's records share its random id; nothing in them says who the visitor is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Random, one per conversation.
    pub run: String,
    pub flow: String,
    pub step: String,
    pub at: Timestamp,
    pub kind: RecordKind,
}

/// What a [`Record`] says happened at its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// The visitor reached the step (the first record of a run is at the flow's start).
    Reached,
    /// The step was an answer or an article, and the visitor read it.
    Answered,
    /// The visitor said the answer solved it.
    Solved,
    /// The visitor reached a hand-off.
    HandedOff,
    /// The visitor sent the ticket the hand-off offered.
    TicketOpened,
}

impl Record {
    /// Whether the record is well formed enough to keep (ids within limits).
    pub fn is_well_formed(&self) -> bool {
        id_ok(&self.run) && id_ok(&self.flow) && id_ok(&self.step)
    }
}

/// How a run ended, from its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The visitor said an answer solved it.
    Solved,
    /// The visitor left after an answer, without saying and without a ticket.
    LeftAfterAnswer,
    /// The visitor sent a ticket.
    Ticket,
    /// The visitor reached a hand-off but sent no ticket (yet).
    HandedOff,
    /// The visitor left before any answer or hand-off.
    Abandoned,
}

impl Outcome {
    /// Whether the assistant answered it: solved, or left after an answer.
    pub fn answered(self) -> bool {
        matches!(self, Outcome::Solved | Outcome::LeftAfterAnswer)
    }
}

/// Counts for one step of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StepStats {
    /// Runs that reached it.
    pub reached: u32,
    /// Runs whose visitor said an answer solved it here.
    pub solved: u32,
    /// Runs handed off here.
    pub handed_off: u32,
    /// Runs that ended here without an outcome (the last step they reached).
    pub left: u32,
}

/// Counts for one flow.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FlowStats {
    pub flow: String,
    pub started: u32,
    pub solved: u32,
    pub left_after_answer: u32,
    /// Reached a hand-off (with or without sending the ticket).
    pub handed_off: u32,
    /// Sent the ticket a hand-off offered.
    pub tickets: u32,
    pub abandoned: u32,
    /// By step id.
    pub steps: BTreeMap<String, StepStats>,
}

impl FlowStats {
    /// Conversations the assistant answered (solved, or left after an answer): the tickets it
    /// avoided, counted the way article deflections are.
    pub fn answered(&self) -> u32 {
        self.solved + self.left_after_answer
    }

    /// Share of started conversations the assistant answered.
    pub fn answer_rate(&self) -> Option<f64> {
        (self.started > 0).then(|| f64::from(self.answered()) / f64::from(self.started))
    }
}

fn outcome(rs: &[&Record]) -> Outcome {
    let has = |k: RecordKind| rs.iter().any(|r| r.kind == k);
    if has(RecordKind::Solved) {
        Outcome::Solved
    } else if has(RecordKind::TicketOpened) {
        Outcome::Ticket
    } else if has(RecordKind::HandedOff) {
        Outcome::HandedOff
    } else if has(RecordKind::Answered) {
        Outcome::LeftAfterAnswer
    } else {
        Outcome::Abandoned
    }
}

/// Counts per flow and per step, for the flows in `flows` (in their order; records of flows
/// no longer there are counted under their id after them). Filter `records` by date first for a
/// period; a run counts in the period of its records that are in it.
pub fn stats(records: &[Record], flows: &AssistantSettings) -> Vec<FlowStats> {
    let mut by_flow: BTreeMap<&str, FlowStats> = BTreeMap::new();
    let mut runs: BTreeMap<(&str, &str), Vec<&Record>> = BTreeMap::new();
    for r in records {
        runs.entry((r.flow.as_str(), r.run.as_str()))
            .or_default()
            .push(r);
    }
    for ((flow, _), mut rs) in runs {
        rs.sort_by_key(|r| r.at);
        let s = by_flow.entry(flow).or_insert_with(|| FlowStats {
            flow: flow.to_owned(),
            ..FlowStats::default()
        });
        s.started += 1;
        let end = outcome(&rs);
        match end {
            Outcome::Solved => s.solved += 1,
            Outcome::LeftAfterAnswer => s.left_after_answer += 1,
            Outcome::Ticket => s.tickets += 1,
            Outcome::HandedOff => {}
            Outcome::Abandoned => s.abandoned += 1,
        }
        if matches!(end, Outcome::Ticket | Outcome::HandedOff) {
            s.handed_off += 1;
        }
        let mut reached = BTreeSet::new();
        for r in &rs {
            let step = s.steps.entry(r.step.clone()).or_default();
            match r.kind {
                RecordKind::Reached if reached.insert(r.step.as_str()) => step.reached += 1,
                RecordKind::Solved => step.solved += 1,
                RecordKind::HandedOff => step.handed_off += 1,
                _ => {}
            }
        }
        if matches!(end, Outcome::LeftAfterAnswer | Outcome::Abandoned)
            && let Some(last) = rs.iter().rev().find(|r| r.kind == RecordKind::Reached)
        {
            s.steps.entry(last.step.clone()).or_default().left += 1;
        }
    }
    let mut out = Vec::new();
    for f in &flows.flows {
        out.push(by_flow.remove(f.id.as_str()).unwrap_or_else(|| FlowStats {
            flow: f.id.clone(),
            ..FlowStats::default()
        }));
    }
    out.extend(by_flow.into_values());
    out
}

/// One line of a conversation, for the transcript a hand-off attaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Line {
    /// What the assistant said (a question, an answer, an article's title).
    Assistant(String),
    /// What the visitor chose or typed.
    Visitor(String),
}

/// The transcript as plain text, as a hand-off writes it under the visitor's message:
/// `heading`, then one line per turn, the assistant's prefixed `assistant_label`, the visitor's
/// `visitor_label`. Multi-line texts keep their lines, indented.
pub fn transcript(
    lines: &[Line],
    heading: &str,
    assistant_label: &str,
    visitor_label: &str,
) -> String {
    let mut out = String::from(heading);
    for l in lines {
        let (who, text) = match l {
            Line::Assistant(t) => (assistant_label, t),
            Line::Visitor(t) => (visitor_label, t),
        };
        out.push('\n');
        out.push_str(who);
        out.push_str(": ");
        let mut first = true;
        for part in text.trim().lines() {
            if !first {
                out.push_str("\n  ");
            }
            out.push_str(part.trim_end());
            first = false;
        }
    }
    out
}

#[cfg(test)]
mod tests;
