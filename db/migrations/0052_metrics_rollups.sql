-- Dashboard rollups (docs/decisions/0504-dashboard-rollups.md). Counts the dashboard reads are kept
-- in small tables by statement-level triggers (one aggregated upsert per statement, so a bulk insert
-- costs one pass, and a 1-row signing costs a few index upserts). metrics_rebuild() recomputes every
-- rollup from the source tables (the repair path; the integration tests compare the two).
-- Held (flagged) signatures are never counted. Erasure keeps the rows counts are made of, and
-- changes no counted column, so it changes no rollup.

-- Where a signature is: its snapshot state, and a congressional district when the supporter's ZIP
-- maps to exactly one district in the crosswalk (ADR 0504). Backfilled once here.
update signatures s set
  state = coalesce(s.state, z.state),
  congressional_district = z.district
from supporters p
join lateral (
  select min(zd.state) as state, min(zd.district) as district
  from zip_districts zd where zd.zcta = p.zip
  having count(*) = 1
) z on true
where p.id = s.supporter_id and s.congressional_district is null and p.zip is not null
  and (s.state is null or s.state = z.state);

-- Rollup tables ------------------------------------------------------------------------------------
-- Signatures per campaign per UTC hour of signing; `confirmed` counts those now confirmed.
-- A few shards per hour so concurrent signers rarely wait on one row lock.
create table metrics_signature_hours (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  hour timestamptz not null,
  shard smallint not null default 0,
  total bigint not null default 0,
  confirmed bigint not null default 0,
  primary key (campaign_id, hour, shard)
);
create index metrics_signature_hours_hour_idx on metrics_signature_hours (hour);

-- Signatures per campaign by state and congressional district ('' = unknown).
create table metrics_signature_places (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  state text not null,
  district text not null,
  shard smallint not null default 0,
  total bigint not null default 0,
  confirmed bigint not null default 0,
  primary key (campaign_id, state, district, shard)
);

-- Signatures per campaign by tracked source (utm_source) and referring host ('' = none).
create table metrics_signature_sources (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  source text not null,
  referrer_host text not null,
  shard smallint not null default 0,
  total bigint not null default 0,
  confirmed bigint not null default 0,
  primary key (campaign_id, source, referrer_host, shard)
);

-- Signatures brought by each signer's share link (?ref=): the referral leaderboard.
create table metrics_referrals (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  referrer_id bigint not null,
  total bigint not null default 0,
  confirmed bigint not null default 0,
  primary key (campaign_id, referrer_id)
);
create index metrics_referrals_top_idx on metrics_referrals (campaign_id, total desc);
create index metrics_referrals_all_top_idx on metrics_referrals (total desc);

-- Campaign page views per UTC day by source and referring host.
create table metrics_view_days (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  day date not null,
  source text not null,
  referrer_host text not null,
  views bigint not null default 0,
  primary key (campaign_id, day, source, referrer_host)
);

-- Letters per campaign, and those whose every office copy is delivered.
create table metrics_letters (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  shard smallint not null default 0,
  letters bigint not null default 0,
  delivered bigint not null default 0,
  primary key (campaign_id, shard)
);

-- Office copies per campaign, office and delivery status.
create table metrics_deliveries (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  office_key text not null,
  status text not null,
  office_name text not null,
  n bigint not null default 0,
  primary key (campaign_id, office_key, status)
);

-- A letter is delivered once every office copy is; kept on the letter so the count survives the
-- deliveries' deletion order and costs one row per letter.
alter table letters add column delivered_at timestamptz;
-- Deliveries carry their campaign (set on insert) so their rollup needs no join, even on cascade.
alter table deliveries add column campaign_id uuid references campaigns (id) on delete cascade;
update deliveries d set campaign_id = l.campaign_id from letters l where l.id = d.letter_id;
update letters l set delivered_at = x.finished
from (select letter_id, max(finished_at) as finished from deliveries group by letter_id
      having bool_and(status = 'delivered')) x
where x.letter_id = l.id;

-- For the stuck/failed list (few rows: failed, or still queued/sending).
create index deliveries_problem_idx on deliveries (updated_at desc)
  where status in ('failed', 'queued', 'sending');
-- Donation summaries per campaign without visiting the heap.
create index donations_metrics_idx on donations (campaign_id, status)
  include (recurring, amount_cents, amount_refunded_cents);

