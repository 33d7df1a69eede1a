-- The daily benchmark's fleet: 100,000 subscriptions, one license each (a 900-byte placeholder text:
-- the sweep and the mails never verify it), one admin contact each. Shares as issue 22 gives them:
--   98.5 % active, expiries uniform over the next 365 days;
--    1 %   expired within the last 30 days and never renewed (in grace);
--    0.5 % whose grace (60 days) ended within the last 30 days.
-- Every subscription starts due at its first reminder (ACTIVE, next_transition_at = D-30): the
-- harness's first sweep brings the fleet to the state a daily sweep leaves. Run after the server has
-- started once on this database (Flyway schema and the first signing key).
begin;
insert into subscriptions (id, display_name, customer_type, crm_account_id, instance_type,
  admin_emails, billing_emails, billing_cycle, auto_renew, policy_preset, tier, seats, limits,
  features, capabilities, created_at, updated_at)
select 'sub_bench_' || g, 'Bench ' || g, 'CUSTOMER', 'crm-' || g, 'PRIMARY',
  '["ops' || g || '@bench.example"]', '[]', 'ANNUAL', false, 'appliance', 'medium', 10, '{}',
  '[]', '{}', now() - interval '400 days', now() - interval '1 day'
from generate_series(1, 100000) g;

insert into licenses (id, subscription_id, key_id, license_text, token_hash, customer, tier, seats,
  policy_preset, grace_days, grace_mode, issued_at, not_before, expiring_at, expires_at, locks_at,
  issued_by, is_current)
select 'lic_bench_' || g, 'sub_bench_' || g, (select key_id from signing_keys where active_slot = 1),
  rpad('# bench license, never verified ', 900, '#'), md5(g::text) || md5('x' || g), 'Bench ' || g,
  'medium', 10, 'appliance', 60, 'full', e - interval '365 days', e - interval '365 days',
  e - interval '30 days', e, e + interval '60 days', 'bench', true
from (select g, date_trunc('second', now()) + case
          when g <= 98500 then (g * interval '365 days') / 98500
          when g <= 99500 then -((g - 98500) * interval '30 days') / 1000
          else -interval '60 days' - ((g - 99500) * interval '30 days') / 500 end as e
      from generate_series(1, 100000) g) x;

insert into subscription_lifecycle (subscription_id, next_transition_at, license_id, phase)
select l.subscription_id, l.expiring_at, l.id, 'ACTIVE' from licenses l
where l.subscription_id like 'sub_bench_%';
commit;
vacuum analyze subscriptions;
vacuum analyze subscription_lifecycle;
vacuum analyze licenses;
