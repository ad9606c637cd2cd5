import type { Sql } from '../client'

// Dashboard queries. Counts come from the rollup tables of migration 0052 (kept by triggers,
// rebuilt from the source tables by `metrics_rebuild()`); see docs/decisions/0504-dashboard-rollups.md.
// Every function takes an optional campaign id: with it, one campaign; without, all campaigns.

const forCampaign = (sql: Sql, campaignId: string | undefined, column = sql`campaign_id`) =>
  campaignId ? sql`and ${column} = ${campaignId}` : sql``

export type CampaignTotals = {
  id: string
  slug: string
  status: string
  headline: string
  goal: number
  confirmed: number
  unconfirmed: number
}

/** Confirmed and unconfirmed per campaign, from the sharded counters of migration 0010. */
export async function campaignTotals(sql: Sql): Promise<CampaignTotals[]> {
  return sql<CampaignTotals[]>`
    select c.id, c.slug, c.status, c.goal, coalesce(d.headline, c.slug) as headline,
           coalesce(s.confirmed, 0)::int as confirmed,
           coalesce(s.total - s.confirmed, 0)::int as unconfirmed
    from campaigns c
    left join campaign_copy d on d.campaign_id = c.id and d.locale = c.default_locale
    left join (
      select campaign_id, sum(total) as total, sum(confirmed) as confirmed
      from signature_counts group by campaign_id
    ) s on s.campaign_id = c.id
    order by c.status = 'live' desc, c.created_at desc`
}

export type SignaturesAt = { at: string; confirmed: number; unconfirmed: number }

/**
 * Signatures per UTC hour (the last `span` hours) or per UTC day (the last `span` days), by when
 * they were signed; "confirmed" counts those confirmed since. Empty buckets are filled.
 */
export async function signaturesOverTime(
  sql: Sql,
  { bucket, span, campaignId }: { bucket: 'hour' | 'day'; span: number; campaignId?: string },
): Promise<SignaturesAt[]> {
  const step = bucket === 'hour' ? '1 hour' : '1 day'
  const format = bucket === 'hour' ? 'YYYY-MM-DD"T"HH24:00"Z"' : 'YYYY-MM-DD'
  return sql<SignaturesAt[]>`
    with bounds as (
      select date_trunc(${bucket}, now(), 'UTC') - ${span - 1} * ${step}::interval as first,
             date_trunc(${bucket}, now(), 'UTC') as last
    ),
    counts as (
      select date_trunc(${bucket}, m.hour, 'UTC') as at, sum(m.total) as total,
             sum(m.confirmed) as confirmed
      from metrics_signature_hours m, bounds b
      where m.hour >= b.first ${forCampaign(sql, campaignId, sql`m.campaign_id`)}
      group by 1
    )
    select to_char(span.at at time zone 'UTC', ${format}) as at,
           coalesce(c.confirmed, 0)::int as confirmed,
           coalesce(c.total - c.confirmed, 0)::int as unconfirmed
    from bounds b
    cross join generate_series(b.first, b.last, ${step}::interval) as span(at)
    left join counts c on c.at = span.at
    order by span.at`
}

export type Funnel = {
  views: number
  signatures: number
  confirmed: number
  letters: number
  delivered: number
  donations: number
}

/**
 * Views → signatures → confirmed → letters sent → letters delivered (every office copy) →
 * donations (paid one-time gifts plus monthly gifts started).
 */
export async function funnel(sql: Sql, campaignId?: string): Promise<Funnel> {
  // signature_counts is read through its primary key per campaign: a burst of signing can leave
  // that 32-row table with thousands of empty pages that a sequential scan would read.
  const [row] = await sql<Funnel[]>`
    with signed as (
      select coalesce(sum(s.total), 0)::int as total, coalesce(sum(s.confirmed), 0)::int as confirmed
      from campaigns c join signature_counts s on s.campaign_id = c.id
      where true ${forCampaign(sql, campaignId, sql`c.id`)}
    )
    select
      (select coalesce(sum(views), 0)::int from metrics_view_days
        where true ${forCampaign(sql, campaignId)}) as views,
      (select total from signed) as signatures,
      (select confirmed from signed) as confirmed,
      (select coalesce(sum(letters), 0)::int from metrics_letters
        where true ${forCampaign(sql, campaignId)}) as letters,
      (select coalesce(sum(delivered), 0)::int from metrics_letters
        where true ${forCampaign(sql, campaignId)}) as delivered,
      (select count(*)::int from donations
        where not recurring and status in ('paid', 'refunded') ${forCampaign(sql, campaignId)})
      + (select count(*)::int from donation_subscriptions
        where true ${forCampaign(sql, campaignId)}) as donations`
  return row!
}

