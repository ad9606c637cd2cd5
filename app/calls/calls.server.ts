import type { CampaignPage } from '#app/campaigns/campaigns.server'
import { getServerT } from '#app/i18n/i18n.server'
import type { Locale } from '#app/i18n/config'
import { renderMergeFields } from '#app/letters/merge-fields'
import {
  checkRateLimit,
  type LimitDecision,
  type LimitedAction,
} from '#app/safety/rate-limit.server'
import { recordSignature } from '#app/signatures/signatures.server'
import type { SignInput } from '#app/signatures/schema'
import {
  getRepresentativesForOffices,
  lookupByAddress,
  lookupByZip,
  LookupInputError,
  resolveZipCandidate,
  type LookupResult,
  type Representative,
} from '#app/targets/lookup.server'
import { hashToken, isTokenShaped, newToken } from '#app/tokens/email-tokens.server'
import { getSql } from '#db/client'
import { getPublicCampaign } from '#db/queries/campaigns'
import {
  findCallCampaign,
  findCallVisitByTokenHash,
  findPostText,
  insertCallVisit,
  insertSocialPostClick,
  listCallLogsForVisit,
  selectCallersByOffice,
  selectLetterOfficeKeys,
  selectCallStats,
  selectPostStats,
  selectLegislatorContacts,
  selectOfficeHolders,
  upsertCallLog,
  type CallCampaignRow,
  type CallGroup,
  type CallOutcome,
  type SocialNetwork,
} from '#db/queries/calls'
import { dcOfficeHours, type OfficeHours } from './hours'
import type { CallStart } from './schema'
import { twilioConfigured } from './twilio.server'

// Call campaigns: a supporter finds their offices (ZIP, or street when the ZIP spans districts,
// as the letter flow does), calls each with a script, and records how each call went.
// See docs/decisions/1200-call-campaigns.md.

export const SENATORS_ONLY = 'senators'

export type DistrictOffice = { city: string; phone: string; address: string | null }

export type CallOffice = {
  officeKey: string
  name: string
  title: string
  chamber: 'house' | 'senate'
  state: string
  district: string | null
  party: string | null
  photoUrl: string | null
  /** the DC office's number, as printed ("202-225-2311") */
  dcPhone: string | null
  /** the district offices, the caller's own city first */
  districtOffices: DistrictOffice[]
  /** the script with the caller's and the office's merge fields filled in */
  script: string
  social: { x?: string; mastodon?: string }
  outcome: CallOutcome | null
}

export type CallCampaign = {
  id: string
  slug: string
  live: boolean
  /** "Call me" is offered: the campaign allows it and Twilio is configured */
  patchThrough: boolean
}

/** The call campaign behind /c/:slug, or null when it is not one. */
export async function getCallCampaign(slug: string, locale: Locale): Promise<CallCampaign | null> {
  const row = await findCallCampaign(getSql(), slug, locale)
  if (!row) return null
  return {
    id: row.id,
    slug: row.slug,
    live: row.status === 'live',
    patchThrough: Boolean(row.callConfig.patchThrough) && twilioConfigured(),
  }
}

export type StartCallResult =
  | { status: 'started'; token: string }
  | { status: 'closed' }
  | {
      status: 'ambiguous'
      candidates: Array<{ value: string; state: string; district: string; name: string | null }>
      senatorsOnly: boolean
    }
  | { status: 'not_found' }
  | { status: 'bad_address' }
  | { status: 'no_targets' }
  | { status: 'unavailable' }

type Resolved =
  | Exclude<StartCallResult, { status: 'started' } | { status: 'closed' }>
  | {
      status: 'resolved'
      reps: Representative[]
      state: string
    }

/** The caller's legislators: by ZIP, by a picked district, or by street when the ZIP spans districts. */
async function resolveCallers(input: CallStart): Promise<Resolved> {
  try {
    let result: LookupResult
    let senatorsOnly = false
    if (input.district === SENATORS_ONLY) {
      result = await lookupByZip(input.zip)
      senatorsOnly = true
      if (!result.state) return { status: 'not_found' }
    } else if (input.district) {
      result = await resolveZipCandidate(input.zip, input.district)
    } else {
      result = await lookupByZip(input.zip)
      if (result.status !== 'resolved' && input.street) {
        result = await lookupByAddress(
          {
            street: input.street,
            city: input.city,
            state: result.state ?? undefined,
            zip: input.zip,
          },
          { includeState: false },
        )
      }
    }
    if (!senatorsOnly && result.status === 'ambiguous') {
      return {
        status: 'ambiguous',
        candidates: (result.candidates ?? []).map((c) => ({
          value: `${c.state}-${c.district}`,
          state: c.state,
          district: c.district,
          name: c.representative && !c.representative.vacant ? c.representative.name : null,
        })),
        senatorsOnly: Boolean(result.state) && result.representatives.length > 0,
      }
    }
    if (!senatorsOnly && result.status === 'not_found') return { status: 'not_found' }
    const reps = result.representatives.filter(
      (r) => !r.vacant && (r.chamber === 'senate' || (!senatorsOnly && r.chamber === 'house')),
    )
    return { status: 'resolved', reps, state: result.state ?? reps[0]?.state ?? '' }
  } catch (error) {
    if (error instanceof LookupInputError) return { status: 'bad_address' }
    console.error('[calls] target lookup failed', error)
    return { status: 'unavailable' }
  }
}

