-- Which customer may see which of a ticket's events: one row per span of sequences during which
-- the customer was the ticket's requester (to_seq NULL: still is).
CREATE TABLE ticket_access (
    ticket TEXT NOT NULL,
    customer TEXT NOT NULL,
    from_seq BIGINT NOT NULL,
    to_seq BIGINT,
    PRIMARY KEY (ticket, from_seq)
);
CREATE INDEX ticket_access_customer ON ticket_access (customer, ticket);
INSERT INTO ticket_access (ticket, customer, from_seq, to_seq)
    SELECT id, customer, 0, NULL FROM tickets WHERE customer IS NOT NULL;
