//! The root components: [`App`] over a ready store and [`OpenApp`] while the store opens. They
//! provide the contexts every screen reads (language, session, host link, desk, sync) and choose
//! the portal or the console.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::model::CustomerId;

use crate::components::loading::Loading;
#[cfg(feature = "console")]
use crate::console::Console;
use crate::i18n::errors::message;
use crate::i18n::{I18n, Key, Lang, initial, use_i18n};
use crate::portal::Portal;
use crate::services::attachments::{BlobStore, provide_blobs};
use crate::services::desk::{Desk, DeskStore, provide_desk};
use crate::services::host::{HostLink, provide_host, use_host};
use crate::services::sync_link::{self, SyncUi};
use crate::shell::header::Header;
use crate::shell::session::{Mode, Session, use_session};

/// Everything the host decides about one mounted app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppOptions {
    /// Portal or console.
    pub mode: Mode,
    /// Name of the database; one per installation (and one per test). Apps on one origin that
    /// share it see each other's changes live.
    pub db_name: String,
    /// Interface language as a BCP 47 tag (`es`, `en`, `pt-BR`); `None` follows the browser.
    pub locale: Option<String>,
    /// Base URL of a sync server (`https://help.example.com`); `None` keeps everything on this
    /// device.
    pub sync: Option<String>,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            mode: Mode::Portal,
            db_name: "mostrador".into(),
            locale: None,
            sync: None,
        }
    }
}

/// A store that is still being opened (IndexedDB opens asynchronously).
pub type StoreOpener = Pin<Box<dyn Future<Output = Result<OpenedStore, String>>>>;

/// The store the app got.
#[derive(Clone)]
pub struct OpenedStore {
    pub store: Rc<DeskStore>,
    /// Why the browser refused to keep anything on this device, when the store lives only as
    /// long as the page (the app says so to the person).
    pub refused: Option<String>,
}

/// The root component, given a store that is ready.
#[component]
pub fn App(
    /// Host-chosen options; fixed for the life of the mounted app.
    options: AppOptions,
    /// Where tickets, settings and articles live (IndexedDB in browsers, memory in tests).
    store: Rc<DeskStore>,
    /// The embedding page's link: run-time language, identity, prefill, events.
    #[prop(optional)]
    host: Option<HostLink>,
    /// Where attachment bytes live; without it the forms offer no attachments.
    #[prop(default = None)]
    blobs: Option<Rc<dyn BlobStore>>,
    /// Why nothing is kept on this device (the store lives as long as the page), if so.
    #[prop(default = None)]
    refused: Option<String>,
) -> impl IntoView {
    let host = host.unwrap_or_default();
    provide_blobs(blobs);
    let lang = RwSignal::new(initial(options.locale.as_deref()));
    provide_context(I18n { lang });
    // `setLocale` from the host switches the language like the switcher does.
    let host_locale = host.locale;
    Effect::new(move |_| {
        if let Some(l) = host_locale.get().as_deref().and_then(Lang::from_tag) {
            lang.set(l);
        }
    });
    provide_host(host);
    let session = Session {
        mode: options.mode,
        agent: RwSignal::new(None),
    };
    provide_context(session);
    let mode = options.mode;
    let sync = options.sync.clone();
    let db = options.db_name.clone();
    let synced = sync.is_some();
    let loaded = LocalResource::new(move || {
        let store = store.clone();
        let db = db.clone();
        async move { Desk::load(store, mode, &db, synced).await.map(Rc::new) }
    });
    view! {
        <div class="mo-root" lang=move || lang.get().tag()>
            {refused.clone().map(|why| view! { <SessionOnly why=why synced=synced /> })}
            {move || match loaded.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => {
                    let i = use_i18n();
                    view! {
                        <p class="mo-banner mo-banner-error" role="alert">
                            {move || format!("{} {}", i.t(Key::LoadFailed), message(i, &e))}
                        </p>
                    }
                        .into_any()
                }
                Some(Ok(desk)) => {
                    view! { <Loaded desk=desk sync=sync.clone() tab_only=refused.is_some() /> }
                        .into_any()
                }
            }}
        </div>
    }
}

/// The root component while the store is still opening; shows progress, then the app, or the
/// reason it could not open.
#[component]
pub fn OpenApp(
    /// Host-chosen options; fixed for the life of the mounted app.
    options: AppOptions,
    /// Opens the store; awaited once.
    open: StoreOpener,
    /// The embedding page's link: run-time language, identity, prefill, events.
    #[prop(optional)]
    host: Option<HostLink>,
    /// Where attachment bytes live; without it the forms offer no attachments.
    #[prop(optional)]
    blobs: Option<Rc<dyn BlobStore>>,
) -> impl IntoView {
    let blobs = StoredValue::new_local(blobs);
    let lang = initial(options.locale.as_deref());
    provide_context(I18n {
        lang: RwSignal::new(lang),
    });
    let host = StoredValue::new_local(host.unwrap_or_default());
    let state = RwSignal::new_local(None::<Result<OpenedStore, String>>);
    spawn_local(async move {
        let opened = open.await;
        state.try_set(Some(opened));
    });
    move || match state.get() {
        None => view! { <div class="mo-root"><Loading /></div> }.into_any(),
        Some(Ok(opened)) => view! {
            <App
                options=options.clone()
                store=opened.store
                host=host.get_value()
                blobs=blobs.get_value()
                refused=opened.refused
            />
        }
        .into_any(),
        Some(Err(e)) => {
            let i = use_i18n();
            view! {
                <div class="mo-root">
                    <p class="mo-banner mo-banner-error" role="alert">
                        {move || format!("{} {e}", i.t(Key::LoadFailed))}
                    </p>
                </div>
            }
            .into_any()
        }
    }
}

