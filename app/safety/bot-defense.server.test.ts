import http from 'node:http'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { issueFormToken } from '#app/safety/bot-defense.server'
import { resetEnv } from '#app/utils/env.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import { runServer, type RunningServer } from '../../server/run'

// Bot defenses over HTTP, against the real built app (run `npx remix build` first): the minimum
// form-fill time (on here, at 2 s), the honeypot, and the suspicious-signature flag.

const SLUG = 'stop-red-notice-detentions'
let db: TestDatabase & { drop(): Promise<void> }
let server: RunningServer
// A stand-in for Cloudflare's siteverify: 'pass' passes, 'down' answers 500, anything else fails.
let siteverify: http.Server
const verifyCalls: URLSearchParams[] = []
const saved = { ...process.env }

beforeAll(async () => {
  db = await createTestDatabase()
  siteverify = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const params = new URLSearchParams(body)
      verifyCalls.push(params)
      if (params.get('response') === 'down') {
        res.statusCode = 500
        res.end()
        return
      }
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ success: params.get('response') === 'pass' }))
    })
  })
  await new Promise<void>((r) => siteverify.listen(0, '127.0.0.1', () => r()))
  const { port } = siteverify.address() as { port: number }
  Object.assign(process.env, {
    TURNSTILE_SITE_KEY: '1x00000000000000000000AA',
    TURNSTILE_SECRET_KEY: 'turnstile-secret',
    TURNSTILE_VERIFY_URL: `http://127.0.0.1:${port}/siteverify`,
    DATABASE_URL: db.url,
    RUN_WORKER: 'false',
    TRUST_PROXY: '1',
    SESSION_SECRET: 'bot-defenses-'.padEnd(40, 'x'),
    MIN_FORM_FILL_MS: '2000',
  })
  resetEnv()
  server = await runServer({ port: 0, host: '127.0.0.1' })
})

afterAll(async () => {
  await server?.close()
  siteverify?.close()
  await db?.drop()
  process.env = saved
  resetEnv()
})

function post(path: string, fields: Record<string, string>, { ip }: { ip?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (ip) headers['x-forwarded-for'] = ip
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(fields),
    redirect: 'manual',
  })
}

// A token minted as the page would have, three seconds ago: a person who took their time.
const patient = () => issueFormToken(Date.now() - 3000)

const signer = (email: string, extra: Record<string, string> = {}) => ({
  firstName: 'Ana',
  lastName: 'Ruiz',
  email,
  zip: '30303',
  formStarted: patient(),
  'cf-turnstile-response': 'pass',
  ...extra,
})

async function signaturesFrom(email: string) {
  return db.sql<{ held: boolean; flagReason: string | null }[]>`
    select s.held, s.flag_reason from signatures s join supporters p on p.id = s.supporter_id
    where p.email = ${email} order by s.id`
}

async function publicCount() {
  const [{ total }] = await db.sql<{ total: number }[]>`
    select coalesce(sum(total), 0)::int as total from signature_counts
    where campaign_id = (select id from campaigns where slug = ${SLUG})`
  return total
}

