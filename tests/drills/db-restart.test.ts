import fs from 'node:fs'
import postgres from 'postgres'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createSql } from '#db/client'
import { resetEnv } from '#app/utils/env.server'
import { startEmbeddedPostgres, type EmbeddedHandle } from '../../server/embedded-postgres'
import { prepareDatabase } from '../../server/prepare'
import { runServer, type RunningServer } from '../../server/run'
import { postSignature, streamSignatures } from './sign-client'

// Fault drill: the database stops immediately (like a crash) while signatures stream in, then
// comes back. Every request that got a 2xx/3xx has its row; requests during the outage get a 503
// with Retry-After, never a 500; the service recovers within 10 s without restarting Writ.
let pg: EmbeddedHandle
let server: RunningServer
const dataDir = `.data/drill-pg-${process.pid}`

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ dataDir, port: 54410, database: 'writ', log: () => {} })
  Object.assign(process.env, {
    DATABASE_URL: pg.url('writ'),
    RUN_WORKER: 'false',
    MIN_FORM_FILL_MS: '0',
    // every drill request comes from loopback: the sign rate limit would answer 429
    RATE_LIMIT_ALLOW_IPS: '127.0.0.1,::1,::ffff:127.0.0.1',
  })
  resetEnv()
  await prepareDatabase({ seed: true })
  // The setup just bulk-loaded the reference data. Checkpoint it, so that crash recovery (and the
  // checkpoint Postgres writes after it) measures the drill, not the replay of that import.
  const admin = createSql(pg.url('writ'), { max: 1 })
  await admin`checkpoint`
  await admin.end()
  server = await runServer({ port: 0, host: '127.0.0.1' })
})

afterAll(async () => {
  await server?.close()
  await pg?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** Resolves with the first moment a fresh connection can run a query (polls every 25 ms). */
async function whenAcceptingConnections(url: string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const probe = postgres(url, { max: 1, connect_timeout: 1, onnotice: () => {} })
    try {
      await probe`select 1`
      return Date.now()
    } catch {
      await new Promise((r) => setTimeout(r, 25))
    } finally {
      await probe.end({ timeout: 0 })
    }
  }
  throw new Error('Postgres did not come back')
}

test('a database crash and restart loses no acknowledged signature and never answers 500', async () => {
  const stream = streamSignatures(server.url, { concurrency: 4 })
  await new Promise((r) => setTimeout(r, 1500))
  await pg.stopImmediately()
  const downAt = Date.now()
  await new Promise((r) => setTimeout(r, 2000))
  const restartAt = Date.now()
  const accepting = whenAcceptingConnections(pg.url('writ'))
  pg = await startEmbeddedPostgres({ dataDir, port: pg.port, database: 'writ', log: () => {} })
  // measured by an independent client, not by the restart command (crash recovery takes time)
  const upAt = await accepting

  // Recovery: a fresh signature succeeds within 10 s of Postgres accepting connections again.
  let recoveredAt: number | undefined
  const probes: string[] = []
  for (let i = 0; !recoveredAt && Date.now() - upAt < 30_000; i++) {
    const probe = await postSignature(server.url, `probe-${i}-${Date.now()}@drill.test`)
    probes.push(`${probe.status}@${probe.at - upAt}`)
    if (probe.status === 303) recoveredAt = probe.at
    else await new Promise((r) => setTimeout(r, 100))
  }
  await new Promise((r) => setTimeout(r, 500))
  const outcomes = await stream.stop()

  const timeline = `restart→accepting ${upAt - restartAt} ms; probes ${probes.join(' ')}`
  console.log(
    `[drill] ${timeline}; recovered ${recoveredAt ? recoveredAt - upAt : '-'} ms after accepting`,
  )
  expect(recoveredAt, `service did not recover: ${timeline}`).toBeDefined()
  expect(recoveredAt! - upAt, timeline).toBeLessThanOrEqual(10_000)

  const byStatus = new Map<string, number>()
  for (const o of outcomes)
    byStatus.set(String(o.status), (byStatus.get(String(o.status)) ?? 0) + 1)
  expect(byStatus.get('500') ?? 0, JSON.stringify([...byStatus])).toBe(0)
  expect(
    [...byStatus.keys()].every((s) => s === '303' || s === '503'),
    JSON.stringify([...byStatus]),
  ).toBe(true)
  const during = outcomes.filter((o) => o.at > downAt && o.at < upAt)
  expect(during.length).toBeGreaterThan(0)
  // a request already committed when the database died may still answer 303 (checked below)
  const refused = during.filter((o) => o.status === 503)
  expect(refused.length).toBeGreaterThan(0)
  expect(refused.every((o) => o.retryAfter === '5')).toBe(true)

  const acknowledged = outcomes.filter((o) => o.status === 303).map((o) => o.email)
  expect(acknowledged.length).toBeGreaterThan(10)
  const sql = createSql(pg.url('writ'), { max: 1 })
  try {
    const rows = await sql<{ email: string }[]>`
      select s.email from signatures g join supporters s on s.id = g.supporter_id
      where s.email = any(${acknowledged})`
    expect(rows.length).toBe(acknowledged.length)
  } finally {
    await sql.end()
  }
})
