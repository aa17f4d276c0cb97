//! `cargo xtask test`: every check, one summary line per stage, non-zero exit if any fails.

use crate::run::{cmd, target_dir};
use crate::tools;

/// What one stage reported.
struct Outcome {
    name: &'static str,
    ok: bool,
    passed: u64,
    failed: u64,
    note: String,
}

/// Crates whose code only runs in a browser; their tests run in headless Chromium.
const BROWSER_CRATES: &[&str] = &["mostrador-idb", "mostrador-ui", "mostrador-widget"];

pub fn test_all(args: &[String]) -> Result<(), String> {
    let skip: Vec<String> = args
        .windows(2)
        .filter(|w| w[0] == "--skip")
        .flat_map(|w| w[1].split(',').map(str::to_string).collect::<Vec<_>>())
        .collect();
    tools::ensure_all()?;
    let env = tools::tool_path_env();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let wants = |name: &str| !skip.iter().any(|s| s == name);

    if wants("tidy") {
        let report = crate::tidy::run();
        let ok = report.violations.is_empty();
        let note = if ok {
            format!("{} checks clean", report.checks)
        } else {
            format!(
                "{} of {} checks failed; run cargo xtask tidy",
                report.checks - report.clean,
                report.checks
            )
        };
        outcomes.push(Outcome {
            name: "tidy",
            ok,
            passed: report.clean,
            failed: report.violations.len() as u64,
            note,
        });
    }
    if wants("fmt") {
        let (ok, _) = cmd("cargo").args(["fmt", "--all", "--check"]).tee()?;
        outcomes.push(Outcome::check(
            "fmt",
            ok,
            if ok { "formatted" } else { "run cargo fmt" },
        ));
    }
    if wants("clippy") {
        // The browser crates run only in browsers; clippy-wasm checks them for their target.
        let mut args = vec!["clippy", "--workspace", "--all-targets"];
        for c in BROWSER_CRATES {
            args.extend(["--exclude", c]);
        }
        args.extend(["--", "-D", "warnings"]);
        let (ok, log) = cmd("cargo").args(args).tee()?;
        outcomes.push(Outcome::lint("clippy-native", ok, &log));
        // A library's clippy for the browser, with `args` (a package and its features).
        let wasm_lib = |args: &[&str]| {
            cmd("cargo")
                .args(["clippy", "--target", "wasm32-unknown-unknown", "--lib"])
                .args(args)
                .args(["--", "-D", "warnings"])
                .tee()
        };
        // The core's tests use proptest, which does not build for wasm32; its library does.
        let (ok_core, log_core) = wasm_lib(&["-p", "mostrador-core"])?;
        let mut args = vec![
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
        ];
        for c in BROWSER_CRATES.iter().chain(&["mostrador-sync"]) {
            args.extend(["-p", c]);
        }
        args.extend(["--", "-D", "warnings"]);
        let (ok, log) = cmd("cargo").args(args).tee()?;
        // The package's two builds of the widget, with their split points: the portal without
        // the console, and the whole app.
        let widget = ["-p", "mostrador-widget", "--features", "split"];
        let (ok_portal, log_portal) =
            wasm_lib(&[&widget[..], &["--no-default-features"]].concat())?;
        let (ok_console, log_console) = wasm_lib(&widget)?;
        let ok = ok && ok_core && ok_portal && ok_console;
        let log = log_core + &log + &log_portal + &log_console;
        outcomes.push(Outcome::lint("clippy-wasm", ok, &log));
    }
    if wants("native") {
        let mut args = vec!["test", "--workspace"];
        for c in BROWSER_CRATES {
            args.extend(["--exclude", c]);
        }
        // The sync server's tests need PostgreSQL; they fail (not skip) when it is missing.
        let cluster = crate::postgres::start();
        let mut run = cmd("cargo")
            .args(args)
            .env(crate::postgres::REQUIRE_ENV, "1");
        match &cluster {
            Ok(c) => run = run.env(crate::postgres::URL_ENV, &c.url),
            Err(e) => eprintln!("postgres: {e}"),
        }
        let (ok, log) = run.tee()?;
        drop(cluster);
        outcomes.push(Outcome::counted("native", ok, cargo_counts(&log)));
    }
    if wants("browser") {
        let mut args = vec!["test", "--target", "wasm32-unknown-unknown"];
        for c in BROWSER_CRATES {
            args.extend(["-p", c]);
        }
        // The runner's default limit is 20 s for a whole test file in the browser; a shared
        // 2-core machine can take half of that for the store's file alone.
        let (ok, log) = cmd("cargo")
            .args(args)
            .envs(env.clone())
            .env("WASM_BINDGEN_TEST_TIMEOUT", "300")
            .tee()?;
        outcomes.push(Outcome::counted("browser", ok, cargo_counts(&log)));
    }
    let mut built = true;
    if wants("build") {
        let (ok, _) = cmd("trunk")
            .args(["build", "--release=true"])
            .envs(env.clone())
            .tee()?;
        built = ok;
        outcomes.push(Outcome::check(
            "build",
            ok,
            if ok {
                "dist/ and pkg/dist/ written"
            } else {
                "trunk build failed"
            },
        ));
    }
    // The end-to-end tests sync two browsers through the real server binary.
    let mut server_built = true;
    if wants("e2e") && built {
        let (ok, _) = cmd("cargo")
            .args([
                "build",
                "--quiet",
                "-p",
                "mostrador-server",
                "--bin",
                "mostrador-server",
            ])
            .tee()?;
        server_built = ok;
    }
    let mut e2e_env = env.clone();
    e2e_env.push((
        "MOSTRADOR_SERVER_BIN".into(),
        target_dir()
            .join("debug/mostrador-server")
            .display()
            .to_string(),
    ));
    for (name, dir) in [("e2e", "e2e"), ("packaging", "packaging")] {
        if !wants(name) {
            continue;
        }
        if !built {
            outcomes.push(Outcome::check(name, false, "not run: the build failed"));
            continue;
        }
        if name == "e2e" && !server_built {
            outcomes.push(Outcome::check(
                name,
                false,
                "not run: mostrador-server did not build",
            ));
            continue;
        }
        let (ok, log) = cmd("node")
            .args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
            .arg_glob(&format!("tests/{dir}"))
            .envs(e2e_env.clone())
            .tee()?;
        outcomes.push(Outcome::counted(name, ok, node_counts(&log)));
    }

    println!("\n== summary ==");
    let (mut passed, mut failed) = (0, 0);
    for o in &outcomes {
        passed += o.passed;
        failed += o.failed;
        let status = if o.ok { "ok  " } else { "FAIL" };
        println!(
            "{status} {:<14} {:>5} passed {:>4} failed  {}",
            o.name, o.passed, o.failed, o.note
        );
    }
    let stages_failed = outcomes.iter().filter(|o| !o.ok).count();
    println!("{passed} passed, {failed} failed");
    if stages_failed > 0 {
        Err(format!("{stages_failed} stage(s) failed"))
    } else {
        Ok(())
    }
}

