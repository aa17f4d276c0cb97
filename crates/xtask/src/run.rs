//! Running child processes: stream their output to the terminal and keep a copy to read counts.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;

/// A command being prepared.
pub struct Cmd {
    inner: Command,
    shown: String,
}

/// Starts preparing `program`.
pub fn cmd(program: &str) -> Cmd {
    let mut inner = Command::new(program);
    inner.current_dir(crate::run::root());
    Cmd {
        inner,
        shown: program.to_string(),
    }
}

/// The workspace root (where the top-level Cargo.toml is).
///
/// Read at run time: `cargo run` sets `CARGO_MANIFEST_DIR` for the program it runs. The value
/// baked in at compile time is only the fallback, because a binary built in one checkout can be
/// reused by another that shares the target directory, and must not work on the first one.
pub fn root() -> &'static Path {
    static ROOT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
        // crates/xtask/../../
        manifest
            .parent()
            .and_then(Path::parent)
            .expect("workspace root")
            .to_path_buf()
    })
}

impl Cmd {
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for a in args {
            self.shown.push(' ');
            self.shown.push_str(&a.as_ref().to_string_lossy());
            self.inner.arg(a);
        }
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.inner.env(key, value);
        self
    }

    pub fn envs(mut self, vars: Vec<(String, String)>) -> Self {
        self.inner.envs(vars);
        self
    }

    pub fn dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.inner.current_dir(dir);
        self
    }

    /// Runs with inherited output; an error says which command failed.
    pub fn status_ok(mut self) -> Result<(), String> {
        println!("$ {}", self.shown);
        let status = self
            .inner
            .status()
            .map_err(|e| format!("cannot start `{}`: {e}", self.shown))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.shown))
        }
    }

    /// Runs and returns (success, everything it printed), echoing output as it comes.
    pub fn tee(mut self) -> Result<(bool, String), String> {
        println!("$ {}", self.shown);
        let mut child = self
            .inner
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start `{}`: {e}", self.shown))?;
        let log = Arc::new(Mutex::new(String::new()));
        let mut readers = Vec::new();
        if let Some(out) = child.stdout.take() {
            readers.push(pump(out, log.clone(), false));
        }
        if let Some(err) = child.stderr.take() {
            readers.push(pump(err, log.clone(), true));
        }
        for r in readers {
            let _ = r.join();
        }
        let status = child
            .wait()
            .map_err(|e| format!("`{}` vanished: {e}", self.shown))?;
        let text = log.lock().map(|l| l.clone()).unwrap_or_default();
        Ok((status.success(), text))
    }

    /// Runs quietly and returns stdout if it succeeded.
    pub fn read(mut self) -> Option<String> {
        let out = self.inner.stderr(Stdio::null()).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

fn pump<R: std::io::Read + Send + 'static>(
    src: R,
    log: Arc<Mutex<String>>,
    to_stderr: bool,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        for line in BufReader::new(src).lines().map_while(Result::ok) {
            if to_stderr {
                let _ = writeln!(std::io::stderr(), "{line}");
            } else {
                let _ = writeln!(std::io::stdout(), "{line}");
            }
            if let Ok(mut l) = log.lock() {
                l.push_str(&line);
                l.push('\n');
            }
        }
    })
}

impl Cmd {
    /// Adds every `*.test.mjs` file under `dir` (relative to the workspace root), sorted.
    pub fn arg_glob(self, dir: &str) -> Self {
        let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
            .map(|p| {
                p.strip_prefix(root())
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        self.args(files)
    }
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `target/` in the workspace.
pub fn target_dir() -> std::path::PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}
