import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { useAppDatabase } from '#tests/setup/db'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { startCwcFake, validateCwcXml, type CwcFake } from '#tests/fakes/cwc'
import { REFERENCE_DATA_DIR } from '#tests/setup/template-steps'
import { resetEnv } from '#app/utils/env.server'
import { closeTransport } from '#app/mail/mail.server'
import { processors } from '#app/jobs/processors.server'
import { importReferenceData } from '#app/reference-data/import.server'
import {
  createLetter,
  getLetterCampaignForWriting,
  getLetterStatus,
} from '#app/letters/letters.server'
import { resolveTargets } from '#app/letters/targets.server'
import type { Constituent } from '#app/letters/schema'
import { getSql } from '#db/client'
import { listDeliveryEvents } from '#db/queries/deliveries'
import { RED_NOTICE_LETTER_SLUG } from '#db/seed/red-notice'
import { createPacket, packetHtml } from './packets.server'
import { resetDeliveryProcessState, VACANT_SEAT_RETRY_SECONDS } from './delivery.server'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

// Re-targeting at send time (issue 14 §4, ADR 0905): letters are queued, the roster is re-imported
// with members replaced or gone (a changed copy of ../shared/data, built like the import tests do),
// and the worker's own delivery processor sends each letter to whoever holds the seat then.

const db = useAppDatabase()
let sink: SmtpSink
let cwc: CwcFake
let tmp: string

type Person = {
  id: { bioguide: string } & Record<string, unknown>
  name: Record<string, string>
  terms: Array<Record<string, unknown>>
}

/** A copy of the federal reference data in which `change` edits the roster. */
async function rosterWith(change: (roster: Person[]) => Person[]): Promise<string> {
  const dir = await fs.mkdtemp(path.join(tmp, 'roster-'))
  await fs.mkdir(path.join(dir, 'congress-legislators'), { recursive: true })
  await fs.mkdir(path.join(dir, 'zip-congress'), { recursive: true })
  for (const f of [
    'congress-legislators/legislators-district-offices.json',
    'congress-legislators/legislators-social-media.json',
    'zip-congress/zccd.csv',
  ]) {
    await fs.copyFile(path.join(REFERENCE_DATA_DIR, f), path.join(dir, f))
  }
  const roster = JSON.parse(
    await fs.readFile(
      path.join(REFERENCE_DATA_DIR, 'congress-legislators/legislators-current.json'),
      'utf8',
    ),
  ) as Person[]
  await fs.writeFile(
    path.join(dir, 'congress-legislators/legislators-current.json'),
    JSON.stringify(change(roster)),
  )
  return dir
}

/** `last`'s seat goes to a new member (or to nobody). */
function replace(
  roster: Person[],
  last: string,
  by: { bioguide: string; first: string; last: string } | null,
) {
  const old = roster.find((p) => p.name.last === last)!
  const rest = roster.filter((p) => p !== old)
  if (!by) return rest
  const successor = structuredClone(old)
  successor.id = { bioguide: by.bioguide }
  successor.name = { first: by.first, last: by.last }
  successor.terms = [{ ...old.terms.at(-1), start: '2026-12-01' }]
  return [...rest, successor]
}

async function runWorker() {
  const delivery = processors.find((p) => p.name === 'delivery')!
  for (let i = 0; i < 20; i++) {
    if ((await delivery.runOnce(db.sql, 'readdress-worker')) === 0) return
  }
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'writ-readdress-'))
  sink = await startSmtpSink()
  cwc = await startCwcFake()
  process.env.SMTP_URL = sink.url
  process.env.CWC_BASE_URL = cwc.url
  process.env.CWC_API_KEY = cwc.apiKey
  process.env.CWC_SENATE_ENABLED = 'false'
  process.env.PUBLIC_URL = 'http://writ.test'
  resetEnv()
  closeTransport()
  resetDeliveryProcessState()
})

afterAll(async () => {
  closeTransport()
  await sink?.close()
  await cwc?.close()
  await fs.rm(tmp, { recursive: true, force: true })
})

