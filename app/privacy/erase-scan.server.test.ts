import '#tests/setup/app-env'
import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { getPublicCampaign } from '#db/queries/campaigns'
import { rebuildMetrics } from '#db/queries/metrics'
import { RED_NOTICE_LETTER_SLUG, RED_NOTICE_PETITION_SLUG } from '#db/seed/red-notice'
import {
  customTargetToDeliveryTarget,
  getLetterCampaignForWriting,
  type DeliveryTarget,
} from '#app/letters/letters.server'
import { sendLetter } from '#app/letters/submit-letter.server'
import { queueEmail } from '#app/mail/mail.server'
import { getMetrics } from '#app/metrics/metrics.server'
import { action as privacyAction } from '#app/routes/admin.privacy'
import { emailLimitKey } from '#app/safety/client.server'
import { checkRateLimit } from '#app/safety/rate-limit.server'
import { SignSchema } from '#app/signatures/schema'
import { recordSignature } from '#app/signatures/signatures.server'
import { contextFor, settle, signedInOrganizer } from '#tests/setup/organizers'
import { startServerWithEnv, type ServerWithEnv } from '#tests/setup/server-with-env'

// Finding 3 of issue 13: erasure leaves nothing of the person in any column of any table, cancels
// what was still to be sent, answers the status link with "erased", and keeps the counts.

const EMAIL = 'ximena.quillfeather@example.org'
const FIRST = 'Ximenaqv'
const LAST = 'Quillfeatherz'
const STREET = '4417 Zephyrine Row'
// a city no seed or fixture uses, so a hit can only be this person's
const CITY = 'Marrowvale Springs'
const NEEDLES = [EMAIL, FIRST, LAST, STREET, CITY]

let app: ServerWithEnv
let token = ''
let letterId = ''
let supporterId = ''
let letterCampaignId = ''

