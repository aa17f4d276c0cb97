//! Command line and environment.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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
    /// Open TCP connections at most; further clients wait in the listen queue.
    pub max_connections: usize,
    /// Open TCP connections per peer address at most (0: no limit); further ones are closed at
    /// once. Behind a reverse proxy every connection comes from the proxy: raise it or turn it off.
    pub max_connections_per_peer: usize,
    /// How long a client may take to send a request's headers; then the connection is closed.
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body; then it gets 408.
    pub body_timeout: Duration,
    /// Open event streams at most, in all and per principal, per process.
    pub max_streams: usize,
    pub max_streams_per_principal: usize,
    /// How often an event stream checks that its session is still valid (revocations in this
    /// process are noticed at once; in other processes, and expiry, within this time).
    pub stream_recheck: Duration,
    /// The largest file a `PUT /v1/files/{sha256}` may carry (its body limit, on that route
    /// only).
    pub max_file_bytes: usize,
    /// Stored file bytes at most per ticket, counting every file its events announce.
    pub max_ticket_file_bytes: u64,
    /// Stored file bytes at most per customer, over all the tickets they are the requester of.
    pub max_customer_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 2 * 1024 * 1024,
            max_batch: mostrador_core::sync::MAX_BATCH,
            max_pull: mostrador_core::sync::MAX_PULL,
            requests_per_minute: 600,
            anonymous_per_minute: 20,
            max_connections: 512,
            max_connections_per_peer: 64,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_streams: 256,
            max_streams_per_principal: 8,
            stream_recheck: Duration::from_secs(15),
            max_file_bytes: 25 * 1024 * 1024,
            max_ticket_file_bytes: 100 * 1024 * 1024,
            max_customer_file_bytes: 200 * 1024 * 1024,
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
    /// The domain settings that seed a new database (see `desk`).
    pub settings: DomainSettings,
    /// The rest of the help desk's settings that seed a new database: profile, categories,
    /// agents, teams, routing rules, SLA policies (its `domain` part is not used: see
    /// `settings`). Stored as the workspace's first settings changes when the database holds
    /// none; after that the stored workspace is the truth and this is not read.
    pub desk: mostrador_core::config::Settings,
    pub limits: Limits,
    /// How long agent and anonymous sessions last.
    pub session_ms: i64,
    /// A header a trusted reverse proxy sets to the client's address (`X-Forwarded-For`,
    /// `X-Real-IP`, …); its last address is the client's. `None`: the TCP peer is the client.
    pub client_ip_header: Option<String>,
    /// How often the server runs the time-driven system rules over every runnable ticket (waking
    /// postponed tickets, closing resolved ones, SLA escalations, routing). `None`: never on a
    /// timer (pushes still run them for the tickets they touch).
    pub rules_interval: Option<std::time::Duration>,
    /// The widget's built files (the npm package's `dist/`), served under `/widget/` (see
    /// [`crate::widget`]). `None`: no `/widget/` routes.
    pub widget_dir: Option<PathBuf>,
    /// The origins (`scheme://host[:port]`, as browsers write them) whose pages may embed the
    /// served `frame.html`. Empty: only this server's own origin.
    pub embed_origins: Vec<String>,
    /// How webhook deliveries are paced: polling, retries, disabling (see [`crate::webhooks`]).
    pub webhooks: crate::webhooks::Timing,
    /// Outgoing email (see [`crate::email`]); `None`: no mail is queued or sent.
    pub email: Option<crate::email::EmailConfig>,
    /// Incoming email (see [`crate::inbound`]): off without an address.
    pub inbound: crate::inbound::InboundConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)),
            database_url: "sqlite://mostrador.db".into(),
            customer_secret: None,
            bootstrap_admin: None,
            settings: DomainSettings::default(),
            desk: mostrador_core::config::Settings::default(),
            limits: Limits::default(),
            session_ms: 30 * 24 * 3600 * 1000,
            client_ip_header: None,
            rules_interval: Some(std::time::Duration::from_secs(60)),
            widget_dir: None,
            embed_origins: Vec::new(),
            webhooks: crate::webhooks::Timing::default(),
            email: None,
            inbound: crate::inbound::InboundConfig::default(),
        }
    }
}

