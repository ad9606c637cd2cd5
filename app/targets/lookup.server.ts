import { getSql } from '#db/client'
import {
  selectOfficesWithHolders,
  selectLatestImportId,
  selectSourceDates,
  selectZipDistricts,
  type LookupOfficeRow,
} from '#db/queries/reference-data'
import {
  getGeocoder,
  GeocoderUnavailableError,
  type GeocodeResult,
  type StateLegislativeDistrict,
} from './geocoder.server'

// Who represents a ZIP or an address. Indexes are built from the database on first use (and again
// after a re-import); a lookup is a few Map reads and never scans a table. It never guesses: a ZIP
// in several districts is "ambiguous" with its candidates. See docs/decisions/0201-representative-lookup.md.

export type Representative = {
  officeId: string
  bioguideId?: string
  openstatesId?: string
  name: string
  firstName: string
  lastName: string
  chamber: 'house' | 'senate' | 'state_upper' | 'state_lower'
  state: string
  district: string | null
  party: string | null
  photoUrl: string | null
  office: {
    phone: string | null
    url: string | null
    contactForm: string | null
    email: string | null
  }
  cwcCode: string | null
  vacant?: boolean
}

export type LookupReason =
  | 'multiple_districts'
  | 'multiple_states'
  | 'unknown_zip'
  | 'address_not_found'
  | 'geocoder_unavailable'
  | 'district_not_in_data'
  | 'state_districts_unmatched'
  | 'no_data'

export type LookupResult = {
  status: 'resolved' | 'ambiguous' | 'not_found'
  state: string | null
  districts: Array<{ state: string; district: string }>
  representatives: Representative[]
  candidates?: Array<{ state: string; district: string; representative: Representative | null }>
  message?: string
  /** Why the answer is not a clean resolve (also the i18n key for the message). */
  reason?: LookupReason
  asOf: { congress: string; zipDistricts: string; openStates?: string }
}

export class LookupInputError extends Error {
  name = 'LookupInputError'
}

const MESSAGES: Record<LookupReason, string> = {
  multiple_districts:
    'This ZIP code crosses congressional districts. Enter your street address, or pick your district.',
  multiple_states:
    'This ZIP code crosses state lines. Enter your street address, or pick your state and district.',
  unknown_zip:
    "We don't have this ZIP code (PO-box and newer ZIP codes are missing). Enter your street address.",
  address_not_found: "We couldn't find that address. Check it, or pick your district.",
  geocoder_unavailable:
    "The address service isn't answering right now, so we can't place your street address. Pick your district, or write to your Senators only.",
  district_not_in_data: 'The address is in a district our data does not list yet.',
  state_districts_unmatched:
    "We couldn't match your state legislative districts with certainty, so state legislators are not shown.",
  no_data: 'Representative data has not been imported yet.',
}

type DistrictRef = { state: string; district: string }

type Indexes = {
  zip: Map<string, DistrictRef[]>
  house: Map<string, Representative>
  senators: Map<string, Representative[]>
  byOffice: Map<string, Representative>
  /** `${state}|upper|${normalizedDistrict}` → the seat holders */
  stateSeats: Map<string, Representative[]>
  districtsByState: Map<string, string[]>
  asOf: LookupResult['asOf']
  empty: boolean
  importId: number | null
}

const holder = globalThis as typeof globalThis & {
  __writLookup?: Promise<Indexes>
  __writLookupChecked?: number
}
const RECHECK_MS = 60_000

/** Drops the indexes; the next lookup rebuilds them (called after an import). */
export function invalidateLookupIndexes(): void {
  holder.__writLookup = undefined
}

function getIndexes(): Promise<Indexes> {
  const current = holder.__writLookup
  if (current && Date.now() - (holder.__writLookupChecked ?? 0) > RECHECK_MS) {
    // An import from another process (npm run data:import): swap in fresh indexes once built,
    // while lookups keep answering from the old ones.
    holder.__writLookupChecked = Date.now()
    void Promise.all([current, selectLatestImportId(getSql())])
      .then(async ([idx, latest]) => {
        if (latest === idx.importId) return
        const fresh = await buildIndexes()
        if (holder.__writLookup === current) holder.__writLookup = Promise.resolve(fresh)
      })
      .catch((error: Error) => console.warn(`Lookup index refresh failed: ${error.message}`))
  }
  if (!holder.__writLookup) {
    holder.__writLookupChecked = Date.now()
    const building = buildIndexes()
    holder.__writLookup = building
    building.catch(() => {
      if (holder.__writLookup === building) holder.__writLookup = undefined
    })
  }
  return holder.__writLookup
}

