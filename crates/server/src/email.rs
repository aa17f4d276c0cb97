//! Outgoing email: the core's notices, queued durably and mailed over SMTP.
//!
//! **Outbox.** Which notices an event causes is the core's decision
//! ([`mostrador_core::notify::notices`]); the write path in [`crate::db`] stores them as rows of
//! `email_outbox` in the same transaction that stores the event (`enqueue!`), so a stored event
//! never lacks its mail, whoever stored it (a device's push, the system rules, the REST API), and
//! a crash or an SMTP outage loses none. Only when email is configured ([`EmailConfig`]): a
//! server without SMTP queues nothing.
//!
//! **Delivery.** A background task ([`spawn_mailer`]; on PostgreSQL one process at a time,
//! through an advisory lock) renders each due notice ([`render`]) and sends it; a notice is done
//! when the SMTP server accepted it, and marked sent in the database at once. A temporary failure
//! (an outage, a 4xx) is retried with exponential backoff ([`Timing::retry_base`] doubled per
//! attempt, at most [`Timing::retry_max`]); a permanent one (5xx) is given up and recorded. Each
//! notice has a fixed id, its `Message-ID`, the same on every attempt: should the process die
//! after the SMTP server took a message and before the database recorded it, the one resend
//! carries the same `Message-ID`, which receiving systems deduplicate on.
//!
//! **Mail.** In the recipient's language (es, en, pt), plain text and HTML (every user text
//! escaped, no remote images), the ticket's code in the subject, a link to the ticket from the
//! URL template ([`EmailConfig::ticket_url`]), `Auto-Submitted: auto-generated` (RFC 3834: other
//! robots do not answer it), the ticket's signed reply address in `Reply-To` when incoming mail
//! is on (see [`crate::inbound`]), and a signed one-click unsubscribe link (RFC 8058,
//! `List-Unsubscribe`) that stops that kind of notice for that address, no login needed
//! ([`unsubscribe_token`]; `GET`/`POST /v1/email/unsubscribe`, undone with
//! `POST /v1/email/resubscribe`). What an address unsubscribed from is its preferences
//! (`email_unsubscribes`); a notice for it is kept in the outbox as `skipped`.
//!
//! **TLS.** Implicit TLS (`smtps://`) or STARTTLS required (`smtp://…?tls=required`), through
//! rustls, trusting the Mozilla roots and, for a company's private relay, the CA certificates of
//! `MOSTRADOR_SMTP_CA_FILE` ([`EmailConfig::ca_pem`]). A certificate not trusted, or a server
//! that does not offer STARTTLS, fails the attempt before anything is sent: the notice stays in
//! the outbox with its error ("TLS failed"), retried like any temporary failure.
//!
//! The SMTP URL may carry credentials; it is never logged, and [`EmailConfig`]'s `Debug` hides it.

use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use hmac::{Hmac, Mac};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use mostrador_core::notify::{Language, Notice, NoticeKind};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{Db, with_pool};
use crate::error::ServerError;
use crate::{AppState, now_ms};

/// The PostgreSQL advisory lock the mailer holds ("mostem").
pub const MAIL_LOCK: i64 = 0x6d6f_7374_656d;
/// Where the signing key of unsubscribe links is kept (`meta`).
pub const KEY_META: &str = "email_unsubscribe_key";
/// Notices read per round at most.
const ROUND_ROWS: i64 = 200;
/// `email_unsubscribes.kind` of an address that wants no notice at all.
pub const ALL_KINDS: &str = "*";

/// How the mailer paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// How often it looks for due notices.
    pub poll: Duration,
    /// The wait after a first failed attempt; doubled after each further one.
    pub retry_base: Duration,
    /// The longest wait between attempts.
    pub retry_max: Duration,
    /// How long one SMTP exchange may take.
    pub timeout: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            poll: Duration::from_secs(2),
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_secs(3600),
            timeout: Duration::from_secs(30),
        }
    }
}

impl Timing {
    /// The wait before the next attempt after `attempts` failed ones (at least 1).
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(30));
        self.retry_base.saturating_mul(factor).min(self.retry_max)
    }
}

/// Outgoing email settings, from the environment (see [`crate::config`]).
#[derive(Clone, PartialEq, Eq)]
pub struct EmailConfig {
    /// `smtps://[user:pass@]host[:465]` (implicit TLS), `smtp://…?tls=required` (STARTTLS), or
    /// plain `smtp://` to a loopback address only. Secret: never logged.
    pub smtp_url: String,
    /// Overrides the URL's user and password when set (secret: never logged).
    pub credentials: Option<(String, String)>,
    /// The sender: `Help desk <help@shop.example>`.
    pub from: String,
    /// The link to a ticket on the company's site; `{code}` and `{id}` are replaced. The
    /// workspace's own (`Profile::ticket_url`, set from the app) wins when set; with neither,
    /// mail carries no link.
    pub ticket_url: Option<String>,
    /// The satisfaction survey's link (`{code}`, `{id}`); the ticket's link when unset.
    pub survey_url: Option<String>,
    /// This server's public address (`https://desk.shop.example`), for unsubscribe links.
    pub public_url: String,
    /// PEM certificates of the CAs trusted besides the Mozilla roots (a company's private
    /// relay), read from `MOSTRADOR_SMTP_CA_FILE` at startup ([`read_ca_file`]).
    pub ca_pem: Option<String>,
    pub timing: Timing,
}

impl std::fmt::Debug for EmailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailConfig")
            .field("smtp_url", &"<hidden>")
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| "<hidden>"),
            )
            .field("from", &self.from)
            .field("ticket_url", &self.ticket_url)
            .field("survey_url", &self.survey_url)
            .field("public_url", &self.public_url)
            .field("ca_pem", &self.ca_pem.as_ref().map(|_| "<PEM>"))
            .field("timing", &self.timing)
            .finish()
    }
}

