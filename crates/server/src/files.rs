//! Attachment bytes: `PUT /v1/files/{sha256}` stores a file an accepted event announced,
//! `GET /v1/files/{sha256}` serves it to whoever may see an announcement of it.
//!
//! Events carry only a file's description ([`Attachment`]: name, media type, size and the
//! lowercase hex SHA-256 of its bytes). Every stored event's announcements are recorded in
//! `ticket_files` in the transaction that stores the event (see `db::record_files`), with the
//! event's sequence and whether it is an internal note, so a file is visible exactly where its
//! announcing event is: agents see every file; a customer sees the files announced in the public
//! messages and openings of their tickets, within the span of sequences they are the requester.
//! The bytes themselves (`files`) are stored once per hash, whoever uploads them, with the
//! announced media type: the type a request names is never trusted, and types the core does not
//! allow ([`attachment_type_allowed`]) are never stored. An erasure deletes the bytes of the
//! erased ticket's files that no other ticket announces.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mostrador_core::event::{Event, Payload};
use mostrador_core::model::{Attachment, Visibility};
use mostrador_core::sync::Principal;
use mostrador_core::validate::attachment_type_allowed;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::api::{Authed, require_protocol_header};
use crate::db::{Db, FILES_LOCK, PUSH_LOCK, record_files, seq, to_i64, with_pool};
use crate::error::ServerError;
use crate::{AppState, now_ms};

/// Where the routes live: `/v1/files/{sha256}`.
pub const FILES_PREFIX: &str = "/v1/files/";

/// The `meta` key migration 5 sets until the events stored before it have been read for their
/// files.
pub const BACKFILL_KEY: &str = "files_backfill";

/// Whether `s` is a SHA-256 as files are named: 64 lowercase hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::auth::hex(&Sha256::digest(bytes))
}

/// One file an event announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Announced<'a> {
    pub sha256: &'a str,
    pub mime: &'a str,
    pub size: u64,
    /// Announced in an internal note: customers never get it.
    pub internal: bool,
}

/// The files `event` announces (an opening's and a message's attachments), each hash once;
/// attachments whose key is not a SHA-256 (see [`is_sha256_hex`]) are left out: no upload could
/// name them.
pub fn announced(event: &Event) -> Vec<Announced<'_>> {
    let (list, internal): (&[Attachment], bool) = match &event.payload {
        Payload::TicketOpened(o) => (&o.attachments, false),
        Payload::MessagePosted {
            attachments,
            visibility,
            ..
        } => (attachments, *visibility == Visibility::Internal),
        _ => return Vec::new(),
    };
    let mut out: Vec<Announced<'_>> = Vec::new();
    for a in list {
        if is_sha256_hex(&a.blob) && !out.iter().any(|f| f.sha256 == a.blob) {
            out.push(Announced {
                sha256: &a.blob,
                mime: &a.mime,
                size: a.size,
                internal,
            });
        }
    }
    out
}

/// An announcement of a file the caller may see, as stored in `ticket_files`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub ticket: String,
    pub mime: String,
    pub size: u64,
    pub seq: u64,
}

/// What became of an upload at the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Stored now.
    New,
    /// The bytes were already there.
    Already,
    /// No ticket announces the file any more (erased meanwhile).
    Unannounced,
    /// Storing it would take every announcing ticket (or its customer) over a quota.
    OverQuota(String),
}

/// A stored file's description, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMeta {
    pub mime: String,
    pub size: u64,
}

impl Db {
    /// The announcements of file `sha256` that `principal` may see, oldest first.
    pub async fn announcements(
        &self,
        principal: &Principal,
        sha256: &str,
    ) -> Result<Vec<Announcement>, ServerError> {
        let rows: Vec<(String, String, i64, i64)> = with_pool!(self, p => match principal {
            Principal::Agent { .. } => sqlx::query(
                "SELECT ticket, mime, size, seq FROM ticket_files WHERE sha256 = $1 ORDER BY seq",
            )
            .bind(sha256)
            .fetch_all(p)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect::<Result<_, sqlx::Error>>()?,
            Principal::Customer { id, .. } => sqlx::query(
                "SELECT f.ticket, f.mime, f.size, f.seq FROM ticket_files f \
                 JOIN ticket_access a ON a.ticket = f.ticket AND f.seq >= a.from_seq \
                 AND (a.to_seq IS NULL OR f.seq <= a.to_seq) \
                 WHERE f.sha256 = $1 AND a.customer = $2 AND f.internal = 0 ORDER BY f.seq",
            )
            .bind(sha256)
            .bind(&id.0)
            .fetch_all(p)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect::<Result<_, sqlx::Error>>()?,
        });
        Ok(rows
            .into_iter()
            .map(|(ticket, mime, size, s)| Announcement {
                ticket,
                mime,
                size: seq(size),
                seq: seq(s),
            })
            .collect())
    }

