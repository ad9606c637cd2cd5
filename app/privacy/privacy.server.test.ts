import '#tests/setup/app-env'
import { randomBytes } from 'node:crypto'
import { beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { action as privacyAction } from '#app/routes/admin.privacy'
import { loader as exportLoader } from '#app/routes/admin.privacy.$supporterId.export[.]json'
import { loader as privacyPageLoader } from '#app/routes/privacy'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, settle, signedInOrganizer } from '#tests/setup/organizers'

appDatabase()

const EMAIL = 'maria.lopez@example.org'
const FIRST = 'Mariaxq'
const LAST = 'Lopezqz'
const STREET = '742 Evergreen Terrace'

let supporterId = ''
let otherSupporterId = ''
let organizerCookie = ''

async function seedSupporter(email: string, first: string, last: string, street: string) {
  const sql = getSql()
  const [petition] = await sql`select id from campaigns where slug = 'stop-red-notice-detentions'`
  const [letterCampaign] =
    await sql`select id from campaigns where slug = 'write-congress-red-notices'`
  const [s] = await sql`
    insert into supporters ${sql({
      email,
      firstName: first,
      lastName: last,
      street,
      city: 'Springfield',
      state: 'OR',
      zip: '97477',
      listOptIn: true,
    })} returning id`
  await sql`
    insert into consents ${sql({
      supporterId: s.id,
      campaignId: petition.id,
      kind: 'list',
      granted: true,
      consentText: 'Keep me informed',
      locale: 'en',
      ipHash: 'iphash-consent',
    })}`
  const [sig] = await sql`
    insert into signatures ${sql({
      campaignId: petition.id,
      supporterId: s.id,
      refCode: randomBytes(6).toString('hex'),
      comment: `${first} says stop this`,
      displayName: `${first} ${last[0]}.`,
      city: 'Springfield',
      state: 'OR',
      congressionalDistrict: 'OR-4',
      ipHash: 'iphash-signature',
      confirmedAt: new Date(),
    })} returning id`
  await sql`
    insert into signatures ${sql({
      campaignId: letterCampaign.id,
      supporterId: s.id,
      refCode: randomBytes(6).toString('hex'),
      displayName: `${first} ${last}`,
      state: 'OR',
    })}`
  const [letter] = await sql`
    insert into letters ${sql({
      campaignId: letterCampaign.id,
      supporterId: s.id,
      signatureId: sig.id,
      statusTokenHash: randomBytes(32),
      firstName: first,
      lastName: last,
      email,
      street,
      city: 'Springfield',
      state: 'OR',
      zip: '97477',
      subject: 'Pass S. 2525',
      body: `Dear Senator, I live at ${street}. ${first} ${last}`,
    })} returning id`
  const [delivery] = await sql`
    insert into deliveries ${sql({
      letterId: letter.id,
      officeKey: 'senate/OR/2',
      officeName: 'Sen. Example',
      officeTitle: 'Senator',
      channel: 'email',
      email: 'senator@senate.example',
      status: 'delivered',
      evidence: sql.json({ replyTo: email, excerpt: `${first} ${last}` }),
    })} returning id`
  await sql`
    insert into delivery_events ${sql({
      deliveryId: delivery.id,
      toStatus: 'delivered',
      evidence: sql.json({ constituent: `${first} ${last}` }),
    })}`
  await sql`
    insert into donations ${sql({
      campaignId: petition.id,
      supporterId: s.id,
      amountCents: 2500,
      recurring: false,
      status: 'paid',
    })}`
  await sql`
    insert into outbound_emails ${sql({
      kind: 'transactional',
      template: 'confirm-signature',
      toAddress: email,
      fromAddress: 'Writ <no-reply@writ.test>',
      subject: `Thanks ${first}`,
      html: `<p>Hi ${first} ${last}</p>`,
      textBody: `Hi ${first} ${last}`,
      messageId: `<${randomBytes(8).toString('hex')}@writ.test>`,
      supporterId: s.id,
      status: 'sent',
    })}`
  // the letter copy sent to the office: Reply-To is the constituent, no supporter_id
  await sql`
    insert into outbound_emails ${sql({
      kind: 'transactional',
      template: 'letter-delivery',
      toAddress: 'senator@senate.example',
      fromAddress: 'Writ <no-reply@writ.test>',
      replyTo: email,
      subject: 'Pass S. 2525',
      html: `<p>${street}</p>`,
      textBody: `${first} ${last}, ${street}`,
      messageId: `<${randomBytes(8).toString('hex')}@writ.test>`,
      status: 'queued',
    })}`
  await sql`
    insert into email_tokens ${sql({
      tokenHash: randomBytes(32),
      purpose: 'confirm_signature',
      subjectId: String(sig.id),
      expiresAt: new Date(Date.now() + 3600_000),
    })}`
  return s.id as string
}

function form(fields: Record<string, string>, cookie: string) {
  return new Request('http://localhost/admin/privacy', {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
  })
}

