import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { useAppDatabase } from '#tests/setup/db'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { resetEnv } from '#app/utils/env.server'
import { closeTransport, sendQueuedEmails } from '#app/mail/mail.server'
import { getSql } from '#db/client'
import { listPetitionDeliveryEvents } from '#db/queries/petition-deliveries'
import {
  deliverPetition,
  deliverReachedMilestones,
  getPetitionPacket,
  markPetitionPacketHandDelivered,
  resetPetitionDeliveryProcessState,
  runPetitionDeliveries,
  setMilestones,
} from './petition-delivery.server'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

// Petition delivery against real Postgres (the template imports ../shared/data: Montana has two
// districts, Wyoming one) and a real SMTP server on loopback. The worker's passes are called
// directly.

const db = useAppDatabase()
let sink: SmtpSink

beforeAll(async () => {
  sink = await startSmtpSink()
  process.env.SMTP_URL = sink.url
  process.env.PUBLIC_URL = 'http://writ.test'
  process.env.MAIL_FROM = 'Writ <petitions@writ.test>'
  resetEnv()
  closeTransport()
  resetPetitionDeliveryProcessState()
})

afterAll(async () => {
  closeTransport()
  await sink?.close()
})

let seq = 0

async function petition(
  targetConfig: Record<string, unknown>,
  custom: Array<{ name: string; title: string; email: string | null }> = [],
) {
  const sql = getSql()
  seq++
  const [c] = await sql<{ id: string; slug: string }[]>`
    insert into campaigns (slug, kind, status, target_config, published_at)
    values (${`petition-delivery-${seq}`}, 'petition', 'live', ${sql.json(targetConfig as never)}, now())
    returning id, slug`
  await sql`
    insert into campaign_copy (campaign_id, locale, headline, ask) values
      (${c!.id}, 'en', ${`Stop Red Notice detentions ${seq}`}, 'Amend S. 2525 to bar detention on a Red Notice alone.'),
      (${c!.id}, 'es', ${`Alto a las detenciones ${seq}`}, 'Enmienden la S. 2525.')`
  for (const [position, t] of custom.entries()) {
    await sql`
      insert into custom_targets (campaign_id, name, title, channel, email, position)
      values (${c!.id}, ${t.name}, ${t.title}, ${t.email ? 'email' : 'packet'}, ${t.email}, ${position})`
  }
  return c!
}

type Signer = {
  first: string
  last: string
  city: string
  state: string
  zip: string
  /** null: the ZIP spans districts */
  district: string | null
  comment?: string
  anonymous?: boolean
  optIn?: boolean
  confirmed?: boolean
  locale?: 'en' | 'es'
}

async function sign(campaignId: string, s: Signer) {
  const sql = getSql()
  seq++
  const email = `${s.first.toLowerCase()}.${seq}@example.org`
  const [p] = await sql<{ id: string }[]>`
    insert into supporters (email, first_name, last_name, street, city, state, zip, locale, list_opt_in)
    values (${email}, ${s.first}, ${s.last}, ${`${seq} Secret Street`}, ${s.city}, ${s.state},
            ${s.zip}, ${s.locale ?? 'en'}, ${s.optIn ?? false})
    returning id`
  const [sig] = await sql<{ id: string }[]>`
    insert into signatures (campaign_id, supporter_id, ref_code, comment, anonymous, display_name,
                            city, state, congressional_district, locale, confirmed_at)
    values (${campaignId}, ${p!.id}, ${`ref${seq}x${Date.now()}`}, ${s.comment ?? null},
            ${s.anonymous ?? false}, ${s.first}, ${s.city}, ${s.state}, ${s.district},
            ${s.locale ?? 'en'}, ${s.confirmed === false ? null : new Date()})
    returning id::text`
  return { supporterId: p!.id, signatureId: sig!.id, email }
}

async function officeRows(roundId: string) {
  return getSql()<
    Array<{
      id: number
      officeKey: string
      officeName: string
      audience: string
      constituents: number | null
      listed: number
      channel: string
      status: string
    }>
  >`
    select id::int, office_key, office_name, audience, constituents, listed, channel, status
    from petition_office_deliveries where round_id = ${roundId} order by office_key`
}

const missoula = { city: 'Missoula', state: 'MT', zip: '59801', district: '1' }
const billings = { city: 'Billings', state: 'MT', zip: '59101', district: '2' }
const cheyenne = { city: 'Cheyenne', state: 'WY', zip: '82001', district: '0' }

