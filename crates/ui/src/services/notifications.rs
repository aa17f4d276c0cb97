//! The browser's notifications, for the console's alerts: whether the page may show them, asking
//! (only ever from an agent's click), and showing one that runs `on_click` when clicked.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

/// What the browser says about notifications for this page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Not decided: the page may ask.
    Ask,
    Granted,
    Denied,
}

/// `None` where the page has no notifications (an insecure origin, an old browser).
pub fn permission() -> Option<Permission> {
    let window = web_sys::window()?;
    if !js_sys::Reflect::has(&window, &JsValue::from_str("Notification")).unwrap_or(false) {
        return None;
    }
    Some(match Notification::permission() {
        NotificationPermission::Granted => Permission::Granted,
        NotificationPermission::Denied => Permission::Denied,
        _ => Permission::Ask,
    })
}

/// Asks the browser (which may answer without asking the person); the answer after it.
pub async fn request() -> Option<Permission> {
    if let Ok(p) = Notification::request_permission() {
        let _ = wasm_bindgen_futures::JsFuture::from(p).await;
    }
    permission()
}

/// Shows a notification; one with the same `tag` replaces it. `on_click` runs once, after the
/// window is brought forward.
pub fn show(title: &str, body: &str, tag: &str, lang: &str, on_click: impl FnOnce() + 'static) {
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    options.set_lang(lang);
    let Ok(n) = Notification::new_with_options(title, &options) else {
        return;
    };
    let shown = n.clone();
    let open = Closure::once_into_js(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.focus();
        }
        on_click();
        shown.close();
    });
    n.set_onclick(Some(open.unchecked_ref()));
}
