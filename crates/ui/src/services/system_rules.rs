//! The system's rules when there is no server: routing of new tickets nobody holds, waking
//! postponed tickets, closing resolved ones after the configured period and SLA escalations
//! ([`Desk::run_system_rules`]). The console runs them when it opens and every minute, in one tab
//! of the origin at a time: the tab that takes a Web Lock named after the database. With a sync
//! server the server runs them, and the console does not.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::services::desk::Desk;

/// How often the rules run while the console is open.
pub const EVERY: Duration = Duration::from_secs(60);

/// The Web Lock the runner holds while it works (one per database).
pub fn lock_name(db_name: &str) -> String {
    format!("mostrador-rules:{db_name}")
}

/// Runs the rules now and every [`EVERY`] until the calling component is cleaned up.
pub fn start(desk: Rc<Desk>) {
    let busy = Rc::new(Cell::new(false));
    let tick = move || {
        if busy.replace(true) {
            return;
        }
        let (desk, busy) = (desk.clone(), busy.clone());
        spawn_local(async move {
            #[cfg(not(feature = "split"))]
            run_once(&desk).await;
            // Not fetched (offline): the next tick tries again.
            #[cfg(feature = "split")]
            if let Ok(run) = running(desk).await {
                run.await;
            }
            busy.set(false);
        });
    };
    tick();
    if let Ok(handle) = set_interval_with_handle(tick, EVERY) {
        on_cleanup(move || handle.clear());
    }
}

/// [`run_once`] from a module of its own in split builds (the rules decide and store commands:
/// nothing the console's first screen needs), fetched at the first tick.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(rules, wasm_split_path = ::leptos::wasm_split, fallible)]
fn running(
    desk: Rc<Desk>,
) -> Result<
    std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>,
    crate::components::deferred::Unloaded,
> {
    Ok(Box::pin(async move { run_once(&desk).await }))
}

/// One run, if no other tab of this origin is running the rules right now.
pub async fn run_once(desk: &Desk) {
    // Where the browser has no Web Locks, this tab runs them anyway: a second runner only
    // finds the work done (each command is decided against the ticket as it is then).
    let guard = match mostrador_idb::try_sync_lock(&lock_name(&desk.db_name)).await {
        Ok(Some(guard)) => Some(guard),
        Ok(None) => return,
        Err(_) => None,
    };
    if let Err(e) = desk.run_system_rules().await {
        leptos::logging::warn!("Mostrador: the system rules could not run: {e:?}");
    }
    drop(guard);
}
