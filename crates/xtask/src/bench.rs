//! `cargo xtask bench`: every benchmark in one run, then one table of each figure beside its
//! reference (the plain JavaScript doing the same work, or the budget).
//!
//! Parts, in order (`--only store,load` or `--skip widget` choose):
//! - `store`: the IndexedDB store against plain JavaScript IndexedDB code, in headless Chromium
//!   (`crates/idb/tests/bench.rs`, the `wasm-bench` profile): bulk write, first pages and counts
//!   at 10k and 100k tickets, the built-in views; search at 100k tickets (the first query after
//!   opening, type-ahead against FlexSearch and MiniSearch in the same page, the index's memory),
//!   with the features `js-references` (those libraries, compiled in from `tests/node_modules`)
//!   and `search-snapshot` (the index kept across page loads, as in the console's build).
//! - `render`: the console's inbox row component (Leptos, keyed `<For>`) against plain JavaScript
//!   building the same rows with the DOM, in one page in headless Chromium
//!   (`crates/ui/tests/render_bench.rs`, the `wasm-bench` profile): create 1,000 rows, update
//!   every 10th, swap two, clear, until the DOM holds the change and until layout after it
//!   (goal: 1.3× plain JavaScript); then an import of 10,000 tickets through the console's Data
//!   page, with the browser's long tasks observed (goal: none over 200 ms).
//! - `sync`: push, then pull and fold, of 10,000 events through the server's own paths
//!   (`crates/server/examples/sync_bench.rs`).
//! - `load`: concurrent customers over loopback HTTP (`crates/server/examples/load.rs`; 10 s
//!   here unless `LOAD_SECONDS` says otherwise).
//! - `widget`: the release build's bytes to open the widget and the console (the build runs
//!   first), then the throttled click-to-typing times (`tests/packaging/throttled-open`).
//!
//! Benchmarks print figures and check that results are right; nothing here fails on a timing.
//! A part that fails to run is reported in the table and makes the command fail.

use crate::run::cmd;
use crate::tools;

/// One line of the final table.
struct Row {
    part: &'static str,
    figure: String,
    measured: String,
    reference: String,
    verdict: String,
}

impl Row {
    /// A figure printed for what it is, with no reference to hold it against.
    fn plain(part: &'static str, figure: String, measured: String) -> Row {
        Row {
            part,
            figure,
            measured,
            reference: "—".into(),
            verdict: "—".into(),
        }
    }
}

const PARTS: [&str; 5] = ["store", "render", "sync", "load", "widget"];