test("Montana's and Wyoming's offices each get only their own constituents: Senators by state, Representatives by district", async () => {
  const c = await petition({ house: true, senate: true })
  const ana = await sign(c.id, {
    first: 'Ana',
    last: 'Lopez',
    ...missoula,
    comment: '=Please act',
    optIn: true,
  })
  await sign(c.id, { first: 'Hidden', last: 'Person', ...missoula, anonymous: true })
  await sign(c.id, { first: 'Ben', last: 'Cruz', ...billings })
  // a Montana ZIP that spans districts: counted for Montana's Senators only
  await sign(c.id, {
    first: 'Dana',
    last: 'Reyes',
    city: 'Helena',
    state: 'MT',
    zip: '59601',
    district: null,
  })
  await sign(c.id, { first: 'Carla', last: 'Diaz', ...cheyenne, optIn: true, locale: 'es' })
  await sign(c.id, { first: 'Eli', last: 'Moss', ...cheyenne })
  // not confirmed: not delivered
  await sign(c.id, { first: 'Unconfirmed', last: 'Signer', ...cheyenne, confirmed: false })

  const outcome = await deliverPetition({ campaignId: c.id, organizerId: null, reason: 'now' })
  expect(outcome).toMatchObject({ kind: 'delivered', offices: 7, signatures: 6 })
  if (outcome.kind !== 'delivered') return
  const rows = await officeRows(outcome.roundId)
  expect(rows.map((r) => [r.officeKey, r.audience, r.constituents, r.listed, r.channel])).toEqual([
    ['house/MT-1', 'district', 2, 2, 'packet'],
    ['house/MT-2', 'district', 1, 1, 'packet'],
    ['house/WY-0', 'district', 2, 2, 'packet'],
    ['senate/MT/1', 'state', 4, 4, 'packet'],
    ['senate/MT/2', 'state', 4, 4, 'packet'],
    ['senate/WY/1', 'state', 2, 2, 'packet'],
    ['senate/WY/2', 'state', 2, 2, 'packet'],
  ])

  const csvOf = async (officeKey: string) =>
    (await getPetitionPacket(rows.find((r) => r.officeKey === officeKey)!.id))!
  const mt1 = await csvOf('house/MT-1')
  expect(mt1.csv).toBe(
    "first_name,last_name,city,zip,comment\nAna,Lopez,Missoula,59801,'=Please act\n",
  )
  expect(mt1.html).toContain('2 of them live in your district.')
  expect(mt1.html).toContain('1 signer asked not to be named and is counted, not listed.')
  expect(mt1.html).toContain('Amend S. 2525 to bar detention on a Red Notice alone.')
  expect(mt1.html).not.toContain('Hidden')
  expect((await csvOf('house/MT-2')).csv).toBe(
    'first_name,last_name,city,zip,comment\nBen,Cruz,Billings,59101,\n',
  )
  const mtSenate = await csvOf('senate/MT/1')
  expect(
    mtSenate.csv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0])
      .sort(),
  ).toEqual(['Ana', 'Ben', 'Dana'])
  expect(mtSenate.html).toContain('4 of them live in your state.')
  const wy = await csvOf('senate/WY/1')
  expect(
    wy.csv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0])
      .sort(),
  ).toEqual(['Carla', 'Eli'])
  for (const key of rows.map((r) => r.officeKey)) {
    const packet = await csvOf(key)
    // never email or street
    expect(packet.csv + packet.html).not.toMatch(/@example\.org|Secret Street/)
  }

  // The worker: no office here has an address, so every one waits as a packet to hand over.
  await runPetitionDeliveries(getSql(), 'test-worker')
  expect(
    (await officeRows(outcome.roundId)).every((r) => r.status === 'awaiting_hand_delivery'),
  ).toBe(true)

  // Marking all but one delivered sends no update yet; the last one does, once per round.
  for (const r of rows.slice(0, -1)) {
    await markPetitionPacketHandDelivered({
      deliveryId: r.id,
      organizerId: null,
      note: 'Front desk',
    })
  }
  const updates = () =>
    db.sql<
      Array<{
        toAddress: string
        kind: string
        headers: Record<string, string>
        subject: string
        textBody: string
      }>
    >`
      select to_address, kind, headers, subject, text_body from outbound_emails
      where template = 'campaign-update' and to_address in (
        select p.email from supporters p join signatures s on s.supporter_id = p.id
        where s.campaign_id = ${c.id})
      order by to_address`
  expect(await updates()).toHaveLength(0)
  const last = rows.at(-1)!
  expect(
    await markPetitionPacketHandDelivered({ deliveryId: last.id, organizerId: null, note: null }),
  ).toMatchObject({ kind: 'delivered' })
  expect(
    await markPetitionPacketHandDelivered({ deliveryId: last.id, organizerId: null, note: null }),
  ).toEqual({ kind: 'not_awaiting' })
  const queued = await updates()
  // the opted-in signers only (Ana and Carla), each once
  expect(queued.map((u) => u.toAddress.split('.')[0])).toEqual(['ana', 'carla'])
  expect(queued.every((u) => u.kind === 'list' && u.headers['List-Unsubscribe'])).toBe(true)
  const es = queued.find((u) => u.toAddress.startsWith('carla.'))!
  expect(es.subject).toBe(`Entregada: Alto a las detenciones ${c.slug.split('-').at(-1)}`)
  expect(es.textBody).toContain('entregamos la petición a 7 oficinas')
  expect(ana.email).toBe(queued.find((u) => u.toAddress.startsWith('ana.'))!.toAddress)
  // and over real SMTP
  await sendQueuedEmails(getSql())
  const mail = await sink.waitFor((m) => m.to.includes(ana.email))
  expect(mail.subject).toMatch(/^Delivered: Stop Red Notice detentions/)
  expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click')

  const events = await listPetitionDeliveryEvents(getSql(), last.id)
  expect(events.map((e) => e.toStatus)).toEqual(['queued', 'awaiting_hand_delivery', 'delivered'])
  expect(events.at(-1)!.evidence).toMatchObject({ channel: 'packet' })
})

