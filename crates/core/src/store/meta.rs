//! Typed metadata: a key and the type of its value are declared once ([`MetaKey`], usually with
//! [`meta_key!`](crate::meta_key)) and read and written through [`Meta`]. Stores keep each value
//! as JSON under the key's string ([`Store::meta_json`](super::Store::meta_json)), so the strings
//! are what existing databases hold and never change.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{PortalStore, StoreError};

/// One named metadata value: the string it is stored under and its type.
pub trait MetaKey {
    /// The key in the store. Released keys never change: users' databases hold them.
    const KEY: &'static str;
    /// What is stored under it.
    type Value: Serialize + DeserializeOwned;
}

/// Declares a [`MetaKey`]: `meta_key!(/// docs
/// pub Clock = "ui.clock" => Hlc);`
#[macro_export]
macro_rules! meta_key {
    ($(#[$attr:meta])* $vis:vis $name:ident = $key:literal => $ty:ty) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy)]
        $vis struct $name;
        impl $crate::store::MetaKey for $name {
            const KEY: &'static str = $key;
            type Value = $ty;
        }
    };
}

/// Typed metadata on every store.
#[allow(async_fn_in_trait)]
pub trait Meta {
    /// The value under `K`, if one is stored. A value that does not read as `K::Value` is
    /// [`StoreError::Corrupt`].
    async fn meta<K: MetaKey>(&self) -> Result<Option<K::Value>, StoreError>;

    /// Stores `value` under `K`, replacing what was there.
    async fn set_meta<K: MetaKey>(&self, value: &K::Value) -> Result<(), StoreError>;
}

impl<S: PortalStore + ?Sized> Meta for S {
    async fn meta<K: MetaKey>(&self) -> Result<Option<K::Value>, StoreError> {
        match self.meta_json(K::KEY).await? {
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| StoreError::Corrupt(format!("meta {}: {e}", K::KEY))),
            None => Ok(None),
        }
    }

    async fn set_meta<K: MetaKey>(&self, value: &K::Value) -> Result<(), StoreError> {
        let v = serde_json::to_value(value)
            .map_err(|e| StoreError::Backend(format!("meta {}: {e}", K::KEY)))?;
        self.set_meta_json(K::KEY, v).await
    }
}
