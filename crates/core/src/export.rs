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
/// as it is. [`Reading`] does the same in steps.
pub fn import(existing: &[Event], json: &str) -> Result<Imported, ImportError> {
    Reading::new(json).finish(existing)
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
    Reading::keeping(json, mine).finish(existing)
}

/// An export file read in steps, so that a caller on a browser's main thread can give the
/// browser its turn while a large file is read: [`Reading::new`] takes the text and parses
/// nothing yet, every [`Reading::decode`] reads on until it has decoded a few more events, and
/// [`Reading::finish`] reads the rest, checks the file and says what is new. Each event is
/// parsed once, straight from the text: no JSON tree of the whole file is built and no pass
/// over the whole file runs at once. serde_json parses every value; this reader only steps over
/// the whitespace and punctuation between the file's members and between its events.
pub struct Reading<'a> {
    text: &'a str,
    /// Byte position of what comes next.
    at: usize,
    stage: Stage,
    format: Option<String>,
    version: Option<u64>,
    /// Where the events list starts, once its member name is read.
    events_at: Option<usize>,
    events: Vec<Event>,
    workspace: Vec<Change>,
    settings: Option<serde_json::Value>,
    /// The installation's settings, for [`Reading::keeping`].
    mine: Option<Settings>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Stage {
    /// Before the top-level object's opening brace.
    Start,
    /// Between the top-level object's members: `first` before the first one.
    Members { first: bool },
    /// Inside the events list: `first` before its first event.
    Events { first: bool },
    /// After the top-level object.
    Done,
}

/// A syntax error (or a truncated file) as the file's fault; anything else as `data`'s.
fn classify(
    e: serde_json::Error,
    data: impl FnOnce(serde_json::Error) -> ImportError,
) -> ImportError {
    match e.classify() {
        serde_json::error::Category::Data => data(e),
        _ => ImportError::Malformed(e.to_string()),
    }
}

impl<'a> Reading<'a> {
    /// A file whose settings (if any) are to replace this installation's, as [`import`] reads it.
    pub fn new(json: &'a str) -> Self {
        Self {
            text: json,
            at: 0,
            stage: Stage::Start,
            format: None,
            version: None,
            events_at: None,
            events: Vec::new(),
            workspace: Vec::new(),
            settings: None,
            mine: None,
        }
    }

    /// A file read as [`import_keeping`] reads it: into an installation with its own settings,
    /// `mine`.
    pub fn keeping(json: &'a str, mine: &Settings) -> Self {
        Self {
            mine: Some(mine.clone()),
            ..Self::new(json)
        }
    }

    /// How many of the file's events are decoded so far.
    pub fn decoded(&self) -> usize {
        self.events.len()
    }

    /// Reads on until `n` more events are decoded or the file is read; `Ok(false)` once it is.
    /// An event that does not match the expected shape refuses the file, named by its place.
    pub fn decode(&mut self, n: usize) -> Result<bool, ImportError> {
        let goal = self.events.len().saturating_add(n);
        while self.events.len() < goal {
            match self.stage {
                Stage::Done => return Ok(false),
                Stage::Start => self.start()?,
                Stage::Members { first } => self.member(first)?,
                Stage::Events { first } => self.event(first)?,
            }
        }
        Ok(self.stage != Stage::Done)
    }

    /// What the file adds to `existing`: the rest of it read, its format and version checked.
    pub fn finish(mut self, existing: &[Event]) -> Result<Imported, ImportError> {
        while self.decode(usize::MAX)? {}
        if self.format.as_deref() != Some(FORMAT) {
            return Err(ImportError::NotAnExport);
        }
        check_version(self.version.ok_or(ImportError::NotAnExport)?)?;
        if self.events_at.is_none() {
            return Err(ImportError::BadEvents("missing field `events`".into()));
        }
        let mut file = ExportFile {
            format: FORMAT.into(),
            version: VERSION,
            events: self.events,
            workspace: self.workspace,
            settings: self.settings,
        };
        if let Some(mine) = &self.mine {
            keep_mine(&mut file, mine)?;
        }
        union(existing, file)
    }

    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    /// Steps over whitespace and returns the next character, not taking it.
    fn peek(&mut self) -> Option<u8> {
        let rest = self.rest();
        let skipped = rest.len() - rest.trim_start_matches([' ', '\n', '\r', '\t']).len();
        self.at += skipped;
        self.text.as_bytes().get(self.at).copied()
    }

    /// Takes `c` (after whitespace) or says what was found instead.
    fn expect(&mut self, c: u8, after: &str) -> Result<(), ImportError> {
        match self.peek() {
            Some(found) if found == c => {
                self.at += 1;
                Ok(())
            }
            found => Err(ImportError::Malformed(format!(
                "expected `{}` {after} at byte {}, found {}",
                c as char,
                self.at,
                found.map_or("the end of the file".to_owned(), |f| format!(
                    "`{}`",
                    f as char
                ))
            ))),
        }
    }

