import { randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'
import { getSql, type Sql } from '#db/client'
import {
  clearFailures,
  deleteExpiredSessions,
  deleteSession,
  findLiveSession,
  findOrganizerByEmail,
  findOrganizerTotp,
  insertAudit,
  insertSession,
  pruneFailures,
  recentFailures,
  recordFailure,
  touchSession,
  type AuditEntry,
  type FailureScope,
  type OrganizerRole,
} from '#db/queries/organizers'
import { hashIp } from '#app/safety/client.server'
import { hashToken, newToken } from '#app/tokens/email-tokens.server'
import { getEnv } from '#app/utils/env.server'
import { hmac } from '#app/utils/keys.server'

// Organizer sign-in. Sessions live in Postgres; the cookie holds a random token and the table
// holds only its sha256. See docs/decisions/0500-organizer-sessions.md.

export type { OrganizerRole }

export type CurrentOrganizer = {
  id: string
  email: string
  name: string
  role: OrganizerRole
}

export const SESSION_IDLE_SECONDS = 2 * 60 * 60
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
/** last_seen_at is written at most this often, so a busy dashboard does not write per request. */
const TOUCH_EVERY_SECONDS = 60

export const LOGIN_WINDOW_SECONDS = 15 * 60
/**
 * Wrong passwords for one email from one IP (an IPv6 /64) before each further try waits:
 * LOGIN_PAIR_FIRST_DELAY_SECONDS, doubling per further failure, up to LOGIN_PAIR_MAX_DELAY_SECONDS.
 * Failures count for LOGIN_PAIR_WINDOW_SECONDS after the latest one. There is no lock per email
 * alone: failures from elsewhere never keep an owner out of their own address (ADR 0814).
 */
export const LOGIN_PAIR_FREE_FAILURES = 5
export const LOGIN_PAIR_FIRST_DELAY_SECONDS = 30
export const LOGIN_PAIR_MAX_DELAY_SECONDS = 15 * 60
export const LOGIN_PAIR_WINDOW_SECONDS = 60 * 60
/** Wrong passwords from one IP across any emails within LOGIN_WINDOW_SECONDS (spraying). */
export const LOGIN_MAX_FAILURES_PER_IP = 50
export const RESET_MAX_PER_EMAIL = 3
export const RESET_MAX_PER_IP = 10
export const MIN_PASSWORD_LENGTH = 12

const ROLE_RANK: Record<OrganizerRole, number> = { viewer: 0, organizer: 1, owner: 2 }

export function roleAtLeast(role: OrganizerRole, minimum: OrganizerRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum]
}

/** Whether this role may see supporters' personal data (exports, privacy requests). */
export function canSeePii(role: OrganizerRole): boolean {
  return roleAtLeast(role, 'organizer')
}

/**
 * ORGANIZER_2FA=required binds owners and anyone with supporters' personal data; viewers may skip.
 * See docs/decisions/0802-organizer-two-factor.md.
 */
export function twoFactorRequiredFor(role: OrganizerRole): boolean {
  return getEnv().ORGANIZER_2FA === 'required' && canSeePii(role)
}

// Passwords ---------------------------------------------------------------------------------

// @node-rs/argon2 defaults: argon2id, m=19456 KiB, t=2, p=1 (the OWASP baseline).
export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

let dummyHash: Promise<string> | undefined
/** Verifying against this when the email is unknown makes both failures cost the same work. */
function getDummyHash(): Promise<string> {
  dummyHash ??= hash(randomBytes(16).toString('hex'))
  return dummyHash
}

export function generatePassword(): string {
  return randomBytes(18).toString('base64url')
}

// Keys --------------------------------------------------------------------------------------

/** A keyed hash of an email for the failure table: no address is stored there. */
function emailKeyOf(email: string): string {
  return hmac('email-limit', `organizer-login:${email.trim().toLowerCase()}`)
    .toString('base64url')
    .slice(0, 22)
}