pub const USAGE: &str = "usage: mostrador-server [--listen ADDR:PORT] [--database-url URL] [--settings FILE]
                        [--widget-dir DIR] [--embed-origins \"ORIGIN ...\"]
  --listen ADDR:PORT   where to serve (default 127.0.0.1:8787)
  --database-url URL   sqlite://FILE (default sqlite://mostrador.db) or postgres://USER@HOST/DB
  --settings FILE      settings that seed a new database: domain settings as JSON (custom
                       fields, limits, priority matrix), or a whole desk's settings (with
                       \"domain\", agents, teams, routing, SLA); ignored once the database holds
                       settings (admins change them from the app)
  --admin ID           create admin agent ID at start if missing; password from MOSTRADOR_ADMIN_PASSWORD
  --widget-dir DIR     serve the widget's built files (the npm package's dist/) under /widget/
  --embed-origins \"ORIGIN ...\"  space-separated origins (https://shop.example) whose pages may
                       embed /widget/frame.html (default: none but this server's own)
environment:
  MOSTRADOR_DATABASE_URL     instead of --database-url
  MOSTRADOR_CUSTOMER_SECRET  secret shared with the host site to verify signed customer tokens
  MOSTRADOR_ADMIN            ID:PASSWORD of a bootstrap admin (instead of --admin)
  MOSTRADOR_RATE_LIMIT       requests per minute per caller (default 600; 0 = off)
  MOSTRADOR_CLIENT_IP_HEADER header a trusted proxy sets to the client address (X-Forwarded-For);
                             only set it behind a proxy that writes it
  MOSTRADOR_MAX_CONNECTIONS  open connections at most (default 512)
  MOSTRADOR_MAX_CONNECTIONS_PER_PEER  open connections per peer address (default 64, or no
                             limit when MOSTRADOR_CLIENT_IP_HEADER is set; 0 = no limit)
  MOSTRADOR_MAX_STREAMS      open event streams at most (default 256; 8 per principal)
  MOSTRADOR_HEADER_TIMEOUT   seconds a client may take to send a request's headers (default 10)
  MOSTRADOR_BODY_TIMEOUT     seconds a client may take to send a request's body (default 30)
  MOSTRADOR_RULES_INTERVAL   seconds between runs of the time-driven system rules over every
                             runnable ticket (default 60; 0 = only after pushes)
  MOSTRADOR_MAX_FILE_BYTES   largest attachment upload in bytes (default 26214400, 25 MiB)
  MOSTRADOR_MAX_TICKET_FILE_BYTES    stored attachment bytes per ticket (default 104857600)
  MOSTRADOR_MAX_CUSTOMER_FILE_BYTES  stored attachment bytes per customer (default 209715200)
  MOSTRADOR_WIDGET_DIR       instead of --widget-dir
  MOSTRADOR_EMBED_ORIGINS    instead of --embed-origins
  MOSTRADOR_SMTP_URL         turns email notices on: smtps://HOST:465 (implicit TLS) or
                             smtp://HOST:587?tls=required (STARTTLS); user:password@ may go
                             before HOST (URL-encoded); plain smtp:// only to a loopback relay
  MOSTRADOR_SMTP_USER, MOSTRADOR_SMTP_PASSWORD  SMTP credentials (instead of the URL's)
  MOSTRADOR_SMTP_CA_FILE     PEM file of CA certificates trusted besides the Mozilla roots,
                             for a private relay (read at startup)
  MOSTRADOR_SMTP_FROM        the sender, e.g. \"Help desk <help@shop.example>\" (required with
                             MOSTRADOR_SMTP_URL)
  MOSTRADOR_TICKET_URL       link to a ticket on your site, {code} and {id} replaced, e.g.
                             https://shop.example/help/tickets/{code} (the desk's profile
                             setting \"ticket_url\" wins when set; with neither, mail has no link)
  MOSTRADOR_SURVEY_URL       link to the satisfaction survey ({code}, {id}); default: the ticket's
  MOSTRADOR_PUBLIC_URL       this server's public address, for unsubscribe links (required with
                             MOSTRADOR_SMTP_URL), e.g. https://desk.shop.example
  MOSTRADOR_SMTP_RETRY_SECONDS  wait after a first failed send, doubled per retry up to an hour
                             (default 30)
  MOSTRADOR_INBOUND_ADDRESS  turns incoming email on: the help desk's address, e.g.
                             support@shop.example (replies go to support+TOKEN@shop.example);
                             mail is fed with `mostrador-server ingest-mail < message.eml`
  MOSTRADOR_INBOUND_SECRET   turns on POST /v1/inbound/email for inbound-mail services, with
                             Authorization: Bearer SECRET (at least 16 bytes)
