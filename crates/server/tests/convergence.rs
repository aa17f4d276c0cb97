//! Convergence under a bad network: several devices (agents and customers) decide events with the
//! core, sync through `SyncEngine`s against the server's own push/pull (no sockets), while requests
//! and responses are dropped, duplicated and replayed late, devices go offline and reload. At the
//! end every agent folds exactly the server's log, every customer folds exactly what the server
//! lets them see, and no event a device created is lost. Seeded: a failure names its seed.

mod common;

use std::collections::{BTreeMap, HashSet};

use chrono::DateTime;
use common::*;
use mostrador_core::apply::fold_all;
use mostrador_core::command::{Command, NewTicket};
use mostrador_core::ctx::{Ctx, IdSource, SplitMix64};
use mostrador_core::decide::decide;
use mostrador_core::event::{Event, EventId};
use mostrador_core::model::{
    Actor, AgentId, Channel, CustomerId, Impact, Level, Requester, TicketId, Urgency,
};
use mostrador_core::settings::DomainSettings;
use mostrador_core::sync::{
    Checkpoint, EngineConfig, Failure, Next, Principal, PushRequest, SyncEngine,
};
use mostrador_server::AppState;

enum Progress {
    Did,
    Wait(i64),
    Idle,
}

struct Replica {
    principal: Principal,
    actor: Actor,
    ctx: Ctx,
    log: BTreeMap<EventId, Event>,
    outbox: Vec<Event>,
    engine: SyncEngine,
    /// What the device persisted: the engine restarts from here after a reload.
    saved: Checkpoint,
    offline_until: Option<i64>,
}

struct Sim {
    rng: SplitMix64,
    now: i64,
    server: AppState,
    replicas: Vec<Replica>,
    customers: Vec<String>,
    created: HashSet<EventId>,
    stash: Vec<(Principal, PushRequest)>,
    rejected: Vec<String>,
    faults: bool,
    stats: BTreeMap<&'static str, u64>,
}

fn config() -> EngineConfig {
    EngineConfig {
        batch: 7,
        pull_limit: 13,
        base_backoff_ms: 500,
        max_backoff_ms: 20_000,
    }
}

impl Sim {
    fn roll(&mut self, n: u64) -> u64 {
        self.rng.next_u64() % n
    }

    fn count(&mut self, what: &'static str) {
        *self.stats.entry(what).or_default() += 1;
    }

    fn command(&mut self, i: usize) {
        let now = self.now;
        let pick = self.roll(100);
        let n_customers = self.customers.len() as u64;
        let who = self.roll(n_customers) as usize;
        let r = self.rng.next_u64();
        let rep = &mut self.replicas[i];
        rep.ctx.now = DateTime::from_timestamp_millis(now).unwrap();
        let tickets = fold_all(rep.log.values());
        let ids: Vec<&TicketId> = tickets.keys().collect();
        let staff = matches!(rep.actor, Actor::Agent(_));
        let open_for = match &rep.principal {
            Principal::Customer { id, .. } => id.0.clone(),
            Principal::Agent { .. } => self.customers[who].clone(),
        };
        let (ticket, command) = if ids.is_empty() || pick < 12 {
            let requester = Requester {
                customer_id: Some(CustomerId(open_for.clone())),
                name: open_for,
                ..Default::default()
            };
            let mut form = NewTicket::new("Subject", "Body", requester, Channel::WebForm);
            if staff && r.is_multiple_of(2) {
                form.impact = Some(Impact::High);
                form.tags = vec!["phone".into()];
            }
            (None, Command::Open(Box::new(form)))
        } else {
            let t = ids[(r % ids.len() as u64) as usize].clone();
            let c = if staff {
                match pick % 10 {
                    0 | 1 => reply("agent says"),
                    2 => note("internal"),
                    3 => Command::Resolve,
                    4 => Command::Close,
                    5 => Command::Tag {
                        add: vec![format!("t{}", r % 3)],
                        remove: vec![format!("t{}", (r / 3) % 3)],
                    },
                    6 => Command::Assign {
                        agent: Some(AgentId(format!("agent{}", r % 2))),
                        team: None,
                    },
                    7 => Command::SetPriority {
                        impact: [Impact::Low, Impact::Medium, Impact::High][(r % 3) as usize],
                        urgency: Urgency::High,
                    },
                    8 => Command::Escalate {
                        to: [Level::L1, Level::L2, Level::L3][(r % 3) as usize],
                        reason: "needs more".into(),
                    },
                    _ => Command::Reopen,
                }
            } else {
                match pick % 5 {
                    0 | 1 => reply("customer says"),
                    2 => Command::Resolve,
                    3 => Command::Reopen,
                    _ => Command::Rate {
                        score: (r % 5) as u8 + 1,
                        comment: None,
                    },
                }
            };
            (Some(t), c)
        };
        let state = ticket.and_then(|t| tickets.get(&t));
        let settings = DomainSettings::default();
        if let Ok(events) = decide(state, &command, &rep.actor, &settings, &mut rep.ctx) {
            for e in events {
                self.created.insert(e.id.clone());
                rep.log.insert(e.id.clone(), e.clone());
                rep.outbox.push(e);
            }
            self.count("commands");
        }
    }

