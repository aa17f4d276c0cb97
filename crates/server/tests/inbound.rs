//! Incoming email, on SQLite and PostgreSQL: a corpus of real-world messages
//! (`tests/fixtures/mail/*.eml`, as Gmail, Outlook, Apple Mail and Thunderbird write them) each
//! ends as the right ticket, the right reply or a clear refusal; replies thread by the signed
//! reply address, by `In-Reply-To` to a notice the server sent and by the code in the subject
//! (from the requester only); the same message twice is stored once; an oversized message
//! stores nothing; the HTTP route needs its secret; the `ingest-mail` binary reads stdin and
//! answers with the exit codes MTAs read; an erasure takes an email ticket's files with it.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::openapi::Spec;
use common::smtp::SmtpServer;
use common::*;
use mostrador_core::model::{Channel, TicketId, Visibility};
use mostrador_core::ticket::Ticket;
use mostrador_server::email::{EmailConfig, Timing};
use mostrador_server::inbound::{InboundConfig, Outcome, Refusal};

const INBOUND: &str = "support@shop.example";
const SECRET: &str = "inbound-secret-0123456789";

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn filled(name: &str, vars: &[(&str, &str)]) -> String {
    let mut s = fixture(name);
    for (k, v) in vars {
        s = s.replace(&format!("{{{{{k}}}}}"), v);
    }
    s
}

fn inbound_config(url: &str) -> mostrador_server::Config {
    let mut c = config(url);
    c.rules_interval = None;
    c.inbound = InboundConfig {
        address: Some(INBOUND.into()),
        secret: Some(SECRET.into()),
    };
    c
}

