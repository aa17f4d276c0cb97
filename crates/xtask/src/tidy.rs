//! `cargo xtask tidy`: the project's invariants that the compiler does not check, read from the
//! sources and from `cargo tree` (no build). Each violation is one line: where, what is wrong and
//! what to do. It is also the first stage of `cargo xtask test`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run::root;

/// What the checks found.
pub struct Report {
    /// Checks run.
    pub checks: u64,
    /// Checks that found nothing wrong.
    pub clean: u64,
    /// One line per violation: `path:line: what is wrong; what to do`.
    pub violations: Vec<String>,
}

/// A check: its name and the violations it found (or why it could not run, as a violation).
type Check = (&'static str, fn() -> Vec<String>);

const CHECKS: &[Check] = &[
    ("module docs", module_docs),
    ("JavaScript boundary", js_boundary),
    ("core dependencies", core_dependencies),
    ("store contract", store_contract),
    ("message placeholders", message_placeholders),
    ("loader types", loader_types),
    ("no debug text in the interface", ui_debug_text),
    ("form labels from the field components", ui_labels),
];

/// Runs every check and prints each violation as it is found.
pub fn run() -> Report {
    let mut report = Report {
        checks: 0,
        clean: 0,
        violations: Vec::new(),
    };
    for (name, check) in CHECKS {
        let found = check();
        report.checks += 1;
        if found.is_empty() {
            report.clean += 1;
            println!("tidy: {name}: ok");
        }
        for v in found {
            // At the start of the line, so editors and terminals can jump to it.
            println!("{v}");
            report.violations.push(v);
        }
    }
    report
}

/// `cargo xtask tidy` alone: installs the Node packages first (TypeScript checks the loader).
pub fn main() -> Result<(), String> {
    if let Err(e) = crate::tools::ensure_npm() {
        // The loader check then reports the missing TypeScript; the other checks still run.
        eprintln!("tidy: cannot install the Node packages in tests/: {e}");
    }
    let report = run();
    if report.violations.is_empty() {
        println!("tidy: {} checks, no violation", report.checks);
        Ok(())
    } else {
        Err(format!("tidy: {} violation(s)", report.violations.len()))
    }
}

/// Path relative to the workspace root, with `/` separators, for messages and allow-lists.
fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every `.rs` file under `crates/*/{src,tests,examples}`, sorted.
fn rust_sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    let Ok(crates) = std::fs::read_dir(root().join("crates")) else {
        return out;
    };
    for krate in crates.flatten() {
        for sub in ["src", "tests", "examples"] {
            walk(&krate.path().join(sub), &mut out);
        }
    }
    out.sort();
    out
}

/// a. Every Rust file starts with a `//!` comment saying what it holds.
fn module_docs() -> Vec<String> {
    rust_sources()
        .into_iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|p| {
            format!(
                "{}:1: no module doc; start the file with a `//!` comment saying what it holds",
                rel(&p)
            )
        })
        .collect()
}

/// g. The interface never shows or submits Rust's debug text (`{x:?}`, `{:?}`): option values and
/// files use the core's names (`core::named`), people read messages. The one exception is a
/// JavaScript error's detail (`{e:?}` of a `JsValue`), which has no other text. Test modules
/// (from `#[cfg(test)]` on) are not read, nor a line right after `// tidy: for developers`
/// (an assertion's message).
fn ui_debug_text() -> Vec<String> {
    let mut found = Vec::new();
    for p in rust_sources() {
        let path = rel(&p);
        if !path.starts_with("crates/ui/src/") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let mut for_developers = false;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            if std::mem::take(&mut for_developers) {
                continue;
            }
            for_developers = line.trim_start() == "// tidy: for developers";
            for name in debug_formats(line) {
                if name != "e" {
                    found.push(format!(
                        "{path}:{}: `{{{name}:?}}` is debug text; use the core's name \
                         (`Named::name`) or a message",
                        n + 1
                    ));
                }
            }
        }
    }
    found
}

/// Where labels are written: the field components.
const FIELD_COMPONENTS: &str = "crates/ui/src/components/field.rs";

