import { createCookie, redirect, type AppLoadContext } from '@remix-run/node'
import { getSql, type Db, type Sql } from '#db/client'
import {
  canSeePii,
  endSession,
  findOrganizerBySessionToken,
  login,
  mustEnrolTwoFactor,
  roleAtLeast,
  safeRedirect,
  SESSION_ABSOLUTE_SECONDS,
  type CurrentOrganizer,
  type OrganizerRole,
} from '#app/organizers/auth.server'
import {
  PENDING_LOGIN_SECONDS,
  verifySecondStep,
  type PendingLogin,
} from '#app/organizers/two-factor.server'
import { cookieName, cookieSecure } from '#app/utils/cookies.server'
import { keysFor } from '#app/utils/keys.server'

// The HTTP side of organizer sign-in: the session and pending-login cookies, and the guards every
// /admin loader and action starts with. The rules themselves live in app/organizers.
// See docs/decisions/0500-organizer-sessions.md and 0802-organizer-two-factor.md.

const TWO_FACTOR_PATH = '/admin/two-factor'

/** The client's address, from the load context that server/app.ts fills (Express req.ip). */
export function clientIp(context?: AppLoadContext | null): string {
  return context?.clientIp ?? 'unknown'
}

// The session cookie ------------------------------------------------------------------------

// It holds a random token; the sessions table holds only its sha256.
let sessionCookie: ReturnType<typeof createCookie> | undefined
function getSessionCookie() {
  sessionCookie ??= createCookie(cookieName('writ_admin'), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: cookieSecure(),
    maxAge: SESSION_ABSOLUTE_SECONDS,
  })
  return sessionCookie
}

async function readSessionToken(request: Request): Promise<string | null> {
  const value = await getSessionCookie().parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length >= 32 ? value : null
}

function sessionSetCookie(token: string): Promise<string> {
  return getSessionCookie().serialize(token)
}

/** The signed-in organizer, or null. */
export async function getOrganizer(
  request: Request,
  sql: Sql = getSql(),
): Promise<CurrentOrganizer | null> {
  const token = await readSessionToken(request)
  return token ? findOrganizerBySessionToken(token, sql) : null
}

export type RequireOptions = {
  /** The least role allowed (owner > organizer > viewer). Default: viewer. */
  role?: OrganizerRole
  /** Supporters' personal data: refuses viewers. */
  pii?: boolean
  /**
   * How to refuse an anonymous request: 'page' redirects to the login page, 'resource' answers
   * 401. By default a browser navigation (Sec-Fetch-Dest or Accept: text/html) is redirected and
   * anything else (scripts, CSV downloads by curl) gets 401.
   */
  as?: 'page' | 'resource'
}

function isAsPage(request: Request, options: RequireOptions): boolean {
  return (
    options.as === 'page' ||
    (options.as !== 'resource' &&
      (Boolean(request.headers.get('Sec-Fetch-Dest')) ||
        (request.headers.get('Accept') ?? '').includes('text/html')))
  )
}

function refusal(message: string, status: number): Response {
  return new Response(message, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}

/**
 * Every /admin loader and action starts with this. Anonymous: redirect to /admin/login (pages) or
 * 401 (resources). Signed in without the role, or a viewer on personal data: 403.
 */
export async function requireOrganizer(
  request: Request,
  options: RequireOptions = {},
): Promise<CurrentOrganizer> {
  const organizer = await getOrganizer(request)
  if (!organizer) {
    if (!isAsPage(request, options)) throw refusal('Sign in required.', 401)
    const url = new URL(request.url)
    const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })
    throw redirect(`/admin/login?${params}`, { headers: { 'Cache-Control': 'no-store' } })
  }
  const minimum = options.pii && !options.role ? 'organizer' : (options.role ?? 'viewer')
  if (!roleAtLeast(organizer.role, minimum) || (options.pii && !canSeePii(organizer.role))) {
    throw refusal('Your role does not allow this.', 403)
  }
  await requireTwoFactorEnrolment(request, options, organizer)
  return organizer
}

/**
 * Where 2FA is required and not yet enrolled, every /admin page and action but the enrolment page
 * itself sends the organizer to enrol (the layout's loader runs for that page too, hence the path).
 */
