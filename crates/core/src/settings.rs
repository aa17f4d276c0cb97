//! Settings the domain rules depend on: the priority matrix, reopen and auto-close periods, custom
//! field definitions and limits. Plain data, stored and synced like anything else.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::assistant::AssistantSettings;
use crate::model::{FieldValue, Impact, Level, Priority, Urgency};

/// Impact × urgency → priority (ITIL). Rows are impact (low, medium, high), columns urgency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityMatrix {
    pub cells: [[Priority; 3]; 3],
}

impl Default for PriorityMatrix {
    fn default() -> Self {
        use Priority::*;
        PriorityMatrix {
            cells: [
                // urgency:  low     medium  high
                /* low    */
                [Low, Low, Normal],
                /* medium */ [Low, Normal, High],
                /* high   */ [Normal, High, Urgent],
            ],
        }
    }
}

impl PriorityMatrix {
    pub fn priority(&self, impact: Impact, urgency: Urgency) -> Priority {
        let row = match impact {
            Impact::Low => 0,
            Impact::Medium => 1,
            Impact::High => 2,
        };
        let col = match urgency {
            Urgency::Low => 0,
            Urgency::Medium => 1,
            Urgency::High => 2,
        };
        self.cells[row][col]
    }
}

/// The type a custom field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    Bool,
    Date,
    Choice,
}

/// Definition of a custom field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDef {
    /// Stable machine key, e.g. `order_number`.
    pub key: String,
    /// What people read beside the control ("Order number"); the key when empty.
    #[serde(default)]
    pub label: String,
    pub kind: FieldKind,
    /// Allowed values when `kind` is `Choice`.
    #[serde(default)]
    pub choices: Vec<String>,
    /// Customers must fill it in when they open a ticket.
    #[serde(default)]
    pub required: bool,
    /// Only agents can see and set it.
    #[serde(default)]
    pub agent_only: bool,
}

/// Everything configurable that `decide` consults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DomainSettings {
    pub priority_matrix: PriorityMatrix,
    /// Within this time after resolution a customer's reply reopens the ticket; later it opens a
    /// linked follow-up instead.
    pub reopen_window_secs: i64,
    /// A resolved ticket with no activity for this long may be closed by the system.
    pub auto_close_after_secs: i64,
    pub default_impact: Impact,
    pub default_urgency: Urgency,
    pub default_level: Level,
    /// Customers choose the urgency when they open a ticket (the impact stays the agents').
    pub customers_set_urgency: bool,
    pub custom_fields: Vec<FieldDef>,
    pub max_attachment_bytes: u64,
    pub max_subject_chars: usize,
    pub max_body_chars: usize,
    /// The self-service assistant's flows: a hand-off decides how a customer's ticket opens, so
    /// they are ticket rules (see [`crate::assistant`]).
    #[serde(skip_serializing_if = "AssistantSettings::is_empty")]
    pub assistant: AssistantSettings,
}

impl Default for DomainSettings {
    fn default() -> Self {
        DomainSettings {
            priority_matrix: PriorityMatrix::default(),
            reopen_window_secs: 7 * 24 * 3600,
            auto_close_after_secs: 4 * 24 * 3600,
            default_impact: Impact::Medium,
            default_urgency: Urgency::Medium,
            default_level: Level::L1,
            customers_set_urgency: false,
            custom_fields: Vec::new(),
            max_attachment_bytes: 25 * 1024 * 1024,
            max_subject_chars: 250,
            max_body_chars: 64 * 1024,
            assistant: AssistantSettings::default(),
        }
    }
}

impl DomainSettings {
    pub fn reopen_window(&self) -> TimeDelta {
        TimeDelta::try_seconds(self.reopen_window_secs).unwrap_or(TimeDelta::MAX)
    }

    pub fn auto_close_after(&self) -> TimeDelta {
        TimeDelta::try_seconds(self.auto_close_after_secs).unwrap_or(TimeDelta::MAX)
    }

    pub fn field(&self, key: &str) -> Option<&FieldDef> {
        self.custom_fields.iter().find(|f| f.key == key)
    }
}

impl FieldDef {
    /// What people read beside the control: the label, or the key when there is none.
    pub fn display_name(&self) -> &str {
        if self.label.trim().is_empty() {
            &self.key
        } else {
            self.label.trim()
        }
    }

