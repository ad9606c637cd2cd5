import { type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCampaignsForAdmin } from '#app/campaigns/editor.server'
import { roleAtLeast } from '#app/organizers/auth.server'
import { requireOrganizer } from '#app/http/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const organizer = await requireOrganizer(request)
  return {
    campaigns: await getCampaignsForAdmin(),
    canEdit: roleAtLeast(organizer.role, 'organizer'),
  }
}

export default function CampaignList() {
  const { campaigns, canEdit } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('admin')
  const n = (v: number) => new Intl.NumberFormat(i18n.language).format(v)
  return (
    <>
      <h1>{t('campaigns.title')}</h1>
      {canEdit ? (
        <p>
          <Link to="/admin/campaigns/new" className="button">
            {t('campaigns.new')}
          </Link>
        </p>
      ) : null}
      <div className="table-wrap" role="region" aria-labelledby="campaigns-caption" tabIndex={0}>
        <table>
          <caption id="campaigns-caption">{t('campaigns.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('campaigns.headline')}</th>
              <th scope="col">{t('campaigns.kind')}</th>
              <th scope="col">{t('campaigns.status')}</th>
              <th scope="col">{t('campaigns.signatures')}</th>
              <th scope="col">{t('campaigns.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  {c.headline}
                  <br />
                  <code>{c.slug}</code>
                </th>
                <td>{t(`kind.${c.kind}`)}</td>
                <td>{t(`status.${c.status}`)}</td>
                <td>
                  {n(c.signatures)} ({t('campaigns.confirmedCount', { count: c.confirmed })})
                </td>
                <td>
                  {canEdit ? (
                    <Link
                      to={`/admin/campaigns/${c.id}`}
                      aria-label={t('campaigns.editLabel', { name: c.headline })}
                    >
                      {t('campaigns.edit')}
                    </Link>
                  ) : null}{' '}
                  <Link
                    to={`/admin/campaigns/${c.id}/preview`}
                    aria-label={t('campaigns.previewLabel', { name: c.headline })}
                  >
                    {t('campaigns.preview')}
                  </Link>{' '}
                  <Link
                    to={`/admin/campaigns/${c.id}/offices`}
                    aria-label={t('campaigns.officesLabel', { name: c.headline })}
                  >
                    {t('campaigns.offices')}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
