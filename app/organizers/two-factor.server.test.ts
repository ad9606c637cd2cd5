import '#tests/setup/app-env'
import { generateTOTP } from '@epic-web/totp'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { getSql } from '#db/client'
import { parseEnv, resetEnv } from '#app/utils/env.server'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, signedInOrganizer, TEST_PASSWORD } from '#tests/setup/organizers'
import {
  completeSecondStep,
  getOrganizer,
  requireOrganizer,
  signIn,
  startSecondStep,
} from '#app/http/session.server'
import type { CurrentOrganizer } from './auth.server'
import {
  checkSecondFactor,
  confirmTwoFactor,
  disableTwoFactor,
  getTwoFactorState,
  RECOVERY_CODE_COUNT,
  TOTP_MAX_FAILURES,
} from './two-factor.server'

appDatabase()

// The start of the current time step (sessions expire by the database's clock, so stay near it);
// tests move the app's clock in whole steps, so "the next code" is always another step.
const T0 = Math.floor(Date.now() / 30_000) * 30_000

async function codeAt(secret: string, at: number) {
  vi.setSystemTime(at)
  return (await generateTOTP({ secret, period: 30, digits: 6, algorithm: 'SHA-1' })).otp
}

function asCurrent(o: { id: string; email: string; name: string; role: CurrentOrganizer['role'] }) {
  return { id: o.id, email: o.email, name: o.name, role: o.role }
}

/** A signed-in organizer with 2FA enrolled at T0; returns its secret and recovery codes. */
async function enrolled(role: CurrentOrganizer['role'] = 'owner') {
  const { organizer, email, cookie } = await signedInOrganizer(role)
  const me = asCurrent(organizer)
  const state = await getTwoFactorState(me)
  if (state.status !== 'enrolling') throw new Error('expected a pending enrolment')
  const result = await confirmTwoFactor(me, await codeAt(state.secret, T0))
  if (result.status !== 'ok') throw new Error(`enrolment failed: ${result.status}`)
  return { me, email, cookie, secret: state.secret, recoveryCodes: result.recoveryCodes }
}

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(T0)
})
afterAll(() => {
  vi.useRealTimers()
})
afterEach(() => {
  vi.setSystemTime(T0)
})

