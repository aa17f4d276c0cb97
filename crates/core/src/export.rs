//! Export and import of the event log as versioned JSON:
//! `{"format":"mostrador-events","version":1,"events":[...],"workspace":[...],"settings":{...}}`.
//! `workspace` holds the workspace changes (settings sections, articles, deflection records;
//! see `crate::workspace`), added within version 1: older files have none.
//!
//! Import is a set union by event id, so importing another device's file merges with no conflicts
//! and no duplicates, twice is the same as once, and order does not matter. Anything suspicious
//! refuses the whole file: the caller adds nothing.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::event::{Event, EventId};
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
/// as it is.
pub fn import(existing: &[Event], json: &str) -> Result<Imported, ImportError> {
    union(existing, read(json)?)
}

/// Imports a file into an installation that keeps its own settings (`mine`): the file's agents
/// who share an id with a different person here get ids of their own, in the file's settings and
/// events alike (see [`Settings::agents_to_rename`]), and the file's settings sections are left
/// out of its workspace changes (the caller adds what the file has and `mine` lacks with
/// [`Settings::merge_missing`]); its articles and deflection records stay.
pub fn import_keeping(
    existing: &[Event],
    json: &str,
    mine: &Settings,
) -> Result<Imported, ImportError> {
    let mut file = read(json)?;
    if let Some(v) = file.settings.take() {
        let mut theirs: Settings =
            serde_json::from_value(v).map_err(|e| ImportError::BadSettings(e.to_string()))?;
        let renamed = mine.agents_to_rename(&theirs);
        if !renamed.is_empty() {
            theirs.rename_agents(&renamed);
            file.events
                .iter_mut()
                .for_each(|e| e.rename_agents(&renamed));
        }
        file.settings = Some(
            serde_json::to_value(&theirs).map_err(|e| ImportError::BadSettings(e.to_string()))?,
        );
    }
    file.workspace
        .retain(|c| !matches!(c.payload, ChangePayload::Settings { .. }));
    union(existing, file)
}

/// The file, read and checked for format and version.
fn read(json: &str) -> Result<ExportFile, ImportError> {
    let raw: serde_json::Value =
        serde_json::from_str(json).map_err(|e| ImportError::Malformed(e.to_string()))?;
    if raw.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(ImportError::NotAnExport);
    }
    let version = raw
        .get("version")
        .and_then(|v| v.as_u64())
        .ok_or(ImportError::NotAnExport)?;
    if version > u64::from(VERSION) || version == 0 {
        return Err(ImportError::NewerVersion {
            found: u32::try_from(version).unwrap_or(u32::MAX),
            supported: VERSION,
        });
    }
    serde_json::from_value(raw).map_err(|e| ImportError::BadEvents(e.to_string()))
}

/// What of `file` is not in `existing` yet.
fn union(existing: &[Event], file: ExportFile) -> Result<Imported, ImportError> {
    let mut known: HashMap<&EventId, &Event> = existing.iter().map(|e| (&e.id, e)).collect();
    let mut new_events = Vec::new();
    let file_events = file.events.len();
    for e in &file.events {
        match known.get(&e.id) {
            Some(k) if crate::privacy::same_event(k, e) => {}
            Some(_) => return Err(ImportError::Conflict(e.id.clone())),
            None => {
                known.insert(&e.id, e);
                new_events.push(e);
            }
        }
    }
    let new_events = crate::apply::sorted_unique(new_events)
        .into_iter()
        .cloned()
        .collect();
    Ok(Imported {
        new_events,
        changes: file.workspace,
        settings: file.settings,
        file_events,
    })
}