/// h. Every form question is labelled by the field components (`LabelledField`, `TextField`,
/// `Check` in `components/field.rs`), so each has its `for`, hint, error line and
/// `aria-describedby` wired the same way. Elsewhere in `crates/ui/src`, a `<label` needs a line
/// right before it saying why it is its own control (`// tidy: own label, …`).
fn ui_labels() -> Vec<String> {
    let mut found = Vec::new();
    for p in rust_sources() {
        let path = rel(&p);
        if !path.starts_with("crates/ui/src/") || path == FIELD_COMPONENTS {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        found.extend(
            hand_written_labels(&text)
                .into_iter()
                .map(|n| format!("{path}:{n}: a hand-written `<label`; use `LabelledField`, `TextField` or `Check` (components/field.rs)")),
        );
    }
    found
}

/// The 1-based lines of `text` that open a `<label` without a `// tidy: own label` line right
/// before them; test modules (from `#[cfg(test)]` on) are not read.
fn hand_written_labels(text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut excused = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        if line.contains("<label") && !std::mem::take(&mut excused) {
            found.push(n + 1);
        }
        excused = line.starts_with("// tidy: own label");
    }
    found
}

/// The names formatted with `:?` in a line (`""` for a positional `{:?}`).
fn debug_formats(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(end) = rest.find(":?}") {
        let before = &rest[..end];
        if let Some(open) = before.rfind('{') {
            let name = &before[open + 1..];
            if name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            {
                out.push(name);
            }
        }
        rest = &rest[end + 3..];
    }
    out
}

/// How much JavaScript interop a path may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Allow {
    /// Anything: `JsValue`, `js_sys`, `wasm_bindgen` (closures, futures, exports), `web_sys`.
    Js,
    /// The DOM only: `web_sys` elements and events, cast with `wasm_bindgen::JsCast`.
    Dom,
}

/// The JavaScript boundary, as ARCHITECTURE.md states it ("The JavaScript boundary"); the first
/// prefix that matches a file decides. Paths not listed may use none of it.
const JS_BOUNDARY: &[(&str, Allow)] = &[
    ("crates/widget/", Allow::Js),
    ("crates/idb/", Allow::Js),
    ("crates/sync/src/browser.rs", Allow::Js),
    ("crates/ui/src/services/attachments.rs", Allow::Js),
    ("crates/ui/src/services/ids.rs", Allow::Js),
    ("crates/ui/src/services/notifications.rs", Allow::Js),
    ("crates/ui/src/services/returning.rs", Allow::Js),
    ("crates/ui/src/services/storage_access.rs", Allow::Js),
    ("crates/ui/src/services/sync_link.rs", Allow::Js),
    ("crates/ui/tests/", Allow::Js),
    ("crates/ui/src/", Allow::Dom),
];

const ARCHITECTURE: &str = "ARCHITECTURE.md";

/// b. `JsValue`, `js_sys`, `wasm_bindgen` and `web_sys` only where the boundary allows them, and
/// the boundary written down in ARCHITECTURE.md.
fn js_boundary() -> Vec<String> {
    let mut found = Vec::new();
    let doc = std::fs::read_to_string(root().join(ARCHITECTURE)).unwrap_or_default();
    for (path, _) in JS_BOUNDARY {
        if !doc.contains(&format!("`{path}`")) {
            found.push(format!(
                "{ARCHITECTURE}:1: the JavaScript boundary lists no `{path}`; state it there or \
                 remove it from JS_BOUNDARY in crates/xtask/src/tidy.rs"
            ));
        }
    }
    for file in rust_sources() {
        let path = rel(&file);
        if path == "crates/xtask/src/tidy.rs" {
            // This file names the JavaScript names it looks for.
            continue;
        }
        let allow = JS_BOUNDARY
            .iter()
            .find(|(prefix, _)| path.starts_with(prefix))
            .map(|(_, a)| *a);
        if allow == Some(Allow::Js) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (name, kind) in js_uses(line) {
                if allow == Some(kind) {
                    continue;
                }
                let what = if allow == Some(Allow::Dom) {
                    "a screen may use only the DOM (`web_sys`, `wasm_bindgen::JsCast`); move \
                     this call into a service in crates/ui/src/services/ that the boundary lists"
                } else {
                    "this path is outside the JavaScript boundary; keep JavaScript in the \
                     widget, idb, sync's browser driver or a listed ui service"
                };
                found.push(format!(
                    "{path}:{}: `{name}` here; {what} (ARCHITECTURE.md, \"The JavaScript \
                     boundary\")",
                    n + 1
                ));
            }
        }
    }
    found
}

