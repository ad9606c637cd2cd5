import { getServerT } from '#app/i18n/i18n.server'
import type { Locale } from '#app/i18n/config'
import {
  knownHouseDistrict,
  lookupByAddress,
  lookupByZip,
  LookupInputError,
  resolveZipCandidate,
  type LookupResult,
  type Representative,
} from '#app/targets/lookup.server'
import type { DeliveryTarget, LetterCampaignForWriting } from './letters.server'
import { SENATORS_ONLY, type ShownTarget } from './schema'
import { getSql } from '#db/client'
import { selectCommitteeBioguides, selectCommitteeMemberOffices } from '#db/queries/committees'
import { getRepresentativesForOffices } from '#app/targets/lookup.server'
import { legislatorSalutation } from '#app/delivery/addressing.server'

// Which offices a letter goes to. Targets are resolved at each step of the letter flow, and again
// at send time, from current officeholder data, never from the form.
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
  /** the geocoder could not read the address */
  | { kind: 'bad_address' }
  /** the lookup failed (the geocoder is down): retry shortly */
  | { kind: 'unavailable' }

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
  const title = titleFor(rep, locale)
  return {
    officeKey: rep.officeId,
    name: rep.name,
    title,
    chamber: rep.chamber,
    state: rep.state,
    district: rep.district,
    cwcCode: rep.cwcCode,
    email: rep.office.email,
    holderId: rep.bioguideId ?? rep.openstatesId ?? null,
    lastName: rep.lastName,
    salutation: legislatorSalutation(locale, title, rep.lastName),
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
  /** a deep link's ?district= (ADR 0907): stands in for the street lookup, never a pick */
  linkDistrict?: string,
): Promise<ResolvedTargets> {
  try {
    return await lookupTargets(writing, address, district, locale, linkDistrict)
  } catch (error) {
    if (error instanceof LookupInputError) return { kind: 'bad_address' }
    console.error('[letters] target lookup failed', error)
    return { kind: 'unavailable' }
  }
}

async function lookupTargets(
  writing: LetterCampaignForWriting,
  address: { street: string; city: string; state: string; zip: string },
  district: string | undefined,
  locale: Locale,
  linkDistrict: string | undefined,
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
  let fromLink = false
  if (district === SENATORS_ONLY) {
    result = await lookupByZip(address.zip)
    senatorsOnly = true
  } else if (district) {
    result = await resolveZipCandidate(address.zip, district)
  } else {
    // Call the geocoder only when a target depends on it: state legislators always do; members of
    // Congress only when the ZIP spans districts. A one-district ZIP already names them, so an
    // outage there must not show the writer a warning about targets it does not affect.
    const includeState = Boolean(config.stateUpper || config.stateLower)
    const byZip = includeState ? null : await lookupByZip(address.zip)
    // A partner's link names the writer's district (ADR 0907): when the ZIP spans districts and
    // one of them is the link's, in the state the writer gave, it stands in for the street
    // lookup. With state legislators the street is looked up anyway, and the link only
    // preselects the pick.
    const linked =
      byZip?.status === 'ambiguous' && linkDistrict
        ? linkCandidate(byZip, linkDistrict, address.state)
        : undefined
    if (byZip?.status === 'resolved' && !byZip.reason && byZip.state === address.state) {
      result = byZip
    } else if (linked) {
      result = await resolveZipCandidate(address.zip, linked)
      fromLink = true
    } else {
      result = await lookupByAddress(address, { includeState })
    }
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

  let reps = result.representatives.filter(
    (r) => wantsChamber(config, r.chamber) && (!senatorsOnly || r.chamber === 'senate'),
  )
  // "My legislators, only those on X": the writer's own members of Congress who sit on one of
  // the chosen committees. When none does, none of them gets the letter (ADR 0900).
  let notOnCommittee = false
  if (config.committeeMode === 'mine' && config.committees?.length) {
    const onCommittee = new Set(await selectCommitteeBioguides(getSql(), config.committees))
    const federal = reps.filter((r) => r.chamber === 'house' || r.chamber === 'senate')
    reps = reps.filter(
      (r) =>
        (r.chamber !== 'house' && r.chamber !== 'senate') ||
        (r.bioguideId !== undefined && onCommittee.has(r.bioguideId)),
    )
    notOnCommittee =
      federal.length > 0 && !reps.some((r) => r.chamber === 'house' || r.chamber === 'senate')
  }
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
    note: notOnCommittee
      ? 'notOnCommittee'
      : senatorsOnly
        ? 'senatorsOnly'
        : fromLink
          ? 'fromLink'
          : (stateNote(config, result, Boolean(district)) ?? result.reason),
  }
}

/**
 * When the campaign targets state legislators and none came back although the House district is
 * known: say that only they are missing, and why (the warning names only the targets it affects).
 * A Census answer that did not match Open States keeps its own reason.
 */
function stateNote(config: TargetConfig, result: LookupResult, picked: boolean) {
  if (!(config.stateUpper || config.stateLower)) return undefined
  if (
    result.representatives.some((r) => r.chamber === 'state_upper' || r.chamber === 'state_lower')
  )
    return undefined
  if (result.reason === 'geocoder_unavailable') return 'stateUnavailable'
  if (picked || result.reason === 'address_not_found') return 'stateUnplaced'
  return undefined
}

/** The link's district, when it is one of the ZIP's candidates and in the writer's state. */
function linkCandidate(byZip: LookupResult, linkDistrict: string, state: string) {
  const match = byZip.districts.find(
    (d) => d.state === state && `${d.state}-${d.district}` === linkDistrict,
  )
  return match ? `${match.state}-${match.district}` : undefined
}

/**
 * A deep link's `?district=MT-1` (ADR 0907), as the page carries it: upper-cased, leading zeros
 * dropped, and kept only when it names a House district in the current data that agrees with
 * the link's own `state` and `zip`, if it has them. Anything else is ignored, without an error.
 */
export async function checkLinkDistrict(
  raw: string | undefined,
  link: { zip?: string; state?: string },
): Promise<string | undefined> {
  const m = raw ? /^([A-Za-z]{2})-?0*(\d{1,2})$/.exec(raw.trim()) : null
  if (!m) return undefined
  const ref = await knownHouseDistrict(`${m[1].toUpperCase()}-${m[2]}`)
  if (!ref) return undefined
  const value = `${ref.state}-${ref.district}`
  if (link.state && link.state.toUpperCase() !== ref.state) return undefined
  if (link.zip) {
    try {
      const byZip = await lookupByZip(link.zip)
      if (!byZip.districts.some((d) => `${d.state}-${d.district}` === value)) return undefined
    } catch (error) {
      if (!(error instanceof LookupInputError)) throw error
      // a ZIP the form will refuse anyway: the district is checked again against the writer's
    }
  }
  return value
}

/**
 * "Every member of X": each seated member of the chosen committees, once, whatever their state.
 * For petitions (and, once letters have an officials copy, official letters); never for a
 * constituent letter. Members without a current seat in our data are left out.
 */
export async function resolveCommitteeTargets(
  committeeIds: string[],
  locale: Locale,
): Promise<DeliveryTarget[]> {
  const rows = await selectCommitteeMemberOffices(getSql(), committeeIds)
  const officeIds = [...new Set(rows.flatMap((r) => (r.officeId ? [r.officeId] : [])))]
  const reps = await getRepresentativesForOffices(officeIds)
  return reps.filter((r) => !r.vacant).map((r) => representativeToDeliveryTarget(r, locale))
}
