-- Sweep performance (issue 6, item 8): between its hourly full passes, the license-gap detector
-- looks only at subscriptions whose paid-through could have moved (updated_at) or whose license
-- was revoked since the previous sweep; these indexes make that a range scan. Same SQL on
-- PostgreSQL and H2.
create index subscriptions_updated_at on subscriptions (updated_at);
create index licenses_revoked_at on licenses (revoked_at);
