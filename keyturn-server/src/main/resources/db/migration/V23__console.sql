-- The console's dashboard panels: a few rows out of many, found through an index, not a scan.
create index subscriptions_payment_failing on subscriptions (payment_failing_since);
create index renewal_requests_state on renewal_requests (state, created_at);
