import '#tests/setup/app-env'
import { randomBytes } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { getSql } from '#db/client'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { hitBuckets } from './bucket-hits.server'

// The rate-limit and IP-burst counters (ADR 1306): on the pool, concurrent counts share
// statements, and every caller still sees the count it would have seen one by one.

const db = appDatabase()
const key = () => randomBytes(8).toString('hex')

describe('bucket counters', () => {
  test('60 concurrent counts of their own buckets share statements', async () => {
    const buckets = Array.from({ length: 60 }, () => `test:ip:${key()}:60`)
    const answers = await Promise.all(
      buckets.map((bucket) => hitBuckets(getSql(), [{ bucket, lookbackSeconds: 0 }])),
    )
    expect(answers.map(([a]) => a!.hits)).toEqual(Array(60).fill(1))
    const rows = await db.sql<{ tx: string }[]>`
      select xmin::text as tx from rate_limit_hits where bucket in ${db.sql(buckets)}`
    expect(rows).toHaveLength(60)
    expect(new Set(rows.map((r) => r.tx)).size).toBeLessThan(60)
  })

  test('one bucket counted by 50 callers at once: each sees its own place, 1 to 50', async () => {
    const shared = `test:ip:${key()}:60`
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        hitBuckets(getSql(), [
          { bucket: shared, lookbackSeconds: 0 },
          { bucket: `test:email:${key()}:60`, lookbackSeconds: 0 },
        ]),
      ),
    )
    expect(answers.map(([s]) => s!.hits).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    )
    // the second bucket of each call is its own
    expect(answers.every(([, own]) => own!.hits === 1)).toBe(true)
    const [row] = await db.sql<{ hits: number }[]>`
      select sum(hits)::int as hits from rate_limit_hits where bucket = ${shared}`
    expect(row!.hits).toBe(50)
  })

  test('inside a transaction the count is its own statement', async () => {
    const bucket = `test:ip:${key()}:60`
    await getSql().begin(async (tx) => {
      const [a] = await hitBuckets(tx, [{ bucket, lookbackSeconds: 0 }])
      const [b] = await hitBuckets(tx, [{ bucket, lookbackSeconds: 0 }])
      expect([a!.hits, b!.hits]).toEqual([1, 2])
    })
  })
})
