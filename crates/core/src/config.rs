//! Everything a help desk is configured with, in one value: what the settings screen edits, what
//! export carries beside the event log, and what the SLA, routing and KPI engines read.
//!
//! Settings are not events: a change applies to what is decided and evaluated from then on, and
//! never rewrites the history already recorded.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::assignment::{Agent, AssignmentSettings, AssignmentSettingsError, RosterError, Team};
use crate::settings::DomainSettings;
use crate::sla::{SlaSettings, SlaSettingsError};
use crate::template::{CannedResponse, Macro};

/// The shop or company running the help desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Shown in the portal's header and in replies.
    pub name: String,
    /// Languages the help desk offers (BCP 47: "es", "en", "pt-BR"); the first is the default.
    pub locales: Vec<String>,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            name: "Mostrador".into(),
            locales: vec!["es".into(), "en".into(), "pt".into()],
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
    #[error(transparent)]
    Sla(#[from] SlaSettingsError),
    #[error(transparent)]
    Assignment(#[from] AssignmentSettingsError),
    #[error(transparent)]
    Roster(#[from] RosterError),
}

impl Settings {
    /// Every problem, so a settings screen can show them all at once; empty when valid.
    pub fn problems(&self) -> Vec<SettingsProblem> {
        let mut out = Vec::new();
        if self.profile.name.trim().is_empty() {
            out.push(SettingsProblem::EmptyName);
        }
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
        out
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
    fn settings_survive_json_with_missing_sections() {
        let s: Settings =
            serde_json::from_str(r#"{"profile":{"name":"Tienda","locales":["es"]}}"#).unwrap();
        assert_eq!(s.profile.name, "Tienda");
        assert_eq!(s.domain, DomainSettings::default());
    }
}
