//! The root components: [`OpenApp`] while the store opens and [`App`] over a ready store. They
//! provide the contexts every screen reads (language, session, host link, desk, sync), load the
//! desk in the background and choose the portal or the console. The portal's form shows before
//! the desk is here: in the customer widget the desk's code is a module of its own.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::deferred::{Unavailable, deferred_quietly, deferred_view};
use crate::components::loading::Loading;
#[cfg(feature = "console")]
use crate::console::Console;
use crate::i18n::errors::late::message;
use crate::i18n::{I18n, Key, Lang, initial, use_i18n};
use crate::portal::Portal;
use crate::services::arrival::Arrival;
use crate::services::attachments::{BlobStore, provide_blobs};
use crate::services::desk::{DeskSlot, DeskStore, UiError, load_desk};
use crate::services::host::{HostLink, provide_host};
use crate::services::sync_link::SyncUi;
use crate::shell::header::Header;
use crate::shell::session::{Mode, Session};

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
pub type StoreOpening = Pin<Box<dyn Future<Output = Result<OpenedStore, OpenFailure>>>>;

/// Opens the store: called once, and again when the person asks after its code could not be
/// fetched.
pub type StoreOpener = Rc<dyn Fn() -> StoreOpening>;

/// Why the store could not be opened.
#[derive(Debug, Clone)]
pub enum OpenFailure {
    /// What the browser or the store said (a database saved by a newer version, a corrupt one).
    Refused(String),
    /// The code that opens it is a module of its own that could not be fetched.
    Unloaded,
}

/// The store the app got.
#[derive(Clone)]
pub struct OpenedStore {
    pub store: Rc<DeskStore>,
    /// Why the browser refused to keep anything on this device, when the store lives only as
    /// long as the page (the app says so to the person).
    pub refused: Option<String>,
    /// Where attachment bytes live beside it; without it the forms offer no attachments.
    pub blobs: Option<Rc<dyn BlobStore>>,
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
    let open: StoreOpener = Rc::new(move || {
        let opened = OpenedStore {
            store: store.clone(),
            refused: refused.clone(),
            blobs: blobs.clone(),
        };
        Box::pin(async move { Ok(opened) })
    });
    root(options, open, host.unwrap_or_default())
}

/// The root component while the store is still opening. The customer portal's form shows at
/// once and takes typing while the store opens and the desk loads (sending waits for them); the
/// rest of the portal and the console show once the desk is here, or the reason it could not
/// open.
#[component]
pub fn OpenApp(
    /// Host-chosen options; fixed for the life of the mounted app.
    options: AppOptions,
    /// Opens the store (and gives where attachment bytes live beside it).
    open: StoreOpener,
    /// The embedding page's link: run-time language, identity, prefill, events.
    #[prop(optional)]
    host: Option<HostLink>,
) -> impl IntoView {
    root(options, open, host.unwrap_or_default())
}

/// Why the app could not start.
#[derive(Debug, Clone)]
enum Failure {
    /// The store refused to open (a database saved by a newer version, a corrupt one).
    Refused(String),
    Load(UiError),
}

/// Provides the contexts, opens the store and loads the desk in the background, and shows the
/// app: the portal at once, the console once the desk is here.
fn root(options: AppOptions, open: StoreOpener, host: HostLink) -> impl IntoView {
    // The blob store comes with the opened store (in the customer widget its code is the desk's).
    let blobs = provide_blobs();
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
    let synced = options.sync.is_some();
    let sync_ui = options.sync.clone().map(|server| SyncUi {
        server: StoredValue::new(server),
        token: StoredValue::new(None),
        tab_only: StoredValue::new(false),
        status: RwSignal::new(None),
        sign_in: RwSignal::new(false),
        rejected: RwSignal::new(0),
        #[cfg(feature = "console")]
        alerts: crate::services::alerts::AlertQueue(RwSignal::new(Vec::new())),
    });
    if let Some(ui) = sync_ui {
        provide_context(ui);
    }
    let slot = DeskSlot::provide();
    let refused = RwSignal::new(None::<String>);
    let failed = RwSignal::new_local(None::<Failure>);
    // The desk's code could not be fetched: the form keeps what was typed, and it is asked for
    // again when the person says so.
    let unloaded = RwSignal::new(false);
    let db = options.db_name.clone();
    let owner = Owner::current();
    let open = StoredValue::new_local(open);
    let start = move || {
        let (opening, db, owner) = (open.with_value(|open| open()), db.clone(), owner.clone());
        spawn_local(async move {
            let opened = match opening.await {
                Ok(opened) => opened,
                Err(OpenFailure::Unloaded) => {
                    unloaded.try_set(true);
                    return;
                }
                Err(OpenFailure::Refused(why)) => {
                    failed.try_set(Some(Failure::Refused(why)));
                    return;
                }
            };
            blobs.set(opened.blobs);
            let tab_only = opened.refused.is_some();
            refused.try_set(opened.refused);
            let arrival = Arrival {
                owner,
                session,
                sync_ui,
                tab_only,
            };
            match load_desk(opened.store, db, arrival).await {
                Ok(desk) => slot.fill(desk),
                Err(e) => {
                    failed.try_set(Some(Failure::Load(e)));
                }
            }
        });
    };
    start();
    let retry = move || {
        unloaded.set(false);
        start();
    };
    view! {
        <div class="mo-root" lang=move || lang.get().tag()>
            {move || refused.get().map(|why| deferred_quietly(move || session_only(why, synced)))}
            <Show when=move || unloaded.get()>
                <Unavailable retry=retry.clone() />
            </Show>
            {move || match failed.get() {
                Some(failure) => failed_view(failure),
                None => body(session, sync_ui, slot),
            }}
        </div>
    }
}

