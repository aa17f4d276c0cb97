//! The driver loop in the browser: one tab at a time (Web Locks), fetch for push and pull, an
//! EventSource that pokes, `navigator.onLine` for offline, and timers for backoff.

use std::cell::RefCell;
use std::rc::Rc;

use futures::StreamExt;
use futures::channel::mpsc;
use futures::future::{Either, select};
use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Promise, Reflect};
use mostrador_core::sync::{
    EngineConfig, Failure, LoginRequest, Next, PROTOCOL_HEADER, PROTOCOL_VERSION, PullResponse,
    PushResponse, SessionReply, SyncEngine, SyncStatus,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{EventSource, MessageEvent, Request, RequestInit, Response};

use crate::{
    DownloadError, PendingFile, SyncStorage, UploadOutcome, classify, download_error,
    upload_outcome,
};

/// Where and as whom to sync.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// The server's base URL, e.g. `https://help.example.com`.
    pub server: String,
    /// Bearer token: a site-signed customer token, an anonymous or an agent session token.
    pub token: String,
    /// Tabs with the same lock name take turns; the default is per server.
    pub lock_name: Option<String>,
    pub engine: EngineConfig,
}

enum Wake {
    Poke,
    LocalChange,
    /// The browser went online or offline.
    Network,
    Resume,
    Stop,
}

/// Controls a running sync loop. Dropping it does not stop sync; call [`SyncHandle::stop`].
#[derive(Clone)]
pub struct SyncHandle {
    tx: mpsc::UnboundedSender<Wake>,
    status: Rc<RefCell<SyncStatus>>,
}

impl SyncHandle {
    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    /// The outbox grew: push soon.
    pub fn local_change(&self) {
        let _ = self.tx.unbounded_send(Wake::LocalChange);
    }

    /// Try again after an error that stopped sync (signed in again, updated).
    pub fn resume(&self) {
        let _ = self.tx.unbounded_send(Wake::Resume);
    }

    /// Ends the loop and releases the tab lock.
    pub fn stop(&self) {
        let _ = self.tx.unbounded_send(Wake::Stop);
    }
}

