-- Signature counters and rollups without shared hot rows (issue 18, docs/decisions/1301-sign-path-without-hot-rows.md).
--
-- Until now each signature added to one of 16 random shards of its campaign's counter and one of
-- 4 random shards of each rollup. A shard's row lock is held until commit, through the WAL flush,
-- so under load concurrent signatures queued behind each other's fsync (Lock:transactionid was the
-- commonest wait). Now the shard is the Postgres backend's pid: two transactions in flight at the
-- same moment are on different backends, so they never write the same counter row. A recurring
-- job folds the shards back into shard 0 (metrics_fold_shards), so reads stay a handful of rows.
--
-- The campaign counter is also kept by the statement-level signatures triggers now (one call per
-- statement), not by its own row-level trigger (one call per row).

alter table signature_counts drop constraint signature_counts_shard_check;
alter table signature_counts alter column shard type integer;
alter table signature_counts add constraint signature_counts_shard_check check (shard >= 0);
alter table metrics_signature_hours alter column shard type integer;
alter table metrics_signature_places alter column shard type integer;
alter table metrics_signature_sources alter column shard type integer;

drop trigger signatures_count_insert_delete on signatures;
drop trigger signatures_count_update on signatures;
drop function signature_counts_trigger();
drop function signature_counts_apply(uuid, bigint, bigint);

-- As in 0082, plus the campaign counter, with the backend's own shard.
create or replace function metrics_signatures_apply(
  p_campaign uuid[], p_created timestamptz[], p_state text[], p_district text[],
  p_source text[], p_host text[], p_referrer bigint[], p_total bigint[], p_confirmed bigint[]
) returns void language plpgsql as $$
declare
  v_shard integer := pg_backend_pid();
begin
  insert into signature_counts as m (campaign_id, shard, total, confirmed)
  select c, v_shard, sum(n), sum(k)
  from unnest(p_campaign, p_total, p_confirmed) as u (c, n, k)
  group by 1 having sum(n) <> 0 or sum(k) <> 0
  on conflict (campaign_id, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;

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

-- Signing inserts one row per statement, and this trigger runs on every one: it writes each
-- rollup straight from the transition table, without building arrays for metrics_signatures_apply
-- (which the update and delete triggers still use). The same counted shape as 0082's.
create or replace function metrics_signatures_insert() returns trigger language plpgsql as $$
declare
  v_shard integer := pg_backend_pid();
begin
  insert into signature_counts as m (campaign_id, shard, total, confirmed)
  select campaign_id, v_shard, count(*), count(confirmed_at)
  from new_rows where not held
  group by 1
  on conflict (campaign_id, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;

  insert into metrics_signature_hours as m (campaign_id, hour, shard, total, confirmed)
  select campaign_id, date_trunc('hour', created_at, 'UTC'), v_shard, count(*), count(confirmed_at)
  from new_rows where not held
  group by 1, 2
  on conflict (campaign_id, hour, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;

  insert into metrics_signature_places as m (campaign_id, state, district, shard, total, confirmed)
  select campaign_id, coalesce(state, ''), coalesce(congressional_district, ''), v_shard,
         count(*), count(confirmed_at)
  from new_rows where not held and erased_at is null
  group by 1, 2, 3
  on conflict (campaign_id, state, district, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;

  insert into metrics_signature_sources as m (campaign_id, source, referrer_host, shard, total, confirmed)
  select campaign_id, coalesce(source, ''), coalesce(referrer_host, ''), v_shard,
         count(*), count(confirmed_at)
  from new_rows where not held
  group by 1, 2, 3
  on conflict (campaign_id, source, referrer_host, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;

  insert into metrics_referrals as m (campaign_id, referrer_id, total, confirmed)
  select campaign_id, referred_by, count(*), count(confirmed_at)
  from new_rows where not held and referred_by is not null
  group by 1, 2
  on conflict (campaign_id, referrer_id) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;
  return null;
end
$$;

-- Folds every shard other than 0 into shard 0, in one transaction (the caller's): a row being
-- written by a signature in flight is taken once that signature commits, with its new totals.
create function metrics_fold_shards() returns void language sql as $$
  with gone as (
    delete from signature_counts where shard <> 0 returning campaign_id, total, confirmed
  )
  insert into signature_counts as m (campaign_id, shard, total, confirmed)
  select campaign_id, 0, sum(total), sum(confirmed) from gone group by 1
  on conflict (campaign_id, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;

  with gone as (
    delete from metrics_signature_hours where shard <> 0
    returning campaign_id, hour, total, confirmed
  )
  insert into metrics_signature_hours as m (campaign_id, hour, shard, total, confirmed)
  select campaign_id, hour, 0, sum(total), sum(confirmed) from gone group by 1, 2
  on conflict (campaign_id, hour, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;

  with gone as (
    delete from metrics_signature_places where shard <> 0
    returning campaign_id, state, district, total, confirmed
  )
  insert into metrics_signature_places as m (campaign_id, state, district, shard, total, confirmed)
  select campaign_id, state, district, 0, sum(total), sum(confirmed) from gone group by 1, 2, 3
  on conflict (campaign_id, state, district, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;

  with gone as (
    delete from metrics_signature_sources where shard <> 0
    returning campaign_id, source, referrer_host, total, confirmed
  )
  insert into metrics_signature_sources as m (campaign_id, source, referrer_host, shard, total, confirmed)
  select campaign_id, source, referrer_host, 0, sum(total), sum(confirmed) from gone group by 1, 2, 3
  on conflict (campaign_id, source, referrer_host, shard) do update
    set total = m.total + excluded.total, confirmed = m.confirmed + excluded.confirmed;
$$;

select metrics_fold_shards();
