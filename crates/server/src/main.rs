//! `mostrador-server`: see `mostrador-server --help`.
//!
//! `mostrador-server ingest-mail [--database-url URL]` reads one raw message on standard input
//! and stores it (see `mostrador_server::inbound`), for an MTA's pipe. It prints the outcome in
//! one line and exits (sysexits, as MTAs read them):
//! - 0: stored, a duplicate, or refused on purpose (auto-generated, spoofed, malformed, too
//!   large): the MTA must not retry or bounce (a bounce to a forged or robot sender is
//!   backscatter);
//! - 75 (`EX_TEMPFAIL`): the database failed; the MTA keeps the message and retries;
//! - 78 (`EX_CONFIG`): incoming email is not configured, or the configuration is wrong;
//! - 74 (`EX_IOERR`): standard input could not be read.

use std::io::Read;
use std::process::ExitCode;

use mostrador_server::inbound::{Outcome, Refusal, max_message_bytes};
use mostrador_server::{AppState, Config, ServerError, serve};

const EX_IOERR: u8 = 74;
const EX_TEMPFAIL: u8 = 75;
const EX_CONFIG: u8 = 78;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let ingest = args.first().is_some_and(|a| a == "ingest-mail");
    if ingest {
        args.remove(0);
    }
    let config = match Config::from_args(&args, |k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(if ingest { EX_CONFIG } else { 2 });
        }
    };
    if ingest {
        return ingest_mail(config).await;
    }
    match serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mostrador-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn ingest_mail(config: Config) -> ExitCode {
    if config.inbound.address.is_none() {
        println!("{}", Outcome::Refused(Refusal::Disabled).line());
        return ExitCode::from(EX_CONFIG);
    }
    // One byte more than the limit: enough to know the message is over it.
    let limit = max_message_bytes(&config.limits);
    let mut raw = Vec::new();
    if let Err(e) = std::io::stdin()
        .lock()
        .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut raw)
    {
        eprintln!("mostrador-server ingest-mail: cannot read standard input: {e}");
        return ExitCode::from(EX_IOERR);
    }
    // Drained, so the MTA's pipe does not fail on a message over the limit.
    let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
    let state = match AppState::new(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mostrador-server ingest-mail: {e}");
            return ExitCode::from(match e {
                ServerError::Config(_) => EX_CONFIG,
                _ => EX_TEMPFAIL,
            });
        }
    };
    match state.ingest_mail(&raw).await {
        Ok(outcome) => {
            println!("{}", outcome.line());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mostrador-server ingest-mail: {e}; try again later");
            ExitCode::from(EX_TEMPFAIL)
        }
    }
}
