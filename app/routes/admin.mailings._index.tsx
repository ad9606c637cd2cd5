import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireOrganizer } from '#app/http/session.server'
import { getMailingsIndex } from '#app/mailings/mailings.server'
import { canSeePii } from '#app/organizers/auth.server'

// Every organizer sees the mailings and their results; only those with access to supporters'
// data write and send them (ADR 1100).
export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request)
  const { mailings } = await getMailingsIndex()
  return { mailings, canSend: canSeePii(organizer.role) }
}

export default function Mailings() {
  const { mailings, canSend } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('admin')
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <>
      <h1>{t('mailings.title')}</h1>
      <p>{t('mailings.intro')}</p>
      {canSend ? (
        <p>
          <Link to="/admin/mailings/new" className="button">
            {t('mailings.new')}
          </Link>
        </p>
      ) : (
        <p className="banner">{t('mailings.viewerNote')}</p>
      )}
      {mailings.length === 0 ? (
        <p>{t('mailings.none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>{t('mailings.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mailings.subject')}</th>
                <th scope="col">{t('mailings.audience')}</th>
                <th scope="col">{t('mailings.status')}</th>
                <th scope="col">{t('mailings.recipients')}</th>
                <th scope="col">{t('mailings.sent')}</th>
                <th scope="col">{t('mailings.failed')}</th>
                <th scope="col">{t('mailings.unsubscribes')}</th>
                <th scope="col">{t('mailings.created')}</th>
              </tr>
            </thead>
            <tbody>
              {mailings.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <Link to={`/admin/mailings/${m.id}`}>{m.copy.en?.subject}</Link>
                  </th>
                  <td>{m.allCampaigns ? t('mailings.allCampaigns') : m.campaignSlug}</td>
                  <td>{t(`mailings.statuses.${m.status}`)}</td>
                  <td>{m.recipients}</td>
                  <td>{m.sent}</td>
                  <td>{m.failed}</td>
                  <td>{m.unsubscribes}</td>
                  <td>{date.format(new Date(m.createdAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
