//! Incoming email: a raw RFC 5322 message becomes a new ticket or a customer's reply.
//!
//! **Entry points.** `mostrador-server ingest-mail < message.eml` (an MTA's pipe; see
//! `main.rs` for its exit codes) and `POST /v1/inbound/email` with the raw message as the body
//! and `Authorization: Bearer <MOSTRADOR_INBOUND_SECRET>` (inbound-mail services). Both call
//! [`AppState::ingest_mail`]. Incoming mail is on when `MOSTRADOR_INBOUND_ADDRESS` is set (the
//! help desk's address, `support@shop.example`); the HTTP route also needs the secret.
//!
//! **Parsing** ([`parse`], pure) uses `mail-parser`: MIME, transfer encodings, RFC 2047 headers
//! and charsets; the text part is preferred, HTML-only mail is turned into text (scripts and
//! styles dropped); quoted history is trimmed ([`trim_quoted`]: "On … wrote:", "El … escribió:",
//! "Em … escreveu:", `>` lines, Outlook's "-----Original Message-----" and "From:/Sent:"
//! blocks) except in forwarded mail, whose forwarded content is the point. Auto-generated mail
//! (`Auto-Submitted` other than `no`, delivery reports, `Precedence: bulk/junk/list`,
//! mailer-daemon, postmaster and no-reply senders, an empty `Return-Path`, this server's own
//! notices) is refused, so two robots never talk to each other.
//!
//! **Threading** ([`AppState::ingest_mail`]), in order: (1) the reply address of the ticket,
//! `support+<token>@domain`, whose token is the ticket's code signed with the server's email key
//! ([`reply_token`]; outgoing notices to the requester carry it in `Reply-To`); (2)
//! `In-Reply-To`/`References` naming the `Message-ID` of a notice this server sent (the outbox
//! keeps which ticket each was for) or of a message it stored (the customer answering their own
//! mail); (3) the ticket's code in the subject (`[KQD-48213-ZPT]`, as
//! notices write it). A message threaded by (2) or (3) is posted only when its `From` is the
//! ticket's requester's email address; otherwise it is refused as spoofed (never posted on that
//! ticket, and no new ticket is opened either: the person can write without the code). A valid
//! token is enough by itself: only people who received the ticket's mail know it. A reply is
//! the core's `Reply` command decided as the ticket's customer (the same path as the REST API's
//! writes, [`crate::db::Db::write_inbound`]); a message that threads nowhere opens a ticket by
//! the Email channel, the sender as requester (customer id `email:<address>`).
//!
//! **Storage** is all or nothing: the size limits are checked before anything is written (the
//! raw message at most [`max_message_bytes`], each attachment at most
//! [`crate::Limits::max_file_bytes`], all of a ticket's files within
//! [`crate::Limits::max_ticket_file_bytes`], a customer's within
//! [`crate::Limits::max_customer_file_bytes`]); then the events, the attachments' bytes (where
//! ticket files go, `files` and `ticket_files`) and the message's Message-ID are stored in one
//! transaction. The same Message-ID ingested again stores nothing and answers what it became.
//! Attachments of types the help desk does not accept are left out, and a text longer than the
//! desk's message limit is cut ([`cut`]); the text says so either way.
//!
//! Message bodies and the secret are never logged.

use std::borrow::Cow;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use hmac::{Hmac, Mac};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use mostrador_core::code::TicketCode;
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::config::Settings;
use mostrador_core::ctx::{Ctx, SplitMix64};
use mostrador_core::decide::decide_sequence;
use mostrador_core::event::Event;
use mostrador_core::model::{
    Actor, Attachment, Channel, CustomerId, Requester, TicketId, TicketType,
};
use mostrador_core::sync::PushResult;
use mostrador_core::ticket::Ticket;
use mostrador_core::validate::attachment_type_allowed;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{Db, with_pool};
use crate::error::ServerError;
use crate::files::sha256_hex;
use crate::{AppState, Limits, now_ms};

/// The route of incoming email over HTTP.
pub const INBOUND_PATH: &str = "/v1/inbound/email";
/// The prefix of the customer id of people who wrote by email (`email:lucia@example.com`).
pub const CUSTOMER_PREFIX: &str = "email:";
/// Hex digits of the signature in a reply token (64 bits).
const TOKEN_SIG_HEX: usize = 16;

/// Incoming email settings, from the environment (see [`crate::config`]).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct InboundConfig {
    /// The help desk's address (`support@shop.example`): turns incoming mail on, and replies
    /// go to `support+<token>@shop.example`.
    pub address: Option<String>,
    /// The shared secret of `POST /v1/inbound/email` (never logged); without it the route is
    /// off (404).
    pub secret: Option<String>,
}

impl std::fmt::Debug for InboundConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboundConfig")
            .field("address", &self.address)
            .field("secret", &self.secret.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}

/// The largest raw message accepted: one attachment of the largest file size, base64-encoded
/// (4/3 of its bytes, plus line breaks), and a request body's worth of text and headers.
pub fn max_message_bytes(limits: &Limits) -> usize {
    limits
        .max_file_bytes
        .saturating_mul(4)
        .div_ceil(3)
        .saturating_add(limits.max_file_bytes / 38)
        .saturating_add(limits.max_body_bytes)
}

// ---- outcomes ----

/// Why a message was not stored. Each has a stable code ([`Refusal::code`]) and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Incoming mail is not configured (`MOSTRADOR_INBOUND_ADDRESS`).
    Disabled,
    /// Over a size limit: the message, an attachment or the ticket's files.
    TooLarge(String),
    /// Not a usable message: no sender, nothing to read.
    Malformed(String),
    /// Written by a program (an auto-reply, a bounce, a mailing list): never answered or stored.
    AutoGenerated(String),
    /// Threaded to a ticket whose requester is someone else, without its reply address.
    Spoofed(String),
    /// The help desk's rules refused it (a merged ticket, a subject too long, …).
    Rejected(String),
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Disabled => "disabled",
            Refusal::TooLarge(_) => "too_large",
            Refusal::Malformed(_) => "malformed",
            Refusal::AutoGenerated(_) => "auto_generated",
            Refusal::Spoofed(_) => "spoofed",
            Refusal::Rejected(_) => "rejected",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Refusal::Disabled => {
                "incoming email is off: set MOSTRADOR_INBOUND_ADDRESS to the help desk's address"
                    .into()
            }
            Refusal::TooLarge(m)
            | Refusal::Malformed(m)
            | Refusal::AutoGenerated(m)
            | Refusal::Spoofed(m)
            | Refusal::Rejected(m) => m.clone(),
        }
    }
}

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new ticket was opened.
    NewTicket { ticket: TicketId, code: String },
    /// Posted as the customer's reply on a ticket (or on the follow-up a closed ticket gets).
    Reply { ticket: TicketId, code: String },
    /// This Message-ID was stored before (as this ticket); nothing was stored now.
    Duplicate { ticket: TicketId, code: String },
    /// Not stored, on purpose.
    Refused(Refusal),
}

