import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { getDashboard } from '#app/metrics/metrics.server'
import { SignaturesChart } from '#app/metrics/signatures-chart'
import { requireOrganizer } from '#app/organizers/auth.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOrganizer(request)
  return getDashboard()
}

const REFRESH_MS = 15_000

/** Live numbers: re-runs the loader every 15 s while the tab is visible (no reload needed). */
function useLiveRefresh() {
  const revalidator = useRevalidator()
  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === 'visible' && revalidator.state === 'idle') {
        revalidator.revalidate()
      }
    }, REFRESH_MS)
    return () => clearInterval(id)
  }, [revalidator])
}

export default function Dashboard() {
  const { campaigns, perDay } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('admin')
  useLiveRefresh()
  const n = (v: number) => new Intl.NumberFormat(i18n.language).format(v)
  return (
    <>
      <h1>{t('dashboard.title')}</h1>
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
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="per-day-title">{t('dashboard.perDay')}</h2>
      <SignaturesChart
        data={perDay}
        labels={{ confirmed: t('dashboard.confirmed'), unconfirmed: t('dashboard.unconfirmed') }}
      />
      <div className="table-wrap" role="region" aria-labelledby="per-day-title" tabIndex={0}>
        <table>
          <caption>{t('dashboard.perDayCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.day')}</th>
              <th scope="col">{t('dashboard.confirmed')}</th>
              <th scope="col">{t('dashboard.unconfirmed')}</th>
            </tr>
          </thead>
          <tbody>
            {perDay.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                <td>{n(d.confirmed)}</td>
                <td>{n(d.unconfirmed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