describe('enrolment', () => {
  test('shows a QR code and the key; a wrong code is refused; a right one enrols with 10 recovery codes', async () => {
    const { organizer } = await signedInOrganizer('owner')
    const me = asCurrent(organizer)
    const state = await getTwoFactorState(me)
    expect(state.status).toBe('enrolling')
    if (state.status !== 'enrolling') return
    expect(state.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(state.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(state.qrSvg).not.toMatch(/<script|style=/i)
    // the same pending key on the next visit (a reload does not invalidate the scanned code)
    expect(await getTwoFactorState(me)).toMatchObject({ status: 'enrolling', secret: state.secret })

    const good = await codeAt(state.secret, T0)
    const wrong = good === '000000' ? '111111' : '000000'
    expect(await confirmTwoFactor(me, wrong)).toEqual({ status: 'invalid' })
    const result = await confirmTwoFactor(me, good)
    expect(result.status).toBe('ok')
    if (result.status !== 'ok') return
    expect(result.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT)
    expect(new Set(result.recoveryCodes).size).toBe(RECOVERY_CODE_COUNT)
    for (const code of result.recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/)
    expect(await getTwoFactorState(me)).toMatchObject({ status: 'enrolled', recoveryCodesLeft: 10 })

    // Neither the key nor any recovery code is stored in the clear.
    const sql = getSql()
    const [row] = await sql`
      select count(*)::int as n from organizers o
      where o.id = ${me.id} and (encode(o.totp_secret, 'escape') like ${'%' + state.secret + '%'}
        or o::text like ${'%' + state.secret + '%'})`
    expect(row.n).toBe(0)
    const codes = await sql`
      select r::text as t from organizer_recovery_codes r where organizer_id = ${me.id}`
    expect(codes).toHaveLength(10)
    for (const code of result.recoveryCodes) {
      const plain = code.replace('-', '')
      expect(codes.some((c) => String(c.t).includes(plain))).toBe(false)
    }
    const audit = await sql`
      select action from audit_log where subject_id = ${me.id} order by id`
    expect(audit.map((a) => a.action)).toContain('organizer.two_factor_enrol')
  })

  test('the stored key is bound to its organizer: copied to another row it does not decrypt', async () => {
    const a = await enrolled()
    const { organizer } = await signedInOrganizer('owner')
    const sql = getSql()
    await sql`
      update organizers set totp_secret = (select totp_secret from organizers where id = ${a.me.id}),
        totp_enrolled_at = now()
      where id = ${organizer.id}`
    vi.setSystemTime(T0 + 60_000)
    const code = await codeAt(a.secret, T0 + 60_000)
    expect(await checkSecondFactor(organizer.id, code)).toEqual({ status: 'invalid' })
  })
})

describe('codes', () => {
  test('a code works once: the same code again (replay) is refused, the next step works', async () => {
    const { me, secret } = await enrolled()
    // the enrolment used T0's step
    expect(await checkSecondFactor(me.id, await codeAt(secret, T0))).toEqual({ status: 'invalid' })
    const next = await codeAt(secret, T0 + 30_000)
    expect(await checkSecondFactor(me.id, next)).toEqual({
      status: 'ok',
      usedRecoveryCode: false,
    })
    expect(await checkSecondFactor(me.id, next)).toEqual({ status: 'invalid' })
    // an older code still inside the drift window is refused once a later step was used
    vi.setSystemTime(T0 + 60_000)
    const later = await codeAt(secret, T0 + 90_000)
    vi.setSystemTime(T0 + 60_000)
    expect((await checkSecondFactor(me.id, later)).status).toBe('ok')
    expect(await checkSecondFactor(me.id, await codeAt(secret, T0 + 60_000))).toEqual({
      status: 'invalid',
    })
  })

  test('wrong codes are limited: after the maximum even the right code waits', async () => {
    const { me, secret } = await enrolled()
    const right = await codeAt(secret, T0 + 30_000)
    const wrong = right === '123456' ? '654321' : '123456'
    for (let i = 0; i < TOTP_MAX_FAILURES; i++) {
      expect(await checkSecondFactor(me.id, wrong)).toEqual({ status: 'invalid' })
    }
    const limited = await checkSecondFactor(me.id, right)
    expect(limited.status).toBe('rate_limited')
    if (limited.status === 'rate_limited') expect(limited.retryAfter).toBeGreaterThan(0)
  })

  test('a recovery code works once, in any case and spacing; its use is audited', async () => {
    const { me, recoveryCodes } = await enrolled()
    const [first, second] = recoveryCodes
    expect(await checkSecondFactor(me.id, first)).toEqual({ status: 'ok', usedRecoveryCode: true })
    expect(await checkSecondFactor(me.id, first)).toEqual({ status: 'invalid' })
    expect(await checkSecondFactor(me.id, ` ${second.toUpperCase().replace('-', ' ')} `)).toEqual({
      status: 'ok',
      usedRecoveryCode: true,
    })
    expect(await getTwoFactorState(me)).toMatchObject({ recoveryCodesLeft: 8 })
    const audit = await getSql()`
      select details from audit_log
      where subject_id = ${me.id} and action = 'organizer.recovery_code_used' order by id`
    expect(audit.map((a) => a.details)).toEqual([{ left: 9 }, { left: 8 }])
  })

  test('disabling needs a valid code, is audited and removes key and recovery codes', async () => {
    const { me, secret } = await enrolled('viewer')
    expect((await disableTwoFactor(me, '000000')).status).toBe('invalid')
    const result = await disableTwoFactor(me, await codeAt(secret, T0 + 30_000))
    expect(result.status).toBe('ok')
    expect((await getTwoFactorState(me)).status).toBe('enrolling')
    const sql = getSql()
    const [left] = await sql`
      select count(*)::int as n from organizer_recovery_codes where organizer_id = ${me.id}`
    expect(left.n).toBe(0)
    const [audit] = await sql`
      select count(*)::int as n from audit_log
      where subject_id = ${me.id} and action = 'organizer.two_factor_disable'`
    expect(audit.n).toBe(1)
  })
})

describe('sign-in', () => {
  function secondStep(cookie: string | null, code: string) {
    const headers = new Headers()
    if (cookie) headers.set('Cookie', cookie)
    return completeSecondStep(
      new Request('http://localhost/admin/login/two-factor', { method: 'POST', headers }),
      code,
    )
  }

  test('the right password of an enrolled organizer gives no session until the code', async () => {
    const { me, email, secret } = await enrolled()
    const result = await signIn(new Request('http://localhost/admin/login'), contextFor(), {
      email,
      password: TEST_PASSWORD,
    })
    expect(result).toEqual({ status: 'two_factor', organizerId: me.id })
    const pending = (await startSecondStep(me.id, '/admin/campaigns')).split(';')[0]
    // the pending cookie is not a session
    const asSession = new Request('http://localhost/admin', { headers: { Cookie: pending } })
    expect(await getOrganizer(asSession)).toBeNull()

    const code = await codeAt(secret, T0 + 30_000)
    expect(await secondStep(null, code)).toEqual({ status: 'expired' })
    // a forged cookie (the signature does not match) is no pending sign-in either
    const forged = pending.replace(/=.*/, '=eyJvIjoiYSIsInIiOiIvIiwieCI6OTk5OTk5OTk5OTk5OX0%3D')
    expect(await secondStep(forged, code)).toEqual({ status: 'expired' })

    const done = await secondStep(pending, code)
    expect(done.status).toBe('ok')
    if (done.status !== 'ok') return
    expect(done.redirectTo).toBe('/admin/campaigns')
    const session = done.setCookies[0].split(';')[0]
    const signedIn = await getOrganizer(
      new Request('http://localhost/admin', { headers: { Cookie: session } }),
    )
    expect(signedIn?.id).toBe(me.id)
    expect(done.setCookies[1]).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/)
  })

  test('the pending sign-in expires after five minutes', async () => {
    const { me, secret } = await enrolled()
    const pending = (await startSecondStep(me.id, '/admin')).split(';')[0]
    vi.setSystemTime(T0 + 5 * 60_000 + 1000)
    const code = await codeAt(secret, T0 + 5 * 60_000 + 1000)
    expect(await secondStep(pending, code)).toEqual({ status: 'expired' })
  })
})

describe('ORGANIZER_2FA', () => {
  test('defaults to required in production and optional elsewhere', () => {
    const base = { DATABASE_URL: 'postgres://x/y' }
    expect(parseEnv(base).ORGANIZER_2FA).toBe('optional')
    expect(parseEnv({ ...base, ORGANIZER_2FA: 'required' }).ORGANIZER_2FA).toBe('required')
    const production = parseEnv({
      ...base,
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(32),
      PUBLIC_URL: 'https://writ.example',
      SMTP_URL: 'smtp://mail.example',
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
    })
    expect(production.ORGANIZER_2FA).toBe('required')
    expect(() => parseEnv({ ...base, ORGANIZER_2FA: 'sometimes' })).toThrow(/ORGANIZER_2FA/)
  })

  describe('required', () => {
    beforeAll(() => {
      process.env.ORGANIZER_2FA = 'required'
      resetEnv()
    })
    afterAll(() => {
      delete process.env.ORGANIZER_2FA
      resetEnv()
    })

    function admin(path: string, cookie: string, accept = 'text/html') {
      return new Request(`http://localhost${path}`, { headers: { Cookie: cookie, Accept: accept } })
    }

    async function refusal(request: Request) {
      try {
        await requireOrganizer(request)
        return null
      } catch (thrown) {
        if (thrown instanceof Response) return thrown
        throw thrown
      }
    }

    test('blocks /admin for owners and organizers until they enrol; viewers may skip', async () => {
      for (const role of ['owner', 'organizer'] as const) {
        const { organizer, cookie } = await signedInOrganizer(role)
        const page = await refusal(admin('/admin/campaigns', cookie))
        expect(page?.status).toBe(302)
        expect(page?.headers.get('Location')).toBe('/admin/two-factor')
        const script = await refusal(admin('/admin/privacy/x/export.json', cookie, '*/*'))
        expect(script?.status).toBe(403)
        // the enrolment page itself (and its layout's loader) stays open
        expect(await refusal(admin('/admin/two-factor', cookie))).toBeNull()

        const me = asCurrent(organizer)
        const state = await getTwoFactorState(me)
        if (state.status !== 'enrolling') throw new Error('expected a pending enrolment')
        await confirmTwoFactor(me, await codeAt(state.secret, T0))
        expect(await refusal(admin('/admin/campaigns', cookie))).toBeNull()
      }
      const viewer = await signedInOrganizer('viewer')
      expect(await refusal(admin('/admin/campaigns', viewer.cookie))).toBeNull()
    })
  })
})
