import { afterAll, beforeAll, expect, test } from 'vitest'
import { createSql, type Db } from '#db/client'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import { startWorker, type RecurringJob } from './worker.server'

let db: TestDatabase & { drop(): Promise<void> }
const pools: Db[] = []

beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end({ timeout: 1 })))
  await db?.drop()
})

/** Each worker gets its own pool, as separate processes would. */
function pool(): Db {
  const sql = createSql(db.url, { max: 2 })
  pools.push(sql)
  return sql
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('a recurring job runs once per period across two workers', async () => {
  const runs: Array<{ worker: string; period: number }> = []
  const job = (worker: string): RecurringJob => ({
    name: 'test-every-second',
    everySeconds: 1,
    async run(sql) {
      // The period this run claimed, on the database's clock.
      const [row] = await sql<{ period: number }[]>`
        select floor(extract(epoch from last_started_at))::int as period
        from recurring_jobs where name = 'test-every-second'`
      runs.push({ worker, period: row!.period })
    },
  })
  const [{ started }] = await db.sql<{ started: number }[]>`
    select extract(epoch from now())::float8 as started`
  const polled = { a: 0, b: 0 }
  const workers = (['a', 'b'] as const).map((id) =>
    startWorker({
      workerId: id,
      idleMs: 20,
      sql: pool(),
      processors: [{ name: 'count', runOnce: async () => (polled[id]++, 0) }],
      recurring: [job(id)],
    }),
  )
  await sleep(4500)
  await Promise.all(workers.map((w) => w.stop()))
  const [{ stopped }] = await db.sql<{ stopped: number }[]>`
    select extract(epoch from now())::float8 as stopped`

  // Both workers polled their explicit processor list.
  expect(polled.a).toBeGreaterThan(0)
  expect(polled.b).toBeGreaterThan(0)
  // Never twice in a period, and in every period the workers were up (give or take the edges).
  const periods = runs.map((r) => r.period)
  expect(new Set(periods).size).toBe(periods.length)
  const elapsed = Math.floor(stopped) - Math.floor(started) + 1
  expect(periods.length).toBeGreaterThanOrEqual(elapsed - 1)
  expect(periods.length).toBeLessThanOrEqual(elapsed)
  const [row] = await db.sql<{ lastWorker: string; lastError: string | null }[]>`
    select last_worker, last_error from recurring_jobs where name = 'test-every-second'`
  expect(['a', 'b']).toContain(row!.lastWorker)
  expect(row!.lastError).toBeNull()
})

test('a failing recurring job is recorded and the worker keeps going', async () => {
  let calls = 0
  const worker = startWorker({
    workerId: 'c',
    idleMs: 20,
    sql: pool(),
    processors: [],
    recurring: [
      {
        name: 'test-failing',
        everySeconds: 3600,
        run: async () => {
          calls++
          throw new Error('the purge failed')
        },
      },
    ],
  })
  await expect
    .poll(async () => {
      const [row] = await db.sql<{ lastError: string | null }[]>`
        select last_error from recurring_jobs where name = 'test-failing'`
      return row?.lastError
    })
    .toBe('the purge failed')
  await sleep(200)
  await worker.stop()
  // Once per hour, even though it failed: no retry storm.
  expect(calls).toBe(1)
})
