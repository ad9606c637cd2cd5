import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { getRepresentativesForOffices, lookupByZip } from '#app/targets/lookup.server'
import { useAppDatabase } from '#tests/setup/db'
import { REFERENCE_DATA_DIR } from '#tests/setup/template-steps'
import { importReferenceData } from './import.server'

// The template database already holds the ../shared/data import; these tests re-import a changed
// copy of the federal files (Open States is left out, so state data must stay untouched).
const db = useAppDatabase()
let tmp: string
let reports: string

type Person = {
  id: { bioguide: string }
  name: Record<string, string>
  terms: Array<Record<string, unknown>>
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'writ-refdata-'))
  reports = path.join(tmp, 'reports')
  await fs.mkdir(path.join(tmp, 'congress-legislators'), { recursive: true })
  await fs.mkdir(path.join(tmp, 'zip-congress'), { recursive: true })
  for (const f of ['legislators-district-offices.json', 'legislators-social-media.json']) {
    await fs.copyFile(
      path.join(REFERENCE_DATA_DIR, 'congress-legislators', f),
      path.join(tmp, 'congress-legislators', f),
    )
  }
  const roster = JSON.parse(
    await fs.readFile(
      path.join(REFERENCE_DATA_DIR, 'congress-legislators/legislators-current.json'),
      'utf8',
    ),
  ) as Person[]
  // NY-12 changes hands; Husted (OH, class 3) leaves with no successor; one record is broken.
  const nadler = roster.find((p) => p.name.last === 'Nadler')!
  const successor: Person = structuredClone(nadler)
  successor.id = { bioguide: 'Z000999' }
  successor.name = { first: 'Test', last: 'Successor' }
  successor.terms = [{ ...nadler.terms.at(-1), start: '2026-07-01' }]
  const changed = roster.filter((p) => p !== nadler && p.name.last !== 'Husted')
  changed.push(successor, {
    id: { bioguide: 'not-an-id' },
    name: { first: 'Bad' },
    terms: [],
  } as unknown as Person)
  await fs.writeFile(
    path.join(tmp, 'congress-legislators/legislators-current.json'),
    JSON.stringify(changed),
  )
  // 32301 moves from FL-2 to FL-3; one malformed row.
  const zccd = await fs.readFile(path.join(REFERENCE_DATA_DIR, 'zip-congress/zccd.csv'), 'utf8')
  await fs.writeFile(
    path.join(tmp, 'zip-congress/zccd.csv'),
    zccd.replace(/^12,FL,32301,2(\r?)$/m, '12,FL,32301,3$1') + '99,XX,123,seven\n',
  )
})

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true })
})