impl EmailConfig {
    /// Checks what can be checked before the first mail: the sender, the URL's scheme and TLS.
    pub fn check(&self) -> Result<(), String> {
        self.from
            .parse::<Mailbox>()
            .map_err(|e| format!("MOSTRADOR_SMTP_FROM is not a mailbox ({e})"))?;
        let url = reqwest::Url::parse(&self.smtp_url)
            .map_err(|_| "MOSTRADOR_SMTP_URL is not a URL (smtps://host:465)".to_owned())?;
        let host = url.host_str().unwrap_or("");
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|a| a.is_loopback());
        match url.scheme() {
            "smtps" => {}
            "smtp" => {
                let tls = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v);
                match tls.as_deref() {
                    Some("required") => {}
                    _ if loopback => {}
                    _ => {
                        return Err(
                            "MOSTRADOR_SMTP_URL: use smtps://HOST:465 (implicit TLS) or \
                             smtp://HOST:587?tls=required (STARTTLS); plain smtp:// is for a \
                             relay on loopback only"
                                .into(),
                        );
                    }
                }
            }
            _ => return Err("MOSTRADOR_SMTP_URL must start with smtps:// or smtp://".into()),
        }
        for (name, t) in [
            ("MOSTRADOR_TICKET_URL", self.ticket_url.as_ref()),
            ("MOSTRADOR_SURVEY_URL", self.survey_url.as_ref()),
        ] {
            if let Some(t) = t
                && !(t.starts_with("https://") || t.starts_with("http://"))
            {
                return Err(format!(
                    "{name} must be an http(s) URL template such as https://shop.example/help/{{code}}"
                ));
            }
        }
        Ok(())
    }

    /// The SMTP transport.
    pub fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, ServerError> {
        // The URL is not echoed: it may hold a password.
        let mut b =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.smtp_url).map_err(|e| {
                ServerError::Config(format!("MOSTRADOR_SMTP_URL is not usable: {}", kind_of(&e)))
            })?;
        if let Some((user, pass)) = &self.credentials {
            b = b.credentials(Credentials::new(user.clone(), pass.clone()));
        }
        if let Some(pem) = &self.ca_pem {
            // The same TLS mode as the URL's, trusting the private CA as well.
            let url = reqwest::Url::parse(&self.smtp_url)
                .map_err(|_| ServerError::Config("MOSTRADOR_SMTP_URL is not a URL".into()))?;
            let host = url.host_str().unwrap_or_default().to_owned();
            let cert = Certificate::from_pem(pem.as_bytes()).map_err(|_| {
                ServerError::Config("MOSTRADOR_SMTP_CA_FILE holds no valid certificate".into())
            })?;
            let params = TlsParameters::builder(host)
                .add_root_certificate(cert)
                .build()
                .map_err(|_| {
                    ServerError::Config("MOSTRADOR_SMTP_CA_FILE holds no valid certificate".into())
                })?;
            let tls = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v);
            match (url.scheme(), tls.as_deref()) {
                ("smtps", _) => b = b.tls(Tls::Wrapper(params)),
                ("smtp", Some("required")) => b = b.tls(Tls::Required(params)),
                ("smtp", Some("opportunistic")) => b = b.tls(Tls::Opportunistic(params)),
                // Plain SMTP to a loopback relay: no TLS to trust anything for.
                _ => {}
            }
        }
        Ok(b.timeout(Some(self.timing.timeout)).build())
    }
}

/// An SMTP error described without its details (which may echo the URL).
fn kind_of(e: &lettre::transport::smtp::Error) -> String {
    match e.status() {
        Some(code) => format!("the SMTP server answered {code}"),
        None if e.is_timeout() => "timed out".into(),
        None if e.is_tls() => "TLS failed".into(),
        // A handshake refused (an untrusted certificate) comes as a connection error.
        None if let Some(tls) = tls_cause(e) => format!("TLS failed: {tls}"),
        // `Tls::Required` against a server that does not offer it: nothing was sent.
        None if e.to_string().contains("STARTTLS") => {
            "TLS failed: the SMTP server does not offer STARTTLS".into()
        }
        None => "connection or protocol error".into(),
    }
}

/// The rustls error behind an SMTP error, if any (its text names no secret).
fn tls_cause(e: &lettre::transport::smtp::Error) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(c) = cause {
        if let Some(t) = c.downcast_ref::<rustls::Error>() {
            return Some(t.to_string());
        }
        // `io::Error::source` skips the error it wraps.
        if let Some(t) = c
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(t.to_string());
        }
        cause = c.source();
    }
    None
}

/// Reads `MOSTRADOR_SMTP_CA_FILE`: PEM, one or more CA certificates. An unreadable file, or one
/// with no certificate in it, is an error naming the variable (and the path, not a secret).
pub fn read_ca_file(path: &str) -> Result<String, ServerError> {
    let pem = std::fs::read_to_string(path).map_err(|e| {
        ServerError::Config(format!("MOSTRADOR_SMTP_CA_FILE: cannot read {path} ({e})"))
    })?;
    let none = || {
        ServerError::Config(format!(
            "MOSTRADOR_SMTP_CA_FILE: {path} holds no PEM certificate \
             (-----BEGIN CERTIFICATE-----)"
        ))
    };
    if !pem.contains("-----BEGIN CERTIFICATE-----") {
        return Err(none());
    }
    let cert = Certificate::from_pem(pem.as_bytes()).map_err(|_| none())?;
    // Every certificate must be one a TLS client can trust.
    TlsParameters::builder("localhost".into())
        .add_root_certificate(cert)
        .build()
        .map_err(|_| none())?;
    Ok(pem)
}