async function buildIndexes(): Promise<Indexes> {
  const sql = getSql()
  const [importId, offices, zipRows, dates] = await Promise.all([
    selectLatestImportId(sql),
    selectOfficesWithHolders(sql),
    selectZipDistricts(sql),
    selectSourceDates(sql),
  ])
  const idx: Indexes = {
    zip: new Map(),
    house: new Map(),
    senators: new Map(),
    byOffice: new Map(),
    stateSeats: new Map(),
    districtsByState: new Map(),
    asOf: {
      congress: dates.congress ?? '',
      zipDistricts: dates.zipDistricts ?? '',
      ...(dates.openStates ? { openStates: dates.openStates } : {}),
    },
    empty: offices.length === 0,
    importId,
  }
  for (const z of zipRows) {
    const list = idx.zip.get(z.zcta)
    const ref = { state: z.state, district: z.district }
    if (list) list.push(ref)
    else idx.zip.set(z.zcta, [ref])
  }
  for (const list of idx.zip.values()) list.sort(compareDistricts)
  for (const o of offices) {
    const rep = toRepresentative(o)
    idx.byOffice.set(o.id, rep)
    if (o.chamber === 'house') {
      idx.house.set(`${o.state}-${o.district}`, rep)
      const list = idx.districtsByState.get(o.state) ?? []
      list.push(o.district!)
      idx.districtsByState.set(o.state, list)
    } else if (o.chamber === 'senate') {
      const list = idx.senators.get(o.state) ?? []
      list.push(rep)
      idx.senators.set(o.state, list)
    } else if (o.district) {
      const kind = o.chamber === 'state_lower' ? 'lower' : 'upper'
      const key = `${o.state}|${kind}|${normalizeDistrict(o.district)}`
      const list = idx.stateSeats.get(key) ?? []
      list.push(rep)
      idx.stateSeats.set(key, list)
    }
  }
  for (const list of idx.senators.values()) list.sort((a, b) => (a.officeId < b.officeId ? -1 : 1))
  for (const list of idx.districtsByState.values()) list.sort((a, b) => Number(a) - Number(b))
  return idx
}

function toRepresentative(o: LookupOfficeRow): Representative {
  const chamber = o.chamber === 'state_legislature' ? 'state_upper' : o.chamber
  const base = {
    officeId: o.id,
    chamber,
    state: o.state,
    district: o.chamber === 'senate' ? null : o.district,
    cwcCode: o.cwcCode,
  }
  if (!o.holderId) {
    return {
      ...base,
      name: 'Vacant',
      firstName: '',
      lastName: '',
      party: null,
      photoUrl: null,
      office: { phone: null, url: null, contactForm: null, email: null },
      vacant: true,
    }
  }
  return {
    ...base,
    ...(o.holderId.startsWith('ocd-person/')
      ? { openstatesId: o.holderId }
      : { bioguideId: o.holderId }),
    name: o.holderName ?? '',
    firstName: o.firstName ?? '',
    lastName: o.lastName ?? '',
    party: o.party,
    photoUrl: o.photoUrl,
    office: { phone: o.phone, url: o.url, contactForm: o.contactForm, email: o.email },
  }
}

/** "30", "030" → "30"; names: lower case, single spaces (hyphens and dots are kept apart). */
export function normalizeDistrict(d: string): string {
  const t = d.trim()
  if (/^\d+$/.test(t)) return String(Number(t))
  return t.toLowerCase().replace(/\s+/g, ' ')
}

function compareDistricts(a: DistrictRef, b: DistrictRef) {
  return a.state === b.state ? Number(a.district) - Number(b.district) : a.state < b.state ? -1 : 1
}

// ZCTAs exist for the states, DC and PR only; the other territories' ZIPs map to their delegate.
function territoryFor(zip: string): string | undefined {
  const n = Number(zip)
  if (n >= 96910 && n <= 96932) return 'GU'
  if (n >= 96950 && n <= 96952) return 'MP'
  if (zip === '96799') return 'AS'
  if (zip.startsWith('008')) return 'VI'
  return undefined
}

