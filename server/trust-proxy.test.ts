import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hashIp } from '#app/safety/client.server'
import { parseEnv } from '#app/utils/env.server'
import { awayFromWindowEdge } from '#tests/setup/rate-windows'
import { startServerWithEnv, type ServerWithEnv } from '#tests/setup/server-with-env'

// Behind one proxy, the client's address is the entry the proxy appended (the right-most one).
// Everything to its left came from the client and may be forged; it must not pick the
// rate-limit key (docs/deploy.md).

const SLUG = 'stop-red-notice-detentions'
const LIMIT = 5
let app: ServerWithEnv

beforeAll(async () => {
  app = await startServerWithEnv({
    TRUST_PROXY: '1',
    RATE_LIMIT_ALLOW_IPS: '',
    MIN_FORM_FILL_MS: '0',
    RATE_LIMITS: JSON.stringify({
      sign: { ip: [{ windowSeconds: 60, max: LIMIT }], email: [{ windowSeconds: 60, max: 50 }] },
    }),
  })
})

afterAll(async () => {
  await app?.close()
})

function sign(forwardedFor: string, n: number) {
  return fetch(`${app.server.url}/c/${SLUG}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': forwardedFor,
    },
    body: new URLSearchParams({
      firstName: 'Ana',
      lastName: 'Ruiz',
      email: `proxy-${n}@example.org`,
      zip: '30303',
    }),
    redirect: 'manual',
  })
}

describe('TRUST_PROXY as a hop count', () => {
  test('a forged entry left of the proxy’s does not change the rate-limit key', async () => {
    // the limits are per fixed minute: a run across a minute's edge would start a new count
    await awayFromWindowEdge(60, 20)
    const statuses: number[] = []
    for (let i = 0; i < LIMIT + 2; i++) {
      // a different forged address every time; the proxy's own entry is always 198.51.100.7
      const res = await sign(`203.0.113.${i + 1}, 198.51.100.7`, i)
      statuses.push(res.status)
    }
    expect(statuses.slice(0, LIMIT).every((s) => s === 303)).toBe(true)
    expect(statuses.slice(LIMIT)).toEqual([429, 429])
    const buckets = await app.db.sql<{ bucket: string }[]>`
      select distinct bucket from rate_limit_hits where bucket like 'sign:ip:%'`
    expect(buckets.map((b) => b.bucket)).toEqual([`sign:ip:${hashIp('198.51.100.7')}:60`])
  })
})

describe('TRUST_PROXY values', () => {
  const base = { DATABASE_URL: 'postgres://x@localhost/db' }
  test('`true` is refused at boot with a message saying what to set', () => {
    expect(() => parseEnv({ ...base, TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY: .*hop count.*CIDR/s,
    )
  })
  test('a hop count, a list of proxy addresses or CIDRs, or false', () => {
    expect(parseEnv({ ...base, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1)
    expect(parseEnv({ ...base, TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false)
    expect(parseEnv({ ...base }).TRUST_PROXY).toBe(false)
    expect(parseEnv({ ...base, TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
    ])
    expect(() => parseEnv({ ...base, TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY/)
    expect(() => parseEnv({ ...base, TRUST_PROXY: 'proxy.example' })).toThrow(/TRUST_PROXY/)
  })
})
