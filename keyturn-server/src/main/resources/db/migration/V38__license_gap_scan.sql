-- Issue 22: the license-gap pass (GapDetector, hourly over the fleet, and GET /api/v1/license-gaps)
-- reads only subscriptions paid or contracted beyond now. Without these indexes it read every
-- subscription row of the fleet each hour to keep those few (100,000 rows: 11-47 ms on PostgreSQL).
create index subscriptions_paid_through on subscriptions (paid_through);
create index subscriptions_contract_end on subscriptions (contract_end);
