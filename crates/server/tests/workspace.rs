//! The workspace (settings, articles, deflection records) over real HTTP, on SQLite and on
//! PostgreSQL: who may change it, what each principal pulls, validation against the stored
//! settings, seeding from `--settings`, idempotence.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};

use common::*;
use mostrador_core::command::Command;
use mostrador_core::config::Profile;
use mostrador_core::event::{Event, EventId};
use mostrador_core::hlc::{Hlc, NodeId};
use mostrador_core::kb::{Article, ArticleId, Deflection, DeflectionOutcome};
use mostrador_core::model::{Actor, FieldValue};
use mostrador_core::settings::{DomainSettings, FieldDef, FieldKind};
use mostrador_core::sync::PROTOCOL_VERSION;
use mostrador_core::workspace::{Change, ChangePayload, Section};
use serde_json::{Value, json};

fn change(actor: &Actor, payload: ChangePayload) -> Change {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    Change {
        id: EventId(format!("ch-{}-{n}", std::process::id())),
        hlc: Hlc {
            wall_ms: chrono::Utc::now().timestamp_millis(),
            counter: u32::try_from(n).unwrap(),
            node: NodeId("admin-device".into()),
        },
        actor: actor.clone(),
        payload,
    }
}

fn settings(section: Section) -> ChangePayload {
    ChangePayload::Settings { section }
}

fn field(key: &str, agent_only: bool) -> FieldDef {
    FieldDef {
        key: key.into(),
        label: String::new(),
        kind: FieldKind::Text,
        choices: Vec::new(),
        required: false,
        agent_only,
    }
}

fn domain(fields: &[FieldDef]) -> DomainSettings {
    DomainSettings {
        custom_fields: fields.to_vec(),
        ..DomainSettings::default()
    }
}

fn article(id: &str, version: u32, title: &str, published: bool) -> ChangePayload {
    let at = chrono::DateTime::from_timestamp_millis(T0).unwrap();
    ChangePayload::Article {
        article: Article {
            id: ArticleId(id.into()),
            slug: format!("a-{id}"),
            title: title.into(),
            body: format!("{title} body text"),
            tags: vec!["help".into()],
            locale: "es".into(),
            published,
            created_at: at,
            updated_at: at,
            version,
        },
    }
}

fn deflection(article: &str) -> ChangePayload {
    ChangePayload::Deflection {
        deflection: Deflection {
            article_id: ArticleId(article.into()),
            at: chrono::Utc::now(),
            outcome: DeflectionOutcome::Helpful,
        },
    }
}

async fn push(c: &Client, changes: &[Change], events: &[Event]) -> (u16, Value) {
    c.send(
        "POST",
        "/v1/events",
        Some(json!({ "changes": changes, "events": events })),
    )
    .await
}

/// The statuses (and codes of rejections) of a push's results, in order.
fn statuses(body: &Value) -> Vec<String> {
    body["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results: {body}"))
        .iter()
        .map(|r| match r["code"].as_str() {
            Some(code) => format!("{}:{code}", r["status"].as_str().unwrap()),
            None => r["status"].as_str().unwrap().to_owned(),
        })
        .collect()
}

/// The changes a pull from 0 returns.
async fn pulled_changes(c: &Client) -> Vec<Change> {
    let (s, body) = c.pull(0).await;
    assert_eq!(s, 200, "{body}");
    body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| serde_json::from_value(c["change"].clone()).unwrap())
        .collect()
}

