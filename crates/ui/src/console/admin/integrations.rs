//! The console's Integrations page, for admins with a sync server: API keys for the REST API
//! (created with scopes, the secret shown once, revoked) and webhook endpoints (registered with
//! the event kinds they want, the signing secret shown once, a delivery log with "send again",
//! enabled again after the server disabled them). Everything lives on the server; this page only
//! asks it (`mostrador_sync::admin_request`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use mostrador_core::sync::Failure;
use mostrador_sync::admin::{
    ApiKey, CreatedApiKey, CreatedWebhook, Delivery, NewApiKey, NewWebhook, SCOPES, WEBHOOK_KINDS,
    Webhook,
};
use serde::de::DeserializeOwned;

use crate::components::field::{Check, LabelledField, described_by};
use crate::i18n::errors::failure_text;
use crate::i18n::{I18n, Key, format_datetime, use_i18n};
use crate::services::sync_link::{SyncUi, use_sync};

/// One request to the server's admin endpoints with the console's session.
async fn ask<T: DeserializeOwned>(
    sync: SyncUi,
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<T, Failure> {
    let token = sync
        .token
        .get_value()
        .ok_or_else(|| Failure::Unauthorized(String::new()))?;
    mostrador_sync::admin_request(&sync.server.get_value(), &token, method, path, body).await
}

/// Asks the server in the background: `done` gets the answer, `error` the failure as a sentence.
fn request<T: DeserializeOwned + 'static>(
    sync: SyncUi,
    i: I18n,
    (method, path, body): (&'static str, String, Option<String>),
    error: RwSignal<String>,
    done: impl FnOnce(T) + 'static,
) {
    spawn_local(async move {
        match ask::<T>(sync, method, &path, body).await {
            Ok(answer) => done(answer),
            Err(e) => {
                error.try_set(failure_text(i, &e));
            }
        }
    });
}

/// The machine names picked, as the server takes them.
fn owned(picked: RwSignal<Vec<&'static str>>) -> Vec<String> {
    picked
        .get_untracked()
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

fn when(i: I18n, ms: Option<i64>) -> String {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map_or_else(
            || i.t(Key::IntNever).to_owned(),
            |t| format_datetime(i.lang.get(), t),
        )
}

/// Checkboxes for a fixed list of machine names (scopes, event kinds), shown as code.
fn choices(
    id: &'static str,
    legend: Key,
    names: &'static [&'static str],
    picked: RwSignal<Vec<&'static str>>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <fieldset class="mo-fieldset" id=id>
            <legend>{i.text(legend)}</legend>
            {names.iter().map(|&name| view! {
                <Check label=name.to_owned() checked=Signal::derive(move || picked.get().contains(&name))
                    on_change=move |on| picked.update(|p| {
                        p.retain(|n| *n != name);
                        if on {
                            p.push(name);
                        }
                    }) />
            }).collect_view()}
        </fieldset>
    }
}

