//! Email notices against a real SMTP server on loopback (the test listener in
//! `common::smtp`, which speaks the protocol), on SQLite and PostgreSQL: each notice is sent
//! once, in the recipient's language, to the right recipient, and internal notes reach no one;
//! an SMTP outage then recovery delivers everything exactly once; the one-click unsubscribe link
//! stops that kind of mail until undone (and a forged one is refused); an erasure takes the
//! ticket's unsent notices with it; a breached SLA mails the assignee once; two servers on one
//! PostgreSQL send each notice once; a kill -9 of the server binary between the event and its
//! delivery loses nothing. An SLA at risk mails the assignee once, then its breach once.
//!
//! Over TLS, against the test server speaking TLS with a certificate from a CA made at test time
//! (trusted through `MOSTRADOR_SMTP_CA_FILE`): implicit TLS with credentials from the
//! environment, checked by the server and never in the log or the outbox; STARTTLS, with
//! `MAIL FROM` only after the upgrade; a certificate not trusted, or a STARTTLS URL against a
//! server that does not offer it: nothing sent (in clear or at all), the error recorded, and the
//! notice delivered once the trust is fixed.

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::openapi::Spec;
use common::smtp::{Mail, Security, SmtpServer, TestCa};
use common::*;
use mostrador_core::assignment::{Agent, Team};
use mostrador_core::command::NewTicket;
use mostrador_core::event::Event;
use mostrador_core::model::{AgentId, Channel, CustomerId, Requester, TeamId, TicketId};
use mostrador_server::email::{EmailConfig, Timing};

const TICKET_URL: &str = "https://shop.example/help/tickets/{code}";
const SURVEY_URL: &str = "https://shop.example/help/survey/{code}";
/// The public address in the mail; the tests send its path to the running server.
const PUBLIC_URL: &str = "https://desk.example";

fn agent_settings(id: &str, email: &str, lang: &str) -> Agent {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": id.to_uppercase(), "email": email,
        // Capacity 0: tickets only by hand, so the routing rules assign nothing by themselves.
        "languages": [lang], "capacity": 0,
    }))
    .unwrap()
}

/// A server mailing through `smtp`: agents root (English) and ana (Spanish, team billing).
fn mail_config(url: &str, smtp: &SmtpServer) -> mostrador_server::Config {
    let mut c = config(url);
    c.rules_interval = None;
    c.desk.agents = vec![
        agent_settings(ADMIN.0, "root@desk.example", "en"),
        agent_settings("ana", "ana@desk.example", "es-AR"),
    ];
    c.desk.teams = vec![Team {
        id: TeamId("billing".into()),
        name: "Billing".into(),
        members: vec![AgentId("ana".into())],
    }];
    c.email = Some(EmailConfig {
        smtp_url: smtp.url(),
        credentials: None,
        from: "Mostrador <help@desk.example>".into(),
        ticket_url: Some(TICKET_URL.into()),
        survey_url: Some(SURVEY_URL.into()),
        public_url: PUBLIC_URL.into(),
        ca_pem: None,
        timing: Timing {
            poll: Duration::from_millis(50),
            retry_base: Duration::from_millis(100),
            retry_max: Duration::from_millis(400),
            timeout: Duration::from_secs(5),
        },
    });
    c
}

fn requester(customer: &str, email: &str, locale: &str) -> Requester {
    Requester {
        customer_id: Some(CustomerId(customer.into())),
        name: format!("Customer {customer}"),
        email: Some(email.into()),
        locale: Some(locale.into()),
        ..Default::default()
    }
}

fn opening(
    dev: &mut Device,
    actor: &mostrador_core::model::Actor,
    r: Requester,
    team: Option<&str>,
) -> Vec<Event> {
    let form = NewTicket {
        team: team.map(|t| TeamId(t.into())),
        ..NewTicket::new(
            "Factura <b>duplicada</b>",
            "Dos cobros.",
            r,
            Channel::WebForm,
        )
    };
    dev.run(
        None,
        mostrador_core::command::Command::Open(Box::new(form)),
        actor,
    )
    .unwrap()
}

