//! `IdbError`: what the browser's storage refused, classified from whatever it threw, and how
//! it maps onto the core's `StoreError`.

use mostrador_core::store::StoreError;
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};

/// Something the browser's storage refused. Each variant says what a person can do about it.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum IdbError {
    /// The browser has no IndexedDB here (private mode in some browsers, or a sandboxed iframe).
    #[error("this browser does not allow local storage here; try a normal (non-private) window")]
    Unavailable,
    /// The storage quota is used up; nothing of the change was written.
    #[error("the browser's storage for this site is full; free space or export and clear old data")]
    QuotaExceeded,
    /// The database on disk is newer than this version of the app (opened by a newer tab).
    #[error("the data was saved by a newer version of Mostrador; reload the page to update")]
    VersionTooNew,
    /// A stored record could not be read back as the expected type.
    #[error("a stored record is unreadable: {0}")]
    Corrupt(String),
    /// The browser lacks an API this feature needs (Web Locks, `indexedDB.databases()`).
    #[error("this browser does not support {0}; update it to use this feature")]
    Unsupported(&'static str),
    /// Any other failure reported by the browser.
    #[error("the browser's storage failed: {0}")]
    Browser(String),
}

impl IdbError {
    /// Classifies whatever a browser call threw or an IndexedDB request reported.
    pub(crate) fn from_js(value: &JsValue) -> Self {
        if let Some(d) = value.dyn_ref::<web_sys::DomException>() {
            return match d.name().as_str() {
                "QuotaExceededError" => IdbError::QuotaExceeded,
                "VersionError" => IdbError::VersionTooNew,
                "InvalidStateError" | "SecurityError" => IdbError::Unavailable,
                "DataCloneError" | "DataError" => IdbError::Corrupt(d.message()),
                name => IdbError::Browser(format!("{name}: {}", d.message())),
            };
        }
        if let Some(e) = value.dyn_ref::<js_sys::Error>() {
            return IdbError::Browser(String::from(e.message()));
        }
        IdbError::Browser(value.as_string().unwrap_or_else(|| format!("{value:?}")))
    }
}

impl From<JsValue> for IdbError {
    fn from(value: JsValue) -> Self {
        IdbError::from_js(&value)
    }
}

impl From<IdbError> for StoreError {
    fn from(e: IdbError) -> Self {
        match e {
            IdbError::QuotaExceeded => StoreError::QuotaExceeded,
            IdbError::Corrupt(m) => StoreError::Corrupt(m),
            IdbError::Unavailable | IdbError::VersionTooNew | IdbError::Unsupported(_) => {
                StoreError::Unavailable(e.to_string())
            }
            IdbError::Browser(m) => StoreError::Backend(m),
        }
    }
}
