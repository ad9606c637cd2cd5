import { type LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getAuditLog } from '#app/organizers/organizers.server'
import { requireOrganizer } from '#app/http/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOrganizer(request, { role: 'owner' })
  return { entries: await getAuditLog() }
}

export default function AuditLog() {
  const { entries } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('admin')
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <div className="table-wrap" role="region" aria-labelledby="audit-caption" tabIndex={0}>
        <table>
          <caption id="audit-caption">{t('audit.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.when')}</th>
              <th scope="col">{t('audit.who')}</th>
              <th scope="col">{t('audit.what')}</th>
              <th scope="col">{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{when.format(new Date(e.createdAt))}</td>
                <td>{e.organizerEmail ?? '—'}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  <code>
                    {e.subjectType ? `${e.subjectType}:${e.subjectId} ` : ''}
                    {JSON.stringify(e.details)}
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