/// An outcome as JSON (the HTTP answer) and as the one line `ingest-mail` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeBody {
    /// `new_ticket`, `reply`, `duplicate` or `refused`.
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Why it was refused (see [`Refusal::code`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    pub message: String,
}

impl Outcome {
    pub fn body(&self) -> OutcomeBody {
        let stored = |outcome, t: &TicketId, c: &str, message: String| OutcomeBody {
            outcome,
            ticket: Some(t.0.clone()),
            code: Some(c.to_owned()),
            reason: None,
            message,
        };
        match self {
            Outcome::NewTicket { ticket, code } => {
                stored("new_ticket", ticket, code, format!("opened ticket {code}"))
            }
            Outcome::Reply { ticket, code } => stored(
                "reply",
                ticket,
                code,
                format!("added a reply to ticket {code}"),
            ),
            Outcome::Duplicate { ticket, code } => stored(
                "duplicate",
                ticket,
                code,
                format!("this message was stored before (ticket {code}); nothing changed"),
            ),
            Outcome::Refused(r) => OutcomeBody {
                outcome: "refused",
                ticket: None,
                code: None,
                reason: Some(r.code()),
                message: r.message(),
            },
        }
    }

    /// One line for logs: `new_ticket KQD-48213-ZPT: opened …`, `refused auto_generated: …`.
    pub fn line(&self) -> String {
        let b = self.body();
        let what = b.reason.or(b.code.as_deref()).unwrap_or_default();
        format!("{} {what}: {}", b.outcome, b.message)
    }
}

// ---- parsing (pure) ----

/// A file of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFile {
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// What a message says, as the help desk reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The `Message-ID`, without angle brackets.
    pub message_id: Option<String>,
    /// The sender's address, lowercased, and name.
    pub from: String,
    pub from_name: String,
    /// The subject as written (decoded).
    pub subject: String,
    /// The text, quoted history trimmed.
    pub text: String,
    /// Files of accepted types.
    pub files: Vec<MailFile>,
    /// Attachments left out: (name, type).
    pub refused_files: Vec<(String, String)>,
    /// `In-Reply-To` and `References`, without angle brackets.
    pub references: Vec<String>,
    /// Every recipient address (To, Cc, Delivered-To, X-Original-To), lowercased.
    pub recipients: Vec<String>,
}

/// Reads a raw message: refuses oversized, unparseable and auto-generated mail.
pub fn parse(raw: &[u8], limits: &Limits) -> Result<Mail, Refusal> {
    let max = max_message_bytes(limits);
    if raw.len() > max {
        return Err(Refusal::TooLarge(format!(
            "messages may have {max} bytes at most; this one has {}",
            raw.len()
        )));
    }
    let Some(m) = MessageParser::default().parse(raw) else {
        return Err(Refusal::Malformed("this is not an email message".into()));
    };
    if m.headers().is_empty() {
        return Err(Refusal::Malformed(
            "the message has no headers; is it an email message?".into(),
        ));
    }
    if let Some(why) = auto_generated(&m) {
        return Err(Refusal::AutoGenerated(why));
    }
    let from = m
        .from()
        .and_then(|a| a.first())
        .and_then(|a| Some((a.address()?.trim().to_lowercase(), a.name().unwrap_or(""))))
        .filter(|(a, _)| mostrador_core::validate::is_email_address(a));
    let Some((from, from_name)) = from else {
        return Err(Refusal::Malformed(
            "the message has no sender address (From)".into(),
        ));
    };
    if is_robot_sender(&from) {
        return Err(Refusal::AutoGenerated(format!(
            "sent by {from}, a mail system, not a person"
        )));
    }
    let text = body_text(&m);
    let mut files = Vec::new();
    let mut refused_files = Vec::new();
    for part in m.attachments() {
        let bytes: Cow<'_, [u8]> = match &part.body {
            PartType::Binary(b) | PartType::InlineBinary(b) => Cow::Borrowed(b.as_ref()),
            PartType::Text(t) | PartType::Html(t) => Cow::Borrowed(t.as_bytes()),
            PartType::Message(inner) => Cow::Borrowed(inner.raw_message()),
            PartType::Multipart(_) => continue,
        };
        let mime = part
            .content_type()
            .map(|c| match c.subtype() {
                Some(s) => format!("{}/{}", c.ctype(), s).to_ascii_lowercase(),
                None => c.ctype().to_ascii_lowercase(),
            })
            .unwrap_or_else(|| "application/octet-stream".into());
        let name = part
            .attachment_name()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| match &part.body {
                PartType::Message(inner) => {
                    format!("{}.eml", inner.subject().unwrap_or("message").trim())
                }
                _ => "attachment".into(),
            });
        // A file name is a name, never a path.
        let mut name: String = name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(mostrador_core::validate::limits::ATTACHMENT_NAME)
            .collect();
        if name.trim().is_empty() {
            name = "attachment".into();
        }
        let mime: String = mime
            .chars()
            .take(mostrador_core::validate::limits::ATTACHMENT_MIME)
            .collect();
        if attachment_type_allowed(&mime) {
            files.push(MailFile {
                name,
                mime,
                bytes: bytes.into_owned(),
            });
        } else {
            refused_files.push((name, mime));
        }
    }
    if text.trim().is_empty() && files.is_empty() {
        return Err(Refusal::Malformed(
            "the message has no text and no attachment to read".into(),
        ));
    }
    let mut references = Vec::new();
    for v in [m.in_reply_to(), m.references()] {
        if let Some(l) = v.as_text_list() {
            references.extend(l.iter().map(|s| s.to_string()));
        } else if let Some(s) = v.as_text() {
            references.push(s.to_owned());
        }
    }
    let mut recipients = Vec::new();
    for list in [m.to(), m.cc()].into_iter().flatten() {
        recipients.extend(
            list.iter()
                .filter_map(|a| a.address())
                .map(str::to_lowercase),
        );
    }
    for h in ["Delivered-To", "X-Original-To", "Envelope-To"] {
        for v in m.header_values(h) {
            if let Some(s) = v.as_text() {
                recipients.push(
                    s.trim()
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_lowercase(),
                );
            }
        }
    }
    Ok(Mail {
        message_id: m
            .message_id()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        from,
        from_name: from_name.trim().to_owned(),
        subject: m.subject().unwrap_or_default().trim().to_owned(),
        text,
        files,
        refused_files,
        references,
        recipients,
    })
}

