use mostrador_ui::{AppOptions, Mode};
use serde::Deserialize;
use wasm_bindgen::JsValue;

/// Options as the host page writes them (`{ mode: "portal", dbName: "shop" }`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct HostOptions {
    mode: Option<String>,
    db_name: Option<String>,
}

/// Reads the host's options, or says precisely what is wrong with them.
pub(crate) fn parse(value: JsValue) -> Result<AppOptions, String> {
    let host: HostOptions = if value.is_undefined() || value.is_null() {
        HostOptions::default()
    } else {
        serde_wasm_bindgen::from_value(value).map_err(|e| format!("Mostrador: bad options: {e}"))?
    };
    let mut options = AppOptions::default();
    match host.mode.as_deref() {
        None | Some("portal") => options.mode = Mode::Portal,
        Some("console") => options.mode = Mode::Console,
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
        options.db_name = name;
    }
    Ok(options)
}
