//! `mount`: puts the app in a Shadow DOM inside the host's element and returns the
//! `MountHandle` through which the host unmounts it and changes locale, identity and prefill.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::mount::mount_to;
use leptos::prelude::*;
use mostrador_ui::{HostLink, Mode, OpenApp, PrefillFields, Visitor, style};
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::events::{AppEvent, EventSink};
use crate::host::{HostState, Identity, Locale, Prefill};
use crate::options::{self, from_js};
use crate::style as widget_style;

/// A mounted app. Dropping it (or calling `unmount`) removes the app from the page.
#[wasm_bindgen]
pub struct MountHandle {
    inner: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
    container: HtmlElement,
    host: Rc<RefCell<HostState>>,
    /// The running app's side of the host's calls.
    link: HostLink,
    events: EventSink,
}

#[wasm_bindgen]
impl MountHandle {
    /// Removes the app and its Shadow DOM content from the host element.
    pub fn unmount(&mut self) {
        self.inner.take();
        self.container.remove();
    }

    /// Changes the visitor's language while the app runs.
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&self, locale: &str) -> Result<(), JsError> {
        let locale = Locale::parse(locale).map_err(|e| JsError::new(&e))?;
        let _ = self.container.set_attribute("lang", locale.as_str());
        self.link.locale.set(Some(locale.as_str().to_owned()));
        self.host.borrow_mut().locale = Some(locale);
        Ok(())
    }

    /// Records who the visitor is, signed by the host's backend.
    pub fn identify(&self, user: JsValue) -> Result<(), JsError> {
        let identity = from_js(&user, "identify(user)", &Identity::FIELDS, Identity::read)
            .and_then(Identity::validate)
            .map_err(|e| JsError::new(&e))?;
        self.link.visitor.set(Some(visitor_of(&identity)));
        self.host.borrow_mut().identity = Some(identity);
        Ok(())
    }

    /// Adds ticket fields for the portal's form; later calls override earlier ones per field.
    pub fn prefill(&self, fields: JsValue) -> Result<(), JsError> {
        let fields = from_js(&fields, "prefill(fields)", &Prefill::FIELDS, Prefill::read)
            .and_then(Prefill::validate)
            .map_err(|e| JsError::new(&e))?;
        let mut host = self.host.borrow_mut();
        host.prefill.merge(fields);
        self.link.prefill.set(prefill_of(&host.prefill));
        Ok(())
    }

    /// A copy of what the host has told this app (locale, identity, prefill), as plain JSON data.
    #[wasm_bindgen(js_name = hostState)]
    pub fn host_state(&self) -> JsValue {
        self.host.borrow().to_js()
    }
}

impl MountHandle {
    /// Where the app reports its events; the UI will hold a clone to announce tickets.
    pub fn events(&self) -> &EventSink {
        &self.events
    }
}

/// Room for the splitter in the customer widget's build. It regroups the read-only data by the
/// module that uses it, each group aligned, and keeps all of it in the first module when the
/// regrouped data would not fit where the linker put it. These bytes are kept by the linker but
/// used by no code, so the splitter leaves them out of every module: they cost no download and
/// leave it room. Without them, 68–92 bytes short, the portal's first module carried the data
/// of every split-off module (about 25 KB brotli).
#[cfg(feature = "split")]
#[used]
static SPLIT_SLACK: [u8; 4096] = [0x5a; 4096];

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
    // The core normalises text with the browser's Unicode data (the module carries no tables).
    mostrador_idb::BrowserText::install();
}

