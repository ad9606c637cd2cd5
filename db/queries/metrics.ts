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
  // Aggregate first (one index range scan), then fill in the empty days.
  return sql<DailySignatures[]>`
    with bounds as (
      select date_trunc('day', now() at time zone 'utc') - make_interval(days => ${days - 1}) as first_day
    ),
    counts as (
      select date_trunc('day', s.created_at at time zone 'utc') as day,
             count(*) filter (where s.confirmed_at is not null) as confirmed,
             count(*) filter (where s.confirmed_at is null) as unconfirmed
      from signatures s, bounds b
      where not s.held
        and s.created_at >= b.first_day at time zone 'utc'
        ${campaignId ? sql`and s.campaign_id = ${campaignId}` : sql``}
      group by 1
    )
    select to_char(span.day, 'YYYY-MM-DD') as day,
           coalesce(c.confirmed, 0)::int as confirmed,
           coalesce(c.unconfirmed, 0)::int as unconfirmed
    from bounds b
    cross join generate_series(b.first_day, date_trunc('day', now() at time zone 'utc'), interval '1 day') as span(day)
    left join counts c on c.day = span.day
    order by span.day`
}
