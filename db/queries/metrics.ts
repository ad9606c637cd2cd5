import type { Sql } from '../client'

export type CampaignTotals = {
  id: string
  slug: string
  status: string
  headline: string
  goal: number
  confirmed: number
  unconfirmed: number
}

export async function campaignTotals(sql: Sql): Promise<CampaignTotals[]> {
  return sql<CampaignTotals[]>`
    select c.id, c.slug, c.status, c.goal, coalesce(d.headline, c.slug) as headline,
           coalesce(s.confirmed, 0)::int as confirmed, coalesce(s.unconfirmed, 0)::int as unconfirmed
    from campaigns c
    left join campaign_copy d on d.campaign_id = c.id and d.locale = c.default_locale
    left join lateral (
      select count(*) filter (where confirmed_at is not null) as confirmed,
             count(*) filter (where confirmed_at is null) as unconfirmed
      from signatures where campaign_id = c.id and not held
    ) s on true
    order by c.status = 'live' desc, c.created_at desc`
}

export type DailySignatures = { day: string; confirmed: number; unconfirmed: number }

/** Signatures per UTC day over the last `days` days, every campaign together or one campaign. */
export async function signaturesPerDay(
  sql: Sql,
  days: number,
  campaignId?: string,
): Promise<DailySignatures[]> {
  return sql<DailySignatures[]>`
    with span as (
      select generate_series(
        date_trunc('day', now() at time zone 'utc') - make_interval(days => ${days - 1}),
        date_trunc('day', now() at time zone 'utc'),
        interval '1 day') as day
    )
    select to_char(span.day, 'YYYY-MM-DD') as day,
           count(s.id) filter (where s.confirmed_at is not null)::int as confirmed,
           count(s.id) filter (where s.id is not null and s.confirmed_at is null)::int as unconfirmed
    from span
    left join signatures s
      on s.created_at >= span.day at time zone 'utc'
     and s.created_at < (span.day + interval '1 day') at time zone 'utc'
     and not s.held
     and (${campaignId ?? null}::uuid is null or s.campaign_id = ${campaignId ?? null}::uuid)
    group by span.day
    order by span.day`
}
