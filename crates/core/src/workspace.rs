//! The workspace around the tickets — settings, knowledge-base articles, deflection records — as
//! synced data.
//!
//! A change to the workspace is a [`Change`]: like a ticket event it carries a random id, a hybrid
//! logical clock and its actor, it is immutable and it is what stores keep, export carries and
//! sync moves. The workspace is a fold of the set of changes ([`fold`]), so every device that has
//! the same changes shows the same workspace, whatever order they arrived in:
//!
//! - **Settings** travel as whole [`Section`]s (the profile, the ticket rules, the categories, the
//!   SLA policies and calendars, routing, the roster of agents and teams, canned responses,
//!   macros). Per section, the change with the greatest `(hlc, id)` wins; sections no change has
//!   set keep their defaults. Two admins editing different sections at once both keep their edit;
//!   editing the same section, the later clock wins whole (a section is the unit an admin saves).
//! - **Articles** travel whole. Per article id the greatest `(version, hlc, id)` wins, so an edit
//!   made on an older version never replaces a newer one.
//! - **Deflection records** (what a visitor did after an article was suggested) and the
//!   assistant's records (what a visitor did at a step of a flow, anonymous) are added, never
//!   replaced.
//!
//! Who may change what, and what a customer's device receives, is decided here too: only admins
//! change settings and articles ([`check_change`]); customers and anonymous visitors receive the
//! public projection ([`Change::for_customer`]): the shop's name and languages, the categories,
//! the ticket rules their own device needs to decide its events, with staff-only custom fields
//! removed, and published articles. Everything else stays with the agents.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::assignment::{Agent, AssignmentSettings, Team};
use crate::assistant::Record;
use crate::config::{Profile, Settings};
use crate::error::Permission;
use crate::event::EventId;
use crate::hlc::Hlc;
use crate::kb::{Article, ArticleId, Deflection};
use crate::model::Actor;
use crate::settings::DomainSettings;
use crate::sla::SlaSettings;
use crate::sync::{Principal, Rejection};
use crate::template::{CannedResponse, Macro};
use crate::zone::TimeZones;

/// One change to the workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub id: EventId,
    pub hlc: Hlc,
    pub actor: Actor,
    pub payload: ChangePayload,
}

crate::tagged! {
    #[tag = "type"]
    /// What a [`Change`] sets.
    #[derive(Debug, Clone, PartialEq)]
    pub enum ChangePayload {
        /// One settings section, whole.
        Settings { section: Section },
        /// An article, created or edited, whole.
        Article { article: Article },
        /// What a visitor did after an article was suggested.
        Deflection { deflection: Deflection },
        /// What a visitor did at a step of the assistant (anonymous).
        Assistant { record: Record },
    }
}

crate::tagged! {
    #[tag = "section", content = "value"]
    /// One section of [`Settings`]: the unit a settings change replaces.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Section {
        Profile(Profile),
        Domain(DomainSettings),
        Categories(Vec<String>),
        Sla(SlaSettings),
        Assignment(AssignmentSettings),
        /// Agents and teams together: a team's members follow the agents' team lists.
        Roster {
            agents: Vec<Agent>,
            teams: Vec<Team>,
        },
        CannedResponses(Vec<CannedResponse>),
        Macros(Vec<Macro>),
    }
}

/// Which section a [`Section`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Profile,
    Domain,
    Categories,
    Sla,
    Assignment,
    Roster,
    CannedResponses,
    Macros,
}

impl SectionKind {
    pub const ALL: [SectionKind; 8] = [
        SectionKind::Profile,
        SectionKind::Domain,
        SectionKind::Categories,
        SectionKind::Sla,
        SectionKind::Assignment,
        SectionKind::Roster,
        SectionKind::CannedResponses,
        SectionKind::Macros,
    ];

    /// Whether customers' devices receive this section (in its public form).
    pub fn is_public(self) -> bool {
        matches!(
            self,
            SectionKind::Profile | SectionKind::Domain | SectionKind::Categories
        )
    }
}

impl Section {
    pub fn kind(&self) -> SectionKind {
        match self {
            Section::Profile(_) => SectionKind::Profile,
            Section::Domain(_) => SectionKind::Domain,
            Section::Categories(_) => SectionKind::Categories,
            Section::Sla(_) => SectionKind::Sla,
            Section::Assignment(_) => SectionKind::Assignment,
            Section::Roster { .. } => SectionKind::Roster,
            Section::CannedResponses(_) => SectionKind::CannedResponses,
            Section::Macros(_) => SectionKind::Macros,
        }
    }

