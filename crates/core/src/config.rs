//! Everything a help desk is configured with, in one value: what the settings screen edits, what
//! export carries beside the event log, and what the SLA, routing and KPI engines read.
//!
//! Settings are not events: a change applies to what is decided and evaluated from then on, and
//! never rewrites the history already recorded.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::assignment::{Agent, AssignmentSettings, AssignmentSettingsError, RosterError, Team};
use crate::assistant::FlowProblem;
use crate::calendar::CalendarError;
use crate::model::AgentId;
use crate::settings::DomainSettings;
use crate::sla::{EscalationAction, NotifyTarget, SlaSettings, SlaSettingsError};
use crate::template::{CannedResponse, Macro};
use crate::zone::TimeZones;

/// The shop or company running the help desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Shown in the portal's header and in replies.
    pub name: String,
    /// Languages the help desk offers (BCP 47: "es", "en", "pt-BR"); the first is the default.
    pub locales: Vec<String>,
    /// Where a ticket is on the company's site, for the links in email notices: an http(s) URL
    /// in which `{code}` and `{id}` are replaced (`https://shop.example/help/tickets/{code}`).
    /// Empty: the sync server's own setting.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ticket_url: String,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            name: "Mostrador".into(),
            locales: vec!["es".into(), "en".into(), "pt".into()],
            ticket_url: String::new(),
        }
    }
}

/// The whole configuration of one help desk.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub profile: Profile,
    /// Ticket rules: priority matrix, reopen window, close-after period, custom fields, limits.
    pub domain: DomainSettings,
    /// Ticket categories offered in the forms, in display order.
    pub categories: Vec<String>,
    /// SLA policies and business calendars.
    pub sla: SlaSettings,
    /// Routing rules and strategy.
    pub assignment: AssignmentSettings,
    pub agents: Vec<Agent>,
    pub teams: Vec<Team>,
    pub canned_responses: Vec<CannedResponse>,
    pub macros: Vec<Macro>,
}

/// One thing wrong with a [`Settings`] value.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SettingsProblem {
    #[error("the help desk needs a name")]
    EmptyName,
    #[error("offer at least one language")]
    NoLocale,
    #[error("category {0:?} is listed twice")]
    DuplicateCategory(String),
    #[error("reopen window and close-after period must be zero or more")]
    NegativePeriod,
    #[error(
        "custom field key {0:?} must be lowercase letters, digits and _, starting with a letter"
    )]
    BadFieldKey(String),
    #[error("custom field {0:?} is defined twice")]
    DuplicateField(String),
    #[error("custom field {0:?} is a choice but offers no choices")]
    NoChoices(String),
    #[error("{0} is empty")]
    Blank(SettingsItem),
    #[error("team {0:?} is listed twice")]
    DuplicateTeam(String),
    #[error(transparent)]
    Sla(#[from] SlaSettingsError),
    #[error(transparent)]
    Assignment(#[from] AssignmentSettingsError),
    #[error(transparent)]
    Roster(#[from] RosterError),
    #[error(transparent)]
    Assistant(#[from] FlowProblem),
}

/// A value in [`Settings`] that must not be blank, by its position in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsItem {
    PolicyName(usize),
    CalendarName(usize),
    AgentName(usize),
    TeamName(usize),
    Category(usize),
    ReplyTitle(usize),
    ReplyBody(usize),
    MacroTitle(usize),
    MacroMessage(usize),
}

impl std::fmt::Display for SettingsItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (what, n) = match *self {
            SettingsItem::PolicyName(n) => ("the name of SLA policy", n),
            SettingsItem::CalendarName(n) => ("the name of calendar", n),
            SettingsItem::AgentName(n) => ("the name of agent", n),
            SettingsItem::TeamName(n) => ("the name of team", n),
            SettingsItem::Category(n) => ("category", n),
            SettingsItem::ReplyTitle(n) => ("the title of canned response", n),
            SettingsItem::ReplyBody(n) => ("the text of canned response", n),
            SettingsItem::MacroTitle(n) => ("the title of macro", n),
            SettingsItem::MacroMessage(n) => ("the message of macro", n),
        };
        write!(f, "{what} {}", n + 1)
    }
}

