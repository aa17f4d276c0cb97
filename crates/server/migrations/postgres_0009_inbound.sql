-- Incoming email. `inbound_messages` records each message stored as a ticket or a reply, by the
-- SHA-256 of its Message-ID (not the header itself, which may name a person), in the transaction
-- that stores its events and files: the same message delivered twice (an MTA retrying, an
-- inbound-mail service resending) is stored once. `ticket` and `event` are what it became;
-- `outcome` is `new_ticket` or `reply`.
CREATE TABLE inbound_messages (
    message_id TEXT PRIMARY KEY,
    ticket TEXT NOT NULL,
    event TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX inbound_messages_ticket ON inbound_messages (ticket);
-- Each ticket's code beside its snapshot, kept by the write path with `state`, so a reply that
-- names a code (in its subject or its reply address) finds the ticket by an index.
ALTER TABLE tickets ADD COLUMN code TEXT;
UPDATE tickets SET code = (state::jsonb ->> 'code') WHERE state IS NOT NULL;
CREATE INDEX tickets_code ON tickets (code);