test('a milestone re-delivery holds only the signatures added since the last delivery', async () => {
  const c = await petition({ house: true, senate: true })
  await sign(c.id, { first: 'First', last: 'Wave', ...cheyenne })
  await sign(c.id, { first: 'Second', last: 'Wave', ...cheyenne })
  await setMilestones(c.id, [3, 1000])
  expect(await deliverReachedMilestones(getSql())).toBe(0)

  const first = await deliverPetition({ campaignId: c.id, organizerId: null, reason: 'now' })
  expect(first).toMatchObject({ kind: 'delivered', signatures: 2 })
  expect(await deliverPetition({ campaignId: c.id, organizerId: null, reason: 'now' })).toEqual({
    kind: 'nothing_new',
  })

  await sign(c.id, { first: 'Third', last: 'Newcomer', ...cheyenne })
  await sign(c.id, { first: 'Fourth', last: 'Newcomer', ...billings })
  expect(await deliverReachedMilestones(getSql())).toBe(1)
  expect(await deliverReachedMilestones(getSql())).toBe(0)

  const [round] = await db.sql<
    Array<{
      id: string
      reason: string
      milestone: number
      signatureCount: number
      totalDelivered: number
    }>
  >`
    select id, reason, milestone, signature_count, total_delivered from petition_deliveries
    where campaign_id = ${c.id} order by created_at desc limit 1`
  expect(round).toMatchObject({
    reason: 'milestone',
    milestone: 3,
    signatureCount: 2,
    totalDelivered: 4,
  })
  const rows = await officeRows(round!.id)
  expect(rows.map((r) => [r.officeKey, r.listed])).toEqual([
    ['house/MT-2', 1],
    ['house/WY-0', 1],
    ['senate/MT/1', 1],
    ['senate/MT/2', 1],
    ['senate/WY/1', 1],
    ['senate/WY/2', 1],
  ])
  const wy = (await getPetitionPacket(rows.find((r) => r.officeKey === 'house/WY-0')!.id))!
  expect(wy.csv).toBe('first_name,last_name,city,zip,comment\nThird,Newcomer,Cheyenne,82001,\n')
  expect(wy.html).toContain('This delivery holds only the signatures added since our last delivery')
  expect(wy.html).toContain('4 signatures have been delivered in all')
  const milestones = await db.sql<Array<{ threshold: number; reached: boolean }>>`
    select threshold, reached_at is not null as reached from petition_milestones
    where campaign_id = ${c.id} order by threshold`
  expect(milestones).toEqual([
    { threshold: 3, reached: true },
    { threshold: 1000, reached: false },
  ])
})

