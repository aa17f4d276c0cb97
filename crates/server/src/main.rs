//! `mostrador-server`: see `mostrador-server --help`.

use std::process::ExitCode;

use mostrador_server::{Config, serve};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_args(&args, |k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mostrador-server: {e}");
            ExitCode::FAILURE
        }
    }
}