/// Why a message was written by a program, if it was (RFC 3834 and common practice).
fn auto_generated(m: &mail_parser::Message<'_>) -> Option<String> {
    let raw = |name: &str| m.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    if let Some(v) = raw("Auto-Submitted") {
        let kind = v.split(';').next().unwrap_or_default().trim().to_owned();
        if kind != "no" {
            return Some(format!("an automatic message (Auto-Submitted: {kind})"));
        }
    }
    if m.root_part().is_content_type("multipart", "report")
        || m.parts.iter().any(|p| {
            p.is_content_type("message", "delivery-status")
                || p.is_content_type("message", "disposition-notification")
        })
    {
        return Some("a delivery or read report (bounce), not a message from a person".into());
    }
    if let Some(p) = raw("Precedence")
        && ["bulk", "junk", "list", "auto_reply"].contains(&p.as_str())
    {
        return Some(format!("bulk or list mail (Precedence: {p})"));
    }
    for h in ["X-Autoreply", "X-Autorespond", "X-Auto-Reply"] {
        if m.header_raw(h).is_some() {
            return Some(format!("an automatic reply ({h})"));
        }
    }
    if m.header_raw("X-Mostrador-Notice").is_some() {
        return Some("a notice this help desk sent (a mail loop)".into());
    }
    if raw("Return-Path").is_some_and(|v| v == "<>") {
        return Some("sent with an empty return path (a bounce or automatic notice)".into());
    }
    None
}

/// Mail systems' own addresses.
fn is_robot_sender(address: &str) -> bool {
    let local = address.split('@').next().unwrap_or_default();
    matches!(
        local,
        "mailer-daemon" | "postmaster" | "noreply" | "no-reply" | "do-not-reply" | "donotreply"
    )
}

/// The message's text: its text/plain parts, or its HTML turned into text; quoted history
/// trimmed unless it is forwarded mail.
fn body_text(m: &mail_parser::Message<'_>) -> String {
    let mut text = String::new();
    if m.text_body_count() > 0 {
        for (i, _) in m.text_bodies().enumerate() {
            if let Some(t) = m.body_text(i) {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&t);
            }
        }
    } else if let Some(t) = m.body_text(0) {
        text.push_str(&t);
    }
    let text = text.replace("\r\n", "\n").replace('\u{a0}', " ");
    trim_quoted(&text)
}

/// Lines that introduce forwarded mail.
const FORWARD_MARKERS: &[&str] = &[
    "---------- forwarded message",
    "-------- forwarded message",
    "begin forwarded message:",
    "---------- mensaje reenviado",
    "-------- mensaje reenviado",
    "---------- mensagem encaminhada",
    "-------- mensagem encaminhada",
    "inicio del mensaje reenviado:",
    "início da mensagem reencaminhada:",
];

/// Lines after which everything is the quoted message (Outlook and others).
const ORIGINAL_MARKERS: &[&str] = &[
    "-----original message-----",
    "-----mensaje original-----",
    "-----mensagem original-----",
    "----- original message -----",
];

/// Whether `line` (with `prev`, the line before it, for attributions that wrap) is a reply
/// attribution: "On … wrote:", "El … escribió:", "Em … escreveu:", "Le … a écrit :".
/// Returns how many lines it takes (1, or 2 when it wraps).
fn attribution(prev: Option<&str>, line: &str) -> Option<usize> {
    let l = line.trim().to_lowercase();
    let ends = [
        "wrote:",
        "escribió:",
        "escreveu:",
        "a écrit :",
        "a écrit:",
        "schrieb:",
    ];
    if !ends.iter().any(|e| l.ends_with(e)) {
        return None;
    }
    let starts = ["on ", "el ", "em ", "le ", "am ", "en "];
    if starts.iter().any(|s| l.starts_with(s)) {
        return Some(1);
    }
    let p = prev?.trim().to_lowercase();
    starts.iter().any(|s| p.starts_with(s)).then_some(2)
}

/// Whether line `i` starts an Outlook header block ("From: … / Sent: …", "De: … / Enviado: …").
fn outlook_header(lines: &[&str], i: usize) -> bool {
    let l = lines[i].trim().to_lowercase();
    if !(l.starts_with("from:") || l.starts_with("de:")) {
        return false;
    }
    lines.iter().skip(i + 1).take(4).any(|n| {
        let n = n.trim().to_lowercase();
        ["sent:", "enviado:", "enviada:", "date:", "fecha:", "data:"]
            .iter()
            .any(|k| n.starts_with(k))
    })
}

/// Trims the quoted history of a reply: from an attribution line ("On … wrote:") or an
/// Outlook original-message block on, when there is new text before it; `>` lines anywhere;
/// the signature after a `-- ` line. Forwarded mail is kept whole (its forwarded part is what
/// the sender means to share).
pub fn trim_quoted(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let forwarded = lines.iter().any(|l| {
        let l = l.trim().to_lowercase();
        FORWARD_MARKERS.iter().any(|m| l.starts_with(m))
    });
    if forwarded {
        return tidy(&lines);
    }
    let mut kept: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let l = line.trim().to_lowercase();
        let has_text = kept.iter().any(|k| !k.trim().is_empty());
        if l == "--" && line.trim_end_matches(['\r', '\n']) == "-- " && has_text {
            break;
        }
        let cut = ORIGINAL_MARKERS.iter().any(|m| l.starts_with(m))
            || (l.starts_with("________________")
                && lines
                    .get(i + 1)
                    .is_some_and(|_| outlook_header(&lines, i + 1)))
            || outlook_header(&lines, i);
        if cut && has_text {
            break;
        }
        if let Some(n) = attribution(i.checked_sub(1).map(|p| lines[p]), line) {
            if n == 2 {
                kept.pop();
            }
            if kept.iter().any(|k| !k.trim().is_empty()) {
                break;
            }
            continue;
        }
        if l.starts_with('>') {
            continue;
        }
        kept.push(line);
    }
    tidy(&kept)
}