impl Outcome {
    fn check(name: &'static str, ok: bool, note: &str) -> Self {
        Outcome {
            name,
            ok,
            passed: 0,
            failed: u64::from(!ok),
            note: note.to_string(),
        }
    }

    fn lint(name: &'static str, ok: bool, log: &str) -> Self {
        let problems = log
            .lines()
            .filter(|l| l.starts_with("error") || l.starts_with("warning"))
            .count();
        let note = if ok {
            "no warnings".to_string()
        } else {
            format!("{problems} diagnostics")
        };
        Outcome {
            name,
            ok,
            passed: 0,
            failed: u64::from(!ok),
            note,
        }
    }

    fn counted(name: &'static str, ok: bool, (passed, failed, ignored): (u64, u64, u64)) -> Self {
        // A runner that failed without reporting a failed test (a build error, a crash) still
        // counts as one failure.
        let failed = if !ok && failed == 0 { 1 } else { failed };
        let mut note = format!("{ignored} ignored");
        if !ok && passed + failed == 1 {
            note.push_str(", runner failed before reporting tests");
        }
        let ok = ok && passed > 0;
        if passed == 0 && failed == 0 {
            note = "ran no test".into();
        }
        Outcome {
            name,
            ok,
            passed,
            failed,
            note,
        }
    }
}

/// Sums `test result: ok. N passed; M failed; K ignored` lines from cargo test.
fn cargo_counts(log: &str) -> (u64, u64, u64) {
    let mut totals = (0, 0, 0);
    for line in log
        .lines()
        .filter(|l| l.trim_start().starts_with("test result:"))
    {
        totals.0 += number_before(line, " passed");
        totals.1 += number_before(line, " failed");
        totals.2 += number_before(line, " ignored");
    }
    totals
}

/// Reads the TAP summary (`# pass N`, `# fail N`, `# skipped N`) of node's test runner.
fn node_counts(log: &str) -> (u64, u64, u64) {
    let get = |key: &str| {
        log.lines()
            .filter_map(|l| l.strip_prefix(key))
            .filter_map(|n| n.trim().parse::<u64>().ok())
            .next_back()
            .unwrap_or(0)
    };
    (get("# pass "), get("# fail "), get("# skipped "))
}

fn number_before(line: &str, word: &str) -> u64 {
    line.find(word)
        .and_then(|end| {
            let head = &line[..end];
            let start = head
                .rfind(|c: char| !c.is_ascii_digit())
                .map_or(0, |i| i + 1);
            head[start..].parse().ok()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_counts_sum_every_test_binary() {
        let log = "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured\n\
                   noise\n   test result: FAILED. 3 passed; 2 failed; 0 ignored;\n";
        assert_eq!(cargo_counts(log), (15, 2, 1));
    }

    #[test]
    fn node_counts_read_the_tap_summary() {
        let log = "ok 1 - a\n# tests 3\n# pass 2\n# fail 1\n# skipped 0\n";
        assert_eq!(node_counts(log), (2, 1, 0));
    }

    #[test]
    fn a_runner_that_crashed_counts_as_a_failure() {
        let o = Outcome::counted("x", false, (0, 0, 0));
        assert!(!o.ok);
        assert_eq!(o.failed, 1);
        let o = Outcome::counted("x", true, (0, 0, 0));
        assert!(!o.ok, "a stage that ran no test is not a pass");
    }
}