/** The campaign's targets in its order (e.g. the Representative, then the two Senators). */
export function orderOffices(
  reps: Representative[],
  row: Pick<CallCampaignRow, 'targetConfig' | 'callConfig'>,
) {
  const order = row.callConfig.order?.length ? row.callConfig.order : (['senate', 'house'] as const)
  const wanted = reps.filter((r) =>
    r.chamber === 'house' ? row.targetConfig.house !== false : row.targetConfig.senate !== false,
  )
  return order.flatMap((chamber) =>
    wanted
      .filter((r) => r.chamber === chamber)
      .sort((a, b) => a.officeId.localeCompare(b.officeId)),
  )
}

/**
 * Step 1: the supporter's details (recorded as signing records them: their action on this
 * campaign, with consent) and their offices. One transaction: signature and visit.
 */
export async function startCall(input: {
  campaign: Pick<CampaignPage, 'id' | 'slug' | 'headline'>
  caller: CallStart
  signer: Omit<
    SignInput,
    'firstName' | 'lastName' | 'email' | 'zip' | 'city' | 'optIn' | 'anonymous' | 'locale'
  >
  locale: Locale
  ip: string | null
}): Promise<StartCallResult> {
  const sql = getSql()
  const row = await findCallCampaign(sql, input.campaign.slug, input.locale)
  if (!row) return { status: 'not_found' }
  if (row.status !== 'live') return { status: 'closed' }
  const resolved = await resolveCallers(input.caller)
  if (resolved.status !== 'resolved') return resolved
  const offices = orderOffices(resolved.reps, row)
  if (offices.length === 0) return { status: 'no_targets' }
  const c = input.caller
  const token = newToken()
  await sql.begin(async (tx) => {
    const signed = await recordSignature(
      tx,
      input.campaign,
      {
        ...input.signer,
        firstName: c.firstName,
        lastName: c.lastName,
        email: c.email,
        zip: c.zip,
        city: c.city,
        state: resolved.state || undefined,
        optIn: c.optIn,
        anonymous: false,
        locale: input.locale,
      } as SignInput,
      { locale: input.locale, ip: input.ip },
    )
    await insertCallVisit(tx, {
      campaignId: row.id,
      // A second visit by the same email is not linked to the earlier supporter: nobody can
      // reach another person's record by typing their address.
      supporterId: signed.status === 'signed' ? signed.supporterId : null,
      firstName: c.firstName,
      lastName: c.lastName,
      city: c.city,
      state: /^[A-Z]{2}$/.test(resolved.state) ? resolved.state : null,
      zip: c.zip,
      tokenHash: hashToken(token),
      officeKeys: offices.map((o) => o.officeId),
      locale: input.locale,
    })
  })
  return { status: 'started', token }
}

function sameCityFirst(offices: DistrictOffice[], city: string | null, zip: string | null) {
  const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase()
  const home = (o: DistrictOffice & { zip?: string }) =>
    (city && norm(o.city) === norm(city)) || (zip && o.zip === zip) ? 0 : 1
  return [...offices].sort((a, b) => home(a) - home(b))
}

function scriptFor(row: CallCampaignRow, group: CallGroup): string {
  return row.callScripts[group] || row.callScripts.default || ''
}

export type CallPage = {
  slug: string
  headline: string
  token: string
  offices: CallOffice[]
  hours: OfficeHours
  patchThrough: boolean
  /** every office has an outcome */
  done: boolean
  firstName: string
}

