-- Issue 14 (hardening). The test clock's offset (how far it runs ahead of the real time), shared by
-- every replica on this database and kept over restarts. One row; only the clock module writes it,
-- and only forward (each move is one conditional update). A server without the test clock ignores it.
create table test_clock (
  id            integer primary key check (id = 1),
  offset_micros bigint not null check (offset_micros >= 0)
);
insert into test_clock (id, offset_micros) values (1, 0);
