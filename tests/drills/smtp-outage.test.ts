import { afterAll, beforeAll, expect, test } from 'vitest'
import { resetEnv } from '#app/utils/env.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import { WORKER_ENTRY } from '#tests/setup/entries'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { startProcess, type Proc } from './processes'

// SMTP outage drill: the real queue worker process delivers letters by email while the mail
// server first refuses (421) and then is gone (port closed); letters keep coming in. After the
// server comes back on the same port, every letter and every receipt arrives exactly once
// (unique Message-IDs), within 2 minutes of recovery. The outage lasts DRILL_SMTP_OUTAGE_S
// seconds (default 30, so `npm test` stays short; the engine's retry backoff is capped at 60 s,
// so a longer outage only adds attempts).

const OUTAGE_MS = Number(process.env.DRILL_SMTP_OUTAGE_S ?? 30) * 1000
const LETTERS = 24
let db: TestDatabase & { drop(): Promise<void> }
let sink: SmtpSink
let worker: Proc | undefined

beforeAll(async () => {
  db = await createTestDatabase()
  sink = await startSmtpSink()
})
afterAll(async () => {
  worker?.child.kill('SIGTERM')
  await worker?.exited
  await sink?.close()
  await db?.drop()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('an SMTP outage (421, then the port closed) then recovery: every letter and receipt arrives once', async () => {
  process.env.DATABASE_URL = db.url // the letters module reads the environment when imported
  resetEnv()
  const { createLetter } = await import('#app/letters/letters.server')
  const [campaign] = await db.sql<
    { id: string; letterEditable: boolean; letterMaxLength: number }[]
  >`select id, letter_editable, letter_max_length from campaigns where kind = 'letter' limit 1`

  async function write(i: number) {
    const email = `outage-writer-${i}@drill.test`
    const [supporter] = await db.sql<{ id: string }[]>`
      insert into supporters (email) values (${email}) returning id`
    await db.sql.begin((tx) =>
      createLetter(tx, {
        campaign: campaign!,
        supporterId: supporter!.id,
        constituent: {
          prefix: 'Ms.',
          firstName: 'Ana',
          lastName: `Ruiz ${i}`,
          email,
          street: '200 W 24th St',
          city: 'Cheyenne',
          state: 'WY',
          zip: '82001',
        },
        subject: `Letter ${i}`,
        body: 'Please act.',
        edited: false,
        locale: 'en',
        targets: [
          {
            officeKey: 'custom/outage-drill',
            name: 'Drill Official',
            title: 'Secretary',
            chamber: null,
            state: null,
            district: null,
            cwcCode: null,
            email: 'official@outage.drill.test',
          },
        ],
      }),
    )
  }
  const lettersIn = (s: SmtpSink) =>
    s.messages.filter((m) => m.to.includes('official@outage.drill.test'))

  // the mail server refuses everything, then the worker starts and letters come in
  sink.setMode('tempfail')
  const port = sink.port
  worker = startProcess(WORKER_ENTRY, {
    DATABASE_URL: db.url,
    PUBLIC_URL: 'http://127.0.0.1:1',
    SMTP_URL: `smtp://127.0.0.1:${port}`,
  })
  const started = Date.now()
  let written = 0
  const half = OUTAGE_MS / 2
  while (Date.now() - started < half) {
    if (written < LETTERS / 2) await write(written++)
    await sleep(half / (LETTERS / 2))
  }
  // refused, and retried with backoff: nothing delivered, the reason kept
  const refused = await db.sql<{ status: string; attempts: number; lastError: string | null }[]>`
    select status, attempts, last_error from deliveries where office_key = 'custom/outage-drill'`
  expect(refused.length).toBeGreaterThan(0)
  // none is final: each waits for a retry ('queued') or is mid-attempt ('sending', claimed by
  // the worker at the moment of this read)
  expect(refused.map((r) => r.status).filter((s) => s !== 'queued' && s !== 'sending')).toEqual([])
  expect(refused.some((r) => r.attempts >= 1 && /421/.test(r.lastError ?? ''))).toBe(true)
  expect(lettersIn(sink)).toHaveLength(0)

  // the server goes away entirely, and more letters come in
  await sink.close()
  const gone = Date.now()
  while (Date.now() - gone < half) {
    if (written < LETTERS) await write(written++)
    await sleep(half / (LETTERS / 2))
  }
  while (written < LETTERS) await write(written++)
  const [{ delivered: duringOutage }] = await db.sql<{ delivered: number }[]>`
    select count(*)::int as delivered from deliveries
    where office_key = 'custom/outage-drill' and status = 'delivered'`
  expect(duringOutage).toBe(0)

  // recovery on the same port
  sink = await startSmtpSink({ port })
  const recovered = Date.now()
  const receiptsIn = () => sink.messages.filter((m) => m.to[0]?.startsWith('outage-writer-'))
  while (Date.now() - recovered < 120_000) {
    if (lettersIn(sink).length >= LETTERS && receiptsIn().length >= LETTERS) break
    await sleep(250)
  }
  const caughtUpMs = Date.now() - recovered
  await sleep(2000) // would a duplicate still arrive?

  const letters = lettersIn(sink)
  expect(letters).toHaveLength(LETTERS)
  expect(new Set(letters.map((m) => m.messageId)).size).toBe(LETTERS)
  expect(receiptsIn()).toHaveLength(LETTERS)
  expect(new Set(receiptsIn().map((m) => m.to[0])).size).toBe(LETTERS)
  const rows = await db.sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from deliveries
    where office_key = 'custom/outage-drill' group by status`
  expect(rows).toEqual([{ status: 'delivered', n: LETTERS }])
  console.log(
    `SMTP outage drill: ${OUTAGE_MS / 1000} s outage, ${LETTERS} letters, all delivered once ${(caughtUpMs / 1000).toFixed(1)} s after recovery`,
  )
  expect(caughtUpMs).toBeLessThanOrEqual(120_000)
}, 300_000)
