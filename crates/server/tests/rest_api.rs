//! The REST API and its keys on real SQLite and PostgreSQL: keys are admin-only, shown once,
//! stored hashed and revocable; every endpoint refuses a missing, unknown, revoked or
//! wrongly-scoped key; writes store the events a console agent's commands would; lists filter
//! and page; every answer fits `docs/openapi.yaml`.

mod common;

use common::openapi::Spec;
use common::*;
use mostrador_core::apply::fold;
use mostrador_core::command::Command;
use mostrador_core::event::{Event, Payload};
use mostrador_core::model::{Actor, AgentId, Impact, Urgency};
use serde_json::{Value, json};

/// An HTTP caller that checks every answer against the OpenAPI document.
struct Api<'a> {
    base: String,
    spec: &'a Spec,
    http: reqwest::Client,
}

impl Api<'_> {
    /// Sends `method path` (documented as `template`) with `token`; checks and returns the answer.
    async fn call(
        &self,
        token: Option<&str>,
        method: &str,
        template: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut r = self.http.request(m, format!("{}{path}", self.base));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        if let Some(b) = body {
            r = r.json(&b);
        }
        let res = r.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let v = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"))
        };
        self.spec.check(method, template, status, &v);
        (status, v)
    }

    async fn new_key(&self, admin: &str, name: &str, scopes: &[&str]) -> (String, String) {
        let (s, k) = self
            .call(
                Some(admin),
                "POST",
                "/v1/admin/api-keys",
                "/v1/admin/api-keys",
                Some(json!({"name": name, "scopes": scopes})),
            )
            .await;
        assert_eq!(s, 201, "{k}");
        (
            k["id"].as_str().unwrap().to_owned(),
            k["secret"].as_str().unwrap().to_owned(),
        )
    }

    async fn open(&self, key: &str, customer: &str, tags: &[&str]) -> String {
        let (s, v) = self
            .call(
                Some(key),
                "POST",
                "/v1/api/tickets",
                "/v1/api/tickets",
                Some(json!({
                    "customer_id": customer, "name": format!("Customer {customer}"),
                    "email": format!("{customer}@example.com"),
                    "subject": "Invoice 42 is wrong", "description": "It charges twice.",
                    "tags": tags,
                })),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        v["ticket"]["id"].as_str().unwrap().to_owned()
    }
}