export type SourceRow = { name: string; views: number; signatures: number; confirmed: number }

/** Views and signatures by tracked source (utm_source) or by referring host, busiest first. */
export async function topSources(
  sql: Sql,
  {
    by,
    campaignId,
    limit = 10,
  }: { by: 'source' | 'referrer'; campaignId?: string; limit?: number },
): Promise<SourceRow[]> {
  const key = by === 'source' ? sql`source` : sql`referrer_host`
  return sql<SourceRow[]>`
    with v as (
      select ${key} as name, sum(views) as views from metrics_view_days
      where true ${forCampaign(sql, campaignId)} group by 1
    ),
    s as (
      select ${key} as name, sum(total) as signatures, sum(confirmed) as confirmed
      from metrics_signature_sources where true ${forCampaign(sql, campaignId)} group by 1
    )
    select coalesce(v.name, s.name) as name, coalesce(v.views, 0)::int as views,
           coalesce(s.signatures, 0)::int as signatures, coalesce(s.confirmed, 0)::int as confirmed
    from v full join s on s.name = v.name
    where coalesce(v.views, 0) > 0 or coalesce(s.signatures, 0) > 0
    order by coalesce(s.signatures, 0) desc, coalesce(v.views, 0) desc, 1
    limit ${limit}`
}

export type ReferralRow = {
  refCode: string
  name: string | null
  campaignSlug: string
  referrals: number
  confirmed: number
}

/**
 * Signers whose share link brought the most signatures. Names are the public display names
 * (null for anonymous or erased signers), never emails.
 */
export async function referralLeaderboard(
  sql: Sql,
  { campaignId, limit = 10 }: { campaignId?: string; limit?: number } = {},
): Promise<ReferralRow[]> {
  return sql<ReferralRow[]>`
    select s.ref_code, case when s.anonymous then null else s.display_name end as name,
           c.slug as campaign_slug, m.total::int as referrals, m.confirmed::int as confirmed
    from (
      select referrer_id, total, confirmed from metrics_referrals
      where total > 0 ${forCampaign(sql, campaignId)}
      order by total desc, referrer_id limit ${limit}
    ) m
    join signatures s on s.id = m.referrer_id
    join campaigns c on c.id = s.campaign_id
    order by m.total desc, m.referrer_id`
}

export type PlaceRow = { state: string; district: string; signatures: number; confirmed: number }

/** Signatures by state (district '') or by state and congressional district ('' = unknown). */
export async function signaturesByPlace(
  sql: Sql,
  { by, campaignId, limit = 60 }: { by: 'state' | 'district'; campaignId?: string; limit?: number },
): Promise<PlaceRow[]> {
  const district = by === 'state' ? sql`''` : sql`district`
  return sql<PlaceRow[]>`
    select state, ${district} as district, sum(total)::int as signatures,
           sum(confirmed)::int as confirmed
    from metrics_signature_places
    where true ${forCampaign(sql, campaignId)}
    group by 1, 2 having sum(total) > 0
    order by 3 desc, 1, 2
    limit ${limit}`
}

export const DELIVERY_STATUSES = [
  'delivered',
  'queued',
  'sending',
  'awaiting_hand_delivery',
  'cancelled',
  'failed',
] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]
export type OfficeDeliveries = {
  officeKey: string
  officeName: string
  total: number
  delivered: number
  queued: number
  sending: number
  awaitingHandDelivery: number
  /** final, never sent (deleted in review, never confirmed, erased) */
  cancelled: number
  failed: number
}