/**
 * Only same-origin paths: "/admin/x" yes; "//evil.example", "/\\evil.example", "https://…" no.
 * Browsers drop tabs and newlines from a Location before resolving it, so "/\t/evil.example"
 * would become "//evil.example": control characters and whitespace are refused outright, and
 * what is left must resolve to this origin.
 */
export function safeRedirect(
  to: FormDataEntryValue | string | null | undefined,
  fallback = '/admin',
) {
  // eslint-disable-next-line no-control-regex
  if (typeof to !== 'string' || !to.startsWith('/') || /[\u0000-\u0020\u007f-\u00a0\\]/.test(to))
    return fallback
  const base = 'http://writ.invalid'
  let url: URL
  try {
    url = new URL(to, base)
  } catch {
    return fallback
  }
  if (url.origin !== base || to.startsWith('//')) return fallback
  return `${url.pathname}${url.search}${url.hash}`
}

// Sessions ----------------------------------------------------------------------------------

/** The organizer a session token belongs to, or null. Touches the session (idle expiry) at most once a minute. */
export async function findOrganizerBySessionToken(
  token: string,
  sql: Sql = getSql(),
): Promise<CurrentOrganizer | null> {
  const idHash = hashToken(token)
  const session = await findLiveSession(sql, idHash, SESSION_IDLE_SECONDS)
  if (!session) return null
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_SECONDS * 1000) {
    await touchSession(sql, idHash)
  }
  return { id: session.id, email: session.email, name: session.name, role: session.role }
}

/** Where 2FA is required for this organizer's role and they have not enrolled yet. */
export async function mustEnrolTwoFactor(
  organizer: CurrentOrganizer,
  sql: Sql = getSql(),
): Promise<boolean> {
  if (!twoFactorRequiredFor(organizer.role)) return false
  const totp = await findOrganizerTotp(sql, organizer.id)
  return !totp?.totpEnrolledAt
}

/** A new session for the organizer; returns the token for the cookie (the table holds its hash). */
export async function startSession(
  sql: Sql,
  organizerId: string,
  userAgent: string | null,
): Promise<string> {
  const token = newToken()
  await insertSession(sql, {
    idHash: hashToken(token),
    organizerId,
    expiresAt: new Date(Date.now() + SESSION_ABSOLUTE_SECONDS * 1000),
    userAgent: userAgent?.slice(0, 300) ?? null,
  })
  return token
}

/** Ends the session the token belongs to (if any). */
export async function endSession(token: string, sql: Sql = getSql()): Promise<void> {
  await deleteSession(sql, hashToken(token))
}

// Rate limiting -----------------------------------------------------------------------------

type Limit = { scope: FailureScope; key: string; max: number }

async function checkLimits(sql: Sql, limits: Limit[]): Promise<number | null> {
  let retryAfter: number | null = null
  for (const limit of limits) {
    const { count, oldest } = await recentFailures(
      sql,
      limit.scope,
      limit.key,
      LOGIN_WINDOW_SECONDS,
    )
    if (count >= limit.max && oldest) {
      const seconds = Math.max(
        1,
        Math.ceil((oldest.getTime() + LOGIN_WINDOW_SECONDS * 1000 - Date.now()) / 1000),
      )
      retryAfter = Math.max(retryAfter ?? 0, seconds)
    }
  }
  return retryAfter
}

/**
 * How long a pair waits after its latest failure, given how many it has (0: no wait). Each failure past the free ones
 * doubles the wait, counted from the latest failure.
 */
export function pairDelaySeconds(failures: number): number {
  if (failures < LOGIN_PAIR_FREE_FAILURES) return 0
  const doublings = Math.min(failures - LOGIN_PAIR_FREE_FAILURES, 30)
  return Math.min(LOGIN_PAIR_FIRST_DELAY_SECONDS * 2 ** doublings, LOGIN_PAIR_MAX_DELAY_SECONDS)
}

