import {
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PostToLegislators } from '#app/calls/call-flow'
import callFlowStyles from '#app/calls/call-flow.css'
import { getCallPage, getPostTargets } from '#app/calls/calls.server'
import { getLocale, getServerT } from '#app/i18n/i18n.server'
import type { RouteHandle } from '#app/root'

// The call campaign's thank-you: how each call went, and "Post to your legislators".
export const handle: RouteHandle = { hydrate: false }

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: callFlowStyles }]

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? 'Writ'} · Writ` },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const page = await getCallPage(params.slug ?? '', params.token ?? '', locale)
  if (!page) throw data('Not found', { status: 404 })
  const targets = await getPostTargets(page.offices.map((o) => o.officeKey))
  return data(
    { page, targets, locale, title: getServerT(locale)('calls:thanks.metaTitle') },
    { headers: { 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' } },
  )
}

export default function CallThanks() {
  const { page, targets, locale } = useLoaderData<typeof loader>()
  const { t } = useTranslation('calls')
  const lang = locale === 'en' ? '' : `?lang=${locale}`
  return (
    <article className="thanks" aria-labelledby="call-thanks-title">
      <h1 id="call-thanks-title">{t('thanks.title')}</h1>
      <p>{t('thanks.intro')}</p>
      <ul>
        {page.offices.map((o) => (
          <li key={o.officeKey}>
            {o.name}: {o.outcome ? t(`page.outcomes.${o.outcome}`) : '—'}
          </li>
        ))}
      </ul>
      <PostToLegislators slug={page.slug} targets={targets} locale={locale} />
      <p>
        <Link to={`/c/${page.slug}${lang}`} reloadDocument>
          {t('thanks.backToCampaign')}
        </Link>
      </p>
    </article>
  )
}
