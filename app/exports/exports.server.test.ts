import '#tests/setup/app-env'
import { randomBytes } from 'node:crypto'
import { beforeAll, expect, test } from 'vitest'
import { getSql } from '#db/client'
import { escapeCell } from '#app/exports/csv.server'
import { loader as officesLoader } from '#app/routes/admin.campaigns.$id.offices'
import { loader as stafferLoader } from '#app/routes/admin.campaigns.$id.staffer-report[.]csv'
import { loader as supportersLoader } from '#app/routes/admin.campaigns.$id.supporters[.]csv'
// Aliased: the react-hooks lint rule reads any top-level use*() call as a hook.
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import { contextFor, settle, signedInOrganizer } from '#tests/setup/organizers'

appDatabase()

let campaignId = ''
let cookie = ''
let viewerCookie = ''

async function addSigner(n: number, opts: { optIn: boolean; firstName?: string; office?: string }) {
  const sql = getSql()
  const [p] = await sql`
    insert into supporters ${sql({
      email: `signer${n}@example.org`,
      firstName: opts.firstName ?? `First${n}`,
      lastName: `Last${n}`,
      street: `${n} Main St`,
      city: 'Portland',
      state: 'OR',
      zip: '97201',
      listOptIn: opts.optIn,
    })} returning id`
  await sql`
    insert into signatures ${sql({
      campaignId,
      supporterId: p.id,
      refCode: randomBytes(6).toString('hex'),
      comment: n === 1 ? '=HYPERLINK("http://evil.example","click")' : null,
    })}`
  if (opts.office) {
    const [letter] = await sql`
      insert into letters ${sql({
        campaignId,
        supporterId: p.id,
        statusTokenHash: randomBytes(32),
        firstName: opts.firstName ?? `First${n}`,
        lastName: `Last${n}`,
        email: `signer${n}@example.org`,
        street: `${n} Main St`,
        city: 'Portland',
        state: 'OR',
        zip: '97201',
        subject: 'S',
        body: 'B',
      })} returning id`
    await sql`
      insert into deliveries ${sql({
        letterId: letter.id,
        officeKey: opts.office,
        officeName: opts.office === 'house/OR-1' ? 'Rep. One' : 'Sen. Two',
        officeTitle: 'Member',
        channel: 'packet',
        status: n % 2 ? 'delivered' : 'awaiting_hand_delivery',
      })}`
  }
}

beforeAll(async () => {
  const [c] = await getSql()`select id from campaigns where slug = 'write-congress-red-notices'`
  campaignId = c.id
  await addSigner(1, { optIn: true, office: 'house/OR-1' })
  await addSigner(2, { optIn: false, office: 'house/OR-1' })
  await addSigner(3, { optIn: true, firstName: '-2+3', office: 'senate/OR/2' })
  cookie = (await signedInOrganizer('organizer')).cookie
  viewerCookie = (await signedInOrganizer('viewer')).cookie
})

function get(url: string, c = cookie) {
  return new Request(`http://localhost${url}`, { headers: { Cookie: c } })
}

function parseCsv(text: string): string[][] {
  // simple: our test data has no embedded newlines
  return text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n')
    .map((line) =>
      [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)]
        .map((m) => m[1])
        .slice(0, -1)
        .map((cell) => (cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell)),
    )
}

test('escapeCell neutralizes spreadsheet formulas', () => {
  for (const evil of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) {
    expect(escapeCell(evil)).toBe(`'${evil}`)
  }
  expect(escapeCell('plain')).toBe('plain')
  expect(escapeCell(null)).toBe('')
})

test('supporters CSV: list-consent filter on by default, formulas escaped, streamed body', async () => {
  const res = (await supportersLoader({
    request: get(`/admin/campaigns/${campaignId}/supporters.csv`),
    context: contextFor(),
    params: { id: campaignId },
  })) as Response
  expect(res.status).toBe(200)
  expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
  expect(res.body).toBeInstanceOf(ReadableStream)
  const rows = parseCsv(await res.text())
  expect(rows[0].slice(0, 3)).toEqual(['email', 'first_name', 'last_name'])
  const emails = rows.slice(1).map((r) => r[0])
  expect(emails.sort()).toEqual(['signer1@example.org', 'signer3@example.org'])
  const one = rows.find((r) => r[0] === 'signer1@example.org')!
  expect(one[11]).toBe(`'=HYPERLINK("http://evil.example","click")`)
  const three = rows.find((r) => r[0] === 'signer3@example.org')!
  expect(three[1]).toBe("'-2+3")

  const all = (await supportersLoader({
    request: get(`/admin/campaigns/${campaignId}/supporters.csv?consent=all`),
    context: contextFor(),
    params: { id: campaignId },
  })) as Response
  const allEmails = parseCsv(await all.text())
    .slice(1)
    .map((r) => r[0])
  expect(allEmails).toContain('signer2@example.org')

  const [audit] = await getSql()`
    select count(*)::int as n from audit_log where action = 'export.supporters_csv' and subject_id = ${campaignId}`
  expect(audit.n).toBe(2)
})

