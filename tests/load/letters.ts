// Letter delivery throughput: how fast the delivery engine moves queued letters into a real SMTP
// server (smtp-server on loopback, in its own process), against a raw nodemailer pooled send of
// the same messages (same size, headers and pool) to the same server in the same run.
// `npx tsx tests/load/letters.ts [N] [--workers=n] [--rounds=n] [--inline-sink]` prints the
// figures; `npm run bench` imports measureLetterDelivery. Needs Postgres: TEST_DATABASE_URL, or an
// embedded one.
import { randomUUID } from 'node:crypto'
import nodemailer from 'nodemailer'
import {
  createDatabaseFromTemplate,
  databaseUrl,
  dropDatabase,
  ensureTemplateDatabase,
  resolveAdminUrl,
} from '../setup/postgres'
import type { DeliveryRunOptions } from '#app/delivery/delivery.server'
import { createCountingServer, startCountingSink, type SinkStats } from './counting-sink'

export type LetterThroughput = {
  letters: number
  letters_per_s: number
  raw_per_s: number
  ratio: number
  engine_cpu_ms_per_letter: number
  raw_cpu_ms_per_message: number
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000

type Sink = { url: string; take(): Promise<SinkStats>; close(): Promise<void> }

/**
 * The old in-process sink, kept for comparison (`--inline-sink`): the sink's SMTP parsing then
 * runs on the sender's core and is charged to both the engine and the raw baseline.
 */
async function startInlineSink(): Promise<Sink> {
  const { server, take } = createCountingServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `smtp://127.0.0.1:${port}`,
    take: async () => take(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export async function measureLetterDelivery({
  letters = 2000,
  workers = 1,
  adminUrl: givenAdminUrl,
  inlineSink = false,
  around = (_phase, run) => run(),
  engineOptions = {},
}: {
  letters?: number
  workers?: number
  adminUrl?: string
  /** Run the SMTP sink in this process (the old, unfair setup), for comparison. */
  inlineSink?: boolean
  /** Wraps each timed phase (the standalone runner profiles one with it). */
  around?: (phase: 'raw' | 'engine', run: () => Promise<void>) => Promise<void>
  /** Overrides of the engine's defaults (the bench uses the defaults, as production does). */
  engineOptions?: DeliveryRunOptions
} = {}): Promise<LetterThroughput> {
  // The bench passes its own server; standalone runs resolve one (TEST_DATABASE_URL or embedded).
  const { adminUrl, stop } = givenAdminUrl
    ? { adminUrl: givenAdminUrl, stop: async () => {} }
    : await resolveAdminUrl()
  const template = await ensureTemplateDatabase(adminUrl)
  const dbName = await createDatabaseFromTemplate(adminUrl, template)
  const sink: Sink = inlineSink ? await startInlineSink() : await startCountingSink()
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl(adminUrl, dbName),
    SMTP_URL: sink.url,
    PUBLIC_URL: 'http://writ.bench',
    MAIL_FROM: 'Writ <letters@writ.bench>',
    RUN_WORKER: 'false',
    LOG_REQUESTS: 'false',
  })
  delete process.env.CWC_API_KEY
  // App modules read the environment when they load.
  const { resetEnv } = await import('#app/utils/env.server')
  resetEnv()
  const { configureSqlFromEnv } = await import('#app/utils/sql.server')
  configureSqlFromEnv()
  const { getSql, closeSql } = await import('#db/client')
  const { closeTransport, smtpPoolOptions } = await import('#app/mail/mail.server')
  const { createLetter } = await import('#app/letters/letters.server')
  const { runDeliveries, letterMail } = await import('#app/delivery/delivery.server')
  const { getDeliveryForSending } = await import('#db/queries/deliveries')
  const sql = getSql()
  try {
    const [campaign] = await sql<
      { id: string; letterEditable: boolean; letterMaxLength: number }[]
    >`
      select id, letter_editable, letter_max_length from campaigns where kind = 'letter' limit 1`
    const body = `Dear {{targetTitle}} {{targetName}},\n\n${'As your constituent in {{city}}, I ask you to pass the Transnational Repression Policy Act. '.repeat(6)}\n\nSincerely,\n{{firstName}} {{lastName}}`
    // Arrange (not timed): n letters, each to one office reached by email.
    const arrange = async (n: number, tag: string) => {
      for (let start = 0; start < n; start += 500) {
        await sql.begin(async (tx) => {
          const emails = Array.from(
            { length: Math.min(500, n - start) },
            (_, i) => `${tag}${start + i}-${randomUUID().slice(0, 8)}@example.org`,
          )
          const supporters = await tx<{ id: string; email: string }[]>`
            insert into supporters ${tx(emails.map((email) => ({ email })))} returning id, email`
          for (const s of supporters) {
            await createLetter(tx, {
              campaign: campaign!,
              supporterId: s.id,
              constituent: {
                prefix: 'Ms.',
                firstName: 'Ana',
                lastName: 'Rivera',
                email: s.email,
                street: '1 Main St',
                city: 'Modesto',
                state: 'CA',
                zip: '95354',
              },
              subject: 'Pass S. 2525',
              body,
              edited: false,
              locale: 'en',
              targets: [
                {
                  officeKey: 'custom/bench-office',
                  name: 'Bench Office',
                  title: 'Secretary',
                  chamber: null,
                  state: null,
                  district: null,
                  cwcCode: null,
                  email: 'office@bench.example',
                },
              ],
            })
          }
        })
      }
    }
    // Raw: one of these very letters, rendered once by the engine's own code (same size, same
    // headers), sent n times straight through a pooled nodemailer transport with the engine's pool
    // settings; only the Message-ID differs per send.
    const warmup = Math.min(letters, 300)
    await arrange(warmup, 'warmup')
    const [first] = await sql<{ id: number }[]>`select min(id)::int as id from deliveries`
    const sample = letterMail((await getDeliveryForSending(sql, first!.id))!)
    const raw = nodemailer.createTransport({ url: sink.url, ...smtpPoolOptions() })
    const sendRaw = (n: number, tag: string) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          raw.sendMail({ ...sample, messageId: `<raw-${tag}-${i}@writ.bench>` }),
        ),
      )
    // The engine: claim, render, send, record (events and all), until every delivery is delivered.
    const drain = () =>
      Promise.all(
        Array.from({ length: workers }, async (_, w) => {
          while ((await runDeliveries(sql, `bench-${w}`, engineOptions)) > 0) {
            // keep going
          }
        }),
      )
    const expectAtSink = async (n: number, what: string) => {
      // Exactly once at the sink: n messages, n distinct Message-IDs.
      const got = await sink.take()
      if (got.received !== n || got.uniqueMessageIds !== n)
        throw new Error(`the sink got ${JSON.stringify(got)} for ${n} ${what}`)
    }

    // Warm-up (not timed): both senders' code is compiled and their SMTP connections are open
    // before either is timed, so that neither pays for JIT or connection setup.
    await sendRaw(warmup, 'warmup')
    await drain()
    await expectAtSink(2 * warmup, 'warm-up messages')
    await arrange(letters, 'bench')

    const rawCpu = process.cpuUsage()
    const rawStart = performance.now()
    await around('raw', () => sendRaw(letters, 'timed').then(() => {}))
    const rawSeconds = (performance.now() - rawStart) / 1000
    const rawCpuMs = cpuMs(process.cpuUsage(rawCpu))
    raw.close()
    await expectAtSink(letters, 'raw messages')

    const engineCpu = process.cpuUsage()
    const engineStart = performance.now()
    await around('engine', () => drain().then(() => {}))
    const engineSeconds = (performance.now() - engineStart) / 1000
    const engineCpuMs = cpuMs(process.cpuUsage(engineCpu))
    const [{ delivered }] = await sql<{ delivered: number }[]>`
      select count(*)::int as delivered from deliveries where status = 'delivered'`
    if (delivered !== letters + warmup)
      throw new Error(`only ${delivered - warmup} of ${letters} letters were delivered`)
    await expectAtSink(letters, 'letters')
    const lettersPerS = letters / engineSeconds
    const rawPerS = letters / rawSeconds
    return {
      letters,
      letters_per_s: Math.round(lettersPerS),
      raw_per_s: Math.round(rawPerS),
      ratio: Math.round((lettersPerS / rawPerS) * 100) / 100,
      // Node CPU per message in the sender's process (the sink and Postgres excluded, unless
      // inlineSink), to read the figures on a loaded machine.
      engine_cpu_ms_per_letter: Math.round((engineCpuMs / letters) * 100) / 100,
      raw_cpu_ms_per_message: Math.round((rawCpuMs / letters) * 100) / 100,
    }
  } finally {
    closeTransport()
    await closeSql()
    await sink.close()
    await dropDatabase(adminUrl, dbName).catch(() => {})
    await stop()
  }
}

