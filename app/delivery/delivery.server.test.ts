import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { useAppDatabase } from '#tests/setup/db'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { startCwcFake, validateCwcXml, type CwcFake } from '#tests/fakes/cwc'
import { resetEnv } from '#app/utils/env.server'
import { closeTransport, sendQueuedEmails } from '#app/mail/mail.server'
import {
  createLetter,
  customTargetToDeliveryTarget,
  getLetterCampaignForWriting,
  getLetterStatus,
  type DeliveryTarget,
} from '#app/letters/letters.server'
import { letterMail, resetDeliveryProcessState, runDeliveries } from '#app/delivery/delivery.server'
import { buildCwcXml, houseOfficeCode, senateOfficeCode } from '#app/delivery/cwc.server'
import { sweepReceipts } from '#app/delivery/receipts.server'
import { createPacket, deliverPacket, packetCsv, packetHtml } from '#app/delivery/packets.server'
import { backoffSeconds } from '#app/mail/mail.server'
import { createSql, getSql } from '#db/client'
import {
  claimDueDeliveries,
  finishDeliveries,
  finishDelivery,
  getDeliveryForSending,
  listDeliveryEvents,
} from '#db/queries/deliveries'
import { RED_NOTICE_LETTER_SLUG } from '#db/seed/red-notice'
import type { Constituent } from '#app/letters/schema'

// i18n.server reads the env when it loads (its cookie); useAppDatabase() sets the real URL later.
vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

// The delivery engine against real Postgres, a real SMTP server (smtp-server on loopback) and the
// local fake CWC. The processor is driven directly; retries are made due by moving
// next_attempt_at, never by waiting.

const db = useAppDatabase()
let sink: SmtpSink
let cwc: CwcFake

function configure(env: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  resetEnv()
  closeTransport()
  resetDeliveryProcessState()
}

beforeAll(async () => {
  sink = await startSmtpSink()
  cwc = await startCwcFake()
  configure({
    SMTP_URL: sink.url,
    CWC_BASE_URL: cwc.url,
    CWC_API_KEY: cwc.apiKey,
    CWC_SENATE_ENABLED: 'false',
    PUBLIC_URL: 'http://writ.test',
    MAIL_FROM: 'Writ <letters@writ.test>',
  })
})

afterAll(async () => {
  closeTransport()
  await sink?.close()
  await cwc?.close()
})

beforeEach(() => {
  sink.setMode('accept')
  cwc.setMode('accept')
})

const house = (state: string, district: string, name = 'Adam Gray'): DeliveryTarget => ({
  officeKey: `house/${state}-${district}`,
  name,
  title: 'Representative',
  chamber: 'house',
  state,
  district,
  cwcCode: houseOfficeCode(state, district),
  email: null,
})

const senator: DeliveryTarget = {
  officeKey: 'senate/CA/1',
  name: 'Alex Padilla',
  title: 'Senator',
  chamber: 'senate',
  state: 'CA',
  district: null,
  cwcCode: senateOfficeCode('CA', 1),
  email: null,
}

let counter = 0
function constituent(overrides: Partial<Constituent> = {}): Constituent {
  counter++
  return {
    prefix: 'Ms.',
    firstName: 'Ana',
    lastName: `Rivera${counter}`,
    email: `ana${counter}-${Date.now()}@example.org`,
    street: '1 Main St & <Apt 2>',
    city: 'Modesto',
    state: 'CA',
    zip: '95354',
    ...overrides,
  }
}

async function campaign() {
  const sql = getSql()
  const [c] = await sql<{ id: string; letterEditable: boolean; letterMaxLength: number }[]>`
    select id, letter_editable, letter_max_length from campaigns where slug = ${RED_NOTICE_LETTER_SLUG}`
  const [custom] = await sql<
    {
      id: string
      name: string
      title: string
      channel: 'email' | 'packet'
      email: string | null
      salutation: string | null
    }[]
  >`select id, name, title, channel, email, salutation from custom_targets where campaign_id = ${c!.id}`
  return { campaign: c!, custom: customTargetToDeliveryTarget(custom!) }
}

