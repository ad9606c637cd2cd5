-- Petition delivery (issue 14, section 1). See docs/decisions/0901-petition-delivery.md.
-- A delivery round carries the confirmed signatures no earlier round carried; each office gets
-- one row that goes through the delivery state machine (the statuses and events of 0030).

-- The counts at which the worker delivers on its own (e.g. 1,000 and 5,000 confirmed signatures).
create table petition_milestones (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  threshold integer not null check (threshold between 1 and 100000000),
  reached_at timestamptz,
  round_id uuid,
  primary key (campaign_id, threshold)
);

create table petition_deliveries (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid not null references campaigns (id) on delete cascade,
  reason text not null check (reason in ('now', 'milestone')),
  milestone integer,
  created_by uuid references organizers (id) on delete set null,
  created_at timestamptz not null default now(),
  -- signatures this round carries, and all rounds so far including this one
  signature_count integer not null default 0,
  total_delivered integer not null default 0,
  -- the date range its signatures were signed in
  first_signed_at timestamptz,
  last_signed_at timestamptz,
  -- the signers' update email (one per round), queued once every office has its outcome
  update_queued_at timestamptz
);
create index petition_deliveries_campaign_idx on petition_deliveries (campaign_id, created_at desc);

alter table petition_milestones add constraint petition_milestones_round_fk
  foreign key (round_id) references petition_deliveries (id) on delete set null;

-- Which round carried a signature: each signature is delivered once, so a re-delivery holds only
-- the signatures confirmed (or released from review) since the last one.
create table petition_delivery_signatures (
  signature_id bigint primary key references signatures (id) on delete cascade,
  round_id uuid not null references petition_deliveries (id) on delete cascade
);
create index petition_delivery_signatures_round_idx on petition_delivery_signatures (round_id);

-- One delivery per (round, office): the cover letter and the signer list, by email with the CSV
-- attached, or as a packet the organizer prints and marks delivered.
create table petition_office_deliveries (
  id bigint generated always as identity primary key,
  round_id uuid not null references petition_deliveries (id) on delete cascade,
  -- offices.id for legislators, 'custom/<uuid>' for named officials
  office_key text not null,
  office_name text not null,
  office_title text not null,
  chamber text,
  state text,
  district text,
  email text,
  -- whose signatures the office's list holds: its state's (Senators), its district's
  -- (Representatives), or everyone's (committee members and named officials)
  audience text not null check (audience in ('state', 'district', 'everyone')),
  -- signers in this round who live in the office's state or district (null: not an elected office)
  constituents integer,
  -- signatures the office's list holds (named or counted)
  listed integer not null,
  channel text not null check (channel in ('email', 'packet')),
  status text not null default 'queued'
    check (status in ('queued', 'sending', 'delivered', 'failed', 'awaiting_hand_delivery', 'cancelled')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_by text,
  locked_at timestamptz,
  message_id text not null unique,
  evidence jsonb not null default '{}'::jsonb,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (round_id, office_key)
);
create index petition_office_deliveries_due_idx on petition_office_deliveries (next_attempt_at)
  where status in ('queued', 'sending');
create index petition_office_deliveries_awaiting_idx on petition_office_deliveries (created_at)
  where status = 'awaiting_hand_delivery';

create table petition_office_delivery_events (
  id bigint generated always as identity primary key,
  delivery_id bigint not null references petition_office_deliveries (id) on delete cascade,
  from_status text,
  to_status text not null,
  attempt integer,
  evidence jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index petition_office_delivery_events_delivery_idx
  on petition_office_delivery_events (delivery_id);