    /// Parses one JSON value at the current position and steps past it.
    fn value<T: Deserialize<'a>>(&mut self) -> Option<Result<T, serde_json::Error>> {
        let mut values = serde_json::Deserializer::from_str(self.rest()).into_iter::<T>();
        let next = values.next();
        self.at += values.byte_offset();
        next
    }

    fn start(&mut self) -> Result<(), ImportError> {
        if self.peek() != Some(b'{') {
            // Valid JSON of another shape is not an export; anything else is not JSON.
            return Err(
                match serde_json::from_str::<serde::de::IgnoredAny>(self.text) {
                    Ok(_) => ImportError::NotAnExport,
                    Err(e) => ImportError::Malformed(e.to_string()),
                },
            );
        }
        self.at += 1;
        self.stage = Stage::Members { first: true };
        Ok(())
    }

    fn member(&mut self, first: bool) -> Result<(), ImportError> {
        if self.peek() == Some(b'}') {
            self.at += 1;
            if self.peek().is_some() {
                return Err(ImportError::Malformed(format!(
                    "trailing characters at byte {}",
                    self.at
                )));
            }
            self.stage = Stage::Done;
            return Ok(());
        }
        if !first {
            self.expect(b',', "between the file's members")?;
        }
        let name: std::borrow::Cow<'a, str> = match self.value() {
            Some(Ok(name)) => name,
            Some(Err(e)) => return Err(ImportError::Malformed(e.to_string())),
            None => return Err(ImportError::Malformed("the file ends early".into())),
        };
        self.expect(b':', "after a member's name")?;
        let next = Stage::Members { first: false };
        let bad = |e| classify(e, |e| ImportError::BadEvents(e.to_string()));
        let not_export = |e| classify(e, |_| ImportError::NotAnExport);
        match name.as_ref() {
            "events" => {
                if self.events_at.is_some() {
                    return Err(ImportError::BadEvents(
                        "the file lists its events twice".into(),
                    ));
                }
                self.events_at = Some(self.at);
                if self.peek() != Some(b'[') {
                    return Err(ImportError::BadEvents("`events` is not a list".into()));
                }
                self.at += 1;
                self.stage = Stage::Events { first: true };
                return Ok(());
            }
            // The header is checked as soon as it is read (an export writes it first), so
            // another file is refused before its contents are decoded.
            "format" => {
                let format = self.required::<String>()?.map_err(not_export)?;
                if format != FORMAT {
                    return Err(ImportError::NotAnExport);
                }
                self.format = Some(format);
            }
            "version" => {
                let version = self.required::<u64>()?.map_err(not_export)?;
                check_version(version)?;
                self.version = Some(version);
            }
            "workspace" => self.workspace = self.required::<Vec<Change>>()?.map_err(bad)?,
            "settings" => {
                self.settings = self.required::<Option<serde_json::Value>>()?.map_err(bad)?
            }
            _ => {
                self.required::<serde::de::IgnoredAny>()?
                    .map_err(|e| ImportError::Malformed(e.to_string()))?;
            }
        }
        self.stage = next;
        Ok(())
    }

    /// A member's value, which must be there.
    fn required<T: Deserialize<'a>>(
        &mut self,
    ) -> Result<Result<T, serde_json::Error>, ImportError> {
        self.value()
            .ok_or_else(|| ImportError::Malformed("the file ends early".into()))
    }

    fn event(&mut self, first: bool) -> Result<(), ImportError> {
        if self.peek() == Some(b']') {
            self.at += 1;
            self.stage = Stage::Members { first: false };
            return Ok(());
        }
        if !first {
            self.expect(b',', "between events")?;
        }
        let place = self.events.len() + 1;
        match self.value::<Event>() {
            Some(Ok(event)) => self.events.push(event),
            Some(Err(e)) => {
                return Err(classify(e, |e| {
                    ImportError::BadEvents(format!("event {place}: {e}"))
                }));
            }
            None => return Err(ImportError::Malformed("the file ends early".into())),
        }
        self.stage = Stage::Events { first: false };
        Ok(())
    }
}

/// Refuses a version this app cannot read.
fn check_version(version: u64) -> Result<(), ImportError> {
    if version > u64::from(VERSION) || version == 0 {
        return Err(ImportError::NewerVersion {
            found: u32::try_from(version).unwrap_or(u32::MAX),
            supported: VERSION,
        });
    }
    Ok(())
}

/// [`import_keeping`]'s treatment of a file: the file's agents who share an id with a different
/// person in `mine` get ids of their own, in its settings and events; its settings sections are
/// left out of its workspace changes.
fn keep_mine(file: &mut ExportFile, mine: &Settings) -> Result<(), ImportError> {
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
    Ok(())
}

/// What of `file` is not in `existing` yet.
fn union(existing: &[Event], file: ExportFile) -> Result<Imported, ImportError> {
    let known: HashMap<&EventId, &Event> = existing.iter().map(|e| (&e.id, e)).collect();
    let file_events = file.events.len();
    // First pass, borrowing: which of the file's events are new, each id once (the first of a
    // repeated id is kept; a repeat must be the same event). No id is copied.
    let mut keep = vec![false; file_events];
    {
        let mut fresh: HashMap<&EventId, usize> = HashMap::new();
        for (at, e) in file.events.iter().enumerate() {
            let same = match known.get(&e.id) {
                Some(k) => Some(crate::privacy::same_event(k, e)),
                None => fresh
                    .get(&e.id)
                    .map(|&first| crate::privacy::same_event(&file.events[first], e)),
            };
            match same {
                Some(true) => {}
                Some(false) => return Err(ImportError::Conflict(e.id.clone())),
                None => {
                    fresh.insert(&e.id, at);
                    keep[at] = true;
                }
            }
        }
    }
    // Second pass: move the kept events out of the file.
    let mut new_events: Vec<Event> = file
        .events
        .into_iter()
        .zip(keep)
        .filter_map(|(e, k)| k.then_some(e))
        .collect();
    // Ids are unique here, so log order is a total order. An export is written in it, so the
    // sort is only paid for a file put together some other way.
    if !new_events.is_sorted_by(|a, b| Event::log_order(a, b).is_le()) {
        new_events.sort_by(Event::log_order);
    }
    Ok(Imported {
        new_events,
        changes: file.workspace,
        settings: file.settings,
        file_events,
    })
}
