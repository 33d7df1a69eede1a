-- The sweep's own state of each subscription, moved out of the wide subscriptions row. A catch-up
-- rewrites it for every subscription it handles: as columns of subscriptions, each change wrote a new
-- version of the whole row (JSON lists, CRM ids) and an entry in each of its eight indexes; here
-- it writes a short row and two index entries (bench/server-sweep/README.md). One row per
-- subscription, created with it.
create table subscription_lifecycle (
  subscription_id    varchar(40) primary key references subscriptions (id),
  -- when the sweep looks at the subscription next (null: nothing scheduled)
  next_transition_at timestamp with time zone,
  -- the license and phase as the sweep last applied them
  license_id         varchar(40),
  phase              varchar(20)
);
create index subscription_lifecycle_next on subscription_lifecycle (next_transition_at);

insert into subscription_lifecycle (subscription_id, next_transition_at, license_id, phase)
select id, next_transition_at, lifecycle_license_id, lifecycle_phase from subscriptions;

drop index subscriptions_next_transition;
alter table subscriptions drop column next_transition_at;
alter table subscriptions drop column lifecycle_license_id;
alter table subscriptions drop column lifecycle_phase;
