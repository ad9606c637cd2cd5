import { expect, test } from 'vitest'
import { MilestonesText } from '#app/petition-delivery/schema'
test('milestones parse as sorted whole counts, with thousands grouped by comma or period', () => {
  expect(MilestonesText.parse('1,000, 5,000; 10000')).toEqual([1000, 5000, 10000])
  expect(MilestonesText.parse('1000,5000')).toEqual([1000, 5000])
  expect(MilestonesText.parse('1.000 5.000')).toEqual([1000, 5000])
  expect(MilestonesText.parse('')).toEqual([])
  expect(MilestonesText.safeParse('-5').success).toBe(false)
  expect(MilestonesText.safeParse('abc').success).toBe(false)
})
