//! Customer context on real SQLite and PostgreSQL: what the host site signs in an `mc2.` token
//! (plan, orders, CRM link) arrives with the customer's ticket, routes it by plan and is read back
//! through the REST API; a context the site did not sign is refused, and a tampered token too.

mod common;

use common::*;
use mostrador_core::assignment::{AssignmentRule, RuleConditions, RuleId, Strategy, Team};
use mostrador_core::command::Command;
use mostrador_core::config::Settings;
use mostrador_core::customer::CustomerContext;
use mostrador_core::event::{Event, Payload};
use mostrador_core::model::{Actor, TeamId, TicketId};
use mostrador_server::auth::sign_customer_token_with_context;
use serde_json::json;

fn context(plan: &str) -> CustomerContext {
    CustomerContext {
        plan: Some(plan.into()),
        customer_since: Some("2021-03-04".into()),
        orders: vec!["A-1002".into(), "A-1001".into()],
        crm_url: Some("https://crm.example/contacts/42".into()),
    }
}

/// Agents ana and bob; bob alone in team key-accounts, where an Enterprise plan's tickets go.
fn desk() -> Settings {
    let agent = |id: &str, teams: &[&str]| {
        serde_json::from_value(json!({
            "id": id, "name": id, "email": format!("{id}@example.com"),
            "levels": ["L1"], "capacity": 10, "teams": teams,
        }))
        .unwrap()
    };
    let mut s = Settings {
        agents: vec![agent("ana", &[]), agent("bob", &["key-accounts"])],
        teams: vec![Team {
            id: TeamId("key-accounts".into()),
            name: "Key accounts".into(),
            members: vec![mostrador_core::model::AgentId("bob".into())],
        }],
        ..Settings::default()
    };
    s.assignment.rules = vec![AssignmentRule {
        id: RuleId("enterprise".into()),
        name: "Enterprise customers".into(),
        enabled: true,
        conditions: RuleConditions {
            plans: vec!["enterprise".into()],
            ..Default::default()
        },
        target_team: Some(TeamId("key-accounts".into())),
        required_skill: None,
        strategy: Strategy::FewestOpen,
    }];
    s
}

fn signed_client(base: &str, id: &str, c: &CustomerContext) -> Client {
    let exp = chrono::Utc::now().timestamp() + 3600;
    Client::new(
        base,
        Some(sign_customer_token_with_context(SECRET, id, c, exp)),
    )
}

/// The opening a customer's device decides, with `context` on the requester.
fn opening(dev: &mut Device, who: &str, context: Option<CustomerContext>) -> Vec<Event> {
    let mut f = form(who);
    f.requester.context = context;
    dev.run(None, Command::Open(Box::new(f)), &customer(who))
        .unwrap()
}

fn routed_team(events: &[Event], ticket: &TicketId) -> Option<TeamId> {
    events
        .iter()
        .filter(|e| &e.ticket == ticket && e.actor == Actor::System)
        .find_map(|e| match &e.payload {
            Payload::Assigned { team, .. } => team.clone(),
            _ => None,
        })
}