pub fn main(args: &[String]) -> Result<(), String> {
    let list = |flag: &str| -> Vec<String> {
        args.windows(2)
            .filter(|w| w[0] == flag)
            .flat_map(|w| w[1].split(',').map(str::to_owned).collect::<Vec<_>>())
            .collect()
    };
    let (only, skip) = (list("--only"), list("--skip"));
    if let Some(bad) = only
        .iter()
        .chain(&skip)
        .find(|p| !PARTS.contains(&p.as_str()))
    {
        return Err(format!(
            "no benchmark part {bad:?}; the parts are {}",
            PARTS.join(", ")
        ));
    }
    let wants =
        |p: &str| (only.is_empty() || only.iter().any(|o| o == p)) && !skip.iter().any(|s| s == p);
    tools::ensure_all()?;
    let env = tools::tool_path_env();
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    let mut note = |part: &'static str, ok: bool, log: &str, parse: fn(&str) -> Vec<Row>| {
        let found = parse(log);
        if !ok || found.is_empty() {
            failed.push(part);
            rows.push(Row {
                part,
                figure: "(did not run to the end)".into(),
                measured: "—".into(),
                reference: "—".into(),
                verdict: "FAILED".into(),
            });
        }
        rows.extend(found);
    };

    if wants("store") {
        let (ok, log) = cmd("cargo")
            .args([
                "test",
                "--profile",
                "wasm-bench",
                "-p",
                "mostrador-idb",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "bench",
                "--features",
                "js-references,search-snapshot",
                "--",
                "--include-ignored",
                "--nocapture",
            ])
            .envs(env.clone())
            .env("WASM_BINDGEN_TEST_TIMEOUT", "1800")
            .tee()?;
        note("store", ok, &log, store_rows);
    }
    if wants("render") {
        let (ok, log) = cmd("cargo")
            .args([
                "test",
                "--profile",
                "wasm-bench",
                "-p",
                "mostrador-ui",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "render_bench",
                "--",
                "--include-ignored",
                "--nocapture",
            ])
            .envs(env.clone())
            .env("WASM_BINDGEN_TEST_TIMEOUT", "1800")
            .tee()?;
        note("render", ok, &log, render_rows);
    }
    if wants("sync") {
        let (ok, log) = cmd("cargo")
            .args([
                "run",
                "--release",
                "-p",
                "mostrador-server",
                "--example",
                "sync_bench",
            ])
            .tee()?;
        note("sync", ok, &log, sync_rows);
    }
    if wants("load") {
        let seconds = std::env::var("LOAD_SECONDS").unwrap_or_else(|_| "10".into());
        let (ok, log) = cmd("cargo")
            .args([
                "run",
                "--release",
                "-p",
                "mostrador-server",
                "--example",
                "load",
            ])
            .env("LOAD_SECONDS", seconds)
            .tee()?;
        note("load", ok, &log, load_rows);
    }
    if wants("widget") {
        let (built, log) = cmd("trunk")
            .args(["build", "--release=true"])
            .envs(env.clone())
            .tee()?;
        note("widget", built, &log, size_rows);
        if built {
            let (ok, log) = cmd("node")
                .args([
                    "--test",
                    "--test-reporter=tap",
                    "tests/packaging/throttled-open.test.mjs",
                ])
                .envs(env.clone())
                .tee()?;
            note("widget", ok, &log, feel_rows);
        }
    }

    print_table(&rows);
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "benchmark parts that did not finish: {}",
            failed.join(", ")
        ))
    }
}

fn print_table(rows: &[Row]) {
    let today = crate::run::cmd("date")
        .args(["-u", "+%Y-%m-%d"])
        .read()
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("\n== benchmarks, {} on {cores} cores ==", today.trim());
    println!("| part | figure | measured | reference | ratio or verdict |");
    println!("|---|---|---:|---:|---|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} |",
            r.part, r.figure, r.measured, r.reference, r.verdict
        );
    }
}

/// The number before `unit` in `s` after `after` (e.g. `number_before(line, "store ", " ms")`).
fn number_after(s: &str, after: &str) -> Option<f64> {
    let rest = &s[s.find(after)? + after.len()..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ' '))
        .unwrap_or(rest.len());
    rest[..end].trim().parse().ok()
}

/// `bulk write …  store 9330.1 ms | plain JS 9919.0 ms | ratio 0.94`, `first page of 50 of
/// Unassigned (80000 tickets) at 100000: 11.2 ms`, `sidebar counts … at 100000: 1.4 ms`.
fn store_rows(log: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for line in log.lines() {
        if let (Some(ours), Some(plain)) = (
            number_after(line, " store "),
            number_after(line, "plain JS "),
        ) {
            let what = line[..line.find(" store ").unwrap_or(0)].trim().to_owned();
            let ratio = ours / plain;
            let verdict = if what.starts_with("bulk write") {
                format!("{ratio:.2} (budget 1.2)")
            } else {
                format!("{ratio:.2}")
            };
            rows.push(Row {
                part: "store",
                figure: what,
                measured: format!("{ours:.1} ms"),
                reference: format!("plain JS {plain:.1} ms"),
                verdict,
            });
        } else if let Some(row) = search_row(line) {
            rows.push(row);
        } else if let Some(rest) = line.strip_prefix("sync catch-up, ") {
            // `sync catch-up, events  10000– 20000:   4773.4 ms (  2095 events/s)`
            let Some((what, figures)) = rest.split_once(": ") else {
                continue;
            };
            let (Some(ms), Some(rate)) = (number_after(figures, ""), number_after(figures, "("))
            else {
                continue;
            };
            rows.push(Row {
                part: "store",
                figure: format!(
                    "sync catch-up (pull and apply), {}",
                    what.split_whitespace().collect::<Vec<_>>().join(" ")
                ),
                measured: format!("{ms:.0} ms"),
                reference: "—".into(),
                verdict: format!("{rate:.0} events/s"),
            });
        } else if line.starts_with("first page of 50 of ") || line.starts_with("sidebar counts ") {
            let Some((what, time)) = line.rsplit_once(": ") else {
                continue;
            };
            let Some(ms) = number_after(time, "") else {
                continue;
            };
            let budget = if line.starts_with("sidebar") {
                20.0
            } else {
                50.0
            };
            rows.push(Row {
                part: "store",
                figure: what.to_owned(),
                measured: format!("{ms:.1} ms"),
                reference: format!("budget {budget} ms"),
                verdict: if ms <= budget {
                    "within".into()
                } else {
                    "OVER".into()
                },
            });
        }
    }
    rows
}

