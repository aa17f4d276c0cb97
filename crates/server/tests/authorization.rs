//! Who may do what, endpoint by endpoint: customer A, customer B, an anonymous visitor, an agent,
//! an admin and nobody, on SQLite and on PostgreSQL.

mod common;

use common::*;
use mostrador_core::command::Command;
use mostrador_core::event::Payload;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_authorization_matrix() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let base = srv.base.as_str();
        let admin = Client::admin(base).await;
        assert_eq!(
            admin
                .send(
                    "PUT",
                    "/v1/admin/agents/ana",
                    Some(json!({"password": "ana-password-1"}))
                )
                .await
                .0,
            204
        );
        let ana = Client::agent(base, "ana", "ana-password-1").await;
        let a = Client::customer(base, "A");
        let b = Client::customer(base, "B");
        let (s, anon_session) = Client::new(base, None)
            .send("POST", "/v1/auth/anonymous", None)
            .await;
        assert_eq!(s, 200);
        let anon = Client::new(base, anon_session["token"].as_str().map(str::to_owned));
        let anon_id = anon_session["principal"]["id"].as_str().unwrap().to_owned();
        assert!(anon_id.starts_with("anon-"));
        let nobody = Client::new(base, None);

        // A opens a ticket; ana answers, tags it and adds an internal note.
        let mut dev_a = Device::new("a-phone", 1);
        let opening = dev_a.open(&customer("A"), "A");
        let t = opening[0].ticket.clone();
        assert_eq!(a.push(&opening).await.0, 200);
        let mut dev_ana = Device::new("ana-pc", 2);
        dev_ana.receive(&opening);
        let answer = dev_ana
            .run(Some(&t), reply("On it"), &agent("ana"))
            .unwrap();
        let internal = dev_ana
            .run(Some(&t), note("VIP, careful"), &agent("ana"))
            .unwrap();
        let tag = dev_ana
            .run(
                Some(&t),
                Command::Tag {
                    add: vec!["vip".into()],
                    remove: vec![],
                },
                &agent("ana"),
            )
            .unwrap();
        let staff: Vec<_> = answer
            .iter()
            .chain(&internal)
            .chain(&tag)
            .cloned()
            .collect();

        // Pushing: each caller only their own, allowed events.
        let status_of = |v: &serde_json::Value| -> Vec<String> {
            v["results"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .map(|x| {
                            x["code"]
                                .as_str()
                                .or(x["status"].as_str())
                                .unwrap()
                                .to_owned()
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (s, r) = a.push(&staff).await;
        assert_eq!(s, 200);
        assert!(
            status_of(&r).iter().all(|c| c == "not_your_event"),
            "{db} A pushes ana's: {r}"
        );
        let (_, r) = nobody.push(&staff).await;
        assert_eq!(r["error"], "unauthorized");
        let (_, r) = ana.push(&staff).await;
        assert!(status_of(&r).iter().all(|c| c == "accepted"), "{db}: {r}");

        // B replies on A's ticket as B, or sends a note as A: refused.
        let mut dev_b = Device::new("b-phone", 3);
        dev_b.receive(&opening);
        let mut b_reply = dev_a.run(Some(&t), reply("hi"), &customer("A")).unwrap();
        for e in &mut b_reply {
            e.actor = customer("B");
            e.id.0.push('b');
        }
        let (_, r) = b.push(&b_reply).await;
        assert!(
            status_of(&r).iter().all(|c| c == "not_requester"),
            "{db}: {r}"
        );
        let mut forged_note = internal[0].clone();
        forged_note.actor = customer("A");
        forged_note.id.0.push('x');
        let (_, r) = a.push(&[forged_note]).await;
        assert_eq!(status_of(&r), ["forbidden"], "{db}");
        // A customer cannot set agent-only fields, even on their own new ticket.
        let mut tagged_open = dev_b.open(&customer("B"), "B");
        if let Payload::TicketOpened(o) = &mut tagged_open[0].payload {
            o.tags = vec!["free-upgrade".into()];
        }
        let (_, r) = b.push(&tagged_open).await;
        assert_eq!(status_of(&r), ["forbidden"], "{db}");
        // The anonymous visitor opens their own ticket.
        let mut dev_anon = Device::new("anon", 4);
        let anon_open = dev_anon.open(&customer(&anon_id), &anon_id);
        let (_, r) = anon.push(&anon_open).await;
        assert_eq!(status_of(&r), ["accepted"], "{db}");

        // Pulling: A sees their ticket without the note and the tags; B and anon only theirs.
        let a_ids = a.pulled_ids().await;
        assert!(a_ids.contains(&opening[0].id.0));
        assert!(a_ids.contains(&answer[0].id.0));
        assert!(
            !a_ids.contains(&internal[0].id.0),
            "{db}: A sees an internal note"
        );
        assert!(!a_ids.contains(&tag[0].id.0), "{db}: A sees tags");
        assert!(!a_ids.contains(&anon_open[0].id.0));
        assert!(b.pulled_ids().await.is_empty(), "{db}: B sees A's ticket");
        assert_eq!(anon.pulled_ids().await, [anon_open[0].id.0.clone()]);
        let staff_ids = ana.pulled_ids().await;
        assert!(staff_ids.contains(&internal[0].id.0) && staff_ids.contains(&anon_open[0].id.0));
        assert_eq!(admin.pulled_ids().await, staff_ids);
        assert_eq!(nobody.pull(0).await.0, 401);

        // Who am I.
        assert_eq!(
            a.send("GET", "/v1/auth/me", None).await.1["kind"],
            "customer"
        );
        assert_eq!(ana.send("GET", "/v1/auth/me", None).await.1["admin"], false);
        assert_eq!(nobody.send("GET", "/v1/auth/me", None).await.0, 401);

        // The stream: anyone signed in.
        for (c, want) in [(&a, 200), (&ana, 200), (&anon, 200), (&nobody, 401)] {
            let mut path = "/v1/stream?protocol=2".to_owned();
            if let Some(t) = &c.token {
                path.push_str(&format!("&token={t}"));
            }
            let res = nobody.request("GET", &path).send().await.unwrap();
            assert_eq!(res.status().as_u16(), want, "{db} stream");
        }

        // Admin endpoints: only admins.
        for (name, c, want) in [
            ("A", &a, 403),
            ("B", &b, 403),
            ("anon", &anon, 403),
            ("ana", &ana, 403),
            ("nobody", &nobody, 401),
            ("admin", &admin, 200),
        ] {
            assert_eq!(
                c.send("GET", "/v1/admin/agents", None).await.0,
                want,
                "{db} list {name}"
            );
            let put = c
                .send(
                    "PUT",
                    "/v1/admin/agents/mallory",
                    Some(json!({"password": "mallory-pass-1", "admin": true})),
                )
                .await
                .0;
            assert_eq!(put, if want == 200 { 204 } else { want }, "{db} put {name}");
        }
        let (_, list) = admin.send("GET", "/v1/admin/agents", None).await;
        let ids: Vec<_> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].clone())
            .collect();
        assert_eq!(ids, [json!("ana"), json!("mallory"), json!("root")]);
        assert!(
            list[0].get("password_hash").is_none(),
            "hashes never leave the server"
        );
        let mallory = Client::agent(base, "mallory", "mallory-pass-1").await;
        assert_eq!(
            ana.send("DELETE", "/v1/admin/agents/mallory", None).await.0,
            403
        );
        assert_eq!(
            admin
                .send("DELETE", "/v1/admin/agents/mallory", None)
                .await
                .0,
            204
        );
        assert_eq!(
            admin
                .send("DELETE", "/v1/admin/agents/mallory", None)
                .await
                .0,
            404
        );
        assert_eq!(
            mallory.pull(0).await.0,
            401,
            "{db}: a deleted agent's session ends"
        );
        let (s, r) = admin
            .send(
                "PUT",
                "/v1/admin/agents/x",
                Some(json!({"password": "short"})),
            )
            .await;
        assert_eq!((s, r["error"].as_str()), (400, Some("bad_request")));

        // Wrong password, logout, bad and expired customer tokens.
        let (s, _) = nobody
            .send(
                "POST",
                "/v1/auth/login",
                Some(json!({"agent_id": "ana", "password": "nope"})),
            )
            .await;
        assert_eq!(s, 401);
        assert_eq!(ana.send("POST", "/v1/auth/logout", None).await.0, 204);
        assert_eq!(ana.pull(0).await.0, 401, "{db}: logged out");
        let expired = mostrador_server::auth::sign_customer_token(SECRET, "A", 1);
        let (s, r) = Client::new(base, Some(expired)).pull(0).await;
        assert_eq!(s, 401);
        assert!(r["message"].as_str().unwrap().contains("expired"));
        let forged =
            mostrador_server::auth::sign_customer_token(b"guessed-secret-xx", "A", i64::MAX);
        assert_eq!(Client::new(base, Some(forged)).pull(0).await.0, 401);
    }
}
