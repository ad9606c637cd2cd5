-- Trust & safety: rate-limit counters shared by every app instance, and organizer-editable
-- allow/block lists.

create unlogged table rate_limit_hits (
  bucket text not null,
  window_start timestamptz not null,
  hits integer not null default 0,
  primary key (bucket, window_start)
);
create index rate_limit_hits_window_idx on rate_limit_hits (window_start);

create table access_rules (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('ip', 'email_domain')),
  value text not null check (value = lower(value) and length(value) between 1 and 255),
  action text not null check (action in ('allow', 'block')),
  note text not null default '',
  created_by uuid references organizers (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (kind, value)
);
