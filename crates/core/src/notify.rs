//! Notices: which people a stored event should tell, about what, in which language.
//!
//! [`audiences`] says who an event should tell; email ([`notices`]) and the agent console's
//! browser notifications ([`alerts_for`]) both follow it, and [`is_reply_to_customer`] is what
//! the widget's unread count counts. [`notices`] is a pure function of the event, the ticket's
//! state before and after it, and the workspace settings; the sync server stores what it returns
//! in its outbox in the transaction that stores the event, then renders and mails it. The rules:
//!
//! - **Customers** (the requester, when the ticket has their email address): ticket received (on
//!   opening), an agent's public reply, resolved, auto-closed. Internal notes never produce a
//!   customer notice, and a customer notice never quotes one.
//! - **Agents**: a new ticket in a queue they follow (a member of the ticket's team), a ticket
//!   assigned to them, a customer's reply on a ticket they are assigned to or watch (or, while
//!   nobody holds it, in their queue). A ticket with neither team nor assignee is in every
//!   agent's queue: the console tells each agent, email does not (it goes to teams' members, by
//!   their email in the settings). SLA notices come from [`sla_notices`], since SLA clocks are
//!   not events.
//! - Nobody is told of their own action, and an erased ticket tells nobody anything.
//! - When the event came from an automatic reply (`Auto-Submitted` mail, see [`Cause`]), no
//!   notice goes to the customer, so two robots never answer each other forever.

use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::event::{Event, Payload};
use crate::model::{Actor, AgentId, Status, TicketId, Visibility};
use crate::status::Action;
use crate::ticket::Ticket;

/// The languages notices are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Es,
    En,
    Pt,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::Es, Language::En, Language::Pt];

    /// The language of a BCP 47 tag by its primary subtag (`pt-BR` is Portuguese), if offered.
    pub fn of_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "es" => Some(Language::Es),
            "en" => Some(Language::En),
            "pt" => Some(Language::Pt),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Es => "es",
            Language::En => "en",
            Language::Pt => "pt",
        }
    }

    /// The first of `tags` that is a notice language, else the help desk's first language that
    /// is one, else English.
    pub fn pick<'a>(tags: impl IntoIterator<Item = &'a str>, settings: &'a Settings) -> Language {
        tags.into_iter()
            .chain(settings.profile.locales.iter().map(String::as_str))
            .find_map(Language::of_tag)
            .unwrap_or(Language::En)
    }
}

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// To the customer: their ticket was received (with its code).
    TicketReceived,
    /// To the customer: an agent answered publicly.
    AgentReplied,
    /// To the customer: the ticket was resolved (with the satisfaction survey link).
    Resolved,
    /// To the customer: the ticket was closed after staying resolved.
    AutoClosed,
    /// To an agent: a new ticket in a team they belong to.
    NewTicketInQueue,
    /// To an agent: a ticket was assigned to them.
    AssignedToYou,
    /// To an agent: the customer answered on a ticket they are assigned to or watch.
    CustomerReplied,
    /// To an agent: a ticket of theirs is about to breach its SLA.
    SlaAtRisk,
    /// To an agent: a ticket of theirs breached its SLA.
    SlaBreached,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 9] = [
        NoticeKind::TicketReceived,
        NoticeKind::AgentReplied,
        NoticeKind::Resolved,
        NoticeKind::AutoClosed,
        NoticeKind::NewTicketInQueue,
        NoticeKind::AssignedToYou,
        NoticeKind::CustomerReplied,
        NoticeKind::SlaAtRisk,
        NoticeKind::SlaBreached,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::TicketReceived => "ticket_received",
            NoticeKind::AgentReplied => "agent_replied",
            NoticeKind::Resolved => "resolved",
            NoticeKind::AutoClosed => "auto_closed",
            NoticeKind::NewTicketInQueue => "new_ticket_in_queue",
            NoticeKind::AssignedToYou => "assigned_to_you",
            NoticeKind::CustomerReplied => "customer_replied",
            NoticeKind::SlaAtRisk => "sla_at_risk",
            NoticeKind::SlaBreached => "sla_breached",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the notice goes to the customer (else to an agent).
    pub fn for_customer(self) -> bool {
        matches!(
            self,
            NoticeKind::TicketReceived
                | NoticeKind::AgentReplied
                | NoticeKind::Resolved
                | NoticeKind::AutoClosed
        )
    }
}

