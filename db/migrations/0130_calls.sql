-- Call campaigns (issue 17): a third campaign kind. A supporter looks up their offices, calls each
-- with a script (tel: links, or Twilio patch-through), and records how each call went. Social
-- posts to their legislators' public accounts are counted by network and office, never by who.
-- See docs/decisions/1200-call-campaigns.md and 1201-patch-through.md.

alter table campaigns drop constraint campaigns_kind_check;
alter table campaigns add constraint campaigns_kind_check
  check (kind in ('petition', 'letter', 'call'));

-- {"order": ["senate", "house"], "patchThrough": true}
alter table campaigns add column call_config jsonb not null default '{}'::jsonb;

-- Scripts per target group: {"default": "...", "senate": "...", "house": "..."}; merge fields in place.
alter table campaign_copy add column call_scripts jsonb not null default '{}'::jsonb;
-- The "Post to your legislators" text; {{handle}} is where the office's handle goes.
alter table campaign_copy add column post_text text not null default '';

-- One supporter's visit to a call campaign: the offices they were shown, in campaign order, and
-- the name, city and ZIP they gave (the script's merge fields and the staffer report; never email
-- or street). Erasing the supporter clears these and unlinks the visit.
create table call_visits (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid not null references campaigns (id) on delete cascade,
  supporter_id uuid references supporters (id) on delete set null,
  first_name text,
  last_name text,
  city text,
  state text check (state ~ '^[A-Z]{2}$'),
  zip text check (zip ~ '^[0-9]{5}$'),
  -- sha256 of the page's random token (the link is the capability)
  token_hash bytea not null unique,
  office_keys text[] not null,
  locale text not null check (locale in ('en', 'es')),
  created_at timestamptz not null default now()
);
create index call_visits_campaign_idx on call_visits (campaign_id);
create index call_visits_supporter_idx on call_visits (supporter_id);

-- How each call went: one row per visit and office (a second tap updates, never adds).
create table call_logs (
  id bigint generated always as identity primary key,
  visit_id uuid not null references call_visits (id) on delete cascade,
  campaign_id uuid not null references campaigns (id) on delete cascade,
  office_key text not null,
  outcome text not null check (outcome in ('reached', 'voicemail', 'busy', 'skipped')),
  via text not null default 'tel' check (via in ('tel', 'patch')),
  duration_seconds integer check (duration_seconds >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (visit_id, office_key)
);
create index call_logs_campaign_idx on call_logs (campaign_id, created_at);

-- A patch-through call. The phone number is kept only while the session is live; phone_hash (an
-- HMAC under the 'call-phone' key) stays, for the per-phone daily limit.
create table call_sessions (
  id uuid primary key default gen_random_uuid(),
  visit_id uuid not null references call_visits (id) on delete cascade,
  campaign_id uuid not null references campaigns (id) on delete cascade,
  phone text,
  phone_hash bytea not null,
  office_keys text[] not null,
  position integer not null default 0,
  status text not null default 'dialing' check (status in ('dialing', 'live', 'ended', 'failed')),
  call_sid text,
  created_at timestamptz not null default now(),
  ended_at timestamptz,
  check (status in ('dialing', 'live') or phone is null)
);
create index call_sessions_phone_idx on call_sessions (phone_hash, created_at);

-- "Post to your legislators" clicks: network and office, nothing about who.
create table social_post_clicks (
  id bigint generated always as identity primary key,
  campaign_id uuid not null references campaigns (id) on delete cascade,
  office_key text not null,
  network text not null check (network in ('x', 'bluesky', 'mastodon')),
  created_at timestamptz not null default now()
);
create index social_post_clicks_campaign_idx on social_post_clicks (campaign_id, created_at);
