//! The embeddable widget's built files served from the sync server's own origin:
//! `GET /widget/{file}`.
//!
//! A site whose every response carries a strict Content-Security-Policy cannot run WebAssembly on
//! its pages, nor in a `frame.html` it serves itself. With `--widget-dir` (the npm package's
//! `dist/`), the server serves the loader, the glue modules, the WebAssembly and `frame.html`
//! under `/widget/`, so the site only loads `https://help.example.com/widget/mostrador.js` and
//! the frame comes from this origin.
//!
//! Only plain file names of that directory with a known extension are served (no `/`, no `..`,
//! no hidden files; anything else is a 404). Every answer has `cache-control: no-cache` and a
//! strong ETag (a hash of the bytes served), so browsers revalidate and get 304 until the files
//! change. Files are kept in memory once read and read again whenever their size or modification
//! time changes, so a redeploy is served at once without a restart. The router's CORS layer lets
//! any origin import the glue modules and fetch the WebAssembly. These routes need no sign-in and
//! no protocol header and do not count against the per-caller rate limit; the connection limits
//! apply as everywhere.
//!
//! `frame.html` is answered with a Content-Security-Policy whose `frame-ancestors` lists the
//! configured embed origins (`'self'` when there are none), and the same origins are written into
//! its loader tag's `data-allowed-origins`, which the frame checks its parent against.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path as FsPath;
use std::sync::Mutex;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mostrador_core::sync::ApiError;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ServerError;

/// The route: `/widget/{file}`.
pub const WIDGET_ROUTE: &str = "/widget/{file}";
/// The agent console's files, in the package's `console/` folder.
pub const CONSOLE_ROUTE: &str = "/widget/console/{file}";
/// That folder in the widget directory.
const CONSOLE_DIR: &str = "console";

/// The frame page, the one file changed on the way out.
pub const FRAME_FILE: &str = "frame.html";

/// The frame page's loader tag, as the package ships it; the embed origins are added to it.
pub const FRAME_TAG: &str = r#"<script src="mostrador.js" data-frame></script>"#;

/// The policy of every HTML page served: only this origin's scripts, WebAssembly allowed, and
/// embedding limited to `origins` (`'self'` when empty).
pub fn frame_csp(origins: &[String]) -> String {
    let ancestors = if origins.is_empty() {
        "'self'".to_owned()
    } else {
        origins.join(" ")
    };
    format!(
        "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; \
         frame-ancestors {ancestors}"
    )
}

/// The media type a file is served with, or `None` for a file that is not served.
pub fn content_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1;
    Some(match ext {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "html" => "text/html; charset=utf-8",
        // `.d.ts` too.
        "ts" | "md" => "text/plain; charset=utf-8",
        "json" => "application/json",
        _ => return None,
    })
}

/// Whether `name` is a plain, visible file name: ASCII letters, digits, `.`, `_` and `-`, not
/// starting with a dot (no `..`, no hidden files, no separators).
pub fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// `html` with [`FRAME_TAG`] carrying `data-allowed-origins="ORIGINS"`, or `None` if the tag is
/// not there.
pub fn inject_origins(html: &str, origins: &[String]) -> Option<String> {
    if !html.contains(FRAME_TAG) {
        return None;
    }
    let tag = format!(
        r#"<script src="mostrador.js" data-frame data-allowed-origins="{}"></script>"#,
        attribute_escape(&origins.join(" "))
    );
    Some(html.replace(FRAME_TAG, &tag))
}

/// `s` safe inside a double-quoted HTML attribute.
fn attribute_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// One file as last read: what is served, and what tells whether it changed since.
#[derive(Debug, Clone)]
struct Cached {
    len: u64,
    modified: SystemTime,
    body: Bytes,
    etag: String,
}

/// The files read so far, by name (at most one entry per file of the directory).
#[derive(Debug, Default)]
pub struct WidgetFiles {
    files: Mutex<HashMap<String, Cached>>,
}

/// Why a file cannot be served.
#[derive(Debug)]
enum Unservable {
    Missing,
    /// `frame.html` without [`FRAME_TAG`]: it cannot be given its allowed origins.
    NoFrameTag,
    Io(std::io::Error),
}