async function writeLetter(targets: DeliveryTarget[], who = constituent()) {
  const { campaign: c } = await campaign()
  const sql = getSql()
  return sql.begin(async (tx) => {
    const [s] = await tx<{ id: string }[]>`
      insert into supporters ${tx({ email: who.email, firstName: who.firstName, lastName: who.lastName })}
      on conflict (email) do update set updated_at = now() returning id`
    const letter = await createLetter(tx, {
      campaign: c,
      supporterId: s!.id,
      constituent: who,
      subject: 'Pass S. 2525, {{targetTitle}} {{targetName}}',
      body: 'Dear {{targetTitle}} {{targetName}},\n\nAs your constituent in {{city}}, I ask you to act.\n\nSincerely,\n{{firstName}} {{lastName}}',
      edited: false,
      locale: 'en',
      targets,
      // the demo's officials and thank-you copies (ADR 0904)
      copies: (await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, 'en'))!.copies,
    })
    return { ...letter, who }
  })
}

/** Runs the processor (and the email outbox, for receipts) until nothing is left to do. */
async function drain(workerId = 'test-worker', sql = getSql(), batchSize = 100) {
  for (let i = 0; i < 100; i++) {
    const handled = await runDeliveries(sql, workerId, { batchSize })
    const receipts = await sweepReceipts(sql)
    const mailed = await sendQueuedEmails(sql)
    if (handled === 0 && receipts === 0 && mailed === 0) return
  }
  throw new Error('the delivery queue did not drain')
}

async function deliveriesOf(letterId: string) {
  return getSql()<
    {
      id: number
      officeKey: string
      channel: string
      status: string
      attempts: number
      lastError: string | null
      messageId: string
      evidence: Record<string, unknown>
    }[]
  >`select id, office_key, channel, status, attempts, last_error, message_id, evidence
    from deliveries where letter_id = ${letterId} order by id`
}

async function makeAllDue() {
  await getSql()`update deliveries set next_attempt_at = now() where status = 'queued'`
}

