import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PostToLegislators } from '#app/calls/call-flow'
import { getLetterPostTargets } from '#app/calls/calls.server'
import { getLocale, getServerT } from '#app/i18n/i18n.server'
import { getLetterThanks } from '#app/letters/letters.server'
import { nextAskAfterLetter } from '#app/ladders/ladders.server'
import { NextAskSection } from '#app/ladders/next-ask'
import type { RouteHandle } from '#app/root'
import { OfficeStatusList } from '#app/delivery/office-status-list'

// The letter flow's thank-you: each office's status now, the private status link, the donate ask.
// Plain HTML (docs/decisions/0104-no-hydration-on-supporter-pages.md).
export const handle: RouteHandle = { hydrate: false }

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? 'Writ'} · Writ` },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const page = await getLetterThanks(params.slug ?? '', params.token ?? '', locale)
  if (!page) throw data('Not found', { status: 404 })
  const title = getServerT(locale)('letters:sent.metaTitle')
  // The campaign's ladder, when it has one: its first ask (ADR 1101).
  const nextAsk = page.campaign ? await nextAskAfterLetter(page.campaign, locale) : undefined
  const postTargets = await getLetterPostTargets(params.token ?? '')
  return data(
    { ...page, title, locale, nextAsk: nextAsk ?? null, postTargets },
    // the token in the URL is the key to this letter: never cache or leak it
    { headers: { 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' } },
  )
}

export default function LetterSent() {
  const { status, statusPath, donatePath, locale, slug, thankYou, nextAsk, postTargets } =
    useLoaderData<typeof loader>()
  const { t } = useTranslation('letters')
  const lang = locale === 'en' ? '' : `?lang=${locale}`
  return (
    <article className="thanks" aria-labelledby="sent-title">
      <h1 id="sent-title">{t('sent.title', { name: status.firstName })}</h1>
      {thankYou ? <p>{thankYou}</p> : null}
      <p role="status">{t('sent.intro', { count: status.offices.length })}</p>
      <OfficeStatusList offices={status.offices} />
      <p>
        <Link className="button" to={`${statusPath}${lang}`}>
          {t('sent.statusLink')}
        </Link>
      </p>
      <p className="hint">{t('sent.statusLinkHint')}</p>

      <PostToLegislators slug={slug} targets={postTargets} locale={locale} />

      {nextAsk ? (
        <NextAskSection ask={nextAsk} headingId="donate-title" />
      ) : (
        <section aria-labelledby="donate-title">
          <h2 id="donate-title">{t('sent.donateTitle')}</h2>
          <p>{t('sent.donateText')}</p>
          <Link className="button button-secondary" to={`${donatePath}${lang}`}>
            {t('sent.donateButton')}
          </Link>
        </section>
      )}
      <p>
        <Link to={`/c/${slug}${lang}`}>{t('sent.backToCampaign')}</Link>
      </p>
    </article>
  )
}