test('a re-import reports changed holders, added and removed members, and remapped ZIPs', async () => {
  const before = await db.sql<
    { n: number }[]
  >`select count(*)::int as n from legislators where source = 'openstates'`
  const report = await importReferenceData({ from: tmp, sql: db.sql, reportDir: reports })

  expect(report.changed).toBe(true)
  expect(report.diff.initial).toBe(false)
  expect(report.diff.holderChanged).toEqual(
    expect.arrayContaining([
      {
        officeId: 'house/NY-12',
        before: { id: 'N000002', name: 'Jerrold Nadler' },
        after: { id: 'Z000999', name: 'Test Successor' },
      },
      { officeId: 'senate/OH/3', before: { id: 'H001104', name: 'Jon Husted' }, after: null },
    ]),
  )
  expect(report.diff.holderChanged).toHaveLength(2)
  expect(report.diff.membersAdded).toEqual([
    { id: 'Z000999', name: 'Test Successor', officeId: 'house/NY-12' },
  ])
  expect(report.diff.membersRemoved.map((m) => [m.name, m.officeId]).sort()).toEqual([
    ['Jerrold Nadler', 'house/NY-12'],
    ['Jon Husted', 'senate/OH/3'],
  ])
  expect(report.diff.districtsRemapped).toEqual([
    { zcta: '32301', before: ['FL-2'], after: ['FL-3'] },
  ])
  // bad rows are reported, the good ones imported
  expect(report.badRows.map((b) => b.source).sort()).toEqual(['congress-legislators', 'zccd'])

  // stored: the import log row and the JSON file carry the same diff
  const [row] = await db.sql<{ diff: typeof report.diff; badRows: unknown[] }[]>`
    select diff, bad_rows from reference_imports where id = ${report.importId}`
  expect(row.diff.holderChanged).toEqual(report.diff.holderChanged)
  expect(row.badRows).toHaveLength(2)
  const file = JSON.parse(await fs.readFile(report.reportFile!, 'utf8')) as {
    diff: typeof report.diff
  }
  expect(file.diff.districtsRemapped).toEqual(report.diff.districtsRemapped)

  // Open States was not in this source: state legislators are untouched
  const after = await db.sql<
    { n: number }[]
  >`select count(*)::int as n from legislators where source = 'openstates'`
  expect(after[0].n).toBe(before[0].n)

  // lookups see the new data at once (the import invalidates the indexes)
  const [ohio] = await getRepresentativesForOffices(['senate/OH/3'])
  expect(ohio).toMatchObject({ vacant: true, name: 'Vacant' })
  const fl = await lookupByZip('32301')
  expect(fl.districts).toEqual([{ state: 'FL', district: '3' }])
  const ny = await getRepresentativesForOffices(['house/NY-12'])
  expect(ny[0].name).toBe('Test Successor')
})

test('re-running the same import changes nothing', async () => {
  const [{ before }] = await db.sql<
    { before: string }[]
  >`select max(imported_at)::text as before from legislators`
  const again = await importReferenceData({ from: tmp, sql: db.sql, reportDir: null })
  expect(again.changed).toBe(false)
  expect(again.diff.holderChanged).toEqual([])
  expect(again.diff.membersAdded).toEqual([])
  expect(again.diff.membersRemoved).toEqual([])
  expect(again.diff.districtsRemapped).toEqual([])
  expect(again.counts).toMatchObject({
    legislatorsWritten: 0,
    officesWritten: 0,
    zipRowsWritten: 0,
  })
  const [{ after }] = await db.sql<
    { after: string }[]
  >`select max(imported_at)::text as after from legislators`
  expect(after).toBe(before)
})

test('a source without a roster is refused before anything is written', async () => {
  const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'writ-empty-'))
  await expect(importReferenceData({ from: empty, sql: db.sql, reportDir: null })).rejects.toThrow(
    /roster/,
  )
  await fs.rm(empty, { recursive: true })
})

test('a base URL with the shared/data layout imports the same data: nothing changes', async () => {
  const http = await import('node:http')
  const requested: string[] = []
  const server = http.createServer((req, res) => {
    const file = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(
      /^\/data\//,
      '',
    )
    requested.push(file)
    if (file.startsWith('openstates/') || file.includes('..')) {
      res.statusCode = 404
      res.end()
      return
    }
    fs.readFile(path.join(REFERENCE_DATA_DIR, file)).then(
      (body) => res.end(body),
      () => {
        res.statusCode = 404
        res.end()
      },
    )
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  try {
    // back to the snapshot first (the tests above changed the federal data)
    await importReferenceData({ from: REFERENCE_DATA_DIR, sql: db.sql, reportDir: null })
    const report = await importReferenceData({
      from: `http://127.0.0.1:${port}/data/`,
      sql: db.sql,
      reportDir: null,
    })
    expect(requested).toContain('congress-legislators/legislators-current.json')
    expect(requested).toContain('zip-congress/zccd.csv')
    // known snapshots keep their true dates; Open States (404 here) is left as it was
    expect(requested).toContain('congress-legislators/committee-membership-current.yaml')
    expect(report.sourceDates).toEqual({
      congress: '2026-06-15',
      committees: '2026-06-15',
      zipDistricts: '2024-11-12',
    })
    expect(report.changed).toBe(false)
  } finally {
    server.close()
  }
})
