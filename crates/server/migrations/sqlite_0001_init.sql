CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    ticket TEXT NOT NULL,
    body TEXT NOT NULL,
    stored_at BIGINT NOT NULL
);
CREATE INDEX events_ticket ON events (ticket, seq);
CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    customer TEXT
);
CREATE INDEX tickets_customer ON tickets (customer);
CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    admin BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_subject ON sessions (kind, subject);
