//! Automatic assignment: which agent (and team) a ticket goes to.
//!
//! The model follows the routing found in mature help desks: an ordered list of rules (the first
//! enabled rule whose conditions match wins, like Zendesk triggers), each sending the ticket to a
//! team with a strategy (Freshdesk's round-robin, load-based and skill-based assignment), and a
//! default strategy and fallback team for tickets no rule matches.
//!
//! [`assign`] is a pure function of its inputs: the ticket's routing attributes
//! ([`AssignmentInput`]), the settings, the agents and their current load ([`AgentLoad`]). It never
//! re-routes a manually assigned ticket, only picks agents who are available and under capacity,
//! and breaks every tie by agent id so that every device computes the same answer.
//!
//! ## How candidates are narrowed
//!
//! 1. **Pool**: the members of the target team, or every agent when there is no target team.
//!    Membership is read from [`Agent::teams`]; [`roster_problems`] reports any disagreement with
//!    [`Team::members`], which the console shows.
//! 2. **Qualified**: agents with the rule's required skill (if any) and, for the match strategies,
//!    the ticket's skills, language or level.
//! 3. **Available**: agents whose availability is [`Availability::Available`].
//! 4. **Under capacity**: agents with fewer open tickets than their capacity.
//!
//! The first step that leaves nobody names the [`AssignmentReason`], so an admin can tell "nobody
//! speaks Portuguese" from "everyone is at capacity".

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::{AgentId, Channel, Level, Priority, TeamId, TicketType};

#[cfg(test)]
mod tests;

/// Whether an agent can take new tickets right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Signed in and taking tickets.
    #[default]
    Available,
    /// Signed in but not taking new tickets (break, meeting).
    Away,
    /// Not working.
    Offline,
}

/// What an agent may do in the console. Both roles can be assigned tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Agent,
    Admin,
}

/// A staff member who can be assigned tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub id: AgentId,
    pub name: String,
    pub email: String,
    /// Free-text skills ("billing", "android"); compared without regard to case.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Language tags the agent answers in ("es", "en-GB"); see [`language_matches`].
    #[serde(default)]
    pub languages: Vec<String>,
    /// Support levels the agent works.
    #[serde(default)]
    pub levels: Vec<Level>,
    #[serde(default)]
    pub teams: Vec<TeamId>,
    /// Most open tickets the agent should hold at once. Zero means the agent gets tickets only by
    /// hand.
    pub capacity: u32,
    #[serde(default)]
    pub availability: Availability,
    #[serde(default)]
    pub role: Role,
}

impl Agent {
    /// Whether the agent lists `skill` (case-insensitive, surrounding spaces ignored).
    pub fn has_skill(&self, skill: &str) -> bool {
        self.skills.iter().any(|s| same_text(s, skill))
    }

    /// Whether the agent answers in `language`, per [`language_matches`].
    pub fn speaks(&self, language: &str) -> bool {
        self.languages.iter().any(|l| language_matches(l, language))
    }

    /// Whether the agent works tickets of `level`.
    pub fn works_level(&self, level: Level) -> bool {
        self.levels.contains(&level)
    }
}

/// A group of agents tickets can be routed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    #[serde(default)]
    pub members: Vec<AgentId>,
}

/// Identifies an assignment rule; reported back in [`AssignmentDecision::rule`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RuleId(pub String);

/// How an agent is picked among the qualified, available agents under capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The next agent by id after the last one this pool received (the cursor), wrapping around.
    RoundRobin,
    /// The agent with the fewest open tickets (load-based).
    FewestOpen,
    /// Agents having at least one of the ticket's wanted skills (the rule's required skill, the
    /// ticket's category and its tags); most matching skills first, then fewest open. With no
    /// wanted skill at all, this is [`Strategy::FewestOpen`].
    SkillMatch,
    /// Agents who speak the ticket's language, then fewest open. A ticket without a language can
    /// go to anyone.
    LanguageMatch,
    /// Agents who work the ticket's support level, then fewest open.
    LevelMatch,
}

/// When a rule applies. Every list is an any-of list; an empty list matches anything. All
/// non-empty lists must match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleConditions {
    pub ticket_types: Vec<TicketType>,
    /// Case-insensitive.
    pub categories: Vec<String>,
    /// Language tags, compared with [`language_matches`].
    pub languages: Vec<String>,
    pub priorities: Vec<Priority>,
    pub channels: Vec<Channel>,
    /// Matches when the ticket carries at least one of these tags (case-insensitive).
    pub tags: Vec<String>,
    /// The customer's plan as the host site signed it (see [`crate::customer`]), case-insensitive.
    /// A ticket without a known plan matches no non-empty list.
    pub plans: Vec<String>,
}