/// Trailing spaces off each line, at most one blank line in a row, none at the ends.
fn tidy(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = false;
    for l in lines {
        let l = l.trim_end();
        if l.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(l);
    }
    out
}

/// `text` within `max` characters: a longer text is cut, and says so (a long message is not
/// refused for its length).
pub fn cut(text: &str, max: usize) -> String {
    const NOTE: &str = "\n\n[… the rest of this email was cut: it was too long]";
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let keep = max.saturating_sub(NOTE.chars().count());
    let mut out: String = text.chars().take(keep).collect();
    out.push_str(NOTE);
    out
}

/// The subject without reply and forward prefixes (`Re:`, `Fwd:`, `RV:`, `Enc:`, …) and
/// without a ticket code tag.
pub fn clean_subject(subject: &str) -> String {
    const PREFIXES: &[&str] = &[
        "re:", "re :", "fwd:", "fwd :", "fw:", "fw :", "rv:", "enc:", "res:", "aw:", "wg:", "tr:",
        "sv:",
    ];
    let mut s = subject.trim().to_owned();
    while let Some(p) = PREFIXES
        .iter()
        .find(|p| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)))
    {
        s = s[p.len()..].trim_start().to_owned();
    }
    if let Some(code) = subject_code(&s) {
        for tag in [format!("[{code}]"), format!("[#{code}]")] {
            let at = s.char_indices().map(|(i, _)| i).find(|&i| {
                s.get(i..i + tag.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(&tag))
            });
            if let Some(i) = at {
                s.replace_range(i..i + tag.len(), "");
            }
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ticket code in a subject: `[KQD-48213-ZPT]` or `[#KQD-48213-ZPT]`.
pub fn subject_code(subject: &str) -> Option<TicketCode> {
    let mut rest = subject;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let close = after.find(']')?;
        let inner = after[..close].trim().trim_start_matches('#');
        if inner.len() <= 16
            && let Ok(code) = TicketCode::parse(inner)
        {
            return Some(code);
        }
        rest = &after[close..];
    }
    None
}

// ---- reply addresses ----

fn signature(key: &str, code: &str) -> String {
    let mut m =
        <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes()).unwrap_or_else(|_| unreachable!());
    m.update(format!("reply\u{1f}{}", code.to_uppercase()).as_bytes());
    crate::auth::hex(&m.finalize().into_bytes())[..TOKEN_SIG_HEX].to_owned()
}

/// The reply token of the ticket with `code`: the code and its signature, lowercase
/// (`kqd-48213-zpt-0123456789abcdef`), so it survives MTAs that lowercase addresses.
pub fn reply_token(key: &str, code: &str) -> String {
    format!("{}-{}", code.to_lowercase(), signature(key, code))
}

/// The ticket code a token names, if its signature is right (compared in constant time).
pub fn verify_token(key: &str, token: &str) -> Option<TicketCode> {
    let (code, sig) = token.trim().rsplit_once('-')?;
    let code = TicketCode::parse(code).ok()?;
    let expected = signature(key, code.as_str());
    let sig = sig.to_ascii_lowercase();
    (constant_eq(expected.as_bytes(), sig.as_bytes())).then_some(code)
}

/// The reply address of a ticket: `support+<token>@shop.example` for inbound address
/// `support@shop.example`.
pub fn reply_address(inbound: &str, key: &str, code: &str) -> Option<String> {
    let (local, domain) = address_parts(inbound)?;
    Some(format!("{local}+{}@{domain}", reply_token(key, code)))
}

/// The bare address of `Name <local@domain>` or `local@domain`, split.
fn address_parts(address: &str) -> Option<(String, String)> {
    let a = match (address.rfind('<'), address.rfind('>')) {
        (Some(i), Some(j)) if i < j => &address[i + 1..j],
        _ => address,
    };
    let (l, d) = a.trim().rsplit_once('@')?;
    Some((l.to_lowercase(), d.to_lowercase()))
}

/// The token in one of `recipients` addressed to `inbound`'s `local+token@domain`.
pub fn token_in<'a>(inbound: &str, recipients: &'a [String]) -> Vec<&'a str> {
    let Some((local, domain)) = address_parts(inbound) else {
        return Vec::new();
    };
    recipients
        .iter()
        .filter_map(|r| {
            let (l, d) = r.rsplit_once('@')?;
            if !d.eq_ignore_ascii_case(&domain) {
                return None;
            }
            let (base, token) = l.split_once('+')?;
            base.eq_ignore_ascii_case(&local).then_some(token)
        })
        .collect()
}

/// Byte strings compared in constant time (for equal lengths).
pub fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The customer id of a person who writes by email.
pub fn customer_id(address: &str) -> CustomerId {
    let a = address.trim().to_lowercase();
    let id = format!("{CUSTOMER_PREFIX}{a}");
    if crate::auth::valid_user_id(&id) {
        CustomerId(id)
    } else {
        // Addresses with characters ids do not take (`+`, `'`, …): a digest of it.
        CustomerId(format!(
            "{CUSTOMER_PREFIX}{}",
            &crate::auth::hex(&Sha256::digest(a.as_bytes()))[..32]
        ))
    }
}

// ---- storing ----

/// What [`crate::db::Db::write_inbound`] stores beside the events.
#[derive(Debug, Clone)]
pub struct Record {
    /// The SHA-256 of the Message-ID (hex), if it has one.
    pub message_id: Option<String>,
    /// `new_ticket` or `reply`.
    pub outcome: &'static str,
    pub files: Vec<StoredFile>,
}

#[derive(Debug, Clone)]
pub struct StoredFile {
    pub sha256: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// How the message finds its ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Thread {
    Token,
    Header,
    Subject,
}

