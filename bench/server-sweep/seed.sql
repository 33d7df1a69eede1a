-- 1,000,000 subscriptions, each with one license, expiries spread evenly over the next year
-- (starting 31 days from now, so at "now" nothing is due). Run after the server has started once
-- on this database (Flyway schema and the first signing key). The license text is a placeholder of
-- a real file's size (900 bytes): the sweep and the mails never verify it. The rows are dated a day back, as a fleet's rows are:
-- the sweep's license-gap check looks at subscriptions changed in the last minutes.
\set n 1000000
begin;
insert into subscriptions (id, display_name, customer_type, crm_account_id, instance_type,
  admin_emails, billing_emails, billing_cycle, auto_renew, policy_preset, tier, seats, limits,
  features, capabilities, created_at, updated_at)
select 'sub_bench_' || g, 'Bench ' || g, 'CUSTOMER', 'crm-' || g, 'PRIMARY',
  '["ops' || g || '@bench.example"]', '[]', 'ANNUAL', false, 'appliance', 'medium', 10, '{}',
  '[]', '{}', now() - interval '1 day', now() - interval '1 day'
from generate_series(1, :n) g;

insert into licenses (id, subscription_id, key_id, license_text, token_hash, customer, tier, seats,
  policy_preset, grace_days, grace_mode, issued_at, not_before, expiring_at, expires_at, locks_at,
  issued_by)
select 'lic_bench_' || g, 'sub_bench_' || g, (select key_id from signing_keys where active_slot = 1),
  rpad('# bench license, never verified ', 900, '#'), md5(g::text) || md5('x' || g), 'Bench ' || g, 'medium', 10, 'appliance', 60,
  'full', now(), now(), e - interval '30 days', e, e + interval '60 days', 'bench'
from (select g, date_trunc('second', now()) + interval '31 days'
        + (g * interval '365 days') / :n as e
      from generate_series(1, :n) g) x;

insert into subscription_lifecycle (subscription_id, next_transition_at, license_id, phase)
select l.subscription_id, l.expiring_at, l.id, 'ACTIVE' from licenses l
where l.subscription_id like 'sub_bench_%';
commit;
analyze subscriptions;
analyze subscription_lifecycle;
analyze licenses;
