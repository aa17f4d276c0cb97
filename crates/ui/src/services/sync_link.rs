//! The optional sync connection. When the host gives the app a sync server, the store's outbox
//! is pushed and other devices' events are pulled into the same store (the browser driver in
//! `mostrador-sync` runs the core's `SyncEngine`). Without one, nothing here runs and nothing
//! leaves the device.
//!
//! Who syncs: a customer with the host's signed token (`identify`), else with an anonymous
//! session the server hands out on first use; an agent after signing in with their password.
//! Sessions and the pull checkpoint are kept in the store's metadata.

use std::rc::Rc;

use async_trait::async_trait;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::event::{Event, EventId, Payload};
use mostrador_core::model::TicketId;
use mostrador_core::privacy::PrivacyRequest;
use mostrador_core::store::{Meta, Origin, StoreError};
use mostrador_core::sync::{Checkpoint, Principal, SessionReply, SyncStatus};
use mostrador_core::workspace::Change;
use mostrador_sync::{PendingFile, StorageError, SyncOptions, SyncStorage};

use crate::i18n::errors::failure_text;
use crate::i18n::{I18n, Key, Plural, use_i18n};
use crate::services::attachments::{BlobStore, delete_files, files_of, use_blobs};
use crate::services::desk::Desk;
use crate::services::host::{HostEvent, HostLink, SyncStatus as HostSync};
use crate::services::ids::now;
use crate::shell::session::{Mode, Session};

/// Store metadata keys of the sync connection, with the type of each value.
pub mod keys {
    use mostrador_core::meta_key;
    use mostrador_core::sync::{Checkpoint, SessionReply};
    use mostrador_sync::PendingFile;

    meta_key!(
        /// The session token and whom it speaks for.
        pub Session = "sync.session" => SessionReply
    );
    meta_key!(
        /// Where pulling resumes.
        pub CheckpointKey = "sync.checkpoint" => Checkpoint
    );
    meta_key!(
        /// Events (and files) the server refused for good, with its reasons.
        pub Rejected = "sync.rejected" => Vec<serde_json::Value>
    );
    meta_key!(
        /// Files whose bytes still have to reach the server (`[{sha256, mime}]`, oldest first).
        pub Uploads = "sync.uploads" => Vec<PendingFile>
    );
}

/// What the interface shows about sync.
#[derive(Debug, Clone, Copy)]
pub struct SyncUi {
    /// The server's base URL.
    pub server: StoredValue<String>,
    /// The session token, once there is one (attachments are fetched with it).
    pub token: StoredValue<Option<String>>,
    /// The store lives in this page only (the browser refused storage): this page syncs for
    /// itself instead of taking turns with the other tabs of the same server.
    pub tab_only: StoredValue<bool>,
    /// The driver's last status; `None` until it starts.
    pub status: RwSignal<Option<SyncStatus>>,
    /// The console waits for an agent to sign in.
    pub sign_in: RwSignal<bool>,
    /// How many local changes the server refused.
    pub rejected: RwSignal<usize>,
    /// What the events arriving by sync should tell the signed-in agent (console only).
    #[cfg(feature = "console")]
    pub alerts: crate::services::alerts::AlertQueue,
}

pub fn use_sync() -> Option<SyncUi> {
    use_context::<SyncUi>()
}

fn storage_error(e: impl std::fmt::Display) -> StorageError {
    StorageError(e.to_string())
}

/// The app's store as sync sees it.
struct DeskSync {
    desk: Rc<Desk>,
    /// Where attachment bytes live on this device, if anywhere.
    blobs: Option<Rc<dyn BlobStore>>,
    rejected: RwSignal<usize>,
    #[cfg(feature = "console")]
    alerts: crate::services::alerts::AlertQueue,
}

