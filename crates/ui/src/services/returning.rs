//! What the loader needs to show a returning visitor's unread count without starting the app:
//! the sync server and, for an anonymous visitor, the session, kept in the page's localStorage
//! under `mostrador:<dbName>:visitor`. Written only by the app, so only once the visitor opened
//! the widget; an identified visitor's token is not kept (the host page gives it on every
//! visit). The loader reads it (`pkg/src/mostrador.js`) and asks the server's `/v1/unread`.

use serde_json::json;

fn key(db_name: &str) -> String {
    format!("mostrador:{db_name}:visitor")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Records that this device's visitor talks to `server`, with `session` (an anonymous session's
/// token and expiry in ms) when the host does not sign one. Best effort: where the browser
/// refuses storage there is simply no badge.
pub fn remember(db_name: &str, server: &str, session: Option<(&str, i64)>) {
    // `opened_ms`: the app is open now, so what came before is not news even if the visitor
    // leaves without closing the panel (the loader's own note of that is the later one).
    let value = json!({
        "v": 1,
        "server": server,
        "token": session.map(|s| s.0),
        "expires_ms": session.map(|s| s.1),
        "opened_ms": js_sys::Date::now() as i64,
    });
    if let Some(s) = storage() {
        let _ = s.set_item(&key(db_name), &value.to_string());
    }
}