async function campaignCounts() {
  return getSql()`
    select c.slug, count(s.id)::int as signatures,
           count(s.id) filter (where s.confirmed_at is not null)::int as confirmed,
           (select count(*)::int from letters l where l.campaign_id = c.id) as letters,
           (select count(*)::int from donations d where d.campaign_id = c.id) as donations,
           (select coalesce(sum(amount_cents), 0)::int from donations d where d.campaign_id = c.id) as raised
    from campaigns c left join signatures s on s.campaign_id = c.id
    group by c.id order by c.slug`
}

/** Every row, in every table, whose text contains the needle. */
async function rowsContaining(needle: string) {
  const sql = getSql()
  const tables = await sql<{ tableName: string }[]>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`
  const hits: string[] = []
  for (const { tableName } of tables) {
    const [row] = await sql`
      select count(*)::int as n from ${sql(tableName)} t
      where lower(t::text) like ${'%' + needle.toLowerCase() + '%'}`
    if (row.n > 0) hits.push(`${tableName} (${row.n})`)
  }
  return hits
}

beforeAll(async () => {
  supporterId = await seedSupporter(EMAIL, FIRST, LAST, STREET)
  otherSupporterId = await seedSupporter(
    'someone.else@example.org',
    'Other',
    'Person',
    '1 Other Road',
  )
  organizerCookie = (await signedInOrganizer('organizer')).cookie
})

test('search by email finds the supporter with their activity', async () => {
  const { value } = await settle(() =>
    privacyAction({
      request: form({ intent: 'search', email: ` ${EMAIL.toUpperCase()} ` }, organizerCookie),
      context: contextFor(),
      params: {},
    }),
  )
  const supporter = (value as { supporter: Record<string, unknown> }).supporter
  expect(supporter).toMatchObject({
    id: supporterId,
    email: EMAIL,
    signatures: 2,
    letters: 1,
    donations: 1,
  })
})

test('export-then-erase: the export holds everything; afterwards no row holds their email, name or address, and counts are unchanged', async () => {
  const before = await campaignCounts()
  expect(await rowsContaining(EMAIL)).not.toEqual([])

  const exported = await exportLoader({
    request: new Request(`http://localhost/admin/privacy/${supporterId}/export.json`, {
      headers: { Cookie: organizerCookie },
    }),
    context: contextFor(),
    params: { supporterId },
  })
  expect(exported.status).toBe(200)
  expect(exported.headers.get('Content-Disposition')).toMatch(/attachment/)
  const data = JSON.parse(await exported.text())
  expect(data.supporter.email).toBe(EMAIL)
  expect(data.supporter.firstName).toBe(FIRST)
  expect(data.signatures).toHaveLength(2)
  expect(data.signatures[0].comment).toContain(FIRST)
  expect(data.consents).toHaveLength(1)
  expect(data.letters).toHaveLength(1)
  expect(data.letters[0].body).toContain(STREET)
  expect(data.letters[0].deliveries[0]).toMatchObject({
    officeKey: 'senate/OR/2',
    status: 'delivered',
  })
  expect(data.donations).toHaveLength(1)
  expect(data.donations[0].amountCents).toBe(2500)
  expect(data.outboundEmails).toHaveLength(2)
  expect(JSON.stringify(data)).not.toContain('Other Road')

  const { value } = await settle(() =>
    privacyAction({
      request: form({ intent: 'erase', supporterId, confirm: 'on' }, organizerCookie),
      context: contextFor(),
      params: {},
    }),
  )
  expect((value as { kind: string }).kind).toBe('erased')

  for (const needle of [EMAIL, FIRST, LAST, STREET]) {
    expect(await rowsContaining(needle), needle).toEqual([])
  }
  expect(await campaignCounts()).toEqual(before)
  const [supporter] =
    await getSql()`select email, erased_at from supporters where id = ${supporterId}`
  expect(supporter.email).toBeNull()
  expect(supporter.erasedAt).toBeInstanceOf(Date)
  const [queued] = await getSql()`
    select status from outbound_emails where template = 'letter-delivery' and to_address = 'senator@senate.example' and subject = '[erased]'`
  expect(queued.status).toBe('suppressed')
  // the other supporter is untouched
  expect(await rowsContaining('someone.else@example.org')).not.toEqual([])
  expect(await rowsContaining('1 Other Road')).not.toEqual([])

  const audit = await getSql()`
    select action, subject_id, details::text as details from audit_log
    where subject_type = 'supporter' order by id`
  expect(audit.map((a) => a.action)).toEqual(['privacy.export', 'privacy.erase'])
  expect(audit.every((a) => a.subjectId === supporterId)).toBe(true)
  expect(audit.some((a) => (a.details as string).includes(EMAIL))).toBe(false)
})

test('erasing needs the confirmation box', async () => {
  const { value } = await settle(() =>
    privacyAction({
      request: form({ intent: 'erase', supporterId: otherSupporterId }, organizerCookie),
      context: contextFor(),
      params: {},
    }),
  )
  expect((value as { init: { status: number } }).init.status).toBe(400)
  const [s] = await getSql()`select erased_at from supporters where id = ${otherSupporterId}`
  expect(s.erasedAt).toBeNull()
})

test('the public /privacy page data names how to ask', async () => {
  const data = await privacyPageLoader({
    request: new Request('http://localhost/privacy'),
    context: contextFor(),
    params: {},
  })
  expect(data.orgName).toBe('Writ')
  expect(data.postalAddress).toContain('Washington')
})
