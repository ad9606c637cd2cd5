import { keepRetryAfter } from '#app/safety/headers'
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import campaignStyles from '#app/campaigns/campaigns.css'
import { getCampaign, getCampaignPageData } from '#app/campaigns/campaigns.server'
import { campaignMeta } from '#app/campaigns/meta'
import { referralUrl } from '#app/campaigns/share'
import { Thermometer } from '#app/campaigns/thermometer'
import { getLocale } from '#app/i18n/i18n.server'
import type { RouteHandle } from '#app/root'
import { readFormData } from '#app/utils/request.server'
import { SignForm } from '#app/signatures/sign-form'
import { campaignView } from './c.$slug/campaign-view.server'
import { formError, formLocale, signAction } from './c.$slug/sign.server'
import { useNonce } from '#app/utils/nonce-provider'

// The compact page other sites frame (only this path relaxes frame-ancestors; server/security.ts).
// No site header or footer, and plain HTML without the client runtime (see app/root.tsx).
export const handle: RouteHandle = { bare: true, hydrate: false }

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: campaignStyles }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const page = await getCampaignPageData(
    params.slug!,
    locale,
    campaignView(request, `/c/${params.slug}/embed`),
  )
  if (!page) throw new Response('Not found', { status: 404 })
  const search = new URL(request.url).searchParams
  const code = search.get('code')
  return {
    ...page,
    locale,
    signed: search.has('signed'),
    code: code && /^[A-Za-z0-9_-]{6,32}$/.test(code) ? code : undefined,
    publicUrl: new URL(page.canonicalUrl).origin,
  }
}

export const headers = keepRetryAfter

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.slug!
  const requestLocale = await getLocale(request)
  const formData = await readFormData(request)
  const campaign = await getCampaign(slug, formLocale(formData, requestLocale))
  // The embed offers a link to the letter or call flow, never a petition form (a letter needs an
  // address; a call needs the caller's offices and a page to record each call).
  if (campaign?.kind === 'letter') return formError('petitions:errors.letterOnFullPage', 400)
  if (campaign?.kind === 'call') return formError('petitions:errors.callOnFullPage', 400)
  return signAction({
    slug,
    formData,
    requestLocale,
    ip: context?.clientIp ?? null,
    campaign: campaign ?? null,
    embed: true,
  })
}

export const meta: MetaFunction<typeof loader> = ({ data }) => campaignMeta(data)

export default function EmbedRoute() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation('petitions')
  const nonce = useNonce()
  const { campaign, count } = data
  const fullPage = referralUrl(data.publicUrl, campaign.slug, data.code)
  return (
    <article className="embed">
      <h1>{campaign.headline}</h1>
      <Thermometer count={count.total} goal={campaign.goal} />
      {data.signed ? (
        <div role="status">
          <p className="banner banner-ok">{t('thanks.status.signed')}</p>
          <p>
            <a href={fullPage} target="_blank" rel="noopener">
              {t('embed.shareLink')}
            </a>
          </p>
        </div>
      ) : campaign.status === 'live' && campaign.kind !== 'petition' ? (
        <>
          <p>{t(campaign.kind === 'call' ? 'embed.callIntro' : 'embed.letterIntro')}</p>
          <p>
            <a
              className="button"
              href={`${fullPage}${fullPage.includes('?') ? '&' : '?'}lang=${data.locale}`}
              target="_blank"
              rel="noopener"
            >
              {t(campaign.kind === 'call' ? 'embed.makeCalls' : 'embed.writeLetter')}
            </a>
          </p>
        </>
      ) : campaign.status === 'live' ? (
        <SignForm
          lastResult={actionData?.result}
          tracking={data.tracking}
          locale={data.locale}
          formToken={data.formToken}
          turnstileSiteKey={data.turnstileSiteKey}
          compact
        />
      ) : (
        <p className="banner banner-warn">{t('page.closed')}</p>
      )}
      <p className="embed-more">
        <a href={referralUrl(data.publicUrl, campaign.slug)} target="_blank" rel="noopener">
          {t('embed.openFull')}
        </a>
      </p>
      {/* Tells the framing page how tall this page is (public/embed.js resizes the iframe). */}
      <script nonce={nonce} src="/embed-frame.js" defer />
    </article>
  )
}
