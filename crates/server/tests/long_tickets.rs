//! Long tickets: pushes fold forward from a stored snapshot instead of re-reading the ticket's
//! history, and the snapshot always equals the fold of the stored events, also when an event
//! arrives that sorts before what the server already has. On SQLite and PostgreSQL.

mod common;

use common::*;
use mostrador_core::apply::fold;
use mostrador_core::model::Status;
use mostrador_server::Db;
use mostrador_server::db::for_checks;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_snapshot_follows_the_log_on_long_tickets() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let admin = Client::admin(&srv.base).await;
        let mut phone = Device::new("phone", 41);
        let opened = phone.open(&customer("c1"), "c1");
        let t = opened[0].ticket.clone();
        assert_eq!(c1.push(&opened).await.0, 200);
        // An agent's device that decides before it hears the customer's later replies: its
        // events sort before some of the stored ones.
        let mut desk = Device::new("desk", 42);
        desk.receive(&opened);
        let early = desk
            .run(Some(&t), note("seen, checking"), &agent(ADMIN.0))
            .unwrap();
        for round in 0..20 {
            let mut batch = Vec::new();
            for i in 0..25 {
                batch.extend(
                    phone
                        .run(Some(&t), reply(&format!("{round}.{i}")), &customer("c1"))
                        .unwrap(),
                );
            }
            let (s, r) = c1.push(&batch).await;
            assert_eq!(s, 200, "{db}: {r}");
            assert!(
                r["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|x| x["status"] == "accepted"),
                "{db}: {r}"
            );
            // An agent answers each round: the status goes back and forth, so the ticket's
            // status history grows (the snapshot keeps a bounded part of it).
            let mut answer_desk = Device::new("answers", 43 + round);
            answer_desk.receive(&phone.log);
            let answer = answer_desk
                .run(Some(&t), reply(&format!("answer {round}")), &agent(ADMIN.0))
                .unwrap();
            phone.receive(&answer);
            let (_, r) = admin.push(&answer).await;
            assert!(
                r["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|x| x["status"] == "accepted"),
                "{db}: {r}"
            );
        }
        let (_, r) = admin.push(&early).await;
        assert_eq!(r["results"][0]["status"], "accepted", "{db}: {r}");
        let log = srv.state.db.all_events().await.unwrap();
        assert!(log.len() > 500, "{db}");
        let full = fold(log.iter().filter(|e| e.ticket == t)).unwrap();
        assert!(
            full.status_history.len() > 20,
            "{db}: {}",
            full.status_history.len()
        );
        let want = for_checks(full);
        assert!(want.status_history.len() <= 7, "{db}");
        let got = srv.state.db.ticket_snapshot(&t.0).await.unwrap();
        assert_eq!(got, Some(want), "{db}");

        // A ticket stored before snapshots existed (or whose snapshot is unreadable) is folded
        // from its events on the next push.
        let forget = "UPDATE tickets SET state = NULL";
        match &srv.state.db {
            mostrador_server::Db::Sqlite(p, _) => sqlx::query(forget).execute(p).await.map(drop),
            mostrador_server::Db::Postgres(p, _) => sqlx::query(forget).execute(p).await.map(drop),
        }
        .unwrap();
        let more = phone
            .run(Some(&t), reply("after the upgrade"), &customer("c1"))
            .unwrap();
        let (_, r) = c1.push(&more).await;
        assert_eq!(r["results"][0]["status"], "accepted", "{db}: {r}");
        let log = srv.state.db.all_events().await.unwrap();
        let want = for_checks(fold(log.iter().filter(|e| e.ticket == t)).unwrap());
        let got = srv.state.db.ticket_snapshot(&t.0).await.unwrap();
        assert_eq!(got, Some(want), "{db}: after folding from the log");
    }
}

/// The status column follows the snapshot, and the reads of a few statuses (the timed rules,
/// SLA notices, agents' load) return exactly the tickets in them: through the column, and for
/// rows whose column is not filled yet, through their state. The migration's backfill fills it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_by_status_follow_the_snapshot() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let admin = Client::admin(&srv.base).await;
        let mut phone = Device::new("phone", 51);
        let first = phone.open(&customer("c1"), "c1");
        let second = phone.open(&customer("c1"), "c1");
        assert_eq!(c1.push(&first).await.0, 200);
        assert_eq!(c1.push(&second).await.0, 200);
        let (new, answered) = (first[0].ticket.0.clone(), second[0].ticket.0.clone());
        let mut desk = Device::new("desk", 52);
        desk.receive(&phone.log);
        let answer = desk
            .run(Some(&second[0].ticket), reply("hecho"), &agent(ADMIN.0))
            .unwrap();
        let (_, r) = admin.push(&answer).await;
        assert_eq!(r["results"][0]["status"], "accepted", "{db}: {r}");
        let filled = [Some("answered".to_owned()), Some("new".to_owned())];
        let store = &srv.state.db;

        by_status(store, &new, &answered, &format!("{db}, after the pushes")).await;
        assert_eq!(status_column(store).await, filled, "{db}");

        // Rows stored before the column existed: read through their state, then filled by the
        // migration's own statement.
        execute(store, "UPDATE tickets SET status = NULL").await;
        by_status(store, &new, &answered, &format!("{db}, the column empty")).await;
        let migration = match store {
            Db::Sqlite(..) => include_str!("../migrations/sqlite_0010_status.sql"),
            Db::Postgres(..) => include_str!("../migrations/postgres_0010_status.sql"),
        };
        let backfill = migration
            .lines()
            .find(|l| l.starts_with("UPDATE"))
            .expect("the migration fills the column");
        execute(store, backfill).await;
        assert_eq!(status_column(store).await, filled, "{db}: backfilled");
        by_status(store, &new, &answered, &format!("{db}, backfilled")).await;
    }
}

/// `ticket_states_in` gives exactly the ticket in each status, both for both, none for others.
async fn by_status(store: &Db, new: &str, answered: &str, when: &str) {
    let ids = |rows: Vec<(String, Option<mostrador_core::ticket::Ticket>)>| {
        rows.into_iter().map(|(id, _)| id).collect::<Vec<_>>()
    };
    let read = |statuses: &'static [Status]| store.ticket_states_in(statuses);
    assert_eq!(ids(read(&[Status::New]).await.unwrap()), [new], "{when}");
    assert_eq!(
        ids(read(&[Status::Answered]).await.unwrap()),
        [answered],
        "{when}"
    );
    let mut both = vec![new.to_owned(), answered.to_owned()];
    both.sort();
    let two = read(&[Status::New, Status::Answered]).await.unwrap();
    assert_eq!(ids(two), both, "{when}");
    assert!(read(&[Status::Closed]).await.unwrap().is_empty(), "{when}");
}

async fn status_column(store: &Db) -> Vec<Option<String>> {
    let sql = "SELECT status FROM tickets ORDER BY status";
    match store {
        Db::Sqlite(p, _) => sqlx::query_scalar(sql).fetch_all(p).await,
        Db::Postgres(p, _) => sqlx::query_scalar(sql).fetch_all(p).await,
    }
    .unwrap()
}

async fn execute(store: &Db, sql: &str) {
    match store {
        Db::Sqlite(p, _) => sqlx::query(sql).execute(p).await.map(drop),
        Db::Postgres(p, _) => sqlx::query(sql).execute(p).await.map(drop),
    }
    .unwrap();
}