/// A notice's fixed id (its idempotency id and `Message-ID` local part), from what identifies it.
pub fn notice_id(parts: &[&str]) -> String {
    let digest = Sha256::digest(parts.join("\u{1f}").as_bytes());
    format!("ntc_{}", &crate::auth::hex(&digest)[..32])
}

/// Queues, through `$conn` (the transaction storing event `$event` at sequence `$seq`), the
/// notices the core decides for it, given the ticket's state `$before` and `$after` and the
/// workspace settings `$settings`.
macro_rules! enqueue {
    ($conn:expr, $event:expr, $before:expr, $after:expr, $settings:expr, $seq:expr, $now:expr) => {
        if let Some(after) = $after {
            let notices = mostrador_core::notify::notices(
                $event,
                $before,
                after,
                $settings,
                mostrador_core::notify::Cause::default(),
            );
            for n in &notices {
                let address = n.to.address.to_lowercase();
                let id = crate::email::notice_id(&[&$event.id.0, n.kind.as_str(), &address]);
                let body =
                    serde_json::to_string(n).map_err(|e| ServerError::Internal(e.to_string()))?;
                sqlx::query(
                    "INSERT INTO email_outbox \
                     (id, ticket, event, seq, kind, recipient, notice, created_at, next_attempt_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (id) DO NOTHING",
                )
                .bind(&id)
                .bind(&$event.ticket.0)
                .bind(&$event.id.0)
                .bind(to_i64($seq))
                .bind(n.kind.as_str())
                .bind(&address)
                .bind(&body)
                .bind($now)
                .execute(&mut *$conn)
                .await?;
            }
        }
    };
}
pub(crate) use enqueue;

// ---- texts ----

/// HTML-escapes user text (`&`, `<`, `>`, quotes).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Fills a URL template: `{code}` and `{id}`, percent-encoded.
pub fn fill(template: &str, n: &Notice) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    template
        .replace("{code}", &enc(&n.code))
        .replace("{id}", &enc(&n.ticket.0))
}

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The fixed sentences of one notice in one language: (subject, lead, link label).
fn words(kind: NoticeKind, lang: Language) -> (&'static str, &'static str, &'static str) {
    use Language::*;
    use NoticeKind::*;
    match (kind, lang) {
        (TicketReceived, Es) => (
            "Recibimos tu solicitud",
            "Recibimos tu solicitud. Su código es {code}; lo necesitarás si nos escribes por ella.",
            "Ver la solicitud",
        ),
        (TicketReceived, En) => (
            "We received your request",
            "We received your request. Its code is {code}; keep it if you write to us about it.",
            "View the request",
        ),
        (TicketReceived, Pt) => (
            "Recebemos sua solicitação",
            "Recebemos sua solicitação. O código é {code}; guarde-o se nos escrever sobre ela.",
            "Ver a solicitação",
        ),
        (AgentReplied, Es) => (
            "Nueva respuesta",
            "{author} respondió a tu solicitud:",
            "Responder",
        ),
        (AgentReplied, En) => ("New reply", "{author} replied to your request:", "Reply"),
        (AgentReplied, Pt) => (
            "Nova resposta",
            "{author} respondeu à sua solicitação:",
            "Responder",
        ),
        (Resolved, Es) => (
            "Solicitud resuelta",
            "Marcamos tu solicitud como resuelta. ¿Cómo te atendimos? Cuéntanos en la encuesta.",
            "Responder la encuesta",
        ),
        (Resolved, En) => (
            "Request resolved",
            "We marked your request as resolved. How did we do? Tell us in the survey.",
            "Take the survey",
        ),
        (Resolved, Pt) => (
            "Solicitação resolvida",
            "Marcamos sua solicitação como resolvida. Como foi o atendimento? Conte na pesquisa.",
            "Responder à pesquisa",
        ),
        (AutoClosed, Es) => (
            "Solicitud cerrada",
            "Cerramos tu solicitud porque estaba resuelta y no recibimos más mensajes. Si el problema vuelve, escríbenos.",
            "Ver la solicitud",
        ),
        (AutoClosed, En) => (
            "Request closed",
            "We closed your request: it was resolved and we heard nothing more. If the problem comes back, write to us.",
            "View the request",
        ),
        (AutoClosed, Pt) => (
            "Solicitação encerrada",
            "Encerramos sua solicitação: estava resolvida e não recebemos mais mensagens. Se o problema voltar, escreva-nos.",
            "Ver a solicitação",
        ),
        (NewTicketInQueue, Es) => (
            "Nuevo ticket en tu cola",
            "{author} abrió un ticket en una cola que sigues.",
            "Abrir el ticket",
        ),
        (NewTicketInQueue, En) => (
            "New ticket in your queue",
            "{author} opened a ticket in a queue you follow.",
            "Open the ticket",
        ),
        (NewTicketInQueue, Pt) => (
            "Novo ticket na sua fila",
            "{author} abriu um ticket numa fila que você segue.",
            "Abrir o ticket",
        ),
        (AssignedToYou, Es) => (
            "Ticket asignado a ti",
            "Te asignaron este ticket.",
            "Abrir el ticket",
        ),
        (AssignedToYou, En) => (
            "Ticket assigned to you",
            "This ticket was assigned to you.",
            "Open the ticket",
        ),
        (AssignedToYou, Pt) => (
            "Ticket atribuído a você",
            "Este ticket foi atribuído a você.",
            "Abrir o ticket",
        ),
        (CustomerReplied, Es) => (
            "El cliente respondió",
            "{author} respondió:",
            "Abrir el ticket",
        ),
        (CustomerReplied, En) => (
            "The customer replied",
            "{author} replied:",
            "Open the ticket",
        ),
        (CustomerReplied, Pt) => (
            "O cliente respondeu",
            "{author} respondeu:",
            "Abrir o ticket",
        ),
        (SlaAtRisk, Es) => (
            "SLA en riesgo",
            "Este ticket está por incumplir su SLA.",
            "Abrir el ticket",
        ),
        (SlaAtRisk, En) => (
            "SLA at risk",
            "This ticket is about to breach its SLA.",
            "Open the ticket",
        ),
        (SlaAtRisk, Pt) => (
            "SLA em risco",
            "Este ticket está prestes a violar o SLA.",
            "Abrir o ticket",
        ),
        (SlaBreached, Es) => (
            "SLA incumplido",
            "Este ticket incumplió su SLA.",
            "Abrir el ticket",
        ),
        (SlaBreached, En) => (
            "SLA breached",
            "This ticket breached its SLA.",
            "Open the ticket",
        ),
        (SlaBreached, Pt) => ("SLA violado", "Este ticket violou o SLA.", "Abrir o ticket"),
    }
}

