//! The status machine: one exhaustive `match` over (status, action).
//!
//! ```text
//! New ──agent reply──▶ Answered ──customer reply──▶ Open ──agent reply──▶ Answered …
//!  │                      │                          │
//!  └──────── postpone ────┴──────────────────────────┴──▶ Postponed ──date passes / customer──▶ Open
//! any active ──resolve──▶ Resolved ──reply/reopen within window──▶ Open
//!                            │    └──after the window──▶ linked follow-up ticket
//!                            └──quiet period / agent──▶ Closed ──any reply──▶ linked follow-up
//! any but Closed ──merge──▶ Merged (terminal)
//! ```

use serde::{Deserialize, Serialize};

use crate::model::Status;

crate::tagged! {
    #[tag = "action"]
    /// Something that may move a ticket's status. `decide` maps commands to actions; the reopen-window
    /// flags are computed there from settings and the clock, so this table stays pure.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Action {
        /// An agent's public reply.
        AgentReply,
        /// A customer's message.
        CustomerReply {
            within_reopen_window: bool,
        },
        /// An internal note, or a system message: never changes status.
        Note,
        /// Editing properties (priority, tags, assignee, fields…): never changes status.
        Update,
        Resolve,
        /// Explicit reopen. Agents are not bound by the window (decide passes `true` for them).
        Reopen {
            within_reopen_window: bool,
        },
        /// An agent closes the ticket.
        Close,
        /// The system closes a resolved ticket after the quiet period.
        AutoClose,
        Postpone,
        /// The postponement date passed.
        Wake,
        /// This ticket is merged into another.
        Merge,
        /// Another ticket is merged into this one.
        AbsorbMerge,
        /// The customer rates the ticket.
        Rate,
    }
}

/// Where an action leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Next {
    /// The ticket takes this status (possibly the one it had).
    To(Status),
    /// The ticket is finished; the action opens a new ticket linked as a follow-up instead.
    FollowUp,
}

/// The action is not allowed in the ticket's current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("cannot {} a ticket that is {}", action_name(.action), .from.as_str())]
pub struct IllegalTransition {
    pub from: Status,
    pub action: Action,
}

fn action_name(a: &Action) -> &'static str {
    match a {
        Action::AgentReply | Action::CustomerReply { .. } => "reply to",
        Action::Note => "add a note to",
        Action::Update => "edit",
        Action::Resolve => "resolve",
        Action::Reopen { .. } => "reopen",
        Action::Close | Action::AutoClose => "close",
        Action::Postpone => "postpone",
        Action::Wake => "wake",
        Action::Merge => "merge",
        Action::AbsorbMerge => "merge other tickets into",
        Action::Rate => "rate",
    }
}

