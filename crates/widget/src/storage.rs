//! Which store the mounted app gets. The widget is the composition root: the UI only knows the
//! core's `Store` trait and its own `BlobStore`, the IndexedDB store only knows the core.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use async_trait::async_trait;
use mostrador_core::config::Settings;
use mostrador_core::model::Attachment;
use mostrador_core::store::MemoryStore;
use mostrador_idb::{AttachmentError, IdbError, IdbStore, MAX_TOTAL_ATTACHMENT_BYTES};
use mostrador_ui::{
    BlobError, BlobStore, DeskStore, OpenFailure, OpenedStore, StoreOpener, StoreOpening,
};

/// Where the open store keeps attachments: in its IndexedDB database, or (storage refused) in
/// memory for this page's life.
enum Backend {
    Idb(Rc<IdbStore>),
    Memory(RefCell<HashMap<String, web_sys::Blob>>),
}

/// Most bytes of attachments kept in memory when the browser refuses storage.
const MAX_MEMORY_ATTACHMENT_BYTES: u64 = 200 * 1024 * 1024;

/// Opens the installation's IndexedDB database; awaited once by the app after it mounts, so no
/// database exists before the visitor opened the widget. Where the browser refuses storage (a
/// third-party frame under tracking protection, some private windows, a full disk, no IndexedDB
/// at all) the app still opens, on a store that lives as long as the page, and says so; a
/// database saved by a newer version stays an error (reloading fixes it, and nothing on disk
/// must be hidden).
/// The agent console also asks the browser to keep the data under storage pressure
/// (`navigator.storage.persist()`): an agent's device is where the shop's tickets live.
/// The attachments' bytes go in the same database (or in memory beside a memory store): the
/// opened store comes with its blob store.
pub(crate) fn opener(db_name: &str, persist: bool) -> StoreOpener {
    let name = db_name.to_owned();
    Rc::new(move || {
        let name = name.clone();
        #[cfg(all(feature = "split", not(feature = "console")))]
        let opening: StoreOpening = Box::pin(async move {
            match opening_split(name, persist).await {
                Ok(open) => open.await,
                Err(mostrador_ui::components::deferred::Unloaded) => Err(OpenFailure::Unloaded),
            }
        });
        #[cfg(not(all(feature = "split", not(feature = "console"))))]
        let opening = opening(name, persist);
        opening
    })
}

/// In the customer widget opening the store is a module of its own (the IndexedDB store and the
/// memory store, and the attachments' store, are not in the first module), fetched as the
/// widget opens.
#[cfg(all(feature = "split", not(feature = "console")))]
#[leptos::wasm_split::wasm_split(portal_desk, wasm_split_path = ::leptos::wasm_split, fallible)]
fn opening_split(
    name: String,
    persist: bool,
) -> Result<StoreOpening, mostrador_ui::components::deferred::Unloaded> {
    Ok(opening(name, persist))
}

fn opening(name: String, persist: bool) -> StoreOpening {
    Box::pin(async move {
        if persist {
            // Only a request: the browser may say no, and the app works the same either way.
            let _ = mostrador_idb::request_persistent_storage().await;
        }
        match IdbStore::open(&name).await {
            Ok(store) => {
                let store = Rc::new(store);
                #[cfg(all(feature = "split", feature = "console"))]
                let held = {
                    let late = crate::late_store::LateStore::over(store.clone());
                    late.prefetch();
                    late as Rc<DeskStore>
                };
                #[cfg(not(all(feature = "split", feature = "console")))]
                let held = store.clone() as Rc<DeskStore>;
                Ok(OpenedStore {
                    store: held,
                    refused: None,
                    blobs: Some(IdbBlobs::over(Backend::Idb(store))),
                })
            }
            Err(err @ (IdbError::VersionTooNew | IdbError::Corrupt(_))) => {
                Err(OpenFailure::Refused(err.to_string()))
            }
            #[cfg(not(all(feature = "split", feature = "console")))]
            Err(err) => Ok(in_memory(err.to_string())),
            #[cfg(all(feature = "split", feature = "console"))]
            Err(err) => in_memory_split(err.to_string())
                .await
                .map_err(|mostrador_ui::components::deferred::Unloaded| OpenFailure::Unloaded),
        }
    })
}

