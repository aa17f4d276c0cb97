//! Files customers attach to a ticket. Their bytes live beside the store (IndexedDB Blobs in the
//! browser), keyed by a SHA-256 of the content so the same file is kept once; the ticket's events
//! carry only the name, type, size and hash. The widget supplies the [`BlobStore`]; without one
//! the form offers no attachments. With a sync server the bytes travel too: the sync driver
//! uploads them after the events that announce them, and a device that lacks a file fetches it
//! when someone opens it, checks its hash and keeps it. Whole files for the console's export and
//! import are saved and read here too, so screens touch no JavaScript values.

use std::collections::BTreeSet;
use std::rc::Rc;

use async_trait::async_trait;
use leptos::prelude::*;
use mostrador_core::apply::fold_all;
use mostrador_core::config::Settings;
use mostrador_core::model::{Attachment, TicketId};
use mostrador_core::ticket::Ticket;
use mostrador_core::validate::{attachment_type_allowed, attachment_type_from_name};
use mostrador_sync::DownloadError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{Key, use_i18n};
use crate::services::desk::{Desk, UiError, use_desk};
use crate::services::sync_link::use_sync;

/// Why a file could not be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobError {
    /// Over the per-file limit.
    TooLarge { name: String, size: u64, max: u64 },
    /// The device's attachment space is full.
    Full { name: String, max: u64 },
    /// Not a file type help desks take (web pages, scripts, programs, unknown bytes).
    Type { name: String, mime: String },
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
    /// The bytes of an attachment, if this device has them.
    async fn get(&self, blob: &str) -> Result<Option<web_sys::Blob>, BlobError>;
    /// Removes the bytes of these attachments (an erasure); unknown hashes are ignored.
    async fn delete(&self, blobs: &[String]) -> Result<(), BlobError>;
}

/// The context that carries the blob store through the app: none until the store is open.
#[derive(Clone, Copy)]
pub(crate) struct BlobsContext(StoredValue<Option<Rc<dyn BlobStore>>, LocalStorage>);

impl BlobsContext {
    /// The store that came with the opened store.
    pub(crate) fn set(self, blobs: Option<Rc<dyn BlobStore>>) {
        self.0.set_value(blobs);
    }

    /// The store now, if any.
    pub(crate) fn get(self) -> Option<Rc<dyn BlobStore>> {
        self.0.get_value()
    }
}

/// The blob store's context, for code that asks later for the store (it arrives with the
/// opened store). Outside an app (a component mounted alone in a test) it stays empty.
pub(crate) fn blobs_context() -> BlobsContext {
    use_context::<BlobsContext>().unwrap_or_else(|| BlobsContext(StoredValue::new_local(None)))
}

/// Provides the context every component below reads with [`use_blobs`], empty until the store
/// that keeps the bytes is [`set`](BlobsContext::set).
pub(crate) fn provide_blobs() -> BlobsContext {
    let blobs = BlobsContext(StoredValue::new_local(None));
    provide_context(blobs);
    blobs
}

/// The blob store the app was given, if any (none before the store is open).
pub fn use_blobs() -> Option<Rc<dyn BlobStore>> {
    use_context::<BlobsContext>().and_then(|s| s.0.get_value())
}

/// The message for a refused file, in the interface language.
pub fn blob_message(i: crate::i18n::I18n, e: &BlobError) -> String {
    match e {
        BlobError::TooLarge { name, size, max } => i.tf(
            Key::AttachTooLarge,
            &[
                ("name", name),
                ("size", &megabytes(*size)),
                ("max", &megabytes(*max)),
            ],
        ),
        BlobError::Full { name, max } => i.tf(
            Key::AttachFull,
            &[("name", name), ("max", &megabytes(*max))],
        ),
        BlobError::Type { name, mime } => i.tf(Key::AttachType, &[("name", name), ("type", mime)]),
        BlobError::Failed(m) => i.tf(Key::AttachFailed, &[("detail", m)]),
    }
}

