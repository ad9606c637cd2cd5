-- Organizer sign-in: failed-login records for rate limiting (shared by every app instance), and
-- indexes for session expiry sweeps. See docs/decisions/0500-organizer-sessions.md.
create table organizer_login_failures (
  id bigint generated always as identity primary key,
  -- 'ip' or 'email' (or 'reset' for password-reset requests); key is a sha256 hex, never the raw value
  scope text not null check (scope in ('ip', 'email', 'reset_ip', 'reset_email')),
  key text not null,
  created_at timestamptz not null default now()
);
create index organizer_login_failures_key_idx on organizer_login_failures (scope, key, created_at desc);

create index organizer_sessions_expires_idx on organizer_sessions (expires_at);
create index audit_log_subject_idx on audit_log (subject_type, subject_id, created_at desc);
