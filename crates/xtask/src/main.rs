//! `cargo xtask <command>`: the project's two front doors and their helpers.
//!
//! - `demo`: install what is missing, build, and serve the app on http://127.0.0.1:8080 with
//!   IndexedDB storage (no server).
//! - `test`: install what is missing and run every check, printing one summary line per stage.
//! - `package`: write the npm package's generated files into `pkg/dist` (run by Trunk after
//!   each build).
//! - `tidy`: check the invariants the compiler does not (module docs, the JavaScript boundary,
//!   the core's dependencies, message placeholders, the loader's types); no build.
//! - `bench`: every benchmark in one run and a table of each figure beside its reference.
//! - `bloat`: where the bytes of the last release build's WebAssembly modules go, by crate
//!   (twiggy).
//! - `tools`: only install the pinned tools.
//! - `postgres`: start a throwaway PostgreSQL cluster on loopback for the sync server's tests.

mod bench;
mod bloat;
mod imports;
mod package;
mod postgres;
mod run;
mod stages;
mod tidy;
mod tools;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(),
        Some("test") => stages::test_all(&args[1..]),
        Some("package") => package::package_from_env(),
        Some("tidy") => tidy::main(),
        Some("tools") => tools::ensure_all(),
        Some("bloat") => bloat::main(),
        Some("bench") => bench::main(&args[1..]),
        Some("postgres") => postgres::hold(),
        _ => {
            eprintln!(
                "usage: cargo xtask <demo | test [--skip STAGE,...] | tidy | package | bench [--only|--skip PART,...] | bloat | tools>\n\
                 \n  demo     build and serve the app on http://127.0.0.1:8080\
                 \n  test     run every check (tidy, fmt, clippy, native, browser, e2e, packaging)\
                 \n  tidy     check the invariants the compiler does not (fast, no build)\
                 \n  bench    every benchmark, then one table of figures beside their references\
                 \n  bloat    where the release build's WebAssembly bytes go, by crate"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn demo() -> Result<(), String> {
    tools::ensure_all()?;
    println!("Serving Mostrador on http://127.0.0.1:8080 (Ctrl-C stops it).");
    run::cmd("trunk")
        .args([
            "serve",
            "--release=true",
            "--address",
            "127.0.0.1",
            "--port",
            "8080",
        ])
        .envs(tools::tool_path_env())
        .status_ok()
}