impl WidgetFiles {
    /// The bytes and ETag of `name` in `dir` (blocking: run it off the async threads).
    fn load(&self, dir: &FsPath, name: &str, origins: &[String]) -> Result<Cached, Unservable> {
        let mut f = match std::fs::File::open(dir.join(name)) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.forget(name);
                return Err(Unservable::Missing);
            }
            Err(e) => return Err(Unservable::Io(e)),
        };
        let meta = f.metadata().map_err(Unservable::Io)?;
        if !meta.is_file() {
            return Err(Unservable::Missing);
        }
        // Without a modification time, every request reads the file.
        let modified = meta.modified().ok();
        if let Some(m) = modified
            && let Some(c) = self.lock().get(name)
            && c.len == meta.len()
            && c.modified == m
        {
            return Ok(c.clone());
        }
        let mut raw = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        f.read_to_end(&mut raw).map_err(Unservable::Io)?;
        let body = if name == FRAME_FILE {
            let html = String::from_utf8_lossy(&raw);
            inject_origins(&html, origins)
                .ok_or(Unservable::NoFrameTag)?
                .into_bytes()
        } else {
            raw
        };
        let etag = format!("\"{}\"", crate::auth::hex(&Sha256::digest(&body)));
        let c = Cached {
            len: meta.len(),
            modified: modified.unwrap_or(SystemTime::UNIX_EPOCH),
            body: Bytes::from(body),
            etag,
        };
        if modified.is_some() {
            self.lock().insert(name.to_owned(), c.clone());
        }
        Ok(c)
    }

    fn forget(&self, name: &str) {
        self.lock().remove(name);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cached>> {
        self.files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn not_found() -> Response {
    ServerError::NotFound("there is no such widget file".into()).into_response()
}

/// `GET /widget/{file}`: a file of the widget directory, `frame.html` with its embed origins.
pub async fn get_file(
    State(s): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    match path {
        Ok(Path(file)) => serve(s, headers, None, file).await,
        Err(_) => not_found(),
    }
}

/// `GET /widget/console/{file}`: a file of the agent console's folder.
pub async fn get_console_file(
    State(s): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    match path {
        Ok(Path(file)) => serve(s, headers, Some(CONSOLE_DIR), file).await,
        Err(_) => not_found(),
    }
}

/// The file `file` of the widget directory, or of its folder `folder`.
async fn serve(s: AppState, headers: HeaderMap, folder: Option<&str>, file: String) -> Response {
    let Some(dir) = s.config.widget_dir.clone() else {
        return not_found();
    };
    let Some(ctype) = content_type(&file).filter(|_| plain_name(&file)) else {
        return not_found();
    };
    // Named (and cached) by the path under the widget directory.
    let name = match folder {
        Some(f) => format!("{f}/{file}"),
        None => file,
    };
    let files = s.widget.clone();
    let config = s.config.clone();
    let read_name = name.clone();
    let loaded =
        tokio::task::spawn_blocking(move || files.load(&dir, &read_name, &config.embed_origins))
            .await;
    let file = match loaded {
        Ok(Ok(f)) => f,
        Ok(Err(Unservable::Missing)) => return not_found(),
        Ok(Err(Unservable::NoFrameTag)) => return frame_without_tag(),
        Ok(Err(Unservable::Io(e))) => {
            return ServerError::Internal(format!("cannot read widget file {name}: {e}"))
                .into_response();
        }
        Err(e) => return ServerError::Internal(e.to_string()).into_response(),
    };
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&file.etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Host pages that require it (COEP) may load the loader without CORS.
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    let matched = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| crate::files::etag_matches(v, &file.etag));
    if matched {
        return (StatusCode::NOT_MODIFIED, h).into_response();
    }
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if name.ends_with(".html") {
        match HeaderValue::from_str(&frame_csp(&s.config.embed_origins)) {
            Ok(v) => {
                h.insert(header::CONTENT_SECURITY_POLICY, v);
            }
            Err(e) => return ServerError::Internal(e.to_string()).into_response(),
        }
    }
    (StatusCode::OK, h, file.body).into_response()
}

/// A 500 that says what is wrong, instead of a frame any site could embed.
fn frame_without_tag() -> Response {
    let message = format!(
        "the widget directory's {FRAME_FILE} has no {FRAME_TAG} tag to add the embed origins to; \
         serve the frame.html of the same package as mostrador.js"
    );
    eprintln!("mostrador-server: {message}");
    let body = ApiError {
        error: "frame_misconfigured".into(),
        message,
    };
    (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_with_known_types_are_served() {
        for ok in [
            "mostrador.js",
            "mostrador_wasm_bg.wasm",
            "frame.html",
            "index.d.ts",
        ] {
            assert!(plain_name(ok) && content_type(ok).is_some(), "{ok}");
        }
        for bad in [
            "", ".hidden", "..", "../x.js", "a/b.js", "a\\b.js", "a b.js", "x%2f.js",
        ] {
            assert!(!plain_name(bad), "{bad:?}");
        }
        assert_eq!(content_type("Cargo.toml"), None);
        assert_eq!(content_type("noext"), None);
        assert_eq!(
            content_type("index.d.ts"),
            Some("text/plain; charset=utf-8")
        );
    }

    #[test]
    fn origins_are_escaped_into_the_frame_tag() {
        let html = format!("<body>{FRAME_TAG}</body>");
        let out = inject_origins(&html, &["https://a.example".into(), "x\"<&'".into()]).unwrap();
        assert_eq!(
            out,
            "<body><script src=\"mostrador.js\" data-frame \
             data-allowed-origins=\"https://a.example x&quot;&lt;&amp;&#39;\"></script></body>"
        );
        assert_eq!(inject_origins("<body></body>", &[]), None);
    }

    #[test]
    fn the_frame_policy_names_the_embed_origins() {
        assert!(frame_csp(&[]).ends_with("frame-ancestors 'self'"));
        assert!(
            frame_csp(&["https://a.example".into(), "https://b.example:8443".into()])
                .ends_with("frame-ancestors https://a.example https://b.example:8443")
        );
    }
}
