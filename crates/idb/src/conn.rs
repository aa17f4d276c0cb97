//! The connection: opened on first use, closed when another tab upgrades the schema, reopened on
//! the next use.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbVersionChangeEvent};

use crate::{IdbError, js, migrations};

/// Opens `name` at `version`, running the migration steps the database lacks.
pub(crate) async fn open_raw(name: &str, version: u32) -> Result<IdbDatabase, IdbError> {
    let req: IdbOpenDbRequest = js::factory()?.open_with_u32(name, version)?;
    let failure: Rc<RefCell<Option<JsValue>>> = Rc::default();
    let f = failure.clone();
    let on_upgrade =
        Closure::<dyn FnMut(IdbVersionChangeEvent)>::new(move |e: IdbVersionChangeEvent| {
            let Some(req) = e
                .target()
                .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            else {
                return;
            };
            let (Ok(db), Some(tx)) = (req.result(), req.transaction()) else {
                return;
            };
            let db: IdbDatabase = db.unchecked_into();
            // Versions are small integers the browser keeps as f64.
            let old = e.old_version() as u32;
            let new = e.new_version().map_or(version, |v| v as u32);
            if let Err(err) = migrations::upgrade(&db, &tx, old, new) {
                *f.borrow_mut() = Some(err);
                let _ = tx.abort();
            }
        });
    req.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let outcome = js::wait(req.clone().unchecked_into()).await;
    req.set_onupgradeneeded(None);
    if let Some(err) = failure.borrow_mut().take() {
        return Err(IdbError::Browser(format!(
            "upgrading the database failed: {}",
            IdbError::from_js(&err)
        )));
    }
    if let Some(why) = migrations::take_late_failure() {
        return Err(IdbError::Browser(format!(
            "upgrading the database failed: {why}"
        )));
    }
    Ok(outcome?.unchecked_into())
}

/// An open connection and the listener that closes it when another tab needs to upgrade.
struct Open {
    db: IdbDatabase,
    closed: Rc<Cell<bool>>,
    _on_version_change: Closure<dyn FnMut()>,
    _on_close: Closure<dyn FnMut()>,
}

impl Drop for Open {
    fn drop(&mut self) {
        self.db.set_onversionchange(None);
        self.db.set_onclose(None);
        self.db.close();
    }
}

/// A lazily (re)opened connection to one database.
pub(crate) struct Connection {
    name: String,
    open: RefCell<Option<Open>>,
}

impl Connection {
    pub(crate) fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            open: RefCell::new(None),
        }
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The open database, opening (or reopening after another tab's upgrade) as needed.
    pub(crate) async fn db(&self) -> Result<IdbDatabase, IdbError> {
        if let Some(open) = self.open.borrow().as_ref()
            && !open.closed.get()
        {
            return Ok(open.db.clone());
        }
        let db = open_raw(&self.name, migrations::CURRENT).await?;
        let closed = Rc::new(Cell::new(false));
        let (c, d) = (closed.clone(), db.clone());
        // Another tab wants a newer schema: step aside at once (holding the connection would block
        // its upgrade), and reopen on our next use — which fails with `VersionTooNew` if this
        // tab's code is older, telling the person to reload.
        let on_version_change = Closure::<dyn FnMut()>::new(move || {
            c.set(true);
            d.close();
        });
        let c = closed.clone();
        // The browser closed the connection itself (storage cleared, disk error).
        let on_close = Closure::<dyn FnMut()>::new(move || c.set(true));
        db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        db.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        *self.open.borrow_mut() = Some(Open {
            db: db.clone(),
            closed,
            _on_version_change: on_version_change,
            _on_close: on_close,
        });
        Ok(db)
    }

    /// Whether the connection is currently open (tests: observe a `versionchange` close).
    pub(crate) fn is_open(&self) -> bool {
        self.open.borrow().as_ref().is_some_and(|o| !o.closed.get())
    }

    /// Closes the connection now (the next use reopens it).
    pub(crate) fn close(&self) {
        self.open.borrow_mut().take();
    }
}
