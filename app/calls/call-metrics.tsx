import { useTranslation } from 'react-i18next'
import type { getCallMetrics } from './calls.server'

// The organizer's dashboard for calls and posts: per office and day, calls by outcome with
// patch-through minutes, and posts by network. Counts only; the staffer report has the callers.

type CallMetrics = Awaited<ReturnType<typeof getCallMetrics>>

export function CallMetricsSections({
  metrics,
  campaignId,
  pii,
}: {
  metrics: CallMetrics
  campaignId: string
  pii: boolean
}) {
  const { t, i18n } = useTranslation('calls')
  const n = (v: number) => new Intl.NumberFormat(i18n.language).format(v)
  const offices = [...new Set(metrics.calls.map((r) => r.officeKey))]
  return (
    <>
      {metrics.calls.length ? (
        <section aria-labelledby="call-metrics-title">
          <h2 id="call-metrics-title">{t('admin.callsTitle')}</h2>
          <div
            className="table-wrap"
            role="region"
            aria-labelledby="call-metrics-caption"
            tabIndex={0}
          >
            <table data-testid="call-metrics">
              <caption id="call-metrics-caption">{t('admin.callsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.day')}</th>
                  <th scope="col">{t('admin.office')}</th>
                  <th scope="col">{t('page.outcomes.reached')}</th>
                  <th scope="col">{t('page.outcomes.voicemail')}</th>
                  <th scope="col">{t('page.outcomes.busy')}</th>
                  <th scope="col">{t('page.outcomes.skipped')}</th>
                  <th scope="col">{t('admin.patchMinutes')}</th>
                </tr>
              </thead>
              <tbody>
                {metrics.calls.map((r) => (
                  <tr key={`${r.day}-${r.officeKey}`}>
                    <td>{r.day}</td>
                    <th scope="row">{r.officeKey}</th>
                    <td>{n(r.reached)}</td>
                    <td>{n(r.voicemail)}</td>
                    <td>{n(r.busy)}</td>
                    <td>{n(r.skipped)}</td>
                    <td>{n(r.patchMinutes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pii ? (
            <>
              <h3>{t('admin.stafferReports')}</h3>
              <ul>
                {offices.map((o) => (
                  <li key={o}>
                    <a
                      href={`/admin/campaigns/${campaignId}/staffer-report.csv?office=${encodeURIComponent(o)}`}
                      download
                    >
                      {t('admin.stafferReport', { office: o })}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
      {metrics.posts.length ? (
        <section aria-labelledby="post-metrics-title">
          <h2 id="post-metrics-title">{t('admin.postsTitle')}</h2>
          <div
            className="table-wrap"
            role="region"
            aria-labelledby="post-metrics-caption"
            tabIndex={0}
          >
            <table data-testid="post-metrics">
              <caption id="post-metrics-caption">{t('admin.postsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.day')}</th>
                  <th scope="col">{t('admin.office')}</th>
                  <th scope="col">{t('admin.network')}</th>
                  <th scope="col">{t('admin.posts')}</th>
                </tr>
              </thead>
              <tbody>
                {metrics.posts.map((r) => (
                  <tr key={`${r.day}-${r.officeKey}-${r.network}`}>
                    <td>{r.day}</td>
                    <th scope="row">{r.officeKey}</th>
                    <td>{t(`admin.networks.${r.network}`)}</td>
                    <td>{n(r.posts)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  )
}
