//! `cargo xtask bloat`: where the bytes of the shipped WebAssembly modules go, by crate.
//!
//! Takes the modules the last release build left in the target directory (they keep their
//! function names), runs them through the same wasm-bindgen and wasm-opt steps as the package
//! but keeping names (`--keep-debug`, `-g`), and asks `twiggy` (installed pinned from crates.io
//! when missing) for every function's size. Prints, per module: the code and data sections with
//! their brotli sizes (what a visitor downloads), then code by crate, raw bytes after wasm-opt.

use std::collections::BTreeMap;
use std::path::Path;

use crate::run::{cmd, target_dir};

const TWIGGY_VERSION: &str = "0.8.0";

pub fn main() -> Result<(), String> {
    ensure_twiggy()?;
    // The first modules, as the splitter cut them (what opening downloads).
    let first = |name: &str| target_dir().join(format!("split/release/{name}/{name}.wasm"));
    for (label, wasm) in [
        ("customer widget (first module)", first("mostrador_wasm")),
        ("agent console (first module)", first("mostrador_console")),
    ] {
        if !wasm.exists() {
            return Err(format!(
                "{} is missing: run `trunk build --release=true` first",
                wasm.display()
            ));
        }
        breakdown(label, &wasm)?;
    }
    Ok(())
}

fn ensure_twiggy() -> Result<(), String> {
    let has = std::process::Command::new("twiggy")
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(TWIGGY_VERSION));
    if has {
        return Ok(());
    }
    cmd("cargo")
        .args(["install", "--locked", "twiggy", "--version", TWIGGY_VERSION])
        .status_ok()
}

fn breakdown(label: &str, wasm: &Path) -> Result<(), String> {
    let dir = target_dir().join("bloat");
    std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    cmd("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--keep-debug",
            // The first module's exports to its split-off modules.
            "--keep-lld-exports",
            "--out-name",
            "named",
            "--out-dir",
        ])
        .args([&dir, &wasm.to_path_buf()])
        .status_ok()?;
    let bg = dir.join("named_bg.wasm");
    let opt = dir.join("named_opt.wasm");
    crate::package::wasm_opt_to(&bg, &opt, true)?;
    let bytes = std::fs::read(&opt).map_err(|e| format!("read {}: {e}", opt.display()))?;
    let csv = std::process::Command::new("twiggy")
        .args(["top", "-n", "10000000", "-f", "csv"])
        .arg(&opt)
        .output()
        .map_err(|e| format!("twiggy: {e}"))?;
    if !csv.status.success() {
        return Err(format!(
            "twiggy failed: {}",
            String::from_utf8_lossy(&csv.stderr)
        ));
    }
    let mut by_crate: BTreeMap<String, u64> = BTreeMap::new();
    for line in String::from_utf8_lossy(&csv.stdout).lines().skip(1) {
        let fields = csv_fields(line);
        let (Some(name), Some(size)) = (fields.first(), fields.get(1)) else {
            continue;
        };
        let Ok(size) = size.parse::<u64>() else {
            continue;
        };
        if let Some(owner) = owner(name) {
            *by_crate.entry(owner).or_default() += size;
        }
    }
    println!("\n== {label}: {} ==", wasm.display());
    for (id, what) in [(10u8, "code section"), (11u8, "data section")] {
        if let Some(section) = section(&bytes, id) {
            let part = dir.join(format!("section-{id}.bin"));
            std::fs::write(&part, section).map_err(|e| e.to_string())?;
            let brotli = std::process::Command::new("brotli")
                .args(["-q", "11", "-c"])
                .arg(&part)
                .output()
                .ok()
                .map(|o| o.stdout.len().to_string())
                .unwrap_or_else(|| "n/a".into());
            println!("  {what:<28} {:>10} raw {brotli:>10} brotli", section.len());
        }
    }
    let mut rows: Vec<(String, u64)> = by_crate.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let code: u64 = rows.iter().map(|r| r.1).sum();
    println!("  code by crate (bytes after wasm-opt, names kept):");
    for (name, size) in rows.iter().take(30) {
        println!(
            "    {name:<36} {size:>9} {:>5.1}%",
            100.0 * *size as f64 / code.max(1) as f64
        );
    }
    let rest: u64 = rows.iter().skip(30).map(|r| r.1).sum();
    println!("    {:<36} {rest:>9}", "(the rest)");
    Ok(())
}

/// The crate a function belongs to: the first path segment of its name, or of its `impl` type
/// (`<alloc::vec::Vec<T> as core::ops::Drop>::drop` belongs to `alloc`). Sections and data are
/// left out (`None`); glue without a path is `(glue)`.
fn owner(name: &str) -> Option<String> {
    if name.starts_with("data segment")
        || name.starts_with("custom section")
        || name.ends_with("subsection")
    {
        return None;
    }
    let trimmed = name
        .trim_start_matches(['<', '&'])
        .trim_start_matches("mut ");
    let head: String = trimmed
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let rest = &trimmed[head.len()..];
    let is_path = rest.starts_with("::") || (rest.starts_with('[') && rest.contains("]::"));
    if head.is_empty() || !is_path {
        return Some("(glue)".into());
    }
    Some(head)
}

/// The fields of one CSV line as twiggy writes it (quoted fields, `""` for a quote).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    out.push(field);
    out
}

/// The payload of the first section with id `id` of a WebAssembly module.
fn section(bytes: &[u8], id: u8) -> Option<&[u8]> {
    let mut i = 8;
    while i < bytes.len() {
        let sid = bytes[i];
        i += 1;
        let (len, n) = leb128(&bytes[i..])?;
        i += n;
        let end = i.checked_add(len)?;
        if sid == id {
            return bytes.get(i..end);
        }
        i = end;
    }
    None
}

fn leb128(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value = 0usize;
    for (k, b) in bytes.iter().enumerate().take(5) {
        value |= usize::from(b & 0x7f) << (7 * k);
        if b & 0x80 == 0 {
            return Some((value, k + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_belong_to_the_crate_of_their_path_or_impl() {
        assert_eq!(
            owner("serde_json::de::from_str::h12").as_deref(),
            Some("serde_json")
        );
        assert_eq!(
            owner("<alloc::vec::Vec<T> as core::ops::drop::Drop>::drop::h1").as_deref(),
            Some("alloc")
        );
        assert_eq!(
            owner("<&mut serde_json::de::Deserializer<R> as X>::f").as_deref(),
            Some("serde_json")
        );
        assert_eq!(owner("core[c5930c85]::fmt::write").as_deref(), Some("core"));
        assert_eq!(owner("data segment \".rodata\""), None);
        assert_eq!(owner("\"function names\" subsection"), None);
        assert_eq!(owner("elem[0]").as_deref(), Some("(glue)"));
    }

    #[test]
    fn csv_fields_unquote() {
        assert_eq!(
            csv_fields("\"\"\"function names\"\" subsection\",866866,20.3,,"),
            vec!["\"function names\" subsection", "866866", "20.3", "", ""]
        );
        assert_eq!(
            csv_fields("a::b,12,0.1,,"),
            vec!["a::b", "12", "0.1", "", ""]
        );
    }

    #[test]
    fn sections_are_found_by_id() {
        // Magic, version, a type section (id 1, 2 bytes) and a code section (id 10, 1 byte).
        let module = [0, 97, 115, 109, 1, 0, 0, 0, 1, 2, 9, 9, 10, 1, 7];
        assert_eq!(section(&module, 10), Some(&[7u8][..]));
        assert_eq!(section(&module, 1), Some(&[9u8, 9][..]));
        assert_eq!(section(&module, 11), None);
    }
}