fn unsubscribe_words(lang: Language) -> &'static str {
    match lang {
        Language::Es => "No quiero recibir más avisos de este tipo",
        Language::En => "Stop notices like this one",
        Language::Pt => "Não quero mais avisos deste tipo",
    }
}

/// Whether `t` can be a link template (an http(s) URL).
pub fn is_url_template(t: &str) -> bool {
    t.starts_with("https://") || t.starts_with("http://")
}

/// The email of notice `n`: `link` to the ticket (or survey) if there is one, `unsubscribe` link.
pub fn render(n: &Notice, link: Option<&str>, unsubscribe: &str) -> Rendered {
    let (subject, lead, label) = words(n.kind, n.language);
    let author = n.author.as_deref().unwrap_or("");
    let lead_text = lead.replace("{code}", &n.code).replace("{author}", author);
    let lead_html = escape(lead)
        .replace("{code}", &format!("<strong>{}</strong>", escape(&n.code)))
        .replace("{author}", &escape(author));
    // One line: a subject with line breaks or control characters in it cannot add headers.
    let one_line: String = n
        .subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let subject = format!("[{}] {subject}: {}", n.code, one_line.trim());
    let mut text = format!("{}\n\n{}\n", n.subject, lead_text);
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body><p><strong>{}</strong> ({})</p><p>{}</p>",
        n.language.as_str(),
        escape(&subject),
        escape(&n.subject),
        escape(&n.code),
        lead_html
    );
    if let Some(m) = &n.message {
        for line in m.lines() {
            text.push_str("> ");
            text.push_str(line);
            text.push('\n');
        }
        html.push_str("<blockquote style=\"white-space:pre-wrap\">");
        html.push_str(&escape(m));
        html.push_str("</blockquote>");
    }
    if let Some(link) = link {
        text.push_str(&format!("\n{label}: {link}\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(link),
            escape(label)
        ));
    }
    text.push_str(&format!(
        "\n-- \n{}: {unsubscribe}\n",
        unsubscribe_words(n.language)
    ));
    html.push_str(&format!(
        "<hr><p><small><a href=\"{}\">{}</a></small></p></body></html>",
        escape(unsubscribe),
        escape(unsubscribe_words(n.language))
    ));
    Rendered {
        subject,
        text,
        html,
    }
}

// ---- unsubscribe ----

/// The signature of an unsubscribe link for `address` (lowercased) and `kind`.
pub fn unsubscribe_token(key: &str, address: &str, kind: &str) -> String {
    let mut m =
        <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes()).unwrap_or_else(|_| unreachable!());
    m.update(format!("unsubscribe\u{1f}{}\u{1f}{kind}", address.to_lowercase()).as_bytes());
    crate::auth::hex(&m.finalize().into_bytes())
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The unsubscribe link of a notice.
pub fn unsubscribe_url(public_url: &str, key: &str, address: &str, kind: &str) -> String {
    let address = address.to_lowercase();
    format!(
        "{}/v1/email/unsubscribe?a={}&k={}&s={}",
        public_url.trim_end_matches('/'),
        percent(&address),
        percent(kind),
        unsubscribe_token(key, &address, kind)
    )
}

#[derive(Debug, Deserialize)]
pub struct UnsubscribeQuery {
    a: String,
    k: String,
    s: String,
}

impl UnsubscribeQuery {
    fn verified(&self, key: &str) -> Result<(), ServerError> {
        let expected = unsubscribe_token(key, &self.a, &self.k);
        let same = expected.len() == self.s.len()
            && expected
                .bytes()
                .zip(self.s.bytes())
                .fold(0u8, |acc, (x, y)| acc | (x ^ y))
                == 0;
        let known = self.k == ALL_KINDS || NoticeKind::parse(&self.k).is_some();
        if same && known {
            Ok(())
        } else {
            Err(ServerError::Forbidden(
                "this unsubscribe link is not valid; use the link from the latest email".into(),
            ))
        }
    }
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width\"><title>{t}</title></head><body><h1>{t}</h1>{body}</body></html>",
        t = escape(title)
    ))
}

