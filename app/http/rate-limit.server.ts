import { data } from '@remix-run/node'
import {
  checkRateLimit,
  type LimitDecision,
  type LimitedAction,
} from '#app/safety/rate-limit.server'
import type { Sql } from '#db/client'

// Rate limits as HTTP, for routes: a capability returns `{ kind: 'limited', decision }` and the
// route throws what this gives; the route's ErrorBoundary renders it (docs/decisions/0600).

export type Refusal = Exclude<LimitDecision, { allowed: true }>

/** A 429 with Retry-After, or a 403 for a blocked client or domain. */
export function rateLimitRefusal(decision: Refusal) {
  if (decision.reason === 'blocked') return data('This request was refused.', { status: 403 })
  return data('Too many requests. Please wait and try again.', {
    status: 429,
    headers: { 'Retry-After': String(decision.retryAfterSeconds) },
  })
}

/** For a route's own limit: throws the refusal, or returns when the request may go on. */
export async function enforceRateLimit(
  sql: Sql,
  input: { action: LimitedAction; ip: string; email?: string | null },
): Promise<void> {
  const decision = await checkRateLimit(sql, input)
  if (!decision.allowed) throw rateLimitRefusal(decision)
}
