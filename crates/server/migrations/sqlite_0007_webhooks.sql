-- Webhooks: endpoints admins registered, with the event kinds they want (space-separated) and
-- the secret deliveries are signed with (HMAC-SHA256 needs the secret itself, so unlike API
-- keys it is kept; it is shown once, when the endpoint is registered). `failing_since`: the
-- first failed attempt since the last success; an endpoint failing for a day gets `disabled_at`.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    kinds TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    failing_since BIGINT,
    disabled_at BIGINT
);
-- The durable delivery queue and its log, written in the transaction that stores the event a
-- delivery announces. `id` is the idempotency id receivers see; `event` the event's id (empty
-- for an `sla_breached` delivery, which no event causes); `seq` is the event's sequence, the
-- order of a ticket's deliveries to one endpoint. `delivered_at` NULL: still to deliver. An
-- erasure deletes the deliveries of the events it redacts, and the ticket's SLA deliveries.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook TEXT NOT NULL,
    ticket TEXT NOT NULL,
    event TEXT NOT NULL DEFAULT '',
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at BIGINT,
    last_status BIGINT,
    last_latency_ms BIGINT,
    last_error TEXT
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (delivered_at, webhook, ticket, seq);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook, created_at);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event);
CREATE INDEX webhook_deliveries_ticket ON webhook_deliveries (ticket, kind);