impl DeskSync {
    /// Adds refusals to those kept for the person and shows the new count.
    async fn keep_refused(&self, refused: Vec<serde_json::Value>) -> Result<(), StorageError> {
        let store = &self.desk.store;
        let mut kept = match store.meta::<keys::Rejected>().await {
            Ok(Some(a)) => a,
            Ok(None) | Err(StoreError::Corrupt(_)) => Vec::new(),
            Err(e) => return Err(storage_error(e)),
        };
        kept.extend(refused);
        let count = kept.len();
        store
            .set_meta::<keys::Rejected>(&kept)
            .await
            .map_err(storage_error)?;
        self.rejected.try_set(count);
        Ok(())
    }

    /// What `events`, just pulled, tell the signed-in agent; nothing on a device's first pull
    /// (all of that is history, not news).
    #[cfg(feature = "console")]
    async fn alerts_for(&self, events: &[Event]) -> Vec<crate::services::alerts::Alert> {
        let Some(me) = self.desk.acting_agent() else {
            return Vec::new();
        };
        let first_pull = matches!(
            self.desk.store.meta::<keys::CheckpointKey>().await,
            Ok(None)
        );
        if first_pull {
            return Vec::new();
        }
        crate::services::alerts::for_agent(&self.desk, events, &me, js_sys::Date::now() as i64)
            .await
    }

    async fn set_uploads(&self, files: &[PendingFile]) -> Result<(), StorageError> {
        self.desk
            .store
            .set_meta::<keys::Uploads>(&files.to_vec())
            .await
            .map_err(storage_error)
    }
}

#[async_trait(?Send)]
impl SyncStorage for DeskSync {
    async fn outbox(&self, limit: usize) -> Result<Vec<Event>, StorageError> {
        self.desk.store.outbox(limit).await.map_err(storage_error)
    }

    async fn acknowledge(&self, ids: &[EventId]) -> Result<(), StorageError> {
        self.desk
            .store
            .acknowledge(ids)
            .await
            .map_err(storage_error)
    }

    /// The store keeps its log append-only, so a refused event stays here (it is this device's
    /// view) but leaves the outbox; the reasons are kept and the count shown.
    async fn reject(&self, rejected: &[(EventId, String, String)]) -> Result<(), StorageError> {
        let ids: Vec<EventId> = rejected.iter().map(|(id, ..)| id.clone()).collect();
        self.acknowledge(&ids).await?;
        self.keep_refused(
            rejected
                .iter()
                .map(|(id, code, message)| {
                    serde_json::json!({ "id": id.0, "code": code, "message": message })
                })
                .collect(),
        )
        .await
    }

    async fn queue_uploads(&self, files: &[PendingFile]) -> Result<(), StorageError> {
        if self.blobs.is_none() || files.is_empty() {
            return Ok(());
        }
        let mut queue = self.pending_uploads().await?;
        for f in files {
            if !queue.iter().any(|q| q.sha256 == f.sha256) {
                queue.push(f.clone());
            }
        }
        self.set_uploads(&queue).await
    }

    async fn pending_uploads(&self) -> Result<Vec<PendingFile>, StorageError> {
        Ok(self
            .desk
            .store
            .meta::<keys::Uploads>()
            .await
            .map_err(storage_error)?
            .unwrap_or_default())
    }

    /// The bytes from the blob store; a file this device no longer has (erased, or the events
    /// came from elsewhere) is `None` and leaves the queue.
    async fn file_bytes(&self, sha256: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let Some(blobs) = &self.blobs else {
            return Ok(None);
        };
        let Some(blob) = blobs
            .get(sha256)
            .await
            .map_err(|e| storage_error(format!("{e:?}")))?
        else {
            return Ok(None);
        };
        let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
            .await
            .map_err(|e| storage_error(format!("{e:?}")))?;
        Ok(Some(js_sys::Uint8Array::new(&buffer).to_vec()))
    }

    async fn file_uploaded(
        &self,
        file: &PendingFile,
        refused: Option<(String, String)>,
    ) -> Result<(), StorageError> {
        let mut queue = self.pending_uploads().await?;
        queue.retain(|q| q.sha256 != file.sha256);
        self.set_uploads(&queue).await?;
        if let Some((code, message)) = refused {
            self.keep_refused(vec![
                serde_json::json!({ "file": file.sha256, "code": code, "message": message }),
            ])
            .await?;
        }
        Ok(())
    }

