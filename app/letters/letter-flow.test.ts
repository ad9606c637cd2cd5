import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'

vi.hoisted(() => {
  process.env.DATABASE_URL ??= 'postgres://placeholder@127.0.0.1:1/none'
})

import { resetEnv } from '#app/utils/env.server'
import { invalidateLookupIndexes } from '#app/targets/lookup.server'
import { action, loader } from '#app/routes/c.$slug/route'
import { loader as sentLoader } from '#app/routes/c.$slug_.sent.$token'
import { getSql } from '#db/client'
import { RED_NOTICE_LETTER_SLUG, RED_NOTICE_PETITION_SLUG } from '#db/seed/red-notice'
import { startFakeGeocoder, type FakeGeocoder } from '#tests/fakes/geocoder'
import { useAppDatabase } from '#tests/setup/db'
import { REFERENCE_DATA_DIR } from '#tests/setup/template-steps'

// The supporter's letter flow through the /c/:slug action, against real Postgres (template DB
// with the imported reference data and the demo campaigns) and the fake Census geocoder.

useAppDatabase()
let geocoder: FakeGeocoder

const SLUG = RED_NOTICE_LETTER_SLUG
const VACANT_ADDRESS = '1 Main St, Union City, CA 94587'

beforeAll(async () => {
  geocoder = await startFakeGeocoder({ fixturesDir: path.join(REFERENCE_DATA_DIR, 'fixtures') })
  geocoder.addAddress('20 W 34th St, New York, NY 10001', {
    state: 'NY',
    district: '12',
    zip: '10001',
  })
  geocoder.addAddress(VACANT_ADDRESS, { state: 'CA', district: '14', zip: '94587' })
  process.env.GEOCODER_URL = geocoder.url
  process.env.CWC_API_KEY = ''
  resetEnv()
})
afterAll(async () => {
  await geocoder.close()
})

let ipCounter = 0
const WY = {
  prefix: 'Ms.',
  firstName: 'Ana',
  lastName: 'Ruiz',
  street: '200 W 24th St',
  city: 'Cheyenne',
  state: 'WY',
  zip: '82001',
  subject: 'Pass S. 2525, {{targetTitle}}',
  message: 'Dear {{targetTitle}} {{targetName}},\n\nPlease pass the bill.\n\n{{firstName}}',
}

type FlowData = {
  flow: {
    step: string
    errors: Record<string, string[]>
    shown?: Array<{ officeKey: string; vacant: boolean; name: string }>
    candidates?: Array<{ value: string }>
    senatorsOnly?: boolean
  }
}

