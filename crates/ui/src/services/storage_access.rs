//! The Storage Access API: a help desk in a frame on another site may be refused storage by the
//! browser until the person lets it keep data (`document.requestStorageAccess`, after a click).

use wasm_bindgen::JsCast;

/// Whether this page is a frame on another site whose browser offers the Storage Access API
/// (`document.requestStorageAccess`), so the person can be asked to let it keep data.
pub fn can_request_storage_access() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let framed = window.top().ok().flatten().is_some_and(|top| top != window);
    framed
        && window.document().is_some_and(|d| {
            js_sys::Reflect::get(&d, &"requestStorageAccess".into()).is_ok_and(|f| f.is_function())
        })
}

/// Asks the browser for storage access (call from a click); `Ok` when granted.
pub async fn request_storage_access() -> Result<(), ()> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or(())?;
    let promise = js_sys::Reflect::get(&document, &"requestStorageAccess".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&document).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        .ok_or(())?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| ())
}