describe('bot defenses', () => {
  async function formToken(path: string) {
    const html = await (await fetch(`${server.url}${path}`)).text()
    const token = /name="formStarted" value="([^"]+)"/.exec(html)?.[1]
    expect(token, `${path} serves a form token`).toBeDefined()
    return token!
  }

  test('a form posted sooner than MIN_FORM_FILL_MS, or without its token, is refused and stores nothing', async () => {
    const token = await formToken(`/c/${SLUG}`)
    const fast = await post(`/c/${SLUG}`, signer('fast@example.org', { formStarted: token }), {
      ip: '192.0.2.210',
    })
    expect(fast.status).toBe(400)
    expect(await fast.text()).toContain('That was quick!')
    const missing = await post(`/c/${SLUG}`, signer('fast@example.org', { formStarted: '' }), {
      ip: '192.0.2.210',
    })
    expect(missing.status).toBe(400)
    const forged = await post(
      `/c/${SLUG}`,
      signer('fast@example.org', { formStarted: `${Date.now() - 10_000}.AAAAAAAAAAAAAAAAAAAAAA` }),
      { ip: '192.0.2.210' },
    )
    expect(forged.status).toBe(400)
    // The app's own token, but served more than a day ago: a replay, refused.
    const stale = await post(
      `/c/${SLUG}`,
      signer('fast@example.org', { formStarted: issueFormToken(Date.now() - 25 * 3600_000) }),
      { ip: '192.0.2.210' },
    )
    expect(stale.status).toBe(400)
    expect(await signaturesFrom('fast@example.org')).toEqual([])

    // A token served long enough ago passes (the app's own token, minted as the page would).
    const ok = await post(`/c/${SLUG}`, signer('fast@example.org'), { ip: '192.0.2.210' })
    expect(ok.status).toBe(303)
    expect(await signaturesFrom('fast@example.org')).toHaveLength(1)

    // The donate form carries a token too, and refuses a fast post before Stripe is called.
    const donateToken = await formToken('/donate')
    const donate = await post(
      '/donate',
      { frequency: 'once', amount: '10', email: 'fast@example.org', formStarted: donateToken },
      { ip: '192.0.2.211' },
    )
    expect(donate.status).toBe(400)
    expect(await donate.text()).toContain('That was quick!')
  })

  test('the honeypot: a 303 like a person gets, and nothing stored (sign and donate)', async () => {
    const sign = await post(`/c/${SLUG}`, signer('bot@example.org', { website: 'spam.example' }), {
      ip: '192.0.2.220',
    })
    expect(sign.status).toBe(303)
    expect(await signaturesFrom('bot@example.org')).toEqual([])
    const donate = await post(
      '/donate',
      {
        frequency: 'once',
        amount: '10',
        email: 'bot@example.org',
        firstName: 'B',
        website: 'spam.example',
        formStarted: patient(),
      },
      { ip: '192.0.2.220' },
    )
    expect(donate.status).toBe(303)
    expect(donate.headers.get('location')).toBe('/donate')
    const [{ n }] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from supporters where email = 'bot@example.org'`
    expect(n).toBe(0)
  })

  test('a disposable email domain is held for review and left out of the count', async () => {
    const before = await publicCount()
    const res = await post(`/c/${SLUG}`, signer('throwaway@mailinator.com'), {
      ip: '192.0.2.230',
    })
    expect(res.status).toBe(303)
    expect(await signaturesFrom('throwaway@mailinator.com')).toEqual([
      { held: true, flagReason: 'disposable_email' },
    ])
    expect(await publicCount()).toBe(before)
  })
})

describe('Cloudflare Turnstile (on here: both keys are set)', () => {
  test('the sign page shows the widget and its origin joins the CSP', async () => {
    const res = await fetch(`${server.url}/c/${SLUG}`)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src[^;]*https:\/\/challenges\.cloudflare\.com/)
    expect(csp).toMatch(/frame-src[^;]*https:\/\/challenges\.cloudflare\.com/)
    const html = await res.text()
    expect(html).toContain('data-sitekey="1x00000000000000000000AA"')
    expect(html).toContain('src="https://challenges.cloudflare.com/turnstile/v0/api.js"')
  })

  test('a failed or missing check is a 400 that stores nothing; Cloudflare down is a 503', async () => {
    const failed = await post(
      `/c/${SLUG}`,
      signer('turnstile@example.org', { 'cf-turnstile-response': 'robot' }),
      { ip: '192.0.2.240' },
    )
    expect(failed.status).toBe(400)
    expect(await failed.text()).toContain('We could not check that you are a person')
    const missing = await post(
      `/c/${SLUG}`,
      signer('turnstile@example.org', { 'cf-turnstile-response': '' }),
      { ip: '192.0.2.240' },
    )
    expect(missing.status).toBe(400)
    const down = await post(
      `/c/${SLUG}`,
      signer('turnstile@example.org', { 'cf-turnstile-response': 'down' }),
      { ip: '192.0.2.240' },
    )
    expect(down.status).toBe(503)
    expect(down.headers.get('retry-after')).toBe('30')
    expect(await signaturesFrom('turnstile@example.org')).toEqual([])

    const passed = await post(`/c/${SLUG}`, signer('turnstile@example.org'), { ip: '192.0.2.240' })
    expect(passed.status).toBe(303)
    expect(await signaturesFrom('turnstile@example.org')).toHaveLength(1)
    const last = verifyCalls.at(-1)!
    expect(last.get('secret')).toBe('turnstile-secret')
    expect(last.get('remoteip')).toBe('192.0.2.240')
  })
})