/** The call page: each office with its script, numbers and how the call went so far. */
export async function getCallPage(
  slug: string,
  token: string,
  locale: Locale,
  now: Date = new Date(),
): Promise<CallPage | null> {
  if (!isTokenShaped(token)) return null
  const sql = getSql()
  const visit = await findCallVisitByTokenHash(sql, hashToken(token))
  if (!visit || visit.campaignSlug !== slug) return null
  const row = await findCallCampaign(sql, slug, locale)
  if (!row) return null
  const [reps, logs, holders] = await Promise.all([
    getRepresentativesForOffices(visit.officeKeys),
    listCallLogsForVisit(sql, visit.id),
    selectOfficeHolders(sql, visit.officeKeys),
  ])
  const holderOf = new Map(holders.map((h) => [h.officeId, h.holderId]))
  const contacts = new Map(
    (
      await selectLegislatorContacts(
        sql,
        holders.flatMap((h) => (h.holderId ? [h.holderId] : [])),
      )
    ).map((c) => [c.id, c]),
  )
  const outcomeOf = new Map(logs.map((l) => [l.officeKey, l.outcome]))
  const t = getServerT(locale)
  const byOffice = new Map(reps.map((r) => [r.officeId, r]))
  const offices: CallOffice[] = []
  for (const key of visit.officeKeys) {
    const rep = byOffice.get(key)
    if (!rep || rep.vacant || (rep.chamber !== 'house' && rep.chamber !== 'senate')) continue
    const contact = contacts.get(holderOf.get(key) ?? '')
    const title = t(`letters:titles.${rep.chamber}`)
    const script = renderMergeFields(scriptFor(row, rep.chamber), {
      firstName: visit.firstName ?? '',
      city: visit.city ?? '',
      state: visit.state ?? '',
      zip: visit.zip ?? '',
      targetName: rep.name,
      targetTitle: title,
      targetLastName: rep.lastName,
    })
    const district = (contact?.districtOffices ?? []).flatMap((o) =>
      o.phone && o.city
        ? [{ city: o.city, phone: o.phone, address: o.address ?? null, zip: o.zip }]
        : [],
    )
    const social = contact?.social ?? {}
    offices.push({
      officeKey: key,
      name: rep.name,
      title,
      chamber: rep.chamber,
      state: rep.state,
      district: rep.district,
      party: rep.party,
      photoUrl: rep.photoUrl,
      dcPhone: rep.office.phone,
      districtOffices: sameCityFirst(district, visit.city, visit.zip).map(
        ({ city, phone, address }) => ({ city, phone, address }),
      ),
      script,
      social: {
        x: typeof social.twitter === 'string' ? social.twitter : undefined,
        mastodon: typeof social.mastodon === 'string' ? social.mastodon : undefined,
      },
      outcome: outcomeOf.get(key) ?? null,
    })
  }
  return {
    slug,
    headline: row.headline,
    token,
    offices,
    hours: dcOfficeHours(now),
    patchThrough:
      Boolean(row.callConfig.patchThrough) && twilioConfigured() && row.status === 'live',
    done: offices.length > 0 && offices.every((o) => o.outcome),
    firstName: visit.firstName ?? '',
  }
}

export type RecordOutcomeResult =
  | { status: 'recorded'; created: boolean; next: string | null }
  | { status: 'not_found' }
  | { status: 'unknown_office' }

/** One tap after a call. A double tap (or a changed answer) keeps one log per office. */
export async function recordCallOutcome(input: {
  slug: string
  token: string
  officeKey: string
  outcome: CallOutcome
}): Promise<RecordOutcomeResult> {
  if (!isTokenShaped(input.token)) return { status: 'not_found' }
  const sql = getSql()
  const visit = await findCallVisitByTokenHash(sql, hashToken(input.token))
  if (!visit || visit.campaignSlug !== input.slug) return { status: 'not_found' }
  const index = visit.officeKeys.indexOf(input.officeKey)
  if (index < 0) return { status: 'unknown_office' }
  const log = await upsertCallLog(sql, {
    visitId: visit.id,
    campaignId: visit.campaignId,
    officeKey: input.officeKey,
    outcome: input.outcome,
    via: 'tel',
  })
  return { status: 'recorded', created: log.created, next: visit.officeKeys[index + 1] ?? null }
}

// ---------------------------------------------------------------------------------------------
// "Post to your legislators"

export type PostTarget = { officeKey: string; name: string; x?: string; mastodon?: string }

/** The supporter's own legislators' public accounts, for the thank-you page's share intents. */
export async function getPostTargets(officeKeys: string[]): Promise<PostTarget[]> {
  const sql = getSql()
  const federal = officeKeys.filter((k) => k.startsWith('house/') || k.startsWith('senate/'))
  const [reps, holders] = await Promise.all([
    getRepresentativesForOffices(federal),
    selectOfficeHolders(sql, federal),
  ])
  const holderOf = new Map(holders.map((h) => [h.officeId, h.holderId]))
  const contacts = new Map(
    (
      await selectLegislatorContacts(
        sql,
        holders.flatMap((h) => (h.holderId ? [h.holderId] : [])),
      )
    ).map((c) => [c.id, c]),
  )
  return reps
    .filter((r) => !r.vacant)
    .map((r) => {
      const social = contacts.get(holderOf.get(r.officeId) ?? '')?.social ?? {}
      return {
        officeKey: r.officeId,
        name: r.name,
        x: typeof social.twitter === 'string' ? social.twitter : undefined,
        mastodon: typeof social.mastodon === 'string' ? social.mastodon : undefined,
      }
    })
}

