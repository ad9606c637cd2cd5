// Letter delivery throughput: how fast the delivery engine moves queued letters into a real SMTP
// server (smtp-server on loopback), against a raw nodemailer pooled send of the same messages in
// the same run. `npx tsx tests/load/letters.ts [N]` prints the figures; `npm run bench` imports
// measureLetterDelivery. Needs Postgres: TEST_DATABASE_URL, or an embedded one.
import { randomUUID } from 'node:crypto'
import nodemailer from 'nodemailer'
import {
  createDatabaseFromTemplate,
  databaseUrl,
  dropDatabase,
  ensureTemplateDatabase,
  resolveAdminUrl,
} from '../setup/postgres'
import { SMTPServer } from 'smtp-server'

export type LetterThroughput = {
  letters: number
  letters_per_s: number
  raw_per_s: number
  ratio: number
  engine_cpu_ms_per_letter: number
  raw_cpu_ms_per_message: number
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000

/**
 * A real SMTP server (smtp-server) that accepts and counts mail without parsing it, so that the
 * figures measure the senders rather than the test sink's MIME parser. Message-IDs are read from
 * the headers to check for duplicates.
 */
async function startCountingSink() {
  const messageIds: string[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      let head = ''
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('latin1')
      })
      stream.on('end', () => {
        messageIds.push(/^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '')
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `smtp://127.0.0.1:${port}`,
    messageIds,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export async function measureLetterDelivery({
  letters = 2000,
  workers = 1,
  adminUrl: givenAdminUrl,
}: { letters?: number; workers?: number; adminUrl?: string } = {}): Promise<LetterThroughput> {
  // The bench passes its own server; standalone runs resolve one (TEST_DATABASE_URL or embedded).
  const { adminUrl, stop } = givenAdminUrl
    ? { adminUrl: givenAdminUrl, stop: async () => {} }
    : await resolveAdminUrl()
  const template = await ensureTemplateDatabase(adminUrl)
  const dbName = await createDatabaseFromTemplate(adminUrl, template)
  const sink = await startCountingSink()
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
  const { getSql, closeSql } = await import('#db/client')
  const { closeTransport } = await import('#app/mail/mail.server')
  const { createLetter } = await import('#app/letters/letters.server')
  const { runDeliveries } = await import('#app/delivery/delivery.server')
  const { renderLetterEmail } = await import('#emails/letter')
  const { getServerT } = await import('#app/i18n/i18n.server')
  const sql = getSql()
  try {
    const [campaign] = await sql<
      { id: string; letterEditable: boolean; letterMaxLength: number }[]
    >`
      select id, letter_editable, letter_max_length from campaigns where kind = 'letter' limit 1`
    const body = `Dear {{targetTitle}} {{targetName}},\n\n${'As your constituent in {{city}}, I ask you to pass the Transnational Repression Policy Act. '.repeat(6)}\n\nSincerely,\n{{firstName}} {{lastName}}`
    // Arrange (not timed): N letters, each to one office reached by email.
    for (let start = 0; start < letters; start += 500) {
      await sql.begin(async (tx) => {
        const n = Math.min(500, letters - start)
        const emails = Array.from(
          { length: n },
          (_, i) => `bench${start + i}-${randomUUID().slice(0, 8)}@example.org`,
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

    // Raw: the same kind of message, straight through a pooled nodemailer transport.
    const sample = renderLetterEmail(
      {
        subject: 'Pass S. 2525',
        body: body.replaceAll(/\{\{\w+\}\}/g, 'X'),
        senderName: 'Ana Rivera',
        senderEmail: 'ana@example.org',
        senderAddress: ['1 Main St', 'Modesto, CA 95354'],
        officeName: 'Secretary Bench Office',
        orgName: 'Writ',
      },
      { t: getServerT('en'), locale: 'en' },
    )
    const raw = nodemailer.createTransport({
      url: sink.url,
      pool: true,
      maxConnections: 5,
      maxMessages: Infinity,
    })
    const rawCpu = process.cpuUsage()
    const rawStart = performance.now()
    await Promise.all(
      Array.from({ length: letters }, (_, i) =>
        raw.sendMail({
          from: 'Writ <letters@writ.bench>',
          to: 'office@bench.example',
          replyTo: 'ana@example.org',
          subject: sample.subject,
          html: sample.html,
          text: sample.text,
          messageId: `<raw-${i}@writ.bench>`,
        }),
      ),
    )
    const rawSeconds = (performance.now() - rawStart) / 1000
    const rawCpuMs = cpuMs(process.cpuUsage(rawCpu))
    raw.close()

    // The engine: claim, send, record (events and all), until every delivery is delivered.
    const engineCpu = process.cpuUsage()
    const engineStart = performance.now()
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        while ((await runDeliveries(sql, `bench-${w}`, { batchSize: 200, concurrency: 64 })) > 0) {
          // keep going
        }
      }),
    )
    const engineSeconds = (performance.now() - engineStart) / 1000
    const engineCpuMs = cpuMs(process.cpuUsage(engineCpu))
    const [{ delivered }] = await sql<{ delivered: number }[]>`
      select count(*)::int as delivered from deliveries where status = 'delivered'`
    if (delivered !== letters)
      throw new Error(`only ${delivered} of ${letters} letters were delivered`)
    const lettersPerS = letters / engineSeconds
    const rawPerS = letters / rawSeconds
    return {
      letters,
      letters_per_s: Math.round(lettersPerS),
      raw_per_s: Math.round(rawPerS),
      ratio: Math.round((lettersPerS / rawPerS) * 100) / 100,
      // Node CPU per message (this process: sender and sink; Postgres excluded), to read the
      // figures on a loaded machine.
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 2000)
  const result = await measureLetterDelivery({ letters: n })
  console.log(JSON.stringify(result))
  process.exit(0)
}
