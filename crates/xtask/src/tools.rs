//! Pinned tools, installed only from crates.io, npm and Debian, and only when the right version is
//! not already there (a version check, not a reinstall).

use std::path::Path;

use crate::run::{cmd, root};

/// Trunk 0.22 needs a newer rustc than this project's; 0.21.14 is the newest that builds here.
pub const TRUNK_VERSION: &str = "0.21.14";

/// Debian packages the browser tests and size reports need.
const APT_PACKAGES: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("brotli", "/usr/bin/brotli"),
];

/// Installs everything missing: Debian packages, the wasm target, trunk, wasm-bindgen-cli, the
/// module splitter and the Node project in `tests/` (TypeScript, which `tidy` runs, comes from
/// there).
pub fn ensure_all() -> Result<(), String> {
    ensure_apt()?;
    ensure_wasm_target()?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, true)?;
    // wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock. Not `--locked`: its own lock
    // file pins a crate version the registry no longer serves.
    let wb = wasm_bindgen_version()?;
    ensure_cargo_tool("wasm-bindgen-cli", "wasm-bindgen", &wb, false)?;
    // The splitter reads the split points that wasm_split_helpers (through Leptos) marks: the
    // same version as in Cargo.lock.
    let ws = lock_version("wasm_split_helpers")?;
    ensure_listed_tool(
        "wasm_split_cli_support",
        "wasm-split-cli",
        &ws,
        &["build-binary"],
    )?;
    ensure_npm()?;
    Ok(())
}

/// Environment for commands that need the npm-installed tools (wasm-opt) and ChromeDriver.
pub fn tool_path_env() -> Vec<(String, String)> {
    let bin = root().join("tests/node_modules/.bin");
    let path = std::env::var("PATH").unwrap_or_default();
    vec![
        ("PATH".into(), format!("{}:{path}", bin.display())),
        ("CHROMEDRIVER".into(), "/usr/bin/chromedriver".into()),
    ]
}

fn ensure_apt() -> Result<(), String> {
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .filter(|(_, bin)| !Path::new(bin).exists())
        .map(|(p, _)| *p)
        .collect();
    if missing.is_empty() {
        println!("tools: Debian packages present ({})", names(APT_PACKAGES));
        return Ok(());
    }
    println!("tools: installing Debian packages {}", missing.join(" "));
    cmd("apt-get").args(["update", "-qq"]).status_ok()?;
    cmd("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status_ok()
        .map_err(|e| {
            format!(
                "{e}; install them by hand as root: apt-get install {}",
                missing.join(" ")
            )
        })
}

fn names(list: &[(&str, &str)]) -> String {
    list.iter().map(|(p, _)| *p).collect::<Vec<_>>().join(", ")
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = cmd("rustup")
        .args(["target", "list", "--installed"])
        .read()
        .unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    cmd("rustup")
        .args(["target", "add", "wasm32-unknown-unknown"])
        .status_ok()
}

fn ensure_cargo_tool(krate: &str, bin: &str, version: &str, locked: bool) -> Result<(), String> {
    let current = cmd(bin).args(["--version"]).read().unwrap_or_default();
    // Both print "<name> <version>" (wasm-bindgen may add a build hash after it).
    if current.split_whitespace().nth(1) == Some(version) {
        println!("tools: {bin} {version} present");
        return Ok(());
    }
    println!("tools: installing {krate} {version} (a few minutes on 2 cores)");
    let mut args = vec!["install", krate, "--version", version];
    if locked {
        args.push("--locked");
    }
    cmd("cargo").args(args).status_ok()
}

/// A crate whose binary prints no version: `cargo install --list` says which version is there.
fn ensure_listed_tool(
    krate: &str,
    bin: &str,
    version: &str,
    features: &[&str],
) -> Result<(), String> {
    let list = cmd("cargo")
        .args(["install", "--list"])
        .read()
        .unwrap_or_default();
    if list.lines().any(|l| l == format!("{krate} v{version}:")) {
        println!("tools: {bin} {version} present");
        return Ok(());
    }
    println!("tools: installing {krate} {version} (a few minutes on 2 cores)");
    let mut args = vec!["install", krate, "--version", version, "--locked"];
    let features = features.join(",");
    if !features.is_empty() {
        args.extend(["--features", &features]);
    }
    cmd("cargo").args(args).status_ok()
}

/// The wasm-bindgen version recorded in Cargo.lock.
pub fn wasm_bindgen_version() -> Result<String, String> {
    lock_version("wasm-bindgen")
}

/// The version of `krate` recorded in Cargo.lock (the first, if several are).
fn lock_version(krate: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    let name = format!("name = \"{krate}\"");
    while let Some(line) = lines.next() {
        if line == name
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err(format!("Cargo.lock has no {krate} entry"))
}

/// Installs the Node packages in `tests/` (`npm ci`) unless `node_modules` is newer than the lock.
pub fn ensure_npm() -> Result<(), String> {
    let tests = root().join("tests");
    let lock = tests.join("package-lock.json");
    let stamp = tests.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&stamp)) {
        (Ok(l), Ok(s)) => match (l.modified(), s.modified()) {
            (Ok(l), Ok(s)) => s >= l,
            _ => false,
        },
        _ => false,
    };
    if fresh {
        println!("tools: npm packages in tests/ up to date");
        return Ok(());
    }
    cmd("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .dir(&tests)
        .status_ok()
}