    /// This section as `settings` has it.
    pub fn of(settings: &Settings, kind: SectionKind) -> Section {
        let s = settings.clone();
        match kind {
            SectionKind::Profile => Section::Profile(s.profile),
            SectionKind::Domain => Section::Domain(s.domain),
            SectionKind::Categories => Section::Categories(s.categories),
            SectionKind::Sla => Section::Sla(s.sla),
            SectionKind::Assignment => Section::Assignment(s.assignment),
            SectionKind::Roster => Section::Roster {
                agents: s.agents,
                teams: s.teams,
            },
            SectionKind::CannedResponses => Section::CannedResponses(s.canned_responses),
            SectionKind::Macros => Section::Macros(s.macros),
        }
    }

    /// Puts this section into `settings`.
    pub fn apply_to(self, settings: &mut Settings) {
        match self {
            Section::Profile(v) => settings.profile = v,
            Section::Domain(v) => settings.domain = v,
            Section::Categories(v) => settings.categories = v,
            Section::Sla(v) => settings.sla = v,
            Section::Assignment(v) => settings.assignment = v,
            Section::Roster { agents, teams } => {
                settings.agents = agents;
                settings.teams = teams;
            }
            Section::CannedResponses(v) => settings.canned_responses = v,
            Section::Macros(v) => settings.macros = v,
        }
    }

    /// The form customers' devices receive, or `None` when the section is staff-only.
    pub fn for_customer(&self) -> Option<Section> {
        match self {
            Section::Profile(_) | Section::Categories(_) => Some(self.clone()),
            Section::Domain(d) => {
                let mut d = d.clone();
                d.custom_fields.retain(|f| !f.agent_only);
                d.assistant = d.assistant.for_customer();
                Some(Section::Domain(d))
            }
            _ => None,
        }
    }
}

/// The sections in which `new` differs from `old`, as `new` has them: what saving `new` over
/// `old` must record.
pub fn changed_sections(old: &Settings, new: &Settings) -> Vec<Section> {
    SectionKind::ALL
        .into_iter()
        .map(|k| Section::of(new, k))
        .filter(|s| *s != Section::of(old, s.kind()))
        .collect()
}

/// What a customer's device may know of `settings`: the public sections, in their public form;
/// every other section at its default.
pub fn public_settings(settings: &Settings) -> Settings {
    let mut out = Settings::default();
    for kind in SectionKind::ALL {
        if let Some(s) = Section::of(settings, kind).for_customer() {
            s.apply_to(&mut out);
        }
    }
    out
}

impl Change {
    /// The copy a customer's device may receive, or `None`. An unpublished article is sent as a
    /// withdrawal (id, slug and locale only, marked unpublished), so a device that showed it
    /// stops showing it; deflection records and staff-only sections are not sent at all.
    pub fn for_customer(&self) -> Option<Change> {
        let payload = match &self.payload {
            ChangePayload::Settings { section } => ChangePayload::Settings {
                section: section.for_customer()?,
            },
            ChangePayload::Article { article } if article.published => self.payload.clone(),
            ChangePayload::Article { article } => ChangePayload::Article {
                article: withdrawn(article),
            },
            ChangePayload::Deflection { .. } | ChangePayload::Assistant { .. } => return None,
        };
        Some(Change {
            payload,
            ..self.clone()
        })
    }

    /// The total order changes are compared in.
    fn key(&self) -> (&Hlc, &EventId) {
        (&self.hlc, &self.id)
    }
}

/// An article as customers see it once it is no longer published: nothing of its text.
fn withdrawn(a: &Article) -> Article {
    Article {
        title: String::new(),
        body: String::new(),
        tags: Vec::new(),
        published: false,
        ..a.clone()
    }
}

/// Who last set a section or an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastChange {
    pub id: EventId,
    pub hlc: Hlc,
    pub actor: Actor,
}

/// The workspace a set of changes folds to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workspace {
    pub settings: Settings,
    /// The winning version of every article, by id.
    pub articles: BTreeMap<ArticleId, Article>,
    /// Every deflection record, in log order.
    pub deflections: Vec<Deflection>,
    /// Every assistant record, in log order.
    pub assistant: Vec<Record>,
    /// Which change set each section that any change set.
    pub sections: BTreeMap<SectionKind, LastChange>,
}

