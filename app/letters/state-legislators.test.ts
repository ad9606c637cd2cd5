import path from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

import { resetEnv } from '#app/utils/env.server'
import { closeTransport, sendQueuedEmails } from '#app/mail/mail.server'
import { sweepReceipts } from '#app/delivery/receipts.server'
import { resetDeliveryProcessState, runDeliveries } from '#app/delivery/delivery.server'
import { action } from '#app/routes/c.$slug/route'
import { getSql } from '#db/client'
import { RED_NOTICE_LETTER_SLUG } from '#db/seed/red-notice'
import { startFakeGeocoder, type FakeGeocoder } from '#tests/fakes/geocoder'
import { useAppDatabase } from '#tests/setup/db'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { REFERENCE_DATA_DIR } from '#tests/setup/template-steps'

// State legislators end to end (issue 14, section 5): a letter campaign that targets the state
// senate and house. One address, placed by the fake Census geocoder in WY's at-large district,
// state senate district 5 and state house district 8, gives the House, both Senators and the two
// state legislators; the state ones go by email to their Open States addresses, through the
// worker and a real SMTP server. Real Postgres with the imported reference data.

useAppDatabase()
let geocoder: FakeGeocoder
let sink: SmtpSink

const SLUG = RED_NOTICE_LETTER_SLUG
const ADDRESS = { street: '10 Capitol Ave', city: 'Cheyenne', state: 'WY', zip: '82001' }

beforeAll(async () => {
  geocoder = await startFakeGeocoder({ fixturesDir: path.join(REFERENCE_DATA_DIR, 'fixtures') })
  geocoder.addAddress('10 Capitol Ave, Cheyenne, WY 82001', {
    state: 'WY',
    district: '0',
    zip: '82001',
    upper: { code: '005', baseName: '5' },
    lower: { code: '008', baseName: '8' },
  })
  sink = await startSmtpSink()
  process.env.GEOCODER_URL = geocoder.url
  process.env.SMTP_URL = sink.url
  process.env.CWC_API_KEY = ''
  process.env.MAIL_FROM = 'Writ <letters@writ.test>'
  resetEnv()
  closeTransport()
  resetDeliveryProcessState()
  await getSql()`
    update campaigns
    set target_config = target_config || '{"stateUpper": true, "stateLower": true}'::jsonb
    where slug = ${SLUG}`
})

afterAll(async () => {
  closeTransport()
  await sink?.close()
  await geocoder?.close()
})