/// `search type-ahead p95 at 100k: ours 0.412 ms | flexsearch 0.120 ms | ratio 3.43`, the first
/// query's `…: 1234.5 ms | goal 1000.0 ms | ratio 1.23` and the memory's `…: ours 61.2 MB |
/// minisearch 80.3 MB (JS heap growth) | ratio 0.76`.
fn search_row(line: &str) -> Option<Row> {
    let line = line.trim();
    if !line.starts_with("search ") {
        return None;
    }
    let (figure, rest) = line.split_once(": ")?;
    let mut parts = rest.split(" | ");
    let (measured, reference, ratio) = (parts.next()?, parts.next()?, parts.next()?);
    // May be negative (a heap that shrank), which `number_after` does not read.
    let ratio: f64 = ratio.trim().strip_prefix("ratio ")?.parse().ok()?;
    let goal = figure.starts_with("search first query") || figure.contains(" p95 ");
    Some(Row {
        part: "store",
        figure: figure.to_owned(),
        measured: measured.trim_start_matches("ours ").to_owned(),
        reference: reference.to_owned(),
        verdict: match (goal, ratio <= 1.0) {
            (true, true) => format!("{ratio:.2} (goal ≤ 1: met)"),
            (true, false) => format!("{ratio:.2} (goal ≤ 1: MISSED)"),
            (false, _) => format!("{ratio:.2}"),
        },
    })
}

