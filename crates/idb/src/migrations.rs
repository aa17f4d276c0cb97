//! Schema versions. Each released step is a function that upgrades from the version before it;
//! released steps are never edited, only new ones appended.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;

/// Object store holding one record per ticket draft (the foundation slice; the full schema
/// arrives with the Store implementation).
pub const TICKETS: &str = "tickets";

/// The schema version this build writes.
pub const CURRENT: u32 = 1;

/// Runs every step between `old` (exclusive) and `new` (inclusive), in order.
pub fn upgrade(db: &Database, old: u32, new: u32) -> Result<(), indexed_db_futures::error::Error> {
    for step in (old + 1)..=new {
        // One arm per released version; a new version adds an arm and never edits an old one.
        #[allow(clippy::single_match)]
        match step {
            1 => v1(db)?,
            _ => {}
        }
    }
    Ok(())
}

fn v1(db: &Database) -> Result<(), indexed_db_futures::error::Error> {
    db.create_object_store(TICKETS)
        .with_key_path("id".into())
        .build()?;
    Ok(())
}