async function post(fields: Record<string, string>) {
  const request = new Request(`http://localhost/c/${SLUG}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  try {
    return (await action({
      request,
      params: { slug: SLUG },
      context: { cspNonce: '', clientIp: '10.14.5.1' },
    })) as unknown
  } catch (thrown) {
    return thrown
  }
}

const WRITER = {
  prefix: 'Mx.',
  firstName: 'Rosa',
  lastName: 'Vega',
  email: 'rosa-state@example.org',
  ...ADDRESS,
  subject: 'Please act, {{targetTitle}}',
  message: 'Dear {{targetTitle}} {{targetName}},\n\nPlease act on Red Notices.\n\n{{firstName}}',
}

test('one address gives House, Senate, state senate and state house; the state offices get email at their Open States addresses', async () => {
  const lookup = (await post({ ...WRITER, intent: 'lookup' })) as {
    data: { flow: { step: string; shown: Array<{ officeKey: string; name: string }> } }
  }
  expect(lookup.data.flow.step).toBe('letter')
  const shown = lookup.data.flow.shown.filter((s) => !s.officeKey.startsWith('custom/'))
  expect(shown.map((s) => s.name)).toEqual([
    'Harriet M. Hageman',
    expect.any(String),
    expect.any(String),
    'Lynn Hutchings',
    'Steve Johnson',
  ])

  const sent = (await post({ ...WRITER, intent: 'send' })) as Response
  expect(sent.status).toBe(303)

  const sql = getSql()
  const rows = await sql<
    { officeKey: string; chamber: string | null; channel: string; email: string | null }[]
  >`
    select d.office_key, d.chamber, d.channel, d.email
    from deliveries d join letters l on l.id = d.letter_id
    where l.email = ${WRITER.email} order by d.office_key`
  const byChamber = (c: string) => rows.filter((r) => r.chamber === c)
  expect(byChamber('house')).toHaveLength(1)
  expect(byChamber('senate')).toHaveLength(2)
  expect(byChamber('state_upper')).toEqual([
    expect.objectContaining({ channel: 'email', email: 'lynn.hutchings@wyoleg.gov' }),
  ])
  expect(byChamber('state_lower')).toEqual([
    expect.objectContaining({ channel: 'email', email: 'steve.johnson@wyoleg.gov' }),
  ])

  // The worker sends them through the real SMTP server, addressed to each legislator.
  await runDeliveries(sql, 'state-test')
  const senatorMail = await sink.waitFor((m) => m.to.includes('lynn.hutchings@wyoleg.gov'))
  const houseMail = await sink.waitFor((m) => m.to.includes('steve.johnson@wyoleg.gov'))
  expect(senatorMail.subject).toBe('Please act, State Senator')
  expect(senatorMail.text).toContain('Dear State Senator Lynn Hutchings,')
  expect(houseMail.subject).toBe('Please act, State Representative')
  expect(houseMail.text).toContain('Dear State Representative Steve Johnson,')
  expect(houseMail.text).toContain('Rosa')

  const statuses = await sql<{ chamber: string; status: string; evidence: number }[]>`
    select d.chamber, d.status,
      (select count(*)::int from delivery_events e where e.delivery_id = d.id) as evidence
    from deliveries d join letters l on l.id = d.letter_id
    where l.email = ${WRITER.email} and d.chamber like 'state_%' order by d.chamber`
  expect(statuses.map((s) => [s.chamber, s.status])).toEqual([
    ['state_lower', 'delivered'],
    ['state_upper', 'delivered'],
  ])
  expect(statuses.every((s) => s.evidence > 0)).toBe(true)

  // The writer's receipt lists the state legislators with the others.
  await sweepReceipts(sql)
  await sendQueuedEmails(sql)
  const receipt = await sink.waitFor(
    (m) => m.to.includes(WRITER.email) && m.subject.startsWith("Your letter's"),
  )
  expect(receipt.text).toContain('State Senator Lynn Hutchings')
  expect(receipt.text).toContain('State Representative Steve Johnson')
  expect(receipt.text).toContain('Harriet M. Hageman')
})

type Flow = { step: string; note?: string; shown: Array<{ officeKey: string }> }

test('with the geocoder down, the writer learns that only their state legislators are missing, not to pick a district', async () => {
  geocoder.setMode('down')
  try {
    const res = (await post({
      ...WRITER,
      // a street not looked up before (answers are cached)
      street: '12 Capitol Ave',
      email: 'rosa-down@example.org',
      intent: 'lookup',
    })) as { data: { flow: Flow } }
    const flow = res.data.flow
    expect(flow.step).toBe('letter')
    expect(flow.shown.some((s) => s.officeKey === 'house/WY-0')).toBe(true)
    expect(flow.shown.some((s) => s.officeKey.startsWith('state_'))).toBe(false)
    // not "Pick your district, or write to your Senators only": every federal target is known
    expect(flow.note).toBe('stateUnavailable')
  } finally {
    geocoder.setMode('up')
  }
})

test('a picked district names the House member; the writer is told their state legislators could not be found', async () => {
  const res = (await post({
    ...WRITER,
    street: '999 Nowhere Ln',
    city: 'New York',
    state: 'NY',
    zip: '10001',
    email: 'rosa-ny@example.org',
    district: 'NY-12',
    intent: 'lookup',
  })) as { data: { flow: Flow } }
  const flow = res.data.flow
  expect(flow.step).toBe('letter')
  expect(flow.shown[0]!.officeKey).toBe('house/NY-12')
  expect(flow.shown.some((s) => s.officeKey.startsWith('state_'))).toBe(false)
  expect(flow.note).toBe('stateUnplaced')
})
