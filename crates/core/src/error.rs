//! Errors `decide` returns. Each message tells a person what went wrong and, where it helps, what to
//! do instead.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::code::TicketCode;
use crate::model::{Role, Timestamp};
use crate::status::IllegalTransition;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DomainError {
    #[error("there is no such ticket; open one first")]
    NoTicket,
    #[error("ticket {0} already exists")]
    AlreadyOpened(TicketCode),
    #[error("{} may not {}", role_phrase(.role), .what)]
    Forbidden { role: Role, what: Permission },
    #[error("this ticket belongs to another customer")]
    NotRequester,
    #[error("ticket {code} was merged into {into}; continue there")]
    Merged { code: TicketCode, into: TicketCode },
    #[error(transparent)]
    Illegal(#[from] IllegalTransition),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("not due yet: due at {due}")]
    NotDue { due: Timestamp },
    #[error("a ticket cannot be merged into itself")]
    MergeIntoSelf,
    #[error("choose at least one ticket to merge")]
    NothingToMerge,
}

fn role_phrase(r: &Role) -> &'static str {
    match r {
        Role::Customer => "a customer",
        Role::Agent => "an agent",
        Role::System => "an automation",
    }
}

/// Things only some actors may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    SetPriority,
    SetLevel,
    Assign,
    Tag,
    Watch,
    AddInternalNote,
    EditProperties,
    SetStaffOnlyField,
    Close,
    Postpone,
    Wake,
    Merge,
    Rate,
    HandlePrivacy,
    ChangeWorkspace,
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Permission::SetPriority => "set impact, urgency or priority",
            Permission::SetLevel => "change the support level",
            Permission::Assign => "assign tickets",
            Permission::Tag => "tag tickets",
            Permission::Watch => "change watchers",
            Permission::AddInternalNote => "add internal notes",
            Permission::EditProperties => "edit ticket properties",
            Permission::SetStaffOnlyField => "set staff-only fields",
            Permission::Close => "close tickets",
            Permission::Postpone => "postpone tickets",
            Permission::Wake => "wake postponed tickets",
            Permission::Merge => "merge tickets",
            Permission::Rate => "rate tickets (only the requester can)",
            Permission::HandlePrivacy => "record access or erasure requests",
            Permission::ChangeWorkspace => {
                "change the help desk's settings or articles (only admins can)"
            }
        })
    }
}

/// Invalid input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValidationError {
    #[error("the subject is empty")]
    EmptySubject,
    #[error("the subject is longer than {max} characters")]
    SubjectTooLong { max: usize },
    #[error("the message is empty")]
    EmptyBody,
    #[error("the text is longer than {max} characters")]
    BodyTooLong { max: usize },
    #[error("“{0}” is not an email address")]
    InvalidEmail(String),
    #[error("“{0}” is not a phone number")]
    InvalidPhone(String),
    #[error(
        "tag “{0}” is empty or too long, or has characters other than letters, digits and - _ : ."
    )]
    InvalidTag(String),
    #[error("there is no custom field “{0}”; define it in the settings first")]
    UnknownField(String),
    #[error("custom field “{key}” holds a {expected:?} value")]
    FieldKind {
        key: String,
        expected: crate::settings::FieldKind,
    },
    #[error("“{value}” is not one of the choices of custom field “{key}”")]
    NotAChoice { key: String, value: String },
    #[error("custom field “{0}” is required")]
    RequiredField(String),
    #[error("a rating goes from 1 to 5, not {0}")]
    RatingOutOfRange(u8),
    #[error("attachment “{name}” is {size} bytes; the limit is {max}")]
    AttachmentTooLarge { name: String, size: u64, max: u64 },
    #[error("an attachment has no name or no content key")]
    AttachmentIncomplete,
    /// Not one of the file types help desks take (see [`crate::validate::attachment_type_allowed`]).
    #[error(
        "“{name}” is a {mime} file; attach images, PDFs, text, office documents, audio, video or zip files"
    )]
    AttachmentType { name: String, mime: String },
    #[error("the postponement date {0} is not in the future")]
    PostponeInPast(Timestamp),
    #[error("say why the ticket is escalated")]
    EmptyReason,
    /// A free-text field over its limit (see [`crate::validate::limits`]).
    #[error("the {what} is longer than {max} characters")]
    TooLong { what: &'static str, max: usize },
    /// The requester's context from the host site (see [`crate::customer`]).
    #[error(transparent)]
    Context(#[from] crate::customer::ContextError),
}