describe('a letter to three offices', () => {
  test('gives three delivery rows, each delivered by the right channel, with evidence and one receipt', async () => {
    const { custom } = await campaign()
    const letter = await writeLetter([house('CA', '13'), senator, custom])

    const rows = await deliveriesOf(letter.letterId)
    expect(rows.map((r) => [r.officeKey, r.channel, r.status])).toEqual([
      ['house/CA-13', 'cwc', 'queued'],
      ['senate/CA/1', 'packet', 'queued'],
      [custom.officeKey, 'email', 'queued'],
    ])

    await drain()
    const after = await deliveriesOf(letter.letterId)
    expect(after.map((r) => [r.channel, r.status])).toEqual([
      ['cwc', 'delivered'],
      ['packet', 'awaiting_hand_delivery'],
      ['email', 'delivered'],
    ])

    // CWC: the fake received a valid message for HCA13, with the per-office merge fields
    const sent = cwc.messages.filter((m) => m.xml.includes(letter.who.email))
    expect(sent).toHaveLength(1)
    expect(sent[0]!.memberOffice).toBe('HCA13')
    expect(validateCwcXml(sent[0]!.xml).errors).toEqual([])
    expect(sent[0]!.xml).toContain('Dear Representative Adam Gray,')
    expect(sent[0]!.xml).toContain('<Address1>1 Main St &amp; &lt;Apt 2&gt;</Address1>')
    expect(sent[0]!.xml).toContain('<LibraryOfCongressTopic>Immigration</LibraryOfCongressTopic>')
    expect(after[0]!.evidence).toMatchObject({ memberOffice: 'HCA13', cwcStatus: 200 })
    expect(after[0]!.evidence.deliveryId).toBe(sent[0]!.deliveryId)

    // Email: Reply-To is the constituent, Message-ID is the row's deterministic one
    const mail = sink.messages.find((m) => m.messageId === after[2]!.messageId)
    expect(mail).toBeDefined()
    expect(mail!.to).toEqual([custom.email])
    expect(mail!.headers['reply-to']).toContain(letter.who.email)
    // the official gets the organization's letter, greeted by its salutation (ADR 0904)
    expect(mail!.text).toContain('Dear Mr. or Madam Secretary,')
    expect(mail!.text).not.toContain('Secretary Secretary')
    expect(mail!.html).not.toContain('As your constituent')
    expect(mail!.text).toContain(
      `Sincerely,\n${letter.who.firstName} ${letter.who.lastName}\nModesto, CA`,
    )
    // …and carries exactly the rendered letter (the engine encodes the parts itself)
    const rendered = letterMail((await getDeliveryForSending(getSql(), after[2]!.id))!)
    expect(mail!.html).toBe(rendered.html)
    expect(mail!.text).toBe(rendered.text.replaceAll('\r\n', '\n'))
    expect(after[2]!.evidence).toMatchObject({ channel: 'email', messageId: after[2]!.messageId })
    expect(String(after[2]!.evidence.smtpResponse)).toMatch(/^250/)

    // Every transition is recorded
    const events = await listDeliveryEvents(getSql(), after[0]!.id)
    expect(events.map((e) => [e.fromStatus, e.toStatus])).toEqual([
      [null, 'queued'],
      ['queued', 'sending'],
      ['sending', 'delivered'],
    ])
    expect(events[2]!.evidence).toMatchObject({ cwcStatus: 200, memberOffice: 'HCA13' })

    // Every office has a final status (awaiting hand delivery counts): exactly one receipt
    const receipts = sink.messages.filter((m) => m.to.includes(letter.who.email))
    expect(receipts).toHaveLength(1)
    expect(receipts[0]!.subject).toContain('receipt')
    expect(receipts[0]!.text).toContain('Adam Gray: Delivered')
    expect(receipts[0]!.text).toContain('Alex Padilla: Awaiting hand delivery')
    expect(receipts[0]!.text).toContain(`http://writ.test${letter.statusPath}`)

    // The organizer hand-delivers the Senate packet
    const packet = await createPacket('senate/CA/1', null)
    expect(packet?.letterCount).toBeGreaterThanOrEqual(1)
    const csv = await packetCsv(packet!.id)
    expect(csv).toContain(letter.who.email)
    const html = await packetHtml(packet!.id)
    expect(html).toContain('Dear Senator Alex Padilla,')
    expect(html).toContain('1 Main St &amp; &lt;Apt 2&gt;')
    expect(await deliverPacket({ packetId: packet!.id, organizerId: null, note: 'Faxed' })).toBe(
      true,
    )
    expect(await deliverPacket({ packetId: packet!.id, organizerId: null, note: 'again' })).toBe(
      false,
    )
    const final = await deliveriesOf(letter.letterId)
    expect(final[1]).toMatchObject({ status: 'delivered', channel: 'packet' })
    expect(final[1]!.evidence).toMatchObject({ packetId: packet!.id, note: 'Faxed' })

    // The status page shows each office
    const status = await getLetterStatus(letter.statusToken, 'en')
    expect(status?.offices.map((o) => o.status)).toEqual(['Delivered', 'Delivered', 'Delivered'])
    expect(status?.complete).toBe(true)
    await drain()
    // The receipt had said "awaiting hand delivery": one short update says the packet went
    const toWriter = sink.messages.filter((m) => m.to.includes(letter.who.email))
    expect(toWriter.map((m) => m.subject)).toEqual([
      receipts[0]!.subject,
      'Your letter to Senator Alex Padilla was hand-delivered',
    ])
    expect(toWriter[1]!.text).toContain(`http://writ.test${letter.statusPath}`)
    // marking it again sends nothing more
    await drain()
    expect(sink.messages.filter((m) => m.to.includes(letter.who.email))).toHaveLength(2)
  })

  test('Senate offices go by CWC where it is enabled', async () => {
    configure({ CWC_SENATE_ENABLED: 'true' })
    try {
      const letter = await writeLetter([senator])
      await drain()
      const [row] = await deliveriesOf(letter.letterId)
      expect(row).toMatchObject({ channel: 'cwc', status: 'delivered' })
      expect(cwc.messages.find((m) => m.xml.includes(letter.who.email))?.memberOffice).toBe('SCA0')
    } finally {
      configure({ CWC_SENATE_ENABLED: 'false' })
    }
  })

  test('without a CWC key the channel is unavailable, never faked: House falls back to a packet', async () => {
    configure({ CWC_API_KEY: undefined })
    try {
      const before = cwc.messages.length
      const letter = await writeLetter([house('CA', '13')])
      await drain()
      const [row] = await deliveriesOf(letter.letterId)
      expect(row).toMatchObject({ channel: 'packet', status: 'awaiting_hand_delivery' })
      expect(cwc.messages.length).toBe(before)
    } finally {
      configure({ CWC_API_KEY: cwc.apiKey })
    }
  })
})