async function profilePhase(file: string, run: () => Promise<void>) {
  const { Session } = await import('node:inspector/promises')
  const { mkdir, writeFile } = await import('node:fs/promises')
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  await run()
  const { profile } = await session.post('Profiler.stop')
  session.disconnect()
  await mkdir('.data/bench', { recursive: true })
  await writeFile(file, JSON.stringify(profile))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 2000)
  const rounds = Number(flag('rounds') ?? 1)
  // --profile=engine|raw writes a .cpuprofile of that phase of the last round to .data/bench/.
  const profile = flag('profile')
  for (let round = 0; round < rounds; round++) {
    const result = await measureLetterDelivery({
      letters: n,
      workers: Number(flag('workers') ?? 1),
      inlineSink: args.includes('--inline-sink'),
      engineOptions: {
        ...(flag('batch') ? { batchSize: Number(flag('batch')) } : {}),
        ...(flag('concurrency') ? { concurrency: Number(flag('concurrency')) } : {}),
      },
      around: async (phase, run) => {
        if (phase !== profile || round !== rounds - 1) return run()
        const file = `.data/bench/letters-${phase}.cpuprofile`
        await profilePhase(file, run)
        console.log(`profile: ${file}`)
      },
    })
    console.log(JSON.stringify(result))
  }
  process.exit(0)
}
