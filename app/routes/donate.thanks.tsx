import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { ThanksPage } from '#app/donations/donate-page'
import { getDonateThanks } from '#app/donations/donate-form.server'
import donationStyles from '#app/donations/donations.css'
import { rateLimitRefusal } from '#app/http/rate-limit.server'
import { getLocale } from '#app/i18n/i18n.server'

// /donate/thanks, and /c/:slug/donate/thanks (that route re-exports this module).

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: donationStyles }]
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? 'Thank you'} · Writ` },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const sessionId = new URL(request.url).searchParams.get('session_id')
  const page = await getDonateThanks(params.slug ?? null, await getLocale(request), sessionId, {
    ip: context?.clientIp ?? null,
  })
  if (!page) throw new Response('Not found', { status: 404 })
  if ('decision' in page && page.decision) throw rateLimitRefusal(page.decision)
  return page
}

export default function DonateThanks() {
  return <ThanksPage data={useLoaderData<typeof loader>()} />
}
