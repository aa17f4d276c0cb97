//! The system rules on the server: what the core's automation says the system must do because
//! time passed or a ticket arrived unrouted (wake postponed tickets, close resolved ones after the
//! configured period, SLA escalations, routing of new tickets nobody holds), decided as
//! `Actor::System` and stored through the same write path as pushes.
//!
//! Each ticket is its own unit, decided under the write lock against the ticket's current state
//! ([`Db::write_system`](crate::db::Db::write_system)), so two runners (two processes on one
//! PostgreSQL, or a sweep and a push) never store the same command twice: the second sees what
//! the first stored and has nothing left to do. The timer sweep also takes a PostgreSQL advisory
//! lock, so one process sweeps at a time. The sweep also queues the `sla_breached` webhook
//! deliveries ([`AppState::enqueue_sla_breaches`](crate::AppState::enqueue_sla_breaches)) and the
//! SLA email notices ([`AppState::enqueue_sla_notices`](crate::AppState::enqueue_sla_notices)).

use std::sync::atomic::{AtomicU64, Ordering};

use mostrador_core::assignment::{AgentLoad, AssignmentDecision};
use mostrador_core::automation;
use mostrador_core::config::Settings;
use mostrador_core::ctx::{Ctx, SplitMix64};
use mostrador_core::decide::decide_sequence;
use mostrador_core::event::Event;
use mostrador_core::model::Status;
use mostrador_core::model::{Actor, TicketId};
use mostrador_core::ticket::Ticket;
use mostrador_core::zone::TzDatabase;
use sha2::{Digest, Sha256};

use crate::error::ServerError;
use crate::{AppState, now_ms};

/// The PostgreSQL advisory lock the timer sweep holds ("mostrr").
pub const SWEEP_LOCK: i64 = 0x6d6f_7374_7272;
/// `meta` key of the server's node id.
pub const NODE_KEY: &str = "node_id";
/// `meta` key of the round-robin cursors (an `AgentLoad` without open counts, as JSON).
pub const ROUND_ROBIN_KEY: &str = "round_robin";

/// 64 unpredictable-enough bits: a hash of the time, the process and a counter.
pub(crate) fn random_u64(salt: &str) -> u64 {
    static N: AtomicU64 = AtomicU64::new(0);
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(
        chrono::Utc::now()
            .timestamp_nanos_opt()
            .unwrap_or_default()
            .to_le_bytes(),
    );
    h.update(std::process::id().to_le_bytes());
    h.update(N.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let d = h.finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_le_bytes(b)
}

/// A new node id for a server that has none yet.
pub(crate) fn new_node_id() -> String {
    format!(
        "server-{:016x}{:016x}",
        random_u64("node-a"),
        random_u64("node-b")
    )
}

/// What one sweep did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SweepReport {
    /// Tickets looked at closely.
    pub looked_at: usize,
    /// Events stored.
    pub stored: usize,
    /// Tickets whose rules failed, with why.
    pub failed: Vec<(String, String)>,
}

impl AppState {
    /// Each agent's New and Open tickets, and the persisted round-robin cursors.
    async fn agent_load(&self, settings: &Settings) -> Result<AgentLoad, ServerError> {
        let mut load = self
            .db
            .meta(ROUND_ROBIN_KEY)
            .await?
            .and_then(|v| serde_json::from_str::<AgentLoad>(&v).ok())
            .unwrap_or_default();
        load.open_by_agent.clear();
        for a in &settings.agents {
            load.open_by_agent.insert(a.id.clone(), 0);
        }
        for (_, t) in self
            .db
            .ticket_states_in(&[Status::New, Status::Open])
            .await?
        {
            let Some(t) = t else { continue };
            if matches!(t.status, Status::New | Status::Open)
                && let Some(a) = &t.assignee
                && let Some(n) = load.open_by_agent.get_mut(a)
            {
                *n = n.saturating_add(1);
            }
        }
        Ok(load)
    }