/// Who a notice goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// The email address, as written in the ticket or the settings.
    pub address: String,
    pub name: String,
    /// The agent, for agent notices.
    pub agent: Option<AgentId>,
}

/// One email to send: everything its text needs, so it renders the same on every attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub to: Recipient,
    pub language: Language,
    pub ticket: TicketId,
    /// The ticket's code (`KQD-48213-ZPT`), for the subject and the link.
    pub code: String,
    /// The ticket's subject.
    pub subject: String,
    /// The public message the notice is about (an agent's or the customer's reply); never an
    /// internal note.
    pub message: Option<String>,
    /// Who wrote it or acted (the agent's or requester's name), when known.
    pub author: Option<String>,
}

/// Where the event came from, as far as looping mail is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cause {
    /// The event was made from mail marked `Auto-Submitted` (an autoresponder, a bounce): it
    /// must not make mail to the customer.
    pub auto_submitted: bool,
}

/// The agent's name as the settings give it; for an actor the settings do not list (an
/// integration's API key), the help desk's name, never an internal id.
fn agent_name(settings: &Settings, id: &AgentId) -> String {
    settings
        .agents
        .iter()
        .find(|a| &a.id == id)
        .map_or_else(|| settings.profile.name.clone(), |a| a.name.clone())
}

fn agent_recipient(settings: &Settings, id: &AgentId) -> Option<(Recipient, Language)> {
    let a = settings.agents.iter().find(|a| &a.id == id)?;
    let address = a.email.trim();
    if address.is_empty() {
        return None;
    }
    Some((
        Recipient {
            address: address.to_owned(),
            name: a.name.clone(),
            agent: Some(a.id.clone()),
        },
        Language::pick(a.languages.iter().map(String::as_str), settings),
    ))
}

fn customer_recipient(t: &Ticket, settings: &Settings) -> Option<(Recipient, Language)> {
    let address = t.requester.email.as_deref()?.trim();
    if address.is_empty() {
        return None;
    }
    Some((
        Recipient {
            address: address.to_owned(),
            name: t.requester.name.clone(),
            agent: None,
        },
        Language::pick(t.requester.locale.as_deref(), settings),
    ))
}

/// Who a notice is meant for, before it is given an address: the ticket's requester or an agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    Customer,
    Agent(AgentId),
    /// Every agent: a new ticket no team or agent holds is in everyone's queue. The console tells
    /// each agent (help desks' default "notify all agents of a received request"); email does
    /// not, a queue's mail goes to its team's members.
    AllAgents,
}

/// Whether `event` is an answer the requester should read: an agent's public message. The
/// customer's email, the unread count on the widget's launcher and the sync server's
/// `/v1/unread` all use this rule.
pub fn is_reply_to_customer(event: &Event) -> bool {
    matches!(event.actor, Actor::Agent(_))
        && matches!(
            event.payload,
            Payload::MessagePosted {
                visibility: Visibility::Public,
                ..
            }
        )
}

