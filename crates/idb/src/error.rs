use thiserror::Error;

/// Something the browser's storage refused. Each variant says what a person can do about it.
#[derive(Debug, Error)]
pub enum IdbError {
    /// The browser has no IndexedDB here (private mode in some browsers, or a sandboxed iframe).
    #[error("this browser does not allow local storage here; try a normal (non-private) window")]
    Unavailable,
    /// The storage quota is used up; nothing of the change was written.
    #[error("the browser's storage for this site is full; free space or export and clear old data")]
    QuotaExceeded,
    /// The database on disk is newer than this version of the app (opened by a newer tab).
    #[error("the data was saved by a newer version of Mostrador; reload the page to update")]
    VersionTooNew,
    /// A stored record could not be read back as the expected type.
    #[error("a stored record is unreadable: {0}")]
    Corrupt(String),
    /// Any other failure reported by the browser.
    #[error("the browser's storage failed: {0}")]
    Browser(String),
}

impl From<indexed_db_futures::error::Error> for IdbError {
    fn from(e: indexed_db_futures::error::Error) -> Self {
        use indexed_db_futures::error::Error as E;
        match e {
            E::DomException(d) => {
                let d = web_sys::DomException::from(d);
                match d.name().as_str() {
                    "QuotaExceededError" => IdbError::QuotaExceeded,
                    "VersionError" => IdbError::VersionTooNew,
                    "InvalidStateError" | "SecurityError" => IdbError::Unavailable,
                    _ => IdbError::Browser(format!("{}: {}", d.name(), d.message())),
                }
            }
            E::Serialisation(s) => IdbError::Corrupt(s.to_string()),
            other => IdbError::Browser(other.to_string()),
        }
    }
}

impl From<indexed_db_futures::error::OpenDbError> for IdbError {
    fn from(e: indexed_db_futures::error::OpenDbError) -> Self {
        use indexed_db_futures::error::OpenDbError as E;
        match e {
            E::Base(b) => b.into(),
            E::VersionZero => IdbError::Browser("database version 0 is not allowed".into()),
            E::UnsupportedEnvironment | E::NullFactory => IdbError::Unavailable,
        }
    }
}