async function requireTwoFactorEnrolment(
  request: Request,
  options: RequireOptions,
  organizer: CurrentOrganizer,
) {
  if (new URL(request.url).pathname.replace(/\.data$/, '') === TWO_FACTOR_PATH) return
  if (!(await mustEnrolTwoFactor(organizer))) return
  if (!isAsPage(request, options)) {
    throw refusal('Two-factor sign-in must be set up first.', 403)
  }
  throw redirect(TWO_FACTOR_PATH, { headers: { 'Cache-Control': 'no-store' } })
}

export type SignInResult =
  | { status: 'ok'; organizer: CurrentOrganizer; setCookie: string }
  | { status: 'two_factor'; organizerId: string }
  | { status: 'invalid' }
  | { status: 'rate_limited'; retryAfter: number }

/** The password step, with the request's client IP, session cookie (rotated) and User-Agent. */
export async function signIn(
  request: Request,
  context: AppLoadContext | null | undefined,
  input: { email: string; password: string },
  sql: Sql = getSql(),
): Promise<SignInResult> {
  const result = await login(
    {
      email: input.email,
      password: input.password,
      ip: clientIp(context),
      previousSessionToken: await readSessionToken(request),
      userAgent: request.headers.get('User-Agent'),
    },
    sql,
  )
  if (result.status !== 'ok') return result
  return {
    status: 'ok',
    organizer: result.organizer,
    setCookie: await sessionSetCookie(result.sessionToken),
  }
}

/** Ends the session in the database and clears the cookie. */
export async function logout(request: Request, sql: Sql = getSql()): Promise<string> {
  const token = await readSessionToken(request)
  if (token) await endSession(token, sql)
  return getSessionCookie().serialize('', { maxAge: 0, expires: new Date(0) })
}

// The pending-login cookie ------------------------------------------------------------------

// Between the password and the code the browser holds only this signed, five-minute cookie: the
// organizer's id and where to go next. It is not a session; nothing under /admin accepts it.
// Signed with the current 'pending-login' key; one signed before a rotation still reads.
let pendingCookie: { keys: Buffer[]; cookie: ReturnType<typeof createCookie> } | undefined
function getPendingCookie() {
  const keys = keysFor('pending-login')
  if (pendingCookie?.keys !== keys) {
    pendingCookie = {
      keys,
      cookie: createCookie(cookieName('writ_admin_2fa'), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: cookieSecure(),
        maxAge: PENDING_LOGIN_SECONDS,
        secrets: keys.map((k) => k.toString('base64')),
      }),
    }
  }
  return pendingCookie.cookie
}

/** After a right password for an enrolled organizer: the cookie for the second step. */
export function startSecondStep(organizerId: string, redirectTo: string | undefined) {
  return getPendingCookie().serialize({
    o: organizerId,
    r: safeRedirect(redirectTo),
    x: Date.now() + PENDING_LOGIN_SECONDS * 1000,
  })
}

export async function readPendingLogin(request: Request): Promise<PendingLogin | null> {
  const value: unknown = await getPendingCookie().parse(request.headers.get('Cookie'))
  if (!value || typeof value !== 'object') return null
  const { o, r, x } = value as { o?: unknown; r?: unknown; x?: unknown }
  if (typeof o !== 'string' || typeof r !== 'string' || typeof x !== 'number') return null
  if (x < Date.now()) return null
  return { organizerId: o, redirectTo: safeRedirect(r) }
}

export function clearPendingLogin() {
  return getPendingCookie().serialize('', { maxAge: 0, expires: new Date(0) })
}

export type CompleteSecondStepResult =
  | { status: 'ok'; setCookies: string[]; redirectTo: string }
  | { status: 'expired' }
  | { status: 'invalid' }
  | { status: 'rate_limited'; retryAfter: number }

/** The code step: on success, the session cookie and the pending cookie cleared. */
export async function completeSecondStep(
  request: Request,
  code: string,
  db: Db = getSql(),
): Promise<CompleteSecondStepResult> {
  const result = await verifySecondStep(
    {
      pending: await readPendingLogin(request),
      code,
      userAgent: request.headers.get('User-Agent'),
    },
    db,
  )
  if (result.status !== 'ok') return result
  return {
    status: 'ok',
    setCookies: [await sessionSetCookie(result.sessionToken), await clearPendingLogin()],
    redirectTo: result.redirectTo,
  }
}