/// `render create 1,000 rows   leptos 45.20 ms | plain JS 20.10 ms | ratio 2.25` (goal 1.3), and
/// the import's `import 10,000 tickets: 15000 events, 12.3 MB, through the Data page in 45678 ms`,
/// `import 10,000 tickets longest task: 1234 ms | goal 200 ms | 3 tasks over 200 ms, …` and
/// `import 10,000 tickets longest gap between timers: 1300 ms`.
fn render_rows(log: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for line in log.lines() {
        let line = line.trim();
        if let (Some(start), Some(ours), Some(plain)) = (
            line.strip_prefix("render "),
            number_after(line, " leptos "),
            number_after(line, "plain JS "),
        ) {
            let figure = start[..start.find(" leptos ").unwrap_or(0)].trim();
            let ratio = ours / plain;
            let met = if ratio <= 1.3 { "met" } else { "MISSED" };
            // The static view is a yardstick, not the inbox: no goal.
            let verdict = if figure.contains("static row view") {
                format!("{ratio:.2}")
            } else {
                format!("{ratio:.2} (goal ≤ 1.3: {met})")
            };
            rows.push(Row {
                part: "render",
                figure: figure.to_owned(),
                measured: format!("Leptos {ours:.2} ms"),
                reference: format!("plain JS {plain:.2} ms"),
                verdict,
            });
            continue;
        }
        if let Some((what, figures)) = line
            .strip_prefix("render ")
            .and_then(|l| l.split_once(": "))
        {
            if let Some(ms) = number_after(figures, "") {
                rows.push(Row::plain("render", what.to_owned(), format!("{ms:.2} ms")));
            }
            continue;
        }
        let Some(rest) = line.strip_prefix("import ") else {
            continue;
        };
        if let Some((what, figures)) = rest.split_once(" longest task: ") {
            let (Some(ms), Some(over)) = (
                number_after(figures, ""),
                number_after(figures, "goal 200 ms | "),
            ) else {
                continue;
            };
            rows.push(Row {
                part: "render",
                figure: format!("import {what}: longest task"),
                measured: format!("{ms:.0} ms"),
                reference: "goal 200 ms".into(),
                verdict: if over == 0.0 {
                    "met: none over 200 ms".into()
                } else {
                    format!("MISSED: {over:.0} over 200 ms")
                },
            });
        } else if let Some((what, figures)) = rest.split_once(" longest gap between timers: ") {
            if let Some(ms) = number_after(figures, "") {
                rows.push(Row::plain(
                    "render",
                    format!("import {what}: longest gap between timers"),
                    format!("{ms:.0} ms"),
                ));
            }
        } else if let Some((what, _)) = rest.split_once(": this browser reports no long tasks") {
            rows.push(Row::plain(
                "render",
                format!("import {what}: long tasks"),
                "not reported by the browser".into(),
            ));
        } else if let Some((what, figures)) = rest.split_once(": ") {
            let Some(ms) = number_after(figures, " through the Data page in ") else {
                continue;
            };
            let detail = figures.split_once(", through").map_or(figures, |(d, _)| d);
            rows.push(Row::plain(
                "render",
                format!("import {what} ({detail}) through the Data page"),
                format!("{:.1} s", ms / 1000.0),
            ));
        }
    }
    rows
}

/// `SQLite     push 10000 events in batches of 500: 489.12ms (20464 events/s) | pull 10000:
/// … + fold: … (123341 events/s) | customer pull of 180 visible events: 2.01ms`.
fn sync_rows(log: &str) -> Vec<Row> {
    log.lines()
        .filter(|l| l.contains(" push ") && l.contains("events/s"))
        .flat_map(|line| {
            let store = line.split_whitespace().next().unwrap_or("").to_owned();
            let push = number_after(line, "(").unwrap_or(0.0);
            let pull = line
                .split(" | ")
                .nth(1)
                .and_then(|p| number_after(p, "("))
                .unwrap_or(0.0);
            [
                Row::plain(
                    "sync",
                    format!("{store}: push 10k events"),
                    format!("{push:.0} events/s"),
                ),
                Row::plain(
                    "sync",
                    format!("{store}: pull and fold 10k events"),
                    format!("{pull:.0} events/s"),
                ),
            ]
        })
        .collect()
}

/// `SQLite: 20 clients, 10.0 s: 16130 requests (1613/s), …`, then `  push: p50 … p95 39.2 ms`
/// and `  errors: 0; acknowledged but not pullable: 0`.
fn load_rows(log: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut name = String::new();
    for line in log.lines() {
        if line.contains(" clients, ") && line.contains("requests (") {
            name = line.split(':').next().unwrap_or("").to_owned();
            let rate = number_after(line, "requests (").unwrap_or(0.0);
            rows.push(Row::plain(
                "load",
                format!("{name}: requests/s"),
                format!("{rate:.0}"),
            ));
        } else if let Some(rest) = line.trim_start().strip_prefix("push: ") {
            let p95 = number_after(rest, "p95 ").unwrap_or(0.0);
            rows.push(Row::plain(
                "load",
                format!("{name}: push p95"),
                format!("{p95:.1} ms"),
            ));
        } else if let Some(rest) = line.trim_start().strip_prefix("errors: ") {
            let errors = number_after(rest, "").unwrap_or(f64::NAN);
            let lost = number_after(rest, "not pullable: ").unwrap_or(f64::NAN);
            rows.push(Row {
                part: "load",
                figure: format!("{name}: errors, acknowledged but lost"),
                measured: format!("{errors}, {lost}"),
                reference: "0, 0".into(),
                verdict: if errors == 0.0 && lost == 0.0 {
                    "ok".into()
                } else {
                    "ERRORS".into()
                },
            });
        }
    }
    rows
}