/// Who `event` should tell, and about what, given the ticket before it (`None` for an opening)
/// and after it: the rules of this module without addresses, so email ([`notices`]) and the
/// agent console's browser notifications ([`alerts_for`]) say the same things. Nobody is told
/// of their own action; an erased ticket tells nobody.
pub fn audiences(
    event: &Event,
    before: Option<&Ticket>,
    after: &Ticket,
    settings: &Settings,
) -> Vec<(NoticeKind, Audience)> {
    if !after.opened || after.erased_at.is_some() {
        return Vec::new();
    }
    let acting_agent = match &event.actor {
        Actor::Agent(a) => Some(a),
        _ => None,
    };
    let mut out: Vec<(NoticeKind, Audience)> = Vec::new();
    let mut push = |kind: NoticeKind, who: Audience| {
        if let Audience::Agent(a) = &who
            && Some(a) == acting_agent
        {
            return;
        }
        if !out.iter().any(|(k, w)| *k == kind && *w == who) {
            out.push((kind, who));
        }
    };
    let customer_acts = matches!(event.actor, Actor::Customer(_));
    match &event.payload {
        // An opening that arrives after other events of its ticket (a sync gap) still opens it.
        Payload::TicketOpened(_) if before.is_none_or(|b| !b.opened) => {
            push(NoticeKind::TicketReceived, Audience::Customer);
            if let Some(a) = &after.assignee {
                push(NoticeKind::AssignedToYou, Audience::Agent(a.clone()));
            }
            if after.team.is_some() || after.assignee.is_none() {
                for who in queue(after, settings) {
                    push(NoticeKind::NewTicketInQueue, who);
                }
            }
        }
        Payload::MessagePosted {
            visibility: Visibility::Public,
            ..
        } => {
            if customer_acts {
                for a in after.assignee.iter().chain(after.watchers.iter()) {
                    push(NoticeKind::CustomerReplied, Audience::Agent(a.clone()));
                }
                // Nobody holds it: its queue hears, as of a new ticket.
                if after.assignee.is_none() {
                    for who in queue(after, settings) {
                        push(NoticeKind::CustomerReplied, who);
                    }
                }
            } else if is_reply_to_customer(event) {
                push(NoticeKind::AgentReplied, Audience::Customer);
            }
        }
        // Internal notes tell no one.
        Payload::MessagePosted {
            visibility: Visibility::Internal,
            ..
        } => {}
        Payload::StatusChanged { action, .. } => {
            let was = before.map(|b| b.status);
            if after.status == Status::Resolved && was != Some(Status::Resolved) {
                push(NoticeKind::Resolved, Audience::Customer);
            }
            if *action == Action::AutoClose
                && after.status == Status::Closed
                && was != Some(Status::Closed)
            {
                push(NoticeKind::AutoClosed, Audience::Customer);
            }
        }
        Payload::Assigned { agent: Some(a), .. } => {
            let already = before.is_some_and(|b| b.assignee.as_ref() == Some(a));
            if !already && after.assignee.as_ref() == Some(a) {
                push(NoticeKind::AssignedToYou, Audience::Agent(a.clone()));
            }
        }
        _ => {}
    }
    out
}

/// Who follows the queue `t` is in: its team's members, or every agent when it has no team.
fn queue(t: &Ticket, settings: &Settings) -> Vec<Audience> {
    match &t.team {
        Some(team) => settings
            .teams
            .iter()
            .filter(|x| &x.id == team)
            .flat_map(|x| x.members.iter())
            .map(|m| Audience::Agent(m.clone()))
            .collect(),
        None => vec![Audience::AllAgents],
    }
}

/// What `event` should tell agent `me` (the console's browser notifications): the agent
/// notices of [`audiences`], whether or not the settings give `me` an email address.
pub fn alerts_for(
    event: &Event,
    before: Option<&Ticket>,
    after: &Ticket,
    settings: &Settings,
    me: &AgentId,
) -> Vec<NoticeKind> {
    if event.actor == Actor::Agent(me.clone()) {
        return Vec::new();
    }
    audiences(event, before, after, settings)
        .into_iter()
        .filter_map(|(k, who)| match who {
            Audience::Agent(a) if &a == me => Some(k),
            Audience::AllAgents => Some(k),
            _ => None,
        })
        .collect()
}