fn mail_config(url: &str, smtp: &SmtpServer) -> mostrador_server::Config {
    let mut c = inbound_config(url);
    c.email = Some(EmailConfig {
        smtp_url: smtp.url(),
        credentials: None,
        from: "Soporte Tienda <help@desk.example>".into(),
        ticket_url: None,
        survey_url: None,
        public_url: "https://desk.example".into(),
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

async fn ticket(server: &Running, id: &TicketId) -> Ticket {
    let events = server.state.db.ticket_events(&id.0).await.unwrap();
    mostrador_core::apply::fold(&events).unwrap()
}

async fn tickets(server: &Running) -> usize {
    server
        .state
        .db
        .ticket_states()
        .await
        .unwrap()
        .iter()
        .filter(|(_, t)| t.as_ref().is_some_and(|t| t.opened))
        .count()
}

async fn ingest(server: &Running, raw: &str) -> Outcome {
    server.state.ingest_mail(raw.as_bytes()).await.unwrap()
}

async fn new_ticket(server: &Running, raw: &str) -> Ticket {
    match ingest(server, raw).await {
        Outcome::NewTicket { ticket: id, code } => {
            let t = ticket(server, &id).await;
            assert_eq!(t.code.to_string(), code);
            t
        }
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

fn refused(o: Outcome) -> Refusal {
    match o {
        Outcome::Refused(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn public_bodies(t: &Ticket) -> Vec<String> {
    t.thread
        .iter()
        .filter(|m| m.visibility == Visibility::Public)
        .map(|m| m.body.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_corpus_becomes_tickets_or_clear_refusals() {
    for (db, url, _guard) in databases().await {
        let server = start(inbound_config(&url)).await;

        // Gmail, multipart/alternative, UTF-8 headers (RFC 2047 B and Q): the text part.
        let t = new_ticket(&server, &fixture("gmail_alternative.eml")).await;
        assert_eq!(t.channel, Channel::Email, "{db}");
        assert_eq!(t.subject, "Mi pedido llegó dañado");
        assert_eq!(t.requester.name, "Lucía Fernández");
        assert_eq!(
            t.requester.email.as_deref(),
            Some("lucia.fernandez@gmail.example")
        );
        assert_eq!(
            t.requester.customer_id.as_ref().unwrap().0,
            "email:lucia.fernandez@gmail.example"
        );
        assert!(
            t.description
                .starts_with("Hola,\n\nEl pedido 10423 llegó con la tapa rota. ¿Me pueden"),
            "{}",
            t.description
        );
        assert!(!t.description.contains('<'), "{}", t.description);

        // Lucía answers her own message (References), the subject naming no ticket: a reply.
        let own = filled(
            "reply_gmail_es.eml",
            &[
                ("FROM", "lucia.fernandez@gmail.example"),
                ("CODE", "AAA-00000-AAA"),
                (
                    "IN_REPLY_TO",
                    "CAJx8Yq9kT0p2Vb+3mZ=Qh7LrS5wN1dE@mail.gmail.com",
                ),
                ("TO", INBOUND),
            ],
        );
        match ingest(&server, &own).await {
            Outcome::Reply { ticket: id, .. } => assert_eq!(id, t.id, "{db}"),
            other => panic!("{db}: {other:?}"),
        }

        // Outlook, HTML only: text without tags, styles or scripts; entities decoded.
        let t = new_ticket(&server, &fixture("outlook_html_only.eml")).await;
        assert_eq!(t.subject, "Invoice address is wrong");
        assert_eq!(t.requester.name, "Ortega, Marcos");
        assert!(
            t.description
                .contains("Please send a corrected one to Calle Mayor 5 & copy accounting."),
            "{}",
            t.description
        );
        for gone in ["<", "alert", "MsoNormal", "Font Definitions"] {
            assert!(!t.description.contains(gone), "{gone}: {}", t.description);
        }

        // Thunderbird, ISO-8859-1 headers and body.
        let t = new_ticket(&server, &fixture("latin1_thunderbird.eml")).await;
        assert_eq!(t.subject, "No puedo iniciar sesión en la aplicación");
        assert_eq!(t.requester.name, "José Muñoz");
        assert!(
            t.description.contains("\"contraseña incorrecta\""),
            "{}",
            t.description
        );
        assert!(t.description.contains("¿Qué puedo hacer?"));

        // Apple Mail with a PDF (stored where ticket files go) and an executable (left out, said).
        let t = new_ticket(&server, &fixture("apple_attachment.eml")).await;
        assert_eq!(t.subject, "Nota fiscal do pedido 5531");
        let files = server.state.db.ticket_file_bytes(&t.id.0).await.unwrap();
        assert!(files > 0);
        let opened_files: Vec<_> = server
            .state
            .db
            .ticket_events(&t.id.0)
            .await
            .unwrap()
            .into_iter()
            .flat_map(|e| match e.payload {
                mostrador_core::event::Payload::TicketOpened(o) => o.attachments.clone(),
                _ => Vec::new(),
            })
            .collect();
        assert_eq!(opened_files.len(), 1, "{opened_files:?}");
        assert_eq!(opened_files[0].name, "nota-fiscal-5531.pdf");
        assert_eq!(opened_files[0].mime, "application/pdf");
        assert!(
            server
                .state
                .db
                .file_stored(&opened_files[0].blob)
                .await
                .unwrap()
        );
        let pdf = server
            .state
            .db
            .file_bytes(&opened_files[0].blob)
            .await
            .unwrap()
            .unwrap();
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(
            t.description
                .starts_with("Olá, segue a nota fiscal em anexo."),
            "{}",
            t.description
        );
        assert!(
            t.description
                .contains("setup.exe (application/x-msdownload)"),
            "{}",
            t.description
        );

        // Forwarded (Gmail): the forwarded content is the request; the subject loses "Fwd:".
        let t = new_ticket(&server, &fixture("forwarded_gmail.eml")).await;
        assert_eq!(t.subject, "Your order 88120 has shipped");
        assert!(
            t.description
                .starts_with("The tracking number below does not work."),
            "{}",
            t.description
        );
        assert!(
            t.description.contains("Tracking number: ZX-99812-ES."),
            "{}",
            t.description
        );

        assert_eq!(tickets(&server).await, 5, "{db}");

        // A bounce, an out-of-office reply, a message without From, broken MIME: refused.
        let r = refused(ingest(&server, &fixture("bounce_dsn.eml")).await);
        assert_eq!(r.code(), "auto_generated", "{r:?}");
        let auto = filled(
            "auto_reply.eml",
            &[
                ("CODE", "KQD-48213-ZPT"),
                ("FROM", "lucia.fernandez@gmail.example"),
            ],
        );
        let r = refused(ingest(&server, &auto).await);
        assert_eq!(r.code(), "auto_generated", "{r:?}");
        assert!(
            r.message().contains("Auto-Submitted: auto-replied"),
            "{r:?}"
        );
        let r = refused(ingest(&server, &fixture("malformed_no_from.eml")).await);
        assert_eq!(r.code(), "malformed", "{r:?}");
        assert!(r.message().contains("sender"), "{r:?}");
        let r = refused(ingest(&server, &fixture("malformed_boundary.eml")).await);
        assert_eq!(r.code(), "malformed", "{r:?}");
        let r = refused(ingest(&server, "this is not mail at all").await);
        assert_eq!(r.code(), "malformed", "{r:?}");
        assert_eq!(tickets(&server).await, 5, "{db}: refusals store nothing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_thread_by_token_references_and_code_from_the_requester_only() {
    for (db, url, _guard) in databases().await {
        let smtp = SmtpServer::start().await;
        let server = start(mail_config(&url, &smtp)).await;
        let lucia = "lucia.fernandez@gmail.example";
        let t = new_ticket(&server, &fixture("gmail_alternative.eml")).await;
        let code = t.code.to_string();

        // The acknowledgement to the requester carries the ticket's signed reply address.
        for _ in 0..400 {
            if smtp
                .mails()
                .iter()
                .any(|m| m.to.iter().any(|a| a.contains(lucia)))
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let ack = smtp
            .mails()
            .into_iter()
            .find(|m| m.to.iter().any(|a| a.contains(lucia)))
            .expect("the acknowledgement");
        let reply_to = ack.header("Reply-To").expect("a Reply-To");
        let token_address = reply_to
            .rsplit_once('<')
            .map(|(_, r)| r.trim_end_matches('>').to_owned())
            .unwrap_or(reply_to.clone());
        assert!(
            token_address.starts_with(&format!("support+{}-", code.to_lowercase()))
                && token_address.ends_with("@shop.example"),
            "{reply_to}"
        );
        let notice_id = ack.message_id();
        let notice_id = notice_id.trim_matches(['<', '>']);

        // Outlook, by In-Reply-To to the notice (the subject names no real ticket).
        let outlook = filled(
            "reply_outlook.eml",
            &[
                ("FROM", lucia),
                ("CODE", "AAA-00000-AAA"),
                ("IN_REPLY_TO", notice_id),
            ],
        );
        match ingest(&server, &outlook).await {
            Outcome::Reply { ticket, code: c } => {
                assert_eq!((ticket, c), (t.id.clone(), code.clone()), "{db}");
            }
            other => panic!("{db}: {other:?}"),
        }
        // Gmail, by the code in the subject, from the requester (quoted history trimmed).
        let gmail = filled(
            "reply_gmail_es.eml",
            &[
                ("FROM", lucia),
                ("CODE", &code),
                ("IN_REPLY_TO", "CAJx8Yq9unrelated@mail.gmail.com"),
                ("TO", INBOUND),
            ],
        );
        assert!(matches!(
            ingest(&server, &gmail).await,
            Outcome::Reply { .. }
        ));
        // Thunderbird, by the reply address, from a colleague.
        let colleague = filled("reply_token_thunderbird.eml", &[("TO", &token_address)]);
        assert!(matches!(
            ingest(&server, &colleague).await,
            Outcome::Reply { .. }
        ));

        let now = ticket(&server, &t.id).await;
        assert_eq!(
            public_bodies(&now),
            vec![
                "Ya recibí el reemplazo, muchas gracias.\n\nLucía".to_owned(),
                "Perfecto, espero el reemplazo. La dirección sigue siendo la misma.".to_owned(),
                "Soy la compañera de Lucía: el número de pedido correcto es 10424.".to_owned(),
            ],
            "{db}"
        );
        for m in &now.thread {
            assert_eq!(
                m.author,
                mostrador_core::model::Actor::Customer(now.requester.customer_id.clone().unwrap())
            );
        }

        // The same message again: stored once.
        match ingest(&server, &gmail).await {
            Outcome::Duplicate { ticket, .. } => assert_eq!(ticket, t.id),
            other => panic!("{db}: {other:?}"),
        }
        // Someone else naming the ticket's code: refused, nothing posted anywhere.
        let spoofed = filled("spoofed_from.eml", &[("CODE", &code)]);
        let r = refused(ingest(&server, &spoofed).await);
        assert_eq!(r.code(), "spoofed", "{r:?}");
        // A forged reply address: not the ticket's; it opens the sender's own ticket.
        let forged_to = format!(
            "support+{}-0000000000000000@shop.example",
            code.to_lowercase()
        );
        let forged = filled("reply_token_thunderbird.eml", &[("TO", &forged_to)])
            .replace("0c4e2f1a-9b3d", "0c4e2f1a-forged");
        match ingest(&server, &forged).await {
            Outcome::NewTicket { ticket, .. } => assert_ne!(ticket, t.id),
            other => panic!("{db}: {other:?}"),
        }
        // An out-of-office answer to the notice: refused.
        let auto = filled("auto_reply.eml", &[("CODE", &code), ("FROM", lucia)]);
        assert_eq!(
            refused(ingest(&server, &auto).await).code(),
            "auto_generated"
        );
        assert_eq!(
            public_bodies(&ticket(&server, &t.id).await).len(),
            3,
            "{db}"
        );
        assert_eq!(tickets(&server).await, 2, "{db}");

        // Once the ticket is closed, an answer opens its follow-up (the core's rule).
        let mut dev = Device::new("agent-console", 7);
        dev.receive(&server.state.db.ticket_events(&t.id.0).await.unwrap());
        let root = Client::admin(&server.base).await;
        for c in [
            mostrador_core::command::Command::Resolve,
            mostrador_core::command::Command::Close,
        ] {
            let events = dev.run(Some(&t.id), c, &agent(ADMIN.0)).unwrap();
            let (status, body) = root.push(&events).await;
            assert_eq!(status, 200, "{body}");
        }
        let later = gmail.replace("CAJx8Yq9rEpLy0001", "CAJx8Yq9rEpLy0002");
        match ingest(&server, &later).await {
            Outcome::Reply {
                ticket: id,
                code: c,
            } => {
                assert_ne!(id, t.id, "{db}");
                let follow_up = ticket(&server, &id).await;
                assert_eq!(follow_up.code.to_string(), c);
                assert_eq!(
                    follow_up.links.follow_up_of.as_ref().map(|r| r.id.clone()),
                    Some(t.id.clone())
                );
                assert!(follow_up.description.starts_with("Perfecto, espero"));
            }
            other => panic!("{db}: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_mail_is_refused_and_nothing_is_stored() {
    for (db, url, _guard) in databases().await {
        let mut c = inbound_config(&url);
        c.limits.max_file_bytes = 1000;
        c.limits.max_body_bytes = 8000;
        let server = start(c).await;
        let limit = mostrador_server::inbound::max_message_bytes(&server.state.config.limits);
        // An attachment over the per-file limit, in a message under the message limit.
        let big = vec![b'%'; 1200];
        let raw = fixture("apple_attachment.eml").replace(
            "JVBERi0xLjQKMSAwIG9iaiA8PCAvVHlwZSAvQ2F0YWxvZyA+PiBlbmRvYmoKdHJhaWxlciA8PCAv",
            &{
                use std::fmt::Write as _;
                let mut s = String::new();
                for chunk in big.chunks(57) {
                    let _ = writeln!(s, "{}", b64(chunk));
                }
                s
            },
        );
        assert!(raw.len() < limit, "{} < {limit}", raw.len());
        let r = refused(ingest(&server, &raw).await);
        assert_eq!(r.code(), "too_large", "{db}: {r:?}");
        assert!(r.message().contains("nota-fiscal-5531.pdf"), "{r:?}");
        // The whole message over the message limit.
        let huge = fixture("gmail_alternative.eml")
            .replace("Gracias,\nLuc=C3=ADa", &"relleno ".repeat(limit / 8 + 10));
        let r = refused(ingest(&server, &huge).await);
        assert_eq!(r.code(), "too_large", "{db}: {r:?}");
        assert_eq!(tickets(&server).await, 0, "{db}");
        assert!(all_events(&server.base).await.is_empty(), "{db}");
        // Over HTTP: the same message limit.
        let res = reqwest::Client::new()
            .post(format!("{}/v1/inbound/email", server.base))
            .bearer_auth(SECRET)
            .header("content-type", "message/rfc822")
            .body(huge)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 413, "{db}");
        assert_eq!(tickets(&server).await, 0, "{db}");

        // A text longer than the desk takes is cut, not refused.
        let mut c = inbound_config(&url);
        c.settings.max_body_chars = 500;
        drop(server);
        let server = start(c).await;
        let long = fixture("latin1_thunderbird.eml")
            .replace("Jos=E9\n", &format!("{}\nJos=E9\n", "bla ".repeat(300)));
        let t = new_ticket(&server, &long).await;
        assert!(t.description.chars().count() <= 500, "{db}");
        assert!(t.description.starts_with("Buenos días:"));
        assert!(
            t.description.ends_with("it was too long]"),
            "{}",
            t.description
        );

        // The files of one customer's tickets stay within their quota.
        let mut c = inbound_config(&url);
        c.limits.max_customer_file_bytes = 100;
        drop(server);
        let server = start(c).await;
        let apple = fixture("apple_attachment.eml");
        assert!(matches!(
            ingest(&server, &apple).await,
            Outcome::NewTicket { .. }
        ));
        let again = apple.replace("Message-Id: <A1B2C3D4", "Message-Id: <A1B2C3D5");
        let r = refused(ingest(&server, &again).await);
        assert_eq!(r.code(), "too_large", "{db}: {r:?}");
        assert!(r.message().contains("customer"), "{r:?}");
        assert_eq!(tickets(&server).await, 2, "{db}");
    }
}

/// Standard base64 (the tests' own, so no dependency is added).
fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_http_route_takes_the_secret_and_answers_the_documented_shape() {
    let spec = Spec::load();
    for (db, url, _guard) in databases().await {
        let server = start(inbound_config(&url)).await;
        let http = reqwest::Client::new();
        let post = |token: Option<&str>, body: String| {
            let mut r = http
                .post(format!("{}/v1/inbound/email", server.base))
                .header("content-type", "message/rfc822")
                .body(body);
            if let Some(t) = token {
                r = r.bearer_auth(t);
            }
            r.send()
        };
        let raw = fixture("latin1_thunderbird.eml");
        for token in [
            None,
            Some("wrong-secret-0123456789"),
            Some("inbound-secret-012345678"),
        ] {
            let res = post(token, raw.clone()).await.unwrap();
            let status = res.status().as_u16();
            let body: serde_json::Value = res.json().await.unwrap();
            assert_eq!(status, 401, "{db}: {body}");
            spec.check("POST", "/v1/inbound/email", status, &body);
        }
        let res = post(Some(SECRET), raw.clone()).await.unwrap();
        let status = res.status().as_u16();
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(status, 201, "{db}: {body}");
        assert_eq!(body["outcome"], "new_ticket");
        spec.check("POST", "/v1/inbound/email", status, &body);
        let res = post(Some(SECRET), raw).await.unwrap();
        let status = res.status().as_u16();
        let again: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            (status, &again["outcome"]),
            (200, &"duplicate".into()),
            "{again}"
        );
        assert_eq!(again["ticket"], body["ticket"]);
        spec.check("POST", "/v1/inbound/email", status, &again);
        let res = post(Some(SECRET), fixture("bounce_dsn.eml")).await.unwrap();
        let status = res.status().as_u16();
        let bounce: serde_json::Value = res.json().await.unwrap();
        assert_eq!(status, 200, "{bounce}");
        assert_eq!(
            (&bounce["outcome"], &bounce["reason"]),
            (&"refused".into(), &"auto_generated".into())
        );
        spec.check("POST", "/v1/inbound/email", status, &bounce);
        assert_eq!(tickets(&server).await, 1, "{db}");

        // A service that posts a form (the raw message in the `email` field), with the secret
        // as the Basic password of the URL's credentials.
        let form = format!(
            "--f0rm\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\n{INBOUND}\r\n\
             --f0rm\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n{}\r\n--f0rm--\r\n",
            fixture("gmail_alternative.eml")
        );
        let res = http
            .post(format!("{}/v1/inbound/email", server.base))
            .basic_auth("mostrador", Some(SECRET))
            .header("content-type", "multipart/form-data; boundary=f0rm")
            .body(form.clone())
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            (status, &body["outcome"]),
            (201, &"new_ticket".into()),
            "{body}"
        );
        spec.check("POST", "/v1/inbound/email", status, &body);
        let t = ticket(&server, &TicketId(body["ticket"].as_str().unwrap().into())).await;
        assert_eq!(t.subject, "Mi pedido llegó dañado");
        let res = http
            .post(format!("{}/v1/inbound/email", server.base))
            .basic_auth("mostrador", Some("not-the-secret-at-all"))
            .header("content-type", "multipart/form-data; boundary=f0rm")
            .body(form.replace("name=\"email\"", "name=\"text\""))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 401);
        let res = http
            .post(format!("{}/v1/inbound/email", server.base))
            .basic_auth("mostrador", Some(SECRET))
            .header("content-type", "multipart/form-data; boundary=f0rm")
            .body(form.replace("name=\"email\"", "name=\"text\""))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(status, 400, "{body}");
        spec.check("POST", "/v1/inbound/email", status, &body);
        assert_eq!(tickets(&server).await, 2, "{db}");

        // Without a secret configured, the route is off.
        let mut c = inbound_config(&url);
        c.inbound.secret = None;
        let off = start(c).await;
        let res = http
            .post(format!("{}/v1/inbound/email", off.base))
            .bearer_auth(SECRET)
            .body(fixture("gmail_alternative.eml"))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(status, 404, "{body}");
        spec.check("POST", "/v1/inbound/email", status, &body);
    }
}

/// Runs `mostrador-server ingest-mail` with `raw` on stdin: (exit code, stdout).
fn run_ingest(env: &[(&str, &str)], raw: &str) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mostrador-server"));
    cmd.arg("ingest-mail")
        .env_remove("MOSTRADOR_INBOUND_ADDRESS")
        .env_remove("MOSTRADOR_INBOUND_SECRET")
        .env_remove("MOSTRADOR_SMTP_URL")
        .env_remove("MOSTRADOR_ADMIN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(raw.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ingest_mail_command_reads_stdin_and_exits_as_mtas_expect() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("m.db").display());
    let env = [
        ("MOSTRADOR_DATABASE_URL", url.as_str()),
        ("MOSTRADOR_INBOUND_ADDRESS", INBOUND),
    ];
    let (code, out) = run_ingest(&env, &fixture("gmail_alternative.eml"));
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("new_ticket "), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    let (code, out) = run_ingest(&env, &fixture("gmail_alternative.eml"));
    assert_eq!((code, out.starts_with("duplicate ")), (0, true), "{out}");
    let (code, out) = run_ingest(&env, &fixture("bounce_dsn.eml"));
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("refused auto_generated: "), "{out}");
    // Not configured: EX_CONFIG.
    let (code, out) = run_ingest(
        &[("MOSTRADOR_DATABASE_URL", url.as_str())],
        &fixture("gmail_alternative.eml"),
    );
    assert_eq!(code, 78, "{out}");
    assert!(out.starts_with("refused disabled"), "{out}");
    // The database cannot be opened: EX_TEMPFAIL, so the MTA keeps the message and retries.
    let missing = format!(
        "sqlite://{}?mode=rw",
        dir.path().join("no-such-dir/m.db").display()
    );
    let (code, out) = run_ingest(
        &[
            ("MOSTRADOR_DATABASE_URL", missing.as_str()),
            ("MOSTRADOR_INBOUND_ADDRESS", INBOUND),
        ],
        &fixture("latin1_thunderbird.eml"),
    );
    assert_eq!(code, 75, "{out}");

    // What the command stored is what a server on that database sees.
    let server = start(inbound_config(&url)).await;
    assert_eq!(tickets(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_tickets_files_go_with_its_erasure() {
    for (db, url, _guard) in databases().await {
        let server = start(inbound_config(&url)).await;
        let t = new_ticket(&server, &fixture("apple_attachment.eml")).await;
        let blob = t.attachments[0].blob.clone();
        assert!(server.state.db.file_stored(&blob).await.unwrap(), "{db}");
        let mut dev = Device::new("agent-console", 9);
        dev.receive(&server.state.db.ticket_events(&t.id.0).await.unwrap());
        let erase = dev
            .run(
                Some(&t.id),
                mostrador_core::command::Command::Privacy {
                    request: mostrador_core::privacy::PrivacyRequest::Erasure,
                },
                &agent(ADMIN.0),
            )
            .unwrap();
        let (status, body) = Client::admin(&server.base).await.push(&erase).await;
        assert_eq!(status, 200, "{body}");
        assert!(!server.state.db.file_stored(&blob).await.unwrap(), "{db}");
        // The same message again is still a duplicate: its Message-ID is kept, hashed.
        assert!(matches!(
            ingest(&server, &fixture("apple_attachment.eml")).await,
            Outcome::Duplicate { .. }
        ));
    }
}
