import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CallMetricsSections } from '#app/calls/call-metrics'
import { getCallMetrics } from '#app/calls/calls.server'
import { getLocale } from '#app/i18n/i18n.server'
import { LadderConversion } from '#app/ladders/ladder-conversion'
import { getLadderConversion } from '#app/ladders/ladders.server'
import { getCampaignMetrics } from '#app/metrics/metrics.server'
import { MetricsSections, useLiveRefresh } from '#app/metrics/metrics-sections'
import { canSeePii } from '#app/organizers/auth.server'
import { requireOrganizer } from '#app/http/session.server'

// One campaign's dashboard. Viewers may open it: it shows counts, never supporters' details.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request)
  const page = await getCampaignMetrics(params.id ?? '', {
    pii: canSeePii(organizer.role),
    locale: await getLocale(request),
  })
  if (!page) throw new Response('Campaign not found', { status: 404 })
  // calls and posts to legislators (call campaigns; posts from letters and petitions too)
  const calls = await getCallMetrics(page.campaign.id)
  return {
    ...page,
    ladder: await getLadderConversion(page.campaign.id),
    calls,
    pii: canSeePii(organizer.role),
  }
}

export default function CampaignMetrics() {
  const { campaign, metrics, ladder, calls, pii } = useLoaderData<typeof loader>()
  const { t } = useTranslation('admin')
  useLiveRefresh()
  return (
    <>
      <h1>{t('metrics.campaignTitle', { name: campaign.headline })}</h1>
      <p className="hint">
        {t('dashboard.live')} <Link to="/admin">{t('metrics.back')}</Link> ·{' '}
        <Link to={`/admin/campaigns/${campaign.id}`}>{t('campaigns.edit')}</Link>
      </p>
      <MetricsSections metrics={metrics} scope={campaign.slug} />
      {ladder.length ? (
        <>
          <LadderConversion conversion={ladder} headingId="ladder-conversion-title" />
          <p>
            <Link to={`/admin/campaigns/${campaign.id}/ladder`}>{t('ladders:editor.title')}</Link>
          </p>
        </>
      ) : null}
      <CallMetricsSections metrics={calls} campaignId={campaign.id} pii={pii} />
    </>
  )
}