async fn new_agent(base: &str, id: &str) -> Client {
    let admin = Client::admin(base).await;
    let (s, body) = admin
        .send(
            "PUT",
            &format!("/v1/admin/agents/{id}"),
            Some(json!({"password": "agent-password-1", "admin": false})),
        )
        .await;
    assert_eq!(s, 204, "{body}");
    Client::agent(base, id, "agent-password-1").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_change_settings_and_articles() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let bob = new_agent(&srv.base, "bob").await;
        let c1 = Client::customer(&srv.base, "c1");
        let cats = settings(Section::Categories(vec!["Billing".into()]));
        let (s, r) = push(&bob, &[change(&agent("bob"), cats.clone())], &[]).await;
        assert_eq!(
            (s, statuses(&r)),
            (200, vec!["rejected:forbidden".into()]),
            "{db}"
        );
        let (_, r) = push(
            &c1,
            &[change(&customer("c1"), article("a1", 1, "Hi", true))],
            &[],
        )
        .await;
        assert_eq!(statuses(&r), vec!["rejected:forbidden"], "{db}");
        let (_, r) = push(&c1, &[change(&customer("c1"), cats.clone())], &[]).await;
        assert_eq!(statuses(&r), vec!["rejected:forbidden"], "{db}");
        assert!(srv.state.db.all_changes().await.unwrap().is_empty(), "{db}");
        // Another actor than the caller, and invalid settings.
        let admin = Client::admin(&srv.base).await;
        let (_, r) = push(&admin, &[change(&agent("bob"), cats.clone())], &[]).await;
        assert_eq!(statuses(&r), vec!["rejected:not_your_event"], "{db}");
        let dup = settings(Section::Categories(vec!["A".into(), "a".into()]));
        let (_, r) = push(&admin, &[change(&agent(ADMIN.0), dup)], &[]).await;
        assert_eq!(statuses(&r), vec!["rejected:invalid"], "{db}");
        assert!(srv.state.db.all_changes().await.unwrap().is_empty(), "{db}");
        let (_, r) = push(&admin, &[change(&agent(ADMIN.0), cats)], &[]).await;
        assert_eq!(statuses(&r), vec!["accepted"], "{db}");
        assert_eq!(
            srv.state.settings().await.unwrap().categories,
            vec!["Billing"]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_pull_the_public_projection_and_agents_everything() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let admin = Client::admin(&srv.base).await;
        let me = agent(ADMIN.0);
        let profile = Profile {
            name: "Tienda".into(),
            locales: vec!["es".into()],
            ..Profile::default()
        };
        let all = vec![
            change(&me, settings(Section::Profile(profile.clone()))),
            change(&me, settings(Section::Categories(vec!["Envíos".into()]))),
            change(
                &me,
                settings(Section::Domain(domain(&[
                    field("order_number", false),
                    field("risk_score", true),
                ]))),
            ),
            change(&me, settings(Section::Sla(Default::default()))),
            change(
                &me,
                settings(Section::Roster {
                    agents: vec![],
                    teams: vec![],
                }),
            ),
            change(&me, settings(Section::CannedResponses(vec![]))),
            change(&me, settings(Section::Macros(vec![]))),
            change(&me, article("pub", 1, "Published guide", true)),
            change(&me, article("draft", 1, "Secret draft", false)),
            change(&me, article("gone", 1, "Old guide", true)),
            change(&me, article("gone", 2, "Old guide", false)),
        ];
        let (s, r) = push(&admin, &all, &[]).await;
        assert_eq!(s, 200, "{db}: {r}");
        assert!(statuses(&r).iter().all(|s| s == "accepted"), "{db}: {r}");
        // A visitor's deflection record: accepted, for agents only.
        let c1 = Client::customer(&srv.base, "c1");
        let d = change(&customer("c1"), deflection("pub"));
        let (_, r) = push(&c1, std::slice::from_ref(&d), &[]).await;
        assert_eq!(statuses(&r), vec!["accepted"], "{db}");

        // Agents (admin or not) pull every change as stored.
        let bob = new_agent(&srv.base, "bob").await;
        let mut expected = all.clone();
        expected.push(d.clone());
        assert_eq!(pulled_changes(&bob).await, expected, "{db}");
        assert_eq!(pulled_changes(&admin).await, expected, "{db}");

        // Customers, signed and anonymous: the public copies, nothing staff-only.
        let (s, anon) = Client::new(&srv.base, None)
            .send("POST", "/v1/auth/anonymous", None)
            .await;
        assert_eq!(s, 200);
        let anon = Client::new(&srv.base, anon["token"].as_str().map(str::to_owned));
        for c in [&c1, &anon] {
            let (_, body) = c.pull(0).await;
            let text = body.to_string();
            for secret in ["risk_score", "Secret draft", "helpful"] {
                assert!(!text.contains(secret), "{db}: {secret} in {text}");
            }
            let got = pulled_changes(c).await;
            let expected: Vec<Change> = all.iter().filter_map(Change::for_customer).collect();
            assert_eq!(got, expected, "{db}");
            let kinds: Vec<String> = got
                .iter()
                .map(|c| match &c.payload {
                    ChangePayload::Settings { section } => format!("{:?}", section.kind()),
                    ChangePayload::Article { article } => {
                        format!("{}:{}", article.id.0, article.published)
                    }
                    ChangePayload::Deflection { .. } => "deflection".into(),
                    ChangePayload::Assistant { .. } => "assistant".into(),
                })
                .collect();
            assert_eq!(
                kinds,
                [
                    "Profile",
                    "Categories",
                    "Domain",
                    "pub:true",
                    "draft:false",
                    "gone:true",
                    "gone:false"
                ],
                "{db}"
            );
            let ChangePayload::Settings {
                section: Section::Domain(d),
            } = &got[2].payload
            else {
                panic!("{db}: not the domain: {got:?}");
            };
            assert_eq!(d.custom_fields, vec![field("order_number", false)]);
        }
        // The cursor covers every row, seen or not: one sequence for events and changes.
        let (_, b1) = c1.pull(0).await;
        let (_, b2) = bob.pull(0).await;
        assert_eq!(b1["next"], b2["next"], "{db}");
        assert_eq!(b1["next"].as_u64(), Some(12), "{db}");
        // Small pages: `next` and `more` as for events.
        let (_, page) = c1.send("GET", "/v1/events?after=0&limit=4", None).await;
        assert_eq!(
            (page["more"].as_bool(), page["next"].as_u64()),
            (Some(true), Some(4))
        );
        assert_eq!(page["changes"].as_array().unwrap().len(), 3, "{db}: {page}");
        // Nothing that reads the log as ticket events trips over the workspace's rows.
        assert!(srv.state.db.all_events().await.unwrap().is_empty(), "{db}");
        let report = srv.state.run_rules().await.unwrap().unwrap();
        assert!(report.failed.is_empty(), "{db}: {report:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_checked_against_the_stored_settings() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let admin = Client::admin(&srv.base).await;
        let me = agent(ADMIN.0);
        // A device that already knows the field the server does not have yet.
        let mut dev = Device::new("desk", 7);
        dev.settings = domain(&[field("order_number", false)]);
        let open = |dev: &mut Device, n: &str| {
            let mut f = form("c1");
            f.custom_fields
                .insert("order_number".into(), FieldValue::Text(n.into()));
            dev.run(None, Command::Open(Box::new(f)), &me).unwrap()
        };
        let first = open(&mut dev, "A-1");
        let (_, r) = push(&admin, &[], &first).await;
        assert_eq!(statuses(&r), vec!["rejected:invalid"], "{db}: {r}");
        let why = r["results"][0]["message"].as_str().unwrap();
        assert!(why.contains("order_number"), "{db}: {why}");
        assert!(srv.state.db.all_events().await.unwrap().is_empty(), "{db}");
        // The admin adds the field: the same event is accepted now.
        let add = change(&me, settings(Section::Domain(dev.settings.clone())));
        let (_, r) = push(&admin, std::slice::from_ref(&add), &[]).await;
        assert_eq!(statuses(&r), vec!["accepted"], "{db}");
        let (_, r) = push(&admin, &[], &first).await;
        assert!(statuses(&r).iter().all(|s| s == "accepted"), "{db}: {r}");

        // A field added and used in one push: the change is stored first.
        let mut dev2 = Device::new("desk2", 8);
        let mut with_two = dev.settings.clone();
        with_two.custom_fields.push(field("store", false));
        dev2.settings = with_two.clone();
        let mut f = form("c2");
        f.custom_fields
            .insert("store".into(), FieldValue::Text("Centro".into()));
        let second = dev2.run(None, Command::Open(Box::new(f)), &me).unwrap();
        let add = change(&me, settings(Section::Domain(with_two)));
        let (_, r) = push(&admin, std::slice::from_ref(&add), &second).await;
        let st = statuses(&r);
        assert_eq!(st.len(), 1 + second.len(), "{db}");
        assert!(st.iter().all(|s| s == "accepted"), "{db}: {r}");
        // Changes are answered first and stored first.
        let seqs: Vec<u64> = r["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["seq"].as_u64().unwrap())
            .collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{db}: {seqs:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_are_idempotent_and_conflicts_are_refused() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let admin = Client::admin(&srv.base).await;
        let me = agent(ADMIN.0);
        let c = change(&me, settings(Section::Categories(vec!["A".into()])));
        let (_, r) = push(&admin, std::slice::from_ref(&c), &[]).await;
        assert_eq!(r["results"][0]["status"], "accepted", "{db}");
        let seq = r["results"][0]["seq"].clone();
        let (_, r) = push(&admin, std::slice::from_ref(&c), &[]).await;
        assert_eq!(r["results"][0]["status"], "duplicate", "{db}");
        assert_eq!(r["results"][0]["seq"], seq, "{db}");
        // The same id with other content.
        let mut other = c.clone();
        other.payload = settings(Section::Categories(vec!["B".into()]));
        let (_, r) = push(&admin, &[other], &[]).await;
        assert_eq!(statuses(&r), vec!["rejected:conflict"], "{db}");
        // Twice in one batch: the second is a duplicate.
        let d = change(&me, article("x", 1, "X", true));
        let (_, r) = push(&admin, &[d.clone(), d], &[]).await;
        assert_eq!(statuses(&r), vec!["accepted", "duplicate"], "{db}");
        // The id of a stored event.
        let mut dev = Device::new("d", 3);
        let opened = dev.open(&customer("c1"), "c1");
        let c1 = Client::customer(&srv.base, "c1");
        assert_eq!(c1.push(&opened).await.0, 200);
        let mut clash = change(&me, settings(Section::Categories(vec!["C".into()])));
        clash.id = opened[0].id.clone();
        let (_, r) = push(&admin, &[clash], &[]).await;
        assert_eq!(statuses(&r), vec!["rejected:conflict"], "{db}");
        // An event naming a workspace row as its ticket is refused like any bad ticket id.
        for rows in ["~settings", "~articles", "~deflections"] {
            let mut forged = serde_json::to_value(&opened[0]).unwrap();
            forged["ticket"] = json!(rows);
            forged["id"] = json!(format!("forged{}", &rows[1..]));
            forged["actor"] = serde_json::to_value(&me).unwrap();
            let (s, r) = admin
                .send("POST", "/v1/events", Some(json!({"events": [forged]})))
                .await;
            assert_eq!(
                (s, statuses(&r)),
                (200, vec!["rejected:bad_id".into()]),
                "{db}: {r}"
            );
        }
        // A customer replaying an admin's change is refused as anything new of theirs would be.
        let (_, r) = push(&c1, std::slice::from_ref(&c), &[]).await;
        assert_eq!(statuses(&r), vec!["rejected:not_your_event"], "{db}");
        // Malformed changes are answered in order, the rest is stored.
        let (_, r) = admin
            .send(
                "POST",
                "/v1/events",
                Some(json!({"changes": [{"id": "bad"}], "events": []})),
            )
            .await;
        assert_eq!(statuses(&r), vec!["rejected:malformed"], "{db}");
        assert_eq!(srv.state.db.all_changes().await.unwrap().len(), 2, "{db}");
        assert_eq!(srv.state.settings().await.unwrap().categories, vec!["A"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_batch_limit_counts_changes_and_events() {
    for (db, url, _guard) in databases().await {
        let mut cfg = config(&url);
        cfg.limits.max_batch = 2;
        let srv = start(cfg).await;
        let admin = Client::admin(&srv.base).await;
        let me = agent(ADMIN.0);
        let mut dev = Device::new("d", 4);
        let opened = dev.open(&me, "c1");
        let changes = [
            change(&me, article("a", 1, "A", true)),
            change(&me, article("b", 1, "B", true)),
        ];
        let (s, body) = push(&admin, &changes, &opened).await;
        assert_eq!(
            (s, body["error"].as_str()),
            (413, Some("batch_too_large")),
            "{db}"
        );
        assert!(srv.state.db.all_changes().await.unwrap().is_empty(), "{db}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protocol_1_clients_are_told_to_update() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let admin = Client::admin(&srv.base).await;
        let res = reqwest::Client::new()
            .post(format!("{}/v1/events", srv.base))
            .bearer_auth(admin.token.clone().unwrap())
            .header("mostrador-protocol", "1")
            .json(&json!({"events": []}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 426, "{db}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], "protocol_unsupported");
        let msg = body["message"].as_str().unwrap();
        assert!(msg.contains("update the app"), "{msg}");
        assert!(
            msg.contains(&format!("protocol {PROTOCOL_VERSION}")),
            "{msg}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_from_the_command_line_only_seed_a_new_database() {
    for (db, url, _guard) in databases().await {
        let mut cfg = config(&url);
        cfg.settings = domain(&[field("seeded", false)]);
        cfg.desk.categories = vec!["First".into()];
        let srv = start(cfg).await;
        let s = srv.state.settings().await.unwrap();
        assert_eq!(s.categories, vec!["First"], "{db}");
        assert_eq!(s.domain.custom_fields, vec![field("seeded", false)], "{db}");
        let seeded = srv.state.db.all_changes().await.unwrap();
        assert_eq!(seeded.len(), 2, "{db}");
        assert!(seeded.iter().all(|(_, c)| c.actor == Actor::System), "{db}");
        // Customers receive the seeded public sections too.
        let c1 = Client::customer(&srv.base, "c1");
        assert_eq!(pulled_changes(&c1).await.len(), 2, "{db}");
        drop(srv);
        // A second start with another file changes nothing.
        let mut cfg = config(&url);
        cfg.settings = domain(&[field("other", false)]);
        cfg.desk.categories = vec!["Second".into()];
        let again = start(cfg).await;
        let s = again.state.settings().await.unwrap();
        assert_eq!(s.categories, vec!["First"], "{db}");
        assert_eq!(s.domain.custom_fields, vec![field("seeded", false)], "{db}");
        assert_eq!(again.state.db.all_changes().await.unwrap().len(), 2, "{db}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_seed_one_postgres_database_once_and_see_each_others_changes() {
    let Some(url) = postgres_database().await else {
        return;
    };
    let seeded = |cats: &str| {
        let mut cfg = config(&url);
        cfg.desk.categories = vec![cats.into()];
        cfg
    };
    let (a, b) = tokio::join!(start(seeded("A")), start(seeded("B")));
    assert_eq!(a.state.db.all_changes().await.unwrap().len(), 1);
    let cats = a.state.settings().await.unwrap().categories;
    assert_eq!(b.state.settings().await.unwrap().categories, cats);
    // A change through one process is what the other validates against.
    let admin = Client::admin(&a.base).await;
    let me = agent(ADMIN.0);
    let add = change(
        &me,
        settings(Section::Domain(domain(&[field("late", false)]))),
    );
    let (_, r) = push(&admin, &[add], &[]).await;
    assert_eq!(statuses(&r), vec!["accepted"]);
    let mut dev = Device::new("d", 5);
    dev.settings = domain(&[field("late", false)]);
    let mut f = form("c1");
    f.custom_fields
        .insert("late".into(), FieldValue::Text("yes".into()));
    let opened = dev
        .run(None, Command::Open(Box::new(f)), &customer("c1"))
        .unwrap();
    let (_, r) = Client::customer(&b.base, "c1").push(&opened).await;
    assert!(statuses(&r).iter().all(|s| s == "accepted"), "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_change_pokes_customers_streams() {
    for (db, url, _guard) in databases().await {
        let srv = start(config(&url)).await;
        let c1 = Client::customer(&srv.base, "c1");
        let token = c1.token.clone().unwrap();
        let mut res = reqwest::Client::new()
            .get(format!(
                "{}/v1/stream?protocol={PROTOCOL_VERSION}&token={token}",
                srv.base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(next_poke(&mut res).await, Some(0), "{db}: hello poke");
        let admin = Client::admin(&srv.base).await;
        let c = change(&agent(ADMIN.0), article("news", 1, "News", true));
        let (_, r) = push(&admin, &[c], &[]).await;
        assert_eq!(statuses(&r), vec!["accepted"], "{db}");
        assert_eq!(
            next_poke(&mut res).await,
            Some(1),
            "{db}: poke after the change"
        );
    }
}

async fn next_poke(res: &mut reqwest::Response) -> Option<u64> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut buf = String::new();
    loop {
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .ok()?
            .ok()??;
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let msg: String = buf.drain(..end + 2).collect();
            if msg.contains("event: poke") {
                let data = msg.lines().find_map(|l| l.strip_prefix("data: "))?;
                let v: serde_json::Value = serde_json::from_str(data).ok()?;
                return v["head"].as_u64();
            }
        }
    }
}
