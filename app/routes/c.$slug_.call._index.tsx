import { parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CallStartForm, type CallStartState } from '#app/calls/call-flow'
import callFlowStyles from '#app/calls/call-flow.css'
import { checkCallLimit, startCall } from '#app/calls/calls.server'
import { CallStartSchema, type CallStartValues } from '#app/calls/schema'
import { getCampaign } from '#app/campaigns/campaigns.server'
import { trackingFromUrl } from '#app/campaigns/tracking'
import { rateLimitRefusal } from '#app/http/rate-limit.server'
import { getLocale } from '#app/i18n/i18n.server'
import type { RouteHandle } from '#app/root'
import {
  checkFormTiming,
  FORM_TOKEN_FIELD,
  honeypotFilled,
  issueFormToken,
  TURNSTILE_FIELD,
  verifyTurnstile,
} from '#app/safety/bot-defense.server'
import { keepRetryAfter } from '#app/safety/headers'
import { decoyRefCode } from '#app/signatures/signatures.server'
import { representativesLinks } from '#app/targets/representatives-list'
import { getEnv } from '#app/utils/env.server'
import { readFormData } from '#app/utils/request.server'
import { formLocale } from './c.$slug/sign.server'

// Step 1 of a call campaign (the form on /c/:slug): the caller and their ZIP → their offices.
// Success is a 303 to their call page; errors and a district pick render here. No JS needed.
export const handle: RouteHandle = { hydrate: false }

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: callFlowStyles },
  ...representativesLinks(),
]

export const meta: MetaFunction = () => [{ title: 'Writ' }, { name: 'robots', content: 'noindex' }]

export const headers = keepRetryAfter

export async function loader({ params, request }: LoaderFunctionArgs) {
  const lang = new URL(request.url).searchParams.get('lang')
  return redirect(`/c/${params.slug}${lang ? `?lang=${lang}` : ''}#act-title`, 303)
}

type TrackingField =
  | 'source'
  | 'ref'
  | 'utmSource'
  | 'utmMedium'
  | 'utmCampaign'
  | 'utmTerm'
  | 'utmContent'
  | 'referrerHost'

function valuesOf(formData: FormData): CallStartValues {
  const out: CallStartValues = {}
  for (const k of [
    'firstName',
    'lastName',
    'email',
    'city',
    'zip',
    'street',
    'district',
    'optIn',
  ] as const) {
    const v = formData.get(k)
    if (typeof v === 'string' && v) out[k] = v.slice(0, 300)
  }
  return out
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.slug!
  const formData = await readFormData(request)
  const locale = formLocale(formData, await getLocale(request))
  const ip = context?.clientIp ?? null
  const campaign = await getCampaign(slug, locale)
  if (!campaign || campaign.kind !== 'call') throw data('Not found', { status: 404 })
  const values = valuesOf(formData)
  const reply = (state: Omit<CallStartState, 'values'>, status: number) =>
    data(
      {
        slug,
        locale,
        state: { values, ...state },
        formToken: issueFormToken(),
        turnstileSiteKey: getEnv().TURNSTILE_SITE_KEY ?? null,
      },
      { status },
    )
  if (campaign.status !== 'live') return reply({ errors: { '': ['calls:errors.closed'] } }, 409)
  if (honeypotFilled(formData)) {
    return redirect(
      `/c/${slug}/thanks?signed=1&code=${encodeURIComponent(decoyRefCode())}&lang=${locale}`,
      303,
    )
  }
  if (checkFormTiming(formData.get(FORM_TOKEN_FIELD)) !== 'ok') {
    return reply({ errors: { '': ['calls:errors.tooFast'] } }, 400)
  }
  const turnstile = await verifyTurnstile(formData.get(TURNSTILE_FIELD), ip)
  if (turnstile === 'failed') return reply({ errors: { '': ['letters:errors.turnstile'] } }, 400)
  if (turnstile === 'unavailable') {
    throw data('The check that you are a person is unavailable. Please retry shortly.', {
      status: 503,
      headers: { 'Retry-After': '30' },
    })
  }
  const submission = parseWithZod(formData, { schema: CallStartSchema })
  const limit = await checkCallLimit({
    action: 'sign',
    ip: ip ?? 'unknown',
    email: submission.status === 'success' ? submission.value.email : null,
  })
  if (!limit.allowed) throw rateLimitRefusal(limit)
  if (submission.status !== 'success') {
    const errors: Record<string, string[]> = {}
    for (const [k, v] of Object.entries(submission.reply().error ?? {}))
      if (v?.length) errors[k] = v
    return reply({ errors }, 400)
  }
  const tracking = trackingFromUrl(new URL(request.url), null)
  const field = (k: TrackingField, max: number) => {
    const v = formData.get(k)
    return typeof v === 'string' && v ? v.slice(0, max) : undefined
  }
  const result = await startCall({
    campaign,
    caller: submission.value,
    signer: {
      source: field('source', 100) ?? tracking.source,
      ref: field('ref', 32) ?? tracking.ref,
      utmSource: field('utmSource', 200),
      utmMedium: field('utmMedium', 200),
      utmCampaign: field('utmCampaign', 200),
      utmTerm: field('utmTerm', 200),
      utmContent: field('utmContent', 200),
      referrerHost: field('referrerHost', 255),
    },
    locale,
    ip,
  })
  switch (result.status) {
    case 'started':
      return redirect(
        `/c/${slug}/call/${result.token}${locale === 'en' ? '' : `?lang=${locale}`}`,
        303,
      )
    case 'ambiguous':
      return reply(
        { errors: {}, candidates: result.candidates, senatorsOnly: result.senatorsOnly },
        200,
      )
    case 'closed':
      return reply({ errors: { '': ['calls:errors.closed'] } }, 409)
    case 'not_found':
      return reply({ errors: { zip: ['calls:errors.notFound'] } }, 400)
    case 'bad_address':
      return reply({ errors: { street: ['calls:errors.badAddress'] } }, 400)
    case 'no_targets':
      return reply({ errors: { '': ['calls:errors.noTargets'] } }, 409)
    case 'unavailable':
      throw data('The representative lookup is unavailable. Please retry shortly.', {
        status: 503,
        headers: { 'Retry-After': '5' },
      })
  }
}

export default function CallStartRoute() {
  const result = useActionData<typeof action>()
  const { t } = useTranslation('calls')
  if (!result) return null
  return (
    <article className="call-flow" aria-labelledby="call-start-page-title">
      <h1 id="call-start-page-title">{t('start.title')}</h1>
      {result.state.candidates?.length ? <p>{t('start.pickTitle')}</p> : null}
      <CallStartForm
        slug={result.slug}
        state={result.state}
        locale={result.locale}
        defenses={{ formToken: result.formToken, turnstileSiteKey: result.turnstileSiteKey }}
      />
    </article>
  )
}