test('every member of a chosen committee gets every signature', async () => {
  const c = await petition({ committees: ['SSJU'], committeeMode: 'every' })
  await sign(c.id, { first: 'Ana', last: 'Lopez', ...missoula })
  await sign(c.id, { first: 'Carla', last: 'Diaz', ...cheyenne })
  const outcome = await deliverPetition({ campaignId: c.id, organizerId: null, reason: 'now' })
  expect(outcome).toMatchObject({ kind: 'delivered', offices: 22, signatures: 2 })
  if (outcome.kind !== 'delivered') return
  const rows = await officeRows(outcome.roundId)
  expect(rows.every((r) => r.audience === 'everyone' && r.listed === 2)).toBe(true)
  expect(rows.every((r) => r.officeKey.startsWith('senate/'))).toBe(true)
  const [grassley] = await db.sql<
    { id: string }[]
  >`select id from offices where holder_id = 'G000386'`
  const row = rows.find((r) => r.officeKey === grassley!.id)!
  expect(row.constituents).toBe(0)
  const packet = (await getPetitionPacket(row.id))!
  expect(
    packet.csv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0])
      .sort(),
  ).toEqual(['Ana', 'Carla'])
  expect(packet.html).toContain('0 of them live in your state.')
  expect(packet.html).toContain('The list that follows holds all 2 signers')
})

test('a named official with an address gets every signature by email, the CSV attached, with evidence', async () => {
  const c = await petition({ house: true, senate: true }, [
    { name: 'Secretary of Homeland Security', title: 'Secretary', email: 'secretary@dhs.example' },
  ])
  await sign(c.id, {
    first: 'Ana',
    last: 'Lopez',
    ...missoula,
    comment: 'No one should be jailed on a dictator’s word',
  })
  await sign(c.id, { first: 'Carla', last: 'Diaz', ...cheyenne, optIn: true })
  const outcome = await deliverPetition({ campaignId: c.id, organizerId: null, reason: 'now' })
  if (outcome.kind !== 'delivered') throw new Error(outcome.kind)
  const rows = await officeRows(outcome.roundId)
  const official = rows.find((r) => r.officeKey.startsWith('custom/'))!
  expect(official).toMatchObject({
    audience: 'everyone',
    constituents: null,
    listed: 2,
    channel: 'email',
  })

  await runPetitionDeliveries(getSql(), 'test-worker')
  const mail = await sink.waitFor((m) => m.to.includes('secretary@dhs.example'))
  expect(mail.subject).toMatch(
    /^Petition: Stop Red Notice detentions \d+ \(to Secretary Secretary of Homeland Security\)$/,
  )
  expect(mail.text).toContain('Amend S. 2525 to bar detention on a Red Notice alone.')
  expect(mail.attachments).toHaveLength(1)
  expect(mail.attachments[0]!.filename).toMatch(/^petition-petition-delivery-\d+-custom-.+\.csv$/)
  expect(mail.attachments[0]!.content).toBe(
    'first_name,last_name,city,zip,comment\nAna,Lopez,Missoula,59801,No one should be jailed on a dictator’s word\nCarla,Diaz,Cheyenne,82001,\n',
  )
  expect(mail.text + mail.html + mail.attachments[0]!.content).not.toMatch(
    /@example\.org|Secret Street/,
  )
  const [after] = await db.sql<Array<{ status: string; evidence: Record<string, unknown> }>>`
    select status, evidence from petition_office_deliveries where id = ${official.id}`
  expect(after).toMatchObject({
    status: 'delivered',
    evidence: { channel: 'email', to: 'secretary@dhs.example' },
  })
  expect(String(after!.evidence.smtpResponse)).toMatch(/^250/)

  // The Congress offices still wait as packets: no update to signers yet.
  const [pending] = await db.sql<{ updateQueuedAt: Date | null }[]>`
    select update_queued_at from petition_deliveries where id = ${outcome.roundId}`
  expect(pending!.updateQueuedAt).toBeNull()
})

test('an erased signer is never named: not in a list made after the erasure, nor in the next round', async () => {
  const { eraseSupporter } = await import('#app/privacy/privacy.server')
  const c = await petition({ house: true, senate: true }, [
    { name: 'Jane Official', title: 'Commissioner', email: null },
  ])
  await sign(c.id, { first: 'Kept', last: 'Signer', ...cheyenne })
  const erased = await sign(c.id, {
    first: 'Gone',
    last: 'Erased',
    ...cheyenne,
    comment: 'my words',
  })
  const outcome = await deliverPetition({ campaignId: c.id, organizerId: null, reason: 'now' })
  if (outcome.kind !== 'delivered') throw new Error(outcome.kind)
  expect(await eraseSupporter({ id: null } as never, erased.supporterId)).toBeDefined()

  const rows = await officeRows(outcome.roundId)
  for (const key of [
    'house/WY-0',
    rows.find((r) => r.officeKey.startsWith('custom/'))!.officeKey,
  ]) {
    const packet = (await getPetitionPacket(rows.find((r) => r.officeKey === key)!.id))!
    expect(packet.csv).toBe('first_name,last_name,city,zip,comment\nKept,Signer,Cheyenne,82001,\n')
    expect(packet.html).not.toMatch(/Gone|Erased|my words/)
    expect(packet.html).toContain('1 signer asked not to be named and is counted, not listed.')
  }
  // the erased signature is never carried again
  expect(await deliverPetition({ campaignId: c.id, organizerId: null, reason: 'now' })).toEqual({
    kind: 'nothing_new',
  })
})