-- Signature rollups -------------------------------------------------------------------------------
-- Applies signed deltas (+1 per added row, -1 per removed row), already grouped by the caller.
create function metrics_signatures_apply(
  p_campaign uuid[], p_created timestamptz[], p_state text[], p_district text[],
  p_source text[], p_host text[], p_referrer bigint[], p_total bigint[], p_confirmed bigint[]
) returns void language plpgsql as $$
declare
  v_shard smallint := floor(random() * 4)::smallint;
begin
  insert into metrics_signature_hours as m (campaign_id, hour, shard, total, confirmed)
  select c, date_trunc('hour', t, 'UTC'), v_shard, sum(n), sum(k)
  from unnest(p_campaign, p_created, p_total, p_confirmed) as u (c, t, n, k)
  group by 1, 2 having sum(n) <> 0 or sum(k) <> 0
  on conflict (campaign_id, hour, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;

  insert into metrics_signature_places as m (campaign_id, state, district, shard, total, confirmed)
  select c, st, di, v_shard, sum(n), sum(k)
  from unnest(p_campaign, p_state, p_district, p_total, p_confirmed) as u (c, st, di, n, k)
  group by 1, 2, 3 having sum(n) <> 0 or sum(k) <> 0
  on conflict (campaign_id, state, district, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;

  insert into metrics_signature_sources as m (campaign_id, source, referrer_host, shard, total, confirmed)
  select c, so, h, v_shard, sum(n), sum(k)
  from unnest(p_campaign, p_source, p_host, p_total, p_confirmed) as u (c, so, h, n, k)
  group by 1, 2, 3 having sum(n) <> 0 or sum(k) <> 0
  on conflict (campaign_id, source, referrer_host, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;

  insert into metrics_referrals as m (campaign_id, referrer_id, total, confirmed)
  select c, r, sum(n), sum(k)
  from unnest(p_campaign, p_referrer, p_total, p_confirmed) as u (c, r, n, k)
  where r is not null
  group by 1, 2 having sum(n) <> 0 or sum(k) <> 0
  on conflict (campaign_id, referrer_id) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;
end
$$;

-- The counted shape of a signature row (held rows are left out by the callers).
create function metrics_signatures_insert() returns trigger language plpgsql as $$
begin
  perform metrics_signatures_apply(array_agg(c), array_agg(t), array_agg(st), array_agg(di),
                                   array_agg(so), array_agg(h), array_agg(r), array_agg(n), array_agg(k))
  from (
    select campaign_id as c, date_trunc('hour', created_at, 'UTC') as t,
           coalesce(state, '') as st, coalesce(congressional_district, '') as di,
           coalesce(source, '') as so, coalesce(referrer_host, '') as h, referred_by as r,
           count(*) as n, count(confirmed_at) as k
    from new_rows where not held
    group by 1, 2, 3, 4, 5, 6, 7
  ) g
  having count(*) > 0;
  return null;
end
$$;

create function metrics_signatures_delete() returns trigger language plpgsql as $$
begin
  perform metrics_signatures_apply(array_agg(c), array_agg(t), array_agg(st), array_agg(di),
                                   array_agg(so), array_agg(h), array_agg(r), array_agg(n), array_agg(k))
  from (
    select campaign_id as c, date_trunc('hour', created_at, 'UTC') as t,
           coalesce(state, '') as st, coalesce(congressional_district, '') as di,
           coalesce(source, '') as so, coalesce(referrer_host, '') as h, referred_by as r,
           -count(*) as n, -count(confirmed_at) as k
    from old_rows where not held
    group by 1, 2, 3, 4, 5, 6, 7
  ) g
  having count(*) > 0;
  return null;
end
$$;

-- Only rows whose counted columns changed contribute (erasure's updates contribute nothing).
create function metrics_signatures_update() returns trigger language plpgsql as $$
begin
  perform metrics_signatures_apply(array_agg(c), array_agg(t), array_agg(st), array_agg(di),
                                   array_agg(so), array_agg(h), array_agg(r), array_agg(n), array_agg(k))
  from (
    select c, t, st, di, so, h, r, sum(n) as n, sum(k) as k
    from (
      select o.campaign_id as c, date_trunc('hour', o.created_at, 'UTC') as t,
             coalesce(o.state, '') as st, coalesce(o.congressional_district, '') as di,
             coalesce(o.source, '') as so, coalesce(o.referrer_host, '') as h, o.referred_by as r,
             -1 as n, case when o.confirmed_at is null then 0 else -1 end as k, o.held
      from old_rows o join new_rows w on w.id = o.id
      where (o.campaign_id, o.created_at, o.state, o.congressional_district, o.source,
             o.referrer_host, o.referred_by, o.held, o.confirmed_at is null)
            is distinct from
            (w.campaign_id, w.created_at, w.state, w.congressional_district, w.source,
             w.referrer_host, w.referred_by, w.held, w.confirmed_at is null)
      union all
      select w.campaign_id, date_trunc('hour', w.created_at, 'UTC'),
             coalesce(w.state, ''), coalesce(w.congressional_district, ''),
             coalesce(w.source, ''), coalesce(w.referrer_host, ''), w.referred_by,
             1, case when w.confirmed_at is null then 0 else 1 end, w.held
      from old_rows o join new_rows w on w.id = o.id
      where (o.campaign_id, o.created_at, o.state, o.congressional_district, o.source,
             o.referrer_host, o.referred_by, o.held, o.confirmed_at is null)
            is distinct from
            (w.campaign_id, w.created_at, w.state, w.congressional_district, w.source,
             w.referrer_host, w.referred_by, w.held, w.confirmed_at is null)
    ) d
    where not held
    group by 1, 2, 3, 4, 5, 6, 7
  ) g
  having count(*) > 0;
  return null;
end
$$;

create trigger signatures_metrics_insert after insert on signatures
  referencing new table as new_rows for each statement execute function metrics_signatures_insert();
create trigger signatures_metrics_update after update on signatures
  referencing old table as old_rows new table as new_rows
  for each statement execute function metrics_signatures_update();
create trigger signatures_metrics_delete after delete on signatures
  referencing old table as old_rows for each statement execute function metrics_signatures_delete();

-- Page views ---------------------------------------------------------------------------------------
create function metrics_views_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into metrics_view_days as m (campaign_id, day, source, referrer_host, views)
    select campaign_id, (created_at at time zone 'UTC')::date, coalesce(source, ''),
           coalesce(referrer_host, ''), count(*)
    from new_rows where campaign_id is not null
    group by 1, 2, 3, 4
    on conflict (campaign_id, day, source, referrer_host) do update set views = m.views + excluded.views;
  else
    update metrics_view_days m set views = m.views - g.n
    from (select campaign_id, (created_at at time zone 'UTC')::date as day,
                 coalesce(source, '') as source, coalesce(referrer_host, '') as referrer_host,
                 count(*) as n
          from old_rows where campaign_id is not null group by 1, 2, 3, 4) g
    where m.campaign_id = g.campaign_id and m.day = g.day and m.source = g.source
      and m.referrer_host = g.referrer_host;
  end if;
  return null;
end
$$;
create trigger page_views_metrics_insert after insert on page_views
  referencing new table as new_rows for each statement execute function metrics_views_change();
create trigger page_views_metrics_delete after delete on page_views
  referencing old table as old_rows for each statement execute function metrics_views_change();

-- Letters ------------------------------------------------------------------------------------------
create function metrics_letters_apply(p_campaign uuid[], p_letters bigint[], p_delivered bigint[])
returns void language sql as $$
  insert into metrics_letters as m (campaign_id, shard, letters, delivered)
  select c, floor(random() * 4)::smallint, sum(n), sum(k)
  from unnest(p_campaign, p_letters, p_delivered) as u (c, n, k)
  group by 1 having sum(n) <> 0 or sum(k) <> 0
  on conflict (campaign_id, shard) do update
    set letters = m.letters + excluded.letters, delivered = m.delivered + excluded.delivered
$$;

create function metrics_letters_insert() returns trigger language plpgsql as $$
begin
  perform metrics_letters_apply(array_agg(c), array_agg(n), array_agg(k))
  from (select campaign_id as c, count(*) as n, count(delivered_at) as k
        from new_rows group by 1) g having count(*) > 0;
  return null;
end
$$;
create function metrics_letters_delete() returns trigger language plpgsql as $$
begin
  perform metrics_letters_apply(array_agg(c), array_agg(n), array_agg(k))
  from (select campaign_id as c, -count(*) as n, -count(delivered_at) as k
        from old_rows group by 1) g having count(*) > 0;
  return null;
end
$$;
create function metrics_letters_update() returns trigger language plpgsql as $$
begin
  perform metrics_letters_apply(array_agg(c), array_agg(n), array_agg(k))
  from (
    select c, sum(n) as n, sum(k) as k from (
      select o.campaign_id as c, -1 as n, case when o.delivered_at is null then 0 else -1 end as k
      from old_rows o join new_rows w on w.id = o.id
      where (o.campaign_id, o.delivered_at is null) is distinct from (w.campaign_id, w.delivered_at is null)
      union all
      select w.campaign_id, 1, case when w.delivered_at is null then 0 else 1 end
      from old_rows o join new_rows w on w.id = o.id
      where (o.campaign_id, o.delivered_at is null) is distinct from (w.campaign_id, w.delivered_at is null)
    ) d group by 1
  ) g having count(*) > 0;
  return null;
end
$$;
create trigger letters_metrics_insert after insert on letters
  referencing new table as new_rows for each statement execute function metrics_letters_insert();
create trigger letters_metrics_update after update on letters
  referencing old table as old_rows new table as new_rows
  for each statement execute function metrics_letters_update();
create trigger letters_metrics_delete after delete on letters
  referencing old table as old_rows for each statement execute function metrics_letters_delete();

-- Deliveries ---------------------------------------------------------------------------------------
create function deliveries_set_campaign() returns trigger language plpgsql as $$
begin
  if new.campaign_id is null then
    select campaign_id into new.campaign_id from letters where id = new.letter_id;
  end if;
  return new;
end
$$;
create trigger deliveries_campaign before insert on deliveries
  for each row execute function deliveries_set_campaign();

create function metrics_deliveries_apply(
  p_campaign uuid[], p_office text[], p_status text[], p_name text[], p_n bigint[]
) returns void language sql as $$
  insert into metrics_deliveries as m (campaign_id, office_key, status, office_name, n)
  select c, o, s, max(nm), sum(n)
  from unnest(p_campaign, p_office, p_status, p_name, p_n) as u (c, o, s, nm, n)
  where c is not null
  group by 1, 2, 3 having sum(n) <> 0
  on conflict (campaign_id, office_key, status) do update
    set n = m.n + excluded.n, office_name = excluded.office_name
$$;

-- Letters whose copies changed: delivered_at follows "every copy delivered".
create function metrics_letters_refresh(p_letters uuid[]) returns void language sql as $$
  update letters l
  set delivered_at = case when x.all_delivered then coalesce(l.delivered_at, x.finished, now()) end
  from (select letter_id, bool_and(status = 'delivered') as all_delivered, max(finished_at) as finished
        from deliveries where letter_id = any(p_letters) group by letter_id) x
  where l.id = x.letter_id and (l.delivered_at is null) = x.all_delivered
$$;

create function metrics_deliveries_insert() returns trigger language plpgsql as $$
begin
  perform metrics_deliveries_apply(array_agg(c), array_agg(o), array_agg(s), array_agg(nm), array_agg(n))
  from (select campaign_id as c, office_key as o, status as s, max(office_name) as nm, count(*) as n
        from new_rows group by 1, 2, 3) g having count(*) > 0;
  perform metrics_letters_refresh(array_agg(distinct letter_id)) from new_rows having count(*) > 0;
  -- A letter's House office was resolved from the writer's address: it gives the district of a
  -- signature whose ZIP did not (ADR 0504). The signatures trigger moves the count.
  update signatures s set congressional_district = d.district, state = coalesce(s.state, d.state)
  from new_rows d join letters l on l.id = d.letter_id
  where d.chamber = 'house' and d.district is not null and d.state is not null
    and s.id = l.signature_id and s.congressional_district is null
    and (s.state is null or s.state = d.state);
  return null;
end
$$;
create function metrics_deliveries_delete() returns trigger language plpgsql as $$
begin
  perform metrics_deliveries_apply(array_agg(c), array_agg(o), array_agg(s), array_agg(nm), array_agg(n))
  from (select campaign_id as c, office_key as o, status as s, max(office_name) as nm, -count(*) as n
        from old_rows group by 1, 2, 3) g having count(*) > 0;
  perform metrics_letters_refresh(array_agg(distinct letter_id)) from old_rows having count(*) > 0;
  return null;
end
$$;
create function metrics_deliveries_update() returns trigger language plpgsql as $$
begin
  perform metrics_deliveries_apply(array_agg(c), array_agg(o), array_agg(s), array_agg(nm), array_agg(n))
  from (
    select c, o, s, max(nm) as nm, sum(n) as n from (
      select o.campaign_id as c, o.office_key as o, o.status as s, o.office_name as nm, -1 as n
      from old_rows o join new_rows w on w.id = o.id
      where (o.campaign_id, o.office_key, o.status) is distinct from (w.campaign_id, w.office_key, w.status)
      union all
      select w.campaign_id, w.office_key, w.status, w.office_name, 1
      from old_rows o join new_rows w on w.id = o.id
      where (o.campaign_id, o.office_key, o.status) is distinct from (w.campaign_id, w.office_key, w.status)
    ) d group by 1, 2, 3
  ) g having count(*) > 0;
  perform metrics_letters_refresh(array_agg(distinct w.letter_id))
  from old_rows o join new_rows w on w.id = o.id
  where o.status is distinct from w.status
  having count(*) > 0;
  return null;
end
$$;
create trigger deliveries_metrics_insert after insert on deliveries
  referencing new table as new_rows for each statement execute function metrics_deliveries_insert();
create trigger deliveries_metrics_update after update on deliveries
  referencing old table as old_rows new table as new_rows
  for each statement execute function metrics_deliveries_update();
create trigger deliveries_metrics_delete after delete on deliveries
  referencing old table as old_rows for each statement execute function metrics_deliveries_delete();

-- Rebuild from the source tables (repair path; also used to check the rollups in tests) ------------
create function metrics_rebuild() returns void language plpgsql as $$
begin
  lock table signatures, page_views, letters, deliveries in share mode;
  update deliveries d set campaign_id = l.campaign_id
  from letters l where l.id = d.letter_id and d.campaign_id is distinct from l.campaign_id;
  -- letters.delivered_at follows its copies (its update trigger writes into the rollup being
  -- rebuilt, so the letters rollup is recomputed after it)
  update letters l set delivered_at = case when x.all_delivered then coalesce(l.delivered_at, x.finished, now()) end
  from (select letter_id, bool_and(status = 'delivered') as all_delivered, max(finished_at) as finished
        from deliveries group by letter_id) x
  where l.id = x.letter_id and (l.delivered_at is null) = x.all_delivered;
  truncate metrics_signature_hours, metrics_signature_places, metrics_signature_sources,
           metrics_referrals, metrics_view_days, metrics_letters, metrics_deliveries;
  insert into metrics_signature_hours (campaign_id, hour, total, confirmed)
  select campaign_id, date_trunc('hour', created_at, 'UTC'), count(*), count(confirmed_at)
  from signatures where not held group by 1, 2;
  insert into metrics_signature_places (campaign_id, state, district, total, confirmed)
  select campaign_id, coalesce(state, ''), coalesce(congressional_district, ''), count(*), count(confirmed_at)
  from signatures where not held group by 1, 2, 3;
  insert into metrics_signature_sources (campaign_id, source, referrer_host, total, confirmed)
  select campaign_id, coalesce(source, ''), coalesce(referrer_host, ''), count(*), count(confirmed_at)
  from signatures where not held group by 1, 2, 3;
  insert into metrics_referrals (campaign_id, referrer_id, total, confirmed)
  select campaign_id, referred_by, count(*), count(confirmed_at)
  from signatures where not held and referred_by is not null group by 1, 2;
  insert into metrics_view_days (campaign_id, day, source, referrer_host, views)
  select campaign_id, (created_at at time zone 'UTC')::date, coalesce(source, ''),
         coalesce(referrer_host, ''), count(*)
  from page_views where campaign_id is not null group by 1, 2, 3, 4;
  insert into metrics_letters (campaign_id, letters, delivered)
  select campaign_id, count(*), count(delivered_at) from letters group by 1;
  insert into metrics_deliveries (campaign_id, office_key, status, office_name, n)
  select campaign_id, office_key, status, max(office_name), count(*)
  from deliveries where campaign_id is not null group by 1, 2, 3;
end
$$;

select metrics_rebuild();