async function post(fields: Record<string, string>, slug = SLUG, query = '') {
  const body = new URLSearchParams(fields)
  const request = new Request(`http://localhost/c/${slug}${query}`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  try {
    const res = await action({
      request,
      params: { slug },
      context: { cspNonce: '', clientIp: `10.9.0.${++ipCounter}` },
    })
    return res as unknown
  } catch (thrown) {
    return thrown
  }
}

function asData(res: unknown) {
  const r = res as { data: FlowData; init: { status?: number } | null }
  return { status: r.init?.status ?? 200, flow: r.data.flow }
}

async function counts(email: string) {
  const sql = getSql()
  const [row] = await sql<{ signatures: number; letters: number; deliveries: number }[]>`
    select
      (select count(*)::int from signatures s join supporters p on p.id = s.supporter_id
        where p.email = ${email}) as signatures,
      (select count(*)::int from letters where email = ${email}) as letters,
      (select count(*)::int from deliveries d join letters l on l.id = d.letter_id
        where l.email = ${email}) as deliveries`
  return row!
}

async function deliveriesOf(email: string) {
  return getSql()<{ officeKey: string; officeTitle: string; channel: string; subject: string }[]>`
    select d.office_key, d.office_title, d.channel, d.subject
    from deliveries d join letters l on l.id = d.letter_id
    where l.email = ${email} order by d.office_key`
}

describe('sending', () => {
  test('a resolved address stores 1 signature, 1 letter and one delivery per office, then 303s to the thanks', async () => {
    const email = 'ana-wy@example.org'
    const res = await post({ ...WY, email, intent: 'send' })
    expect(res).toBeInstanceOf(Response)
    const response = res as Response
    expect(response.status).toBe(303)
    const location = response.headers.get('Location')!
    expect(location).toMatch(new RegExp(`^/c/${SLUG}/sent/[A-Za-z0-9_-]+\\?lang=en$`))

    expect(await counts(email)).toEqual({ signatures: 1, letters: 1, deliveries: 4 })
    const rows = await deliveriesOf(email)
    expect(rows.map((r) => r.officeKey.replace(/custom\/.*/, 'custom'))).toEqual([
      'custom',
      'house/WY-0',
      'senate/WY/1',
      'senate/WY/2',
    ])
    expect(rows.find((r) => r.officeKey === 'house/WY-0')).toMatchObject({
      officeTitle: 'Representative',
      subject: 'Pass S. 2525, Representative',
    })
    const [letter] = await getSql()<{ signatureId: string | null; prefix: string }[]>`
      select signature_id, prefix from letters where email = ${email}`
    expect(letter!.prefix).toBe('Ms.')
    expect(letter!.signatureId).not.toBeNull()

    // The thank-you page shows each office's status and links the private status page.
    const token = location.split('/')[4]!.split('?')[0]!
    const sent = (await sentLoader({
      request: new Request(`http://localhost${location}`),
      params: { slug: SLUG, token },
      context: { cspNonce: '' },
    })) as unknown as {
      data: {
        status: { offices: Array<{ officeName: string; status: string }> }
        statusPath: string
      }
    }
    expect(sent.data.statusPath).toBe(`/letters/${token}`)
    expect(sent.data.status.offices).toHaveLength(4)
    expect(sent.data.status.offices.map((o) => o.status)).toEqual(Array(4).fill('Queued'))
    // …but only for its own campaign
    await expect(
      sentLoader({
        request: new Request(`http://localhost/c/${RED_NOTICE_PETITION_SLUG}/sent/${token}`),
        params: { slug: RED_NOTICE_PETITION_SLUG, token },
        context: { cspNonce: '' },
      }),
    ).rejects.toMatchObject({ init: { status: 404 } })
  })

  test('the signature, letter and deliveries are one transaction: a failing delivery insert stores nothing', async () => {
    const sql = getSql()
    await sql`
      create function refuse_delivery() returns trigger language plpgsql as $$
      begin raise exception 'refused for the test'; end $$`
    await sql`
      create trigger refuse_delivery before insert on deliveries
      for each row when (new.office_key = 'senate/WY/2') execute function refuse_delivery()`
    try {
      const email = 'atomic@example.org'
      const res = await post({ ...WY, email, intent: 'send' })
      expect(res).toBeInstanceOf(Error)
      expect(await counts(email)).toEqual({ signatures: 0, letters: 0, deliveries: 0 })
      const [s] = await sql<{ n: number }[]>`
        select count(*)::int as n from supporters where email = ${email}`
      expect(s!.n).toBe(0)
    } finally {
      await sql`drop trigger refuse_delivery on deliveries`
      await sql`drop function refuse_delivery()`
    }
  })

  test('writing twice to the same campaign sends no second letter', async () => {
    const email = 'twice@example.org'
    expect(((await post({ ...WY, email, intent: 'send' })) as Response).status).toBe(303)
    const again = (await post({ ...WY, email, intent: 'send' })) as Response
    expect(again.status).toBe(303)
    expect(again.headers.get('Location')).not.toContain('already')
    expect(await counts(email)).toEqual({ signatures: 1, letters: 1, deliveries: 4 })
  })

  test('a vacant seat is shown as vacant and gets no delivery', async () => {
    const email = 'vacant@example.org'
    const address = { street: '1 Main St', city: 'Union City', state: 'CA', zip: '94587' }
    const lookup = asData(await post({ ...WY, ...address, email, intent: 'lookup' }))
    expect(lookup.status).toBe(200)
    expect(lookup.flow.step).toBe('letter')
    const house = lookup.flow.shown!.find((s) => s.officeKey === 'house/CA-14')
    expect(house).toMatchObject({ vacant: true })

    const res = (await post({ ...WY, ...address, email, intent: 'send' })) as Response
    expect(res.status).toBe(303)
    const keys = (await deliveriesOf(email)).map((r) => r.officeKey)
    expect(keys).not.toContain('house/CA-14')
    expect(keys.filter((k) => k.startsWith('senate/CA/'))).toHaveLength(2)
    expect(keys).toHaveLength(3)
  })
})

describe('mistakes and ambiguity store nothing', () => {
  test('a bad field is a 400 with field errors', async () => {
    const email = 'bad@example.org'
    const res = asData(
      await post({ ...WY, email, prefix: 'King', zip: '8200', street: '', intent: 'send' }),
    )
    expect(res.status).toBe(400)
    expect(res.flow.step).toBe('address')
    expect(res.flow.errors.prefix).toEqual(['letters:errors.prefix'])
    expect(res.flow.errors.zip).toEqual(['errors.zip'])
    expect(res.flow.errors.street).toEqual(['errors.required'])
    expect(await counts(email)).toEqual({ signatures: 0, letters: 0, deliveries: 0 })
  })

  test('a NUL character in any field is a 400 that stores nothing (found by the fuzzer)', async () => {
    const email = 'nul@example.org'
    const res = await post({
      ...WY,
      email,
      firstName: '\u0000\u0001\u0002\u001b[31m',
      intent: 'send',
    })
    expect(res).toBeInstanceOf(Response)
    expect((res as Response).status).toBe(400)
    expect(await counts(email)).toEqual({ signatures: 0, letters: 0, deliveries: 0 })
  })

  test('a letter over the campaign’s length limit is a 400 on the letter step', async () => {
    const email = 'long@example.org'
    const res = asData(await post({ ...WY, email, message: 'x'.repeat(20_001), intent: 'send' }))
    expect(res.status).toBe(400)
    expect(res.flow.step).toBe('letter')
    expect(res.flow.errors.message).toEqual(['letters:errors.messageTooLong'])
    expect(await counts(email)).toEqual({ signatures: 0, letters: 0, deliveries: 0 })
  })

  test('an ambiguous ZIP without a placeable address asks for the district, and stores nothing', async () => {
    const email = 'ny@example.org'
    const ny = { street: '999 Nowhere Ln', city: 'New York', state: 'NY', zip: '10001' }
    const lookup = asData(await post({ ...WY, ...ny, email, intent: 'lookup' }))
    expect(lookup.status).toBe(200)
    expect(lookup.flow.step).toBe('pick')
    expect(lookup.flow.candidates!.map((c) => c.value)).toEqual(['NY-10', 'NY-12'])
    expect(lookup.flow.senatorsOnly).toBe(true)

    const send = asData(await post({ ...WY, ...ny, email, intent: 'send' }))
    expect(send.status).toBe(409)
    expect(send.flow.step).toBe('pick')
    expect(await counts(email)).toEqual({ signatures: 0, letters: 0, deliveries: 0 })

    // a district that is not a candidate is refused, never guessed
    const bogus = asData(await post({ ...WY, ...ny, email, district: 'NY-3', intent: 'send' }))
    expect(bogus.status).toBe(400)
    expect(await counts(email)).toEqual({ signatures: 0, letters: 0, deliveries: 0 })

    // picking a listed district sends to that district's member and both Senators
    expect(
      ((await post({ ...WY, ...ny, email, district: 'NY-12', intent: 'send' })) as Response).status,
    ).toBe(303)
    const keys = (await deliveriesOf(email)).map((r) => r.officeKey)
    expect(keys.filter((k) => !k.startsWith('custom/'))).toEqual([
      'house/NY-12',
      'senate/NY/1',
      'senate/NY/3',
    ])
  })

  test('"my Senators only" sends to the two Senators and the named officials', async () => {
    const email = 'senators@example.org'
    const ny = { street: '999 Nowhere Ln', city: 'New York', state: 'NY', zip: '10001' }
    const res = (await post({
      ...WY,
      ...ny,
      email,
      district: 'senators',
      intent: 'send',
    })) as Response
    expect(res.status).toBe(303)
    const keys = (await deliveriesOf(email)).map((r) => r.officeKey)
    expect(keys.filter((k) => !k.startsWith('custom/'))).toEqual(['senate/NY/1', 'senate/NY/3'])
    expect(keys).toHaveLength(3)
  })

  test('a street address in a split ZIP resolves without asking', async () => {
    const ny = { street: '20 W 34th St', city: 'New York', state: 'NY', zip: '10001' }
    const lookup = asData(await post({ ...WY, ...ny, email: 'ny12@example.org', intent: 'lookup' }))
    expect(lookup.flow.step).toBe('letter')
    expect(lookup.flow.shown!.map((s) => s.officeKey).slice(0, 3)).toEqual([
      'house/NY-12',
      'senate/NY/1',
      'senate/NY/3',
    ])
    expect(await counts('ny12@example.org')).toEqual({ signatures: 0, letters: 0, deliveries: 0 })
  })

  test('the honeypot stores nothing', async () => {
    const email = 'bot@example.org'
    const res = (await post({ ...WY, email, website: 'http://spam', intent: 'send' })) as Response
    expect(res.status).toBe(303)
    expect(await counts(email)).toEqual({ signatures: 0, letters: 0, deliveries: 0 })
  })
})

test('a deep link prefills the flow and sends nothing', async () => {
  const url = `http://localhost/c/${SLUG}?zip=82001&street=200%20W%2024th%20St&city=Cheyenne&state=wy&message=Hello%20there`
  const data = (await loader({
    request: new Request(url),
    params: { slug: SLUG },
    context: { cspNonce: '' },
  })) as unknown as { prefill: Record<string, string>; letter: { editable: boolean } }
  expect(data.letter.editable).toBe(true)
  expect(data.prefill).toEqual({
    zip: '82001',
    street: '200 W 24th St',
    city: 'Cheyenne',
    state: 'WY',
    message: 'Hello there',
  })
  const [n] = await getSql()<{ n: number }[]>`
    select count(*)::int as n from letters l join campaigns c on c.id = l.campaign_id
    where c.slug = ${SLUG} and l.street = '200 W 24th St' and l.email like 'deeplink%'`
  expect(n!.n).toBe(0)
})

test('a petition campaign’s POST still signs as a petition', async () => {
  const res = (await post(
    { firstName: 'Pat', lastName: 'Lee', email: 'pat@example.org', zip: '82001' },
    RED_NOTICE_PETITION_SLUG,
  )) as Response
  expect(res.status).toBe(303)
  expect(res.headers.get('Location')).toContain(`/c/${RED_NOTICE_PETITION_SLUG}/thanks?signed=1`)
})

test('targets come from the officeholder data at send time: a new holder gets the next letter', async () => {
  const sql = getSql()
  await sql`
    insert into legislators (id, source, first_name, last_name, full_name, party, source_date)
    values ('Z000001', 'congress-legislators', 'Zoe', 'Newmember', 'Zoe Newmember', 'Independent',
      current_date)`
  const [old] = await sql<{ holderId: string }[]>`
    select holder_id from offices where id = 'house/WY-0'`
  await sql`update offices set holder_id = 'Z000001' where id = 'house/WY-0'`
  invalidateLookupIndexes()
  try {
    const email = 'retarget@example.org'
    expect(((await post({ ...WY, email, intent: 'send' })) as Response).status).toBe(303)
    const [row] = await sql<{ officeName: string; body: string }[]>`
      select d.office_name, d.body from deliveries d join letters l on l.id = d.letter_id
      where l.email = ${email} and d.office_key = 'house/WY-0'`
    expect(row).toMatchObject({ officeName: 'Zoe Newmember' })
    expect(row!.body).toContain('Dear Representative Zoe Newmember,')
  } finally {
    await sql`update offices set holder_id = ${old!.holderId} where id = 'house/WY-0'`
    invalidateLookupIndexes()
  }
})

test('a non-editable letter is sent as written, whatever the form says', async () => {
  const sql = getSql()
  await sql`update campaigns set letter_editable = false where slug = ${SLUG}`
  try {
    const email = 'asis@example.org'
    const res = (await post({
      ...WY,
      email,
      subject: 'Something else',
      message: 'A message the organizers did not write, long enough to pass.',
      intent: 'send',
    })) as Response
    expect(res.status).toBe(303)
    const [letter] = await sql<{ subject: string; body: string; edited: boolean }[]>`
      select subject, body, edited from letters where email = ${email}`
    expect(letter!.edited).toBe(false)
    expect(letter!.subject).toBe(
      'Cosponsor and amend the Transnational Repression Policy Act (S. 2525 / H.R. 4829)',
    )
    expect(letter!.body).not.toContain('did not write')
  } finally {
    await sql`update campaigns set letter_editable = true where slug = ${SLUG}`
  }
})

test('"Change my address" returns to step 1 with what was typed, and stores nothing', async () => {
  const email = 'edit@example.org'
  const res = asData(await post({ ...WY, email, district: 'NY-12', intent: 'edit' }))
  expect(res.status).toBe(200)
  expect(res.flow.step).toBe('address')
  const values = (res as unknown as { flow: { values: Record<string, string> } }).flow.values
  expect(values).toMatchObject({ street: '200 W 24th St', email })
  expect(values.district).toBeUndefined()
  expect(await counts(email)).toEqual({ signatures: 0, letters: 0, deliveries: 0 })
})

test('with the geocoder down, a split ZIP asks for the district; a one-district ZIP resolves with no call and no warning', async () => {
  geocoder.setMode('down')
  try {
    // addresses not geocoded before (answers are cached)
    const ny = { street: '22 W 34th St', city: 'New York', state: 'NY', zip: '10001' }
    const pick = asData(await post({ ...WY, ...ny, email: 'down@example.org', intent: 'send' }))
    expect(pick.status).toBe(409)
    expect(pick.flow.step).toBe('pick')
    expect((pick.flow as { reason?: string }).reason).toBe('geocoder_unavailable')
    expect(await counts('down@example.org')).toEqual({ signatures: 0, letters: 0, deliveries: 0 })

    const before = geocoder.requests.length
    const wy = asData(
      await post({
        ...WY,
        street: '201 W 24th St',
        email: 'down-wy@example.org',
        intent: 'lookup',
      }),
    )
    expect(wy.flow.step).toBe('letter')
    // Every target is known from a one-district ZIP: no geocoder call, so no false alarm.
    expect(geocoder.requests.length).toBe(before)
    expect((wy.flow as { note?: string }).note).toBeUndefined()
    expect(wy.flow.shown!.map((s) => s.officeKey).slice(0, 3)).toEqual([
      'house/WY-0',
      'senate/WY/1',
      'senate/WY/2',
    ])
  } finally {
    geocoder.setMode('up')
  }
})
