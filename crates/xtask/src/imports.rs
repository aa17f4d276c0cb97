//! Short names for the functions a module imports from its wasm-bindgen glue, and the list of
//! what a module exports (for `wasm-metadce`).
//!
//! wasm-bindgen names every JavaScript function the module imports after the Rust item plus a
//! 16-digit hash (`__wbg_appendChild_dbf7ad2f48413560`), and writes each name twice: in the
//! module's import section and as a key of the glue's import object. The hashes do not compress:
//! in the customer widget's first module the 250 names cost about 6 KB brotli. Here each name
//! becomes `$` and a base-36 number in both files. A name is renamed only if the glue spells it
//! exactly once (its key), so nothing else in the glue can refer to it.

use std::collections::HashMap;

/// The module's import section with the glue's functions renamed, and the glue to match; the
/// number of names shortened.
pub fn shorten(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, String, usize), String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for token in identifiers(glue) {
        *counts.entry(token).or_default() += 1;
    }
    let mut renamed: HashMap<String, String> = HashMap::new();
    let module = rewrite_imports(wasm, |module, name| {
        if !module.ends_with("_bg.js") || counts.get(name) != Some(&1) {
            return None;
        }
        let short = short_name(renamed.len());
        renamed.insert(name.to_owned(), short.clone());
        Some(short)
    })?;
    let mut out = String::with_capacity(glue.len());
    let mut rest = glue;
    while let Some(start) = rest.find(is_ident) {
        out.push_str(&rest[..start]);
        let len = rest[start..]
            .find(|c| !is_ident(c))
            .unwrap_or(rest.len() - start);
        let token = &rest[start..start + len];
        out.push_str(renamed.get(token).map_or(token, String::as_str));
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    Ok((module, out, renamed.len()))
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// The identifier-like runs of `js` (strings and comments included: a name found there counts as
/// a use, so it is not renamed).
fn identifiers(js: &str) -> impl Iterator<Item = &str> {
    js.split(|c| !is_ident(c)).filter(|t| !t.is_empty())
}

/// The names the module exports.
pub fn exports(wasm: &[u8]) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for_sections(wasm, |id, r| {
        if id == 7 {
            for _ in 0..r.leb()? {
                names.push(r.name()?.to_owned());
                r.byte()?;
                r.leb()?;
            }
        }
        Ok(())
    })?;
    Ok(names)
}

/// Calls `section(id, reader)` with a reader at the start of each section's body.
fn for_sections(
    wasm: &[u8],
    mut section: impl FnMut(u8, &mut Reader<'_>) -> Result<(), String>,
) -> Result<(), String> {
    check_header(wasm)?;
    let mut r = Reader { bytes: wasm, at: 8 };
    while r.at < wasm.len() {
        let id = r.byte()?;
        let size = r.leb()? as usize;
        let end =
            r.at.checked_add(size)
                .filter(|&e| e <= wasm.len())
                .ok_or("a section runs past the end of the module")?;
        let mut body = Reader {
            bytes: &wasm[..end],
            at: r.at,
        };
        section(id, &mut body)?;
        r.at = end;
    }
    Ok(())
}

fn check_header(wasm: &[u8]) -> Result<(), String> {
    if wasm.get(..8) == Some(b"\0asm\x01\0\0\0".as_slice()) {
        Ok(())
    } else {
        Err("not a WebAssembly module (version 1)".into())
    }
}

/// `$0`, `$1`, … `$z`, `$10`, …
fn short_name(mut n: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = Vec::new();
    loop {
        digits.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.push(b'$');
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// `wasm` with each import's name replaced by what `rename(module, name)` gives (`None` keeps
/// it); every other byte as it was.
fn rewrite_imports(
    wasm: &[u8],
    mut rename: impl FnMut(&str, &str) -> Option<String>,
) -> Result<Vec<u8>, String> {
    check_header(wasm)?;
    let mut out = wasm[..8].to_vec();
    let mut r = Reader { bytes: wasm, at: 8 };
    while r.at < wasm.len() {
        let start = r.at;
        let id = r.byte()?;
        let size = r.leb()? as usize;
        let body_start = r.at;
        let end = body_start
            .checked_add(size)
            .filter(|&e| e <= wasm.len())
            .ok_or("a section runs past the end of the module")?;
        if id != 2 {
            out.extend_from_slice(&wasm[start..end]);
            r.at = end;
            continue;
        }
        let count = r.leb()?;
        let mut body = Vec::new();
        write_leb(&mut body, count);
        for _ in 0..count {
            let module = r.name()?;
            let name = r.name()?;
            let desc_start = r.at;
            r.import_desc()?;
            let desc = &wasm[desc_start..r.at];
            let new = rename(module, name);
            write_name(&mut body, module);
            write_name(&mut body, new.as_deref().unwrap_or(name));
            body.extend_from_slice(desc);
        }
        if r.at != end {
            return Err("the import section's size does not match its imports".into());
        }
        out.push(2);
        write_leb(&mut out, body.len() as u64);
        out.extend_from_slice(&body);
    }
    Ok(out)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or("the module ends in the middle of a section")?;
        self.at += 1;
        Ok(b)
    }

    fn leb(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number in the module is too long".into())
    }

    fn name(&mut self) -> Result<&'a str, String> {
        let len = self.leb()? as usize;
        let bytes = self
            .bytes
            .get(self.at..self.at + len)
            .ok_or("a name runs past the end of the module")?;
        self.at += len;
        std::str::from_utf8(bytes).map_err(|_| "a name in the module is not UTF-8".into())
    }

    /// Skips one import's description: function, table, memory, global or tag.
    fn import_desc(&mut self) -> Result<(), String> {
        match self.byte()? {
            0 => {
                self.leb()?;
            }
            1 => {
                self.byte()?;
                self.limits()?;
            }
            2 => self.limits()?,
            3 => {
                self.byte()?;
                self.byte()?;
            }
            4 => {
                self.byte()?;
                self.leb()?;
            }
            kind => return Err(format!("unknown import kind {kind}")),
        }
        Ok(())
    }

    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 != 0 {
            self.leb()?;
        }
        Ok(())
    }
}