impl AppState {
    /// Stores a raw message as a new ticket or a reply, or refuses it (see the module
    /// documentation). Errors are failures to retry (the database).
    pub async fn ingest_mail(&self, raw: &[u8]) -> Result<Outcome, ServerError> {
        let Some(inbound) = self.config.inbound.address.clone() else {
            return Ok(Outcome::Refused(Refusal::Disabled));
        };
        let mail = match parse(raw, &self.config.limits) {
            Ok(m) => m,
            Err(r) => return Ok(Outcome::Refused(r)),
        };
        let message_id = mail
            .message_id
            .as_ref()
            .map(|m| sha256_hex(m.to_lowercase().as_bytes()));
        if let Some(m) = &message_id
            && let Some(t) = self.db.inbound_ticket(m).await?
        {
            return Ok(Outcome::Duplicate {
                code: self.ticket_code(&t).await?,
                ticket: TicketId(t),
            });
        }
        let key = self.db.email_key().await?;
        // The ticket it answers, and how that was found.
        let mut thread: Option<(Ticket, Thread)> = None;
        for token in token_in(&inbound, &mail.recipients) {
            if let Some(code) = verify_token(&key, token)
                && let Some(t) = self.ticket_by_code(&code).await?
            {
                thread = Some((t, Thread::Token));
                break;
            }
        }
        if thread.is_none() {
            // A notice this server sent, or a message it received (the customer answering
            // their own earlier mail).
            for r in &mail.references {
                let local = r.split('@').next().unwrap_or_default();
                let id = if local.starts_with("ntc_") {
                    self.db.notice_ticket(local).await?
                } else {
                    self.db
                        .inbound_ticket(&sha256_hex(r.trim().to_lowercase().as_bytes()))
                        .await?
                };
                if let Some(id) = id
                    && let Some(t) = self.ticket_by_id(&id).await?
                {
                    thread = Some((t, Thread::Header));
                    break;
                }
            }
        }
        if thread.is_none()
            && let Some(code) = subject_code(&mail.subject)
            && let Some(t) = self.ticket_by_code(&code).await?
        {
            thread = Some((t, Thread::Subject));
        }
        if let Some((t, how)) = &thread
            && *how != Thread::Token
        {
            let requester = t.requester.email.as_deref().map(str::to_lowercase);
            if requester.as_deref() != Some(mail.from.as_str()) {
                return Ok(Outcome::Refused(Refusal::Spoofed(format!(
                    "the message names ticket {} but is not from its requester's address, nor \
                     sent to the ticket's reply address; write without the ticket's code to open \
                     a new request",
                    t.code
                ))));
            }
        }
        // Sizes, before anything is written.
        let limits = self.config.limits;
        let max_file = u64::try_from(limits.max_file_bytes).unwrap_or(u64::MAX);
        let mut total = 0u64;
        for f in &mail.files {
            let size = u64::try_from(f.bytes.len()).unwrap_or(u64::MAX);
            if size > max_file {
                return Ok(Outcome::Refused(Refusal::TooLarge(format!(
                    "attachment {:?} has {size} bytes; files may have {max_file} bytes at most",
                    f.name
                ))));
            }
            total = total.saturating_add(size);
        }
        let used = match &thread {
            Some((t, _)) => self.db.ticket_file_bytes(&t.id.0).await?,
            None => 0,
        };
        if used.saturating_add(total) > limits.max_ticket_file_bytes {
            return Ok(Outcome::Refused(Refusal::TooLarge(format!(
                "the files of a ticket may take {} bytes at most; {used} are stored and this \
                 message brings {total}",
                limits.max_ticket_file_bytes
            ))));
        }
        let customer = match &thread {
            Some((t, _)) => t.requester.customer_id.clone(),
            None => Some(customer_id(&mail.from)),
        };
        if total > 0
            && let Some(c) = &customer
        {
            let used = self.db.customer_file_bytes(&c.0).await?;
            if used.saturating_add(total) > limits.max_customer_file_bytes {
                return Ok(Outcome::Refused(Refusal::TooLarge(format!(
                    "the files of a customer's tickets may take {} bytes at most; {used} are \
                     stored and this message brings {total}",
                    limits.max_customer_file_bytes
                ))));
            }
        }
        let mut attachments = Vec::new();
        let mut files: Vec<StoredFile> = Vec::new();
        for f in &mail.files {
            let sha = sha256_hex(&f.bytes);
            attachments.push(Attachment {
                name: f.name.clone(),
                mime: f.mime.clone(),
                size: u64::try_from(f.bytes.len()).unwrap_or(u64::MAX),
                blob: sha.clone(),
            });
            if !files.iter().any(|s| s.sha256 == sha) {
                files.push(StoredFile {
                    sha256: sha,
                    mime: f.mime.clone(),
                    bytes: f.bytes.clone(),
                });
            }
        }
        let settings = self.settings().await?;
        let mut text = cut(
            &mail.text,
            settings.domain.max_body_chars.saturating_sub(200),
        );
        if !mail.refused_files.is_empty() {
            let names: Vec<String> = mail
                .refused_files
                .iter()
                .map(|(n, m)| format!("{n} ({m})"))
                .collect();
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&format!(
                "[Attachments not accepted by the help desk: {}]",
                names.join(", ")
            ));
        }
        let node = self.node.clone();
        let at = chrono::Utc::now();
        let mut failed: Option<String> = None;
        let mut called = false;
        // Where the message went: the ticket, or the follow-up a closed ticket got.
        let mut posted: Option<TicketId> = None;
        let (ticket_id, outcome, decide): (TicketId, &'static str, crate::db::SystemDecide<'_>) =
            match thread {
                Some((t, _)) => {
                    let Some(customer) = t.requester.customer_id.clone() else {
                        return Ok(Outcome::Refused(Refusal::Rejected(format!(
                            "ticket {} has no customer account to reply as",
                            t.code
                        ))));
                    };
                    let command = Command::Reply {
                        body: text,
                        attachments,
                    };
                    let seed = crate::rules::random_u64(&t.id.0);
                    let out = &mut failed;
                    let flag = &mut called;
                    let went = &mut posted;
                    (
                        t.id.clone(),
                        "reply",
                        Box::new(move |state: Option<&Ticket>, s: &Settings| -> Vec<Event> {
                            *flag = true;
                            let Some(t) = state.filter(|t| t.opened) else {
                                *out = Some("the ticket is gone".into());
                                return Vec::new();
                            };
                            let mut ctx = Ctx::new(node, at, Box::new(SplitMix64::new(seed)));
                            if let Some((h, _)) = &t.last_event {
                                ctx.observe(h);
                            }
                            decide_sequence(
                                Some(t),
                                &[command],
                                &Actor::Customer(customer),
                                &s.domain,
                                &mut ctx,
                            )
                            .inspect(|events| {
                                *went = events.first().map(|e| e.ticket.clone());
                            })
                            .unwrap_or_else(|e| {
                                *out = Some(e.to_string());
                                Vec::new()
                            })
                        }),
                    )
                }
                None => {
                    let customer = customer_id(&mail.from);
                    let name: String = if mail.from_name.is_empty() {
                        mail.from.split('@').next().unwrap_or_default().to_owned()
                    } else {
                        mail.from_name.clone()
                    };
                    // A display name is not worth refusing the message for.
                    let name = name
                        .chars()
                        .take(mostrador_core::validate::limits::REQUESTER_NAME)
                        .collect();
                    let requester = Requester {
                        customer_id: Some(customer.clone()),
                        name,
                        email: Some(mail.from.clone()),
                        ..Requester::default()
                    };
                    let mut subject = clean_subject(&mail.subject);
                    if subject.is_empty() {
                        subject = text
                            .lines()
                            .find(|l| !l.trim().is_empty())
                            .unwrap_or("(no subject)")
                            .chars()
                            .take(80)
                            .collect();
                    }
                    let max = settings.domain.max_subject_chars;
                    if subject.chars().count() > max {
                        subject = subject.chars().take(max.saturating_sub(1)).collect();
                        subject.push('…');
                    }
                    let form = NewTicket {
                        ticket_type: TicketType::Question,
                        attachments,
                        ..NewTicket::new(&subject, &text, requester, Channel::Email)
                    };
                    let actor = Actor::Customer(customer);
                    // Decided now for its id (the context's ids are not `Send`), stored only
                    // while no ticket has that id.
                    let events = {
                        let mut ctx = Ctx::new(
                            node,
                            at,
                            Box::new(SplitMix64::new(crate::rules::random_u64("email-open"))),
                        );
                        decide_sequence(
                            None,
                            &[Command::Open(Box::new(form))],
                            &actor,
                            &settings.domain,
                            &mut ctx,
                        )
                    };
                    let events = match events {
                        Ok(e) => e,
                        Err(e) => return Ok(Outcome::Refused(Refusal::Rejected(e.to_string()))),
                    };
                    let Some(id) = events.first().map(|e| e.ticket.clone()) else {
                        return Err(ServerError::Internal(
                            "opening a ticket decided no event".into(),
                        ));
                    };
                    let flag = &mut called;
                    (
                        id,
                        "new_ticket",
                        Box::new(move |state: Option<&Ticket>, _: &Settings| {
                            *flag = true;
                            if state.is_some() { Vec::new() } else { events }
                        }),
                    )
                }
            };
        let record = Record {
            message_id: message_id.clone(),
            outcome,
            files,
        };
        let (results, stored) = self
            .db
            .write_inbound(&ticket_id, decide, record, now_ms())
            .await?;
        if let Some(stored) = stored
            && !self.db.is_postgres()
        {
            self.live.poke(stored.poke());
        }
        if !called {
            // Stored meanwhile by another delivery of the same message.
            if let Some(m) = &message_id
                && let Some(t) = self.db.inbound_ticket(m).await?
            {
                return Ok(Outcome::Duplicate {
                    code: self.ticket_code(&t).await?,
                    ticket: TicketId(t),
                });
            }
            return Err(ServerError::Internal("the message was not decided".into()));
        }
        if let Some(why) = failed {
            return Ok(Outcome::Refused(Refusal::Rejected(why)));
        }
        let accepted = results
            .iter()
            .any(|r| matches!(r, PushResult::Accepted { .. }));
        if !accepted {
            return Err(ServerError::Internal("the message stored no event".into()));
        }
        let mut touched = vec![ticket_id.clone()];
        let ticket_id = match posted {
            Some(p) if p != ticket_id => {
                touched.insert(0, p.clone());
                p
            }
            _ => ticket_id,
        };
        self.run_rules_after_push(touched).await;
        let code = self.ticket_code(&ticket_id.0).await?;
        Ok(if outcome == "reply" {
            Outcome::Reply {
                ticket: ticket_id,
                code,
            }
        } else {
            Outcome::NewTicket {
                ticket: ticket_id,
                code,
            }
        })
    }

    async fn ticket_by_id(&self, id: &str) -> Result<Option<Ticket>, ServerError> {
        Ok(mostrador_core::apply::fold(&self.db.ticket_events(id).await?).filter(|t| t.opened))
    }

    /// The ticket with `code` (found by the code column the write path keeps, then folded).
    async fn ticket_by_code(&self, code: &TicketCode) -> Result<Option<Ticket>, ServerError> {
        for id in self.db.tickets_with_code(code.as_str()).await? {
            if let Some(t) = self.ticket_by_id(&id).await?
                && &t.code == code
            {
                return Ok(Some(t));
            }
        }
        Ok(None)
    }

    async fn ticket_code(&self, id: &str) -> Result<String, ServerError> {
        Ok(self
            .ticket_by_id(id)
            .await?
            .map(|t| t.code.to_string())
            .unwrap_or_default())
    }
}