    async fn sync(&mut self, i: usize) -> Progress {
        let now = self.now;
        if let Some(until) = self.replicas[i].offline_until {
            if now < until {
                return Progress::Idle;
            }
            self.replicas[i].offline_until = None;
            self.replicas[i].engine.set_online(true);
        }
        let fate = if self.faults { self.roll(12) } else { 99 };
        let random = self.rng.next_u64();
        let rep = &mut self.replicas[i];
        match rep.engine.poll(now, &rep.outbox) {
            Next::Push(req) => {
                let principal = rep.principal.clone();
                self.stash.push((principal.clone(), req.clone()));
                if self.stash.len() > 40 {
                    self.stash.remove(0);
                }
                let items: Vec<_> = req
                    .events
                    .iter()
                    .map(|e| serde_json::to_value(e).unwrap())
                    .collect();
                if fate == 0 {
                    self.count("push request lost");
                    let rep = &mut self.replicas[i];
                    rep.engine
                        .on_failure(now, random, Failure::Transient("lost".into()));
                    return Progress::Did;
                }
                let mut resp = self.server.push(&principal, items.clone()).await.unwrap();
                if fate == 1 {
                    self.count("push response lost");
                    let rep = &mut self.replicas[i];
                    rep.engine
                        .on_failure(now, random, Failure::Transient("lost".into()));
                    return Progress::Did;
                }
                if fate == 2 {
                    self.count("push duplicated");
                    resp = self.server.push(&principal, items).await.unwrap();
                }
                let rep = &mut self.replicas[i];
                let applied = rep.engine.on_push(resp);
                let done: HashSet<&EventId> = applied
                    .acknowledged
                    .iter()
                    .chain(applied.rejected.iter().map(|r| &r.0))
                    .collect();
                rep.outbox.retain(|e| !done.contains(&e.id));
                for (id, code, message) in &applied.rejected {
                    let e = rep.log.remove(id);
                    self.created.remove(id);
                    self.rejected.push(format!("{code}: {message}: {e:?}"));
                }
            }
            Next::Pull(req) => {
                let principal = rep.principal.clone();
                if fate == 0 {
                    rep.engine
                        .on_failure(now, random, Failure::Transient("lost".into()));
                    self.count("pull lost");
                    return Progress::Did;
                }
                let resp = self
                    .server
                    .pull(&principal, req.after, req.limit)
                    .await
                    .unwrap();
                let rep = &mut self.replicas[i];
                if fate == 1 {
                    rep.engine
                        .on_failure(now, random, Failure::Transient("lost".into()));
                    self.count("pull response lost");
                    return Progress::Did;
                }
                let applied = rep.engine.on_pull(resp);
                rep.ctx.now = DateTime::from_timestamp_millis(now).unwrap();
                for e in applied.events {
                    rep.ctx.observe(&e.hlc);
                    rep.log.entry(e.id.clone()).or_insert(e);
                }
                rep.saved = applied.checkpoint;
                self.count("pulls");
            }
            Next::Wait { until_ms } => return Progress::Wait(until_ms),
            Next::Idle | Next::Busy | Next::Stopped => return Progress::Idle,
        }
        Progress::Did
    }

    async fn step(&mut self) {
        self.now += self.roll(4_000) as i64;
        let i = self.roll(self.replicas.len() as u64) as usize;
        match self.roll(100) {
            0..=34 => self.command(i),
            35..=84 => {
                self.sync(i).await;
            }
            85..=89 => {
                let until = self.now + self.roll(120_000) as i64;
                let rep = &mut self.replicas[i];
                rep.engine.set_online(false);
                rep.offline_until = Some(until);
                self.count("offline periods");
            }
            90..=93 => {
                // Reload: the engine is rebuilt from what the device had saved.
                let rep = &mut self.replicas[i];
                rep.engine = SyncEngine::new(rep.saved, config());
                self.count("reloads");
            }
            _ => {
                // A late copy of an old push arrives (reordered, duplicated delivery).
                if !self.stash.is_empty() {
                    let k = self.roll(self.stash.len() as u64) as usize;
                    let (p, req) = self.stash[k].clone();
                    let items = req
                        .events
                        .iter()
                        .map(|e| serde_json::to_value(e).unwrap())
                        .collect();
                    let resp = self.server.push(&p, items).await.unwrap();
                    for r in resp.results {
                        if let mostrador_core::sync::PushResult::Rejected { code, .. } = r {
                            self.rejected.push(format!("late replay rejected: {code}"));
                        }
                    }
                    self.count("late replays");
                }
            }
        }
    }

