//! The system rules on the server: routing right after a push (round robin with a cursor kept
//! across restarts), waking postponed tickets and closing resolved ones on a sweep, and one
//! sweep's commands stored once when two servers share a PostgreSQL database.

mod common;

use chrono::Utc;
use common::*;
use mostrador_core::assignment::{Agent, Strategy};
use mostrador_core::command::Command;
use mostrador_core::config::Settings;
use mostrador_core::event::{Event, Payload};
use mostrador_core::model::{Actor, AgentId, Status, TicketId};
use mostrador_core::status::Action;
use mostrador_core::sync::Principal;
use mostrador_server::{AppState, Config};

fn desk(agents: &[&str]) -> Settings {
    let agents = agents
        .iter()
        .map(|id| {
            serde_json::from_value::<Agent>(serde_json::json!({
                "id": id, "name": id, "email": format!("{id}@example.com"),
                "levels": ["L1", "L2", "L3"], "capacity": 100,
            }))
            .unwrap()
        })
        .collect();
    let mut s = Settings {
        agents,
        ..Settings::default()
    };
    s.assignment.default_strategy = Strategy::RoundRobin;
    s
}

fn config_with(url: &str, agents: &[&str], auto_close_secs: Option<i64>) -> Config {
    let mut c = config(url);
    c.desk = desk(agents);
    if let Some(s) = auto_close_secs {
        c.settings.auto_close_after_secs = s;
    }
    c.rules_interval = None;
    c
}

/// Events of a pull from 0, parsed.
async fn pulled(c: &Client) -> Vec<Event> {
    let (s, body) = c.pull(0).await;
    assert_eq!(s, 200, "{body}");
    body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| serde_json::from_value(e["event"].clone()).unwrap())
        .collect()
}

fn assigned_to(events: &[Event], ticket: &TicketId) -> Vec<Option<AgentId>> {
    events
        .iter()
        .filter(|e| &e.ticket == ticket && e.actor == Actor::System)
        .filter_map(|e| match &e.payload {
            Payload::Assigned { agent, .. } => Some(agent.clone()),
            _ => None,
        })
        .collect()
}

fn system_status(events: &[Event], ticket: &TicketId, action: Action) -> usize {
    events
        .iter()
        .filter(|e| &e.ticket == ticket && e.actor == Actor::System)
        .filter(|e| matches!(&e.payload, Payload::StatusChanged { action: a, .. } if *a == action))
        .count()
}

/// A customer opens a ticket through the server; returns its id.
async fn customer_opens(base: &str, who: &str, seed: u64) -> (Client, TicketId) {
    let c = Client::customer(base, who);
    let mut d = Device::new(&format!("dev-{who}"), seed);
    let events = d.open(&customer(who), who);
    let (s, body) = c.push(&events).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["results"][0]["status"], "accepted", "{body}");
    (c, events[0].ticket.clone())
}

#[tokio::test]
async fn a_pushed_ticket_is_routed_round_robin_and_the_cursor_survives_a_restart() {
    for (name, url, _guard) in databases().await {
        let agents = ["ana", "bob", "cy"];
        let server = start(config_with(&url, &agents, None)).await;
        let admin = Client::admin(&server.base).await;
        let (c1, t1) = customer_opens(&server.base, "c1", 1).await;
        let (_, t2) = customer_opens(&server.base, "c2", 2).await;
        // Assignment is staff-only bookkeeping: the customer pulls their ticket, not its routing.
        let seen = pulled(&c1).await;
        assert!(seen.iter().any(|e| e.ticket == t1), "{name}");
        assert!(assigned_to(&seen, &t1).is_empty(), "{name}");
        let all = pulled(&admin).await;
        assert_eq!(
            assigned_to(&all, &t1),
            vec![Some(AgentId("ana".into()))],
            "{name}"
        );
        assert_eq!(
            assigned_to(&all, &t2),
            vec![Some(AgentId("bob".into()))],
            "{name}"
        );
        // A sweep finds nothing left to route.
        let report = server.state.run_rules().await.unwrap().unwrap();
        assert_eq!(report.stored, 0, "{name}: {report:?}");
        let node = server.state.node.clone();
        drop(server);
        // A restarted server continues the rotation and keeps its node id.
        let server = start(config_with(&url, &agents, None)).await;
        assert_eq!(server.state.node, node, "{name}");
        let (_, t3) = customer_opens(&server.base, "c3", 3).await;
        let admin = Client::admin(&server.base).await;
        let all = pulled(&admin).await;
        assert_eq!(
            assigned_to(&all, &t3),
            vec![Some(AgentId("cy".into()))],
            "{name}"
        );
        let by_server: Vec<&Event> = all.iter().filter(|e| e.actor == Actor::System).collect();
        assert_eq!(by_server.len(), 3, "{name}");
        assert!(by_server.iter().all(|e| e.hlc.node == node), "{name}");
    }
}

