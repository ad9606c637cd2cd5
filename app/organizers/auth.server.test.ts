import '#tests/setup/app-env'
import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { LOGIN_MAX_FAILURES_PER_IP, LOGIN_PAIR_FREE_FAILURES } from '#app/organizers/auth.server'
import { createOrganizer } from '#app/organizers/organizers.server'
import { action as loginAction } from '#app/routes/admin_.login'
import { action as logoutAction } from '#app/routes/admin.logout'
import { action as forgotAction } from '#app/routes/admin_.forgot-password'
import {
  action as resetAction,
  loader as resetLoader,
} from '#app/routes/admin_.reset-password.$token'
import { requireOrganizer } from '#app/http/session.server'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import {
  contextFor,
  loginForm,
  settle,
  signedInOrganizer,
  TEST_PASSWORD,
} from '#tests/setup/organizers'

appDatabase()

type DataResult = { init: { status: number; headers?: Record<string, string> }; data: unknown }

function asData(value: unknown): DataResult {
  return value as DataResult
}

async function newOrganizer(role: 'owner' | 'organizer' | 'viewer' = 'organizer') {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.org`
  const organizer = await createOrganizer(getSql(), { email, password: TEST_PASSWORD, role })
  return { organizer, email }
}

function tryLogin(email: string, password: string, ip: string, cookie?: string) {
  const request = loginForm({ email, password, redirectTo: '/admin/campaigns' })
  if (cookie) request.headers.set('Cookie', cookie)
  return settle(() => loginAction({ request, context: contextFor(ip), params: {} }))
}

const sha256 = (s: string) => createHash('sha256').update(s).digest()

describe('login', () => {
  test('the right password signs in: redirect, HttpOnly SameSite=Lax cookie, only the hash stored', async () => {
    const { email, organizer } = await newOrganizer()
    const { response } = await tryLogin(email.toUpperCase(), TEST_PASSWORD, '198.51.100.1')
    expect(response?.status).toBe(302)
    expect(response?.headers.get('Location')).toBe('/admin/campaigns')
    const setCookie = response!.headers.get('Set-Cookie')!
    expect(setCookie).toMatch(/^writ_admin=/)
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    expect(setCookie).toMatch(/Path=\//)
    const rows = await getSql()`
      select id_hash, expires_at from organizer_sessions where organizer_id = ${organizer.id}`
    expect(rows).toHaveLength(1)
    const cookieValue = decodeURIComponent(setCookie.split(';')[0].split('=').slice(1).join('='))
    const token = JSON.parse(Buffer.from(cookieValue, 'base64').toString('utf8')) as string
    expect(Buffer.from(rows[0].idHash as Buffer).equals(sha256(token))).toBe(true)
    // The token itself appears nowhere in the table.
    const [raw] = await getSql()`
      select count(*)::int as n from organizer_sessions s where s::text like ${'%' + token + '%'}`
    expect(raw.n).toBe(0)
  })

  test('a wrong password and an unknown email get the same answer', async () => {
    const { email } = await newOrganizer()
    const wrong = await tryLogin(email, 'not the password at all', '198.51.100.2')
    const unknown = await tryLogin(
      'nobody-here@example.org',
      'not the password at all',
      '198.51.100.3',
    )
    const a = asData(wrong.value)
    const b = asData(unknown.value)
    expect(a.init.status).toBe(401)
    expect(b.init.status).toBe(401)
    expect((a.data as { error: unknown }).error).toEqual((b.data as { error: unknown }).error)
    expect(JSON.stringify(a.data)).toContain('admin:login.invalid')
    expect(JSON.stringify(a.data)).not.toContain('not the password')
  })

  test('a disabled organizer cannot sign in, with the same message', async () => {
    const { email, organizer } = await newOrganizer()
    await getSql()`update organizers set disabled_at = now() where id = ${organizer.id}`
    const { value } = await tryLogin(email, TEST_PASSWORD, '198.51.100.4')
    expect(asData(value).init.status).toBe(401)
    expect(JSON.stringify(asData(value).data)).toContain('admin:login.invalid')
  })

  test("failures from many IPs against an owner's email do not lock the owner out of their own IP", async () => {
    const { email } = await newOrganizer('owner')
    for (let i = 0; i < 3 * LOGIN_PAIR_FREE_FAILURES; i++) {
      const { value } = await tryLogin(email, `wrong-${i}-password`, `203.0.113.${i + 1}`)
      expect(asData(value).init.status).toBe(401)
    }
    const { response } = await tryLogin(email, TEST_PASSWORD, '198.51.100.50')
    expect(response?.status).toBe(302)
  })

  test('one IP guessing one email waits longer after each failure; the owner elsewhere signs in', async () => {
    const { email } = await newOrganizer('owner')
    const attacker = '203.0.113.200'
    for (let i = 0; i < LOGIN_PAIR_FREE_FAILURES; i++) {
      const { value } = await tryLogin(email, `wrong-${i}-password`, attacker)
      expect(asData(value).init.status).toBe(401)
    }
    const retryAfters: number[] = []
    for (let round = 0; round < 3; round++) {
      // delayed: even the right password waits, so the delay answers nothing about the password
      const { value } = await tryLogin(email, TEST_PASSWORD, attacker)
      const limited = asData(value)
      expect(limited.init.status).toBe(429)
      expect(JSON.stringify(limited.data)).toContain('admin:login.rateLimited')
      const retryAfter = Number(limited.init.headers?.['Retry-After'])
      expect(retryAfter).toBeGreaterThan(0)
      expect(retryAfter).toBeLessThanOrEqual(15 * 60)
      retryAfters.push(retryAfter)
      // the delay passes (the stored failures are moved back in time), and the next guess fails
      await getSql()`
        update organizer_login_failures
        set created_at = created_at - make_interval(secs => ${retryAfter + 1})
        where scope = 'ip_email'`
      const { value: wrong } = await tryLogin(email, `wrong-again-${round}`, attacker)
      expect(asData(wrong).init.status).toBe(401)
    }
    expect(retryAfters[1]).toBeGreaterThan(retryAfters[0])
    expect(retryAfters[2]).toBeGreaterThan(retryAfters[1])
    // the owner, from their own address, is not affected
    const { response } = await tryLogin(email, TEST_PASSWORD, '198.51.100.51')
    expect(response?.status).toBe(302)
    // kept in Postgres (shared by every instance), keyed by keyed hashes only
    const rows = await getSql()`select scope, key from organizer_login_failures`
    expect(rows.some((r) => r.scope === 'email')).toBe(false)
    expect(rows.some((r) => (r.key as string).includes('@'))).toBe(false)
    expect(rows.some((r) => (r.key as string).includes(attacker))).toBe(false)
  })

  test('one IP trying many emails is limited too, and unknown emails are limited the same way', async () => {
    const ip = '198.51.100.77'
    for (let i = 0; i < LOGIN_MAX_FAILURES_PER_IP; i++) {
      const { value } = await tryLogin(`guess-${i}@example.org`, 'some password guess', ip)
      expect(asData(value).init.status).toBe(401)
    }
    const { value } = await tryLogin('guess-last@example.org', 'some password guess', ip)
    expect(asData(value).init.status).toBe(429)
    // another IP is not affected
    const other = await tryLogin('guess-other@example.org', 'some password guess', '198.51.100.78')
    expect(asData(other.value).init.status).toBe(401)
  })

  test('signing in rotates the session: the one the browser came with is deleted', async () => {
    const { email, organizer } = await newOrganizer()
    const first = await tryLogin(email, TEST_PASSWORD, '198.51.100.5')
    const firstCookie = first.response!.headers.get('Set-Cookie')!.split(';')[0]
    const second = await tryLogin(email, TEST_PASSWORD, '198.51.100.5', firstCookie)
    const secondCookie = second.response!.headers.get('Set-Cookie')!.split(';')[0]
    expect(secondCookie).not.toBe(firstCookie)
    const rows =
      await getSql()`select 1 from organizer_sessions where organizer_id = ${organizer.id}`
    expect(rows).toHaveLength(1)
    const old = new Request('http://localhost/admin', { headers: { Cookie: firstCookie } })
    const { response } = await settle(() => requireOrganizer(old, { as: 'resource' }))
    expect(response?.status).toBe(401)
    const current = new Request('http://localhost/admin', { headers: { Cookie: secondCookie } })
    expect((await requireOrganizer(current)).id).toBe(organizer.id)
  })

  test('redirectTo only goes to same-site paths', async () => {
    const { email } = await newOrganizer()
    const request = loginForm({ email, password: TEST_PASSWORD, redirectTo: '//evil.example/x' })
    const { response } = await settle(() =>
      loginAction({ request, context: contextFor('198.51.100.6'), params: {} }),
    )
    expect(response?.headers.get('Location')).toBe('/admin')
  })
})

describe('sessions', () => {
  test('idle expiry: a session unused for over 2 hours no longer signs in', async () => {
    const { cookie, organizer } = await signedInOrganizer('organizer')
    const request = () => new Request('http://localhost/admin', { headers: { Cookie: cookie } })
    expect((await requireOrganizer(request())).id).toBe(organizer.id)
    await getSql()`
      update organizer_sessions set last_seen_at = now() - interval '2 hours 1 minute'
      where organizer_id = ${organizer.id}`
    const { response } = await settle(() =>
      requireOrganizer(
        new Request('http://localhost/admin/campaigns', {
          headers: { Cookie: cookie, Accept: 'text/html' },
        }),
      ),
    )
    expect(response?.status).toBe(302)
    expect(response?.headers.get('Location')).toBe('/admin/login?redirectTo=%2Fadmin%2Fcampaigns')
  })

  test('absolute expiry: even an active session ends after 12 hours', async () => {
    const { cookie, organizer } = await signedInOrganizer('organizer')
    const [row] = await getSql()`
      select extract(epoch from expires_at - created_at)::int as seconds
      from organizer_sessions where organizer_id = ${organizer.id}`
    expect(row.seconds).toBeGreaterThanOrEqual(12 * 3600 - 5)
    expect(row.seconds).toBeLessThanOrEqual(12 * 3600 + 5)
    await getSql()`
      update organizer_sessions set expires_at = now() - interval '1 second', last_seen_at = now()
      where organizer_id = ${organizer.id}`
    const { response } = await settle(() =>
      requireOrganizer(new Request('http://localhost/admin', { headers: { Cookie: cookie } })),
    )
    expect(response?.status).toBe(401)
  })

  test('sign-out deletes the session and clears the cookie', async () => {
    const { cookie, organizer } = await signedInOrganizer('viewer')
    const request = new Request('http://localhost/admin/logout', {
      method: 'POST',
      headers: { Cookie: cookie },
    })
    const { response } = await settle(() =>
      logoutAction({ request, context: contextFor(), params: {} }),
    )
    expect(response?.status).toBe(302)
    expect(response?.headers.get('Set-Cookie')).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/)
    const rows =
      await getSql()`select 1 from organizer_sessions where organizer_id = ${organizer.id}`
    expect(rows).toHaveLength(0)
  })
})

describe('roles', () => {
  const req = (cookie?: string, accept?: string) =>
    new Request('http://localhost/admin/privacy', {
      headers: { ...(cookie ? { Cookie: cookie } : {}), ...(accept ? { Accept: accept } : {}) },
    })

  test('anonymous: pages redirect to the login page, resources get 401', async () => {
    const page = await settle(() => requireOrganizer(req(undefined, 'text/html')))
    expect(page.response?.status).toBe(302)
    expect(page.response?.headers.get('Location')).toMatch(/^\/admin\/login\?redirectTo=/)
    const resource = await settle(() => requireOrganizer(req(undefined, 'text/csv')))
    expect(resource.response?.status).toBe(401)
    const forced = await settle(() =>
      requireOrganizer(req(undefined, 'text/html'), { as: 'resource' }),
    )
    expect(forced.response?.status).toBe(401)
  })

  test('viewer: metrics yes, personal data and editing no; organizer: no owner pages', async () => {
    const viewer = await signedInOrganizer('viewer')
    const organizer = await signedInOrganizer('organizer')
    const owner = await signedInOrganizer('owner')
    expect((await requireOrganizer(req(viewer.cookie))).role).toBe('viewer')
    for (const options of [
      { pii: true },
      { role: 'organizer' as const },
      { role: 'owner' as const },
    ]) {
      const { response } = await settle(() => requireOrganizer(req(viewer.cookie), options))
      expect(response?.status).toBe(403)
    }
    expect((await requireOrganizer(req(organizer.cookie), { pii: true })).role).toBe('organizer')
    const { response } = await settle(() =>
      requireOrganizer(req(organizer.cookie), { role: 'owner' }),
    )
    expect(response?.status).toBe(403)
    expect((await requireOrganizer(req(owner.cookie), { role: 'owner', pii: true })).role).toBe(
      'owner',
    )
  })
})

describe('password reset', () => {
  function form(url: string, fields: Record<string, string>) {
    return new Request(url, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
  }

  test('emails a single-use link that sets a new password and ends every session', async () => {
    const { email, cookie, organizer } = await signedInOrganizer('organizer')
    const { value } = await settle(() =>
      forgotAction({
        request: form('http://localhost/admin/forgot-password?lang=es', { email }),
        context: contextFor('198.51.100.20'),
        params: {},
      }),
    )
    expect((value as { sent: boolean }).sent).toBe(true)
    const [mail] = await getSql()`
      select subject, text_body, template from outbound_emails where to_address = ${email}`
    expect(mail.template).toBe('password-reset')
    expect(mail.subject).toMatch(/Restablezca su contraseña/)
    const token = /\/admin\/reset-password\/([A-Za-z0-9_-]{43})/.exec(mail.textBody as string)![1]
    const [stored] = await getSql()`
      select token_hash, purpose, subject_id from email_tokens where subject_id = ${organizer.id}`
    expect(stored.purpose).toBe('password_reset')
    expect(Buffer.from(stored.tokenHash as Buffer).equals(sha256(token))).toBe(true)

    const url = `http://localhost/admin/reset-password/${token}`
    const page = await resetLoader({
      request: new Request(url),
      context: contextFor(),
      params: { token },
    })
    expect(asData(page).init.status).toBe(200)
    const newPassword = 'a brand new long password'
    const done = await settle(() =>
      resetAction({
        request: form(url, { password: newPassword, confirm: newPassword }),
        context: contextFor(),
        params: { token },
      }),
    )
    expect(done.response?.status).toBe(302)
    // signed out everywhere
    const { response } = await settle(() =>
      requireOrganizer(new Request('http://localhost/admin', { headers: { Cookie: cookie } })),
    )
    expect(response?.status).toBe(401)
    // the link works once
    const again = await settle(() =>
      resetAction({
        request: form(url, { password: 'yet another password!', confirm: 'yet another password!' }),
        context: contextFor(),
        params: { token },
      }),
    )
    expect(asData(again.value).init.status).toBe(410)
    // the new password signs in, the old one does not
    expect((await tryLogin(email, newPassword, '198.51.100.21')).response?.status).toBe(302)
    expect(asData((await tryLogin(email, TEST_PASSWORD, '198.51.100.22')).value).init.status).toBe(
      401,
    )
  })

  test('using one reset link ends the other links sent before it', async () => {
    const { email } = await newOrganizer()
    for (const ip of ['198.51.100.40', '198.51.100.41']) {
      const { value } = await settle(() =>
        forgotAction({
          request: form('http://localhost/admin/forgot-password', { email }),
          context: contextFor(ip),
          params: {},
        }),
      )
      expect((value as { sent: boolean }).sent).toBe(true)
    }
    const mails = await getSql()`
      select text_body from outbound_emails where to_address = ${email} and template = 'password-reset'
      order by id`
    expect(mails).toHaveLength(2)
    const [first, second] = mails.map(
      (m) => /\/admin\/reset-password\/([A-Za-z0-9_-]{43})/.exec(m.textBody as string)![1],
    )
    const use = (token: string, password: string) =>
      settle(() =>
        resetAction({
          request: form(`http://localhost/admin/reset-password/${token}`, {
            password,
            confirm: password,
          }),
          context: contextFor(),
          params: { token },
        }),
      )
    expect((await use(second, 'the password from the second link')).response?.status).toBe(302)
    // the older link, still unexpired, no longer opens the page nor sets a password
    const page = await resetLoader({
      request: new Request(`http://localhost/admin/reset-password/${first}`),
      context: contextFor(),
      params: { token: first },
    })
    expect(asData(page).init.status).toBe(410)
    expect(asData((await use(first, 'the password from the first link')).value).init.status).toBe(
      410,
    )
    expect(
      (await tryLogin(email, 'the password from the second link', '198.51.100.42')).response
        ?.status,
    ).toBe(302)
  })

  test('an unknown email gets the same answer and no email is queued', async () => {
    const before = await getSql()`select count(*)::int as n from outbound_emails`
    const { value } = await settle(() =>
      forgotAction({
        request: form('http://localhost/admin/forgot-password', { email: 'ghost@example.org' }),
        context: contextFor('198.51.100.30'),
        params: {},
      }),
    )
    expect((value as { sent: boolean }).sent).toBe(true)
    const after = await getSql()`select count(*)::int as n from outbound_emails`
    expect(after[0].n).toBe(before[0].n)
  })

  test('an expired link is refused', async () => {
    const { organizer } = await newOrganizer()
    const token = 'x'.repeat(43)
    await getSql()`
      insert into email_tokens (token_hash, purpose, subject_id, expires_at)
      values (${sha256(token)}, 'password_reset', ${organizer.id}, now() - interval '1 minute')`
    const page = await resetLoader({
      request: new Request(`http://localhost/admin/reset-password/${token}`),
      context: contextFor(),
      params: { token },
    })
    expect(asData(page).init.status).toBe(410)
  })
})