test('staffer report: only that office, name, city and ZIP only', async () => {
  const res = (await stafferLoader({
    request: get(`/admin/campaigns/${campaignId}/staffer-report.csv?office=house%2FOR-1`),
    context: contextFor(),
    params: { id: campaignId },
  })) as Response
  expect(res.status).toBe(200)
  const text = await res.text()
  expect(parseCsv(text)).toEqual([
    ['name', 'city', 'zip'],
    ['First1 Last1', 'Portland', '97201'],
    ['First2 Last2', 'Portland', '97201'],
  ])
  expect(text).not.toContain('@example.org')
  expect(text).not.toContain('Main St')
})

test('offices page counts deliveries by status; viewers see counts but cannot download', async () => {
  const data = await officesLoader({
    request: get(`/admin/campaigns/${campaignId}/offices`, viewerCookie),
    context: contextFor(),
    params: { id: campaignId },
  })
  expect(data.pii).toBe(false)
  expect(data.offices.find((o) => o.officeKey === 'house/OR-1')).toMatchObject({
    letters: 2,
    delivered: 1,
    awaitingHandDelivery: 1,
  })
  const { response } = await settle(() =>
    stafferLoader({
      request: get(
        `/admin/campaigns/${campaignId}/staffer-report.csv?office=house%2FOR-1`,
        viewerCookie,
      ),
      context: contextFor(),
      params: { id: campaignId },
    }),
  )
  expect(response?.status).toBe(403)
})

/** A letter in `locale` to one legislator's office, as the letter flow stores it. */
async function addLetterTo(
  n: number,
  office: { key: string; name: string; title: string; chamber: string | null; locale: string },
) {
  const sql = getSql()
  const [p] = await sql`
    insert into supporters ${sql({ email: `writer${n}@example.org`, firstName: `W${n}`, lastName: `Writer${n}`, locale: office.locale })}
    returning id`
  const [letter] = await sql`
    insert into letters ${sql({
      campaignId,
      supporterId: p.id,
      statusTokenHash: randomBytes(32),
      firstName: `W${n}`,
      lastName: `Writer${n}`,
      email: `writer${n}@example.org`,
      street: `${n} Oak St`,
      city: 'Salem',
      state: 'OR',
      zip: '97301',
      subject: 'S',
      body: 'B',
      locale: office.locale,
    })} returning id`
  await sql`
    insert into deliveries ${sql({
      letterId: letter.id,
      officeKey: office.key,
      officeName: office.name,
      officeTitle: office.title,
      chamber: office.chamber,
      channel: 'packet',
      status: 'awaiting_hand_delivery',
    })}`
}

test("offices page: a legislator's title is in the organizer's language, whatever language the letters were in", async () => {
  // Letters keep the title in their writer's language; the organizer reads the page in theirs.
  await addLetterTo(10, {
    key: 'house/OR-5',
    name: 'Rep. Five',
    title: 'Representative',
    chamber: 'house',
    locale: 'en',
  })
  await addLetterTo(11, {
    key: 'house/OR-5',
    name: 'Rep. Five',
    title: 'Representante',
    chamber: 'house',
    locale: 'es',
  })
  // A named official keeps the title the organizers typed.
  await addLetterTo(12, {
    key: 'custom/ombuds',
    name: 'Ana Ruiz',
    title: 'Detention Ombudsperson',
    chamber: null,
    locale: 'es',
  })
  const load = async (lang: string) => {
    const data = await officesLoader({
      request: get(`/admin/campaigns/${campaignId}/offices?lang=${lang}`),
      context: contextFor(),
      params: { id: campaignId },
    })
    return Object.fromEntries(data.offices.map((o) => [o.officeKey, o.officeTitle]))
  }
  expect(await load('en')).toMatchObject({
    'house/OR-5': 'Representative',
    'custom/ombuds': 'Detention Ombudsperson',
  })
  expect(await load('es')).toMatchObject({
    'house/OR-5': 'Representante',
    'custom/ombuds': 'Detention Ombudsperson',
  })
})

test('offices page: a seat whose holder changed shows the latest holder', async () => {
  await addLetterTo(20, {
    key: 'house/OR-6',
    name: 'Amy Former',
    title: 'Representative',
    chamber: 'house',
    locale: 'en',
  })
  await addLetterTo(21, {
    key: 'house/OR-6',
    name: 'Zed Current',
    title: 'Representative',
    chamber: 'house',
    locale: 'en',
  })
  const data = await officesLoader({
    request: get(`/admin/campaigns/${campaignId}/offices`),
    context: contextFor(),
    params: { id: campaignId },
  })
  expect(data.offices.find((o) => o.officeKey === 'house/OR-6')).toMatchObject({
    officeName: 'Zed Current',
    letters: 2,
  })
})

test('offices page counts a cancelled copy (never sent) apart from queued and failed', async () => {
  await addLetterTo(30, {
    key: 'house/OR-7',
    name: 'Rep. Seven',
    title: 'Representative',
    chamber: 'house',
    locale: 'en',
  })
  await getSql()`update deliveries set status = 'cancelled', finished_at = now()
                 where office_key = 'house/OR-7'`
  const data = await officesLoader({
    request: get(`/admin/campaigns/${campaignId}/offices`),
    context: contextFor(),
    params: { id: campaignId },
  })
  expect(data.offices.find((o) => o.officeKey === 'house/OR-7')).toMatchObject({
    letters: 1,
    delivered: 0,
    queued: 0,
    failed: 0,
    awaitingHandDelivery: 0,
    cancelled: 1,
  })
})