/// The Integrations page.
#[component]
pub fn Integrations() -> impl IntoView {
    let i = use_i18n();
    view! {
        <section class="mo-admin" aria-labelledby="mo-int-title">
            <h2 id="mo-int-title" class="mo-subtitle">{i.text(Key::IntTitle)}</h2>
            <p class="mo-hint">{i.text(Key::IntHint)}</p>
            {match use_sync() {
                Some(sync) => view! { <ApiKeys sync=sync /> <Webhooks sync=sync /> }.into_any(),
                None => view! { <p class="mo-muted">{i.text(Key::IntNeedsServer)}</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ApiKeys(sync: SyncUi) -> impl IntoView {
    let i = use_i18n();
    let keys = RwSignal::new(None::<Vec<ApiKey>>);
    let name = RwSignal::new(String::new());
    let scopes = RwSignal::new(Vec::<&'static str>::new());
    let secret = RwSignal::new(None::<String>);
    let error = RwSignal::new(String::new());
    let reload = move || {
        let get = ("GET", "/v1/admin/api-keys".to_owned(), None);
        request(sync, i, get, error, move |list: Vec<ApiKey>| {
            keys.try_set(Some(list));
        });
    };
    reload();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(String::new());
        secret.set(None);
        let new = NewApiKey {
            name: name.get_untracked().trim().to_owned(),
            scopes: owned(scopes),
        };
        if new.name.is_empty() {
            error.set(i.t(Key::ErrRequiredValue).to_owned());
            return;
        }
        if new.scopes.is_empty() {
            error.set(i.t(Key::IntPickOne).to_owned());
            return;
        }
        let post = (
            "POST",
            "/v1/admin/api-keys".to_owned(),
            serde_json::to_string(&new).ok(),
        );
        request(sync, i, post, error, move |created: CreatedApiKey| {
            secret.try_set(Some(created.secret));
            name.try_set(String::new());
            scopes.try_set(Vec::new());
            reload();
        });
    };
    let revoke = move |id: String| {
        error.set(String::new());
        let delete = ("DELETE", format!("/v1/admin/api-keys/{id}"), None);
        request(sync, i, delete, error, move |_: serde_json::Value| reload());
    };
    view! {
        <section class="mo-card" aria-labelledby="mo-keys-title">
            <h3 id="mo-keys-title" class="mo-subtitle">{i.text(Key::IntKeys)}</h3>
            <form class="mo-form" on:submit=create>
                <LabelledField id="mo-key-name" label=Key::IntKeyName>
                    <input id="mo-key-name" class="mo-input" type="text" maxlength="100" autocomplete="off"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </LabelledField>
                {choices("mo-key-scopes", Key::IntScopes, &SCOPES, scopes)}
                <button type="submit" class="mo-button">{i.text(Key::IntCreateKey)}</button>
            </form>
            <Secret id="mo-secret-key" secret=secret note=Key::IntKeySecret label=Key::IntNewKey />
            <p class="mo-error" role="alert">{move || error.get()}</p>
            {move || keys.get().map(|list| if list.is_empty() {
                view! { <p class="mo-muted">{i.text(Key::IntNoKeys)}</p> }.into_any()
            } else {
                view! {
                    <div class="mo-table-wrap">
                        <table class="mo-table">
                            <thead><tr>
                                <th scope="col">{i.text(Key::IntKeyName)}</th>
                                <th scope="col">{i.text(Key::IntScopes)}</th>
                                <th scope="col">{i.text(Key::IntLastUsed)}</th>
                                <th scope="col">{i.text(Key::IntState)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|k| {
                                    let revoked = k.revoked_at_ms.is_some();
                                    let id = k.id.clone();
                                    let label = k.name.clone();
                                    view! {
                                        <tr>
                                            <td>{k.name.clone()}</td>
                                            <td>{k.scopes.iter().map(|s| view! { <code>{s.clone()}</code> " " }).collect_view()}</td>
                                            <td>{move || when(i, k.last_used_at_ms)}</td>
                                            <td>{if revoked {
                                                view! { <span>{i.text(Key::IntRevoked)}</span> }.into_any()
                                            } else {
                                                view! {
                                                    <button type="button" class="mo-button mo-button-secondary"
                                                        aria-label=move || format!("{} {label}", i.t(Key::IntRevoke))
                                                        on:click=move |_| revoke(id.clone())>
                                                        {i.text(Key::IntRevoke)}
                                                    </button>
                                                }.into_any()
                                            }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            })}
        </section>
    }
}

/// A secret the server shows once, in a read-only field the admin can copy from.
#[component]
fn Secret(
    /// The read-only field's id.
    id: &'static str,
    secret: RwSignal<Option<String>>,
    note: Key,
    label: Key,
) -> impl IntoView {
    view! {
        {move || secret.get().map(|s| {
            view! {
                <div class="mo-secret" role="status">
                    <LabelledField id=id label=label hint=note>
                        <input id=id class="mo-input" type="text" readonly prop:value=s
                            aria-describedby=described_by(id, true, false) />
                    </LabelledField>
                </div>
            }
        })}
    }
}

#[component]
fn Webhooks(sync: SyncUi) -> impl IntoView {
    let i = use_i18n();
    let hooks = RwSignal::new(None::<Vec<Webhook>>);
    let url = RwSignal::new(String::new());
    let kinds = RwSignal::new(Vec::<&'static str>::new());
    let secret = RwSignal::new(None::<String>);
    let error = RwSignal::new(String::new());
    // The endpoint whose delivery log is open, and the log.
    let open = RwSignal::new(None::<String>);
    let log = RwSignal::new(None::<Vec<Delivery>>);
    let reload = move || {
        let get = ("GET", "/v1/admin/webhooks".to_owned(), None);
        request(sync, i, get, error, move |list: Vec<Webhook>| {
            hooks.try_set(Some(list));
        });
    };
    reload();
    let load_log = move |id: String| {
        let get = ("GET", format!("/v1/admin/webhooks/{id}/deliveries"), None);
        request(sync, i, get, error, move |list: Vec<Delivery>| {
            open.try_set(Some(id));
            log.try_set(Some(list));
        });
    };
    let act = move |method: &'static str, path: String, then_log: Option<String>| {
        error.set(String::new());
        request(
            sync,
            i,
            (method, path, None),
            error,
            move |_: serde_json::Value| {
                reload();
                if let Some(id) = then_log {
                    load_log(id);
                }
            },
        );
    };
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(String::new());
        secret.set(None);
        let new = NewWebhook {
            url: url.get_untracked().trim().to_owned(),
            kinds: owned(kinds),
        };
        if new.url.is_empty() {
            error.set(i.t(Key::ErrRequiredValue).to_owned());
            return;
        }
        if new.kinds.is_empty() {
            error.set(i.t(Key::IntPickOne).to_owned());
            return;
        }
        let post = (
            "POST",
            "/v1/admin/webhooks".to_owned(),
            serde_json::to_string(&new).ok(),
        );
        request(sync, i, post, error, move |created: CreatedWebhook| {
            secret.try_set(Some(created.secret));
            url.try_set(String::new());
            kinds.try_set(Vec::new());
            reload();
        });
    };
    let state = move |h: &Webhook| match (h.disabled_at_ms, h.failing_since_ms) {
        (Some(at), _) => i.tf(Key::IntDisabled, &[("date", &when(i, Some(at)))]),
        (None, Some(at)) => i.tf(Key::IntFailing, &[("since", &when(i, Some(at)))]),
        (None, None) => i.t(Key::IntActive).to_owned(),
    };
    view! {
        <section class="mo-card" aria-labelledby="mo-hooks-title">
            <h3 id="mo-hooks-title" class="mo-subtitle">{i.text(Key::IntWebhooks)}</h3>
            <form class="mo-form" on:submit=create>
                <LabelledField id="mo-hook-url" label=Key::IntUrl>
                    <input id="mo-hook-url" class="mo-input" type="url" autocomplete="off" inputmode="url"
                        prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev)) />
                </LabelledField>
                {choices("mo-hook-kinds", Key::IntKinds, &WEBHOOK_KINDS, kinds)}
                <button type="submit" class="mo-button">{i.text(Key::IntAddWebhook)}</button>
            </form>
            <Secret id="mo-secret-webhook" secret=secret note=Key::IntWebhookSecret label=Key::IntSigningSecret />
            <p class="mo-error" role="alert">{move || error.get()}</p>
            {move || hooks.get().map(|list| if list.is_empty() {
                view! { <p class="mo-muted">{i.text(Key::IntNoWebhooks)}</p> }.into_any()
            } else {
                view! {
                    <ul class="mo-webhooks">
                        {list.into_iter().map(|h| {
                            let text = state(&h);
                            let (id1, id2, id3) = (h.id.clone(), h.id.clone(), h.id.clone());
                            let disabled = h.disabled_at_ms.is_some();
                            let url = h.url.clone();
                            view! {
                                <li class="mo-webhook">
                                    <p><code>{h.url.clone()}</code></p>
                                    <p class="mo-muted">{h.kinds.join(", ")} " · " {text}</p>
                                    <div class="mo-actions">
                                        <button type="button" class="mo-button mo-button-secondary"
                                            aria-label=move || format!("{} {url}", i.t(Key::IntDeliveries))
                                            on:click=move |_| load_log(id1.clone())>
                                            {i.text(Key::IntDeliveries)}
                                        </button>
                                        {disabled.then(|| view! {
                                            <button type="button" class="mo-button mo-button-secondary"
                                                on:click=move |_| act("POST", format!("/v1/admin/webhooks/{id2}/enable"), None)>
                                                {i.text(Key::IntEnable)}
                                            </button>
                                        })}
                                        <button type="button" class="mo-button mo-button-secondary"
                                            on:click=move |_| act("DELETE", format!("/v1/admin/webhooks/{id3}"), None)>
                                            {i.text(Key::IntRemove)}
                                        </button>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
            {move || open.get().zip(log.get()).map(|(hook, list)| view! {
                <h4 class="mo-subtitle">{i.text(Key::IntDeliveries)}</h4>
                {if list.is_empty() {
                    view! { <p class="mo-muted">{i.text(Key::IntNoDeliveries)}</p> }.into_any()
                } else {
                    view! {
                        <div class="mo-table-wrap">
                            <table class="mo-table" aria-label=i.text(Key::IntDeliveries)>
                                <thead><tr>
                                    <th scope="col">{i.text(Key::IntKinds)}</th>
                                    <th scope="col">{i.text(Key::IntState)}</th>
                                    <th scope="col">{i.text(Key::IntAnswer)}</th>
                                    <th scope="col">{i.text(Key::IntAttempts)}</th>
                                    <th scope="col"><span class="mo-sr-only">{i.text(Key::IntResend)}</span></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|d| {
                                        let path = format!("/v1/admin/webhooks/{hook}/deliveries/{}/resend", d.id);
                                        let hook = hook.clone();
                                        let answer = match (d.last_status, d.last_latency_ms, d.last_error.clone()) {
                                            (Some(s), Some(ms), _) => format!("HTTP {s} · {ms} ms"),
                                            (Some(s), None, _) => format!("HTTP {s}"),
                                            (None, _, Some(e)) => e,
                                            (None, _, None) => String::new(),
                                        };
                                        let delivered = d.delivered_at_ms;
                                        view! {
                                            <tr>
                                                <td><code>{d.kind.clone()}</code></td>
                                                <td>{move || match delivered {
                                                    Some(at) => format!("{} {}", i.t(Key::IntDelivered), when(i, Some(at))),
                                                    None => i.t(Key::IntPending).to_owned(),
                                                }}</td>
                                                <td>{answer}</td>
                                                <td>{d.attempts}</td>
                                                <td>
                                                    <button type="button" class="mo-button mo-button-secondary"
                                                        on:click=move |_| act("POST", path.clone(), Some(hook.clone()))>
                                                        {i.text(Key::IntResend)}
                                                    </button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            })}
        </section>
    }
}