/// The notices `event` causes, given the ticket before it (`None` for an opening) and after it,
/// and the workspace settings. At most one notice per recipient address and kind.
pub fn notices(
    event: &Event,
    before: Option<&Ticket>,
    after: &Ticket,
    settings: &Settings,
    cause: Cause,
) -> Vec<Notice> {
    let message = match &event.payload {
        Payload::MessagePosted {
            visibility: Visibility::Public,
            body,
            ..
        } => Some(body.as_str()),
        _ => None,
    };
    let mut out: Vec<Notice> = Vec::new();
    for (kind, who) in audiences(event, before, after, settings) {
        if kind.for_customer() && cause.auto_submitted {
            continue;
        }
        let (recipient, message, author) = match (&who, kind) {
            (Audience::Customer, NoticeKind::AgentReplied) => {
                let author = match &event.actor {
                    Actor::Agent(a) => Some(agent_name(settings, a)),
                    _ => None,
                };
                (customer_recipient(after, settings), message, author)
            }
            (Audience::Customer, _) => (customer_recipient(after, settings), None, None),
            (Audience::Agent(a), NoticeKind::CustomerReplied) => (
                agent_recipient(settings, a),
                message,
                Some(after.requester.name.clone()),
            ),
            (Audience::Agent(a), NoticeKind::NewTicketInQueue) => (
                agent_recipient(settings, a),
                None,
                Some(after.requester.name.clone()),
            ),
            (Audience::Agent(a), _) => (agent_recipient(settings, a), None, None),
            (Audience::AllAgents, _) => continue,
        };
        let Some((to, language)) = recipient else {
            continue;
        };
        let seen = out
            .iter()
            .any(|n| n.kind == kind && n.to.address.eq_ignore_ascii_case(&to.address));
        if seen {
            continue;
        }
        out.push(Notice {
            kind,
            to,
            language,
            ticket: after.id.clone(),
            code: after.code.to_string(),
            subject: after.subject.clone(),
            message: message.map(str::to_owned),
            author,
        });
    }
    out
}