let n = 0
async function writeDemoLetter(city: string, state: Constituent['state'], zip: string) {
  n++
  const who: Constituent = {
    prefix: 'Ms.',
    firstName: 'Rosa',
    lastName: `Seat${n}`,
    email: `seat${n}-${Date.now()}@example.org`,
    street: '1 Main St',
    city,
    state,
    zip,
  }
  const writing = (await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, 'en'))!
  const resolved = await resolveTargets(writing, who, undefined, 'en')
  if (resolved.kind !== 'resolved') throw new Error(`lookup: ${resolved.kind}`)
  const letter = await getSql().begin(async (tx) => {
    const [s] = await tx<{ id: string }[]>`
      insert into supporters ${tx({ email: who.email })} returning id`
    return createLetter(tx, {
      campaign: writing.campaign,
      supporterId: s!.id,
      constituent: who,
      subject: writing.suggested.subject,
      body: writing.suggested.body,
      edited: false,
      locale: 'en',
      targets: resolved.targets,
      copies: writing.copies,
    })
  })
  return { ...letter, who }
}

async function delivery(letterId: string, officeKey: string) {
  const [row] = await db.sql<
    {
      id: number
      status: string
      channel: string
      officeName: string
      holderId: string | null
      copyGroup: string | null
      subject: string
      body: string
      lastError: string | null
      retryInSeconds: number
    }[]
  >`select id, status, channel, office_name, holder_id, copy_group, subject, body, last_error,
      extract(epoch from next_attempt_at - now())::int as retry_in_seconds
    from deliveries where letter_id = ${letterId} and office_key = ${officeKey}`
  return row!
}

