//! Canned responses and macros. Placeholders such as `{{customer.name}}` are filled by a pure
//! function; an unknown placeholder is an error, never silently left in a message to a customer.

use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::model::{AgentId, Impact, Urgency, Visibility};
use crate::ticket::Ticket;

/// Every placeholder a template may use.
pub const PLACEHOLDERS: &[&str] = &[
    "customer.name",
    "customer.first_name",
    "customer.email",
    "customer.phone",
    "ticket.code",
    "ticket.subject",
    "ticket.status",
    "ticket.priority",
    "agent.name",
    "agent.email",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown placeholder {{{{{name}}}}} at character {at}; known ones are {}", PLACEHOLDERS.join(", "))]
    UnknownPlaceholder { name: String, at: usize },
    #[error("a placeholder opened at character {at} is never closed with }}}}")]
    Unclosed { at: usize },
}

/// The agent using the template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentProfile {
    pub id: AgentId,
    pub name: String,
    pub email: Option<String>,
}

fn value(name: &str, t: &Ticket, agent: &AgentProfile) -> Option<String> {
    let r = &t.requester;
    Some(match name {
        "customer.name" => r.name.clone(),
        "customer.first_name" => r.name.split_whitespace().next().unwrap_or("").to_owned(),
        "customer.email" => r.email.clone().unwrap_or_default(),
        "customer.phone" => r.phone.clone().unwrap_or_default(),
        "ticket.code" => t.code.to_string(),
        "ticket.subject" => t.subject.clone(),
        "ticket.status" => t.status.as_str().to_owned(),
        "ticket.priority" => t.priority.as_str().to_owned(),
        "agent.name" => agent.name.clone(),
        "agent.email" => agent.email.clone().unwrap_or_default(),
        _ => return None,
    })
}

/// Fills `{{ name }}` placeholders (spaces inside the braces are allowed). Values are inserted as
/// they are; the result is Markdown source like any message.
pub fn render(
    template: &str,
    ticket: &Ticket,
    agent: &AgentProfile,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let at = template.len() - rest.len() + start;
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed { at })?;
        let name = after[..end].trim();
        let v = value(name, ticket, agent).ok_or_else(|| TemplateError::UnknownPlaceholder {
            name: name.to_owned(),
            at,
        })?;
        out.push_str(&v);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A saved reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedResponse {
    pub id: String,
    pub title: String,
    pub body: String,
}

/// What a macro does to the status after its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MacroStatus {
    Resolve,
    Close,
    Reopen,
}

/// A one-click bundle: an optional message plus property changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Macro {
    pub id: String,
    pub title: String,
    pub message: Option<(Visibility, String)>,
    pub priority: Option<(Impact, Urgency)>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    pub assign_to_me: bool,
    pub status: Option<MacroStatus>,
}

/// The commands a macro stands for, in the order to decide them (use
/// [`crate::decide::decide_sequence`] to run them as one unit).
pub fn apply_macro(
    m: &Macro,
    ticket: &Ticket,
    agent: &AgentProfile,
) -> Result<Vec<Command>, TemplateError> {
    let mut cmds = Vec::new();
    if let Some((impact, urgency)) = m.priority {
        cmds.push(Command::SetPriority { impact, urgency });
    }
    if !m.add_tags.is_empty() || !m.remove_tags.is_empty() {
        cmds.push(Command::Tag {
            add: m.add_tags.clone(),
            remove: m.remove_tags.clone(),
        });
    }
    if m.assign_to_me {
        cmds.push(Command::Assign {
            agent: Some(agent.id.clone()),
            team: ticket.team.clone(),
        });
    }
    if let Some((visibility, text)) = &m.message {
        let body = render(text, ticket, agent)?;
        cmds.push(match visibility {
            Visibility::Public => Command::Reply {
                body,
                attachments: Vec::new(),
            },
            Visibility::Internal => Command::AddNote {
                body,
                attachments: Vec::new(),
            },
        });
    }
    // Status last, so a "reply and resolve" macro ends Resolved rather than Answered.
    match m.status {
        Some(MacroStatus::Resolve) => cmds.push(Command::Resolve),
        Some(MacroStatus::Close) => cmds.push(Command::Close),
        Some(MacroStatus::Reopen) => cmds.push(Command::Reopen),
        None => {}
    }
    Ok(cmds)
}
