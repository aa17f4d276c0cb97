//! Table tests for routing. Every agent, rule and load is spelled out in the test that uses it.

use super::*;

fn id(s: &str) -> AgentId {
    AgentId(s.to_owned())
}

fn team(s: &str) -> TeamId {
    TeamId(s.to_owned())
}

/// An available agent in `teams` with room for 5 tickets and no skills, languages or levels.
fn agent(name: &str, teams: &[&str]) -> Agent {
    Agent {
        id: id(name),
        name: name.to_uppercase(),
        email: format!("{name}@example.com"),
        skills: Vec::new(),
        languages: Vec::new(),
        levels: Vec::new(),
        teams: teams.iter().map(|t| team(t)).collect(),
        capacity: 5,
        availability: Availability::Available,
        role: Role::Agent,
    }
}

fn ticket() -> AssignmentInput {
    AssignmentInput {
        ticket_type: TicketType::Question,
        category: None,
        language: None,
        plan: None,
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: Vec::new(),
        level: Level::L1,
        current_assignee: None,
        current_team: None,
        manually_assigned: false,
    }
}

fn rule(rule_id: &str, team_id: Option<&str>, strategy: Strategy) -> AssignmentRule {
    AssignmentRule {
        id: RuleId(rule_id.to_owned()),
        name: format!("Rule {rule_id}"),
        enabled: true,
        conditions: RuleConditions::default(),
        target_team: team_id.map(team),
        required_skill: None,
        strategy,
    }
}

fn settings(
    rules: Vec<AssignmentRule>,
    default: Strategy,
    fallback: Option<&str>,
) -> AssignmentSettings {
    AssignmentSettings {
        rules,
        default_strategy: default,
        fallback_team: fallback.map(team),
    }
}

fn load(open: &[(&str, u32)]) -> AgentLoad {
    AgentLoad {
        open_by_agent: open.iter().map(|(a, n)| (id(a), *n)).collect(),
        ..AgentLoad::default()
    }
}

fn picked(decision: &AssignmentDecision) -> Option<&str> {
    decision.agent.as_ref().map(|a| a.0.as_str())
}

#[test]
fn manual_override_wins_over_every_rule() {
    let agents = vec![agent("ana", &["billing"])];
    let s = settings(
        vec![rule("r1", Some("billing"), Strategy::FewestOpen)],
        Strategy::FewestOpen,
        None,
    );
    let mut input = ticket();
    input.current_assignee = Some(id("zoe"));
    input.current_team = Some(team("vip"));
    input.manually_assigned = true;
    let d = assign(&input, &s, &agents, &AgentLoad::default());
    assert_eq!(d.reason, AssignmentReason::ManualOverride);
    assert_eq!(picked(&d), Some("zoe"));
    assert_eq!(d.team, Some(team("vip")));
    assert_eq!(d.rule, None);

    // Manually left unassigned stays unassigned.
    input.current_assignee = None;
    let d = assign(&input, &s, &agents, &AgentLoad::default());
    assert_eq!(d.reason, AssignmentReason::ManualOverride);
    assert_eq!(d.agent, None);

    // The same ticket, not manual, is routed.
    input.manually_assigned = false;
    let d = assign(&input, &s, &agents, &AgentLoad::default());
    assert_eq!(picked(&d), Some("ana"));
}

#[test]
fn availability_and_capacity_are_respected() {
    let mut away = agent("ana", &[]);
    away.availability = Availability::Away;
    let mut offline = agent("bea", &[]);
    offline.availability = Availability::Offline;
    let mut full = agent("carla", &[]);
    full.capacity = 2;
    let free = agent("dora", &[]);
    let s = AssignmentSettings::default();
    // ana, bea have 0 open but are not available; carla has 2/2; dora 4/5 is the only choice even
    // though she is the busiest.
    let l = load(&[("carla", 2), ("dora", 4)]);
    let agents = vec![away.clone(), offline.clone(), full.clone(), free];
    let d = assign(&ticket(), &s, &agents, &l);
    assert_eq!(picked(&d), Some("dora"));

    // Without dora: carla is available but full.
    let agents = vec![away.clone(), offline.clone(), full];
    let d = assign(&ticket(), &s, &agents, &l);
    assert_eq!(d.reason, AssignmentReason::AllAtCapacity);
    assert_eq!(d.agent, None);

    // Only unavailable agents.
    let d = assign(&ticket(), &s, &[away, offline], &l);
    assert_eq!(d.reason, AssignmentReason::NoAvailableAgent);

    // Capacity zero means manual assignment only.
    let mut zero = agent("eva", &[]);
    zero.capacity = 0;
    let d = assign(&ticket(), &s, &[zero], &AgentLoad::default());
    assert_eq!(d.reason, AssignmentReason::AllAtCapacity);
}