/// The JavaScript names a line of Rust uses, each with the least permission it needs.
fn js_uses(line: &str) -> Vec<(String, Allow)> {
    let mut out = Vec::new();
    let mut rest = line;
    let mut offset = 0;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphabetic() || c == '_') {
        let tail = &rest[start..];
        let len = tail
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(tail.len());
        let ident = &tail[..len];
        let before = line[..offset + start].chars().next_back();
        let after = &tail[len..];
        // Skip the tail of a longer path segment (`x.js_sys`) only by identifier boundaries.
        let standalone = !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if standalone {
            match ident {
                "web_sys" => out.push((ident.to_string(), Allow::Dom)),
                "wasm_bindgen" if after.starts_with("::JsCast") => {
                    out.push(("wasm_bindgen::JsCast".to_string(), Allow::Dom))
                }
                "JsValue" | "js_sys" | "wasm_bindgen" | "wasm_bindgen_futures" | "JsFuture" => {
                    out.push((ident.to_string(), Allow::Js))
                }
                _ => {}
            }
        }
        offset += start + len;
        rest = &rest[start + len..];
    }
    out
}

/// Crates the core must not depend on: web, IO, async runtimes, clocks, randomness.
const CORE_FORBIDDEN_CRATES: &[&str] = &[
    "wasm-bindgen",
    "js-sys",
    "web-sys",
    "leptos",
    "tokio",
    "sqlx",
    "axum",
    "reqwest",
    "iana-time-zone",
    "getrandom",
    "rand",
];

/// chrono features that read the system clock or reach into the browser.
const CHRONO_FORBIDDEN_FEATURES: &[&str] = &["clock", "now", "wasmbind", "wasm-bindgen", "js-sys"];

/// c. The core's own dependency graph (normal and build edges, every target) has no clock, web
/// or IO crate or feature.
fn core_dependencies() -> Vec<String> {
    let tree = match cargo_tree(&[
        "-p",
        "mostrador-core",
        "-e",
        "normal,build,features",
        "--target",
        "all",
    ]) {
        Ok(t) => t,
        Err(e) => return vec![format!("crates/core/Cargo.toml:1: {e}")],
    };
    let mut found = Vec::new();
    for node in tree_nodes(&tree) {
        let bad = match &node.feature {
            None => CORE_FORBIDDEN_CRATES.contains(&node.krate.as_str()),
            Some(f) => node.krate == "chrono" && CHRONO_FORBIDDEN_FEATURES.contains(&f.as_str()),
        };
        if bad {
            let what = match &node.feature {
                Some(f) => format!("{} feature \"{f}\"", node.krate),
                None => node.krate.clone(),
            };
            let line = format!(
                "crates/core/Cargo.toml:1: mostrador-core depends on {what} (no clock, web or IO \
                 in the core); enable it in the crate that needs it, not in the workspace \
                 dependency (`cargo tree -p mostrador-core -e features -i {}` shows the path)",
                node.krate
            );
            if !found.contains(&line) {
                found.push(line);
            }
        }
    }
    found
}

/// One line of `cargo tree --prefix none`: a crate, or one of its features.
struct TreeNode {
    krate: String,
    feature: Option<String>,
}

fn tree_nodes(tree: &str) -> impl Iterator<Item = TreeNode> + '_ {
    tree.lines().filter_map(|line| {
        let mut words = line.split_whitespace();
        let krate = words.next()?.to_string();
        let feature = match words.next() {
            Some("feature") => words.next().map(|f| f.trim_matches('"').to_string()),
            _ => None,
        };
        Some(TreeNode { krate, feature })
    })
}

/// `cargo tree --prefix none` with `args`, or cargo's complaint.
fn cargo_tree(args: &[&str]) -> Result<String, String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root())
        .args(["tree", "--prefix", "none"])
        .args(args)
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "cargo tree {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

const STORE_MOD: &str = "crates/core/src/store/mod.rs";