usage: mostrador-server ingest-mail [--database-url URL]
  reads one raw message on standard input and stores it as a ticket or a reply (prints the
  outcome; exit 0 when stored or refused on purpose, 75 to retry later, 78 when not configured)";

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
        if let Some(h) = env("MOSTRADOR_CLIENT_IP_HEADER") {
            let h = h.trim().to_ascii_lowercase();
            if axum::http::HeaderName::from_bytes(h.as_bytes()).is_err() {
                return Err(ServerError::Config(format!(
                    "MOSTRADOR_CLIENT_IP_HEADER must be a header name, not {h:?}"
                )));
            }
            c.client_ip_header = (!h.is_empty()).then_some(h);
        }
        if let Some(v) = number(&env, "MOSTRADOR_RATE_LIMIT")? {
            c.limits.requests_per_minute = u32::try_from(v).unwrap_or(u32::MAX);
        }
        if let Some(v) = number(&env, "MOSTRADOR_MAX_CONNECTIONS")? {
            c.limits.max_connections = usize::try_from(v.max(1)).unwrap_or(usize::MAX);
        }
        if let Some(v) = number(&env, "MOSTRADOR_MAX_CONNECTIONS_PER_PEER")? {
            c.limits.max_connections_per_peer = usize::try_from(v).unwrap_or(usize::MAX);
        } else if c.client_ip_header.is_some() {
            // Behind a proxy every connection comes from the proxy: it limits per client.
            c.limits.max_connections_per_peer = 0;
        }
        if let Some(v) = number(&env, "MOSTRADOR_MAX_STREAMS")? {
            c.limits.max_streams = usize::try_from(v).unwrap_or(usize::MAX);
        }
        if let Some(v) = number(&env, "MOSTRADOR_HEADER_TIMEOUT")? {
            c.limits.header_timeout = Duration::from_secs(v.max(1));
        }
        if let Some(v) = number(&env, "MOSTRADOR_RULES_INTERVAL")? {
            c.rules_interval = (v > 0).then(|| std::time::Duration::from_secs(v));
        }
        if let Some(v) = number(&env, "MOSTRADOR_BODY_TIMEOUT")? {
            c.limits.body_timeout = Duration::from_secs(v.max(1));
        }
        if let Some(v) = number(&env, "MOSTRADOR_MAX_FILE_BYTES")? {
            c.limits.max_file_bytes = usize::try_from(v.max(1)).unwrap_or(usize::MAX);
        }
        if let Some(v) = number(&env, "MOSTRADOR_MAX_TICKET_FILE_BYTES")? {
            c.limits.max_ticket_file_bytes = v;
        }
        if let Some(v) = number(&env, "MOSTRADOR_MAX_CUSTOMER_FILE_BYTES")? {
            c.limits.max_customer_file_bytes = v;
        }
        c.email = email_config(&env)?;
        c.inbound = inbound_config(&env)?;
        let mut widget_dir = env("MOSTRADOR_WIDGET_DIR").map(|v| ("MOSTRADOR_WIDGET_DIR", v));
        let mut embed_origins =
            env("MOSTRADOR_EMBED_ORIGINS").map(|v| ("MOSTRADOR_EMBED_ORIGINS", v));
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
                    let invalid =
                        |e| ServerError::Config(format!("settings {path} are not valid: {e}"));
                    let value: serde_json::Value = serde_json::from_str(&text).map_err(invalid)?;
                    // A whole desk's settings (with a `domain` part) or only the domain settings.
                    if value.get("domain").is_some() {
                        let desk: mostrador_core::config::Settings =
                            serde_json::from_value(value).map_err(invalid)?;
                        c.settings = desk.domain.clone();
                        c.desk = desk;
                    } else {
                        c.settings = serde_json::from_value(value).map_err(invalid)?;
                    }
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
                "--widget-dir" => widget_dir = Some(("--widget-dir", value("--widget-dir")?)),
                "--embed-origins" => {
                    embed_origins = Some(("--embed-origins", value("--embed-origins")?));
                }
                "-h" | "--help" => return Err(ServerError::Config(USAGE.into())),
                other => {
                    return Err(ServerError::Config(format!(
                        "unknown argument {other:?}\n{USAGE}"
                    )));
                }
            }
        }
        if let Some((name, dir)) = widget_dir.filter(|(_, d)| !d.trim().is_empty()) {
            let dir = PathBuf::from(dir);
            if !dir.is_dir() {
                return Err(ServerError::Config(format!(
                    "{name} {} is not a directory; point it at the widget's built files (the npm \
                     package's dist/)",
                    dir.display()
                )));
            }
            c.widget_dir = Some(dir);
        }
        if let Some((name, list)) = embed_origins {
            for o in list.split_whitespace() {
                let origin = embed_origin(o).map_err(|why| {
                    ServerError::Config(format!("{name}: {o:?} is not an origin: {why}"))
                })?;
                if !c.embed_origins.contains(&origin) {
                    c.embed_origins.push(origin);
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

/// Outgoing email from the environment: `None` without `MOSTRADOR_SMTP_URL`. Errors never
/// repeat the URL or the password.
fn email_config(
    env: &impl Fn(&str) -> Option<String>,
) -> Result<Option<crate::email::EmailConfig>, ServerError> {
    let Some(smtp_url) = env("MOSTRADOR_SMTP_URL").filter(|u| !u.trim().is_empty()) else {
        return Ok(None);
    };
    let required = |name: &str| {
        env(name).filter(|v| !v.trim().is_empty()).ok_or_else(|| {
            ServerError::Config(format!("MOSTRADOR_SMTP_URL is set: set {name} too"))
        })
    };
    let credentials = match (env("MOSTRADOR_SMTP_USER"), env("MOSTRADOR_SMTP_PASSWORD")) {
        (Some(u), Some(p)) => Some((u, p)),
        (None, None) => None,
        _ => {
            return Err(ServerError::Config(
                "set both MOSTRADOR_SMTP_USER and MOSTRADOR_SMTP_PASSWORD, or neither".into(),
            ));
        }
    };
    let mut timing = crate::email::Timing::default();
    if let Some(v) = number(env, "MOSTRADOR_SMTP_RETRY_SECONDS")? {
        timing.retry_base = Duration::from_secs(v.max(1));
    }
    let cfg = crate::email::EmailConfig {
        smtp_url: smtp_url.trim().to_owned(),
        credentials,
        from: required("MOSTRADOR_SMTP_FROM")?,
        ticket_url: env("MOSTRADOR_TICKET_URL").filter(|v| !v.trim().is_empty()),
        survey_url: env("MOSTRADOR_SURVEY_URL").filter(|v| !v.trim().is_empty()),
        public_url: required("MOSTRADOR_PUBLIC_URL")?
            .trim_end_matches('/')
            .to_owned(),
        ca_pem: match env("MOSTRADOR_SMTP_CA_FILE").filter(|v| !v.trim().is_empty()) {
            Some(path) => Some(crate::email::read_ca_file(path.trim())?),
            None => None,
        },
        timing,
    };
    cfg.check().map_err(ServerError::Config)?;
    Ok(Some(cfg))
}

/// Incoming email from the environment. The secret is never repeated in errors.
fn inbound_config(
    env: &impl Fn(&str) -> Option<String>,
) -> Result<crate::inbound::InboundConfig, ServerError> {
    let address = env("MOSTRADOR_INBOUND_ADDRESS")
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty());
    let secret = env("MOSTRADOR_INBOUND_SECRET").filter(|s| !s.trim().is_empty());
    if let Some(a) = &address {
        let bare = a
            .rsplit_once('<')
            .map_or(a.as_str(), |(_, r)| r.trim_end_matches('>'))
            .trim();
        if !mostrador_core::validate::is_email_address(bare) || bare.contains('+') {
            return Err(ServerError::Config(format!(
                "MOSTRADOR_INBOUND_ADDRESS must be the help desk's address without a +tag, \
                 like support@shop.example, not {a:?}"
            )));
        }
    }
    if let Some(s) = &secret {
        if s.len() < 16 {
            return Err(ServerError::Config(
                "MOSTRADOR_INBOUND_SECRET must be at least 16 bytes; use a long random string"
                    .into(),
            ));
        }
        if address.is_none() {
            return Err(ServerError::Config(
                "MOSTRADOR_INBOUND_SECRET is set: set MOSTRADOR_INBOUND_ADDRESS too".into(),
            ));
        }
    }
    Ok(crate::inbound::InboundConfig { address, secret })
}

/// A non-negative whole number from the environment, if set.
fn number(env: &impl Fn(&str) -> Option<String>, name: &str) -> Result<Option<u64>, ServerError> {
    env(name)
        .map(|v| {
            v.trim().parse().map_err(|_| {
                ServerError::Config(format!("{name} must be a whole number, not {v:?}"))
            })
        })
        .transpose()
}

/// An origin as browsers serialize it (`scheme://host[:port]`, http or https, lowercase, without
/// the scheme's default port), or why `v` is not one.
pub fn embed_origin(v: &str) -> Result<String, String> {
    let (scheme, rest) = v
        .split_once("://")
        .ok_or("write it as scheme://host[:port], e.g. https://shop.example")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => "443",
        "http" => "80",
        _ => return Err("the scheme must be http or https".into()),
    };
    if rest.contains(['/', '?', '#']) {
        return Err("an origin has no path, query or fragment (not even a trailing /)".into());
    }
    if rest.contains('@') {
        return Err("an origin has no user name or password".into());
    }
    // The port follows the last colon outside an IPv6 literal's brackets.
    let (host, port) = match rest.rfind(':') {
        Some(i) if !rest[i..].contains(']') => (&rest[..i], Some(&rest[i + 1..])),
        _ => (rest, None),
    };
    let host = host.to_ascii_lowercase();
    let ipv6 = host.starts_with('[') && host.ends_with(']') && host.len() > 2;
    let host_ok = if ipv6 {
        host[1..host.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
    } else {
        !host.is_empty()
            && !host.starts_with(['.', '-'])
            && !host.ends_with('-')
            && !host.contains("..")
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    };
    if !host_ok {
        return Err(
            "the host must be a domain name (punycode for non-ASCII names) or an IP address".into(),
        );
    }
    let port = match port {
        None => None,
        Some(p) if p == default_port => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && !p.starts_with('0') => Some(p),
            _ => return Err("the port must be a number from 1 to 65535".into()),
        },
    };
    Ok(match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_env(vars: &[(&str, &str)]) -> Result<Config, ServerError> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_args(&[], move |k| {
            vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn incoming_email_needs_an_address_and_a_long_secret() {
        let c = with_env(&[
            ("MOSTRADOR_INBOUND_ADDRESS", " Help <support@shop.example> "),
            ("MOSTRADOR_INBOUND_SECRET", "0123456789abcdef-secret"),
        ])
        .unwrap();
        assert_eq!(
            c.inbound.address.as_deref(),
            Some("Help <support@shop.example>")
        );
        assert!(!format!("{:?}", c.inbound).contains("0123456789abcdef"));
        assert_eq!(with_env(&[]).unwrap().inbound.address, None);
        let short = [
            ("MOSTRADOR_INBOUND_ADDRESS", "support@shop.example"),
            ("MOSTRADOR_INBOUND_SECRET", "short"),
        ];
        assert!(with_env(&short).is_err());
        assert!(with_env(&[("MOSTRADOR_INBOUND_SECRET", "0123456789abcdef-secret")]).is_err());
        assert!(with_env(&[("MOSTRADOR_INBOUND_ADDRESS", "support+x@shop.example")]).is_err());
        assert!(with_env(&[("MOSTRADOR_INBOUND_ADDRESS", "not an address")]).is_err());
    }

    #[test]
    fn limits_and_the_proxy_header_come_from_the_environment() {
        let c = with_env(&[
            ("MOSTRADOR_CLIENT_IP_HEADER", " X-Forwarded-For "),
            ("MOSTRADOR_MAX_CONNECTIONS", "100"),
            ("MOSTRADOR_MAX_CONNECTIONS_PER_PEER", "0"),
            ("MOSTRADOR_MAX_STREAMS", "10"),
            ("MOSTRADOR_HEADER_TIMEOUT", "5"),
            ("MOSTRADOR_BODY_TIMEOUT", "7"),
        ])
        .unwrap();
        assert_eq!(c.client_ip_header.as_deref(), Some("x-forwarded-for"));
        assert_eq!(c.limits.max_connections, 100);
        assert_eq!(c.limits.max_connections_per_peer, 0);
        assert_eq!(c.limits.max_streams, 10);
        assert_eq!(c.limits.header_timeout, Duration::from_secs(5));
        assert_eq!(c.limits.body_timeout, Duration::from_secs(7));
        assert!(with_env(&[("MOSTRADOR_MAX_CONNECTIONS", "many")]).is_err());
        assert!(with_env(&[("MOSTRADOR_CLIENT_IP_HEADER", "not a header")]).is_err());
        let d = with_env(&[]).unwrap();
        assert_eq!(d.client_ip_header, None);
        assert_eq!(d.limits.max_connections_per_peer, 64);
        let proxied = with_env(&[("MOSTRADOR_CLIENT_IP_HEADER", "x-real-ip")]).unwrap();
        assert_eq!(proxied.limits.max_connections_per_peer, 0);
    }

    #[test]
    fn file_limits_come_from_the_environment() {
        let d = with_env(&[]).unwrap();
        assert_eq!(d.limits.max_file_bytes, 25 * 1024 * 1024);
        assert_eq!(d.limits.max_ticket_file_bytes, 100 * 1024 * 1024);
        assert_eq!(d.limits.max_customer_file_bytes, 200 * 1024 * 1024);
        let c = with_env(&[
            ("MOSTRADOR_MAX_FILE_BYTES", "1000"),
            ("MOSTRADOR_MAX_TICKET_FILE_BYTES", "2000"),
            ("MOSTRADOR_MAX_CUSTOMER_FILE_BYTES", "3000"),
        ])
        .unwrap();
        assert_eq!(c.limits.max_file_bytes, 1000);
        assert_eq!(c.limits.max_ticket_file_bytes, 2000);
        assert_eq!(c.limits.max_customer_file_bytes, 3000);
        assert!(with_env(&[("MOSTRADOR_MAX_FILE_BYTES", "big")]).is_err());
    }

    #[test]
    fn email_comes_from_the_environment_and_hides_its_secrets() {
        assert_eq!(with_env(&[]).unwrap().email, None);
        let base = [
            ("MOSTRADOR_SMTP_URL", "smtps://mail.example:465"),
            ("MOSTRADOR_SMTP_FROM", "Desk <help@shop.example>"),
            ("MOSTRADOR_TICKET_URL", "https://shop.example/t/{code}"),
            ("MOSTRADOR_PUBLIC_URL", "https://desk.shop.example/"),
        ];
        let c = with_env(&base).unwrap().email.unwrap();
        assert_eq!(c.public_url, "https://desk.shop.example");
        assert_eq!(c.credentials, None);
        let mut with_password = base.to_vec();
        with_password.push(("MOSTRADOR_SMTP_USER", "help"));
        with_password.push(("MOSTRADOR_SMTP_PASSWORD", "hunter2-secret"));
        with_password.push(("MOSTRADOR_SMTP_RETRY_SECONDS", "5"));
        let c = with_env(&with_password).unwrap();
        let e = c.email.as_ref().unwrap();
        assert_eq!(e.timing.retry_base, Duration::from_secs(5));
        assert!(!format!("{c:?}").contains("hunter2"));
        // Half the credentials, a missing sender, plain SMTP off loopback: refused, and the
        // message never repeats the URL's password.
        let mut half = base.to_vec();
        half.push(("MOSTRADOR_SMTP_USER", "help"));
        assert!(with_env(&half).is_err());
        assert!(with_env(&base[..1]).is_err());
        let mut plain = base.to_vec();
        plain[0] = ("MOSTRADOR_SMTP_URL", "smtp://u:hunter2@mail.example:25");
        let err = with_env(&plain).unwrap_err().to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn a_private_relays_ca_file_must_hold_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem").display().to_string();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let empty = empty.display().to_string();
        let garbled = dir.path().join("garbled.pem");
        std::fs::write(
            &garbled,
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let garbled = garbled.display().to_string();
        for path in [&missing, &empty, &garbled] {
            let env = [
                ("MOSTRADOR_SMTP_URL", "smtps://mail.example:465"),
                ("MOSTRADOR_SMTP_FROM", "Desk <help@shop.example>"),
                ("MOSTRADOR_PUBLIC_URL", "https://desk.shop.example/"),
                ("MOSTRADOR_SMTP_CA_FILE", path.as_str()),
            ];
            let err = with_env(&env).unwrap_err().to_string();
            assert!(err.contains("MOSTRADOR_SMTP_CA_FILE"), "{err}");
        }
    }

    #[test]
    fn the_rules_interval_comes_from_the_environment() {
        let d = with_env(&[]).unwrap();
        assert_eq!(d.rules_interval, Some(Duration::from_secs(60)));
        let c = with_env(&[("MOSTRADOR_RULES_INTERVAL", "5")]).unwrap();
        assert_eq!(c.rules_interval, Some(Duration::from_secs(5)));
        let off = with_env(&[("MOSTRADOR_RULES_INTERVAL", "0")]).unwrap();
        assert_eq!(off.rules_interval, None);
        assert!(with_env(&[("MOSTRADOR_RULES_INTERVAL", "soon")]).is_err());
    }
}
