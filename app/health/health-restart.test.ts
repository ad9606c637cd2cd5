import { afterAll, beforeAll, expect, test } from 'vitest'
import { resetEnv } from '#app/utils/env.server'
import { startEmbeddedPostgres, type EmbeddedHandle } from '../../server/embedded-postgres'
import { prepareDatabase } from '../../server/prepare'
import { runServer, type RunningServer } from '../../server/run'

// A dedicated cluster, so that stopping it disturbs no other test.
let pg: EmbeddedHandle
let server: RunningServer
const dataDir = `.data/test-pg-restart-${process.pid}`

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ dataDir, port: 54400, database: 'writ', log: () => {} })
  process.env.DATABASE_URL = pg.url('writ')
  resetEnv()
  await prepareDatabase({ seed: true })
  server = await runServer({ port: 0, host: '127.0.0.1' })
})

afterAll(async () => {
  await server?.close()
  await pg?.stop()
  const fs = await import('node:fs')
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function health() {
  const res = await fetch(`${server.url}/healthz`)
  return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') }
}

test('healthz reports the database down with 503, then recovers without a restart', async () => {
  expect(await health()).toMatchObject({ status: 200, body: { ok: true, db: 'up' } })
  const home = await fetch(`${server.url}/`)
  expect(home.status).toBe(200)

  await pg.stop()
  const down = await health()
  expect(down).toMatchObject({ status: 503, body: { ok: false, db: 'down' } })
  expect(down.retryAfter).toBe('5')

  // bring the same cluster back
  pg = await startEmbeddedPostgres({ dataDir, port: pg.port, database: 'writ', log: () => {} })
  let recovered = false
  for (let i = 0; i < 40 && !recovered; i++) {
    recovered = (await health()).status === 200
    if (!recovered) await new Promise((r) => setTimeout(r, 250))
  }
  expect(recovered).toBe(true)
  expect((await fetch(`${server.url}/`)).status).toBe(200)
})
