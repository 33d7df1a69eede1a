-- After bench/server-sweep/seed.sql: half the fleet renewed once already, so each of those
-- subscriptions also has an older, superseded license that expired 0 to 299 days ago. The
-- dashboard must skip them (they are not the current license) without slowing down.
\set n 500000
begin;
insert into licenses (id, subscription_id, key_id, license_text, token_hash, customer, tier, seats,
  policy_preset, grace_days, grace_mode, issued_at, not_before, expiring_at, expires_at, locks_at,
  issued_by)
select 'lic_old_' || g, 'sub_bench_' || g, (select key_id from signing_keys where active_slot = 1),
  'placeholder', md5('old' || g) || md5('y' || g), 'Bench ' || g, 'medium', 10, 'appliance', 60,
  'full', e - interval '365 days', e - interval '365 days', e - interval '30 days', e,
  e + interval '60 days', 'bench'
from (select g, date_trunc('second', now()) - (g % 300) * interval '1 day' - interval '1 hour' as e
      from generate_series(1, :n) g) x;
commit;
analyze licenses;