fn write_leb(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len() as u64);
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions from the glue and the memory from elsewhere.
    fn module(names: &[(&str, &str)]) -> Vec<u8> {
        let mut imports = Vec::new();
        write_leb(&mut imports, names.len() as u64);
        for (module, name) in names {
            write_name(&mut imports, module);
            write_name(&mut imports, name);
            if *module == "env" {
                imports.extend_from_slice(&[2, 1, 1, 200, 1]); // memory, min 1, max 200
            } else {
                imports.extend_from_slice(&[0, 0]); // function of type 0
            }
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]); // type section: () -> ()
        wasm.push(2);
        write_leb(&mut wasm, imports.len() as u64);
        wasm.extend_from_slice(&imports);
        wasm.extend_from_slice(&[0, 3, 1, b'x', 9]); // a custom section, kept as it is
        wasm
    }

    #[test]
    fn imports_named_once_in_the_glue_get_short_names_in_both() {
        let wasm = module(&[
            ("./app_bg.js", "__wbg_appendChild_dbf7ad2f48413560"),
            ("./app_bg.js", "__wbindgen_malloc"),
            ("./app_bg.js", "__wbg_log_0123456789abcdef"),
            ("env", "memory"),
        ]);
        let glue = "const i={__wbg_appendChild_dbf7ad2f48413560:function(a,b){a.appendChild(b)},\
                    __wbg_log_0123456789abcdef:function(m){console.log(m)}};\
                    function m(n){return w.__wbindgen_malloc(n)}const k={__wbindgen_malloc:m};";
        let (out, js, n) = shorten(&wasm, glue).unwrap();
        assert_eq!(n, 2, "malloc is named twice in the glue: kept");
        assert_eq!(
            js,
            "const i={$0:function(a,b){a.appendChild(b)},$1:function(m){console.log(m)}};\
             function m(n){return w.__wbindgen_malloc(n)}const k={__wbindgen_malloc:m};"
        );
        let expected = module(&[
            ("./app_bg.js", "$0"),
            ("./app_bg.js", "__wbindgen_malloc"),
            ("./app_bg.js", "$1"),
            ("env", "memory"),
        ]);
        assert_eq!(out, expected);
    }

    #[test]
    fn exports_are_listed() {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        // Export section: "mount" (function 3), "memory" (memory 0).
        wasm.extend_from_slice(&[7, 18, 2, 5]);
        wasm.extend_from_slice(b"mount");
        wasm.extend_from_slice(&[0, 3, 6]);
        wasm.extend_from_slice(b"memory");
        wasm.extend_from_slice(&[2, 0]);
        assert_eq!(exports(&wasm).unwrap(), ["mount", "memory"]);
        wasm.truncate(wasm.len() - 3);
        assert!(exports(&wasm).is_err());
    }

    #[test]
    fn short_names_count_in_base_36() {
        assert_eq!(short_name(0), "$0");
        assert_eq!(short_name(35), "$z");
        assert_eq!(short_name(36), "$10");
        assert_eq!(short_name(36 * 36 + 1), "$101");
    }

    #[test]
    fn what_is_not_a_module_is_refused() {
        assert!(shorten(b"not wasm", "").is_err());
        let mut cut = module(&[("./app_bg.js", "__wbg_x_0123456789abcdef")]);
        cut.truncate(cut.len() - 8);
        assert!(shorten(&cut, "").is_err());
    }
}
