//! Free-text fields over the core's limits (`mostrador_core::validate::limits`) are refused by the
//! server, event by event, whatever a modified client sends. On SQLite and PostgreSQL.

mod common;

use common::*;
use mostrador_core::event::{Event, Payload};
use mostrador_core::model::Attachment;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_free_text_is_refused() {
    let big = "x".repeat(1 << 20);
    type Edit = Box<dyn Fn(&mut mostrador_core::event::Opened, &str)>;
    let edits: Vec<(&str, Edit)> = vec![
        ("name", Box::new(|o, b| o.requester.name = b.into())),
        (
            "email",
            Box::new(|o, b| o.requester.email = Some(format!("{b}@example.com"))),
        ),
        (
            "phone",
            Box::new(|o, b| o.requester.phone = Some(b.replace('x', "1"))),
        ),
        (
            "locale",
            Box::new(|o, b| o.requester.locale = Some(b.into())),
        ),
        ("location", Box::new(|o, b| o.location = Some(b.into()))),
        ("category", Box::new(|o, b| o.category = Some(b.into()))),
        (
            "attachment",
            Box::new(|o, b| {
                o.attachments = vec![Attachment {
                    name: b.into(),
                    mime: "image/png".into(),
                    size: 10,
                    blob: "abc123".into(),
                }]
            }),
        ),
    ];
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let mut dev = Device::new("phone", 51);
        for (what, edit) in &edits {
            let mut ev: Vec<Event> = dev.open(&customer("c1"), "c1");
            if let Payload::TicketOpened(o) = &mut ev[0].payload {
                edit(o, &big);
            }
            let (s, r) = c1.push(&ev[..1]).await;
            assert_eq!(s, 200, "{db} {what}: {r}");
            assert_eq!(r["results"][0]["code"], "invalid", "{db} {what}: {r}");
            assert!(
                r["results"][0]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("longer than")),
                "{db} {what}: {r}"
            );
        }
        assert!(srv.state.db.all_events().await.unwrap().is_empty(), "{db}");
    }
}
