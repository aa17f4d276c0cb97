use leptos::mount::mount_to;
use leptos::prelude::*;
use mostrador_core::store::{MemoryStore, Store};
use mostrador_ui::{OpenApp, StoreOpener, style};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::options;

/// A mounted app. Dropping it (or calling `unmount`) removes the app from the page.
#[wasm_bindgen]
pub struct MountHandle {
    inner: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
    container: HtmlElement,
}

#[wasm_bindgen]
impl MountHandle {
    /// Removes the app and its Shadow DOM content from the host element.
    pub fn unmount(&mut self) {
        self.inner.take();
        self.container.remove();
    }
}

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Mounts Mostrador inside `element`, in an open Shadow DOM.
#[wasm_bindgen]
pub fn mount(element: HtmlElement, options: JsValue) -> Result<MountHandle, JsError> {
    let options = options::parse(options).map_err(|e| JsError::new(&e))?;
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
    let style_el = document
        .create_element("style")
        .map_err(|_| JsError::new("Mostrador: cannot create a style element"))?;
    style_el.set_text_content(Some(style::CSS));
    let container: HtmlElement = document
        .create_element("div")
        .map_err(|_| JsError::new("Mostrador: cannot create the container"))?
        .unchecked_into();
    container
        .append_child(&style_el)
        .and_then(|_| shadow.append_child(&container))
        .map_err(|_| JsError::new("Mostrador: cannot attach the app"))?;
    let open: StoreOpener =
        Box::pin(async move { Ok(Rc::new(MemoryStore::new()) as Rc<dyn Store>) });
    let inner = mount_to(container.clone(), move || {
        view! { <OpenApp options=options open=open /> }.into_any()
    });
    Ok(MountHandle {
        inner: Some(inner),
        container,
    })
}
