import {
  lookupByAddress,
  lookupByZip,
  LookupInputError,
  resolveZipCandidate,
  type LookupResult,
} from './lookup.server'
import { getSql } from '#db/client'
import { checkRateLimit } from '#app/safety/rate-limit.server'

// The capability's entry points for routes: parse the query, look up, and say what went wrong.

export type RepresentativesQuery = {
  zip?: string
  address?: string
  /** a candidate district picked from an ambiguous ZIP, e.g. "NY-12" */
  district?: string
  includeState?: boolean
}

export type FindResult =
  | { ok: true; result: LookupResult }
  | { ok: false; status: 400 | 403 | 429 | 503; error: string; retryAfter?: number }

export function readRepresentativesQuery(params: URLSearchParams): RepresentativesQuery {
  const text = (name: string) => params.get(name)?.trim() || undefined
  return {
    zip: text('zip'),
    address: text('address') ?? text('street'),
    district: text('district'),
    includeState: ['1', 'true', 'yes'].includes(params.get('state_legislators') ?? ''),
  }
}

/** One lookup for a page or the API. Input mistakes are 400s; an outage of our DB is a 503. */
export async function findRepresentatives(
  query: RepresentativesQuery,
  client?: { ip: string },
): Promise<FindResult> {
  try {
    if (client) {
      // per-IP limits shared by all instances (docs/decisions/0600-rate-limits.md)
      const decision = await checkRateLimit(getSql(), { action: 'lookup', ip: client.ip })
      if (!decision.allowed) {
        return decision.reason === 'blocked'
          ? { ok: false, status: 403, error: 'This request was refused.' }
          : {
              ok: false,
              status: 429,
              error: 'Too many lookups from this address. Please wait a minute.',
              retryAfter: decision.retryAfterSeconds,
            }
      }
    }
    if (query.address) {
      return {
        ok: true,
        result: await lookupByAddress(
          { street: query.address, zip: query.zip },
          { includeState: query.includeState },
        ),
      }
    }
    if (query.zip && query.district) {
      return { ok: true, result: await resolveZipCandidate(query.zip, query.district) }
    }
    if (query.zip) return { ok: true, result: await lookupByZip(query.zip) }
    return { ok: false, status: 400, error: 'Give a zip (5 digits or ZIP+4) or an address.' }
  } catch (error) {
    if (error instanceof LookupInputError) return { ok: false, status: 400, error: error.message }
    console.error('Representative lookup failed', error)
    return {
      ok: false,
      status: 503,
      error: 'The representative lookup is unavailable. Please retry shortly.',
      retryAfter: 5,
    }
  }
}