async function checkPairDelay(sql: Sql, pairKey: string): Promise<number | null> {
  const { count, newest } = await recentFailures(
    sql,
    'ip_email',
    pairKey,
    LOGIN_PAIR_WINDOW_SECONDS,
  )
  const delay = pairDelaySeconds(count)
  if (!delay || !newest) return null
  const wait = Math.ceil((newest.getTime() + delay * 1000 - Date.now()) / 1000)
  return wait > 0 ? wait : null
}

export type LoginInput = {
  email: string
  password: string
  /** The client's address (an IPv6 /64 counts as one), for the failure limits. */
  ip: string
  /** The session the request came with, if any: it ends on a right password (rotation). */
  previousSessionToken: string | null
  userAgent: string | null
}

export type LoginResult =
  | { status: 'ok'; organizer: CurrentOrganizer; sessionToken: string }
  /** The password was right; a session starts only after the second step. */
  | { status: 'two_factor'; organizerId: string }
  | { status: 'invalid' }
  | { status: 'rate_limited'; retryAfter: number }

/**
 * Checks the limits, verifies the password (against a dummy hash when the email is unknown, so the
 * answer and the work are the same either way), and on success starts a fresh session, dropping
 * the previous one (rotation).
 */
export async function login(input: LoginInput, sql: Sql = getSql()): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase()
  const ipKey = hashIp(input.ip)
  const pairKey = `${ipKey}.${emailKeyOf(email)}`
  const retryAfter = Math.max(
    (await checkLimits(sql, [{ scope: 'ip', key: ipKey, max: LOGIN_MAX_FAILURES_PER_IP }])) ?? 0,
    (await checkPairDelay(sql, pairKey)) ?? 0,
  )
  if (retryAfter > 0) return { status: 'rate_limited', retryAfter }

  const organizer = await findOrganizerByEmail(sql, email)
  const valid = organizer
    ? await verifyPassword(organizer.passwordHash, input.password)
    : (await verifyPassword(await getDummyHash(), input.password), false)
  if (!organizer || !valid || organizer.disabledAt) {
    await recordFailure(sql, 'ip_email', pairKey)
    await recordFailure(sql, 'ip', ipKey)
    if (Math.random() < 0.05) await pruneFailures(sql, 24 * 60 * 60)
    return { status: 'invalid' }
  }
  await clearFailures(sql, 'ip_email', pairKey)
  if (input.previousSessionToken) await endSession(input.previousSessionToken, sql)
  if ((await findOrganizerTotp(sql, organizer.id))?.totpEnrolledAt) {
    return { status: 'two_factor', organizerId: organizer.id }
  }
  await deleteExpiredSessions(sql, organizer.id, SESSION_IDLE_SECONDS)
  const sessionToken = await startSession(sql, organizer.id, input.userAgent)
  return {
    status: 'ok',
    sessionToken,
    organizer: {
      id: organizer.id,
      email: organizer.email,
      name: organizer.name,
      role: organizer.role,
    },
  }
}

/** Password-reset requests share the failure table as a plain request counter. */
export async function checkResetLimit(
  input: { email: string; ip: string },
  sql: Sql = getSql(),
): Promise<number | null> {
  const emailKey = emailKeyOf(input.email)
  const ipKey = hashIp(input.ip)
  const retryAfter = await checkLimits(sql, [
    { scope: 'reset_email', key: emailKey, max: RESET_MAX_PER_EMAIL },
    { scope: 'reset_ip', key: ipKey, max: RESET_MAX_PER_IP },
  ])
  if (retryAfter === null) {
    await recordFailure(sql, 'reset_email', emailKey)
    await recordFailure(sql, 'reset_ip', ipKey)
  }
  return retryAfter
}

export async function audit(sql: Sql, entry: AuditEntry) {
  await insertAudit(sql, entry)
}