impl Settings {
    /// Normalises what is written twice: each team's members follow the agents' own team lists
    /// (the lists agents are edited with), and agents lose teams that no longer exist.
    pub fn normalise(&mut self) {
        for t in &mut self.teams {
            t.members = self
                .agents
                .iter()
                .filter(|a| a.teams.contains(&t.id))
                .map(|a| a.id.clone())
                .collect();
        }
        let ids: Vec<crate::model::TeamId> = self.teams.iter().map(|t| t.id.clone()).collect();
        for a in &mut self.agents {
            a.teams.retain(|t| ids.contains(t));
        }
    }

    /// Values that must not be blank, and team names written twice.
    fn blank_problems(&self) -> Vec<SettingsProblem> {
        let blank = |x: &str| x.trim().is_empty();
        let mut out = Vec::new();
        let mut need = |empty: bool, item| {
            if empty {
                out.push(SettingsProblem::Blank(item));
            }
        };
        for (k, p) in self.sla.policies.iter().enumerate() {
            need(blank(&p.name), SettingsItem::PolicyName(k));
        }
        for (k, c) in self.sla.calendars.iter().enumerate() {
            need(blank(&c.name), SettingsItem::CalendarName(k));
        }
        for (k, a) in self.agents.iter().enumerate() {
            need(blank(&a.name), SettingsItem::AgentName(k));
        }
        for (k, t) in self.teams.iter().enumerate() {
            need(blank(&t.name), SettingsItem::TeamName(k));
        }
        for (k, c) in self.categories.iter().enumerate() {
            need(blank(c), SettingsItem::Category(k));
        }
        for (k, r) in self.canned_responses.iter().enumerate() {
            need(blank(&r.title), SettingsItem::ReplyTitle(k));
            need(blank(&r.body), SettingsItem::ReplyBody(k));
        }
        for (k, m) in self.macros.iter().enumerate() {
            need(blank(&m.title), SettingsItem::MacroTitle(k));
            let empty_message = m.message.as_ref().is_some_and(|(_, t)| blank(t));
            need(empty_message, SettingsItem::MacroMessage(k));
        }
        for (k, t) in self.teams.iter().enumerate() {
            let dup = self.teams[..k]
                .iter()
                .any(|o| o.name.trim().eq_ignore_ascii_case(t.name.trim()));
            if dup && !blank(&t.name) {
                out.push(SettingsProblem::DuplicateTeam(t.name.clone()));
            }
        }
        out
    }

    /// Calendars whose time zone `zones` does not know. Not part of [`Settings::problems`]: the
    /// zone rules are a capability of the place that accepts the settings (the server's database,
    /// the browser's `Intl`), so each checks with its own.
    pub fn unknown_time_zones(&self, zones: &dyn TimeZones) -> Vec<SettingsProblem> {
        self.sla
            .calendars
            .iter()
            .filter(|c| !zones.knows(&c.time_zone))
            .map(|c| {
                SettingsProblem::Sla(SlaSettingsError::Calendar(CalendarError::UnknownTimeZone(
                    c.time_zone.name().to_owned(),
                )))
            })
            .collect()
    }

