//! Which store the mounted app gets. The widget is the composition root: the UI only knows the
//! core's `Store` trait and its own `BlobStore`, the IndexedDB store only knows the core.

use std::cell::RefCell;
use std::rc::Rc;

use async_trait::async_trait;
use mostrador_core::config::Settings;
use mostrador_core::model::Attachment;
use mostrador_core::store::Store;
use mostrador_idb::{AttachmentError, IdbStore, MAX_TOTAL_ATTACHMENT_BYTES};
use mostrador_ui::{BlobError, BlobStore, StoreOpener};

/// The store once it is open, shared with the attachments.
type Slot = Rc<RefCell<Option<Rc<IdbStore>>>>;

/// Opens the installation's IndexedDB database; awaited once by the app after it mounts, so no
/// database exists before the visitor opened the widget. An error (private mode without
/// IndexedDB, a blocked upgrade, a quota problem) becomes the message the app shows.
/// The agent console also asks the browser to keep the data under storage pressure
/// (`navigator.storage.persist()`): an agent's device is where the shop's tickets live.
pub(crate) fn opener(db_name: &str, persist: bool) -> (StoreOpener, Rc<dyn BlobStore>) {
    let name = db_name.to_owned();
    let slot: Slot = Rc::default();
    let blobs = Rc::new(IdbBlobs { slot: slot.clone() });
    let open: StoreOpener = Box::pin(async move {
        if persist {
            // Only a request: the browser may say no, and the app works the same either way.
            let _ = mostrador_idb::request_persistent_storage().await;
        }
        match IdbStore::open(&name).await {
            Ok(store) => {
                let store = Rc::new(store);
                *slot.borrow_mut() = Some(store.clone());
                Ok(store as Rc<dyn Store>)
            }
            Err(err) => Err(err.to_string()),
        }
    });
    (open, blobs)
}

/// Attachments as Blobs in the same database.
struct IdbBlobs {
    slot: Slot,
}

impl IdbBlobs {
    fn store(&self) -> Result<Rc<IdbStore>, BlobError> {
        self.slot
            .borrow()
            .clone()
            .ok_or_else(|| BlobError::Failed("the database is not open yet".into()))
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
        self.store()?
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
        self.store()?
            .attachment(blob)
            .await
            .map_err(|e| BlobError::Failed(e.to_string()))
    }

    async fn delete(&self, blobs: &[String]) -> Result<(), BlobError> {
        self.store()?
            .delete_attachments(blobs)
            .await
            .map_err(|e| BlobError::Failed(e.to_string()))
    }
}
