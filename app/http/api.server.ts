import type { AppLoadContext } from '@remix-run/node'
import {
  authenticate,
  parseListQuery,
  type ListOutcome,
  type ListParams,
  type RateState,
} from '#app/api/api.server'
import { PROBLEM_TYPES, type ProblemType } from '#app/api/problems'
import { operation } from '#app/api/schemas'
import { getEnv } from '#app/utils/env.server'
import { clientIp } from './session.server'

// /api/v1 as HTTP: Bearer keys (never cookies), RFC 9457 problem+json errors, RateLimit headers,
// and Link headers on lists. Routes call apiRoute with their operation id and one domain call.
// See docs/decisions/1000-rest-api.md.

export function problem(
  status: number,
  type: ProblemType,
  extra: { detail?: string; errors?: Array<{ pointer: string; detail: string }> } = {},
  headers: Record<string, string> = {},
): Response {
  return new Response(
    JSON.stringify({
      type: `${getEnv().PUBLIC_URL}/api/docs#problem-${type}`,
      title: PROBLEM_TYPES[type],
      status,
      ...extra,
    }),
    {
      status,
      headers: {
        'Content-Type': 'application/problem+json',
        'Cache-Control': 'no-store',
        ...headers,
      },
    },
  )
}

function rateHeaders(rate: RateState): Record<string, string> {
  // draft-ietf-httpapi-ratelimit-headers: the policy, and what is left of it
  return {
    'RateLimit-Policy': `"per-key";q=${rate.limit};w=60`,
    RateLimit: `"per-key";r=${rate.remaining};t=${rate.resetSeconds}`,
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  })
}

type Handler = (input: { url: URL; request: Request }) => Promise<Response>

/**
 * Authenticates the request for operation `opId` and runs `handler`; every answer carries the
 * key's RateLimit headers.
 */
export async function apiRoute(
  args: { request: Request; context?: AppLoadContext },
  opId: string,
  handler: Handler,
): Promise<Response> {
  const op = operation(opId)
  const url = new URL(args.request.url)
  const auth = await authenticate(
    args.request.headers.get('Authorization'),
    { method: args.request.method, path: url.pathname, ip: clientIp(args.context) },
    op,
  )
  if (auth.kind === 'unauthorized') {
    return problem(
      401,
      'unauthorized',
      {
        detail:
          'Send an API key as "Authorization: Bearer writ_…". Owners make keys in /admin/api.',
      },
      { 'WWW-Authenticate': 'Bearer realm="writ-api"' },
    )
  }
  const headers = rateHeaders(auth.rate)
  if (auth.kind !== 'ok') await auth.audited
  if (auth.kind === 'limited') {
    return problem(
      429,
      'rate-limited',
      { detail: `This key may make ${auth.rate.limit} requests a minute.` },
      { ...headers, 'Retry-After': String(auth.rate.resetSeconds) },
    )
  }
  if (auth.kind === 'forbidden') {
    return problem(
      403,
      'forbidden',
      { detail: `This route needs the ${auth.scope} scope.` },
      headers,
    )
  }
  // the work and the audit row's commit overlap; the answer waits for both
  const [response] = await Promise.all([handler({ url, request: args.request }), auth.audited])
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value)
  return response
}

/** A list route's handler: parses ?after/limit/updated_since and answers a page with Link. */
export function listHandler(list: (params: ListParams) => Promise<ListOutcome<unknown>>): Handler {
  return async ({ url }) => {
    const query = parseListQuery(url.searchParams)
    if (query.kind === 'invalid') {
      return problem(422, 'invalid-request', {
        detail: 'The query parameters are not valid.',
        errors: query.errors,
      })
    }
    const outcome = await list(query.params)
    if (outcome.kind === 'bad-cursor') {
      return problem(422, 'invalid-request', {
        detail: 'The `after` cursor is not one this API gave.',
        errors: [{ pointer: '/after', detail: 'Unknown cursor.' }],
      })
    }
    if (outcome.kind === 'not-found') return problem(404, 'not-found')
    const headers: Record<string, string> = {}
    if (outcome.page.next) {
      const next = new URL(url.pathname, getEnv().PUBLIC_URL)
      for (const [k, v] of url.searchParams) if (k !== 'after') next.searchParams.set(k, v)
      next.searchParams.set('after', outcome.page.next)
      headers.Link = `<${next.toString()}>; rel="next"`
    }
    return json(outcome.page, 200, headers)
  }
}

/** Routes answer only their own methods: anything else is 405 problem+json. */
export function methodNotAllowed(allow: string): Response {
  return problem(405, 'method-not-allowed', {}, { Allow: allow })
}
