import type { Sql } from '../client'

export type SupporterExportRow = {
  email: string
  firstName: string | null
  lastName: string | null
  city: string | null
  state: string | null
  zip: string | null
  locale: string
  listOptIn: boolean
  signedAt: Date
  confirmedAt: Date | null
  source: string | null
  comment: string | null
}

/**
 * A campaign's signers, in batches through a server-side cursor (never the whole list in memory).
 * Erased and held signatures are left out; with `listConsentOnly`, so is anyone who has not opted
 * in to the list or has unsubscribed.
 */
export function supportersCursor(
  sql: Sql,
  campaignId: string,
  { listConsentOnly, batchSize = 500 }: { listConsentOnly: boolean; batchSize?: number },
) {
  return sql<SupporterExportRow[]>`
    select p.email, p.first_name, p.last_name, p.city, p.state, p.zip, p.locale, p.list_opt_in,
           s.created_at as signed_at, s.confirmed_at, s.source, s.comment
    from signatures s join supporters p on p.id = s.supporter_id
    where s.campaign_id = ${campaignId}
      and not s.held
      and p.erased_at is null and p.email is not null
      and (${!listConsentOnly} or (p.list_opt_in and p.unsubscribed_at is null))
    order by s.id`.cursor(batchSize)
}

export type OfficeDeliveryCounts = {
  officeKey: string
  officeName: string
  /** as the latest letter stored it, in that letter's language */
  officeTitle: string
  /** null for a campaign's named officials */
  chamber: 'house' | 'senate' | 'state_upper' | 'state_lower' | null
  letters: number
  delivered: number
  queued: number
  failed: number
  awaitingHandDelivery: number
  /** final, never sent */
  cancelled: number
}

export async function officeDeliveryCounts(
  sql: Sql,
  campaignId: string,
): Promise<OfficeDeliveryCounts[]> {
  return sql<OfficeDeliveryCounts[]>`
    select d.office_key,
           (array_agg(d.office_name order by d.created_at desc, d.id desc))[1] as office_name,
           (array_agg(d.office_title order by d.created_at desc, d.id desc))[1] as office_title,
           min(d.chamber) as chamber,
           count(*)::int as letters,
           count(*) filter (where d.status = 'delivered')::int as delivered,
           count(*) filter (where d.status in ('queued', 'sending'))::int as queued,
           count(*) filter (where d.status = 'failed')::int as failed,
           count(*) filter (where d.status = 'awaiting_hand_delivery')::int as awaiting_hand_delivery,
           count(*) filter (where d.status = 'cancelled')::int as cancelled
    from deliveries d join letters l on l.id = d.letter_id
    where l.campaign_id = ${campaignId}
    group by d.office_key
    order by count(*) desc, d.office_key`
}

export type StafferRow = {
  firstName: string | null
  lastName: string | null
  city: string | null
  zip: string | null
}

/** Constituents who wrote to one office in one campaign: name, city and ZIP only. */
export function stafferReportCursor(sql: Sql, campaignId: string, officeKey: string) {
  return sql<StafferRow[]>`
    select first_name, last_name, city, zip from (
      select l.first_name, l.last_name, l.city, l.zip, l.created_at
      from deliveries d join letters l on l.id = d.letter_id
      where l.campaign_id = ${campaignId} and d.office_key = ${officeKey}
        and l.last_name is not null
      union all
      -- callers of a call campaign (migration 0130) who called this office
      select v.first_name, v.last_name, v.city, v.zip, v.created_at
      from call_logs c join call_visits v on v.id = c.visit_id
      where c.campaign_id = ${campaignId} and c.office_key = ${officeKey}
        and c.outcome <> 'skipped' and v.last_name is not null
    ) r
    order by last_name, first_name, created_at`.cursor(500)
}