/// The SLA notices for a ticket whose clock is at risk (`breached` false) or breached: to its
/// assignee, else to the members of its team.
pub fn sla_notices(t: &Ticket, settings: &Settings, breached: bool) -> Vec<Notice> {
    if !t.opened || t.erased_at.is_some() || !t.status.is_active() {
        return Vec::new();
    }
    let kind = if breached {
        NoticeKind::SlaBreached
    } else {
        NoticeKind::SlaAtRisk
    };
    let agents: Vec<&AgentId> = match (&t.assignee, &t.team) {
        (Some(a), _) => vec![a],
        (None, Some(team)) => settings
            .teams
            .iter()
            .filter(|x| &x.id == team)
            .flat_map(|x| x.members.iter())
            .collect(),
        (None, None) => Vec::new(),
    };
    let mut out: Vec<Notice> = Vec::new();
    for a in agents {
        if let Some((to, language)) = agent_recipient(settings, a)
            && !out.iter().any(|n| n.to.address == to.address)
        {
            out.push(Notice {
                kind,
                to,
                language,
                ticket: t.id.clone(),
                code: t.code.to_string(),
                subject: t.subject.clone(),
                message: None,
                author: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::apply::apply;
    use crate::assignment::{Agent, Team};
    use crate::code::TicketCode;
    use crate::event::{EventId, Opened};
    use crate::hlc::Hlc;
    use crate::model::{
        Channel, CustomerId, Impact, Level, Priority, Requester, TeamId, TicketType, Urgency,
    };

    const T0: i64 = 1_700_000_000_000;

    struct Log {
        n: i64,
        state: Option<Ticket>,
        settings: Settings,
        /// The last event and the ticket before it.
        last: Option<(Option<Ticket>, Event)>,
    }

    fn agent(id: &str, email: &str, langs: &[&str]) -> Agent {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": id.to_uppercase(), "email": email,
            "languages": langs, "capacity": 5,
        }))
        .unwrap()
    }

    fn settings() -> Settings {
        Settings {
            agents: vec![
                agent("ana", "ana@desk.example", &["es"]),
                agent("bob", "bob@desk.example", &["en"]),
                agent("caio", "caio@desk.example", &["pt-BR"]),
            ],
            teams: vec![Team {
                id: TeamId("billing".into()),
                name: "Billing".into(),
                members: vec![AgentId("ana".into()), AgentId("bob".into())],
            }],
            ..Settings::default()
        }
    }

    fn customer() -> Actor {
        Actor::Customer(CustomerId("c-1".into()))
    }

    fn ana() -> Actor {
        Actor::Agent(AgentId("ana".into()))
    }

    impl Log {
        fn new() -> Log {
            Log {
                n: 0,
                state: None,
                settings: settings(),
                last: None,
            }
        }

        /// Stores an event and answers its notices.
        fn add(&mut self, actor: Actor, payload: Payload, cause: Cause) -> Vec<Notice> {
            self.n += 1;
            let hlc = Hlc::zero(crate::hlc::NodeId("dev".into())).tick(T0 + self.n * 1000);
            let e = Event {
                id: EventId(format!("e{}", self.n)),
                hlc,
                ticket: TicketId("t-1".into()),
                actor,
                payload,
            };
            let before = self.state.clone();
            let after = apply(before.clone(), &e);
            let out = notices(&e, before.as_ref(), &after, &self.settings, cause);
            self.state = Some(after);
            self.last = Some((before, e));
            out
        }

        fn open(&mut self, locale: Option<&str>, team: Option<&str>) -> Vec<Notice> {
            let o = Opened {
                code: TicketCode::parse("KQD-48213-ZPT").unwrap(),
                subject: "La factura no llega".into(),
                description: "Desde marzo.".into(),
                requester: Requester {
                    customer_id: Some(CustomerId("c-1".into())),
                    name: "Lucía".into(),
                    email: Some("lucia@example.com".into()),
                    phone: None,
                    locale: locale.map(str::to_owned),
                    context: None,
                },
                location: None,
                channel: Channel::WebForm,
                ticket_type: TicketType::Question,
                category: None,
                tags: Vec::new(),
                custom_fields: BTreeMap::new(),
                impact: Impact::Low,
                urgency: Urgency::Low,
                priority: Priority::Low,
                level: Level::L1,
                assignee: None,
                team: team.map(|t| TeamId(t.into())),
                attachments: Vec::new(),
                follow_up_of: None,
                handoff: None,
            };
            self.add(
                customer(),
                Payload::TicketOpened(Box::new(o)),
                Cause::default(),
            )
        }
    }

    fn kinds(ns: &[Notice]) -> Vec<(NoticeKind, &str, Language)> {
        ns.iter()
            .map(|n| (n.kind, n.to.address.as_str(), n.language))
            .collect()
    }

    #[test]
    fn an_opening_tells_the_customer_and_the_queue() {
        let mut log = Log::new();
        let ns = log.open(Some("pt-BR"), Some("billing"));
        assert_eq!(
            kinds(&ns),
            vec![
                (
                    NoticeKind::TicketReceived,
                    "lucia@example.com",
                    Language::Pt
                ),
                (
                    NoticeKind::NewTicketInQueue,
                    "ana@desk.example",
                    Language::Es
                ),
                (
                    NoticeKind::NewTicketInQueue,
                    "bob@desk.example",
                    Language::En
                ),
            ]
        );
        assert_eq!(ns[0].code, "KQD-48213-ZPT");
        // No locale: the help desk's first language (Spanish by default).
        let mut log = Log::new();
        assert_eq!(log.open(None, None)[0].language, Language::Es);
        // No team and nobody assigned: no mail to a queue (the console tells every agent).
        let mut log = Log::new();
        let ns = log.open(Some("en"), None);
        assert_eq!(
            kinds(&ns),
            vec![(
                NoticeKind::TicketReceived,
                "lucia@example.com",
                Language::En
            )]
        );
        let (before, opening) = log.last.clone().unwrap();
        let after = log.state.clone().unwrap();
        for me in ["ana", "bob", "someone-new"] {
            assert_eq!(
                alerts_for(
                    &opening,
                    before.as_ref(),
                    &after,
                    &log.settings,
                    &AgentId(me.into())
                ),
                vec![NoticeKind::NewTicketInQueue],
                "{me}"
            );
        }
        // The customer writes again while nobody holds it: the queue hears of that too.
        let mails = log.add(
            customer(),
            Payload::MessagePosted {
                visibility: Visibility::Public,
                body: "¿Hola?".into(),
                attachments: Vec::new(),
            },
            Cause::default(),
        );
        assert!(mails.is_empty(), "{mails:?}");
        let (before, reply) = log.last.clone().unwrap();
        let after = log.state.clone().unwrap();
        assert_eq!(
            alerts_for(
                &reply,
                before.as_ref(),
                &after,
                &log.settings,
                &AgentId("bob".into())
            ),
            vec![NoticeKind::CustomerReplied]
        );
    }

    #[test]
    fn browser_alerts_follow_the_same_rules_without_an_address() {
        let mut log = Log::new();
        // Bob has no email: no mail for him, yet his console still tells him.
        for a in &mut log.settings.agents {
            if a.id.0 == "bob" {
                a.email = String::new();
            }
        }
        let alerts = |log: &mut Log, actor: Actor, payload: Payload| {
            let before = log.state.clone();
            log.add(actor.clone(), payload.clone(), Cause::default());
            let e = Event {
                id: EventId("probe".into()),
                hlc: Hlc::zero(crate::hlc::NodeId("dev".into())).tick(T0),
                ticket: TicketId("t-1".into()),
                actor,
                payload,
            };
            let after = log.state.clone().unwrap();
            let bob = AgentId("bob".into());
            let ana_id = AgentId("ana".into());
            (
                alerts_for(&e, before.as_ref(), &after, &log.settings, &bob),
                alerts_for(&e, before.as_ref(), &after, &log.settings, &ana_id),
                is_reply_to_customer(&e),
            )
        };
        let ns = log.open(None, Some("billing"));
        let opened = Event {
            id: EventId("probe-open".into()),
            hlc: Hlc::zero(crate::hlc::NodeId("dev".into())).tick(T0),
            ticket: TicketId("t-2".into()),
            actor: ana(),
            payload: Payload::Assigned {
                agent: None,
                team: None,
            },
        };
        assert!(
            alerts_for(
                &opened,
                None,
                log.state.as_ref().unwrap(),
                &log.settings,
                &AgentId("ana".into())
            )
            .is_empty()
        );
        assert!(ns.iter().all(|n| !n.to.address.is_empty()), "{ns:?}");
        assert!(!ns.iter().any(|n| n.to.agent == Some(AgentId("bob".into()))));
        let assign = Payload::Assigned {
            agent: Some(AgentId("bob".into())),
            team: None,
        };
        assert_eq!(
            alerts(&mut log, ana(), assign),
            (vec![NoticeKind::AssignedToYou], vec![], false)
        );
        let public = |body: &str| Payload::MessagePosted {
            visibility: Visibility::Public,
            body: body.into(),
            attachments: Vec::new(),
        };
        assert_eq!(
            alerts(&mut log, customer(), public("¿Y bien?")),
            (vec![NoticeKind::CustomerReplied], vec![], false)
        );
        // An agent's public answer is for the customer; her own action tells Ana nothing.
        assert_eq!(
            alerts(&mut log, ana(), public("Hola")),
            (vec![], vec![], true)
        );
        let note = Payload::MessagePosted {
            visibility: Visibility::Internal,
            body: "secret".into(),
            attachments: Vec::new(),
        };
        assert_eq!(alerts(&mut log, ana(), note), (vec![], vec![], false));
    }

    #[test]
    fn replies_notes_and_assignments() {
        let mut log = Log::new();
        log.open(Some("en"), None);
        let note = log.add(
            ana(),
            Payload::MessagePosted {
                visibility: Visibility::Internal,
                body: "secret".into(),
                attachments: Vec::new(),
            },
            Cause::default(),
        );
        assert!(note.is_empty(), "an internal note mails no one: {note:?}");
        let reply = log.add(
            ana(),
            Payload::MessagePosted {
                visibility: Visibility::Public,
                body: "Hola".into(),
                attachments: Vec::new(),
            },
            Cause::default(),
        );
        assert_eq!(
            kinds(&reply),
            vec![(NoticeKind::AgentReplied, "lucia@example.com", Language::En)]
        );
        assert_eq!(reply[0].message.as_deref(), Some("Hola"));
        assert_eq!(reply[0].author.as_deref(), Some("ANA"));
        let by_key = log.add(
            Actor::Agent(AgentId("api:mk_1".into())),
            Payload::MessagePosted {
                visibility: Visibility::Public,
                body: "From the CRM".into(),
                attachments: Vec::new(),
            },
            Cause::default(),
        );
        assert_eq!(by_key[0].author.as_deref(), Some("Mostrador"));
        // Assigning oneself tells no one; assigning another tells them, once.
        let own = log.add(
            ana(),
            Payload::Assigned {
                agent: Some(AgentId("ana".into())),
                team: None,
            },
            Cause::default(),
        );
        assert!(own.is_empty());
        let to_bob = log.add(
            ana(),
            Payload::Assigned {
                agent: Some(AgentId("bob".into())),
                team: None,
            },
            Cause::default(),
        );
        assert_eq!(
            kinds(&to_bob),
            vec![(NoticeKind::AssignedToYou, "bob@desk.example", Language::En)]
        );
        let customer_reply = log.add(
            customer(),
            Payload::MessagePosted {
                visibility: Visibility::Public,
                body: "Gracias".into(),
                attachments: Vec::new(),
            },
            Cause::default(),
        );
        assert_eq!(
            kinds(&customer_reply),
            vec![(
                NoticeKind::CustomerReplied,
                "bob@desk.example",
                Language::En
            )]
        );
    }

    #[test]
    fn resolving_auto_closing_and_auto_replies() {
        let mut log = Log::new();
        log.open(Some("es-AR"), None);
        let resolved = log.add(
            ana(),
            Payload::StatusChanged {
                from: Status::New,
                to: Status::Resolved,
                action: Action::Resolve,
            },
            Cause::default(),
        );
        assert_eq!(
            kinds(&resolved),
            vec![(NoticeKind::Resolved, "lucia@example.com", Language::Es)]
        );
        let closed = log.add(
            Actor::System,
            Payload::StatusChanged {
                from: Status::Resolved,
                to: Status::Closed,
                action: Action::AutoClose,
            },
            Cause::default(),
        );
        assert_eq!(
            kinds(&closed),
            vec![(NoticeKind::AutoClosed, "lucia@example.com", Language::Es)]
        );
        // Mail from an autoresponder makes no customer mail.
        let mut log = Log::new();
        log.open(None, None);
        let looped = log.add(
            ana(),
            Payload::MessagePosted {
                visibility: Visibility::Public,
                body: "auto".into(),
                attachments: Vec::new(),
            },
            Cause {
                auto_submitted: true,
            },
        );
        assert!(looped.is_empty());
    }

    #[test]
    fn sla_notices_go_to_the_assignee_or_the_team() {
        let mut log = Log::new();
        log.open(None, Some("billing"));
        let t = log.state.clone().unwrap();
        let ns = sla_notices(&t, &log.settings, true);
        assert_eq!(
            kinds(&ns),
            vec![
                (NoticeKind::SlaBreached, "ana@desk.example", Language::Es),
                (NoticeKind::SlaBreached, "bob@desk.example", Language::En),
            ]
        );
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.as_str()), Some(k));
        }
    }
}