    /// The stored file's media type and size, if its bytes are stored.
    pub async fn file_meta(&self, sha256: &str) -> Result<Option<FileMeta>, ServerError> {
        let row: Option<(String, i64)> = with_pool!(self, p => sqlx::query(
            "SELECT mime, size FROM files WHERE sha256 = $1",
        )
        .bind(sha256)
        .fetch_optional(p)
        .await?
        .map(|r| Ok::<_, sqlx::Error>((r.try_get(0)?, r.try_get(1)?)))
        .transpose()?);
        Ok(row.map(|(mime, size)| FileMeta {
            mime,
            size: seq(size),
        }))
    }

    /// The stored bytes of a file.
    pub async fn file_bytes(&self, sha256: &str) -> Result<Option<Vec<u8>>, ServerError> {
        let bytes = with_pool!(self, p => sqlx::query("SELECT bytes FROM files WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(p)
            .await?
            .map(|r| r.try_get::<Vec<u8>, _>(0))
            .transpose()?);
        Ok(bytes)
    }

    /// Stores a file's bytes (already checked against its hash and an announcement) unless they
    /// are stored, within the quotas: it is charged to one of `tickets` (the announcing tickets
    /// the uploader may see) whose total, and whose customer's total, stay within
    /// `max_ticket` and `max_customer` with it.
    #[allow(clippy::too_many_arguments)]
    pub async fn store_file(
        &self,
        sha256: &str,
        mime: &str,
        bytes: &[u8],
        tickets: &[String],
        uploaded_by: &str,
        max_ticket: u64,
        max_customer: u64,
        now_ms: i64,
    ) -> Result<Stored, ServerError> {
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        let _writer = self.shared_lock().lock_owned().await;
        with_pool!(self, p => {
            let mut tx = p.begin_with(self.begin_write()).await?;
            if self.is_postgres() {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(FILES_LOCK)
                    .execute(&mut *tx)
                    .await?;
            }
            if sqlx::query("SELECT 1 FROM files WHERE sha256 = $1")
                .bind(sha256)
                .fetch_optional(&mut *tx)
                .await?
                .is_some()
            {
                return Ok(Stored::Already);
            }
            if sqlx::query("SELECT 1 FROM ticket_files WHERE sha256 = $1 LIMIT 1")
                .bind(sha256)
                .fetch_optional(&mut *tx)
                .await?
                .is_none()
            {
                return Ok(Stored::Unannounced);
            }
            let mut refusal = String::new();
            let mut fits = false;
            for ticket in tickets {
                let used: i64 = sqlx::query(
                    "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM files WHERE sha256 IN \
                     (SELECT sha256 FROM ticket_files WHERE ticket = $1)",
                )
                .bind(ticket)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
                if seq(used).saturating_add(size) > max_ticket {
                    refusal = format!(
                        "the files of this ticket may take {max_ticket} bytes at most; \
                         {} are stored and this file has {size}",
                        seq(used)
                    );
                    continue;
                }
                let customer: Option<String> =
                    sqlx::query("SELECT customer FROM tickets WHERE id = $1")
                        .bind(ticket)
                        .fetch_optional(&mut *tx)
                        .await?
                        .map(|r| r.try_get::<Option<String>, _>(0))
                        .transpose()?
                        .flatten();
                if let Some(c) = customer {
                    let used: i64 = sqlx::query(
                        "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM files WHERE sha256 IN \
                         (SELECT f.sha256 FROM ticket_files f JOIN tickets t ON t.id = f.ticket \
                         WHERE t.customer = $1)",
                    )
                    .bind(&c)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get(0)?;
                    if seq(used).saturating_add(size) > max_customer {
                        refusal = format!(
                            "the files of this customer's tickets may take {max_customer} bytes \
                             at most; {} are stored and this file has {size}",
                            seq(used)
                        );
                        continue;
                    }
                }
                fits = true;
                break;
            }
            if !fits {
                return Ok(Stored::OverQuota(refusal));
            }
            sqlx::query(
                "INSERT INTO files (sha256, mime, size, bytes, uploaded_at, uploaded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(sha256)
            .bind(mime)
            .bind(to_i64(size))
            .bind(bytes)
            .bind(now_ms)
            .bind(uploaded_by)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Stored::New)
        })
    }

    /// Whether a file's bytes are stored (tests).
    pub async fn file_stored(&self, sha256: &str) -> Result<bool, ServerError> {
        Ok(self.file_meta(sha256).await?.is_some())
    }

    /// Fills `ticket_files` from the events stored before migration 5, once: while the
    /// [`BACKFILL_KEY`] is set. Runs on the write path (the push lock on PostgreSQL) in one
    /// transaction, so no push or erasure interleaves; recording twice changes nothing. Returns
    /// how many events announced files.
    pub async fn backfill_files(&self) -> Result<usize, ServerError> {
        if self.meta(BACKFILL_KEY).await?.is_none() {
            return Ok(0);
        }
        const PAGE: i64 = 500;
        let _writer = self.shared_lock().lock_owned().await;
        let n = with_pool!(self, p => {
            let mut tx = p.begin_with(self.begin_write()).await?;
            if self.is_postgres() {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(PUSH_LOCK)
                    .execute(&mut *tx)
                    .await?;
            }
            let pending = sqlx::query("SELECT 1 FROM meta WHERE key = $1")
                .bind(BACKFILL_KEY)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if !pending {
                // Another process did it meanwhile.
                return Ok(0);
            }
            let mut n = 0;
            let mut after = 0i64;
            loop {
                // Only bodies that name a file key can announce one.
                let rows = sqlx::query(
                    "SELECT seq, body FROM events WHERE seq > $1 AND ticket NOT LIKE '~%' \
                     AND body LIKE '%\"blob\"%' ORDER BY seq LIMIT $2",
                )
                .bind(after)
                .bind(PAGE)
                .fetch_all(&mut *tx)
                .await?;
                let Some(last) = rows.last() else { break };
                after = last.try_get(0)?;
                for r in &rows {
                    let s = seq(r.try_get(0)?);
                    let body: String = r.try_get(1)?;
                    // An unreadable body announces nothing here (pulls report it).
                    let Ok(e) = serde_json::from_str::<Event>(&body) else {
                        continue;
                    };
                    if !announced(&e).is_empty() {
                        n += 1;
                    }
                    record_files!(tx, &e, s);
                }
            }
            sqlx::query("DELETE FROM meta WHERE key = $1")
                .bind(BACKFILL_KEY)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            n
        });
        Ok(n)
    }
}

fn refused(status: StatusCode, code: &'static str, message: impl Into<String>) -> ServerError {
    ServerError::File {
        status,
        code,
        message: message.into(),
    }
}

/// The 413 of an upload over the per-file limit.
pub fn too_large(limit: usize) -> ServerError {
    refused(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("files may have {limit} bytes at most"),
    )
}

/// The `{sha256}` of the path, or 400 `bad_path`.
fn path_sha256(p: Result<Path<String>, PathRejection>) -> Result<String, ServerError> {
    match p {
        Ok(Path(s)) if is_sha256_hex(&s) => Ok(s),
        _ => Err(refused(
            StatusCode::BAD_REQUEST,
            "bad_path",
            "files are named by the SHA-256 of their bytes: 64 lowercase hex digits",
        )),
    }
}

/// Who uploaded, as recorded.
fn uploader(p: &Principal) -> String {
    match p {
        Principal::Customer { id, .. } => format!("customer:{}", id.0),
        Principal::Agent { id, .. } => format!("agent:{}", id.0),
    }
}

#[derive(Debug, serde::Serialize)]
struct FileReply {
    sha256: String,
    size: u64,
}

/// `PUT /v1/files/{sha256}`: stores the bytes of a file an accepted event announced (see the
/// module documentation and the Files section of `docs/sync-protocol.md`).
pub async fn put_file(
    State(s): State<AppState>,
    headers: HeaderMap,
    Authed(principal, _): Authed,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Response, ServerError> {
    require_protocol_header(&headers)?;
    let sha = path_sha256(path)?;
    let limits = s.config.limits;
    let bytes = axum::body::to_bytes(body, limits.max_file_bytes)
        .await
        .map_err(|_| too_large(limits.max_file_bytes))?;
    let announcements = s.db.announcements(&principal, &sha).await?;
    if announcements.is_empty() {
        return Err(refused(
            StatusCode::NOT_FOUND,
            "unknown_file",
            "no accepted event you can see announces this file; push the event first",
        ));
    }
    let allowed: Vec<&Announcement> = announcements
        .iter()
        .filter(|a| attachment_type_allowed(&a.mime))
        .collect();
    let Some(first) = allowed.first() else {
        return Err(refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_type",
            format!("files of type {:?} are not accepted", announcements[0].mime),
        ));
    };
    let max = u64::try_from(limits.max_file_bytes).unwrap_or(u64::MAX);
    if allowed.iter().all(|a| a.size > max) {
        return Err(too_large(limits.max_file_bytes));
    }
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if sha256_hex(&bytes) != sha {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
            "the SHA-256 of the bytes sent is not the one in the path",
        ));
    }
    let fitting: Vec<&&Announcement> = allowed.iter().filter(|a| a.size == size).collect();
    if fitting.is_empty() {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "size_mismatch",
            format!(
                "the file was announced with {} bytes; {size} were sent",
                first.size
            ),
        ));
    }
    let mime = fitting[0].mime.clone();
    let mut tickets: Vec<String> = Vec::new();
    for a in &fitting {
        if !tickets.contains(&a.ticket) {
            tickets.push(a.ticket.clone());
        }
    }
    let stored =
        s.db.store_file(
            &sha,
            &mime,
            &bytes,
            &tickets,
            &uploader(&principal),
            limits.max_ticket_file_bytes,
            limits.max_customer_file_bytes,
            now_ms(),
        )
        .await?;
    let status = match stored {
        Stored::New => StatusCode::CREATED,
        Stored::Already => StatusCode::OK,
        Stored::Unannounced => {
            return Err(refused(
                StatusCode::NOT_FOUND,
                "unknown_file",
                "no accepted event announces this file any more",
            ));
        }
        Stored::OverQuota(why) => {
            return Err(refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                "quota_exceeded",
                why,
            ));
        }
    };
    Ok((status, axum::Json(FileReply { sha256: sha, size })).into_response())
}

