//! # mostrador-idb
//!
//! IndexedDB persistence for Mostrador, so a shop can run the help desk with no server at all.
//!
//! ## Invariants
//!
//! - Nothing is opened or written until the first call: constructing the app touches no storage.
//! - Every logical change is one read-write transaction, committed explicitly
//!   (`indexed_db_futures` rolls back a transaction that is dropped without `commit`).
//! - The schema only moves forward through [`migrations`]; a released step is never edited.

mod error;
pub mod migrations;
mod records;

pub use error::IdbError;
pub use records::IdbDatabase;
