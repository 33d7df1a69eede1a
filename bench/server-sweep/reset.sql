-- Undoes what sweeps and deliveries did to the seeded fleet, so the catch-up can run again
-- without re-seeding: each subscription is due at its first reminder again, ACTIVE, nothing sent.
begin;
delete from delivery_attempts;
delete from mails;
delete from outbox;
delete from notices;
delete from renewal_requests;
delete from events where actor = 'system:sweep';
update subscriptions s set next_transition_at = l.expiring_at, lifecycle_license_id = l.id,
  lifecycle_phase = 'ACTIVE', requires_upfront_payment = false
from licenses l where l.subscription_id = s.id and s.id like 'sub_bench_%'
  and (s.lifecycle_phase <> 'ACTIVE' or s.next_transition_at <> l.expiring_at);
commit;
vacuum analyze subscriptions;
vacuum analyze notices;
vacuum analyze outbox;
vacuum analyze events;