impl RuleConditions {
    /// Whether a ticket with these attributes satisfies every non-empty list.
    pub fn matches(&self, input: &AssignmentInput) -> bool {
        let any_text = |list: &[String], value: Option<&String>| {
            list.is_empty() || value.is_some_and(|v| list.iter().any(|x| same_text(x, v)))
        };
        (self.ticket_types.is_empty() || self.ticket_types.contains(&input.ticket_type))
            && any_text(&self.categories, input.category.as_ref())
            && (self.languages.is_empty()
                || input
                    .language
                    .as_ref()
                    .is_some_and(|v| self.languages.iter().any(|l| language_matches(l, v))))
            && (self.priorities.is_empty() || self.priorities.contains(&input.priority))
            && (self.channels.is_empty() || self.channels.contains(&input.channel))
            && (self.tags.is_empty()
                || input
                    .tags
                    .iter()
                    .any(|t| self.tags.iter().any(|x| same_text(x, t))))
            && any_text(&self.plans, input.plan.as_ref())
    }
}

/// One routing rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentRule {
    pub id: RuleId,
    pub name: String,
    pub enabled: bool,
    #[serde(default)]
    pub conditions: RuleConditions,
    /// The team the ticket goes to. Without one, every agent is a candidate and the ticket's team
    /// is left as it is.
    #[serde(default)]
    pub target_team: Option<TeamId>,
    /// Only agents with this skill are candidates, whatever the strategy.
    #[serde(default)]
    pub required_skill: Option<String>,
    pub strategy: Strategy,
}

/// The assignment configuration of an installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentSettings {
    /// Tried in order; the first enabled rule that matches wins, even if it then finds no agent
    /// (the ticket then waits in that rule's team queue rather than falling through).
    #[serde(default)]
    pub rules: Vec<AssignmentRule>,
    /// Strategy for tickets no rule matches.
    pub default_strategy: Strategy,
    /// Team for tickets no rule matches; without one, every agent is a candidate.
    #[serde(default)]
    pub fallback_team: Option<TeamId>,
}

impl Default for AssignmentSettings {
    fn default() -> Self {
        AssignmentSettings {
            rules: Vec::new(),
            default_strategy: Strategy::FewestOpen,
            fallback_team: None,
        }
    }
}

/// A problem in [`AssignmentSettings`] that an admin must fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssignmentSettingsError {
    #[error("assignment rule number {position} has an empty id; give every rule a unique id")]
    EmptyRuleId { position: usize },
    #[error("assignment rule `{rule}` has no name; give it a name agents will recognise")]
    EmptyRuleName { rule: String },
    #[error("the id `{rule}` is used by more than one assignment rule; rule ids must be unique")]
    DuplicateRuleId { rule: String },
    #[error(
        "assignment rule `{rule}` sends tickets to team `{team}`, which does not exist; create the team or choose another"
    )]
    UnknownRuleTeam { rule: String, team: String },
    #[error(
        "the fallback team `{team}` does not exist; create it, choose another, or leave the fallback empty"
    )]
    UnknownFallbackTeam { team: String },
    #[error(
        "assignment rule `{rule}` requires an empty skill; name the skill or remove the requirement"
    )]
    EmptyRequiredSkill { rule: String },
    #[error(
        "assignment rule `{rule}` has an empty value in its {field} condition; remove it or fill it in"
    )]
    EmptyConditionValue { rule: String, field: &'static str },
}

