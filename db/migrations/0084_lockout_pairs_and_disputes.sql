-- Organizer sign-in failures are counted per (IP, email) pair, with increasing delays, and per IP;
-- no longer per email alone, so nobody can lock an owner out from afar. The old scopes stay
-- allowed until their rows age out. See docs/decisions/0814-keys-per-purpose-and-rotation.md.
alter table organizer_login_failures drop constraint organizer_login_failures_scope_check;
alter table organizer_login_failures add constraint organizer_login_failures_scope_check
  check (scope in ('ip', 'email', 'ip_email', 'reset_ip', 'reset_email', 'totp'));

-- A charge under dispute (charge.dispute.created) is `disputed`; a won dispute makes it `paid`
-- again, a lost one leaves it `disputed`. Totals count only paid and refunded charges.
alter table donations drop constraint donations_status_check;
alter table donations add constraint donations_status_check
  check (status in ('pending', 'paid', 'refunded', 'failed', 'canceled', 'disputed'));
alter table donations add column disputed_at timestamptz;
