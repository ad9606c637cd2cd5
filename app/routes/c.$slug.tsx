import { keepRetryAfter } from '#app/safety/headers'
import type {
  LinksFunction,
  LoaderFunctionArgs,
  ActionFunctionArgs,
  MetaFunction,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { getLocale } from '#app/i18n/i18n.server'
import { handleLetterAction, prefillFromUrl } from '#app/letters/flow.server'
import { LetterFlow } from '#app/letters/letter-flow'
import letterFlowStyles from '#app/letters/letter-flow.css'
import { getLetterCampaignForWriting } from '#app/letters/letters.server'
import { CampaignPage } from '#app/petitions/campaign-page'
import { campaignMeta } from '#app/petitions/meta'
import { campaignKindOf, getCampaignPageData } from '#app/petitions/petitions.server'
import { handleSignAction } from '#app/petitions/sign-action.server'
import { SignForm } from '#app/petitions/sign-form'
import petitionStyles from '#app/petitions/petitions.css'
import type { RouteHandle } from '#app/root'
import { representativesLinks } from '#app/targets/representatives-list'

// Plain HTML: this page works fully without the client runtime, so it ships none
// (docs/decisions/0104-no-hydration-on-supporter-pages.md).
export const handle: RouteHandle = { hydrate: false }

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: petitionStyles },
  { rel: 'stylesheet', href: letterFlowStyles },
  ...representativesLinks(),
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const page = await getCampaignPageData(request, params.slug!, locale, {
    path: `/c/${params.slug}`,
  })
  if (!page) throw new Response('Not found', { status: 404 })
  if (page.campaign.kind !== 'letter') return { ...page, locale, letter: null, prefill: {} }
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
        }
      : null,
    prefill: prefillFromUrl(new URL(request.url), editable),
  }
}

export const headers = keepRetryAfter

export async function action({ request, params, context }: ActionFunctionArgs) {
  // A petition (most POSTs at viral load) skips the letter flow's campaign lookup.
  if ((await campaignKindOf(params.slug!, await getLocale(request))) === 'petition')
    return handleSignAction(request, params.slug!, context)
  const letter = await handleLetterAction(request, params.slug!, context)
  return letter ?? handleSignAction(request, params.slug!, context)
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
        data.campaign.kind === 'letter' && data.letter ? (
          <LetterFlow
            letter={data.letter}
            flow={flow}
            prefill={data.prefill}
            tracking={data.tracking}
            locale={data.locale}
          />
        ) : (
          <SignForm {...formProps} />
        )
      }
    />
  )
}
