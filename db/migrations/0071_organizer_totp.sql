-- Organizer two-factor sign-in (TOTP). See docs/decisions/0802-organizer-two-factor.md.
-- The secret is stored encrypted (aes-256-gcm, key derived from SESSION_SECRET); it is set at the
-- start of enrolment and counts only once totp_enrolled_at is set. totp_last_step is the last
-- accepted 30-second time step, so a code is accepted once.
alter table organizers
  add column totp_secret bytea,
  add column totp_enrolled_at timestamptz,
  add column totp_last_step bigint;

-- Ten single-use recovery codes per enrolment, stored only as sha256 hashes.
create table organizer_recovery_codes (
  id bigint generated always as identity primary key,
  organizer_id uuid not null references organizers (id) on delete cascade,
  code_hash bytea not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  unique (organizer_id, code_hash)
);

-- Wrong second-step codes are limited like wrong passwords, keyed per organizer.
alter table organizer_login_failures drop constraint organizer_login_failures_scope_check;
alter table organizer_login_failures add constraint organizer_login_failures_scope_check
  check (scope in ('ip', 'email', 'reset_ip', 'reset_email', 'totp'));
