-- Ask ladders: a campaign's ordered next asks, and one follow-up email per step per supporter
-- (issue 16; ADR 1101).

create table ladder_steps (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid not null references campaigns (id) on delete cascade,
  position integer not null check (position >= 0),
  -- share: share this campaign; campaign: act in another campaign (petition, letter, call, …);
  -- donate: give
  kind text not null check (kind in ('share', 'campaign', 'donate')),
  target_campaign_id uuid references campaigns (id) on delete cascade,
  -- {"en": {"title": "...", "body": "..."}, "es": {...}}
  copy jsonb not null default '{}'::jsonb,
  -- How many times a page showed this step: an aggregate counter, never who saw it.
  shown_count bigint not null default 0,
  created_at timestamptz not null default now(),
  unique (campaign_id, position),
  check ((kind = 'campaign') = (target_campaign_id is not null))
);

alter table campaigns
  add column follow_up_hours integer not null default 24 check (follow_up_hours between 1 and 720);

-- At most one follow-up per step per supporter, ever.
create table ladder_follow_ups (
  step_id uuid not null references ladder_steps (id) on delete cascade,
  supporter_id uuid not null references supporters (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (step_id, supporter_id)
);
