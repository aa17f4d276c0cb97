-- Each ticket's folded state without its thread (JSON), what the push checks need, so a push
-- does not re-read the ticket's history. NULL: fold the events (tickets from before this step).
ALTER TABLE tickets ADD COLUMN state TEXT;
