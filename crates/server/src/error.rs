//! Errors: what the server answers when a request cannot be served, always as JSON
//! `{"error": code, "message": text}` with a 4xx or 5xx status.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mostrador_core::sync::{ApiError, PROTOCOL_VERSION};

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(
        "this server speaks sync protocol {PROTOCOL_VERSION}, the client sent {got}; \
         update the app (reload the page) to keep syncing"
    )]
    ProtocolUnsupported { got: String },
    #[error("the request body is not valid JSON for this endpoint: {0}")]
    MalformedJson(String),
    #[error("the request body is larger than {limit} bytes; send fewer events per push")]
    PayloadTooLarge { limit: usize },
    #[error("a push may carry at most {max} events and changes; this one has {got}")]
    BatchTooLarge { max: usize, got: usize },
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The core refused the command (an illegal status change, an empty reply, …).
    #[error("{0}")]
    Rejected(String),
    #[error("the request body did not arrive within {seconds} s")]
    RequestTimeout { seconds: u64 },
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("too many requests; wait {retry_after_s} s and try again")]
    RateLimited { retry_after_s: u64 },
    #[error("the database failed: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the database could not be migrated: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A file upload or download refused with its own code (`hash_mismatch`, `quota_exceeded`,
    /// `not_uploaded`, …): see the Files section of `docs/sync-protocol.md`.
    #[error("{message}")]
    File {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Internal(String),
}

impl ServerError {
    pub fn status(&self) -> StatusCode {
        match self {
            ServerError::ProtocolUnsupported { .. } => StatusCode::UPGRADE_REQUIRED,
            ServerError::MalformedJson(_) | ServerError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ServerError::PayloadTooLarge { .. } | ServerError::BatchTooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ServerError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ServerError::Forbidden(_) => StatusCode::FORBIDDEN,
            ServerError::NotFound(_) => StatusCode::NOT_FOUND,
            ServerError::Rejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ServerError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ServerError::RequestTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            ServerError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ServerError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ServerError::File { status, .. } => *status,
            ServerError::Database(_)
            | ServerError::Migrate(_)
            | ServerError::Config(_)
            | ServerError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ServerError::ProtocolUnsupported { .. } => "protocol_unsupported",
            ServerError::MalformedJson(_) => "malformed_json",
            ServerError::PayloadTooLarge { .. } => "payload_too_large",
            ServerError::BatchTooLarge { .. } => "batch_too_large",
            ServerError::BadRequest(_) => "bad_request",
            ServerError::Unauthorized(_) => "unauthorized",
            ServerError::Forbidden(_) => "forbidden",
            ServerError::NotFound(_) => "not_found",
            ServerError::Rejected(_) => "rejected",
            ServerError::RateLimited { .. } => "rate_limited",
            ServerError::RequestTimeout { .. } => "request_timeout",
            ServerError::MethodNotAllowed(_) => "method_not_allowed",
            ServerError::UnsupportedMediaType(_) => "unsupported_media_type",
            ServerError::File { code, .. } => code,
            ServerError::Database(_)
            | ServerError::Migrate(_)
            | ServerError::Config(_)
            | ServerError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status.is_server_error() {
            // Details go to the log, not to clients.
            eprintln!("mostrador-server: {self}");
            "the server failed; try again later".to_owned()
        } else {
            self.to_string()
        };
        let body = ApiError {
            error: self.code().to_owned(),
            message,
        };
        let mut res = (status, axum::Json(body)).into_response();
        if let ServerError::RateLimited { retry_after_s } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after_s.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}