    /// Every problem, so a settings screen can show them all at once; empty when valid.
    pub fn problems(&self) -> Vec<SettingsProblem> {
        let mut out = Vec::new();
        if self.profile.name.trim().is_empty() {
            out.push(SettingsProblem::EmptyName);
        }
        out.extend(self.blank_problems());
        if self.profile.locales.is_empty() {
            out.push(SettingsProblem::NoLocale);
        }
        let mut seen = std::collections::BTreeSet::new();
        for c in &self.categories {
            if !seen.insert(c.trim().to_lowercase()) {
                out.push(SettingsProblem::DuplicateCategory(c.clone()));
            }
        }
        if self.domain.reopen_window_secs < 0 || self.domain.auto_close_after_secs < 0 {
            out.push(SettingsProblem::NegativePeriod);
        }
        let mut keys = std::collections::BTreeSet::new();
        for f in &self.domain.custom_fields {
            let mut chars = f.key.chars();
            let well_formed = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !well_formed {
                out.push(SettingsProblem::BadFieldKey(f.key.clone()));
            } else if !keys.insert(f.key.as_str()) {
                out.push(SettingsProblem::DuplicateField(f.key.clone()));
            }
            let no_choices = f.choices.iter().all(|c| c.trim().is_empty());
            if f.kind == crate::settings::FieldKind::Choice && no_choices {
                out.push(SettingsProblem::NoChoices(f.key.clone()));
            }
        }
        out.extend(self.sla.problems().into_iter().map(SettingsProblem::from));
        out.extend(
            self.assignment
                .problems(&self.teams)
                .into_iter()
                .map(SettingsProblem::from),
        );
        out.extend(
            crate::assignment::roster_problems(&self.agents, &self.teams)
                .into_iter()
                .map(SettingsProblem::from),
        );
        out.extend(
            self.domain
                .assistant
                .problems(None)
                .into_iter()
                .map(SettingsProblem::from),
        );
        out
    }
}

/// How many entries [`Settings::merge_missing`] added, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SettingsMerge {
    pub agents: usize,
    pub teams: usize,
    pub categories: usize,
    pub sla_policies: usize,
    pub calendars: usize,
    pub canned_responses: usize,
    pub macros: usize,
    pub custom_fields: usize,
}

impl SettingsMerge {
    pub fn total(&self) -> usize {
        self.agents
            + self.teams
            + self.categories
            + self.sla_policies
            + self.calendars
            + self.canned_responses
            + self.macros
            + self.custom_fields
    }
}

fn add_missing<T: Clone, K: PartialEq>(
    mine: &mut Vec<T>,
    theirs: &[T],
    key: impl Fn(&T) -> K,
) -> usize {
    let mut added = 0;
    for x in theirs {
        if !mine.iter().any(|m| key(m) == key(x)) {
            mine.push(x.clone());
            added += 1;
        }
    }
    added
}

impl Settings {
    /// Gives the agents in `renamed` their new ids everywhere these settings name them: the
    /// roster, team members, SLA escalations.
    pub fn rename_agents(&mut self, renamed: &BTreeMap<AgentId, AgentId>) {
        let swap = |a: &mut AgentId| {
            if let Some(new) = renamed.get(a) {
                *a = new.clone();
            }
        };
        self.agents.iter_mut().for_each(|a| swap(&mut a.id));
        self.teams
            .iter_mut()
            .for_each(|t| t.members.iter_mut().for_each(swap));
        for rule in self
            .sla
            .policies
            .iter_mut()
            .flat_map(|p| p.escalations.iter_mut())
        {
            for action in &mut rule.actions {
                match action {
                    EscalationAction::ReassignToAgent(a)
                    | EscalationAction::Notify(NotifyTarget::Agent(a)) => swap(a),
                    EscalationAction::RaiseLevel
                    | EscalationAction::ReassignToTeam(_)
                    | EscalationAction::AddTag(_)
                    | EscalationAction::Flag
                    | EscalationAction::Notify(NotifyTarget::Assignee | NotifyTarget::Team(_)) => {}
                }
            }
        }
    }

