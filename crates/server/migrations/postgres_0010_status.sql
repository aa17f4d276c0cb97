-- Each ticket's status beside its state, so the timed rules, the SLA notices and the agents'
-- load read only the tickets in the statuses they act on instead of parsing every state.
-- NULL where the state is NULL (tickets folded from their events).
ALTER TABLE tickets ADD COLUMN status TEXT;
UPDATE tickets SET status = state::jsonb ->> 'status' WHERE state IS NOT NULL;
CREATE INDEX tickets_status ON tickets (status);
