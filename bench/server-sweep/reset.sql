-- Undoes what sweeps and deliveries did to the seeded fleet, so the catch-up can run again
-- without re-seeding: each subscription is due at its first reminder again, ACTIVE, nothing sent.
begin;
delete from delivery_attempts;
delete from mails;
delete from outbox;
delete from notices;
delete from renewal_requests;
delete from events where actor = 'system:sweep';
update subscription_lifecycle s set next_transition_at = l.expiring_at, license_id = l.id,
  phase = 'ACTIVE'
from licenses l where l.subscription_id = s.subscription_id and s.subscription_id like 'sub_bench_%'
  and (s.phase <> 'ACTIVE' or s.next_transition_at <> l.expiring_at);
update subscriptions set requires_upfront_payment = false where requires_upfront_payment;
commit;
vacuum analyze subscriptions;
vacuum analyze subscription_lifecycle;
vacuum analyze notices;
vacuum analyze outbox;
vacuum analyze events;
