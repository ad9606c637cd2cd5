import '#tests/setup/app-env'
import { randomBytes, randomUUID } from 'node:crypto'
import { beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { stafferReportCursor } from '#db/queries/exports'
import { RED_NOTICE_LETTER_SLUG } from '#db/seed/red-notice'
import { recurring } from '#app/jobs/processors.server'
import { createLetter, customTargetToDeliveryTarget } from '#app/letters/letters.server'
import { queueEmail } from '#app/mail/mail.server'
import { purgeExpiredPersonalData } from '#app/privacy/retention.server'
import { loader as statusLoader } from '#app/routes/letters.$token'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'

// Finding 4 of issue 13: RETENTION_ADDRESS_DAYS after a letter's last delivery is final, its street
// address and every copy of its text are purged; RETENTION_MAIL_DAYS after it was sent, an email
// keeps only its metadata. The clock is moved by writing the past into the rows.

appDatabase()

const DAY = 86_400_000
const ago = (days: number) => new Date(Date.now() - days * DAY)

type Seeded = { letterId: string; token: string; supporterId: string; deliveryIds: number[] }
const letters: Record<'old' | 'recent' | 'packet', Seeded> = {} as never
let campaignId = ''

async function seedLetter(who: string, channels: Array<'email' | 'packet'>): Promise<Seeded> {
  const sql = getSql()
  const [c] = await sql<{ id: string; letterEditable: boolean; letterMaxLength: number }[]>`
    select id, letter_editable, letter_max_length from campaigns where slug = ${RED_NOTICE_LETTER_SLUG}`
  campaignId = c!.id
  const email = `${who.toLowerCase()}@example.org`
  return sql.begin(async (tx) => {
    const [s] = await tx<{ id: string }[]>`
      insert into supporters ${tx({
        email,
        firstName: who,
        lastName: `${who}son`,
        street: `${who} Street 12`,
        city: 'Eugene',
        state: 'OR',
        zip: '97401',
      })} returning id`
    const created = await createLetter(tx, {
      campaign: c!,
      supporterId: s!.id,
      constituent: {
        prefix: 'Mx.',
        firstName: who,
        lastName: `${who}son`,
        email,
        street: `${who} Street 12`,
        city: 'Eugene',
        state: 'OR',
        zip: '97401',
      },
      subject: 'A letter from {{fullName}}',
      body: 'Dear {{targetTitle}} {{targetName}},\n\nI live at the street address on file.\n\n{{fullName}}, {{city}}',
      edited: true,
      locale: 'en',
      targets: channels.map((channel, i) =>
        customTargetToDeliveryTarget({
          id: randomUUID(),
          name: `Office ${i}`,
          title: 'Director',
          channel,
          email: channel === 'email' ? `office${i}@agency.example` : null,
        }),
      ),
    })
    return {
      letterId: created.letterId,
      token: created.statusToken,
      supporterId: s!.id,
      deliveryIds: created.deliveries.map((d) => d.id),
    }
  })
}

async function status(token: string, lang = 'en') {
  const res = (await statusLoader({
    request: new Request(`http://x/letters/${token}?lang=${lang}`),
    params: { token },
    context: { cspNonce: '' },
  })) as unknown as {
    data: {
      status: {
        subject: string | null
        body: string | null
        textPurged: boolean
        offices: Array<{ status: string; statusKey: string }>
      }
    }
  }
  return res.data.status
}

beforeAll(async () => {
  const sql = getSql()
  // Final 40 days ago: delivered by email, and failed.
  letters.old = await seedLetter('Oldwriter', ['email', 'email'])
  await sql`update deliveries set status = 'delivered', finished_at = ${ago(40)}
            where id = ${letters.old.deliveryIds[0]!}`
  await sql`update deliveries set status = 'failed', finished_at = ${ago(41)}, last_error = '550 no'
            where id = ${letters.old.deliveryIds[1]!}`
  // Final 10 days ago: inside the 30 days.
  letters.recent = await seedLetter('Newwriter', ['email'])
  await sql`update deliveries set status = 'delivered', finished_at = ${ago(10)}
            where letter_id = ${letters.recent.letterId}`
  // One copy delivered 40 days ago, one in a packet that no one has handed over yet.
  letters.packet = await seedLetter('Paperwriter', ['email', 'packet'])
  await sql`update deliveries set status = 'delivered', finished_at = ${ago(40)}
            where id = ${letters.packet.deliveryIds[0]!}`
  const [packet] = await sql<{ id: string }[]>`
    insert into delivery_packets (office_key, office_name, office_title, letter_count)
    values ('custom/x', 'Office 1', 'Director', 1) returning id`
  await sql`update deliveries set status = 'awaiting_hand_delivery', finished_at = ${ago(40)},
              packet_id = ${packet!.id}
            where id = ${letters.packet.deliveryIds[1]!}`

  // The office copy of the old letter in the outbox (sent recently: the letter's own clock purges it).
  await queueEmail(sql, {
    kind: 'transactional',
    template: 'letter',
    to: 'office0@agency.example',
    from: 'Oldwriter Oldwriterson via Writ <no-reply@writ.test>',
    replyTo: 'oldwriter@example.org',
    subject: 'A letter from Oldwriter Oldwriterson',
    html: '<p>Oldwriter Street 12</p>',
    text: 'Oldwriter Street 12',
    headers: { 'X-Writ-Letter': letters.old.letterId },
    messageId: `<${randomBytes(8).toString('hex')}@writ.test>`,
    status: 'local',
  })
  // Transactional mail: one sent 8 days ago with a live link, one sent yesterday, one still queued.
  for (const [key, sentDaysAgo] of [
    ['old-mail', 8],
    ['new-mail', 1],
  ] as const) {
    await queueEmail(sql, {
      kind: 'transactional',
      template: 'confirm-signature',
      to: 'newwriter@example.org',
      subject: `Confirm (${key})`,
      html: `<a href="http://localhost/confirm/${key}-secret-token">Confirm</a>`,
      text: `http://localhost/confirm/${key}-secret-token`,
      supporterId: letters.recent.supporterId,
      idempotencyKey: key,
    })
    await sql`update outbound_emails set status = 'sent', sent_at = ${ago(sentDaysAgo)},
                created_at = ${ago(sentDaysAgo)}
              where subject = ${`Confirm (${key})`}`
  }
  await queueEmail(sql, {
    kind: 'list',
    template: 'campaign-update',
    to: 'newwriter@example.org',
    subject: 'Update',
    html: '<a href="http://localhost/unsubscribe/list-secret-token">Unsubscribe</a>',
    text: 'http://localhost/unsubscribe/list-secret-token',
    headers: { 'List-Unsubscribe': '<http://localhost/unsubscribe/list-secret-token>' },
    supporterId: letters.recent.supporterId,
    idempotencyKey: 'list-mail',
  })
  await sql`update outbound_emails set status = 'sent', sent_at = ${ago(9)} where subject = 'Update'`
  // An expired single-use token, long past use.
  await sql`
    insert into email_tokens (token_hash, purpose, subject_id, expires_at, created_at)
    values (${randomBytes(32)}, 'confirm_signature', '1', ${ago(8)}, ${ago(9)})`
})

test('the recurring job purges addresses and letter texts 30 days after the last final delivery, and mail bodies after 7; each office keeps its final status', async () => {
  const sql = getSql()
  const job = recurring.find((j) => j.name === 'retention-purge')
  expect(job, 'a recurring retention job').toBeDefined()
  expect(job!.everySeconds).toBeLessThanOrEqual(86_400)
  await job!.run(sql)

  // The old letter: address and every copy of its text are gone; counts' and staffer's fields stay.
  const [old] = await sql`
    select prefix, first_name, last_name, email, street, city, state, zip, subject, body,
      text_purged_at from letters where id = ${letters.old.letterId}`
  expect(old).toMatchObject({
    prefix: null,
    firstName: 'Oldwriter',
    lastName: 'O.',
    email: null,
    street: null,
    city: 'Eugene',
    state: 'OR',
    zip: '97401',
    subject: null,
    body: null,
  })
  expect(old!.textPurgedAt).toBeInstanceOf(Date)
  expect(
    await sql`select subject, body from deliveries
              where letter_id = ${letters.old.letterId} and (subject is not null or body is not null)`,
  ).toEqual([])
  const [copy] = await sql`
    select subject, html, text_body, from_address, reply_to from outbound_emails where template = 'letter'`
  expect(copy).toMatchObject({ subject: '', html: '', textBody: '' })
  expect(`${copy!.fromAddress} ${copy!.replyTo}`).not.toMatch(/Oldwriterson|oldwriter@/)
  const [supporter] =
    await sql`select street, city from supporters where id = ${letters.old.supporterId}`
  expect(supporter).toEqual({ street: null, city: 'Eugene' })

  // The status page still shows each office's final status, and says the text was deleted.
  const page = await status(letters.old.token)
  expect(page.offices.map((o) => [o.statusKey, o.status])).toEqual([
    ['delivered', 'Delivered'],
    ['failed', 'Failed'],
  ])
  expect(page).toMatchObject({ subject: null, body: null, textPurged: true })
  // The staffer report keeps first name, last initial, city and ZIP.
  const [office] = await sql<{ officeKey: string }[]>`
    select office_key from deliveries where id = ${letters.old.deliveryIds[0]!}`
  const staffer: unknown[] = []
  for await (const batch of stafferReportCursor(sql, campaignId, office!.officeKey)) {
    staffer.push(...batch)
  }
  expect(staffer).toEqual([
    { firstName: 'Oldwriter', lastName: 'O.', city: 'Eugene', zip: '97401' },
  ])

  // Inside the period, and a letter with a packet not yet handed over: untouched.
  for (const kept of [letters.recent, letters.packet]) {
    const [l] = await sql`select street, subject, body from letters where id = ${kept.letterId}`
    expect(l!.street).toMatch(/Street 12/)
    expect(l!.body).toContain('Dear')
    const d = await sql`select body from deliveries where letter_id = ${kept.letterId}`
    expect(d.every((x) => String(x.body).includes('Dear'))).toBe(true)
    const [s] = await sql`select street from supporters where id = ${kept.supporterId}`
    expect(s!.street).toMatch(/Street 12/)
  }
  expect((await status(letters.packet.token)).body).toContain('Dear')

  // Mail: older than 7 days keeps metadata only; newer and unsent mail keeps its body.
  const mail = await sql<{ subject: string; html: string; textBody: string; headers: object }[]>`
    select subject, html, text_body, headers, status, sent_at from outbound_emails
    where template in ('confirm-signature', 'campaign-update') order by sent_at`
  expect(mail.map((m) => [m.subject, m.html, m.textBody, m.headers])).toEqual([
    ['', '', '', {}],
    ['', '', '', {}],
    [
      'Confirm (new-mail)',
      expect.stringContaining('new-mail-secret-token'),
      expect.any(String),
      {},
    ],
  ])
  expect(
    await sql`select id from outbound_emails
              where html like '%old-mail-secret%' or text_body like '%list-secret%'
                 or headers::text like '%list-secret%'`,
  ).toEqual([])
  expect(
    await sql`select 1 from email_tokens where expires_at < now() - interval '7 days'`,
  ).toEqual([])

  // Idempotent: a second run finds nothing to do.
  expect(await purgeExpiredPersonalData(sql)).toMatchObject({ letters: 0, emails: 0 })
})

test('moving the clock past the period purges the recent letter; the packet waits for hand delivery', async () => {
  const sql = getSql()
  const later = new Date(Date.now() + 25 * DAY)
  const counts = await purgeExpiredPersonalData(sql, { now: later })
  expect(counts.letters).toBe(1)
  const [recent] = await sql`select street, body from letters where id = ${letters.recent.letterId}`
  expect(recent).toEqual({ street: null, body: null })
  expect((await status(letters.recent.token, 'es')).offices.map((o) => o.statusKey)).toEqual([
    'delivered',
  ])
  const [packet] = await sql`select street from letters where id = ${letters.packet.letterId}`
  expect(packet!.street).toBe('Paperwriter Street 12')

  // Once the packet is handed over, its letter's period starts.
  await sql`update deliveries set status = 'delivered', finished_at = ${ago(31)}
            where id = ${letters.packet.deliveryIds[1]!}`
  await sql`update delivery_packets set delivered_at = ${ago(31)}`
  expect((await purgeExpiredPersonalData(sql)).letters).toBe(1)
  const [handed] = await sql`select street, body from letters where id = ${letters.packet.letterId}`
  expect(handed).toEqual({ street: null, body: null })
  const [s] = await sql`select street from supporters where id = ${letters.packet.supporterId}`
  expect(s!.street).toBeNull()
})