impl AssignmentSettings {
    /// Every problem found, in rule order, checked against the existing `teams`. Invalid settings
    /// never make [`assign`] panic; this is what the settings screen shows before saving.
    pub fn problems(&self, teams: &[Team]) -> Vec<AssignmentSettingsError> {
        let known: BTreeSet<&TeamId> = teams.iter().map(|t| &t.id).collect();
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        for (index, rule) in self.rules.iter().enumerate() {
            let id = rule.id.0.trim();
            if id.is_empty() {
                problems.push(AssignmentSettingsError::EmptyRuleId {
                    position: index + 1,
                });
            } else if !seen.insert(id) {
                problems.push(AssignmentSettingsError::DuplicateRuleId {
                    rule: id.to_owned(),
                });
            }
            let label = if id.is_empty() {
                format!("#{}", index + 1)
            } else {
                id.to_owned()
            };
            if rule.name.trim().is_empty() {
                problems.push(AssignmentSettingsError::EmptyRuleName {
                    rule: label.clone(),
                });
            }
            if let Some(team) = &rule.target_team
                && !known.contains(team)
            {
                problems.push(AssignmentSettingsError::UnknownRuleTeam {
                    rule: label.clone(),
                    team: team.0.clone(),
                });
            }
            if rule
                .required_skill
                .as_ref()
                .is_some_and(|s| s.trim().is_empty())
            {
                problems.push(AssignmentSettingsError::EmptyRequiredSkill {
                    rule: label.clone(),
                });
            }
            let c = &rule.conditions;
            for (field, list) in [
                ("category", &c.categories),
                ("language", &c.languages),
                ("tag", &c.tags),
                ("plan", &c.plans),
            ] {
                if list.iter().any(|v| v.trim().is_empty()) {
                    problems.push(AssignmentSettingsError::EmptyConditionValue {
                        rule: label.clone(),
                        field,
                    });
                }
            }
        }
        if let Some(team) = &self.fallback_team
            && !known.contains(team)
        {
            problems.push(AssignmentSettingsError::UnknownFallbackTeam {
                team: team.0.clone(),
            });
        }
        problems
    }

    /// `Ok` when [`AssignmentSettings::problems`] finds nothing, else the first problem.
    pub fn validate(&self, teams: &[Team]) -> Result<(), AssignmentSettingsError> {
        match self.problems(teams).into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// The first enabled rule whose conditions match the ticket.
    pub fn matching_rule(&self, input: &AssignmentInput) -> Option<&AssignmentRule> {
        self.rules
            .iter()
            .find(|r| r.enabled && r.conditions.matches(input))
    }
}

/// A problem in the list of agents and teams.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error("two agents share the id `{agent}`; agent ids must be unique")]
    DuplicateAgentId { agent: String },
    #[error("two teams share the id `{team}`; team ids must be unique")]
    DuplicateTeamId { team: String },
    #[error("team `{team}` lists member `{agent}`, who is not an agent; remove them from the team")]
    UnknownMember { team: String, agent: String },
    #[error(
        "agent `{agent}` belongs to team `{team}`, which does not exist; create it or remove it"
    )]
    UnknownTeam { agent: String, team: String },
    #[error(
        "team `{team}` and agent `{agent}` disagree on membership; add the team to the agent's teams and the agent to the team's members, or remove both"
    )]
    MembershipMismatch { team: String, agent: String },
}

/// Checks that ids are unique and that memberships point at existing agents and teams.
pub fn roster_problems(agents: &[Agent], teams: &[Team]) -> Vec<RosterError> {
    let mut problems = Vec::new();
    let mut agent_ids = BTreeSet::new();
    for agent in agents {
        if !agent_ids.insert(&agent.id) {
            problems.push(RosterError::DuplicateAgentId {
                agent: agent.id.0.clone(),
            });
        }
    }
    let mut team_ids = BTreeSet::new();
    for team in teams {
        if !team_ids.insert(&team.id) {
            problems.push(RosterError::DuplicateTeamId {
                team: team.id.0.clone(),
            });
        }
        for member in &team.members {
            if !agent_ids.contains(member) {
                problems.push(RosterError::UnknownMember {
                    team: team.id.0.clone(),
                    agent: member.0.clone(),
                });
            }
        }
    }
    for agent in agents {
        for team in &agent.teams {
            if !team_ids.contains(team) {
                problems.push(RosterError::UnknownTeam {
                    agent: agent.id.0.clone(),
                    team: team.0.clone(),
                });
            }
        }
    }
    // Routing reads `Agent::teams`; the two lists must agree or the console would mislead.
    let mut pairs_by_team: BTreeSet<(&TeamId, &AgentId)> = BTreeSet::new();
    for team in teams {
        for member in team.members.iter().filter(|m| agent_ids.contains(m)) {
            pairs_by_team.insert((&team.id, member));
        }
    }
    let mut pairs_by_agent: BTreeSet<(&TeamId, &AgentId)> = BTreeSet::new();
    for agent in agents {
        for team in agent.teams.iter().filter(|t| team_ids.contains(t)) {
            pairs_by_agent.insert((team, &agent.id));
        }
    }
    for (team, agent) in pairs_by_team.symmetric_difference(&pairs_by_agent) {
        problems.push(RosterError::MembershipMismatch {
            team: team.0.clone(),
            agent: agent.0.clone(),
        });
    }
    problems
}

