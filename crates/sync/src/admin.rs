//! What the console's Integrations page exchanges with the sync server's admin endpoints: API
//! keys (`/v1/admin/api-keys`) and webhooks (`/v1/admin/webhooks`), as documented in
//! `docs/openapi.yaml`. Plain data; the requests are `admin_request` in the browser driver.

use serde::{Deserialize, Serialize};

/// What an API key may do. The server refuses anything else.
pub const SCOPES: [&str; 4] = [
    "tickets:read",
    "tickets:write",
    "customers:read",
    "webhooks:manage",
];

/// The event kinds a webhook endpoint can ask for.
pub const WEBHOOK_KINDS: [&str; 7] = [
    "ticket_created",
    "public_reply",
    "internal_note",
    "status_changed",
    "assigned",
    "rating_received",
    "sla_breached",
];

/// An API key as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_by: String,
    pub created_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
    pub last_used_at_ms: Option<i64>,
}

/// A key to create.
#[derive(Debug, Clone, Serialize)]
pub struct NewApiKey {
    pub name: String,
    pub scopes: Vec<String>,
}

/// A key just created: the only answer that carries its secret.
#[derive(Debug, Clone, Deserialize)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKey,
    pub secret: String,
}

/// A webhook endpoint as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub kinds: Vec<String>,
    pub created_by: String,
    pub created_at_ms: i64,
    pub failing_since_ms: Option<i64>,
    pub disabled_at_ms: Option<i64>,
}

/// An endpoint to register.
#[derive(Debug, Clone, Serialize)]
pub struct NewWebhook {
    pub url: String,
    pub kinds: Vec<String>,
}

/// An endpoint just registered: the only answer that carries its signing secret.
#[derive(Debug, Clone, Deserialize)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    pub secret: String,
}

/// One delivery in an endpoint's log.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Delivery {
    pub id: String,
    pub ticket: String,
    pub kind: String,
    pub created_at_ms: i64,
    pub attempts: i64,
    pub next_attempt_at_ms: i64,
    pub delivered_at_ms: Option<i64>,
    pub last_status: Option<i64>,
    pub last_latency_ms: Option<i64>,
    pub last_error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_in_the_documented_shape_read() {
        let created: CreatedApiKey = serde_json::from_str(
            r#"{"id":"k1","name":"CRM","scopes":["tickets:read"],"created_by":"admin",
                "created_at_ms":1,"revoked_at_ms":null,"last_used_at_ms":null,"secret":"mk_00"}"#,
        )
        .unwrap();
        assert_eq!(created.key.name, "CRM");
        assert_eq!(created.secret, "mk_00");
        let hook: CreatedWebhook = serde_json::from_str(
            r#"{"id":"w1","url":"https://crm.example/hook","kinds":["ticket_created"],
                "created_by":"admin","created_at_ms":1,"failing_since_ms":null,
                "disabled_at_ms":5,"secret":"whsec_00"}"#,
        )
        .unwrap();
        assert_eq!(hook.webhook.disabled_at_ms, Some(5));
        let log: Vec<Delivery> = serde_json::from_str(
            r#"[{"id":"d1","ticket":"t1","kind":"public_reply","created_at_ms":1,"attempts":2,
                 "next_attempt_at_ms":3,"delivered_at_ms":null,"last_status":500,
                 "last_latency_ms":12,"last_error":"HTTP 500"}]"#,
        )
        .unwrap();
        assert_eq!(log[0].last_status, Some(500));
    }
}
