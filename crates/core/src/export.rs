//! Export and import of the event log as versioned JSON:
//! `{"format":"mostrador-events","version":1,"events":[...],"workspace":[...],"settings":{...}}`.
//! `workspace` holds the workspace changes (settings sections, articles, deflection records;
//! see `crate::workspace`), added within version 1: older files have none.
//!
//! Import is a set union by event id, so importing another device's file merges with no conflicts
//! and no duplicates, twice is the same as once, and order does not matter. Anything suspicious
//! refuses the whole file: the caller adds nothing.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::config::Settings;
use crate::event::{Event, EventId};
use crate::model::AgentId;
use crate::workspace::{Change, ChangePayload};

pub const FORMAT: &str = "mostrador-events";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportFile {
    pub format: String,
    pub version: u32,
    pub events: Vec<Event>,
    /// Workspace changes in log order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workspace: Vec<Change>,
    /// Settings travel along untouched; the settings module owns their shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not valid JSON ({0}); it may be truncated or not an export")]
    Malformed(String),
    #[error("this is not a Mostrador event export")]
    NotAnExport,
    #[error(
        "the file is version {found}, this app reads up to version {supported}; update the app"
    )]
    NewerVersion { found: u32, supported: u32 },
    #[error("the file's events do not match the expected shape ({0})")]
    BadEvents(String),
    #[error("event {0:?} appears twice with different contents; the file is corrupt")]
    Conflict(EventId),
    #[error("the file's settings do not match the expected shape ({0})")]
    BadSettings(String),
}

/// Serializes a log and the workspace changes (both in log order, so exports of equal sets are
/// byte-identical).
pub fn export<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    changes: impl IntoIterator<Item = &'a Change>,
    settings: Option<serde_json::Value>,
) -> String {
    let events = crate::apply::sorted_unique(events)
        .into_iter()
        .cloned()
        .collect();
    let mut workspace: Vec<Change> = changes.into_iter().cloned().collect();
    workspace.sort_by(|a, b| (&a.hlc, &a.id).cmp(&(&b.hlc, &b.id)));
    workspace.dedup_by(|a, b| a.id == b.id);
    let file = ExportFile {
        format: FORMAT.into(),
        version: VERSION,
        events,
        workspace,
        settings,
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// What importing a file adds.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Events not yet in `existing`, in log order. Feed each to `Ctx::observe`.
    pub new_events: Vec<Event>,
    /// The file's workspace changes (a store skips those it has and refuses a tampered copy).
    pub changes: Vec<Change>,
    pub settings: Option<serde_json::Value>,
    /// How many events the file holds, those already in `existing` included.
    pub file_events: usize,
}

/// Imports a file whose settings (if any) are to replace this installation's: the file is taken
/// as it is. [`Reading`] does the same in steps.
pub fn import(existing: &[Event], json: &str) -> Result<Imported, ImportError> {
    Reading::new(json)?.finish(existing)
}

/// Imports a file into an installation that keeps its own settings (`mine`): the file's agents
/// who share an id with a different person here get ids of their own, in the file's settings and
/// events alike (see [`Settings::agents_to_rename`]), and the file's settings sections are left
/// out of its workspace changes (the caller adds what the file has and `mine` lacks with
/// [`Settings::merge_missing`]); its articles and deflection records stay. [`Reading::keeping`]
/// does the same in steps.
pub fn import_keeping(
    existing: &[Event],
    json: &str,
    mine: &Settings,
) -> Result<Imported, ImportError> {
    Reading::keeping(json, mine)?.finish(existing)
}

/// An export file read in steps, so that a caller on a browser's main thread can give the
/// browser its turn while a large file is read: [`Reading::new`] checks the file's header and
/// finds its events without decoding them (each stays a slice of the file's text), every
/// [`Reading::decode`] decodes the next few, and [`Reading::finish`] says what is new. Nothing of
/// the file is held twice: no JSON tree of the whole file is built.
pub struct Reading<'a> {
    raw: Vec<&'a RawValue>,
    events: Vec<Event>,
    workspace: Vec<Change>,
    settings: Option<serde_json::Value>,
    renamed: BTreeMap<AgentId, AgentId>,
}

/// The file's top level, each part still the file's text.
#[derive(Deserialize)]
struct Parts<'a> {
    #[serde(borrow, default)]
    format: Option<&'a RawValue>,
    #[serde(borrow, default)]
    version: Option<&'a RawValue>,
    #[serde(borrow, default)]
    events: Option<&'a RawValue>,
    #[serde(borrow, default)]
    workspace: Option<&'a RawValue>,
    #[serde(borrow, default)]
    settings: Option<&'a RawValue>,
}

