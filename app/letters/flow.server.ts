import { parseWithZod } from '@conform-to/zod/v4'
import { readFormData } from '#app/safety/request.server'
import { data, redirect, type AppLoadContext } from '@remix-run/node'
import { getLocale, getServerT } from '#app/i18n/i18n.server'
import { isLocale, type Locale } from '#app/i18n/config'
import { recordSignature } from '#app/petitions/petitions.server'
import { cleanParam, HONEYPOT_FIELD, trackingFromUrl, type SignInput } from '#app/petitions/schema'
import { enforceRateLimit } from '#app/safety/rate-limit.server'
import {
  lookupByAddress,
  lookupByZip,
  LookupInputError,
  resolveZipCandidate,
  type LookupResult,
  type Representative,
} from '#app/targets/lookup.server'
import { getSql } from '#db/client'
import { getPublicCampaign } from '#db/queries/petitions'
import {
  createLetter,
  getLetterCampaignForWriting,
  getLetterStatus,
  LetterError,
  resolveLetterText,
  type DeliveryTarget,
  type LetterCampaignForWriting,
} from './letters.server'
import {
  FLOW_TEXT_FIELDS,
  SENATORS_ONLY,
  constituentSchema,
  letterFormSchema,
  type FlowErrors,
  type FlowState,
  type FlowValues,
  type ShownTarget,
} from './schema'

// The supporter's letter flow on /c/:slug, as plain form POSTs (no client JS needed):
//   1. intent=lookup: name, email and full address → their offices (or the districts to pick)
//   2. intent=send: the letter → one transaction: signature, letter, one delivery per office
// Targets are resolved again at send time from current officeholder data, never from the form.
// See docs/decisions/0310-letter-flow.md.

type TargetConfig = LetterCampaignForWriting['campaign']['targetConfig']

export type ResolvedTargets =
  | {
      kind: 'resolved'
      /** what the supporter sees: their legislators (vacant seats included) and custom targets */
      shown: ShownTarget[]
      /** what gets a delivery row: no vacant seats */
      targets: DeliveryTarget[]
      note?: string
    }
  | {
      kind: 'ambiguous'
      candidates: Array<{ value: string; state: string; district: string; name: string | null }>
      /** the state's Senators are certain even when the House district is not */
      senatorsOnly: boolean
      reason?: string
    }
  | { kind: 'not_found'; reason?: string }

const FEDERAL = ['house', 'senate'] as const

function wantsChamber(config: TargetConfig, chamber: Representative['chamber']) {
  switch (chamber) {
    case 'house':
      return Boolean(config.house)
    case 'senate':
      return Boolean(config.senate)
    case 'state_upper':
      return Boolean(config.stateUpper)
    case 'state_lower':
      return Boolean(config.stateLower)
  }
}

/** How a letter addresses the office holder, in the letter's language. */
function titleFor(rep: Representative, locale: Locale) {
  return getServerT(locale)(`letters:titles.${rep.chamber}`)
}

export function representativeToDeliveryTarget(
  rep: Representative,
  locale: Locale,
): DeliveryTarget {
  return {
    officeKey: rep.officeId,
    name: rep.name,
    title: titleFor(rep, locale),
    chamber: rep.chamber,
    state: rep.state,
    district: rep.district,
    cwcCode: rep.cwcCode,
    email: rep.office.email,
  }
}

/**
 * The offices a letter from this address goes to, from the current officeholder data. A ZIP in
 * several districts is never guessed: without a placeable address, the supporter picks a listed
 * district or writes to the Senators only.
 */
