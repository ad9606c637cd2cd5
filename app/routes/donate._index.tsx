import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { DonatePage } from '#app/donations/donate-page'
import { donateFromForm, getDonateForm } from '#app/donations/donate-form.server'
import donationStyles from '#app/donations/donations.css'
import { getLocale } from '#app/i18n/i18n.server'
import { keepRetryAfter } from '#app/safety/headers'
import { readFormData } from '#app/utils/request.server'
import { rateLimitRefusal } from '#app/http/rate-limit.server'

// /donate, and /c/:slug/donate for a campaign's own ask (that route re-exports this module).

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: donationStyles }]
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? 'Donate'} · Writ` },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams
  const page = await getDonateForm(params.slug ?? null, await getLocale(request), {
    source: search.get('source'),
    ref: search.get('ref'),
    canceled: search.has('canceled'),
  })
  if (!page) throw new Response('Not found', { status: 404 })
  return page
}

export const headers = keepRetryAfter

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.slug ?? null
  const locale = await getLocale(request)
  const outcome = await donateFromForm(slug, await readFormData(request), {
    locale,
    ip: context?.clientIp ?? null,
  })
  switch (outcome.kind) {
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'honeypot':
      // back to the page, as if nothing happened
      return redirect(slug ? `/c/${slug}/donate` : '/donate', 303)
    case 'too-fast':
      return data(
        { result: { status: 'error' as const, error: { '': ['donations:page.tooFast'] } } },
        { status: 400 },
      )
    case 'invalid':
      return data({ result: outcome.submission.reply() }, { status: 400 })
    case 'unavailable':
      return data(
        { result: outcome.submission.reply({ formErrors: ['donations:page.unavailable'] }) },
        { status: 503, headers: { 'Retry-After': '30' } },
      )
    case 'checkout':
      return redirect(outcome.url, 303)
    case 'limited':
      throw rateLimitRefusal(outcome.decision)
  }
}

export default function Donate() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return <DonatePage key={data.formId} data={data} lastResult={actionData?.result} />
}
