//! Live notifications: every stored batch pokes the event streams of every server process. With
//! SQLite there is one process and a broadcast channel does; with PostgreSQL each process
//! LISTENs on a channel that pushes NOTIFY from inside their transaction.

use std::time::Duration;

use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::broadcast;

use crate::db::NOTIFY_CHANNEL;

#[derive(Clone, Debug)]
pub struct Live {
    tx: broadcast::Sender<()>,
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

impl Live {
    pub fn new() -> Live {
        Live {
            tx: broadcast::channel(64).0,
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<()> {
        self.tx.subscribe()
    }

    /// Something was stored (here or, with PostgreSQL, in another process).
    pub fn poke(&self) {
        let _ = self.tx.send(());
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
                            live.poke();
                            while l.recv().await.is_ok() {
                                live.poke();
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