impl<'a> Reading<'a> {
    /// The file, its format and version checked, its workspace changes and settings read, its
    /// events found.
    pub fn new(json: &'a str) -> Result<Self, ImportError> {
        let parts: Parts<'_> = serde_json::from_str(json).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => ImportError::NotAnExport,
            _ => ImportError::Malformed(e.to_string()),
        })?;
        let format = parts
            .format
            .and_then(|f| serde_json::from_str::<String>(f.get()).ok());
        if format.as_deref() != Some(FORMAT) {
            return Err(ImportError::NotAnExport);
        }
        let version = parts
            .version
            .and_then(|v| serde_json::from_str::<u64>(v.get()).ok())
            .ok_or(ImportError::NotAnExport)?;
        if version > u64::from(VERSION) || version == 0 {
            return Err(ImportError::NewerVersion {
                found: u32::try_from(version).unwrap_or(u32::MAX),
                supported: VERSION,
            });
        }
        let bad = |e: serde_json::Error| ImportError::BadEvents(e.to_string());
        let raw: Vec<&RawValue> = match parts.events {
            Some(events) => serde_json::from_str(events.get()).map_err(bad)?,
            None => return Err(ImportError::BadEvents("missing field `events`".into())),
        };
        let workspace = match parts.workspace {
            Some(w) => serde_json::from_str(w.get()).map_err(bad)?,
            None => Vec::new(),
        };
        let settings = match parts.settings {
            Some(s) => serde_json::from_str(s.get()).map_err(bad)?,
            None => None,
        };
        Ok(Self {
            events: Vec::with_capacity(raw.len()),
            raw,
            workspace,
            settings,
            renamed: BTreeMap::new(),
        })
    }

    /// The file, read as [`import_keeping`] reads it: into an installation with its own
    /// settings, `mine`.
    pub fn keeping(json: &'a str, mine: &Settings) -> Result<Self, ImportError> {
        let mut reading = Self::new(json)?;
        if let Some(v) = reading.settings.take() {
            let mut theirs: Settings =
                serde_json::from_value(v).map_err(|e| ImportError::BadSettings(e.to_string()))?;
            reading.renamed = mine.agents_to_rename(&theirs);
            theirs.rename_agents(&reading.renamed);
            reading.settings = Some(
                serde_json::to_value(&theirs)
                    .map_err(|e| ImportError::BadSettings(e.to_string()))?,
            );
        }
        reading
            .workspace
            .retain(|c| !matches!(c.payload, ChangePayload::Settings { .. }));
        Ok(reading)
    }

    /// How many of the file's events are decoded, and how many it holds.
    pub fn progress(&self) -> (usize, usize) {
        (self.events.len(), self.raw.len())
    }

    /// Decodes up to `n` more events; `Ok(false)` once every event is decoded. An event that
    /// does not match the expected shape refuses the file, named by its place in it.
    pub fn decode(&mut self, n: usize) -> Result<bool, ImportError> {
        let from = self.events.len();
        let to = from.saturating_add(n).min(self.raw.len());
        for (k, raw) in self.raw[from..to].iter().enumerate() {
            let mut event: Event = serde_json::from_str(raw.get()).map_err(|e| {
                ImportError::BadEvents(format!("event {} of {}: {e}", from + k + 1, self.raw.len()))
            })?;
            if !self.renamed.is_empty() {
                event.rename_agents(&self.renamed);
            }
            self.events.push(event);
        }
        Ok(to < self.raw.len())
    }

    /// What the file adds to `existing`, the events not yet decoded decoded first.
    pub fn finish(mut self, existing: &[Event]) -> Result<Imported, ImportError> {
        self.decode(usize::MAX)?;
        union(
            existing,
            ExportFile {
                format: FORMAT.into(),
                version: VERSION,
                events: self.events,
                workspace: self.workspace,
                settings: self.settings,
            },
        )
    }
}

/// What of `file` is not in `existing` yet.
fn union(existing: &[Event], file: ExportFile) -> Result<Imported, ImportError> {
    let known: HashMap<&EventId, &Event> = existing.iter().map(|e| (&e.id, e)).collect();
    let file_events = file.events.len();
    // The file's events not in `existing`, each id once (by its place in `new_events`).
    let mut fresh: HashMap<EventId, usize> = HashMap::new();
    let mut new_events: Vec<Event> = Vec::new();
    for e in file.events {
        let same = match known.get(&e.id) {
            Some(k) => Some(crate::privacy::same_event(k, &e)),
            None => fresh
                .get(&e.id)
                .map(|&at| crate::privacy::same_event(&new_events[at], &e)),
        };
        match same {
            Some(true) => {}
            Some(false) => return Err(ImportError::Conflict(e.id)),
            None => {
                fresh.insert(e.id.clone(), new_events.len());
                new_events.push(e);
            }
        }
    }
    // Ids are unique here, so log order is a total order; an export is in it already.
    new_events.sort_by(Event::log_order);
    Ok(Imported {
        new_events,
        changes: file.workspace,
        settings: file.settings,
        file_events,
    })
}
