//! Which store the mounted app gets. The widget is the composition root: the UI only knows the
//! core's `Store` trait.

use std::rc::Rc;

use mostrador_core::store::{MemoryStore, Store};
use mostrador_ui::StoreOpener;

/// Opens the installation's store; awaited once by the app after it mounts, so nothing is opened
/// before the app is on the page.
pub(crate) fn opener(_db_name: &str) -> StoreOpener {
    Box::pin(async move { Ok(Rc::new(MemoryStore::new()) as Rc<dyn Store>) })
}
