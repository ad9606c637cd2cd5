import { statementBatcher } from '#app/utils/statement-batcher.server'
import { isPool, type Db, type Sql } from '#db/client'
import { countBucketHits, type BucketTotal } from '#db/queries/safety'

// The counters of the rate limits and the IP-burst flag (ADR 0600, 1303): one hit per bucket
// in the UNLOGGED rate_limit_hits table. On the pool, the counts of concurrent requests share
// statements (ADR 1306): under load a request's two counters no longer cost two round trips of
// their own. Inside a transaction a count is that transaction's own statement, so its row locks
// last until it ends (signers from one IP take turns, ADR 1303).

export type BucketHit = { bucket: string; lookbackSeconds: number }
export type BucketCount = Omit<BucketTotal, 'bucket'>

/** At most this many calls in one statement, and two statements of a process in flight. */
const MAX_CALLS = 128

const batchers = new WeakMap<Db, (hits: BucketHit[]) => Promise<BucketCount[]>>()

function batcherFor(pool: Db) {
  let batcher = batchers.get(pool)
  if (!batcher) {
    batcher = statementBatcher<BucketHit[], BucketCount[]>({
      maxBatch: MAX_CALLS,
      maxInFlight: 2,
      run: async (calls) => {
        const answers = await countInOrder(pool, calls)
        return answers.map((value) => ({ ok: true, value }))
      },
    })
    batchers.set(pool, batcher)
  }
  return batcher
}

/**
 * Counts one hit in each bucket and answers each bucket's totals (in the order of `hits`), as if
 * the calls of one statement had run one after the other in their order: a bucket asked by
 * several of them is counted once with all their hits, and the k-th caller sees the total less
 * the hits of the callers after it. So a limit of N lets exactly N through, as it did one by one.
 */
async function countInOrder(sql: Sql, calls: BucketHit[][]): Promise<BucketCount[][]> {
  const asked = new Map<string, { count: number; lookbackSeconds: number }>()
  for (const call of calls) {
    for (const hit of call) {
      const entry = asked.get(hit.bucket) ?? { count: 0, lookbackSeconds: hit.lookbackSeconds }
      entry.count++
      asked.set(hit.bucket, entry)
    }
  }
  const totals = new Map(
    (
      await countBucketHits(
        sql,
        [...asked].map(([bucket, a]) => ({ bucket, ...a })),
      )
    ).map((t) => [t.bucket, t]),
  )
  const seen = new Map<string, number>()
  return calls.map((call) =>
    call.map(({ bucket }) => {
      const total = totals.get(bucket)!
      const k = (seen.get(bucket) ?? 0) + 1
      seen.set(bucket, k)
      const later = asked.get(bucket)!.count - k
      return {
        hits: total.hits - later,
        recent: total.recent - later,
        retryAfter: total.retryAfter,
      }
    }),
  )
}

/** Counts one hit in each bucket (named once each) and answers their totals, in order. */
export async function hitBuckets(sql: Sql, hits: BucketHit[]): Promise<BucketCount[]> {
  if (hits.length === 0) return []
  if (isPool(sql)) return batcherFor(sql)(hits)
  const [answers] = await countInOrder(sql, [hits])
  return answers!
}
