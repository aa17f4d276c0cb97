//! Who sees what when an agent hands a ticket to another requester: the new requester sees the
//! ticket from the handover on, the previous one nothing after it. On SQLite and PostgreSQL.

mod common;

use common::*;
use mostrador_core::command::Command;
use mostrador_core::event::PropertyChange;
use mostrador_core::model::{CustomerId, Requester};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requester_change_does_not_leak_history() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let admin = Client::admin(&srv.base).await;
        let c1 = Client::customer(&srv.base, "c1");
        let c2 = Client::customer(&srv.base, "c2");
        let mut desk = Device::new("desk", 21);
        let opened = desk.open(&agent(ADMIN.0), "c1");
        let t = opened[0].ticket.clone();
        assert_eq!(admin.push(&opened).await.0, 200, "{db}");
        let mut phone = Device::new("phone", 22);
        phone.receive(&opened);
        let secret = phone
            .run(Some(&t), reply("my card ends in 4242"), &customer("c1"))
            .unwrap();
        let (_, r) = c1.push(&secret).await;
        assert_eq!(r["results"][0]["status"], "accepted", "{db}: {r}");
        desk.receive(&secret);
        let handover = desk
            .run(
                Some(&t),
                Command::Edit {
                    changes: vec![PropertyChange::Requester(Requester {
                        customer_id: Some(CustomerId("c2".into())),
                        name: "Second".into(),
                        email: Some("second@example.com".into()),
                        ..Default::default()
                    })],
                },
                &agent(ADMIN.0),
            )
            .unwrap();
        let (_, r) = admin.push(&handover).await;
        assert_eq!(r["results"][0]["status"], "accepted", "{db}: {r}");
        let later = desk
            .run(Some(&t), reply("hello c2"), &agent(ADMIN.0))
            .unwrap();
        assert_eq!(admin.push(&later).await.0, 200);

        let ids = |evs: &[mostrador_core::event::Event]| {
            evs.iter().map(|e| e.id.0.clone()).collect::<Vec<_>>()
        };
        // The new requester: the handover and what follows, nothing before.
        let seen2 = c2.pulled_ids().await;
        let mut want2 = ids(&handover);
        want2.extend(ids(&later));
        assert_eq!(seen2, want2, "{db}");
        let (_, p2) = c2.pull(0).await;
        assert!(!p2.to_string().contains("4242"), "{db}: {p2}");
        // The previous requester: what came before, nothing from the handover on.
        let seen1 = c1.pulled_ids().await;
        let mut want1 = ids(&opened);
        want1.extend(ids(&secret));
        assert_eq!(seen1, want1, "{db}");
        let (_, p1) = c1.pull(0).await;
        assert!(!p1.to_string().contains("second@example.com"), "{db}: {p1}");
        // And c1 can no longer write to it.
        phone.receive(&handover);
        if let Ok(more) = phone.run(Some(&t), reply("still there?"), &customer("c1")) {
            let (_, r) = c1.push(&more).await;
            assert_eq!(r["results"][0]["code"], "not_requester", "{db}: {r}");
        }
    }
}