export async function resolveTargets(
  writing: LetterCampaignForWriting,
  address: { street: string; city: string; state: string; zip: string },
  district: string | undefined,
  locale: Locale,
): Promise<ResolvedTargets> {
  const config = writing.campaign.targetConfig ?? {}
  const custom: ShownTarget[] = writing.customTargets.map((t) => ({
    officeKey: t.officeKey,
    name: t.name,
    title: t.title,
    chamber: null,
    state: null,
    district: null,
    party: null,
    photoUrl: null,
    vacant: false,
  }))
  const needsLookup = FEDERAL.some((c) => config[c]) || config.stateUpper || config.stateLower
  if (!needsLookup) {
    return { kind: 'resolved', shown: custom, targets: writing.customTargets }
  }

  let result: LookupResult
  let senatorsOnly = false
  if (district === SENATORS_ONLY) {
    result = await lookupByZip(address.zip)
    senatorsOnly = true
  } else if (district) {
    result = await resolveZipCandidate(address.zip, district)
  } else {
    result = await lookupByAddress(address, {
      includeState: Boolean(config.stateUpper || config.stateLower),
    })
  }

  if (senatorsOnly) {
    // Only when the ZIP lies in one state are its Senators certain.
    if (!result.state || result.state !== address.state) return { kind: 'not_found' }
  } else if (result.status === 'ambiguous') {
    return {
      kind: 'ambiguous',
      candidates: (result.candidates ?? []).map((c) => ({
        value: `${c.state}-${c.district}`,
        state: c.state,
        district: c.district,
        name: c.representative && !c.representative.vacant ? c.representative.name : null,
      })),
      senatorsOnly: Boolean(result.state) && result.representatives.length > 0,
      reason: result.reason,
    }
  } else if (result.status === 'not_found') {
    return { kind: 'not_found', reason: result.reason }
  }

  const reps = result.representatives.filter(
    (r) => wantsChamber(config, r.chamber) && (!senatorsOnly || r.chamber === 'senate'),
  )
  const shown: ShownTarget[] = [
    ...reps.map((r) => ({
      officeKey: r.officeId,
      name: r.vacant ? '' : r.name,
      title: titleFor(r, locale),
      chamber: r.chamber,
      state: r.state,
      district: r.district,
      party: r.party,
      photoUrl: r.photoUrl,
      vacant: Boolean(r.vacant),
    })),
    ...custom,
  ]
  const targets = [
    ...reps.filter((r) => !r.vacant).map((r) => representativeToDeliveryTarget(r, locale)),
    ...writing.customTargets,
  ]
  return {
    kind: 'resolved',
    shown,
    targets,
    note: senatorsOnly ? 'senatorsOnly' : result.reason,
  }
}

/** Deep link: /c/:slug?zip=…&street=…&city=…&state=…&message=… prefills; nothing is sent. */
/** Control characters but tab and newlines, which a letter keeps. */
// eslint-disable-next-line no-control-regex
const MESSAGE_CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g