/// d. The store contract suite is compiled only for tests: behind `cfg(test)` or the core's
/// `contract` feature, and no normal or build dependency edge in the workspace enables that
/// feature (only `[dev-dependencies]` of a store's tests do).
fn store_contract() -> Vec<String> {
    let mut found = Vec::new();
    let text = std::fs::read_to_string(root().join(STORE_MOD)).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    match lines.iter().position(|l| l.trim() == "pub mod contract;") {
        Some(n) if n > 0 && lines[n - 1].trim() == "#[cfg(any(test, feature = \"contract\"))]" => {}
        Some(n) => found.push(format!(
            "{STORE_MOD}:{}: `pub mod contract;` is not behind \
             `#[cfg(any(test, feature = \"contract\"))]`; put it back, the suite is for tests",
            n + 1
        )),
        None => found.push(format!(
            "{STORE_MOD}:1: no `pub mod contract;`; update the tidy check with the store module"
        )),
    }
    match cargo_tree(&[
        "--workspace",
        "-e",
        "normal,build,features",
        "--target",
        "all",
    ]) {
        Ok(tree) => {
            if tree_nodes(&tree)
                .any(|n| n.krate == "mostrador-core" && n.feature.as_deref() == Some("contract"))
            {
                found.push(
                    "crates/core/Cargo.toml:1: a normal dependency enables mostrador-core's \
                     `contract` feature, so shipped code compiles the test suite; enable it under \
                     [dev-dependencies] only (`cargo tree -e normal,features -i mostrador-core` \
                     shows which crate)"
                        .to_string(),
                );
            }
        }
        Err(e) => found.push(format!("Cargo.toml:1: {e}")),
    }
    found
}

const MESSAGES: &str = "crates/ui/src/i18n/messages.rs";

/// e. Each message has the same placeholders, in the same order, in Spanish, English and
/// Portuguese, every one named (`{name}`: `fill` fills by name and leaves an unknown one
/// visible); a plural message (`[one, other]` per language) has them in all six forms, `{count}`
/// among them.
fn message_placeholders() -> Vec<String> {
    let text = match std::fs::read_to_string(root().join(MESSAGES)) {
        Ok(t) => t,
        Err(e) => return vec![format!("{MESSAGES}:1: cannot read: {e}")],
    };
    let Some(start) = text.find("messages! {") else {
        return vec![format!(
            "{MESSAGES}:1: no `messages! {{` table found; update the tidy check with the file"
        )];
    };
    let entries = match parse_messages(&text, start) {
        Ok(e) => e,
        Err(e) => return vec![e],
    };
    if entries.is_empty() {
        return vec![format!("{MESSAGES}:1: the messages table parsed empty")];
    }
    entries.iter().filter_map(message_problem).collect()
}

/// What is wrong with one row's placeholders, if anything.
fn message_problem(m: &Message) -> Option<String> {
    let (line, key) = (m.line, &m.key);
    let all: Vec<Vec<String>> = m.texts.iter().map(|t| placeholders(t)).collect();
    if all.iter().any(|p| p.iter().any(String::is_empty)) {
        return Some(format!(
            "{MESSAGES}:{line}: {key} has a `{{}}` placeholder; name it (`{{count}}`, `{{code}}`)"
        ));
    }
    if all.iter().any(|p| *p != all[0]) {
        return Some(format!(
            "{MESSAGES}:{line}: {key} has placeholders {all:?} (es, en, pt{}); give every \
             language the same placeholders in the same order",
            if m.texts.len() == 6 {
                ", one and other each"
            } else {
                ""
            }
        ));
    }
    if m.texts.len() == 6 && !all[0].iter().any(|p| p == "count") {
        return Some(format!(
            "{MESSAGES}:{line}: plural {key} has no `{{count}}`"
        ));
    }
    None
}

/// One row of the `messages!` table.
struct Message {
    key: String,
    line: usize,
    /// es, en, pt; or for a plural es one, es other, en one, en other, pt one, pt other.
    texts: Vec<String>,
}

