-- The dashboard's queries as the server sends them (Licenses.currentByExpiry,
-- currentExpiriesPerWeek, countCurrentByPhase for its largest phase, the panels), with now() for
-- the server's clock. Read the "Execution Time" lines.
\set now 'date_trunc(''second'', now())'

-- 1. the table: first page, from 60 days back, soonest expiry first
explain (analyze, buffers, costs off)
select l.*, s.display_name, s.instance_type, s.auto_renew, s.paid_through, s.payment_failing_since
from licenses l join subscriptions s on s.id = l.subscription_id
where l.is_current = true and l.expires_at >= :now - interval '60 days' and s.archived_at is null
order by l.is_current, l.expires_at, l.id limit 51 offset 0;

-- 2. the table: page 100
explain (analyze, costs off)
select l.id
from licenses l join subscriptions s on s.id = l.subscription_id
where l.is_current = true and l.expires_at >= :now - interval '60 days' and s.archived_at is null
order by l.is_current, l.expires_at, l.id limit 51 offset 5000;

-- 3. the chart: current expiries per week, next 26 weeks
explain (analyze, costs off)
select week, count(*) as n from (
  select floor((extract(epoch from l.expires_at) - extract(epoch from :now)) / 604800) as week
  from licenses l
  where l.is_current = true and l.expires_at >= :now and l.expires_at < :now + interval '182 days') w
group by week;

-- 4. counts by phase: ACTIVE (the largest) and EXPIRING, two of the five queries
explain (analyze, costs off)
select count(*) from licenses l
where l.is_current = true and l.not_before <= :now and l.expiring_at > :now;
explain (analyze, costs off)
select count(*) from licenses l
where l.is_current = true and l.not_before <= :now and l.expiring_at <= :now and l.expires_at > :now;

-- 5. panels: payment failures, dead letters, open renewal requests, license gaps
explain (analyze, costs off)
select id, display_name, payment_failing_since from subscriptions
where archived_at is null and payment_failing_since is not null
order by payment_failing_since, id limit 10;
explain (analyze, costs off) select count(*) from outbox where state = 'DEAD';
explain (analyze, costs off) select count(*) from renewal_requests where state = 'OPEN';
explain (analyze, costs off)
select s.id, s.display_name, case when s.contract_end is not null and (s.paid_through is null
  or s.contract_end > s.paid_through) then s.contract_end else s.paid_through end as covered,
  (select max(l.expires_at) from licenses l where l.subscription_id = s.id and l.revoked_at is null)
  as newest
from subscriptions s where s.archived_at is null
  and (s.paid_through is not null or s.contract_end is not null);