/// Folds changes (in any order, duplicates allowed) into the workspace. Deterministic: the same
/// set gives the same workspace.
pub fn fold<'a>(changes: impl IntoIterator<Item = &'a Change>) -> Workspace {
    let mut sorted: Vec<&Change> = changes.into_iter().collect();
    sorted.sort_by(|a, b| a.key().cmp(&b.key()));
    sorted.dedup_by(|a, b| a.id == b.id);
    let mut ws = Workspace::default();
    let mut article_keys: BTreeMap<ArticleId, (u32, &Hlc, &EventId)> = BTreeMap::new();
    for c in sorted {
        match &c.payload {
            // Log order: a later change of a section replaces an earlier one.
            ChangePayload::Settings { section } => {
                ws.sections.insert(
                    section.kind(),
                    LastChange {
                        id: c.id.clone(),
                        hlc: c.hlc.clone(),
                        actor: c.actor.clone(),
                    },
                );
                section.clone().apply_to(&mut ws.settings);
            }
            ChangePayload::Article { article } => {
                let key = (article.version, &c.hlc, &c.id);
                let wins = article_keys.get(&article.id).is_none_or(|k| key > *k);
                if wins {
                    article_keys.insert(article.id.clone(), key);
                    ws.articles.insert(article.id.clone(), article.clone());
                }
            }
            ChangePayload::Deflection { deflection } => ws.deflections.push(deflection.clone()),
            ChangePayload::Assistant { record } => ws.assistant.push(record.clone()),
        }
    }
    ws
}

/// The sections of `settings` that differ from the defaults: what a server records once when
/// it seeds a new database from a settings file. A section left at its default is not recorded,
/// so devices keep the app's own starting values for it until an admin changes it.
pub fn adopt(settings: &Settings) -> Vec<Section> {
    changed_sections(&Settings::default(), settings)
}

/// Longest article id, deflection article id or node name accepted in a change, in bytes.
pub const MAX_ID_LEN: usize = 128;

/// Checks a change a device pushed, against the workspace's current settings. The same rules
/// apply on the device before it records a change (`current` is then its own settings).
pub fn check_change(
    change: &Change,
    principal: &Principal,
    current: &Settings,
    zones: &dyn TimeZones,
    now_ms: i64,
) -> Result<(), Rejection> {
    let id_ok = |s: &str| {
        (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !id_ok(&change.id.0) || change.hlc.node.0.len() > MAX_ID_LEN {
        return Err(Rejection::BadId);
    }
    if !change.hlc.is_plausible(now_ms) {
        return Err(Rejection::ImplausibleClock {
            wall_ms: change.hlc.wall_ms,
        });
    }
    if change.actor != principal.actor() {
        return Err(Rejection::NotYourEvent);
    }
    let staff_only = || {
        if principal.is_admin() {
            Ok(())
        } else {
            Err(Rejection::Forbidden {
                principal_is_customer: matches!(principal, Principal::Customer { .. }),
                what: Permission::ChangeWorkspace,
            })
        }
    };
    match &change.payload {
        ChangePayload::Settings { section } => {
            staff_only()?;
            let mut next = current.clone();
            section.clone().apply_to(&mut next);
            let mut problems = next.problems();
            problems.extend(next.unknown_time_zones(zones));
            if let Some(p) = problems.first() {
                return Err(Rejection::InvalidWorkspace(p.to_string()));
            }
        }
        ChangePayload::Article { article } => {
            staff_only()?;
            article
                .validate()
                .map_err(|e| Rejection::InvalidWorkspace(e.to_string()))?;
            if article.id.0.len() > MAX_ID_LEN {
                return Err(Rejection::BadId);
            }
            let too_long = article.body.chars().count() > current.domain.max_body_chars
                || article.tags.iter().any(|t| t.chars().count() > 64);
            if too_long {
                return Err(Rejection::InvalidWorkspace(
                    "the article's text or a tag is longer than the help desk allows".into(),
                ));
            }
        }
        ChangePayload::Deflection { deflection } => {
            if deflection.article_id.0.is_empty() || deflection.article_id.0.len() > MAX_ID_LEN {
                return Err(Rejection::BadId);
            }
        }
        ChangePayload::Assistant { record } => {
            if !record.is_well_formed() {
                return Err(Rejection::BadId);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