#[tokio::test]
async fn the_signed_context_arrives_routes_and_is_read_back_and_no_other_is_taken() {
    let spec = common::openapi::Spec::load();
    for (db, url, _keep) in databases().await {
        let mut c = config(&url);
        c.desk = desk();
        c.rules_interval = None;
        let r = start(c).await;

        // An Enterprise customer opens a ticket with the context the site signed.
        let ent = signed_client(&r.base, "c1", &context("Enterprise"));
        let mut dev = Device::new("portal-1", 1);
        let opened = opening(&mut dev, "c1", Some(context("Enterprise")));
        let (s, body) = ent.push(&opened).await;
        assert_eq!(
            (s, body["results"][0]["status"].as_str()),
            (200, Some("accepted")),
            "{db}: {body}"
        );
        let t1 = opened[0].ticket.clone();

        // A Pro customer's ticket does not match the Enterprise rule.
        let pro = signed_client(&r.base, "c2", &context("Pro"));
        let mut dev2 = Device::new("portal-2", 2);
        let opened2 = opening(&mut dev2, "c2", Some(context("Pro")));
        assert_eq!(pro.push(&opened2).await.0, 200);

        let all = all_events(&r.base).await;
        assert_eq!(
            routed_team(&all, &t1),
            Some(TeamId("key-accounts".into())),
            "{db}"
        );
        assert_eq!(routed_team(&all, &opened2[0].ticket), None, "{db}");

        // The same customer claiming a better plan than the signed one is refused, and so is
        // any context from a customer whose token signs none.
        let forged = opening(&mut dev, "c1", Some(context("Platinum")));
        let (_, body) = ent.push(&forged).await;
        assert_eq!(body["results"][0]["status"], "rejected", "{db}: {body}");
        assert_eq!(
            body["results"][0]["code"], "unsigned_context",
            "{db}: {body}"
        );
        let plain = Client::customer(&r.base, "c3");
        let mut dev3 = Device::new("portal-3", 3);
        let claimed = opening(&mut dev3, "c3", Some(context("Enterprise")));
        let (_, body) = plain.push(&claimed).await;
        assert_eq!(
            body["results"][0]["code"], "unsigned_context",
            "{db}: {body}"
        );

        // A token whose context was edited after signing is not a token.
        let token = ent.token.clone().unwrap();
        let tampered = token.replace(
            &context("Enterprise").to_token_part(),
            &context("Platinum").to_token_part(),
        );
        let (s, body) = Client::new(&r.base, Some(tampered)).pull(0).await;
        assert_eq!(s, 401, "{db}: {body}");
        assert!(body.to_string().contains("signature"), "{db}: {body}");

        // The REST API returns the context with the ticket, as documented.
        let admin = Client::admin(&r.base).await;
        let (s, key) = admin
            .send(
                "POST",
                "/v1/admin/api-keys",
                Some(json!({"name": "CRM", "scopes": ["tickets:read", "tickets:write"]})),
            )
            .await;
        assert_eq!(s, 201, "{key}");
        let key = key["secret"].as_str().unwrap().to_owned();
        let api = Client::new(&r.base, Some(key));
        let (s, t) = api
            .send("GET", &format!("/v1/api/tickets/{}", t1.0), None)
            .await;
        spec.check("GET", "/v1/api/tickets/{id}", s, &t);
        assert_eq!(s, 200, "{db}: {t}");
        let ctx = &t["requester"]["context"];
        assert_eq!(ctx["plan"], "Enterprise", "{db}: {t}");
        assert_eq!(ctx["customer_since"], "2021-03-04", "{db}: {t}");
        assert_eq!(ctx["orders"], json!(["A-1002", "A-1001"]), "{db}: {t}");
        assert_eq!(
            ctx["crm_url"], "https://crm.example/contacts/42",
            "{db}: {t}"
        );

        // A system holding an API key may give the context itself; it is checked like the
        // site's.
        let new = |crm: &str| {
            json!({"customer_id": "c4", "name": "Dora", "subject": "Where is my order?",
                   "description": "A-7 has not arrived.",
                   "context": {"plan": "Enterprise", "orders": ["A-7"], "crm_url": crm}})
        };
        let (s, v) = api
            .send(
                "POST",
                "/v1/api/tickets",
                Some(new("https://crm.example/c/4")),
            )
            .await;
        spec.check("POST", "/v1/api/tickets", s, &v);
        assert_eq!(s, 201, "{db}: {v}");
        let (s, v) = api
            .send("POST", "/v1/api/tickets", Some(new("javascript:alert(1)")))
            .await;
        spec.check("POST", "/v1/api/tickets", s, &v);
        assert_eq!(s, 422, "{db}: {v}");
        assert!(v.to_string().contains("crm_url"), "{db}: {v}");
        let all = all_events(&r.base).await;
        let by_api = all
            .iter()
            .find_map(|e| match &e.payload {
                Payload::TicketOpened(o) if o.requester.name == "Dora" => Some(e.ticket.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            routed_team(&all, &by_api),
            Some(TeamId("key-accounts".into())),
            "{db}"
        );
    }
}
