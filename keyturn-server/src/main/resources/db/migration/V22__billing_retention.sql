-- Billing retention (issue 7): a processed Stripe event keeps its id for good (a redelivery must
-- still find it) but its payload only for keyturn.stripe.payload-retention; payload_dropped_at says
-- when the daily task dropped it. Events for unknown Stripe ids keep theirs until resolved.
-- Same SQL on PostgreSQL and H2.
alter table stripe_events alter column payload drop not null;
alter table stripe_events add column payload_dropped_at timestamp with time zone;
