//! Command line and environment.

use std::net::SocketAddr;

use mostrador_core::settings::DomainSettings;

use crate::error::ServerError;

pub const DEFAULT_PORT: u16 = 8787;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub max_batch: usize,
    pub max_pull: u32,
    /// Per signed-in caller, per server process. 0 turns the limit off.
    pub requests_per_minute: u32,
    /// New anonymous sessions per client address per minute, per server process.
    pub anonymous_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 2 * 1024 * 1024,
            max_batch: mostrador_core::sync::MAX_BATCH,
            max_pull: mostrador_core::sync::MAX_PULL,
            requests_per_minute: 600,
            anonymous_per_minute: 20,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// `sqlite://FILE` (created if missing) or `postgres://…`.
    pub database_url: String,
    /// The secret shared with the host site's backend for signed customer tokens.
    pub customer_secret: Option<Vec<u8>>,
    /// Created as an admin agent at start if no agent of that id exists.
    pub bootstrap_admin: Option<(String, String)>,
    pub settings: DomainSettings,
    pub limits: Limits,
    /// How long agent and anonymous sessions last.
    pub session_ms: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)),
            database_url: "sqlite://mostrador.db".into(),
            customer_secret: None,
            bootstrap_admin: None,
            settings: DomainSettings::default(),
            limits: Limits::default(),
            session_ms: 30 * 24 * 3600 * 1000,
        }
    }
}

pub const USAGE: &str = "usage: mostrador-server [--listen ADDR:PORT] [--database-url URL] [--settings FILE]
  --listen ADDR:PORT   where to serve (default 127.0.0.1:8787)
  --database-url URL   sqlite://FILE (default sqlite://mostrador.db) or postgres://USER@HOST/DB
  --settings FILE      domain settings as JSON (custom fields, limits, priority matrix)
  --admin ID           create admin agent ID at start if missing; password from MOSTRADOR_ADMIN_PASSWORD
environment:
  MOSTRADOR_DATABASE_URL     instead of --database-url
  MOSTRADOR_CUSTOMER_SECRET  secret shared with the host site to verify signed customer tokens
  MOSTRADOR_ADMIN            ID:PASSWORD of a bootstrap admin (instead of --admin)
  MOSTRADOR_RATE_LIMIT       requests per minute per caller (default 600; 0 = off)";

impl Config {
    /// Reads the command line (without the program name) and the environment.
    pub fn from_args(
        args: &[String],
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ServerError> {
        let mut c = Config::default();
        if let Some(url) = env("MOSTRADOR_DATABASE_URL") {
            c.database_url = url;
        }
        c.customer_secret = env("MOSTRADOR_CUSTOMER_SECRET").map(String::into_bytes);
        if let Some(s) = &c.customer_secret
            && s.len() < 16
        {
            return Err(ServerError::Config(
                "MOSTRADOR_CUSTOMER_SECRET must be at least 16 bytes; use a long random string"
                    .into(),
            ));
        }
        if let Some(v) = env("MOSTRADOR_ADMIN") {
            let (id, pw) = v
                .split_once(':')
                .ok_or_else(|| ServerError::Config("MOSTRADOR_ADMIN must be ID:PASSWORD".into()))?;
            c.bootstrap_admin = Some((id.to_owned(), pw.to_owned()));
        }
        if let Some(v) = env("MOSTRADOR_RATE_LIMIT") {
            c.limits.requests_per_minute = v.parse().map_err(|_| {
                ServerError::Config(format!("MOSTRADOR_RATE_LIMIT must be a number, not {v:?}"))
            })?;
        }
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .cloned()
                    .ok_or_else(|| ServerError::Config(format!("{name} needs a value\n{USAGE}")))
            };
            match a.as_str() {
                "--listen" => {
                    let v = value("--listen")?;
                    c.listen = v.parse().map_err(|_| {
                        ServerError::Config(format!("--listen wants ADDR:PORT, not {v:?}"))
                    })?;
                }
                "--database-url" => c.database_url = value("--database-url")?,
                "--settings" => {
                    let path = value("--settings")?;
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        ServerError::Config(format!("cannot read settings {path}: {e}"))
                    })?;
                    c.settings = serde_json::from_str(&text).map_err(|e| {
                        ServerError::Config(format!("settings {path} are not valid: {e}"))
                    })?;
                }
                "--admin" => {
                    let id = value("--admin")?;
                    let pw = env("MOSTRADOR_ADMIN_PASSWORD").ok_or_else(|| {
                        ServerError::Config(
                            "--admin needs the password in MOSTRADOR_ADMIN_PASSWORD".into(),
                        )
                    })?;
                    c.bootstrap_admin = Some((id, pw));
                }
                "-h" | "--help" => return Err(ServerError::Config(USAGE.into())),
                other => {
                    return Err(ServerError::Config(format!(
                        "unknown argument {other:?}\n{USAGE}"
                    )));
                }
            }
        }
        if c.database_url.starts_with("sqlite://") && !c.database_url.contains('?') {
            // Let the pool create the file on first start.
            c.database_url.push_str("?mode=rwc");
        }
        Ok(c)
    }
}