/** A letter's offices (by its status token), for "Post to your legislators" on its thank-you. */
export async function getLetterPostTargets(token: string): Promise<PostTarget[]> {
  if (!isTokenShaped(token)) return []
  return getPostTargets(await selectLetterOfficeKeys(getSql(), hashToken(token)))
}

/**
 * The legislators of a ZIP code, for a petition's thank-you page (the signer types it; nothing is
 * stored). A ZIP in several districts gives its Senators only.
 */
export async function getZipPostTargets(zip: string): Promise<PostTarget[] | null> {
  if (!/^\d{5}$/.test(zip)) return null
  try {
    const result = await lookupByZip(zip)
    const reps = result.representatives.filter(
      (r) =>
        !r.vacant &&
        (r.chamber === 'senate' || (r.chamber === 'house' && result.status === 'resolved')),
    )
    return getPostTargets(reps.map((r) => r.officeId))
  } catch {
    return null
  }
}

/** The call visit's offices, for its thank-you page. */
export async function getCallVisitOffices(slug: string, token: string) {
  if (!isTokenShaped(token)) return null
  const visit = await findCallVisitByTokenHash(getSql(), hashToken(token))
  if (!visit || visit.campaignSlug !== slug) return null
  return visit.officeKeys
}

/**
 * The share intent for one network and office, with the campaign's post text in `locale`. The
 * click is counted (network and office, nothing about who) before the supporter is sent on.
 */
export async function recordPostClick(input: {
  slug: string
  locale: Locale
  officeKey: string
  network: SocialNetwork
}): Promise<{ status: 'recorded'; url: string } | { status: 'not_found' }> {
  const sql = getSql()
  const campaign = await getPublicCampaign(sql, input.slug, input.locale)
  if (!campaign) return { status: 'not_found' }
  const [target] = await getPostTargets([input.officeKey])
  if (!target) return { status: 'not_found' }
  const text = (await findPostText(sql, campaign.id, input.locale)) || campaign.shareText
  const url = postIntentUrl(input.network, target, text)
  await insertSocialPostClick(sql, {
    campaignId: campaign.id,
    officeKey: input.officeKey,
    network: input.network,
  })
  return { status: 'recorded', url }
}

/** The post for one office: its handle on that network (or its name), then the campaign's text. */
export function postText(network: SocialNetwork, target: PostTarget, text: string): string {
  const handle =
    network === 'x' && target.x
      ? `@${target.x}`
      : network === 'mastodon' && target.mastodon
        ? target.mastodon.startsWith('@')
          ? target.mastodon
          : `@${target.mastodon}`
        : target.name
  return text.includes('{{handle}}')
    ? text.replaceAll('{{handle}}', handle)
    : `${handle} ${text}`.trim()
}

export function postIntentUrl(network: SocialNetwork, target: PostTarget, text: string): string {
  const body = encodeURIComponent(postText(network, target, text))
  switch (network) {
    case 'x':
      return `https://x.com/intent/post?text=${body}`
    case 'bluesky':
      return `https://bsky.app/intent/compose?text=${body}`
    case 'mastodon':
      return `https://mastodon.social/share?text=${body}`
  }
}

// ---------------------------------------------------------------------------------------------
// The organizer's side

/** The dashboard: calls by outcome and patch-through minutes, posts by network, per office and day. */
export async function getCallMetrics(campaignId: string) {
  const sql = getSql()
  const [calls, posts] = await Promise.all([
    selectCallStats(sql, campaignId),
    selectPostStats(sql, campaignId),
  ])
  return {
    calls: calls.map((r) => ({ ...r, patchMinutes: Math.round((r.patchSeconds / 60) * 10) / 10 })),
    posts,
  }
}

/** The staffer report's callers: each office's constituents (name, city, ZIP). */
export function getCallersByOffice(campaignId: string) {
  return selectCallersByOffice(getSql(), campaignId)
}

/** The per-IP (and per-email) limit on starting a call or asking for "Call me". */
export function checkCallLimit(input: {
  action: LimitedAction
  ip: string
  email?: string | null
}): Promise<LimitDecision> {
  return checkRateLimit(getSql(), input)
}