/// A store that lives as long as the page, where the browser refused `refused`.
fn in_memory(refused: String) -> OpenedStore {
    OpenedStore {
        store: Rc::new(MemoryStore::with_zones(Rc::new(
            mostrador_idb::BrowserZones::new(),
        ))) as Rc<DeskStore>,
        refused: Some(refused),
        blobs: Some(IdbBlobs::over(Backend::Memory(RefCell::default()))),
    }
}

/// [`in_memory`] from a module of its own in the console's split build: only a browser that
/// refuses storage needs it.
#[cfg(all(feature = "split", feature = "console"))]
#[leptos::wasm_split::wasm_split(console_memory, wasm_split_path = ::leptos::wasm_split, fallible)]
fn in_memory_split(
    refused: String,
) -> Result<OpenedStore, mostrador_ui::components::deferred::Unloaded> {
    Ok(in_memory(refused))
}

/// Attachments as Blobs in the same database (or in memory beside a memory store).
struct IdbBlobs {
    backend: Backend,
}

impl IdbBlobs {
    fn over(backend: Backend) -> Rc<dyn BlobStore> {
        Rc::new(IdbBlobs { backend })
    }
}

#[async_trait(?Send)]
impl BlobStore for IdbBlobs {
    async fn put(
        &self,
        meta: &Attachment,
        data: &web_sys::Blob,
        settings: &Settings,
    ) -> Result<(), BlobError> {
        let store = match &self.backend {
            Backend::Idb(store) => store.clone(),
            Backend::Memory(files) => return put_in_memory(files, meta, data, settings),
        };
        store
            .put_attachment(meta, data, settings, MAX_TOTAL_ATTACHMENT_BYTES)
            .await
            .map_err(|e| match e {
                AttachmentError::TooLarge { name, size, max } => {
                    BlobError::TooLarge { name, size, max }
                }
                AttachmentError::TotalExceeded { name, max, .. } => BlobError::Full { name, max },
                other => BlobError::Failed(other.to_string()),
            })
    }

    async fn get(&self, blob: &str) -> Result<Option<web_sys::Blob>, BlobError> {
        let store = match &self.backend {
            Backend::Idb(store) => store.clone(),
            Backend::Memory(files) => return Ok(files.borrow().get(blob).cloned()),
        };
        store
            .attachment(blob)
            .await
            .map_err(|e| BlobError::Failed(e.to_string()))
    }

    async fn delete(&self, blobs: &[String]) -> Result<(), BlobError> {
        let store = match &self.backend {
            Backend::Idb(store) => store.clone(),
            Backend::Memory(files) => {
                let mut files = files.borrow_mut();
                for b in blobs {
                    files.remove(b);
                }
                return Ok(());
            }
        };
        store
            .delete_attachments(blobs)
            .await
            .map_err(|e| BlobError::Failed(e.to_string()))
    }
}

/// The same limits as on disk, with a smaller total: memory is the page's.
fn put_in_memory(
    files: &RefCell<HashMap<String, web_sys::Blob>>,
    meta: &Attachment,
    data: &web_sys::Blob,
    settings: &Settings,
) -> Result<(), BlobError> {
    let size = data.size() as u64;
    let max = settings.domain.max_attachment_bytes;
    if size > max {
        return Err(BlobError::TooLarge {
            name: meta.name.clone(),
            size,
            max,
        });
    }
    let mut files = files.borrow_mut();
    if files.contains_key(&meta.blob) {
        return Ok(());
    }
    let used: u64 = files.values().map(|b| b.size() as u64).sum();
    if used + size > MAX_MEMORY_ATTACHMENT_BYTES {
        return Err(BlobError::Full {
            name: meta.name.clone(),
            max: MAX_MEMORY_ATTACHMENT_BYTES,
        });
    }
    files.insert(meta.blob.clone(), data.clone());
    Ok(())
}
