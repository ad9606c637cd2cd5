-- The REST API's keys and the outgoing webhooks (issue 15).
-- See docs/decisions/1000-rest-api.md and 1001-webhooks.md.

-- API keys: stored only as the sha256 of the whole key; `prefix` is what the admin page shows.
create table api_keys (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 100),
  prefix text not null unique,
  token_hash bytea not null unique,
  scopes text[] not null check (cardinality(scopes) > 0),
  -- requests per minute for this key; 429 with Retry-After beyond it
  rate_limit_per_minute integer not null default 600 check (rate_limit_per_minute > 0),
  created_by uuid references organizers (id) on delete set null,
  -- who made it when no organizer did (the command line)
  created_via text not null default 'admin' check (created_via in ('admin', 'cli')),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references organizers (id) on delete set null
);

-- Every authenticated use of a key: the audit trail (no query string: it can hold a cursor or a
-- date only, but the path is enough to know what was read).
create table api_key_uses (
  id bigint generated always as identity primary key,
  key_id uuid not null references api_keys (id) on delete cascade,
  method text not null,
  path text not null,
  ip_hash text,
  created_at timestamptz not null default now()
);
create index api_key_uses_key_idx on api_key_uses (key_id, id desc);

-- Keyset pagination of a campaign's signatures by id (GET /api/v1/campaigns/:id/signatures).
create index signatures_campaign_id_idx on signatures (campaign_id, id);
create index supporters_created_idx on supporters (created_at, id);
create index supporters_updated_idx on supporters (updated_at);
create index donations_created_idx on donations (created_at, id);

-- Webhook endpoints. The signing secret is needed to sign, so it is kept encrypted (aes-256-gcm
-- under the 'webhook-secret' key purpose), never hashed. During a rotation the previous secret
-- also signs until previous_secret_expires_at.
create table webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  url text not null,
  description text not null default '',
  events text[] not null check (cardinality(events) > 0),
  secret_encrypted bytea not null,
  previous_secret_encrypted bytea,
  previous_secret_expires_at timestamptz,
  created_by uuid references organizers (id) on delete set null,
  created_at timestamptz not null default now(),
  -- set when retries ran out (about 24 h of failures) or by an owner; no events are queued then
  disabled_at timestamptz,
  disabled_reason text
);

-- The webhook outbox: one row per event and subscribed endpoint, written in the same transaction
-- as the change. msg_id is the stable webhook-id receivers dedupe on.
create table webhook_messages (
  id bigint generated always as identity primary key,
  msg_id text not null unique default ('msg_' || replace(gen_random_uuid()::text, '-', '')),
  endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
  event_type text not null,
  data jsonb not null,
  status text not null default 'queued' check (status in ('queued', 'sending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_by text,
  locked_at timestamptz,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  failed_at timestamptz
);
create index webhook_messages_due_idx on webhook_messages (next_attempt_at)
  where status in ('queued', 'sending');
create index webhook_messages_endpoint_idx on webhook_messages (endpoint_id, id desc);

-- One row per delivery attempt: what the admin page shows (status, latency, a short excerpt).
create table webhook_attempts (
  id bigint generated always as identity primary key,
  message_id bigint not null references webhook_messages (id) on delete cascade,
  endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
  status_code integer,
  latency_ms integer not null,
  response_excerpt text,
  error text,
  created_at timestamptz not null default now()
);
create index webhook_attempts_endpoint_idx on webhook_attempts (endpoint_id, id desc);

-- delivery.updated: every status change of a delivery writes a delivery_events row in the same
-- statement (db/queries/deliveries.ts), so the event follows that row here, whichever code path
-- wrote it. Statement-level, like the metrics triggers: nothing is written when no endpoint
-- subscribes.
create or replace function webhook_delivery_events() returns trigger language plpgsql as $$
begin
  insert into webhook_messages (endpoint_id, event_type, data)
  select e.id, 'delivery.updated',
         jsonb_build_object(
           'delivery_id', d.id::text, 'letter_id', d.letter_id, 'campaign_id', l.campaign_id,
           'office_key', d.office_key, 'office_name', d.office_name, 'channel', d.channel,
           'from_status', n.from_status, 'status', n.to_status, 'changed_at', n.created_at)
  from new_rows n
  join deliveries d on d.id = n.delivery_id
  join letters l on l.id = d.letter_id
  join webhook_endpoints e on e.disabled_at is null and 'delivery.updated' = any(e.events)
  order by n.id;
  return null;
end
$$;
create trigger delivery_events_webhooks after insert on delivery_events
  referencing new table as new_rows
  for each statement execute function webhook_delivery_events();
