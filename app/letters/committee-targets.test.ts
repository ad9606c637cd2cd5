import '#tests/setup/app-env'
import { expect, test } from 'vitest'
import { useAppDatabase as appDatabase } from '#tests/setup/db'
import type { LetterCampaignForWriting } from './letters.server'
import { resolveCommitteeTargets, resolveTargets } from './targets.server'

// Committee targets against the imported committees (the template database imports
// ../shared/data): "my legislators, only those on X" and "every member of X".
const db = appDatabase()

function writing(
  targetConfig: LetterCampaignForWriting['campaign']['targetConfig'],
): LetterCampaignForWriting {
  return {
    campaign: { targetConfig },
    customTargets: [],
  } as unknown as LetterCampaignForWriting
}

const cheyenne = { street: '2001 Capitol Ave', city: 'Cheyenne', state: 'WY', zip: '82001' }
const burlington = { street: '149 Church St', city: 'Burlington', state: 'VT', zip: '05401' }

test('"my legislators, only those on House Judiciary": a Cheyenne writer writes to Rep. Hageman only', async () => {
  const resolved = await resolveTargets(
    writing({ house: true, senate: true, committees: ['HSJU'], committeeMode: 'mine' }),
    cheyenne,
    'WY-0',
    'en',
  )
  expect(resolved.kind).toBe('resolved')
  if (resolved.kind !== 'resolved') return
  expect(resolved.targets.map((t) => [t.officeKey, t.name])).toEqual([
    ['house/WY-0', 'Harriet M. Hageman'],
  ])
  expect(resolved.note).toBeUndefined()
})

test('a Burlington writer on House and Senate Judiciary: Rep. Balint and Sen. Welch, not Sen. Sanders', async () => {
  const resolved = await resolveTargets(
    writing({ house: true, senate: true, committees: ['HSJU', 'SSJU'], committeeMode: 'mine' }),
    burlington,
    'VT-0',
    'es',
  )
  if (resolved.kind !== 'resolved') throw new Error(resolved.kind)
  expect(resolved.targets.map((t) => t.officeKey).sort()).toEqual(['house/VT-0', 'senate/VT/3'])
  expect(resolved.targets.find((t) => t.chamber === 'senate')?.title).toBe('Senador(a)')
})

test("when none of the writer's legislators sits on the committee, no office gets the letter and the writer is told", async () => {
  const resolved = await resolveTargets(
    writing({ house: true, senate: true, committees: ['SSJU'], committeeMode: 'mine' }),
    cheyenne,
    'WY-0',
    'en',
  )
  if (resolved.kind !== 'resolved') throw new Error(resolved.kind)
  expect(resolved.targets).toEqual([])
  expect(resolved.note).toBe('notOnCommittee')
})

test('"every member of Senate Judiciary" resolves all 22 seated members, each once', async () => {
  const targets = await resolveCommitteeTargets(['SSJU'], 'en')
  expect(targets).toHaveLength(22)
  expect(new Set(targets.map((t) => t.officeKey)).size).toBe(22)
  expect(targets.every((t) => t.chamber === 'senate')).toBe(true)
  const [grassley] = await db.sql<{ id: string }[]>`
    select id from offices where holder_id = 'G000386'`
  expect(targets.map((t) => t.officeKey)).toContain(grassley.id)
  // a member on both a committee and its subcommittee is counted once
  const both = await resolveCommitteeTargets(['HSJU', 'HSJU01'], 'en')
  expect(both).toHaveLength(42)
})
