import fs from 'node:fs'
import { createRequire } from 'node:module'
import { getEnv } from '#app/utils/env.server'
import { hmac, keyFor, verifyWithAnyKey } from '#app/utils/keys.server'
import type { Sql } from '#db/client'
import { getAccessRules } from './access-rules.server'
import { hitBuckets } from './bucket-hits.server'
import { emailDomain } from './client.server'
import { HONEYPOT_FIELD } from './honeypot'

// Bot defenses for public forms: the honeypot, a signed "form served at" timestamp (minimum fill
// time), an optional Cloudflare Turnstile check, and the flag that holds suspicious signatures for
// review.
// See docs/decisions/0601-bot-defenses.md.

/** The hidden field that carries the signed timestamp. */
export const FORM_TOKEN_FIELD = 'formStarted'
/** The field Turnstile's widget adds to the form. */
export const TURNSTILE_FIELD = 'cf-turnstile-response'

/** A bot filled the honeypot (app/safety/honeypot.tsx). */
export function honeypotFilled(formData: FormData): boolean {
  const value = formData.get(HONEYPOT_FIELD)
  return typeof value === 'string' && value.trim() !== ''
}

function mac(issuedAt: string, key = keyFor('form-token')) {
  return hmac('form-token', `form-started:${issuedAt}`, key).toString('base64url').slice(0, 22)
}

/**
 * A token saying "this form was served at now", unforgeable without SESSION_SECRET (signed with
 * its 'form-token' key; a page served before a rotation verifies under SESSION_SECRET_PREVIOUS).
 */
export function issueFormToken(now = Date.now()): string {
  const issuedAt = String(now)
  return `${issuedAt}.${mac(issuedAt)}`
}

export type FormTimingResult = 'ok' | 'too-fast' | 'expired' | 'invalid'

/** A served form's token is good for a day: an older one is a replay, not a person typing. */
export const FORM_TOKEN_MAX_AGE_MS = 24 * 3600_000

/**
 * Checks the form's timestamp. With MIN_FORM_FILL_MS = 0 the check is off. A missing or forged
 * token counts as invalid: bots that post without loading the page are refused like fast ones.
 * A token older than a day is expired, so one harvested token cannot be replayed for ever.
 */
export function checkFormTiming(
  value: FormDataEntryValue | null,
  now = Date.now(),
): FormTimingResult {
  const min = getEnv().MIN_FORM_FILL_MS
  if (min <= 0) return 'ok'
  if (typeof value !== 'string') return 'invalid'
  const match = /^(\d{13})\.([A-Za-z0-9_-]{22})$/.exec(value)
  if (!match) return 'invalid'
  if (!verifyWithAnyKey('form-token', match[2], (key) => mac(match[1], key))) return 'invalid'
  const issuedAt = Number(match[1])
  if (issuedAt > now + 60_000) return 'invalid' // from the future: not ours
  if (now - issuedAt > FORM_TOKEN_MAX_AGE_MS) return 'expired'
  return now - issuedAt < min ? 'too-fast' : 'ok'
}

// ---------------------------------------------------------------------------------------------
// Cloudflare Turnstile (optional: only when TURNSTILE_SECRET_KEY is set)

export type TurnstileResult = 'ok' | 'failed' | 'unavailable'

export function turnstileEnabled() {
  return Boolean(getEnv().TURNSTILE_SECRET_KEY)
}

/** Verifies the widget's response with Cloudflare's siteverify (5 s timeout). */
export async function verifyTurnstile(
  response: FormDataEntryValue | null,
  ip: string | null,
): Promise<TurnstileResult> {
  const env = getEnv()
  if (!env.TURNSTILE_SECRET_KEY) return 'ok'
  if (typeof response !== 'string' || !response || response.length > 2048) return 'failed'
  const body = new URLSearchParams({ secret: env.TURNSTILE_SECRET_KEY, response })
  if (ip) body.set('remoteip', ip)
  try {
    const res = await fetch(env.TURNSTILE_VERIFY_URL, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(5000),
    })
    if (!res.ok) return 'unavailable'
    const json = (await res.json()) as { success?: boolean }
    return json.success === true ? 'ok' : 'failed'
  } catch {
    return 'unavailable'
  }
}

// ---------------------------------------------------------------------------------------------
// Suspicious signatures

// The package's JSON is read, not imported: plain Node cannot import JSON without an import
// attribute, and a bundler inlining it would keep its 3 MB of source text in memory as well.
const disposable = new Set<string>(
  JSON.parse(
    fs.readFileSync(createRequire(import.meta.url).resolve('disposable-email-domains'), 'utf8'),
  ) as string[],
)

export function isDisposableDomain(email: string) {
  return disposable.has(emailDomain(email))
}

/**
 * Why a new signature should be held for an organizer's review, or null. Held signatures are
 * stored (the signer is told nothing different) but left out of counts and deliveries.
 * Allow-listed IPs and domains are never flagged. Counts the signature against its IP, so call
 * it once per signature about to be written: on the pool (one statement), or inside the signing
 * transaction, where signers from one IP then take turns until it ends.
 */
export async function flagReasonFor(
  sql: Sql,
  { email, ip, ipHash }: { email: string; ip: string | null; ipHash: string | null },
): Promise<string | null> {
  const env = getEnv()
  const rules = await getAccessRules(sql)
  const domain = emailDomain(email)
  if (rules.allowedDomains.has(domain)) return null
  if (disposable.has(domain)) return 'disposable_email'
  if (!ip || !ipHash) return null
  if (env.RATE_LIMIT_ALLOW_IPS.includes(ip) || rules.allowedIps.has(ip)) return null
  return ipBurstFlag(sql, ipHash)
}

/**
 * Counts the signature against its IP and flags it past FLAG_IP_SIGNATURES in the window. The
 * count is one statement on an UNLOGGED table (no WAL flush); inside a transaction, signers from
 * one IP take turns until it ends. Different IPs never wait on each other.
 */
export async function ipBurstFlag(sql: Sql, ipHash: string): Promise<string | null> {
  const env = getEnv()
  // sub-windows a tenth of the window long: the current one and those that started within the
  // window before it are summed, so the span is between one and 1.1 windows (ADR 1303)
  const step = Math.max(1, Math.ceil(env.FLAG_IP_WINDOW_SECONDS / 10))
  const [count] = await hitBuckets(sql, [
    { bucket: `sign-burst:ip:${ipHash}:${step}`, lookbackSeconds: env.FLAG_IP_WINDOW_SECONDS },
  ])
  return count!.recent > env.FLAG_IP_SIGNATURES ? 'ip_burst' : null
}
