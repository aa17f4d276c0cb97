//! Live notifications: every stored batch pokes the event streams that may care, in every server
//! process. With SQLite there is one process and a broadcast channel does; with PostgreSQL each
//! process LISTENs on a channel that pushes NOTIFY from inside their transaction.
//!
//! A poke names the customers whose tickets the batch touched: agents' streams hear every poke, a
//! customer's stream only those naming them. Revocations (logout, password reset, agent removal)
//! wake every stream of this process at once, so streams whose session ended close; streams of
//! other processes notice on their next periodic check.
//!
//! Streams are counted: at most so many in all and per principal ([`Live::open_stream`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::broadcast;

use crate::db::NOTIFY_CHANNEL;
use crate::error::ServerError;

/// Who a stored batch concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Poke {
    /// Everybody (a catch-up after reconnecting, or too many customers to name).
    All,
    /// Agents, and these customers.
    Customers(Arc<Vec<String>>),
    /// A session ended: streams re-check theirs.
    Revoked,
}

impl Poke {
    /// Whether a stream of a customer (`Some(id)`) or of an agent (`None`) should wake.
    pub fn concerns(&self, customer: Option<&str>) -> bool {
        match (self, customer) {
            (Poke::Customers(ids), Some(c)) => ids.iter().any(|i| i == c),
            _ => true,
        }
    }

    /// The NOTIFY payload (PostgreSQL limits it to 8000 bytes).
    pub fn to_payload(customers: &[String]) -> String {
        let text = serde_json::to_string(customers).unwrap_or_default();
        if text.len() > 7000 { "*".into() } else { text }
    }

    fn from_payload(p: &str) -> Poke {
        match serde_json::from_str::<Vec<String>>(p) {
            Ok(ids) => Poke::Customers(Arc::new(ids)),
            Err(_) => Poke::All,
        }
    }
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_principal: HashMap<String, usize>,
}

#[derive(Clone, Debug)]
pub struct Live {
    tx: broadcast::Sender<Poke>,
    counts: Arc<Mutex<Counts>>,
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

/// Held by an open stream; frees its place when dropped.
#[derive(Debug)]
pub struct StreamSlot {
    counts: Arc<Mutex<Counts>>,
    key: String,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        if let Ok(mut c) = self.counts.lock() {
            c.total = c.total.saturating_sub(1);
            if let Some(n) = c.per_principal.get_mut(&self.key) {
                *n -= 1;
                if *n == 0 {
                    c.per_principal.remove(&self.key);
                }
            }
        }
    }
}

impl Live {
    pub fn new() -> Live {
        Live {
            tx: broadcast::channel(256).0,
            counts: Arc::default(),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Poke> {
        self.tx.subscribe()
    }

    /// Something was stored (here or, with PostgreSQL, in another process).
    pub fn poke(&self, poke: Poke) {
        let _ = self.tx.send(poke);
    }

    /// A session ended.
    pub fn revoked(&self) {
        let _ = self.tx.send(Poke::Revoked);
    }

    /// Streams open in this process.
    pub fn streams(&self) -> usize {
        self.counts.lock().map_or(0, |c| c.total)
    }

    /// A place for one more stream of `principal`, or 429 when there are too many.
    pub fn open_stream(
        &self,
        principal: &str,
        max_total: usize,
        max_per_principal: usize,
    ) -> Result<StreamSlot, ServerError> {
        let mut c = self
            .counts
            .lock()
            .map_err(|_| ServerError::Internal("stream counts poisoned".into()))?;
        let mine = c.per_principal.get(principal).copied().unwrap_or(0);
        if c.total >= max_total || mine >= max_per_principal {
            return Err(ServerError::RateLimited { retry_after_s: 30 });
        }
        c.total += 1;
        *c.per_principal.entry(principal.to_owned()).or_default() += 1;
        Ok(StreamSlot {
            counts: self.counts.clone(),
            key: principal.to_owned(),
        })
    }

    /// Forwards PostgreSQL notifications to this process's streams, reconnecting on errors.
    pub fn listen_postgres(&self, pool: PgPool) {
        let live = self.clone();
        tokio::spawn(async move {
            loop {
                match PgListener::connect_with(&pool).await {
                    Ok(mut l) => {
                        if l.listen(NOTIFY_CHANNEL).await.is_ok() {
                            // Catch up on anything missed while (re)connecting.
                            live.poke(Poke::All);
                            while let Ok(n) = l.recv().await {
                                live.poke(Poke::from_payload(n.payload()));
                            }
                        }
                    }
                    Err(e) => eprintln!("mostrador-server: cannot LISTEN: {e}"),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
}
