use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{Serialize, de::DeserializeOwned};

use crate::{IdbError, migrations};

/// An open Mostrador database.
pub struct IdbDatabase {
    db: Database,
}

impl IdbDatabase {
    /// Opens (creating or upgrading as needed) the database called `name`.
    pub async fn open(name: &str) -> Result<Self, IdbError> {
        let db = Database::open(name)
            .with_version(migrations::CURRENT)
            .with_on_upgrade_needed(|event, db| {
                // Versions are small integers stored as f64 by the browser.
                let old = event.old_version() as u32;
                let new = event
                    .new_version()
                    .map_or(migrations::CURRENT, |v| v as u32);
                migrations::upgrade(&db, old, new)
            })
            .await?;
        Ok(Self { db })
    }

    /// Writes one record into `store` in its own committed transaction.
    pub async fn put<T: Serialize>(&self, store: &str, value: &T) -> Result<(), IdbError> {
        let tx = self
            .db
            .transaction(store)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let os = tx.object_store(store)?;
        os.put(value).serde()?.await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads the record with primary key `key` from `store`.
    pub async fn get<T: DeserializeOwned>(
        &self,
        store: &str,
        key: &str,
    ) -> Result<Option<T>, IdbError> {
        let tx = self.db.transaction(store).build()?;
        let os = tx.object_store(store)?;
        let value: Option<T> = os.get(key).serde()?.await?;
        Ok(value)
    }

    /// Reads every record of `store`, in key order.
    pub async fn all<T: DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, IdbError> {
        let tx = self.db.transaction(store).build()?;
        let os = tx.object_store(store)?;
        let values: Vec<T> = os.get_all().serde()?.await?.collect::<Result<_, _>>()?;
        Ok(values)
    }

    /// Closes the connection and deletes the database (used by tests and by "erase all data").
    pub async fn delete(self) -> Result<(), IdbError> {
        let name = self.db.name();
        // Dropping `self` closes our connection, so the deletion is not blocked by it.
        drop(self);
        Database::delete_by_name(&name)?.await?;
        Ok(())
    }
}

impl Drop for IdbDatabase {
    /// An open connection blocks upgrades and deletion from every tab, so it lives exactly as
    /// long as this handle.
    fn drop(&mut self) {
        self.db.clone().close();
    }
}
