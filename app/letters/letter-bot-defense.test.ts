import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { issueFormToken } from '#app/safety/bot-defense.server'
import { resetEnv } from '#app/utils/env.server'
import { RED_NOTICE_LETTER_SLUG } from '#db/seed/red-notice'
import { startFakeGeocoder, type FakeGeocoder } from '#tests/fakes/geocoder'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import { awayFromWindowEdge } from '#tests/setup/rate-windows'
import { REFERENCE_DATA_DIR } from '#tests/setup/template-steps'
import { runServer, type RunningServer } from '../../server/run'

// The letter form orders its checks like every public form: form timing, Turnstile, the rate
// limit, and only then the Census geocoder (an outside call that must not be spent on bots).
// Over HTTP against the built app (run `npx remix build` first).

const SLUG = RED_NOTICE_LETTER_SLUG
let db: TestDatabase & { drop(): Promise<void> }
let server: RunningServer
let geocoder: FakeGeocoder
let siteverify: http.Server
const saved = { ...process.env }

/** A fresh NY-12 address per call: the geocoder's cache never answers for it. */
let streetNo = 100
function address() {
  const street = `${++streetNo} W 34th St`
  geocoder.addAddress(`${street}, New York, NY 10001`, {
    state: 'NY',
    district: '12',
    zip: '10001',
  })
  return { street, city: 'New York', state: 'NY', zip: '10001' }
}

beforeAll(async () => {
  db = await createTestDatabase()
  geocoder = await startFakeGeocoder({ fixturesDir: path.join(REFERENCE_DATA_DIR, 'fixtures') })
  siteverify = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ success: new URLSearchParams(body).get('response') === 'pass' }))
    })
  })
  await new Promise<void>((r) => siteverify.listen(0, '127.0.0.1', () => r()))
  const { port } = siteverify.address() as { port: number }
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    RUN_WORKER: 'false',
    TRUST_PROXY: '1',
    SESSION_SECRET: 'letter-bot-defenses-'.padEnd(40, 'x'),
    MIN_FORM_FILL_MS: '2000',
    GEOCODER_URL: geocoder.url,
    CWC_API_KEY: '',
    TURNSTILE_SITE_KEY: '1x00000000000000000000AA',
    TURNSTILE_SECRET_KEY: 'turnstile-secret',
    TURNSTILE_VERIFY_URL: `http://127.0.0.1:${port}/siteverify`,
    // two letters a minute per IP (and the lookup limit as it ships)
    RATE_LIMITS: JSON.stringify({ letter: { ip: [{ windowSeconds: 60, max: 2 }] } }),
  })
  resetEnv()
  server = await runServer({ port: 0, host: '127.0.0.1' })
})

afterAll(async () => {
  await server?.close()
  siteverify?.close()
  await geocoder?.close()
  await db?.drop()
  process.env = saved
  resetEnv()
})

function post(fields: Record<string, string>, ip: string) {
  return fetch(`${server.url}/c/${SLUG}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  })
}

const patient = () => issueFormToken(Date.now() - 3000)

function letter(email: string, extra: Record<string, string> = {}) {
  return {
    prefix: 'Ms.',
    firstName: 'Ana',
    lastName: 'Ruiz',
    email,
    ...address(),
    subject: 'Please act, {{targetTitle}}',
    message: 'Dear {{targetTitle}} {{targetName}},\n\nPlease act.\n\n{{firstName}}',
    intent: 'send',
    formStarted: patient(),
    'cf-turnstile-response': 'pass',
    ...extra,
  }
}

async function stored(email: string) {
  const [row] = await db.sql<{ signatures: number; letters: number }[]>`
    select
      (select count(*)::int from signatures s join supporters p on p.id = s.supporter_id
        where p.email = ${email}) as signatures,
      (select count(*)::int from letters where email = ${email}) as letters`
  return row!
}

test('the letter page serves a form token and the Turnstile widget on its form', async () => {
  const html = await (await fetch(`${server.url}/c/${SLUG}`)).text()
  expect(html).toMatch(/<form[^>]*letter-form[\s\S]*name="formStarted" value="\d{13}\.[\w-]{22}"/)
  expect(html).toContain('data-sitekey="1x00000000000000000000AA"')
})

test('a letter posted too fast, or without its token, is a 400 that stores nothing and calls no geocoder', async () => {
  const before = geocoder.requests.length
  const email = 'fast-letter@example.org'
  for (const formStarted of [issueFormToken(), '']) {
    const res = await post(letter(email, { formStarted }), '192.0.2.101')
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('That was quick!')
    // the lookup step too
    const lookup = await post(letter(email, { formStarted, intent: 'lookup' }), '192.0.2.101')
    expect(lookup.status).toBe(400)
  }
  expect(await stored(email)).toEqual({ signatures: 0, letters: 0 })
  expect(geocoder.requests.length).toBe(before)
})

test('a failed Turnstile check is a 400 that stores nothing and calls no geocoder', async () => {
  const before = geocoder.requests.length
  const email = 'robot-letter@example.org'
  const res = await post(letter(email, { 'cf-turnstile-response': 'robot' }), '192.0.2.102')
  expect(res.status).toBe(400)
  expect(await stored(email)).toEqual({ signatures: 0, letters: 0 })
  expect(geocoder.requests.length).toBe(before)
})

test('a rate-limited IP gets a 429 before any geocoder request', async () => {
  const ip = '192.0.2.103'
  // the limit is 2 a fixed minute: three posts across a minute's edge would all pass
  await awayFromWindowEdge(60, 20)
  for (const n of [1, 2]) {
    const ok = await post(letter(`limited-${n}@example.org`), ip)
    expect(ok.status).toBe(303)
  }
  const before = geocoder.requests.length
  const limited = await post(letter('limited-3@example.org'), ip)
  expect(limited.status).toBe(429)
  expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
  expect(geocoder.requests.length).toBe(before)
  expect(await stored('limited-3@example.org')).toEqual({ signatures: 0, letters: 0 })
})
