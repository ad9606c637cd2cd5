import { afterAll, beforeAll, expect, test } from 'vitest'
import { resetEnv } from '#app/utils/env.server'
import { createTestDatabase, type TestDatabase } from '#tests/setup/db'
import { WORKER_ENTRY } from '#tests/setup/entries'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { startProcess, startServer, waitForHealthy, type Proc } from './processes'
import { postSignature } from './sign-client'

// Scale-out, proven: two app processes and two queue workers against one database. Every
// signature is stored once, and every email (confirmations and letters) reaches the sink once.
let db: TestDatabase & { drop(): Promise<void> }
let sink: SmtpSink
const procs: Proc[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  sink = await startSmtpSink()
})
afterAll(async () => {
  for (const p of procs) p.child.kill('SIGTERM')
  await Promise.all(procs.map((p) => p.exited))
  await sink?.close()
  await db?.drop()
})

test('two app processes and two workers: signatures and letters are correct', async () => {
  const servers = [
    await startServer({ DATABASE_URL: db.url, SMTP_URL: sink.url, RUN_WORKER: 'false' }),
    await startServer({ DATABASE_URL: db.url, SMTP_URL: sink.url, RUN_WORKER: 'false' }),
  ]
  procs.push(...servers)
  for (let i = 0; i < 2; i++) {
    procs.push(
      startProcess(WORKER_ENTRY, {
        DATABASE_URL: db.url,
        PUBLIC_URL: servers[0].base,
        SMTP_URL: sink.url,
      }),
    )
  }
  await Promise.all(servers.map((s) => waitForHealthy(s.base)))

  // 60 signers, alternating app processes, each signing twice (once on each process)
  const emails = Array.from({ length: 60 }, (_, i) => `scale-${i}@drill.test`)
  const results = await Promise.all(
    emails.flatMap((email) => servers.map((s) => postSignature(s.base, email))),
  )
  expect(results.every((r) => r.status === 303)).toBe(true)
  const [{ n }] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from signatures g join supporters s on s.id = g.supporter_id
    where s.email like 'scale-%@drill.test'`
  expect(n).toBe(60)

  // letters written straight through the letters module, delivered by email by either worker
  process.env.DATABASE_URL = db.url // the letters module reads the environment when imported
  resetEnv()
  const { createLetter } = await import('#app/letters/letters.server')
  const [campaign] = await db.sql<
    { id: string; letterEditable: boolean; letterMaxLength: number }[]
  >`
    select id, letter_editable, letter_max_length from campaigns where kind = 'letter' limit 1`
  const [supporter] = await db.sql<
    { id: string }[]
  >`select id from supporters where email = 'scale-0@drill.test'`
  for (let i = 0; i < 20; i++) {
    await db.sql.begin((tx) =>
      createLetter(tx, {
        campaign,
        supporterId: supporter.id,
        constituent: {
          prefix: 'Ms.',
          firstName: 'Ana',
          lastName: 'Ruiz',
          email: 'scale-0@drill.test',
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
            officeKey: `custom/drill-${i}`,
            name: 'Drill Official',
            title: 'Secretary',
            chamber: null,
            state: null,
            district: null,
            cwcCode: null,
            email: `official-${i}@drill.test`,
          },
        ],
      }),
    )
  }

  const deadline = Date.now() + 90_000
  const confirmationsTo = (e: string) => sink.messages.filter((m) => m.to.includes(e)).length
  while (Date.now() < deadline) {
    const lettersIn = sink.messages.filter((m) =>
      m.to.some((t) => t.startsWith('official-')),
    ).length
    if (lettersIn >= 20 && emails.every((e) => confirmationsTo(e) >= 1)) break
    await new Promise((r) => setTimeout(r, 250))
  }
  await new Promise((r) => setTimeout(r, 1500)) // would a duplicate still arrive?
  const letters = sink.messages.filter((m) => m.to.some((t) => t.startsWith('official-')))
  expect(letters.length).toBe(20)
  expect(new Set(letters.map((m) => m.messageId)).size).toBe(20)
  for (const e of emails.slice(1)) expect(confirmationsTo(e), e).toBe(1)
  const [{ delivered }] = await db.sql<{ delivered: number }[]>`
    select count(*)::int as delivered from deliveries where status = 'delivered' and office_key like 'custom/drill-%'`
  expect(delivered).toBe(20)
})
