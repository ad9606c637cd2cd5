-- Email to supporters: mailings, their recipients, and hard bounces (issue 16; ADR 1100).

-- A mailing: its copy per language, its audience, and where it stands. `campaign_id` null is
-- "supporters of all campaigns".
create table mailings (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid references campaigns (id) on delete set null,
  all_campaigns boolean not null default false,
  -- {"states": ["GA"], "districts": ["GA-5"], "locales": ["es"]}; empty lists filter nothing
  audience jsonb not null default '{}'::jsonb,
  -- {"en": {"subject": "...", "body": "markdown"}, "es": {...}}; English is required
  copy jsonb not null,
  status text not null default 'draft'
    check (status in ('draft', 'scheduled', 'sending', 'sent', 'canceled')),
  scheduled_at timestamptz,
  created_by uuid references organizers (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  canceled_at timestamptz,
  check (all_campaigns or campaign_id is not null or status in ('draft', 'canceled'))
);
create index mailings_due_idx on mailings (scheduled_at) where status in ('scheduled', 'sending');

-- Who a mailing goes to, fixed when it starts sending. `pending` rows are released into the
-- outbox at MAIL_RATE_PER_MINUTE; cancelling turns the rest `canceled`; a supporter who may no
-- longer get list mail when their turn comes (unsubscribed, erased, bounced) is `suppressed`.
create table mailing_recipients (
  mailing_id uuid not null references mailings (id) on delete cascade,
  supporter_id uuid not null references supporters (id) on delete cascade,
  locale text not null,
  status text not null default 'pending' check (status in ('pending', 'queued', 'suppressed', 'canceled')),
  message_id text,
  primary key (mailing_id, supporter_id)
);
create index mailing_recipients_pending_idx on mailing_recipients (mailing_id)
  where status = 'pending';
create index mailing_recipients_message_idx on mailing_recipients (message_id)
  where message_id is not null;

-- A permanent (5xx) answer from the relay for this address: no more list mail to it.
alter table supporters add column hard_bounced_at timestamptz;

-- The pacing window counts recent list mail.
create index outbound_emails_list_created_idx on outbound_emails (created_at) where kind = 'list';