    /// Heals the network and syncs until nothing moves.
    async fn settle(&mut self) {
        self.faults = false;
        for rep in &mut self.replicas {
            rep.offline_until = None;
            rep.engine.set_online(true);
            rep.engine.resume();
        }
        for _round in 0..3 {
            for i in 0..self.replicas.len() {
                self.replicas[i].engine.remote_changed();
                for _ in 0..10_000 {
                    self.now += 1;
                    match self.sync(i).await {
                        Progress::Idle => break,
                        Progress::Wait(until) => self.now = until,
                        Progress::Did => {}
                    }
                }
            }
        }
    }
}

async fn run(seed: u64, steps: usize, url: &str) {
    let server = AppState::new(common::config(url)).await.unwrap();
    let customers: Vec<String> = (1..=4).map(|c| format!("c{c}")).collect();
    let mut principals: Vec<Principal> =
        vec![Principal::agent("agent0"), Principal::agent("agent1")];
    principals.extend(customers.iter().map(|c| Principal::customer(c)));
    let start = chrono::Utc::now().timestamp_millis() - 24 * 3600 * 1000;
    let replicas = principals
        .into_iter()
        .enumerate()
        .map(|(n, p)| Replica {
            actor: p.actor(),
            principal: p,
            ctx: Ctx::seeded(
                &format!("node{n}"),
                seed * 100 + n as u64,
                DateTime::from_timestamp_millis(start).unwrap(),
            ),
            log: BTreeMap::new(),
            outbox: Vec::new(),
            engine: SyncEngine::new(Checkpoint::default(), config()),
            saved: Checkpoint::default(),
            offline_until: None,
        })
        .collect();
    let mut sim = Sim {
        rng: SplitMix64::new(seed),
        now: start,
        server,
        replicas,
        customers,
        created: HashSet::new(),
        stash: Vec::new(),
        rejected: Vec::new(),
        faults: true,
        stats: BTreeMap::new(),
    };
    for _ in 0..steps {
        sim.step().await;
    }
    sim.settle().await;

    assert!(
        sim.rejected.is_empty(),
        "seed {seed}: the server rejected legitimate events: {:#?}",
        sim.rejected
    );
    let server_log = sim.server.db.all_events().await.unwrap();
    let server_ids: HashSet<EventId> = server_log.iter().map(|e| e.id.clone()).collect();
    assert_eq!(
        server_ids.len(),
        server_log.len(),
        "seed {seed}: an event is stored twice"
    );
    assert_eq!(
        server_ids, sim.created,
        "seed {seed}: events lost or invented"
    );
    let truth = fold_all(&server_log);
    for rep in &sim.replicas {
        assert!(
            rep.outbox.is_empty(),
            "seed {seed}: {:?} still has an outbox",
            rep.principal
        );
        let mine = fold_all(rep.log.values());
        match &rep.principal {
            Principal::Agent { .. } => {
                assert_eq!(
                    mine, truth,
                    "seed {seed}: agent {:?} diverged",
                    rep.principal
                )
            }
            Principal::Customer { .. } => {
                let visible = sim.server.pull(&rep.principal, 0, u32::MAX).await.unwrap();
                assert!(!visible.more);
                let expected = fold_all(visible.events.iter().map(|p| &p.event));
                assert_eq!(
                    mine, expected,
                    "seed {seed}: customer {:?} diverged",
                    rep.principal
                );
                for t in mine.values() {
                    assert!(
                        t.thread
                            .iter()
                            .all(|m| m.visibility == mostrador_core::model::Visibility::Public)
                    );
                }
            }
        }
    }
    println!(
        "seed {seed}: {steps} steps, {} events, {} tickets, {:?}",
        server_log.len(),
        truth.len(),
        sim.stats
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_converge_on_sqlite() {
    for seed in [1, 2, 3] {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("c.db").display());
        run(seed, 3_000, &url).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_converge_on_postgres() {
    if let Some(url) = postgres_database().await {
        run(7, 1_500, &url).await;
    }
}
