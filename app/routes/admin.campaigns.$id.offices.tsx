import { type LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getOfficeReports } from '#app/exports/exports.server'
import { getLocale } from '#app/i18n/i18n.server'
import { canSeePii } from '#app/organizers/auth.server'
import { requireOrganizer } from '#app/http/session.server'

// Per-office delivery counts (no personal data), with the staffer report for those allowed.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request)
  const locale = await getLocale(request)
  const reports = await getOfficeReports(params.id ?? '', locale)
  if (!reports) throw new Response('Campaign not found', { status: 404 })
  return { ...reports, pii: canSeePii(organizer.role) }
}

export default function OfficeReports() {
  const { campaign, offices, pii } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('admin')
  const n = (v: number) => new Intl.NumberFormat(i18n.language).format(v)
  return (
    <>
      <h1>{t('offices.title', { slug: campaign.slug })}</h1>
      {pii ? (
        <p>
          <a href={`/admin/campaigns/${campaign.id}/supporters.csv`} download>
            {t('offices.supportersCsv')}
          </a>{' '}
          ·{' '}
          <a href={`/admin/campaigns/${campaign.id}/supporters.csv?consent=all`} download>
            {t('offices.supportersCsvAll')}
          </a>
        </p>
      ) : null}
      {offices.length === 0 ? (
        <p>{t('offices.none')}</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="offices-caption" tabIndex={0}>
          <table>
            <caption id="offices-caption">{t('offices.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('offices.office')}</th>
                <th scope="col">{t('offices.letters')}</th>
                <th scope="col">{t('offices.delivered')}</th>
                <th scope="col">{t('offices.queued')}</th>
                <th scope="col">{t('offices.awaiting')}</th>
                <th scope="col">{t('offices.cancelled')}</th>
                <th scope="col">{t('offices.failed')}</th>
                {pii ? <th scope="col">{t('offices.report')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {offices.map((o) => (
                <tr key={o.officeKey}>
                  <th scope="row">
                    {o.officeName}
                    <br />
                    <small>{o.officeTitle}</small>
                  </th>
                  <td>{n(o.letters)}</td>
                  <td>{n(o.delivered)}</td>
                  <td>{n(o.queued)}</td>
                  <td>{n(o.awaitingHandDelivery)}</td>
                  <td>{n(o.cancelled)}</td>
                  <td>{n(o.failed)}</td>
                  {pii ? (
                    <td>
                      <a
                        href={`/admin/campaigns/${campaign.id}/staffer-report.csv?office=${encodeURIComponent(o.officeKey)}`}
                        download
                        aria-label={t('offices.reportFor', { office: o.officeName })}
                      >
                        {t('offices.reportLink')}
                      </a>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
