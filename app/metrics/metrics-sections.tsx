import { useRevalidator } from '@remix-run/react'
import { type ReactNode, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { Metrics } from './metrics.server'
import { districtLabel, FUNNEL_STEPS, placeLabel } from './labels'

const REFRESH_MS = 15_000

/** Live numbers: re-runs the loader every 15 s while the tab is visible (no reload needed). */
export function useLiveRefresh() {
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

/**
 * A chart drawn on the server (app/metrics/charts.server.tsx): its markup is inserted as is, so
 * the browser never runs the chart library. Hidden from assistive technology: the table beside
 * each chart is the accessible alternative.
 */
function StaticChart({ svg }: { svg: string }) {
  return <div className="chart" aria-hidden="true" dangerouslySetInnerHTML={{ __html: svg }} />
}

/**
 * A scrollable, keyboard-focusable table region named by its caption. `folded`: long tables (48
 * hours, 30 days) start closed in a <details>, so the charts are not pages apart.
 */
function DataTable({
  id,
  caption,
  head,
  folded,
  children,
}: {
  id: string
  caption: string
  head: string[]
  folded?: boolean
  children: ReactNode
}) {
  const { t } = useTranslation('admin')
  const table = (
    <div className="table-wrap" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table id={id}>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
  if (!folded) return table
  return (
    <details className="table-fold">
      <summary>{t('metrics.showTable')}</summary>
      {table}
    </details>
  )
}

/** Every section of a metrics dashboard (one campaign, or all of them). */
export function MetricsSections({ metrics, scope }: { metrics: Metrics; scope: string }) {
  const { t, i18n } = useTranslation('admin')
  const n = (v: number) => new Intl.NumberFormat(i18n.language).format(v)
  const money = (cents: number) =>
    new Intl.NumberFormat(i18n.language, { style: 'currency', currency: 'USD' }).format(cents / 100)
  const pct = (part: number, whole: number) =>
    whole > 0
      ? new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(
          part / whole,
        )
      : '–'
  const place = (state: string, district: string) => placeLabel(t, state, district)
  const placeOrUnknownDistrict = (state: string, district: string) =>
    districtLabel(t, state, district)
  const steps = FUNNEL_STEPS.map((key) => ({ key, value: metrics.funnel[key] }))
  const labels = { confirmed: t('dashboard.confirmed'), unconfirmed: t('dashboard.unconfirmed') }
  const d = metrics.donations
  return (
    <>
      <h2 id="funnel-title">{t('metrics.funnel')}</h2>
      <StaticChart svg={metrics.charts.funnel} />
      <DataTable
        id="funnel"
        caption={t('metrics.funnelCaption', { scope })}
        head={[t('metrics.stepHead'), t('metrics.count'), t('metrics.ofPrevious')]}
      >
        {steps.map((s, i) => (
          <tr key={s.key}>
            <th scope="row">{t(`metrics.step.${s.key}`)}</th>
            <td>{n(s.value)}</td>
            <td>{i === 0 ? '' : pct(s.value, steps[i - 1]!.value)}</td>
          </tr>
        ))}
      </DataTable>

      <h2>{t('metrics.overTime')}</h2>
      <h3>{t('metrics.hourly')}</h3>
      <StaticChart svg={metrics.charts.hourly} />
      <DataTable
        id="hourly"
        folded
        caption={t('metrics.hourlyCaption', { scope, hours: metrics.hourly.length })}
        head={[t('metrics.hour'), labels.confirmed, labels.unconfirmed]}
      >
        {metrics.hourly.map((h) => (
          <tr key={h.at}>
            <th scope="row">{h.at.replace('T', ' ').replace('Z', ' UTC')}</th>
            <td>{n(h.confirmed)}</td>
            <td>{n(h.unconfirmed)}</td>
          </tr>
        ))}
      </DataTable>
      <h3>{t('metrics.daily')}</h3>
      <StaticChart svg={metrics.charts.daily} />
      <DataTable
        id="daily"
        folded
        caption={t('metrics.dailyCaption', { scope, days: metrics.daily.length })}
        head={[t('dashboard.day'), labels.confirmed, labels.unconfirmed]}
      >
        {metrics.daily.map((x) => (
          <tr key={x.at}>
            <th scope="row">{x.at}</th>
            <td>{n(x.confirmed)}</td>
            <td>{n(x.unconfirmed)}</td>
          </tr>
        ))}
      </DataTable>

      <h2>{t('metrics.sourcesTitle')}</h2>
      {(['sources', 'referrers'] as const).map((which) => (
        <DataTable
          key={which}
          id={which}
          caption={t(`metrics.${which}Caption`, { scope })}
          head={[
            t(which === 'sources' ? 'metrics.source' : 'metrics.referrer'),
            t('metrics.step.views'),
            t('metrics.step.signatures'),
            labels.confirmed,
            t('metrics.conversion'),
          ]}
        >
          {metrics[which].length === 0 ? (
            <tr>
              <td colSpan={5}>{t('metrics.none')}</td>
            </tr>
          ) : (
            metrics[which].map((s) => (
              <tr key={s.name}>
                <th scope="row">{s.name || t('metrics.direct')}</th>
                <td>{n(s.views)}</td>
                <td>{n(s.signatures)}</td>
                <td>{n(s.confirmed)}</td>
                <td>{pct(s.signatures, s.views)}</td>
              </tr>
            ))
          )}
        </DataTable>
      ))}
      <DataTable
        id="referrals"
        caption={t('metrics.referralsCaption', { scope })}
        head={[
          t('metrics.referrer'),
          t('metrics.campaign'),
          t('metrics.referrals'),
          labels.confirmed,
        ]}
      >
        {metrics.leaderboard.length === 0 ? (
          <tr>
            <td colSpan={4}>{t('metrics.none')}</td>
          </tr>
        ) : (
          metrics.leaderboard.map((r) => (
            <tr key={r.refCode}>
              <th scope="row">
                {r.name ?? t('metrics.anonymous')} <code>{r.refCode}</code>
              </th>
              <td>{r.campaignSlug}</td>
              <td>{n(r.referrals)}</td>
              <td>{n(r.confirmed)}</td>
            </tr>
          ))
        )}
      </DataTable>

      <h2>{t('metrics.geography')}</h2>
      <p className="hint">{t('metrics.geographyHint')}</p>
      <h3>{t('metrics.byState')}</h3>
      <StaticChart svg={metrics.charts.states} />
      <DataTable
        id="states"
        caption={t('metrics.statesCaption', { scope })}
        head={[t('metrics.state'), t('metrics.step.signatures'), labels.confirmed]}
      >
        {metrics.states.map((s) => (
          <tr key={s.state}>
            <th scope="row">{place(s.state, '')}</th>
            <td>{n(s.signatures)}</td>
            <td>{n(s.confirmed)}</td>
          </tr>
        ))}
      </DataTable>
      <h3>{t('metrics.byDistrict')}</h3>
      <StaticChart svg={metrics.charts.districts} />
      <DataTable
        id="districts"
        caption={t('metrics.districtsCaption', { scope })}
        head={[t('metrics.district'), t('metrics.step.signatures'), labels.confirmed]}
      >
        {metrics.districts.map((s) => (
          <tr key={`${s.state}/${s.district}`}>
            <th scope="row">{placeOrUnknownDistrict(s.state, s.district)}</th>
            <td>{n(s.signatures)}</td>
            <td>{n(s.confirmed)}</td>
          </tr>
        ))}
      </DataTable>

      <h2>{t('metrics.deliveries')}</h2>
      <DataTable
        id="office-deliveries"
        caption={t('metrics.officesCaption', { scope })}
        head={[
          t('offices.office'),
          t('metrics.copies'),
          t('metrics.status.delivered'),
          t('metrics.status.queued'),
          t('metrics.status.sending'),
          t('metrics.status.awaiting_hand_delivery'),
          t('metrics.status.cancelled'),
          t('metrics.status.failed'),
        ]}
      >
        {metrics.offices.length === 0 ? (
          <tr>
            <td colSpan={8}>{t('offices.none')}</td>
          </tr>
        ) : (
          metrics.offices.map((o) => (
            <tr key={o.officeKey}>
              <th scope="row">{o.officeName}</th>
              <td>{n(o.total)}</td>
              <td>{n(o.delivered)}</td>
              <td>{n(o.queued)}</td>
              <td>{n(o.sending)}</td>
              <td>{n(o.awaitingHandDelivery)}</td>
              <td>{n(o.cancelled)}</td>
              <td>{n(o.failed)}</td>
            </tr>
          ))
        )}
      </DataTable>
      <DataTable
        id="problem-deliveries"
        caption={t('metrics.problemsCaption', { scope })}
        head={[
          t('offices.office'),
          t('metrics.campaign'),
          t('metrics.statusHead'),
          t('metrics.attempts'),
          t('metrics.since'),
          t('metrics.reason'),
        ]}
      >
        {metrics.problems.length === 0 ? (
          <tr>
            <td colSpan={6}>{t('metrics.noProblems')}</td>
          </tr>
        ) : (
          metrics.problems.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                {p.officeName} <span className="hint">({p.officeTitle})</span>
              </th>
              <td>{p.campaignSlug}</td>
              <td>
                {p.status === 'failed'
                  ? t('metrics.status.failed')
                  : t('metrics.stuck', { status: t(`metrics.status.${p.status}`) })}
              </td>
              <td>{n(p.attempts)}</td>
              <td>{p.updatedAt.slice(0, 16).replace('T', ' ')} UTC</td>
              <td>{p.lastError ?? t('metrics.reasonHidden')}</td>
            </tr>
          ))
        )}
      </DataTable>

      <h2>{t('metrics.donations')}</h2>
      <DataTable
        id="donations"
        caption={t('metrics.donationsCaption', { scope })}
        head={[t('metrics.measure'), t('metrics.value')]}
      >
        <tr>
          <th scope="row">{t('metrics.raised')}</th>
          <td>{money(d.totalCents)}</td>
        </tr>
        <tr>
          <th scope="row">{t('metrics.oneTime')}</th>
          <td>{t('metrics.charges', { amount: money(d.oneTimeCents), count: d.oneTimeCount })}</td>
        </tr>
        <tr>
          <th scope="row">{t('metrics.monthly')}</th>
          <td>{t('metrics.charges', { amount: money(d.monthlyCents), count: d.monthlyCount })}</td>
        </tr>
        <tr>
          <th scope="row">{t('metrics.activeMonthly')}</th>
          <td>
            {t('metrics.activeDonors', {
              count: d.activeMonthlyDonors,
              amount: money(d.activeMonthlyCents),
            })}
          </td>
        </tr>
      </DataTable>
    </>
  )
}
