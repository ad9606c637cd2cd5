import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import type { Locale } from '#app/i18n/config'
import type { CampaignPage } from '#app/campaigns/campaigns.server'
import { cleanParam, trackingFromUrl } from '#app/campaigns/tracking'
import {
  getLetterCampaignForWriting,
  type LetterCampaignForWriting,
} from '#app/letters/letters.server'
import {
  FLOW_TEXT_FIELDS,
  constituentSchema,
  letterFormSchema,
  type FlowErrors,
  type FlowState,
  type FlowValues,
} from '#app/letters/schema'
import { sendLetter } from '#app/letters/submit-letter.server'
import {
  checkLinkDistrict,
  resolveTargets,
  type ResolvedTargets,
} from '#app/letters/targets.server'
import {
  checkFormTiming,
  FORM_TOKEN_FIELD,
  honeypotFilled,
  TURNSTILE_FIELD,
  verifyTurnstile,
} from '#app/safety/bot-defense.server'
import { enforceRateLimit } from '#app/http/rate-limit.server'
import type { SignInput } from '#app/signatures/schema'
import { decoyRefCode } from '#app/signatures/signatures.server'
import { getSql } from '#db/client'

// The letter flow on /c/:slug as plain form POSTs (no client JS needed), mapped onto its steps:
//   1. intent=lookup: name, email and full address → their offices (or the districts to pick)
//   2. intent=send: the letter → one transaction: signature, letter, one delivery per office
// Each answer is the next step's state (200), field errors (400), a pick (ambiguous district:
// nothing stored), or a 303 to the thank-you page. See docs/decisions/0310-letter-flow.md.

/** Control characters but tab and newlines, which a letter keeps. */
// eslint-disable-next-line no-control-regex
const MESSAGE_CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g

/**
 * Deep link: /c/:slug?firstName=…&lastName=…&zip=…&street=…&city=…&state=…&message=…&district=MT-1
 * prefills; nothing is
 * sent. The district is kept only when it is one in our data and agrees with the link's state
 * and ZIP (ADR 0907).
 */
export async function prefillFromUrl(url: URL, editable: boolean): Promise<FlowValues> {
  const values = textPrefill(url, editable)
  const linkDistrict = await checkLinkDistrict(cleanParam(url.searchParams.get('district'), 6), {
    zip: values.zip,
    state: values.state,
  })
  return linkDistrict ? { ...values, linkDistrict } : values
}

function textPrefill(url: URL, editable: boolean): FlowValues {
  const p = url.searchParams
  const pick = (k: string, max: number) => cleanParam(p.get(k), max)
  const values: FlowValues = {
    // a partner's merge tags, as on a petition link (ADR 0908)
    firstName: pick('firstName', 100),
    lastName: pick('lastName', 100),
    zip: pick('zip', 10),
    street: pick('street', 200),
    city: pick('city', 100),
    state: pick('state', 2)?.toUpperCase(),
  }
  if (editable) {
    values.subject = pick('subject', 200)
    values.message =
      p.get('message')?.replace(MESSAGE_CONTROL_CHARS, '').slice(0, 20_000) || undefined
  }
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v)) as FlowValues
}

function valuesOf(formData: FormData): FlowValues {
  const values: FlowValues = {}
  for (const name of FLOW_TEXT_FIELDS) {
    const v = formData.get(name)
    if (typeof v === 'string' && v !== '') values[name] = v.slice(0, 20_000)
  }
  if (formData.get('optIn') === 'on') values.optIn = 'on'
  return values
}

function errorsOf(error: Record<string, string[] | null> | null | undefined): FlowErrors {
  const out: FlowErrors = {}
  for (const [k, v] of Object.entries(error ?? {})) if (v?.length) out[k] = v
  return out
}

const state = (s: FlowState, status = 200) => data({ flow: s }, { status })

