//! Storage hygiene: look before creating, ask for persistence, delete, and attachments with limits.

use mostrador_core::config::Settings;
use mostrador_core::model::Attachment;
use mostrador_core::store::StoreError;
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::IdbCursor;

use crate::js::{Pending, Tx, factory, global, object, prop, wait};
use crate::migrations::{ATTACHMENTS, SIZE};
use crate::{IdbError, IdbStore};

/// Whether a database called `name` exists, without creating it (opening would create it).
pub async fn database_exists(name: &str) -> Result<bool, IdbError> {
    let f = factory()?;
    let databases = prop(&f, "databases");
    let Some(databases) = databases.dyn_ref::<js_sys::Function>() else {
        return Err(IdbError::Unsupported("indexedDB.databases()"));
    };
    let list = JsFuture::from(js_sys::Promise::from(databases.call0(&f)?)).await?;
    Ok(js_sys::Array::from(&list)
        .iter()
        .any(|info| prop(&info, "name").as_string().as_deref() == Some(name)))
}

/// Deletes a database. Waits until every connection (in every tab) has closed.
pub async fn delete_database(name: &str) -> Result<(), IdbError> {
    let req = factory()?.delete_database(name)?;
    wait(req.unchecked_into()).await?;
    Ok(())
}

/// Asks the browser to keep this site's data under storage pressure (`navigator.storage.persist()`).
/// The agent console calls it once an agent starts working: losing tickets to eviction is worse
/// than the prompt some browsers show. Returns whether storage is now persistent.
pub async fn request_persistent_storage() -> Result<bool, IdbError> {
    let storage = prop(&prop(&global(), "navigator"), "storage");
    let persist = prop(&storage, "persist");
    let Some(persist) = persist.dyn_ref::<js_sys::Function>() else {
        return Err(IdbError::Unsupported("navigator.storage.persist()"));
    };
    let granted = JsFuture::from(js_sys::Promise::from(persist.call0(&storage)?)).await?;
    Ok(granted.as_bool().unwrap_or(false))
}

/// Most bytes all attachments of one help desk may take together (a per-file limit comes from
/// `Settings.domain.max_attachment_bytes`).
pub const MAX_TOTAL_ATTACHMENT_BYTES: u64 = 1024 * 1024 * 1024;

/// Why an attachment was refused.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AttachmentError {
    #[error("“{name}” is {size} bytes; files may be at most {max} bytes")]
    TooLarge { name: String, size: u64, max: u64 },
    #[error(
        "“{name}” ({size} bytes) does not fit: attachments already take {used} of {max} bytes; \
         export and remove old tickets to make room"
    )]
    TotalExceeded {
        name: String,
        size: u64,
        used: u64,
        max: u64,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<IdbError> for AttachmentError {
    fn from(e: IdbError) -> Self {
        AttachmentError::Store(e.into())
    }
}

impl From<JsValue> for AttachmentError {
    fn from(e: JsValue) -> Self {
        IdbError::from(e).into()
    }
}

impl IdbStore {
    /// Stores an attachment's bytes under its content hash (`meta.blob`), refusing files over the
    /// per-file limit and uploads that would take the total over `total_limit`. Size is the Blob's
    /// real size, not the one claimed in `meta`. Storing the same hash twice stores it once.
    pub async fn put_attachment(
        &self,
        meta: &Attachment,
        data: &web_sys::Blob,
        settings: &Settings,
        total_limit: u64,
    ) -> Result<(), AttachmentError> {
        let size = data.size() as u64;
        let max = settings.domain.max_attachment_bytes;
        if size > max {
            return Err(AttachmentError::TooLarge {
                name: meta.name.clone(),
                size,
                max,
            });
        }
        let tx = Tx::new(&self.db().await?, &[ATTACHMENTS], true)?;
        let store = tx.store(ATTACHMENTS)?;
        let key = JsValue::from_str(&meta.blob);
        let existing = tx.wait(store.count_with_key(&key)?).await?;
        if existing.as_f64().unwrap_or(0.0) > 0.0 {
            return Ok(());
        }
        // Checked inside the writing transaction, so two tabs cannot both squeeze in.
        let used = sum_sizes(&tx).await?;
        if used.saturating_add(size) > total_limit {
            return Err(AttachmentError::TotalExceeded {
                name: meta.name.clone(),
                size,
                used,
                max: total_limit,
            });
        }
        store.put(&object(&[
            ("blob", key),
            ("name", JsValue::from_str(&meta.name)),
            ("mime", JsValue::from_str(&meta.mime)),
            ("size", JsValue::from_f64(size as f64)),
            ("data", data.into()),
        ]))?;
        tx.commit().await?;
        Ok(())
    }

    /// The bytes of an attachment, by content hash.
    pub async fn attachment(&self, blob: &str) -> Result<Option<web_sys::Blob>, IdbError> {
        let tx = Tx::new(&self.db().await?, &[ATTACHMENTS], false)?;
        let v = tx
            .wait(tx.store(ATTACHMENTS)?.get(&JsValue::from_str(blob))?)
            .await?;
        if v.is_undefined() {
            return Ok(None);
        }
        prop(&v, "data")
            .dyn_into::<web_sys::Blob>()
            .map(Some)
            .map_err(|_| IdbError::Corrupt(format!("attachment {blob} has no data")))
    }

    /// Removes the bytes of these attachments (by content hash), in one transaction; hashes not
    /// stored are ignored. Used when a customer's data is erased.
    pub async fn delete_attachments(&self, blobs: &[String]) -> Result<(), IdbError> {
        if blobs.is_empty() {
            return Ok(());
        }
        let tx = Tx::new(&self.db().await?, &[ATTACHMENTS], true)?;
        let store = tx.store(ATTACHMENTS)?;
        for b in blobs {
            store.delete(&JsValue::from_str(b))?;
        }
        tx.commit().await
    }

    /// Bytes taken by all attachments.
    pub async fn attachments_size(&self) -> Result<u64, IdbError> {
        let tx = Tx::new(&self.db().await?, &[ATTACHMENTS], false)?;
        sum_sizes(&tx).await
    }
}

/// Sums the `size` index keys without loading any Blob.
async fn sum_sizes(tx: &Tx) -> Result<u64, IdbError> {
    let index = tx.store(ATTACHMENTS)?.index(SIZE)?;
    let pending = Pending::new(index.open_key_cursor()?);
    let mut total = 0u64;
    loop {
        let v = match pending.next().await {
            Ok(v) => v,
            Err(e) => return Err(tx.reason(e)),
        };
        let Some(cursor) = v.dyn_ref::<IdbCursor>() else {
            return Ok(total);
        };
        total = total.saturating_add(cursor.key()?.as_f64().unwrap_or(0.0) as u64);
        cursor.continue_()?;
    }
}
