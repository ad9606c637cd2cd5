import { getRosterWarning } from '#app/reference-data/freshness.server'
import { getSql } from '#db/client'
import {
  campaignHeadline,
  campaignTotals,
  deliveriesByOffice,
  donationSummary,
  funnel,
  problemDeliveries,
  referralLeaderboard,
  signaturesByPlace,
  signaturesOverTime,
  topSources,
} from '#db/queries/metrics'
import { findCampaign } from '#db/queries/campaigns'
import { getServerT } from '#app/i18n/i18n.server'
import type { Locale } from '#app/i18n/config'
import { renderCharts } from './charts.server'

export const HOURS_SHOWN = 48
export const DAYS_SHOWN = 30

/**
 * Everything one dashboard shows: one campaign's numbers, or (without a campaign) every
 * campaign's together plus the per-campaign totals. `pii` says whether the viewer may see
 * delivery error texts (which can quote addresses); viewers get office and status only.
 */
async function getMetricsData({ campaignId, pii }: { campaignId?: string; pii: boolean }) {
  const sql = getSql()
  const [
    hourly,
    daily,
    steps,
    sources,
    referrers,
    leaderboard,
    states,
    districts,
    offices,
    problems,
    donations,
  ] = await Promise.all([
    signaturesOverTime(sql, { bucket: 'hour', span: HOURS_SHOWN, campaignId }),
    signaturesOverTime(sql, { bucket: 'day', span: DAYS_SHOWN, campaignId }),
    funnel(sql, campaignId),
    topSources(sql, { by: 'source', campaignId }),
    topSources(sql, { by: 'referrer', campaignId }),
    referralLeaderboard(sql, { campaignId }),
    signaturesByPlace(sql, { by: 'state', campaignId }),
    signaturesByPlace(sql, { by: 'district', campaignId, limit: 25 }),
    deliveriesByOffice(sql, { campaignId }),
    problemDeliveries(sql, { campaignId }),
    donationSummary(sql, campaignId),
  ])
  return {
    hourly,
    daily,
    funnel: steps,
    sources,
    referrers,
    leaderboard,
    states,
    districts,
    offices,
    problems: problems.map((p) => ({
      id: p.id,
      campaignSlug: p.campaignSlug,
      officeName: p.officeName,
      officeTitle: p.officeTitle,
      status: p.status,
      attempts: p.attempts,
      updatedAt: p.updatedAt.toISOString(),
      lastError: pii ? (p.lastError?.slice(0, 200) ?? null) : null,
    })),
    donations,
  }
}

export type MetricsData = Awaited<ReturnType<typeof getMetricsData>>

/** The numbers, and the charts drawn from them in the viewer's language. */
export async function getMetrics({
  campaignId,
  pii,
  locale = 'en',
}: {
  campaignId?: string
  pii: boolean
  locale?: Locale
}) {
  const data = await getMetricsData({ campaignId, pii })
  return { ...data, charts: renderCharts(data, getServerT(locale)) }
}

export type Metrics = Awaited<ReturnType<typeof getMetrics>>

export async function getDashboard({ pii, locale }: { pii: boolean; locale: Locale }) {
  const [campaigns, metrics, rosterWarning] = await Promise.all([
    campaignTotals(getSql()),
    getMetrics({ pii, locale }),
    getRosterWarning(),
  ])
  return { campaigns, metrics, rosterWarning }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** One campaign's dashboard; undefined for an unknown campaign. */
export async function getCampaignMetrics(
  campaignId: string,
  { pii, locale }: { pii: boolean; locale: Locale },
) {
  const campaign = UUID.test(campaignId) ? await findCampaign(getSql(), campaignId) : undefined
  if (!campaign) return undefined
  const headline = await campaignHeadline(getSql(), campaign.id, campaign.defaultLocale)
  return {
    campaign: {
      id: campaign.id,
      slug: campaign.slug,
      kind: campaign.kind,
      headline: headline ?? campaign.slug,
    },
    metrics: await getMetrics({ campaignId: campaign.id, pii, locale }),
  }
}

/** The worker's minute chore: counters and rollups back to one row per key (ADR 1301). */
export { foldCounterShards } from '#db/queries/metrics'
