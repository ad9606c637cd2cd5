import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PostToLegislators, PostZipForm } from '#app/calls/call-flow'
import { getZipPostTargets } from '#app/calls/calls.server'
import { getLocale } from '#app/i18n/i18n.server'
import campaignStyles from '#app/campaigns/campaigns.css'
import { canonicalUrl, getThanksPageData } from '#app/campaigns/campaigns.server'
import { campaignMeta } from '#app/campaigns/meta'
import { embedSnippet, referralUrl, shareLinks } from '#app/campaigns/share'
import { Thermometer } from '#app/campaigns/thermometer'
import { nextAskAfterSigning } from '#app/ladders/ladders.server'
import { NextAskSection } from '#app/ladders/next-ask'
import type { RouteHandle } from '#app/root'

// Plain HTML: this page works fully without the client runtime, so it ships none
// (docs/decisions/0104-no-hydration-on-supporter-pages.md).
export const handle: RouteHandle = { hydrate: false }

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: campaignStyles }]

const CODE_SHAPE = /^[A-Za-z0-9_-]{6,32}$/

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const search = new URL(request.url).searchParams
  const rawCode = search.get('code')
  const code = rawCode && CODE_SHAPE.test(rawCode) ? rawCode : undefined
  const page = await getThanksPageData(params.slug!, locale, code)
  if (!page) throw new Response('Not found', { status: 404 })
  // One page for first and repeat signers alike: it never says whether this address signed before.
  const state = search.has('confirmed') ? ('confirmed' as const) : ('signed' as const)
  // The campaign's ladder, when it has one: the first ask this signer has not done (ADR 1101).
  const nextAsk = await nextAskAfterSigning(page.campaign, locale, { code, k: search.get('k') })
  // "Post to your legislators": the signer's ZIP, typed on this page (a GET, nothing stored)
  const postZip = search.get('postZip')?.trim().slice(0, 10) || undefined
  const postTargets = postZip ? await getZipPostTargets(postZip) : null
  return {
    postZip,
    postTargets,
    ...page,
    nextAsk: nextAsk ?? null,
    locale,
    state,
    code,
    canonicalUrl: canonicalUrl(params.slug!, locale),
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => campaignMeta(data, { noindex: true })

export default function ThanksRoute() {
  const { campaign, count, letterSlug, referrals, publicUrl, state, code, nextAsk, locale } =
    useLoaderData<typeof loader>()
  const { postZip, postTargets } = useLoaderData<typeof loader>()
  const { t } = useTranslation('petitions')
  const personalLink = referralUrl(publicUrl, campaign.slug, code)
  const links = shareLinks({
    publicUrl,
    slug: campaign.slug,
    code,
    text: campaign.shareText || campaign.headline,
    subject: campaign.headline,
  })
  return (
    <article className="thanks">
      <h1>{t(`thanks.title.${state}`)}</h1>
      <p className="banner banner-ok" role="status">
        {t(`thanks.status.${state}`)}
      </p>
      {campaign.thankYou ? <p>{campaign.thankYou}</p> : null}
      <p>
        <Link to={`/c/${campaign.slug}`}>{campaign.headline}</Link>
      </p>
      <Thermometer count={count.total} goal={campaign.goal} />

      <section aria-labelledby="share-title">
        <h2 id="share-title">{t('thanks.shareTitle')}</h2>
        <p>{t('thanks.shareIntro')}</p>
        <div className="field">
          <label htmlFor="personal-link">
            {t(code ? 'thanks.yourLink' : 'thanks.campaignLink')}
          </label>
          {code ? (
            <span className="hint" id="personal-link-hint">
              {t('thanks.yourLinkHint')}
            </span>
          ) : null}
          <input
            id="personal-link"
            type="text"
            readOnly
            value={personalLink}
            aria-describedby={code ? 'personal-link-hint' : undefined}
          />
        </div>
        {code && referrals !== undefined ? (
          <p data-testid="referrals">{t('thanks.referrals', { count: referrals })}</p>
        ) : null}
        <ul className="share-links">
          {links.map((l) => (
            <li key={l.id}>
              <a className="button button-secondary" href={l.href} rel="noopener noreferrer">
                {t(`thanks.share.${l.id}`)}
              </a>
            </li>
          ))}
        </ul>
      </section>

      {nextAsk ? (
        <NextAskSection ask={nextAsk} />
      ) : (
        <section aria-labelledby="next-title">
          <h2 id="next-title">{t('thanks.nextTitle')}</h2>
          <ul className="next-asks">
            {letterSlug ? (
              <li>
                <h3>{t('thanks.writeTitle')}</h3>
                <p>{t('thanks.writeText')}</p>
                <Link className="button" to={`/c/${letterSlug}`}>
                  {t('thanks.writeButton')}
                </Link>
              </li>
            ) : null}
            {campaign.donationEnabled ? (
              <li>
                <h3>{t('thanks.donateTitle')}</h3>
                <p>{t('thanks.donateText')}</p>
                <Link className="button" to={`/c/${campaign.slug}/donate`}>
                  {t('thanks.donateButton')}
                </Link>
              </li>
            ) : null}
          </ul>
        </section>
      )}

      {postTargets?.length ? (
        <PostToLegislators slug={campaign.slug} targets={postTargets} locale={locale} />
      ) : (
        <PostZipForm zip={postZip} locale={locale} />
      )}

      <details className="embed-code">
        <summary>{t('thanks.embedTitle')}</summary>
        <div className="field">
          <label htmlFor="embed-snippet">{t('thanks.embedLabel')}</label>
          <span className="hint" id="embed-snippet-hint">
            {t('thanks.embedHint')}
          </span>
          <textarea
            id="embed-snippet"
            readOnly
            rows={4}
            value={embedSnippet(publicUrl, campaign.slug, campaign.headline)}
            aria-describedby="embed-snippet-hint"
          />
        </div>
      </details>
    </article>
  )
}