    /// The field's value written as text, the way [`FieldDef::parse_text`] reads it back (what
    /// a form control shows).
    pub fn value_text(value: &FieldValue) -> String {
        match value {
            FieldValue::Text(s) | FieldValue::Choice(s) => s.clone(),
            FieldValue::Number(n) => n.to_string(),
            FieldValue::Bool(b) => b.to_string(),
            FieldValue::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// The value of this field written as text (a form input, a host's prefill): numbers with a
    /// dot or a comma, `true`/`false`/`yes`/`no`/`sí`/`si`/`sim`/`1`/`0`, dates as `YYYY-MM-DD`,
    /// choices exactly as configured. `None` when the text is not a value of this field.
    pub fn parse_text(&self, text: &str) -> Option<FieldValue> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        match self.kind {
            FieldKind::Text => Some(FieldValue::Text(t.to_owned())),
            FieldKind::Number => t
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(FieldValue::Number),
            FieldKind::Bool => match t.to_lowercase().as_str() {
                "true" | "yes" | "sí" | "si" | "sim" | "1" => Some(FieldValue::Bool(true)),
                "false" | "no" | "não" | "nao" | "0" => Some(FieldValue::Bool(false)),
                _ => None,
            },
            FieldKind::Date => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .map(FieldValue::Date),
            FieldKind::Choice => self
                .choices
                .iter()
                .any(|c| c == t)
                .then(|| FieldValue::Choice(t.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn field_values_parse_from_text_by_kind() {
        use super::{FieldDef, FieldKind, FieldValue};
        let def = |kind, choices: &[&str]| FieldDef {
            key: "k".into(),
            label: String::new(),
            kind,
            choices: choices.iter().map(|c| c.to_string()).collect(),
            required: false,
            agent_only: false,
        };
        let n = def(FieldKind::Number, &[]);
        assert_eq!(n.parse_text(" 12,5 "), Some(FieldValue::Number(12.5)));
        assert_eq!(n.parse_text("doce"), None);
        assert_eq!(n.parse_text("inf"), None);
        let b = def(FieldKind::Bool, &[]);
        assert_eq!(b.parse_text("Sí"), Some(FieldValue::Bool(true)));
        assert_eq!(b.parse_text("no"), Some(FieldValue::Bool(false)));
        assert_eq!(b.parse_text("maybe"), None);
        let d = def(FieldKind::Date, &[]);
        assert!(matches!(
            d.parse_text("2026-11-22"),
            Some(FieldValue::Date(_))
        ));
        assert_eq!(d.parse_text("22/11/2026"), None);
        let c = def(FieldKind::Choice, &["gold", "silver"]);
        assert_eq!(
            c.parse_text("gold"),
            Some(FieldValue::Choice("gold".into()))
        );
        assert_eq!(c.parse_text("Gold"), None);
        assert_eq!(def(FieldKind::Text, &[]).parse_text("   "), None);
    }

    use super::*;

    #[test]
    fn default_matrix_is_monotonic_with_urgent_only_at_high_high() {
        let m = PriorityMatrix::default();
        let imps = [Impact::Low, Impact::Medium, Impact::High];
        let urgs = [Urgency::Low, Urgency::Medium, Urgency::High];
        assert_eq!(m.priority(Impact::High, Urgency::High), Priority::Urgent);
        assert_eq!(m.priority(Impact::Low, Urgency::Low), Priority::Low);
        assert_eq!(
            m.priority(Impact::Medium, Urgency::Medium),
            Priority::Normal
        );
        for (i, imp) in imps.iter().enumerate() {
            for (u, urg) in urgs.iter().enumerate() {
                let p = m.priority(*imp, *urg);
                if i + 1 < 3 {
                    assert!(m.priority(imps[i + 1], *urg) >= p);
                }
                if u + 1 < 3 {
                    assert!(m.priority(*imp, urgs[u + 1]) >= p);
                }
                let urgent = p == Priority::Urgent;
                assert_eq!(urgent, i == 2 && u == 2);
            }
        }
    }

    #[test]
    fn settings_deserialize_with_missing_fields_defaulted() {
        let s: DomainSettings = serde_json::from_str(r#"{"reopen_window_secs": 60}"#).unwrap();
        assert_eq!(s.reopen_window(), TimeDelta::seconds(60));
        assert_eq!(
            s.auto_close_after_secs,
            DomainSettings::default().auto_close_after_secs
        );
    }
}
