//! The `JsValue` boundary for mount options: the host's object in, plain Rust out.

use mostrador_ui::{AppOptions, Mode};
use wasm_bindgen::JsValue;

use crate::host::{HostState, Identity, Locale, Prefill};
use crate::read::Fields;

/// Options as the loader passes them (`{ mode: "portal", dbName: "shop", locale: "es" }`).
/// Unknown keys are refused so a typo is an error, not a silently ignored setting.
#[derive(Debug, Default)]
struct HostOptions {
    mode: Option<String>,
    db_name: Option<String>,
    sync_url: Option<String>,
    locale: Option<String>,
    identity: Option<Identity>,
    prefill: Option<Prefill>,
}

impl HostOptions {
    const FIELDS: [&'static str; 6] =
        ["mode", "dbName", "syncUrl", "locale", "identity", "prefill"];

    fn read(value: &JsValue) -> Result<Self, String> {
        let f = Fields::of(value, &Self::FIELDS)?;
        Ok(Self {
            mode: f.text("mode")?,
            db_name: f.text("dbName")?,
            sync_url: f.text("syncUrl")?,
            locale: f.text("locale")?,
            identity: f
                .object("identity", &Identity::FIELDS)?
                .map(|f| Identity::read(&f))
                .transpose()
                .map_err(|e| format!("identity: {e}"))?,
            prefill: f
                .object("prefill", &Prefill::FIELDS)?
                .map(|f| Prefill::read(&f))
                .transpose()
                .map_err(|e| format!("prefill: {e}"))?,
        })
    }
}

/// What `mount` needs: the app's own options and what the host said about the visitor.
#[derive(Debug)]
pub(crate) struct MountConfig {
    pub app: AppOptions,
    pub host: HostState,
    /// What was wrong with the host's locale, identity or prefill: each left out (the app opens
    /// without it) and reported, rather than keeping the widget from opening.
    pub dropped: Vec<String>,
}

/// Reads the host's options, or says precisely what is wrong with them.
pub(crate) fn parse(value: JsValue) -> Result<MountConfig, String> {
    let host = HostOptions::read(&value).map_err(|e| format!("Mostrador: bad options: {e}"))?;
    let mut app = AppOptions::default();
    match host.mode.as_deref() {
        None | Some("portal") => app.mode = Mode::Portal,
        Some("console") => app.mode = Mode::Console,
        Some(other) => {
            return Err(format!(
                "Mostrador: unknown mode {other:?}; use \"portal\" or \"console\""
            ));
        }
    }
    if let Some(name) = host.db_name {
        if name.trim().is_empty() {
            return Err("Mostrador: dbName must not be empty".into());
        }
        app.db_name = name;
    }
    if let Some(url) = host.sync_url {
        let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
        if !scheme_ok || url.chars().any(char::is_whitespace) || url.len() > 2048 {
            return Err(format!(
                "Mostrador: syncUrl {url:?} is not an http(s) URL such as \"https://help.example.com\""
            ));
        }
        app.sync = Some(url);
    }
    let mut dropped = Vec::new();
    let state = HostState {
        locale: keep(host.locale.as_deref().map(Locale::parse), &mut dropped),
        identity: keep(host.identity.map(Identity::validate), &mut dropped),
        prefill: keep(host.prefill.map(Prefill::validate), &mut dropped).unwrap_or_default(),
    };
    Ok(MountConfig {
        app,
        host: state,
        dropped,
    })
}

/// The value, or `None` with its problem noted.
fn keep<T>(checked: Option<Result<T, String>>, dropped: &mut Vec<String>) -> Option<T> {
    match checked? {
        Ok(v) => Some(v),
        Err(problem) => {
            dropped.push(problem);
            None
        }
    }
}

/// Reads the argument of `identify` or `prefill`, naming the call in the error.
pub(crate) fn from_js<T>(
    value: &JsValue,
    what: &str,
    known: &[&str],
    read: impl FnOnce(&Fields) -> Result<T, String>,
) -> Result<T, String> {
    Fields::of(value, known)
        .and_then(|f| read(&f))
        .map_err(|e| format!("Mostrador: bad {what}: {e}"))
}
