import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getLocale } from '#app/i18n/i18n.server'
import { getDashboard } from '#app/metrics/metrics.server'
import { MetricsSections, useLiveRefresh } from '#app/metrics/metrics-sections'
import { canSeePii } from '#app/organizers/auth.server'
import { requireOrganizer } from '#app/http/session.server'
import { getDisabledEndpoints } from '#app/webhooks/webhooks.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request)
  const [dashboard, disabledWebhooks] = await Promise.all([
    getDashboard({ pii: canSeePii(organizer.role), locale: await getLocale(request) }),
    getDisabledEndpoints(),
  ])
  return { ...dashboard, disabledWebhooks }
}

export default function Dashboard() {
  const { campaigns, metrics, rosterWarning, disabledWebhooks } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('admin')
  useLiveRefresh()
  const n = (v: number) => new Intl.NumberFormat(i18n.language).format(v)
  return (
    <>
      <h1>{t('dashboard.title')}</h1>
      {rosterWarning ? (
        <p className="banner banner-warn" role="status">
          {t(rosterWarning.seated ? 'dashboard.rosterSeated' : 'dashboard.rosterStale', {
            date: rosterWarning.sourceDate,
            nth: ordinal(rosterWarning.congress, i18n.language),
            seatedOn: rosterWarning.seatedOn,
          })}{' '}
          <code>npm run data:import</code>
        </p>
      ) : null}
      {disabledWebhooks.map((w) => (
        <p key={w.id} className="banner banner-warn" role="status">
          {t('api:webhooks.notice', { url: w.url })}
        </p>
      ))}
      <p className="hint">{t('dashboard.live')}</p>
      <h2 id="totals-title">{t('dashboard.totals')}</h2>
      <div className="table-wrap" role="region" aria-labelledby="totals-title" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('campaigns.headline')}</th>
              <th scope="col">{t('campaigns.status')}</th>
              <th scope="col">{t('dashboard.confirmed')}</th>
              <th scope="col">{t('dashboard.unconfirmed')}</th>
              <th scope="col">{t('dashboard.goal')}</th>
              <th scope="col">{t('metrics.title')}</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/admin/campaigns/${c.id}`}>{c.headline}</Link>
                </th>
                <td>{t(`status.${c.status}`)}</td>
                <td>{n(c.confirmed)}</td>
                <td>{n(c.unconfirmed)}</td>
                <td>{n(c.goal)}</td>
                <td>
                  <Link
                    to={`/admin/campaigns/${c.id}/metrics`}
                    aria-label={t('metrics.linkLabel', { name: c.headline })}
                  >
                    {t('metrics.link')}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <MetricsSections metrics={metrics} scope={t('metrics.allCampaigns')} />
    </>
  )
}

/** 120 → "120th" (English) or "120.º" (Spanish). */
function ordinal(n: number, language: string): string {
  if (language === 'es') return `${n}.º`
  const suffix = { one: 'st', two: 'nd', few: 'rd', other: 'th' } as const
  const rule = new Intl.PluralRules('en-US', { type: 'ordinal' }).select(n) as keyof typeof suffix
  return `${n}${suffix[rule] ?? 'th'}`
}
