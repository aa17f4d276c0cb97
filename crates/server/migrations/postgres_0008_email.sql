-- Outgoing email. `email_outbox` is the durable queue of notices, written in the transaction
-- that stores the event causing them (`event`; empty for SLA notices, which no event causes),
-- so a stored event never lacks its mail and a crash loses none. `id` is the notice's
-- idempotency id and its Message-ID: the same on every attempt. `notice` is the core's notice
-- as JSON (what the text is rendered from); `recipient` its address, lowercased, and `kind` its
-- kind, for preferences. `auto_submitted` 1: the event came from automatic mail (carried for
-- the incoming side; such events make no customer notices). `sent_at` NULL and `skipped` NULL:
-- still to send; `skipped` says why a notice was not sent (the recipient unsubscribed). An
-- erasure deletes the ticket's notices.
CREATE TABLE email_outbox (
    id TEXT PRIMARY KEY,
    ticket TEXT NOT NULL,
    event TEXT NOT NULL DEFAULT '',
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    notice TEXT NOT NULL,
    auto_submitted BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at BIGINT,
    skipped TEXT,
    last_error TEXT
);
CREATE INDEX email_outbox_pending ON email_outbox (sent_at, skipped, next_attempt_at);
CREATE INDEX email_outbox_ticket ON email_outbox (ticket);
-- Per-recipient preferences: the kinds of notice an address no longer wants (from the signed
-- one-click unsubscribe link; `kind` '*' for all of them).
CREATE TABLE email_unsubscribes (
    address TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (address, kind)
);