/// Starts syncing in the background. `on_status` runs whenever the status changes.
pub fn start<S: SyncStorage + 'static>(
    options: SyncOptions,
    storage: S,
    on_status: impl Fn(&SyncStatus) + 'static,
) -> SyncHandle {
    let (tx, rx) = mpsc::unbounded();
    let status = Rc::new(RefCell::new(SyncStatus::Idle));
    let handle = SyncHandle {
        tx: tx.clone(),
        status: status.clone(),
    };
    spawn_local(async move {
        let report = move |s: SyncStatus| {
            if *status.borrow() != s {
                on_status(&s);
                *status.borrow_mut() = s;
            }
        };
        if let Err(message) = run(options, storage, tx, rx, &report).await {
            report(SyncStatus::Error { message });
        }
    });
    handle
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn random_u64() -> u64 {
    (js_sys::Math::random() * u64::MAX as f64) as u64
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

async fn run<S: SyncStorage>(
    options: SyncOptions,
    storage: S,
    tx: mpsc::UnboundedSender<Wake>,
    mut rx: mpsc::UnboundedReceiver<Wake>,
    report: &dyn Fn(SyncStatus),
) -> Result<(), String> {
    let lock_name = options
        .lock_name
        .clone()
        .unwrap_or_else(|| format!("mostrador-sync {}", options.server));
    // Waits while another tab syncs; released when this function returns.
    let _lock = TabLock::acquire(&lock_name).await?;
    let checkpoint = storage.load_checkpoint().await.map_err(|e| e.to_string())?;
    let mut engine = SyncEngine::new(checkpoint, options.engine);
    let _network = NetworkWatch::open(tx.clone());
    let _stream = LiveStream::open(&options, tx)?;
    let mut was_online = None;
    // Files queued by an earlier session may still wait for their upload.
    let mut uploads_due = true;
    loop {
        // Tell the engine about the network only when it changes (coming back online asks for
        // a pull), or to retry while it still believes a request failed for want of network.
        let now_online = online();
        if was_online != Some(now_online) || (now_online && engine.status() == SyncStatus::Offline)
        {
            engine.set_online(now_online);
        }
        was_online = Some(now_online);
        report(engine.status());
        let outbox = storage
            .outbox(options.engine.batch)
            .await
            .map_err(|e| e.to_string())?;
        let changes = storage.change_outbox().await.map_err(|e| e.to_string())?;
        let sleep_ms = match engine.poll_all(now_ms(), &outbox, &changes) {
            Next::Push(req) => {
                report(SyncStatus::Syncing);
                let body = serde_json::to_string(&req).map_err(|e| e.to_string())?;
                match send::<PushResponse>(&options, "POST", "/v1/events", Some(body)).await {
                    Ok(resp) => {
                        let applied = engine.on_push(resp);
                        // The files of accepted events are queued before the events leave the
                        // outbox, so a reload in between uploads them still.
                        let accepted: std::collections::HashSet<_> =
                            applied.acknowledged.iter().collect();
                        let files = PendingFile::announced_by(
                            req.events.iter().filter(|e| accepted.contains(&e.id)),
                        );
                        if !files.is_empty() {
                            storage
                                .queue_uploads(&files)
                                .await
                                .map_err(|e| e.to_string())?;
                            uploads_due = true;
                        }
                        storage
                            .acknowledge(&applied.acknowledged)
                            .await
                            .map_err(|e| e.to_string())?;
                        if !applied.rejected.is_empty() {
                            storage
                                .reject(&applied.rejected)
                                .await
                                .map_err(|e| e.to_string())?;
                        }
                    }
                    Err(f) => {
                        engine.on_failure(now_ms(), random_u64(), f);
                    }
                }
                continue;
            }
            Next::Pull(req) => {
                report(SyncStatus::Syncing);
                match send::<PullResponse>(&options, "GET", &req.path(), None).await {
                    Ok(resp) => {
                        let applied = engine.on_pull(resp);
                        storage
                            .apply_remote(&applied.changes, &applied.events, applied.checkpoint)
                            .await
                            .map_err(|e| e.to_string())?;
                    }
                    Err(f) => {
                        engine.on_failure(now_ms(), random_u64(), f);
                    }
                }
                continue;
            }
            // Nothing to push or pull now: the bytes of accepted files go up.
            Next::Idle | Next::Wait { .. } if uploads_due && online() => {
                uploads_due = false;
                report(SyncStatus::Syncing);
                upload_pending(&options, &storage).await?;
                continue;
            }
            Next::Wait { until_ms } => (until_ms - now_ms()).clamp(0, 60_000),
            // While offline, look at navigator.onLine every few seconds.
            Next::Idle if !online() || engine.status() == SyncStatus::Offline => 3_000,
            // A heartbeat pull catches anything a dropped stream missed; uploads that could not
            // go are tried again.
            Next::Idle => {
                engine.remote_changed();
                uploads_due = true;
                60_000
            }
            Next::Busy => 100,
            Next::Stopped => i64::from(i32::MAX),
        };
        let timer = TimeoutFuture::new(u32::try_from(sleep_ms).unwrap_or(u32::MAX));
        match select(rx.next(), timer).await {
            Either::Left((Some(Wake::Poke), _)) => engine.remote_changed(),
            Either::Left((Some(Wake::LocalChange | Wake::Network), _)) => {}
            Either::Left((Some(Wake::Resume), _)) => engine.resume(),
            Either::Left((Some(Wake::Stop) | None, _)) => {
                engine.set_enabled(false);
                report(engine.status());
                return Ok(());
            }
            Either::Right(_) => {}
        }
    }
}

/// Uploads the bytes of the queued files, oldest first. Stops at the first answer that says "not
/// now" (offline, server busy, session expired); the rest wait for the next round.
async fn upload_pending<S: SyncStorage>(options: &SyncOptions, storage: &S) -> Result<(), String> {
    let pending = storage.pending_uploads().await.map_err(|e| e.to_string())?;
    for file in pending {
        let refused = match storage
            .file_bytes(&file.sha256)
            .await
            .map_err(|e| e.to_string())?
        {
            // No longer on this device (erased meanwhile): nothing to send.
            None => None,
            Some(bytes) => match put_file(options, &file, &bytes).await {
                UploadOutcome::Stored => None,
                UploadOutcome::Refused(code, message) => Some((code, message)),
                UploadOutcome::Later(_) => return Ok(()),
            },
        };
        storage
            .file_uploaded(&file, refused)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Headers every request carries: the token and the protocol version.
fn headers(token: &str) -> Result<web_sys::Headers, JsValue> {
    let headers = web_sys::Headers::new()?;
    if !token.is_empty() {
        headers.set("authorization", &format!("Bearer {token}"))?;
    }
    headers.set(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string())?;
    Ok(headers)
}

/// One `PUT /v1/files/{sha256}`.
async fn put_file(options: &SyncOptions, file: &PendingFile, bytes: &[u8]) -> UploadOutcome {
    let later = |_| {
        UploadOutcome::Later(if online() {
            Failure::Transient("cannot reach the sync server".into())
        } else {
            Failure::Offline
        })
    };
    let init = RequestInit::new();
    init.set_method("PUT");
    let h = match headers(&options.token) {
        Ok(h) => h,
        Err(e) => return later(e),
    };
    if let Err(e) = h.set("content-type", &file.mime) {
        return later(e);
    }
    init.set_headers(&h);
    init.set_body(&js_sys::Uint8Array::from(bytes));
    let url = format!(
        "{}/v1/files/{}",
        options.server.trim_end_matches('/'),
        file.sha256
    );
    let response = match fetch(&url, &init).await {
        Ok(r) => r,
        Err(e) => return later(e),
    };
    let text = match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(e) => return later(e),
    };
    upload_outcome(response.status(), &text)
}

async fn fetch(url: &str, init: &RequestInit) -> Result<Response, JsValue> {
    let request = Request::new_with_str_and_init(url, init)?;
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    Ok(JsFuture::from(window.fetch_with_request(&request))
        .await?
        .unchecked_into())
}

/// Fetches the bytes of a file from `server` as the holder of `token`. The caller checks that
/// they hash to `sha256` before keeping them.
pub async fn download_file(
    server: &str,
    token: &str,
    sha256: &str,
) -> Result<Vec<u8>, DownloadError> {
    let failed = |e: JsValue| {
        DownloadError::Failed(if online() {
            e.as_string()
                .unwrap_or_else(|| "cannot reach the sync server".into())
        } else {
            "offline".into()
        })
    };
    let init = RequestInit::new();
    init.set_method("GET");
    let h = headers(token).map_err(failed)?;
    init.set_headers(&h);
    let url = format!("{}/v1/files/{sha256}", server.trim_end_matches('/'));
    let response = fetch(&url, &init).await.map_err(failed)?;
    if !response.ok() {
        let text = match response.text() {
            Ok(p) => JsFuture::from(p)
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        return Err(download_error(response.status(), &text));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?)
        .await
        .map_err(failed)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Asks `server` for an anonymous customer session (a customer id `anon-…` and its token).
pub async fn anonymous_session(server: &str) -> Result<SessionReply, Failure> {
    send(&unsigned(server), "POST", "/v1/auth/anonymous", None).await
}

/// Signs an agent in with their password.
pub async fn agent_session(
    server: &str,
    agent_id: &str,
    password: &str,
) -> Result<SessionReply, Failure> {
    let body = serde_json::to_string(&LoginRequest {
        agent_id: agent_id.to_owned(),
        password: password.to_owned(),
    })
    .map_err(|e| Failure::Fatal(e.to_string()))?;
    send(&unsigned(server), "POST", "/v1/auth/login", Some(body)).await
}

/// An administrator's request to the server's admin endpoints (API keys, webhooks; see
/// [`crate::admin`]) as the holder of the agent session `token`. `body` goes as JSON; the JSON
/// answer is read as `T` (an empty answer, such as a 204, reads as `()`).
pub async fn admin_request<T: serde::de::DeserializeOwned>(
    server: &str,
    token: &str,
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<T, Failure> {
    let options = SyncOptions {
        token: token.to_owned(),
        ..unsigned(server)
    };
    send(&options, method, path, body).await
}

fn unsigned(server: &str) -> SyncOptions {
    SyncOptions {
        server: server.to_owned(),
        token: String::new(),
        lock_name: None,
        engine: EngineConfig::default(),
    }
}

/// One request; a non-2xx answer or a network error becomes a [`Failure`].
async fn send<T: serde::de::DeserializeOwned>(
    options: &SyncOptions,
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<T, Failure> {
    let network = |_| {
        if online() {
            Failure::Transient("cannot reach the sync server".into())
        } else {
            Failure::Offline
        }
    };
    let init = RequestInit::new();
    init.set_method(method);
    let headers = headers(&options.token).map_err(network)?;
    if let Some(b) = &body {
        headers
            .set("content-type", "application/json")
            .map_err(network)?;
        init.set_body(&JsValue::from_str(b));
    }
    init.set_headers(&headers);
    let url = format!("{}{path}", options.server.trim_end_matches('/'));
    let response = fetch(&url, &init).await.map_err(network)?;
    let text = match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .map_err(network)?
            .as_string()
            .unwrap_or_default(),
        Err(e) => return Err(network(e)),
    };
    if !response.ok() {
        let retry = response.headers().get("retry-after").ok().flatten();
        return Err(classify(response.status(), retry.as_deref(), &text));
    }
    let text = if text.trim().is_empty() {
        "null"
    } else {
        &text
    };
    serde_json::from_str(text)
        .map_err(|e| Failure::Transient(format!("the sync server sent an unexpected answer: {e}")))
}

/// Wakes the loop when the browser goes online or offline, so the state shows at once and
/// queued changes leave as soon as the network is back. Removed when sync stops.
struct NetworkWatch {
    window: web_sys::Window,
    on_change: Closure<dyn FnMut()>,
}

impl NetworkWatch {
    fn open(tx: mpsc::UnboundedSender<Wake>) -> Option<NetworkWatch> {
        let window = web_sys::window()?;
        let on_change = Closure::<dyn FnMut()>::new(move || {
            let _ = tx.unbounded_send(Wake::Network);
        });
        for name in ["online", "offline"] {
            let _ =
                window.add_event_listener_with_callback(name, on_change.as_ref().unchecked_ref());
        }
        Some(NetworkWatch { window, on_change })
    }
}

impl Drop for NetworkWatch {
    fn drop(&mut self) {
        for name in ["online", "offline"] {
            let _ = self
                .window
                .remove_event_listener_with_callback(name, self.on_change.as_ref().unchecked_ref());
        }
    }
}

/// The server's event stream; each `poke` wakes the loop to pull. EventSource reconnects by
/// itself; the first message after a reconnect is a poke too.
struct LiveStream {
    source: EventSource,
    _on_poke: Closure<dyn FnMut(MessageEvent)>,
}

impl LiveStream {
    fn open(options: &SyncOptions, tx: mpsc::UnboundedSender<Wake>) -> Result<LiveStream, String> {
        // EventSource cannot send headers: the token and version travel in the query.
        let url = format!(
            "{}/v1/stream?protocol={PROTOCOL_VERSION}&token={}",
            options.server.trim_end_matches('/'),
            js_sys::encode_uri_component(&options.token)
        );
        let source = EventSource::new(&url).map_err(|_| format!("cannot open {url}"))?;
        let on_poke = Closure::<dyn FnMut(MessageEvent)>::new(move |_e: MessageEvent| {
            let _ = tx.unbounded_send(Wake::Poke);
        });
        source
            .add_event_listener_with_callback("poke", on_poke.as_ref().unchecked_ref())
            .map_err(|_| "cannot listen to the event stream".to_owned())?;
        Ok(LiveStream {
            source,
            _on_poke: on_poke,
        })
    }
}

impl Drop for LiveStream {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Held while this tab is the one that syncs (Web Locks API, through `Reflect` because web-sys
/// keeps `LockManager` behind unstable flags). Browsers without Web Locks sync in every tab,
/// which is safe (pushes are idempotent), only wasteful.
struct TabLock {
    release: Option<Function>,
}

impl TabLock {
    async fn acquire(name: &str) -> Result<TabLock, String> {
        let Some(window) = web_sys::window() else {
            return Ok(TabLock { release: None });
        };
        let locks = Reflect::get(&window.navigator(), &JsValue::from_str("locks"))
            .ok()
            .filter(|l| !l.is_undefined() && !l.is_null());
        let Some(locks) = locks else {
            return Ok(TabLock { release: None });
        };
        let request: Function = Reflect::get(&locks, &JsValue::from_str("request"))
            .map_err(|_| "navigator.locks.request is missing")?
            .dyn_into()
            .map_err(|_| "navigator.locks.request is not a function")?;
        let release: Rc<RefCell<Option<Function>>> = Rc::default();
        let granted: Rc<RefCell<Option<Function>>> = Rc::default();
        let granted_promise = {
            let granted = granted.clone();
            Promise::new(&mut |resolve, _| *granted.borrow_mut() = Some(resolve))
        };
        let granted_for_refusal = granted.clone();
        let on_grant = {
            let release = release.clone();
            Closure::once_into_js(move |_lock: JsValue| -> Promise {
                if let Some(g) = granted.borrow_mut().take() {
                    let _ = g.call0(&JsValue::NULL);
                }
                // The lock is held until this promise settles.
                Promise::new(&mut |resolve, _| *release.borrow_mut() = Some(resolve))
            })
        };
        let requested: Promise = request
            .call2(&locks, &JsValue::from_str(name), &on_grant)
            .map_err(|_| "navigator.locks.request failed")?
            .dyn_into()
            .map_err(|_| "navigator.locks.request did not return a promise")?;
        // Where the browser refuses locks (a third-party frame without storage access) the
        // request rejects and no grant comes: sync without the lock rather than wait forever.
        let refused: JsValue = {
            let granted = granted_for_refusal;
            Closure::once_into_js(move |_: JsValue| {
                if let Some(g) = granted.borrow_mut().take() {
                    let _ = g.call0(&JsValue::NULL);
                }
            })
        };
        if let Ok(catch) = Reflect::get(&requested, &JsValue::from_str("catch"))
            .and_then(|f| f.dyn_into::<Function>())
        {
            let _ = catch.call1(&requested, &refused);
        }
        JsFuture::from(granted_promise)
            .await
            .map_err(|_| "the tab lock was not granted")?;
        let release = release.borrow_mut().take();
        Ok(TabLock { release })
    }
}

impl Drop for TabLock {
    fn drop(&mut self) {
        if let Some(r) = self.release.take() {
            let _ = r.call0(&JsValue::NULL);
        }
    }
}
