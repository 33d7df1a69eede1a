-- Issue 21 (policies as data). A vendor's own lifecycle policies, by name: stages with banner,
-- dismissal and recipients, grace, lock action. The two presets are built in and never stored.
-- definition is the policy as JSON, spelled as a format-2 license's [license.policy] spells it.
-- revision counts edits: a license records the revision it was issued under.
create table policies (
  name        varchar(40) primary key,
  definition  varchar(8000) not null,
  revision    integer not null,
  -- The tiers whose new subscriptions get this policy when they name none (a JSON array).
  tiers       varchar(2000) not null,
  created_at  timestamp with time zone not null,
  created_by  varchar(300) not null,
  updated_at  timestamp with time zone not null,
  updated_by  varchar(300) not null
);

-- The whole policy a license carries when it is a custom one (format 2), as the same JSON; null for
-- a preset, whose name and grace are in policy_preset, grace_days and grace_mode as before. The
-- sweep and check-in read the policy from here, so they follow the license, not today's policy.
alter table licenses add column policy_definition varchar(8000);
alter table licenses add column policy_revision integer;
