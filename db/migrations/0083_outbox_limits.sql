-- Supporter mail limits and the outbox's end (issue 13, findings 6 and 9; ADR 0813).

-- A keyed hash of the recipient's normalized address, set on the mail that counts against the
-- daily cap per recipient (confirmations, manage links); null on receipts and everything else.
alter table outbound_emails add column recipient_key text;
create index outbound_emails_recipient_key_idx on outbound_emails (recipient_key, created_at)
  where recipient_key is not null;

-- The lease: who claimed the row for sending. The final update is fenced on it, so a worker
-- whose lease expired cannot overwrite the result of the worker that took the row over.
alter table outbound_emails add column locked_by text;

-- When the row ended `failed` (after a permanent error, or too many attempts or too old), for
-- the organizers' list of failed email.
alter table outbound_emails add column failed_at timestamptz;
create index outbound_emails_failed_idx on outbound_emails (failed_at desc) where status = 'failed';