/** Office copies per office and status, offices with the most copies first. */
export async function deliveriesByOffice(
  sql: Sql,
  { campaignId, limit = 50 }: { campaignId?: string; limit?: number } = {},
): Promise<OfficeDeliveries[]> {
  return sql<OfficeDeliveries[]>`
    select office_key, max(office_name) as office_name, sum(n)::int as total,
           coalesce(sum(n) filter (where status = 'delivered'), 0)::int as delivered,
           coalesce(sum(n) filter (where status = 'queued'), 0)::int as queued,
           coalesce(sum(n) filter (where status = 'sending'), 0)::int as sending,
           coalesce(sum(n) filter (where status = 'awaiting_hand_delivery'), 0)::int
             as awaiting_hand_delivery,
           coalesce(sum(n) filter (where status = 'cancelled'), 0)::int as cancelled,
           coalesce(sum(n) filter (where status = 'failed'), 0)::int as failed
    from metrics_deliveries
    where true ${forCampaign(sql, campaignId)}
    group by office_key having sum(n) > 0
    order by 3 desc, 1
    limit ${limit}`
}

/** A queued copy older than this, or a copy sending for longer than this, counts as stuck. */
export const STUCK_AFTER_MINUTES = 60

export type ProblemDelivery = {
  id: string
  campaignSlug: string
  officeName: string
  officeTitle: string
  status: 'failed' | 'queued' | 'sending'
  attempts: number
  lastError: string | null
  createdAt: Date
  updatedAt: Date
}

/** Failed copies, and copies stuck in queued/sending, most recently changed first. No PII. */
export async function problemDeliveries(
  sql: Sql,
  { campaignId, limit = 50 }: { campaignId?: string; limit?: number } = {},
): Promise<ProblemDelivery[]> {
  return sql<ProblemDelivery[]>`
    select d.id::text, c.slug as campaign_slug, d.office_name, d.office_title, d.status,
           d.attempts, d.last_error, d.created_at, d.updated_at
    from deliveries d
    join campaigns c on c.id = d.campaign_id
    where d.status in ('failed', 'queued', 'sending')
      and (d.status = 'failed'
           or (d.status = 'queued' and d.created_at < now() - ${STUCK_AFTER_MINUTES} * interval '1 minute')
           or (d.status = 'sending' and coalesce(d.locked_at, d.updated_at)
                 < now() - ${STUCK_AFTER_MINUTES} * interval '1 minute'))
      ${forCampaign(sql, campaignId, sql`d.campaign_id`)}
    order by d.updated_at desc, d.id desc
    limit ${limit}`
}

export type DonationSummary = {
  totalCents: number
  oneTimeCents: number
  oneTimeCount: number
  monthlyCents: number
  monthlyCount: number
  activeMonthlyDonors: number
  activeMonthlyCents: number
}

/**
 * Money received (paid charges, net of refunds), one-time vs monthly charges, and monthly gifts
 * still active (donors counted once, by Stripe customer).
 */
export async function donationSummary(sql: Sql, campaignId?: string): Promise<DonationSummary> {
  const [row] = await sql<DonationSummary[]>`
    with charges as (
      select recurring, count(*) as n, sum(amount_cents - amount_refunded_cents) as cents
      from donations
      where status in ('paid', 'refunded') ${forCampaign(sql, campaignId)}
      group by recurring
    ),
    active as (
      select count(distinct stripe_customer_id) as donors, sum(amount_cents) as cents
      from donation_subscriptions
      where status = 'active' ${forCampaign(sql, campaignId)}
    )
    select coalesce((select sum(cents) from charges), 0)::bigint::float8 as total_cents,
           coalesce((select cents from charges where not recurring), 0)::float8 as one_time_cents,
           coalesce((select n from charges where not recurring), 0)::int as one_time_count,
           coalesce((select cents from charges where recurring), 0)::float8 as monthly_cents,
           coalesce((select n from charges where recurring), 0)::int as monthly_count,
           (select donors from active)::int as active_monthly_donors,
           coalesce((select cents from active), 0)::float8 as active_monthly_cents`
  return row!
}

/**
 * Folds the counters' and rollups' per-backend shards into shard 0 (migration 0140, ADR 1301):
 * totals are unchanged, reads stay a few rows. Run by the worker every minute.
 */
export async function foldCounterShards(sql: Sql): Promise<void> {
  await sql`select metrics_fold_shards()`
}

/** Recomputes every rollup from the source tables (repair path; locks writers while it runs). */
export async function rebuildMetrics(sql: Sql): Promise<void> {
  await sql`select metrics_rebuild()`
}

export async function campaignHeadline(sql: Sql, campaignId: string, locale: string) {
  const [row] = await sql<{ headline: string }[]>`
    select headline from campaign_copy where campaign_id = ${campaignId} and locale = ${locale}`
  return row?.headline
}
