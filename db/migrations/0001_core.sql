-- Writ core domain. Forward-only: never edit this file once it has landed; add a new one.
-- Numbering by capability (so parallel work never collides):
--   0001-0009 core, 0010 petitions, 0020 reference data & lookup, 0030 letters & delivery,
--   0040 donations, 0050 organizers & metrics, 0060 trust & safety, 0070 performance.

-- Organizers and their sessions -------------------------------------------------------------
create table organizers (
  id uuid primary key default gen_random_uuid(),
  email text not null unique check (email = lower(email) and position('@' in email) > 1),
  name text not null default '',
  password_hash text not null,
  role text not null check (role in ('owner', 'organizer', 'viewer')),
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);

create table organizer_sessions (
  -- sha256 of the cookie's random token; the token itself is never stored
  id_hash bytea primary key,
  organizer_id uuid not null references organizers (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  user_agent text
);
create index organizer_sessions_organizer_idx on organizer_sessions (organizer_id);

-- Campaigns ---------------------------------------------------------------------------------
create table campaigns (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$'),
  kind text not null check (kind in ('petition', 'letter')),
  status text not null default 'draft' check (status in ('draft', 'live', 'closed')),
  goal integer not null default 1000 check (goal > 0),
  default_locale text not null default 'en' check (default_locale in ('en', 'es')),
  locales text[] not null default '{en,es}',
  -- {"house": true, "senate": true, "stateUpper": false, "stateLower": false}
  target_config jsonb not null default '{}'::jsonb,
  letter_editable boolean not null default false,
  letter_max_length integer not null default 5000 check (letter_max_length between 100 and 20000),
  cwc_topic text,
  bill jsonb, -- {"congress": 119, "type": "S", "number": 2525, "title": "..."}
  -- {"enabled": true, "amounts": [10,25,50,100], "maxAmount": 10000, "showTotal": true}
  donation_config jsonb not null default '{"enabled": true, "amounts": [10, 25, 50, 100], "maxAmount": 10000, "showTotal": false}'::jsonb,
  created_by uuid references organizers (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  closed_at timestamptz
);
create index campaigns_live_idx on campaigns (published_at desc) where status = 'live';

-- Copy per locale; pages fall back to the campaign's default locale.
create table campaign_copy (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  locale text not null check (locale in ('en', 'es')),
  headline text not null,
  summary text not null default '',
  story text not null default '',
  ask text not null default '',
  -- [{"text": "...", "sourceTitle": "...", "sourceUrl": "https://..."}]
  facts jsonb not null default '[]'::jsonb,
  thank_you text not null default '',
  letter_subject text,
  letter_body text,
  share_text text not null default '',
  primary key (campaign_id, locale)
);

-- Named officials a campaign targets besides "your representatives" (e.g. the DHS Secretary).
create table custom_targets (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid not null references campaigns (id) on delete cascade,
  name text not null,
  title text not null,
  channel text not null check (channel in ('email', 'packet')),
  email text check (email is null or position('@' in email) > 1),
  postal_address text,
  position integer not null default 0,
  check (channel <> 'email' or email is not null)
);
create index custom_targets_campaign_idx on custom_targets (campaign_id);

-- Supporters, consent, signatures ------------------------------------------------------------
create table supporters (
  id uuid primary key default gen_random_uuid(),
  -- null once erased (privacy request); unique while present
  email text unique check (email = lower(email) and position('@' in email) > 1),
  first_name text,
  last_name text,
  street text,
  city text,
  state text check (state ~ '^[A-Z]{2}$'),
  zip text check (zip ~ '^[0-9]{5}$'),
  locale text not null default 'en' check (locale in ('en', 'es')),
  list_opt_in boolean not null default false,
  unsubscribed_at timestamptz,
  erased_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table consents (
  id bigint generated always as identity primary key,
  supporter_id uuid not null references supporters (id) on delete cascade,
  campaign_id uuid references campaigns (id) on delete set null,
  kind text not null check (kind in ('list', 'terms')),
  granted boolean not null,
  consent_text text not null,
  locale text not null,
  ip_hash text,
  created_at timestamptz not null default now()
);
create index consents_supporter_idx on consents (supporter_id);

create table signatures (
  id bigint generated always as identity primary key,
  campaign_id uuid not null references campaigns (id) on delete cascade,
  supporter_id uuid not null references supporters (id) on delete cascade,
  -- this signer's own share code, for ?ref=
  ref_code text not null unique,
  referred_by bigint references signatures (id) on delete set null,
  comment text,
  anonymous boolean not null default false,
  -- snapshot for public display and metrics; survives erasure of the supporter's PII
  display_name text,
  city text,
  state text check (state ~ '^[A-Z]{2}$'),
  congressional_district text,
  locale text not null default 'en',
  source text,
  utm jsonb not null default '{}'::jsonb,
  referrer_host text,
  ip_hash text,
  confirmed_at timestamptz,
  -- trust & safety: held signatures are kept out of counts and deliveries
  held boolean not null default false,
  flag_reason text,
  created_at timestamptz not null default now(),
  unique (campaign_id, supporter_id)
);
create index signatures_campaign_created_idx on signatures (campaign_id, created_at desc);
create index signatures_supporter_idx on signatures (supporter_id);
create index signatures_referred_by_idx on signatures (referred_by) where referred_by is not null;

-- Single-use tokens sent by email (confirm, manage donation, password reset, letter status).
create table email_tokens (
  token_hash bytea primary key,
  purpose text not null check (purpose in ('confirm_signature', 'manage_donation', 'password_reset', 'letter_status', 'unsubscribe')),
  subject_id text not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index email_tokens_subject_idx on email_tokens (purpose, subject_id);

-- Reference data: legislators and the offices they hold ----------------------------------------
create table legislators (
  id text primary key, -- bioguide id, or an Open States ocd-person id
  source text not null check (source in ('congress-legislators', 'openstates')),
  first_name text not null,
  last_name text not null,
  full_name text not null,
  party text,
  photo_url text,
  email text,
  phone text,
  url text,
  contact_form text,
  ids jsonb not null default '{}'::jsonb,
  social jsonb not null default '{}'::jsonb,
  district_offices jsonb not null default '[]'::jsonb,
  source_date date not null,
  imported_at timestamptz not null default now()
);

-- One row per seat. A vacant seat has no holder.
create table offices (
  id text primary key, -- e.g. 'house/CA-13', 'senate/OH/3', 'state_lower/nh/Hillsborough 12/ocd-person/…'
  chamber text not null check (chamber in ('house', 'senate', 'state_upper', 'state_lower', 'state_legislature')),
  state text not null check (state ~ '^[A-Z]{2}$'),
  district text, -- '0' for at-large and delegates; state-specific strings for state seats
  senate_class smallint check (senate_class in (1, 2, 3)),
  cwc_code text, -- HCA13, HAK00, SOH2 ...
  holder_id text references legislators (id) on delete set null,
  source_date date not null,
  imported_at timestamptz not null default now()
);
create index offices_state_chamber_idx on offices (state, chamber, district);
create index offices_holder_idx on offices (holder_id);

-- ZCTA to congressional district crosswalk (over-inclusive; see shared/data/README.md)
create table zip_districts (
  zcta text not null check (zcta ~ '^[0-9]{5}$'),
  state text not null check (state ~ '^[A-Z]{2}$'),
  district text not null,
  source_date date not null,
  primary key (zcta, state, district)
);

create table reference_imports (
  id bigint generated always as identity primary key,
  source text not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  counts jsonb not null default '{}'::jsonb,
  bad_rows jsonb not null default '[]'::jsonb,
  diff jsonb not null default '{}'::jsonb
);

-- Letters and their deliveries ----------------------------------------------------------------
create table letters (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid not null references campaigns (id) on delete cascade,
  supporter_id uuid not null references supporters (id) on delete cascade,
  signature_id bigint references signatures (id) on delete set null,
  -- sha256 of the /letters/:token status token
  status_token_hash bytea not null unique,
  -- constituent snapshot as sent (CWC needs it); erased with the supporter's PII
  prefix text,
  first_name text,
  last_name text,
  email text,
  street text,
  city text,
  state text,
  zip text,
  subject text not null,
  body text not null,
  edited boolean not null default false,
  locale text not null default 'en',
  receipt_sent_at timestamptz,
  created_at timestamptz not null default now()
);
create index letters_campaign_idx on letters (campaign_id, created_at desc);
create index letters_supporter_idx on letters (supporter_id);

create table deliveries (
  id bigint generated always as identity primary key,
  letter_id uuid not null references letters (id) on delete cascade,
  -- offices.id for legislators, 'custom/<uuid>' for custom targets
  office_key text not null,
  office_name text not null,
  office_title text not null,
  chamber text,
  state text,
  district text,
  cwc_code text,
  email text,
  channel text not null check (channel in ('cwc', 'email', 'packet')),
  status text not null default 'queued'
    check (status in ('queued', 'sending', 'delivered', 'failed', 'awaiting_hand_delivery')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_by text,
  locked_at timestamptz,
  message_id text unique,
  evidence jsonb not null default '{}'::jsonb,
  last_error text,
  packet_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (letter_id, office_key)
);
create index deliveries_due_idx on deliveries (next_attempt_at) where status in ('queued', 'sending');
create index deliveries_office_status_idx on deliveries (office_key, status);

create table delivery_events (
  id bigint generated always as identity primary key,
  delivery_id bigint not null references deliveries (id) on delete cascade,
  from_status text,
  to_status text not null,
  evidence jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index delivery_events_delivery_idx on delivery_events (delivery_id);

-- Outgoing email: a transactional outbox. With no SMTP_URL it is also the local mailbox.
create table outbound_emails (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('transactional', 'list')),
  template text not null,
  to_address text not null,
  from_address text not null,
  reply_to text,
  subject text not null,
  html text not null,
  text_body text not null,
  headers jsonb not null default '{}'::jsonb,
  message_id text not null unique,
  supporter_id uuid references supporters (id) on delete cascade,
  status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'local', 'failed', 'suppressed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_at timestamptz,
  last_error text,
  smtp_response text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index outbound_emails_due_idx on outbound_emails (next_attempt_at) where status in ('queued', 'sending');
create index outbound_emails_supporter_idx on outbound_emails (supporter_id);

-- Donations ----------------------------------------------------------------------------------
create table donations (
  id uuid primary key default gen_random_uuid(),
  campaign_id uuid references campaigns (id) on delete set null,
  supporter_id uuid references supporters (id) on delete set null,
  amount_cents integer not null check (amount_cents > 0),
  currency text not null default 'usd' check (currency = lower(currency)),
  recurring boolean not null,
  status text not null check (status in ('pending', 'paid', 'refunded', 'failed', 'canceled')),
  stripe_checkout_session_id text,
  stripe_payment_intent_id text,
  stripe_invoice_id text unique,
  stripe_subscription_id text,
  stripe_customer_id text,
  stripe_charge_id text,
  source text,
  ref text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  paid_at timestamptz
);
create index donations_campaign_idx on donations (campaign_id, status);
create index donations_subscription_idx on donations (stripe_subscription_id);

create table stripe_events (
  id text primary key,
  type text not null,
  received_at timestamptz not null default now()
);

-- Metrics and audit --------------------------------------------------------------------------
create table page_views (
  id bigint generated always as identity primary key,
  campaign_id uuid references campaigns (id) on delete cascade,
  path text not null,
  locale text,
  source text,
  utm jsonb not null default '{}'::jsonb,
  ref text,
  referrer_host text,
  created_at timestamptz not null default now()
);
create index page_views_campaign_created_idx on page_views (campaign_id, created_at);

create table audit_log (
  id bigint generated always as identity primary key,
  organizer_id uuid references organizers (id) on delete set null,
  action text not null,
  subject_type text,
  subject_id text,
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index audit_log_created_idx on audit_log (created_at desc);