/// An agent opens a ticket for `who` and runs `then` on it; returns the ticket.
async fn agent_ticket(base: &str, who: &str, seed: u64, then: Vec<Command>) -> TicketId {
    let admin = Client::admin(base).await;
    let mut d = Device::new(&format!("agent-{who}"), seed);
    let me = agent(ADMIN.0);
    let mut events = d.open(&me, who);
    let ticket = events[0].ticket.clone();
    for c in then {
        events.extend(d.run(Some(&ticket), c, &me).unwrap());
    }
    let (s, body) = admin.push(&events).await;
    assert_eq!(s, 200, "{body}");
    for r in body["results"].as_array().unwrap() {
        assert_eq!(r["status"], "accepted", "{body}");
    }
    ticket
}

#[tokio::test]
async fn a_postponed_ticket_wakes_on_the_sweep_after_its_date() {
    for (name, url, _guard) in databases().await {
        let server = start(config_with(&url, &[], None)).await;
        let until = Utc::now() + chrono::TimeDelta::milliseconds(1500);
        let t = agent_ticket(&server.base, "c1", 10, vec![Command::Postpone { until }]).await;
        let report = server.state.run_rules().await.unwrap().unwrap();
        assert_eq!(report.stored, 0, "{name}: not before the date");
        tokio::time::sleep(std::time::Duration::from_millis(1700)).await;
        let report = server.state.run_rules().await.unwrap().unwrap();
        assert_eq!(report.stored, 1, "{name}: {report:?}");
        let customer = Client::customer(&server.base, "c1");
        let seen = pulled(&customer).await;
        assert_eq!(system_status(&seen, &t, Action::Wake), 1, "{name}");
        let snap = server
            .state
            .db
            .ticket_snapshot(&t.0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(snap.status, Status::Open, "{name}");
        // Nothing more to do.
        let report = server.state.run_rules().await.unwrap().unwrap();
        assert_eq!(report.stored, 0, "{name}");
    }
}

#[tokio::test]
async fn a_resolved_ticket_closes_after_the_configured_period() {
    for (name, url, _guard) in databases().await {
        let server = start(config_with(&url, &[], Some(1))).await;
        let t = agent_ticket(&server.base, "c1", 20, vec![Command::Resolve]).await;
        let snap = server
            .state
            .db
            .ticket_snapshot(&t.0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(snap.status, Status::Resolved, "{name}");
        tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
        let report = server.state.run_rules().await.unwrap().unwrap();
        assert_eq!(report.stored, 1, "{name}: {report:?}");
        let snap = server
            .state
            .db
            .ticket_snapshot(&t.0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(snap.status, Status::Closed, "{name}");
        let seen = pulled(&Client::customer(&server.base, "c1")).await;
        assert_eq!(system_status(&seen, &t, Action::AutoClose), 1, "{name}");
    }
}

#[tokio::test]
async fn two_servers_on_one_postgres_store_each_system_command_once() {
    let Some(url) = postgres_database().await else {
        return;
    };
    let agents = ["ana", "bob"];
    let a = start(config_with(&url, &agents, Some(1))).await;
    let b = start(config_with(&url, &agents, Some(1))).await;
    // The node id is the deployment's, kept in the shared database (events tie-break on id).
    assert_eq!(a.state.node, b.state.node);
    let until = Utc::now() + chrono::TimeDelta::milliseconds(1200);
    let mut postponed = Vec::new();
    let mut resolved = Vec::new();
    for i in 0..3 {
        postponed
            .push(agent_ticket(&a.base, "c1", 100 + i, vec![Command::Postpone { until }]).await);
        resolved.push(agent_ticket(&b.base, "c2", 200 + i, vec![Command::Resolve]).await);
    }
    // Unrouted tickets stored without the push's rules, for the sweeps to route.
    let mut unrouted = Vec::new();
    for i in 0..3 {
        let who = format!("c{}", 10 + i);
        let mut d = Device::new(&format!("raw-{i}"), 300 + i);
        let events = d.open(&customer(&who), &who);
        unrouted.push(events[0].ticket.clone());
        let items = events.into_iter().map(Ok).collect();
        let principal = Principal::customer(&who);
        a.state
            .db
            .push(&principal, Vec::new(), items, mostrador_server::now_ms())
            .await
            .unwrap();
    }
    // The same ticket decided by both at once, past the sweep lock: the write path re-decides.
    let (mut la, mut lb) = (None, None);
    let (x, y) = tokio::join!(
        a.state.run_rules_on(&unrouted[0], &mut la),
        b.state.run_rules_on(&unrouted[0], &mut lb)
    );
    assert_eq!(x.unwrap() + y.unwrap(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(1400)).await;
    let (ra, rb) = tokio::join!(sweep(&a.state), sweep(&b.state));
    let _ = (ra, rb);
    let events = a.state.db.all_events().await.unwrap();
    for t in &postponed {
        assert_eq!(system_status(&events, t, Action::Wake), 1);
    }
    for t in &resolved {
        assert_eq!(system_status(&events, t, Action::AutoClose), 1);
    }
    for t in &unrouted {
        assert_eq!(assigned_to(&events, t).len(), 1, "{t:?}");
    }
    // While one process sweeps, the other skips its round.
    let inner = a
        .state
        .db
        .exclusively(mostrador_server::rules::SWEEP_LOCK, b.state.run_rules())
        .await
        .unwrap()
        .unwrap();
    assert!(inner.unwrap().is_none(), "the second sweeper must skip");
    // Another round from either finds nothing.
    assert_eq!(sweep(&b.state).await, 0);
    assert_eq!(sweep(&a.state).await, 0);
}

/// Runs a sweep; how many events it stored (0 when the other process held the lock).
async fn sweep(s: &AppState) -> usize {
    s.run_rules().await.unwrap().map_or(0, |r| {
        assert!(r.failed.is_empty(), "{r:?}");
        r.stored
    })
}

#[tokio::test]
async fn the_timer_sweeps_without_being_asked() {
    for (name, url, _guard) in databases().await {
        let mut c = config_with(&url, &[], None);
        c.rules_interval = Some(std::time::Duration::from_millis(200));
        let server = start(c).await;
        let until = Utc::now() + chrono::TimeDelta::milliseconds(800);
        let t = agent_ticket(&server.base, "c1", 30, vec![Command::Postpone { until }]).await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let snap = server
                .state
                .db
                .ticket_snapshot(&t.0)
                .await
                .unwrap()
                .unwrap();
            if snap.status == Status::Open {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{name}: the timer never woke the ticket"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(Utc::now() >= until, "{name}: woken before its date");
        let events = server.state.db.all_events().await.unwrap();
        assert_eq!(system_status(&events, &t, Action::Wake), 1, "{name}");
    }
}
