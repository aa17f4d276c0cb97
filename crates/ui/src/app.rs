use leptos::prelude::*;

use crate::portal::Portal;

/// Which face of the help desk to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// What customers see: open a ticket, follow it, read the knowledge base.
    Portal,
    /// What agents see: the inbox and the ticket view.
    Console,
}

/// Everything the host decides about one mounted app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppOptions {
    /// Portal or console.
    pub mode: Mode,
    /// Name of the IndexedDB database; one per installation (and one per test).
    pub db_name: String,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            mode: Mode::Portal,
            db_name: "mostrador".into(),
        }
    }
}

/// The root component.
#[component]
pub fn App(
    /// Host-chosen options; fixed for the life of the mounted app.
    options: AppOptions,
) -> impl IntoView {
    view! {
        <div class="mo-root">
            <Portal db_name=options.db_name.clone() />
        </div>
    }
}
