import type { Sql } from '#db/client'
import { deleteExpiredRateLimitWindows } from '#db/queries/safety'
import { getEnv } from '#app/utils/env.server'
import { getAccessRules } from './access-rules.server'
import { hitBuckets } from './bucket-hits.server'
import { emailDomain, emailLimitKey, hashIp } from './client.server'

// Fixed-window counters in Postgres (an UNLOGGED table), so limits hold across app instances.
// Each action has a burst and a sustained window per IP, and per email where there is one.
// See docs/decisions/0600-rate-limits.md.

export type LimitedAction =
  | 'sign'
  | 'letter'
  | 'donate'
  | 'donate_thanks'
  | 'login'
  | 'password_reset'
  | 'lookup'
  | 'manage_gift'
export type Rule = { windowSeconds: number; max: number }
export type ActionLimits = { ip: Rule[]; email?: Rule[] }

// Generous per IP: a campus or a mobile carrier puts many people behind one address.
export const DEFAULT_LIMITS: Record<LimitedAction, ActionLimits> = {
  sign: {
    ip: [
      { windowSeconds: 60, max: 60 },
      { windowSeconds: 3600, max: 1000 },
    ],
    email: [
      { windowSeconds: 60, max: 5 },
      { windowSeconds: 86_400, max: 100 },
    ],
  },
  letter: {
    ip: [
      { windowSeconds: 60, max: 30 },
      { windowSeconds: 3600, max: 500 },
    ],
    email: [
      { windowSeconds: 60, max: 3 },
      { windowSeconds: 86_400, max: 30 },
    ],
  },
  donate: {
    ip: [
      { windowSeconds: 60, max: 20 },
      { windowSeconds: 3600, max: 200 },
    ],
    email: [
      { windowSeconds: 60, max: 5 },
      { windowSeconds: 86_400, max: 30 },
    ],
  },
  // The thank-you page after Checkout asks Stripe about ?session_id= (cached per session id).
  donate_thanks: {
    ip: [
      { windowSeconds: 60, max: 30 },
      { windowSeconds: 3600, max: 300 },
    ],
  },
  login: {
    ip: [
      { windowSeconds: 60, max: 10 },
      { windowSeconds: 3600, max: 100 },
    ],
    email: [{ windowSeconds: 900, max: 5 }],
  },
  password_reset: {
    ip: [{ windowSeconds: 3600, max: 10 }],
    email: [{ windowSeconds: 3600, max: 3 }],
  },
  lookup: {
    ip: [
      { windowSeconds: 60, max: 120 },
      { windowSeconds: 3600, max: 3000 },
    ],
  },
  manage_gift: {
    ip: [{ windowSeconds: 3600, max: 20 }],
    email: [{ windowSeconds: 3600, max: 3 }],
  },
}

export function limitsFor(action: LimitedAction): ActionLimits {
  const overrides = getEnv().RATE_LIMITS
  return overrides?.[action] ?? DEFAULT_LIMITS[action]
}

export type LimitDecision =
  | { allowed: true }
  | { allowed: false; reason: 'rate_limited'; retryAfterSeconds: number }
  | { allowed: false; reason: 'blocked' }

export async function checkRateLimit(
  sql: Sql,
  { action, ip, email }: { action: LimitedAction; ip: string; email?: string | null },
): Promise<LimitDecision> {
  const env = getEnv()
  const rules = await getAccessRules(sql)
  const domain = email ? emailDomain(email) : undefined
  if (rules.blockedIps.has(ip) || (domain && rules.blockedDomains.has(domain))) {
    return { allowed: false, reason: 'blocked' }
  }
  if (env.RATE_LIMIT_ALLOW_IPS.includes(ip) || rules.allowedIps.has(ip)) return { allowed: true }
  if (domain && rules.allowedDomains.has(domain)) return { allowed: true }

  const limits = limitsFor(action)
  const counted: Array<{ bucket: string; max: number }> = []
  const ipKey = hashIp(ip)
  for (const r of limits.ip)
    counted.push({ bucket: `${action}:ip:${ipKey}:${r.windowSeconds}`, max: r.max })
  if (email && limits.email) {
    const emailKey = emailLimitKey(email)
    for (const r of limits.email)
      counted.push({ bucket: `${action}:email:${emailKey}:${r.windowSeconds}`, max: r.max })
  }
  // a bucket's window length is the fourth part of its name
  const counts = await hitBuckets(
    sql,
    counted.map((r) => ({ bucket: r.bucket, lookbackSeconds: 0 })),
  )
  let retryAfterSeconds = 0
  counts.forEach((count, i) => {
    if (count.hits > counted[i]!.max)
      retryAfterSeconds = Math.max(retryAfterSeconds, Math.max(1, count.retryAfter))
  })
  return retryAfterSeconds > 0
    ? { allowed: false, reason: 'rate_limited', retryAfterSeconds }
    : { allowed: true }
}

/** Old windows are useless; a recurring job deletes them (app/jobs/processors.server.ts). */
export function deleteExpiredRateLimits(sql: Sql): Promise<number> {
  return deleteExpiredRateLimitWindows(sql)
}