/// `GET /v1/email/unsubscribe`: a page with one button (link scanners that follow links must
/// not unsubscribe anyone); the button posts to the same address.
pub async fn unsubscribe_page(
    State(s): State<AppState>,
    q: Result<Query<UnsubscribeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ServerError> {
    let Query(q) =
        q.map_err(|_| ServerError::BadRequest("this unsubscribe link is incomplete".into()))?;
    let key = s.db.email_key().await?;
    q.verified(&key)?;
    let action = format!(
        "?a={}&k={}&s={}",
        percent(&q.a),
        percent(&q.k),
        percent(&q.s)
    );
    // Whoever holds a valid link for the address may also stop every kind of notice.
    let all = unsubscribe_url("", &key, &q.a, ALL_KINDS);
    let all_button = if q.k == ALL_KINDS {
        String::new()
    } else {
        format!(
            "<form method=\"post\" action=\"{}\"><button type=\"submit\">Unsubscribe from \
             every notice / De todos los avisos / De todos os avisos</button></form>",
            escape(&all)
        )
    };
    Ok(page(
        "Unsubscribe",
        &format!(
            "<p>Stop these notices to {}? / ¿Dejar de recibir estos avisos? / Parar estes avisos?</p>\
             <form method=\"post\" action=\"{}\"><button type=\"submit\">Unsubscribe</button></form>{}",
            escape(&q.a),
            escape(&action),
            all_button
        ),
    )
    .into_response())
}

/// `POST /v1/email/unsubscribe`: the one-click unsubscribe (RFC 8058); no login, the link's
/// signature is the proof.
pub async fn unsubscribe(
    State(s): State<AppState>,
    q: Result<Query<UnsubscribeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ServerError> {
    let Query(q) =
        q.map_err(|_| ServerError::BadRequest("this unsubscribe link is incomplete".into()))?;
    q.verified(&s.db.email_key().await?)?;
    s.db.unsubscribe(&q.a.to_lowercase(), &q.k, now_ms())
        .await?;
    let again = format!(
        "/v1/email/resubscribe?a={}&k={}&s={}",
        percent(&q.a),
        percent(&q.k),
        percent(&q.s)
    );
    Ok((
        StatusCode::OK,
        page(
            "Unsubscribed",
            &format!(
                "<p>Done. / Listo. / Pronto.</p><form method=\"post\" action=\"{}\">\
                 <button type=\"submit\">Undo / Deshacer / Desfazer</button></form>",
                escape(&again)
            ),
        ),
    )
        .into_response())
}

/// `POST /v1/email/resubscribe`: undoes an unsubscribe, with the same signed link.
pub async fn resubscribe(
    State(s): State<AppState>,
    q: Result<Query<UnsubscribeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ServerError> {
    let Query(q) = q.map_err(|_| ServerError::BadRequest("this link is incomplete".into()))?;
    q.verified(&s.db.email_key().await?)?;
    s.db.resubscribe(&q.a.to_lowercase(), &q.k).await?;
    Ok((
        StatusCode::OK,
        page(
            "Subscribed",
            "<p>These notices will come again. / Volverás a recibir estos avisos. / Você voltará \
             a receber estes avisos.</p>",
        ),
    )
        .into_response())
}

// ---- storage ----

/// A due notice.
#[derive(Debug, Clone)]
struct Due {
    id: String,
    kind: String,
    recipient: String,
    notice: String,
    attempts: i64,
}

/// One notice as the outbox holds it (for operators: never its text).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutboxRow {
    pub id: String,
    pub ticket: String,
    pub kind: String,
    pub recipient: String,
    pub created_at_ms: i64,
    pub attempts: i64,
    pub next_attempt_at_ms: i64,
    pub sent_at_ms: Option<i64>,
    pub skipped: Option<String>,
    pub last_error: Option<String>,
}

/// Notices listed by `GET /v1/admin/email/outbox` at most.
const LOG_ROWS: i64 = 200;

/// `GET /v1/admin/email/outbox`: the latest notices, newest first, with how sending went (never
/// their text). Admins only.
pub async fn list_outbox(
    State(s): State<AppState>,
    crate::api::Authed(p, _): crate::api::Authed,
) -> Result<axum::Json<Vec<OutboxRow>>, ServerError> {
    if !p.is_admin() {
        return Err(ServerError::Forbidden(
            "only admins see the email outbox".into(),
        ));
    }
    Ok(axum::Json(s.db.outbox_latest(LOG_ROWS).await?))
}

impl Db {
    /// The key unsubscribe links are signed with, made on first use.
    pub async fn email_key(&self) -> Result<String, ServerError> {
        match self.meta(KEY_META).await? {
            Some(k) => Ok(k),
            None => {
                self.meta_or_insert(KEY_META, &crate::auth::new_token())
                    .await
            }
        }
    }

    pub async fn unsubscribe(
        &self,
        address: &str,
        kind: &str,
        now_ms: i64,
    ) -> Result<(), ServerError> {
        let _writer = self.writer().await;
        with_pool!(self, p => sqlx::query(
            "INSERT INTO email_unsubscribes (address, kind, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (address, kind) DO NOTHING",
        )
        .bind(address)
        .bind(kind)
        .bind(now_ms)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn resubscribe(&self, address: &str, kind: &str) -> Result<(), ServerError> {
        let _writer = self.writer().await;
        with_pool!(self, p => sqlx::query(
            "DELETE FROM email_unsubscribes WHERE address = $1 AND kind = $2",
        )
        .bind(address)
        .bind(kind)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Whether `address` (lowercased) no longer wants notices of `kind`.
    pub async fn unsubscribed(&self, address: &str, kind: &str) -> Result<bool, ServerError> {
        let found = with_pool!(self, p => sqlx::query(
            "SELECT 1 FROM email_unsubscribes WHERE address = $1 AND (kind = $2 OR kind = $3)",
        )
        .bind(address)
        .bind(kind)
        .bind(ALL_KINDS)
        .fetch_optional(p)
        .await?
        .is_some());
        Ok(found)
    }

    /// Every notice of the outbox, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxRow>, ServerError> {
        self.outbox_rows("ORDER BY created_at, seq, id", i64::MAX)
            .await
    }

    /// The `limit` newest notices, newest first.
    pub async fn outbox_latest(&self, limit: i64) -> Result<Vec<OutboxRow>, ServerError> {
        self.outbox_rows("ORDER BY created_at DESC, seq DESC, id DESC", limit)
            .await
    }

    async fn outbox_rows(&self, order: &str, limit: i64) -> Result<Vec<OutboxRow>, ServerError> {
        let rows = with_pool!(self, p => {
            let rows = sqlx::query(&format!(
                "SELECT id, ticket, kind, recipient, created_at, attempts, next_attempt_at, \
                 sent_at, skipped, last_error FROM email_outbox {order} LIMIT $1"
            ))
            .bind(limit)
            .fetch_all(p)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(OutboxRow {
                    id: r.try_get(0)?,
                    ticket: r.try_get(1)?,
                    kind: r.try_get(2)?,
                    recipient: r.try_get(3)?,
                    created_at_ms: r.try_get(4)?,
                    attempts: r.try_get(5)?,
                    next_attempt_at_ms: r.try_get(6)?,
                    sent_at_ms: r.try_get(7)?,
                    skipped: r.try_get(8)?,
                    last_error: r.try_get(9)?,
                });
            }
            out
        });
        Ok(rows)
    }

    async fn due_notices(&self, now_ms: i64) -> Result<Vec<Due>, ServerError> {
        let rows = with_pool!(self, p => {
            let rows = sqlx::query(
                "SELECT id, kind, recipient, notice, attempts FROM email_outbox \
                 WHERE sent_at IS NULL AND skipped IS NULL AND next_attempt_at <= $1 \
                 ORDER BY created_at, seq, id LIMIT $2",
            )
            .bind(now_ms)
            .bind(ROUND_ROWS)
            .fetch_all(p)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(Due {
                    id: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    recipient: r.try_get(2)?,
                    notice: r.try_get(3)?,
                    attempts: r.try_get(4)?,
                });
            }
            out
        });
        Ok(rows)
    }

    /// Records how sending notice `id` went: sent, given up (`skipped`), or to retry at `retry_at`.
    async fn record_notice(
        &self,
        id: &str,
        outcome: &Outcome,
        now_ms: i64,
    ) -> Result<(), ServerError> {
        let _writer = self.writer().await;
        with_pool!(self, p => {
            let q = match outcome {
                Outcome::Sent => sqlx::query(
                    "UPDATE email_outbox SET sent_at = $1, attempts = attempts + 1, \
                     last_error = NULL WHERE id = $2",
                )
                .bind(now_ms)
                .bind(id),
                Outcome::Skipped(why) => sqlx::query(
                    "UPDATE email_outbox SET skipped = $1 WHERE id = $2",
                )
                .bind(why.clone())
                .bind(id),
                Outcome::Retry { at, error } => sqlx::query(
                    "UPDATE email_outbox SET attempts = attempts + 1, next_attempt_at = $1, \
                     last_error = $2 WHERE id = $3",
                )
                .bind(*at)
                .bind(error.clone())
                .bind(id),
            };
            q.execute(p).await?.rows_affected()
        });
        Ok(())
    }
}

/// How one notice went.
#[derive(Debug, Clone)]
enum Outcome {
    Sent,
    /// Not sent and not to be: unsubscribed, or refused for good by the SMTP server.
    Skipped(String),
    Retry {
        at: i64,
        error: String,
    },
}

/// The message of notice `id`, with its fixed `Message-ID`, linking to the ticket through
/// `site_ticket_url` (the workspace's template) or the server's. With `inbound` (the help desk's
/// incoming address, see [`crate::inbound`]), a notice to the ticket's requester carries the
/// ticket's signed reply address in `Reply-To`, so the customer's answer threads.
pub fn message(
    cfg: &EmailConfig,
    key: &str,
    id: &str,
    n: &Notice,
    site_ticket_url: Option<&str>,
    inbound: Option<&str>,
) -> Result<Message, ServerError> {
    let from: Mailbox = cfg
        .from
        .parse()
        .map_err(|e| ServerError::Config(format!("MOSTRADOR_SMTP_FROM is not a mailbox ({e})")))?;
    let to = Mailbox::new(
        (!n.to.name.trim().is_empty()).then(|| n.to.name.clone()),
        n.to.address.trim().parse().map_err(|e| {
            ServerError::BadRequest(format!("{:?} is not an email address ({e})", n.to.address))
        })?,
    );
    let ticket = site_ticket_url
        .filter(|t| is_url_template(t))
        .or(cfg.ticket_url.as_deref());
    let template = match (n.kind, &cfg.survey_url) {
        (NoticeKind::Resolved, Some(s)) => Some(s.as_str()),
        _ => ticket,
    };
    let link = template.map(|t| fill(t, n));
    let unsubscribe = unsubscribe_url(&cfg.public_url, key, &n.to.address, n.kind.as_str());
    let r = render(n, link.as_deref(), &unsubscribe);
    let domain = from.email.domain().to_owned();
    let header = |name: &'static str, value: String| {
        HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
    };
    let reply_to = inbound
        .filter(|_| n.to.agent.is_none())
        .and_then(|a| crate::inbound::reply_address(a, key, &n.code))
        .and_then(|a| a.parse().ok())
        .map(|a| Mailbox::new(from.name.clone(), a));
    let mut b = Message::builder().from(from).to(to);
    if let Some(r) = reply_to {
        b = b.reply_to(r);
    }
    b.subject(r.subject)
        .message_id(Some(format!("<{id}@{domain}>")))
        .raw_header(header("Auto-Submitted", "auto-generated".into()))
        .raw_header(header("X-Auto-Response-Suppress", "All".into()))
        .raw_header(header("List-Unsubscribe", format!("<{unsubscribe}>")))
        .raw_header(header(
            "List-Unsubscribe-Post",
            "List-Unsubscribe=One-Click".into(),
        ))
        .raw_header(header("X-Mostrador-Notice", n.kind.as_str().into()))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(r.text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(r.html),
                ),
        )
        .map_err(|e| ServerError::Internal(format!("cannot build notice {id}: {e}")))
}

impl AppState {
    /// One mail round: sends every due notice, oldest first, and records each outcome at once.
    /// Returns how many were attempted.
    pub async fn deliver_email(
        &self,
        cfg: &EmailConfig,
        smtp: &AsyncSmtpTransport<Tokio1Executor>,
    ) -> Result<usize, ServerError> {
        let round = async {
            let key = self.db.email_key().await?;
            let due = self.db.due_notices(now_ms()).await?;
            if due.is_empty() {
                return Ok(0);
            }
            // The workspace's link template, as the app last set it.
            let site = Some(self.settings().await?.profile.ticket_url).filter(|t| !t.is_empty());
            let inbound = self.config.inbound.address.as_deref();
            // A temporary failure ends the round (logged once, never the URL or the
            // credentials): while the SMTP server is down, each round costs one attempt, not one
            // per queued notice; the rest wait for the next round.
            let mut failed: Option<String> = None;
            let mut attempted = 0;
            for d in &due {
                attempted += 1;
                let outcome = if self.db.unsubscribed(&d.recipient, &d.kind).await? {
                    Outcome::Skipped("unsubscribed".into())
                } else {
                    match serde_json::from_str::<Notice>(&d.notice) {
                        Err(e) => Outcome::Skipped(format!("unreadable notice: {e}")),
                        Ok(n) => match message(cfg, &key, &d.id, &n, site.as_deref(), inbound) {
                            Err(e) => Outcome::Skipped(e.to_string()),
                            Ok(m) => match smtp.send(m).await {
                                Ok(_) => Outcome::Sent,
                                Err(e) if e.is_permanent() => {
                                    Outcome::Skipped(format!("refused: {}", kind_of(&e)))
                                }
                                Err(e) => {
                                    let attempts =
                                        u32::try_from(d.attempts.saturating_add(1)).unwrap_or(1);
                                    let wait = cfg.timing.backoff(attempts);
                                    Outcome::Retry {
                                        at: now_ms().saturating_add(
                                            i64::try_from(wait.as_millis()).unwrap_or(i64::MAX),
                                        ),
                                        error: kind_of(&e),
                                    }
                                }
                            },
                        },
                    }
                };
                match &outcome {
                    Outcome::Retry { error, .. } => failed = Some(error.clone()),
                    Outcome::Skipped(why) if why != "unsubscribed" => {
                        eprintln!("mostrador-server: email: notice {} not sent: {why}", d.id);
                    }
                    _ => {}
                }
                self.db.record_notice(&d.id, &outcome, now_ms()).await?;
                if failed.is_some() {
                    break;
                }
            }
            if let Some(error) = failed {
                eprintln!(
                    "mostrador-server: email: sending failed, retried later ({} queued): {error}",
                    due.len() + 1 - attempted
                );
            }
            Ok::<_, ServerError>(attempted)
        };
        Ok(self
            .db
            .exclusively(MAIL_LOCK, round)
            .await?
            .transpose()?
            .unwrap_or(0))
    }
}

impl Db {
    /// Queues notice `n` once (a later call with the same `id` queues nothing), after the
    /// ticket's events. Returns whether it was new.
    pub async fn enqueue_notice(
        &self,
        id: &str,
        n: &Notice,
        now_ms: i64,
    ) -> Result<bool, ServerError> {
        let body = serde_json::to_string(n).map_err(|e| ServerError::Internal(e.to_string()))?;
        let _writer = self.writer().await;
        let added = with_pool!(self, p => sqlx::query(
            "INSERT INTO email_outbox \
             (id, ticket, seq, kind, recipient, notice, created_at, next_attempt_at) \
             SELECT $1, $2, COALESCE(MAX(seq), 0), $3, $4, $5, $6, $6 FROM events \
             WHERE ticket = $2 ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(&n.ticket.0)
        .bind(n.kind.as_str())
        .bind(n.to.address.to_lowercase())
        .bind(&body)
        .bind(now_ms)
        .execute(p)
        .await?
        .rows_affected());
        Ok(added > 0)
    }
}

impl AppState {
    /// Queues the SLA notices of the active tickets whose clock is at risk or breached: once
    /// per ticket, moment and recipient (the notice id is derived from them, so a later sweep
    /// queues nothing new). Run by the system rules' sweep; nothing without email settings.
    /// Returns how many were queued.
    pub async fn enqueue_sla_notices(&self) -> Result<usize, ServerError> {
        if self.config.email.is_none() {
            return Ok(0);
        }
        let settings = self.settings().await?;
        let now = chrono::Utc::now();
        let mut queued = 0;
        for (id, t) in self
            .db
            .ticket_states_in(&mostrador_core::model::Status::ACTIVE)
            .await?
        {
            let Some(t) = t.filter(|t| t.opened && t.status.is_active()) else {
                continue;
            };
            // The snapshot has no thread, so it can only look more urgent than the ticket is:
            // what it shows is confirmed on the whole ticket.
            let zones = mostrador_core::zone::TzDatabase;
            let quick = mostrador_core::store::TicketSummary::of(&t, &settings, &zones, now);
            let due = |s: &mostrador_core::store::TicketSummary| {
                s.sla_breached_at
                    .map(|at| (true, at))
                    .or_else(|| s.sla_at_risk_at.filter(|a| *a <= now).map(|at| (false, at)))
            };
            if due(&quick).is_none() {
                continue;
            }
            let Some(full) = mostrador_core::apply::fold(&self.db.ticket_events(&id).await?) else {
                continue;
            };
            let summary = mostrador_core::store::TicketSummary::of(&full, &settings, &zones, now);
            let Some((breached, at)) = due(&summary) else {
                continue;
            };
            let moment = at.timestamp_millis().to_string();
            for n in mostrador_core::notify::sla_notices(&full, &settings, breached) {
                let nid = notice_id(&[&id, n.kind.as_str(), &moment, &n.to.address.to_lowercase()]);
                if self.db.enqueue_notice(&nid, &n, now_ms()).await? {
                    queued += 1;
                }
            }
        }
        Ok(queued)
    }
}

/// Starts the mailer: a round every [`Timing::poll`] until aborted. `None` without email
/// settings.
pub fn spawn_mailer(state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    let cfg = state.config.email.clone()?;
    Some(tokio::spawn(async move {
        let smtp = match cfg.transport() {
            Ok(t) => t,
            Err(e) => {
                eprintln!("mostrador-server: email: {e}");
                return;
            }
        };
        let mut tick = tokio::time::interval(cfg.timing.poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = state.deliver_email(&cfg, &smtp).await {
                eprintln!("mostrador-server: email: {e}");
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use mostrador_core::model::TicketId;
    use mostrador_core::notify::Recipient;

    use super::*;

    fn notice(kind: NoticeKind, language: Language) -> Notice {
        Notice {
            kind,
            to: Recipient {
                address: "Lucia@Example.com".into(),
                name: "Lucía".into(),
                agent: None,
            },
            language,
            ticket: TicketId("t 1".into()),
            code: "KQD-48213-ZPT".into(),
            subject: "<b>Factura</b>".into(),
            message: Some("<img src=x onerror=alert(1)>\nline 2".into()),
            author: Some("Ana & Co".into()),
        }
    }

    #[test]
    fn texts_escape_user_text_and_carry_the_code() {
        for lang in Language::ALL {
            for kind in NoticeKind::ALL {
                let r = render(
                    &notice(kind, lang),
                    Some("https://s/x?a=1&b=2"),
                    "https://d/u",
                );
                assert!(r.subject.starts_with("[KQD-48213-ZPT] "), "{}", r.subject);
                assert!(!r.html.contains("<img"), "{}", r.html);
                assert!(!r.html.contains("<b>Factura"), "{}", r.html);
                assert!(r.html.contains("https://s/x?a=1&amp;b=2"));
                assert!(r.text.contains("https://d/u"));
            }
        }
        let r = render(
            &notice(NoticeKind::AgentReplied, Language::Pt),
            Some("https://s"),
            "https://u",
        );
        assert!(r.text.contains("Responder: https://s"));
        let bare = render(
            &notice(NoticeKind::AutoClosed, Language::Es),
            None,
            "https://u",
        );
        assert!(!bare.text.contains("Ver la solicitud"), "{}", bare.text);
        assert!(r.text.contains("Ana & Co respondeu"), "{}", r.text);
        assert!(r.text.contains("> line 2"));
        assert!(r.html.contains("Ana &amp; Co"));
        let mut injected = notice(NoticeKind::Resolved, Language::En);
        injected.subject = "Hi\r\nBcc: x@evil.example".into();
        let r = render(&injected, None, "https://u");
        assert!(
            !r.subject.contains('\n') && !r.subject.contains('\r'),
            "{}",
            r.subject
        );
        let n = notice(NoticeKind::Resolved, Language::En);
        assert_eq!(
            fill("https://shop.example/t/{code}?id={id}", &n),
            "https://shop.example/t/KQD-48213-ZPT?id=t%201"
        );
    }

    #[test]
    fn unsubscribe_links_are_signed_per_address_and_kind() {
        let a = unsubscribe_token("k", "Lucia@Example.com", "resolved");
        assert_eq!(a, unsubscribe_token("k", "lucia@example.com", "resolved"));
        assert_ne!(
            a,
            unsubscribe_token("k", "lucia@example.com", "agent_replied")
        );
        assert_ne!(
            a,
            unsubscribe_token("other", "lucia@example.com", "resolved")
        );
        let url = unsubscribe_url("https://d/", "k", "a+b@x.example", "resolved");
        assert!(
            url.starts_with("https://d/v1/email/unsubscribe?a=a%2Bb%40x.example&k=resolved&s=")
        );
        let t = Timing::default();
        assert_eq!(t.backoff(1), Duration::from_secs(30));
        assert_eq!(t.backoff(2), Duration::from_secs(60));
        assert_eq!(t.backoff(100), Duration::from_secs(3600));
    }

    #[test]
    fn smtp_urls_need_tls_off_loopback() {
        let cfg = |url: &str| EmailConfig {
            smtp_url: url.into(),
            credentials: None,
            from: "Desk <help@shop.example>".into(),
            ticket_url: Some("https://shop.example/help/{code}".into()),
            survey_url: None,
            public_url: "https://desk.shop.example".into(),
            ca_pem: None,
            timing: Timing::default(),
        };
        assert!(cfg("smtps://u:p@mail.example:465").check().is_ok());
        assert!(cfg("smtp://mail.example:587?tls=required").check().is_ok());
        assert!(cfg("smtp://127.0.0.1:2525").check().is_ok());
        assert!(cfg("smtp://mail.example:25").check().is_err());
        assert!(cfg("http://mail.example").check().is_err());
        let shown = format!("{:?}", cfg("smtps://user:hunter2@mail.example"));
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
