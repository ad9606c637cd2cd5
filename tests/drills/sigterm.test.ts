import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { startServer, waitForHealthy } from './processes'
import { streamSignatures } from './sign-client'

// Fault drill: SIGTERM while signatures stream in. Requests in flight finish; new ones are refused
// cleanly (connection refused or 503); the worker finishes or releases its claimed email; nothing
// is half-written; the process exits 0.
let db: TestDatabase & { drop(): Promise<void> }
let sink: SmtpSink

beforeAll(async () => {
  db = await createTestDatabase()
  sink = await startSmtpSink()
})
afterAll(async () => {
  await sink?.close()
  await db?.drop()
})

test('SIGTERM under load drains cleanly', async () => {
  const app = await startServer({
    DATABASE_URL: db.url,
    SMTP_URL: sink.url,
    RUN_WORKER: 'true',
  })
  await waitForHealthy(app.base)
  const stream = streamSignatures(app.base, { concurrency: 8, prefix: 'sigterm' })
  await new Promise((r) => setTimeout(r, 2000))
  app.child.kill('SIGTERM')
  const code = await app.exited
  const outcomes = await stream.stop()

  expect(code, app.output()).toBe(0)
  const statuses = new Set(outcomes.map((o) => String(o.status)))
  expect(
    [...statuses].every((s) => ['303', '503', 'network-error'].includes(s)),
    [...statuses].join(),
  ).toBe(true)
  const acknowledged = outcomes.filter((o) => o.status === 303).map((o) => o.email)
  expect(acknowledged.length).toBeGreaterThan(5)

  const rows = await db.sql<{ email: string }[]>`
    select s.email from signatures g join supporters s on s.id = g.supporter_id where s.email = any(${acknowledged})`
  expect(rows.length).toBe(acknowledged.length)
  // nothing half-written: every signature has its consent records and its confirmation email
  const [half] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from signatures g join supporters s on s.id = g.supporter_id
    where s.email like 'sigterm-%'
      and (not exists (select 1 from consents c where c.supporter_id = g.supporter_id)
        or not exists (select 1 from outbound_emails e where e.supporter_id = g.supporter_id))`
  expect(half.n).toBe(0)
  // the worker finished or released what it claimed
  const [stuck] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from outbound_emails where status = 'sending'`
  expect(stuck.n).toBe(0)
})
