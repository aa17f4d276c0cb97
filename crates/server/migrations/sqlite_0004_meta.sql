-- Small values the server keeps for itself: its node id (the HLC node of the events it decides
-- as the system) and the round-robin cursor of routing.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
