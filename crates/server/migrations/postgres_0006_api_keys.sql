-- Keys for the REST API (`/v1/api/…`). The secret (`mk_…`) is shown once when the key is
-- created and never stored: `secret_hash` is the lowercase hex SHA-256 of it. `scopes` is a
-- space-separated list (`tickets:read tickets:write customers:read webhooks:manage`).
-- `revoked_at` set: the key no longer works. `last_used_at`: the latest authenticated request
-- (recorded at most once a minute).
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_used_at BIGINT
);