test('an office whose mail server refuses for good ends failed with the SMTP reply as evidence; a temporary refusal is retried', async () => {
  const c = await petition({}, [
    { name: 'Refusing Office', title: 'Director', email: 'refuses@office.example' },
    { name: 'Busy Office', title: 'Director', email: 'busy@office.example' },
  ])
  await sign(c.id, { first: 'Ana', last: 'Lopez', ...missoula, optIn: true })
  const outcome = await deliverPetition({ campaignId: c.id, organizerId: null, reason: 'now' })
  if (outcome.kind !== 'delivered') throw new Error(outcome.kind)
  const statusOf = async (email: string) => {
    const [row] = await db.sql<
      Array<{ status: string; lastError: string | null; evidence: Record<string, unknown> }>
    >`
      select status, last_error, evidence from petition_office_deliveries
      where round_id = ${outcome.roundId} and email = ${email}`
    return row!
  }
  sink.setMode('permfail')
  try {
    await runPetitionDeliveries(getSql(), 'test-worker')
  } finally {
    sink.setMode('accept')
  }
  expect(await statusOf('refuses@office.example')).toMatchObject({
    status: 'failed',
    evidence: { smtpCode: 550 },
  })
  // the second office got the same 550 here; make it temporary: queued again, then delivered
  await db.sql`
    update petition_office_deliveries set status = 'queued', next_attempt_at = now(), finished_at = null
    where round_id = ${outcome.roundId} and email = 'busy@office.example'`
  sink.setMode('tempfail')
  try {
    await runPetitionDeliveries(getSql(), 'test-worker')
  } finally {
    sink.setMode('accept')
  }
  expect(await statusOf('busy@office.example')).toMatchObject({
    status: 'queued',
    evidence: { smtpCode: 421 },
  })
  await db.sql`update petition_office_deliveries set next_attempt_at = now() where round_id = ${outcome.roundId} and status = 'queued'`
  await runPetitionDeliveries(getSql(), 'test-worker')
  expect(await statusOf('busy@office.example')).toMatchObject({ status: 'delivered' })
  // one office delivered and none waiting: the signers hear about the one that got it
  const [round] = await db.sql<{ updateQueuedAt: Date | null }[]>`
    select update_queued_at from petition_deliveries where id = ${outcome.roundId}`
  expect(round!.updateQueuedAt).toBeInstanceOf(Date)
})

test('with no SMTP server the email waits in the local outbox (queued, not delivered), then goes out once there is one', async () => {
  const c = await petition({}, [
    { name: 'Patient Office', title: 'Director', email: 'patient@office.example' },
  ])
  await sign(c.id, { first: 'Ana', last: 'Lopez', ...missoula })
  const outcome = await deliverPetition({ campaignId: c.id, organizerId: null, reason: 'now' })
  if (outcome.kind !== 'delivered') throw new Error(outcome.kind)
  const row = async () =>
    (
      await db.sql<Array<{ status: string; evidence: Record<string, unknown>; messageId: string }>>`
        select status, evidence, message_id from petition_office_deliveries
        where round_id = ${outcome.roundId}`
    )[0]!
  delete process.env.SMTP_URL
  resetEnv()
  closeTransport()
  try {
    await runPetitionDeliveries(getSql(), 'test-worker')
    expect(await row()).toMatchObject({ status: 'queued', evidence: { heldInLocalOutbox: true } })
    const [local] = await db.sql<{ status: string; toAddress: string }[]>`
      select status, to_address from outbound_emails where message_id = ${(await row()).messageId}`
    expect(local).toEqual({ status: 'local', toAddress: 'patient@office.example' })
  } finally {
    process.env.SMTP_URL = sink.url
    resetEnv()
    closeTransport()
    resetPetitionDeliveryProcessState()
  }
  await runPetitionDeliveries(getSql(), 'test-worker')
  expect(await row()).toMatchObject({ status: 'delivered' })
  const mail = await sink.waitFor((m) => m.to.includes('patient@office.example'))
  expect(mail.messageId).toBe((await row()).messageId)
})
