import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { awayFromWindowEdge } from '#tests/setup/rate-windows'
import { startServerWithEnv, type ServerWithEnv } from '#tests/setup/server-with-env'
import type { RunningServer } from '../../server/run'

// Trust & safety acceptance over HTTP, against the real built app (run `npx remix build` first):
// the burst of 1,000 signs from one IP, another IP unaffected, cross-site POSTs refused, the
// burst flag. Bot defenses: safety-bot-defenses.test.ts (the built app reads its environment
// once, so a different MIN_FORM_FILL_MS needs its own file, which vitest runs in its own process).

const SLUG = 'stop-red-notice-detentions'
const BURST = 50
let app: ServerWithEnv
let server: RunningServer
let db: ServerWithEnv['db']

beforeAll(async () => {
  app = await startServerWithEnv({
    TRUST_PROXY: '1', // clients are told apart by X-Forwarded-For
    RATE_LIMIT_ALLOW_IPS: '',
    MIN_FORM_FILL_MS: '0',
    FLAG_IP_SIGNATURES: '20',
    RATE_LIMITS: JSON.stringify({
      sign: {
        ip: [
          { windowSeconds: 60, max: BURST },
          { windowSeconds: 3600, max: 1000 },
        ],
        email: [{ windowSeconds: 60, max: 5 }],
      },
    }),
  })
  ;({ server, db } = app)
})

afterAll(async () => {
  await app?.close()
})

function post(
  path: string,
  fields: Record<string, string>,
  { ip, origin }: { ip?: string; origin?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (ip) headers['x-forwarded-for'] = ip
  if (origin) headers.origin = origin
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(fields),
    redirect: 'manual',
  })
}

const signer = (email: string, extra: Record<string, string> = {}) => ({
  firstName: 'Ana',
  lastName: 'Ruiz',
  email,
  zip: '30303',
  ...extra,
})

async function signaturesFrom(emailLike: string) {
  return db.sql<{ held: boolean; flagReason: string | null }[]>`
    select s.held, s.flag_reason from signatures s join supporters p on p.id = s.supporter_id
    where p.email like ${emailLike} order by s.id`
}

async function publicCount() {
  const [{ total }] = await db.sql<{ total: number }[]>`
    select coalesce(sum(total), 0)::int as total from signature_counts
    where campaign_id = (select id from campaigns where slug = ${SLUG})`
  return total
}

describe('rate limits', () => {
  test('a burst of 1,000 signs from one IP gets 429 after the burst and stores no more; another IP is unaffected', async () => {
    const countBefore = await publicCount()
    const statuses: number[] = []
    const started = Date.now()
    let refused: Response | undefined
    // 8 at a time, as a script would; each with its own email so only the IP limit applies.
    for (let i = 0; i < 1000; i += 8) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(8, 1000 - i) }, (_, j) =>
          post(`/c/${SLUG}`, signer(`burst-${i + j}@example.org`), { ip: '203.0.113.10' }),
        ),
      )
      for (const res of batch) {
        statuses.push(res.status)
        if (res.status === 429 && !refused) refused = res
        else await res.arrayBuffer()
      }
    }
    const finished = Date.now()
    // Fixed one-minute windows: a run that crosses a minute boundary may use two.
    const windows = Math.floor(finished / 60_000) - Math.floor(started / 60_000) + 1
    const accepted = statuses.filter((s) => s === 303).length
    expect(statuses.filter((s) => s !== 303 && s !== 429)).toEqual([])
    expect(accepted).toBeGreaterThanOrEqual(BURST)
    expect(accepted).toBeLessThanOrEqual(BURST * windows)
    if (windows === 1) {
      // the batch of 8 that crosses the limit may finish in any order; all before it pass, all
      // after it are refused
      const edge = Math.floor(BURST / 8) * 8
      expect(statuses.slice(0, edge).every((s) => s === 303)).toBe(true)
      expect(statuses.slice(edge + 8).every((s) => s === 429)).toBe(true)
    }
    expect(statuses.filter((s) => s === 429).length).toBe(1000 - accepted)

    // The 429 page: Retry-After, the translated message, HTML for a no-JS browser.
    expect(refused).toBeDefined()
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(refused!.headers.get('content-type')).toMatch(/text\/html/)
    expect(await refused!.text()).toContain('Too many requests')

    // Stored: exactly the accepted ones, nothing half-written.
    const rows = await signaturesFrom('burst-%@example.org')
    expect(rows).toHaveLength(accepted)
    const [{ orphans }] = await db.sql<{ orphans: number }[]>`
      select count(*)::int as orphans from supporters p
      where p.email like 'burst-%@example.org'
        and not exists (select 1 from signatures s where s.supporter_id = p.id)`
    expect(orphans).toBe(0)
    const [{ queued }] = await db.sql<{ queued: number }[]>`
      select count(*)::int as queued from outbound_emails where to_address like 'burst-%@example.org'`
    // a confirmation email for each signature that is not held (held ones get theirs on release)
    expect(queued).toBe(rows.filter((r) => !r.held).length)

    // The burst is flagged: past 20 from one IP in ten minutes, signatures are held for review,
    // and held signatures are left out of the public count.
    expect(rows.filter((r) => !r.held)).toHaveLength(20)
    expect(rows.filter((r) => r.held).every((r) => r.flagReason === 'ip_burst')).toBe(true)
    expect(await publicCount()).toBe(countBefore + 20)

    // Another IP signs at once.
    const other = await post(`/c/${SLUG}`, signer('other-ip@example.org'), { ip: '198.51.100.7' })
    expect(other.status).toBe(303)
    expect(other.headers.get('location')).toContain(`/c/${SLUG}/thanks?signed=1`)
    expect(await signaturesFrom('other-ip@example.org')).toEqual([
      { held: false, flagReason: null },
    ])
  })

  test('one email is limited across IPs', async () => {
    // the limit is 5 a fixed minute: seven posts across a minute's edge would start a new count
    await awayFromWindowEdge(60, 20)
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const res = await post(`/c/${SLUG}`, signer('same-person@example.org'), {
        ip: `192.0.2.${i + 1}`,
      })
      statuses.push(res.status)
    }
    expect(statuses.slice(0, 5).every((s) => s === 303)).toBe(true) // signed, then already signed
    expect(statuses.slice(5)).toEqual([429, 429])
  })

  test('donate: a burst from one IP gets 429 before anything is created', async () => {
    let status = 0
    let n = 0
    // no Stripe here: each valid form reaches the checkout and answers 503, until the limit
    for (; n < 30; n++) {
      const res = await post(
        '/donate',
        { frequency: 'once', amount: '10', firstName: 'Ana', lastName: 'Ruiz' },
        { ip: '203.0.113.20' },
      )
      await res.arrayBuffer()
      status = res.status
      if (status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
        break
      }
      expect(status).toBeLessThan(500 + 4) // 400 (no email) until refused
    }
    expect(status).toBe(429)
    expect(n).toBe(20) // the donate burst: 20 a minute per IP
  })

  test('manage my gift: a fourth request for one email within the hour gets 429', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      const res = await post(
        '/donate/manage',
        { email: 'donor-limit@example.org' },
        { ip: `192.0.2.${100 + i}` },
      )
      await res.arrayBuffer()
      statuses.push(res.status)
    }
    expect(statuses).toEqual([200, 200, 200, 429])
  })
})