describe('CWC XML', () => {
  const base = {
    deliveryKey: 'letter/1/house',
    deliveryDate: new Date('2026-11-28T12:00:00Z'),
    campaignId: '6f1c1d2e-0000-4000-8000-000000000001',
    constituent: {
      prefix: 'Dr.',
      firstName: 'José',
      lastName: "O'Brien",
      street: '1 Main St',
      city: 'Anchorage',
      state: 'AK',
      zip: '99501',
      email: 'jose@example.org',
    },
    subject: 'Red Notices <& "quotes">',
    topics: ['Immigration'],
    bill: { congress: 119, type: 'S', number: 2525 },
    constituentMessage: 'Please act.\n\n]]> <b>not markup</b>',
  }

  test('validates, with the right office codes for at-large and numbered districts', () => {
    expect(houseOfficeCode('AK', '0')).toBe('HAK00')
    expect(houseOfficeCode('WY', null)).toBe('HWY00')
    expect(houseOfficeCode('CA', '13')).toBe('HCA13')
    expect(houseOfficeCode('NY', '3')).toBe('HNY03')
    for (const memberOffice of ['HAK00', 'HWY00', 'HCA13']) {
      const xml = buildCwcXml({ ...base, memberOffice })
      const { errors, parsed } = validateCwcXml(xml)
      expect(errors).toEqual([])
      const cwcXml = parsed!.CWC as Record<string, Record<string, unknown>>
      expect(cwcXml.Recipient!.MemberOffice).toBe(memberOffice)
      expect(cwcXml.Delivery!.DeliveryId).toMatch(/^[a-f0-9]{32}$/)
      expect(cwcXml.Delivery!.DeliveryDate).toBe('20261128')
      expect(cwcXml.Delivery!.DeliveryAgentContact).toMatchObject({
        DeliveryAgentContactPhone: '202-555-0100',
      })
      expect(cwcXml.Constituent).toMatchObject({ Prefix: 'Dr.', LastName: "O'Brien", Zip: '99501' })
      expect(cwcXml.Message).toMatchObject({
        Subject: 'Red Notices <& "quotes">',
        ConstituentMessage: 'Please act.\n\n]]> <b>not markup</b>',
      })
    }
    // The same (letter, office) always gets the same DeliveryId
    expect(buildCwcXml({ ...base, memberOffice: 'HAK00' })).toBe(
      buildCwcXml({ ...base, memberOffice: 'HAK00' }),
    )
  })

  test('the fake CWC rejects malformed XML and missing fields with 400 and the reasons', async () => {
    const post = (body: string) =>
      fetch(`${cwc.url}v2/message?apikey=${cwc.apiKey}`, { method: 'POST', body })
    const bad = await post('<CWC><Delivery></CWC>')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { details: string[] }).details[0]).toMatch(/Malformed XML/)
    const incomplete = buildCwcXml({ ...base, memberOffice: 'HCA13' }).replace(
      /<Email>[^<]*<\/Email>/,
      '',
    )
    const res = await post(incomplete)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { details: string[] }).details).toContain(
      'Constituent.Email is required',
    )
    const wrongKey = await fetch(`${cwc.url}v2/message?apikey=nope`, { method: 'POST', body: '' })
    expect(wrongKey.status).toBe(401)
  })
})

