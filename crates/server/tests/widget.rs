//! The widget's files under `/widget/` over real HTTP on 127.0.0.1 (SQLite only: no database work
//! is involved): media types, nosniff, CORS, ETag and 304, the frame's policy and allowed
//! origins, nothing outside the directory or hidden, and nothing at all without a directory.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use mostrador_server::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LOADER: &str = "/* loader */ console.log('mostrador');";
const WASM: &[u8] = b"\0asm\x01\0\0\0";
const FRAME: &str = "<!doctype html>\n<body>\n  <div id=\"app\"></div>\n  \
                     <script src=\"mostrador.js\" data-frame></script>\n</body>\n";
const CONSOLE_GLUE: &str = "export default 'console';";
/// In the directory above the widget's: must never be served.
const SECRET_TOML: &str = "[package]\nname = \"secret-outside-the-widget-dir\"\n";

/// A temporary directory `root` with `root/Cargo.toml` and the widget files in `root/dist`.
fn widget_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("Cargo.toml"), SECRET_TOML).unwrap();
    // With a type the server serves: only the name check keeps it out.
    std::fs::write(root.path().join("secret.js"), SECRET_TOML).unwrap();
    let dist = root.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("mostrador.js"), LOADER).unwrap();
    std::fs::write(dist.join("x_bg.wasm"), WASM).unwrap();
    std::fs::write(dist.join("frame.html"), FRAME).unwrap();
    std::fs::write(dist.join("index.d.ts"), "export {};\n").unwrap();
    std::fs::write(dist.join(".hidden.js"), SECRET_TOML).unwrap();
    std::fs::write(dist.join("notes.txt"), SECRET_TOML).unwrap();
    std::fs::create_dir(dist.join("sub")).unwrap();
    std::fs::write(dist.join("sub/inner.js"), SECRET_TOML).unwrap();
    // The agent console's folder, as the package ships it.
    std::fs::create_dir(dist.join("console")).unwrap();
    std::fs::write(dist.join("console/c.js"), CONSOLE_GLUE).unwrap();
    std::fs::write(dist.join("console/c_bg.wasm"), WASM).unwrap();
    std::fs::write(dist.join("console/.hidden.js"), SECRET_TOML).unwrap();
    std::fs::create_dir(dist.join("console/deeper")).unwrap();
    std::fs::write(dist.join("console/deeper/d.js"), SECRET_TOML).unwrap();
    (root, dist)
}

fn sqlite(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("t.db").display())
}

/// A server serving `dist` to pages of `origins`.
async fn serve(db: &Path, dist: Option<&Path>, origins: &[&str]) -> Running {
    let mut cfg = config(&sqlite(db));
    cfg.widget_dir = dist.map(Path::to_path_buf);
    cfg.embed_origins = origins.iter().map(|o| (*o).to_owned()).collect();
    start(cfg).await
}