/// Reads `Key => "es", "en", "pt";` and `Key => ["es", "es"], ["en", "en"], ["pt", "pt"];` rows
/// (skipping `//` comments and the `shared {`, `plurals {`… block names) from `start` to the
/// table's closing brace.
fn parse_messages(text: &str, start: usize) -> Result<Vec<Message>, String> {
    let bytes = text.as_bytes();
    let line_at = |i: usize| text[..i].matches('\n').count() + 1;
    let mut i = start + "messages! {".len();
    let mut out = Vec::new();
    let mut row: Option<(String, usize)> = None;
    let mut strings: Vec<String> = Vec::new();
    let mut depth = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        if text[i..].starts_with("//") {
            i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
        } else if c == b'"' {
            // A string literal: keep it raw (escapes untouched; placeholders are ASCII).
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            strings.push(text[i + 1..j.min(bytes.len())].to_string());
            i = j + 1;
        } else if c == b';' {
            let Some((key, line)) = row.take() else {
                return Err(format!("{MESSAGES}:{}: `;` without a key", line_at(i)));
            };
            let texts = std::mem::take(&mut strings);
            if texts.len() != 3 && texts.len() != 6 {
                return Err(format!(
                    "{MESSAGES}:{line}: {key} has {} texts, not 3 (es, en, pt) or 6 (one and \
                     other in each)",
                    texts.len()
                ));
            }
            out.push(Message { key, line, texts });
            i += 1;
        } else if c == b'}' && row.is_none() {
            if depth == 0 {
                break;
            }
            depth -= 1;
            i += 1;
        } else if c.is_ascii_alphabetic() && row.is_none() {
            let end = text[i..]
                .find(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_')
                .map_or(bytes.len(), |n| i + n);
            if text[end..].trim_start().starts_with('{') {
                // A block: `shared {`, `plurals {`…
                depth += 1;
                i = end + text[end..].find('{').unwrap_or(0) + 1;
                continue;
            }
            row = Some((text[i..end].to_string(), line_at(i)));
            i = end;
        } else {
            i += 1;
        }
    }
    Ok(out)
}

/// The placeholders of a message in order: `{}` as "", `{name}` as "name"; `{{` and `}}` are
/// literal braces.
fn placeholders(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        if rest[open..].starts_with("{{") {
            rest = &rest[open + 2..];
            continue;
        }
        match rest[open..].find('}') {
            Some(close) => {
                out.push(rest[open + 1..open + close].to_string());
                rest = &rest[open + close + 1..];
            }
            None => break,
        }
    }
    out
}

/// The loader's files, each starting with `// @ts-check`.
const LOADER_FILES: &[&str] = &["pkg/src/mostrador.js", "pkg/src/index.js"];
const TSCONFIG: &str = "tests/tsconfig.loader.json";