/// The transition table.
pub fn transition(from: Status, action: Action) -> Result<Next, IllegalTransition> {
    use Action as A;
    use Status::*;
    let to = |s| Ok(Next::To(s));
    let illegal = Err(IllegalTransition { from, action });
    match (from, action) {
        (Merged, _) => illegal,

        (New | Open | Answered | Postponed, A::AgentReply) => to(Answered),
        (Resolved, A::AgentReply) => to(Resolved),
        (Closed, A::AgentReply) => Ok(Next::FollowUp),

        // Extra details before anyone answered keep the ticket New (it still awaits a first reply).
        (New, A::CustomerReply { .. }) => to(New),
        (Open | Answered | Postponed, A::CustomerReply { .. }) => to(Open),
        (
            Resolved,
            A::CustomerReply {
                within_reopen_window: true,
            },
        ) => to(Open),
        (
            Resolved,
            A::CustomerReply {
                within_reopen_window: false,
            },
        ) => Ok(Next::FollowUp),
        (Closed, A::CustomerReply { .. }) => Ok(Next::FollowUp),

        (s, A::Note) => to(s),

        (New | Open | Answered | Postponed | Resolved, A::Update) => to(from),
        (Closed, A::Update) => illegal,

        (New | Open | Answered | Postponed, A::Resolve) => to(Resolved),
        (Resolved | Closed, A::Resolve) => illegal,

        (
            Resolved,
            A::Reopen {
                within_reopen_window: true,
            },
        ) => to(Open),
        (
            Resolved,
            A::Reopen {
                within_reopen_window: false,
            },
        ) => Ok(Next::FollowUp),
        (Closed, A::Reopen { .. }) => Ok(Next::FollowUp),
        (New | Open | Answered | Postponed, A::Reopen { .. }) => illegal,

        (New | Open | Answered | Postponed | Resolved, A::Close) => to(Closed),
        (Closed, A::Close) => illegal,

        (Resolved, A::AutoClose) => to(Closed),
        (New | Open | Answered | Postponed | Closed, A::AutoClose) => illegal,

        (New | Open | Answered | Postponed, A::Postpone) => to(Postponed),
        (Resolved | Closed, A::Postpone) => illegal,

        (Postponed, A::Wake) => to(Open),
        (New | Open | Answered | Resolved | Closed, A::Wake) => illegal,

        (New | Open | Answered | Postponed | Resolved, A::Merge) => to(Merged),
        (Closed, A::Merge) => illegal,

        (New | Open | Answered | Postponed | Resolved, A::AbsorbMerge) => to(from),
        (Closed, A::AbsorbMerge) => illegal,

        (Resolved | Closed, A::Rate) => to(from),
        (New | Open | Answered | Postponed, A::Rate) => illegal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    /// Expected outcome in the table below.
    #[derive(Clone, Copy, Debug)]
    enum E {
        To(Status),
        Follow,
        No,
    }

    fn check(from: Status, action: Action, expect: E) {
        let got = transition(from, action);
        match expect {
            E::To(s) => assert_eq!(got, Ok(Next::To(s)), "{from:?} × {action:?}"),
            E::Follow => assert_eq!(got, Ok(Next::FollowUp), "{from:?} × {action:?}"),
            E::No => assert_eq!(
                got,
                Err(IllegalTransition { from, action }),
                "{from:?} × {action:?}"
            ),
        }
    }

    const ACTIONS: [Action; 15] = [
        Action::AgentReply,
        Action::CustomerReply {
            within_reopen_window: true,
        },
        Action::CustomerReply {
            within_reopen_window: false,
        },
        Action::Note,
        Action::Update,
        Action::Resolve,
        Action::Reopen {
            within_reopen_window: true,
        },
        Action::Reopen {
            within_reopen_window: false,
        },
        Action::Close,
        Action::AutoClose,
        Action::Postpone,
        Action::Wake,
        Action::Merge,
        Action::AbsorbMerge,
        Action::Rate,
    ];

    #[test]
    fn every_cell_of_the_table() {
        use E::{Follow as F, No as N, To as T};
        #[rustfmt::skip]
        let table: [(Status, [E; 15]); 7] = [
            //            agent        cust-in      cust-out     note          update        resolve        reopen-in  reopen-out close      autoclose  postpone      wake     merge      absorb        rate
            (New,       [T(Answered), T(New),      T(New),      T(New),       T(New),       T(Resolved), N,         N,         T(Closed), N,         T(Postponed), N,       T(Merged), T(New),       N]),
            (Open,      [T(Answered), T(Open),     T(Open),     T(Open),      T(Open),      T(Resolved), N,         N,         T(Closed), N,         T(Postponed), N,       T(Merged), T(Open),      N]),
            (Answered,  [T(Answered), T(Open),     T(Open),     T(Answered),  T(Answered),  T(Resolved), N,         N,         T(Closed), N,         T(Postponed), N,       T(Merged), T(Answered),  N]),
            (Postponed, [T(Answered), T(Open),     T(Open),     T(Postponed), T(Postponed), T(Resolved), N,         N,         T(Closed), N,         T(Postponed), T(Open), T(Merged), T(Postponed), N]),
            (Resolved,  [T(Resolved), T(Open),     F,           T(Resolved),  T(Resolved),  N,           T(Open),   F,         T(Closed), T(Closed), N,            N,       T(Merged), T(Resolved),  T(Resolved)]),
            (Closed,    [F,           F,           F,           T(Closed),    N,            N,           F,         F,         N,         N,         N,            N,       N,         N,            T(Closed)]),
            (Merged,    [N,           N,           N,           N,            N,            N,           N,         N,         N,         N,         N,            N,       N,         N,            N]),
        ];
        assert_eq!(table.len(), Status::ALL.len());
        for (from, row) in table {
            for (action, expect) in ACTIONS.into_iter().zip(row) {
                check(from, action, expect);
            }
        }
    }

    #[test]
    fn notes_never_change_status_and_merged_is_terminal() {
        for s in Status::ALL {
            if s != Merged {
                assert_eq!(transition(s, Action::Note), Ok(Next::To(s)));
            }
            for a in ACTIONS {
                if s == Merged {
                    assert!(transition(s, a).is_err());
                }
            }
        }
    }

    #[test]
    fn errors_read_as_sentences() {
        let e = transition(Closed, Action::Resolve).unwrap_err();
        assert_eq!(e.to_string(), "cannot resolve a ticket that is closed");
    }
}