impl Db {
    /// The ticket an incoming message (by the SHA-256 of its Message-ID) was stored on.
    pub async fn inbound_ticket(&self, message_id: &str) -> Result<Option<String>, ServerError> {
        Ok(with_pool!(self, p => sqlx::query(
            "SELECT ticket FROM inbound_messages WHERE message_id = $1",
        )
        .bind(message_id)
        .fetch_optional(p)
        .await?
        .map(|r| r.try_get::<String, _>(0))
        .transpose()?))
    }

    /// The ids of the tickets whose snapshot has code `code`.
    pub async fn tickets_with_code(&self, code: &str) -> Result<Vec<String>, ServerError> {
        Ok(
            with_pool!(self, p => sqlx::query("SELECT id FROM tickets WHERE code = $1 ORDER BY id")
            .bind(code)
            .fetch_all(p)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?),
        )
    }

    /// The ticket of the notice with id `id` (its Message-ID's local part).
    pub async fn notice_ticket(&self, id: &str) -> Result<Option<String>, ServerError> {
        Ok(
            with_pool!(self, p => sqlx::query("SELECT ticket FROM email_outbox WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?
            .map(|r| r.try_get::<String, _>(0))
            .transpose()?),
        )
    }

    /// The bytes of the files the events of a customer's tickets announce.
    pub async fn customer_file_bytes(&self, customer: &str) -> Result<u64, ServerError> {
        let used: i64 = with_pool!(self, p => sqlx::query(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM (SELECT DISTINCT f.sha256, f.size \
             FROM ticket_files f JOIN tickets t ON t.id = f.ticket WHERE t.customer = $1) u",
        )
        .bind(customer)
        .fetch_one(p)
        .await?
        .try_get(0)?);
        Ok(u64::try_from(used).unwrap_or(0))
    }

    /// The bytes of the files a ticket's events announce (stored or not yet uploaded).
    pub async fn ticket_file_bytes(&self, ticket: &str) -> Result<u64, ServerError> {
        let used: i64 = with_pool!(self, p => sqlx::query(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM (SELECT DISTINCT sha256, size \
             FROM ticket_files WHERE ticket = $1) f",
        )
        .bind(ticket)
        .fetch_one(p)
        .await?
        .try_get(0)?);
        Ok(u64::try_from(used).unwrap_or(0))
    }
}

// ---- HTTP ----

/// The secret an HTTP request gives: `Authorization: Bearer <secret>`, or HTTP Basic with the
/// secret as the password (services that only take credentials in the URL,
/// `https://mostrador:<secret>@desk.shop.example/v1/inbound/email`).
fn given_secret(headers: &HeaderMap) -> Option<String> {
    use base64::Engine;
    if let Some(t) = crate::api::bearer(headers) {
        return Some(t);
    }
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, creds) = v.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(creds.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    decoded.split_once(':').map(|(_, p)| p.to_owned())
}

/// Form fields that carry the raw message in services' `multipart/form-data` posts (SendGrid's
/// raw Inbound Parse: `email`; Mailgun's routes to a URL ending in `mime`: `body-mime`).
pub const RAW_FIELDS: &[&str] = &["email", "body-mime", "message", "raw"];

/// The raw message in a `multipart/form-data` body with content type `ctype`, if a field of
/// [`RAW_FIELDS`] holds one. The form is MIME too: read with the same parser.
pub fn raw_from_form(ctype: &str, body: &[u8]) -> Option<Vec<u8>> {
    let mut wrapped = format!("Content-Type: {ctype}\r\n\r\n").into_bytes();
    let start = wrapped.len();
    wrapped.extend_from_slice(body);
    let form = MessageParser::default().parse(&wrapped)?;
    for part in form.parts.iter().skip(1) {
        let name = part
            .content_disposition()
            .and_then(|d| d.attribute("name"))
            .unwrap_or_default();
        if !RAW_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(name)) {
            continue;
        }
        // The field's bytes as sent (the message keeps its own encodings), unless the form
        // itself encoded them.
        if part.content_transfer_encoding().is_some() {
            return Some(part.contents().to_vec());
        }
        let (from, to) = (part.offset_body as usize, part.offset_end as usize);
        return wrapped
            .get(from.max(start)..to)
            .map(<[u8]>::to_vec)
            .filter(|b| !b.is_empty());
    }
    None
}