/// Mounts Mostrador inside `element`, in an open Shadow DOM.
///
/// `on_event(name, detail)` receives the app's events (see [`AppEvent`]); `ready` is sent once
/// the app is in the page.
#[wasm_bindgen]
pub fn mount(
    element: HtmlElement,
    options: JsValue,
    on_event: Option<js_sys::Function>,
) -> Result<MountHandle, JsError> {
    // Also here: a test harness may not run the module's start function. Installing twice is
    // harmless.
    mostrador_idb::BrowserText::install();
    let config = options::parse(options).map_err(|e| JsError::new(&e))?;
    for problem in &config.dropped {
        web_sys::console::error_1(&problem.into());
    }
    let shadow = match element.shadow_root() {
        Some(root) => root,
        None => {
            let init = ShadowRootInit::new(ShadowRootMode::Open);
            element
                .attach_shadow(&init)
                .map_err(|_| JsError::new("Mostrador: this element cannot host a shadow root"))?
        }
    };
    let document = element
        .owner_document()
        .ok_or_else(|| JsError::new("Mostrador: no document"))?;
    let container: HtmlElement = document
        .create_element("div")
        .map_err(|_| JsError::new("Mostrador: cannot create the container"))?
        .unchecked_into();
    container.set_class_name("mo-shell");
    if let Some(locale) = &config.host.locale {
        let _ = container.set_attribute("lang", locale.as_str());
    }
    add_styles(&document, &shadow, &container)?;
    shadow
        .append_child(&container)
        .map_err(|_| JsError::new("Mostrador: cannot attach the app"))?;
    let mut app = config.app;
    app.locale = config.host.locale.as_ref().map(|l| l.as_str().to_owned());
    let open = crate::storage::opener(&app.db_name, app.mode == Mode::Console);
    let events = EventSink::new(on_event);
    let sink = events.clone();
    let link = HostLink::new(move |e| sink.emit(&AppEvent::from(e)));
    link.locale.set(app.locale.clone());
    link.visitor
        .set(config.host.identity.as_ref().map(visitor_of));
    link.prefill.set(prefill_of(&config.host.prefill));
    let app_link = link.clone();
    let inner = mount_to(container.clone(), move || {
        view! { <OpenApp options=app open=open host=app_link /> }.into_any()
    });
    let handle = MountHandle {
        inner: Some(inner),
        container,
        host: Rc::new(RefCell::new(config.host)),
        link,
        events,
    };
    handle.events.emit(&AppEvent::Ready);
    Ok(handle)
}

/// Adopts the stylesheets into the shadow root. Constructed stylesheets are not inline `<style>`
/// elements, so a host page whose CSP forbids inline styles still shows the app styled; a
/// `<style>` element in the container is the fallback for browsers without them.
fn add_styles(
    document: &Document,
    shadow: &ShadowRoot,
    container: &HtmlElement,
) -> Result<(), JsError> {
    let sheets = js_sys::Array::new();
    let app_css = widget_style::rebase_rem(style::CSS);
    for css in [widget_style::BEFORE, app_css.as_str(), widget_style::AFTER] {
        match web_sys::CssStyleSheet::new() {
            Ok(sheet) if sheet.replace_sync(css).is_ok() => {
                sheets.push(&sheet);
            }
            _ => {
                let el = document
                    .create_element("style")
                    .map_err(|_| JsError::new("Mostrador: cannot create a style element"))?;
                el.set_text_content(Some(css));
                container
                    .append_child(&el)
                    .map_err(|_| JsError::new("Mostrador: cannot add styles"))?;
            }
        }
    }
    // Keep whatever a previous mount on this element adopted out of the way.
    shadow.set_adopted_style_sheets(&sheets);
    Ok(())
}

/// The app's view of an identified visitor (the signature stays with the handle for sync).
fn visitor_of(identity: &Identity) -> Visitor {
    Visitor {
        id: identity.id.trim().to_owned(),
        name: identity.name.clone(),
        email: identity.email.clone(),
        token: (identity.signature.starts_with("mc1.") || identity.signature.starts_with("mc2."))
            .then(|| identity.signature.clone()),
        // Checked when `identify` took it.
        context: identity.context().ok().flatten(),
    }
}

/// The app's view of the host's prefill.
fn prefill_of(p: &Prefill) -> PrefillFields {
    PrefillFields {
        subject: p.subject.clone(),
        message: p.message.clone(),
        name: p.name.clone(),
        email: p.email.clone(),
        category: p.category.clone(),
        fields: p.fields.clone(),
    }
}
