//! The launcher's unread count (`GET /v1/unread`): an agent's public answer counts, a note, the
//! customer's own message or another customer's ticket does not; `since` moves the count. On
//! SQLite and PostgreSQL.

mod common;

use common::openapi::Spec;
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_answers_count_until_the_visitor_looks() {
    let spec = Spec::load();
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let admin = Client::admin(&srv.base).await;
        let lucia = Client::customer(&srv.base, "lucia");
        let pepe = Client::customer(&srv.base, "pepe");
        let mut desk = Device::new("desk", 31);
        let opened = desk.open(&customer("lucia"), "lucia");
        let t = opened[0].ticket.clone();
        assert_eq!(lucia.push(&opened).await.0, 200, "{db}");
        let other = desk.open(&customer("pepe"), "pepe");
        assert_eq!(pepe.push(&other).await.0, 200, "{db}");

        let (s, before) = lucia.send("GET", "/v1/unread?since=0", None).await;
        spec.check("GET", "/v1/unread", s, &before);
        assert_eq!(
            before["unread"], 0,
            "{db}: her own opening is not news: {before}"
        );
        let looked = before["now_ms"].as_i64().unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;

        let note = desk
            .run(Some(&t), note("check the invoice"), &agent(ADMIN.0))
            .unwrap();
        let answer = desk
            .run(Some(&t), reply("Ya está"), &agent(ADMIN.0))
            .unwrap();
        let own = desk
            .run(Some(&t), reply("¿Seguro?"), &customer("lucia"))
            .unwrap();
        let second = desk.run(Some(&t), reply("Sí"), &agent(ADMIN.0)).unwrap();
        let on_pepes = desk
            .run(Some(&other[0].ticket), reply("Hola Pepe"), &agent(ADMIN.0))
            .unwrap();
        for evs in [&note, &answer, &second, &on_pepes] {
            assert_eq!(admin.push(evs).await.0, 200, "{db}");
        }
        assert_eq!(lucia.push(&own).await.0, 200, "{db}");

        let path = format!("/v1/unread?since={looked}");
        let (s, now) = lucia.send("GET", &path, None).await;
        spec.check("GET", "/v1/unread", s, &now);
        assert_eq!(
            now["unread"], 2,
            "{db}: two answers, no note, not hers: {now}"
        );
        assert_eq!(now["tickets"], serde_json::json!([t.0]), "{db}");
        assert!(!now.to_string().contains("check the invoice"), "{db}");
        // Pepe sees only his own ticket's answer.
        let (_, p) = pepe.send("GET", &path, None).await;
        assert_eq!(p["unread"], 1, "{db}: {p}");
        // After she looks, nothing is new.
        let later = now["now_ms"].as_i64().unwrap();
        let (_, after) = lucia
            .send("GET", &format!("/v1/unread?since={later}"), None)
            .await;
        assert_eq!(after["unread"], 0, "{db}: {after}");

        // Agents have an inbox, not a badge; a bad `since` or no token is a clear error.
        let (s, body) = admin.send("GET", "/v1/unread?since=0", None).await;
        assert_eq!(s, 403, "{db}: {body}");
        spec.check("GET", "/v1/unread", s, &body);
        let (s, body) = lucia.send("GET", "/v1/unread?since=yesterday", None).await;
        assert_eq!(s, 400, "{db}: {body}");
        assert!(
            body["message"].as_str().unwrap().contains("since"),
            "{body}"
        );
        let (s, _) = Client::new(&srv.base, None)
            .send("GET", "/v1/unread?since=0", None)
            .await;
        assert_eq!(s, 401, "{db}");
    }
}