describe('outages and concurrency', () => {
  test('an SMTP outage (421, then the port closed) followed by recovery delivers everything once', async () => {
    const { custom } = await campaign()
    const before = sink.messages.length
    const letters = await Promise.all(Array.from({ length: 5 }, () => writeLetter([custom])))

    sink.setMode('tempfail')
    await runDeliveries(getSql(), 'w1')
    for (const l of letters) {
      const [row] = await deliveriesOf(l.letterId)
      expect(row).toMatchObject({ status: 'queued', attempts: 1 })
      expect(row!.lastError).toMatch(/421/)
    }
    // the retry is scheduled with backoff, capped at 60 s
    const [{ delay }] = await getSql()<{ delay: number }[]>`
      select extract(epoch from next_attempt_at - updated_at)::float8 as delay
      from deliveries where letter_id = ${letters[0]!.letterId}`
    expect(delay).toBeGreaterThan(1)
    expect(delay).toBeLessThanOrEqual(60)
    expect(backoffSeconds(20)).toBe(60)

    // the SMTP server goes away entirely
    const port = sink.port
    closeTransport() // its pooled connections would hold the server's close open
    await sink.close()
    await makeAllDue()
    await runDeliveries(getSql(), 'w1')
    for (const l of letters) {
      const [row] = await deliveriesOf(l.letterId)
      expect(row).toMatchObject({ status: 'queued', attempts: 2 })
    }

    // recovery on the same port
    const restarted = await startSmtpSink({ port })
    try {
      await makeAllDue()
      await drain()
      for (const l of letters) {
        const [row] = await deliveriesOf(l.letterId)
        expect(row).toMatchObject({ status: 'delivered', attempts: 3 })
        const events = await listDeliveryEvents(getSql(), row!.id)
        expect(events.filter((e) => e.toStatus === 'sending')).toHaveLength(3)
      }
      const letterMail = restarted.messages.filter((m) => m.to.includes(custom.email!))
      expect(letterMail).toHaveLength(5)
      expect(new Set(letterMail.map((m) => m.messageId)).size).toBe(5)
      // the receipts went out after recovery too, once each
      for (const l of letters) {
        expect(restarted.messages.filter((m) => m.to.includes(l.who.email))).toHaveLength(1)
      }
      expect(sink.messages.length).toBe(before)
    } finally {
      closeTransport()
      await restarted.close()
      sink = await startSmtpSink({ port })
    }
  })

  test('two workers in parallel deliver each letter exactly once', async () => {
    const { custom } = await campaign()
    const letters: Awaited<ReturnType<typeof writeLetter>>[] = []
    for (let i = 0; i < 30; i++)
      letters.push(await writeLetter([house('CA', String(1 + (i % 52))), custom]))
    const cwcBefore = cwc.messages.length
    const a = createSql(db.url, { max: 4 })
    const b = createSql(db.url, { max: 4 })
    try {
      // small batches, so that the two workers' claims interleave
      await Promise.all([drain('worker-a', a, 5), drain('worker-b', b, 5)])
    } finally {
      await a.end()
      await b.end()
    }
    const rows = await getSql()<{ status: string; lockedBy: string | null; n: number }[]>`
      select status, count(*)::int as n from deliveries
      where letter_id in ${getSql()(letters.map((l) => l.letterId))} group by status`
    expect(rows).toEqual([{ status: 'delivered', n: 60 }])
    const letterMail = sink.messages.filter((m) =>
      letters.some((l) => m.headers['x-writ-letter'] === l.letterId),
    )
    expect(letterMail).toHaveLength(30)
    expect(new Set(letterMail.map((m) => m.messageId)).size).toBe(30)
    expect(cwc.messages.length - cwcBefore).toBe(30)
    expect(cwc.duplicates).toEqual([])
    // each delivery was claimed exactly once: no worker ever took a row another held
    const claims = await getSql()<{ n: number }[]>`
      select count(*)::int as n from delivery_events e
      join deliveries d on d.id = e.delivery_id
      where e.to_status = 'sending' and d.letter_id in ${getSql()(letters.map((l) => l.letterId))}
      group by e.delivery_id`
    expect(claims).toHaveLength(60)
    expect(claims.every((c) => c.n === 1)).toBe(true)
  })

  test('a crashed worker’s lease is taken over, and a row once marked is never sent again', async () => {
    const { custom } = await campaign()
    const letter = await writeLetter([custom])
    // worker "crashed" claims the row and dies before sending or recording
    const [claimed] = await claimDueDeliveries(getSql(), {
      workerId: 'crashed',
      batchSize: 10,
      leaseSeconds: 300,
      channels: ['email'],
    })
    expect(claimed?.letterId).toBe(letter.letterId)
    await drain('survivor')
    expect((await deliveriesOf(letter.letterId))[0]!.status).toBe('sending') // lease still held

    await getSql()`update deliveries set locked_at = now() - interval '10 minutes' where id = ${claimed!.id}`
    await drain('survivor')
    const [row] = await deliveriesOf(letter.letterId)
    expect(row).toMatchObject({ status: 'delivered', attempts: 2 })

    // the crashed worker comes back and tries to record its stale attempt: fenced off
    const stale = await finishDelivery(getSql(), {
      id: claimed!.id,
      workerId: 'crashed',
      attempt: claimed!.attempts,
      status: 'failed',
      channel: 'email',
      evidence: {},
      lastError: 'stale',
    })
    expect(stale).toBeNull()
    await makeAllDue()
    await drain('survivor')
    expect((await deliveriesOf(letter.letterId))[0]!.status).toBe('delivered')
    expect(sink.messages.filter((m) => m.messageId === row!.messageId)).toHaveLength(1)
  })
  test('outcomes recorded together are each fenced on the lease: a row taken over is left to its new owner', async () => {
    const { custom } = await campaign()
    const written = [await writeLetter([custom]), await writeLetter([custom])]
    const ids = written.map((l) => l.letterId)
    const claimed = (
      await claimDueDeliveries(getSql(), {
        workerId: 'slow',
        batchSize: 50,
        leaseSeconds: 300,
        channels: ['email'],
      })
    ).filter((r) => ids.includes(r.letterId))
    expect(claimed).toHaveLength(2)
    // the second row's lease expired and another worker took it over
    await getSql()`
      update deliveries set locked_by = 'other', attempts = attempts + 1 where id = ${claimed[1]!.id}`
    const recorded = await finishDeliveries(
      getSql(),
      'slow',
      claimed.map((r) => ({
        id: r.id,
        attempt: r.attempts,
        status: 'delivered' as const,
        channel: 'email' as const,
        evidence: { channel: 'email', messageId: r.messageId },
        lastError: null,
      })),
    )
    expect([...recorded.values()]).toEqual([ids[0]])
    const rows = await getSql()<{ letterId: string; status: string; lockedBy: string | null }[]>`
      select letter_id, status, locked_by from deliveries where letter_id in ${getSql()(ids)}
      order by id`
    expect(rows).toEqual([
      { letterId: ids[0], status: 'delivered', lockedBy: null },
      { letterId: ids[1], status: 'sending', lockedBy: 'other' },
    ])
    const events = await listDeliveryEvents(getSql(), claimed[1]!.id)
    expect(events.map((e) => e.toStatus)).toEqual(['queued', 'sending'])
    const [done] = await listDeliveryEvents(getSql(), claimed[0]!.id).then((e) => e.slice(-1))
    expect(done).toMatchObject({ toStatus: 'delivered', attempt: 1 })
  })
})