async fn until(what: &str, mut f: impl FnMut() -> bool) {
    for _ in 0..400 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Waits until the outbox has `n` rows, every one marked sent: the SMTP
/// server sees a message before the mailer has recorded the answer.
async fn all_sent(server: &Running, n: usize) -> Vec<mostrador_server::email::OutboxRow> {
    for _ in 0..400 {
        let rows = server.state.db.outbox().await.unwrap();
        if rows.len() == n && rows.iter().all(|r| r.sent_at_ms.is_some()) {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {n} sent rows in the outbox");
}

async fn push_ok(c: &Client, events: &[Event]) {
    let (s, body) = c.push(events).await;
    assert_eq!(s, 200, "{body}");
    for r in body["results"].as_array().unwrap() {
        assert_eq!(r["status"], "accepted", "{body}");
    }
}

/// (kind, recipient) of each mail.
fn sent(mails: &[Mail]) -> Vec<(String, String)> {
    mails.iter().map(|m| (m.kind(), m.to.join(","))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_notice_is_sent_once_in_the_recipients_language() {
    for (db, url, _guard) in databases().await {
        let smtp = SmtpServer::start().await;
        let server = start(mail_config(&url, &smtp)).await;
        let root = Client::admin(&server.base).await;
        let lucia = Client::customer(&server.base, "c-lucia");
        let mut dev = Device::new("n1", 1);
        // The customer opens (Portuguese); root assigns it to ana, writes a note, answers,
        // the customer answers, root resolves.
        let opened = opening(
            &mut dev,
            &customer("c-lucia"),
            requester("c-lucia", "lucia@example.com", "pt-BR"),
            None,
        );
        let t: TicketId = opened[0].ticket.clone();
        push_ok(&lucia, &opened).await;
        let code = dev.state(&t).unwrap().code.to_string();
        let assign = dev
            .run(
                Some(&t),
                mostrador_core::command::Command::Assign {
                    agent: Some(AgentId("ana".into())),
                    team: None,
                },
                &agent(ADMIN.0),
            )
            .unwrap();
        push_ok(&root, &assign).await;
        let n = dev
            .run(Some(&t), note("SECRET-NOTE never mailed"), &agent(ADMIN.0))
            .unwrap();
        push_ok(&root, &n).await;
        let r = dev
            .run(Some(&t), reply("Olá <script>x</script>"), &agent(ADMIN.0))
            .unwrap();
        push_ok(&root, &r).await;
        let back = dev
            .run(Some(&t), reply("Obrigada"), &customer("c-lucia"))
            .unwrap();
        push_ok(&lucia, &back).await;
        let resolve = dev
            .run(
                Some(&t),
                mostrador_core::command::Command::Resolve,
                &agent(ADMIN.0),
            )
            .unwrap();
        push_ok(&root, &resolve).await;
        // An agent opens one in the billing queue for someone writing in Spanish.
        let queued = opening(
            &mut dev,
            &agent(ADMIN.0),
            requester("c-pepe", "pepe@example.com", "es"),
            Some("billing"),
        );
        push_ok(&root, &queued).await;

        until("seven mails", || smtp.mails().len() >= 7).await;
        // Nothing more comes: each notice once.
        tokio::time::sleep(Duration::from_millis(600)).await;
        let mails = smtp.mails();
        let mut got = sent(&mails);
        got.sort();
        let mut want: Vec<(String, String)> = [
            ("ticket_received", "lucia@example.com"),
            ("assigned_to_you", "ana@desk.example"),
            ("agent_replied", "lucia@example.com"),
            ("customer_replied", "ana@desk.example"),
            ("resolved", "lucia@example.com"),
            ("ticket_received", "pepe@example.com"),
            ("new_ticket_in_queue", "ana@desk.example"),
        ]
        .iter()
        .map(|(k, a)| ((*k).to_owned(), (*a).to_owned()))
        .collect();
        want.sort();
        assert_eq!(got, want, "{db}");
        let ids: std::collections::BTreeSet<String> = mails.iter().map(Mail::message_id).collect();
        assert_eq!(ids.len(), mails.len(), "{db}: Message-IDs are unique");
        for m in &mails {
            assert!(m.subject().contains('['), "{db}: {}", m.subject());
            assert_eq!(
                m.header("Auto-Submitted").as_deref(),
                Some("auto-generated")
            );
            assert!(m.header("List-Unsubscribe").is_some());
            assert!(!m.data.contains("SECRET-NOTE"), "{db}: a note was mailed");
            assert!(!m.html().contains("<script>"), "{db}: unescaped HTML");
            assert!(
                !m.html().contains("<b>duplicada"),
                "{db}: unescaped subject"
            );
            assert!(!m.html().contains("<img"), "{db}: an image");
        }
        let by = |kind: &str, to: &str| {
            mails
                .iter()
                .find(|m| m.kind() == kind && m.to == [to.to_owned()])
                .unwrap()
                .clone()
        };
        let received = by("ticket_received", "lucia@example.com");
        assert!(received.subject().contains(&code), "{}", received.subject());
        assert!(received.subject().contains("Recebemos"), "{db}: Portuguese");
        assert!(
            received
                .text()
                .contains(&TICKET_URL.replace("{code}", &code))
        );
        let replied = by("agent_replied", "lucia@example.com");
        assert!(replied.text().contains("Olá <script>x</script>"));
        assert!(
            replied
                .html()
                .contains("Olá &lt;script&gt;x&lt;/script&gt;")
        );
        let resolved = by("resolved", "lucia@example.com");
        assert!(
            resolved
                .text()
                .contains(&SURVEY_URL.replace("{code}", &code))
        );
        assert!(
            by("assigned_to_you", "ana@desk.example")
                .subject()
                .contains("asignado")
        );
        assert!(
            by("ticket_received", "pepe@example.com")
                .subject()
                .contains("Recibimos")
        );
        assert!(
            by("customer_replied", "ana@desk.example")
                .text()
                .contains("Obrigada")
        );
        let rows = all_sent(&server, 7).await;
        assert_eq!(rows.len(), 7, "{db}");
        // Admins read the outbox (newest first, never the text); others may not.
        let (s, log) = root.send("GET", "/v1/admin/email/outbox", None).await;
        assert_eq!(s, 200, "{db}: {log}");
        Spec::load().check("GET", "/v1/admin/email/outbox", s, &log);
        let log = log.as_array().unwrap();
        assert_eq!(log.len(), 7, "{db}");
        let mut newest = [log[0]["kind"].clone(), log[1]["kind"].clone()];
        newest.sort_by_key(|v| v.to_string());
        assert_eq!(
            newest,
            [
                serde_json::json!("new_ticket_in_queue"),
                serde_json::json!("ticket_received")
            ],
            "{db}"
        );
        assert!(log.iter().all(|r| r["sent_at_ms"].is_i64()), "{db}");
        assert!(!serde_json::to_string(log).unwrap().contains("Obrigada"));
        let (s, body) = lucia.send("GET", "/v1/admin/email/outbox", None).await;
        assert_eq!(s, 403, "{db}");
        Spec::load().check("GET", "/v1/admin/email/outbox", s, &body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_smtp_outage_then_recovery_delivers_everything_once() {
    for (db, url, _guard) in databases().await {
        let smtp = SmtpServer::start().await;
        smtp.fail.store(true, Ordering::SeqCst);
        let server = start(mail_config(&url, &smtp)).await;
        let mut dev = Device::new("n2", 2);
        for i in 0..4 {
            let id = format!("c-{i}");
            let c = Client::customer(&server.base, &id);
            let o = opening(
                &mut dev,
                &customer(&id),
                requester(&id, &format!("{id}@example.com"), "en"),
                None,
            );
            push_ok(&c, &o).await;
        }
        // Every notice was tried and refused at least once, some more than once.
        until("refusals", || smtp.refused.load(Ordering::SeqCst) >= 8).await;
        assert!(smtp.mails().is_empty());
        let rows = server.state.db.outbox().await.unwrap();
        assert_eq!(rows.len(), 4, "{db}");
        assert!(rows.iter().all(|r| r.sent_at_ms.is_none()), "{db}");
        smtp.fail.store(false, Ordering::SeqCst);
        until("four mails", || smtp.mails().len() >= 4).await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        let mut to: Vec<String> = smtp.mails().iter().map(|m| m.to.join(",")).collect();
        to.sort();
        assert_eq!(
            to,
            (0..4)
                .map(|i| format!("c-{i}@example.com"))
                .collect::<Vec<_>>(),
            "{db}: each once"
        );
        let rows = all_sent(&server, 4).await;
        assert!(rows.iter().all(|r| r.attempts >= 1));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsubscribe_stops_that_kind_of_mail() {
    for (db, url, _guard) in databases().await {
        let smtp = SmtpServer::start().await;
        let server = start(mail_config(&url, &smtp)).await;
        let root = Client::admin(&server.base).await;
        let c = Client::customer(&server.base, "c-u");
        let mut dev = Device::new("n3", 3);
        let o = opening(
            &mut dev,
            &customer("c-u"),
            requester("c-u", "U@Example.com", "es"),
            None,
        );
        push_ok(&c, &o).await;
        until("the first mail", || smtp.mails().len() == 1).await;
        let link = smtp.mails()[0].header("List-Unsubscribe").unwrap();
        let link = link.trim_start_matches('<').trim_end_matches('>');
        assert!(link.starts_with(PUBLIC_URL), "{link}");
        let path = &link[PUBLIC_URL.len()..];
        let http = reqwest::Client::new();
        // A forged link (another kind) is refused; the page asks before unsubscribing.
        let forged = path.replace("k=ticket_received", "k=agent_replied");
        let r = http
            .post(format!("{}{forged}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{db}");
        let page = http
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("<form method=\"post\""), "{page}");
        // It also offers every kind at once, with a link of its own.
        assert!(page.contains("k=%2A&amp;s="), "{page}");
        let r = http
            .post(format!("{}{path}", server.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{db}");
        // A second ticket: no "received" mail; an agent's reply (another kind) still comes.
        let o2 = opening(
            &mut dev,
            &customer("c-u"),
            requester("c-u", "u@example.com", "es"),
            None,
        );
        let t2 = o2[0].ticket.clone();
        push_ok(&c, &o2).await;
        let r = dev.run(Some(&t2), reply("Hola"), &agent(ADMIN.0)).unwrap();
        push_ok(&root, &r).await;
        until("the reply mail", || smtp.mails().len() == 2).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let kinds: Vec<String> = smtp.mails().iter().map(Mail::kind).collect();
        assert_eq!(kinds, ["ticket_received", "agent_replied"], "{db}");
        let rows = server.state.db.outbox().await.unwrap();
        assert_eq!(
            rows.iter()
                .filter(|r| r.skipped.as_deref() == Some("unsubscribed"))
                .count(),
            1,
            "{db}"
        );
        // Undone with the same link: the next ticket's "received" mail comes again.
        let again = path.replace("/v1/email/unsubscribe", "/v1/email/resubscribe");
        let r = http
            .post(format!("{}{again}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{db}");
        let o3 = opening(
            &mut dev,
            &customer("c-u"),
            requester("c-u", "u@example.com", "es"),
            None,
        );
        push_ok(&c, &o3).await;
        until("the third mail", || smtp.mails().len() == 3).await;
        assert_eq!(smtp.mails()[2].kind(), "ticket_received", "{db}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_takes_the_tickets_unsent_notices_with_it() {
    for (db, url, _guard) in databases().await {
        let smtp = SmtpServer::start().await;
        smtp.fail.store(true, Ordering::SeqCst);
        let server = start(mail_config(&url, &smtp)).await;
        let root = Client::admin(&server.base).await;
        let c = Client::customer(&server.base, "c-e");
        let mut dev = Device::new("n5", 5);
        let o = opening(
            &mut dev,
            &customer("c-e"),
            requester("c-e", "erase.me@example.com", "en"),
            None,
        );
        let t = o[0].ticket.clone();
        push_ok(&c, &o).await;
        until("a refused attempt", || {
            smtp.refused.load(Ordering::SeqCst) >= 1
        })
        .await;
        assert_eq!(server.state.db.outbox().await.unwrap().len(), 1, "{db}");
        let erasure = dev
            .run(
                Some(&t),
                mostrador_core::command::Command::Privacy {
                    request: mostrador_core::privacy::PrivacyRequest::Erasure,
                },
                &agent(ADMIN.0),
            )
            .unwrap();
        push_ok(&root, &erasure).await;
        assert!(server.state.db.outbox().await.unwrap().is_empty(), "{db}");
        // A round that read the notice before the erasure has finished its attempt by now.
        tokio::time::sleep(Duration::from_millis(300)).await;
        smtp.fail.store(false, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert!(smtp.mails().is_empty(), "{db}: mail about an erased ticket");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_breached_sla_mails_the_assignee_once() {
    for (db, url, _guard) in databases().await {
        let smtp = SmtpServer::start().await;
        let mut c = mail_config(&url, &smtp);
        c.desk.sla.policies = vec![
            serde_json::from_value(serde_json::json!({
                "id": "std", "name": "Standard", "calendar": "24x7",
                "targets": {"first_response": 30}
            }))
            .unwrap(),
        ];
        // The workspace's own link template wins over the server's.
        c.desk.profile.ticket_url = "https://site.example/t/{code}".into();
        let server = start(c).await;
        let root = Client::admin(&server.base).await;
        let cust = Client::customer(&server.base, "c-s");
        // Opened two hours ago on an offline device and assigned to ana then: unanswered for
        // longer than the 30 minutes promised.
        let mut dev = Device::at(
            "portal",
            6,
            chrono::Utc::now().timestamp_millis() - 2 * 3600 * 1000,
        );
        let o = opening(
            &mut dev,
            &customer("c-s"),
            requester("c-s", "s@example.com", "en"),
            None,
        );
        let t = o[0].ticket.clone();
        push_ok(&cust, &o).await;
        let assign = dev
            .run(
                Some(&t),
                mostrador_core::command::Command::Assign {
                    agent: Some(AgentId("ana".into())),
                    team: None,
                },
                &agent(ADMIN.0),
            )
            .unwrap();
        push_ok(&root, &assign).await;
        for _ in 0..2 {
            server.state.run_rules().await.unwrap();
        }
        until("three mails", || smtp.mails().len() >= 3).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut got = sent(&smtp.mails());
        got.sort();
        assert_eq!(
            got,
            [
                ("assigned_to_you".to_owned(), "ana@desk.example".to_owned()),
                ("sla_breached".to_owned(), "ana@desk.example".to_owned()),
                ("ticket_received".to_owned(), "s@example.com".to_owned()),
            ],
            "{db}: once, though the sweep ran twice"
        );
        let breach = smtp
            .mails()
            .into_iter()
            .find(|m| m.kind() == "sla_breached")
            .unwrap();
        assert!(breach.subject().contains("SLA incumplido"), "{db}: Spanish");
        let code = dev.state(&t).unwrap().code.to_string();
        assert!(
            breach
                .text()
                .contains(&format!("https://site.example/t/{code}")),
            "{db}: {}",
            breach.text()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_send_each_notice_once() {
    let Some(url) = postgres_database().await else {
        return;
    };
    let smtp = SmtpServer::start().await;
    let a = start(mail_config(&url, &smtp)).await;
    let b = start(mail_config(&url, &smtp)).await;
    let mut dev = Device::new("n6", 6);
    for i in 0..6 {
        let id = format!("c-two-{i}");
        // Pushed to either server; both mailers poll the one outbox.
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        let c = Client::customer(base, &id);
        let o = opening(
            &mut dev,
            &customer(&id),
            requester(&id, &format!("{id}@example.com"), "pt"),
            None,
        );
        push_ok(&c, &o).await;
    }
    until("six mails", || smtp.mails().len() >= 6).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let mut to: Vec<String> = smtp.mails().iter().map(|m| m.to.join(",")).collect();
    to.sort();
    assert_eq!(
        to,
        (0..6)
            .map(|i| format!("c-two-{i}@example.com"))
            .collect::<Vec<_>>(),
        "each notice once, though two mailers poll"
    );
}

/// The server binary mailing through 127.0.0.1:`smtp_port`.
fn spawn_server(url: &str, smtp_port: u16) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_mostrador-server"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--database-url", url])
        .env(
            "MOSTRADOR_CUSTOMER_SECRET",
            std::str::from_utf8(SECRET).unwrap(),
        )
        .env("MOSTRADOR_ADMIN", format!("{}:{}", ADMIN.0, ADMIN.1))
        .env("MOSTRADOR_RATE_LIMIT", "0")
        .env(
            "MOSTRADOR_SMTP_URL",
            format!("smtp://127.0.0.1:{smtp_port}"),
        )
        .env("MOSTRADOR_SMTP_FROM", "Mostrador <help@desk.example>")
        .env("MOSTRADOR_TICKET_URL", TICKET_URL)
        .env("MOSTRADOR_PUBLIC_URL", PUBLIC_URL)
        .env("MOSTRADOR_SMTP_RETRY_SECONDS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    (child, format!("http://127.0.0.1:{port}"))
}

async fn wait_healthy(base: &str) {
    for _ in 0..300 {
        if let Ok(r) = reqwest::get(format!("{base}/health")).await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server at {base} did not come up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_9_between_the_event_and_the_delivery_loses_nothing() {
    for (db, url, _guard) in databases().await {
        // The SMTP server is down (refusing) while the first process runs.
        let down = SmtpServer::start().await;
        down.fail.store(true, Ordering::SeqCst);
        let (mut child, base) = spawn_server(&url, down.port);
        wait_healthy(&base).await;
        let mut dev = Device::new("n4", 4);
        for i in 0..3 {
            let id = format!("k-{i}");
            let c = Client::customer(&base, &id);
            let o = opening(
                &mut dev,
                &customer(&id),
                requester(&id, &format!("{id}@example.com"), "es"),
                None,
            );
            push_ok(&c, &o).await;
        }
        until("a refused attempt", || {
            down.refused.load(Ordering::SeqCst) >= 1
        })
        .await;
        child.kill().unwrap();
        child.wait().unwrap();
        // Back up, with a working SMTP server: every acknowledged notice arrives, once.
        let up = SmtpServer::start().await;
        let (mut child, _base) = spawn_server(&url, up.port);
        until("three mails", || up.mails().len() >= 3).await;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let mut to: Vec<String> = up.mails().iter().map(|m| m.to.join(",")).collect();
        to.sort();
        assert_eq!(
            to,
            ["k-0@example.com", "k-1@example.com", "k-2@example.com"],
            "{db}"
        );
        assert!(down.mails().is_empty());
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sla_at_risk_mails_the_assignee_once_then_its_breach_once() {
    for (db, url, _guard) in databases().await {
        let smtp = SmtpServer::start().await;
        let mut c = mail_config(&url, &smtp);
        // At risk after half of one minute, breached after the minute.
        c.desk.sla.policies = vec![
            serde_json::from_value(serde_json::json!({
                "id": "std", "name": "Standard", "calendar": "24x7",
                "targets": {"first_response": 1}, "at_risk_threshold": 0.5
            }))
            .unwrap(),
        ];
        let server = start(c).await;
        let root = Client::admin(&server.base).await;
        let cust = Client::customer(&server.base, "c-r");
        // Opened 40 s ago on an offline device and assigned to ana then: at risk, not breached.
        let opened_at = chrono::Utc::now().timestamp_millis() - 40_000;
        let mut dev = Device::at("portal", 7, opened_at);
        let o = opening(
            &mut dev,
            &customer("c-r"),
            requester("c-r", "r@example.com", "en"),
            None,
        );
        let t = o[0].ticket.clone();
        push_ok(&cust, &o).await;
        let assign = dev
            .run(
                Some(&t),
                mostrador_core::command::Command::Assign {
                    agent: Some(AgentId("ana".into())),
                    team: None,
                },
                &agent(ADMIN.0),
            )
            .unwrap();
        push_ok(&root, &assign).await;
        for _ in 0..2 {
            server.state.run_rules().await.unwrap();
        }
        until("three mails", || smtp.mails().len() >= 3).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut got = sent(&smtp.mails());
        got.sort();
        assert_eq!(
            got,
            [
                ("assigned_to_you".to_owned(), "ana@desk.example".to_owned()),
                ("sla_at_risk".to_owned(), "ana@desk.example".to_owned()),
                ("ticket_received".to_owned(), "r@example.com".to_owned()),
            ],
            "{db}: at risk once, though the sweep ran twice"
        );
        // Past the minute: breached, mailed once; at risk not again.
        let wait = opened_at + 61_000 - chrono::Utc::now().timestamp_millis();
        if wait > 0 {
            tokio::time::sleep(Duration::from_millis(wait as u64)).await;
        }
        for _ in 0..2 {
            server.state.run_rules().await.unwrap();
        }
        until("four mails", || smtp.mails().len() >= 4).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let kinds: Vec<String> = smtp.mails().iter().map(Mail::kind).collect();
        assert_eq!(
            kinds.iter().filter(|k| *k == "sla_at_risk").count(),
            1,
            "{db}: {kinds:?}"
        );
        assert_eq!(
            kinds.iter().filter(|k| *k == "sla_breached").count(),
            1,
            "{db}: {kinds:?}"
        );
        assert_eq!(kinds.len(), 4, "{db}: {kinds:?}");
        let risk = smtp
            .mails()
            .into_iter()
            .find(|m| m.kind() == "sla_at_risk")
            .unwrap();
        assert_eq!(risk.to, ["ana@desk.example"], "{db}");
    }
}

/// A CA file for `MOSTRADOR_SMTP_CA_FILE`.
fn ca_file(dir: &std::path::Path, ca: &TestCa) -> String {
    let path = dir.join("relay-ca.pem");
    std::fs::write(&path, &ca.ca_pem).unwrap();
    path.display().to_string()
}

/// A ticket opened by customer `id`: one notice (`ticket_received`) to `id@example.com`.
async fn open_one(server: &Running, id: &str, seed: u64) {
    let mut dev = Device::new(id, seed);
    let c = Client::customer(&server.base, id);
    let o = opening(
        &mut dev,
        &customer(id),
        requester(id, &format!("{id}@example.com"), "en"),
        None,
    );
    push_ok(&c, &o).await;
}

/// Waits until the outbox's one row has an error, and returns it.
async fn first_error(server: &Running) -> String {
    for _ in 0..400 {
        let rows = server.state.db.outbox().await.unwrap();
        if let Some(e) = rows.first().and_then(|r| r.last_error.clone()) {
            assert!(rows[0].sent_at_ms.is_none());
            return e;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for a failed attempt");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_tls_with_credentials_from_the_environment_never_logged() {
    const PASSWORD: &str = "s3cret-relay-password";
    for (db, url, _guard) in databases().await {
        let ca = TestCa::new();
        let smtp = SmtpServer::start_tls(
            Security::Implicit,
            &ca,
            Some(("help@desk.example", PASSWORD)),
        )
        .await;
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = std::fs::File::create(dir.path().join("server.log")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_mostrador-server"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--database-url", &url])
            .env(
                "MOSTRADOR_CUSTOMER_SECRET",
                std::str::from_utf8(SECRET).unwrap(),
            )
            .env("MOSTRADOR_ADMIN", format!("{}:{}", ADMIN.0, ADMIN.1))
            .env("MOSTRADOR_RATE_LIMIT", "0")
            .env("MOSTRADOR_SMTP_URL", smtp.url())
            .env("MOSTRADOR_SMTP_USER", "help@desk.example")
            .env("MOSTRADOR_SMTP_PASSWORD", PASSWORD)
            .env("MOSTRADOR_SMTP_CA_FILE", ca_file(dir.path(), &ca))
            .env("MOSTRADOR_SMTP_FROM", "Mostrador <help@desk.example>")
            .env("MOSTRADOR_PUBLIC_URL", PUBLIC_URL)
            .env("MOSTRADOR_SMTP_RETRY_SECONDS", "1")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        wait_healthy(&base).await;
        let mut dev = Device::new("tls-a", 11);
        let c = Client::customer(&base, "c-tls");
        let o = opening(
            &mut dev,
            &customer("c-tls"),
            requester("c-tls", "c-tls@example.com", "en"),
            None,
        );
        push_ok(&c, &o).await;
        until("the mail", || !smtp.mails().is_empty()).await;
        let m = &smtp.mails()[0];
        assert_eq!(m.to, ["c-tls@example.com"], "{db}");
        assert!(m.tls, "{db}");
        // The server checked the credentials, over TLS: every command came encrypted.
        assert_eq!(smtp.auth_failures.load(Ordering::SeqCst), 0, "{db}");
        let commands = smtp.commands();
        assert!(commands.iter().any(|(_, c)| c == "AUTH"), "{db}");
        assert!(commands.iter().all(|(tls, _)| *tls), "{db}: {commands:?}");
        // The outbox says sent, and names no secret.
        let root = Client::admin(&base).await;
        let mut body = String::new();
        for _ in 0..100 {
            let r = root
                .request("GET", "/v1/admin/email/outbox")
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            body = r.text().await.unwrap();
            if body.contains("sent_at") && !body.contains("\"sent_at_ms\":null") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(!body.contains(PASSWORD), "{db}: {body}");
        child.kill().unwrap();
        child.wait().unwrap();
        let logged = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
        assert!(!logged.contains(PASSWORD), "{db}: {logged}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_upgrades_before_mail_from() {
    for (db, url, _guard) in databases().await {
        let ca = TestCa::new();
        let smtp =
            SmtpServer::start_tls(Security::StartTls, &ca, Some(("desk", "pw-starttls"))).await;
        let mut c = mail_config(&url, &smtp);
        let e = c.email.as_mut().unwrap();
        assert!(e.smtp_url.ends_with("?tls=required"));
        e.credentials = Some(("desk".into(), "pw-starttls".into()));
        e.ca_pem = Some(ca.ca_pem.clone());
        let server = start(c).await;
        open_one(&server, "c-st", 12).await;
        until("the mail", || !smtp.mails().is_empty()).await;
        all_sent(&server, 1).await;
        let m = &smtp.mails()[0];
        assert!(m.tls, "{db}");
        assert_eq!(m.to, ["c-st@example.com"], "{db}");
        let commands = smtp.commands();
        let upgrade = commands
            .iter()
            .position(|(_, c)| c.eq_ignore_ascii_case("STARTTLS"))
            .unwrap_or_else(|| panic!("{db}: no STARTTLS in {commands:?}"));
        // In clear: EHLO and STARTTLS only. After: EHLO again, AUTH, then MAIL FROM.
        assert!(
            commands[..=upgrade].iter().all(|(tls, c)| !tls
                && (c.to_ascii_uppercase().starts_with("EHLO")
                    || c.eq_ignore_ascii_case("STARTTLS"))),
            "{db}: {commands:?}"
        );
        let after = &commands[upgrade + 1..];
        assert!(after.iter().all(|(tls, _)| *tls), "{db}: {commands:?}");
        assert!(
            after[0].1.to_ascii_uppercase().starts_with("EHLO"),
            "{db}: {commands:?}"
        );
        let mail_from = after
            .iter()
            .position(|(_, c)| c.to_ascii_uppercase().starts_with("MAIL FROM"))
            .unwrap();
        assert!(
            after[..mail_from].iter().any(|(_, c)| c == "AUTH"),
            "{db}: {commands:?}"
        );
        assert_eq!(smtp.auth_failures.load(Ordering::SeqCst), 0, "{db}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_certificate_sends_nothing_until_the_ca_is_trusted() {
    for (db, url, _guard) in databases().await {
        let ca = TestCa::new();
        let smtp = SmtpServer::start_tls(Security::Implicit, &ca, None).await;
        // No CA file: the test CA is not among the Mozilla roots.
        let server = start(mail_config(&url, &smtp)).await;
        open_one(&server, "c-un", 13).await;
        let error = first_error(&server).await;
        assert!(error.contains("TLS failed"), "{db}: {error}");
        until("a refused handshake", || {
            smtp.handshake_failures.load(Ordering::SeqCst) >= 1
        })
        .await;
        assert!(smtp.mails().is_empty(), "{db}");
        assert!(smtp.commands().is_empty(), "{db}: {:?}", smtp.commands());
        drop(server);
        tokio::time::sleep(Duration::from_millis(300)).await;
        // The trust fixed (the CA file given), the same outbox: delivered, once.
        let mut c = mail_config(&url, &smtp);
        c.email.as_mut().unwrap().ca_pem = Some(ca.ca_pem.clone());
        let server = start(c).await;
        let rows = all_sent(&server, 1).await;
        assert_eq!(rows[0].recipient, "c-un@example.com", "{db}");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(smtp.mails().len(), 1, "{db}");
        assert!(smtp.mails()[0].tls, "{db}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_required_against_a_server_without_it_sends_nothing_in_clear() {
    for (db, url, _guard) in databases().await {
        let ca = TestCa::new();
        let smtp = SmtpServer::start_tls(Security::NoStartTls, &ca, None).await;
        let mut c = mail_config(&url, &smtp);
        c.email.as_mut().unwrap().ca_pem = Some(ca.ca_pem.clone());
        let server = start(c).await;
        open_one(&server, "c-no", 14).await;
        let error = first_error(&server).await;
        assert!(error.contains("STARTTLS"), "{db}: {error}");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(smtp.mails().is_empty(), "{db}");
        // Only greetings (and a goodbye) crossed the wire.
        let commands = smtp.commands();
        assert!(!commands.is_empty(), "{db}");
        for (_, c) in &commands {
            let c = c.to_ascii_uppercase();
            assert!(
                c.starts_with("EHLO") || c.starts_with("HELO") || c == "QUIT",
                "{db}: {commands:?}"
            );
        }
    }
}
