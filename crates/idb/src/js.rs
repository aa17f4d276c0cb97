//! The thin layer over `web_sys` IndexedDB: requests and transactions as futures.
//!
//! Why not a wrapper crate here: the store issues thousands of requests per bulk import and only
//! needs to wait for the last one (requests in a transaction complete in order), and it must abort
//! a write transaction the moment anything fails. Owning these forty lines keeps both explicit.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

use crate::IdbError;

#[derive(Default)]
struct Slot {
    outcome: Option<Result<JsValue, JsValue>>,
    waker: Option<Waker>,
}

/// Listens to one request. A cursor request fires `success` once per step, so [`Pending::next`]
/// may be awaited again after each `continue()`.
pub(crate) struct Pending {
    req: IdbRequest,
    slot: Rc<RefCell<Slot>>,
    _ok: Closure<dyn FnMut()>,
    _err: Closure<dyn FnMut()>,
}

impl Pending {
    pub(crate) fn new(req: IdbRequest) -> Self {
        let slot = Rc::new(RefCell::new(Slot::default()));
        let (s, r) = (slot.clone(), req.clone());
        let ok = Closure::<dyn FnMut()>::new(move || {
            let mut slot = s.borrow_mut();
            slot.outcome = Some(Ok(r.result().unwrap_or(JsValue::UNDEFINED)));
            if let Some(w) = slot.waker.take() {
                w.wake();
            }
        });
        let (s, r) = (slot.clone(), req.clone());
        let err = Closure::<dyn FnMut()>::new(move || {
            let mut slot = s.borrow_mut();
            let e = r
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::NULL, JsValue::from);
            slot.outcome = Some(Err(e));
            if let Some(w) = slot.waker.take() {
                w.wake();
            }
        });
        req.set_onsuccess(Some(ok.as_ref().unchecked_ref()));
        req.set_onerror(Some(err.as_ref().unchecked_ref()));
        Self {
            req,
            slot,
            _ok: ok,
            _err: err,
        }
    }

    /// The next outcome of the request.
    pub(crate) fn next(&self) -> Next<'_> {
        Next { pending: self }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // The closures die with us; the browser must not call them afterwards.
        self.req.set_onsuccess(None);
        self.req.set_onerror(None);
    }
}

pub(crate) struct Next<'a> {
    pending: &'a Pending,
}

impl Future for Next<'_> {
    type Output = Result<JsValue, IdbError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.pending.slot.borrow_mut();
        match slot.outcome.take() {
            Some(Ok(v)) => Poll::Ready(Ok(v)),
            Some(Err(e)) => Poll::Ready(Err(IdbError::from_js(&e))),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Waits for one request and returns its result.
pub(crate) async fn wait(req: IdbRequest) -> Result<JsValue, IdbError> {
    Pending::new(req).next().await
}

/// A transaction that is aborted when dropped unless [`Tx::commit`] ran: an error (or a dropped
/// future) anywhere in a logical change leaves nothing of it behind.
pub(crate) struct Tx {
    tx: IdbTransaction,
    finished: bool,
}

impl Tx {
    pub(crate) fn new(db: &IdbDatabase, stores: &[&str], write: bool) -> Result<Self, IdbError> {
        let names = js_sys::Array::new();
        for s in stores {
            names.push(&JsValue::from_str(s));
        }
        let mode = if write {
            IdbTransactionMode::Readwrite
        } else {
            IdbTransactionMode::Readonly
        };
        let tx = db.transaction_with_str_sequence_and_mode(&names, mode)?;
        Ok(Self {
            tx,
            finished: !write,
        })
    }

    pub(crate) fn store(&self, name: &str) -> Result<IdbObjectStore, IdbError> {
        Ok(self.tx.object_store(name)?)
    }

    /// The reason the transaction failed, when it did: a failed request aborts the transaction
    /// and its later requests report only `AbortError`.
    pub(crate) fn reason(&self, fallback: IdbError) -> IdbError {
        match self.tx.error() {
            Some(e) => IdbError::from_js(&e.into()),
            None => fallback,
        }
    }

    /// Waits for `req`, reporting the transaction's own error if the request failed.
    pub(crate) async fn wait(&self, req: IdbRequest) -> Result<JsValue, IdbError> {
        match wait(req).await {
            Ok(v) => Ok(v),
            Err(e) => Err(self.reason(e)),
        }
    }

    /// Commits explicitly and waits until the data is on disk (`complete`), or reports why the
    /// browser aborted it (a quota error surfaces here).
    pub(crate) async fn commit(mut self) -> Result<(), IdbError> {
        let done = Done::new(&self.tx);
        self.finished = true;
        // web-sys marks `commit()` deprecated (older Safari lacks it). It throws only when the
        // transaction already ended, i.e. a failed request aborted it; `reason` says why.
        #[allow(deprecated)]
        let committed = self.tx.commit();
        if let Err(e) = committed {
            return Err(self.reason(IdbError::from_js(&e)));
        }
        match done.await {
            true => Ok(()),
            false => Err(self.reason(IdbError::Browser("the transaction was aborted".into()))),
        }
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if !self.finished {
            // Throws only if it already finished, which is what we want anyway.
            let _ = self.tx.abort();
        }
    }
}

/// Resolves to whether a transaction completed (`true`) or aborted.
struct Done {
    tx: IdbTransaction,
    slot: Rc<RefCell<(Option<bool>, Option<Waker>)>>,
    _complete: Closure<dyn FnMut()>,
    _abort: Closure<dyn FnMut()>,
}

impl Done {
    fn new(tx: &IdbTransaction) -> Self {
        let slot: Rc<RefCell<(Option<bool>, Option<Waker>)>> = Rc::default();
        let settle = |ok: bool| {
            let s = slot.clone();
            Closure::<dyn FnMut()>::new(move || {
                let mut s = s.borrow_mut();
                s.0 = Some(ok);
                if let Some(w) = s.1.take() {
                    w.wake();
                }
            })
        };
        let complete = settle(true);
        let abort = settle(false);
        tx.set_oncomplete(Some(complete.as_ref().unchecked_ref()));
        tx.set_onabort(Some(abort.as_ref().unchecked_ref()));
        Self {
            tx: tx.clone(),
            slot,
            _complete: complete,
            _abort: abort,
        }
    }
}

impl Drop for Done {
    fn drop(&mut self) {
        self.tx.set_oncomplete(None);
        self.tx.set_onabort(None);
    }
}

impl Future for Done {
    type Output = bool;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<bool> {
        let mut s = self.slot.borrow_mut();
        match s.0 {
            Some(ok) => Poll::Ready(ok),
            None => {
                s.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// A plain object from key/value pairs.
pub(crate) fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// A property of a record, if present.
pub(crate) fn prop(record: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(record, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// An array key such as `[status, updated]`.
pub(crate) fn key(parts: &[JsValue]) -> JsValue {
    parts.iter().collect::<js_sys::Array>().into()
}

/// The browser's global object (a window or a worker), for `indexedDB`, `navigator` and friends.
pub(crate) fn global() -> JsValue {
    js_sys::global().into()
}

/// `indexedDB` of this page or worker.
pub(crate) fn factory() -> Result<web_sys::IdbFactory, IdbError> {
    let f = prop(&global(), "indexedDB");
    if f.is_undefined() || f.is_null() {
        return Err(IdbError::Unavailable);
    }
    Ok(f.unchecked_into())
}