    /// Another installation's agents who share an id with a different person here (each
    /// installation starts with an `admin`): their new ids, so an import shows their work under
    /// their own names. The same person has the same name and e-mail address (ignoring case and
    /// surrounding blanks): splitting one person in two is the safer mistake than crediting one
    /// person's work to another. New ids are derived from the person, so importing the same file
    /// again renames the same way.
    pub fn agents_to_rename(&self, theirs: &Settings) -> BTreeMap<AgentId, AgentId> {
        let person = |a: &Agent| {
            format!(
                "{}\n{}",
                a.name.trim().to_lowercase(),
                a.email.trim().to_lowercase()
            )
        };
        let taken: BTreeSet<&str> = self
            .agents
            .iter()
            .chain(&theirs.agents)
            .map(|a| a.id.0.as_str())
            .collect();
        let mut renamed = BTreeMap::new();
        let mut fresh = Vec::new();
        for a in &theirs.agents {
            let Some(mine) = self.agents.iter().find(|m| m.id == a.id) else {
                continue;
            };
            if person(mine) == person(a) {
                continue;
            }
            // FNV-1a of the person: short, stable across devices and runs.
            let hash = person(a).bytes().fold(0x811c_9dc5_u32, |h, b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            });
            let mut id = format!("{}-{hash:08x}", a.id.0);
            let mut n = 1;
            // Taken by someone else: try the next. Taken here by this very person (an earlier
            // import of theirs): the same id again.
            while fresh.contains(&id)
                || (taken.contains(id.as_str())
                    && !self
                        .agents
                        .iter()
                        .any(|m| m.id.0 == id && person(m) == person(a)))
            {
                n += 1;
                id = format!("{}-{hash:08x}-{n}", a.id.0);
            }
            fresh.push(id.clone());
            renamed.insert(a.id.clone(), AgentId(id));
        }
        renamed
    }

    /// Merges another installation's settings (an import) into these without overwriting
    /// anything: entries whose id (or, for categories, name) is not here yet are appended; every
    /// value already set here stays. Importing the same file twice adds nothing the second time.
    pub fn merge_missing(&mut self, other: &Settings) -> SettingsMerge {
        let norm = |c: &String| c.trim().to_lowercase();
        SettingsMerge {
            agents: add_missing(&mut self.agents, &other.agents, |a| a.id.clone()),
            teams: add_missing(&mut self.teams, &other.teams, |t| t.id.clone()),
            categories: add_missing(&mut self.categories, &other.categories, norm),
            calendars: add_missing(&mut self.sla.calendars, &other.sla.calendars, |c| {
                c.id.clone()
            }),
            sla_policies: add_missing(&mut self.sla.policies, &other.sla.policies, |p| {
                p.id.clone()
            }),
            canned_responses: add_missing(
                &mut self.canned_responses,
                &other.canned_responses,
                |c| c.id.clone(),
            ),
            macros: add_missing(&mut self.macros, &other.macros, |m| m.id.clone()),
            custom_fields: add_missing(
                &mut self.domain.custom_fields,
                &other.domain.custom_fields,
                |f| f.key.clone(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(Settings::default().problems(), vec![]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut s = Settings::default();
        s.profile.name = "  ".into();
        s.profile.locales.clear();
        s.categories = vec!["Billing".into(), "billing ".into()];
        s.domain.reopen_window_secs = -1;
        let p = s.problems();
        assert!(p.contains(&SettingsProblem::EmptyName));
        assert!(p.contains(&SettingsProblem::NoLocale));
        assert!(p.contains(&SettingsProblem::DuplicateCategory("billing ".into())));
        assert!(p.contains(&SettingsProblem::NegativePeriod));
    }

    #[test]
    fn names_must_not_be_blank_and_teams_not_repeat() {
        use crate::assignment::Team;
        use crate::model::TeamId;
        let team = |id: &str, name: &str| Team {
            id: TeamId(id.into()),
            name: name.into(),
            members: Vec::new(),
        };
        let s = Settings {
            categories: vec!["Billing".into(), " ".into()],
            teams: vec![team("a", "Support"), team("b", "support "), team("c", "")],
            ..Settings::default()
        };
        let p = s.problems();
        assert!(p.contains(&SettingsProblem::Blank(SettingsItem::Category(1))));
        assert!(p.contains(&SettingsProblem::Blank(SettingsItem::TeamName(2))));
        assert!(p.contains(&SettingsProblem::DuplicateTeam("support ".into())));
        assert_eq!(
            SettingsProblem::Blank(SettingsItem::Category(1)).to_string(),
            "category 2 is empty"
        );
    }

    #[test]
    fn normalising_makes_team_members_follow_the_agents_lists() {
        use crate::assignment::{Agent, Team};
        use crate::model::{AgentId, TeamId};
        let mut s = Settings {
            teams: vec![Team {
                id: TeamId("t".into()),
                name: "T".into(),
                members: vec![AgentId("gone".into())],
            }],
            ..Settings::default()
        };
        s.agents = vec![Agent {
            id: AgentId("ana".into()),
            name: "Ana".into(),
            email: "ana@example.com".into(),
            skills: vec![],
            languages: vec![],
            levels: vec![],
            teams: vec![TeamId("t".into()), TeamId("removed".into())],
            capacity: 1,
            availability: Default::default(),
            role: Default::default(),
        }];
        s.normalise();
        assert_eq!(s.teams[0].members, vec![AgentId("ana".into())]);
        assert_eq!(s.agents[0].teams, vec![TeamId("t".into())]);
    }

    #[test]
    fn custom_fields_need_a_unique_machine_key_and_choices() {
        use crate::settings::{FieldDef, FieldKind};
        let field = |key: &str, kind| FieldDef {
            key: key.into(),
            label: String::new(),
            kind,
            choices: Vec::new(),
            required: false,
            agent_only: false,
        };
        let mut s = Settings::default();
        s.domain.custom_fields = vec![
            field("order_number", FieldKind::Text),
            field("order_number", FieldKind::Number),
            field("Order Nº", FieldKind::Text),
            field("size", FieldKind::Choice),
        ];
        assert_eq!(
            s.problems(),
            vec![
                SettingsProblem::DuplicateField("order_number".into()),
                SettingsProblem::BadFieldKey("Order Nº".into()),
                SettingsProblem::NoChoices("size".into()),
            ]
        );
        s.domain.custom_fields.truncate(1);
        assert!(s.problems().is_empty());
    }

    #[test]
    fn settings_survive_json_with_missing_sections() {
        let s: Settings =
            serde_json::from_str(r#"{"profile":{"name":"Tienda","locales":["es"]}}"#).unwrap();
        assert_eq!(s.profile.name, "Tienda");
        assert_eq!(s.domain, DomainSettings::default());
    }

    #[test]
    fn merging_adds_only_what_is_missing_and_is_idempotent() {
        let mut mine = Settings {
            categories: vec!["Billing".into()],
            ..Settings::default()
        };
        mine.domain.reopen_window_secs = 60;
        let mut theirs = Settings {
            categories: vec!["billing".into(), "Returns".into()],
            ..Settings::default()
        };
        theirs.domain.reopen_window_secs = 120;
        theirs.canned_responses = vec![CannedResponse {
            id: "hi".into(),
            title: "Hi".into(),
            body: "Hello".into(),
        }];
        let first = mine.merge_missing(&theirs);
        assert_eq!(first.categories, 1);
        assert_eq!(first.canned_responses, 1);
        assert_eq!(first.calendars, 0, "the default calendar is already here");
        assert_eq!(first.total(), 2);
        assert_eq!(
            mine.categories,
            vec!["Billing".to_owned(), "Returns".to_owned()]
        );
        assert_eq!(mine.domain.reopen_window_secs, 60, "values set here stay");
        assert_eq!(mine.merge_missing(&theirs).total(), 0);
        assert!(mine.problems().is_empty());
    }
}