/** "82001", "82001-1234", "820011234" → "82001"; anything else is a LookupInputError. */
export function normalizeZip(zip: string): string {
  const m = /^\s*(\d{5})(?:-?\d{4})?\s*$/.exec(zip)
  if (!m) throw new LookupInputError('Enter a 5-digit ZIP code (ZIP+4 is fine).')
  return m[1]
}

function with_(idx: Indexes, partial: Omit<LookupResult, 'asOf' | 'message'>): LookupResult {
  return {
    ...partial,
    ...(partial.reason ? { message: MESSAGES[partial.reason] } : {}),
    asOf: idx.asOf,
  }
}

function resolvedDistrict(idx: Indexes, ref: DistrictRef, reason?: LookupReason): LookupResult {
  const house = idx.house.get(`${ref.state}-${ref.district}`)
  return with_(idx, {
    status: 'resolved',
    state: ref.state,
    districts: [ref],
    representatives: [...(house ? [house] : []), ...(idx.senators.get(ref.state) ?? [])],
    ...(house ? (reason ? { reason } : {}) : { reason: 'district_not_in_data' as const }),
  })
}

function zipResult(idx: Indexes, zip: string): LookupResult {
  if (idx.empty) {
    return with_(idx, {
      status: 'not_found',
      state: null,
      districts: [],
      representatives: [],
      reason: 'no_data',
    })
  }
  const territory = territoryFor(zip)
  const refs = idx.zip.get(zip) ?? (territory ? [{ state: territory, district: '0' }] : undefined)
  if (!refs) {
    return with_(idx, {
      status: 'not_found',
      state: null,
      districts: [],
      representatives: [],
      reason: 'unknown_zip',
    })
  }
  if (refs.length === 1) return resolvedDistrict(idx, refs[0])
  const states = [...new Set(refs.map((r) => r.state))]
  const candidates = refs.map((r) => ({
    ...r,
    representative: idx.house.get(`${r.state}-${r.district}`) ?? null,
  }))
  // In one state the Senators are certain even when the House district is not.
  return with_(idx, {
    status: 'ambiguous',
    state: states.length === 1 ? states[0] : null,
    districts: refs,
    representatives: states.length === 1 ? (idx.senators.get(states[0]) ?? []) : [],
    candidates,
    reason: states.length === 1 ? 'multiple_districts' : 'multiple_states',
  })
}

export async function lookupByZip(zip: string): Promise<LookupResult> {
  const five = normalizeZip(zip)
  return zipResult(await getIndexes(), five)
}

/**
 * The signer picked one of the ZIP's candidate districts ("NY-12"). Only a listed candidate is
 * accepted, so a pick can narrow an ambiguous answer but never invent one.
 */
export async function resolveZipCandidate(zip: string, choice: string): Promise<LookupResult> {
  const five = normalizeZip(zip)
  const idx = await getIndexes()
  const result = zipResult(idx, five)
  const candidate = result.districts.find((d) => `${d.state}-${d.district}` === choice)
  if (!candidate) throw new LookupInputError('Pick one of the districts listed for this ZIP code.')
  return resolvedDistrict(idx, candidate)
}

/** "MT-1" → { state, district } when it names a House district in the current data. */
export async function knownHouseDistrict(
  choice: string,
): Promise<{ state: string; district: string } | undefined> {
  const m = /^([A-Z]{2})-(\d{1,2})$/.exec(choice)
  if (!m) return undefined
  const ref = { state: m[1], district: String(Number(m[2])) }
  return (await getIndexes()).house.has(`${ref.state}-${ref.district}`) ? ref : undefined
}