    async fn change_outbox(&self) -> Result<Vec<Change>, StorageError> {
        self.desk.store.change_outbox().await.map_err(storage_error)
    }

    /// Workspace changes, then events, then the checkpoint: after a crash in between, the next
    /// pull fetches the same again and the store ignores what it has. The settings and articles
    /// are brought up to the changes before the events are folded under them.
    async fn apply_remote(
        &self,
        changes: &[Change],
        events: &[Event],
        checkpoint: Checkpoint,
    ) -> Result<(), StorageError> {
        if !changes.is_empty() {
            self.desk
                .store
                .append_changes(changes, Origin::Remote)
                .await
                .map_err(storage_error)?;
            self.desk
                .reload_workspace()
                .await
                .map_err(|e| StorageError(format!("{e:?}")))?;
        }
        if !events.is_empty() {
            // Files of tickets erased on another device leave this one too.
            let erased: Vec<TicketId> = events
                .iter()
                .filter(|e| {
                    matches!(
                        e.payload,
                        Payload::PrivacyRequested {
                            request: PrivacyRequest::Erasure
                        }
                    )
                })
                .map(|e| e.ticket.clone())
                .collect();
            let mut files = files_of(&self.desk, &erased)
                .await
                .map_err(|e| storage_error(format!("{e:?}")))?;
            files.extend(
                PendingFile::announced_by(events.iter().filter(|e| erased.contains(&e.ticket)))
                    .into_iter()
                    .map(|f| f.sha256),
            );
            #[cfg(feature = "console")]
            let alerts = self.alerts_for(events).await;
            let settings = self.desk.settings();
            self.desk
                .store
                .append(events, Origin::Remote, &settings, now())
                .await
                .map_err(storage_error)?;
            delete_files(&self.desk, self.blobs.clone(), files)
                .await
                .map_err(|e| storage_error(format!("{e:?}")))?;
            #[cfg(feature = "console")]
            if !alerts.is_empty() {
                self.alerts.0.try_update(|q| q.extend(alerts));
            }
        }
        // The store announced what the events changed; views re-read from its notice.
        self.desk
            .store
            .set_meta::<keys::CheckpointKey>(&checkpoint)
            .await
            .map_err(storage_error)?;
        Ok(())
    }

    async fn load_checkpoint(&self) -> Result<Checkpoint, StorageError> {
        Ok(self
            .desk
            .store
            .meta::<keys::CheckpointKey>()
            .await
            .map_err(storage_error)?
            .unwrap_or_default())
    }
}

fn host_status(s: &SyncStatus) -> HostSync {
    match s {
        SyncStatus::Idle => HostSync::Synced,
        SyncStatus::Syncing => HostSync::Syncing,
        SyncStatus::Offline => HostSync::Offline,
        SyncStatus::Error { .. } => HostSync::Error,
        SyncStatus::Disabled => HostSync::Local,
    }
}

/// A saved session that is still good for a minute.
async fn saved_session(desk: &Desk) -> Option<SessionReply> {
    let s = desk.store.meta::<keys::Session>().await.ok().flatten()?;
    (s.expires_at_ms > js_sys::Date::now() as i64 + 60_000).then_some(s)
}

pub(crate) async fn save_session(desk: &Desk, s: &SessionReply) {
    let _ = desk.store.set_meta::<keys::Session>(s).await;
}

/// Starts sync for a loaded desk: finds or gets a token, then runs the driver. The console
/// without a saved session asks the agent to sign in first.
///
/// In split builds (feature `split`) the driver is a module of its own, fetched once the app is
/// shown: the visitor can type, and the agent sees the inbox from this device's storage, while
/// it arrives. A device that cannot fetch it is offline, and tries again every few seconds.
pub fn connect(desk: Rc<Desk>, session: Session, host: HostLink, ui: SyncUi) {
    let blobs = use_blobs();
    let i = use_i18n();
    #[cfg(not(feature = "split"))]
    start(desk, blobs, session, host, ui, i);
    #[cfg(feature = "split")]
    spawn_local(async move {
        let offline = {
            let desk = desk.clone();
            // The visitor writes as this device meanwhile.
            move || desk.settle_customer()
        };
        fetched(&host, ui, offline, || {
            driver(desk.clone(), blobs.clone(), session, host.clone(), ui, i)
        })
        .await;
    });
}