describe('origin checks', () => {
  test('a cross-site form POST to sign or donate is refused with 403 and stores nothing', async () => {
    for (const path of [`/c/${SLUG}`, '/donate', `/c/${SLUG}/donate`]) {
      const res = await post(path, signer('cross-site@example.org'), {
        origin: 'https://evil.example',
        ip: '192.0.2.200',
      })
      expect(res.status, path).toBe(403)
    }
    expect(await signaturesFrom('cross-site@example.org')).toEqual([])
  })

  test('a same-site form POST to sign and to donate reaches the form', async () => {
    const sign = await post(`/c/${SLUG}`, signer('same-site@example.org'), {
      origin: server.url,
      ip: '192.0.2.201',
    })
    expect(sign.status).toBe(303)
    expect(await signaturesFrom('same-site@example.org')).toHaveLength(1)
    const donate = await post(
      '/donate',
      { frequency: 'once', amount: '', firstName: 'Ana' },
      { origin: server.url, ip: '192.0.2.201' },
    )
    expect(donate.status).toBe(400) // reached the form: its validation answered
    expect(await donate.text()).toContain('amount')
  })
})

test('a body that is not a form is a 400, never a 500 (found by the fuzzer)', async () => {
  for (const [path, type, body] of [
    [`/c/${SLUG}`, 'application/json', '{"email":"x@example.org"}'],
    [`/c/${SLUG}`, 'text/plain', '\u000b'],
    ['/donate', 'multipart/form-data; boundary=x', 'not multipart'],
    ['/donate/manage', 'multipart/form-data', ''],
  ]) {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': type, 'x-forwarded-for': '192.0.2.240' },
      body,
    })
    expect(res.status, `${path} ${type}`).toBe(400)
    expect(await res.text()).toContain('could not be read')
  }
})

test('a NUL character in any form field is a 400, never a 500 (found by the fuzzer)', async () => {
  const nul = '\u0000\u0001\u001b[31m'
  for (const [path, fields] of [
    [`/c/${SLUG}`, signer('nul@example.org', { firstName: nul })],
    [`/c/${SLUG}`, signer('nul@example.org', { utmSource: nul })],
    ['/donate', { frequency: 'once', amount: '10', email: 'nul@example.org', firstName: nul }],
  ] as const) {
    const res = await post(path, fields, { ip: '192.0.2.241' })
    expect(res.status, `${path} ${JSON.stringify(fields)}`).toBe(400)
    expect(await res.text()).toContain('could not be read')
  }
  expect(await signaturesFrom('nul@example.org')).toEqual([])
})