#[test]
fn round_robin_rotates_by_id_and_returns_the_cursor() {
    // Listed out of order on purpose: rotation follows ids, not list order.
    let agents = vec![
        agent("carla", &["t"]),
        agent("ana", &["t"]),
        agent("bea", &["t"]),
    ];
    let s = settings(vec![], Strategy::RoundRobin, Some("t"));
    let mut l = AgentLoad::default();
    let mut order = Vec::new();
    for _ in 0..4 {
        let d = assign(&ticket(), &s, &agents, &l);
        assert_eq!(
            d.reason,
            AssignmentReason::Matched {
                strategy: Strategy::RoundRobin
            }
        );
        let cursor = d.cursor.clone().unwrap();
        assert_eq!(cursor.team, Some(team("t")));
        assert_eq!(Some(cursor.last.0.as_str()), picked(&d));
        order.push(picked(&d).unwrap().to_owned());
        l.record(&d);
    }
    assert_eq!(order, ["ana", "bea", "carla", "ana"]);
    assert_eq!(l.round_robin_cursor.get(&team("t")), Some(&id("ana")));
    // record() counted the tickets: ana got two.
    assert_eq!(l.open(&id("ana")), 2);
    assert_eq!(l.open(&id("bea")), 1);

    // An unavailable agent is skipped and the cursor moves past it: after ana, bea is away, so
    // carla; then wrap to ana.
    let mut agents = agents;
    agents[2].availability = Availability::Away; // bea
    let mut l = AgentLoad::default();
    l.round_robin_cursor.insert(team("t"), id("ana"));
    let d = assign(&ticket(), &s, &agents, &l);
    assert_eq!(picked(&d), Some("carla"));
    l.record(&d);
    let d = assign(&ticket(), &s, &agents, &l);
    assert_eq!(picked(&d), Some("ana"));

    // A cursor naming an agent who left the team still works: next id after "anna" is "carla"
    // (bea is away).
    let mut l = AgentLoad::default();
    l.round_robin_cursor.insert(team("t"), id("anna"));
    assert_eq!(picked(&assign(&ticket(), &s, &agents, &l)), Some("carla"));
}

#[test]
fn round_robin_without_team_uses_the_global_cursor() {
    let agents = vec![agent("ana", &[]), agent("bea", &[])];
    let s = settings(vec![], Strategy::RoundRobin, None);
    let mut l = AgentLoad {
        round_robin_cursor_all: Some(id("ana")),
        ..AgentLoad::default()
    };
    let d = assign(&ticket(), &s, &agents, &l);
    assert_eq!(picked(&d), Some("bea"));
    l.record(&d);
    assert_eq!(l.round_robin_cursor_all, Some(id("bea")));
    assert!(l.round_robin_cursor.is_empty());
}

#[test]
fn fewest_open_breaks_ties_by_id() {
    let agents = vec![agent("carla", &[]), agent("bea", &[]), agent("ana", &[])];
    let s = AssignmentSettings::default();
    // bea and carla both hold 1, ana holds 3: bea wins the tie on id.
    let l = load(&[("ana", 3), ("bea", 1), ("carla", 1)]);
    let d = assign(&ticket(), &s, &agents, &l);
    assert_eq!(picked(&d), Some("bea"));
    assert_eq!(
        d.reason,
        AssignmentReason::Matched {
            strategy: Strategy::FewestOpen
        }
    );
    assert_eq!(d.cursor, None);
    // An agent missing from the load counts as 0 open.
    let l = load(&[("ana", 3), ("bea", 1)]);
    assert_eq!(picked(&assign(&ticket(), &s, &agents, &l)), Some("carla"));
}

