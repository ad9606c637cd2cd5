import { describe, expect, test } from 'vitest'
import { useAppDatabase } from '#tests/setup/db'
import { awayFromWindowEdge } from '#tests/setup/rate-windows'
import { upsertAccessRule } from './access-rules.server'
import { checkRateLimit, DEFAULT_LIMITS } from './rate-limit.server'

const db = useAppDatabase()

describe('rate limits in Postgres', () => {
  test('an IP is refused after its burst, with a Retry-After; another IP is not', async () => {
    const burst = DEFAULT_LIMITS.sign.ip[0].max
    await awayFromWindowEdge(DEFAULT_LIMITS.sign.ip[0].windowSeconds)
    const decisions = []
    for (let i = 0; i < burst + 5; i++) {
      decisions.push(await checkRateLimit(db.sql, { action: 'sign', ip: '198.51.100.7' }))
    }
    const allowed = decisions.filter((d) => d.allowed).length
    expect(allowed).toBe(burst)
    const refused = decisions.at(-1)!
    expect(refused).toMatchObject({ allowed: false, reason: 'rate_limited' })
    if (!refused.allowed && refused.reason === 'rate_limited') {
      expect(refused.retryAfterSeconds).toBeGreaterThan(0)
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60)
    }
    expect(await checkRateLimit(db.sql, { action: 'sign', ip: '198.51.100.8' })).toEqual({
      allowed: true,
    })
  })

  test('concurrent attempts never let more than the limit through', async () => {
    const max = DEFAULT_LIMITS.login.email![0].max
    await awayFromWindowEdge(DEFAULT_LIMITS.login.email![0].windowSeconds, 5)
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        checkRateLimit(db.sql, {
          action: 'login',
          ip: `203.0.113.${i}`,
          email: 'target@example.org',
        }),
      ),
    )
    expect(results.filter((r) => r.allowed).length).toBe(max)
  })

  test('organizer lists: a blocked domain is refused, an allowed IP skips limits', async () => {
    await upsertAccessRule(db.sql, { kind: 'email_domain', value: 'Spam.Example', action: 'block' })
    await upsertAccessRule(db.sql, { kind: 'ip', value: '192.0.2.50', action: 'allow' })
    const { clearAccessRuleCache } = await import('./access-rules.server')
    clearAccessRuleCache()
    expect(
      await checkRateLimit(db.sql, { action: 'sign', ip: '192.0.2.1', email: 'a@spam.example' }),
    ).toEqual({ allowed: false, reason: 'blocked' })
    const many = []
    for (let i = 0; i < DEFAULT_LIMITS.sign.ip[0].max + 10; i++) {
      many.push(await checkRateLimit(db.sql, { action: 'sign', ip: '192.0.2.50' }))
    }
    expect(many.every((d) => d.allowed)).toBe(true)
  })
})

describe('what a limit counts', () => {
  test('one mailbox however it is written: case, +tag, Gmail dots; no address in a bucket name', async () => {
    const max = DEFAULT_LIMITS.sign.email![0].max
    await awayFromWindowEdge(DEFAULT_LIMITS.sign.email![0].windowSeconds, 5)
    const spellings = [
      'Ana.Ruiz@gmail.com',
      'anaruiz+1@gmail.com',
      'a.n.a.r.u.i.z+news@googlemail.com',
      'ANARUIZ+x@GMAIL.COM',
      'ana.ruiz+2@gmail.com',
      'anaruiz@gmail.com',
      'anar.uiz+3@gmail.com',
    ]
    const decisions = []
    for (const [i, email] of spellings.slice(0, max + 1).entries()) {
      decisions.push(
        await checkRateLimit(db.sql, { action: 'sign', ip: `192.0.2.${100 + i}`, email }),
      )
    }
    expect(decisions.filter((d) => d.allowed).length).toBe(max)
    expect(decisions.at(-1)).toMatchObject({ allowed: false, reason: 'rate_limited' })
    const buckets = await db.sql<{ bucket: string }[]>`
      select bucket from rate_limit_hits where bucket like 'sign:email:%'`
    expect(buckets.length).toBeGreaterThan(0)
    for (const { bucket } of buckets) {
      expect(bucket).not.toMatch(/@|ana|ruiz/i)
    }
  })

  test('IPv6 clients are counted by their /64', async () => {
    const burst = DEFAULT_LIMITS.sign.ip[0].max
    await awayFromWindowEdge(DEFAULT_LIMITS.sign.ip[0].windowSeconds, 5)
    const decisions = []
    for (let i = 0; i < burst + 1; i++) {
      // a fresh address in the same /64 every time
      const ip = `2001:db8:aa:bb:${(i + 1).toString(16)}::${(i * 7 + 1).toString(16)}`
      decisions.push(await checkRateLimit(db.sql, { action: 'sign', ip }))
    }
    expect(decisions.filter((d) => d.allowed).length).toBe(burst)
    expect(decisions.at(-1)).toMatchObject({ allowed: false, reason: 'rate_limited' })
    // another /64 is unaffected
    expect(await checkRateLimit(db.sql, { action: 'sign', ip: '2001:db8:aa:cc::1' })).toEqual({
      allowed: true,
    })
  })
})
