-- The console's dashboard at a million subscriptions: a LIMITed walk of an index, never a scan.

-- Each subscription's current license (its unrevoked license expiring last) carries a flag that
-- Licenses keeps on every issue and revocation, so "what expires next" is one index range instead
-- of comparing every license with its siblings.
alter table licenses add column is_current boolean default false not null;
update licenses set is_current = true
where revoked_at is null
  and expires_at = (select max(l2.expires_at) from licenses l2
                    where l2.subscription_id = licenses.subscription_id and l2.revoked_at is null);
create index licenses_current_expiry on licenses (is_current, expires_at);

-- The panels: a few rows out of many.
create index subscriptions_payment_failing on subscriptions (payment_failing_since);
create index renewal_requests_state on renewal_requests (state, created_at);
