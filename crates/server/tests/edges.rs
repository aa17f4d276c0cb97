//! The lesser holes: what an event id, a rating or a follow-up link may tell or do, customer
//! token lifetimes, the bootstrap admin's password, expired sessions. On SQLite and PostgreSQL.

mod common;

use common::*;
use mostrador_core::event::{EventId, Payload};
use mostrador_core::model::{Rating, TicketRef};
use mostrador_core::sync::Principal;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_ids_are_not_confirmed_to_customers_who_cannot_see_them() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let c2 = Client::customer(&srv.base, "c2");
        let mut dev = Device::new("d", 61);
        let opened = dev.open(&customer("c1"), "c1");
        let t = opened[0].ticket.clone();
        let said = dev
            .run(Some(&t), reply("private"), &customer("c1"))
            .unwrap();
        let mine: Vec<_> = opened.iter().chain(&said).cloned().collect();
        assert_eq!(c1.push(&mine).await.0, 200);
        // c2 replays c1's event as c2, and a modified copy: neither says "duplicate" or
        // "conflict".
        let mut copy = said[0].clone();
        copy.actor = customer("c2");
        let mut changed = copy.clone();
        if let Payload::MessagePosted { body, .. } = &mut changed.payload {
            *body = "other".into();
        }
        for e in [copy, changed] {
            let (s, r) = c2.push(std::slice::from_ref(&e)).await;
            assert_eq!(s, 200);
            assert_eq!(r["results"][0]["status"], "rejected", "{db}: {r}");
            assert_eq!(r["results"][0]["code"], "not_requester", "{db}: {r}");
        }
        // The owner still gets "duplicate".
        let (_, r) = c1.push(&said).await;
        assert_eq!(r["results"][0]["status"], "duplicate", "{db}: {r}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_rate_only_resolved_tickets_and_link_only_their_follow_ups() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let c2 = Client::customer(&srv.base, "c2");
        let mut d1 = Device::new("d1", 62);
        let mut d2 = Device::new("d2", 63);
        let o1 = d1.open(&customer("c1"), "c1");
        let o2 = d2.open(&customer("c2"), "c2");
        assert_eq!(c1.push(&o1).await.0, 200);
        assert_eq!(c2.push(&o2).await.0, 200);
        let t1 = o1[0].ticket.clone();
        let base = d1.run(Some(&t1), reply("hello"), &customer("c1")).unwrap()[0].clone();
        let forge = |id: &str, payload: Payload| {
            let mut e = base.clone();
            e.id = EventId(id.into());
            e.payload = payload;
            e
        };
        let rating = forge(
            "rate-new-ticket",
            Payload::Rated(Rating {
                score: 1,
                comment: None,
            }),
        );
        let (_, r) = c1.push(&[rating]).await;
        assert_eq!(r["results"][0]["code"], "inconsistent_status", "{db}: {r}");
        let code = match &o2[0].payload {
            Payload::TicketOpened(o) => o.code.clone(),
            _ => unreachable!(),
        };
        let link = forge(
            "link-to-c2",
            Payload::FollowUpCreated {
                follow_up: TicketRef {
                    id: o2[0].ticket.clone(),
                    code,
                },
            },
        );
        let (_, r) = c1.push(&[link]).await;
        assert_eq!(r["results"][0]["code"], "bad_follow_up", "{db}: {r}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_tokens_have_a_maximum_lifetime() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let far = chrono::Utc::now().timestamp() + 10 * 365 * 24 * 3600;
        let t = mostrador_server::auth::sign_customer_token(SECRET, "c1", far);
        let (s, body) = Client::new(&srv.base, Some(t)).pull(0).await;
        assert_eq!(s, 401, "{db}: {body}");
        assert!(
            body["message"].as_str().unwrap().contains("30 days"),
            "{db}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_bootstrap_password_is_refused() {
    for (db, url, _guard) in databases().await {
        let mut cfg = config(&url);
        cfg.bootstrap_admin = Some(("root".into(), "short".into()));
        let err = mostrador_server::AppState::new(cfg).await.unwrap_err();
        assert!(err.to_string().contains("at least 10"), "{db}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_sessions_are_deleted() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let d = &srv.state.db;
        let now = chrono::Utc::now().timestamp_millis();
        d.create_session("old", &Principal::customer("a"), now - 1)
            .await
            .unwrap();
        d.create_session("new", &Principal::customer("b"), now + 60_000)
            .await
            .unwrap();
        assert_eq!(d.delete_expired_sessions(now).await.unwrap(), 1, "{db}");
        assert!(d.session("new", now).await.unwrap().is_some(), "{db}");
    }
}
