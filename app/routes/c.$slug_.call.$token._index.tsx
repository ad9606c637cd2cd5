import { parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { CallPageView } from '#app/calls/call-flow'
import callFlowStyles from '#app/calls/call-flow.css'
import { checkCallLimit, getCallPage, recordCallOutcome } from '#app/calls/calls.server'
import { startPatchThrough } from '#app/calls/patch-through.server'
import { CallMeSchema, OutcomeSchema } from '#app/calls/schema'
import { getLocale, getServerT } from '#app/i18n/i18n.server'
import type { RouteHandle } from '#app/root'
import { rateLimitRefusal } from '#app/http/rate-limit.server'
import { representativesLinks } from '#app/targets/representatives-list'
import { readFormData } from '#app/utils/request.server'

// The call page: each office with its script and numbers, and one tap per call for how it went.
// The token in the URL is the key to this visit. Plain forms: no JS needed.
export const handle: RouteHandle = { hydrate: false }

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: callFlowStyles },
  ...representativesLinks(),
]

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? 'Writ'} · Writ` },
  { name: 'robots', content: 'noindex' },
]

const PRIVATE = { 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const page = await getCallPage(params.slug ?? '', params.token ?? '', locale)
  if (!page) throw data('Not found', { status: 404 })
  const notice = new URL(request.url).searchParams.get('notice')
  return data(
    {
      page,
      locale,
      title: getServerT(locale)('calls:page.metaTitle'),
      notice: notice === 'callMeStarted' ? ('callMeStarted' as const) : null,
    },
    { headers: PRIVATE },
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.slug ?? ''
  const token = params.token ?? ''
  const locale = await getLocale(request)
  const formData = await readFormData(request)
  const lang = locale === 'en' ? '' : `lang=${locale}`
  if (formData.get('intent') === 'callme') {
    const submission = parseWithZod(formData, { schema: CallMeSchema })
    const limit = await checkCallLimit({ action: 'lookup', ip: context?.clientIp ?? 'unknown' })
    if (!limit.allowed) throw rateLimitRefusal(limit)
    if (submission.status !== 'success') {
      return data(
        { notice: null, errors: { phone: ['calls:errors.phone'] } },
        { status: 400, headers: PRIVATE },
      )
    }
    const result = await startPatchThrough({ slug, token, phone: submission.value.phone, locale })
    switch (result.status) {
      case 'not_found':
        throw data('Not found', { status: 404 })
      case 'unavailable':
        return data(
          { notice: 'callMeFailed' as const, errors: {} },
          { status: 409, headers: PRIVATE },
        )
      case 'limited':
        return data(
          { notice: 'callMeLimit' as const, errors: {} },
          { status: 429, headers: PRIVATE },
        )
      case 'failed':
        throw data('The calling service is unavailable. Please retry shortly.', {
          status: 503,
          headers: { 'Retry-After': '30' },
        })
      case 'started':
        return redirect(
          `/c/${slug}/call/${token}?notice=callMeStarted${lang ? `&${lang}` : ''}`,
          303,
        )
    }
  }
  const submission = parseWithZod(formData, { schema: OutcomeSchema })
  if (submission.status !== 'success') throw data('Choose how the call went.', { status: 400 })
  const result = await recordCallOutcome({
    slug,
    token,
    officeKey: submission.value.office,
    outcome: submission.value.outcome,
  })
  if (result.status === 'not_found') throw data('Not found', { status: 404 })
  if (result.status === 'unknown_office')
    throw data('That office is not on this call list.', { status: 400 })
  // Back to the page, at the next office (303: a reload never posts again).
  const page = await getCallPage(slug, token, locale)
  const index = page?.offices.findIndex((o) => o.officeKey === result.next) ?? -1
  const anchor = index >= 0 ? `#office-${index + 1}` : '#call-title'
  return redirect(`/c/${slug}/call/${token}${lang ? `?${lang}` : ''}${anchor}`, 303)
}

export default function CallRoute() {
  const { page, locale, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <CallPageView
      page={page}
      locale={locale}
      notice={actionData?.notice ?? notice}
      errors={actionData?.errors}
    />
  )
}