/// `POST /v1/inbound/email`: the raw message as the body (`message/rfc822`), or in a
/// `multipart/form-data` field ([`RAW_FIELDS`]); the secret as `Authorization: Bearer` or as
/// the Basic password. 201 with the outcome when stored, 200 when it was a duplicate or refused
/// on purpose (an inbound-mail service must not retry those); 401 without the secret, 404 when
/// the route is off (no secret configured).
pub async fn receive(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<OutcomeBody>), ServerError> {
    let Some(secret) = s.config.inbound.secret.as_deref() else {
        return Err(ServerError::NotFound(
            "incoming email over HTTP is off: set MOSTRADOR_INBOUND_SECRET".into(),
        ));
    };
    let given = given_secret(&headers).unwrap_or_default();
    // Compared as digests: constant time whatever the lengths.
    if !constant_eq(
        &Sha256::digest(given.as_bytes()),
        &Sha256::digest(secret.as_bytes()),
    ) {
        return Err(ServerError::Unauthorized(
            "send the inbound secret as Authorization: Bearer <MOSTRADOR_INBOUND_SECRET> (or as \
             the Basic password)"
                .into(),
        ));
    }
    let full_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("message/rfc822")
        .to_owned();
    let ctype = full_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let form = ctype == "multipart/form-data";
    if !form
        && !matches!(
            ctype.as_str(),
            "message/rfc822" | "text/plain" | "application/octet-stream"
        )
    {
        return Err(ServerError::UnsupportedMediaType(
            "send the raw message as the body, Content-Type: message/rfc822".into(),
        ));
    }
    let limit = max_message_bytes(&s.config.limits);
    let body = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ServerError::PayloadTooLarge { limit })?;
    let outcome = if form {
        match raw_from_form(&full_type, &body) {
            Some(raw) => s.ingest_mail(&raw).await?,
            None => {
                return Err(ServerError::BadRequest(format!(
                    "the form has no field with the raw message (one of {})",
                    RAW_FIELDS.join(", ")
                )));
            }
        }
    } else {
        s.ingest_mail(&body).await?
    };
    let status = match outcome {
        Outcome::NewTicket { .. } | Outcome::Reply { .. } => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    Ok((status, Json(outcome.body())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_trimmed() {
        let lines = |l: &[&str]| l.join("\n");
        let gmail = lines(&[
            "Sí, el pedido llegó roto.",
            "",
            "El lun, 1 dic 2026 a las 10:00, Soporte <",
            "support@shop.example> escribió:",
            "> Hola",
            "> ¿Cómo llegó?",
        ]);
        assert_eq!(trim_quoted(&gmail), "Sí, el pedido llegó roto.");
        let outlook = lines(&[
            "Thanks!",
            "",
            "-----Original Message-----",
            "From: Desk",
            "Sent: Monday",
            "",
            "old text",
        ]);
        assert_eq!(trim_quoted(&outlook), "Thanks!");
        let headers = lines(&[
            "Gracias",
            "",
            "De: Soporte <support@shop.example>",
            "Enviado: lunes",
            "Para: yo",
            "Asunto: x",
            "",
            "viejo",
        ]);
        assert_eq!(trim_quoted(&headers), "Gracias");
        let bottom = lines(&["On Mon, Ana wrote:", "> question?", "answer below"]);
        assert_eq!(trim_quoted(&bottom), "answer below");
        let fwd = lines(&[
            "FYI",
            "",
            "---------- Forwarded message ---------",
            "From: A <a@x.example>",
            "Date: Mon",
            "",
            "The original",
        ]);
        assert!(trim_quoted(&fwd).contains("The original"));
        let pt = lines(&[
            "Recebi, obrigada.",
            "",
            "Em sáb., 5 de dez. de 2026 às 09:02, Suporte <",
            "help@desk.example> escreveu:",
            "",
            "> Enviamos hoje.",
        ]);
        assert_eq!(trim_quoted(&pt), "Recebi, obrigada.");
        let apple = lines(&[
            "Got it.",
            "",
            "> On 5 Dec 2026, at 09:02, Support <help@desk.example> wrote:",
            "> ",
            "> Sent today.",
        ]);
        assert_eq!(trim_quoted(&apple), "Got it.");
        assert_eq!(trim_quoted("Hello\n-- \nLucía\nACME"), "Hello");
    }

    #[test]
    fn long_texts_are_cut_and_say_so() {
        assert_eq!(cut("short", 100), "short");
        let long = "é".repeat(500);
        let c = cut(&long, 200);
        assert_eq!(c.chars().count(), 200);
        assert!(c.starts_with("éé") && c.ends_with("it was too long]"));
    }

    #[test]
    fn subjects_lose_prefixes_and_codes() {
        assert_eq!(clean_subject("Re: RE: Fwd: Pedido"), "Pedido");
        assert_eq!(clean_subject("RV: Enc: Fatura"), "Fatura");
        assert_eq!(
            clean_subject("Re: [KQD-48213-ZPT] New reply: Pedido"),
            "New reply: Pedido"
        );
        assert_eq!(
            subject_code("Re: [#kqd-48213-zpt] x").map(|c| c.to_string()),
            Some("KQD-48213-ZPT".into())
        );
        assert_eq!(subject_code("[urgent] help"), None);
    }

    #[test]
    fn robots_are_recognized_by_each_sign() {
        let limits = Limits::default();
        let bounce = include_str!("../tests/fixtures/mail/bounce_dsn.eml");
        let why = |raw: &str| match parse(raw.as_bytes(), &limits) {
            Err(Refusal::AutoGenerated(why)) => why,
            other => panic!("{other:?}"),
        };
        assert!(why(bounce).contains("Auto-Submitted"));
        // A delivery report without Auto-Submitted (as some servers send them).
        let report = bounce.replace("Auto-Submitted: auto-replied\r\n", "");
        assert!(why(&report).contains("delivery"), "{}", why(&report));
        let person = "From: Ana <ana@x.example>\nSubject: hi\nMessage-ID: <1@x>\n\nHello\n";
        assert!(parse(person.as_bytes(), &limits).is_ok());
        let bulk = person.replace("Subject", "Precedence: bulk\nSubject");
        assert!(why(&bulk).contains("Precedence: bulk"));
        let daemon = person.replace("ana@x.example", "MAILER-DAEMON@x.example");
        assert!(why(&daemon).contains("mail system"));
        let ours = person.replace("Subject", "X-Mostrador-Notice: agent_replied\nSubject");
        assert!(why(&ours).contains("loop"));
        let no = person.replace("Subject", "Auto-Submitted: no\nSubject");
        assert!(parse(no.as_bytes(), &limits).is_ok());
    }

    #[test]
    fn forms_carry_the_raw_message_in_a_field() {
        // ISO-8859-1 bytes in the message: kept as sent.
        let raw: &[u8] = b"From: Ana <ana@x.example>\r\nSubject: Ol\xe1\r\n\r\nHello\r\n";
        let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\n\
            support@shop.example\r\n--XyZ\r\nContent-Disposition: form-data; name=\"email\"\
            \r\n\r\n"
            .to_vec();
        body.extend_from_slice(raw);
        body.extend_from_slice(b"\r\n--XyZ--\r\n");
        let got = raw_from_form("multipart/form-data; boundary=XyZ", &body).unwrap();
        assert!(got.starts_with(raw), "{:?}", String::from_utf8_lossy(&got));
        assert!(got.len() <= raw.len() + 2);
        let other = String::from_utf8_lossy(&body).replace("name=\"email\"", "name=\"text\"");
        assert_eq!(
            raw_from_form("multipart/form-data; boundary=XyZ", other.as_bytes()),
            None
        );
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            "Basic bW9zdHJhZG9yOnMzY3JldA==".parse().unwrap(),
        );
        assert_eq!(given_secret(&h).as_deref(), Some("s3cret"));
        h.insert(header::AUTHORIZATION, "Bearer tok".parse().unwrap());
        assert_eq!(given_secret(&h).as_deref(), Some("tok"));
    }

    #[test]
    fn reply_tokens_are_signed_per_ticket() {
        let t = reply_token("key", "KQD-48213-ZPT");
        assert!(t.starts_with("kqd-48213-zpt-"));
        assert_eq!(
            verify_token("key", &t).map(|c| c.to_string()),
            Some("KQD-48213-ZPT".into())
        );
        assert_eq!(verify_token("other", &t), None);
        let forged = t.replace("kqd-48213", "kqd-48214");
        assert_eq!(verify_token("key", &forged), None);
        let a = reply_address("Help <support@shop.example>", "key", "KQD-48213-ZPT").unwrap();
        assert!(a.starts_with("support+kqd-48213-zpt-") && a.ends_with("@shop.example"));
        assert!(a.split('@').next().unwrap().len() <= 64);
        let recipients = vec![a.to_uppercase(), "other@shop.example".into()];
        assert_eq!(token_in("support@shop.example", &recipients).len(), 1);
        assert_eq!(
            customer_id("Lucia@Example.com").0,
            "email:lucia@example.com"
        );
        assert!(customer_id("a+b@x.example").0.starts_with("email:"));
        assert!(crate::auth::valid_user_id(&customer_id("a+b@x.example").0));
    }
}