/** The letter campaign's POST; `campaign` is its one public read, in `locale` (the form's). */
export async function letterAction({
  slug,
  url,
  formData,
  campaign,
  locale,
  ip,
}: {
  slug: string
  url: URL
  formData: FormData
  campaign: CampaignPage
  locale: Locale
  ip: string | null
}) {
  const writing = await getLetterCampaignForWriting(slug, locale)
  if (!writing) throw new Response('Not found', { status: 404 })
  const values = valuesOf(formData)
  const rawIntent = formData.get('intent')
  const intent = rawIntent === 'send' ? 'send' : rawIntent === 'edit' ? 'edit' : 'lookup'
  if (writing.campaign.status !== 'live') {
    return state({ step: 'address', values, errors: { '': ['letters:errors.closed'] } }, 409)
  }

  // Bots that fill the hidden field get what people get, and nothing is stored.
  if (honeypotFilled(formData)) {
    return redirect(
      `/c/${slug}/thanks?signed=1&code=${encodeURIComponent(decoyRefCode())}&lang=${locale}`,
      303,
    )
  }

  // "Change my address": back to step 1 with what they typed.
  if (intent === 'edit') {
    // …and without the link's district: a writer who changes the address is placed by it.
    const { district: _drop, linkDistrict: _link, ...rest } = values
    return state({ step: 'address', values: rest, errors: {} })
  }

  // Like every public form (docs/decisions/0601-bot-defenses.md): form timing, Turnstile, the
  // rate limit, and only then an outside call (the Census geocoder). A refusal stores nothing.
  if (checkFormTiming(formData.get(FORM_TOKEN_FIELD)) !== 'ok') {
    return state({ step: 'address', values, errors: { '': ['letters:errors.tooFast'] } }, 400)
  }
  const turnstile = await verifyTurnstile(formData.get(TURNSTILE_FIELD), ip)
  if (turnstile === 'failed') {
    return state({ step: 'address', values, errors: { '': ['letters:errors.turnstile'] } }, 400)
  }
  if (turnstile === 'unavailable') {
    throw data('The check that you are a person is unavailable. Please retry shortly.', {
      status: 503,
      headers: { 'Retry-After': '30' },
    })
  }

  const editable = writing.campaign.letterEditable
  // Step 1 checks the supporter and address; the send step checks the letter too.
  const schema =
    intent === 'send'
      ? letterFormSchema({ editable, maxLength: writing.campaign.letterMaxLength })
      : constituentSchema
  const submission = parseWithZod(formData, { schema })
  // Each step calls the geocoder: the lookup limit applies to it as to /representatives, the
  // letter limit (per IP and email) to sending. Counted before validation too, so that a flood
  // of junk is limited like a flood of letters.
  const email = submission.status === 'success' ? submission.value.email : null
  await enforceRateLimit(
    getSql(),
    intent === 'send'
      ? { action: 'letter', ip: ip ?? 'unknown', email }
      : { action: 'lookup', ip: ip ?? 'unknown' },
  )
  if (submission.status !== 'success') {
    const errors = errorsOf(submission.reply().error)
    const addressBad = Object.keys(errors).some((k) => k !== 'subject' && k !== 'message')
    if (intent === 'send' && !addressBad) {
      // The address was fine: show the letter step again with the letter's errors.
      const resolved = await resolveFromValues(writing, values, locale)
      if (resolved.kind === 'resolved') {
        return state({ step: 'letter', values, errors, shown: resolved.shown }, 400)
      }
    }
    return state({ step: 'address', values, errors }, 400)
  }
  const c = submission.value
  const address = { street: c.street, city: c.city, state: c.state, zip: c.zip }

  const resolved = await resolveTargets(
    writing,
    address,
    values.district,
    locale,
    values.linkDistrict,
  )
  switch (resolved.kind) {
    case 'bad_address':
      return state({ step: 'address', values, errors: { street: ['letters:errors.address'] } }, 400)
    case 'unavailable':
      throw data('The representative lookup is unavailable. Please retry shortly.', {
        status: 503,
        headers: { 'Retry-After': '5' },
      })
    case 'ambiguous': {
      const { district: _drop, ...rest } = values
      return state(
        {
          step: 'pick',
          values: rest,
          errors: {},
          candidates: resolved.candidates,
          senatorsOnly: resolved.senatorsOnly,
          reason: resolved.reason,
        },
        intent === 'send' ? 409 : 200,
      )
    }
    case 'not_found':
      return state(
        {
          step: 'address',
          values,
          errors: { street: ['letters:errors.notFound'] },
          reason: resolved.reason,
        },
        400,
      )
  }
  if (resolved.targets.length === 0) {
    return state(
      {
        step: 'address',
        values,
        errors: {
          '': [
            resolved.note === 'notOnCommittee'
              ? 'letters:errors.notOnCommittee'
              : 'letters:errors.noTargets',
          ],
        },
        shown: resolved.shown,
      },
      409,
    )
  }

  if (intent === 'lookup') {
    return state({ step: 'letter', values, errors: {}, shown: resolved.shown, note: resolved.note })
  }

  // Send.
  const submitted = c as { subject?: string; message?: string }
  const outcome = await sendLetter({
    campaign,
    writing,
    constituent: c,
    submitted: { subject: submitted.subject, message: submitted.message },
    signer: signerOf(c, values, locale, url),
    targets: resolved.targets,
    locale,
    ip,
  })
  switch (outcome.status) {
    case 'too-long':
      return state(
        {
          step: 'letter',
          values,
          errors: { message: ['letters:errors.messageTooLong'] },
          shown: resolved.shown,
        },
        400,
      )
    case 'already-signed':
      // The petition's thank-you, as a first signer sees it (no `already`): no second letter.
      return redirect(
        `/c/${slug}/thanks?signed=1&code=${encodeURIComponent(decoyRefCode())}&lang=${locale}`,
        303,
      )
    case 'sent':
      return redirect(`/c/${slug}/sent/${outcome.letter.statusToken}?lang=${locale}`, 303)
  }
}

/** The signature a letter records: the supporter, and where they came from. */
function signerOf(
  c: { firstName: string; lastName: string; email: string } & Record<
    'zip' | 'street' | 'city' | 'state',
    string
  >,
  values: FlowValues,
  locale: Locale,
  url: URL,
): SignInput {
  const tracking = trackingFromUrl(url, null)
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    zip: c.zip,
    street: c.street,
    city: c.city,
    state: c.state,
    optIn: values.optIn === 'on',
    anonymous: false,
    locale,
    source: values.source?.slice(0, 100) ?? tracking.source,
    ref: values.ref?.slice(0, 32) ?? tracking.ref,
    utmSource: values.utmSource?.slice(0, 200),
    utmMedium: values.utmMedium?.slice(0, 200),
    utmCampaign: values.utmCampaign?.slice(0, 200),
    utmTerm: values.utmTerm?.slice(0, 200),
    utmContent: values.utmContent?.slice(0, 200),
    referrerHost: values.referrerHost?.slice(0, 255),
  }
}

async function resolveFromValues(
  writing: LetterCampaignForWriting,
  values: FlowValues,
  locale: Locale,
): Promise<ResolvedTargets> {
  const parsed = constituentSchema.safeParse(values)
  if (!parsed.success) return { kind: 'not_found' }
  return resolveTargets(writing, parsed.data, values.district, locale, values.linkDistrict)
}