describe('a roster change between writing and sending', () => {
  test('the new member gets the letter, addressed to them; a vacant seat waits, then is filled', async () => {
    const cheyenne = await writeDemoLetter('Cheyenne', 'WY', '82001')
    const anchorage = await writeDemoLetter('Anchorage', 'AK', '99501')
    const before = await delivery(cheyenne.letterId, 'house/WY-0')
    expect(before).toMatchObject({ officeName: 'Harriet M. Hageman', holderId: 'H001096' })
    expect(before.body).toMatch(/^Dear Representative Harriet M. Hageman,/)

    // Wyoming's House seat changes hands; Alaska's falls vacant.
    const changed = await rosterWith((r) =>
      replace(
        replace(r, 'Hageman', { bioguide: 'Z000901', first: 'Wren', last: 'Newcomb' }),
        'Begich',
        null,
      ),
    )
    const report = await importReferenceData({ from: changed, sql: db.sql, reportDir: null })
    expect(report.diff.holderChanged).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          officeId: 'house/WY-0',
          after: { id: 'Z000901', name: 'Wren Newcomb' },
        }),
        expect.objectContaining({ officeId: 'house/AK-0', after: null }),
      ]),
    )

    await runWorker()

    // Wyoming: re-addressed and re-rendered for the new member, and sent to them through CWC
    const wy = await delivery(cheyenne.letterId, 'house/WY-0')
    expect(wy).toMatchObject({
      status: 'delivered',
      channel: 'cwc',
      officeName: 'Wren Newcomb',
      holderId: 'Z000901',
      copyGroup: 'constituent',
    })
    expect(wy.body).toMatch(/^Dear Representative Wren Newcomb,\n\nAs your constituent in Cheyenne/)
    expect(wy.body).not.toContain('Hageman')
    const sent = cwc.messages.filter((m) => m.xml.includes(cheyenne.who.email))
    expect(sent).toHaveLength(1)
    expect(sent[0]!.memberOffice).toBe('HWY00')
    expect(sent[0]!.xml).toContain('Dear Representative Wren Newcomb,')
    expect(validateCwcXml(sent[0]!.xml).errors).toEqual([])
    const events = await listDeliveryEvents(db.sql, wy.id)
    expect(events.find((e) => e.evidence.readdressed)?.evidence.readdressed).toEqual({
      from: { id: 'H001096', name: 'Harriet M. Hageman' },
      to: { id: 'Z000901', name: 'Wren Newcomb' },
    })

    // Alaska: the vacant seat's letter waits, queued, with the reason, and is looked at again later
    const ak = await delivery(anchorage.letterId, 'house/AK-0')
    expect(ak).toMatchObject({ status: 'queued', lastError: 'vacant seat' })
    expect(ak.retryInSeconds).toBeGreaterThan(VACANT_SEAT_RETRY_SECONDS - 60)
    expect(cwc.messages.filter((m) => m.xml.includes(anchorage.who.email))).toHaveLength(0)
    // the writer's status page says so, in their language
    const status = await getLetterStatus(anchorage.statusToken, 'es')
    expect(status?.offices.find((o) => o.id === ak.id)?.detail).toBe(
      'Este escaño está vacante. Tu carta espera y se enviará a quien lo ocupe.',
    )
    // (the rest of the letter went on: the Senators' packets and the official's email)
    expect((await delivery(anchorage.letterId, 'senate/AK/3')).status).toBe(
      'awaiting_hand_delivery',
    )

    // The seat is filled: the waiting letter goes to the new member when it is looked at again.
    const filled = await rosterWith((r) =>
      replace(
        replace(r, 'Hageman', { bioguide: 'Z000901', first: 'Wren', last: 'Newcomb' }),
        'Begich',
        { bioguide: 'Z000902', first: 'Kit', last: 'Aurora' },
      ),
    )
    await importReferenceData({ from: filled, sql: db.sql, reportDir: null })
    await db.sql`update deliveries set next_attempt_at = now() where id = ${ak.id}`
    await runWorker()
    const akAfter = await delivery(anchorage.letterId, 'house/AK-0')
    expect(akAfter).toMatchObject({ status: 'delivered', officeName: 'Kit Aurora' })
    expect(akAfter.body).toMatch(/^Dear Representative Kit Aurora,/)
    const akSent = cwc.messages.filter((m) => m.xml.includes(anchorage.who.email))
    expect(akSent.map((m) => m.memberOffice)).toEqual(['HAK00'])
    expect(akSent[0]!.xml).toContain('Dear Representative Kit Aurora,')
  })

  test('a vacant seat that stays vacant past DELIVERY_GIVE_UP_HOURS fails with that reason', async () => {
    const letter = await writeDemoLetter('Anchorage', 'AK', '99501')
    const vacant = await rosterWith((r) => replace(r, 'Begich', null))
    await importReferenceData({ from: vacant, sql: db.sql, reportDir: null })
    await runWorker()
    const waiting = await delivery(letter.letterId, 'house/AK-0')
    expect(waiting).toMatchObject({ status: 'queued', lastError: 'vacant seat' })

    // DELIVERY_GIVE_UP_HOURS (72 by default) later, still vacant
    await db.sql`
      update deliveries set created_at = now() - interval '73 hours', next_attempt_at = now()
      where id = ${waiting.id}`
    await runWorker()
    const failed = await delivery(letter.letterId, 'house/AK-0')
    expect(failed.status).toBe('failed')
    expect(failed.lastError).toMatch(/vacant seat/)
    const status = await getLetterStatus(letter.statusToken, 'en')
    expect(status?.offices.find((o) => o.id === failed.id)?.detail).toBe(
      'Not sent: this seat stayed vacant too long.',
    )
  })

  test('letters waiting for a packet are re-addressed when the packet is made', async () => {
    // Senate letters go by packet here (no Senate CWC). Sen. Sullivan, a cosponsor, gets the
    // thank-you copy; his successor is not on the list and gets the writer's constituent letter.
    const back = await rosterWith((r) => r)
    await importReferenceData({ from: back, sql: db.sql, reportDir: null })
    const letter = await writeDemoLetter('Anchorage', 'AK', '99501')
    await runWorker()
    const waiting = await delivery(letter.letterId, 'senate/AK/2')
    expect(waiting).toMatchObject({
      status: 'awaiting_hand_delivery',
      officeName: 'Dan Sullivan',
      copyGroup: 'thanks',
    })

    const changed = await rosterWith((r) =>
      replace(r, 'Sullivan', { bioguide: 'Z000903', first: 'Jo', last: 'Tundra' }),
    )
    await importReferenceData({ from: changed, sql: db.sql, reportDir: null })
    const packet = await createPacket('senate/AK/2', null)
    expect(packet).toMatchObject({ officeName: 'Jo Tundra', officeTitle: 'Senator' })
    const html = (await packetHtml(packet!.id))!
    expect(html).toContain('Senator Jo Tundra')
    expect(html).toContain('Dear Senator Jo Tundra,')
    expect(html).not.toContain('Sullivan')
    const after = await delivery(letter.letterId, 'senate/AK/2')
    expect(after).toMatchObject({
      officeName: 'Jo Tundra',
      holderId: 'Z000903',
      copyGroup: 'constituent',
    })
    expect(after.body).toContain('I urge you to cosponsor')
    const events = await listDeliveryEvents(db.sql, after.id)
    expect(events.find((e) => e.evidence.readdressed)?.evidence.readdressed).toEqual({
      from: { id: 'S001198', name: 'Dan Sullivan' },
      to: { id: 'Z000903', name: 'Jo Tundra' },
    })

    // a vacant seat's waiting letters are not packed for nobody
    const vacant = await rosterWith((r) => replace(r, 'Murkowski', null))
    await importReferenceData({ from: vacant, sql: db.sql, reportDir: null })
    expect(await createPacket('senate/AK/3', null)).toBeNull()
  })
})
