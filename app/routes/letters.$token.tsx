import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Fragment } from 'react'
import { useTranslation } from 'react-i18next'
import { getLocale } from '#app/i18n/i18n.server'
import { getLetterStatus } from '#app/letters/letters.server'
import { OfficeStatusList } from '#app/delivery/office-status-list'

// /letters/:token: each office's delivery status, with evidence. Private (the token is the key),
// server-rendered, no JavaScript needed.

export const meta: MetaFunction = () => [{ title: 'Writ' }, { name: 'robots', content: 'noindex' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const status = await getLetterStatus(params.token ?? '', locale)
  if (!status) throw data(null, { status: 404 })
  return data({ status }, { headers: { 'Cache-Control': 'private, no-store' } })
}

export default function LetterStatusPage() {
  const { status } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('letters')
  const written = new Intl.DateTimeFormat(i18n.language === 'es' ? 'es-US' : 'en-US', {
    dateStyle: 'long',
    timeZone: 'America/New_York',
  }).format(new Date(status.createdAt))
  if (status.erased) {
    return (
      <article aria-labelledby="status-title">
        <h1 id="status-title">{t('statusPage.title')}</h1>
        <p role="status">{t('statusPage.erased')}</p>
        <p>
          <Link to={`/c/${status.campaignSlug}`}>{t('statusPage.backToCampaign')}</Link>
        </p>
      </article>
    )
  }
  return (
    <article aria-labelledby="status-title">
      <h1 id="status-title">{t('statusPage.title')}</h1>
      <p>{t('statusPage.intro', { name: status.firstName })}</p>
      <p role="status">
        {status.complete
          ? status.receiptSent
            ? t('statusPage.complete')
            : t('statusPage.completePending')
          : t('statusPage.inProgress')}
      </p>
      <OfficeStatusList offices={status.offices} showWhen />
      {status.complete ? null : (
        <p>
          <Link to=".">{t('statusPage.refresh')}</Link>
        </p>
      )}
      <section aria-labelledby="letter-title">
        <h2 id="letter-title">
          {t('statusPage.yourLetter')}
          {status.subject ? `: ${status.subject}` : null}
        </h2>
        <p>{t('statusPage.sentOn', { date: written })}</p>
        {status.body ? (
          <div className="letter-text">
            {status.body.split(/\n\s*\n/).map((p, i) => (
              <p key={i}>
                {p.split('\n').map((line, j) => (
                  <Fragment key={j}>
                    {j > 0 ? <br /> : null}
                    {line}
                  </Fragment>
                ))}
              </p>
            ))}
          </div>
        ) : status.textPurged ? (
          <p>{t('statusPage.textPurged')}</p>
        ) : null}
      </section>
      <p>
        <Link to={`/c/${status.campaignSlug}`}>{t('statusPage.backToCampaign')}</Link>
      </p>
    </article>
  )
}