#[test]
fn skill_match_prefers_most_matching_skills_then_load() {
    let mut ana = agent("ana", &[]);
    ana.skills = vec!["Billing".into()];
    let mut bea = agent("bea", &[]);
    bea.skills = vec!["billing".into(), "refunds".into()];
    let mut carla = agent("carla", &[]);
    carla.skills = vec!["android".into()];
    let agents = vec![ana, bea, carla];
    let s = settings(vec![], Strategy::SkillMatch, None);
    let mut input = ticket();
    input.category = Some("billing".into());
    input.tags = vec!["REFUNDS".into(), "vip".into()];
    // bea matches 2 (billing, refunds), ana 1, carla 0: bea, even with more open tickets.
    let l = load(&[("bea", 3)]);
    assert_eq!(picked(&assign(&input, &s, &agents, &l)), Some("bea"));
    // Only billing wanted: ana and bea tie on 1 match, ana has fewer open.
    input.tags.clear();
    assert_eq!(picked(&assign(&input, &s, &agents, &l)), Some("ana"));
    // Nobody has the skill.
    input.category = Some("legal".into());
    let d = assign(&input, &s, &agents, &l);
    assert_eq!(
        d.reason,
        AssignmentReason::NoQualifiedAgent {
            strategy: Strategy::SkillMatch
        }
    );
}

#[test]
fn required_skill_filters_every_strategy() {
    let mut ana = agent("ana", &["t"]);
    ana.skills = vec!["sap".into()];
    let bea = agent("bea", &["t"]);
    let mut r = rule("sap", Some("t"), Strategy::FewestOpen);
    r.required_skill = Some("SAP".into());
    let s = settings(vec![r], Strategy::FewestOpen, None);
    // bea is idle and ana busy, but only ana has the skill.
    let l = load(&[("ana", 4)]);
    let d = assign(&ticket(), &s, &[ana, bea.clone()], &l);
    assert_eq!(picked(&d), Some("ana"));
    assert_eq!(d.rule, Some(RuleId("sap".into())));
    let d = assign(&ticket(), &s, &[bea], &l);
    assert_eq!(
        d.reason,
        AssignmentReason::NoQualifiedAgent {
            strategy: Strategy::FewestOpen
        }
    );
}

#[test]
fn language_match_uses_primary_language() {
    let mut ana = agent("ana", &[]);
    ana.languages = vec!["en".into()];
    let mut bea = agent("bea", &[]);
    bea.languages = vec!["es_ES".into(), "en".into()];
    let agents = vec![ana, bea];
    let s = settings(vec![], Strategy::LanguageMatch, None);
    let mut input = ticket();
    input.language = Some("es-MX".into());
    // ana is idle but speaks no Spanish.
    let l = load(&[("bea", 2)]);
    assert_eq!(picked(&assign(&input, &s, &agents, &l)), Some("bea"));
    input.language = Some("pt".into());
    assert_eq!(
        assign(&input, &s, &agents, &l).reason,
        AssignmentReason::NoQualifiedAgent {
            strategy: Strategy::LanguageMatch
        }
    );
    // No language known: anyone, fewest open first.
    input.language = None;
    assert_eq!(picked(&assign(&input, &s, &agents, &l)), Some("ana"));

    assert!(language_matches("ES", "es-mx"));
    assert!(!language_matches("es", "est"));
    assert!(!language_matches("", ""));
}

#[test]
fn level_match_needs_the_ticket_level() {
    let mut ana = agent("ana", &[]);
    ana.levels = vec![Level::L1];
    let mut bea = agent("bea", &[]);
    bea.levels = vec![Level::L1, Level::L2];
    let agents = vec![ana, bea];
    let s = settings(vec![], Strategy::LevelMatch, None);
    let mut input = ticket();
    input.level = Level::L2;
    let l = load(&[("bea", 4)]);
    assert_eq!(picked(&assign(&input, &s, &agents, &l)), Some("bea"));
    input.level = Level::L1;
    assert_eq!(picked(&assign(&input, &s, &agents, &l)), Some("ana"));
    input.level = Level::L3;
    assert_eq!(
        assign(&input, &s, &agents, &l).reason,
        AssignmentReason::NoQualifiedAgent {
            strategy: Strategy::LevelMatch
        }
    );
}

