-- Signature counts per campaign without count(*) on every page view (docs/decisions/0100-signature-counts.md).
-- A trigger keeps sharded counters: each signature adds to one of 16 rows per campaign, chosen at
-- random, so concurrent signers rarely wait on the same row lock. Reading is sum() over <= 16 rows.
-- Held (flagged) signatures are left out, as everywhere else; confirmed ones are also counted apart.
create table signature_counts (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  shard smallint not null check (shard between 0 and 15),
  total bigint not null default 0,
  confirmed bigint not null default 0,
  primary key (campaign_id, shard)
);

create function signature_counts_apply(p_campaign uuid, p_total bigint, p_confirmed bigint)
returns void language sql as $$
  insert into signature_counts (campaign_id, shard, total, confirmed)
  values (p_campaign, floor(random() * 16)::smallint, p_total, p_confirmed)
  on conflict (campaign_id, shard) do update
    set total = signature_counts.total + excluded.total,
        confirmed = signature_counts.confirmed + excluded.confirmed
$$;

create function signature_counts_trigger() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and not old.held then
    perform signature_counts_apply(old.campaign_id, -1, case when old.confirmed_at is not null then -1 else 0 end);
  end if;
  if tg_op in ('UPDATE', 'INSERT') and not new.held then
    perform signature_counts_apply(new.campaign_id, 1, case when new.confirmed_at is not null then 1 else 0 end);
  end if;
  return null;
end
$$;

create trigger signatures_count_insert_delete
  after insert or delete on signatures
  for each row execute function signature_counts_trigger();

-- Only the columns that change a count fire the update trigger.
create trigger signatures_count_update
  after update of held, confirmed_at, campaign_id on signatures
  for each row
  when (old.held is distinct from new.held
        or (old.confirmed_at is null) is distinct from (new.confirmed_at is null)
        or old.campaign_id is distinct from new.campaign_id)
  execute function signature_counts_trigger();

insert into signature_counts (campaign_id, shard, total, confirmed)
select campaign_id, 0, count(*), count(confirmed_at)
from signatures where not held
group by campaign_id;