    /// Runs the system rules on one ticket: its due commands as one unit, then routing when it
    /// still needs it (with `load`, computed on first need). Returns how many events were stored.
    pub async fn run_rules_on(
        &self,
        ticket: &TicketId,
        load: &mut Option<AgentLoad>,
    ) -> Result<usize, ServerError> {
        let settings = self.settings().await?;
        let now = chrono::Utc::now();
        // A first look without the write lock: most pushes leave nothing for the system to do.
        // The decision itself is taken again under the lock.
        // (A ticket stored before snapshots existed has none: it is decided from its events.)
        let snapshot = self.db.ticket_snapshot(&ticket.0).await?;
        let routing = snapshot.as_ref().is_none_or(automation::needs_routing);
        if let Some(t) = &snapshot
            && !routing
            && automation::due_commands(t, &settings, &TzDatabase, now).is_empty()
        {
            return Ok(0);
        }
        if load.is_none() && routing {
            *load = Some(self.agent_load(&settings).await?);
        }
        let node = self.node.clone();
        let seed = random_u64(&ticket.0);
        let mut decision: Option<AssignmentDecision> = None;
        let route_load = load.clone();
        let out = &mut decision;
        // Decided again under the write lock, with the settings as stored then.
        let decide = Box::new(
            move |state: Option<&Ticket>, settings: &Settings| -> Vec<Event> {
                let Some(t) = state else { return Vec::new() };
                let domain = &settings.domain;
                let mut ctx = Ctx::new(node, now, Box::new(SplitMix64::new(seed)));
                if let Some((h, _)) = &t.last_event {
                    ctx.observe(h);
                }
                let commands = automation::due_commands(t, settings, &TzDatabase, now);
                let mut events = if commands.is_empty() {
                    Vec::new()
                } else {
                    decide_sequence(Some(t), &commands, &Actor::System, domain, &mut ctx)
                        .unwrap_or_default()
                };
                let mut current = Some(t.clone());
                for e in &events {
                    current = Some(mostrador_core::apply::apply(current, e));
                }
                if let (Some(cur), Some(l)) = (current.as_ref(), route_load.as_ref())
                    && let Some((command, d)) = automation::route(cur, settings, l)
                    && let Ok(more) =
                        decide_sequence(Some(cur), &[command], &Actor::System, domain, &mut ctx)
                {
                    events.extend(more);
                    *out = Some(d);
                }
                events
            },
        );
        let (results, stored) = self.db.write_system(ticket, decide, now_ms()).await?;
        if let Some(d) = &decision
            && let Some(l) = load.as_mut()
        {
            l.record(d);
            if d.cursor.is_some() {
                let cursors = AgentLoad {
                    open_by_agent: Default::default(),
                    ..l.clone()
                };
                let json = serde_json::to_string(&cursors)
                    .map_err(|e| ServerError::Internal(e.to_string()))?;
                self.db.set_meta(ROUND_ROBIN_KEY, &json).await?;
            }
        }
        if let Some(stored) = stored
            && !self.db.is_postgres()
        {
            self.live.poke(stored.poke());
        }
        Ok(results
            .iter()
            .filter(|r| matches!(r, mostrador_core::sync::PushResult::Accepted { .. }))
            .count())
    }

    /// Runs the system rules over every runnable ticket, oldest first. On PostgreSQL, only when
    /// no other process is sweeping (`None` then).
    pub async fn run_rules(&self) -> Result<Option<SweepReport>, ServerError> {
        let sweep = async {
            let settings = self.settings().await?;
            let now = chrono::Utc::now();
            let mut candidates: Vec<(chrono::DateTime<chrono::Utc>, TicketId)> = self
                .db
                .ticket_states_in(&automation::RUNNABLE)
                .await?
                .into_iter()
                .filter_map(|(_, t)| t)
                .filter(|t| {
                    automation::needs_routing(t)
                        || !automation::due_commands(t, &settings, &TzDatabase, now).is_empty()
                })
                .map(|t| (t.created_at, t.id))
                .collect();
            candidates.sort();
            let mut report = SweepReport::default();
            let mut load = None;
            for (_, id) in candidates {
                report.looked_at += 1;
                match self.run_rules_on(&id, &mut load).await {
                    Ok(n) => report.stored += n,
                    Err(e) => report.failed.push((id.0.clone(), e.to_string())),
                }
            }
            // SLA breaches are not events: the webhooks that want them are told now.
            if let Err(e) = self.enqueue_sla_breaches().await {
                eprintln!("mostrador-server: webhooks: SLA breaches: {e}");
            }
            if let Err(e) = self.enqueue_sla_notices().await {
                eprintln!("mostrador-server: email: SLA notices: {e}");
            }
            Ok::<_, ServerError>(report)
        };
        self.db.exclusively(SWEEP_LOCK, sweep).await?.transpose()
    }

    /// Runs the system rules on the tickets a push stored events for (routing new ones at once).
    pub(crate) async fn run_rules_after_push(&self, tickets: Vec<TicketId>) {
        let mut load = None;
        for id in tickets {
            if let Err(e) = self.run_rules_on(&id, &mut load).await {
                eprintln!("mostrador-server: system rules on ticket {}: {e}", id.0);
            }
        }
    }
}
