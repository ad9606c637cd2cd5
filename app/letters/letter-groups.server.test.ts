import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { useAppDatabase } from '#tests/setup/db'
import { startSmtpSink, type SmtpSink } from '#tests/setup/smtp-sink'
import { resetEnv } from '#app/utils/env.server'
import { closeTransport, sendQueuedEmails } from '#app/mail/mail.server'
import { resetDeliveryProcessState, runDeliveries } from '#app/delivery/delivery.server'
import { getSql } from '#db/client'
import { RED_NOTICE_LETTER_SLUG } from '#db/seed/red-notice'
import { createLetter, getLetterCampaignForWriting, getLetterStatus } from './letters.server'
import { resolveTargets } from './targets.server'
import { loader } from '#app/routes/c.$slug/route'
import type { Constituent } from './schema'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

// A message per target group (issue 14 §3, ADR 0904): one letter from a writer gives each office
// the copy of its group: the writer's own legislators get the constituent letter, the officials the
// organization's letter (no "as your constituent"), and a legislator on the thank-you list the
// thank-you letter. Real Postgres, the seeded demo campaign, and the real SMTP sink.

const db = useAppDatabase()
let sink: SmtpSink

beforeAll(async () => {
  sink = await startSmtpSink()
  process.env.SMTP_URL = sink.url
  process.env.CWC_API_KEY = ''
  process.env.PUBLIC_URL = 'http://writ.test'
  resetEnv()
  closeTransport()
  resetDeliveryProcessState()
})

afterAll(async () => {
  closeTransport()
  await sink?.close()
})

let n = 0
function writer(city: string, state: Constituent['state'], zip: string): Constituent {
  n++
  return {
    prefix: 'Ms.',
    firstName: 'Ana',
    lastName: `Groups${n}`,
    email: `groups${n}-${Date.now()}@example.org`,
    street: '1 Main St',
    city,
    state,
    zip,
  }
}

/** Writes the demo letter as the letter flow does: targets from the roster, text as suggested. */
async function writeDemoLetter(who: Constituent, locale: 'en' | 'es' = 'en') {
  const writing = (await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, locale))!
  const resolved = await resolveTargets(writing, who, undefined, locale)
  if (resolved.kind !== 'resolved') throw new Error(`lookup: ${resolved.kind}`)
  return getSql().begin(async (tx) => {
    const [s] = await tx<{ id: string }[]>`
      insert into supporters ${tx({ email: who.email, firstName: who.firstName, lastName: who.lastName })}
      returning id`
    return createLetter(tx, {
      campaign: writing.campaign,
      supporterId: s!.id,
      constituent: who,
      subject: writing.suggested.subject,
      body: writing.suggested.body,
      edited: false,
      locale,
      targets: resolved.targets,
      copies: writing.copies,
    })
  })
}

async function deliveriesOf(letterId: string) {
  return db.sql<
    {
      officeKey: string
      officeName: string
      copyGroup: string | null
      subject: string
      body: string
      status: string
      channel: string
      messageId: string
    }[]
  >`select office_key, office_name, copy_group, subject, body, status, channel, message_id
    from deliveries where letter_id = ${letterId} order by office_key`
}

describe('a custom target', () => {
  test('gets the organization letter with its own salutation, never a constituent letter', async () => {
    const who = writer('Cheyenne', 'WY', '82001')
    const letter = await writeDemoLetter(who)
    const rows = await deliveriesOf(letter.letterId)
    const dhs = rows.find((r) => r.officeKey.startsWith('custom/'))!
    expect(dhs.body).not.toContain('Secretary Secretary')
    expect(dhs.body).not.toMatch(/as your constituent/i)
    expect(dhs.body.startsWith('Dear Mr. or Madam Secretary,')).toBe(true)
    // the writer's name still signs it
    expect(dhs.body).toContain(`${who.firstName} ${who.lastName}`)

    await runDeliveries(db.sql, 'groups-worker')
    await sendQueuedEmails(db.sql)
    const mail = sink.messages.find((m) => m.messageId === dhs.messageId)
    expect(mail?.text).toContain('Dear Mr. or Madam Secretary,')
    expect(mail?.text).not.toContain('Secretary Secretary')
    expect(mail?.text).not.toMatch(/as your constituent/i)
  })
})