async fn for_each_database(f: impl AsyncFn(&'static str, String)) {
    for (name, url, _keep) in databases().await {
        f(name, url).await;
    }
}

#[tokio::test]
async fn keys_are_for_admins_shown_once_stored_hashed_and_revocable() {
    let spec = Spec::load();
    for_each_database(async |db, url| {
        let r = start(config(&url)).await;
        let api = Api {
            base: r.base.clone(),
            spec: &spec,
            http: reqwest::Client::new(),
        };
        let admin = Client::admin(&r.base).await;
        let admin_t = admin.token.clone().unwrap();
        let (s, _) = admin
            .send(
                "PUT",
                "/v1/admin/agents/bob",
                Some(json!({"password": "bob-password-1"})),
            )
            .await;
        assert_eq!(s, 204);
        // No agent account may take a key's actor id.
        let (s, e) = admin
            .send(
                "PUT",
                "/v1/admin/agents/api:123",
                Some(json!({"password": "bob-password-1"})),
            )
            .await;
        assert_eq!((s, e["error"].as_str()), (400, Some("bad_request")), "{db}");
        let bob = Client::agent(&r.base, "bob", "bob-password-1").await;
        let bob_t = bob.token.clone().unwrap();
        let cust_t = Client::customer(&r.base, "c1").token.unwrap();
        let new = json!({"name": "CRM", "scopes": ["tickets:read", "tickets:read"]});
        for (who, want) in [(None, 401), (Some(&bob_t), 403), (Some(&cust_t), 403)] {
            let (s, e) = api
                .call(
                    who.map(String::as_str),
                    "POST",
                    "/v1/admin/api-keys",
                    "/v1/admin/api-keys",
                    Some(new.clone()),
                )
                .await;
            assert_eq!(s, want, "{db}: {e}");
            let (s, _) = api
                .call(
                    who.map(String::as_str),
                    "GET",
                    "/v1/admin/api-keys",
                    "/v1/admin/api-keys",
                    None,
                )
                .await;
            assert_eq!(s, want, "{db}");
        }
        for bad in [
            json!({"name": "CRM", "scopes": ["tickets:delete"]}),
            json!({"name": "CRM", "scopes": []}),
            json!({"name": " ", "scopes": ["tickets:read"]}),
            json!({"name": "CRM", "scopes": ["tickets:read"], "admin": true}),
        ] {
            let (s, e) = api
                .call(
                    Some(&admin_t),
                    "POST",
                    "/v1/admin/api-keys",
                    "/v1/admin/api-keys",
                    Some(bad.clone()),
                )
                .await;
            assert_eq!(s, 400, "{db}: {bad} → {e}");
        }
        let (s, k) = api
            .call(
                Some(&admin_t),
                "POST",
                "/v1/admin/api-keys",
                "/v1/admin/api-keys",
                Some(new),
            )
            .await;
        assert_eq!(s, 201, "{db}: {k}");
        assert_eq!(k["scopes"], json!(["tickets:read"]));
        assert_eq!(k["created_by"], json!(ADMIN.0));
        let id = k["id"].as_str().unwrap().to_owned();
        let secret = k["secret"].as_str().unwrap().to_owned();
        // Stored as its SHA-256 only.
        let stored: Vec<String> = match &r.state.db {
            mostrador_server::Db::Sqlite(p, _) => {
                sqlx::query_scalar("SELECT id || name || scopes || secret_hash FROM api_keys")
                    .fetch_all(p)
                    .await
                    .unwrap()
            }
            mostrador_server::Db::Postgres(p, _) => {
                sqlx::query_scalar("SELECT id || name || scopes || secret_hash FROM api_keys")
                    .fetch_all(p)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(stored.len(), 1);
        assert!(
            !stored[0].contains(&secret[3..]),
            "{db}: the secret is stored"
        );
        assert!(stored[0].ends_with(&mostrador_server::auth::token_hash(&secret)));
        // Listed without the secret; not used yet.
        let (s, list) = api
            .call(
                Some(&admin_t),
                "GET",
                "/v1/admin/api-keys",
                "/v1/admin/api-keys",
                None,
            )
            .await;
        assert_eq!(s, 200);
        assert!(!list.to_string().contains(&secret[3..]), "{db}: {list}");
        assert!(list[0].get("secret").is_none());
        assert_eq!(list[0]["last_used_at_ms"], Value::Null);
        // A use is recorded.
        let (s, _) = api
            .call(
                Some(&secret),
                "GET",
                "/v1/api/tickets",
                "/v1/api/tickets",
                None,
            )
            .await;
        assert_eq!(s, 200, "{db}");
        let (_, list) = api
            .call(
                Some(&admin_t),
                "GET",
                "/v1/admin/api-keys",
                "/v1/admin/api-keys",
                None,
            )
            .await;
        assert!(list[0]["last_used_at_ms"].as_i64().unwrap() > 0, "{db}");
        // A key is not a session: it cannot manage keys.
        let (s, _) = api
            .call(
                Some(&secret),
                "GET",
                "/v1/admin/api-keys",
                "/v1/admin/api-keys",
                None,
            )
            .await;
        assert_eq!(s, 401, "{db}");
        // Revoked: refused from then on; revoking again is harmless; unknown ids are 404.
        let path = format!("/v1/admin/api-keys/{id}");
        for who in [&bob_t] {
            let (s, _) = api
                .call(Some(who), "DELETE", "/v1/admin/api-keys/{id}", &path, None)
                .await;
            assert_eq!(s, 403, "{db}");
        }
        for _ in 0..2 {
            let (s, _) = api
                .call(
                    Some(&admin_t),
                    "DELETE",
                    "/v1/admin/api-keys/{id}",
                    &path,
                    None,
                )
                .await;
            assert_eq!(s, 204, "{db}");
        }
        let (s, _) = api
            .call(
                Some(&admin_t),
                "DELETE",
                "/v1/admin/api-keys/{id}",
                "/v1/admin/api-keys/nope",
                None,
            )
            .await;
        assert_eq!(s, 404, "{db}");
        let (s, e) = api
            .call(
                Some(&secret),
                "GET",
                "/v1/api/tickets",
                "/v1/api/tickets",
                None,
            )
            .await;
        assert_eq!(s, 401, "{db}");
        assert!(e["message"].as_str().unwrap().contains("revoked"), "{e}");
        let (_, list) = api
            .call(
                Some(&admin_t),
                "GET",
                "/v1/admin/api-keys",
                "/v1/admin/api-keys",
                None,
            )
            .await;
        assert!(list[0]["revoked_at_ms"].as_i64().is_some(), "{db}");
    })
    .await;
}

#[tokio::test]
async fn every_endpoint_refuses_missing_unknown_revoked_and_wrongly_scoped_keys() {
    let spec = Spec::load();
    for_each_database(async |db, url| {
        let r = start(config(&url)).await;
        let api = Api {
            base: r.base.clone(),
            spec: &spec,
            http: reqwest::Client::new(),
        };
        let admin_t = Client::admin(&r.base).await.token.unwrap();
        let all = [
            "tickets:read",
            "tickets:write",
            "customers:read",
            "webhooks:manage",
        ];
        let (_, writer) = api.new_key(&admin_t, "setup", &["tickets:write"]).await;
        let ticket = api.open(&writer, "c1", &[]).await;
        let (revoked_id, revoked) = api.new_key(&admin_t, "old", &all).await;
        let (s, _) = Client::new(&r.base, Some(admin_t.clone()))
            .send("DELETE", &format!("/v1/admin/api-keys/{revoked_id}"), None)
            .await;
        assert_eq!(s, 204);
        let mut scoped = Vec::new();
        for scope in all {
            scoped.push((scope, api.new_key(&admin_t, scope, &[scope]).await.1));
        }
        let new_ticket = json!({"customer_id": "c2", "name": "C2", "subject": "Hi",
                                "description": "Hello"});
        let t = |p: &str| p.replace("{id}", &ticket);
        let endpoints: Vec<Endpoint<'_>> = vec![
            (
                "GET",
                "/v1/api/tickets",
                "/v1/api/tickets".into(),
                None,
                "tickets:read",
                200,
            ),
            (
                "POST",
                "/v1/api/tickets",
                "/v1/api/tickets".into(),
                Some(new_ticket),
                "tickets:write",
                201,
            ),
            (
                "GET",
                "/v1/api/tickets/{id}",
                t("/v1/api/tickets/{id}"),
                None,
                "tickets:read",
                200,
            ),
            (
                "PATCH",
                "/v1/api/tickets/{id}",
                t("/v1/api/tickets/{id}"),
                Some(json!({"tags": {"add": ["vip"]}})),
                "tickets:write",
                200,
            ),
            (
                "POST",
                "/v1/api/tickets/{id}/replies",
                t("/v1/api/tickets/{id}/replies"),
                Some(json!({"body": "We are on it."})),
                "tickets:write",
                201,
            ),
            (
                "POST",
                "/v1/api/tickets/{id}/notes",
                t("/v1/api/tickets/{id}/notes"),
                Some(json!({"body": "Billing bug, see ERP."})),
                "tickets:write",
                201,
            ),
            (
                "GET",
                "/v1/api/customers/{id}/tickets",
                "/v1/api/customers/c1/tickets".into(),
                None,
                "customers:read",
                200,
            ),
        ];
        // Every documented REST operation is in the matrix.
        let mut documented = spec.operations("/v1/api/");
        documented.sort();
        let mut tested: Vec<(String, String)> = endpoints
            .iter()
            .map(|(m, tpl, ..)| ((*m).to_owned(), (*tpl).to_owned()))
            .collect();
        tested.sort();
        assert_eq!(documented, tested);
        let unknown = format!("mk_{}", "0".repeat(64));
        for (method, tpl, path, body, needs, ok) in &endpoints {
            let refused: [(&str, Option<&str>, u16); 4] = [
                ("no key", None, 401),
                ("a session token", Some(&admin_t), 401),
                ("an unknown key", Some(&unknown), 401),
                ("a revoked key", Some(&revoked), 401),
            ];
            for (what, token, want) in refused {
                let (s, e) = api.call(token, method, tpl, path, body.clone()).await;
                assert_eq!(s, want, "{db}: {method} {path} with {what}: {e}");
                assert_eq!(e["error"], json!("unauthorized"));
            }
            for (scope, key) in &scoped {
                let (s, e) = api.call(Some(key), method, tpl, path, body.clone()).await;
                if scope == needs {
                    assert_eq!(s, *ok, "{db}: {method} {path} with {scope}: {e}");
                } else {
                    assert_eq!(s, 403, "{db}: {method} {path} with {scope}: {e}");
                    assert_eq!(e["error"], json!("forbidden"));
                }
            }
        }
    })
    .await;
}

/// A matrix row: method, documented path, path, body, the scope it needs, its success status.
type Endpoint<'a> = (&'a str, &'a str, String, Option<Value>, &'a str, u16);

/// The payloads of the events `actor` stored on `ticket` after the first `skip` events.
fn payloads_after(all: &[Event], skip: usize, ticket: &str, actor: &Actor) -> Vec<Value> {
    all[skip..]
        .iter()
        .filter(|e| e.ticket.0 == ticket && &e.actor == actor)
        .map(|e| serde_json::to_value(&e.payload).unwrap())
        .collect()
}

#[tokio::test]
async fn writes_store_what_a_console_agent_would_and_reads_show_it() {
    let spec = Spec::load();
    for_each_database(async |db, url| {
        let r = start(config(&url)).await;
        let api = Api {
            base: r.base.clone(),
            spec: &spec,
            http: reqwest::Client::new(),
        };
        let admin_t = Client::admin(&r.base).await.token.unwrap();
        let (key_id, key) = api
            .new_key(
                &admin_t,
                "CRM",
                &["tickets:read", "tickets:write", "customers:read"],
            )
            .await;
        let actor = Actor::Agent(AgentId(format!("api:{key_id}")));
        let ticket = api.open(&key, "c1", &["billing"]).await;
        let all = all_events(&r.base).await;
        let opened: Vec<&Event> = all.iter().filter(|e| e.ticket.0 == ticket).collect();
        assert_eq!(opened.len(), 1, "{db}");
        assert_eq!(opened[0].actor, actor);
        match &opened[0].payload {
            Payload::TicketOpened(o) => {
                assert_eq!(o.channel, mostrador_core::model::Channel::Api);
                assert_eq!(
                    o.requester.customer_id.as_ref().map(|c| c.0.as_str()),
                    Some("c1")
                );
            }
            p => panic!("{db}: {p:?}"),
        }
        // Each write against what a console agent deciding the same command on the same
        // ticket would store (ids and clocks aside).
        let path = format!("/v1/api/tickets/{ticket}");
        let steps: Vec<(&str, &str, String, Value, Vec<Command>)> = vec![
            (
                "POST",
                "/v1/api/tickets/{id}/replies",
                format!("{path}/replies"),
                json!({"body": "We are refunding you."}),
                vec![reply("We are refunding you.")],
            ),
            (
                "POST",
                "/v1/api/tickets/{id}/notes",
                format!("{path}/notes"),
                json!({"body": "ERP credit note 7."}),
                vec![note("ERP credit note 7.")],
            ),
            (
                "PATCH",
                "/v1/api/tickets/{id}",
                path.clone(),
                json!({"priority": {"impact": "high", "urgency": "high"},
                       "assignee": {"agent": "ana", "team": null},
                       "tags": {"add": ["refund"], "remove": ["billing"]},
                       "status": "resolved"}),
                vec![
                    Command::SetPriority {
                        impact: Impact::High,
                        urgency: Urgency::High,
                    },
                    Command::Assign {
                        agent: Some(AgentId("ana".into())),
                        team: None,
                    },
                    Command::Tag {
                        add: vec!["refund".into()],
                        remove: vec!["billing".into()],
                    },
                    Command::Resolve,
                ],
            ),
        ];
        for (method, tpl, p, body, commands) in steps {
            let before = all_events(&r.base).await;
            let mut console = Device::new("console", 7);
            console.receive(&before);
            let mut want = Vec::new();
            for c in commands {
                let id = mostrador_core::model::TicketId(ticket.clone());
                for e in console.run(Some(&id), c, &actor).unwrap() {
                    want.push(serde_json::to_value(&e.payload).unwrap());
                }
            }
            let (s, v) = api.call(Some(&key), method, tpl, &p, Some(body)).await;
            assert!(s == 200 || s == 201, "{db}: {p}: {v}");
            let after = all_events(&r.base).await;
            let got = payloads_after(&after, before.len(), &ticket, &actor);
            assert_eq!(got, want, "{db}: {p}");
            assert_eq!(v["events"].as_array().unwrap().len(), want.len());
        }
        // The ticket as folded: resolved, with the changes, thread and audit history.
        let state = fold(
            all_events(&r.base)
                .await
                .iter()
                .filter(|e| e.ticket.0 == ticket),
        )
        .unwrap();
        assert_eq!(state.status, mostrador_core::model::Status::Resolved);
        let (s, d) = api
            .call(Some(&key), "GET", "/v1/api/tickets/{id}", &path, None)
            .await;
        assert_eq!(s, 200, "{db}");
        assert_eq!(d["ticket"]["status"], json!("resolved"));
        assert_eq!(d["ticket"]["priority"], json!("urgent"));
        assert_eq!(d["ticket"]["assignee"], json!("ana"));
        assert_eq!(d["ticket"]["tags"], json!(["refund"]));
        assert_eq!(d["ticket"]["replies"], json!(1));
        let thread = d["thread"].as_array().unwrap();
        assert_eq!(thread.len(), 2, "{db}: {d}");
        assert_eq!(thread[1]["visibility"], json!("internal"));
        assert_eq!(
            thread[0]["author"],
            json!({"kind": "agent", "id": format!("api:{key_id}")})
        );
        let audit = d["audit"].as_array().unwrap();
        assert!(audit.len() >= 6, "{db}: {d}");
        assert!(
            audit
                .iter()
                .all(|a| a["actor"]["id"] == json!(format!("api:{key_id}")))
        );
        // The customer sees the reply through sync, never the note.
        let c1 = Client::customer(&r.base, "c1");
        let (_, pulled) = c1.pull(0).await;
        let text = pulled.to_string();
        assert!(text.contains("We are refunding you."), "{db}");
        assert!(!text.contains("ERP credit note 7."), "{db}");
        // Refusals: the core's (422), a missing ticket (404), bad bodies (400).
        let (s, e) = api
            .call(
                Some(&key),
                "POST",
                "/v1/api/tickets/{id}/replies",
                &format!("{path}/replies"),
                Some(json!({"body": "   "})),
            )
            .await;
        assert_eq!((s, &e["error"]), (422, &json!("rejected")), "{db}: {e}");
        let (s, _) = api
            .call(
                Some(&key),
                "PATCH",
                "/v1/api/tickets/{id}",
                "/v1/api/tickets/0123456789abcdef0123456789abcdef",
                Some(json!({"status": "closed"})),
            )
            .await;
        assert_eq!(s, 404, "{db}");
        let (s, _) = api
            .call(
                Some(&key),
                "GET",
                "/v1/api/tickets/{id}",
                "/v1/api/tickets/~settings",
                None,
            )
            .await;
        assert_eq!(s, 404, "{db}");
        for bad in [
            json!({}),
            json!({"status": "pending"}),
            json!({"colour": "red"}),
        ] {
            let (s, e) = api
                .call(
                    Some(&key),
                    "PATCH",
                    "/v1/api/tickets/{id}",
                    &path,
                    Some(bad.clone()),
                )
                .await;
            assert_eq!(s, 400, "{db}: {bad}: {e}");
        }
        let (s, e) = api
            .call(
                Some(&key),
                "POST",
                "/v1/api/tickets",
                "/v1/api/tickets",
                Some(json!({"customer_id": "anon-x", "name": "X", "subject": "s",
                            "description": "d"})),
            )
            .await;
        assert_eq!(s, 400, "{db}: {e}");
        let (s, e) = api
            .call(
                Some(&key),
                "POST",
                "/v1/api/tickets",
                "/v1/api/tickets",
                Some(json!({"customer_id": "c9", "name": "X", "subject": "",
                            "description": "d"})),
            )
            .await;
        assert_eq!((s, &e["error"]), (422, &json!("rejected")), "{db}: {e}");
        // Nothing was stored by the refusals.
        let n = all_events(&r.base).await.len();
        assert_eq!(n, all_events(&r.base).await.len());
    })
    .await;
}

#[tokio::test]
async fn lists_filter_and_page_with_a_cursor() {
    let spec = Spec::load();
    for_each_database(async |db, url| {
        let r = start(config(&url)).await;
        let api = Api {
            base: r.base.clone(),
            spec: &spec,
            http: reqwest::Client::new(),
        };
        let admin_t = Client::admin(&r.base).await.token.unwrap();
        let (_, key) = api
            .new_key(
                &admin_t,
                "CRM",
                &["tickets:read", "tickets:write", "customers:read"],
            )
            .await;
        let a = api.open(&key, "c1", &["vip"]).await;
        let b = api.open(&key, "c1", &[]).await;
        let c = api.open(&key, "c2", &["vip"]).await;
        // A console-side ticket shows up too.
        let cust = Client::customer(&r.base, "c3");
        let mut dev = Device::new("portal", 3);
        let opened = dev.open(&customer("c3"), "c3");
        let (s, _) = cust.push(&opened).await;
        assert_eq!(s, 200);
        let (s, _) = api
            .call(
                Some(&key),
                "PATCH",
                "/v1/api/tickets/{id}",
                &format!("/v1/api/tickets/{b}"),
                Some(json!({"status": "closed"})),
            )
            .await;
        assert_eq!(s, 200, "{db}");
        let ids = |v: &Value| -> Vec<String> {
            v["tickets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_str().unwrap().to_owned())
                .collect()
        };
        let list = async |q: &str| {
            let (s, v) = api
                .call(
                    Some(&key),
                    "GET",
                    "/v1/api/tickets",
                    &format!("/v1/api/tickets{q}"),
                    None,
                )
                .await;
            assert_eq!(s, 200, "{db}: {q}: {v}");
            v
        };
        let everything = ids(&list("").await);
        assert_eq!(everything.len(), 4, "{db}");
        // Most recently updated first: b was closed last.
        assert_eq!(everything[0], b, "{db}");
        assert_eq!(ids(&list("?status=closed").await), vec![b.clone()]);
        let mut vip = ids(&list("?tag=vip").await);
        vip.sort();
        let mut want = vec![a.clone(), c.clone()];
        want.sort();
        assert_eq!(vip, want, "{db}");
        assert_eq!(ids(&list("?tag=vip&customer=c2").await), vec![c.clone()]);
        assert_eq!(
            ids(&list("?status=new,open&customer=c1").await),
            vec![a.clone()]
        );
        assert!(ids(&list("?created_after=2999-01-01T00:00:00Z").await).is_empty());
        assert_eq!(
            ids(&list("?updated_before=2999-01-01T00:00:00Z").await).len(),
            4
        );
        assert_eq!(ids(&list("?assignee=none").await).len(), 4);
        assert!(ids(&list("?assignee=ana").await).is_empty());
        assert!(ids(&list("?priority=urgent").await).is_empty());
        // Pages of 3 then 1, in the same order, without overlap.
        let p1 = list("?limit=3").await;
        assert_eq!(ids(&p1), everything[..3].to_vec(), "{db}");
        let cursor = p1["next_cursor"].as_str().unwrap().to_owned();
        let p2 = list(&format!("?limit=3&cursor={cursor}")).await;
        assert_eq!(ids(&p2), everything[3..].to_vec(), "{db}");
        assert_eq!(p2["next_cursor"], Value::Null);
        // A customer's tickets.
        let (s, v) = api
            .call(
                Some(&key),
                "GET",
                "/v1/api/customers/{id}/tickets",
                "/v1/api/customers/c1/tickets",
                None,
            )
            .await;
        assert_eq!(s, 200);
        let mut mine = ids(&v);
        mine.sort();
        let mut want = vec![a.clone(), b.clone()];
        want.sort();
        assert_eq!(mine, want, "{db}");
        // Bad queries say why.
        for q in [
            "?status=pending",
            "?limit=0",
            "?cursor=x",
            "?since=yesterday",
        ] {
            let (s, e) = api
                .call(
                    Some(&key),
                    "GET",
                    "/v1/api/tickets",
                    &format!("/v1/api/tickets{q}"),
                    None,
                )
                .await;
            assert_eq!((s, &e["error"]), (400, &json!("bad_request")), "{db}: {q}");
        }
    })
    .await;
}

#[tokio::test]
async fn custom_fields_are_checked_and_text_search_is_the_consoles() {
    let spec = Spec::load();
    for_each_database(async |db, url| {
        let mut c = config(&url);
        c.settings.custom_fields =
            vec![serde_json::from_value(json!({"key": "order_number", "kind": "text"})).unwrap()];
        let r = start(c).await;
        let api = Api {
            base: r.base.clone(),
            spec: &spec,
            http: reqwest::Client::new(),
        };
        let admin_t = Client::admin(&r.base).await.token.unwrap();
        let (_, key) = api
            .new_key(&admin_t, "ERP", &["tickets:read", "tickets:write"])
            .await;
        let a = api.open(&key, "c1", &[]).await;
        let b = api.open(&key, "c2", &[]).await;
        let path = format!("/v1/api/tickets/{a}");
        let (s, v) = api
            .call(
                Some(&key),
                "PATCH",
                "/v1/api/tickets/{id}",
                &path,
                Some(json!({"fields": {"order_number": {"kind": "text", "value": "SO-1234"}}})),
            )
            .await;
        assert_eq!(s, 200, "{db}: {v}");
        assert_eq!(v["events"].as_array().unwrap().len(), 1);
        let (_, d) = api
            .call(Some(&key), "GET", "/v1/api/tickets/{id}", &path, None)
            .await;
        assert_eq!(
            d["custom_fields"]["order_number"],
            json!({"kind": "text", "value": "SO-1234"}),
            "{db}: {d}"
        );
        // A field the settings do not define is the core's refusal; nothing is stored.
        let before = all_events(&r.base).await.len();
        let (s, e) = api
            .call(
                Some(&key),
                "PATCH",
                "/v1/api/tickets/{id}",
                &path,
                Some(json!({"tags": {"add": ["x"]},
                            "fields": {"colour": {"kind": "text", "value": "red"}}})),
            )
            .await;
        assert_eq!((s, &e["error"]), (422, &json!("rejected")), "{db}: {e}");
        assert_eq!(
            all_events(&r.base).await.len(),
            before,
            "{db}: half a patch stored"
        );
        // Text search over the thread, internal notes included, as in the console.
        let (s, _) = api
            .call(
                Some(&key),
                "POST",
                "/v1/api/tickets/{id}/notes",
                &format!("/v1/api/tickets/{b}/notes"),
                Some(json!({"body": "The courier lost parcel zebrafish."})),
            )
            .await;
        assert_eq!(s, 201);
        let search = async |q: &str| -> Vec<String> {
            let (s, v) = api
                .call(
                    Some(&key),
                    "GET",
                    "/v1/api/tickets",
                    &format!("/v1/api/tickets?q={q}"),
                    None,
                )
                .await;
            assert_eq!(s, 200, "{db}: {v}");
            v["tickets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(search("zebrafish").await, vec![b.clone()], "{db}");
        assert_eq!(search("courier%20zebra").await, vec![b.clone()], "{db}");
        assert!(search("unicorn").await.is_empty(), "{db}");
        assert_eq!(search("invoice").await.len(), 2, "{db}");
    })
    .await;
}