/// [`run`] with the token an agent just signed in with, once the driver's code is here (see
/// [`connect`]).
#[cfg(feature = "console")]
pub(crate) fn run_signed_in(
    desk: Rc<Desk>,
    blobs: Option<Rc<dyn BlobStore>>,
    server: String,
    token: String,
    host: HostLink,
    ui: SyncUi,
) {
    #[cfg(not(feature = "split"))]
    run(desk, blobs, server, token, host, ui);
    #[cfg(feature = "split")]
    spawn_local(async move {
        fetched(
            &host,
            ui,
            || {},
            || {
                signed_in(
                    desk.clone(),
                    blobs.clone(),
                    server.clone(),
                    token.clone(),
                    host.clone(),
                    ui,
                )
            },
        )
        .await;
    });
}

/// Calls `load` (a split point's function) until its module is here: offline meanwhile, trying
/// again after 2 s, doubling up to a minute; gives up when the app is gone.
#[cfg(feature = "split")]
async fn fetched<F>(host: &HostLink, ui: SyncUi, offline: impl Fn(), mut load: impl FnMut() -> F)
where
    F: std::future::Future<Output = Result<(), crate::components::deferred::Unloaded>>,
{
    let mut wait_ms = 2_000;
    while load().await.is_err() {
        offline();
        host.emit(HostEvent::Sync(HostSync::Offline));
        if ui.status.try_set(Some(SyncStatus::Offline)).is_some() {
            // The app is gone.
            return;
        }
        gloo_timers::future::TimeoutFuture::new(wait_ms).await;
        wait_ms = (wait_ms * 2).min(60_000);
    }
}

/// [`start`] from the module split off for sync.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(sync, wasm_split_path = ::leptos::wasm_split, fallible)]
fn driver(
    desk: Rc<Desk>,
    blobs: Option<Rc<dyn BlobStore>>,
    session: Session,
    host: HostLink,
    ui: SyncUi,
    i: I18n,
) -> Result<(), crate::components::deferred::Unloaded> {
    start(desk, blobs, session, host, ui, i);
    Ok(())
}

/// [`run`] from the module split off for sync.
#[cfg(all(feature = "split", feature = "console"))]
#[leptos::wasm_split::wasm_split(sync, wasm_split_path = ::leptos::wasm_split, fallible)]
fn signed_in(
    desk: Rc<Desk>,
    blobs: Option<Rc<dyn BlobStore>>,
    server: String,
    token: String,
    host: HostLink,
    ui: SyncUi,
) -> Result<(), crate::components::deferred::Unloaded> {
    run(desk, blobs, server, token, host, ui);
    Ok(())
}