export function prefillFromUrl(url: URL, editable: boolean): FlowValues {
  const p = url.searchParams
  const pick = (k: string, max: number) => cleanParam(p.get(k), max)
  const values: FlowValues = {
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

/**
 * The letter flow's POST (null when the campaign is not a letter campaign). Returns the next step's state (200), field errors (400), a pick
 * (ambiguous district: nothing stored), or a 303 to the thank-you page after one transaction.
 */
export async function handleLetterAction(
  request: Request,
  slug: string,
  context: AppLoadContext | undefined,
) {
  const requestLocale = await getLocale(request)
  // Not a letter campaign: the caller signs it as a petition.
  let writing = await getLetterCampaignForWriting(slug, requestLocale)
  if (!writing) return null
  if (writing.campaign.status === 'draft') throw new Response('Not found', { status: 404 })

  const formData = await readFormData(request)
  const values = valuesOf(formData)
  const locale: Locale = isLocale(values.locale ?? '') ? (values.locale as Locale) : requestLocale
  if (locale !== requestLocale)
    writing = (await getLetterCampaignForWriting(slug, locale)) ?? writing
  const rawIntent = formData.get('intent')
  const intent = rawIntent === 'send' ? 'send' : rawIntent === 'edit' ? 'edit' : 'lookup'
  if (writing.campaign.status !== 'live') {
    return state({ step: 'address', values, errors: { '': ['letters:errors.closed'] } }, 409)
  }

  // Bots that fill the hidden field get what people get, and nothing is stored.
  const honeypot = formData.get(HONEYPOT_FIELD)
  if (typeof honeypot === 'string' && honeypot.trim() !== '') {
    return redirect(`/c/${slug}/thanks?signed=1&lang=${locale}`, 303)
  }

  // "Change my address": back to step 1 with what they typed.
  if (intent === 'edit') {
    const { district: _drop, ...rest } = values
    return state({ step: 'address', values: rest, errors: {} })
  }

  const editable = writing.campaign.letterEditable
  // Step 1 checks the supporter and address; the send step checks the letter too.
  const schema =
    intent === 'send'
      ? letterFormSchema({ editable, maxLength: writing.campaign.letterMaxLength })
      : constituentSchema
  const submission = parseWithZod(formData, { schema })
  if (submission.status !== 'success') {
    const errors = errorsOf(submission.reply().error)
    const addressBad = Object.keys(errors).some((k) => k !== 'subject' && k !== 'message')
    if (intent === 'send' && !addressBad) {
      // The address was fine: show the letter step again with the letter's errors.
      const resolved = await resolveSafely(writing, values, locale)
      if (resolved.kind === 'resolved') {
        return state({ step: 'letter', values, errors, shown: resolved.shown }, 400)
      }
    }
    return state({ step: 'address', values, errors }, 400)
  }
  const c = submission.value
  const address = { street: c.street, city: c.city, state: c.state, zip: c.zip }
  const district = values.district

  // Each step calls the geocoder: the lookup limit applies to it as to /representatives.
  if (intent === 'lookup') {
    await enforceRateLimit(getSql(), { action: 'lookup', ip: context?.clientIp ?? 'unknown' })
  }
  let resolved: ResolvedTargets
  try {
    resolved = await resolveTargets(writing, address, district, locale)
  } catch (error) {
    if (error instanceof LookupInputError) {
      return state({ step: 'address', values, errors: { street: ['letters:errors.address'] } }, 400)
    }
    console.error('[letters] target lookup failed', error)
    throw data('The representative lookup is unavailable. Please retry shortly.', {
      status: 503,
      headers: { 'Retry-After': '5' },
    })
  }

  if (resolved.kind === 'ambiguous') {
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
  if (resolved.kind === 'not_found') {
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
        errors: { '': ['letters:errors.noTargets'] },
        shown: resolved.shown,
      },
      409,
    )
  }

  if (intent === 'lookup') {
    return state({ step: 'letter', values, errors: {}, shown: resolved.shown, note: resolved.note })
  }

  // Send.
  const sql = getSql()
  await enforceRateLimit(sql, {
    action: 'letter',
    ip: context?.clientIp ?? 'unknown',
    email: c.email,
  })
  const campaign = await getPublicCampaign(sql, slug, locale)
  if (!campaign) throw new Response('Not found', { status: 404 })

  let text: ReturnType<typeof resolveLetterText>
  try {
    const submitted = c as { subject?: string; message?: string }
    text = resolveLetterText({
      campaign: writing.campaign,
      suggested: writing.suggested,
      submitted: { subject: submitted.subject, message: submitted.message },
    })
  } catch (error) {
    if (!(error instanceof LetterError)) throw error
    return state(
      {
        step: 'letter',
        values,
        errors: { message: ['letters:errors.messageTooLong'] },
        shown: resolved.shown,
      },
      400,
    )
  }

  const tracking = trackingFromUrl(new URL(request.url), null)
  const signInput: SignInput = {
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
  const targets = resolved.targets
  const outcome = await sql.begin(async (tx) => {
    const signed = await recordSignature(tx, campaign, signInput, {
      locale,
      ip: context?.clientIp ?? null,
    })
    if (signed.status === 'already-signed') return { already: true as const }
    const letter = await createLetter(tx, {
      campaign: writing.campaign,
      supporterId: signed.supporterId,
      signatureId: Number(signed.signatureId),
      constituent: {
        prefix: c.prefix,
        firstName: c.firstName,
        lastName: c.lastName,
        email: c.email,
        street: c.street,
        city: c.city,
        state: c.state,
        zip: c.zip,
      },
      subject: text.subject,
      body: text.body,
      edited: text.edited,
      locale,
      targets,
    })
    return { already: false as const, letter }
  })
  if (outcome.already) return redirect(`/c/${slug}/thanks?already=1&lang=${locale}`, 303)
  return redirect(`/c/${slug}/sent/${outcome.letter.statusToken}?lang=${locale}`, 303)
}

async function resolveSafely(
  writing: LetterCampaignForWriting,
  values: FlowValues,
  locale: Locale,
): Promise<ResolvedTargets> {
  const parsed = constituentSchema.safeParse(values)
  if (!parsed.success) return { kind: 'not_found' }
  try {
    return await resolveTargets(writing, parsed.data, values.district, locale)
  } catch {
    return { kind: 'not_found' }
  }
}

/** The letter flow's thank-you page: the letter's live status, its status link, the donate ask. */
export async function getLetterThanks(slug: string, token: string, locale: Locale) {
  const status = await getLetterStatus(token, locale)
  if (!status || status.campaignSlug !== slug) return null
  const campaign = await getPublicCampaign(getSql(), slug, locale)
  return {
    slug,
    status,
    statusPath: `/letters/${token}`,
    thankYou: campaign?.thankYou ?? '',
    donatePath: campaign?.donationEnabled ? `/c/${slug}/donate` : '/donate',
  }
}