/// What routing needs to know about a ticket, independent of how tickets are stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentInput {
    pub ticket_type: TicketType,
    pub category: Option<String>,
    /// Language tag of the customer's messages, if known.
    pub language: Option<String>,
    /// The customer's plan, from the context the host site signed.
    #[serde(default)]
    pub plan: Option<String>,
    pub priority: Priority,
    pub channel: Channel,
    #[serde(default)]
    pub tags: Vec<String>,
    pub level: Level,
    pub current_assignee: Option<AgentId>,
    /// The ticket's current team, returned untouched on a manual override.
    #[serde(default)]
    pub current_team: Option<TeamId>,
    /// A person chose the assignee (or chose to leave it unassigned): routing must not change it.
    pub manually_assigned: bool,
}

/// The workload the caller tracks between assignments.
///
/// `open_by_agent` should count each agent's open tickets *excluding* the ticket being routed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AgentLoad {
    #[serde(default)]
    pub open_by_agent: BTreeMap<AgentId, u32>,
    /// Last agent round robin picked in each team's pool.
    #[serde(default)]
    pub round_robin_cursor: BTreeMap<TeamId, AgentId>,
    /// Last agent round robin picked when the pool was every agent (no target team).
    #[serde(default)]
    pub round_robin_cursor_all: Option<AgentId>,
}

impl AgentLoad {
    /// Open tickets held by `agent` (zero when unknown).
    pub fn open(&self, agent: &AgentId) -> u32 {
        self.open_by_agent.get(agent).copied().unwrap_or(0)
    }

    /// The round-robin cursor of a pool: a team, or every agent for `None`.
    pub fn cursor(&self, team: Option<&TeamId>) -> Option<&AgentId> {
        match team {
            Some(team) => self.round_robin_cursor.get(team),
            None => self.round_robin_cursor_all.as_ref(),
        }
    }

    /// Stores the decision's new cursor and, when routing picked an agent, counts the ticket as
    /// open for that agent. Useful when assigning a queue of tickets one after another.
    pub fn record(&mut self, decision: &AssignmentDecision) {
        if let Some(cursor) = &decision.cursor {
            match &cursor.team {
                Some(team) => {
                    self.round_robin_cursor
                        .insert(team.clone(), cursor.last.clone());
                }
                None => self.round_robin_cursor_all = Some(cursor.last.clone()),
            }
        }
        if let (AssignmentReason::Matched { .. }, Some(agent)) = (&decision.reason, &decision.agent)
        {
            *self.open_by_agent.entry(agent.clone()).or_insert(0) += 1;
        }
    }
}

/// The new position of a round-robin cursor, for the caller to store in [`AgentLoad`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRobinCursor {
    /// The pool: a team, or every agent for `None`.
    pub team: Option<TeamId>,
    /// The agent just picked.
    pub last: AgentId,
}

crate::tagged! {
    #[tag = "kind"]
    /// Why [`assign`] decided what it did.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum AssignmentReason {
        /// The ticket was assigned by hand; routing left it alone.
        ManualOverride,
        /// An agent was picked with this strategy.
        Matched { strategy: Strategy },
        /// The pool is empty: the team has no members (or there are no agents at all).
        NoCandidates,
        /// Nobody in the pool has the required skill, language or level.
        NoQualifiedAgent { strategy: Strategy },
        /// Qualified agents exist but none is available (all away or offline).
        NoAvailableAgent,
        /// Every qualified, available agent is at capacity.
        AllAtCapacity,
    }
}

/// The outcome of routing one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentDecision {
    /// The agent to assign; `None` leaves the ticket in the team queue.
    pub agent: Option<AgentId>,
    /// The team the ticket belongs to; `None` when neither the rule nor the settings name one.
    pub team: Option<TeamId>,
    /// The rule that matched, if any.
    pub rule: Option<RuleId>,
    pub reason: AssignmentReason,
    /// Set when round robin picked an agent: the caller stores it (see [`AgentLoad::record`]).
    pub cursor: Option<RoundRobinCursor>,
}

