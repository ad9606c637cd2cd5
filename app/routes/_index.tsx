import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getHomeCampaigns } from '#app/campaigns/campaigns.server'
import { getLocale } from '#app/i18n/i18n.server'
import campaignStyles from '#app/campaigns/campaigns.css'
import { Thermometer } from '#app/campaigns/thermometer'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: campaignStyles }]

export const meta: MetaFunction = () => [{ title: 'Writ' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  return { campaigns: await getHomeCampaigns(locale) }
}

export default function Index() {
  const { campaigns } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  return (
    <>
      <h1>{t('home.title')}</h1>
      <p>{t('home.intro')}</p>
      {campaigns.length === 0 ? (
        <p>{t('home.empty')}</p>
      ) : (
        <ul className="card-list">
          {campaigns.map((c) => (
            <li
              key={c.id}
              className="card"
              lang={c.locale !== i18n.language ? c.locale : undefined}
            >
              <span className="tag">{t(`home.kind.${c.kind}`)}</span>
              <h2>
                <Link to={`/c/${c.slug}`} reloadDocument>
                  {c.headline}
                </Link>
              </h2>
              <p>{c.summary}</p>
              <Thermometer count={c.signatureCount} goal={c.goal} />
              <p>
                <Link
                  className="button"
                  to={`/c/${c.slug}`}
                  reloadDocument
                  aria-label={`${t(c.kind === 'letter' ? 'petitions:home.writeNow' : c.kind === 'call' ? 'petitions:home.callNow' : 'petitions:home.signNow')}: ${c.headline}`}
                >
                  {t(
                    c.kind === 'letter'
                      ? 'petitions:home.writeNow'
                      : c.kind === 'call'
                        ? 'petitions:home.callNow'
                        : 'petitions:home.signNow',
                  )}
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