/// What the person sees: the portal at once (its form needs no desk to take typing), the
/// console once the desk is here.
fn body(session: Session, sync_ui: Option<SyncUi>, slot: DeskSlot) -> AnyView {
    match session.mode {
        Mode::Portal => view! {
            <Header />
            {portal_view()}
        }
        .into_any(),
        Mode::Console => (move || {
            if slot.is_here() {
                view! {
                    <Header />
                    {console_root(session, sync_ui)}
                }
                .into_any()
            } else {
                view! { <Loading /> }.into_any()
            }
        })
        .into_any(),
    }
}

/// Why the help desk could not open.
fn failed_view(failure: Failure) -> AnyView {
    let i = use_i18n();
    let why = move || match &failure {
        Failure::Refused(why) => why.clone(),
        Failure::Load(e) => message(i, e),
    };
    view! {
        <p class="mo-banner mo-banner-error" role="alert">
            {move || format!("{} {}", i.t(Key::LoadFailed), why())}
        </p>
    }
    .into_any()
}

// Known once the store is open: the desk's module is on its way.
deferred_view!(fn session_only(why: String, synced: bool) in portal_desk => view! { <SessionOnly why=why synced=synced /> });

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
                {i.text(Key::StorageRefused)} " "
                {i.text(if synced { Key::StorageRefusedSynced } else { Key::StorageRefusedLocal })}
            </p>
            {can_ask
                .then(|| {
                    view! {
                        <button type="button" class="mo-button mo-button-secondary" on:click=ask>
                            {i.text(Key::StorageAccessAsk)}
                        </button>
                    }
                })}
            <p class="mo-muted">{move || asked.get().unwrap_or_default()}</p>
        </div>
    }
}

/// The portal. The console's module carries it for hosts that load the whole app for both
/// faces (the demo); the drop-in loads the portal's own module for customers, so in the
/// console's split build the portal is a module of its own.
#[cfg(not(all(feature = "split", feature = "console")))]
fn portal_view() -> AnyView {
    view! { <Portal /> }.into_any()
}

#[cfg(all(feature = "split", feature = "console"))]
fn portal_view() -> AnyView {
    crate::components::deferred::deferred(portal_screen)
}

deferred_view!(#[cfg(all(feature = "split", feature = "console"))] fn portal_screen() in console_portal => view! { <Portal /> });

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
            {i.text(Key::NoConsoleInBuild)}
        </p>
    }
    .into_any()
}

/// The console, or the agent's sign-in while the sync server waits for it.
#[cfg(feature = "console")]
fn console_root(session: Session, sync_ui: Option<SyncUi>) -> AnyView {
    view! {
        {move || match sync_ui {
            Some(ui) if ui.sign_in.get() => {
                crate::components::deferred::deferred(move || sign_in_screen(session))
            }
            _ => console_view(),
        }}
    }
    .into_any()
}

#[cfg(feature = "console")]
crate::components::deferred::deferred_view!(
    /// The agent's sign-in, in sync's module: only the sync driver asks for it, once it is here.
    fn sign_in_screen(session: Session) in sync => view! { <crate::console::sign_in::SignIn session=session /> }
);

/// A build without the console says where the console is; nobody signs in to it.
#[cfg(not(feature = "console"))]
fn console_root(_: Session, _: Option<SyncUi>) -> AnyView {
    console_view()
}
