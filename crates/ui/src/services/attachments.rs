//! Files customers attach to a ticket. Their bytes live beside the store (IndexedDB Blobs in the
//! browser), keyed by a SHA-256 of the content so the same file is kept once; the ticket's events
//! carry only the name, type, size and hash. The widget supplies the [`BlobStore`]; without one
//! the form offers no attachments. Whole files for the console's export and import are saved and
//! read here too, so screens touch no JavaScript values.

use std::rc::Rc;

use async_trait::async_trait;
use leptos::prelude::*;
use mostrador_core::config::Settings;
use mostrador_core::model::Attachment;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{Key, use_i18n};

/// Why a file could not be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobError {
    /// Over the per-file limit.
    TooLarge { name: String, size: u64, max: u64 },
    /// The device's attachment space is full.
    Full { name: String, max: u64 },
    /// The browser refused (storage, reading the file).
    Failed(String),
}

/// Where attachment bytes live.
#[async_trait(?Send)]
pub trait BlobStore {
    /// Keeps `data` under `meta.blob`, checking the settings' per-file limit and the device's
    /// total.
    async fn put(
        &self,
        meta: &Attachment,
        data: &web_sys::Blob,
        settings: &Settings,
    ) -> Result<(), BlobError>;
    /// The bytes of an attachment, if this device has them (attachments do not sync).
    async fn get(&self, blob: &str) -> Result<Option<web_sys::Blob>, BlobError>;
    /// Removes the bytes of these attachments (an erasure); unknown hashes are ignored.
    async fn delete(&self, blobs: &[String]) -> Result<(), BlobError>;
}

/// The context that carries the blob store through the app.
#[derive(Clone, Copy)]
struct BlobsContext(StoredValue<Option<Rc<dyn BlobStore>>, LocalStorage>);

/// Makes `blobs` the store every component below reads with [`use_blobs`].
pub fn provide_blobs(blobs: Option<Rc<dyn BlobStore>>) {
    provide_context(BlobsContext(StoredValue::new_local(blobs)));
}

/// The blob store the app was given, if any.
pub fn use_blobs() -> Option<Rc<dyn BlobStore>> {
    use_context::<BlobsContext>().and_then(|s| s.0.get_value())
}

/// The message for a refused file, in the interface language.
pub fn blob_message(i: crate::i18n::I18n, e: &BlobError) -> String {
    match e {
        BlobError::TooLarge { name, size, max } => i.tf(
            Key::AttachTooLarge,
            &[name, &megabytes(*size), &megabytes(*max)],
        ),
        BlobError::Full { name, max } => i.tf(Key::AttachFull, &[name, &megabytes(*max)]),
        BlobError::Failed(m) => i.tf(Key::AttachFailed, &[m]),
    }
}

fn megabytes(bytes: u64) -> String {
    if bytes < 1_048_576 {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    }
}

fn js_message(e: wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".into())
}

/// Hashes a chosen file and describes it for the ticket.
pub async fn describe(file: &web_sys::File) -> Result<Attachment, BlobError> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| BlobError::Failed(js_message(e)))?;
    let subtle = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.subtle())
        .ok_or_else(|| BlobError::Failed("no Web Crypto".into()))?;
    let digest = subtle
        .digest_with_str_and_buffer_source("SHA-256", &buffer.unchecked_into())
        .map_err(|e| BlobError::Failed(js_message(e)))?;
    let digest = JsFuture::from(digest)
        .await
        .map_err(|e| BlobError::Failed(js_message(e)))?;
    let bytes = js_sys::Uint8Array::new(&digest).to_vec();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mime = file.type_();
    Ok(Attachment {
        name: file.name(),
        mime: if mime.is_empty() {
            "application/octet-stream".into()
        } else {
            mime
        },
        size: file.size() as u64,
        blob: hex,
    })
}

/// The files of a message, each a button that opens the file when this device has it.
#[component]
pub fn AttachmentList(
    /// The message's files.
    files: Vec<Attachment>,
) -> impl IntoView {
    let i = use_i18n();
    if files.is_empty() {
        return ().into_any();
    }
    let blobs = use_blobs();
    let missing = RwSignal::new(None::<String>);
    view! {
        <div class="mo-attachments">
            <ul class="mo-attachment-list" aria-label=move || i.t(Key::Attachments)>
                {files
                    .into_iter()
                    .map(|a| {
                        let blobs = blobs.clone();
                        let label = format!("{} ({})", a.name, megabytes(a.size));
                        let open = move |_| {
                            let (blobs, a) = (blobs.clone(), a.clone());
                            leptos::task::spawn_local(async move {
                                let found = match &blobs {
                                    Some(b) => b.get(&a.blob).await.ok().flatten(),
                                    None => None,
                                };
                                match found {
                                    Some(blob) => {
                                        if let Err(e) = download(&blob, &a.name) {
                                            missing.try_set(Some(e));
                                        }
                                    }
                                    None => {
                                        missing.try_set(Some(i.tf(Key::AttachNotHere, &[&a.name])));
                                    }
                                }
                            });
                        };
                        view! {
                            <li>
                                <button type="button" class="mo-link mo-attachment" on:click=open>
                                    <span aria-hidden="true">"📎 "</span>
                                    {label}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="mo-muted" role="status">{move || missing.get().unwrap_or_default()}</p>
        </div>
    }
    .into_any()
}

/// Reads a file the person chose as text (an import), or the browser's reason it could not.
#[cfg(feature = "console")]
pub(crate) async fn read_text(file: &web_sys::File) -> Result<String, String> {
    JsFuture::from(file.text())
        .await
        .map(|t| t.as_string().unwrap_or_default())
        .map_err(js_message)
}

/// Offers `text` to the person as a file named `name` (the console's exports).
#[cfg(feature = "console")]
pub(crate) fn save_text(text: &str, mime: &str, name: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(js_message)?;
    download(&blob, name)
}

/// Hands the file to the browser to save; the name is set by the download attribute, never by
/// the page's URL.
fn download(blob: &web_sys::Blob, name: &str) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(js_message)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(js_message)?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_rel("noopener");
    a.click();
    // Revoked a little later: revoking at once can cancel the download in some browsers.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
    Ok(())
}