/// `i` words a refused anonymous session for the sync badge.
fn start(
    desk: Rc<Desk>,
    blobs: Option<Rc<dyn BlobStore>>,
    session: Session,
    host: HostLink,
    ui: SyncUi,
    i: I18n,
) {
    spawn_local(async move {
        let server = ui.server.get_value();
        let saved = saved_session(&desk).await;
        let token = match session.mode {
            Mode::Portal => {
                let signed = host
                    .visitor
                    .get_untracked()
                    .and_then(|v| v.token)
                    .filter(|t| t.starts_with("mc1.") || t.starts_with("mc2."));
                // So the loader can show this visitor's unread answers on their next visit
                // without starting the app (see `returning`).
                let remember = |s: Option<&SessionReply>| {
                    let session = s.map(|s| (s.token.as_str(), s.expires_at_ms));
                    crate::services::returning::remember(&desk.db_name, &server, session);
                };
                let token = match (signed, saved) {
                    (Some(token), _) => {
                        remember(None);
                        token
                    }
                    (None, Some(s)) if matches!(s.principal, Principal::Customer { .. }) => {
                        if let Principal::Customer { id, .. } = &s.principal {
                            desk.use_customer(id.clone());
                        }
                        remember(Some(&s));
                        s.token
                    }
                    _ => match mostrador_sync::anonymous_session(&server).await {
                        Ok(s) => {
                            save_session(&desk, &s).await;
                            if let Principal::Customer { id, .. } = &s.principal {
                                desk.use_customer(id.clone());
                            }
                            remember(Some(&s));
                            s.token
                        }
                        Err(f) => {
                            // No session: the visitor writes as this device.
                            desk.settle_customer();
                            let s = SyncStatus::Error {
                                message: failure_text(i, &f),
                            };
                            host.emit(HostEvent::Sync(host_status(&s)));
                            ui.status.try_set(Some(s));
                            return;
                        }
                    },
                };
                desk.settle_customer();
                token
            }
            Mode::Console => match saved {
                Some(s) => match &s.principal {
                    Principal::Agent { id, .. } => {
                        session.agent.try_set(Some(id.clone()));
                        s.token
                    }
                    Principal::Customer { .. } => {
                        ui.sign_in.try_set(true);
                        return;
                    }
                },
                None => {
                    ui.sign_in.try_set(true);
                    return;
                }
            },
        };
        run(desk, blobs, server, token, host, ui);
    });
}

/// Runs the driver with `token`; every local change wakes it.
pub(crate) fn run(
    desk: Rc<Desk>,
    blobs: Option<Rc<dyn BlobStore>>,
    server: String,
    token: String,
    host: HostLink,
    ui: SyncUi,
) {
    ui.token.set_value(Some(token.clone()));
    let storage = DeskSync {
        desk: desk.clone(),
        blobs,
        rejected: ui.rejected,
        #[cfg(feature = "console")]
        alerts: ui.alerts,
    };
    let options = SyncOptions {
        server,
        token,
        lock_name: ui.tab_only.get_value().then(|| {
            format!(
                "mostrador-sync {} {}",
                ui.server.get_value(),
                crate::services::ids::random_hex(8)
            )
        }),
        engine: Default::default(),
    };
    let handle = mostrador_sync::start(options, storage, move |s| {
        host.emit(HostEvent::Sync(host_status(s)));
        ui.status.try_set(Some(s.clone()));
    });
    desk.set_on_commit(Box::new(move || handle.local_change()));
}

/// The sync state in the header, announced politely to screen readers.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let i = use_i18n();
    let Some(ui) = use_sync() else {
        return ().into_any();
    };
    let text = move || match ui.status.get() {
        None => i.t(Key::SyncConnecting).to_owned(),
        Some(SyncStatus::Idle) => i.t(Key::SyncSynced).to_owned(),
        Some(SyncStatus::Syncing) => i.t(Key::SyncSyncing).to_owned(),
        Some(SyncStatus::Offline) => i.t(Key::SyncOffline).to_owned(),
        Some(SyncStatus::Disabled) => i.t(Key::SyncLocal).to_owned(),
        Some(SyncStatus::Error { message }) => format!("{} {message}", i.t(Key::SyncError)),
    };
    let state = move || match ui.status.get() {
        Some(SyncStatus::Idle) => "synced",
        Some(SyncStatus::Syncing) | None => "syncing",
        Some(SyncStatus::Offline) => "offline",
        Some(SyncStatus::Error { .. }) => "error",
        Some(SyncStatus::Disabled) => "local",
    };
    view! {
        <p class="mo-sync" data-state=state role="status" aria-live="polite">
            <span class="mo-sync-dot" aria-hidden="true"></span>
            {text}
            <Show when=move || { ui.rejected.get() > 0 }>
                " " {move || i.tn(Plural::SyncRejected, ui.rejected.get() as u64, &[])}
            </Show>
        </p>
    }
    .into_any()
}
