import type { Sql } from '../client'

export type CampaignKind = 'petition' | 'letter'
export type CampaignStatus = 'draft' | 'live' | 'closed'

export type CampaignSummary = {
  id: string
  slug: string
  kind: CampaignKind
  status: CampaignStatus
  goal: number
  headline: string
  summary: string
  locale: string
  signatureCount: number
}

/**
 * Live campaigns with their copy in `locale`, falling back to the campaign's default locale.
 * The count leaves out held (flagged) signatures.
 */
export async function listLiveCampaigns(sql: Sql, locale: string): Promise<CampaignSummary[]> {
  return sql<CampaignSummary[]>`
    select c.id, c.slug, c.kind, c.status, c.goal,
           coalesce(l.headline, d.headline) as headline,
           coalesce(l.summary, d.summary) as summary,
           coalesce(l.locale, d.locale) as locale,
           (select coalesce(sum(n.total), 0)::int from signature_counts n where n.campaign_id = c.id) as signature_count
    from campaigns c
    join campaign_copy d on d.campaign_id = c.id and d.locale = c.default_locale
    left join campaign_copy l on l.campaign_id = c.id and l.locale = ${locale}
    where c.status = 'live'
    order by c.published_at desc nulls last, c.created_at desc
  `
}
