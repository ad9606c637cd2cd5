-- Complete erasure and forgetting addresses after delivery (issue 13, findings 3 and 4).
-- See docs/decisions/0812-erasure-and-retention.md.

-- A letter's text can be gone: erased at the writer's request, or purged RETENTION_ADDRESS_DAYS
-- after its last delivery was final. The row, its status token hash (sha256 of a random-looking
-- HMAC: it names no one) and its deliveries' statuses stay, so the status link can still answer.
alter table letters
  alter column subject drop not null,
  alter column body drop not null,
  add column erased_at timestamptz,
  add column text_purged_at timestamptz;
-- The retention job's work list: letters whose text is still held (a small, recent set).
create index letters_retention_idx on letters (created_at)
  where text_purged_at is null and erased_at is null;

-- An email whose body, subject and headers were purged keeps its metadata (who, when, status).
alter table outbound_emails add column body_purged_at timestamptz;
create index outbound_emails_retention_idx on outbound_emails (coalesce(sent_at, created_at))
  where body_purged_at is null and status in ('sent', 'local', 'failed', 'suppressed');

-- An erased signature keeps its row (counts) but not its state or district. Where it counted is
-- kept only in aggregate: erased signatures per campaign, state and district, with no row id.
alter table signatures add column erased_at timestamptz;
create table metrics_erased_places (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  state text not null,
  district text not null,
  total bigint not null default 0,
  confirmed bigint not null default 0,
  primary key (campaign_id, state, district)
);

-- Signature rollups: an erased signature has no place (null), so it leaves the places rollup
-- alone; its count there is carried by metrics_erased_places (the erasure moves it there, and
-- metrics_rebuild() adds that table back in). Other rollups count it as before.
create or replace function metrics_signatures_apply(
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
  where st is not null
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

create or replace function metrics_signatures_insert() returns trigger language plpgsql as $$
begin
  perform metrics_signatures_apply(array_agg(c), array_agg(t), array_agg(st), array_agg(di),
                                   array_agg(so), array_agg(h), array_agg(r), array_agg(n), array_agg(k))
  from (
    select campaign_id as c, date_trunc('hour', created_at, 'UTC') as t,
           case when erased_at is null then coalesce(state, '') end as st,
           coalesce(congressional_district, '') as di,
           coalesce(source, '') as so, coalesce(referrer_host, '') as h, referred_by as r,
           count(*) as n, count(confirmed_at) as k
    from new_rows where not held
    group by 1, 2, 3, 4, 5, 6, 7
  ) g
  having count(*) > 0;
  return null;
end
$$;

create or replace function metrics_signatures_delete() returns trigger language plpgsql as $$
begin
  perform metrics_signatures_apply(array_agg(c), array_agg(t), array_agg(st), array_agg(di),
                                   array_agg(so), array_agg(h), array_agg(r), array_agg(n), array_agg(k))
  from (
    select campaign_id as c, date_trunc('hour', created_at, 'UTC') as t,
           case when erased_at is null then coalesce(state, '') end as st,
           coalesce(congressional_district, '') as di,
           coalesce(source, '') as so, coalesce(referrer_host, '') as h, referred_by as r,
           -count(*) as n, -count(confirmed_at) as k
    from old_rows where not held
    group by 1, 2, 3, 4, 5, 6, 7
  ) g
  having count(*) > 0;
  return null;
end
$$;

create or replace function metrics_signatures_update() returns trigger language plpgsql as $$
begin
  perform metrics_signatures_apply(array_agg(c), array_agg(t), array_agg(st), array_agg(di),
                                   array_agg(so), array_agg(h), array_agg(r), array_agg(n), array_agg(k))
  from (
    select c, t, st, di, so, h, r, sum(n) as n, sum(k) as k
    from (
      select o.campaign_id as c, date_trunc('hour', o.created_at, 'UTC') as t,
             case when o.erased_at is null then coalesce(o.state, '') end as st,
             coalesce(o.congressional_district, '') as di,
             coalesce(o.source, '') as so, coalesce(o.referrer_host, '') as h, o.referred_by as r,
             -1 as n, case when o.confirmed_at is null then 0 else -1 end as k, o.held
      from old_rows o join new_rows w on w.id = o.id
      where (o.campaign_id, o.created_at, o.state, o.congressional_district, o.source,
             o.referrer_host, o.referred_by, o.held, o.confirmed_at is null, o.erased_at is null)
            is distinct from
            (w.campaign_id, w.created_at, w.state, w.congressional_district, w.source,
             w.referrer_host, w.referred_by, w.held, w.confirmed_at is null, w.erased_at is null)
      union all
      select w.campaign_id, date_trunc('hour', w.created_at, 'UTC'),
             case when w.erased_at is null then coalesce(w.state, '') end,
             coalesce(w.congressional_district, ''),
             coalesce(w.source, ''), coalesce(w.referrer_host, ''), w.referred_by,
             1, case when w.confirmed_at is null then 0 else 1 end, w.held
      from old_rows o join new_rows w on w.id = o.id
      where (o.campaign_id, o.created_at, o.state, o.congressional_district, o.source,
             o.referrer_host, o.referred_by, o.held, o.confirmed_at is null, o.erased_at is null)
            is distinct from
            (w.campaign_id, w.created_at, w.state, w.congressional_district, w.source,
             w.referrer_host, w.referred_by, w.held, w.confirmed_at is null, w.erased_at is null)
    ) d
    where not held
    group by 1, 2, 3, 4, 5, 6, 7
  ) g
  having count(*) > 0;
  return null;
end
$$;

-- The rebuild counts live signatures by their place, and erased ones by the aggregate.
create or replace function metrics_rebuild() returns void language plpgsql as $$
begin
  lock table signatures, page_views, letters, deliveries in share mode;
  update deliveries d set campaign_id = l.campaign_id
  from letters l where l.id = d.letter_id and d.campaign_id is distinct from l.campaign_id;
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
  select campaign_id, state, district, sum(total), sum(confirmed)
  from (
    select campaign_id, coalesce(state, '') as state, coalesce(congressional_district, '') as district,
           count(*) as total, count(confirmed_at) as confirmed
    from signatures where not held and erased_at is null group by 1, 2, 3
    union all
    select campaign_id, state, district, total, confirmed from metrics_erased_places
  ) p
  group by 1, 2, 3;
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

-- Supporters erased before this migration: their signatures are marked erased, and their places
-- move to the aggregate (they keep counting where they counted).
insert into metrics_erased_places (campaign_id, state, district, total, confirmed)
select s.campaign_id, coalesce(s.state, ''), coalesce(s.congressional_district, ''), count(*),
       count(s.confirmed_at)
from signatures s join supporters p on p.id = s.supporter_id
where p.erased_at is not null and not s.held
group by 1, 2, 3;
update signatures s set erased_at = p.erased_at, state = null, congressional_district = null
from supporters p where p.id = s.supporter_id and p.erased_at is not null;
update supporters set state = null where erased_at is not null;
update letters l set erased_at = p.erased_at, subject = null, body = null
from supporters p where p.id = l.supporter_id and p.erased_at is not null;
update deliveries d set subject = null, body = null
from letters l where l.id = d.letter_id and l.erased_at is not null;
select metrics_rebuild();