#[test]
fn first_matching_enabled_rule_wins() {
    let agents = vec![
        agent("ana", &["billing"]),
        agent("bea", &["vip"]),
        agent("carla", &["general"]),
    ];
    let mut disabled = rule("off", Some("general"), Strategy::FewestOpen);
    disabled.enabled = false;
    let mut billing = rule("billing", Some("billing"), Strategy::FewestOpen);
    billing.conditions.categories = vec!["Billing".into()];
    let mut vip = rule("vip", Some("vip"), Strategy::FewestOpen);
    vip.conditions.tags = vec!["vip".into()];
    vip.conditions.priorities = vec![Priority::High, Priority::Urgent];
    let s = settings(
        vec![disabled, billing, vip],
        Strategy::FewestOpen,
        Some("general"),
    );
    let l = AgentLoad::default();

    let mut input = ticket();
    input.category = Some("billing".into());
    input.tags = vec!["vip".into()];
    input.priority = Priority::Urgent;
    // Both billing and vip match; billing comes first.
    let d = assign(&input, &s, &agents, &l);
    assert_eq!(
        (picked(&d), d.rule.clone(), d.team.clone()),
        (
            Some("ana"),
            Some(RuleId("billing".into())),
            Some(team("billing"))
        )
    );

    // Not billing: vip matches (tag and priority both satisfied).
    input.category = None;
    let d = assign(&input, &s, &agents, &l);
    assert_eq!(d.rule, Some(RuleId("vip".into())));
    assert_eq!(picked(&d), Some("bea"));

    // vip tag but Normal priority: no rule; the disabled rule is ignored; fallback team.
    input.priority = Priority::Normal;
    let d = assign(&input, &s, &agents, &l);
    assert_eq!(d.rule, None);
    assert_eq!(d.team, Some(team("general")));
    assert_eq!(picked(&d), Some("carla"));
}

#[test]
fn conditions_on_type_channel_and_language() {
    let mut r = rule("r", None, Strategy::FewestOpen);
    r.conditions.ticket_types = vec![TicketType::Incident];
    r.conditions.channels = vec![Channel::Phone, Channel::Chat];
    r.conditions.languages = vec!["es".into()];
    let mut input = ticket();
    input.ticket_type = TicketType::Incident;
    input.channel = Channel::Chat;
    input.language = Some("es-AR".into());
    assert!(r.conditions.matches(&input));
    input.language = None;
    assert!(
        !r.conditions.matches(&input),
        "a language condition needs a known language"
    );
    input.language = Some("es".into());
    input.channel = Channel::Email;
    assert!(!r.conditions.matches(&input));
    input.channel = Channel::Phone;
    input.ticket_type = TicketType::Task;
    assert!(!r.conditions.matches(&input));
    assert!(
        RuleConditions::default().matches(&input),
        "empty conditions match anything"
    );
}

#[test]
fn matched_rule_without_agent_waits_in_its_team_queue() {
    // The rule's team is empty: the ticket does not fall through to the fallback team.
    let agents = vec![agent("ana", &["general"])];
    let mut r = rule("r", Some("nobody"), Strategy::RoundRobin);
    r.conditions.channels = vec![Channel::Email];
    let s = settings(vec![r], Strategy::FewestOpen, Some("general"));
    let d = assign(&ticket(), &s, &agents, &AgentLoad::default());
    assert_eq!(d.reason, AssignmentReason::NoCandidates);
    assert_eq!(d.team, Some(team("nobody")));
    assert_eq!(d.rule, Some(RuleId("r".into())));
    assert_eq!(d.agent, None);
    assert_eq!(d.cursor, None);

    // No agents at all.
    let d = assign(
        &ticket(),
        &AssignmentSettings::default(),
        &[],
        &AgentLoad::default(),
    );
    assert_eq!(d.reason, AssignmentReason::NoCandidates);
}

#[test]
fn duplicate_agents_do_not_change_the_choice() {
    let agents = vec![agent("bea", &[]), agent("ana", &[]), agent("ana", &[])];
    let s = settings(vec![], Strategy::RoundRobin, None);
    let mut l = AgentLoad::default();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let d = assign(&ticket(), &s, &agents, &l);
        seen.push(picked(&d).unwrap().to_owned());
        l.record(&d);
    }
    assert_eq!(seen, ["ana", "bea", "ana"]);
}

