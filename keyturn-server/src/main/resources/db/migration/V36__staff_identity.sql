-- Issue 19 (staff identity). Users who sign in through the OpenID Connect provider: found again by
-- the provider's issuer and subject (a username may be renamed there, the subject never is); they
-- have no password here.
alter table users add column oidc_issuer varchar(500);
alter table users add column oidc_subject varchar(255);
alter table users alter column password_hash drop not null;
create unique index users_oidc_identity on users (oidc_issuer, oidc_subject);

-- A local account's TOTP second factor (RFC 6238). The secret is sealed with the master key (like
-- the signing keys); last_step is the newest time step accepted, so a code is never taken twice.
create table totp_enrolments (
  username      varchar(100) primary key references users (username),
  secret_sealed varchar(200) not null,
  enrolled_at   timestamp with time zone not null,
  last_step     bigint not null
);

-- Ten single-use recovery codes per enrolment, stored as keyed hashes (HMAC under a secret derived
-- from the master key), so a copy of the database alone does not let anyone test guesses.
create table totp_recovery_codes (
  username  varchar(100) not null references users (username),
  code_hash varchar(64)  not null,
  used_at   timestamp with time zone,
  primary key (username, code_hash)
);

-- The ADMIN's sign-in policy: one row.
create table staff_sign_in_policy (
  id            int primary key check (id = 1),
  totp_required boolean not null,
  changed_at    timestamp with time zone,
  changed_by    varchar(200)
);
insert into staff_sign_in_policy (id, totp_required) values (1, false);
