//! Several tabs on one database: the store's change notices (the core's `Notice`) go to the
//! other tabs over a `BroadcastChannel`, and one tab at a time runs sync through the Web Locks
//! API.

use mostrador_core::store::Notice;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

use crate::IdbError;
use crate::js::{global, object, prop};

fn channel_name(db: &str) -> String {
    format!("mostrador-idb:{db}")
}

/// One `BroadcastChannel` end and the listener on it; closed when dropped.
pub(crate) struct Channel {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Channel {
    pub(crate) fn new(db: &str, mut f: impl FnMut(Notice) + 'static) -> Result<Self, IdbError> {
        let channel = BroadcastChannel::new(&channel_name(db))?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            // A message that is not ours (or from a newer version we do not understand) is ignored.
            if let Some(change) = e
                .data()
                .as_string()
                .and_then(|s| serde_json::from_str::<Notice>(&s).ok())
            {
                f(change);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(Self {
            channel,
            _on_message: on_message,
        })
    }

    /// Tells every other channel end of this database (other tabs, other handles) about a
    /// committed change. The posting end itself does not hear it (`BroadcastChannel` skips it).
    pub(crate) fn post(&self, change: &Notice) {
        if let Ok(text) = serde_json::to_string(change) {
            // Posting only fails on a closed channel; a lost notice costs a stale list, not data.
            let _ = self.channel.post_message(&JsValue::from_str(&text));
        }
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

/// Holds a Web Lock until dropped.
pub struct LockGuard {
    release: js_sys::Function,
}

impl std::fmt::Debug for LockGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockGuard").finish_non_exhaustive()
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = self.release.call0(&JsValue::NULL);
    }
}

/// Takes the lock `name` if no tab (or worker) of this origin holds it, without waiting. Sync
/// runs only in the tab that holds `try_sync_lock("mostrador-sync")`; the others try again later.
/// The lock is released when the guard is dropped or the tab closes.
pub async fn try_sync_lock(name: &str) -> Result<Option<LockGuard>, IdbError> {
    let locks = prop(&prop(&global(), "navigator"), "locks");
    let request = prop(&locks, "request");
    let Some(request) = request.dyn_ref::<js_sys::Function>() else {
        return Err(IdbError::Unsupported("the Web Locks API"));
    };
    let mut failure: Option<JsValue> = None;
    let outcome = js_sys::Promise::new(&mut |resolve, reject| {
        // Called once with the lock or null. While it holds the lock, the callback's promise stays
        // pending; its resolver is what `LockGuard` calls to release the lock.
        let granted = Closure::once_into_js(move |lock: JsValue| -> JsValue {
            if lock.is_null() {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
                return JsValue::UNDEFINED;
            }
            let mut release = JsValue::NULL;
            let held = js_sys::Promise::new(&mut |r, _| release = r.into());
            let _ = resolve.call1(&JsValue::NULL, &release);
            held.into()
        });
        let options = object(&[("ifAvailable", JsValue::TRUE)]);
        match request.call3(&locks, &JsValue::from_str(name), &options, &granted) {
            Ok(p) => {
                // The request's own promise rejects only on misuse; surface that.
                if let Some(catch) = prop(&p, "catch").dyn_ref::<js_sys::Function>() {
                    let on_err = Closure::once_into_js(move |e: JsValue| {
                        let _ = reject.call1(&JsValue::NULL, &e);
                    });
                    let _ = catch.call1(&p, &on_err);
                }
            }
            Err(e) => failure = Some(e),
        }
    });
    if let Some(e) = failure {
        return Err(IdbError::from_js(&e));
    }
    let v = wasm_bindgen_futures::JsFuture::from(outcome).await?;
    Ok(v.dyn_into::<js_sys::Function>()
        .ok()
        .map(|release| LockGuard { release }))
}