/// A GET without sign-in or protocol header, as a browser loading a script sends it.
async fn get(base: &str, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut r = reqwest::Client::new().get(format!("{base}{path}"));
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.send().await.unwrap()
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Sends `GET target` as written, unnormalized (clients resolve `..` before sending), and returns
/// the status and the whole answer.
async fn raw_get(base: &str, target: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line for {target}: {text:?}"));
    (status, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_served_with_their_types_nosniff_and_cors_without_sign_in() {
    let db = tempfile::tempdir().unwrap();
    let (_root, dist) = widget_dir();
    let mut cfg = config(&sqlite(db.path()));
    cfg.widget_dir = Some(dist.clone());
    // One request a minute per caller: widget files are not requests of a caller.
    cfg.limits.requests_per_minute = 1;
    let srv = start(cfg).await;
    let cases: [(&str, &str, &[u8]); 5] = [
        (
            "mostrador.js",
            "text/javascript; charset=utf-8",
            LOADER.as_bytes(),
        ),
        ("x_bg.wasm", "application/wasm", WASM),
        ("index.d.ts", "text/plain; charset=utf-8", b"export {};\n"),
        // The console's folder, which its glue and modules are loaded from.
        (
            "console/c.js",
            "text/javascript; charset=utf-8",
            CONSOLE_GLUE.as_bytes(),
        ),
        ("console/c_bg.wasm", "application/wasm", WASM),
    ];
    for (name, ctype, body) in cases {
        for _ in 0..3 {
            let r = get(
                &srv.base,
                &format!("/widget/{name}"),
                &[("origin", "https://shop.example")],
            )
            .await;
            assert_eq!(r.status(), 200, "{name}");
            assert_eq!(header(&r, "content-type"), ctype, "{name}");
            assert_eq!(header(&r, "x-content-type-options"), "nosniff", "{name}");
            assert_eq!(header(&r, "cache-control"), "no-cache", "{name}");
            assert_eq!(header(&r, "access-control-allow-origin"), "*", "{name}");
            assert!(header(&r, "etag").starts_with('"'), "{name}: strong ETag");
            assert_eq!(r.bytes().await.unwrap().as_ref(), body, "{name}");
        }
    }
    // The preflight-free module import and fetch also work as HEAD.
    let head = reqwest::Client::new()
        .head(format!("{}/widget/mostrador.js", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etags_give_304_until_the_file_changes() {
    let db = tempfile::tempdir().unwrap();
    let (_root, dist) = widget_dir();
    let srv = serve(db.path(), Some(&dist), &[]).await;
    let first = get(&srv.base, "/widget/mostrador.js", &[]).await;
    let etag = header(&first, "etag");
    assert!(etag.len() > 2 && etag.starts_with('"') && etag.ends_with('"'));
    for inm in [
        etag.clone(),
        format!("W/{etag}"),
        format!("\"other\", {etag}"),
    ] {
        let r = get(
            &srv.base,
            "/widget/mostrador.js",
            &[("if-none-match", &inm)],
        )
        .await;
        assert_eq!(r.status(), 304, "{inm}");
        assert_eq!(header(&r, "etag"), etag);
        assert_eq!(header(&r, "cache-control"), "no-cache");
        assert!(r.bytes().await.unwrap().is_empty());
    }
    let other = get(
        &srv.base,
        "/widget/mostrador.js",
        &[("if-none-match", "\"x\"")],
    )
    .await;
    assert_eq!(other.status(), 200);
    // Another file has another tag.
    let wasm = get(&srv.base, "/widget/x_bg.wasm", &[]).await;
    assert_ne!(header(&wasm, "etag"), etag);
    // A redeploy: the new bytes are served at once, under a new tag.
    std::fs::write(dist.join("mostrador.js"), "/* release 2 */").unwrap();
    let r = get(
        &srv.base,
        "/widget/mostrador.js",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(r.status(), 200);
    let new_etag = header(&r, "etag");
    assert_ne!(new_etag, etag);
    assert_eq!(r.text().await.unwrap(), "/* release 2 */");
    let r = get(
        &srv.base,
        "/widget/mostrador.js",
        &[("if-none-match", &new_etag)],
    )
    .await;
    assert_eq!(r.status(), 304);
    // A removed file is gone.
    std::fs::remove_file(dist.join("mostrador.js")).unwrap();
    let r = get(&srv.base, "/widget/mostrador.js", &[]).await;
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_frame_names_its_embed_origins_in_its_policy_and_its_loader_tag() {
    let db = tempfile::tempdir().unwrap();
    let (_root, dist) = widget_dir();
    let origins = ["https://shop.example", "https://www.shop.example:8443"];
    let srv = serve(db.path(), Some(&dist), &origins).await;
    let r = get(&srv.base, "/widget/frame.html", &[]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&r, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(&r, "content-security-policy"),
        "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; \
         frame-ancestors https://shop.example https://www.shop.example:8443"
    );
    let etag = header(&r, "etag");
    let html = r.text().await.unwrap();
    assert!(
        html.contains(
            "<script src=\"mostrador.js\" data-frame \
             data-allowed-origins=\"https://shop.example https://www.shop.example:8443\"></script>"
        ),
        "{html}"
    );
    assert!(!html.contains("data-frame></script>"), "{html}");
    let r = get(&srv.base, "/widget/frame.html", &[("if-none-match", &etag)]).await;
    assert_eq!(r.status(), 304);

    // Without embed origins: only this origin may frame it, and the frame knows it.
    let db2 = tempfile::tempdir().unwrap();
    let own = serve(db2.path(), Some(&dist), &[]).await;
    let r = get(&own.base, "/widget/frame.html", &[]).await;
    assert_eq!(r.status(), 200);
    assert!(
        header(&r, "content-security-policy").ends_with("; frame-ancestors 'self'"),
        "{}",
        header(&r, "content-security-policy")
    );
    // Not the tag of the other configuration: the tag is part of the served bytes.
    assert_ne!(header(&r, "etag"), etag);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(
            "<script src=\"mostrador.js\" data-frame data-allowed-origins=\"\"></script>"
        ),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_without_its_loader_tag_is_a_500_not_an_open_frame() {
    let db = tempfile::tempdir().unwrap();
    let (_root, dist) = widget_dir();
    std::fs::write(
        dist.join("frame.html"),
        "<body><script src=\"mostrador.js\"></script></body>",
    )
    .unwrap();
    let srv = serve(db.path(), Some(&dist), &["https://shop.example"]).await;
    let r = get(&srv.base, "/widget/frame.html", &[]).await;
    assert_eq!(r.status(), 500);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "frame_misconfigured", "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("data-frame"),
        "{body}"
    );
    // The other files are still served.
    let r = get(&srv.base, "/widget/mostrador.js", &[]).await;
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_outside_the_directory_hidden_or_unknown_is_served() {
    let db = tempfile::tempdir().unwrap();
    let (_root, dist) = widget_dir();
    let srv = serve(db.path(), Some(&dist), &[]).await;
    for target in [
        "/widget/../Cargo.toml",
        "/widget/%2e%2e%2fCargo.toml",
        "/widget/%2E%2E%2FCargo.toml",
        "/widget/..%2fCargo.toml",
        "/widget/%2e%2e/Cargo.toml",
        "/widget/../secret.js",
        "/widget/%2e%2e%2fsecret.js",
        "/widget/..%2Fsecret.js",
        "/widget/..%5csecret.js",
        "/widget/%2Fetc%2Fpasswd.js",
        "/widget/..%5cCargo.toml",
        "/widget/..",
        "/widget/%2e%2e",
        "/widget/.hidden.js",
        "/widget/%2ehidden.js",
        "/widget/sub%2finner.js",
        "/widget/sub/inner.js",
        "/widget/sub",
        "/widget/notes.txt",
        "/widget/unknown.js",
        "/widget/",
        "/widget",
        "/widget/mostrador.js%00",
        "/widget/console/.hidden.js",
        "/widget/console/deeper/d.js",
        "/widget/console/deeper%2fd.js",
        "/widget/console/../../Cargo.toml",
        "/widget/console/..%2f..%2fCargo.toml",
        "/widget/console/%2e%2e%2fsecret.js",
        "/widget/console/",
        "/widget/sub/c.js",
    ] {
        let (status, text) = raw_get(&srv.base, target).await;
        assert_eq!(status, 404, "{target}: {text}");
        assert!(!text.contains("secret-outside"), "{target}: {text}");
    }
    // The served file itself, to show the targets above were refused, not misrouted.
    let (status, text) = raw_get(&srv.base, "/widget/mostrador.js").await;
    assert_eq!(status, 200, "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_widget_directory_there_are_no_widget_routes() {
    let db = tempfile::tempdir().unwrap();
    let (_root, _dist) = widget_dir();
    let srv = serve(db.path(), None, &["https://shop.example"]).await;
    for name in ["mostrador.js", "frame.html", "x_bg.wasm"] {
        let r = get(&srv.base, &format!("/widget/{name}"), &[]).await;
        assert_eq!(r.status(), 404, "{name}");
        // The router's own 404: there is no such route at all.
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("no such endpoint"),
            "{name}: {body}"
        );
    }
}

fn from(args: &[&str], env: &[(&str, &str)]) -> Result<Config, String> {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Config::from_args(&args, move |k| {
        env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    })
    .map_err(|e| e.to_string())
}

#[test]
fn the_widget_options_come_from_the_command_line_and_the_environment() {
    let (_root, dist) = widget_dir();
    let d = dist.to_str().unwrap();
    let c = from(
        &[
            "--widget-dir",
            d,
            "--embed-origins",
            "https://a.example  HTTPS://B.example:443",
        ],
        &[],
    )
    .unwrap();
    assert_eq!(c.widget_dir.as_deref(), Some(dist.as_path()));
    assert_eq!(c.embed_origins, ["https://a.example", "https://b.example"]);
    let c = from(
        &[],
        &[
            ("MOSTRADOR_WIDGET_DIR", d),
            (
                "MOSTRADOR_EMBED_ORIGINS",
                "https://shop.example http://localhost:3000 http://[::1]:8080",
            ),
        ],
    )
    .unwrap();
    assert_eq!(c.widget_dir.as_deref(), Some(dist.as_path()));
    assert_eq!(
        c.embed_origins,
        [
            "https://shop.example",
            "http://localhost:3000",
            "http://[::1]:8080"
        ]
    );
    // The command line wins over the environment.
    let c = from(
        &["--embed-origins", "https://cli.example"],
        &[("MOSTRADOR_EMBED_ORIGINS", "https://env.example")],
    )
    .unwrap();
    assert_eq!(c.embed_origins, ["https://cli.example"]);
    let none = from(&[], &[]).unwrap();
    assert_eq!(none.widget_dir, None);
    assert!(none.embed_origins.is_empty());
}

#[test]
fn a_bad_embed_origin_or_widget_dir_is_a_startup_error_naming_it() {
    for bad in [
        "https://shop.example/",
        "https://shop.example/frame",
        "shop.example",
        "ftp://shop.example",
        "https://shop.example:99999",
        "https://user@shop.example",
        "https://shop.example?x=1",
        "https://",
        "https://*.shop.example",
        "'self'",
    ] {
        let list = format!("https://ok.example {bad}");
        let err = from(&["--embed-origins", &list], &[]).unwrap_err();
        assert!(
            err.contains("--embed-origins") && err.contains(&format!("{bad:?}")),
            "{bad}: {err}"
        );
        let err = from(&[], &[("MOSTRADOR_EMBED_ORIGINS", &list)]).unwrap_err();
        assert!(
            err.contains("MOSTRADOR_EMBED_ORIGINS") && err.contains(&format!("{bad:?}")),
            "{bad}: {err}"
        );
    }
    let (root, _dist) = widget_dir();
    let missing = root.path().join("no-such-dir");
    let err = from(&["--widget-dir", missing.to_str().unwrap()], &[]).unwrap_err();
    assert!(
        err.contains("--widget-dir") && err.contains("not a directory"),
        "{err}"
    );
    let file = root.path().join("Cargo.toml");
    assert!(from(&[], &[("MOSTRADOR_WIDGET_DIR", file.to_str().unwrap())]).is_err());
}
