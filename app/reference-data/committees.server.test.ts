import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { useAppDatabase } from '#tests/setup/db'
import { REFERENCE_DATA_DIR } from '#tests/setup/template-steps'
import { formatDiff, importReferenceData } from './import.server'

// Committees and their members are imported with the roster (the template database holds the
// ../shared/data import); a re-import reports who joined or left which committee.
const db = useAppDatabase()
let tmp: string

type Member = { name: string; party: string; rank?: number; title?: string; bioguide: string }

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'writ-committees-'))
  await fs.mkdir(path.join(tmp, 'congress-legislators'), { recursive: true })
  await fs.mkdir(path.join(tmp, 'zip-congress'), { recursive: true })
  for (const f of [
    'congress-legislators/legislators-current.json',
    'congress-legislators/legislators-district-offices.json',
    'congress-legislators/legislators-social-media.json',
    'congress-legislators/committees-current.yaml',
    'zip-congress/zccd.csv',
  ]) {
    await fs.copyFile(path.join(REFERENCE_DATA_DIR, f), path.join(tmp, f))
  }
  // Darrell Issa (I000056) leaves House Judiciary and joins House Homeland Security.
  const membership = parseYaml(
    await fs.readFile(
      path.join(REFERENCE_DATA_DIR, 'congress-legislators/committee-membership-current.yaml'),
      'utf8',
    ),
  ) as Record<string, Member[]>
  const issa = membership.HSJU.find((m) => m.bioguide === 'I000056')!
  membership.HSJU = membership.HSJU.filter((m) => m !== issa)
  membership.HSHM.push({ ...issa, rank: 99 })
  await fs.writeFile(
    path.join(tmp, 'congress-legislators/committee-membership-current.yaml'),
    stringifyYaml(membership),
  )
})

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true })
})

async function members(committeeId: string) {
  return db.sql<{ bioguide: string; party: string; rank: number | null; title: string | null }[]>`
    select bioguide, party, rank, title from committee_members
     where committee_id = ${committeeId} order by party, rank`
}

test('the import creates committees, subcommittees and their members', async () => {
  const hsju = await members('HSJU')
  expect(hsju).toHaveLength(42)
  expect(hsju[0]).toMatchObject({ bioguide: 'J000289', party: 'majority', rank: 1, title: 'Chair' })
  const ssju = await members('SSJU')
  expect(ssju).toHaveLength(22)
  expect(ssju[0]).toMatchObject({ bioguide: 'G000386', party: 'majority', rank: 1 })
  const [sub] = await db.sql<{ chamber: string; parentId: string }[]>`
    select chamber, parent_id from committees where id = 'HSJU01'`
  expect(sub).toEqual({ chamber: 'house', parentId: 'HSJU' })
  const [counts] = await db.sql<{ committees: number; subcommittees: number }[]>`
    select count(*) filter (where parent_id is null)::int as committees,
           count(*) filter (where parent_id is not null)::int as subcommittees
      from committees`
  expect(counts).toEqual({ committees: 49, subcommittees: 181 })
})

test('a re-import reports a member leaving one committee and joining another', async () => {
  const report = await importReferenceData({ from: tmp, sql: db.sql, reportDir: null })
  expect(report.changed).toBe(true)
  expect(report.sourceDates.committees).toBe('2026-06-15')
  expect(report.diff.committeeMembersLeft).toEqual([
    {
      committeeId: 'HSJU',
      committee: 'House Committee on the Judiciary',
      bioguide: 'I000056',
      name: 'Darrell Issa',
    },
  ])
  expect(report.diff.committeeMembersJoined).toEqual([
    {
      committeeId: 'HSHM',
      committee: 'House Committee on Homeland Security',
      bioguide: 'I000056',
      name: 'Darrell Issa',
    },
  ])
  expect(formatDiff(report.diff)).toContain(
    'Members who left a committee: 1\n  Darrell Issa (I000056) left House Committee on the Judiciary (HSJU)',
  )
  expect((await members('HSJU')).map((m) => m.bioguide)).not.toContain('I000056')
  expect((await members('HSHM')).map((m) => m.bioguide)).toContain('I000056')

  // The same files again: nothing to write, nothing to report.
  const again = await importReferenceData({ from: tmp, sql: db.sql, reportDir: null })
  expect(again.counts.committeeRowsWritten).toBe(0)
  expect(again.diff.committeeMembersLeft).toEqual([])
})
