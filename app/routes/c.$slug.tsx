import { keepRetryAfter } from '#app/safety/headers'
import type {
  LinksFunction,
  LoaderFunctionArgs,
  ActionFunctionArgs,
  MetaFunction,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { getLocale } from '#app/i18n/i18n.server'
import { LetterCampaignSection } from '#app/letters/letter-campaign-section'
import { CampaignPage } from '#app/petitions/campaign-page'
import { campaignMeta } from '#app/petitions/meta'
import { getCampaignPageData } from '#app/petitions/petitions.server'
import { handleSignAction } from '#app/petitions/sign-action.server'
import { SignForm } from '#app/petitions/sign-form'
import petitionStyles from '#app/petitions/petitions.css'
import type { RouteHandle } from '#app/root'

// Plain HTML: this page works fully without the client runtime, so it ships none
// (docs/decisions/0104-no-hydration-on-supporter-pages.md).
export const handle: RouteHandle = { hydrate: false }

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: petitionStyles }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const page = await getCampaignPageData(request, params.slug!, locale, {
    path: `/c/${params.slug}`,
  })
  if (!page) throw new Response('Not found', { status: 404 })
  return { ...page, locale }
}

export const headers = keepRetryAfter

export async function action({ request, params, context }: ActionFunctionArgs) {
  return handleSignAction(request, params.slug!, context)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => campaignMeta(data)

export default function CampaignRoute() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const formProps = {
    lastResult: actionData?.result,
    tracking: data.tracking,
    locale: data.locale,
    formToken: data.formToken,
    turnstileSiteKey: data.turnstileSiteKey,
  }
  return (
    <CampaignPage
      data={data}
      action={
        data.campaign.kind === 'letter' ? (
          <LetterCampaignSection {...formProps} />
        ) : (
          <SignForm {...formProps} />
        )
      }
    />
  )
}
