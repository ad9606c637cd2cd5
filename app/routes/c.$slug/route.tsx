import { keepRetryAfter } from '#app/safety/headers'
import type {
  LinksFunction,
  LoaderFunctionArgs,
  ActionFunctionArgs,
  MetaFunction,
} from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { CampaignPage } from '#app/campaigns/campaign-page'
import campaignStyles from '#app/campaigns/campaigns.css'
import { getCampaign, getCampaignPageData } from '#app/campaigns/campaigns.server'
import { campaignMeta } from '#app/campaigns/meta'
import { getLocale } from '#app/i18n/i18n.server'
import { CallStartForm } from '#app/calls/call-flow'
import callFlowStyles from '#app/calls/call-flow.css'
import { LetterFlow } from '#app/letters/letter-flow'
import letterFlowStyles from '#app/letters/letter-flow.css'
import { getLetterCampaignForWriting } from '#app/letters/letters.server'
import type { RouteHandle } from '#app/root'
import { readFormData } from '#app/utils/request.server'
import { SignForm } from '#app/signatures/sign-form'
import { signPrefillFromUrl } from '#app/signatures/prefill'
import { representativesLinks } from '#app/targets/representatives-list'
import { campaignView } from './campaign-view.server'
import { letterAction, prefillFromUrl } from './letter-steps.server'
import { formLocale, signAction } from './sign.server'

// Plain HTML: this page works fully without the client runtime, so it ships none
// (docs/decisions/0104-no-hydration-on-supporter-pages.md).
export const handle: RouteHandle = { hydrate: false }

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: campaignStyles },
  { rel: 'stylesheet', href: letterFlowStyles },
  { rel: 'stylesheet', href: callFlowStyles },
  ...representativesLinks(),
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const page = await getCampaignPageData(
    params.slug!,
    locale,
    campaignView(request, `/c/${params.slug}`),
  )
  if (!page) throw new Response('Not found', { status: 404 })
  if (page.campaign.kind !== 'letter') {
    // Petition deep links fill the sign form (ADR 0908); nothing is signed on a GET.
    const signPrefill = signPrefillFromUrl(new URL(request.url))
    return { ...page, locale, letter: null, prefill: {}, signPrefill }
  }
  // The letter flow (docs/decisions/0310-letter-flow.md); deep links prefill it, never send.
  const writing = await getLetterCampaignForWriting(params.slug!, locale)
  const editable = writing?.campaign.letterEditable ?? false
  return {
    ...page,
    locale,
    letter: writing
      ? {
          editable,
          maxLength: writing.campaign.letterMaxLength,
          suggested: writing.suggested,
          groups: {
            officials: Boolean(writing.copies.officials && writing.customTargets.length),
            thanks: Boolean(writing.copies.thanks && writing.copies.thanksBioguides.length),
          },
        }
      : null,
    prefill: await prefillFromUrl(new URL(request.url), editable),
    signPrefill: {},
  }
}

export const headers = keepRetryAfter

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.slug!
  const requestLocale = await getLocale(request)
  const formData = await readFormData(request)
  const locale = formLocale(formData, requestLocale)
  const ip = context?.clientIp ?? null
  // One campaign read (cached for a second) decides: a letter, or a signature. Without a public
  // campaign the sign action answers, as it would for a bot, and then with a 404.
  const campaign = await getCampaign(slug, locale)
  // A call campaign's form posts to /c/:slug/call; nothing is signed here.
  if (campaign?.kind === 'call') return redirect(`/c/${slug}#act-title`, 303)
  if (campaign?.kind === 'letter') {
    return letterAction({ slug, url: new URL(request.url), formData, campaign, locale, ip })
  }
  return signAction({ slug, formData, requestLocale, ip, campaign: campaign ?? null })
}

export const meta: MetaFunction<typeof loader> = ({ data }) => campaignMeta(data)

export default function CampaignRoute() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const lastResult = actionData && 'result' in actionData ? actionData.result : undefined
  const flow = actionData && 'flow' in actionData ? actionData.flow : undefined
  const formProps = {
    lastResult,
    tracking: data.tracking,
    locale: data.locale,
    formToken: data.formToken,
    turnstileSiteKey: data.turnstileSiteKey,
  }
  return (
    <CampaignPage
      data={data}
      action={
        data.campaign.kind === 'call' ? (
          // The call flow posts to its own route, /c/:slug/call (app/calls/).
          <CallStartForm
            slug={data.campaign.slug}
            tracking={data.tracking}
            locale={data.locale}
            defenses={{ formToken: data.formToken, turnstileSiteKey: data.turnstileSiteKey }}
          />
        ) : data.campaign.kind === 'letter' && data.letter ? (
          <LetterFlow
            letter={data.letter}
            flow={flow}
            prefill={data.prefill}
            tracking={data.tracking}
            locale={data.locale}
            defenses={{ formToken: data.formToken, turnstileSiteKey: data.turnstileSiteKey }}
          />
        ) : (
          <SignForm {...formProps} prefill={data.signPrefill} />
        )
      }
    />
  )
}