export async function lookupByAddress(
  input: { street: string; city?: string; state?: string; zip?: string },
  options: { includeState?: boolean } = {},
): Promise<LookupResult> {
  const street = input.street.trim()
  if (street.length < 3 || street.length > 200) {
    throw new LookupInputError('Enter a street address.')
  }
  const zipText = input.zip?.trim() || /\b(\d{5})(?:-\d{4})?\s*$/.exec(street)?.[1]
  const zip = zipText ? normalizeZip(zipText) : undefined
  const state = input.state?.trim().toUpperCase() || undefined
  if (state && !/^[A-Z]{2}$/.test(state)) throw new LookupInputError('Choose a state.')
  const extraZip = input.zip?.trim() && !street.includes(input.zip.trim()) ? input.zip.trim() : ''
  const oneLine = [street, input.city?.trim(), [state, extraZip].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ')

  const idx = await getIndexes()
  let geocoded: GeocodeResult
  try {
    geocoded = await getGeocoder().geocode(oneLine)
  } catch (error) {
    if (!(error instanceof GeocoderUnavailableError)) throw error
    return fallback(idx, zip, state, 'geocoder_unavailable')
  }
  if (!geocoded.matched) return fallback(idx, zip, state, 'address_not_found')

  const result = resolvedDistrict(idx, { state: geocoded.state, district: geocoded.district })
  if (options.includeState) {
    const stateReps = matchStateLegislators(idx, geocoded.state, geocoded.upper, geocoded.lower)
    result.representatives.push(...stateReps.representatives)
    if (!stateReps.certain && !result.reason) {
      result.reason = 'state_districts_unmatched'
      result.message = MESSAGES.state_districts_unmatched
    }
  }
  return result
}

/** When the address can't be placed: the ZIP's answer (or the state's districts), never a guess. */
function fallback(
  idx: Indexes,
  zip: string | undefined,
  state: string | undefined,
  reason: LookupReason,
): LookupResult {
  if (zip) {
    const result = zipResult(idx, zip)
    if (result.status === 'not_found' && state) return stateCandidates(idx, state, reason)
    return { ...result, reason, message: MESSAGES[reason] }
  }
  if (state) return stateCandidates(idx, state, reason)
  return with_(idx, {
    status: 'not_found',
    state: null,
    districts: [],
    representatives: [],
    reason,
  })
}

function stateCandidates(idx: Indexes, state: string, reason: LookupReason): LookupResult {
  const districts = (idx.districtsByState.get(state) ?? []).map((district) => ({ state, district }))
  if (!districts.length) {
    return with_(idx, {
      status: 'not_found',
      state: null,
      districts: [],
      representatives: [],
      reason,
    })
  }
  if (districts.length === 1) return resolvedDistrict(idx, districts[0], reason)
  return with_(idx, {
    status: 'ambiguous',
    state,
    districts,
    representatives: idx.senators.get(state) ?? [],
    candidates: districts.map((d) => ({
      ...d,
      representative: idx.house.get(`${d.state}-${d.district}`) ?? null,
    })),
    reason,
  })
}

/**
 * Census SLDU/SLDL → Open States seats, by state and district name. Certain only when every
 * district the geocoder returned matches exactly one normalized Open States district name.
 * Rules and gaps: docs/decisions/0201-representative-lookup.md.
 */
function matchStateLegislators(
  idx: Indexes,
  state: string,
  upper: StateLegislativeDistrict[],
  lower: StateLegislativeDistrict[],
): { certain: boolean; representatives: Representative[] } {
  const found: Representative[] = []
  let certain = upper.length + lower.length > 0
  for (const [kind, list] of [
    ['upper', upper],
    ['lower', lower],
  ] as const) {
    for (const d of list) {
      // BASENAME is the district's name ("30", "21A", "Hillsborough 12"); the code only stands in
      // when there is no name, since codes of named districts are unrelated numbers
      const keys = new Set([d.baseName || d.code].map(normalizeDistrict))
      const matches = [...keys]
        .map((k) => idx.stateSeats.get(`${state}|${kind}|${k}`))
        .filter((x): x is Representative[] => Boolean(x))
      const distinct = new Set(matches.map((m) => m[0].district))
      if (distinct.size !== 1) {
        certain = false
        continue
      }
      found.push(...matches[0].filter((r) => !found.some((f) => f.officeId === r.officeId)))
    }
  }
  return certain ? { certain, representatives: found } : { certain, representatives: [] }
}

/** The current holders of these seats (vacant seats come back with vacant: true). */
export async function getRepresentativesForOffices(officeIds: string[]): Promise<Representative[]> {
  const idx = await getIndexes()
  return officeIds.map((id) => idx.byOffice.get(id)).filter((r): r is Representative => Boolean(r))
}

/** The data's as-of dates (for "data as of" on pages). */
export async function getReferenceAsOf(): Promise<LookupResult['asOf']> {
  return (await getIndexes()).asOf
}
