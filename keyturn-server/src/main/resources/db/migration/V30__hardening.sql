-- Issue 14 (hardening). The role a license was issued under: an ENGINEER's emergency bridge may not
-- be chained, so the issuer looks for another unexpired engineer-issued license of the subscription.
-- Older rows stay null (their role is in the license.issued event's metadata).
alter table licenses add column issuer_role varchar(20);
create index licenses_engineer_issued on licenses (subscription_id, issuer_role, expires_at);

-- What the customer's product is told about a revocation, apart from the internal reason staff
-- record (which never leaves the staff side). Null: a generic message.
alter table licenses add column revoked_customer_message varchar(500);

-- Failed staff sign-ins, per user and per client address (hashed), for growing delays.
create table login_failures (
  bucket    varchar(64) not null,
  failed_at timestamp with time zone not null
);
create index login_failures_bucket on login_failures (bucket, failed_at);
