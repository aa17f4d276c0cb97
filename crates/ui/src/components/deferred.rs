//! Screens fetched when first shown. In the customer widget's module (feature `split`) each
//! [`deferred_view!`] is a split point: the splitter moves the code only it reaches into a module
//! of its own, which the browser fetches the first time the screen is shown. In every other build
//! (the console, the tests) it is a plain function, and nothing is fetched.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;

use crate::components::loading::Loading;
use crate::i18n::{Key, use_i18n};

/// A split-off module could not be fetched (offline, or the site no longer serves it).
#[derive(Debug, Clone, Copy)]
pub struct Unloaded;

impl From<leptos::wasm_split::SplitLoaderError> for Unloaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Unloaded
    }
}

/// What a [`deferred_view!`] function gives: the screen, or why it could not be fetched.
pub type DeferredView = Result<AnyView, Unloaded>;

/// Defines `async fn NAME(ARGS) -> DeferredView` whose body builds a screen. With the feature
/// `split` the body goes into the split-off module MODULE (every function naming one module shares
/// it); otherwise it is an ordinary function.
macro_rules! deferred_view {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) in $module:ident => $body:expr) => {
        $(#[$meta])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name($($arg: $ty),*) -> $crate::components::deferred::DeferredView {
            Ok(::leptos::prelude::IntoAny::into_any($body))
        }
        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> $crate::components::deferred::DeferredView {
            Ok(::leptos::prelude::IntoAny::into_any($body))
        }
    };
}

pub(crate) use deferred_view;

/// A screen on its way, boxed: every deferred screen shares one body of the code that waits.
type Coming = Pin<Box<dyn Future<Output = DeferredView>>>;

/// Shows what `load` gives. When it is there at once (its module is already here, or the build
/// has no split points) the screen is built right away, as if it were not deferred; otherwise the
/// loading message shows until it comes. If its module cannot be fetched, says so with a button
/// that tries again.
pub fn deferred<F, Fut>(load: F) -> AnyView
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = DeferredView> + 'static,
{
    deferred_boxed(Rc::new(move || Box::pin(load()) as Coming))
}

fn deferred_boxed(load: Rc<dyn Fn() -> Coming>) -> AnyView {
    let load = StoredValue::new_local(load);
    let attempt = RwSignal::new(0u32);
    let failed = move |Unloaded| {
        view! { <Unavailable retry=move || attempt.update(|n| *n += 1) /> }.into_any()
    };
    (move || {
        attempt.track();
        match ready(load.with_value(|load| load())) {
            Ok(shown) => shown.unwrap_or_else(failed),
            Err(screen) => arriving(screen, || view! { <Loading /> }.into_any(), failed),
        }
    })
    .into_any()
}

/// Like [`deferred`] for something the person can do without: nothing shows while it comes, and
/// nothing if it cannot be fetched.
pub fn deferred_quietly<F, Fut>(load: F) -> AnyView
where
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = DeferredView> + 'static,
{
    quietly(Box::pin(load()))
}

fn quietly(screen: Coming) -> AnyView {
    let nothing = |Unloaded| ().into_any();
    match ready(screen) {
        Ok(shown) => shown.unwrap_or_else(nothing),
        Err(screen) => arriving(screen, || ().into_any(), nothing),
    }
}

/// Shows `waiting` until `screen` comes, then the screen (or `failed`'s view if its module could
/// not be fetched).
///
/// Not `Suspense`, whose code would sit in the widget's first module for this alone. The screen
/// is built while the future runs (the deferred function's body runs once its module is here),
/// so it gets an owner: one of its own, a child of the caller's, kept by the closure that shows
/// it. It lives as long as the place that shows it — not one run of that closure, whose next run
/// (the one that shows the screen) disposes of what the previous run made — and goes with the
/// caller's.
fn arriving(
    screen: Coming,
    waiting: fn() -> AnyView,
    failed: impl Fn(Unloaded) -> AnyView + 'static,
) -> AnyView {
    let owner = Owner::new();
    let arrived = RwSignal::new_local(None::<AnyView>);
    let mut screen = owner.with(|| ScopedFuture::new_untracked(screen));
    let builder = owner.clone();
    leptos::task::spawn_local(async move {
        // Not polled once the place that showed it is gone: the poll that finds the code here
        // builds the screen, which would look for its context in a disposed owner.
        let coming = std::future::poll_fn(|cx| {
            if arrived.is_disposed() {
                Poll::Ready(None)
            } else {
                Pin::new(&mut screen).poll(cx).map(Some)
            }
        });
        let shown = match coming.await {
            None => return,
            Some(Ok(shown)) => shown,
            Some(Err(e)) => builder.with(|| failed(e)),
        };
        arrived.try_set(Some(shown));
    });
    (move || {
        let _keep = &owner;
        arrived.track();
        arrived
            .try_update_untracked(Option::take)
            .flatten()
            .unwrap_or_else(waiting)
    })
    .into_any()
}

/// What `screen` gives if it is there at once (its module is already here, or the build has no
/// split points), else the screen still to wait for. One poll with a waker that does nothing:
/// whoever awaits the rest polls it again with theirs.
fn ready(mut screen: Coming) -> Result<DeferredView, Coming> {
    match screen
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(shown) => Ok(shown),
        Poll::Pending => Err(screen),
    }
}

/// A split-off screen that did not arrive, and a way to ask for it again.
#[component]
pub(crate) fn Unavailable(retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="mo-banner mo-banner-error" role="alert">
            <p>{i.text(Key::PartUnavailable)}</p>
            <button type="button" class="mo-button mo-button-secondary" on:click=move |_| retry()>
                {i.text(Key::TryAgain)}
            </button>
        </div>
    }
}
