import { getEnv } from '#app/utils/env.server'

// Street address → congressional (and state legislative) district. A provider interface, with the
// U.S. Census Geocoder as the default; tests run it against tests/fakes/geocoder.ts.

export type StateLegislativeDistrict = { code: string; name: string; baseName: string }

export type GeocodeResult =
  | { matched: false }
  | {
      matched: true
      matchedAddress: string
      zip: string | null
      state: string
      /** '0' for at-large and delegate districts */
      district: string
      upper: StateLegislativeDistrict[]
      lower: StateLegislativeDistrict[]
    }

export interface GeocoderProvider {
  readonly name: string
  /** Throws GeocoderUnavailableError when the service cannot answer. */
  geocode(oneLineAddress: string): Promise<GeocodeResult>
}

export class GeocoderUnavailableError extends Error {
  name = 'GeocoderUnavailableError'
}

const FIPS: Record<string, string> = {
  '01': 'AL', '02': 'AK', '04': 'AZ', '05': 'AR', '06': 'CA', '08': 'CO', '09': 'CT', '10': 'DE',
  '11': 'DC', '12': 'FL', '13': 'GA', '15': 'HI', '16': 'ID', '17': 'IL', '18': 'IN', '19': 'IA',
  '20': 'KS', '21': 'KY', '22': 'LA', '23': 'ME', '24': 'MD', '25': 'MA', '26': 'MI', '27': 'MN',
  '28': 'MS', '29': 'MO', '30': 'MT', '31': 'NE', '32': 'NV', '33': 'NH', '34': 'NJ', '35': 'NM',
  '36': 'NY', '37': 'NC', '38': 'ND', '39': 'OH', '40': 'OK', '41': 'OR', '42': 'PA', '44': 'RI',
  '45': 'SC', '46': 'SD', '47': 'TN', '48': 'TX', '49': 'UT', '50': 'VT', '51': 'VA', '53': 'WA',
  '54': 'WV', '55': 'WI', '56': 'WY', '60': 'AS', '66': 'GU', '69': 'MP', '72': 'PR', '78': 'VI',
} // prettier-ignore

type CensusGeography = Record<string, string | number | undefined>
type CensusResponse = {
  result?: {
    addressMatches?: Array<{
      matchedAddress?: string
      addressComponents?: { zip?: string; state?: string }
      geographies?: Record<string, CensusGeography[]>
    }>
  }
}

/** Reads a Census `geographies/onelineaddress` response (format: shared/data/fixtures). */
export function parseCensusResponse(body: CensusResponse): GeocodeResult {
  const match = body.result?.addressMatches?.[0]
  if (!match) return { matched: false }
  const geographies = match.geographies ?? {}
  // The layer name carries the Congress number ("119th Congressional Districts"): match the suffix.
  const cdLayer = Object.entries(geographies).find(([name]) =>
    name.endsWith('Congressional Districts'),
  )?.[1]?.[0]
  if (!cdLayer) return { matched: false }
  const cdKey = Object.keys(cdLayer).find((k) => /^CD\d+$/.test(k))
  const rawDistrict = String((cdKey ? cdLayer[cdKey] : cdLayer.BASENAME) ?? '')
  const state = FIPS[String(cdLayer.STATE ?? '')] ?? match.addressComponents?.state
  if (!state || !/^\d{1,2}$/.test(rawDistrict)) return { matched: false }
  // 00 = at-large, 98 = non-voting delegate: both are district 0 in congress-legislators
  const n = Number(rawDistrict)
  const district = n === 98 ? '0' : String(n)
  const sld = (suffix: string, codeKey: string) =>
    Object.entries(geographies)
      .filter(([name]) => name.endsWith(suffix))
      .flatMap(([, list]) => list)
      .map((g) => ({
        code: String(g[codeKey] ?? ''),
        name: String(g.NAME ?? ''),
        baseName: String(g.BASENAME ?? ''),
      }))
      // ZZZ marks a district "not defined" (water areas)
      .filter((d) => d.code && !/^Z+$/.test(d.code))
  return {
    matched: true,
    matchedAddress: match.matchedAddress ?? '',
    zip: match.addressComponents?.zip ?? null,
    state,
    district,
    upper: sld('State Legislative Districts - Upper', 'SLDU'),
    lower: sld('State Legislative Districts - Lower', 'SLDL'),
  }
}

export type CensusOptions = {
  baseUrl: string
  timeoutMs?: number
  /** Cache lifetime for answers (matches and non-matches). */
  ttlMs?: number
  maxEntries?: number
}

/**
 * One key per address however it is typed: case, spacing and punctuation ("200 W. 24th St.,
 * Cheyenne" and "200 w 24th st cheyenne") do not change where it is.
 */
export function normalizeAddressKey(oneLineAddress: string): string {
  return oneLineAddress
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[.,#;:'"()]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Answers are kept an hour: long enough to spare the service repeats, short for an address. */
export const GEOCODE_CACHE_MS = 3600_000

/** The U.S. Census Geocoder: free, keyless. One retry after a failure; a one-hour cache. */
export class CensusGeocoder implements GeocoderProvider {
  readonly name = 'census'
  private cache = new Map<string, { at: number; value: GeocodeResult }>()
  constructor(private options: CensusOptions) {}

  async geocode(oneLineAddress: string): Promise<GeocodeResult> {
    const key = normalizeAddressKey(oneLineAddress)
    const ttl = this.options.ttlMs ?? GEOCODE_CACHE_MS
    const hit = this.cache.get(key)
    if (hit && Date.now() - hit.at < ttl) return hit.value

    const url = new URL('geographies/onelineaddress', this.options.baseUrl.replace(/\/?$/, '/'))
    url.search = new URLSearchParams({
      address: oneLineAddress,
      benchmark: 'Public_AR_Current',
      vintage: 'Current_Current',
      // all layers: the congressional layer's name changes with each Congress, and the state
      // legislative layers come with it
      layers: 'all',
      format: 'json',
    }).toString()

    let lastError: unknown
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const response = await fetch(url, {
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
          headers: { accept: 'application/json' },
        })
        if (response.status >= 500) throw new Error(`geocoder answered ${response.status}`)
        if (!response.ok) {
          // a 4xx is about this address (e.g. too long): no match, and no point retrying
          return this.remember(key, { matched: false })
        }
        return this.remember(key, parseCensusResponse((await response.json()) as CensusResponse))
      } catch (error) {
        lastError = error
      }
    }
    console.warn(`Census geocoder unavailable: ${(lastError as Error)?.message}`)
    throw new GeocoderUnavailableError((lastError as Error)?.message ?? 'geocoder unavailable')
  }

  private remember(key: string, value: GeocodeResult) {
    const max = this.options.maxEntries ?? 10_000
    if (this.cache.size >= max) this.cache.delete(this.cache.keys().next().value!)
    this.cache.set(key, { at: Date.now(), value })
    return value
  }
}

let provider: GeocoderProvider | undefined
let providerUrl: string | undefined

/** The configured provider (GEOCODER_URL). Rebuilt if the URL changes (tests point it at fakes). */
export function getGeocoder(): GeocoderProvider {
  const baseUrl = getEnv().GEOCODER_URL
  if (!provider || providerUrl !== baseUrl) {
    provider = new CensusGeocoder({ baseUrl })
    providerUrl = baseUrl
  }
  return provider
}