/// f. The loader type-checks (TypeScript from `tests/`, `checkJs`) against `pkg/src/index.d.ts`.
fn loader_types() -> Vec<String> {
    let mut found: Vec<String> = LOADER_FILES
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(root().join(f)).unwrap_or_default();
            text.lines().next().map(str::trim) != Some("// @ts-check")
        })
        .map(|f| format!("{f}:1: the first line is not `// @ts-check`; put it back"))
        .collect();
    let tsc = root().join("tests/node_modules/.bin/tsc");
    if !tsc.exists() {
        found.push(
            "tests/package.json:1: no TypeScript in tests/node_modules; run `npm ci` in tests/ \
             (or cargo xtask tools), then tidy again"
                .to_string(),
        );
        return found;
    }
    let out = match Command::new(&tsc)
        .current_dir(root())
        .args(["-p", TSCONFIG, "--pretty", "false"])
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            found.push(format!("{TSCONFIG}:1: cannot run tsc: {e}"));
            return found;
        }
    };
    if out.status.success() {
        return found;
    }
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let before = found.len();
    for line in text.lines() {
        // `pkg/src/mostrador.js(57,36): error TS2339: Property …` (continuation lines indented).
        if let Some((place, message)) = line.split_once("): error ")
            && let Some((file, pos)) = place.rsplit_once('(')
        {
            let line_no = pos.split(',').next().unwrap_or("1");
            found.push(format!(
                "{file}:{line_no}: {message}; fix the loader's JSDoc or pkg/src/index.d.ts"
            ));
        } else if line.starts_with("error ") || line.contains(": error TS") {
            found.push(format!("{TSCONFIG}:1: {}", line.trim()));
        }
    }
    if found.len() == before {
        found.push(format!(
            "{TSCONFIG}:1: tsc failed without a readable error: {}",
            text.trim()
        ));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_names_are_classified() {
        let uses = js_uses("use wasm_bindgen::JsCast; let x: web_sys::File = js_sys::Date::now();");
        let names: Vec<_> = uses.iter().map(|(n, a)| (n.as_str(), *a)).collect();
        assert_eq!(
            names,
            vec![
                ("wasm_bindgen::JsCast", Allow::Dom),
                ("web_sys", Allow::Dom),
                ("js_sys", Allow::Js)
            ]
        );
        assert_eq!(js_uses("fn e(v: wasm_bindgen::JsValue)").len(), 2);
        assert!(js_uses("wasm_bindgen_version(); my_js_sys").is_empty());
    }

    #[test]
    fn debug_formats_are_found() {
        assert_eq!(
            debug_formats(r#"value=format!("{x:?}") a format!("{:?}/{b:?}", a) {e:?}"#),
            vec!["x", "", "b", "e"]
        );
        assert!(debug_formats(r#"format!("{x}") {"k": 1}"#).is_empty());
    }

    #[test]
    fn hand_written_labels_are_found_unless_excused() {
        let text = "view! {\n  <label for=\"x\">X</label>\n  // tidy: own label, a star\n  <label class=\"s\">\n  <LabelledField id=\"y\">\n  <label>\n}\n#[cfg(test)]\n<label>";
        assert_eq!(hand_written_labels(text), vec![2, 6]);
    }

    #[test]
    fn placeholders_are_read_in_order() {
        assert_eq!(placeholders("{}–{} of {}"), vec!["", "", ""]);
        assert_eq!(placeholders("{{literal}} {name}"), vec!["name"]);
        assert!(placeholders("none").is_empty());
    }

    #[test]
    fn a_message_table_is_parsed_with_comments_and_lines() {
        let src = "messages! {\n    // Shell\n    A => \"{} de 5\", \"{} of 5\", \"{}\";\n    \
                   B => \"x // not a comment\",\n        \"y\", \"z\";\n}\nfn after() {}";
        let rows = parse_messages(src, 0).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].key.as_str(), rows[0].line), ("A", 3));
        assert_eq!(rows[1].texts[0], "x // not a comment");
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn blocks_and_plural_rows_are_parsed_and_checked() {
        let src = "messages! {\n    shared {\n        A => \"{n} x\", \"{n} y\", \"{n} z\";\n    }\n    \
                   plurals {\n        P => [\"{count} a\", \"{count} as\"], [\"{count} b\", \
                   \"{count} bs\"], [\"{count} c\", \"{count} cs\"];\n        \
                   Q => [\"{count} a\", \"{n} as\"], [\"b\", \"b\"], [\"c\", \"c\"];\n    }\n}\nB => \"\";";
        let rows = parse_messages(src, 0).unwrap();
        let keys: Vec<_> = rows
            .iter()
            .map(|r| (r.key.as_str(), r.texts.len()))
            .collect();
        assert_eq!(keys, vec![("A", 3), ("P", 6), ("Q", 6)]);
        assert!(message_problem(&rows[0]).is_none());
        assert!(message_problem(&rows[1]).is_none());
        assert!(
            message_problem(&rows[2])
                .unwrap()
                .contains("same placeholders")
        );
        let unnamed = Message {
            key: "U".into(),
            line: 1,
            texts: vec!["{}".into(); 3],
        };
        assert!(message_problem(&unnamed).unwrap().contains("name it"));
        let countless = Message {
            key: "C".into(),
            line: 1,
            texts: vec!["{n}".into(); 6],
        };
        assert!(
            message_problem(&countless)
                .unwrap()
                .contains("no `{count}`")
        );
    }

    #[test]
    fn feature_lines_of_cargo_tree_are_read() {
        let nodes: Vec<_> =
            tree_nodes("chrono v0.4.45\nchrono feature \"clock\"\nserde feature \"std\" (*)\n")
                .collect();
        assert_eq!(nodes[0].krate, "chrono");
        assert!(nodes[0].feature.is_none());
        assert_eq!(nodes[1].feature.as_deref(), Some("clock"));
        assert_eq!(nodes[2].feature.as_deref(), Some("std"));
    }
}