describe('one letter, three groups', () => {
  test('each office gets the subject and body of its group', async () => {
    // Anchorage, AK: Sen. Sullivan is an original cosponsor of S. 2525 (on the demo's thank-you
    // list); Sen. Murkowski and Rep. Begich are not; the DHS Secretary is an official.
    const who = writer('Anchorage', 'AK', '99501')
    const letter = await writeDemoLetter(who)
    const rows = await deliveriesOf(letter.letterId)
    const by = Object.fromEntries(rows.map((r) => [r.officeName, r]))
    expect(rows.map((r) => [r.officeName, r.copyGroup]).sort()).toEqual(
      [
        ['Dan Sullivan', 'thanks'],
        ['Lisa Murkowski', 'constituent'],
        ['Nicholas J. Begich III', 'constituent'],
        ['Secretary of Homeland Security', 'officials'],
      ].sort(),
    )
    const writing = (await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, 'en'))!
    // the writer's own legislators: the constituent letter, addressed to each
    expect(by['Lisa Murkowski']!.subject).toBe(writing.suggested.subject)
    expect(by['Lisa Murkowski']!.body).toMatch(/^Dear Senator Lisa Murkowski,/)
    expect(by['Lisa Murkowski']!.body).toContain('As your constituent in Anchorage')
    expect(by['Nicholas J. Begich III']!.body).toMatch(
      /^Dear Representative Nicholas J. Begich III,/,
    )
    // the cosponsor: thanked, still as a constituent, never asked to cosponsor
    expect(by['Dan Sullivan']!.subject).toBe(writing.copies.thanks!.subject)
    expect(by['Dan Sullivan']!.body).toMatch(/^Dear Senator Sullivan,/)
    expect(by['Dan Sullivan']!.body).toMatch(/thank you/i)
    expect(by['Dan Sullivan']!.body).not.toContain('I urge you to cosponsor')
    // the official: the organization's letter, signed by the writer
    const dhs = by['Secretary of Homeland Security']!
    expect(dhs.subject).toBe(writing.copies.officials!.subject)
    expect(dhs.body).not.toMatch(/constituent/i)
    expect(dhs.body).toContain(`${who.firstName} ${who.lastName}`)
    expect(dhs.body).toContain('Anchorage, AK')
    expect(new Set(rows.map((r) => r.subject)).size).toBe(3)
  })

  test('in Spanish, each group comes from the Spanish copy', async () => {
    const letter = await writeDemoLetter(writer('Anchorage', 'AK', '99501'), 'es')
    const rows = await deliveriesOf(letter.letterId)
    const es = (await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, 'es'))!
    const subjects = Object.fromEntries(rows.map((r) => [r.copyGroup, r.subject]))
    expect(subjects).toEqual({
      constituent: es.suggested.subject,
      thanks: es.copies.thanks!.subject,
      officials: es.copies.officials!.subject,
    })
    const sullivan = rows.find((r) => r.officeName === 'Dan Sullivan')!
    expect(sullivan.body).toMatch(/^Estimado\/a Senador\(a\) Sullivan:/)
  })

  test('an edited constituent letter changes only the constituent copy', async () => {
    const who = writer('Anchorage', 'AK', '99501')
    const writing = (await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, 'en'))!
    const resolved = await resolveTargets(writing, who, undefined, 'en')
    if (resolved.kind !== 'resolved') throw new Error(resolved.kind)
    const letter = await getSql().begin(async (tx) => {
      const [s] = await tx<{ id: string }[]>`
        insert into supporters ${tx({ email: who.email })} returning id`
      return createLetter(tx, {
        campaign: writing.campaign,
        supporterId: s!.id,
        constituent: who,
        subject: 'My own subject',
        body: '{{salutation}},\n\nMy own words from {{city}}.\n\n{{firstName}} {{lastName}}',
        edited: true,
        locale: 'en',
        targets: resolved.targets,
        copies: writing.copies,
      })
    })
    const rows = await deliveriesOf(letter.letterId)
    const by = Object.fromEntries(rows.map((r) => [r.copyGroup + '/' + r.officeName, r]))
    expect(by['constituent/Lisa Murkowski']!.body).toBe(
      `Dear Senator Murkowski,\n\nMy own words from Anchorage.\n\nAna ${who.lastName}`,
    )
    expect(by['thanks/Dan Sullivan']!.subject).toBe(writing.copies.thanks!.subject)
    expect(by['officials/Secretary of Homeland Security']!.subject).toBe(
      writing.copies.officials!.subject,
    )
  })
})

test('the letter step tells the writer which offices get another group’s letter in their name', async () => {
  const data = (await loader({
    request: new Request(`http://writ.test/c/${RED_NOTICE_LETTER_SLUG}`),
    params: { slug: RED_NOTICE_LETTER_SLUG },
    context: { cspNonce: '' },
  })) as unknown as { letter: { groups: { officials: boolean; thanks: boolean } } }
  expect(data.letter.groups).toEqual({ officials: true, thanks: true })
})

test('an official without a greeting of their own is greeted by name in the letter’s language', async () => {
  await db.sql`update custom_targets set salutation = null`
  try {
    for (const [locale, greeting] of [
      ['en', 'Dear Secretary of Homeland Security,'],
      ['es', 'Estimado/a Secretary of Homeland Security:'],
    ] as const) {
      const letter = await writeDemoLetter(writer('Cheyenne', 'WY', '82001'), locale)
      const dhs = (await deliveriesOf(letter.letterId)).find((r) => r.copyGroup === 'officials')!
      expect(dhs.body.startsWith(greeting)).toBe(true)
    }
  } finally {
    await db.sql`update custom_targets set salutation = 'Dear Mr. or Madam Secretary'`
  }
})

test('the writer’s status page shows their own letter, not the organization’s copies', async () => {
  // Worcester, MA (01608): Rep. McGovern, an original cosponsor and the first office listed, is
  // thanked; the page shows the ask the writer sent to their Senators.
  const letter = await writeDemoLetter(writer('Worcester', 'MA', '01608'))
  const rows = await deliveriesOf(letter.letterId)
  expect(rows.find((r) => r.officeKey === 'house/MA-2')?.copyGroup).toBe('thanks')
  const status = await getLetterStatus(letter.statusToken, 'en')
  const writing = (await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, 'en'))!
  expect(status?.subject).toBe(writing.suggested.subject)
  expect(status?.body).toContain('As your constituent in Worcester, I urge you to cosponsor')
})
