-- Congressional committees and their members (issue 14), from congress-legislators'
-- committees-current.yaml and committee-membership-current.yaml, imported with the roster.

-- A committee ('HSJU') or a subcommittee ('HSJU01', parent 'HSJU').
create table committees (
  id text primary key check (id ~ '^[A-Z]{4}[0-9A-Z]{0,2}$'),
  chamber text not null check (chamber in ('house', 'senate', 'joint')),
  name text not null,
  parent_id text references committees (id) on delete cascade,
  url text,
  source_date date not null,
  check ((parent_id is null) = (length(id) = 4))
);
create index committees_parent_idx on committees (parent_id);

-- bioguide is not a foreign key: a membership file may name someone the roster no longer has
-- (the import reports it), and a roster refresh must not fail on it.
create table committee_members (
  committee_id text not null references committees (id) on delete cascade,
  bioguide text not null,
  name text not null,
  party text not null check (party in ('majority', 'minority')),
  rank integer,
  title text,
  source_date date not null,
  primary key (committee_id, bioguide)
);
create index committee_members_bioguide_idx on committee_members (bioguide);
