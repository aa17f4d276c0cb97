//! Stable names for the core's closed sets of values: statuses, priorities, impact and urgency,
//! levels, channels, ticket types, assignment strategies, availability, custom-field kinds, macro
//! statuses and list orders.
//!
//! A name is the value's serde form (the sync protocol's, the export file's), so a form's option
//! values, a host page's events and a file all say `in_person`, never Rust's debug text
//! (`InPerson`). [`Named::ALL`] lists every value in the order forms offer them.

use crate::assignment::{Availability, Strategy};
use crate::model::{Channel, Impact, Level, Priority, Status, TicketType, Urgency};
use crate::settings::FieldKind;
use crate::store::SortKey;
use crate::template::MacroStatus;

/// A value of a closed set with a stable name.
pub trait Named: Copy + PartialEq + 'static {
    /// Every value, in the order forms list them.
    const ALL: &'static [Self];

    /// The value's stable name (its serde form).
    fn name(self) -> &'static str;

    /// The value with this name, if any.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == name)
    }
}

/// `Named` for an enum: every variant with its name, in form order. The `match` in `name` is
/// exhaustive, so a new variant cannot be left out of `ALL`.
macro_rules! named {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl Named for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),+];

            fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }
    };
}

impl Named for Status {
    const ALL: &'static [Self] = &Status::ALL;

    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Named for Priority {
    const ALL: &'static [Self] = &Priority::ALL;

    fn name(self) -> &'static str {
        self.as_str()
    }
}

named!(Impact { Low => "low", Medium => "medium", High => "high" });
named!(Urgency { Low => "low", Medium => "medium", High => "high" });
named!(Level { L1 => "L1", L2 => "L2", L3 => "L3" });
named!(Channel {
    WebForm => "web_form",
    Chat => "chat",
    Email => "email",
    Phone => "phone",
    InPerson => "in_person",
    Api => "api",
});
named!(TicketType {
    Question => "question",
    Incident => "incident",
    Problem => "problem",
    Task => "task",
});
named!(Strategy {
    FewestOpen => "fewest_open",
    RoundRobin => "round_robin",
    SkillMatch => "skill_match",
    LanguageMatch => "language_match",
    LevelMatch => "level_match",
});
named!(Availability {
    Available => "available",
    Away => "away",
    Offline => "offline",
});
named!(FieldKind {
    Text => "text",
    Number => "number",
    Bool => "bool",
    Date => "date",
    Choice => "choice",
});
named!(MacroStatus {
    Resolve => "resolve",
    Close => "close",
    Reopen => "reopen",
});
named!(SortKey {
    UpdatedDesc => "updated_desc",
    UpdatedAsc => "updated_asc",
    CreatedDesc => "created_desc",
    CreatedAsc => "created_asc",
    PriorityDesc => "priority_desc",
    SlaDueAsc => "sla_due_asc",
});

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every name is the value's serde form, unique in its set, and reads back.
    fn check<T: Named + serde::Serialize + std::fmt::Debug>() {
        let mut seen = BTreeSet::new();
        for &v in T::ALL {
            let json = serde_json::to_value(v).unwrap();
            assert_eq!(json.as_str(), Some(v.name()), "{v:?}");
            assert!(seen.insert(v.name()), "{v:?} named twice");
            assert_eq!(T::from_name(v.name()), Some(v));
        }
        assert_eq!(T::from_name("Nope"), None);
    }

    #[test]
    fn names_are_the_serde_names() {
        check::<Status>();
        check::<Priority>();
        check::<Impact>();
        check::<Urgency>();
        check::<Level>();
        check::<Channel>();
        check::<TicketType>();
        check::<Strategy>();
        check::<Availability>();
        check::<FieldKind>();
        check::<MacroStatus>();
        check::<SortKey>();
    }
}
