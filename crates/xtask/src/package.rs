//! Writes the npm package's generated files into `pkg/dist` and reports their size.
//!
//! Trunk runs this after every build (a `post_build` hook), so the package reuses the wasm Trunk
//! just compiled instead of building it a second time.

use std::path::{Path, PathBuf};

use crate::run::{cmd, root};

/// Base name of the wasm-bindgen output inside the package.
const WASM_NAME: &str = "mostrador_wasm";

pub fn package_from_env() -> Result<(), String> {
    let profile = std::env::var("TRUNK_PROFILE").unwrap_or_else(|_| "release".into());
    let staging = std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from);
    package(&profile, staging.as_deref())
}

fn package(profile: &str, staging: Option<&Path>) -> Result<(), String> {
    let wasm = root().join(format!(
        "target/wasm32-unknown-unknown/{profile}/mostrador_widget.wasm"
    ));
    if !wasm.exists() {
        return Err(format!(
            "{} is missing: build the widget first (trunk build)",
            wasm.display()
        ));
    }
    let dist = root().join("pkg/dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create pkg/dist: {e}"))?;
    cmd("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            WASM_NAME,
            "--out-dir",
        ])
        .args([&dist, &wasm])
        .status_ok()?;
    let bg = dist.join(format!("{WASM_NAME}_bg.wasm"));
    if profile == "release" {
        let wasm_opt = root().join("tests/node_modules/.bin/wasm-opt");
        cmd(&wasm_opt.to_string_lossy())
            .args([
                "-Oz",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "-o",
            ])
            .args([&bg, &bg])
            .status_ok()?;
    }
    for entry in std::fs::read_dir(root().join("pkg/src")).map_err(|e| format!("pkg/src: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().unwrap_or_default();
        std::fs::copy(&path, dist.join(name))
            .map_err(|e| format!("copy {}: {e}", path.display()))?;
    }
    report(&dist)?;
    if let Some(staging) = staging {
        copy_dir(&dist, &staging.join("pkg"))?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("create {}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        std::fs::copy(&path, &target).map_err(|e| format!("copy {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Prints raw, gzip and brotli bytes of every file the package ships.
fn report(dist: &Path) -> Result<(), String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    println!("size report (pkg/dist):");
    println!(
        "  {:<28} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip -9", "brotli"
    );
    for f in files {
        let raw = std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
        let gz = compressed_len("gzip", &["-9", "-c"], &f);
        let br = compressed_len("brotli", &["-q", "11", "-c"], &f);
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        println!("  {name:<28} {raw:>10} {gz:>10} {br:>10}");
    }
    Ok(())
}

fn compressed_len(tool: &str, args: &[&str], file: &Path) -> String {
    std::process::Command::new(tool)
        .args(args)
        .arg(file)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(|| "n/a".into(), |o| o.stdout.len().to_string())
}
