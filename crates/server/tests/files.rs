//! Attachment bytes through the sync server over real HTTP: upload after the announcing event is
//! accepted, download by another device, idempotence, the checks an upload passes (hash, size,
//! type, announcement, per-file limit, quotas), who may fetch what (customers only the public
//! files of their own tickets), the ETag, erasure, and the backfill of events stored before the
//! files tables existed. On SQLite and PostgreSQL.

mod common;

use common::*;
use mostrador_core::command::Command;
use mostrador_core::event::{Event, Payload};
use mostrador_core::model::{Attachment, TicketId, Visibility};
use mostrador_core::privacy::PrivacyRequest;
use mostrador_core::sync::Principal;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn file(name: &str, mime: &str, bytes: &[u8]) -> Attachment {
    Attachment {
        name: name.into(),
        mime: mime.into(),
        size: bytes.len() as u64,
        blob: sha(bytes),
    }
}

/// Bytes that differ per `seed` (so files do not share a hash by accident).
fn bytes(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

async fn put(c: &Client, hash: &str, body: &[u8], content_type: &str) -> (u16, Value) {
    let res = c
        .request("PUT", &format!("/v1/files/{hash}"))
        .header("content-type", content_type)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get(c: &Client, hash: &str) -> reqwest::Response {
    c.request("GET", &format!("/v1/files/{hash}"))
        .send()
        .await
        .unwrap()
}

/// The status and JSON error code of a GET.
async fn get_error(c: &Client, hash: &str) -> (u16, String) {
    let res = get(c, hash).await;
    let status = res.status().as_u16();
    let body: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap_or(Value::Null);
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

/// A customer's device opening a ticket with `files` attached; returns the opening's events.
fn open_with(device: &mut Device, who: &str, files: Vec<Attachment>) -> Vec<Event> {
    let mut f = form(who);
    f.attachments = files;
    device
        .run(None, Command::Open(Box::new(f)), &customer(who))
        .unwrap()
}

fn accepted(r: &Value) -> bool {
    r["results"]
        .as_array()
        .is_some_and(|rs| rs.iter().all(|x| x["status"] == "accepted"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_travels_from_one_device_to_another() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let phone = Client::customer(&srv.base, "c1");
        let laptop = Client::customer(&srv.base, "c1");
        let admin = Client::admin(&srv.base).await;
        let png = bytes(1, 3000);
        let hash = sha(&png);
        let mut dev = Device::new("phone", 1);
        let opened = open_with(&mut dev, "c1", vec![file("shot.png", "image/png", &png)]);
        let (s, r) = phone.push(&opened).await;
        assert!(s == 200 && accepted(&r), "{db}: {r}");

        // Announced but not uploaded yet.
        assert_eq!(
            get_error(&admin, &hash).await,
            (404, "not_uploaded".into()),
            "{db}"
        );
        // Without a session: 401, and nothing is stored.
        let anon = Client::new(&srv.base, None);
        assert_eq!(put(&anon, &hash, &png, "image/png").await.0, 401, "{db}");
        assert_eq!(get(&anon, &hash).await.status().as_u16(), 401, "{db}");
        assert!(!srv.state.db.file_stored(&hash).await.unwrap(), "{db}");
        // A path that is not a SHA-256.
        let (s, r) = put(&phone, &hash.to_uppercase(), &png, "image/png").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (400, Some("bad_path")),
            "{db}: {r}"
        );

        // The request's type is not what is kept: the announced one is.
        let (s, r) = put(&phone, &hash, &png, "text/html").await;
        assert_eq!(s, 201, "{db}: {r}");
        assert_eq!(r["sha256"], hash.as_str(), "{db}");
        assert_eq!(r["size"], 3000, "{db}");
        let (s, r) = put(&phone, &hash, &png, "image/png").await;
        assert_eq!(s, 200, "{db}: idempotent re-upload: {r}");
        assert_eq!(r["size"], 3000, "{db}");

        for reader in [&admin, &laptop] {
            let res = get(reader, &hash).await;
            assert_eq!(res.status().as_u16(), 200, "{db}");
            let h = res.headers().clone();
            assert_eq!(h["content-type"], "image/png", "{db}");
            assert_eq!(h["content-disposition"], "attachment", "{db}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{db}");
            assert_eq!(h["cache-control"], "private", "{db}");
            assert_eq!(h["etag"], format!("\"{hash}\"").as_str(), "{db}");
            assert_eq!(res.bytes().await.unwrap().to_vec(), png, "{db}");
        }

        // The ETag: a matching If-None-Match gets 304 without the bytes, another one the file.
        let res = admin
            .request("GET", &format!("/v1/files/{hash}"))
            .header("if-none-match", format!("\"{hash}\""))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 304, "{db}");
        assert!(res.bytes().await.unwrap().is_empty(), "{db}");
        let res = admin
            .request("GET", &format!("/v1/files/{hash}"))
            .header("if-none-match", "\"something-else\"")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{db}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_bodies_may_be_larger_than_other_bodies() {
    for (db, url, _guard) in databases().await {
        let cfg = config(&url);
        let body_limit = cfg.limits.max_body_bytes;
        let srv = start(cfg).await;
        let c1 = Client::customer(&srv.base, "c1");
        let admin = Client::admin(&srv.base).await;
        // Over the limit of every other request, well within the per-file one.
        let video = bytes(50, body_limit + 1024 * 1024);
        let mut dev = Device::new("phone", 11);
        let opened = open_with(&mut dev, "c1", vec![file("clip.mp4", "video/mp4", &video)]);
        assert!(accepted(&c1.push(&opened).await.1), "{db}");
        let (s, r) = put(&c1, &sha(&video), &video, "video/mp4").await;
        assert_eq!(s, 201, "{db}: {r}");
        let res = get(&admin, &sha(&video)).await;
        assert_eq!(res.status().as_u16(), 200, "{db}");
        assert_eq!(res.headers()["content-type"], "video/mp4", "{db}");
        assert!(res.bytes().await.unwrap().to_vec() == video, "{db}");
        // Other routes keep their limit.
        let res = c1
            .request("POST", "/v1/events")
            .header("content-type", "application/json")
            .body(vec![b' '; body_limit + 1024 * 1024])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 413, "{db}");
        let body: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(body["error"], "payload_too_large", "{db}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_must_be_the_announced_file() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let good = bytes(2, 500);
        let mut liar = file("wrong-size.pdf", "application/pdf", &bytes(3, 400));
        liar.size = 999;
        let mut dev = Device::new("phone", 2);
        let opened = open_with(
            &mut dev,
            "c1",
            vec![file("a.pdf", "application/pdf", &good), liar.clone()],
        );
        let (_, r) = c1.push(&opened).await;
        assert!(accepted(&r), "{db}: {r}");

        // Other bytes under the announced hash.
        let (s, r) = put(&c1, &sha(&good), &bytes(9, 500), "application/pdf").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (422, Some("hash_mismatch")),
            "{db}: {r}"
        );
        assert_eq!(
            r["message"].as_str().map(str::is_empty),
            Some(false),
            "{db}"
        );
        // The right bytes of a file announced with another size.
        let (s, r) = put(&c1, &liar.blob, &bytes(3, 400), "application/pdf").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (422, Some("size_mismatch")),
            "{db}: {r}"
        );
        // A file no event announces.
        let stray = bytes(4, 100);
        let (s, r) = put(&c1, &sha(&stray), &stray, "application/pdf").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (404, Some("unknown_file")),
            "{db}: {r}"
        );
        assert_eq!(
            get_error(&c1, &sha(&stray)).await,
            (404, "not_found".into())
        );
        for h in [sha(&good), liar.blob.clone(), sha(&stray)] {
            assert!(!srv.state.db.file_stored(&h).await.unwrap(), "{db}");
        }
        // The right one goes through.
        assert_eq!(put(&c1, &sha(&good), &good, "application/pdf").await.0, 201);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_get_only_the_public_files_of_their_own_tickets() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let c2 = Client::customer(&srv.base, "c2");
        let admin = Client::admin(&srv.base).await;
        let mine = bytes(5, 700);
        let mut phone = Device::new("phone", 3);
        let opened = open_with(&mut phone, "c1", vec![file("m.jpg", "image/jpeg", &mine)]);
        let t = opened[0].ticket.clone();
        assert!(accepted(&c1.push(&opened).await.1), "{db}");

        // Another customer can neither upload nor fetch it.
        let (s, r) = put(&c2, &sha(&mine), &mine, "image/jpeg").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (404, Some("unknown_file")),
            "{db}: {r}"
        );
        assert_eq!(put(&c1, &sha(&mine), &mine, "image/jpeg").await.0, 201);
        assert_eq!(get(&c1, &sha(&mine)).await.status().as_u16(), 200, "{db}");
        assert_eq!(
            get_error(&c2, &sha(&mine)).await,
            (404, "not_found".into()),
            "{db}"
        );

        // An internal note's file: agents only.
        let secret = bytes(6, 800);
        let mut desk = Device::new("desk", 4);
        desk.receive(&opened);
        let note = desk
            .run(
                Some(&t),
                Command::AddNote {
                    body: "the customer's invoice, for us".into(),
                    attachments: vec![file("internal.pdf", "application/pdf", &secret)],
                },
                &agent(ADMIN.0),
            )
            .unwrap();
        assert!(accepted(&admin.push(&note).await.1), "{db}");
        let (s, r) = put(&c1, &sha(&secret), &secret, "application/pdf").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (404, Some("unknown_file")),
            "{db}: {r}"
        );
        assert_eq!(
            put(&admin, &sha(&secret), &secret, "application/pdf")
                .await
                .0,
            201
        );
        assert_eq!(get(&admin, &sha(&secret)).await.status().as_u16(), 200);
        assert_eq!(
            get_error(&c1, &sha(&secret)).await,
            (404, "not_found".into()),
            "{db}: a customer got an internal note's file"
        );

        // A public reply's file reaches the customer.
        let shared = bytes(7, 300);
        let answer = desk
            .run(
                Some(&t),
                Command::Reply {
                    body: "here is the manual".into(),
                    attachments: vec![file("manual.pdf", "application/pdf", &shared)],
                },
                &agent(ADMIN.0),
            )
            .unwrap();
        assert!(accepted(&admin.push(&answer).await.1), "{db}");
        assert_eq!(
            get_error(&c1, &sha(&shared)).await,
            (404, "not_uploaded".into()),
            "{db}"
        );
        assert_eq!(put(&admin, &sha(&shared), &shared, "x/y").await.0, 201);
        let res = get(&c1, &sha(&shared)).await;
        assert_eq!(res.status().as_u16(), 200, "{db}");
        assert_eq!(res.bytes().await.unwrap().to_vec(), shared, "{db}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_types_never_get_stored() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let admin = Client::admin(&srv.base).await;
        let page = b"<script>alert(1)</script>".to_vec();
        let mut dev = Device::new("phone", 5);
        let opened = open_with(&mut dev, "c1", vec![]);
        let t = opened[0].ticket.clone();
        assert!(accepted(&c1.push(&opened).await.1), "{db}");

        // A device cannot announce a web page: the core refuses the event at push.
        let mut forged = dev
            .run(Some(&t), reply("see this"), &customer("c1"))
            .unwrap();
        if let Payload::MessagePosted { attachments, .. } = &mut forged[0].payload {
            attachments.push(file("x.html", "text/html", &page));
        }
        let (_, r) = c1.push(&forged).await;
        assert_eq!(r["results"][0]["status"], "rejected", "{db}: {r}");
        let (s, r) = put(&c1, &sha(&page), &page, "text/html").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (404, Some("unknown_file")),
            "{db}: {r}"
        );

        // An event the core did not check (the server's own; or one stored before the check
        // existed) may announce one: its bytes are still refused.
        let mut announcing = forged[0].clone();
        announcing.actor = mostrador_core::model::Actor::System;
        announcing.payload = Payload::MessagePosted {
            visibility: Visibility::Public,
            body: "old".into(),
            attachments: vec![file("x.html", "text/html", &page)],
        };
        let event = announcing.clone();
        let (results, _) = srv
            .state
            .db
            .write_system(
                &TicketId(t.0.clone()),
                Box::new(move |_, _| vec![event]),
                mostrador_server::now_ms(),
            )
            .await
            .unwrap();
        assert!(
            matches!(
                results[0],
                mostrador_core::sync::PushResult::Accepted { .. }
            ),
            "{db}: {results:?}"
        );
        let (s, r) = put(&c1, &sha(&page), &page, "image/png").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (415, Some("file_type")),
            "{db}: {r}"
        );
        assert!(!srv.state.db.file_stored(&sha(&page)).await.unwrap());
        assert_eq!(
            get_error(&admin, &sha(&page)).await,
            (404, "not_uploaded".into())
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_stay_within_the_file_limit_and_the_quotas() {
    for (db, url, _guard) in databases().await {
        let mut cfg = config(&url);
        cfg.limits.max_file_bytes = 1000;
        cfg.limits.max_ticket_file_bytes = 1500;
        cfg.limits.max_customer_file_bytes = 2000;
        let srv = start(cfg).await;
        let c1 = Client::customer(&srv.base, "c1");
        let big = bytes(10, 1001);
        let f: Vec<Vec<u8>> = (0..4).map(|i| bytes(20 + i, 900)).collect();
        let mut dev = Device::new("phone", 6);
        let t1 = open_with(
            &mut dev,
            "c1",
            vec![
                file("big.png", "image/png", &big),
                file("f0.png", "image/png", &f[0]),
                file("f1.png", "image/png", &f[1]),
            ],
        );
        let t2 = open_with(&mut dev, "c1", vec![file("f2.png", "image/png", &f[2])]);
        let t3 = open_with(&mut dev, "c1", vec![file("f3.png", "image/png", &f[3])]);
        let all: Vec<Event> = [t1, t2, t3].concat();
        assert!(accepted(&c1.push(&all).await.1), "{db}");

        // One byte over the per-file limit.
        let (s, r) = put(&c1, &sha(&big), &big, "image/png").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (413, Some("payload_too_large")),
            "{db}: {r}"
        );
        assert!(!srv.state.db.file_stored(&sha(&big)).await.unwrap());
        // The ticket's quota: 900 fit, 1800 do not.
        assert_eq!(put(&c1, &sha(&f[0]), &f[0], "image/png").await.0, 201);
        let (s, r) = put(&c1, &sha(&f[1]), &f[1], "image/png").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (413, Some("quota_exceeded")),
            "{db}: {r}"
        );
        // The customer's quota: another ticket's 900 fit (1800), a third's do not (2700).
        assert_eq!(put(&c1, &sha(&f[2]), &f[2], "image/png").await.0, 201);
        let (s, r) = put(&c1, &sha(&f[3]), &f[3], "image/png").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (413, Some("quota_exceeded")),
            "{db}: {r}"
        );
        assert!(!srv.state.db.file_stored(&sha(&f[3])).await.unwrap());
        // Already stored files are still acknowledged.
        assert_eq!(put(&c1, &sha(&f[0]), &f[0], "image/png").await.0, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_deletes_the_bytes_no_other_ticket_announces() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let c2 = Client::customer(&srv.base, "c2");
        let admin = Client::admin(&srv.base).await;
        let own = bytes(30, 600);
        let common_file = bytes(31, 600);
        let mut p1 = Device::new("p1", 7);
        let o1 = open_with(
            &mut p1,
            "c1",
            vec![
                file("own.png", "image/png", &own),
                file("common.png", "image/png", &common_file),
            ],
        );
        let t = o1[0].ticket.clone();
        let mut p2 = Device::new("p2", 8);
        let o2 = open_with(
            &mut p2,
            "c2",
            vec![file("common.png", "image/png", &common_file)],
        );
        assert!(accepted(&c1.push(&o1).await.1), "{db}");
        assert!(accepted(&c2.push(&o2).await.1), "{db}");
        assert_eq!(put(&c1, &sha(&own), &own, "image/png").await.0, 201);
        assert_eq!(
            put(&c1, &sha(&common_file), &common_file, "image/png")
                .await
                .0,
            201
        );
        assert_eq!(get(&admin, &sha(&own)).await.status().as_u16(), 200);

        let mut desk = Device::new("desk", 9);
        desk.receive(&o1);
        let erasure = desk
            .run(
                Some(&t),
                Command::Privacy {
                    request: PrivacyRequest::Erasure,
                },
                &agent(ADMIN.0),
            )
            .unwrap();
        assert!(accepted(&admin.push(&erasure).await.1), "{db}");

        assert!(
            !srv.state.db.file_stored(&sha(&own)).await.unwrap(),
            "{db}: the erased ticket's bytes are still stored"
        );
        assert_eq!(
            get_error(&admin, &sha(&own)).await,
            (404, "not_found".into())
        );
        assert_eq!(get_error(&c1, &sha(&own)).await, (404, "not_found".into()));
        // Nobody can bring them back.
        let (s, r) = put(&c1, &sha(&own), &own, "image/png").await;
        assert_eq!(
            (s, r["error"].as_str()),
            (404, Some("unknown_file")),
            "{db}: {r}"
        );
        // The file another ticket announces stays, for that ticket only.
        assert!(srv.state.db.file_stored(&sha(&common_file)).await.unwrap());
        let res = get(&c2, &sha(&common_file)).await;
        assert_eq!(res.status().as_u16(), 200, "{db}");
        assert_eq!(res.bytes().await.unwrap().to_vec(), common_file);
        assert_eq!(
            get_error(&c1, &sha(&common_file)).await,
            (404, "not_found".into()),
            "{db}"
        );
        // The erased requester's visibility of files follows the redacted ticket: none.
        let p = Principal::customer("c1");
        assert!(
            srv.state
                .db
                .announcements(&p, &sha(&common_file))
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_of_events_stored_before_the_files_tables_are_found_at_start() {
    for (db, url, _guard) in databases().await {
        let payload = bytes(40, 256);
        let hash = sha(&payload);
        {
            let srv = start(config(&url)).await;
            let c1 = Client::customer(&srv.base, "c1");
            let mut dev = Device::new("phone", 10);
            let opened = open_with(&mut dev, "c1", vec![file("old.png", "image/png", &payload)]);
            assert!(accepted(&c1.push(&opened).await.1), "{db}");
        }
        // As an older server left it: events, no record of their files, the backfill pending.
        let forget = [
            "DELETE FROM ticket_files",
            "INSERT INTO meta (key, value) VALUES ('files_backfill', 'pending') \
             ON CONFLICT (key) DO NOTHING",
        ];
        if db == "postgres" {
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            for q in forget {
                sqlx::query(q).execute(&pool).await.unwrap();
            }
            pool.close().await;
        } else {
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            for q in forget {
                sqlx::query(q).execute(&pool).await.unwrap();
            }
            pool.close().await;
        }
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        assert_eq!(put(&c1, &hash, &payload, "image/png").await.0, 201, "{db}");
        assert_eq!(get(&c1, &hash).await.status().as_u16(), 200, "{db}");
        assert_eq!(
            srv.state.db.meta("files_backfill").await.unwrap(),
            None,
            "{db}"
        );
        // A second start does not read the events again (nothing pending).
        assert_eq!(srv.state.db.backfill_files().await.unwrap(), 0, "{db}");
    }
}