#[test]
fn settings_validation_lists_every_problem() {
    let teams = vec![Team {
        id: team("general"),
        name: "General".into(),
        members: vec![],
    }];
    let mut blank = rule("  ", Some("general"), Strategy::FewestOpen);
    blank.name = " ".into();
    blank.enabled = false;
    let mut ghost = rule("a", Some("ghost"), Strategy::FewestOpen);
    ghost.required_skill = Some("".into());
    ghost.conditions.tags = vec!["ok".into(), " ".into()];
    let dup = rule("a", None, Strategy::FewestOpen);
    let s = settings(vec![blank, ghost, dup], Strategy::FewestOpen, Some("nope"));
    let problems = s.problems(&teams);
    assert_eq!(
        problems,
        vec![
            AssignmentSettingsError::EmptyRuleId { position: 1 },
            AssignmentSettingsError::EmptyRuleName { rule: "#1".into() },
            AssignmentSettingsError::UnknownRuleTeam {
                rule: "a".into(),
                team: "ghost".into()
            },
            AssignmentSettingsError::EmptyRequiredSkill { rule: "a".into() },
            AssignmentSettingsError::EmptyConditionValue {
                rule: "a".into(),
                field: "tag"
            },
            AssignmentSettingsError::DuplicateRuleId { rule: "a".into() },
            AssignmentSettingsError::UnknownFallbackTeam {
                team: "nope".into()
            },
        ]
    );
    assert_eq!(
        s.validate(&teams),
        Err(AssignmentSettingsError::EmptyRuleId { position: 1 })
    );
    assert_eq!(
        problems[2].to_string(),
        "assignment rule `a` sends tickets to team `ghost`, which does not exist; create the team or choose another"
    );
    // Invalid settings still route without panicking: a ticket tagged "ok" matches rule `a`,
    // whose unknown team has no members.
    let mut input = ticket();
    input.tags = vec!["ok".into()];
    let d = assign(
        &input,
        &s,
        &[agent("ana", &["general"])],
        &AgentLoad::default(),
    );
    assert_eq!(d.reason, AssignmentReason::NoCandidates);
    assert_eq!(d.team, Some(team("ghost")));
    assert_eq!(AssignmentSettings::default().validate(&teams), Ok(()));
}

#[test]
fn roster_problems_report_membership_disagreements() {
    let agents = vec![
        agent("ana", &["t1"]),
        agent("bea", &["t9"]),
        agent("bea", &[]),
    ];
    let teams = vec![
        Team {
            id: team("t1"),
            name: "One".into(),
            members: vec![id("zed")],
        },
        Team {
            id: team("t2"),
            name: "Two".into(),
            members: vec![id("bea")],
        },
    ];
    assert_eq!(
        roster_problems(&agents, &teams),
        vec![
            RosterError::DuplicateAgentId {
                agent: "bea".into()
            },
            RosterError::UnknownMember {
                team: "t1".into(),
                agent: "zed".into()
            },
            RosterError::UnknownTeam {
                agent: "bea".into(),
                team: "t9".into()
            },
            RosterError::MembershipMismatch {
                team: "t1".into(),
                agent: "ana".into()
            },
            RosterError::MembershipMismatch {
                team: "t2".into(),
                agent: "bea".into()
            },
        ]
    );
}

#[test]
fn settings_round_trip_through_json() {
    let mut r = rule("r", Some("t"), Strategy::SkillMatch);
    r.conditions.tags = vec!["vip".into()];
    let s = settings(vec![r], Strategy::RoundRobin, Some("t"));
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(
        serde_json::from_str::<AssignmentSettings>(&json).unwrap(),
        s
    );
    let d = AssignmentDecision {
        agent: Some(id("ana")),
        team: None,
        rule: None,
        reason: AssignmentReason::Matched {
            strategy: Strategy::LevelMatch,
        },
        cursor: None,
    };
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(
        json["reason"],
        serde_json::json!({"kind": "matched", "strategy": "level_match"})
    );
    let mut l = load(&[("ana", 1)]);
    l.round_robin_cursor.insert(team("t"), id("ana"));
    let json = serde_json::to_string(&l).unwrap();
    assert_eq!(serde_json::from_str::<AgentLoad>(&json).unwrap(), l);
}

#[test]
fn rules_route_on_the_signed_plan() {
    let agents = vec![agent("ana", &[]), agent("bea", &[])];
    let mut enterprise = rule("enterprise", Some("key-accounts"), Strategy::FewestOpen);
    enterprise.conditions.plans = vec!["Enterprise".into()];
    let s = settings(vec![enterprise], Strategy::FewestOpen, Some("general"));
    let l = AgentLoad::default();
    let mut input = ticket();
    // No plan known: the rule does not match, whatever its list says.
    assert_eq!(assign(&input, &s, &agents, &l).rule, None);
    input.plan = Some("Pro".into());
    assert_eq!(assign(&input, &s, &agents, &l).rule, None);
    // Case-insensitive, like the other text conditions.
    input.plan = Some(" enterprise".into());
    let d = assign(&input, &s, &agents, &l);
    assert_eq!(
        (d.rule, d.team),
        (
            Some(RuleId("enterprise".into())),
            Some(team("key-accounts"))
        )
    );
}
