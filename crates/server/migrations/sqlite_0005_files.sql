-- Attachment bytes. `files` holds each uploaded file once, keyed by the lowercase hex SHA-256 of
-- its bytes; `ticket_files` records which accepted event of which ticket announced which file,
-- with the media type and size it announced and whether it came in an internal note (customers
-- never receive those). `seq` is the announcing event's sequence: a customer sees a file only
-- when their access span covers it, like the event itself.
CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_at BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE TABLE ticket_files (
    event TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    ticket TEXT NOT NULL,
    seq BIGINT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    internal BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (event, sha256)
);
CREATE INDEX ticket_files_sha256 ON ticket_files (sha256, seq);
CREATE INDEX ticket_files_ticket ON ticket_files (ticket);
-- The events stored before this step are read once at the next start (in Rust: the event bodies
-- are JSON the core defines) to fill `ticket_files`; the server deletes this key when done.
INSERT INTO meta (key, value) VALUES ('files_backfill', 'pending');