/// Tells the person that the browser keeps nothing here, and offers to ask for storage where
/// the browser has the Storage Access API (a third-party frame): granted, the page reloads and
/// opens its database.
#[component]
fn SessionOnly(why: String, synced: bool) -> impl IntoView {
    let i = use_i18n();
    let can_ask = crate::services::storage_access::can_request_storage_access();
    let asked = RwSignal::new(None::<String>);
    let ask = move |_| {
        spawn_local(async move {
            match crate::services::storage_access::request_storage_access().await {
                Ok(()) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
                Err(()) => {
                    asked.try_set(Some(i.t(Key::StorageAccessDenied).to_owned()));
                }
            }
        });
    };
    view! {
        <div class="mo-banner mo-banner-warn" role="status" title=why>
            <p>
                {move || i.t(Key::StorageRefused)} " "
                {move || i.t(if synced { Key::StorageRefusedSynced } else { Key::StorageRefusedLocal })}
            </p>
            {can_ask
                .then(|| {
                    view! {
                        <button type="button" class="mo-button mo-button-secondary" on:click=ask>
                            {move || i.t(Key::StorageAccessAsk)}
                        </button>
                    }
                })}
            <p class="mo-muted">{move || asked.get().unwrap_or_default()}</p>
        </div>
    }
}

#[cfg(feature = "console")]
fn console_view() -> AnyView {
    view! { <Console /> }.into_any()
}

/// This build carries the customer portal only (the widget's small module).
#[cfg(not(feature = "console"))]
fn console_view() -> AnyView {
    let i = use_i18n();
    view! {
        <p class="mo-banner mo-banner-error" role="alert">
            {move || i.t(Key::NoConsoleInBuild)}
        </p>
    }
    .into_any()
}

#[component]
fn Loaded(
    /// The desk, loaded.
    desk: Rc<Desk>,
    /// The sync server, if any.
    sync: Option<String>,
    /// The store lives in this page only, so this page syncs for itself.
    tab_only: bool,
) -> impl IntoView {
    let session = use_session();
    provide_desk(desk.clone());
    // Settings and article changes made here carry the signed-in agent's name.
    let acting = desk.clone();
    Effect::new(move |_| acting.set_acting_agent(session.agent.get()));
    let sync_ui = sync.map(|server| SyncUi {
        server: StoredValue::new(server),
        token: StoredValue::new(None),
        tab_only,
        status: RwSignal::new(None),
        sign_in: RwSignal::new(false),
        rejected: RwSignal::new(0),
        #[cfg(feature = "console")]
        alerts: crate::services::alerts::AlertQueue(RwSignal::new(Vec::new())),
    });
    if let Some(ui) = sync_ui {
        provide_context(ui);
    }
    if session.mode == Mode::Portal {
        let host = use_host();
        // `identify` from the host: the visitor's tickets are those under the host's id.
        let (d, visitor) = (desk.clone(), host.visitor);
        Effect::new(move |_| {
            d.identify(visitor.get().map(|v| CustomerId(v.id)));
        });
        crate::services::host::watch(desk.clone(), host);
    }
    if let Some(ui) = sync_ui {
        // With sync the signed-in agent is who the server says; no picking from the settings.
        sync_link::connect(desk.clone(), session, use_host(), ui);
    } else if session.mode == Mode::Console {
        // No server to run the timed rules and routing: this console does (one tab at a time).
        #[cfg(feature = "console")]
        crate::services::system_rules::start(desk.clone());
        let d = desk.clone();
        spawn_local(async move {
            let agent = match d.saved_agent().await {
                Some(a) => Some(a),
                None => d.settings().agents.first().map(|a| a.id.clone()),
            };
            session.agent.try_set(agent);
        });
    }
    view! {
        <Header />
        {match session.mode {
            Mode::Portal => view! { <Portal /> }.into_any(),
            Mode::Console => console_root(session, sync_ui),
        }}
    }
}

/// The console, or the agent's sign-in while the sync server waits for it.
#[cfg(feature = "console")]
fn console_root(session: Session, sync_ui: Option<SyncUi>) -> AnyView {
    view! {
        {move || match sync_ui {
            Some(ui) if ui.sign_in.get() => {
                view! { <crate::console::sign_in::SignIn session=session /> }.into_any()
            }
            _ => console_view(),
        }}
    }
    .into_any()
}

/// A build without the console says where the console is; nobody signs in to it.
#[cfg(not(feature = "console"))]
fn console_root(_: Session, _: Option<SyncUi>) -> AnyView {
    console_view()
}
