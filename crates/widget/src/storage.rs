//! Which store the mounted app gets. The widget is the composition root: the UI only knows the
//! core's `Store` trait, the IndexedDB store only knows the core.

use std::rc::Rc;

use mostrador_core::store::Store;
use mostrador_idb::IdbStore;
use mostrador_ui::StoreOpener;

/// Opens the installation's IndexedDB database; awaited once by the app after it mounts, so no
/// database exists before the visitor opened the widget. An error (private mode without
/// IndexedDB, a blocked upgrade, a quota problem) becomes the message the app shows.
/// The agent console also asks the browser to keep the data under storage pressure
/// (`navigator.storage.persist()`): an agent's device is where the shop's tickets live.
pub(crate) fn opener(db_name: &str, persist: bool) -> StoreOpener {
    let name = db_name.to_owned();
    Box::pin(async move {
        if persist {
            // Only a request: the browser may say no, and the app works the same either way.
            let _ = mostrador_idb::request_persistent_storage().await;
        }
        match IdbStore::open(&name).await {
            Ok(store) => Ok(Rc::new(store) as Rc<dyn Store>),
            Err(err) => Err(err.to_string()),
        }
    })
}