/// Whether an `If-None-Match` value names `etag` (or is `*`).
pub(crate) fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match.split(',').any(|t| {
        let t = t.trim();
        t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag
    })
}

/// `GET /v1/files/{sha256}`: the bytes of a file the caller may see an announcement of.
pub async fn get_file(
    State(s): State<AppState>,
    headers: HeaderMap,
    Authed(principal, _): Authed,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ServerError> {
    require_protocol_header(&headers)?;
    let not_found = || {
        ServerError::NotFound("there is no such file for you (unknown, erased or not yours)".into())
    };
    let sha = path_sha256(path)?;
    if s.db.announcements(&principal, &sha).await?.is_empty() {
        return Err(not_found());
    }
    let not_uploaded = || {
        refused(
            StatusCode::NOT_FOUND,
            "not_uploaded",
            "the file's bytes have not reached the server yet; try again later",
        )
    };
    let meta = s.db.file_meta(&sha).await?.ok_or_else(not_uploaded)?;
    let etag = format!("\"{sha}\"");
    let mut h = HeaderMap::new();
    let value =
        |v: &str| HeaderValue::from_str(v).map_err(|e| ServerError::Internal(e.to_string()));
    h.insert(header::ETAG, value(&etag)?);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let matched = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| etag_matches(v, &etag));
    if matched {
        return Ok((StatusCode::NOT_MODIFIED, h).into_response());
    }
    let bytes = s.db.file_bytes(&sha).await?.ok_or_else(not_uploaded)?;
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&meta.mime)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment"),
    );
    Ok((StatusCode::OK, h, bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_lowercase_sha256_hex() {
        let h = sha256_hex(b"abc");
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_sha256_hex(&h));
        assert!(!is_sha256_hex(&h.to_uppercase()));
        assert!(!is_sha256_hex(&h[1..]));
        assert!(!is_sha256_hex(&format!("{}g", &h[1..])));
    }

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        let e = "\"abc\"";
        assert!(etag_matches("\"abc\"", e));
        assert!(etag_matches("W/\"abc\"", e));
        assert!(etag_matches("\"x\", \"abc\"", e));
        assert!(etag_matches("*", e));
        assert!(!etag_matches("\"abd\"", e));
    }
}