/// A file size for people: whole kilobytes under a megabyte, else megabytes to one decimal
/// (rounded half up). Integer arithmetic: formatting a float would bring the float formatter
/// into the console's first module for this one label.
pub(crate) fn megabytes(bytes: u64) -> String {
    if bytes < 1_048_576 {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    } else {
        let tenths = (u128::from(bytes) * 10 + 524_288) / 1_048_576;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

/// Whole megabytes, rounded half up (a limit in a hint).
pub(crate) fn whole_megabytes(bytes: u64) -> u64 {
    u64::try_from((u128::from(bytes) + 524_288) / 1_048_576).unwrap_or(u64::MAX)
}

fn js_message(e: wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".into())
}

/// The lowercase hex SHA-256 of `data` (an `ArrayBuffer` or a typed array), by Web Crypto.
async fn sha256_hex(data: &js_sys::Object) -> Result<String, BlobError> {
    let subtle = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.subtle())
        .ok_or_else(|| BlobError::Failed("no Web Crypto".into()))?;
    let digest = subtle
        .digest_with_str_and_buffer_source("SHA-256", data)
        .map_err(|e| BlobError::Failed(js_message(e)))?;
    let digest = JsFuture::from(digest)
        .await
        .map_err(|e| BlobError::Failed(js_message(e)))?;
    let bytes = js_sys::Uint8Array::new(&digest).to_vec();
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Hashes a chosen file and describes it for the ticket. A type the core does not take is
/// refused before the file is read.
pub async fn describe(file: &web_sys::File) -> Result<Attachment, BlobError> {
    // Untyped (some browsers say octet-stream for what they do not know): go by the name.
    let mime = match file.type_() {
        m if m.is_empty() || m == "application/octet-stream" => {
            attachment_type_from_name(&file.name())
                .unwrap_or("application/octet-stream")
                .to_owned()
        }
        m => m,
    };
    if !attachment_type_allowed(&mime) {
        return Err(BlobError::Type {
            name: file.name(),
            mime,
        });
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| BlobError::Failed(js_message(e)))?;
    Ok(Attachment {
        name: file.name(),
        mime,
        size: file.size() as u64,
        blob: sha256_hex(buffer.unchecked_ref()).await?,
    })
}

/// Why an attachment could not be opened here.
enum Missing {
    /// No copy on this device and no server to ask.
    NotHere,
    /// The server could not give it.
    Download(DownloadError),
}

/// Fetches `a` from the sync server, checks that the bytes are the file, keeps them on this
/// device (when there is room) and returns them.
async fn fetch_from_server(
    desk: &Desk,
    blobs: Option<&Rc<dyn BlobStore>>,
    server: &str,
    token: &str,
    a: &Attachment,
) -> Result<web_sys::Blob, Missing> {
    let bytes = mostrador_sync::download_file(server, token, &a.blob)
        .await
        .map_err(Missing::Download)?;
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    match sha256_hex(&array).await {
        Ok(hash) if hash == a.blob => {}
        _ => return Err(Missing::Download(DownloadError::Damaged)),
    }
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&a.mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| Missing::Download(DownloadError::Failed(js_message(e))))?;
    if let Some(store) = blobs {
        // A full device still opens the file; it just is not kept.
        let _ = store.put(a, &blob, &desk.settings()).await;
    }
    Ok(blob)
}

/// The bytes of `a`: from this device, else (with sync) from the server.
async fn find_file(
    desk: &Desk,
    blobs: Option<Rc<dyn BlobStore>>,
    remote: Option<(String, String)>,
    a: &Attachment,
) -> Result<web_sys::Blob, Missing> {
    if let Some(b) = &blobs
        && let Ok(Some(blob)) = b.get(&a.blob).await
    {
        return Ok(blob);
    }
    match remote {
        Some((server, token)) => fetch_from_server(desk, blobs.as_ref(), &server, &token, a).await,
        None => Err(Missing::NotHere),
    }
}

fn missing_message(i: crate::i18n::I18n, name: &str, m: &Missing) -> String {
    match m {
        Missing::NotHere => i.tf(Key::AttachNotHere, &[("name", name)]),
        Missing::Download(DownloadError::NotUploaded) => {
            i.tf(Key::AttachNotUploaded, &[("name", name)])
        }
        Missing::Download(DownloadError::NotFound) => i.tf(Key::AttachGone, &[("name", name)]),
        Missing::Download(DownloadError::Damaged) => i.tf(Key::AttachDamaged, &[("name", name)]),
        Missing::Download(DownloadError::Failed(why)) => i.tf(
            Key::AttachDownloadFailed,
            &[("name", name), ("detail", why)],
        ),
    }
}

/// Content hashes of the files a ticket shows (its opening and its messages).
pub(crate) fn blobs_of(t: &Ticket) -> impl Iterator<Item = String> + '_ {
    t.attachments
        .iter()
        .chain(t.thread.iter().flat_map(|m| m.attachments.iter()))
        .map(|a| a.blob.clone())
}

