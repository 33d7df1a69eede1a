-- A key published ahead of its use: 1 for the one pending ("next") key, null otherwise. Vendors ship
-- its public half with the product; nothing signs with it until a rotation moves it to active_slot.
alter table signing_keys add column next_slot smallint;
alter table signing_keys add constraint signing_keys_next_slot_unique unique (next_slot);
alter table signing_keys add constraint signing_keys_next_slot_one check (next_slot = 1);
