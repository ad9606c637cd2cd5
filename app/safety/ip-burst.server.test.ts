import '#tests/setup/app-env'
import { randomBytes } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { createSql, getSql } from '#db/client'
import { getEnv } from '#app/utils/env.server'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { ipBurstFlag } from './bot-defense.server'

// The IP-burst flag (ADR 0601, counted since ADR 1303 in the UNLOGGED rate-limit table): past
// FLAG_IP_SIGNATURES signatures from one IP in FLAG_IP_WINDOW_SECONDS, a signature is held.

appDatabase()

const newIpHash = () => randomBytes(16).toString('base64url')

describe('the IP-burst count', () => {
  test('concurrent signers from one IP are counted one by one: exactly the limit pass', async () => {
    const { FLAG_IP_SIGNATURES: limit } = getEnv()
    const ip = newIpHash()
    const flags = await Promise.all(
      Array.from({ length: limit * 2 }, () => ipBurstFlag(getSql(), ip)),
    )
    expect(flags.filter((f) => f === null)).toHaveLength(limit)
    expect(flags.filter((f) => f === 'ip_burst')).toHaveLength(limit)
    // another IP is not affected
    expect(await ipBurstFlag(getSql(), newIpHash())).toBeNull()
  })

  test('the whole window counts, and nothing older than 1.1 windows', async () => {
    const { FLAG_IP_SIGNATURES: limit, FLAG_IP_WINDOW_SECONDS: window } = getEnv()
    const step = Math.ceil(window / 10)
    const ip = newIpHash()
    const bucket = `sign-burst:ip:${ip}:${step}`
    const sql = getSql()
    // limit - 1 signatures most of a window ago, and many more from long before
    await sql`
      insert into rate_limit_hits (bucket, window_start, hits) values
        (${bucket}, to_timestamp(floor(extract(epoch from now()) / ${step}) * ${step} - ${window}),
         ${limit - 1}),
        (${bucket}, to_timestamp(floor(extract(epoch from now()) / ${step}) * ${step}
                                 - ${window} - ${step}), 1000)`
    expect(await ipBurstFlag(sql, ip)).toBeNull() // the limit-th
    expect(await ipBurstFlag(sql, ip)).toBe('ip_burst') // one past it
  })

  test('inside a transaction, the next signer from that IP waits until it ends', async () => {
    const ip = newIpHash()
    const other = createSql(process.env.DATABASE_URL!, { max: 1 })
    try {
      let released = false
      let second: Promise<string | null> | undefined
      await getSql().begin(async (tx) => {
        await ipBurstFlag(tx, ip)
        second = ipBurstFlag(other, ip).then((flag) => {
          // its count returned only after the first transaction ended
          expect(released).toBe(true)
          return flag
        })
        await new Promise((r) => setTimeout(r, 300))
        released = true
      })
      expect(await second).toBeNull()
      const [{ hits }] = await getSql()<{ hits: number }[]>`
        select sum(hits)::int as hits from rate_limit_hits where bucket like ${`sign-burst:ip:${ip}:%`}`
      expect(hits).toBe(2)
    } finally {
      await other.end()
    }
  })
})