/** Every (table.column) of type text, varchar, json, jsonb or text[] that contains the needle. */
async function columnsContaining(needle: string): Promise<string[]> {
  const sql = getSql()
  const columns = await sql<{ tableName: string; columnName: string }[]>`
    select c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
           or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
    order by 1, 2`
  expect(columns.length).toBeGreaterThan(50)
  const hits: string[] = []
  for (const { tableName, columnName } of columns) {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from ${sql(tableName)}
      where position(${needle.toLowerCase()} in lower(${sql(columnName)}::text)) > 0`
    if (row!.n > 0) hits.push(`${tableName}.${columnName} (${row!.n})`)
  }
  return hits
}

const pageText = async (path: string) => {
  const res = await fetch(`${app.server.url}${path}`)
  return {
    status: res.status,
    text: (await res.text()).replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'"),
  }
}

beforeAll(async () => {
  app = await startServerWithEnv({ CWC_API_KEY: '' })
  const sql = getSql()
  const campaign = (await getPublicCampaign(sql, RED_NOTICE_LETTER_SLUG, 'en'))!
  letterCampaignId = campaign.id
  const writing = (await getLetterCampaignForWriting(RED_NOTICE_LETTER_SLUG, 'en'))!
  const officeTarget = (id: string, email: string | null): DeliveryTarget =>
    customTargetToDeliveryTarget({
      id,
      name: `Office ${id.slice(0, 4)}`,
      title: 'Director',
      channel: email ? 'email' : 'packet',
      email,
    })
  // Through the real letter path: the signature, the letter and one rendered copy per office.
  const sent = await sendLetter({
    campaign,
    writing,
    constituent: {
      prefix: 'Ms.',
      firstName: FIRST,
      lastName: LAST,
      email: EMAIL,
      street: STREET,
      city: CITY,
      state: 'OR',
      zip: '97477',
    },
    submitted: {
      subject: 'From {{fullName}} of {{city}}',
      message:
        'Dear {{targetTitle}} {{targetName}},\n\nI am {{fullName}} and I live in {{city}}, {{state}} {{zip}}.',
    },
    signer: SignSchema.parse({
      firstName: FIRST,
      lastName: LAST,
      email: EMAIL,
      zip: '97477',
      street: STREET,
      city: CITY,
      state: 'OR',
      comment: `${FIRST} from ${CITY} says stop`,
      optIn: true,
      locale: 'en',
    }),
    targets: [
      ...writing.customTargets, // email, stays queued: cancelled by the erasure
      officeTarget(randomUUID(), 'office@agency.example'), // delivered below
      officeTarget(randomUUID(), null), // packet: awaiting hand delivery, cancelled by the erasure
    ],
    locale: 'en',
    ip: '198.51.100.23',
  })
  if (sent.status !== 'sent') throw new Error(`letter not sent: ${sent.status}`)
  token = sent.letter.statusToken
  letterId = sent.letter.letterId
  const [s] = await sql<{ supporterId: string }[]>`
    select supporter_id from letters where id = ${letterId}`
  supporterId = s!.supporterId
  // The copies rendered the person's name and city for each office.
  const copies = await sql<
    { body: string }[]
  >`select body from deliveries where letter_id = ${letterId}`
  expect(copies.every((c) => c.body.includes(`${FIRST} ${LAST}`) && c.body.includes(CITY))).toBe(
    true,
  )
  await sql`
    update deliveries set status = 'delivered', finished_at = now(),
      evidence = ${sql.json({ channel: 'email', to: 'office@agency.example', replyTo: EMAIL })}
    where letter_id = ${letterId} and email = 'office@agency.example'`
  await sql`
    update deliveries set status = 'awaiting_hand_delivery', finished_at = now()
    where letter_id = ${letterId} and channel = 'packet'`
  // Their signature has a state and a district (counted by place).
  await sql`
    update signatures set congressional_district = 'OR-4', state = 'OR'
    where supporter_id = ${supporterId}`

  // A petition signature (with its confirmation email), a donation and a monthly gift.
  const petition = (await getPublicCampaign(sql, RED_NOTICE_PETITION_SLUG, 'en'))!
  await sql.begin((tx) =>
    recordSignature(
      tx,
      petition,
      SignSchema.parse({
        firstName: FIRST,
        lastName: LAST,
        email: EMAIL,
        zip: '97477',
        street: STREET,
        city: CITY,
        state: 'OR',
        optIn: true,
        locale: 'en',
      }),
      { locale: 'en', ip: '198.51.100.23' },
    ),
  )
  await sql`
    insert into donations ${sql({
      campaignId: petition.id,
      supporterId,
      amountCents: 2500,
      recurring: false,
      status: 'paid',
      stripeCustomerId: 'cus_erase_scan',
    })}`
  await sql`
    insert into donation_subscriptions ${sql({
      stripeSubscriptionId: 'sub_erase_scan',
      stripeCustomerId: 'cus_erase_scan',
      campaignId: petition.id,
      supporterId,
      amountCents: 1000,
      status: 'active',
    })}`
  // Mail to the address in every state, and a copy of the letter to an office (Reply-To them).
  for (const status of ['queued', 'local'] as const) {
    await queueEmail(sql, {
      kind: 'transactional',
      template: 'letter-receipt',
      to: EMAIL,
      subject: `Your letter, ${FIRST}`,
      html: `<p>${FIRST} ${LAST}, ${CITY}</p>`,
      text: `${FIRST} ${LAST}, ${CITY}`,
      supporterId,
      status,
      idempotencyKey: `erase-scan/${status}`,
    })
  }
  await queueEmail(sql, {
    kind: 'transactional',
    template: 'letter',
    to: 'office@agency.example',
    from: `${FIRST} ${LAST} via Writ <no-reply@writ.test>`,
    replyTo: EMAIL,
    subject: `From ${FIRST} ${LAST} of ${CITY}`,
    html: `<p>${STREET}</p>`,
    text: `${FIRST} ${LAST}\n${STREET}\n${CITY}`,
    headers: { 'X-Writ-Letter': letterId },
    status: 'local',
    messageId: `<${randomBytes(8).toString('hex')}@writ.test>`,
  })
  await sql`update outbound_emails set status = 'sent', sent_at = now() where template = 'confirm-signature'`
  // A rate-limit hit keyed by their email, and a bucket from before the keys were hashed.
  await checkRateLimit(sql, { action: 'letter', ip: '198.51.100.23', email: EMAIL })
  await sql`
    insert into rate_limit_hits (bucket, window_start, hits)
    values (${`letter:email:${EMAIL}:60`}, now(), 1)`
})

afterAll(async () => {
  await app?.close()
})

test('erasure: no column of any table holds their email, name, street or city; the status link says the letter was erased; counts stay', async () => {
  const sql = getSql()
  for (const needle of NEEDLES) expect(await columnsContaining(needle), needle).not.toEqual([])
  expect(
    (await sql`select 1 from rate_limit_hits where position(${emailLimitKey(EMAIL)} in bucket) > 0`)
      .length,
  ).toBeGreaterThan(0)
  const before = await getMetrics({ campaignId: letterCampaignId, pii: true })
  const beforeAll_ = await getMetrics({ pii: true })
  expect(before.districts).toContainEqual(expect.objectContaining({ district: 'OR-4' }))
  const page = await pageText(`/letters/${token}?lang=en`)
  expect(page.text).toContain(CITY)

  const organizer = await signedInOrganizer('organizer')
  const { value } = await settle(() =>
    privacyAction({
      request: new Request('http://localhost/admin/privacy', {
        method: 'POST',
        body: new URLSearchParams({ intent: 'erase', supporterId, confirm: 'on' }),
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Cookie: organizer.cookie,
        },
      }),
      context: contextFor(),
      params: {},
    }),
  )
  expect((value as { kind: string }).kind).toBe('erased')

  // 1. Nothing of them anywhere.
  const left: Record<string, string[]> = {}
  for (const needle of NEEDLES) {
    const hits = await columnsContaining(needle)
    if (hits.length > 0) left[needle] = hits
  }
  expect(left).toEqual({})
  expect(
    await sql`select bucket from rate_limit_hits where position(${emailLimitKey(EMAIL)} in bucket) > 0`,
  ).toEqual([])
  const [supporter] =
    await sql`select state, zip, erased_at from supporters where id = ${supporterId}`
  expect(supporter).toMatchObject({ state: null, zip: null })
  expect(supporter!.erasedAt).toBeInstanceOf(Date)
  expect(
    await sql`
      select state, congressional_district from signatures
      where supporter_id = ${supporterId} and (state is not null or congressional_district is not null)`,
  ).toEqual([])

  // 2. What was still to be sent is cancelled, with an event that holds no personal data.
  const deliveries = await sql<{ status: string; events: { to: string; evidence: unknown }[] }[]>`
    select d.status,
      (select json_agg(json_build_object('to', e.to_status, 'evidence', e.evidence) order by e.id)
       from delivery_events e where e.delivery_id = d.id) as events
    from deliveries d where d.letter_id = ${letterId} order by d.id`
  expect(deliveries.map((d) => d.status)).toEqual(['cancelled', 'delivered', 'cancelled'])
  for (const d of deliveries.filter((x) => x.status === 'cancelled')) {
    expect(d.events.at(-1)).toEqual({ to: 'cancelled', evidence: { reason: 'erased' } })
  }
  const outbox = await sql`
    select status from outbound_emails where status in ('queued', 'sending')`
  expect(outbox).toEqual([])

  // 3. The status link answers, in both languages, without the letter.
  const en = await pageText(`/letters/${token}?lang=en`)
  expect(en.status).toBe(200)
  expect(en.text).toContain("This letter was erased at the writer's request")
  expect(en.text).not.toContain('Dear')
  const es = await pageText(`/letters/${token}?lang=es`)
  expect(es.text).toContain('Esta carta fue borrada a petición de quien la escribió')

  // 4. Counts: the same totals, places and districts; a rebuild from the source rows agrees.
  const after = await getMetrics({ campaignId: letterCampaignId, pii: true })
  expect(after.funnel).toEqual(before.funnel)
  expect(after.states).toEqual(before.states)
  expect(after.districts).toEqual(before.districts)
  expect(after.hourly).toEqual(before.hourly)
  const afterAll_ = await getMetrics({ pii: true })
  expect(afterAll_.funnel).toEqual(beforeAll_.funnel)
  expect(afterAll_.states).toEqual(beforeAll_.states)
  await rebuildMetrics(sql)
  expect(await getMetrics({ campaignId: letterCampaignId, pii: true })).toEqual(after)
  expect(await getMetrics({ pii: true })).toEqual(afterAll_)
})