describe('permanent failures and the local outbox', () => {
  test('a permanent failure ends failed with the reason, and the receipt says so', async () => {
    const { custom } = await campaign()
    // CWC refuses a prefix outside its list (validation error: permanent, not retried)
    const letter = await writeLetter(
      [house('AK', '0', 'Nick Begich'), custom],
      constituent({ prefix: 'Sir' as never }),
    )
    sink.setMode('permfail')
    await runDeliveries(getSql(), 'w1')
    sink.setMode('accept')
    await makeAllDue()
    await drain()
    const rows = await deliveriesOf(letter.letterId)
    expect(rows[0]).toMatchObject({ channel: 'cwc', status: 'failed', attempts: 1 })
    expect(rows[0]!.lastError).toMatch(/CWC 400: .*Prefix/)
    expect(rows[1]).toMatchObject({ channel: 'email', status: 'failed', attempts: 1 })
    expect(rows[1]!.lastError).toMatch(/SMTP 550/)
    expect(sink.messages.filter((m) => m.messageId === rows[1]!.messageId)).toHaveLength(0)

    const receipt = await sink.waitFor((m) => m.to.includes(letter.who.email), 1000)
    expect(receipt.text).toContain('Nick Begich: Failed')
    expect(receipt.text).toMatch(/Not delivered: SMTP 550/)
    expect(receipt.text).toMatch(/Not delivered: CWC 400/)
  })

  test('a temporary failure is given up after DELIVERY_GIVE_UP_HOURS', async () => {
    const { custom } = await campaign()
    const letter = await writeLetter([custom])
    await getSql()`update deliveries set created_at = now() - interval '80 hours' where letter_id = ${letter.letterId}`
    sink.setMode('tempfail')
    await runDeliveries(getSql(), 'w1')
    const [row] = await deliveriesOf(letter.letterId)
    expect(row).toMatchObject({ status: 'failed' })
    expect(row!.lastError).toMatch(/gave up after 1 attempts: SMTP 421/)
  })

  test('with no SMTP server, a letter waits in the local outbox (queued, not delivered), then goes out', async () => {
    configure({ SMTP_URL: undefined })
    const { custom } = await campaign()
    const letter = await writeLetter([custom])
    try {
      await drain()
      const [row] = await deliveriesOf(letter.letterId)
      expect(row).toMatchObject({ status: 'queued', channel: 'email' })
      expect(row!.evidence).toMatchObject({ heldInLocalOutbox: true })
      const [outbox] = await getSql()<{ status: string; toAddress: string }[]>`
        select status, to_address from outbound_emails where message_id = ${row!.messageId}`
      expect(outbox).toEqual({ status: 'local', toAddress: custom.email })
      const status = await getLetterStatus(letter.statusToken, 'es')
      expect(status?.offices[0]?.status).toBe('En cola')
      expect(status?.complete).toBe(false)
    } finally {
      configure({ SMTP_URL: sink.url })
    }
    await drain()
    const [row] = await deliveriesOf(letter.letterId)
    expect(row).toMatchObject({ status: 'delivered' })
    expect(sink.messages.filter((m) => m.messageId === row!.messageId)).toHaveLength(1)
  })
})