/// Routes one ticket. See the module documentation for the order of the checks.
pub fn assign(
    input: &AssignmentInput,
    settings: &AssignmentSettings,
    agents: &[Agent],
    load: &AgentLoad,
) -> AssignmentDecision {
    if input.manually_assigned {
        return AssignmentDecision {
            agent: input.current_assignee.clone(),
            team: input.current_team.clone(),
            rule: None,
            reason: AssignmentReason::ManualOverride,
            cursor: None,
        };
    }

    let (rule, team, strategy, required_skill) = match settings.matching_rule(input) {
        Some(rule) => (
            Some(rule.id.clone()),
            rule.target_team.clone(),
            rule.strategy,
            rule.required_skill
                .as_deref()
                .filter(|s| !s.trim().is_empty()),
        ),
        None => (
            None,
            settings.fallback_team.clone(),
            settings.default_strategy,
            None,
        ),
    };
    let decide = |agent: Option<AgentId>, reason, cursor| AssignmentDecision {
        agent,
        team: team.clone(),
        rule: rule.clone(),
        reason,
        cursor,
    };

    // Sorting by id makes every later choice independent of the order agents were listed in.
    let mut pool: Vec<&Agent> = agents
        .iter()
        .filter(|a| team.as_ref().is_none_or(|t| a.teams.contains(t)))
        .collect();
    pool.sort_by(|a, b| a.id.cmp(&b.id));
    pool.dedup_by(|a, b| a.id == b.id);
    if pool.is_empty() {
        return decide(None, AssignmentReason::NoCandidates, None);
    }

    let wanted = wanted_skills(input, required_skill);
    let qualified: Vec<&Agent> = pool
        .into_iter()
        .filter(|a| required_skill.is_none_or(|s| a.has_skill(s)))
        .filter(|a| qualifies(a, strategy, input, &wanted))
        .collect();
    if qualified.is_empty() {
        return decide(None, AssignmentReason::NoQualifiedAgent { strategy }, None);
    }

    let available: Vec<&Agent> = qualified
        .into_iter()
        .filter(|a| a.availability == Availability::Available)
        .collect();
    if available.is_empty() {
        return decide(None, AssignmentReason::NoAvailableAgent, None);
    }

    let with_room: Vec<&Agent> = available
        .into_iter()
        .filter(|a| load.open(&a.id) < a.capacity)
        .collect();
    let Some(first) = with_room.first() else {
        return decide(None, AssignmentReason::AllAtCapacity, None);
    };

    let matched = AssignmentReason::Matched { strategy };
    match strategy {
        Strategy::RoundRobin => {
            let cursor = load.cursor(team.as_ref());
            let next = cursor
                .and_then(|last| with_room.iter().find(|a| &a.id > last))
                .unwrap_or(first);
            let cursor = RoundRobinCursor {
                team: team.clone(),
                last: next.id.clone(),
            };
            decide(Some(next.id.clone()), matched, Some(cursor))
        }
        Strategy::SkillMatch => {
            // Most matching skills first, then the lightest load; `min_by_key` keeps the first
            // (lowest id) of equals.
            let best = with_room
                .iter()
                .min_by_key(|a| {
                    let matching = wanted.iter().filter(|s| a.has_skill(s)).count();
                    (std::cmp::Reverse(matching), load.open(&a.id))
                })
                .unwrap_or(first);
            decide(Some(best.id.clone()), matched, None)
        }
        Strategy::FewestOpen | Strategy::LanguageMatch | Strategy::LevelMatch => {
            let best = with_room
                .iter()
                .min_by_key(|a| load.open(&a.id))
                .unwrap_or(first);
            decide(Some(best.id.clone()), matched, None)
        }
    }
}

/// Skills that [`Strategy::SkillMatch`] looks for: the required skill, the category and the tags.
fn wanted_skills<'a>(input: &'a AssignmentInput, required: Option<&'a str>) -> Vec<&'a str> {
    let mut wanted: Vec<&str> = required
        .into_iter()
        .chain(input.category.as_deref())
        .chain(input.tags.iter().map(String::as_str))
        .filter(|s| !s.trim().is_empty())
        .collect();
    wanted.sort_by_key(|s| normalize(s));
    wanted.dedup_by(|a, b| same_text(a, b));
    wanted
}

fn qualifies(agent: &Agent, strategy: Strategy, input: &AssignmentInput, wanted: &[&str]) -> bool {
    match strategy {
        Strategy::RoundRobin | Strategy::FewestOpen => true,
        Strategy::SkillMatch => wanted.is_empty() || wanted.iter().any(|s| agent.has_skill(s)),
        Strategy::LanguageMatch => input.language.as_ref().is_none_or(|l| agent.speaks(l)),
        Strategy::LevelMatch => agent.works_level(input.level),
    }
}

/// Whether two language tags name the same language: equal ignoring case and `_`/`-`, or the same
/// primary language (`es` serves `es-MX`, and `es-ES` serves `es-MX`).
pub fn language_matches(a: &str, b: &str) -> bool {
    let a = normalize(a).replace('_', "-");
    let b = normalize(b).replace('_', "-");
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a == b || a.split('-').next() == b.split('-').next()
}

fn normalize(s: &str) -> String {
    s.trim().to_lowercase()
}

fn same_text(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}
