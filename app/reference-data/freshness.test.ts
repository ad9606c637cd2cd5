import { expect, test } from 'vitest'
import { congressSeatedOn, nextCongressAfter, rosterWarning } from './freshness'

test('Congresses are seated on January 3 of odd years', () => {
  expect(congressSeatedOn(119)).toBe('2025-01-03')
  expect(congressSeatedOn(120)).toBe('2027-01-03')
  expect(nextCongressAfter('2026-06-15')).toBe(120)
  expect(nextCongressAfter('2027-01-02')).toBe(120)
  expect(nextCongressAfter('2027-01-03')).toBe(121)
})

test('the shared roster (2026-06-15) is stale today and names the 120th Congress', () => {
  expect(rosterWarning('2026-06-15', '2026-11-29')).toEqual({
    sourceDate: '2026-06-15',
    congress: 120,
    seatedOn: '2027-01-03',
    seated: false,
    ageDays: 167,
  })
})

test('a fresh roster gives no warning, until the next Congress is seated', () => {
  expect(rosterWarning('2026-11-20', '2026-11-29')).toBeNull()
  expect(rosterWarning('2026-12-20', '2027-01-02')).toBeNull()
  expect(rosterWarning('2026-12-20', '2027-01-03')).toMatchObject({
    congress: 120,
    seated: true,
    ageDays: 14,
  })
  expect(rosterWarning(null, '2026-11-29')).toBeNull()
})