/// Content hashes of the files attached to these tickets, as this device has them now.
pub(crate) async fn files_of(desk: &Desk, ids: &[TicketId]) -> Result<BTreeSet<String>, UiError> {
    let mut out = BTreeSet::new();
    for id in ids {
        if let Some(t) = desk.store.ticket(id).await? {
            out.extend(blobs_of(&t));
        }
    }
    Ok(out)
}

/// Removes the bytes of erased tickets' files from this device, except files another ticket
/// still shows (bytes are stored once per content hash).
pub(crate) async fn delete_files(
    desk: &Desk,
    blobs: Option<Rc<dyn BlobStore>>,
    mut files: BTreeSet<String>,
) -> Result<(), UiError> {
    let Some(blobs) = blobs else {
        return Ok(());
    };
    if files.is_empty() {
        return Ok(());
    }
    let events = desk.store.all_events().await?;
    for t in fold_all(&events).values() {
        for b in blobs_of(t) {
            files.remove(&b);
        }
    }
    let files: Vec<String> = files.into_iter().collect();
    blobs
        .delete(&files)
        .await
        .map_err(|e| UiError::Store(mostrador_core::store::StoreError::Backend(format!("{e:?}"))))
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
    let desk = StoredValue::new_local(use_desk());
    let sync = use_sync();
    let missing = RwSignal::new(None::<String>);
    view! {
        <div class="mo-attachments">
            <ul class="mo-attachment-list" aria-label=i.text(Key::Attachments)>
                {files
                    .into_iter()
                    .map(|a| {
                        let blobs = blobs.clone();
                        let label = format!("{} ({})", a.name, megabytes(a.size));
                        let open = move |_| {
                            let (blobs, a, desk) = (blobs.clone(), a.clone(), desk.get_value());
                            let remote = sync.and_then(|s| {
                                s.token.get_value().map(|t| (s.server.get_value(), t))
                            });
                            if remote.is_some() {
                                missing.set(Some(i.tf(Key::AttachFetching, &[("name", &a.name)])));
                            }
                            leptos::task::spawn_local(async move {
                                let shown = match find_file(&desk, blobs, remote, &a).await {
                                    Ok(blob) => download(&blob, &a.name).err(),
                                    Err(m) => Some(missing_message(i, &a.name, &m)),
                                };
                                missing.try_set(shown);
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
    // A slice at a time: an export of 100,000 tickets is about 160 MB, and decoding it and
    // copying it into the module in one go would hold the page for a long moment. Between
    // slices the browser has its turn (each waits for the file's bytes). The decoder carries a
    // character cut at a slice's end over to the next, and drops a byte-order mark.
    const SLICE: f64 = 4.0 * 1024.0 * 1024.0;
    let decoder = web_sys::TextDecoder::new().map_err(js_message)?;
    let streaming = web_sys::TextDecodeOptions::new();
    streaming.set_stream(true);
    let size = file.size();
    let mut text = String::new();
    let mut at = 0.0;
    while at < size {
        let end = (at + SLICE).min(size);
        let slice = file.slice_with_f64_and_f64(at, end).map_err(js_message)?;
        let bytes = JsFuture::from(slice.array_buffer())
            .await
            .map_err(js_message)?;
        let part = decoder
            .decode_with_buffer_source_and_options(&js_sys::Object::from(bytes), &streaming)
            .map_err(js_message)?;
        if text.is_empty() {
            text.reserve(size as usize);
        }
        text.push_str(&part);
        at = end;
    }
    text.push_str(&decoder.decode().map_err(js_message)?);
    Ok(text)
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

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::{megabytes, whole_megabytes};

    #[wasm_bindgen_test]
    fn sizes_read_like_the_float_formatter_wrote_them() {
        assert_eq!(megabytes(0), "1 KB");
        assert_eq!(megabytes(1_048_575), "1024 KB");
        assert_eq!(megabytes(1_048_576), "1.0 MB");
        assert_eq!(megabytes(1_572_864), "1.5 MB");
        assert_eq!(megabytes(10 * 1_048_576 - 1), "10.0 MB");
        assert_eq!(megabytes(1_048_576 + 99_000), "1.1 MB");
        assert_eq!(megabytes(u64::MAX), "17592186044416.0 MB");
        assert_eq!(whole_megabytes(25 * 1_048_576), 25);
        assert_eq!(whole_megabytes(524_287), 0);
        assert_eq!(whole_megabytes(524_288), 1);
        assert_eq!(whole_megabytes(u64::MAX), 17_592_186_044_416);
    }
}