/// The size report's `  open customer widget: 655215 <= 153600 brotli: over budget …`.
fn size_rows(log: &str) -> Vec<Row> {
    log.lines()
        .filter_map(|line| {
            let line = line.trim();
            let (what, rest) = line.split_once(": ")?;
            if !rest.contains(" brotli: ") {
                return None;
            }
            let size = number_after(rest, "")?;
            let budget = number_after(rest, "<= ")?;
            Some(Row {
                part: "widget",
                figure: format!("{what}, brotli bytes"),
                measured: format!("{size:.0}"),
                reference: format!("budget {budget:.0}"),
                verdict: format!("{:.2}× the budget", size / budget),
            })
        })
        .collect()
}

/// `throttled open, customer widget: 8400 ms from click to typing; 660 KB in 2 requests …`.
fn feel_rows(log: &str) -> Vec<Row> {
    log.lines()
        .filter_map(|line| {
            let rest = &line[line.find("throttled open, ")? + "throttled open, ".len()..];
            let (what, figures) = rest.split_once(": ")?;
            let ms = number_after(figures, "")?;
            let (_, downloaded) = figures.split_once("; ")?;
            Some(Row {
                part: "widget",
                figure: format!("{what}: throttled to typing"),
                measured: format!("{:.1} s", ms / 1000.0),
                reference: downloaded.to_owned(),
                verdict: "—".into(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_benchmarks_lines_are_read() {
        let store = "bulk write 10k tickets (same records)         store    9330.1 ms | plain JS    9919.0 ms | ratio 0.94\n\
                     first page of 50 of Unassigned (80000 tickets) at 100000: 11.2 ms\n\
                     sidebar counts of the 5 built-in views at 100000: 31.4 ms";
        let rows = store_rows(store);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].measured, "9330.1 ms");
        assert_eq!(rows[0].verdict, "0.94 (budget 1.2)");
        assert_eq!(rows[1].verdict, "within");
        assert_eq!(rows[2].verdict, "OVER");
        let sync = "SQLite     push 10000 events in batches of 500:  489.12ms ( 20464 events/s) | pull 10000:   70.1ms + fold:   11.0ms (123341 events/s) | customer pull of 180 visible events: 2.01ms";
        let rows = sync_rows(sync);
        assert_eq!(rows[0].measured, "20464 events/s");
        assert_eq!(rows[1].measured, "123341 events/s");
        let load = "SQLite: 20 clients, 10.0 s: 16130 requests (1613/s), 15320 events acknowledged (1532/s), 16224 pokes\n\
                    \x20 push: p50 21.5 ms, p95 39.2 ms, p99 58.6 ms\n\
                    \x20 errors: 0; acknowledged but not pullable: 0";
        let rows = load_rows(load);
        assert_eq!(
            rows.iter().map(|r| r.measured.as_str()).collect::<Vec<_>>(),
            ["1613", "39.2 ms", "0, 0"]
        );
        assert_eq!(rows[2].verdict, "ok");
        let sizes = "  loader: 8310 <= 10240 brotli: ok\n  open customer widget: 655215 <= 153600 brotli: over budget by 4.3x, under the ceiling 662000";
        let rows = size_rows(sizes);
        assert_eq!(rows[1].verdict, "4.27× the budget");
        let catch_up = "sync catch-up, events  10000– 20000:   4773.4 ms (  2095 events/s)\n\
                        sync catch-up, all 100000 events: 54262 ms (1843 events/s); 38462 tickets stored";
        let rows = store_rows(catch_up);
        assert_eq!(
            rows[0].figure,
            "sync catch-up (pull and apply), events 10000– 20000"
        );
        assert_eq!(
            (rows[0].measured.as_str(), rows[0].verdict.as_str()),
            ("4773 ms", "2095 events/s")
        );
        assert_eq!(rows[1].measured, "54262 ms");
        let search = "search first query at 100k (open + index + query): 2345.6 ms | goal 1000.0 ms | ratio 2.35\n\
                      search type-ahead at 100k, ours: 60 queries, 2400 hits, p50 0.100 ms, p95 0.400 ms\n\
                      search type-ahead p95 at 100k: ours 0.400 ms | flexsearch 0.500 ms | ratio 0.80\n\
                      search type-ahead p50 at 100k: ours 0.100 ms | minisearch 0.050 ms | ratio 2.00\n\
                      search memory at 100k: ours 61.2 MB | minisearch 80.3 MB (JS heap growth) | ratio 0.76\n\
                      search memory at 100k: ours 77.2 MB (estimate) | minisearch -20.4 MB (JS heap growth) | ratio -3.79";
        let rows = store_rows(search);
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[4].verdict, "-3.79");
        assert_eq!(
            rows[0].figure,
            "search first query at 100k (open + index + query)"
        );
        assert_eq!(
            (rows[0].measured.as_str(), rows[0].reference.as_str()),
            ("2345.6 ms", "goal 1000.0 ms")
        );
        assert_eq!(rows[0].verdict, "2.35 (goal ≤ 1: MISSED)");
        assert_eq!(rows[1].measured, "0.400 ms");
        assert_eq!(rows[1].reference, "flexsearch 0.500 ms");
        assert_eq!(rows[1].verdict, "0.80 (goal ≤ 1: met)");
        assert_eq!(rows[2].verdict, "2.00");
        assert_eq!(rows[3].reference, "minisearch 80.3 MB (JS heap growth)");
        let render = "render: medians of 10 runs, 1000 rows, the same page\n\
                      render create 1,000 rows                        leptos    45.20 ms | plain JS    20.10 ms | ratio 2.25\n\
                      render swap rows 2 and 999 (to layout)          leptos     2.00 ms | plain JS     1.60 ms | ratio 1.25\n\
                      render clear 1,000 rows, static row view            leptos    25.59 ms | plain JS    20.39 ms | ratio 1.25\n\
                      render the texts of 1,000 rows, made in Rust (inside the Leptos figures): 12.34 ms\n\
                      import 10,000 tickets: 15000 events, 12.3 MB, through the Data page in 45678 ms\n\
                      import 10,000 tickets longest task: 1234 ms | goal 200 ms | 3 tasks over 200 ms, 40 long tasks, 5000 ms in long tasks\n\
                      import 10,000 tickets longest gap between timers: 1300 ms";
        let rows = render_rows(render);
        assert_eq!(rows.len(), 7);
        assert_eq!(rows[0].figure, "create 1,000 rows");
        assert_eq!(
            (rows[0].measured.as_str(), rows[0].reference.as_str()),
            ("Leptos 45.20 ms", "plain JS 20.10 ms")
        );
        assert_eq!(rows[0].verdict, "2.25 (goal ≤ 1.3: MISSED)");
        assert_eq!(rows[1].figure, "swap rows 2 and 999 (to layout)");
        assert_eq!(rows[1].verdict, "1.25 (goal ≤ 1.3: met)");
        assert_eq!(rows[2].verdict, "1.26");
        assert_eq!(rows[3].measured, "12.34 ms");
        let rows = &rows[2..];
        assert_eq!(
            rows[2].figure,
            "import 10,000 tickets (15000 events, 12.3 MB) through the Data page"
        );
        assert_eq!(rows[2].measured, "45.7 s");
        assert_eq!(rows[3].measured, "1234 ms");
        assert_eq!(rows[3].verdict, "MISSED: 3 over 200 ms");
        assert_eq!(rows[4].measured, "1300 ms");
        let feel = "# throttled open, customer widget: 8400 ms from click to typing; 660 KB in 2 requests after the click";
        let rows = feel_rows(feel);
        assert_eq!(rows[0].measured, "8.4 s");
        assert_eq!(rows[0].reference, "660 KB in 2 requests after the click");
    }
}
